//! What the tracker records: clicks on short links and copy/share events from
//! the hub. Neither holds a raw IP address or user agent.

use serde::{Deserialize, Serialize};

/// One request for a short link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Click {
    /// When, in milliseconds since the Unix epoch.
    pub at_ms: i64,
    /// The short code.
    pub code: String,
    /// The ambassador id of a `/c/{code}/{id}` link, if any.
    pub ambassador: Option<String>,
    /// A bot, a link-preview crawler, a prefetch or a HEAD request: kept, but
    /// never in human totals.
    pub bot: bool,
    /// The day's keyed hash of (IP, user agent, code); `None` with DNT or GPC.
    pub visitor: Option<[u8; 16]>,
    /// Past its visitor's allowance (see `allowance`): added to its hour's
    /// count rather than stored as a row of its own.
    pub aggregate: bool,
}

/// What an employee did on a share card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// Copied a post.
    Copy,
    /// Opened a network's share intent.
    Share,
}

impl EventKind {
    /// The name stored and reported.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Copy => "copy",
            EventKind::Share => "share",
        }
    }
}

/// A copy or share beacon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// When, in milliseconds since the Unix epoch.
    pub at_ms: i64,
    /// The short code of the post.
    pub code: String,
    /// Copy or share.
    pub kind: EventKind,
    /// The ambassador id the hub's page sent, if the employee opted in.
    pub ambassador: Option<String>,
    /// The day's keyed hash of (IP, user agent, code and kind), so that a
    /// browser's beacons count once per code and day; `None` with DNT or GPC.
    pub visitor: Option<[u8; 16]>,
}

/// Milliseconds since the Unix epoch, now (read straight from the system
/// clock: it is taken for every click). A clock set before 1970 reads 0.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// An ambassador id as the hub's JavaScript makes them: 8 to 64 characters of
/// `[A-Za-z0-9_-]`. Anything else is refused, so nothing personal fits in.
pub fn is_ambassador_id(id: &str) -> bool {
    (8..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
