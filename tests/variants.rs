//! Variants handed out in turn, in a real headless Chromium (Debian's
//! `chromium`, over CDP): each browser sees a campaign's variants rotated by
//! its own turn, from a random id kept in its localStorage (README, "Share
//! engine"); the same browser keeps its order, and the numbers read 1..n.
//!
//! Without Chromium the tests are skipped, unless `CHORUS_TEST_STRICT=1` (as in
//! CI), where a missing browser is a failure.

mod common;

use common::browser::{launch, serve, text_of, wait_for};
use common::Hub;
use headless_chrome::Tab;

/// Where chorus.js keeps the browser's id.
const ID_KEY: &str = "chorus:variant-id";

/// A browser's turn for a campaign: FNV-1a (32 bits) of its id, a space and the
/// campaign id, modulo the number of variants, as chorus.js computes it.
fn turn(id: &str, campaign: &str, count: u32) -> usize {
    let hash = format!("{id} {campaign}").bytes().fold(2_166_136_261u32, |h, b| (h ^ u32::from(b)).wrapping_mul(16_777_619));
    (hash % count) as usize
}

/// An id (32 hex digits, as chorus.js makes them) whose turn is `wanted`.
fn id_with_turn(campaign: &str, count: u32, wanted: usize) -> String {
    (0u128..).map(|i| format!("{i:032x}")).find(|id| turn(id, campaign, count) == wanted).unwrap()
}

/// The page's variants in reading order: snippet id, heading, and the number
/// in the hidden label of its first Copy button.
fn variants(tab: &Tab) -> Vec<(String, String, String)> {
    let json = text_of(
        tab,
        "JSON.stringify(Array.from(document.querySelectorAll('section.snippet'), s => [s.dataset.snippet, \
         s.querySelector('h3').textContent, s.querySelector('button.copy [data-snippet-number]').textContent]))",
    );
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

/// The snippet ids in reading order.
fn order(tab: &Tab) -> Vec<String> {
    variants(tab).into_iter().map(|(id, _, _)| id).collect()
}

/// Asserts that the variants are numbered 1..n in reading order.
fn assert_numbered_in_order(tab: &Tab) {
    for (i, (id, heading, label)) in variants(tab).iter().enumerate() {
        assert!(heading.starts_with(&format!("Variante {}", i + 1)), "{id}: {heading:?} at position {}", i + 1);
        assert_eq!(label, &(i + 1).to_string(), "{id}: the Copy button's hidden label");
    }
}

/// Reloads the page and waits until the new one is loaded (its deferred
/// scripts have run then).
fn reload(tab: &Tab) {
    tab.evaluate("window.beforeReload = true", false).unwrap();
    tab.reload(false, None).unwrap();
    wait_for("the reloaded page", || {
        (text_of(tab, "!window.beforeReload && document.readyState === 'complete' ? 'loaded' : ''") == "loaded").then_some(())
    });
}

/// Opens `url` and waits until the page is loaded.
fn open(tab: &Tab, url: &str) {
    tab.navigate_to(url).unwrap();
    let loaded = format!("location.href === '{url}' && document.readyState === 'complete' ? 'loaded' : ''");
    wait_for("the page", || (text_of(tab, &loaded) == "loaded").then_some(()));
}

/// axe-core's WCAG A and AA violations on the page, as tests/quality.rs runs it
/// (none when axe-core is not installed and the run is not strict).
fn axe_violations(tab: &Tab) -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/a11y/node_modules/axe-core/axe.min.js");
    let Ok(axe) = std::fs::read_to_string(&path) else {
        assert!(!common::strict(), "CHORUS_TEST_STRICT=1 and no axe-core: npm ci --prefix tests/a11y");
        return Vec::new();
    };
    tab.evaluate(&axe, false).expect("axe-core loads");
    let run = "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
        .then(r => JSON.stringify(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(' | '))))";
    let result = tab.evaluate(run, true).expect("axe runs");
    serde_json::from_str(result.value.as_ref().and_then(|v| v.as_str()).unwrap_or("[]")).unwrap()
}

/// Stores `id` as the browser's id and reloads the page.
fn reload_with_id(tab: &Tab, id: &str) {
    tab.evaluate(&format!("localStorage.setItem('{ID_KEY}', '{id}')"), false).unwrap();
    reload(tab);
}

#[test]
fn each_browser_sees_its_own_variant_first_and_keeps_it_on_reload() {
    let hub = Hub::copy("basic");
    hub.build();
    let base = serve(&hub.path("public"));
    let page = format!("{base}/campagnes/salon/");
    let server_order = ["teaser", "jour-j"];

    // A fresh browser makes its id once and keeps it; its order follows from it.
    let first_profile = tempfile::tempdir().unwrap();
    let Some(first) = launch(first_profile.path()) else { return };
    let tab = first.new_tab().unwrap();
    open(&tab, &page);
    let made = wait_for("the browser's id", || Some(text_of(&tab, &format!("localStorage.getItem('{ID_KEY}') || ''"))).filter(|s| !s.is_empty()));
    assert!(made.len() == 32 && made.bytes().all(|b| b.is_ascii_hexdigit()), "{made}");
    let expected = server_order[turn(&made, "salon-2027", 2)];
    assert_eq!(order(&tab)[0], expected, "the first variant follows from the id {made}");
    reload(&tab);
    assert_eq!(text_of(&tab, &format!("localStorage.getItem('{ID_KEY}')")), made, "the id is kept");
    assert_eq!(order(&tab)[0], expected, "the same browser, the same order");

    // Two browsers whose ids give different turns see different first variants.
    let zero = id_with_turn("salon-2027", 2, 0);
    let one = id_with_turn("salon-2027", 2, 1);
    reload_with_id(&tab, &zero);
    assert_eq!(order(&tab), server_order);
    assert_numbered_in_order(&tab);
    let second_profile = tempfile::tempdir().unwrap();
    let Some(second) = launch(second_profile.path()) else { return };
    let other = second.new_tab().unwrap();
    open(&other, &page);
    reload_with_id(&other, &one);
    assert_eq!(order(&other), ["jour-j", "teaser"], "the other browser starts with the other variant");
    assert_numbered_in_order(&other);
    reload(&other);
    assert_eq!(order(&other), ["jour-j", "teaser"], "and keeps it on reload");
    // The cards moved, not only their look: the first Copy button in tab order is the first variant's.
    let first_copy = text_of(&other, "document.querySelector('button.copy').getAttribute('data-copy-target')");
    assert!(first_copy.starts_with("post-jour-j-"), "{first_copy}");
    assert_eq!(axe_violations(&other), Vec::<String>::new(), "the reordered page passes axe-core");
    // The first profile still has its own id and order.
    reload(&tab);
    assert_eq!(order(&tab), server_order);

    // Without storage (blocked by the browser), the server's order stays.
    use headless_chrome::protocol::cdp::Page::AddScriptToEvaluateOnNewDocument;
    let blocked = second.new_tab().unwrap();
    blocked
        .call_method(AddScriptToEvaluateOnNewDocument {
            source: "Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('blocked', 'SecurityError'); } });".into(),
            world_name: None,
            include_command_line_api: None,
            run_immediately: None,
        })
        .unwrap();
    open(&blocked, &page);
    assert_eq!(text_of(&blocked, "document.documentElement.classList.contains('js') ? 'js' : ''"), "js", "chorus.js ran");
    assert_eq!(order(&blocked), server_order, "no id, no rotation");
    assert_numbered_in_order(&blocked);
}

/// The posts to share today (`data-current`, rendered first) rotate among
/// themselves; the others stay after them, in their place and with their number.
#[test]
fn only_the_variants_to_share_today_rotate() {
    let hub = Hub::copy("basic");
    let campaign = hub.read("content/campagnes/salon.md");
    let third = "  - id: rappel\n    text: \"Dernier rappel : venez nous voir. {link} #AcmeTeam\"";
    assert!(campaign.contains("\n---\nPourquoi"));
    hub.write("content/campagnes/salon.md", &campaign.replacen("\n---\nPourquoi", &format!("\n{third}\n---\nPourquoi"), 1));
    hub.build();
    // The campaign has not started, so the theme marks none of its posts as
    // today's: mark the first two here, as the theme does for posts in their window.
    let file = "public/campagnes/salon/index.html";
    let html = hub.read(file);
    assert!(!html.contains("data-current"), "no post of an upcoming campaign is current");
    let marked = ["teaser", "jour-j"].iter().fold(html, |h, id| {
        let at = format!("id=\"snippet-{id}\"");
        assert!(h.contains(&at), "{at}");
        h.replacen(&at, &format!("{at} data-current"), 1)
    });
    hub.write(file, &marked);

    let base = serve(&hub.path("public"));
    let profile = tempfile::tempdir().unwrap();
    let Some(browser) = launch(profile.path()) else { return };
    let tab = browser.new_tab().unwrap();
    open(&tab, &format!("{base}/campagnes/salon/"));
    assert_eq!(order(&tab).len(), 3, "{:?}", variants(&tab));
    reload_with_id(&tab, &id_with_turn("salon-2027", 2, 1));
    assert_eq!(order(&tab), ["jour-j", "teaser", "rappel"]);
    assert_numbered_in_order(&tab);
    reload_with_id(&tab, &id_with_turn("salon-2027", 2, 0));
    assert_eq!(order(&tab), ["teaser", "jour-j", "rappel"]);
    assert_numbered_in_order(&tab);
}
