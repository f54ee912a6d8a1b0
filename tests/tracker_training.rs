//! Guides completed and policy versions acknowledged, counted anonymously:
//! the hub's `complete` and `ack` beacons sent over real HTTP to the real
//! tracker on SQLite and PostgreSQL, checked in the dashboard, `/metrics`
//! and the period report. Only the hub's own guides and the policy's
//! current version are stored, each browser once a day, nothing personal.

mod common;

use std::path::Path;
use std::process::Command;

use common::tracker::{PgSchema, Tracker, BROWSER, HUB_ORIGIN, TOKEN};
use common::{get, post, Hub};

/// The basic fixture (a guide `guide`, a policy `politique` at version 2.1), built.
fn hub() -> Hub {
    let hub = Hub::copy("basic");
    let run = hub.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    hub
}

/// A beacon from `ip` with the hub's origin; `dnt` adds `DNT: 1`.
fn beacon(t: &Tracker, body: &str, ip: &str, dnt: bool) -> u16 {
    let mut headers = vec![("Origin", HUB_ORIGIN), ("Content-Type", "text/plain;charset=UTF-8"), ("X-Forwarded-For", ip), ("User-Agent", BROWSER)];
    if dnt {
        headers.push(("DNT", "1"));
    }
    post(&t.addr, "/e", body, &headers).status
}

const COMPLETE: &str = r#"{"event":"complete","guide":"guide"}"#;
const ACK: &str = r#"{"event":"ack","policy":"politique","version":"2.1"}"#;

/// Sends: the guide completed by 3 browsers, one of them twice, and by 2
/// that send DNT (one together); the policy's 2.1 acknowledged by 2. Then
/// what must be refused. Checks the dashboard and `/metrics`.
fn send_and_check_the_tracker(database: &str, links: &Path) {
    let manifest: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(links).unwrap()).unwrap();
    assert_eq!(manifest["guides"], serde_json::json!([{ "id": "guide", "title": "Formation" }]));
    assert_eq!(manifest["policies"], serde_json::json!([{ "id": "politique", "title": "Politique", "version": "2.1" }]));
    let t = Tracker::options().flags(&["--trust-proxy"]).start(database, links);
    for ip in ["198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.3"] {
        assert_eq!(beacon(&t, COMPLETE, ip, false), 204);
    }
    for ip in ["198.51.100.4", "198.51.100.5"] {
        assert_eq!(beacon(&t, COMPLETE, ip, true), 204);
    }
    for ip in ["203.0.113.1", "203.0.113.2"] {
        assert_eq!(beacon(&t, ACK, ip, false), 204);
    }

    // Refused: an earlier version, a guide the hub does not have, a field
    // that could carry an id, a body that is not one of the beacons, another origin.
    let refused = [
        (r#"{"event":"ack","policy":"politique","version":"2.0"}"#, 404),
        (r#"{"event":"complete","guide":"autre"}"#, 404),
        (r#"{"event":"complete","guide":"guide","user":"camille@acme.example"}"#, 400),
        (r#"{"event":"ack","policy":"politique"}"#, 400),
        (r#"{"event":"finish","guide":"guide"}"#, 400),
    ];
    for (body, status) in refused {
        assert_eq!(beacon(&t, body, "192.0.2.1", false), status, "{body}");
    }
    let foreign = post(&t.addr, "/e", COMPLETE, &[("Origin", "https://evil.example"), ("Content-Type", "text/plain")]);
    assert_eq!(foreign.status, 403);
    let big = format!(r#"{{"event":"complete","guide":"{}"}}"#, "g".repeat(2000));
    assert_eq!(beacon(&t, &big, "192.0.2.2", false), 413, "bodies are bounded");

    // /metrics counts what was committed, each beacon.
    let auth = format!("Bearer {TOKEN}");
    let metrics = get(&t.addr, "/metrics", &[("Authorization", &auth)]).body;
    assert!(metrics.contains("chorus_events_total{kind=\"complete\"} 6"), "{metrics}");
    assert!(metrics.contains("chorus_events_total{kind=\"ack\"} 2"), "{metrics}");

    // The dashboard: browsers counted once a day, those with DNT as one.
    let dash = get(&t.addr, "/dashboard", &[("Authorization", &auth)]);
    assert_eq!(dash.status, 200, "{}", dash.body);
    assert!(dash.body.contains("<h2>Training and policy</h2>"), "{}", dash.body);
    assert!(dash.body.contains("<th scope=\"row\">Guide: Formation</th><td></td><td class=\"n\">4</td>"), "{}", dash.body);
    assert!(dash.body.contains("<th scope=\"row\">Policy: Politique</th><td>2.1</td><td class=\"n\">2</td>"), "{}", dash.body);
    // A period before any of it shows none.
    let before = get(&t.addr, "/dashboard?from=2020-01-01&to=2020-01-31", &[("Authorization", &auth)]);
    assert!(before.body.contains("No guide completed and no policy version acknowledged in this period."), "{}", before.body);
}

/// The period report counts the same, with the hub's titles.
fn the_report_counts_them(hub: &Hub, database: &str) {
    let month = chrono::Utc::now().format("%Y-%m").to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_chorus"))
        .args(["report", "--database", database, "--period", &month, "--format", "json"])
        .current_dir(hub.root())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["guides"], serde_json::json!([{ "guide": "guide", "title": "Formation", "completions": 4 }]), "{r:#}");
    assert_eq!(r["policies"], serde_json::json!([{ "policy": "politique", "title": "Politique", "version": "2.1", "acknowledgements": 2 }]));
    let csv = Command::new(env!("CARGO_BIN_EXE_chorus"))
        .args(["report", "--database", database, "--period", &month, "--format", "csv"])
        .current_dir(hub.root())
        .output()
        .unwrap();
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(csv.lines().any(|l| l == "guide,guide,Formation,,,,,,,,,,,4"), "{csv}");
    assert!(csv.lines().any(|l| l == "policy,politique/2.1,Politique,,,,,,,,,,,2"), "{csv}");
}

#[test]
fn guides_and_policy_acknowledgements_on_sqlite() {
    let hub = hub();
    let db = hub.path("tracker.db");
    let database = db.to_str().unwrap();
    send_and_check_the_tracker(database, &hub.path("public/_chorus/links.json"));
    the_report_counts_them(&hub, database);
    // Nothing personal is stored: kind, subject, version, time and the day's hash.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let columns: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info('milestones') ORDER BY cid")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(columns, ["id", "at_ms", "kind", "subject", "version", "visitor"]);
    let hashed: i64 = conn.query_row("SELECT COUNT(*) FROM milestones WHERE visitor IS NOT NULL", [], |r| r.get(0)).unwrap();
    assert_eq!(hashed, 6, "the DNT ones carry no hash");
}

#[test]
fn guides_and_policy_acknowledgements_on_postgres() {
    let Some(schema) = PgSchema::create("training") else { return };
    let hub = hub();
    send_and_check_the_tracker(&schema.url, &hub.path("public/_chorus/links.json"));
    the_report_counts_them(&hub, &schema.url);
}
