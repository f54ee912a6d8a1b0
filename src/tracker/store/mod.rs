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
//!
//! A click past its visitor's allowance (see `allowance`) is not a row: it
//! adds one to its hour's count in `click_counts`, so totals stay exact while
//! a flood takes a bounded room. Unique figures (visitors, copies and shares
//! counted once per browser, code and day) are rolled up the same way, each
//! in the hour of its first click or beacon of the day: the view
//! `hourly_unique`. A person counts once per day's visitor hash and link, and
//! every click or beacon without a hash (`DNT`, `Sec-GPC`) of one link and
//! day counts as one together, so that no client adds more than one by
//! sending them again (docs/tracker.md, "Public figures").

pub mod days;
mod postgres;
mod training;
pub use postgres::WRITER_APPLICATION_NAME;
pub(crate) use training::TRAINING_SQL;
pub use training::{GuideCount, PolicyCount, Training};
mod sqlite;

use std::fmt;

use async_trait::async_trait;
use serde::Serialize;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use super::click::{Click, Event, MilestoneEvent};
use super::display_name::DisplayName;
use crate::link::manifest::Link;
use crate::util::date::date_of_day;

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
    /// One row per day (`report`: in the hub's time zone; the API: UTC)
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
    /// The time zone days are in; UTC without one.
    pub zone: Option<chrono_tz::Tz>,
}

impl StatsQuery {
    /// The first instant counted (UTC ms): the start of `from_day` in the query's zone.
    pub fn from_ms(&self) -> Option<i64> {
        self.from_day.map(|d| days::start_ms(self.zone, date_of_day(d)))
    }

    /// The first instant after the figures (UTC ms): the end of `to_day` in the query's zone.
    pub fn until_ms(&self) -> Option<i64> {
        self.to_day.map(|d| days::start_ms(self.zone, date_of_day(d + 1)))
    }

    /// The SQL for the day number, in the query's zone, of the instant `ms`
    /// (a SQL expression in UTC milliseconds).
    pub fn day_sql(&self, ms: &str) -> String {
        let until = self.until_ms().unwrap_or_else(|| super::click::now_ms() + 2 * 86_400_000);
        days::day_sql(self.zone, ms, self.from_ms().unwrap_or(0), until)
    }
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

impl StatsRow {
    /// Rows added up into one, with an empty key. Visitors add up too: each
    /// row's are of other links (the visitor hash covers the link).
    pub fn total(rows: &[StatsRow]) -> StatsRow {
        let sum = |f: fn(&StatsRow) -> i64| rows.iter().map(f).sum();
        StatsRow {
            key: String::new(),
            clicks: sum(|r| r.clicks),
            visitors: sum(|r| r.visitors),
            bots: sum(|r| r.bots),
            copies: sum(|r| r.copies),
            shares: sum(|r| r.shares),
        }
    }
}

/// Public totals of one campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignTotals {
    /// The campaign id.
    pub campaign: String,
    /// Clicks by people (every request).
    pub clicks: i64,
    /// Shares from the hub (every beacon).
    pub shares: i64,
    /// Copies from the hub (every beacon).
    pub copies: i64,
    /// Unique visitors: people counted once per link and day (see the module's doc).
    pub visitors: i64,
    /// Shares counted once per browser, link and day.
    pub unique_shares: i64,
    /// Copies counted once per browser, link and day.
    pub unique_copies: i64,
}

/// The public totals of one ambassador id.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct AmbassadorTotals {
    /// Clicks by people on the id's links (every request).
    pub clicks: i64,
    /// Copies (every beacon).
    pub copies: i64,
    /// Shares (every beacon).
    pub shares: i64,
    /// Unique visitors of the id's links (see the module's doc).
    pub visitors: i64,
    /// Copies counted once per browser, link and day.
    pub unique_copies: i64,
    /// Shares counted once per browser, link and day.
    pub unique_shares: i64,
}

/// One line of the leaderboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeaderboardRow {
    /// The display name the ambassador chose.
    pub name: String,
    /// Clicks by people on the ambassador's links (every request).
    pub clicks: i64,
    /// Unique visitors of them (see the module's doc): what ranks.
    pub visitors: i64,
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

/// The clicks past their visitors' allowance in one hour, for the CSV export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountRow {
    /// The hour (since the Unix epoch).
    pub hour: i64,
    /// The short code.
    pub code: String,
    /// Its campaign.
    pub campaign: String,
    /// Its snippet.
    pub snippet: String,
    /// Its network.
    pub network: String,
    /// The ambassador id, or empty.
    pub ambassador: String,
    /// Bot or person.
    pub bot: bool,
    /// How many clicks.
    pub clicks: i64,
}

/// Where an export of [`CountRow`]s resumes: after (hour, code, ambassador, bot).
pub type CountKey = (i64, String, String, bool);

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
    /// Stores clicks, events and milestones in one transaction; blocks
    /// until it is durably committed.
    fn commit(&mut self, clicks: &[Click], events: &[Event], milestones: &[MilestoneEvent]) -> Result<()>;
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
    /// Guides completed and policy versions acknowledged between the
    /// query's days (its campaign and grouping do not apply).
    async fn training(&self, query: &StatsQuery) -> Result<Training>;
    /// The schema version applied, 0 for a database no tracker ever used; changes nothing.
    async fn schema_version(&self) -> Result<i64>;
    /// Every campaign id of the links ever loaded, sorted.
    async fn campaigns(&self) -> Result<Vec<String>>;
    /// Per-campaign public totals.
    async fn campaign_totals(&self) -> Result<Vec<CampaignTotals>>;
    /// Totals of one ambassador.
    async fn ambassador_totals(&self, id: &str) -> Result<AmbassadorTotals>;
    /// Up to `limit` raw clicks with an id above `after`, oldest first.
    async fn export_page(&self, after: i64, limit: i64) -> Result<Vec<ClickRow>>;
    /// Up to `limit` hourly counts of clicks past the allowance, after `after`.
    async fn export_counts(&self, after: Option<CountKey>, limit: i64) -> Result<Vec<CountRow>>;
    /// Joins the leaderboard under `name`, or leaves it with `None`; false
    /// (and nothing changed) when another id holds a name of the same key.
    async fn set_ambassador_name(&self, id: &str, name: Option<&DisplayName>) -> Result<bool>;
    /// The leaderboard: most unique visitors first, then most clicks.
    async fn leaderboard(&self, limit: i64) -> Result<Vec<LeaderboardRow>>;
}

/// The write probe of [`ClickStore::probe_write`], the same for both
/// backends: a salt row for day -1 (no real day) written and deleted in one
/// transaction. An `UPDATE` that changes nothing would not do: SQLite then
/// writes no page, and a full disk would go unseen. (`'probe'` is a blob to
/// SQLite and a `BYTEA` to PostgreSQL, where `X'…'` is a bit string.)
pub(crate) const PROBE_SQL: &str = "INSERT INTO salts (day, salt) VALUES (-1, 'probe'); DELETE FROM salts WHERE day = -1;";

/// The leaderboard query, the same for both backends (placeholder `{limit}`):
/// (name, clicks, visitors) of the ids that chose a name. The raw clicks are
/// read through the partial index on `ambassador` (hence `IS NOT NULL`).
pub(crate) const LEADERBOARD_SQL: &str = "SELECT a.name, CAST(COALESCE(c.clicks, 0) + COALESCE(n.clicks, 0) AS BIGINT) AS clicks,
            CAST(COALESCE(v.visitors, 0) AS BIGINT) AS visitors
     FROM ambassadors a
     LEFT JOIN (SELECT ambassador, COUNT(*) AS clicks FROM clicks
                WHERE ambassador IS NOT NULL AND bot = 0 AND ambassador IN (SELECT id FROM ambassadors) GROUP BY ambassador) c ON c.ambassador = a.id
     LEFT JOIN (SELECT ambassador, SUM(clicks) AS clicks FROM click_counts
                WHERE bot = 0 AND ambassador IN (SELECT id FROM ambassadors) GROUP BY ambassador) n ON n.ambassador = a.id
     LEFT JOIN (SELECT ambassador, COUNT(*) AS visitors FROM
                  (SELECT DISTINCT ambassador, code, at_ms / 86400000 AS day, visitor FROM clicks
                   WHERE ambassador IS NOT NULL AND bot = 0 AND ambassador IN (SELECT id FROM ambassadors)) seen
                GROUP BY ambassador) v ON v.ambassador = a.id
     ORDER BY visitors DESC, clicks DESC, a.name LIMIT {limit}";

/// One ambassador's totals (placeholder `{id}`): clicks, visitors, copies,
/// shares, unique copies, unique shares. `SELECT DISTINCT` takes the clicks
/// without a visitor hash of one link and day as one.
pub(crate) const AMBASSADOR_SQL: &str = "SELECT
       (SELECT COUNT(*) FROM clicks WHERE ambassador = {id} AND bot = 0)
         + (SELECT COALESCE(CAST(SUM(clicks) AS BIGINT), 0) FROM click_counts WHERE ambassador = {id} AND bot = 0),
       (SELECT COUNT(*) FROM (SELECT DISTINCT code, at_ms / 86400000 AS day, visitor FROM clicks WHERE ambassador = {id} AND bot = 0) v),
       (SELECT COUNT(*) FROM events WHERE ambassador = {id} AND kind = 'copy'),
       (SELECT COUNT(*) FROM events WHERE ambassador = {id} AND kind = 'share'),
       (SELECT COUNT(*) FROM (SELECT DISTINCT code, at_ms / 86400000 AS day, visitor FROM events WHERE ambassador = {id} AND kind = 'copy') c),
       (SELECT COUNT(*) FROM (SELECT DISTINCT code, at_ms / 86400000 AS day, visitor FROM events WHERE ambassador = {id} AND kind = 'share') s)";

/// The public totals per campaign, the same for both backends.
pub(crate) const CAMPAIGN_TOTALS_SQL: &str =
    "SELECT l.campaign, CAST(SUM(t.humans) AS BIGINT), CAST(SUM(t.shares) AS BIGINT), CAST(SUM(t.copies) AS BIGINT),
            CAST(SUM(t.visitors) AS BIGINT), CAST(SUM(t.unique_shares) AS BIGINT), CAST(SUM(t.unique_copies) AS BIGINT)
     FROM (SELECT code, humans, shares, copies, 0 AS visitors, 0 AS unique_shares, 0 AS unique_copies FROM hourly_totals
           UNION ALL SELECT code, 0, 0, 0, visitors, unique_shares, unique_copies FROM hourly_unique) t
     JOIN links l ON l.code = t.code GROUP BY l.campaign ORDER BY l.campaign";

/// A page of the hourly counts of clicks past the allowance, in key order,
/// after `(?1, ?2, ?3, ?4)` (hour, code, ambassador, bot), `?5` at most.
pub(crate) const EXPORT_COUNTS_SQL: &str = "SELECT n.hour, n.code, COALESCE(l.campaign, ''), COALESCE(l.snippet, ''), COALESCE(l.network, ''),
            n.ambassador, n.bot, n.clicks
     FROM click_counts n LEFT JOIN links l ON l.code = n.code
     WHERE (n.hour, n.code, n.ambassador, n.bot) > (?1, ?2, ?3, ?4)
     ORDER BY n.hour, n.code, n.ambassador, n.bot LIMIT ?5";

/// One hourly count of clicks past the allowance: (hour, code, ambassador or
/// `""`, bot) and how many.
pub(crate) type Aggregate<'a> = ((i64, &'a str, &'a str, bool), i64);

/// The clicks of a batch past their allowance, summed per hour, code,
/// ambassador and bot (one upsert each, and never two of one key in one
/// statement, which PostgreSQL refuses).
pub(crate) fn aggregates(clicks: &[Click]) -> Vec<Aggregate<'_>> {
    let mut counts = std::collections::BTreeMap::new();
    for c in clicks.iter().filter(|c| c.aggregate) {
        *counts.entry((c.at_ms.div_euclid(3_600_000), c.code.as_str(), c.ambassador.as_deref().unwrap_or(""), c.bot)).or_insert(0) += 1;
    }
    counts.into_iter().collect()
}

/// Opens the store a `--database` value names: a `postgres://` or
/// `postgresql://` URL, else a SQLite file path.
pub async fn open(database: &str) -> Result<std::sync::Arc<dyn ClickStore>> {
    if is_postgres(database) {
        Ok(std::sync::Arc::new(PostgresStore::connect(database).await?))
    } else {
        Ok(std::sync::Arc::new(SqliteStore::open(std::path::Path::new(database))?))
    }
}

/// Whether a `--database` value is a PostgreSQL URL (else a SQLite path).
pub fn is_postgres(database: &str) -> bool {
    database.starts_with("postgres://") || database.starts_with("postgresql://")
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
    // 5: no two ids hold the same display name in any capitals: the key of
    // a name (see `display_name`) is unique. Names chosen before get their
    // lower case as key (ASCII-only in SQLite); where two of them clash,
    // the later ids keep their names but not the key.
    "ALTER TABLE ambassadors ADD COLUMN name_key TEXT;
    UPDATE ambassadors SET name_key = LOWER(name)
        WHERE id = (SELECT MIN(a.id) FROM ambassadors a WHERE LOWER(a.name) = LOWER(ambassadors.name));
    UPDATE ambassadors SET name_key = 'id:' || id WHERE name_key IS NULL;
    CREATE UNIQUE INDEX ambassadors_name_key ON ambassadors (name_key);",
    // 6: honest public figures. Clicks past a visitor's allowance are counted
    // per hour instead of stored one by one (`click_counts`); beacons get the
    // day's visitor hash; hourly rollups gain the unique figures, each in the
    // hour of its first click or beacon of the day, computed here for the
    // hours already closed (one read of every raw row, once); the totals
    // views read the counts, and `hourly_unique` the unique figures. An
    // ambassador's totals read its events through an index, as its clicks.
    "CREATE TABLE click_counts (
        hour {bigint} NOT NULL,
        code TEXT NOT NULL,
        ambassador TEXT NOT NULL,
        bot SMALLINT NOT NULL,
        clicks {bigint} NOT NULL,
        PRIMARY KEY (hour, code, ambassador, bot)
    );
    ALTER TABLE events ADD COLUMN visitor {blob};
    CREATE INDEX events_ambassador ON events (ambassador) WHERE ambassador IS NOT NULL;
    ALTER TABLE hourly ADD COLUMN visitors {bigint} NOT NULL DEFAULT 0;
    ALTER TABLE hourly ADD COLUMN unique_copies {bigint} NOT NULL DEFAULT 0;
    ALTER TABLE hourly ADD COLUMN unique_shares {bigint} NOT NULL DEFAULT 0;
    UPDATE hourly SET visitors = f.visitors, unique_copies = f.unique_copies, unique_shares = f.unique_shares FROM (
        SELECT first_ms / 3600000 AS hour, code,
               SUM(CASE WHEN kind = 'click' THEN 1 ELSE 0 END) AS visitors,
               SUM(CASE WHEN kind = 'copy' THEN 1 ELSE 0 END) AS unique_copies,
               SUM(CASE WHEN kind = 'share' THEN 1 ELSE 0 END) AS unique_shares
        FROM (
            SELECT code, 'click' AS kind, MIN(at_ms) AS first_ms FROM clicks WHERE bot = 0
            GROUP BY code, at_ms / 86400000, visitor
          UNION ALL
            SELECT code, kind, MIN(at_ms) FROM events GROUP BY code, kind, at_ms / 86400000, visitor
        ) seen GROUP BY first_ms / 3600000, code
    ) f WHERE f.hour = hourly.hour AND f.code = hourly.code;
    DROP VIEW hourly_totals;
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
        GROUP BY at_ms / 3600000, code
    UNION ALL
        SELECT hour, code, CAST(SUM(clicks * (1 - bot)) AS {bigint}), CAST(SUM(clicks * bot) AS {bigint}), 0, 0 FROM click_counts
        WHERE hour >= (SELECT through_hour FROM rollup_state WHERE id = 1)
        GROUP BY hour, code;
    CREATE VIEW hourly_unique AS
        SELECT hour, code, visitors, unique_copies, unique_shares FROM hourly
        WHERE hour < (SELECT through_hour FROM rollup_state WHERE id = 1)
    UNION ALL
        SELECT first_ms / 3600000, code,
               SUM(CASE WHEN kind = 'click' THEN 1 ELSE 0 END),
               SUM(CASE WHEN kind = 'copy' THEN 1 ELSE 0 END),
               SUM(CASE WHEN kind = 'share' THEN 1 ELSE 0 END)
        FROM (
            SELECT code, 'click' AS kind, MIN(at_ms) AS first_ms FROM clicks
            WHERE bot = 0 AND at_ms >= ((SELECT through_hour FROM rollup_state WHERE id = 1) / 24) * 86400000
            GROUP BY code, at_ms / 86400000, visitor
          UNION ALL
            SELECT code, kind, MIN(at_ms) FROM events
            WHERE at_ms >= ((SELECT through_hour FROM rollup_state WHERE id = 1) / 24) * 86400000
            GROUP BY code, kind, at_ms / 86400000, visitor
        ) seen
        WHERE first_ms >= (SELECT through_hour FROM rollup_state WHERE id = 1) * 3600000
        GROUP BY first_ms / 3600000, code;",
    // 7: guides completed and policy versions acknowledged on the hub (the
    // `complete` and `ack` beacons, docs/tracker.md): few rows, read raw.
    "CREATE TABLE milestones (
        id {serial},
        at_ms {bigint} NOT NULL,
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        version TEXT NOT NULL,
        visitor {blob}
    );
    CREATE INDEX milestones_at ON milestones (at_ms);",
];

/// Recomputes the closed hours `[?1, ?2)` of `hourly` from the raw rows and
/// the counts (placeholders `{from}` and `{to}`): the old rows go, the sums
/// come back. The unique figures of an hour are those first seen in it that
/// day, so the clicks and beacons are read from the start of `{from}`'s day.
pub(crate) const ROLL_UP_SQL: [&str; 3] = [
    "DELETE FROM hourly WHERE hour >= {from} AND hour < {to}",
    "INSERT INTO hourly (hour, code, humans, bots, copies, shares, visitors, unique_copies, unique_shares)
     SELECT hour, code, SUM(humans), SUM(bots), SUM(copies), SUM(shares), SUM(visitors), SUM(unique_copies), SUM(unique_shares) FROM (
         SELECT at_ms / 3600000 AS hour, code, 1 - bot AS humans, bot AS bots, 0 AS copies, 0 AS shares,
                0 AS visitors, 0 AS unique_copies, 0 AS unique_shares FROM clicks
         WHERE at_ms >= {from} * 3600000 AND at_ms < {to} * 3600000
       UNION ALL
         SELECT at_ms / 3600000, code, 0, 0, CASE WHEN kind = 'copy' THEN 1 ELSE 0 END, CASE WHEN kind = 'share' THEN 1 ELSE 0 END, 0, 0, 0
         FROM events WHERE at_ms >= {from} * 3600000 AND at_ms < {to} * 3600000
       UNION ALL
         SELECT hour, code, clicks * (1 - bot), clicks * bot, 0, 0, 0, 0, 0 FROM click_counts WHERE hour >= {from} AND hour < {to}
       UNION ALL
         SELECT first_ms / 3600000, code, 0, 0, 0, 0,
                CASE WHEN kind = 'click' THEN 1 ELSE 0 END, CASE WHEN kind = 'copy' THEN 1 ELSE 0 END, CASE WHEN kind = 'share' THEN 1 ELSE 0 END
         FROM (
             SELECT code, 'click' AS kind, MIN(at_ms) AS first_ms FROM clicks
             WHERE bot = 0 AND at_ms >= ({from} / 24) * 86400000 AND at_ms < {to} * 3600000
             GROUP BY code, at_ms / 86400000, visitor
           UNION ALL
             SELECT code, kind, MIN(at_ms) FROM events
             WHERE at_ms >= ({from} / 24) * 86400000 AND at_ms < {to} * 3600000
             GROUP BY code, kind, at_ms / 86400000, visitor
         ) seen WHERE first_ms >= {from} * 3600000
     ) raw GROUP BY hour, code",
    "UPDATE rollup_state SET through_hour = {to} WHERE id = 1 AND through_hour = {from}",
];

/// `YYYY-MM-DD` of a day number.
pub fn day_label(day: i64) -> String {
    chrono::DateTime::from_timestamp(day * 86_400, 0).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_else(|| day.to_string())
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
