//! What the tracker's public figures count, on the real binary over real
//! HTTP, with real SQLite and PostgreSQL: unique visitors rather than raw
//! requests, a flood of clicks kept to a bounded number of rows with exact
//! totals, and display names that read as what they are.

mod common;

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{get, post, raw, Hub};

const TOKEN: &str = "test-admin-token-0123456789";
const HUB: &str = "https://hub.test.example";

/// A tracker process on a free port (as in tests/tracker.rs).
struct Tracker {
    child: Child,
    addr: String,
}

impl Tracker {
    /// Starts `chorus track` with public figures on, behind a trusted proxy
    /// (so that a test can be several visitors through `X-Forwarded-For`).
    fn start(database: &str, links: &Path) -> Tracker {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let addr = format!("127.0.0.1:{port}");
        let child = Command::new(env!("CARGO_BIN_EXE_chorus"))
            .args(["track", "--listen", &addr, "--database", database, "--links"])
            .arg(links)
            .args(["--public-stats", "--hub-origin", HUB, "--trust-proxy"])
            .env("CHORUS_ADMIN_TOKEN", TOKEN)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start chorus track");
        let tracker = Tracker { child, addr };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(&tracker.addr).is_err() {
            assert!(Instant::now() < deadline, "the tracker did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        tracker
    }

    /// A JSON document of a public or admin route.
    fn json(&self, path: &str) -> serde_json::Value {
        let r = get(&self.addr, path, &[("Authorization", &format!("Bearer {TOKEN}"))]);
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        serde_json::from_str(&r.body).unwrap()
    }

    /// Sends `method` with a JSON body from the hub's page.
    fn send(&self, method: &str, path: &str, body: &serde_json::Value) -> common::Response {
        let body = body.to_string();
        raw(
            &self.addr,
            &format!("{method} {path} HTTP/1.1\r\nHost: x\r\nOrigin: {HUB}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()),
        )
    }

    /// The ambassador id the tracker makes from a browser's `key`.
    fn ambassador(&self, key: &str) -> String {
        let r = post(&self.addr, "/api/v1/ambassador", &serde_json::json!({ "key": key }).to_string(), &[("Origin", HUB)]);
        assert_eq!(r.status, 200, "{}", r.body);
        serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["id"].as_str().unwrap().to_string()
    }
}

impl Drop for Tracker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The basic fixture built, and the path of its links.json.
fn built_hub() -> (Hub, PathBuf) {
    let hub = Hub::copy("basic");
    hub.build();
    let links = hub.path("public/_chorus/links.json");
    (hub, links)
}

/// A fresh PostgreSQL schema for one test, dropped when the test ends; `None`
/// (the test skips) when PostgreSQL is unreachable outside CI.
struct PgSchema {
    url: String,
    drop_sql: String,
    base: String,
}

impl PgSchema {
    fn create(name: &str) -> Option<PgSchema> {
        let base = std::env::var("CHORUS_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        let schema = format!("chorus_{name}_{}_{}", std::process::id(), chrono::Utc::now().timestamp_millis());
        match psql(&base, &format!("CREATE SCHEMA {schema}")) {
            Ok(()) => Some(PgSchema { url: format!("{base}?options=-c%20search_path%3D{schema}"), drop_sql: format!("DROP SCHEMA {schema} CASCADE"), base }),
            Err(e) => {
                assert!(!common::strict(), "CHORUS_TEST_STRICT=1 and PostgreSQL is unreachable: {e}");
                eprintln!("skipped: PostgreSQL unreachable ({e})");
                None
            }
        }
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        let _ = psql(&self.base, &self.drop_sql);
    }
}

/// Runs SQL statements on PostgreSQL.
fn psql(url: &str, sql: &str) -> Result<(), tokio_postgres::Error> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
        tokio::spawn(conn);
        client.batch_execute(sql).await
    })
}

/// Display names: invisible and direction-changing characters, names without
/// a letter and mixed scripts are refused with a message saying why; a name
/// is stored in NFC; another id cannot take a name already held, in any
/// capitals, while its holder may rename itself freely.
fn display_names_are_checked_and_unique(database: &str, links: &Path) {
    let t = Tracker::start(database, links);
    let (key_a, key_b) = ("browser-key-a_0123456789abcdef", "browser-key-b_0123456789abcdef");
    let (a, b) = (t.ambassador(key_a), t.ambassador(key_b));
    let join = |id: &str, key: &str, name: &str| t.send("PUT", &format!("/api/v1/ambassador/{id}"), &serde_json::json!({ "name": name, "key": key }));
    let board = || t.json("/api/v1/leaderboard")["leaderboard"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_string()).collect::<Vec<_>>();

    for (bad, says) in [
        ("Camille\u{202E}D.", "invisible"),
        ("\u{2066}Camille\u{2069}", "invisible"),
        ("Cam\u{200B}ille", "invisible"),
        ("Camille\u{2028}D.", "invisible"),
        ("\u{3164}\u{3164}\u{3164}", "invisible"),
        ("...", "letter"),
        ("Сamille", "script"),
    ] {
        let r = join(&a, key_a, bad);
        assert_eq!(r.status, 400, "{bad:?}");
        assert!(r.body.contains(says), "{bad:?}: {}", r.body);
    }
    assert!(board().is_empty(), "nothing refused is shown");

    assert_eq!(join(&a, key_a, "Jose\u{301} M.").status, 204);
    assert_eq!(board(), ["Jos\u{e9} M."], "stored in NFC");
    let taken = join(&b, key_b, "JOSÉ m.");
    assert_eq!(taken.status, 409, "another id, the same name in other capitals: {}", taken.body);
    assert!(taken.body.contains("taken"), "{}", taken.body);
    assert_eq!(join(&b, key_b, "Ｊｏｓé M.").status, 409, "full-width letters are the same name");
    assert_eq!(board(), ["Jos\u{e9} M."]);
    assert_eq!(join(&a, key_a, "José M.").status, 204, "its holder may send its own name again");
    assert_eq!(join(&a, key_a, "josé m.").status, 204, "or change its capitals");
    assert_eq!(board(), ["josé m."]);
    assert_eq!(join(&b, key_b, "Ζωή Π.").status, 204, "one script, another alphabet");
    assert_eq!(t.send("DELETE", &format!("/api/v1/ambassador/{a}"), &serde_json::json!({ "key": key_a })).status, 204);
    assert_eq!(join(&b, key_b, "José M.").status, 204, "a name is free again once its holder leaves");
    assert_eq!(board(), ["José M."]);
}

#[test]
fn display_names_are_checked_and_unique_on_sqlite() {
    let (hub, links) = built_hub();
    display_names_are_checked_and_unique(hub.path("tracker.db").to_str().unwrap(), &links);
}

#[test]
fn display_names_are_checked_and_unique_on_postgres() {
    let Some(schema) = PgSchema::create("names") else { return };
    let (_hub, links) = built_hub();
    display_names_are_checked_and_unique(&schema.url, &links);
}
