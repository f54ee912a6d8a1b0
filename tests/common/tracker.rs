//! A `chorus track` process for tests, started on a free port with its stderr
//! kept (and echoed), the fixture hub it serves, and a PostgreSQL schema of
//! its own per test.

use std::io::Read;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{get, Hub};

/// The admin token every test tracker is started with.
pub const TOKEN: &str = "test-admin-token-0123456789";

/// The hub's origin the test trackers accept beacons and public reads from.
pub const HUB_ORIGIN: &str = "https://hub.test.example";

/// A desktop browser's user agent: a person, not a bot.
pub const BROWSER: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

const TIMEOUT: Duration = Duration::from_secs(20);

/// How to start a tracker beyond the usual flags (`--public-stats --hub-origin`).
#[derive(Clone, Debug, Default)]
pub struct TrackerOptions {
    flags: Vec<String>,
    wrapper: Vec<String>,
}

impl TrackerOptions {
    /// More flags for `chorus track`.
    pub fn flags(mut self, flags: &[&str]) -> TrackerOptions {
        self.flags.extend(flags.iter().map(|f| f.to_string()));
        self
    }

    /// A program the tracker runs under, with its arguments (e.g. `prlimit --nofile=128:4096 --`).
    pub fn wrapper(mut self, command: &[&str]) -> TrackerOptions {
        self.wrapper = command.iter().map(|a| a.to_string()).collect();
        self
    }

    /// Starts the tracker on `database` and `links`, and waits until it accepts connections.
    pub fn start(self, database: &str, links: &Path) -> Tracker {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let addr = format!("127.0.0.1:{port}");
        let mut command = match self.wrapper.split_first() {
            Some((program, args)) => {
                let mut c = Command::new(program);
                c.args(args).arg(env!("CARGO_BIN_EXE_chorus"));
                c
            }
            None => Command::new(env!("CARGO_BIN_EXE_chorus")),
        };
        let mut child = command
            .args(["track", "--listen", &addr, "--database", database, "--links"])
            .arg(links)
            .args(["--public-stats", "--hub-origin", HUB_ORIGIN])
            .args(&self.flags)
            .env("CHORUS_ADMIN_TOKEN", TOKEN)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start chorus track");
        let log = Arc::new(Mutex::new(String::new()));
        let (mut stderr, kept) = (child.stderr.take().unwrap(), log.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = stderr.read(&mut buf) {
                let text = String::from_utf8_lossy(&buf[..n]);
                eprint!("{text}");
                kept.lock().unwrap().push_str(&text);
            }
        });
        let tracker = Tracker { child, addr, database: database.to_string(), links: links.to_path_buf(), options: self, log };
        let deadline = Instant::now() + TIMEOUT;
        while TcpStream::connect(&tracker.addr).is_err() {
            assert!(Instant::now() < deadline, "the tracker did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        tracker
    }
}

/// A running `chorus track` on a free port, killed on drop.
pub struct Tracker {
    /// The process (or its wrapper, which execs it).
    pub child: Child,
    /// `127.0.0.1:port` it listens on.
    pub addr: String,
    /// The `--database` it was given.
    pub database: String,
    /// The `--links` file it was given.
    pub links: PathBuf,
    options: TrackerOptions,
    log: Arc<Mutex<String>>,
}

impl Tracker {
    /// Starts a tracker with the usual flags only.
    pub fn start(database: &str, links: &Path) -> Tracker {
        TrackerOptions::default().start(database, links)
    }

    /// The options to start one with more flags or under a wrapper.
    pub fn options() -> TrackerOptions {
        TrackerOptions::default()
    }

    /// Kills the process and starts another on the same database, links and options.
    pub fn restart(mut self) -> Tracker {
        self.child.kill().unwrap();
        let _ = self.child.wait();
        self.options.clone().start(&self.database, &self.links)
    }

    /// What the tracker wrote to stderr so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits until the log holds `text`.
    pub fn wait_for_log(&self, text: &str) {
        let deadline = Instant::now() + TIMEOUT;
        while !self.log().contains(text) {
            assert!(Instant::now() < deadline, "never logged {text:?}; log:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends SIGHUP: reload links.json.
    pub fn hang_up(&self) {
        assert!(Command::new("kill").args(["-HUP", &self.child.id().to_string()]).status().unwrap().success());
    }

    /// A JSON document of a public or admin route (sent with the admin token), asserting a 200.
    pub fn json(&self, path: &str) -> serde_json::Value {
        let r = get(&self.addr, path, &[("Authorization", &format!("Bearer {TOKEN}"))]);
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        serde_json::from_str(&r.body).unwrap()
    }

    /// The admin's `/api/v1/stats`, grouped `by`.
    pub fn stats(&self, by: &str) -> serde_json::Value {
        self.json(&format!("/api/v1/stats?by={by}"))
    }

    /// (people, bots, visitors) over every row.
    pub fn totals(&self) -> (i64, i64, i64) {
        let v = self.stats("network");
        let rows = v["rows"].as_array().unwrap();
        let sum = |k: &str| rows.iter().map(|r| r[k].as_i64().unwrap()).sum::<i64>();
        (sum("clicks"), sum("bots"), sum("visitors"))
    }
}

impl Drop for Tracker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The basic fixture built, and the path of its links.json.
pub fn built_hub() -> (Hub, PathBuf) {
    let hub = Hub::copy("basic");
    hub.build();
    let links = hub.path("public/_chorus/links.json");
    (hub, links)
}

/// The (short code, destination URL) of every link in a links.json.
pub fn codes(links: &Path) -> Vec<(String, String)> {
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(links).unwrap()).unwrap();
    v["links"].as_array().unwrap().iter().map(|l| (l["code"].as_str().unwrap().to_string(), l["url"].as_str().unwrap().to_string())).collect()
}

/// The basic fixture built, a tracker on its `tracker.db`, and its links' codes.
pub fn sqlite_tracker() -> (Hub, Tracker, Vec<(String, String)>) {
    let (hub, links) = built_hub();
    let db = hub.path("tracker.db");
    let tracker = Tracker::start(db.to_str().unwrap(), &links);
    let codes = codes(&links);
    (hub, tracker, codes)
}

/// A fresh schema on the test PostgreSQL (`CHORUS_TEST_POSTGRES`, or
/// 127.0.0.1:5432), with an admin connection to it; dropped on drop.
pub struct PgSchema {
    /// The schema's name.
    pub name: String,
    /// A database URL whose connections work in the schema (its `search_path`).
    pub url: String,
    admin: tokio_postgres::Client,
    runtime: tokio::runtime::Runtime,
}

impl PgSchema {
    /// Creates `chorus_<label>_<pid>_<ms>`, or returns `None` (the test
    /// skips) when PostgreSQL is unreachable, unless `CHORUS_TEST_STRICT=1`.
    pub fn create(label: &str) -> Option<PgSchema> {
        let base = std::env::var("CHORUS_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        let name = format!("chorus_{label}_{}_{}", std::process::id(), chrono::Utc::now().timestamp_millis());
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let admin = runtime.block_on(async {
            let (client, conn) = tokio_postgres::connect(&base, tokio_postgres::NoTls).await?;
            tokio::spawn(conn);
            client.batch_execute(&format!("CREATE SCHEMA {name}")).await?;
            Ok::<_, tokio_postgres::Error>(client)
        });
        match admin {
            Ok(admin) => Some(PgSchema { url: format!("{base}?options=-c%20search_path%3D{name}"), name, admin, runtime }),
            Err(e) => {
                assert!(!super::strict(), "CHORUS_TEST_STRICT=1 and PostgreSQL is unreachable: {e}");
                eprintln!("skipped: PostgreSQL unreachable ({e})");
                None
            }
        }
    }

    /// Runs SQL statements on the admin connection (whose search path is not the schema's).
    pub fn batch_execute(&self, sql: &str) {
        self.runtime.block_on(self.admin.batch_execute(sql)).unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// Runs one statement with parameters on the admin connection; the rows it changed.
    pub fn execute(&self, sql: &str, params: &[&(dyn tokio_postgres::types::ToSql + Sync)]) -> u64 {
        self.runtime.block_on(self.admin.execute(sql, params)).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// The one row of a query with parameters, on the admin connection.
    pub fn query_one(&self, sql: &str, params: &[&(dyn tokio_postgres::types::ToSql + Sync)]) -> tokio_postgres::Row {
        self.runtime.block_on(self.admin.query_one(sql, params)).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        let dropped = self.runtime.block_on(self.admin.batch_execute(&format!("DROP SCHEMA {} CASCADE", self.name)));
        // A test that failed already says why; one that passed must not leave its schema behind.
        if let Err(e) = dropped {
            assert!(std::thread::panicking(), "cannot drop the schema {}: {e}", self.name);
        }
    }
}
