//! Guides completed and policy versions acknowledged (the hub's `complete`
//! and `ack` beacons, docs/beacons.md), as the store reads them: raw rows of
//! `milestones`, a browser counted once per guide or version and day.

use serde::Serialize;

/// Guides completed and policy versions acknowledged over a period: each
/// browser once per guide (or version) and day, those without a hash of one
/// day as one, as the public figures count (docs/tracker.md, "Public figures").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Training {
    /// Completions per guide, by guide id.
    pub guides: Vec<GuideCount>,
    /// Acknowledgements per policy version, by policy id then version.
    pub policies: Vec<PolicyCount>,
}

/// How many browsers completed one guide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuideCount {
    /// The guide's id.
    pub guide: String,
    /// Completions.
    pub completions: i64,
}

/// How many browsers acknowledged one version of a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyCount {
    /// The policy's id.
    pub policy: String,
    /// The version.
    pub version: String,
    /// Acknowledgements.
    pub acknowledgements: i64,
}

impl Training {
    /// Sorts `(kind, subject, version, count)` rows, as [`TRAINING_SQL`]
    /// reads them, into guides and policies.
    pub(crate) fn from_rows(rows: impl IntoIterator<Item = (String, String, String, i64)>) -> Training {
        let mut training = Training::default();
        for (kind, subject, version, count) in rows {
            match kind.as_str() {
                "complete" => training.guides.push(GuideCount { guide: subject, completions: count }),
                "ack" => training.policies.push(PolicyCount { policy: subject, version, acknowledgements: count }),
                _ => {}
            }
        }
        training
    }
}

/// The milestones of a period (placeholders `{from}` and `{until}`, UTC ms,
/// either `NULL`): (kind, subject, version, count), a browser counted once
/// per day, and those without a hash of one day as one.
pub(crate) const TRAINING_SQL: &str = "SELECT kind, subject, version, COUNT(*) FROM (
         SELECT DISTINCT kind, subject, version, at_ms / 86400000 AS day, visitor FROM milestones
         WHERE ({from} IS NULL OR at_ms >= {from}) AND ({until} IS NULL OR at_ms < {until})
     ) m GROUP BY kind, subject, version ORDER BY kind, subject, version";
