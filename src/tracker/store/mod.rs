//! Where clicks live: one [`ClickStore`] trait, two real backends (SQLite by
//! default, PostgreSQL for several tracker instances), the same schema.
//!
//! Raw clicks and events are kept (without personal data), and hourly rollups
//! per link are updated in the same transaction, so totals stay fast on
//! millions of clicks.

mod postgres;
mod sqlite;

use std::fmt;

use async_trait::async_trait;
use serde::Serialize;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use super::click::{Click, Event};
use crate::share::Link;

/// A storage failure, with what was being done.
#[derive(Debug, Clone)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

/// Results of the store.
pub type Result<T> = std::result::Result<T, StoreError>;

/// How stats are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    /// One row per day (UTC).
    #[default]
    Day,
    /// One row per network.
    Network,
    /// One row per snippet.
    Snippet,
    /// One row per campaign.
    Campaign,
}

/// What to report on.
#[derive(Debug, Clone, Default)]
pub struct StatsQuery {
    /// One campaign, or all.
    pub campaign: Option<String>,
    /// From this day (UTC, included), as days since the Unix epoch.
    pub from_day: Option<i64>,
    /// Up to this day (UTC, included).
    pub to_day: Option<i64>,
    /// The grouping.
    pub by: GroupBy,
}

/// One row of stats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatsRow {
    /// The day (`YYYY-MM-DD`), network, snippet or campaign.
    pub key: String,
    /// Clicks by people.
    pub clicks: i64,
    /// Distinct visitors (people who allowed counting: no DNT/GPC).
    pub visitors: i64,
    /// Clicks by bots, link previews and prefetches.
    pub bots: i64,
    /// Copies from the hub.
    pub copies: i64,
    /// Shares from the hub.
    pub shares: i64,
}

/// Public totals of one campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignTotals {
    /// The campaign id.
    pub campaign: String,
    /// Clicks by people.
    pub clicks: i64,
    /// Shares from the hub.
    pub shares: i64,
    /// Copies from the hub.
    pub copies: i64,
}

/// One raw click, for the CSV export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClickRow {
    /// Row id (the export pages on it).
    pub id: i64,
    /// Milliseconds since the Unix epoch.
    pub at_ms: i64,
    /// The short code.
    pub code: String,
    /// Its campaign, snippet and network.
    pub campaign: String,
    /// The snippet.
    pub snippet: String,
    /// The network.
    pub network: String,
    /// Bot or person.
    pub bot: bool,
    /// Whether the visitor hash was kept (no DNT/GPC).
    pub counted_visitor: bool,
    /// From an ambassador link.
    pub ambassador: bool,
}

/// What the tracker's single writer thread commits through.
pub trait Committer: Send {
    /// Stores clicks and events and updates the rollups, in one transaction;
    /// blocks until it is durably committed.
    fn commit(&mut self, clicks: &[Click], events: &[Event]) -> Result<()>;
}

/// The storage of a tracker.
#[async_trait]
pub trait ClickStore: Send + Sync + fmt::Debug {
    /// Runs the migrations not yet applied; returns the schema version.
    async fn migrate(&self) -> Result<i64>;
    /// Adds new links and updates changed ones; never deletes.
    async fn upsert_links(&self, links: &[Link]) -> Result<()>;
    /// Every link ever loaded: (code, url).
    async fn links(&self) -> Result<Vec<(String, String)>>;
    /// The committers of the writer threads, one thread each: every one
    /// stores batches of clicks and events, each with its rollups, in one
    /// transaction.
    async fn committers(&self) -> Result<Vec<Box<dyn Committer>>>;
    /// The salt of `day`, created if needed; older salts are destroyed.
    async fn salt(&self, day: i64) -> Result<[u8; 32]>;
    /// Whether the database answers.
    async fn ping(&self) -> Result<()>;
    /// Stats rows.
    async fn stats(&self, query: &StatsQuery) -> Result<Vec<StatsRow>>;
    /// Per-campaign public totals.
    async fn campaign_totals(&self) -> Result<Vec<CampaignTotals>>;
    /// Totals of one ambassador: (clicks, copies, shares).
    async fn ambassador_totals(&self, id: &str) -> Result<(i64, i64, i64)>;
    /// Up to `limit` raw clicks with an id above `after`, oldest first.
    async fn export_page(&self, after: i64, limit: i64) -> Result<Vec<ClickRow>>;
    /// Joins the leaderboard under `name`, or leaves it with `None`.
    async fn set_ambassador_name(&self, id: &str, name: Option<&str>) -> Result<()>;
    /// The leaderboard: (display name, clicks by people), most clicks first.
    async fn leaderboard(&self, limit: i64) -> Result<Vec<(String, i64)>>;
}

/// The leaderboard query, the same for both backends (placeholder `{limit}`).
pub(crate) const LEADERBOARD_SQL: &str = "SELECT a.name, COUNT(c.id) AS clicks FROM ambassadors a
     LEFT JOIN clicks c ON c.ambassador = a.id AND c.bot = 0
     GROUP BY a.id, a.name ORDER BY clicks DESC, a.name LIMIT {limit}";

/// Opens the store a `--database` value names: a `postgres://` or
/// `postgresql://` URL, else a SQLite file path.
pub async fn open(database: &str) -> Result<std::sync::Arc<dyn ClickStore>> {
    if database.starts_with("postgres://") || database.starts_with("postgresql://") {
        Ok(std::sync::Arc::new(PostgresStore::connect(database).await?))
    } else {
        Ok(std::sync::Arc::new(SqliteStore::open(std::path::Path::new(database))?))
    }
}

/// The schema, one migration per version, in a dialect-neutral subset of SQL
/// (`{bigint}`, `{blob}` and `{serial}` filled in per backend).
pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: links, raw clicks and events, hourly rollups, daily salts.
    "CREATE TABLE links (
        code TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        campaign TEXT NOT NULL,
        snippet TEXT NOT NULL,
        network TEXT NOT NULL,
        title TEXT NOT NULL,
        lang TEXT NOT NULL,
        updated_ms {bigint} NOT NULL
    );
    CREATE TABLE clicks (
        id {serial},
        at_ms {bigint} NOT NULL,
        code TEXT NOT NULL,
        ambassador TEXT,
        bot SMALLINT NOT NULL,
        visitor {blob}
    );
    CREATE INDEX clicks_code_at ON clicks (code, at_ms);
    CREATE INDEX clicks_ambassador ON clicks (ambassador) WHERE ambassador IS NOT NULL;
    CREATE TABLE events (
        id {serial},
        at_ms {bigint} NOT NULL,
        code TEXT NOT NULL,
        kind TEXT NOT NULL,
        ambassador TEXT
    );
    CREATE INDEX events_code_at ON events (code, at_ms);
    CREATE TABLE hourly (
        hour {bigint} NOT NULL,
        code TEXT NOT NULL,
        humans {bigint} NOT NULL DEFAULT 0,
        bots {bigint} NOT NULL DEFAULT 0,
        copies {bigint} NOT NULL DEFAULT 0,
        shares {bigint} NOT NULL DEFAULT 0,
        PRIMARY KEY (hour, code)
    );
    CREATE TABLE salts (
        day {bigint} PRIMARY KEY,
        salt {blob} NOT NULL
    );",
    // 2: the opt-in leaderboard: only ambassadors who chose a display name appear.
    "CREATE TABLE ambassadors (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        updated_ms {bigint} NOT NULL
    );",
    // 3: clicks indexed by time, not by (code, time). Clicks arrive in time
    // order, so each commit touches only the index's last page instead of one
    // page per code; every query on raw clicks filters on time or ambassador.
    "DROP INDEX clicks_code_at;
    CREATE INDEX clicks_at ON clicks (at_ms);",
];

/// Rollup increments of one batch: (hour, code) → (humans, bots, copies, shares).
pub(crate) fn rollups(clicks: &[Click], events: &[Event]) -> Vec<(i64, String, [i64; 4])> {
    let mut map: std::collections::BTreeMap<(i64, &str), [i64; 4]> = std::collections::BTreeMap::new();
    for c in clicks {
        let entry = map.entry((c.at_ms.div_euclid(3_600_000), &c.code)).or_default();
        entry[usize::from(c.bot)] += 1;
    }
    for e in events {
        let entry = map.entry((e.at_ms.div_euclid(3_600_000), &e.code)).or_default();
        entry[if e.kind == super::click::EventKind::Copy { 2 } else { 3 }] += 1;
    }
    map.into_iter().map(|((h, c), v)| (h, c.to_string(), v)).collect()
}

/// `YYYY-MM-DD` of a day number.
pub fn day_label(day: i64) -> String {
    chrono::DateTime::from_timestamp(day * 86_400, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| day.to_string())
}

/// The SQL column a grouping groups on (links are aliased `l`, rollups `h`).
pub(crate) fn group_column(by: GroupBy, time_column: &str) -> String {
    match by {
        GroupBy::Day => format!("({time_column})"),
        GroupBy::Network => "l.network".into(),
        GroupBy::Snippet => "l.snippet".into(),
        GroupBy::Campaign => "l.campaign".into(),
    }
}
