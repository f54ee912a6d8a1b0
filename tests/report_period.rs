//! `chorus report --period`: the monthly report on the database a real
//! `chorus track` wrote, clicks and beacons sent over HTTP, on SQLite and
//! PostgreSQL. Every figure is checked against what was sent; the HTML is
//! self-contained and prints on A4 in headless Chromium.

mod common;

use std::path::Path;
use std::process::Command;

use chrono::{Datelike, Utc};
use common::tracker::{PgSchema, Tracker, BROWSER, HUB_ORIGIN};
use common::{browser, get, post, Hub};

/// The basic fixture (Europe/Paris) with a goal of 10 clicks on the salon
/// campaign and EMV rates, built.
fn hub() -> Hub {
    let hub = Hub::copy("basic");
    let page = hub.read("content/campagnes/salon.md");
    hub.write("content/campagnes/salon.md", &page.replacen("campaign: salon-2027\n", "campaign: salon-2027\ngoal: { clicks: 10 }\n", 1));
    let yaml = hub.read("hub.yaml");
    hub.write("hub.yaml", &format!("{yaml}timezone: Europe/Paris\nreport:\n  emv: {{ currency: EUR, cpc: {{ linkedin: 5.0, x: 1.5 }} }}\n"));
    let run = hub.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    hub
}

/// The salon campaign's links as (code, snippet, network).
fn salon_links(links: &Path) -> Vec<(String, String, String)> {
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(links).unwrap()).unwrap();
    v["links"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["campaign"] == "salon-2027")
        .map(|l| (l["code"].as_str().unwrap().into(), l["snippet"].as_str().unwrap().into(), l["network"].as_str().unwrap().into()))
        .collect()
}

fn code<'a>(links: &'a [(String, String, String)], snippet: &str, network: &str) -> &'a str {
    &links.iter().find(|l| l.1 == snippet && l.2 == network).unwrap().0
}

/// Sends over HTTP: on teaser/linkedin 4 people click and 2 bots; on
/// jour-j/x 2 people click; teaser/linkedin is copied by 2 browsers and
/// shared by 1, jour-j/x copied by 2; the guide is completed by 3 browsers
/// and the policy's 2.1 acknowledged by 2. Returns when the tracker has stopped.
fn send(database: &str, links_json: &Path) {
    let t = Tracker::options().flags(&["--trust-proxy"]).start(database, links_json);
    let links = salon_links(links_json);
    let (teaser, jour_j) = (code(&links, "teaser", "linkedin"), code(&links, "jour-j", "x"));
    let mut n = 0;
    let mut from = |path: String, agent: &str| {
        n += 1;
        let ip = format!("198.51.100.{n}");
        assert_eq!(get(&t.addr, &path, &[("User-Agent", agent), ("X-Forwarded-For", &ip)]).status, 302);
    };
    for _ in 0..4 {
        from(format!("/c/{teaser}"), BROWSER);
    }
    for _ in 0..2 {
        from(format!("/c/{jour_j}"), BROWSER);
    }
    from(format!("/c/{teaser}"), "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)");
    from(format!("/c/{teaser}"), "Twitterbot/1.0");
    let beacons = [("copy", teaser), ("copy", teaser), ("share", teaser), ("copy", jour_j), ("copy", jour_j)];
    for (i, (event, code)) in beacons.iter().enumerate() {
        let ip = format!("203.0.113.{}", i + 1);
        let body = format!("{{\"event\":\"{event}\",\"code\":\"{code}\"}}");
        let r = post(&t.addr, "/e", &body, &[("Origin", HUB_ORIGIN), ("Content-Type", "text/plain;charset=UTF-8"), ("X-Forwarded-For", &ip)]);
        assert_eq!(r.status, 204, "{}", r.body);
    }
    let milestones = [(r#"{"event":"complete","guide":"guide"}"#, 3), (r#"{"event":"ack","policy":"politique","version":"2.1"}"#, 2)];
    for (body, browsers) in milestones {
        for i in 0..browsers {
            let ip = format!("192.0.2.{}", i + 1);
            let r = post(&t.addr, "/e", body, &[("Origin", HUB_ORIGIN), ("Content-Type", "text/plain;charset=UTF-8"), ("X-Forwarded-For", &ip)]);
            assert_eq!(r.status, 204, "{}", r.body);
        }
    }
}

/// `chorus report <args>` in the hub: (exit code, stdout, stderr).
fn report(hub: &Hub, args: &[&str]) -> (i32, String, String) {
    let out =
        Command::new(env!("CARGO_BIN_EXE_chorus")).arg("report").args(args).args(["--color", "never"]).current_dir(hub.root()).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// This month in the hub's time zone, YYYY-MM (the clicks were just sent).
fn this_month() -> String {
    let now = Utc::now().with_timezone(&chrono_tz::Europe::Paris);
    format!("{:04}-{:02}", now.year(), now.month())
}

/// What every backend must report for what [`send`] sent.
fn figures_match_what_was_sent(hub: &Hub, database: &str) {
    let month = this_month();
    let (code, out, err) = report(hub, &["--database", database, "--period", &month, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["totals"], serde_json::json!({"clicks": 6, "visitors": 6, "copies": 4, "shares": 1, "bots": 2}), "{r:#}");
    assert_eq!(r["previous_totals"]["clicks"], 0);
    assert_eq!(r["period"]["from"], format!("{month}-01"));
    assert_eq!(r["time_zone"], "Europe/Paris");
    let salon = r["campaigns"].as_array().unwrap().iter().find(|c| c["campaign"] == "salon-2027").unwrap();
    assert_eq!(salon["title"], "Salon de l'emploi", "titles come from the hub");
    assert_eq!(salon["goal"], serde_json::json!({"metric": "clicks", "target": 10, "done": 6, "percent": 60}));
    // EMV: 4 human clicks on LinkedIn at 5.00 and 2 on X at 1.50; the bots never count.
    assert_eq!(salon["emv"], 23.0);
    assert_eq!(r["emv"]["total"], 23.0);
    assert_eq!(r["emv"]["rates"], serde_json::json!({"linkedin": 5.0, "x": 1.5}));
    let networks: Vec<(String, i64, i64)> = r["networks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["network"].as_str().unwrap().into(), n["clicks"].as_i64().unwrap(), n["bots"].as_i64().unwrap()))
        .collect();
    assert_eq!(networks, [("linkedin".to_string(), 4, 2), ("x".to_string(), 2, 0)]);
    // The funnel per post, ranked by clicks per copy or share: jour-j 2 clicks / 2 copies = 1.0, teaser 4 / 3 = 1.33.
    let variants: Vec<(String, i64, i64, f64)> = r["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["snippet"].as_str().unwrap().into(),
                v["copies"].as_i64().unwrap() + v["shares"].as_i64().unwrap(),
                v["clicks"].as_i64().unwrap(),
                v["clicks_per_share"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(variants.iter().map(|v| v.0.as_str()).collect::<Vec<_>>(), ["teaser", "jour-j"], "{variants:?}");
    assert_eq!((variants[0].1, variants[0].2), (3, 4));
    assert!((variants[0].3 - 4.0 / 3.0).abs() < 1e-9 && (variants[1].3 - 1.0).abs() < 1e-9);
    let days = r["days"].as_array().unwrap();
    assert_eq!(days.iter().map(|d| d["clicks"].as_i64().unwrap()).sum::<i64>(), 6, "clicks by day add up");
    assert_eq!(
        days.len() as u32,
        chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
            .unwrap()
            .iter_days()
            .take_while(|d| d.format("%Y-%m").to_string() == month)
            .count() as u32
    );

    let (_, csv, _) = report(hub, &["--database", database, "--period", &month, "--format", "csv"]);
    let total = csv.lines().nth(1).unwrap();
    assert!(total.starts_with("total,") && total.contains(",6,6,4,1,2,"), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with("campaign,salon-2027,Salon de l'emploi,6,6,") && l.contains(",10,6,23.00,")), "{csv}");
    let (_, table, _) = report(hub, &["--database", database, "--period", &month]);
    assert!(table.contains("6 / 10 clicks (60%)"), "{table}");

    let (_, md, _) = report(hub, &["--database", database, "--period", &month, "--format", "md"]);
    assert!(md.starts_with("# Bilan du partage"), "French, the hub's default language: {md}");
    assert!(md.contains("| Salon de l'emploi | 6 | 6 | 4 | 1 |"), "{md}");
    assert!(md.contains("23,00\u{a0}EUR") && md.contains("VMA = Σ"), "EMV with its formula: {md}");
    let (_, md_en, _) = report(hub, &["--database", database, "--period", &month, "--format", "md", "--lang", "en"]);
    assert!(md_en.starts_with("# Sharing results") && md_en.contains("EMV = Σ human clicks"), "{md_en}");

    // One campaign only; an unknown one is an error, never zeros.
    let (code, out, _) = report(hub, &["--database", database, "--period", &month, "--format", "json", "--campaign", "salon-2027"]);
    assert_eq!(code, 0);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&out).unwrap()["totals"]["clicks"], 6);
    let (code, _, err) = report(hub, &["--database", database, "--period", &month, "--campaign", "salon-2072"]);
    assert_eq!(code, 1);
    assert!(err.contains("no campaign `salon-2072`"), "{err}");
    let (code, _, err) = report(hub, &["--database", database, "--period", "2026-13"]);
    assert_eq!(code, 1);
    assert!(err.contains("is not a month"), "{err}");
}

#[test]
fn the_period_report_on_sqlite() {
    let hub = hub();
    let db = hub.path("tracker.db");
    let database = db.to_str().unwrap();
    send(database, &hub.path("public/_chorus/links.json"));
    figures_match_what_was_sent(&hub, database);
    the_html_report_is_self_contained_and_prints_on_a4(&hub, database);

    // Two clicks moved to the month before: the comparison sees them there.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let month = this_month();
    let first = chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").unwrap();
    let before = (first - chrono::Duration::days(10)).and_hms_opt(12, 0, 0).unwrap().and_utc().timestamp_millis();
    conn.execute_batch(&format!(
        "UPDATE clicks SET at_ms = {before} WHERE id IN (SELECT id FROM clicks WHERE bot = 0 ORDER BY id LIMIT 2);
         UPDATE rollup_state SET through_hour = {};",
        before / 3_600_000 - 24
    ))
    .unwrap();
    drop(conn);
    let (code, out, err) = report(&hub, &["--database", database, "--period", &month, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!((r["totals"]["clicks"].as_i64(), r["previous_totals"]["clicks"].as_i64()), (Some(4), Some(2)), "{r:#}");
    let (_, md, _) = report(&hub, &["--database", database, "--period", &month, "--format", "md", "--lang", "en"]);
    assert!(md.contains("| Clicks | **4** | +100% (before: 2) |"), "{md}");
    assert!(md.contains("| Guide: Formation |  | 3 |") && md.contains("| Policy: Politique | 2.1 | 2 |"), "{md}");

    // The dashboard's period picker: the same month, compared with as many days before, and the funnel.
    let t = Tracker::start(database, &hub.path("public/_chorus/links.json"));
    let auth = format!("Bearer {}", common::tracker::TOKEN);
    let dash = get(&t.addr, &format!("/dashboard?period={month}"), &[("Authorization", &auth)]);
    assert_eq!(dash.status, 200, "{}", dash.body);
    let body = &dash.body;
    assert!(body.contains(&format!("<input type=\"date\" id=\"from\" name=\"from\" value=\"{month}-01\">")), "{body}");
    assert!(body.contains("<p class=\"kpi\"><b>4</b>clicks by people<small>+100% (before: 2)</small></p>"), "{body}");
    assert!(body.contains("Clicks per copy or share"), "the funnel: {body}");
    assert!(body.contains("<th scope=\"row\">Guide: Formation</th><td></td><td class=\"n\">3</td>"), "{body}");
    assert!(body.contains("aria-current=\"page\">This month</a>") || body.contains(">Last month</a>"), "{body}");
    let all_time = get(&t.addr, "/dashboard", &[("Authorization", &auth)]).body;
    assert!(all_time.contains("<b>6</b>clicks by people</p>"), "all time, no comparison: {all_time}");
    assert_eq!(get(&t.addr, "/dashboard?from=2026-12-31&to=2026-12-01", &[("Authorization", &auth)]).status, 400);
}

#[test]
fn the_period_report_on_postgres() {
    let Some(schema) = PgSchema::create("period") else { return };
    let hub = hub();
    send(&schema.url, &hub.path("public/_chorus/links.json"));
    figures_match_what_was_sent(&hub, &schema.url);
}

/// `--format html --output FILE`: no script and no external reference; in
/// headless Chromium it prints on A4 in two or three pages.
fn the_html_report_is_self_contained_and_prints_on_a4(hub: &Hub, database: &str) {
    let file = hub.path("report.html");
    let (code, out, err) = report(hub, &["--database", database, "--period", &this_month(), "--format", "html", "--output", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("report.html"), "{out}");
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.starts_with("<!DOCTYPE html><html lang=\"fr\">"), "{html}");
    for outside in ["<script", "src=", "href=", "url(", "@import"] {
        assert!(!html.contains(outside), "`{outside}` in a self-contained report");
    }
    assert!(html.contains("<svg") && html.contains("<progress max=\"100\" value=\"60\">"), "chart and goal bar");
    assert!(
        html.contains("<h2>Formation et politique</h2>")
            && html.contains("Formation</th><td></td><td>3</td>")
            && html.contains("Politique</th><td>2.1</td><td>2</td>"),
        "guides completed, policy versions acknowledged: {html}"
    );
    assert!(html.contains("Salon de l&#39;emploi") || html.contains("Salon de l&#x27;emploi") || html.contains("Salon de l'emploi"));

    let profile = tempfile::tempdir().unwrap();
    let Some(chrome) = browser::launch(profile.path()) else { return };
    let tab = chrome.new_tab().unwrap();
    tab.navigate_to(&format!("file://{}", file.display())).unwrap().wait_until_navigated().unwrap();
    let options = headless_chrome::types::PrintToPdfOptions { prefer_css_page_size: Some(true), print_background: Some(true), ..Default::default() };
    let pdf = tab.print_to_pdf(Some(options)).unwrap();
    let pages = count_pages(&pdf);
    assert!((2..=3).contains(&pages), "{pages} A4 pages");
    // A4 is 595 × 842 points.
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("/MediaBox [0 0 594.95996 841.91998]") || text.contains("/MediaBox [0 0 595"), "A4 pages");
}

/// The pages of a PDF: its `/Type /Page` objects (not `/Pages`).
fn count_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type /Page").filter(|(i, _)| !text[i + 11..].starts_with('s')).count()
}
