//! The SQLite backend: one file, WAL, full sync, versioned migrations.
//!
//! One connection writes (the tracker's single writer), another reads, so
//! stats queries never wait behind a commit.

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};

use async_trait::async_trait;
use rusqlite::{params, Connection, TransactionBehavior};

use super::{
    group_column, AmbassadorTotals, CampaignTotals, ClickRow, ClickStore, Committer, CountKey, CountRow, LeaderboardRow, Result, StatsQuery,
    StatsRow, StoreError, Training, MIGRATIONS, TRAINING_SQL,
};
use crate::link::manifest::Link;
use crate::tracker::click::{Click, Event, MilestoneEvent};
use crate::tracker::display_name::DisplayName;

/// A tracker database in a SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    path: PathBuf,
    write: Arc<Mutex<Connection>>,
    read: Arc<Mutex<Connection>>,
}

/// The writer thread's connection.
struct SqliteCommitter(Connection);

impl Committer for SqliteCommitter {
    fn commit(&mut self, clicks: &[Click], events: &[Event], milestones: &[MilestoneEvent]) -> Result<()> {
        // IMMEDIATE: takes the write lock at once, waiting (busy_timeout)
        // while a roll-up holds it.
        let tx = self.0.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err("cannot start a transaction"))?;
        {
            let rows: Vec<&Click> = clicks.iter().filter(|c| !c.aggregate).collect();
            insert_clicks(&tx, &rows)?;
            let mut count = tx
                .prepare_cached(
                    "INSERT INTO click_counts (hour, code, ambassador, bot, clicks) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (hour, code, ambassador, bot) DO UPDATE SET clicks = click_counts.clicks + excluded.clicks",
                )
                .map_err(err("cannot prepare the click count"))?;
            for ((hour, code, ambassador, bot), n) in super::aggregates(clicks) {
                count.execute(params![hour, code, ambassador, i64::from(bot), n]).map_err(err("cannot count clicks"))?;
            }
            let mut insert = tx
                .prepare_cached("INSERT INTO events (at_ms, code, kind, ambassador, visitor) VALUES (?1, ?2, ?3, ?4, ?5)")
                .map_err(err("cannot prepare the event insert"))?;
            for e in events {
                insert
                    .execute(params![e.at_ms, e.code, e.kind.as_str(), e.ambassador, e.visitor.as_ref().map(|v| &v[..])])
                    .map_err(err("cannot store an event"))?;
            }
            if !milestones.is_empty() {
                let mut insert = tx
                    .prepare_cached("INSERT INTO milestones (at_ms, kind, subject, version, visitor) VALUES (?1, ?2, ?3, ?4, ?5)")
                    .map_err(err("cannot prepare the milestone insert"))?;
                for m in milestones {
                    let (kind, subject, version) = (m.milestone.kind(), m.milestone.subject(), m.milestone.version());
                    insert
                        .execute(params![m.at_ms, kind, subject, version, m.visitor.as_ref().map(|v| &v[..])])
                        .map_err(err("cannot store a milestone"))?;
                }
            }
        }
        tx.commit().map_err(err("cannot commit clicks"))
    }
}

/// Rows per click `INSERT`, largest first. A batch goes in as a few
/// multi-row statements (14 clicks: 8 + 4 + 2), each prepared once and
/// cached: the writer spends about a fifth less user CPU per click than
/// with one statement per click.
const ROWS_PER_INSERT: [usize; 6] = [32, 16, 8, 4, 2, 1];

/// `INSERT INTO clicks … VALUES (…), (…)` for each of [`ROWS_PER_INSERT`].
static CLICK_INSERTS: LazyLock<[String; 6]> = LazyLock::new(|| {
    ROWS_PER_INSERT
        .map(|rows| format!("INSERT INTO clicks (at_ms, code, ambassador, bot, visitor) VALUES {}", vec!["(?, ?, ?, ?, ?)"; rows].join(", ")))
});

/// The statement cache holds every click insert, plus room for the rest.
const STATEMENT_CACHE: usize = 32;

fn insert_clicks(tx: &rusqlite::Transaction<'_>, mut clicks: &[&Click]) -> Result<()> {
    let unbound = err("cannot bind a click");
    for (rows, sql) in ROWS_PER_INSERT.iter().zip(CLICK_INSERTS.iter()) {
        while clicks.len() >= *rows {
            let (chunk, rest) = clicks.split_at(*rows);
            let mut insert = tx.prepare_cached(sql).map_err(err("cannot prepare the click insert"))?;
            for (i, c) in chunk.iter().enumerate() {
                let at = i * 5;
                insert.raw_bind_parameter(at + 1, c.at_ms).map_err(&unbound)?;
                insert.raw_bind_parameter(at + 2, &c.code).map_err(&unbound)?;
                insert.raw_bind_parameter(at + 3, &c.ambassador).map_err(&unbound)?;
                insert.raw_bind_parameter(at + 4, i64::from(c.bot)).map_err(&unbound)?;
                insert.raw_bind_parameter(at + 5, c.visitor.as_ref().map(|v| &v[..])).map_err(&unbound)?;
            }
            insert.raw_execute().map_err(err("cannot store clicks"))?;
            clicks = rest;
        }
    }
    Ok(())
}

fn err(what: &str) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |e| StoreError(format!("SQLite: {what}: {e}"))
}

fn connect(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path).map_err(err("cannot open the database"))?;
    // WAL lets readers run beside the writer. With `synchronous = FULL` (the
    // default) every commit is fsynced and survives a power cut; `NORMAL`
    // (CHORUS_SQLITE_SYNC=normal) survives a crash of the tracker, not of the
    // machine, for several times the throughput on slow disks.
    let sync = match std::env::var("CHORUS_SQLITE_SYNC").as_deref() {
        Ok("normal") => "NORMAL",
        _ => "FULL",
    };
    conn.execute_batch(&format!("PRAGMA journal_mode = WAL; PRAGMA synchronous = {sync}; PRAGMA busy_timeout = 5000;"))
        .map_err(err("cannot configure the database"))?;
    Ok(conn)
}

/// A migration in SQLite's words.
fn dialect(migration: &str) -> String {
    migration
        .replace("{bigint}", "INTEGER")
        .replace("{blob}", "BLOB")
        .replace("{serial}", "INTEGER PRIMARY KEY")
        .replace("{now_hour}", "(CAST(strftime('%s', 'now') AS INTEGER) / 3600)")
}

impl SqliteStore {
    /// Opens (or creates) the database file.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let write = connect(path)?;
        let read = connect(path)?;
        Ok(SqliteStore { path: path.to_path_buf(), write: Arc::new(Mutex::new(write)), read: Arc::new(Mutex::new(read)) })
    }

    async fn with<T: Send + 'static>(conn: &Arc<Mutex<Connection>>, f: impl FnOnce(&mut Connection) -> Result<T> + Send + 'static) -> Result<T> {
        let conn = conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().map_err(|_| StoreError("SQLite: connection poisoned".into()))?;
            f(&mut guard)
        })
        .await
        .map_err(|e| StoreError(format!("SQLite: task failed: {e}")))?
    }
}

#[async_trait]
impl ClickStore for SqliteStore {
    async fn migrate(&self) -> Result<i64> {
        Self::with(&self.write, |conn| {
            conn.execute_batch("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL)")
                .map_err(err("cannot create the migrations table"))?;
            let current: i64 = conn
                .query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], |r| r.get(0))
                .map_err(err("cannot read the schema version"))?;
            for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
                let version = i as i64 + 1;
                let sql = dialect(sql);
                let tx = conn.transaction().map_err(err("cannot start a migration"))?;
                tx.execute_batch(&sql).map_err(err("migration failed"))?;
                tx.execute("INSERT INTO schema_migrations (version, applied_ms) VALUES (?1, ?2)", params![version, crate::tracker::click::now_ms()])
                    .map_err(err("cannot record the migration"))?;
                tx.commit().map_err(err("cannot commit the migration"))?;
            }
            Ok(MIGRATIONS.len() as i64)
        })
        .await
    }

    async fn upsert_links(&self, links: &[Link]) -> Result<()> {
        let links = links.to_vec();
        Self::with(&self.write, move |conn| {
            let tx = conn.transaction().map_err(err("cannot start a transaction"))?;
            {
                let mut stmt = tx
                    .prepare_cached(
                        "INSERT INTO links (code, url, campaign, snippet, network, title, lang, updated_ms)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                         ON CONFLICT (code) DO UPDATE SET url = excluded.url, campaign = excluded.campaign,
                           snippet = excluded.snippet, network = excluded.network, title = excluded.title,
                           lang = excluded.lang, updated_ms = excluded.updated_ms",
                    )
                    .map_err(err("cannot prepare the link upsert"))?;
                let now = crate::tracker::click::now_ms();
                for l in &links {
                    stmt.execute(params![l.code.as_str(), l.url, l.campaign, l.snippet, l.network.id(), l.title, l.lang, now])
                        .map_err(err("cannot store a link"))?;
                }
            }
            tx.commit().map_err(err("cannot commit the links"))
        })
        .await
    }

    async fn links(&self) -> Result<Vec<(String, String)>> {
        Self::with(&self.read, |conn| {
            let mut stmt = conn.prepare_cached("SELECT code, url FROM links").map_err(err("cannot read links"))?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).map_err(err("cannot read links"))?;
            rows.collect::<std::result::Result<Vec<_>, _>>().map_err(err("cannot read links"))
        })
        .await
    }

    async fn committers(&self) -> Result<Vec<Box<dyn Committer>>> {
        // SQLite has one writer at a time; it gets a connection of its own,
        // so it never waits on a mutex or hops through the blocking pool.
        let connection = connect(&self.path)?;
        connection.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(vec![Box::new(SqliteCommitter(connection))])
    }

    async fn roll_up(&self, now_ms: i64) -> Result<i64> {
        Self::with(&self.write, move |conn| {
            // IMMEDIATE: the write lock first, so the writer thread waits
            // (busy_timeout) rather than this transaction failing halfway.
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err("cannot start the roll-up"))?;
            let from: i64 =
                tx.query_row("SELECT through_hour FROM rollup_state WHERE id = 1", [], |r| r.get(0)).map_err(err("cannot read the roll-up state"))?;
            let to = super::closable_through(now_ms);
            if to <= from {
                return Ok(0);
            }
            for sql in super::ROLL_UP_SQL {
                tx.execute(&sql.replace("{from}", "?1").replace("{to}", "?2"), params![from, to]).map_err(err("cannot roll up"))?;
            }
            tx.commit().map_err(err("cannot commit the roll-up"))?;
            Ok(to - from)
        })
        .await
    }

    async fn salt(&self, day: i64) -> Result<[u8; 32]> {
        Self::with(&self.write, move |conn| {
            let fresh: [u8; 32] = rand::random();
            let tx = conn.transaction().map_err(err("cannot start a transaction"))?;
            tx.execute("DELETE FROM salts WHERE day < ?1", params![day]).map_err(err("cannot destroy old salts"))?;
            tx.execute("INSERT INTO salts (day, salt) VALUES (?1, ?2) ON CONFLICT (day) DO NOTHING", params![day, fresh.to_vec()])
                .map_err(err("cannot store the salt"))?;
            let salt: Vec<u8> =
                tx.query_row("SELECT salt FROM salts WHERE day = ?1", params![day], |r| r.get(0)).map_err(err("cannot read the salt"))?;
            tx.commit().map_err(err("cannot commit the salt"))?;
            salt.try_into().map_err(|_| StoreError("SQLite: a salt is not 32 bytes".into()))
        })
        .await
    }

    async fn forget_salts(&self, today: i64) -> Result<()> {
        Self::with(&self.write, move |conn| {
            conn.execute("DELETE FROM salts WHERE day < ?1", params![today]).map(drop).map_err(err("cannot destroy old salts"))
        })
        .await
    }

    async fn probe_write(&self) -> Result<()> {
        Self::with(&self.write, |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err("write probe"))?;
            tx.execute_batch(super::PROBE_SQL).map_err(err("write probe"))?;
            tx.commit().map_err(err("write probe"))
        })
        .await
    }

    async fn ping(&self) -> Result<()> {
        Self::with(&self.read, |conn| conn.query_row("SELECT 1", [], |_| Ok(())).map_err(err("ping"))).await
    }

    async fn stats(&self, query: &StatsQuery) -> Result<Vec<StatsRow>> {
        let q = query.clone();
        let (from, until) = (q.from_ms(), q.until_ms());
        Self::with(&self.read, move |conn| {
            let totals_sql = format!(
                "SELECT {g} AS k, SUM(h.humans), SUM(h.bots), SUM(h.copies), SUM(h.shares)
                 FROM hourly_totals h JOIN links l ON l.code = h.code
                 WHERE (?1 IS NULL OR l.campaign = ?1) AND (?2 IS NULL OR h.hour * 3600000 >= ?2) AND (?3 IS NULL OR h.hour * 3600000 < ?3)
                 GROUP BY k ORDER BY k",
                g = group_column(q.by, &q.day_sql("h.hour * 3600000"))
            );
            let visitors_sql = format!(
                "SELECT {g} AS k, COUNT(DISTINCT c.visitor) FROM clicks c JOIN links l ON l.code = c.code
                 WHERE c.bot = 0 AND c.visitor IS NOT NULL AND (?1 IS NULL OR l.campaign = ?1)
                   AND (?2 IS NULL OR c.at_ms >= ?2) AND (?3 IS NULL OR c.at_ms < ?3)
                 GROUP BY k",
                g = group_column(q.by, &q.day_sql("c.at_ms"))
            );
            let key = |r: &rusqlite::Row| -> rusqlite::Result<String> {
                Ok(match r.get_ref(0)? {
                    rusqlite::types::ValueRef::Integer(day) => super::day_label(day),
                    other => other.as_str().unwrap_or_default().to_string(),
                })
            };
            let mut visitors = std::collections::HashMap::new();
            let mut stmt = conn.prepare(&visitors_sql).map_err(err("cannot prepare stats"))?;
            let rows = stmt.query_map(params![q.campaign, from, until], |r| Ok((key(r)?, r.get::<_, i64>(1)?))).map_err(err("cannot read stats"))?;
            for row in rows {
                let (k, v) = row.map_err(err("cannot read stats"))?;
                visitors.insert(k, v);
            }
            let mut stmt = conn.prepare(&totals_sql).map_err(err("cannot prepare stats"))?;
            let rows = stmt
                .query_map(params![q.campaign, from, until], |r| {
                    Ok(StatsRow { key: key(r)?, clicks: r.get(1)?, visitors: 0, bots: r.get(2)?, copies: r.get(3)?, shares: r.get(4)? })
                })
                .map_err(err("cannot read stats"))?;
            let mut out = Vec::new();
            for row in rows {
                let mut row = row.map_err(err("cannot read stats"))?;
                row.visitors = visitors.get(&row.key).copied().unwrap_or(0);
                out.push(row);
            }
            Ok(out)
        })
        .await
    }

    async fn training(&self, query: &StatsQuery) -> Result<Training> {
        let (from, until) = (query.from_ms(), query.until_ms());
        Self::with(&self.read, move |conn| {
            let sql = TRAINING_SQL.replace("{from}", "?1").replace("{until}", "?2");
            let mut stmt = conn.prepare(&sql).map_err(err("cannot prepare the training figures"))?;
            let rows = stmt
                .query_map(params![from, until], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .map_err(err("cannot read the training figures"))?;
            let rows = rows.collect::<std::result::Result<Vec<_>, _>>().map_err(err("cannot read the training figures"))?;
            Ok(Training::from_rows(rows))
        })
        .await
    }

    async fn schema_version(&self) -> Result<i64> {
        Self::with(&self.read, |conn| {
            let tracked: bool = conn
                .query_row("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations')", [], |r| r.get(0))
                .map_err(err("cannot read the schema version"))?;
            if !tracked {
                return Ok(0);
            }
            conn.query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], |r| r.get(0)).map_err(err("cannot read the schema version"))
        })
        .await
    }

    async fn campaigns(&self) -> Result<Vec<String>> {
        Self::with(&self.read, |conn| {
            let mut stmt = conn.prepare("SELECT DISTINCT campaign FROM links ORDER BY campaign").map_err(err("cannot read campaigns"))?;
            let rows = stmt.query_map([], |r| r.get(0)).map_err(err("cannot read campaigns"))?;
            rows.collect::<std::result::Result<Vec<_>, _>>().map_err(err("cannot read campaigns"))
        })
        .await
    }

    async fn campaign_totals(&self) -> Result<Vec<CampaignTotals>> {
        Self::with(&self.read, |conn| {
            let mut stmt = conn.prepare_cached(super::CAMPAIGN_TOTALS_SQL).map_err(err("cannot read totals"))?;
            let rows = stmt
                .query_map([], |r| {
                    Ok(CampaignTotals {
                        campaign: r.get(0)?,
                        clicks: r.get(1)?,
                        shares: r.get(2)?,
                        copies: r.get(3)?,
                        visitors: r.get(4)?,
                        unique_shares: r.get(5)?,
                        unique_copies: r.get(6)?,
                    })
                })
                .map_err(err("cannot read totals"))?;
            rows.collect::<std::result::Result<Vec<_>, _>>().map_err(err("cannot read totals"))
        })
        .await
    }

    async fn ambassador_totals(&self, id: &str) -> Result<AmbassadorTotals> {
        let id = id.to_string();
        Self::with(&self.read, move |conn| {
            conn.query_row(&super::AMBASSADOR_SQL.replace("{id}", "?1"), params![id], |r| {
                Ok(AmbassadorTotals {
                    clicks: r.get(0)?,
                    visitors: r.get(1)?,
                    copies: r.get(2)?,
                    shares: r.get(3)?,
                    unique_copies: r.get(4)?,
                    unique_shares: r.get(5)?,
                })
            })
            .map_err(err("cannot read ambassador totals"))
        })
        .await
    }

    async fn export_page(&self, after: i64, limit: i64) -> Result<Vec<ClickRow>> {
        Self::with(&self.read, move |conn| {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT c.id, c.at_ms, c.code, COALESCE(l.campaign, ''), COALESCE(l.snippet, ''), COALESCE(l.network, ''),
                            c.bot, c.visitor IS NOT NULL, c.ambassador IS NOT NULL
                     FROM clicks c LEFT JOIN links l ON l.code = c.code WHERE c.id > ?1 ORDER BY c.id LIMIT ?2",
                )
                .map_err(err("cannot export"))?;
            let rows = stmt
                .query_map(params![after, limit], |r| {
                    Ok(ClickRow {
                        id: r.get(0)?,
                        at_ms: r.get(1)?,
                        code: r.get(2)?,
                        campaign: r.get(3)?,
                        snippet: r.get(4)?,
                        network: r.get(5)?,
                        bot: r.get::<_, i64>(6)? != 0,
                        counted_visitor: r.get(7)?,
                        ambassador: r.get(8)?,
                    })
                })
                .map_err(err("cannot export"))?;
            rows.collect::<std::result::Result<Vec<_>, _>>().map_err(err("cannot export"))
        })
        .await
    }

    async fn export_counts(&self, after: Option<CountKey>, limit: i64) -> Result<Vec<CountRow>> {
        Self::with(&self.read, move |conn| {
            let mut stmt = conn.prepare_cached(super::EXPORT_COUNTS_SQL).map_err(err("cannot export"))?;
            let (hour, code, ambassador, bot) = after.unwrap_or((i64::MIN, String::new(), String::new(), false));
            let rows = stmt
                .query_map(params![hour, code, ambassador, i64::from(bot), limit], |r| {
                    Ok(CountRow {
                        hour: r.get(0)?,
                        code: r.get(1)?,
                        campaign: r.get(2)?,
                        snippet: r.get(3)?,
                        network: r.get(4)?,
                        ambassador: r.get(5)?,
                        bot: r.get::<_, i64>(6)? != 0,
                        clicks: r.get(7)?,
                    })
                })
                .map_err(err("cannot export"))?;
            rows.collect::<std::result::Result<Vec<_>, _>>().map_err(err("cannot export"))
        })
        .await
    }

    async fn set_ambassador_name(&self, id: &str, name: Option<&DisplayName>) -> Result<bool> {
        let (id, name) = (id.to_string(), name.cloned());
        Self::with(&self.write, move |conn| {
            let changed = match name {
                Some(name) => conn.execute(
                    "INSERT INTO ambassadors (id, name, name_key, updated_ms) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key, updated_ms = excluded.updated_ms",
                    params![id, name.text, name.key, crate::tracker::click::now_ms()],
                ),
                None => conn.execute("DELETE FROM ambassadors WHERE id = ?1", params![id]),
            };
            match changed {
                Ok(_) => Ok(true),
                // The unique key of the name: another id holds it.
                Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => Ok(false),
                Err(e) => Err(err("cannot update the leaderboard")(e)),
            }
        })
        .await
    }

    async fn leaderboard(&self, limit: i64) -> Result<Vec<LeaderboardRow>> {
        Self::with(&self.read, move |conn| {
            let mut stmt = conn.prepare(&super::LEADERBOARD_SQL.replace("{limit}", "?1")).map_err(err("cannot read the leaderboard"))?;
            let rows = stmt
                .query_map(params![limit], |r| Ok(LeaderboardRow { name: r.get(0)?, clicks: r.get(1)?, visitors: r.get(2)? }))
                .map_err(err("cannot read the leaderboard"))?;
            rows.collect::<std::result::Result<Vec<_>, _>>().map_err(err("cannot read the leaderboard"))
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stored click: at_ms, code, ambassador, bot, visitor.
    type Row = (i64, String, Option<String>, i64, Option<Vec<u8>>);

    /// Every batch size goes in whole, row for row, through the multi-row inserts.
    #[tokio::test]
    async fn batches_of_every_size_are_stored_row_for_row() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("t.db")).unwrap();
        store.migrate().await.unwrap();
        let mut committer = store.committers().await.unwrap().pop().unwrap();
        let mut expected: Vec<Row> = Vec::new();
        for size in [0, 1, 2, 3, 14, 31, 32, 33, 63, 100] {
            let clicks: Vec<Click> = (0..size)
                .map(|i| Click {
                    at_ms: 1_000 * (expected.len() + i) as i64,
                    code: format!("c{size:03}x{i:03}"),
                    ambassador: (i % 3 == 0).then(|| format!("amb-{i}")),
                    bot: i % 2 == 1,
                    visitor: (i % 5 != 0).then_some([i as u8; 16]),
                    aggregate: false,
                })
                .collect();
            committer.commit(&clicks, &[], &[]).unwrap();
            expected.extend(clicks.into_iter().map(|c| (c.at_ms, c.code, c.ambassador, i64::from(c.bot), c.visitor.map(|v| v.to_vec()))));
        }
        let conn = Connection::open(dir.path().join("t.db")).unwrap();
        let mut query = conn.prepare("SELECT at_ms, code, ambassador, bot, visitor FROM clicks ORDER BY id").unwrap();
        let stored: Vec<Row> =
            query.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))).unwrap().map(|r| r.unwrap()).collect();
        assert_eq!(stored.len(), 279);
        assert_eq!(stored, expected);
    }

    /// A database of version 4 (names without keys, rollups without unique
    /// figures) migrates: the first of two names that clash in capitals keeps
    /// it as key, and the closed hours get their unique figures from the rows.
    #[tokio::test]
    async fn a_version_4_database_gets_name_keys_and_unique_figures() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL)").unwrap();
        for (i, migration) in MIGRATIONS[..4].iter().enumerate() {
            conn.execute_batch(&dialect(migration)).unwrap();
            conn.execute("INSERT INTO schema_migrations VALUES (?1, 0)", [i as i64 + 1]).unwrap();
        }
        // Two hours of one day, both rolled up: visitor 1 twice then once,
        // visitor 2 in the second hour, two copies from browsers that sent no hash.
        let hour: i64 = 20_000 * 24 + 2;
        conn.execute_batch(&format!(
            "INSERT INTO links VALUES ('aB3dE9x', 'https://a.example/', 'camp', 'snip', 'x', 'T', 'en', 0);
             INSERT INTO clicks (at_ms, code, ambassador, bot, visitor) VALUES
               ({h0}, 'aB3dE9x', NULL, 0, x'01'), ({h0} + 5, 'aB3dE9x', NULL, 0, x'01'),
               ({h1}, 'aB3dE9x', NULL, 0, x'01'), ({h1} + 1, 'aB3dE9x', NULL, 0, x'02');
             INSERT INTO events (at_ms, code, kind, ambassador) VALUES ({h0}, 'aB3dE9x', 'copy', NULL), ({h1}, 'aB3dE9x', 'copy', NULL);
             INSERT INTO hourly (hour, code, humans, bots, copies, shares) VALUES ({hour}, 'aB3dE9x', 2, 0, 1, 0), ({hour} + 1, 'aB3dE9x', 2, 0, 1, 0);
             UPDATE rollup_state SET through_hour = {hour} + 2;
             INSERT INTO ambassadors VALUES ('kaaaaaaaaaaaaaaaa', 'Camille', 1), ('kbbbbbbbbbbbbbbbb', 'CAMILLE', 2);",
            h0 = hour * 3_600_000,
            h1 = (hour + 1) * 3_600_000,
        ))
        .unwrap();
        drop(conn);

        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.migrate().await.unwrap(), MIGRATIONS.len() as i64);
        let conn = Connection::open(&path).unwrap();
        let keys: Vec<String> =
            conn.prepare("SELECT name_key FROM ambassadors ORDER BY id").unwrap().query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect();
        assert_eq!(keys, ["camille", "id:kbbbbbbbbbbbbbbbb"]);
        let taken = crate::tracker::display_name::clean("Camille").unwrap();
        assert!(!store.set_ambassador_name("kcccccccccccccccc", Some(&taken)).await.unwrap(), "an old name is protected");
        let per_hour: Vec<(i64, i64)> = conn
            .prepare("SELECT visitors, unique_copies FROM hourly ORDER BY hour")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(per_hour, [(1, 1), (1, 0)], "each in the hour it was first seen that day");
        let totals = store.campaign_totals().await.unwrap();
        assert_eq!((totals[0].clicks, totals[0].visitors, totals[0].copies, totals[0].unique_copies), (4, 2, 2, 1));
    }
}
