//! What the tracker's public figures count, on the real binary over real
//! HTTP, with real SQLite and PostgreSQL: unique visitors rather than raw
//! requests, a flood of clicks kept to a bounded number of rows with exact
//! totals, and display names that read as what they are.

mod common;

use std::path::Path;
use std::process::Command;

use common::tracker::{built_hub, PgSchema, Tracker, BROWSER, HUB_ORIGIN, TOKEN};
use common::{get, post, raw};

/// Starts `chorus track` with public figures on, behind a trusted proxy
/// (so that a test can be several visitors through `X-Forwarded-For`).
fn start(database: &str, links: &Path) -> Tracker {
    Tracker::options().flags(&["--trust-proxy"]).start(database, links)
}

impl Tracker {
    /// Sends `method` with a JSON body from the hub's page.
    fn send(&self, method: &str, path: &str, body: &serde_json::Value) -> common::Response {
        let body = body.to_string();
        raw(
            &self.addr,
            &format!("{method} {path} HTTP/1.1\r\nHost: x\r\nOrigin: {HUB_ORIGIN}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()),
        )
    }

    /// The ambassador id the tracker makes from a browser's `key`.
    fn ambassador(&self, key: &str) -> String {
        let r = post(&self.addr, "/api/v1/ambassador", &serde_json::json!({ "key": key }).to_string(), &[("Origin", HUB_ORIGIN)]);
        assert_eq!(r.status, 200, "{}", r.body);
        serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["id"].as_str().unwrap().to_string()
    }
}

/// Display names: invisible and direction-changing characters, names without
/// a letter and mixed scripts are refused with a message saying why; a name
/// is stored in NFC; another id cannot take a name already held, in any
/// capitals, while its holder may rename itself freely.
fn display_names_are_checked_and_unique(database: &str, links: &Path) {
    let t = start(database, links);
    let (key_a, key_b) = ("browser-key-a_0123456789abcdef", "browser-key-b_0123456789abcdef");
    let (a, b) = (t.ambassador(key_a), t.ambassador(key_b));
    let join = |id: &str, key: &str, name: &str| t.send("PUT", &format!("/api/v1/ambassador/{id}"), &serde_json::json!({ "name": name, "key": key }));
    let board = || {
        t.json("/api/v1/leaderboard")["leaderboard"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };

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

/// One number from the tracker's database (SQLite file or PostgreSQL URL).
fn number(database: &str, sql: &str) -> i64 {
    if database.starts_with("postgres") {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let (client, conn) = tokio_postgres::connect(database, tokio_postgres::NoTls).await.unwrap();
            tokio::spawn(conn);
            client.query_one(&format!("SELECT CAST(({sql}) AS BIGINT)"), &[]).await.unwrap().get(0)
        })
    } else {
        rusqlite::Connection::open(database).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
    }
}

/// The short codes of a links.json, and the campaign of each.
fn campaign_codes(links: &Path) -> Vec<(String, String)> {
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(links).unwrap()).unwrap();
    v["links"].as_array().unwrap().iter().map(|l| (l["code"].as_str().unwrap().to_string(), l["campaign"].as_str().unwrap().to_string())).collect()
}

/// A click on `path` from the browser at `address` (through the trusted proxy).
fn click(t: &Tracker, path: &str, address: &str, extra: &[(&str, &str)]) {
    let mut headers = vec![("User-Agent", BROWSER), ("X-Forwarded-For", address)];
    headers.extend_from_slice(extra);
    assert_eq!(get(&t.addr, path, &headers).status, 302, "{path} from {address}");
}

/// The public figures count people, not requests: 50 clicks from one browser
/// are one visitor, and the leaderboard ranks by visitors; clicks without a
/// visitor hash (DNT, GPC) of one link and day are one visitor together; a
/// browser's repeated beacons are one copy. Every request still counts in
/// `clicks`, `copies` and `shares`, which keep their meaning.
fn public_figures_count_unique_visitors(database: &str, links: &Path) {
    let t = start(database, links);
    let codes = campaign_codes(links);
    let (code, campaign) = &codes[0];
    let (key_x, key_y) = ("browser-key-x_0123456789abcdef", "browser-key-y_0123456789abcdef");
    let (x, y) = (t.ambassador(key_x), t.ambassador(key_y));
    for (id, key, name) in [(&x, key_x, "Alex"), (&y, key_y, "Yaël")] {
        assert_eq!(t.send("PUT", &format!("/api/v1/ambassador/{id}"), &serde_json::json!({ "name": name, "key": key })).status, 204);
    }
    // Alex's link: one browser, 50 times.
    for _ in 0..50 {
        click(&t, &format!("/c/{code}/{x}"), "198.51.100.1", &[]);
    }
    // Yaël's link: three people, and five more with DNT or GPC, whom nothing tells apart.
    for address in ["198.51.100.2", "198.51.100.3", "198.51.100.4"] {
        click(&t, &format!("/c/{code}/{y}"), address, &[]);
    }
    for (i, opt_out) in [("DNT", "1"), ("Sec-GPC", "1"), ("DNT", "1"), ("Sec-GPC", "1"), ("DNT", "1")].iter().enumerate() {
        click(&t, &format!("/c/{code}/{y}"), &format!("198.51.100.{}", 10 + i), &[*opt_out]);
    }
    // Copies: one browser five times, with Alex's id; a share from another with none.
    let beacon = |event: &str, ambassador: Option<&str>, address: &str| {
        let body = serde_json::json!({ "event": event, "code": code, "ambassador": ambassador }).to_string();
        let r = post(&t.addr, "/e", &body, &[("Origin", HUB_ORIGIN), ("User-Agent", BROWSER), ("X-Forwarded-For", address)]);
        assert_eq!(r.status, 204, "{}", r.body);
    };
    for _ in 0..5 {
        beacon("copy", Some(&x), "198.51.100.1");
    }
    beacon("share", None, "198.51.100.2");

    let board = t.json("/api/v1/leaderboard");
    assert_eq!(
        board["leaderboard"],
        serde_json::json!([{ "name": "Yaël", "clicks": 8, "visitors": 4 }, { "name": "Alex", "clicks": 50, "visitors": 1 }]),
        "ranked by unique visitors, clicks beside"
    );
    let alex = t.json(&format!("/api/v1/ambassador/{x}"));
    assert_eq!(alex, serde_json::json!({ "clicks": 50, "visitors": 1, "copies": 5, "shares": 0, "unique_copies": 1, "unique_shares": 0 }));
    let yael = t.json(&format!("/api/v1/ambassador/{y}"));
    assert_eq!((yael["clicks"].as_i64(), yael["visitors"].as_i64()), (Some(8), Some(4)));
    let campaigns = t.json("/api/v1/campaigns");
    let totals = campaigns["campaigns"].as_array().unwrap().iter().find(|c| c["campaign"] == campaign.as_str()).unwrap().clone();
    assert_eq!(
        totals,
        serde_json::json!({
            "campaign": campaign, "clicks": 58, "visitors": 5, "copies": 5, "shares": 1, "unique_copies": 1, "unique_shares": 1,
            "goal": null
        })
    );
    // The admin's figures are unchanged: every click, visitors with a hash only.
    let stats = t.json("/api/v1/stats?by=campaign");
    let row = stats["rows"].as_array().unwrap().iter().find(|r| r["key"] == campaign.as_str()).unwrap().clone();
    assert_eq!((row["clicks"].as_i64(), row["visitors"].as_i64(), row["copies"].as_i64()), (Some(58), Some(4), Some(5)));
}

#[test]
fn public_figures_count_unique_visitors_on_sqlite() {
    let (hub, links) = built_hub();
    public_figures_count_unique_visitors(hub.path("tracker.db").to_str().unwrap(), &links);
}

#[test]
fn public_figures_count_unique_visitors_on_postgres() {
    let Some(schema) = PgSchema::create("unique") else { return };
    let (_hub, links) = built_hub();
    public_figures_count_unique_visitors(&schema.url, &links);
}

/// A flood from one client keeps redirecting, but past the allowance its
/// clicks are counted per hour instead of stored one by one: the rows stay
/// few while every total (stats, public figures, dashboard, CSV export,
/// `chorus report`) stays exact.
fn a_flood_takes_bounded_room_with_exact_totals(database: &str, links: &Path) {
    use chorus::tracker::allowance::ROWS_PER_VISITOR_HOUR;
    let t = start(database, links);
    let codes = campaign_codes(links);
    let (code, campaign) = &codes[0];
    const FLOOD: i64 = 150;
    const BOTS: i64 = 30;
    let key = "browser-key-f_0123456789abcdef";
    let id = t.ambassador(key);
    for i in 0..FLOOD {
        // A third of them through an ambassador's link.
        let path = if i % 3 == 0 { format!("/c/{code}/{id}") } else { format!("/c/{code}") };
        click(&t, &path, "198.51.100.1", &[]);
    }
    for _ in 0..BOTS {
        assert_eq!(get(&t.addr, &format!("/c/{code}"), &[("User-Agent", "curl/8.5.0"), ("X-Forwarded-For", "198.51.100.1")]).status, 302);
    }
    // Rows: the allowance per visitor and hour (a flood that crossed an hour gets it twice).
    let rows = number(database, "SELECT COUNT(*) FROM clicks");
    let per_hour = number(database, "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM clicks GROUP BY at_ms / 3600000, bot) h");
    assert!(per_hour <= i64::from(ROWS_PER_VISITOR_HOUR), "{per_hour} rows in an hour");
    assert!(rows <= 4 * i64::from(ROWS_PER_VISITOR_HOUR), "{rows} rows for {} clicks", FLOOD + BOTS);
    let counted = number(database, "SELECT COALESCE(SUM(clicks), 0) FROM click_counts");
    assert_eq!(rows + counted, FLOOD + BOTS, "every click is a row or in a count");
    let metrics = get(&t.addr, "/metrics", &[("Authorization", &format!("Bearer {TOKEN}"))]).body;
    assert!(metrics.contains(&format!("chorus_clicks_past_allowance_total {counted}\n")), "the operator sees the flood: {metrics}");

    // Totals are exact everywhere.
    let stats = t.json("/api/v1/stats?by=campaign");
    let row = stats["rows"].as_array().unwrap().iter().find(|r| r["key"] == campaign.as_str()).unwrap().clone();
    assert_eq!((row["clicks"].as_i64(), row["bots"].as_i64(), row["visitors"].as_i64()), (Some(FLOOD), Some(BOTS), Some(1)));
    let by_day: i64 = t.json("/api/v1/stats?by=day")["rows"].as_array().unwrap().iter().map(|r| r["clicks"].as_i64().unwrap()).sum();
    assert_eq!(by_day, FLOOD);
    let campaigns = t.json("/api/v1/campaigns");
    let public = campaigns["campaigns"].as_array().unwrap().iter().find(|c| c["campaign"] == campaign.as_str()).unwrap().clone();
    assert_eq!((public["clicks"].as_i64(), public["visitors"].as_i64()), (Some(FLOOD), Some(1)));
    let mine = t.json(&format!("/api/v1/ambassador/{id}"));
    assert_eq!((mine["clicks"].as_i64(), mine["visitors"].as_i64()), (Some(FLOOD / 3), Some(1)));
    let dashboard = get(&t.addr, "/dashboard", &[("Authorization", &format!("Bearer {TOKEN}"))]);
    assert!(dashboard.body.contains(&format!("<b>{FLOOD}</b>clicks by people")), "{}", dashboard.body);
    assert!(dashboard.body.contains(&format!("<b>{BOTS}</b>bots")), "bots apart");

    // The export: a row per stored click, a row per hourly count, and the
    // `clicks` column sums to the totals.
    let csv = get(&t.addr, "/api/v1/export.csv", &[("Authorization", &format!("Bearer {TOKEN}"))]);
    assert_eq!(csv.status, 200);
    let body = common::dechunk(&csv);
    let mut lines = body.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header.last(), Some(&"clicks"));
    let (column, bot) = (header.len() - 1, header.iter().position(|h| *h == "bot").unwrap());
    let (mut people, mut bots, mut count_rows) = (0, 0, 0);
    for line in lines {
        let fields: Vec<&str> = line.split(',').collect();
        let n: i64 = fields[column].parse().unwrap();
        if fields[0].is_empty() {
            count_rows += 1;
        }
        if fields[bot] == "1" {
            bots += n;
        } else {
            people += n;
        }
    }
    assert_eq!((people, bots), (FLOOD, BOTS));
    assert!(count_rows >= 1, "the counts are exported");
    drop(t);

    // `chorus report` reads the same totals.
    let report =
        Command::new(env!("CARGO_BIN_EXE_chorus")).args(["report", "--database", database, "--by", "campaign", "--format", "json"]).output().unwrap();
    assert!(report.status.success(), "{}", String::from_utf8_lossy(&report.stderr));
    let v: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    let row = v["rows"].as_array().unwrap().iter().find(|r| r["key"] == campaign.as_str()).unwrap().clone();
    assert_eq!((row["clicks"].as_i64(), row["bots"].as_i64()), (Some(FLOOD), Some(BOTS)));
}

#[test]
fn a_flood_takes_bounded_room_with_exact_totals_on_sqlite() {
    let (hub, links) = built_hub();
    a_flood_takes_bounded_room_with_exact_totals(hub.path("tracker.db").to_str().unwrap(), &links);
}

#[test]
fn a_flood_takes_bounded_room_with_exact_totals_on_postgres() {
    let Some(schema) = PgSchema::create("flood") else { return };
    let (_hub, links) = built_hub();
    a_flood_takes_bounded_room_with_exact_totals(&schema.url, &links);
}

/// Rolling up keeps every figure: clicks past the allowance (in
/// `click_counts`) and the unique figures (each in the hour of its first
/// click or beacon of the day) read the same before and after the hours are
/// closed, and match what the rows say. `rewind` moves the roll-up state back
/// to an hour, as on a tracker that has run for a while.
fn counts_and_unique_figures_survive_the_roll_up(database: &str, links: &Path, rewind: impl FnOnce(i64)) {
    use chorus::tracker::click::{now_ms, Click, Event, EventKind};
    use chorus::tracker::store::{GroupBy, StatsQuery};
    use std::collections::HashSet;
    const HOUR: i64 = 3_600_000;
    let rt = tokio::runtime::Runtime::new().unwrap();
    let links = chorus::tracker::read_links(links).unwrap();
    let ambassador = "k0123456789abcdef0123456789abcdef".to_string();
    let store = rt.block_on(async {
        let store = chorus::tracker::store::open(database).await.unwrap();
        store.migrate().await.unwrap();
        store.upsert_links(&links).await.unwrap();
        let name = chorus::tracker::display_name::clean("Alex").unwrap();
        assert!(store.set_ambassador_name(&ambassador, Some(&name)).await.unwrap());
        store
    });
    let now = now_ms();
    rewind(now.div_euclid(HOUR) - 4);
    let a = links[0].code.as_str().to_string();
    let click = |ago: i64, visitor: Option<u8>, aggregate: bool| Click {
        at_ms: now - ago,
        code: a.clone(),
        ambassador: Some(ambassador.clone()),
        bot: false,
        visitor: visitor.map(|v| [v; 16]),
        aggregate,
    };
    // Visitor 1 in three hours, past its allowance in the first; visitor 2
    // once; two clicks without a hash.
    let mut clicks = vec![click(3 * HOUR, Some(1), false)];
    clicks.extend((0..7).map(|i| click(3 * HOUR - i - 1, Some(1), true)));
    clicks.extend([click(2 * HOUR, Some(1), false), click(2 * HOUR, Some(2), false), click(HOUR, None, false), click(0, None, false)]);
    clicks.extend((0..4).map(|_| click(0, Some(1), true)));
    let event = |ago: i64, kind, visitor: Option<u8>| Event {
        at_ms: now - ago,
        code: a.clone(),
        kind,
        ambassador: Some(ambassador.clone()),
        visitor: visitor.map(|v| [v; 16]),
    };
    let events = [
        event(3 * HOUR, EventKind::Copy, Some(7)),
        event(2 * HOUR, EventKind::Copy, Some(7)),
        event(2 * HOUR, EventKind::Share, None),
        event(0, EventKind::Share, None),
    ];
    let mut committer = rt.block_on(store.committers()).unwrap().remove(0);
    committer.commit(&clicks, &events, &[]).unwrap();
    drop(committer);
    // What the rows say: people once per (day, visitor or none).
    let day = |at: i64| at.div_euclid(86_400_000);
    let visitors = clicks.iter().map(|c| (day(c.at_ms), c.visitor)).collect::<HashSet<_>>().len() as i64;
    let unique = |kind| events.iter().filter(|e| e.kind == kind).map(|e| (day(e.at_ms), e.visitor)).collect::<HashSet<_>>().len() as i64;

    let figures = || {
        rt.block_on(async {
            let by = |by| StatsQuery { by, ..StatsQuery::default() };
            (
                store.stats(&by(GroupBy::Day)).await.unwrap(),
                store.stats(&by(GroupBy::Campaign)).await.unwrap(),
                store.campaign_totals().await.unwrap(),
                store.ambassador_totals(&ambassador).await.unwrap(),
                store.leaderboard(10).await.unwrap(),
            )
        })
    };
    let before = figures();
    let totals = before.2.iter().find(|c| c.campaign == links[0].campaign).unwrap();
    assert_eq!(totals.clicks, clicks.len() as i64, "{before:?}");
    assert_eq!((totals.visitors, totals.unique_copies, totals.unique_shares), (visitors, unique(EventKind::Copy), unique(EventKind::Share)));
    assert_eq!((totals.copies, totals.shares), (2, 2));
    assert_eq!((before.3.clicks, before.3.visitors, before.3.unique_copies), (clicks.len() as i64, visitors, unique(EventKind::Copy)));
    assert_eq!((before.4[0].clicks, before.4[0].visitors), (clicks.len() as i64, visitors));
    let closed = rt.block_on(store.roll_up(now)).unwrap();
    assert!((3..=4).contains(&closed), "hours closed: {closed}");
    assert_eq!(figures(), before, "the same figures once rolled up");
    assert!(number(database, "SELECT SUM(humans) FROM hourly") >= 10, "the counts of closed hours are in the rollups");
}

#[test]
fn counts_and_unique_figures_survive_the_roll_up_on_sqlite() {
    let (_hub, links) = built_hub();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    counts_and_unique_figures_survive_the_roll_up(db.to_str().unwrap(), &links, |hour| {
        rusqlite::Connection::open(&db).unwrap().execute("UPDATE rollup_state SET through_hour = ?1", [hour]).unwrap();
    });
}

#[test]
fn counts_and_unique_figures_survive_the_roll_up_on_postgres() {
    let Some(schema) = PgSchema::create("rollup") else { return };
    let (_hub, links) = built_hub();
    counts_and_unique_figures_survive_the_roll_up(&schema.url, &links, |hour| {
        schema.batch_execute(&format!("UPDATE {}.rollup_state SET through_hour = {hour}", schema.name));
    });
}
