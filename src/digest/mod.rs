//! The daily digest (`chorus digest`): for a day and each language, the posts
//! to share that day as an e-mail, its HTML and text alone, a Microsoft Teams
//! card and a Slack message, written to a folder and optionally sent
//! (docs/digest.md). It reads a loaded [`crate::hub::Hub`], as the renderer does.

pub mod html;
pub mod mime;
pub mod model;
pub mod record;
pub mod send;
pub mod slack;
pub mod teams;
pub mod text;

use std::path::{Path, PathBuf};

use lettre::Message;

pub use model::{digests, Digest};

use crate::diagnostics::Error;

/// A digest with each of its formats, ready to write and send.
#[derive(Debug)]
pub struct Written {
    /// What it says.
    pub digest: Digest,
    /// The e-mail.
    pub message: Message,
    /// The e-mail's HTML part.
    pub html: String,
    /// The Teams webhook payload.
    pub teams: serde_json::Value,
    /// The Slack webhook payload.
    pub slack: serde_json::Value,
    /// The files written, in order.
    pub files: Vec<PathBuf>,
}

/// Writes the five files of a digest into `dir`: `digest-DATE.L.eml`,
/// `.html`, `.txt`, `teams-DATE.L.json` and `slack-DATE.L.json`.
pub fn write(digest: Digest, addresses: &mime::Addresses, host: &str, dir: &Path) -> Result<Written, Error> {
    let html = html::html(&digest);
    let text = text::text(&digest);
    let message = mime::message(&digest, addresses, host, text.clone(), html.clone())?;
    let teams = teams::message(&digest);
    let slack = slack::message(&digest);
    let stem = format!("{}.{}", digest.day.format("%Y-%m-%d"), digest.lang);
    let json = |v: &serde_json::Value| serde_json::to_string_pretty(v).unwrap_or_default().into_bytes();
    let outputs: [(String, Vec<u8>); 5] = [
        (format!("digest-{stem}.eml"), message.formatted()),
        (format!("digest-{stem}.html"), html.clone().into_bytes()),
        (format!("digest-{stem}.txt"), text.into_bytes()),
        (format!("teams-{stem}.json"), json(&teams)),
        (format!("slack-{stem}.json"), json(&slack)),
    ];
    std::fs::create_dir_all(dir).map_err(|e| Error::in_file(dir, format!("cannot create the digest folder: {e}")))?;
    let mut files = Vec::new();
    for (name, bytes) in outputs {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| Error::in_file(&path, format!("cannot write: {e}")))?;
        files.push(path);
    }
    Ok(Written { digest, message, html, teams, slack, files })
}
