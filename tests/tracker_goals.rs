//! A campaign's goal, from its front matter to the tracker's figures, on the
//! real binary over real HTTP with real SQLite and PostgreSQL: the goal
//! travels in links.json, and only human clicks count toward it.

mod common;

use std::path::Path;

use common::tracker::{PgSchema, Tracker, BROWSER, TOKEN};
use common::{get, Hub};

/// The basic fixture with `goal` added to the salon campaign, built.
fn hub_with_goal(goal: &str) -> Hub {
    let hub = Hub::copy("basic");
    let page = std::fs::read_to_string(hub.path("content/campagnes/salon.md")).unwrap();
    hub.write("content/campagnes/salon.md", &page.replacen("campaign: salon-2027\n", &format!("campaign: salon-2027\n{goal}\n"), 1));
    hub
}

/// The codes of the salon campaign's links.
fn salon_codes(links: &Path) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(links).unwrap()).unwrap();
    v["links"].as_array().unwrap().iter().filter(|l| l["campaign"] == "salon-2027").map(|l| l["code"].as_str().unwrap().to_string()).collect()
}

/// 3 people and 2 bots click salon-2027's links; its goal of 4 clicks shows
/// "3 / 4 clicks (75 %)" on the dashboard, and `{metric, target}` in the
/// public totals and the admin's stats.
fn goal_progress_counts_people_only(database: &str, links: &Path) {
    let manifest: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(links).unwrap()).unwrap();
    assert_eq!(manifest["campaigns"], serde_json::json!([{ "campaign": "salon-2027", "goal": { "metric": "clicks", "target": 4 } }]));
    let t = Tracker::options().flags(&["--trust-proxy"]).start(database, links);
    let codes = salon_codes(links);
    for (i, address) in ["198.51.100.1", "198.51.100.2", "198.51.100.3"].iter().enumerate() {
        let r = get(&t.addr, &format!("/c/{}", codes[i % codes.len()]), &[("User-Agent", BROWSER), ("X-Forwarded-For", address)]);
        assert_eq!(r.status, 302);
    }
    for bot in ["LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)", "Twitterbot/1.0"] {
        assert_eq!(get(&t.addr, &format!("/c/{}", codes[0]), &[("User-Agent", bot), ("X-Forwarded-For", "203.0.113.9")]).status, 302);
    }
    let goal = serde_json::json!({ "metric": "clicks", "target": 4 });

    let campaigns = t.json("/api/v1/campaigns");
    let salon = campaigns["campaigns"].as_array().unwrap().iter().find(|c| c["campaign"] == "salon-2027").unwrap().clone();
    assert_eq!((salon["clicks"].as_i64(), &salon["goal"]), (Some(3), &goal), "{campaigns}");

    let stats = t.json("/api/v1/stats?by=campaign");
    let row = stats["rows"].as_array().unwrap().iter().find(|r| r["key"] == "salon-2027").unwrap().clone();
    assert_eq!((row["clicks"].as_i64(), row["bots"].as_i64(), &row["goal"]), (Some(3), Some(2), &goal), "{stats}");
    let one = t.json("/api/v1/stats?campaign=salon-2027&by=network");
    assert_eq!(one["goal"], goal);
    let other = t.json("/api/v1/stats?campaign=rapport&by=network");
    assert_eq!(other["goal"], serde_json::Value::Null, "a campaign without a goal has none");

    let auth = format!("Bearer {TOKEN}");
    let dash = get(&t.addr, "/dashboard", &[("Authorization", &auth)]);
    assert_eq!(dash.status, 200, "{}", dash.body);
    assert!(dash.body.contains("<h2>Goals</h2>"), "{}", dash.body);
    assert!(
        dash.body.contains(
            "<progress max=\"4\" value=\"3\" aria-label=\"salon-2027: 3 / 4 clicks (75 %)\">3 / 4 clicks (75 %)</progress> 3 / 4 clicks (75 %)"
        ),
        "{}",
        dash.body
    );
}

#[test]
fn goal_progress_counts_people_only_on_sqlite() {
    let hub = hub_with_goal("goal: { clicks: 4 }");
    hub.build();
    goal_progress_counts_people_only(hub.path("tracker.db").to_str().unwrap(), &hub.path("public/_chorus/links.json"));
}

#[test]
fn goal_progress_counts_people_only_on_postgres() {
    let Some(schema) = PgSchema::create("goals") else { return };
    let hub = hub_with_goal("goal: { clicks: 4 }");
    hub.build();
    goal_progress_counts_people_only(&schema.url, &hub.path("public/_chorus/links.json"));
}

#[test]
fn a_bad_goal_fails_the_build_at_its_line() {
    for (goal, message) in
        [("goal: { clicks: 0 }", "must be a positive"), ("goal: { clicks: 5, visitors: 3 }", "sets both"), ("goal: { views: 5 }", "views")]
    {
        let hub = hub_with_goal(goal);
        let run = hub.chorus(&["build", "--now", "2026-11-25", "--no-minify"]);
        assert_ne!(run.code, 0, "{goal}");
        assert!(run.stderr.contains(message), "{goal}: {}", run.stderr);
        assert!(run.stderr.contains("salon.md:6:"), "{goal}: {}", run.stderr);
    }
}

#[test]
fn a_translation_takes_its_originals_goal_and_may_not_set_another() {
    let translation = |goal: &str| {
        format!("---\ntitle: Job fair\ncampaign: salon-2027\n{goal}\nsnippets:\n  - id: teaser\n    text: \"Come and meet us. {{link}} #AcmeTeam\"\n---\nThe fair.\n")
    };
    let hub = hub_with_goal("goal: { visitors: 40 }");
    hub.write("content/campagnes/salon.en.md", &translation(""));
    hub.build();
    let manifest: serde_json::Value = serde_json::from_str(&hub.read("public/_chorus/links.json")).unwrap();
    assert_eq!(manifest["campaigns"], serde_json::json!([{ "campaign": "salon-2027", "goal": { "metric": "visitors", "target": 40 } }]));
    hub.write("content/campagnes/salon.en.md", &translation("goal: { visitors: 30 }"));
    let run = hub.chorus(&["build", "--now", "2026-11-25", "--no-minify"]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("salon.en.md:4:1"), "{}", run.stderr);
    assert!(run.stderr.contains("differs from the"), "{}", run.stderr);
}
