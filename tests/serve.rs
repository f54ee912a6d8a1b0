//! `chorus serve` as an author uses it: the real binary on a free port in a
//! copy of a fixture hub, real file edits, real HTTP and a real websocket.
//! Nothing sleeps for a fixed time: every wait is for an event (a line
//! printed, a websocket message), with a timeout.

mod common;

use common::serve::{edit, next_message, Serve};
use common::{get, Hub};

#[test]
fn edits_reload_errors_overlay_and_deletions_404() {
    let hub = Hub::copy("basic");
    let mut serve = Serve::start(&hub, &["--no-tracker"]);

    let page = serve.get("/page/");
    assert_eq!(page.status, 200);
    assert_eq!(page.headers.get("content-type").map(String::as_str), Some("text/html; charset=utf-8"));
    assert!(page.body.contains("Premier paragraphe"));
    assert!(
        page.body.contains("<script src=\"/__chorus/livereload.js\" data-build=\"1\" defer></script></body>"),
        "served pages get the live-reload script"
    );
    assert_eq!(serve.get("/page").status, 301, "a folder without its slash redirects");
    assert_eq!(serve.get("/__chorus/livereload.js").status, 200);

    let (mut socket, greeting) = serve.live();
    assert_eq!(greeting, r#"{"kind":"ok","build":1}"#, "the greeting names the build that served the pages");

    // An edit: the page is rebuilt alone (with what lists it), then reloaded.
    edit(&hub, "content/page.md", "Premier paragraphe", "Paragraphe modifié");
    assert_eq!(next_message(&mut socket), r#"{"kind":"reload"}"#);
    let page = serve.get("/page/");
    assert!(page.body.contains("Paragraphe modifié") && !page.body.contains("Premier paragraphe"));
    let rebuilt = serve.wait_line("the rebuild summary", |l| l.starts_with("Rebuilt "));
    assert!(!rebuilt.contains("32 pages") && rebuilt.contains("pages"), "an edit re-renders only what shows the page: {rebuilt}");

    // A title edit reaches the lists that show the page.
    edit(&hub, "content/page.md", "title: \"Une page\"", "title: \"Une page renommée\"");
    assert_eq!(next_message(&mut socket), r#"{"kind":"reload"}"#);
    assert!(serve.get("/").body.contains("Une page renommée"), "the home lists the new title");
    assert!(serve.get("/atom.xml").body.contains("Une page renommée"), "so does the feed");

    // A broken link: the error reaches the page with file and line, and the
    // last good version is still served.
    edit(&hub, "content/page.md", "(@/politique.md)", "(@/nulle-part.md)");
    let error = next_message(&mut socket);
    assert!(error.starts_with(r#"{"kind":"error""#), "{error}");
    assert!(error.contains("content/page.md:9:"), "the overlay names the file and line: {error}");
    assert!(error.contains("nulle-part.md"), "{error}");
    assert!(serve.get("/page/").body.contains("Paragraphe modifié"), "the last good page is still served");
    // A page opened now is told at once.
    let (_late, late_greeting) = serve.live();
    assert!(late_greeting.starts_with(r#"{"kind":"error""#), "{late_greeting}");

    // Fixed: a good build again, and the page reloads without the overlay.
    edit(&hub, "content/page.md", "(@/nulle-part.md)", "(@/politique.md)");
    assert_eq!(next_message(&mut socket), r#"{"kind":"reload"}"#);
    assert!(serve.get("/page/").body.contains("href=\"/politique/\""));
    let (_fresh, fresh_greeting) = serve.live();
    assert!(fresh_greeting.starts_with(r#"{"kind":"ok","build":"#), "{fresh_greeting}");

    // A new page appears; a deleted one is gone.
    hub.write("content/nouvelle.md", "---\ntitle: \"Nouvelle page\"\n---\nBonjour.\n");
    assert_eq!(next_message(&mut socket), r#"{"kind":"reload"}"#);
    assert!(serve.get("/nouvelle/").body.contains("Bonjour."));
    std::fs::remove_file(hub.path("content/nouvelle.md")).unwrap();
    assert_eq!(next_message(&mut socket), r#"{"kind":"reload"}"#);
    let gone = serve.get("/nouvelle/");
    assert_eq!(gone.status, 404);
    assert!(gone.body.contains("<html"), "the theme's 404 page is served");
}

#[test]
fn stylesheets_swap_without_a_reload_and_templates_rebuild_their_pages() {
    let hub = Hub::copy("basic");
    hub.write("static/extra.css", "body { color: black; }\n");
    let mut serve = Serve::start(&hub, &["--no-tracker"]);
    let (mut socket, _) = serve.live();

    hub.write("static/extra.css", "body { color: rebeccapurple; }\n");
    assert_eq!(next_message(&mut socket), r#"{"kind":"css"}"#);
    let css = serve.get("/extra.css");
    assert_eq!(css.headers.get("content-type").map(String::as_str), Some("text/css; charset=utf-8"));
    assert!(css.body.contains("rebeccapurple"));

    // A page saved without an edit changes nothing: no reload, and a
    // stylesheet edit right after it is still swapped in place.
    let page = std::fs::read_to_string(hub.path("content/page.md")).unwrap();
    hub.write("content/page.md", &page);
    hub.write("static/extra.css", "body { color: teal; }\n");
    assert_eq!(next_message(&mut socket), r#"{"kind":"css"}"#, "an unchanged page reloads nothing");
    assert!(serve.get("/extra.css").body.contains("teal"));

    // The hub overrides a page template: the pages rendered with it change.
    let theme_page = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/page.html")).unwrap();
    hub.write("templates/page.html", &theme_page.replacen("{% block content %}", "{% block content %}<p id=\"override\">surcharge</p>", 1));
    assert_eq!(next_message(&mut socket), r#"{"kind":"reload"}"#);
    assert!(serve.get("/page/").body.contains("id=\"override\""));
    assert!(!serve.get("/politique/").body.contains("id=\"override\""), "a policy page does not use page.html");
    // Now that templates/ is watched, an edit of the template re-renders only its pages.
    edit(&hub, "templates/page.html", "surcharge", "surcharge modifiée");
    assert_eq!(next_message(&mut socket), r#"{"kind":"reload"}"#);
    assert!(serve.get("/page/").body.contains("surcharge modifiée"));
    // The summaries, in order: the stylesheet, the whole hub (templates/ appeared), the template.
    for _ in 0..2 {
        let css = serve.wait_line("the stylesheet rebuild", |l| l.starts_with("Rebuilt "));
        assert!(css.starts_with("Rebuilt extra.css (1 files)"), "{css}");
    }
    serve.wait_line("the full rebuild", |l| l.starts_with("Rebuilt "));
    let template = serve.wait_line("the template rebuild", |l| l.starts_with("Rebuilt "));
    let pages: usize = template.split_whitespace().nth(1).and_then(|n| n.parse().ok()).unwrap_or(usize::MAX);
    assert!(pages < 10, "only the pages rendered with page.html: {template}");
}

#[test]
fn editor_temp_files_are_ignored_and_a_busy_port_is_explained() {
    let hub = Hub::copy("basic");
    let serve = Serve::start(&hub, &["--no-tracker"]);
    let (mut socket, _) = serve.live();
    // Swap and backup files never trigger a rebuild; the next real save does,
    // and it is the first message the page gets.
    hub.write("content/.page.md.swp", "garbage");
    hub.write("content/page.md~", "garbage");
    hub.write("content/#page.md#", "garbage");
    edit(&hub, "content/page.md", "Premier paragraphe", "Après les fichiers temporaires");
    assert_eq!(next_message(&mut socket), r#"{"kind":"reload"}"#);
    assert!(serve.get("/page/").body.contains("Après les fichiers temporaires"));

    let port = serve.addr.rsplit(':').next().unwrap();
    let busy = hub.chorus(&["serve", "--port", port, "--no-tracker"]);
    assert_ne!(busy.code, 0);
    assert!(busy.stderr.contains("--port"), "the error suggests --port: {}", busy.stderr);
}

#[test]
fn the_embedded_tracker_counts_clicks_on_the_served_links() {
    let hub = Hub::copy("basic");
    let serve = Serve::start(&hub, &[]);
    let tracker = serve.tracker.clone().expect("the tracker's address is printed");
    let campaign = serve.get("/campagnes/salon/");
    let prefix = format!("{tracker}/c/");
    let start = campaign.body.find(&prefix).expect("share links point to the embedded tracker");
    let link = &campaign.body[start..];
    let link = &link[..link.find(|c: char| c == '"' || c == '<' || c.is_whitespace()).unwrap()];
    let tracker_addr = tracker.trim_start_matches("http://");
    let click = get(
        tracker_addr,
        link.trim_start_matches(&format!("http://{tracker_addr}")),
        &[("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0")],
    );
    assert_eq!(click.status, 302, "{link}");
    assert!(click.headers["location"].contains("utm_source="), "{:?}", click.headers);

    // A snippet added while serving gets its short link registered at once.
    let (mut socket, _) = serve.live();
    edit(&hub, "content/campagnes/salon.md", "snippets:\n", "snippets:\n  - id: ajout\n    text: \"Un ajout pendant serve {link} #AcmeTeam\"\n");
    assert_eq!(next_message(&mut socket), r#"{"kind":"reload"}"#);
    let page = serve.get("/campagnes/salon/");
    assert!(page.body.contains("Un ajout pendant serve"));
    let links = serve.get("/_chorus/links.json").body;
    let manifest: serde_json::Value = serde_json::from_str(&links).unwrap();
    let code = manifest["links"].as_array().unwrap().iter().find(|l| l["snippet"] == "ajout").expect("the new snippet's link")["code"]
        .as_str()
        .unwrap()
        .to_string();
    // The tracker has the new link before the page is told to reload.
    let click = get(tracker_addr, &format!("/c/{code}"), &[("User-Agent", "Mozilla/5.0 Firefox/133.0")]);
    assert_eq!(click.status, 302, "the new link reached the tracker");
}

#[test]
fn new_writes_content_that_checks_clean_and_never_overwrites() {
    let hub = Hub::copy("basic");
    let run = hub.chorus(&["new", "campaign", "journee-portes-ouvertes"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The one thing left to write: the page the posts promote (`check` refuses the placeholder).
    let campaign = hub.read("content/campagnes/journee-portes-ouvertes.md");
    assert!(campaign.contains(".invalid/\""), "{campaign}");
    let refused = hub.chorus(&["check", "--now", "2026-11-25"]);
    assert!(refused.code == 1 && refused.stderr.contains("journee-portes-ouvertes.md:5:7: `url` is still a"), "{}", refused.stderr);
    let url = campaign.lines().find(|l| l.starts_with("url:")).unwrap();
    hub.write("content/campagnes/journee-portes-ouvertes.md", &campaign.replace(url, "url: \"https://www.acme.example/portes-ouvertes\""));
    for args in [
        &["new", "campaign", "journee-portes-ouvertes", "--lang", "en"][..],
        &["new", "guide", "securite"],
        &["new", "guide", "securite", "--lang", "en"],
        &["new", "page", "aide/contact"],
    ] {
        let run = hub.chorus(args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(run.stdout.contains("Created content/"), "{}", run.stdout);
    }
    assert!(hub.path("content/campagnes/journee-portes-ouvertes.md").is_file());
    assert!(hub.path("content/campagnes/journee-portes-ouvertes.en.md").is_file());
    assert!(hub.path("content/securite/_index.md").is_file());
    assert!(hub.path("content/securite/01-introduction.en.md").is_file());
    assert!(hub.path("content/aide/contact.md").is_file());
    let check = hub.chorus(&["check", "--now", "2026-11-25"]);
    assert_eq!(check.code, 0, "scaffolded content passes chorus check:\n{}{}", check.stdout, check.stderr);
    assert!(!check.stderr.contains("journee-portes-ouvertes"), "and has no lint warning: {}", check.stderr);

    let before = hub.read("content/aide/contact.md");
    let again = hub.chorus(&["new", "page", "aide/contact"]);
    assert_ne!(again.code, 0);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(hub.read("content/aide/contact.md"), before, "never overwritten");
    let bad = hub.chorus(&["new", "campaign", "Pas Un Slug"]);
    assert_ne!(bad.code, 0);
    assert!(bad.stderr.contains("pas-un-slug"), "suggests a slug: {}", bad.stderr);
}

#[test]
fn renames_and_new_folders_are_picked_up_and_sigterm_stops_with_pages_open() {
    let hub = Hub::copy("basic");
    hub.write("content/solo.md", "---\ntitle: \"Seule\"\n---\nUne page que rien ne lie.\n");
    let mut serve = Serve::start(&hub, &[]);
    let (mut socket, _) = serve.live();

    std::fs::rename(hub.path("content/solo.md"), hub.path("content/solo-deplacee.md")).unwrap();
    assert_eq!(next_message(&mut socket), r#"{"kind":"reload"}"#);
    assert_eq!(serve.get("/solo/").status, 404, "the old URL is gone");
    assert!(serve.get("/solo-deplacee/").body.contains("Une page que rien ne lie."), "the page moved");

    std::fs::create_dir_all(hub.path("content/nouveau/sous-dossier")).unwrap();
    hub.write("content/nouveau/sous-dossier/ici.md", "---\ntitle: \"Dans un nouveau dossier\"\n---\nCoucou.\n");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    // The folder and the file may arrive as one rebuild or as two.
    while !serve.get("/nouveau/sous-dossier/ici/").body.contains("Coucou.") {
        assert!(std::time::Instant::now() < deadline, "the page in a new folder was never served");
        assert_eq!(next_message(&mut socket), r#"{"kind":"reload"}"#);
    }

    // The search index follows in the background, for the pages as they now are.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let entry = serve.get("/pagefind/pagefind-entry.json");
        if entry.status == 200 && entry.body.contains("\"fr\"") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the search index was never served");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }

    // A page still open (its websocket) does not keep the server from stopping.
    let status = serve.terminate();
    assert!(status.success(), "chorus serve exits 0 on SIGTERM: {status:?}");
}
