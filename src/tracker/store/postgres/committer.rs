//! The PostgreSQL writer thread's commits, and what happens when the
//! connection is lost in the middle of one (a failover, a restart,
//! `pg_terminate_backend`): the batch is committed again, once, on a new
//! connection, but only when it is known not to have been committed the
//! first time, so that no click is stored twice.
//!
//! A batch is one round trip of four pipelined statements: `BEGIN`, the
//! transaction's id (`txid_current()`), the insert, `COMMIT`. PostgreSQL
//! answers them in order, so by the time a `COMMIT` could have run, the id
//! has been sent; once the lost connection is closed (the server aborts an
//! unfinished transaction before it closes the socket), `txid_status` on a
//! new connection says whether the batch was committed. This is the use
//! PostgreSQL's documentation gives for `txid_status`.

use std::time::Duration;

use tokio_postgres::{Client, NoTls, Statement};

use super::{err, record, RecordStatements, Records, RECORD_SQL, RECORD_WITH_MILESTONES_SQL};
use crate::tracker::click::{Click, Event, MilestoneEvent};
use crate::tracker::store::{Committer, Result, StoreError};

/// How long a lost connection gets to be closed before its batch's outcome
/// is asked for.
const CLOSE_WAIT: Duration = Duration::from_secs(5);

/// A writer thread's way in: a connection and a runtime of its own, made on
/// the thread at its first batch (and again after the connection is lost).
/// A commit's round trip is driven by the writer thread itself, so it never
/// waits behind the HTTP tasks of the server's runtime.
pub(super) struct PostgresCommitter {
    config: tokio_postgres::Config,
    runtime: Option<tokio::runtime::Runtime>,
    connection: Option<Connection>,
}

/// A writer connection, its driver and its prepared statements.
struct Connection {
    client: Client,
    /// Ends once the connection is closed.
    driver: tokio::task::JoinHandle<()>,
    begin: Statement,
    xid: Statement,
    record: Statement,
    record_with_milestones: Statement,
    commit: Statement,
}

/// How one attempt at a batch ended.
enum Attempt {
    /// Committed.
    Committed,
    /// Nothing reached the server (no connection could be made).
    Unsent(StoreError),
    /// The server refused the batch, and said so: not committed, and
    /// trying again would meet the same refusal.
    Refused(StoreError),
    /// The connection was lost; `xid` is the transaction's id if it came
    /// back, and `stopped_early` tells that the server itself ended the
    /// connection before sending it (so before any `COMMIT`).
    Lost { error: StoreError, xid: Option<i64>, stopped_early: bool },
}

impl PostgresCommitter {
    /// A committer for connections made with `config`.
    pub(super) fn new(config: tokio_postgres::Config) -> PostgresCommitter {
        PostgresCommitter { config, runtime: None, connection: None }
    }
}

impl Committer for PostgresCommitter {
    fn commit(&mut self, clicks: &[Click], events: &[Event], milestones: &[MilestoneEvent]) -> Result<()> {
        let runtime = match &mut self.runtime {
            Some(runtime) => runtime,
            none => none.insert(crate::util::runtime::current_thread().map_err(err("cannot start the writer's runtime"))?),
        };
        let (config, slot) = (&self.config, &mut self.connection);
        runtime.block_on(async move {
            // The connection's driver runs only while a commit does: let it
            // read what came since the last batch first, so that a connection
            // the server closed meanwhile (a restart, a failover, an idle
            // timeout) is seen closed and replaced before the batch is sent,
            // rather than failing the batch.
            tokio::task::yield_now().await;
            tokio::task::yield_now().await;
            let error = match attempt(config, slot, Records { clicks, events, milestones }).await {
                Attempt::Committed => return Ok(()),
                Attempt::Refused(error) => return Err(error),
                Attempt::Unsent(error) => error,
                Attempt::Lost { error, xid, stopped_early } => {
                    if let Some(lost) = slot.take() {
                        let _ = tokio::time::timeout(CLOSE_WAIT, lost.driver).await;
                    }
                    match xid {
                        Some(xid) => match outcome(config, slot, xid).await {
                            Ok(Some(true)) => {
                                eprintln!("chorus track: {error}; the batch was committed all the same (txid_status), not sent again");
                                return Ok(());
                            }
                            Ok(Some(false)) => {}
                            Ok(None) => {
                                return Err(StoreError(format!("{error}; whether the batch was committed is not known, so it is not sent again")))
                            }
                            Err(e) => return Err(StoreError(format!("{error}; then {e}"))),
                        },
                        None if stopped_early => {}
                        None => return Err(StoreError(format!("{error}; whether the batch was committed is not known, so it is not sent again"))),
                    }
                    error
                }
            };
            eprintln!("chorus track: {error}; the batch is sent again on a new connection");
            match attempt(config, slot, Records { clicks, events, milestones }).await {
                Attempt::Committed => Ok(()),
                Attempt::Unsent(error) | Attempt::Refused(error) | Attempt::Lost { error, .. } => Err(error),
            }
        })
    }
}

/// Connects and prepares the batch's statements.
async fn connect(config: &tokio_postgres::Config) -> Result<Connection> {
    let (client, driver) = config.connect(NoTls).await.map_err(err("cannot connect"))?;
    // Runs on this thread's runtime, while a commit waits on it.
    let driver = tokio::spawn(async move {
        let _ = driver.await;
    });
    let prepare = |sql: &'static str| client.prepare(sql);
    let (begin, xid, record, record_with_milestones, commit) = tokio::try_join!(
        prepare("BEGIN"),
        prepare("SELECT txid_current()"),
        prepare(RECORD_SQL),
        prepare(RECORD_WITH_MILESTONES_SQL),
        prepare("COMMIT")
    )
    .map_err(err("cannot prepare the batch's statements"))?;
    Ok(Connection { client, driver, begin, xid, record, record_with_milestones, commit })
}

/// Sends one batch on the open connection (a new one if there is none).
async fn attempt(config: &tokio_postgres::Config, slot: &mut Option<Connection>, batch: Records<'_>) -> Attempt {
    if slot.as_ref().is_some_and(|c| c.client.is_closed()) {
        *slot = None;
    }
    let c = match slot {
        Some(c) => c,
        None => match connect(config).await {
            Ok(c) => slot.insert(c),
            Err(e) => return Attempt::Unsent(e),
        },
    };
    // One round trip: the four are sent in the order they are first polled.
    let (begun, xid, recorded, committed) = tokio::join!(
        c.client.execute(&c.begin, &[]),
        c.client.query_one(&c.xid, &[]),
        record(&c.client, RecordStatements { plain: &c.record, with_milestones: &c.record_with_milestones }, batch),
        c.client.execute(&c.commit, &[]),
    );
    let xid = xid.map(|row| row.get::<_, i64>(0));
    let lost =
        c.client.is_closed() || [begun.as_ref().err(), xid.as_ref().err(), committed.as_ref().err()].into_iter().flatten().any(ends_connection);
    if lost {
        // No answer to `BEGIN`, or the server's own error in place of the
        // id: the server stopped there, before it could run the `COMMIT`.
        let stopped_early = match (&begun, &xid) {
            (Err(_), _) => true,
            (Ok(_), Err(e)) => e.as_db_error().is_some(),
            (Ok(_), Ok(_)) => false,
        };
        let error = first_error(begun.err(), xid.as_ref().err(), recorded.as_ref().err(), committed.as_ref().err());
        return Attempt::Lost {
            error: StoreError(format!("PostgreSQL: the writer's connection was lost mid-batch: {error}")),
            xid: xid.ok(),
            stopped_early,
        };
    }
    match (begun, xid, recorded, committed) {
        (Ok(_), Ok(_), Ok(()), Ok(_)) => Attempt::Committed,
        // A failed statement turns the `COMMIT` into a rollback.
        (begun, xid, recorded, committed) => Attempt::Refused(StoreError(format!(
            "PostgreSQL: cannot store clicks: {}",
            first_error(begun.err(), xid.as_ref().err(), recorded.as_ref().err(), committed.as_ref().err())
        ))),
    }
}

/// Whether `error` means the connection is gone: closed, or ended by the
/// server (a `FATAL` error such as `terminating connection due to
/// administrator command`).
fn ends_connection(error: &tokio_postgres::Error) -> bool {
    error.is_closed() || error.as_db_error().is_some_and(|db| matches!(db.severity(), "FATAL" | "PANIC"))
}

/// An error as text, with the server's message when it sent one.
fn describe(error: &tokio_postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => error.to_string(),
    }
}

/// The first error of a batch's statements, as text.
fn first_error(
    begun: Option<tokio_postgres::Error>,
    xid: Option<&tokio_postgres::Error>,
    recorded: Option<&StoreError>,
    committed: Option<&tokio_postgres::Error>,
) -> String {
    begun
        .map(|e| describe(&e))
        .or_else(|| xid.map(describe))
        .or_else(|| recorded.map(ToString::to_string))
        .or_else(|| committed.map(describe))
        .unwrap_or_else(|| "connection closed".into())
}

/// Whether transaction `xid` was committed (`Some(true)`), aborted
/// (`Some(false)`), or is not known (`None`: still in progress, or too old),
/// asked on a new connection, which is kept for the batches to come.
async fn outcome(config: &tokio_postgres::Config, slot: &mut Option<Connection>, xid: i64) -> Result<Option<bool>> {
    let c = match slot {
        Some(c) if !c.client.is_closed() => c,
        slot => slot.insert(connect(config).await?),
    };
    let row = c.client.query_one("SELECT txid_status($1)", &[&xid]).await.map_err(err("cannot ask whether the batch was committed"))?;
    Ok(match row.get::<_, Option<String>>(0).as_deref() {
        Some("committed") => Some(true),
        Some("aborted") => Some(false),
        _ => None,
    })
}
