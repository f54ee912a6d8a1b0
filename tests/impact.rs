//! The collective result employees see: what the last 30 days of sharing
//! brought, from the real tracker over real HTTP on SQLite and PostgreSQL,
//! in `GET /api/v1/impact` and in the digest's four formats
//! (`chorus digest --database`). The home page's line is checked in
//! Chromium (tests/browser_results.rs).

mod common;

use std::path::Path;

use common::tracker::{PgSchema, Tracker, BROWSER};
use common::{get, Hub};

/// The digest fixture (a campaign live on 2027-03-06, links to www.acme.example), built for that day.
fn hub() -> Hub {
    let hub = Hub::copy("digest");
    let run = hub.chorus(&["build", "--now", "2027-03-06"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    hub
}

fn codes(links: &Path) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(links).unwrap()).unwrap();
    v["links"].as_array().unwrap().iter().map(|l| l["code"].as_str().unwrap().to_string()).collect()
}

/// 3 people and a bot click; `/api/v1/impact` counts the people.
fn send(database: &str, links: &Path) {
    let codes = codes(links);
    let t = Tracker::options().flags(&["--trust-proxy"]).start(database, links);
    for (i, ip) in ["198.51.100.1", "198.51.100.2", "198.51.100.3"].iter().enumerate() {
        assert_eq!(get(&t.addr, &format!("/c/{}", codes[i % codes.len()]), &[("User-Agent", BROWSER), ("X-Forwarded-For", ip)]).status, 302);
    }
    assert_eq!(get(&t.addr, &format!("/c/{}", codes[0]), &[("User-Agent", "Twitterbot/1.0"), ("X-Forwarded-For", "203.0.113.1")]).status, 302);
    let r = get(&t.addr, "/api/v1/impact", &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    let impact: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let today = chrono::Utc::now().date_naive();
    assert_eq!(impact["days"], 30);
    assert_eq!(impact["to"], today.format("%Y-%m-%d").to_string());
    assert_eq!(impact["from"], (today - chrono::Duration::days(29)).format("%Y-%m-%d").to_string());
    assert_eq!((impact["clicks"].as_i64(), impact["visitors"].as_i64()), (Some(3), Some(3)), "people only: {impact}");
}

/// The clicks moved to the day before the digest's, inside its 30 days
/// (and the roll-up mark before them, so their raw rows are read).
fn move_clicks_sql() -> String {
    let day = chrono::NaiveDate::from_ymd_opt(2027, 3, 5).unwrap().and_hms_opt(12, 0, 0).unwrap().and_utc().timestamp_millis();
    format!("UPDATE clicks SET at_ms = {day}; UPDATE rollup_state SET through_hour = {};", day / 3_600_000 - 24)
}

/// `chorus digest --database` says it in every format (the fixture's campaigns are in French).
fn the_digest_says_it(hub: &Hub, database: &str) {
    let run = hub.chorus(&["digest", "--now", "2027-03-06", "--output", "out", "--database", database]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = hub.path("out");
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    let fr = "Ces 30 derniers jours, vos publications ont apporté 3 visites à acme.example.";
    for name in ["digest-2027-03-06.fr.txt", "digest-2027-03-06.fr.html", "teams-2027-03-06.fr.json", "slack-2027-03-06.fr.json"] {
        assert!(read(name).contains(fr), "{name}: {}", read(name));
    }
    assert!(std::fs::read_to_string(out.join("digest-2027-03-06.fr.eml")).unwrap().contains("Content-Type: multipart/alternative"));
    // Without a database, no such line; with a wrong one, an error that says so.
    let run = hub.chorus(&["digest", "--now", "2027-03-06", "--output", "plain"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!std::fs::read_to_string(hub.path("plain/digest-2027-03-06.fr.txt")).unwrap().contains("Ces 30 derniers jours"));
    let run = hub.chorus(&["digest", "--now", "2027-03-06", "--output", "plain", "--database", "missing.db"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("no tracker database at `missing.db`"), "{}", run.stderr);
}

#[test]
fn the_collective_result_on_sqlite() {
    let hub = hub();
    let db = hub.path("tracker.db");
    let database = db.to_str().unwrap();
    send(database, &hub.path("public/_chorus/links.json"));
    rusqlite::Connection::open(&db).unwrap().execute_batch(&move_clicks_sql()).unwrap();
    the_digest_says_it(&hub, database);
}

#[test]
fn the_collective_result_on_postgres() {
    let Some(schema) = PgSchema::create("impact") else { return };
    let hub = hub();
    send(&schema.url, &hub.path("public/_chorus/links.json"));
    schema.batch_execute(&format!("SET search_path TO {}; {}", schema.name, move_clicks_sql()));
    the_digest_says_it(&hub, &schema.url);
}
