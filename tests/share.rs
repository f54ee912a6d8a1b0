//! The share engine on fixture hubs: links.json, share cards, and every lint
//! rule both firing (tests/fixtures/lint/) and not firing (ok.md, basic/).

mod common;

use common::Hub;
use serde_json::Value;

/// `chorus check --format json` on the lint fixture: (severity, file, line, column, message).
fn lint_messages() -> Vec<(String, String, u64, u64, String)> {
    let hub = Hub::copy("lint");
    let run = hub.chorus(&["check", "--now", "2026-11-25", "--format", "json"]);
    assert_eq!(run.code, 1, "the lint fixture has errors: {}", run.stderr);
    let v: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let mut out = Vec::new();
    for list in ["errors", "warnings"] {
        for e in v[list].as_array().unwrap() {
            out.push((
                e["severity"].as_str().unwrap().to_string(),
                e["file"].as_str().unwrap().to_string(),
                e["line"].as_u64().unwrap(),
                e["column"].as_u64().unwrap(),
                e["message"].as_str().unwrap().to_string(),
            ));
        }
    }
    out
}

#[test]
fn every_lint_rule_fires_at_the_offending_text() {
    let messages = lint_messages();
    let expect = [
        ("error", "content/campagnes/trop-long.md", 10, 12, "too long for X: 337 characters"),
        ("error", "content/campagnes/trop-long.md", 10, 12, "too long for Bluesky"),
        ("error", "content/campagnes/sans-mention.md", 10, 12, "the disclosure `#AcmeTeam` is missing"),
        ("error", "content/campagnes/surcharge.md", 11, 9, "the disclosure `#AcmeTeam` is missing"),
        ("error", "content/campagnes/interdit.md", 10, 19, "`garanti` is a banned phrase"),
        ("error", "content/campagnes/double-lien.md", 10, 34, "`{link}` appears more than once"),
        ("error", "content/campagnes/dates.md", 5, 1, "the campaign ends (2026-11-01) before it starts (2026-12-31)"),
        ("error", "content/campagnes/doublon.md", 11, 9, "snippet id `a` is used twice"),
        ("warning", "content/campagnes/hashtags.md", 10, 42, "4 hashtags, more than share.max_hashtags (2)"),
        ("warning", "content/_index.md", 4, 9, "the home page links to campaign `ancienne`, which ended 298 days ago"),
        ("warning", "content/campagnes/copie.md", 10, 12, "this text is the same as snippet `a` of campaign `ancienne`"),
    ];
    for (severity, file, line, column, message) in expect {
        assert!(
            messages.iter().any(|m| m.0 == severity && m.1 == file && m.2 == line && m.3 == column && m.4.contains(message)),
            "missing {severity} {file}:{line}:{column} {message}\nall: {messages:#?}"
        );
    }
    assert_eq!(messages.len(), expect.len(), "no other message: {messages:#?}");
    assert!(!messages.iter().any(|m| m.1.ends_with("/ok.md")), "a clean campaign raises nothing");
}

#[test]
fn unknown_network_is_an_error_with_a_hint() {
    let hub = Hub::copy("lint");
    let ok = hub.read("content/campagnes/ok.md").replace("[linkedin, x, bluesky]", "[linkedin, twiter]");
    hub.write("content/campagnes/ok.md", &ok);
    let run = hub.chorus(&["check", "--now", "2026-11-25"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("content/campagnes/ok.md:6:"), "{}", run.stderr);
    assert!(run.stderr.contains("unknown value `twiter`"), "{}", run.stderr);
    let run = hub.chorus(&["check", "--format", "github"]);
    // Reported with the fixture's other lint errors, in one run.
    assert!(run.stdout.lines().any(|l| l.starts_with("::error file=content/campagnes/ok.md,line=6")), "{}", run.stdout);
    assert!(run.stdout.contains("::error file=content/campagnes/interdit.md"), "{}", run.stdout);
}

#[test]
fn warnings_do_not_fail_the_build() {
    let hub = Hub::copy("lint");
    for broken in ["trop-long", "sans-mention", "surcharge", "interdit", "double-lien", "dates", "doublon"] {
        std::fs::remove_file(hub.path(&format!("content/campagnes/{broken}.md"))).unwrap();
    }
    let run = hub.chorus(&["build", "--now", "2026-11-25"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("4 hashtags"), "warnings are printed: {}", run.stderr);
    let gh = hub.chorus(&["check", "--now", "2026-11-25", "--format", "github"]);
    assert_eq!(gh.code, 0);
    assert!(gh.stdout.lines().any(|l| l.starts_with("::warning file=content/campagnes/hashtags.md,line=10,col=42::")), "{}", gh.stdout);
}

#[test]
fn links_json_lists_every_post_with_a_stable_code() {
    let hub = Hub::copy("basic");
    hub.build();
    let raw = hub.read("public/_chorus/links.json");
    let manifest: Value = serde_json::from_str(&raw).expect("links.json is JSON");
    assert_eq!(manifest["version"], 1);
    assert_eq!(manifest["generated"], "2026-11-25T00:00:00Z");
    let links = manifest["links"].as_array().unwrap();
    // salon: 2 snippets × 4 networks; rapport: 1 snippet × 8 default networks.
    assert_eq!(links.len(), 2 * 4 + 8);
    for l in links {
        for key in ["code", "url", "campaign", "snippet", "network", "title"] {
            assert!(l[key].is_string(), "{key} in {l}");
        }
        let code = l["code"].as_str().unwrap();
        assert!(code.len() == 7 && code.bytes().all(|b| b.is_ascii_alphanumeric()), "{code}");
    }
    let teaser_x = links.iter().find(|l| l["snippet"] == "teaser" && l["network"] == "x").unwrap();
    assert_eq!(teaser_x["campaign"], "salon-2027");
    assert_eq!(teaser_x["title"], "Salon de l'emploi");
    assert_eq!(
        teaser_x["url"],
        "https://www.acme.example/salon?ref=hub&utm_source=x&utm_medium=social&utm_campaign=salon-2027&utm_content=teaser#inscription"
    );
    let codes: std::collections::HashSet<&str> = links.iter().map(|l| l["code"].as_str().unwrap()).collect();
    assert_eq!(codes.len(), links.len(), "codes are unique");
    // Rebuilding gives the same codes.
    hub.build();
    assert_eq!(hub.read("public/_chorus/links.json"), raw);
}

/// The lint fixture with only its campaign that passes the lint (`ok.md`).
fn lint_hub_without_errors() -> Hub {
    let hub = Hub::copy("lint");
    for broken in ["trop-long", "sans-mention", "surcharge", "interdit", "double-lien", "dates", "doublon"] {
        std::fs::remove_file(hub.path(&format!("content/campagnes/{broken}.md"))).unwrap();
    }
    hub
}

/// The `href` of the share button of `network` on a built page, `&amp;` decoded.
fn share_href(page: &str, network: &str) -> String {
    let card = &page[page.find(&format!("<li class=\"post post-{network}\"")).unwrap_or_else(|| panic!("no {network} card"))..];
    let start = "class=\"button share\" href=\"";
    let button = &card[card.find(start).unwrap() + start.len()..];
    button[..button.find('"').unwrap()].replace("&amp;", "&")
}

#[test]
fn campaign_page_has_copy_share_counter_and_qr() {
    let hub = lint_hub_without_errors();
    hub.build();
    let page = hub.read("public/campagnes/ok/index.html");
    let code = chorus::share::ShortCode::new("ok", "a", chorus::share::Network::X);
    let link = format!("https://go.lint.example/c/{code}");
    assert!(page.contains(&format!("Une belle nouvelle à partager {link} #AcmeTeam</textarea>")), "text with the short link");
    assert!(page.contains("<span data-count>63</span> / 280"), "X counts the link as 23");
    assert!(
        page.contains("href=\"https://x.com/intent/post?text=Une%20belle%20nouvelle%20%C3%A0%20partager%20https%3A%2F%2Fgo.lint.example%2Fc%2F"),
        "X intent"
    );
    let code = chorus::share::ShortCode::new("ok", "a", chorus::share::Network::Linkedin);
    assert_eq!(
        share_href(&page, "linkedin"),
        format!(
            "https://www.linkedin.com/feed/?shareActive=true&text=Une%20belle%20nouvelle%20%C3%A0%20partager%20https%3A%2F%2Fgo.lint.example%2Fc%2F{code}%20%23AcmeTeam"
        ),
        "LinkedIn's composer, with the text and its tracked link"
    );
    let card = &page[page.find("<li class=\"post post-linkedin\"").unwrap()..page.find("<li class=\"post post-x\"").unwrap()];
    assert!(card.contains("data-copy-first data-copied=\"Texte copié aussi : collez-le si LinkedIn"), "LinkedIn copies before sharing: {card}");
    assert!(card.contains("ouvre avec le texte ; il est aussi copié"), "and the card says so: {card}");
    assert!(page.contains("<button type=\"button\" class=\"copy"), "copy is a button");
    assert!(page.contains("aria-live=\"polite\""), "copied is announced");
    assert!(page.contains("role=\"img\" aria-label=\"QR code: https://go.lint.example/c/"), "QR code");
    assert!(page.contains("data-beacon=\"https://go.lint.example/e\""), "beacon to the tracker");
}

/// `share.linkedin: offsite` keeps LinkedIn's share-offsite page, which takes
/// only the link (the text is copied first and the card says to paste it);
/// a value chorus does not know is an error at its line of hub.yaml.
#[test]
fn linkedin_offsite_shares_the_link_only_and_an_unknown_value_is_an_error() {
    let hub = lint_hub_without_errors();
    let config = hub.read("hub.yaml");
    hub.write("hub.yaml", &format!("{config}  linkedin: offsite\n"));
    hub.build();
    let page = hub.read("public/campagnes/ok/index.html");
    let code = chorus::share::ShortCode::new("ok", "a", chorus::share::Network::Linkedin);
    assert_eq!(
        share_href(&page, "linkedin"),
        format!("https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fgo.lint.example%2Fc%2F{code}")
    );
    let card = &page[page.find("<li class=\"post post-linkedin\"").unwrap()..page.find("<li class=\"post post-x\"").unwrap()];
    assert!(card.contains("data-copy-first data-copied=\"Texte copié : collez-le dans LinkedIn.\""), "{card}");
    assert!(card.contains("LinkedIn ne reprend pas le texte"), "{card}");
    // The X card neither copies first nor says so.
    let x = &page[page.find("<li class=\"post post-x\"").unwrap()..];
    assert!(!x[..x.find("</li>").unwrap()].contains("data-copy-first"));

    let lines = config.lines().count();
    hub.write("hub.yaml", &format!("{config}  linkedin: composer\n"));
    let run = hub.chorus(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let at = format!("hub.yaml:{}:13: unknown value `composer` in `share.linkedin`", lines + 1);
    assert!(run.stderr.contains(&at), "{at} in {}", run.stderr);
    assert!(run.stderr.contains("did you mean `compose`?"), "{}", run.stderr);
}

/// A campaign whose link is too long for a QR code: its post is shown
/// without one, `check` warns at the page's `url:` line, and the build succeeds.
#[test]
fn a_link_too_long_for_a_qr_code_is_a_warning_at_its_url() {
    let hub = Hub::copy("basic");
    // Over the 2,331 bytes a QR code holds, once tagged with UTM parameters.
    let url = format!("https://www.acme.example/{}", "a".repeat(2400));
    hub.write(
        "content/campagnes/longue.md",
        &format!("---\ntitle: Longue\nurl: \"{url}\"\nstarts: 2026-11-01\nends: 2026-12-15\nnetworks: [linkedin]\nsnippets:\n  - id: a\n    text: \"Venez {{link}} #AcmeTeam\"\n---\n"),
    );
    let gh = hub.chorus(&["check", "--now", "2026-11-25", "--format", "github"]);
    assert_eq!(gh.code, 0, "a warning does not fail: {}{}", gh.stdout, gh.stderr);
    let annotation = "::warning file=content/campagnes/longue.md,line=3,col=1::this campaign shows its post without a QR code: a link of ";
    let line = gh.stdout.lines().find(|l| l.starts_with(annotation)).unwrap_or_else(|| panic!("no {annotation:?} in\n{}", gh.stdout));
    assert!(line.contains(" bytes (snippet `a`, LinkedIn) is too long for one (help: "), "{line}");
    // In the human format, with the line shown and what to do (miette wraps it at 80 columns).
    let human = hub.chorus(&["check", "--now", "2026-11-25"]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    assert!(human.stderr.contains("content/campagnes/longue.md:3:1: this campaign shows its post"), "{}", human.stderr);
    assert!(human.stderr.contains(",-[content/campagnes/longue.md:3:1]"), "{}", human.stderr);
    assert!(human.stderr.contains("help: a QR code holds a link of about 2331 bytes at most: shorten `url`"), "{}", human.stderr);
    let build = hub.chorus(&["build", "--now", "2026-11-25"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(build.stderr.contains("longue.md:3:1: this campaign shows its post"), "the build prints it too: {}", build.stderr);
    let page = hub.read("public/campagnes/longue/index.html");
    assert!(page.contains("Venez") && !page.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox"), "the post is shown, without a QR code");
    // The fixture's own campaigns, with short links, have theirs.
    assert!(hub.read("public/campagnes/salon/index.html").contains("aria-label=\"QR code: "));
}
