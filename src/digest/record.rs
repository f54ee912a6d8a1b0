//! What a day's digest has already been sent to, kept next to its files
//! (`sent-DATE.json`), so that running `chorus digest --send --post` again
//! for the same day sends only what failed the first time (docs/digest.md).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::diagnostics::Error;

/// Where a digest goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// The e-mail, over SMTP.
    Email,
    /// The Microsoft Teams webhook.
    Teams,
    /// The Slack webhook.
    Slack,
}

impl Channel {
    /// Its name in messages and the record.
    pub fn name(self) -> &'static str {
        match self {
            Channel::Email => "e-mail",
            Channel::Teams => "Teams",
            Channel::Slack => "Slack",
        }
    }
}

/// One delivery that succeeded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sent {
    /// The digest's language.
    pub lang: String,
    /// Where it went.
    pub channel: Channel,
    /// When, RFC 3339 in UTC.
    pub at: String,
}

/// The deliveries of one day's digest.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Record {
    /// The day.
    pub day: String,
    /// Every delivery that succeeded, in order.
    pub sent: Vec<Sent>,
    #[serde(skip)]
    path: PathBuf,
}

impl Record {
    /// The record's file for `day` in `dir`.
    pub fn path(dir: &Path, day: NaiveDate) -> PathBuf {
        dir.join(format!("sent-{}.json", day.format("%Y-%m-%d")))
    }

    /// Reads the record of `day` in `dir`; an empty one when there is none yet.
    pub fn load(dir: &Path, day: NaiveDate) -> Result<Record, Error> {
        let path = Record::path(dir, day);
        let mut record = match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str::<Record>(&text).map_err(|e| {
                Error::in_file(&path, format!("cannot read the record of what was sent: {e}"))
                    .with_help("fix the file, or delete it to send everything of that day again")
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Record { day: day.format("%Y-%m-%d").to_string(), ..Record::default() },
            Err(e) => return Err(Error::in_file(&path, format!("cannot read: {e}"))),
        };
        record.path = path;
        Ok(record)
    }

    /// Whether the digest in `lang` has gone to `channel`.
    pub fn has(&self, lang: &str, channel: Channel) -> bool {
        self.sent.iter().any(|s| s.lang == lang && s.channel == channel)
    }

    /// Notes a delivery and saves the record at once, so that a later failure cannot lose it.
    pub fn add(&mut self, lang: &str, channel: Channel) -> Result<(), Error> {
        let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        self.sent.push(Sent { lang: lang.to_string(), channel, at });
        let text = serde_json::to_string_pretty(self).unwrap_or_default() + "\n";
        write_whole(&self.path, text.as_bytes())
            .map_err(|e| Error::in_file(&self.path, format!("sent, but cannot write the record: {e}")).with_help("a retry would send it again"))
    }
}

/// Writes a file through a temporary one renamed over it: a crash leaves the old record or the new, never half of one.
fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(bytes)?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delivery_is_remembered_across_loads() {
        let dir = tempfile::tempdir().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let mut record = Record::load(dir.path(), day).unwrap();
        assert!(!record.has("fr", Channel::Email));
        record.add("fr", Channel::Email).unwrap();
        let again = Record::load(dir.path(), day).unwrap();
        assert!(again.has("fr", Channel::Email));
        assert!(!again.has("en", Channel::Email) && !again.has("fr", Channel::Slack));
        assert!(dir.path().join("sent-2026-12-02.json").is_file());
    }
}
