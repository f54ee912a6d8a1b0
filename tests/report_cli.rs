//! `chorus report` from a terminal: the real binary on the database a real
//! `chorus track` wrote (clicks sent over HTTP), on SQLite and PostgreSQL.
//! Days follow the hub's time zone; a wrong database or campaign is an error,
//! never a report of zeros.

mod common;

use std::path::Path;
use std::process::Command;

use common::tracker::{codes, PgSchema, Tracker, BROWSER};
use common::{get, Hub};

/// When the three clicks are moved to, and their days in Paris: 23:30 on the
/// 1st, 00:30 on the 2nd (still the 1st in UTC), noon on the 2nd.
const CLICKS_AT: [&str; 3] = ["2026-07-01T21:30:00Z", "2026-07-01T22:30:00Z", "2026-07-02T12:00:00Z"];

fn ms(rfc3339: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339).unwrap().timestamp_millis()
}

/// A hub (the basic fixture, in Europe/Paris) built, for its links.json.
fn built_hub() -> Hub {
    let hub = Hub::copy("basic");
    hub.write("hub.yaml", &format!("{}timezone: Europe/Paris\n", hub.read("hub.yaml")));
    hub.build();
    hub
}

/// Runs `chorus track` on `database` until three people clicked a link of
/// the hub, each once, then stops it.
fn three_clicks(hub: &Hub, database: &str) {
    let links = hub.path("public/_chorus/links.json");
    let tracker = Tracker::start(database, &links);
    let code = &codes(&links)[0].0;
    for person in 0..3 {
        let agent = format!("{BROWSER} person/{person}");
        assert_eq!(get(&tracker.addr, &format!("/c/{code}"), &[("User-Agent", &agent)]).status, 302);
    }
}

/// The SQL that moves the clicks (in id order) to [`CLICKS_AT`], and the
/// roll-ups' state back before them, as on a tracker that ran in July.
fn move_clicks_sql() -> Vec<String> {
    let mut sql: Vec<String> =
        CLICKS_AT.iter().enumerate().map(|(i, at)| format!("UPDATE clicks SET at_ms = {} WHERE id = {}", ms(at), i + 1)).collect();
    sql.push(format!("UPDATE rollup_state SET through_hour = {}", ms("2026-06-01T00:00:00Z") / 3_600_000));
    sql
}

/// `chorus report <args>` run in `cwd`: (exit code, stdout, stderr unwrapped).
fn report(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chorus")).arg("report").args(args).args(["--color", "never"]).current_dir(cwd).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).split_whitespace().filter(|w| *w != "|").collect::<Vec<_>>().join(" ");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), stderr)
}

/// `report --format json`'s rows as (key, clicks, visitors), and its time zone.
fn json_rows(cwd: &Path, args: &[&str]) -> (Vec<(String, i64, i64)>, String) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (code, stdout, stderr) = report(cwd, &all);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let rows = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["key"].as_str().unwrap().to_string(), r["clicks"].as_i64().unwrap(), r["visitors"].as_i64().unwrap()))
        .collect();
    (rows, v["time_zone"].as_str().unwrap().to_string())
}

/// What every backend must report for the three clicks.
fn days_follow_the_hub_s_time_zone(hub: &Hub, database: &str) {
    let root = hub.root().to_str().unwrap();
    let day = |d: &str, n: i64| (d.to_string(), n, n);
    let (rows, zone) = json_rows(hub.root(), &["--database", database, "--by", "day"]);
    assert_eq!(zone, "Europe/Paris", "the nearest hub.yaml's time zone");
    assert_eq!(rows, [day("2026-07-01", 1), day("2026-07-02", 2)]);
    let (rows, _) = json_rows(hub.root(), &["--database", database, "--by", "day", "--from", "2026-07-02", "--to", "2026-07-02"]);
    assert_eq!(rows, [day("2026-07-02", 2)], "--from and --to are Paris days");
    let (rows, _) = json_rows(hub.root(), &["--database", database, "--by", "network", "--to", "2026-07-01"]);
    assert_eq!(rows.iter().map(|r| r.1).sum::<i64>(), 1);

    // Outside any hub: UTC, and said so.
    let elsewhere = tempfile::tempdir().unwrap();
    let (rows, zone) = json_rows(elsewhere.path(), &["--database", database, "--by", "day"]);
    assert_eq!(zone, "UTC");
    assert_eq!(rows, [day("2026-07-01", 2), day("2026-07-02", 1)]);
    let (code, table, _) = report(elsewhere.path(), &["--database", database, "--root", root]);
    assert_eq!(code, 0);
    assert_eq!(table.lines().next(), Some("Days in Europe/Paris (the hub's time zone)"), "--root names the hub:\n{table}");
    let (_, table, _) = report(elsewhere.path(), &["--database", database]);
    assert_eq!(table.lines().next(), Some("Days in UTC (no hub.yaml found)"), "{table}");
    let (_, csv, note) = report(hub.root(), &["--database", database, "--format", "csv"]);
    assert!(csv.starts_with("day,clicks,"), "CSV stays plain CSV: {csv}");
    assert!(note.contains("Days in Europe/Paris"), "and the time zone goes to stderr: {note}");
}

/// What every backend must refuse.
fn an_unknown_campaign_is_an_error(hub: &Hub, database: &str) {
    let (code, _, stderr) = report(hub.root(), &["--database", database, "--campaign", "salon-2072"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no campaign `salon-2072` in the tracker's database"), "{stderr}");
    assert!(stderr.contains("did you mean `salon-2027`?"), "{stderr}");
    let (code, _, stderr) = report(hub.root(), &["--database", database, "--campaign", "zzz"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("the campaigns it knows:") && stderr.contains("salon-2027"), "{stderr}");
    let (rows, _) = json_rows(hub.root(), &["--database", database, "--campaign", "salon-2027", "--by", "network"]);
    assert!(!rows.is_empty());
}

#[test]
fn sqlite_days_campaigns_and_missing_databases() {
    let hub = built_hub();
    let db = hub.path("tracker.db");
    let database = db.to_str().unwrap();
    three_clicks(&hub, database);
    let conn = rusqlite::Connection::open(&db).unwrap();
    for sql in move_clicks_sql() {
        conn.execute(&sql, []).unwrap();
    }
    drop(conn);
    days_follow_the_hub_s_time_zone(&hub, database);
    an_unknown_campaign_is_an_error(&hub, database);

    // A database that is not there is not created.
    let (code, stdout, stderr) = report(hub.root(), &["--database", "typo.db"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stderr.contains("no tracker database at `typo.db`") && stderr.contains("--database"), "{stderr}");
    assert!(!hub.path("typo.db").exists(), "nothing was created");
    // Nor is a SQLite file of something else turned into a tracker's.
    let other = hub.path("other.db");
    rusqlite::Connection::open(&other).unwrap().execute("CREATE TABLE notes (text TEXT)", []).unwrap();
    let (code, _, stderr) = report(hub.root(), &["--database", other.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stderr.contains("holds no tracker data"), "{stderr}");
    let tables: i64 =
        rusqlite::Connection::open(&other).unwrap().query_row("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'", [], |r| r.get(0)).unwrap();
    assert_eq!(tables, 1, "no tracker table was added");
}

#[test]
fn postgres_days_campaigns_and_empty_schemas() {
    let Some(schema) = PgSchema::create("report") else { return };
    let url = &schema.url;
    let hub = built_hub();

    // A schema no tracker used: an error, and it stays empty.
    let (code, _, stderr) = report(hub.root(), &["--database", url]);
    assert_eq!(code, 1);
    assert!(stderr.contains("holds no tracker data"), "{stderr}");
    let tables: i64 = schema.query_one("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = $1", &[&schema.name]).get(0);
    assert_eq!(tables, 0, "report created nothing");

    three_clicks(&hub, url);
    for sql in move_clicks_sql() {
        schema.batch_execute(&format!("SET search_path = {}; {sql}", schema.name));
    }
    days_follow_the_hub_s_time_zone(&hub, url);
    an_unknown_campaign_is_an_error(&hub, url);
}
