//! Phases and embargo, on fixture hubs with the real binary: posts' windows
//! linted at their dates, today's posts first on the campaign page, nothing of
//! an embargoed campaign or of a post not yet due in any file of the output,
//! the next change printed, and phases in the calendars (docs/front-matter.md,
//! "Phases and embargo").

mod common;

use std::io::Read;
use std::path::Path;

use common::{Hub, Run};
use serde_json::Value;

/// The basic fixture's job fair (2027-03-01..15) in three phases: a teasing
/// post on the campaign's first days, a launch and a last reminder labelled in
/// free text. `Quetzalcoatl` is a word only the launch post holds.
const SALON: &str = r#"---
title: "Salon de l'emploi"
date: 2026-11-01
url: "https://www.acme.example/salon?ref=hub#inscription"
campaign: salon-2027
starts: 2027-03-01
ends: 2027-03-15
hashtags: [Recrutement]
networks: [linkedin, x, bluesky, email]
snippets:
  - id: teaser
    phase: teasing
    until: 2027-03-04
    text: "Dans deux semaines, nos portes s'ouvrent : 100 postes, une journée. {link} #AcmeTeam"
  - id: lancement
    phase: launch
    from: 2027-03-05
    until: 2027-03-10
    text: "Quetzalcoatl ouvre nos portes : 100 postes, venez ! {link} #AcmeTeam"
  - id: jour-j
    phase: Dernière ligne droite
    from: 2027-03-11
    text: "C'est aujourd'hui ! {link} #AcmeTeam #Recrutement"
    x: "Aujourd'hui : 100 postes à pourvoir. {link} #AcmeTeam"
---
Pourquoi c'est important.
"#;

/// An embargoed campaign, in French and English; `Zorglub` is in no other file.
const EMBARGOED: &str = r#"---
title: "Lancement Zorglub"
description: "Le Zorglub arrive."
date: 2026-11-01
url: "https://www.acme.example/zorglub"
campaign: zorglub
starts: 2027-03-05
ends: 2027-03-31
embargo: true
image: zorglub.jpg
networks: [linkedin, x]
snippets:
  - id: annonce
    text: "Voici le Zorglub. {link} #AcmeTeam"
---
Le Zorglub, enfin.
"#;

const EMBARGOED_EN: &str = r#"---
title: "Zorglub launch"
url: "https://www.acme.example/en/zorglub"
campaign: zorglub
networks: [linkedin, x]
snippets:
  - id: annonce
    text: "Meet the Zorglub. {link} #AcmeTeam"
---
The Zorglub, at last.
"#;

/// The basic fixture with the phased job fair, the embargoed campaign and a page linking to it.
fn hub() -> Hub {
    let hub = Hub::copy("basic");
    hub.write("content/campagnes/salon.md", SALON);
    hub.write("content/campagnes/lancement.md", EMBARGOED);
    hub.write("content/campagnes/lancement.en.md", EMBARGOED_EN);
    hub.write("content/campagnes/zorglub.jpg", "not really a JPEG");
    let page = hub.read("content/page.md");
    let blocks = "```share\ncampaign: salon-2027\nsnippet: lancement\n```\n\n```share\ncampaign: zorglub\nsnippet: annonce\n```\n";
    hub.write("content/page.md", &format!("{page}\nBientôt : [notre lancement](@/campagnes/lancement.md).\n\n{blocks}"));
    hub
}

/// `chorus build --now <day> --no-minify --output out-<day>`, asserting success.
fn build(hub: &Hub, day: &str) -> Run {
    let out = format!("out-{day}");
    let run = hub.chorus(&["build", "--now", day, "--no-minify", "--output", &out]);
    assert_eq!(run.code, 0, "build on {day} failed:\n{}", run.stderr);
    run
}

/// Every file under `dir` as text, gzip-compressed ones (Pagefind's index) unpacked.
fn every_file(dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).into_iter().map(Result::unwrap).filter(|e| e.file_type().is_file()) {
        let bytes = std::fs::read(entry.path()).unwrap();
        let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
            let mut unpacked = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut unpacked).unwrap();
            unpacked
        } else {
            bytes
        };
        let rel = entry.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
        files.push((rel, String::from_utf8_lossy(&bytes).into_owned()));
    }
    files
}

/// The files of `dir` that hold `word`.
fn files_with(dir: &Path, word: &str) -> Vec<String> {
    every_file(dir).into_iter().filter(|(_, text)| text.contains(word)).map(|(rel, _)| rel).collect()
}

/// The `<section class="snippet …">` opening tags of a page, in order.
fn snippet_sections(html: &str) -> Vec<&str> {
    html.match_indices("<section class=\"snippet ").map(|(i, _)| &html[i..i + html[i..].find('>').unwrap() + 1]).collect()
}

#[test]
fn post_dates_outside_the_campaign_are_errors_at_the_date() {
    let hub = Hub::copy("basic");
    hub.write(
        "content/campagnes/dates.md",
        "---\ntitle: \"Dates\"\nurl: \"https://www.acme.example/c\"\nstarts: 2026-11-20\nends: 2026-12-20\nsnippets:\n  - id: tot\n    from: 2026-11-01\n    text: \"Trop tôt {link} #AcmeTeam\"\n  - id: tard\n    until: 2027-01-05\n    text: \"Trop tard {link} #AcmeTeam\"\n  - id: envers\n    from: 2026-12-10\n    until: 2026-12-01\n    text: \"À l'envers {link} #AcmeTeam\"\n---\nCorps.\n",
    );
    let run = hub.chorus(&["check", "--now", "2026-11-25", "--format", "json"]);
    assert_ne!(run.code, 0, "bad dates fail the check");
    let v: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("JSON ({e}): {}{}", run.stdout, run.stderr));
    let at = |line: u64, column: u64, text: &str| {
        v["errors"].as_array().unwrap().iter().any(|e| {
            e["file"] == "content/campagnes/dates.md" && e["line"] == line && e["column"] == column && e["message"].as_str().unwrap().contains(text)
        })
    };
    assert!(at(8, 11, "`from: 2026-11-01` of snippet `tot` is outside the campaign"), "{}", run.stdout);
    assert!(at(11, 12, "`until: 2027-01-05` of snippet `tard` is outside the campaign"), "{}", run.stdout);
    // `envers` is not due yet on 2026-11-25: its dates are checked all the same.
    assert!(at(15, 12, "snippet `envers` ends (`until: 2026-12-01`) before it starts"), "{}", run.stdout);

    let human = hub.chorus(&["check", "--now", "2026-11-25"]);
    assert!(human.stderr.contains("content/campagnes/dates.md:8:11"), "{}", human.stderr);
}

#[test]
fn campaign_page_puts_the_posts_to_share_today_first_in_each_phase() {
    let hub = hub();

    // Before the campaign: its posts without a `from` of their own are shown with their first day.
    build(&hub, "2026-11-25");
    let html = hub.read("out-2026-11-25/campagnes/salon/index.html");
    assert_eq!(snippet_sections(&html), vec![r#"<section class="snippet snippet-later" id="snippet-teaser" data-snippet="teaser">"#]);
    assert!(html.contains(r#"À partager à partir du <time datetime="2027-03-01">1er mars 2027</time>"#), "{html}");

    // Teasing: the teaser is current, the launch not yet due is not on the page.
    build(&hub, "2027-03-02");
    let html = hub.read("out-2027-03-02/campagnes/salon/index.html");
    assert_eq!(snippet_sections(&html), vec![r#"<section class="snippet snippet-current" id="snippet-teaser" data-snippet="teaser" data-current>"#]);
    assert!(
        html.contains(r#"<strong class="badge badge-today">À partager aujourd&#39;hui</strong> <span class="phase">Phase : Teasing</span>"#),
        "{html}"
    );

    // Launch: the launch post first and current, the teaser after it, its time over.
    build(&hub, "2027-03-06");
    let html = hub.read("out-2027-03-06/campagnes/salon/index.html");
    assert_eq!(
        snippet_sections(&html),
        vec![
            r#"<section class="snippet snippet-current" id="snippet-lancement" data-snippet="lancement" data-current>"#,
            r#"<section class="snippet snippet-past" id="snippet-teaser" data-snippet="teaser">"#,
        ]
    );
    assert!(html.contains("Phase : Lancement"), "{html}");
    assert!(html.contains(r#"il était à partager jusqu&#39;au <time datetime="2027-03-04">4 mars 2027</time>"#), "{html}");

    // Reminder: a free-text phase is shown as written; the past ones follow in written order.
    build(&hub, "2027-03-12");
    let html = hub.read("out-2027-03-12/campagnes/salon/index.html");
    let sections = snippet_sections(&html);
    assert_eq!(sections.len(), 3);
    assert!(sections[0].contains("snippet-jour-j") && sections[0].ends_with("data-current>"), "{sections:?}");
    assert!(sections[1].contains("snippet-teaser") && sections[2].contains("snippet-lancement"), "{sections:?}");
    assert!(sections[1..].iter().all(|s| !s.contains("data-current")), "{sections:?}");
    assert!(html.contains("Phase : Dernière ligne droite"), "{html}");
}

#[test]
fn embargoed_campaigns_and_posts_not_yet_due_are_in_no_file_of_the_output() {
    let hub = hub();
    let run = build(&hub, "2027-03-04");
    let out = hub.path("out-2027-03-04");
    assert!(out.join("pagefind").is_dir(), "the search index is built");
    assert_eq!(files_with(&out, "Zorglub"), Vec::<String>::new(), "the embargoed campaign");
    assert_eq!(files_with(&out, "zorglub"), Vec::<String>::new(), "its id");
    assert_eq!(files_with(&out, "Quetzalcoatl"), Vec::<String>::new(), "the launch post, due on 2027-03-05");
    assert!(!out.join("campagnes/lancement").exists());
    assert!(!out.join("campagnes/zorglub.jpg").exists(), "nor its image");
    // The link to it is written as its text, with a warning that names it (in the log only).
    let page = hub.read("out-2027-03-04/page/index.html");
    assert!(page.contains("Bientôt : notre lancement."), "{page}");
    assert!(run.stderr.contains("content/page.md:34:11: `@/campagnes/lancement.md` is a campaign under"), "{}", run.stderr);
    assert!(run.stdout.contains("next change: 2027-03-05\n"), "{}", run.stdout);

    build(&hub, "2027-03-05");
    let out = hub.path("out-2027-03-05");
    let zorglub = files_with(&out, "Zorglub");
    for file in [
        "campagnes/lancement/index.html",
        "en/campagnes/lancement/index.html",
        "campagnes/index.html",
        "atom.xml",
        "calendar.ics",
        "calendrier/index.html",
        "campagnes/lancement/calendar.ics",
    ] {
        assert!(zorglub.iter().any(|f| f == file), "{file} names the campaign on its first day: {zorglub:?}");
    }
    assert!(zorglub.iter().any(|f| f.starts_with("pagefind/")), "the search index has it: {zorglub:?}");
    assert!(files_with(&out, "zorglub").iter().any(|f| f == "_chorus/links.json"), "its links are in the manifest");
    assert!(files_with(&out, "campagnes/lancement/").iter().any(|f| f == "sitemap.xml"));
    assert!(out.join("campagnes/zorglub.jpg").exists(), "its image is copied from its first day");
    let quetzalcoatl = files_with(&out, "Quetzalcoatl");
    assert!(quetzalcoatl.iter().any(|f| f == "campagnes/salon/index.html"), "{quetzalcoatl:?}");
    let links = hub.read("out-2027-03-05/_chorus/links.json");
    assert!(links.contains("utm_content=lancement"), "the launch post is in the links manifest from its first day");
    let before = hub.read("out-2027-03-04/_chorus/links.json");
    assert!(!before.contains("utm_content=lancement"), "and not before");
    let page = hub.read("out-2027-03-05/page/index.html");
    assert!(page.contains(r#"<a href="/campagnes/lancement/">notre lancement</a>"#), "{page}");
    assert!(page.contains("Quetzalcoatl") && page.contains("Voici le Zorglub"), "share blocks show their posts from their day: {page}");
}

#[test]
fn build_and_check_print_the_next_change() {
    let hub = hub();
    let run = build(&hub, "2026-11-25");
    assert!(run.stdout.contains("next change: 2027-03-01\n"), "the job fair starts: {}", run.stdout);
    let run = build(&hub, "2027-03-05");
    assert!(run.stdout.contains("next change: 2027-03-11\n"), "the reminder is due: {}", run.stdout);

    let check = hub.chorus(&["check", "--now", "2027-03-02"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stdout.contains("next change: 2027-03-05\n"), "the launch and the embargo: {}", check.stdout);
    let json = |day: &str| -> Value {
        let run = hub.chorus(&["check", "--now", day, "--format", "json"]);
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("JSON ({e}): {}{}", run.stdout, run.stderr))
    };
    assert_eq!(json("2027-03-12")["next_change"], "2027-03-16", "the day after the job fair ends");
    // Once every campaign has ended, nothing changes any more.
    assert_eq!(json("2027-06-01")["next_change"], Value::Null);
    let run = build(&hub, "2027-06-01");
    assert!(!run.stdout.contains("next change"), "{}", run.stdout);
}

#[test]
fn phases_are_calendar_events_with_a_reminder_and_each_campaign_has_its_own_calendar() {
    let hub = hub();
    build(&hub, "2027-03-12");
    let ics = hub.read("out-2027-03-12/calendar.ics");
    let unfolded = icalendar::parser::unfold(&ics);
    let parsed = icalendar::parser::read_calendar(&unfolded).expect("calendar.ics parses");
    let events: Vec<_> = parsed.components.iter().filter(|c| c.name == "VEVENT").collect();
    let prop = |c: &icalendar::parser::Component, name: &str| c.find_prop(name).map(|p| p.val.to_string()).unwrap_or_default();
    let find = |uid: &str| events.iter().find(|e| prop(e, "UID") == uid).unwrap_or_else(|| panic!("no {uid} in\n{ics}"));
    // The job fair, the report and the embargoed campaign (live now), then the job fair's three phases.
    assert_eq!(events.len(), 6, "{ics}");
    let campaign = find("salon-2027@hub.test.example");
    assert!(campaign.components.is_empty(), "the campaign itself has no reminder");
    let teasing = find("salon-2027-teaser@hub.test.example");
    assert_eq!(prop(teasing, "SUMMARY"), "Salon de l'emploi · Teasing");
    assert_eq!(prop(teasing, "DTSTART"), "20270301");
    assert_eq!(prop(teasing, "DTEND"), "20270305", "DTEND is the day after the last (exclusive)");
    let launch = find("salon-2027-lancement@hub.test.example");
    assert_eq!((prop(launch, "DTSTART"), prop(launch, "DTEND")), ("20270305".into(), "20270311".into()));
    let reminder = find("salon-2027-jour-j@hub.test.example");
    assert_eq!(prop(reminder, "SUMMARY"), "Salon de l'emploi · Dernière ligne droite");
    assert_eq!(prop(reminder, "DTEND"), "20270316");
    for phase in [teasing, launch, reminder] {
        let alarm = phase.components.iter().find(|c| c.name == "VALARM").unwrap_or_else(|| panic!("a VALARM in {ics}"));
        assert_eq!(prop(alarm, "ACTION"), "DISPLAY");
        assert_eq!(prop(alarm, "DESCRIPTION"), prop(phase, "SUMMARY"));
        let trigger = alarm.find_prop("TRIGGER").unwrap();
        assert_eq!(trigger.val.to_string(), "PT9H", "9:00 on the phase's first day");
        assert!(unfolded.contains("TRIGGER;RELATED=START:PT9H"));
    }

    // The campaign page links its own calendar: the campaign and its phases.
    let page = hub.read("out-2027-03-12/campagnes/salon/index.html");
    assert!(page.contains(r#"href="/campagnes/salon/calendar.ics""#), "{page}");
    let own = hub.read("out-2027-03-12/campagnes/salon/calendar.ics");
    let own_unfolded = icalendar::parser::unfold(&own);
    let own = icalendar::parser::read_calendar(&own_unfolded).expect("the campaign's calendar parses");
    let uids: Vec<String> = own.components.iter().filter(|c| c.name == "VEVENT").map(|c| prop(c, "UID")).collect();
    assert_eq!(uids, ["salon-2027", "salon-2027-teaser", "salon-2027-lancement", "salon-2027-jour-j"].map(|u| format!("{u}@hub.test.example")));
    let english = hub.read("out-2027-03-12/en/campagnes/lancement/calendar.ics");
    assert!(english.contains("SUMMARY:Zorglub launch"), "{english}");

    // The calendar page lists each phase on its own line.
    let calendar = hub.read("out-2027-03-12/calendrier/index.html");
    assert!(calendar.contains(r#"<span class="phase">Lancement</span>"#), "{calendar}");
    assert!(calendar.contains(r#"<time datetime="2027-03-10">"#), "{calendar}");
}
