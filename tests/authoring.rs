//! What the author is told, on fixture hubs with the real binary: every
//! independent error of every file in one run, campaign images, placeholders,
//! whole-word banned phrases and disclosure, network overrides, translations'
//! dates, and what `chorus new campaign` writes.

mod common;

use common::Hub;
use serde_json::Value;

/// One message of `chorus check --format json`.
#[derive(Debug)]
struct Message {
    severity: String,
    file: String,
    line: u64,
    column: u64,
    text: String,
}

/// `chorus check --now 2026-11-25 --format json`: exit code and every message.
fn check(hub: &Hub) -> (i32, Vec<Message>) {
    let run = hub.chorus(&["check", "--now", "2026-11-25", "--format", "json"]);
    let v: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("JSON ({e}): {}{}", run.stdout, run.stderr));
    let mut out = Vec::new();
    for list in ["errors", "warnings"] {
        for e in v[list].as_array().unwrap() {
            out.push(Message {
                severity: e["severity"].as_str().unwrap_or_default().to_string(),
                file: e["file"].as_str().unwrap_or_default().to_string(),
                line: e["line"].as_u64().unwrap_or_default(),
                column: e["column"].as_u64().unwrap_or_default(),
                text: e["message"].as_str().unwrap_or_default().to_string(),
            });
        }
    }
    (run.code, out)
}

fn has(messages: &[Message], severity: &str, file: &str, line: u64, column: u64, text: &str) -> bool {
    messages.iter().any(|m| m.severity == severity && m.file == file && m.line == line && m.column == column && m.text.contains(text))
}

fn assert_has(messages: &[Message], severity: &str, file: &str, line: u64, column: u64, text: &str) {
    assert!(has(messages, severity, file, line, column, text), "missing {severity} {file}:{line}:{column} {text}\nall: {messages:#?}");
}

/// A campaign page of the basic fixture with `extra` front matter and the given snippets.
fn campaign(extra: &str, snippets: &str) -> String {
    format!(
        "---\ntitle: \"Campagne\"\nurl: \"https://www.acme.example/c\"\nstarts: 2026-11-20\nends: 2026-12-20\n{extra}snippets:\n{snippets}---\nCorps.\n"
    )
}

#[test]
fn every_independent_error_of_every_file_is_reported_in_one_run() {
    let hub = Hub::copy("basic");
    // Front matter: YAML that cannot be read, and a file with three problems of its own.
    hub.write("content/casse.md", "---\ntitle: [pas fermé\n---\nCorps.\n");
    hub.write("content/triple.md", "---\ntitle: \" \"\nversion: 2\nminutes: 5\n---\nVoir [le guide](@/guide/absent.md).\n");
    // A broken link in another page, and a link to the unreadable file, which is not broken.
    hub.write("content/liens.md", "---\ntitle: Liens\n---\nVoir [rien](@/nulle-part.md) et [casse](@/casse.md).\n");
    // A lint error in a campaign.
    hub.write("content/campagnes/interdite.md", &campaign("", "  - id: a\n    text: \"Succès assuré ! {link}\"\n"));
    let (code, messages) = check(&hub);
    assert_eq!(code, 1);
    assert_has(&messages, "error", "content/casse.md", 3, 1, "invalid YAML");
    assert_has(&messages, "error", "content/triple.md", 2, 1, "`title` is empty");
    assert_has(&messages, "error", "content/triple.md", 3, 1, "`version` is not a key of a `page` page");
    assert_has(&messages, "error", "content/triple.md", 4, 1, "`minutes` is not a key of a `page` page");
    assert_has(&messages, "error", "content/triple.md", 6, 6, "broken internal link `@/guide/absent.md`");
    assert_has(&messages, "error", "content/liens.md", 4, 6, "broken internal link `@/nulle-part.md`");
    assert_has(&messages, "error", "content/campagnes/interdite.md", 8, 12, "the disclosure `#AcmeTeam` is missing");
    assert!(!messages.iter().any(|m| m.text.contains("@/casse.md")), "a link to a file with its own error is not reported: {messages:#?}");
    assert_eq!(messages.len(), 7, "{messages:#?}");

    // The same in `build`, which leaves no output.
    let run = hub.chorus(&["build", "--now", "2026-11-25"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("7 errors"), "{}", run.stderr);
    assert!(!hub.path("public").exists());
}

#[test]
fn pages_under_a_section_that_cannot_be_parsed_keep_its_kind() {
    let hub = Hub::copy("basic");
    let index = hub.read("content/campagnes/_index.md");
    hub.write("content/campagnes/_index.md", &index.replacen("---\n", "---\ntags: [pas fermé\n", 1));
    let (code, messages) = check(&hub);
    assert_eq!(code, 1);
    assert_eq!(messages.len(), 1, "only the section's own error, not `url` refused on its campaigns: {messages:#?}");
    assert_eq!(messages[0].file, "content/campagnes/_index.md");
}

#[test]
fn a_campaign_image_must_be_a_file_in_its_folder() {
    let hub = Hub::copy("basic");
    let page =
        |image: &str| campaign(&format!("image: {image}\n"), &format!("  - id: a\n    text: \"Venez voir {} {{link}} #AcmeTeam\"\n", image.len()));
    hub.write("content/campagnes/absente.md", &page("affiche.jpg"));
    hub.write("content/campagnes/remonte.md", &page("../../etc/hostname"));
    hub.write("content/campagnes/absolue.md", &page("/etc/hostname"));
    hub.write("content/campagnes/distante.md", &page("\"https://cdn.example/a.jpg\""));
    let (code, messages) = check(&hub);
    assert_eq!(code, 1);
    assert_has(&messages, "error", "content/campagnes/absente.md", 6, 8, "there is no file `content/campagnes/affiche.jpg`");
    assert_has(&messages, "error", "content/campagnes/remonte.md", 6, 8, "is not a file in this page's folder");
    assert_has(&messages, "error", "content/campagnes/absolue.md", 6, 8, "is not a file in this page's folder");
    assert_has(&messages, "error", "content/campagnes/distante.md", 6, 9, "is not a file in this page's folder");
    assert_eq!(messages.len(), 4, "{messages:#?}");

    // A real image next to the page, and a translation that takes it: both pages show a file that is in the output.
    for name in ["remonte", "absolue", "distante"] {
        std::fs::remove_file(hub.path(&format!("content/campagnes/{name}.md"))).unwrap();
    }
    hub.write("content/campagnes/images/affiche.jpg", "JPEG");
    hub.write("content/campagnes/absente.md", &page("images/affiche.jpg"));
    hub.write("content/campagnes/absente.en.md", "---\ntitle: \"Campaign\"\nsnippets:\n  - id: a\n    text: \"Come {link} #AcmeTeam\"\n---\nBody.\n");
    hub.build();
    for (html, lang) in [("public/campagnes/absente/index.html", "fr"), ("public/en/campagnes/absente/index.html", "en")] {
        let html = hub.read(html);
        let src = html.split("<img src=\"").nth(1).unwrap_or_else(|| panic!("{lang}: an image")).split('"').next().unwrap();
        assert_eq!(src, "/campagnes/images/affiche.jpg", "{lang}");
        assert!(hub.path(&format!("public{src}")).is_file(), "{lang}: {src} is in the output");
    }
}

#[test]
fn an_unknown_placeholder_is_an_error_that_suggests_link() {
    let hub = Hub::copy("basic");
    hub.write("content/campagnes/marque.md", &campaign("", "  - id: a\n    text: \"Lisez {lien} #AcmeTeam\"\n    x: \"Lisez {url} #AcmeTeam\"\n"));
    let run = hub.chorus(&["check", "--now", "2026-11-25"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("content/campagnes/marque.md:8:18: unknown placeholder `{lien}`"), "{}", run.stderr);
    assert!(run.stderr.contains("content/campagnes/marque.md:9:15: unknown placeholder `{url}`"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `{link}`?"), "{}", run.stderr);
}

#[test]
fn banned_phrases_and_the_disclosure_match_whole_words_in_french() {
    let hub = Hub::copy("basic");
    let config = hub.read("hub.yaml") + "  banned_phrases: [\"top\", \"meilleur du monde\", \"élu\"]\n";
    hub.write("hub.yaml", &config);
    hub.write(
        "content/campagnes/mots.md",
        &campaign(
            "networks: [linkedin]\n",
            concat!(
                "  - id: fuite\n    text: \"Notre stop-fuite est sélectionné par le jury. {link} #AcmeTeam\"\n",
                "  - id: lyon\n    text: \"Bravo l'équipe ! {link} #AcmeTeamLyon\"\n",
                "  - id: majuscules\n    text: \"ÉLU produit de l'année. {link} #acmeteam\"\n",
                "  - id: monde\n    text: \"Le Meilleur  du monde, c'est TOP ! {link} #AcmeTeam\"\n",
            ),
        ),
    );
    let (code, messages) = check(&hub);
    assert_eq!(code, 1);
    let file = "content/campagnes/mots.md";
    assert_has(&messages, "error", file, 11, 12, "the disclosure `#AcmeTeam` is missing");
    assert_has(&messages, "error", file, 13, 12, "`élu` is a banned phrase");
    assert_has(&messages, "error", file, 15, 15, "`meilleur du monde` is a banned phrase");
    assert_has(&messages, "error", file, 15, 41, "`top` is a banned phrase");
    assert_eq!(messages.len(), 4, "\"stop-fuite\" and \"sélectionné\" ban nothing, #acmeteam discloses: {messages:#?}");
}

#[test]
fn an_override_for_a_network_the_campaign_does_not_offer_is_a_warning() {
    let hub = Hub::copy("basic");
    hub.write(
        "content/campagnes/reseaux.md",
        &campaign("networks: [linkedin, x]\n", "  - id: a\n    text: \"Venez {link} #AcmeTeam\"\n    facebook: \"Venez vite {link} #AcmeTeam\"\n"),
    );
    let (code, messages) = check(&hub);
    assert_eq!(code, 0, "a warning does not fail: {messages:#?}");
    assert_has(
        &messages,
        "warning",
        "content/campagnes/reseaux.md",
        10,
        16,
        "the `facebook:` text of snippet `a` is never shown: this campaign is not offered on Facebook",
    );
    assert_eq!(messages.len(), 1, "{messages:#?}");
}

#[test]
fn translations_of_a_campaign_run_on_the_same_days() {
    let hub = Hub::copy("basic");
    let french = hub.read("content/campagnes/salon.md");
    let english = |front: &str| {
        format!("---\ntitle: \"Job fair\"\n{front}snippets:\n  - id: teaser\n    text: \"In two weeks: 100 jobs. {{link}} #AcmeTeam\"\n---\nWhy.\n")
    };
    hub.write("content/campagnes/salon.en.md", &english("campaign: salon-2027\nstarts: 2027-03-02\nends: 2027-03-15\n"));
    let (code, messages) = check(&hub);
    assert_eq!(code, 1);
    assert_has(
        &messages,
        "error",
        "content/campagnes/salon.en.md",
        4,
        1,
        "`starts: 2027-03-02` differs from `starts: 2027-03-01` in content/campagnes/salon.md",
    );
    assert_eq!(messages.len(), 1, "{messages:#?}");

    // Left out, they come from the French page, and so does the url.
    hub.write("content/campagnes/salon.en.md", &english("campaign: salon-2027\n"));
    hub.build();
    let page = hub.read("public/en/campagnes/salon/index.html");
    assert!(page.contains("datetime=\"2027-03-01\"") && page.contains("datetime=\"2027-03-15\""), "dates shown: {page}");
    let links: Value = serde_json::from_str(&hub.read("public/_chorus/links.json")).unwrap();
    let english_link = links["links"].as_array().unwrap().iter().find(|l| l["lang"] == "en").expect("an English link");
    assert!(english_link["url"].as_str().unwrap().starts_with("https://www.acme.example/salon?ref=hub"), "{english_link}");

    // Without a French page to take them from, they are required.
    hub.write("content/campagnes/salon.md", &french.replace("campaign: salon-2027\n", "campaign: salon-2027\ndraft: true\n"));
    let (code, messages) = check(&hub);
    assert_eq!(code, 1);
    assert_has(&messages, "error", "content/campagnes/salon.en.md", 1, 1, "a `campaign` page needs `url`, `starts` and `ends`");
}

#[test]
fn a_new_campaign_has_a_placeholder_url_and_its_translation_copies_the_dates() {
    let hub = Hub::copy("basic");
    let run = hub.chorus(&["new", "campaign", "journee"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let french = hub.read("content/campagnes/journee.md");
    let (code, messages) = check(&hub);
    assert_eq!(code, 1, "the placeholder must be replaced before it ships");
    assert_has(&messages, "error", "content/campagnes/journee.md", 5, 7, "`url` is still a placeholder");
    assert_eq!(messages.len(), 1, "{messages:#?}");

    let real = french.replace("https://remplacez-par-la-page-a-partager.invalid/", "https://www.acme.example/journee");
    let real = real.replace(&french.lines().find(|l| l.starts_with("starts:")).unwrap().to_string(), "starts: 2027-04-01");
    let real = real.replace(&french.lines().find(|l| l.starts_with("ends:")).unwrap().to_string(), "ends: 2027-04-15");
    hub.write("content/campagnes/journee.md", &real);
    let run = hub.chorus(&["new", "campaign", "journee", "--lang", "en"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let english = hub.read("content/campagnes/journee.en.md");
    assert!(english.contains("url: \"https://www.acme.example/journee\""), "{english}");
    assert!(english.contains("starts: 2027-04-01"), "{english}");
    assert!(english.contains("ends: 2027-04-15"), "{english}");
    let (code, messages) = check(&hub);
    assert_eq!(code, 0, "{messages:#?}");
}

#[test]
fn a_problem_in_a_block_snippet_points_at_its_text_not_at_the_bar() {
    let hub = Hub::copy("basic");
    hub.write("content/campagnes/bloc.md", &campaign("", "  - id: a\n    text: |\n      Venez nombreux,\n      c'est demain. {link}\n"));
    let (code, messages) = check(&hub);
    assert_eq!(code, 1);
    assert_has(&messages, "error", "content/campagnes/bloc.md", 9, 7, "the disclosure `#AcmeTeam` is missing");
    assert_eq!(messages.len(), 1, "{messages:#?}");
}

#[test]
fn an_unsafe_campaign_url_is_reported_once_at_its_line() {
    let hub = Hub::copy("basic");
    let page = hub.read("content/campagnes/salon.md").replace("\"https://www.acme.example/salon?ref=hub#inscription\"", "\"javascript:alert(1)\"");
    hub.write("content/campagnes/salon.md", &page);
    let (code, messages) = check(&hub);
    assert_eq!(code, 1);
    assert_has(&messages, "error", "content/campagnes/salon.md", 4, 7, "its scheme is `javascript`, not http or https");
    assert_eq!(messages.len(), 1, "one mistake, one message: {messages:#?}");
}
