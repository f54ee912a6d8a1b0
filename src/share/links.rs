//! The link manifest, `public/_chorus/links.json`: every short code and where it
//! redirects. The tracker loads it; these types are all it shares with the builder.

use serde::{Deserialize, Serialize};

use super::{Network, ShortCode};

/// Where the manifest is written, under the output folder.
pub const MANIFEST_PATH: &str = "_chorus/links.json";

/// The manifest's format version.
pub const VERSION: u32 = 1;

/// One short link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// The short code, `/c/{code}`.
    pub code: ShortCode,
    /// The UTM-tagged destination the code redirects to.
    pub url: String,
    /// The campaign id.
    pub campaign: String,
    /// The snippet id.
    pub snippet: String,
    /// The network the post is written for.
    pub network: Network,
    /// The campaign's title.
    pub title: String,
    /// The language of the campaign page (an addition to SPEC §6's fields).
    pub lang: String,
}

/// `links.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`VERSION`].
    pub version: u32,
    /// When the hub was built (RFC 3339).
    pub generated: String,
    /// Every link, sorted by code.
    pub links: Vec<Link>,
}
