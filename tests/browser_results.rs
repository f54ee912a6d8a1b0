//! Results in a real headless Chromium, on the sample hub served by `chorus
//! serve` with its embedded tracker: a guide completed and the policy
//! acknowledged each send one anonymous beacon, once per browser; the home
//! page says what the last 30 days of sharing brought.
//!
//! Without Chromium the test is skipped, unless `CHORUS_TEST_STRICT=1` (as in
//! CI), where a missing browser is a failure.

mod common;

use common::browser::{launch, text_of, wait_for};
use common::Hub;

/// The milestones the tracker stored: (kind, subject, version).
fn stored(db: &std::path::Path) -> Vec<(String, String, String)> {
    let Ok(conn) = rusqlite::Connection::open(db) else { return Vec::new() };
    let Ok(mut stmt) = conn.prepare("SELECT kind, subject, version FROM milestones ORDER BY id") else { return Vec::new() };
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).map(|rows| rows.map_while(Result::ok).collect()).unwrap_or_default()
}

#[test]
fn a_completed_guide_and_an_acknowledged_policy_are_counted_once_in_chromium() {
    let hub = Hub::sample();
    let db = hub.path("milestones.db");
    let serve = common::serve::Serve::start(&hub, &["--database", db.to_str().unwrap()]);
    let base = format!("http://{}", serve.addr);
    let profile = tempfile::tempdir().unwrap();
    let Some(browser) = launch(profile.path()) else { return };
    let tab = browser.new_tab().unwrap();

    // The last module marked done on its own page completes the guide: one beacon.
    tab.navigate_to(&format!("{base}/formation/")).unwrap().wait_until_navigated().unwrap();
    let modules: Vec<String> = serde_json::from_str(&text_of(
        &tab,
        "JSON.stringify(Array.from(document.querySelectorAll('.module-title a')).map(a => a.getAttribute('href')))",
    ))
    .unwrap();
    let (last, others) = modules.split_last().unwrap();
    tab.evaluate(&format!("{}.forEach(m => localStorage.setItem('chorus:module:' + m, '1'))", serde_json::json!(others)), false).unwrap();
    tab.navigate_to(&format!("{base}{last}")).unwrap().wait_until_navigated().unwrap();
    assert!(stored(&db).is_empty(), "nothing is sent before the guide is complete");
    tab.wait_for_element("button.module-done").unwrap().click().unwrap();
    wait_for("the complete beacon", || (stored(&db).len() == 1).then_some(()));
    assert_eq!(stored(&db), [("complete".into(), "formation".into(), String::new())]);
    // The guide's page, shown again, does not send it twice.
    tab.navigate_to(&format!("{base}/formation/")).unwrap().wait_until_navigated().unwrap();
    assert_eq!(text_of(&tab, "String(document.querySelector('.certificate').hidden)"), "false");

    // The policy: "J'ai lu la version 2.2", then the date it was read, kept here.
    tab.navigate_to(&format!("{base}/politique/")).unwrap().wait_until_navigated().unwrap();
    let button = tab.wait_for_element("button.policy-ack-button").unwrap();
    assert_eq!(text_of(&tab, "document.querySelector('button.policy-ack-button').textContent"), "J'ai lu la version 2.2");
    button.click().unwrap();
    let status = text_of(&tab, "document.querySelector('.policy-ack-status').textContent");
    assert!(status.starts_with("Vous avez confirmé avoir lu la version 2.2 le "), "{status}");
    wait_for("the ack beacon", || (stored(&db).len() == 2).then_some(()));
    assert_eq!(stored(&db)[1], ("ack".into(), "politique".into(), "2.2".into()));
    tab.reload(false, None).unwrap().wait_until_navigated().unwrap();
    wait_for("the page to know it was read", || {
        (text_of(&tab, "String(document.querySelector('button.policy-ack-button').hidden)") == "true").then_some(())
    });
    assert_eq!(text_of(&tab, "document.querySelector('.policy-ack-status').textContent"), status);
    // Nothing that names the person was kept, and nothing was sent twice.
    let kept = text_of(&tab, "JSON.stringify(Object.keys(localStorage).filter(k => k.startsWith('chorus:')).sort())");
    assert!(kept.contains("chorus:sent:complete:formation") && kept.contains("chorus:sent:ack:politique@2.2"), "{kept}");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(stored(&db).len(), 2, "each once");
}

#[test]
fn the_home_page_says_what_the_last_30_days_brought_in_chromium() {
    let hub = Hub::sample();
    let serve = common::serve::Serve::start(&hub, &[]);
    let tracker = serve.tracker.clone().expect("the embedded tracker");
    let base = format!("http://{}", serve.addr);
    let profile = tempfile::tempdir().unwrap();
    let Some(browser) = launch(profile.path()) else { return };
    let tab = browser.new_tab().unwrap();

    // No click yet: the line stays hidden rather than saying "0".
    tab.navigate_to(&format!("{base}/")).unwrap().wait_until_navigated().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(text_of(&tab, "String(document.querySelector('.impact-total').hidden)"), "true");

    // Two readers follow a post's link.
    tab.navigate_to(&format!("{base}/campagnes/nouvelle-gamme-hiver/")).unwrap().wait_until_navigated().unwrap();
    tab.wait_for_element("textarea.post-text").unwrap();
    let post = text_of(&tab, "document.querySelector('.post-linkedin textarea').value");
    let link = post.split_whitespace().find(|w| w.starts_with(&format!("{tracker}/c/"))).expect("the tracked link");
    for agent in
        ["Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Safari/605.1.15"]
    {
        let reader = common::get(tracker.trim_start_matches("http://"), link.trim_start_matches(&tracker), &[("User-Agent", agent)]);
        assert_eq!(reader.status, 302);
    }

    for (home, expected) in [
        ("/", "Ces 30 derniers jours, vos publications ont apporté 2 visites à acme.example. Merci à toutes celles et ceux qui partagent !"),
        ("/en/", "Over the last 30 days, your posts brought 2 visits to acme.example. Thank you to everyone who shares!"),
    ] {
        tab.navigate_to(&format!("{base}{home}")).unwrap().wait_until_navigated().unwrap();
        let line = wait_for("the collective result", || {
            let t = text_of(&tab, "(() => { const p = document.querySelector('.impact-total'); return p && !p.hidden ? p.textContent : ''; })()");
            (!t.is_empty()).then_some(t)
        });
        assert_eq!(line, expected);
    }
}
