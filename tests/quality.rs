//! The default theme's quality bar, on the sample hub (this repository's own
//! `content/`): valid HTML on every page (the W3C Nu HTML Checker), WCAG 2.2
//! AA on every page in light and dark mode (axe-core in headless Chromium),
//! and the transfer budgets the README states ("Quality, tested").
//!
//! The checker and axe-core come from npm (`tests/a11y/package.json`, installed
//! by `.ci/run` with `npm ci --prefix tests/a11y`); the checker needs Java.
//! Without them these tests are skipped, unless `CHORUS_TEST_STRICT=1`.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::browser::{launch, serve, wait_for};
use common::{sample_site, sample_site_on};
use headless_chrome::protocol::cdp::Emulation::{MediaFeature, SetEmulatedMedia};

fn tool(rel: &str, install: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/a11y/node_modules").join(rel);
    if path.is_file() {
        return Some(path);
    }
    assert!(!common::strict(), "CHORUS_TEST_STRICT=1 and no {rel}: {install}");
    eprintln!("skipped: no {rel} ({install})");
    None
}

/// Every HTML page of a built site, as URL paths (`/`, `/faq/`, `/404.html`).
fn pages(site: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().strip_prefix(site).unwrap().to_string_lossy().replace('\\', "/"))
        .filter(|p| !p.starts_with("pagefind/"))
        .map(|p| format!("/{}", p.strip_suffix("index.html").unwrap_or(&p)))
        .collect();
    pages.sort();
    pages
}

#[test]
fn every_page_is_valid_html() {
    let Some(vnu) = tool("vnu-jar/build/dist/vnu.jar", "npm ci --prefix tests/a11y, and Java") else { return };
    let out = sample_site();
    let site = out.path().join("site");
    let files: Vec<PathBuf> =
        pages(&site).iter().map(|p| site.join(p.trim_start_matches('/')).join(if p.ends_with('/') { "index.html" } else { "" })).collect();
    assert!(files.len() > 30, "the sample hub has every page kind");
    let run = Command::new("java")
        .arg("-jar")
        .arg(&vnu)
        .args(["--format", "gnu", "--also-check-css"])
        .args(&files)
        .output()
        .expect("java runs the Nu checker");
    let report = String::from_utf8_lossy(&run.stderr).replace(&format!("file:{}", site.display()), "");
    assert!(run.status.success() && report.trim().is_empty(), "the Nu HTML Checker found problems (errors and warnings):\n{report}");
}

/// axe-core's WCAG 2.0/2.1/2.2 A and AA rules.
const AXE_RUN: &str = "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
    .then(r => JSON.stringify(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — ' + n.failureSummary.replace(/\\s+/g, ' ')).join(' | '))))";

#[test]
fn every_page_kind_passes_axe_in_light_and_dark_mode() {
    let Some(axe) = tool("axe-core/axe.min.js", "npm ci --prefix tests/a11y") else { return };
    let axe = std::fs::read_to_string(axe).unwrap();
    let out = sample_site();
    let site = out.path().join("site");
    let base = serve(&site);
    let profile = tempfile::tempdir().unwrap();
    let Some(browser) = launch(profile.path()) else { return };
    let tab = browser.new_tab().unwrap();
    let mut problems = Vec::new();
    // One page of each kind in each language, in light mode; in dark mode, the
    // French ones (the theme's colours are per scheme, not per language).
    let kinds = [
        ("/", "/en/"),
        ("/pourquoi/", "/en/why/"),
        ("/politique/", "/en/policy/"),
        // An earlier version of the policy, from the repository's own history.
        ("/politique/v/2.1/", "/en/policy/v/2.1/"),
        ("/formation/", "/en/training/"),
        ("/formation/premiers-pas/", "/en/training/getting-started/"),
        ("/campagnes/", "/en/campaigns/"),
        ("/campagnes/portes-ouvertes-lyon/", "/en/campaigns/lyon-open-day/"),
        ("/campagnes/salon-emploi-2027/", "/en/campaigns/job-fair-2027/"),
        ("/calendrier/", "/en/calendar/"),
        ("/recherche/?q=réseaux", "/en/search/?q=network"),
        ("/404.html", "/en/404.html"),
    ];
    let all = pages(&site);
    for (fr, en) in kinds {
        for page in [fr, en] {
            let path = page.split('?').next().unwrap_or(page);
            assert!(all.iter().any(|p| p == path), "{page} is a page of the sample hub");
        }
    }
    let mut runs: Vec<(String, &str)> = kinds.iter().flat_map(|(fr, en)| [(fr.to_string(), "light"), (en.to_string(), "light")]).collect();
    runs.extend(kinds.iter().map(|(fr, _)| (fr.to_string(), "dark")));
    // The job fair during its launch phase: a post to share today, marked, and a past one.
    let launch = sample_site_on("2027-03-07");
    let launch_page = std::fs::read_to_string(launch.path().join("site/campagnes/salon-emploi-2027/index.html")).unwrap();
    assert!(launch_page.contains("data-current") && launch_page.contains("badge-past"), "the launch phase is on the page");
    let launch_base = serve(&launch.path().join("site"));
    for (page, scheme) in
        [("/campagnes/salon-emploi-2027/", "light"), ("/en/campaigns/job-fair-2027/", "light"), ("/campagnes/salon-emploi-2027/", "dark")]
    {
        runs.push((format!("{launch_base}{page}"), scheme));
    }
    for (page, scheme) in &runs {
        tab.call_method(SetEmulatedMedia {
            media: None,
            features: Some(vec![MediaFeature { name: "prefers-color-scheme".into(), value: (*scheme).into() }]),
        })
        .unwrap();
        let url = if page.starts_with("http") { page.clone() } else { format!("{base}{page}") };
        tab.navigate_to(&url).unwrap().wait_until_navigated().unwrap();
        if page.contains("?q=") {
            wait_for("search results", || {
                tab.evaluate("document.querySelectorAll('.search-results li').length", false).ok()?.value?.as_u64().filter(|&n| n > 0)
            });
        }
        tab.evaluate(&axe, false).expect("axe-core loads");
        let result = tab.evaluate(AXE_RUN, true).expect("axe runs");
        let violations: Vec<String> = serde_json::from_str(result.value.as_ref().and_then(|v| v.as_str()).unwrap_or("[]")).unwrap();
        problems.extend(violations.into_iter().map(|v| format!("{page} ({scheme}): {v}")));
    }
    assert!(problems.is_empty(), "axe-core found WCAG violations:\n{}", problems.join("\n"));
}

/// Bytes a page costs to transfer: its HTML and the CSS and JS it links to, gzipped.
fn transferred(site: &Path, page: &str) -> (usize, Vec<String>) {
    let html = std::fs::read_to_string(site.join(page.trim_start_matches('/')).join("index.html")).unwrap();
    let mut parts = vec![(page.to_string(), html.clone().into_bytes())];
    for attr in ["href=", "src="] {
        for piece in html.split(attr).skip(1) {
            let url = piece.trim_start_matches(['"', '\'']).split(['"', '\'', ' ', '>']).next().unwrap_or_default();
            let path = url.split('?').next().unwrap_or_default();
            if path.starts_with('/') && (path.ends_with(".css") || path.ends_with(".js")) && !parts.iter().any(|(p, _)| p == path) {
                parts.push((path.to_string(), std::fs::read(site.join(path.trim_start_matches('/'))).unwrap()));
            }
        }
    }
    let total = parts
        .iter()
        .map(|(_, bytes)| {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            gz.write_all(bytes).unwrap();
            gz.finish().unwrap().len()
        })
        .sum();
    (total, parts.into_iter().map(|(p, _)| p).collect())
}

#[test]
fn campaign_and_module_pages_stay_within_their_budgets() {
    let out = sample_site();
    let site = out.path().join("site");
    for (page, budget) in [
        ("/campagnes/portes-ouvertes-lyon/", 60 * 1024),
        ("/campagnes/salon-emploi-2027/", 60 * 1024),
        ("/en/campaigns/lyon-open-day/", 60 * 1024),
        ("/formation/premiers-pas/", 40 * 1024),
        ("/formation/rediger/", 40 * 1024),
        ("/en/training/writing/", 40 * 1024),
    ] {
        let (bytes, parts) = transferred(&site, page);
        assert!(bytes <= budget, "{page}: {bytes} bytes gzipped (HTML, CSS, JS: {parts:?}) over the budget of {budget}");
        assert!(parts.len() >= 3, "{page}: the page, its stylesheet and its script are counted: {parts:?}");
    }
}

/// At a phone's 320 px nothing scrolls sideways, no page asks anything of an
/// origin other than the hub and its own tracker (no CDN, no web font), and the keyboard focus is always visible: the skip link
/// first, then every link and button with an outline.
#[test]
fn pages_fit_320_px_stay_on_the_hub_and_show_the_keyboard_focus() {
    let out = sample_site();
    let site = out.path().join("site");
    let base = serve(&site);
    let profile = tempfile::tempdir().unwrap();
    let Some(browser) = launch(profile.path()) else { return };
    let tab = browser.new_tab().unwrap();
    tab.call_method(headless_chrome::protocol::cdp::Emulation::SetDeviceMetricsOverride {
        width: 320,
        height: 640,
        device_scale_factor: 1.0,
        mobile: true,
        scale: None,
        screen_width: None,
        screen_height: None,
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    })
    .unwrap();
    for page in ["/", "/politique/", "/formation/premiers-pas/", "/campagnes/nouvelle-gamme-hiver/", "/calendrier/", "/en/campaigns/job-fair-2027/"] {
        tab.navigate_to(&format!("{base}{page}")).unwrap().wait_until_navigated().unwrap();
        let width = tab.evaluate("document.documentElement.scrollWidth", false).unwrap().value.and_then(|v| v.as_u64()).unwrap();
        let culprits = common::browser::text_of(
            &tab,
            "Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > 321).slice(-4).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')",
        );
        assert!(width <= 320, "{page} is {width} px wide at 320 px: {culprits}");
        let foreign = common::browser::text_of(
            &tab,
            // The hub's own click tracker (hub.yaml's tracker.url) is the one other origin allowed.
            &format!("performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith('{base}') && !n.startsWith('https://go.acme.example/')).join(' ')"),
        );
        assert!(foreign.is_empty(), "{page} requests origins other than the hub and its tracker: {foreign}");
    }

    tab.navigate_to(&format!("{base}/campagnes/nouvelle-gamme-hiver/")).unwrap().wait_until_navigated().unwrap();
    // The sample's tracker (go.acme.example) cannot be reached from here: the
    // impact line and the leaderboard stay hidden, and the posts work as ever.
    let hidden = common::browser::text_of(&tab, "[document.querySelector('p.impact').hidden, document.querySelector('.leaderboard').hidden, document.querySelectorAll('textarea.post-text').length > 0].join(' ')");
    assert_eq!(hidden, "true true true", "nothing breaks without the tracker");
    let focused = "(() => { const e = document.activeElement; const s = getComputedStyle(e); return e.tagName + '.' + e.className + ' ' + s.outlineStyle + ' ' + s.outlineWidth; })()";
    tab.press_key("Tab").unwrap();
    let first = common::browser::text_of(&tab, focused);
    assert!(first.starts_with("A.skip-link") && first.contains("solid"), "the skip link comes first, outlined: {first}");
    for _ in 0..25 {
        tab.press_key("Tab").unwrap();
        let now = common::browser::text_of(&tab, focused);
        let outlined = now.contains("solid") && !now.ends_with(" 0px");
        assert!(outlined, "every focused element shows an outline: {now}");
    }
}
