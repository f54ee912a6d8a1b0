//! Where clicks live: one [`ClickStore`] trait, two real backends (SQLite by
//! default, PostgreSQL for several tracker instances), the same schema.
//!
//! Raw clicks and events are kept (without personal data). Hourly rollups per
//! link are computed after the fact, not in each click's transaction: once an
//! hour is closed (five minutes after it ends), [`ClickStore::roll_up`]
//! recomputes it from the raw rows. Totals read the view `hourly_totals`:
//! rolled-up hours, plus the raw rows of the hours not yet closed (at most an
//! hour or so of clicks), so they are exact at once and stay fast on millions
//! of clicks. A click is committed within [`MAX_COMMIT_DELAY_MS`] of its
//! request or not at all, so no click can land in an hour already closed.

mod postgres;
pub use postgres::WRITER_APPLICATION_NAME;
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

/// How long after its request a click may still be committed: older ones
/// fail (the request gets a `503`) rather than land in a closed hour.
pub const MAX_COMMIT_DELAY_MS: i64 = 60_000;

/// How long after an hour ends it is closed and rolled up; far more than
/// [`MAX_COMMIT_DELAY_MS`], which leaves room for clock skew between instances.
pub const CLOSE_HOUR_AFTER_MS: i64 = 5 * 60_000;

/// The last hour that may be closed at `now_ms` (hours since the Unix epoch):
/// every hour before the returned one is closed.
pub fn closable_through(now_ms: i64) -> i64 {
    (now_ms - CLOSE_HOUR_AFTER_MS).div_euclid(3_600_000)
}

/// What the tracker's single writer thread commits through.
pub trait Committer: Send {
    /// Stores clicks and events in one transaction; blocks until it is
    /// durably committed.
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
    /// stores batches of clicks and events, each in one transaction.
    async fn committers(&self) -> Result<Vec<Box<dyn Committer>>>;
    /// Closes the hours that ended [`CLOSE_HOUR_AFTER_MS`] before `now_ms`:
    /// their rollups are recomputed from the raw clicks and events, in one
    /// transaction. Safe to run from several instances at once. Returns the
    /// number of hours closed.
    async fn roll_up(&self, now_ms: i64) -> Result<i64>;
    /// The salt of `day`, created if needed; older salts are destroyed.
    async fn salt(&self, day: i64) -> Result<[u8; 32]>;
    /// Destroys the salts of the days before `today`, whether or not a click
    /// came since: a day's salt must not outlive its day.
    async fn forget_salts(&self, today: i64) -> Result<()>;
    /// Whether the database answers.
    async fn ping(&self) -> Result<()>;
    /// Whether the database takes a write now: one transaction that writes
    /// and commits (see [`PROBE_SQL`]), leaving no data behind.
    async fn probe_write(&self) -> Result<()>;
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

/// The write probe of [`ClickStore::probe_write`], the same for both
/// backends: a salt row for day -1 (no real day) written and deleted in one
/// transaction. An `UPDATE` that changes nothing would not do: SQLite then
/// writes no page, and a full disk would go unseen. (`'probe'` is a blob to
/// SQLite and a `BYTEA` to PostgreSQL, where `X'…'` is a bit string.)
pub(crate) const PROBE_SQL: &str = "INSERT INTO salts (day, salt) VALUES (-1, 'probe'); DELETE FROM salts WHERE day = -1;";

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
/// (`{bigint}`, `{blob}`, `{serial}` and `{now_hour}` filled in per backend).
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
    // 4: rollups after the fact. The hours before `through_hour` are in
    // `hourly`, the later ones are summed from the raw rows. Until now the
    // rollups were kept up to date with every click, so every hour before the
    // current one is already complete.
    "CREATE TABLE rollup_state (
        id SMALLINT PRIMARY KEY,
        through_hour {bigint} NOT NULL
    );
    INSERT INTO rollup_state (id, through_hour) VALUES (1, {now_hour});
    CREATE INDEX events_at ON events (at_ms);
    CREATE VIEW hourly_totals AS
        SELECT hour, code, humans, bots, copies, shares FROM hourly
        WHERE hour < (SELECT through_hour FROM rollup_state WHERE id = 1)
    UNION ALL
        SELECT at_ms / 3600000, code, SUM(1 - bot), SUM(bot), 0, 0 FROM clicks
        WHERE at_ms >= (SELECT through_hour FROM rollup_state WHERE id = 1) * 3600000
        GROUP BY at_ms / 3600000, code
    UNION ALL
        SELECT at_ms / 3600000, code, 0, 0, SUM(CASE WHEN kind = 'copy' THEN 1 ELSE 0 END),
               SUM(CASE WHEN kind = 'share' THEN 1 ELSE 0 END) FROM events
        WHERE at_ms >= (SELECT through_hour FROM rollup_state WHERE id = 1) * 3600000
        GROUP BY at_ms / 3600000, code;",
];

/// Recomputes the closed hours `[?1, ?2)` of `hourly` from the raw rows
/// (placeholders `{from}` and `{to}`): the old rows go, the sums come back.
pub(crate) const ROLL_UP_SQL: [&str; 3] = [
    "DELETE FROM hourly WHERE hour >= {from} AND hour < {to}",
    "INSERT INTO hourly (hour, code, humans, bots, copies, shares)
     SELECT hour, code, SUM(humans), SUM(bots), SUM(copies), SUM(shares) FROM (
         SELECT at_ms / 3600000 AS hour, code, 1 - bot AS humans, bot AS bots, 0 AS copies, 0 AS shares FROM clicks
         WHERE at_ms >= {from} * 3600000 AND at_ms < {to} * 3600000
       UNION ALL
         SELECT at_ms / 3600000, code, 0, 0, CASE WHEN kind = 'copy' THEN 1 ELSE 0 END, CASE WHEN kind = 'share' THEN 1 ELSE 0 END
         FROM events WHERE at_ms >= {from} * 3600000 AND at_ms < {to} * 3600000
     ) raw GROUP BY hour, code",
    "UPDATE rollup_state SET through_hour = {to} WHERE id = 1 AND through_hour = {from}",
];

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
