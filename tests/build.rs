//! `chorus build` on fixture hubs: what a site author sees in `public/`.

mod common;

use common::{fingerprint, main_of, Hub};

#[test]
fn builds_every_page_kind() {
    let hub = Hub::copy("basic");
    let run = hub.build();
    assert!(run.stdout.starts_with("Built 10 pages"), "{}", run.stdout);
    for path in [
        "public/index.html",
        "public/en/index.html",
        "public/page/index.html",
        "public/en/a-page/index.html",
        "public/politique/index.html",
        "public/guide/index.html",
        "public/guide/intro/index.html",
        "public/campagnes/index.html",
        "public/campagnes/salon/index.html",
        "public/calendrier/index.html",
        "public/en/calendar/index.html",
        "public/404.html",
        "public/en/404.html",
        "public/atom.xml",
        "public/en/atom.xml",
        "public/sitemap.xml",
        "public/robots.txt",
        "public/calendar.ics",
        "public/style.css",
        "public/chorus.js",
        "public/highlight.css",
    ] {
        assert!(hub.path(path).is_file(), "{path} missing");
    }
}

#[test]
fn key_pages_render_as_expected() {
    let hub = Hub::copy("basic");
    hub.build();
    for (name, path) in [
        ("page", "public/page/index.html"),
        ("policy", "public/politique/index.html"),
        ("guide", "public/guide/index.html"),
        ("module", "public/guide/intro/index.html"),
        ("campaign", "public/campagnes/salon/index.html"),
        ("campaign_list", "public/campagnes/index.html"),
        ("calendar", "public/calendrier/index.html"),
        ("home", "public/index.html"),
    ] {
        insta::assert_snapshot!(name, main_of(&hub.read(path)));
    }
}

#[test]
fn markdown_extensions_render() {
    let hub = Hub::copy("basic");
    hub.build();
    let page = hub.read("public/page/index.html");
    assert!(page.contains("<table>"), "tables");
    assert!(page.contains("<del>barré</del>"), "strikethrough");
    assert!(page.contains("class=\"footnote-definition\""), "footnotes");
    assert!(page.contains("“entre guillemets” – et"), "smart punctuation");
    assert!(page.contains("<h2 id=\"un-titre\">"), "heading anchors");
    assert!(page.contains("<h2 id=\"un-titre-1\">"), "unique heading anchors");
    assert!(page.contains("<ul class=\"tasks\">") && page.contains("data-task=\"2\" checked"), "task lists");
    assert!(page.contains("<pre class=\"code z-code\" data-lang=\"rust\">"), "code block");
    let class = page.split("<span class=\"h").nth(1).expect("highlighted tokens").split('"').next().unwrap();
    assert!(page.contains("href=\"/politique/\""), "internal link rewritten");
    let css = hub.read("public/highlight.css");
    assert_eq!(css.matches(&format!(".h{class}{{")).count(), 2, "the token's class has a light and a dark colour");
    assert!(css.contains("prefers-color-scheme: dark"), "light and dark stylesheet");
}

#[test]
fn special_blocks_are_semantic_html() {
    let hub = Hub::copy("basic");
    hub.build();
    let policy = hub.read("public/politique/index.html");
    assert!(policy.contains("<div class=\"rule rule-do\""), "do card");
    assert!(policy.contains("<div class=\"rule rule-dont\""), "dont card");
    let module = hub.read("public/guide/intro/index.html");
    assert!(module.contains("<form class=\"quiz\""));
    assert!(module.contains("<legend>Puis-je partager les résultats avant leur publication ?</legend>"));
    assert_eq!(module.matches("type=\"radio\"").count(), 2);
    assert!(module.contains("<details class=\"quiz-explanation\">"), "explanation readable without JS");
    assert!(module.contains("Les résultats sont une information privilégiée."));
}

#[test]
fn translations_link_to_each_other() {
    let hub = Hub::copy("basic");
    hub.build();
    let fr = hub.read("public/page/index.html");
    let en = hub.read("public/en/a-page/index.html");
    assert!(fr.contains("hreflang=\"en\"") && fr.contains("/en/a-page/"), "fr links to en");
    assert!(en.contains("hreflang=\"fr\"") && en.contains("href=\"/page/\""), "en links to fr");
    // `@/politique.md` from an English page goes to the policy's English page when there is one,
    // else to the French one; an anchor is kept.
    assert!(en.contains("href=\"/politique/#ce-que-vous-pouvez-faire\""), "{}", main_of(&en));
    assert_eq!(hub.read("public/en/index.html").matches("<html lang=\"en\"").count(), 1);
}

#[test]
fn drafts_are_built_only_on_request() {
    let hub = Hub::copy("basic");
    hub.build();
    assert!(!hub.path("public/brouillon").exists());
    assert!(!hub.read("public/sitemap.xml").contains("brouillon"));
    let run = hub.chorus(&["build", "--drafts", "--now", "2026-11-25"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(hub.path("public/brouillon/index.html").is_file());
}

#[test]
fn aliases_redirect_to_the_page() {
    let hub = Hub::copy("basic");
    hub.build();
    let alias = hub.read("public/ancienne-page/index.html");
    assert!(alias.contains("http-equiv=\"refresh\" content=\"0; url=/page/\""));
    assert!(alias.contains("rel=\"canonical\" href=\"https://hub.test.example/page/\""));
}

#[test]
fn feeds_and_sitemap_are_well_formed_xml() {
    let hub = Hub::copy("basic");
    hub.build();
    let feed = hub.read("public/atom.xml");
    let doc = roxmltree::Document::parse(&feed).expect("atom.xml is XML");
    let entries: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("entry")).collect();
    assert!(entries.len() >= 2, "dated French pages are entries");
    assert!(feed.contains("https://hub.test.example/page/"));
    assert!(!feed.contains("/en/a-page/"), "the French feed holds French pages only");
    roxmltree::Document::parse(&hub.read("public/en/atom.xml")).expect("en/atom.xml is XML");

    let sitemap = hub.read("public/sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).expect("sitemap.xml is XML");
    let urls = doc.descendants().filter(|n| n.has_tag_name("url")).count();
    assert_eq!(urls, 10);
    let alternates: Vec<_> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "link" && n.attribute("hreflang").is_some())
        .map(|n| (n.attribute("hreflang").unwrap(), n.attribute("href").unwrap()))
        .collect();
    assert!(alternates.contains(&("en", "https://hub.test.example/en/a-page/")));
    assert!(alternates.contains(&("fr", "https://hub.test.example/page/")));
    assert_eq!(hub.read("public/robots.txt"), "User-agent: *\nDisallow: /\nSitemap: https://hub.test.example/sitemap.xml\n");
}

#[test]
fn calendar_ics_is_valid_rfc5545() {
    let hub = Hub::copy("basic");
    // A long title forces folding, with multi-byte characters around the fold.
    let long = "Événement très long dont le titre dépasse largement soixante-quinze octets, accents compris é è à";
    let salon = hub.read("content/campagnes/salon.md").replace("title: \"Salon de l'emploi\"", &format!("title: \"{long}\""));
    hub.write("content/campagnes/salon.md", &salon);
    hub.build();
    let ics = hub.read("public/calendar.ics");
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(!ics.replace("\r\n", "").contains('\n'), "every line ends with CRLF");
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "line over 75 octets: {line:?}");
    }
    assert!(ics.contains("\r\n "), "long lines are folded");
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2, "one event per campaign");
    assert!(ics.contains("UID:salon-2027@hub.test.example\r\n"));
    assert!(ics.contains("DTSTART;VALUE=DATE:20270301\r\nDTEND;VALUE=DATE:20270316\r\n"));
    assert!(ics.contains("DTSTAMP:20261101T000000Z"));

    let unfolded = icalendar::parser::unfold(&ics);
    let parsed = icalendar::parser::read_calendar(&unfolded).expect("parses");
    let summaries: Vec<String> =
        parsed.components.iter().filter(|c| c.name == "VEVENT").filter_map(|c| c.find_prop("SUMMARY").map(|p| p.val.to_string())).collect();
    assert!(summaries.iter().any(|s| s == long), "{summaries:?}");

    // Stable across builds.
    hub.build();
    assert_eq!(hub.read("public/calendar.ics"), ics);
}

#[test]
fn minified_output_is_smaller_and_complete() {
    let hub = Hub::copy("basic");
    hub.build();
    let plain = hub.read("public/campagnes/salon/index.html");
    let run = hub.chorus(&["build", "--now", "2026-11-25"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let minified = hub.read("public/campagnes/salon/index.html");
    assert!(minified.len() < plain.len(), "{} vs {}", minified.len(), plain.len());
    assert!(!minified.contains(">\n<"), "whitespace between tags is removed");
    assert!(minified.contains("Salon de l") && minified.contains("</main>"));
    let theme_css = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/static/style.css")).unwrap();
    let css = hub.read("public/style.css");
    assert!(css.len() < theme_css.len() * 9 / 10, "CSS is minified: {} vs {}", css.len(), theme_css.len());
    assert!(!css.contains("/*"), "CSS comments are removed");
}

#[test]
fn static_files_and_hub_overrides_are_used() {
    let hub = Hub::copy("basic");
    hub.write("static/img/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    hub.write("templates/404.html", "{% extends \"base.html\" %}{% block content %}<p>Perdu ? {{ t.not_found_title }}</p>{% endblock %}");
    hub.write("content/campagnes/photo.jpg", "not really a jpeg");
    hub.build();
    assert!(hub.path("public/img/logo.svg").is_file(), "hub static files are copied");
    assert!(hub.read("public/404.html").contains("<p>Perdu ?"), "a hub template overrides the theme's");
    assert_eq!(hub.read("public/campagnes/photo.jpg"), "not really a jpeg", "content assets are copied");
}

#[test]
fn build_replaces_stale_files() {
    let hub = Hub::copy("basic");
    hub.build();
    std::fs::remove_file(hub.path("content/page.en.md")).unwrap();
    hub.build();
    assert!(!hub.path("public/en/a-page").exists(), "a removed page disappears from the output");
    assert!(fingerprint(hub.root()).keys().all(|p| !p.to_string_lossy().contains(".public.")), "no staging folder left");
}
