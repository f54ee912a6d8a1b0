//! The share card in a real headless Chromium (Debian's `chromium`, over CDP):
//! Copy puts the post on the clipboard, Share opens the network's intent.
//!
//! Without Chromium the test is skipped, unless `CHORUS_TEST_STRICT=1` (as in
//! CI), where a missing browser is a failure.

mod common;

use std::io::Write;
use std::path::Path;

use common::browser::{grant_clipboard, launch, serve, text_of, wait_for};
use common::Hub;

#[test]
fn copy_and_share_work_in_chromium() {
    let hub = Hub::copy("basic");
    hub.build();
    let base = serve(&hub.path("public"));
    let profile = tempfile::tempdir().unwrap();
    let Some(browser) = launch(profile.path()) else { return };
    let tab = browser.new_tab().unwrap();
    grant_clipboard(&tab, &base);
    tab.navigate_to(&format!("{base}/campagnes/salon/")).unwrap().wait_until_navigated().unwrap();

    // Copy the X post of the first snippet.
    let id = "post-teaser-x";
    let expected = tab
        .evaluate(&format!("document.getElementById('{id}').value"), false)
        .unwrap()
        .value
        .and_then(|v| v.as_str().map(str::to_string))
        .expect("the post text");
    assert!(expected.contains("#AcmeTeam") && expected.contains("https://www.acme.example/salon?ref=hub&utm_source=x"));
    tab.wait_for_element(&format!("button.copy[data-copy-target='{id}']")).unwrap().click().unwrap();
    let status = wait_for("the copied message", || {
        let text = tab.evaluate(&format!("document.getElementById('{id}-status').textContent"), false).ok()?.value?;
        let text = text.as_str()?.to_string();
        (!text.is_empty()).then_some(text)
    });
    assert_eq!(status, "Copié\u{a0}!", "the copied message, French typography");
    let copied = tab
        .evaluate(
            &format!(
                "(async () => {{ try {{ return await navigator.clipboard.readText(); }} catch (e) {{ \
                 const a = document.getElementById('{id}'); return a.value.substring(a.selectionStart, a.selectionEnd); }} }})()"
            ),
            true,
        )
        .unwrap()
        .value
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    assert_eq!(copied, expected, "the clipboard (or the selection) holds the post");

    // Share on X: a new tab opens the intent with the post as its text.
    tab.wait_for_element(&format!("a.share[data-copy-target='{id}']")).unwrap().click().unwrap();
    let intent = wait_for("the X intent tab", || {
        browser.register_missing_tabs();
        let tabs = browser.get_tabs().lock().ok()?;
        tabs.iter().map(|t| t.get_url()).find(|u| u.starts_with("https://x.com/intent/post?text="))
    });
    let text = intent.split_once("?text=").unwrap().1;
    let decoded = percent_encoding::percent_decode_str(text).decode_utf8().unwrap();
    assert_eq!(decoded, expected, "the intent carries the post");

    // LinkedIn's composer takes the text too; it is copied first all the same,
    // to paste should the composer ever open empty.
    let expected = text_of(&tab, "document.getElementById('post-teaser-linkedin').value");
    assert!(expected.contains("utm_source=linkedin"), "{expected}");
    tab.activate().unwrap();
    tab.wait_for_element("a.share[data-copy-target='post-teaser-linkedin']").unwrap().click().unwrap();
    let linkedin = wait_for("the LinkedIn composer tab", || {
        browser.register_missing_tabs();
        let tabs = browser.get_tabs().lock().ok()?;
        tabs.iter().map(|t| t.get_url()).find(|u| u.starts_with("https://www.linkedin.com/feed/?shareActive=true&text="))
    });
    let text = linkedin.split_once("&text=").unwrap().1;
    assert_eq!(percent_encoding::percent_decode_str(text).decode_utf8().unwrap(), expected, "the composer gets the post");
    let status = text_of(&tab, "document.getElementById('post-teaser-linkedin-status').textContent");
    assert!(status.starts_with("Texte copié aussi"), "{status}");
    tab.activate().unwrap();
    let copied = wait_for("the LinkedIn post on the clipboard", || {
        let text = tab.evaluate("navigator.clipboard.readText()", true).ok()?.value?.as_str()?.to_string();
        (text == expected).then_some(text)
    });
    assert_eq!(copied, expected);
}

/// The hub and the tracker together: a copy on a campaign page reaches the
/// tracker as a beacon, a click on a short link is counted, and the page's
/// impact line shows the totals.
#[test]
fn beacons_and_clicks_reach_the_tracker_and_the_impact_line_shows_them() {
    let profile = tempfile::tempdir().unwrap();
    let hub = Hub::copy("basic");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let tracker_url = format!("http://127.0.0.1:{port}");
    let config = hub.read("hub.yaml") + &format!("tracker:\n  url: \"{tracker_url}\"\n  public_stats: true\n");
    hub.write("hub.yaml", &config);
    let salon = hub.read("content/campagnes/salon.md").replacen("campaign: salon-2027\n", "campaign: salon-2027\ngoal: { clicks: 4 }\n", 1);
    hub.write("content/campagnes/salon.md", &salon);
    hub.build();
    let base = serve(&hub.path("public"));
    let mut tracker = std::process::Command::new(env!("CARGO_BIN_EXE_chorus"))
        .args(["track", "--listen", &format!("127.0.0.1:{port}"), "--database"])
        .arg(hub.path("tracker.db"))
        .arg("--links")
        .arg(hub.path("public/_chorus/links.json"))
        .args(["--public-stats", "--hub-origin", &base])
        .env("CHORUS_ADMIN_TOKEN", "browser-test-token-0123456789")
        .spawn()
        .unwrap();
    struct Kill<'a>(&'a mut std::process::Child);
    impl Drop for Kill<'_> {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let _guard = Kill(&mut tracker);
    wait_for("the tracker", || std::net::TcpStream::connect(("127.0.0.1", port)).ok());
    let Some(browser) = launch(profile.path()) else { return };
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("{base}/campagnes/salon/")).unwrap().wait_until_navigated().unwrap();

    // Copy: the beacon is committed by the tracker.
    tab.wait_for_element("button.copy[data-copy-target='post-teaser-x']").unwrap().click().unwrap();
    let totals = || -> Option<serde_json::Value> {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
        s.write_all(b"GET /api/v1/campaigns HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").ok()?;
        let mut text = String::new();
        std::io::Read::read_to_string(&mut s, &mut text).ok()?;
        serde_json::from_str(text.split_once("\r\n\r\n")?.1).ok()
    };
    wait_for("the copy beacon", || totals().filter(|v| v["campaigns"][0]["copies"] == 1));

    // A person following the short link is counted.
    let link = text_of(&tab, "document.getElementById('post-teaser-x').value.match(/http:\\/\\/127\\S+/)[0]");
    assert!(link.starts_with(&format!("{tracker_url}/c/")), "{link}");
    let other = browser.new_tab().unwrap();
    let _ = other.navigate_to(&link);
    wait_for("the click", || totals().filter(|v| v["campaigns"][0]["clicks"] == 1));

    // The campaign page shows the totals.
    tab.activate().unwrap();
    tab.reload(false, None).unwrap().wait_until_navigated().unwrap();
    let impact = wait_for("the impact line", || {
        let t = text_of(&tab, "(() => { const p = document.querySelector('p.impact'); return p && !p.hidden ? p.textContent : ''; })()");
        (!t.is_empty()).then_some(t)
    });
    assert!(
        impact.contains("1 visiteur unique ·") && impact.contains("0 partage") && impact.contains("1 copie"),
        "French plurals, unique visitors: {impact}"
    );
    // The goal: people's clicks against it, with a progress bar named alike.
    assert!(impact.contains("Objectif : 1 / 4 clics (25 %)"), "the goal's progress: {impact}");
    let bar = text_of(
        &tab,
        "(() => { const b = document.querySelector('p.impact progress'); return b.value + '/' + b.max + ' ' + b.getAttribute('aria-label'); })()",
    );
    assert_eq!(bar, "1/4 Objectif : 1 / 4 clics (25 %)");

    // My impact: the tracker makes an id from a key kept on this device; the
    // page's links carry the id, never the key; a display name joins the leaderboard.
    tab.evaluate("document.querySelector('details.my-impact').open = true", false).unwrap();
    tab.wait_for_element("input[data-my-impact]").unwrap().click().unwrap();
    let link = wait_for("the link with the ambassador id", || {
        let post = text_of(&tab, "document.getElementById('post-teaser-x').value");
        post.split_whitespace().find(|w| w.starts_with(&format!("{tracker_url}/c/")) && w.matches('/').count() == 5).map(str::to_string)
    });
    let id = link.rsplit('/').next().unwrap().to_string();
    assert!(id.starts_with('k') && id.len() == 33, "{link}");
    let key = text_of(&tab, "localStorage.getItem('chorus:ambassador-key') || ''");
    assert!(key.len() >= 16 && !link.contains(&key), "the key stays on the device: {key} / {link}");
    tab.wait_for_element("#leaderboard-name").unwrap().click().unwrap();
    tab.type_str("Camille D.").unwrap();
    tab.wait_for_element("[data-leaderboard-enter]").unwrap().click().unwrap();
    wait_for("the name on the leaderboard", || {
        text_of(&tab, "document.querySelector('[data-leaderboard] ol').innerText").contains("Camille D.").then_some(())
    });
}

/// `chorus serve` in a real browser: a broken page shows an overlay naming the
/// file and line over the last good page; fixing it reloads the page without
/// it; a stylesheet edit is applied without reloading the page.
#[test]
fn serve_overlays_build_errors_and_swaps_stylesheets_in_chromium() {
    let hub = Hub::copy("basic");
    let theme_css = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/style.css")).unwrap();
    hub.write("static/style.css", &format!("{theme_css}\n#probe{{color:rgb(1,2,3)}}\n"));
    let serve = common::serve::Serve::start(&hub, &["--no-tracker"]);
    let profile = tempfile::tempdir().unwrap();
    let Some(browser) = launch(profile.path()) else { return };
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("http://{}/page/", serve.addr)).unwrap().wait_until_navigated().unwrap();
    let overlay = "document.getElementById('chorus-error-overlay')?.innerText || ''";

    common::serve::edit(&hub, "content/page.md", "(@/politique.md)", "(@/nulle-part.md)");
    let shown = wait_for("the error overlay", || Some(text_of(&tab, overlay)).filter(|t| !t.is_empty()));
    assert!(shown.contains("content/page.md:9:"), "the overlay names the file and line: {shown}");
    assert!(shown.contains("nulle-part.md"), "{shown}");
    assert!(text_of(&tab, "document.querySelector('main').innerText").contains("Premier paragraphe"), "the last good page stays under it");

    common::serve::edit(&hub, "content/page.md", "(@/nulle-part.md)", "(@/politique.md)");
    common::serve::edit(&hub, "content/page.md", "Premier paragraphe", "Paragraphe corrigé");
    wait_for("the fixed page", || {
        let main = text_of(&tab, "document.querySelector('main')?.innerText || ''");
        (main.contains("Paragraphe corrigé") && text_of(&tab, overlay).is_empty()).then_some(())
    });

    // A stylesheet edit: the new rule applies, and the page was not reloaded.
    wait_for("the reloaded page's live-reload socket", || {
        (text_of(&tab, "document.documentElement.dataset.chorusLive || ''") == "connected").then_some(())
    });
    tab.evaluate("window.notReloaded = 'yes'; document.body.insertAdjacentHTML('beforeend', '<p id=\"probe\">probe</p>')", false).unwrap();
    let color = "getComputedStyle(document.getElementById('probe')).color";
    assert_eq!(text_of(&tab, color), "rgb(1, 2, 3)");
    common::serve::edit(&hub, "static/style.css", "#probe{color:rgb(1,2,3)}", "#probe{color:rgb(4,5,6)}");
    wait_for("the new stylesheet", || (text_of(&tab, color) == "rgb(4, 5, 6)").then_some(()));
    assert_eq!(text_of(&tab, "window.notReloaded"), "yes", "stylesheets are swapped without a reload");
}

/// Search, in the built site: the header box leads to the search page, which
/// finds a French word typed with or without its accents, in French pages
/// only; the English search page finds English pages.
#[test]
fn search_finds_french_words_with_or_without_accents_in_chromium() {
    let hub = Hub::copy("basic");
    hub.build();
    let base = serve(&hub.path("public"));
    let profile = tempfile::tempdir().unwrap();
    let Some(browser) = launch(profile.path()) else { return };
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("{base}/")).unwrap().wait_until_navigated().unwrap();

    // The header's box submits to the language's search page.
    tab.wait_for_element("#site-search-q").unwrap().click().unwrap();
    tab.type_str("réseau").unwrap().press_key("Enter").unwrap();
    let results = "Array.from(document.querySelectorAll('.search-results a')).map(a => a.getAttribute('href')).join(' ')";
    let found = wait_for("French results", || Some(text_of(&tab, results)).filter(|r| !r.is_empty()));
    assert!(tab.get_url().contains("/recherche/?q="), "{}", tab.get_url());
    assert!(found.contains("/page/"), "the page with its « Réseau » table: {found}");
    assert!(!found.contains("/en/"), "French pages only: {found}");
    // A result is the page's title, and an excerpt of its text with the word marked.
    let first = text_of(&tab, "(() => { const li = document.querySelector('.search-results li'); return li.querySelector('h2').textContent + '|' + li.querySelector('p').innerHTML; })()");
    let (title, excerpt) = first.split_once('|').unwrap();
    assert_eq!(title, "Une page", "{first}");
    assert!(excerpt.contains("<mark>Réseau</mark>"), "the excerpt marks the word found: {excerpt}");

    for query in ["reseau", "RÉSEAUX", "guillemet", "barre"] {
        tab.navigate_to(&format!("{base}/recherche/?q={query}")).unwrap().wait_until_navigated().unwrap();
        let found = wait_for("results", || Some(text_of(&tab, results)).filter(|r| !r.is_empty()));
        assert!(found.contains("/page/"), "`{query}` finds the page (accents folded, words stemmed): {found}");
    }
    tab.navigate_to(&format!("{base}/recherche/?q=qwertz")).unwrap().wait_until_navigated().unwrap();
    let status =
        wait_for("the no-result message", || Some(text_of(&tab, "document.querySelector('.search-status').textContent")).filter(|s| !s.is_empty()));
    assert!(status.contains("Aucun résultat"), "{status}");

    // "paragraphs" is stemmed to the page's "paragraph".
    tab.navigate_to(&format!("{base}/en/search/?q=paragraphs")).unwrap().wait_until_navigated().unwrap();
    let found = wait_for("English results", || Some(text_of(&tab, results)).filter(|r| !r.is_empty()));
    assert!(found.contains("/en/a-page/"), "{found}");
    assert!(found.split(' ').all(|u| u.contains("/en/")), "English pages only: {found}");
}

/// The sample hub's training guide, as an employee follows it: ticking every
/// box and answering every quiz right completes each module by itself, the
/// guide counts them, and the last one unlocks the certificate with the
/// employee's name and today's date.
#[test]
fn completing_a_guide_unlocks_the_certificate_in_chromium() {
    let out = common::sample_site();
    let base = serve(&out.path().join("site"));
    let profile = tempfile::tempdir().unwrap();
    let Some(browser) = launch(profile.path()) else { return };
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("{base}/formation/")).unwrap().wait_until_navigated().unwrap();
    let progress = "document.querySelector('.guide-progress').textContent";
    assert_eq!(text_of(&tab, progress), "0 sur 5 modules terminés");
    assert!(text_of(&tab, "String(document.querySelector('.certificate').hidden)") == "true", "no certificate yet");
    let modules: Vec<String> = serde_json::from_str(&text_of(
        &tab,
        "JSON.stringify(Array.from(document.querySelectorAll('.module-title a')).map(a => a.getAttribute('href')))",
    ))
    .unwrap();
    assert_eq!(modules.len(), 5);

    for (i, module) in modules.iter().enumerate() {
        tab.navigate_to(&format!("{base}{module}")).unwrap().wait_until_navigated().unwrap();
        let pressed = "document.querySelector('button.module-done').getAttribute('aria-pressed')";
        assert_eq!(text_of(&tab, pressed), "false", "{module} starts not done");
        // A wrong answer first: feedback and the explanation, and the module is not done.
        let wrong = tab.evaluate(
            "(() => { const f = document.querySelector('form.quiz'); if (!f) return 'none'; const w = f.querySelector('input:not([data-correct])'); w.click(); f.querySelector('button').click(); return f.querySelector('.quiz-feedback').className + '|' + f.querySelector('details').open; })()",
            false,
        ).unwrap().value.and_then(|v| v.as_str().map(str::to_string)).unwrap();
        if wrong != "none" {
            assert_eq!(wrong, "quiz-feedback is-wrong|true", "{module}: immediate feedback with the explanation");
        }
        tab.evaluate(
            "document.querySelectorAll('input[data-task]').forEach(c => { if (!c.checked) c.click(); });
             document.querySelectorAll('form.quiz').forEach(f => { f.querySelectorAll('input').forEach(i => { if (i.checked !== i.hasAttribute('data-correct')) i.click(); }); f.querySelector('button').click(); });",
            false,
        ).unwrap();
        assert_eq!(text_of(&tab, pressed), "true", "{module} completes itself once its boxes and quizzes are done");
        assert_eq!(text_of(&tab, "String(document.querySelector('.module-status').hidden)"), "false");
        tab.navigate_to(&format!("{base}/formation/")).unwrap().wait_until_navigated().unwrap();
        assert_eq!(text_of(&tab, progress), format!("{} sur 5 modules terminés", i + 1));
    }

    assert_eq!(text_of(&tab, "String(document.querySelector('.certificate').hidden)"), "false", "the certificate is unlocked");
    tab.wait_for_element("#cert-name").unwrap().click().unwrap();
    tab.type_str("Camille Martin").unwrap();
    assert_eq!(text_of(&tab, "document.querySelector('.cert-name').textContent"), "Camille Martin");
    let date = text_of(&tab, "document.querySelector('.cert-date').textContent");
    assert!(date.chars().any(|c| c.is_ascii_digit()) && date.len() > 8, "today's date, written out: {date}");
    assert!(
        text_of(&tab, "document.querySelector('.cert-guide').textContent").contains("Formation")
            || !text_of(&tab, "document.querySelector('.cert-guide').textContent").is_empty()
    );
    assert!(tab.find_element("button.print-cert").is_ok());
}

/// The whole loop on the sample hub served by `chorus serve` with its
/// embedded tracker: from the home to a live campaign, copy a post, share it
/// (the network's intent carries the text and the tracked link), a reader
/// clicks the link, and the campaign's impact line counts the click; then the
/// language switch lands on the English translation.
#[test]
fn from_the_home_to_a_counted_click_and_the_translation_in_chromium() {
    let hub = Hub::sample();
    let serve = common::serve::Serve::start(&hub, &[]);
    let tracker = serve.tracker.clone().expect("the embedded tracker");
    let base = format!("http://{}", serve.addr);
    let profile = tempfile::tempdir().unwrap();
    let Some(browser) = launch(profile.path()) else { return };
    let tab = browser.new_tab().unwrap();
    grant_clipboard(&tab, &base);
    tab.navigate_to(&format!("{base}/")).unwrap().wait_until_navigated().unwrap();

    // The home lists the live campaign first; follow it.
    tab.wait_for_element(".home-live a[href='/campagnes/nouvelle-gamme-hiver/']").unwrap().click().unwrap();
    wait_for("the campaign page", || tab.get_url().ends_with("/campagnes/nouvelle-gamme-hiver/").then_some(()));
    tab.wait_for_element("textarea.post-text").unwrap();

    // Copy the LinkedIn post of the first snippet: the clipboard holds it, with the tracked link.
    let id = text_of(&tab, "document.querySelector('.post-linkedin textarea').id");
    let post = text_of(&tab, &format!("document.getElementById('{id}').value"));
    assert!(post.contains(&format!("{tracker}/c/")), "the post carries the embedded tracker's link: {post}");
    tab.wait_for_element(&format!("button.copy[data-copy-target='{id}']")).unwrap().click().unwrap();
    let clipboard = wait_for("the clipboard", || {
        let text = tab.evaluate("navigator.clipboard.readText()", true).ok()?.value?.as_str()?.to_string();
        (!text.is_empty()).then_some(text)
    });
    assert_eq!(clipboard, post);

    // Share on X: the intent opens in a new tab with the post and its link.
    let x = text_of(&tab, "document.querySelector('.post-x textarea').id");
    let x_text = text_of(&tab, &format!("document.getElementById('{x}').value"));
    tab.wait_for_element(&format!("a.share[data-copy-target='{x}']")).unwrap().click().unwrap();
    let intent = wait_for("the share intent", || {
        browser.get_tabs().lock().ok()?.iter().map(|t| t.get_url()).find(|u| u.contains("x.com") || u.contains("twitter.com"))
    });
    let query: std::collections::HashMap<String, String> = url::Url::parse(&intent).unwrap().query_pairs().into_owned().collect();
    assert_eq!(query.get("text").map(String::as_str), Some(x_text.as_str()), "{intent}");
    let link = x_text.split_whitespace().find(|w| w.starts_with(&format!("{tracker}/c/"))).expect("the tracked link");

    // A reader follows the link: the tracker redirects to the UTM-tagged page and counts the click.
    let reader = common::get(
        tracker.trim_start_matches("http://"),
        link.trim_start_matches(&tracker),
        &[("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0")],
    );
    assert_eq!(reader.status, 302);
    assert!(
        reader.headers["location"].contains("utm_source=x") && reader.headers["location"].contains("utm_campaign=nouvelle-gamme-hiver"),
        "{:?}",
        reader.headers
    );
    tab.activate().unwrap();
    tab.reload(false, None).unwrap().wait_until_navigated().unwrap();
    let impact = wait_for("the impact line", || {
        let t = text_of(&tab, "(() => { const p = document.querySelector('p.impact'); return p && !p.hidden ? p.textContent : ''; })()");
        (t.contains("1 visiteur unique ·")).then_some(t)
    });
    assert!(impact.contains("1 copie"), "{impact}");

    // The language switch lands on the English version of the same campaign.
    tab.wait_for_element(".lang-switch a[hreflang='en']").unwrap().click().unwrap();
    wait_for("the translation", || tab.get_url().ends_with("/en/campaigns/winter-range/").then_some(()));
    assert_eq!(text_of(&tab, "document.documentElement.lang"), "en");
}
