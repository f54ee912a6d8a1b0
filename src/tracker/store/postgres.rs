//! The PostgreSQL backend, for several tracker instances behind a load
//! balancer: a connection pool (deadpool), the same schema and migrations as
//! SQLite, run under an advisory lock so two instances starting together do
//! not race.

use async_trait::async_trait;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;

mod committer;
use committer::PostgresCommitter;

use super::{
    group_column, AmbassadorTotals, CampaignTotals, ClickRow, ClickStore, Committer, CountKey, CountRow, LeaderboardRow, Result, StatsQuery,
    StatsRow, StoreError, Training, MIGRATIONS, TRAINING_SQL,
};
use crate::link::manifest::Link;
use crate::tracker::click::{Click, Event, MilestoneEvent};
use crate::tracker::display_name::DisplayName;

/// A tracker database in PostgreSQL.
#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool,
    config: tokio_postgres::Config,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PostgresStore")
    }
}

fn err<E: std::fmt::Display>(what: &'static str) -> impl Fn(E) -> StoreError {
    move |e| StoreError(format!("PostgreSQL: {what}: {e}"))
}

/// How many batches are committed at once. One: measured on the benchmark,
/// a second writer halves the batches and doubles the server's work per
/// click (each commit costs PostgreSQL about 0.2 ms of CPU), for a quarter
/// less throughput.
const WRITERS: usize = 1;

/// Key of the advisory lock that serialises migrations across instances.
const MIGRATION_LOCK: i64 = 0x6368_6f72_7573; // "chorus"

impl PostgresStore {
    /// Connects a pool to `url` (`postgres://user@host:port/db`, `?options=-c search_path=…` honoured).
    pub async fn connect(url: &str) -> Result<PostgresStore> {
        let config: tokio_postgres::Config = url.parse().map_err(err("invalid database URL"))?;
        let manager = Manager::from_config(config.clone(), NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager).max_size(16).build().map_err(err("cannot build the pool"))?;
        let store = PostgresStore { pool, config };
        store.ping().await?;
        Ok(store)
    }

    async fn client(&self) -> Result<deadpool_postgres::Object> {
        self.pool.get().await.map_err(err("cannot connect"))
    }
}

/// What one commit stores.
#[derive(Clone, Copy)]
struct Records<'a> {
    clicks: &'a [Click],
    events: &'a [Event],
    milestones: &'a [MilestoneEvent],
}

/// The two prepared forms of a batch's statement: [`RECORD_SQL`], and
/// [`RECORD_WITH_MILESTONES_SQL`] for the rare batch that holds a guide
/// completed or a policy acknowledged, so that the clicks' statement carries
/// nothing for them.
struct RecordStatements<'a> {
    plain: &'a tokio_postgres::Statement,
    with_milestones: &'a tokio_postgres::Statement,
}

/// Stores a batch in one statement: the clicks, the counts of the clicks
/// past their allowance, the events and any milestones go as arrays unnested
/// server-side (the committer sends it between `BEGIN` and `COMMIT`, in the
/// same round trip).
async fn record(client: &tokio_postgres::Client, statements: RecordStatements<'_>, batch: Records<'_>) -> Result<()> {
    let Records { clicks, events, milestones } = batch;
    let rows: Vec<&Click> = clicks.iter().filter(|c| !c.aggregate).collect();
    let at: Vec<i64> = rows.iter().map(|c| c.at_ms).collect();
    let code: Vec<&str> = rows.iter().map(|c| c.code.as_str()).collect();
    let ambassador: Vec<Option<&str>> = rows.iter().map(|c| c.ambassador.as_deref()).collect();
    let bot: Vec<i16> = rows.iter().map(|c| i16::from(c.bot)).collect();
    let visitor: Vec<Option<&[u8]>> = rows.iter().map(|c| c.visitor.as_ref().map(|v| &v[..])).collect();
    let e_at: Vec<i64> = events.iter().map(|e| e.at_ms).collect();
    let e_code: Vec<&str> = events.iter().map(|e| e.code.as_str()).collect();
    let e_kind: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    let e_ambassador: Vec<Option<&str>> = events.iter().map(|e| e.ambassador.as_deref()).collect();
    let e_visitor: Vec<Option<&[u8]>> = events.iter().map(|e| e.visitor.as_ref().map(|v| &v[..])).collect();
    let counts = super::aggregates(clicks);
    let n_hour: Vec<i64> = counts.iter().map(|((hour, ..), _)| *hour).collect();
    let n_code: Vec<&str> = counts.iter().map(|((_, code, ..), _)| *code).collect();
    let n_ambassador: Vec<&str> = counts.iter().map(|((_, _, ambassador, _), _)| *ambassador).collect();
    let n_bot: Vec<i16> = counts.iter().map(|((.., bot), _)| i16::from(*bot)).collect();
    let n_clicks: Vec<i64> = counts.iter().map(|(_, n)| *n).collect();
    let m_at: Vec<i64> = milestones.iter().map(|m| m.at_ms).collect();
    let m_kind: Vec<&str> = milestones.iter().map(|m| m.milestone.kind()).collect();
    let m_subject: Vec<&str> = milestones.iter().map(|m| m.milestone.subject()).collect();
    let m_version: Vec<&str> = milestones.iter().map(|m| m.milestone.version()).collect();
    let m_visitor: Vec<Option<&[u8]>> = milestones.iter().map(|m| m.visitor.as_ref().map(|v| &v[..])).collect();
    let mut params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = vec![
        &at,
        &code,
        &ambassador,
        &bot,
        &visitor,
        &e_at,
        &e_code,
        &e_kind,
        &e_ambassador,
        &e_visitor,
        &n_hour,
        &n_code,
        &n_ambassador,
        &n_bot,
        &n_clicks,
    ];
    let statement = if milestones.is_empty() {
        statements.plain
    } else {
        params.extend::<[&(dyn tokio_postgres::types::ToSql + Sync); 5]>([&m_at, &m_kind, &m_subject, &m_version, &m_visitor]);
        statements.with_milestones
    };
    client.execute(statement, &params).await.map_err(err("cannot store clicks"))?;
    Ok(())
}

/// The part of a batch's statement after `WITH`: events, counts, then the clicks.
macro_rules! record_sql_body {
    () => {
        "e AS (
        INSERT INTO events (at_ms, code, kind, ambassador, visitor)
        SELECT * FROM UNNEST($6::BIGINT[], $7::TEXT[], $8::TEXT[], $9::TEXT[], $10::BYTEA[])
    ), n AS (
        INSERT INTO click_counts (hour, code, ambassador, bot, clicks)
        SELECT * FROM UNNEST($11::BIGINT[], $12::TEXT[], $13::TEXT[], $14::SMALLINT[], $15::BIGINT[])
        ON CONFLICT (hour, code, ambassador, bot) DO UPDATE SET clicks = click_counts.clicks + excluded.clicks
    )
    INSERT INTO clicks (at_ms, code, ambassador, bot, visitor)
    SELECT * FROM UNNEST($1::BIGINT[], $2::TEXT[], $3::TEXT[], $4::SMALLINT[], $5::BYTEA[])"
    };
}

/// One batch: clicks, counts and events in a single statement.
const RECORD_SQL: &str = concat!("WITH ", record_sql_body!());

/// The same with the batch's milestones (`$16`–`$20`).
const RECORD_WITH_MILESTONES_SQL: &str = concat!(
    "WITH m AS (
        INSERT INTO milestones (at_ms, kind, subject, version, visitor)
        SELECT * FROM UNNEST($16::BIGINT[], $17::TEXT[], $18::TEXT[], $19::TEXT[], $20::BYTEA[])
    ), ",
    record_sql_body!()
);

/// The writer's connection settings: named, so that an operator sees it in
/// `pg_stat_activity`, with TCP keep-alives and a bounded connect, so that a
/// dead server or path is found rather than waited on.
fn writer_config(config: &tokio_postgres::Config) -> tokio_postgres::Config {
    let mut config = config.clone();
    config
        .application_name(WRITER_APPLICATION_NAME)
        .connect_timeout(std::time::Duration::from_secs(5))
        .keepalives(true)
        .keepalives_idle(std::time::Duration::from_secs(30));
    config
}

/// The writer connections' `application_name`.
pub const WRITER_APPLICATION_NAME: &str = "chorus track writer";

#[async_trait]
impl ClickStore for PostgresStore {
    async fn migrate(&self) -> Result<i64> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(err("cannot start a migration"))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await.map_err(err("cannot lock migrations"))?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_ms BIGINT NOT NULL)")
            .await
            .map_err(err("cannot create the migrations table"))?;
        let current: i64 =
            tx.query_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &[]).await.map_err(err("cannot read the schema version"))?.get(0);
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            let sql = sql
                .replace("{bigint}", "BIGINT")
                .replace("{blob}", "BYTEA")
                .replace("{serial}", "BIGSERIAL PRIMARY KEY")
                .replace("{now_hour}", "CAST(FLOOR(EXTRACT(EPOCH FROM now()) / 3600) AS BIGINT)");
            tx.batch_execute(&sql).await.map_err(err("migration failed"))?;
            tx.execute("INSERT INTO schema_migrations (version, applied_ms) VALUES ($1, $2)", &[&(i as i64 + 1), &crate::tracker::click::now_ms()])
                .await
                .map_err(err("cannot record the migration"))?;
        }
        tx.commit().await.map_err(err("cannot commit the migrations"))?;
        Ok(MIGRATIONS.len() as i64)
    }

    async fn upsert_links(&self, links: &[Link]) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(err("cannot start a transaction"))?;
        let stmt = tx
            .prepare_cached(
                "INSERT INTO links (code, url, campaign, snippet, network, title, lang, updated_ms)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                 ON CONFLICT (code) DO UPDATE SET url = excluded.url, campaign = excluded.campaign,
                   snippet = excluded.snippet, network = excluded.network, title = excluded.title,
                   lang = excluded.lang, updated_ms = excluded.updated_ms",
            )
            .await
            .map_err(err("cannot prepare the link upsert"))?;
        let now = crate::tracker::click::now_ms();
        for l in links {
            tx.execute(&stmt, &[&l.code.as_str(), &l.url, &l.campaign, &l.snippet, &l.network.id(), &l.title, &l.lang, &now])
                .await
                .map_err(err("cannot store a link"))?;
        }
        tx.commit().await.map_err(err("cannot commit the links"))
    }

    async fn links(&self) -> Result<Vec<(String, String)>> {
        let client = self.client().await?;
        let rows = client.query("SELECT code, url FROM links", &[]).await.map_err(err("cannot read links"))?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    async fn committers(&self) -> Result<Vec<Box<dyn Committer>>> {
        Ok((0..WRITERS).map(|_| Box::new(PostgresCommitter::new(writer_config(&self.config))) as Box<dyn Committer>).collect())
    }

    async fn roll_up(&self, now_ms: i64) -> Result<i64> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(err("cannot start the roll-up"))?;
        // FOR UPDATE: a second instance rolling up at the same time waits,
        // then finds the hours closed and does nothing.
        let from: i64 = tx
            .query_one("SELECT through_hour FROM rollup_state WHERE id = 1 FOR UPDATE", &[])
            .await
            .map_err(err("cannot read the roll-up state"))?
            .get(0);
        let to = super::closable_through(now_ms);
        if to <= from {
            return Ok(0);
        }
        for sql in super::ROLL_UP_SQL {
            let sql = sql.replace("{from}", "$1::BIGINT").replace("{to}", "$2::BIGINT");
            tx.execute(&sql, &[&from, &to]).await.map_err(err("cannot roll up"))?;
        }
        tx.commit().await.map_err(err("cannot commit the roll-up"))?;
        Ok(to - from)
    }

    async fn forget_salts(&self, today: i64) -> Result<()> {
        let client = self.client().await?;
        client.execute("DELETE FROM salts WHERE day < $1", &[&today]).await.map(drop).map_err(err("cannot destroy old salts"))
    }

    async fn salt(&self, day: i64) -> Result<[u8; 32]> {
        let mut client = self.client().await?;
        let fresh: [u8; 32] = rand::random();
        let tx = client.transaction().await.map_err(err("cannot start a transaction"))?;
        tx.execute("DELETE FROM salts WHERE day < $1", &[&day]).await.map_err(err("cannot destroy old salts"))?;
        tx.execute("INSERT INTO salts (day, salt) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING", &[&day, &fresh.to_vec()])
            .await
            .map_err(err("cannot store the salt"))?;
        let salt: Vec<u8> = tx.query_one("SELECT salt FROM salts WHERE day = $1", &[&day]).await.map_err(err("cannot read the salt"))?.get(0);
        tx.commit().await.map_err(err("cannot commit the salt"))?;
        salt.try_into().map_err(|_| StoreError("PostgreSQL: a salt is not 32 bytes".into()))
    }

    async fn probe_write(&self) -> Result<()> {
        let client = self.client().await?;
        client.batch_execute(&format!("BEGIN; {} COMMIT;", super::PROBE_SQL)).await.map_err(err("write probe"))
    }

    async fn ping(&self) -> Result<()> {
        let client = self.client().await?;
        client.query_one("SELECT 1", &[]).await.map_err(err("ping"))?;
        Ok(())
    }

    async fn stats(&self, q: &StatsQuery) -> Result<Vec<StatsRow>> {
        let client = self.client().await?;
        let day_key = |col: &str| match q.by {
            super::GroupBy::Day => format!("({col})::TEXT"),
            by => group_column(by, col),
        };
        let totals_sql = format!(
            "SELECT {g} AS k, SUM(h.humans)::BIGINT, SUM(h.bots)::BIGINT, SUM(h.copies)::BIGINT, SUM(h.shares)::BIGINT
             FROM hourly_totals h JOIN links l ON l.code = h.code
             WHERE ($1::TEXT IS NULL OR l.campaign = $1) AND ($2::BIGINT IS NULL OR h.hour * 3600000 >= $2) AND ($3::BIGINT IS NULL OR h.hour * 3600000 < $3)
             GROUP BY k ORDER BY k",
            g = day_key(&q.day_sql("h.hour * 3600000"))
        );
        let visitors_sql = format!(
            "SELECT {g} AS k, COUNT(DISTINCT c.visitor) FROM clicks c JOIN links l ON l.code = c.code
             WHERE c.bot = 0 AND c.visitor IS NOT NULL AND ($1::TEXT IS NULL OR l.campaign = $1)
               AND ($2::BIGINT IS NULL OR c.at_ms >= $2) AND ($3::BIGINT IS NULL OR c.at_ms < $3)
             GROUP BY k",
            g = day_key(&q.day_sql("c.at_ms"))
        );
        let label = |k: String| match q.by {
            super::GroupBy::Day => k.parse::<i64>().map(super::day_label).unwrap_or(k),
            _ => k,
        };
        let (from, until) = (q.from_ms(), q.until_ms());
        let params: [&(dyn tokio_postgres::types::ToSql + Sync); 3] = [&q.campaign, &from, &until];
        let visitors: std::collections::HashMap<String, i64> =
            client.query(&visitors_sql, &params).await.map_err(err("cannot read stats"))?.iter().map(|r| (label(r.get(0)), r.get(1))).collect();
        let rows = client.query(&totals_sql, &params).await.map_err(err("cannot read stats"))?;
        Ok(rows
            .iter()
            .map(|r| {
                let key = label(r.get(0));
                StatsRow {
                    visitors: visitors.get(&key).copied().unwrap_or(0),
                    key,
                    clicks: r.get(1),
                    bots: r.get(2),
                    copies: r.get(3),
                    shares: r.get(4),
                }
            })
            .collect())
    }

    async fn training(&self, query: &StatsQuery) -> Result<Training> {
        let client = self.client().await?;
        let sql = TRAINING_SQL.replace("{from}", "$1::BIGINT").replace("{until}", "$2::BIGINT");
        let rows = client.query(&sql, &[&query.from_ms(), &query.until_ms()]).await.map_err(err("cannot read the training figures"))?;
        Ok(Training::from_rows(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))))
    }

    async fn schema_version(&self) -> Result<i64> {
        let client = self.client().await?;
        let tracked: bool =
            client.query_one("SELECT to_regclass('schema_migrations') IS NOT NULL", &[]).await.map_err(err("cannot read the schema version"))?.get(0);
        if !tracked {
            return Ok(0);
        }
        let row =
            client.query_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &[]).await.map_err(err("cannot read the schema version"))?;
        Ok(row.get(0))
    }

    async fn campaigns(&self) -> Result<Vec<String>> {
        let client = self.client().await?;
        let rows = client.query("SELECT DISTINCT campaign FROM links ORDER BY campaign", &[]).await.map_err(err("cannot read campaigns"))?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    async fn campaign_totals(&self) -> Result<Vec<CampaignTotals>> {
        let client = self.client().await?;
        let rows = client.query(super::CAMPAIGN_TOTALS_SQL, &[]).await.map_err(err("cannot read totals"))?;
        Ok(rows
            .iter()
            .map(|r| CampaignTotals {
                campaign: r.get(0),
                clicks: r.get(1),
                shares: r.get(2),
                copies: r.get(3),
                visitors: r.get(4),
                unique_shares: r.get(5),
                unique_copies: r.get(6),
            })
            .collect())
    }

    async fn ambassador_totals(&self, id: &str) -> Result<AmbassadorTotals> {
        let client = self.client().await?;
        let r = client.query_one(&super::AMBASSADOR_SQL.replace("{id}", "$1::TEXT"), &[&id]).await.map_err(err("cannot read ambassador totals"))?;
        Ok(AmbassadorTotals {
            clicks: r.get(0),
            visitors: r.get(1),
            copies: r.get(2),
            shares: r.get(3),
            unique_copies: r.get(4),
            unique_shares: r.get(5),
        })
    }

    async fn export_counts(&self, after: Option<CountKey>, limit: i64) -> Result<Vec<CountRow>> {
        let client = self.client().await?;
        let (hour, code, ambassador, bot) = after.unwrap_or((i64::MIN, String::new(), String::new(), false));
        let sql = super::EXPORT_COUNTS_SQL
            .replace("?1", "$1::BIGINT")
            .replace("?2", "$2::TEXT")
            .replace("?3", "$3::TEXT")
            .replace("?4", "$4::SMALLINT")
            .replace("?5", "$5::BIGINT");
        let rows = client.query(&sql, &[&hour, &code, &ambassador, &i16::from(bot), &limit]).await.map_err(err("cannot export"))?;
        Ok(rows
            .iter()
            .map(|r| CountRow {
                hour: r.get(0),
                code: r.get(1),
                campaign: r.get(2),
                snippet: r.get(3),
                network: r.get(4),
                ambassador: r.get(5),
                bot: r.get::<_, i16>(6) != 0,
                clicks: r.get(7),
            })
            .collect())
    }

    async fn export_page(&self, after: i64, limit: i64) -> Result<Vec<ClickRow>> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT c.id, c.at_ms, c.code, COALESCE(l.campaign, ''), COALESCE(l.snippet, ''), COALESCE(l.network, ''),
                        c.bot, c.visitor IS NOT NULL, c.ambassador IS NOT NULL
                 FROM clicks c LEFT JOIN links l ON l.code = c.code WHERE c.id > $1 ORDER BY c.id LIMIT $2",
                &[&after, &limit],
            )
            .await
            .map_err(err("cannot export"))?;
        Ok(rows
            .iter()
            .map(|r| ClickRow {
                id: r.get(0),
                at_ms: r.get(1),
                code: r.get(2),
                campaign: r.get(3),
                snippet: r.get(4),
                network: r.get(5),
                bot: r.get::<_, i16>(6) != 0,
                counted_visitor: r.get(7),
                ambassador: r.get(8),
            })
            .collect())
    }

    async fn set_ambassador_name(&self, id: &str, name: Option<&DisplayName>) -> Result<bool> {
        let client = self.client().await?;
        let changed = match name {
            Some(name) => {
                client
                    .execute(
                        "INSERT INTO ambassadors (id, name, name_key, updated_ms) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key, updated_ms = excluded.updated_ms",
                        &[&id, &name.text, &name.key, &crate::tracker::click::now_ms()],
                    )
                    .await
            }
            None => client.execute("DELETE FROM ambassadors WHERE id = $1", &[&id]).await,
        };
        match changed {
            Ok(_) => Ok(true),
            // The unique key of the name: another id holds it.
            Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION) => Ok(false),
            Err(e) => Err(err("cannot update the leaderboard")(e)),
        }
    }

    async fn leaderboard(&self, limit: i64) -> Result<Vec<LeaderboardRow>> {
        let client = self.client().await?;
        let rows = client.query(&super::LEADERBOARD_SQL.replace("{limit}", "$1"), &[&limit]).await.map_err(err("cannot read the leaderboard"))?;
        Ok(rows.iter().map(|r| LeaderboardRow { name: r.get(0), clicks: r.get(1), visitors: r.get(2) }).collect())
    }
}
