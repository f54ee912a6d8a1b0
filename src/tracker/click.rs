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

/// What a browser finished on the hub: a guide, or reading a policy version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Milestone {
    /// Every module of a guide done (`{"event":"complete","guide":…}`).
    Complete {
        /// The guide's id (docs/links-json.md, `guides`).
        guide: String,
    },
    /// A policy version acknowledged (`{"event":"ack","policy":…,"version":…}`).
    Ack {
        /// The policy's id (docs/links-json.md, `policies`).
        policy: String,
        /// The version read.
        version: String,
    },
}

impl Milestone {
    /// The kind stored: `complete` or `ack`.
    pub fn kind(&self) -> &'static str {
        match self {
            Milestone::Complete { .. } => "complete",
            Milestone::Ack { .. } => "ack",
        }
    }

    /// What it is about: the guide or the policy.
    pub fn subject(&self) -> &str {
        match self {
            Milestone::Complete { guide } => guide,
            Milestone::Ack { policy, .. } => policy,
        }
    }

    /// The policy version; empty for a guide.
    pub fn version(&self) -> &str {
        match self {
            Milestone::Complete { .. } => "",
            Milestone::Ack { version, .. } => version,
        }
    }
}

/// A guide completed or a policy version acknowledged, as stored: no id,
/// no address, only the day's visitor hash that counts a browser once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MilestoneEvent {
    /// When, in milliseconds since the Unix epoch.
    pub at_ms: i64,
    /// What was finished.
    pub milestone: Milestone,
    /// The day's keyed hash of (IP, user agent, what was finished), so that
    /// a browser counts once per day; `None` with DNT or GPC.
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
