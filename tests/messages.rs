//! What the author reads when something is wrong: each message says what is
//! wrong and what to do, names file:line:column (columns in characters, the
//! same in the heading and under the caret), in human and `github` formats;
//! `-q` prints errors only. And what a campaign page shows of a `|` snippet.

mod common;

use common::{Hub, Run};
use unicode_width::UnicodeWidthStr;

/// `chorus check` in the human format (stderr) and in the `github` format (stdout), both failing.
fn check_fails(hub: &Hub) -> (String, String) {
    let human = hub.chorus(&["check", "--now", "2026-11-25"]);
    assert_eq!(human.code, 1, "check should fail; stdout:\n{}\nstderr:\n{}", human.stdout, human.stderr);
    let github = hub.chorus(&["check", "--now", "2026-11-25", "--format", "github"]);
    assert_eq!(github.code, 1, "{}", github.stdout);
    (unwrapped(&human.stderr), github.stdout)
}

/// miette's output with its wrapped lines joined again (it wraps at 80 columns,
/// breaking after spaces or hyphens), so a message can be looked for whole.
fn unwrapped(stderr: &str) -> String {
    let mut out = String::new();
    let mut rest = stderr;
    while let Some(i) = rest.find('\n') {
        out.push_str(&rest[..i]);
        let next = &rest[i + 1..];
        let continuation = ["  | ", "        "].iter().find(|c| next.starts_with(**c) && !next[c.len()..].starts_with(' '));
        match continuation {
            Some(c) => {
                if !out.ends_with('-') {
                    out.push(' ');
                }
                rest = &next[c.len()..];
            }
            None => {
                out.push('\n');
                rest = next;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Asserts that both formats report `message` at `file:line:col`, with `help` in the human one.
fn assert_reported(human: &str, github: &str, file: &str, line: usize, col: usize, message: &str, help: &str) {
    let heading = format!("{file}:{line}:{col}: {message}");
    assert!(human.contains(&heading), "human output lacks {heading:?}:\n{human}");
    assert!(human.contains(&format!(",-[{file}:{line}:{col}]")), "excerpt heading is not at {file}:{line}:{col}:\n{human}");
    assert!(human.contains(&format!("help: {help}")), "human output lacks help {help:?}:\n{human}");
    let annotation = format!("::error file={file},line={line},col={col}::{}", message.replace('%', "%25"));
    assert!(github.lines().any(|l| l.starts_with(&annotation)), "github output lacks {annotation:?}:\n{github}");
}

/// The 1-based character column of `needle` on 1-based line `line` of `text`.
fn column_of(text: &str, line: usize, needle: &str) -> usize {
    let l = text.lines().nth(line - 1).unwrap();
    l[..l.find(needle).unwrap()].chars().count() + 1
}

#[test]
fn a_file_that_is_not_utf8_names_line_and_column_and_says_save_as_utf8() {
    // `é` in Latin-1 (0xE9) after a UTF-8 `é`: the column counts the first as one character.
    let cases: [(&str, &[u8], usize, usize); 4] = [
        ("content/page.md", b"---\ntitle: \"\xc3\xa9t\xe9\"\n---\nCorps.\n", 2, 11),
        ("hub.yaml", b"title: \"Hub\"\nbase_url: \"https://hub.test.example\"\norganization: \"Soci\xe9t\xe9\"\n", 3, 20),
        ("i18n/fr.yaml", b"home: \"\xc3\x80 l'accueil\"\nread_more: \"Lire la suite \xbb\"\n", 2, 27),
        ("templates/page.html", b"{% extends \"base.html\" %}\n{% block content %}caf\xe9{% endblock %}\n", 2, 23),
    ];
    for (file, bytes, line, col) in cases {
        let hub = Hub::copy("basic");
        std::fs::create_dir_all(hub.path(file).parent().unwrap()).unwrap();
        std::fs::write(hub.path(file), bytes).unwrap();
        let (human, github) = check_fails(&hub);
        assert_reported(&human, &github, file, line, col, "this file is not UTF-8: byte 0x", "save the file as UTF-8");
    }
}

#[test]
fn tab_indentation_says_tabs_are_not_allowed_use_spaces() {
    let cases = [
        ("content/page.md", "---\ntitle: \"Une page\"\ntags:\n\t- essai\n---\nCorps.\n", 4, 1),
        ("content/campagnes/salon.md", "---\ntitle: \"Salon\"\nurl: \"https://a.example\"\nstarts: 2027-03-01\nends: 2027-03-15\nsnippets:\n  - id: a\n  \ttext: \"t {link} #AcmeTeam\"\n---\n", 8, 3),
        ("hub.yaml", "title: \"Hub\"\nbase_url: \"https://hub.test.example\"\nshare:\n\tdisclosure: \"#AcmeTeam\"\n", 4, 1),
        ("i18n/en.yaml", "home: \"Home\"\n\tread_more: \"More\"\n", 2, 1),
    ];
    for (file, text, line, col) in cases {
        let hub = Hub::copy("basic");
        hub.write(file, text);
        let (human, github) = check_fails(&hub);
        assert_reported(&human, &github, file, line, col, "tabs are not allowed in YAML, use spaces", "indent with spaces");
        assert!(!human.contains("cannot start any token"), "libyaml's wording leaked:\n{human}");
    }
}

#[test]
fn an_invalid_date_says_it_is_not_a_date_and_shows_the_form() {
    let cases = [
        ("content/page.md", "date: 2026-10-01", "date: 2026-13-01", "2026-13-01"),
        ("content/politique.md", "effective: 2026-09-01", "effective: 1er mars 2027", "1er mars 2027"),
        ("content/campagnes/salon.md", "starts: 2027-03-01", "starts: 20270301", "20270301"),
    ];
    for (file, from, to, value) in cases {
        let hub = Hub::copy("basic");
        let text = hub.read(file);
        assert!(text.contains(from), "{file} lacks {from:?}");
        let text = text.replacen(from, to, 1);
        hub.write(file, &text);
        let line = text.lines().position(|l| l.contains(value)).unwrap() + 1;
        let col = column_of(&text, line, value);
        let (human, github) = check_fails(&hub);
        assert_reported(&human, &github, file, line, col, &format!("`{value}` is not a date"), "write it as YYYY-MM-DD");
        assert!(!human.contains("invalid YAML") && !github.contains("invalid YAML"), "a bad date is not a YAML error:\n{human}");
    }
}

#[test]
fn columns_of_the_heading_and_of_the_caret_agree_after_multibyte_characters() {
    let cases = [
        // A YAML syntax error after `é` and emoji, in front matter, hub.yaml and an i18n file.
        ("content/page.md", "---\ntitle: \"é🎉 café\" 🎉 {x\n---\nCorps.\n".to_string(), "🎉 {x"),
        ("hub.yaml", "title: \"Hub\"\nbase_url: \"https://hub.test.example\"\norganization: \"Acmé 🎉 ünïcödé\" ]\n".to_string(), "]"),
        ("i18n/fr.yaml", "home: \"Accueil 🏠\" ]\n".to_string(), "]"),
        // An error found after parsing: a broken link in the Markdown body.
        ("content/page.md", "---\ntitle: \"Une page\"\n---\nÉté 🎉 voir [ça](@/nulle-part.md).\n".to_string(), "[ça]"),
    ];
    for (file, text, at) in cases {
        let hub = Hub::copy("basic");
        hub.write(file, &text);
        let (human, github) = check_fails(&hub);
        let line = text.lines().position(|l| l.contains(at)).unwrap() + 1;
        let source_line = text.lines().nth(line - 1).unwrap();
        let heading = format!("{file}:{line}:");
        let start = human.find(&format!("x {heading}")).unwrap_or_else(|| panic!("no error at {heading}:\n{human}")) + 2 + heading.len();
        let col: usize = human[start..].split(':').next().unwrap().parse().unwrap();
        assert!(human.contains(&format!(",-[{file}:{line}:{col}]")), "excerpt heading disagrees with {heading}{col}:\n{human}");
        assert!(github.contains(&format!("file={file},line={line},col={col}::")), "{github}");
        // The caret sits under the character the column names, placed by display width (an emoji is two wide).
        let gutter = format!(" {line} | ");
        let shown = human
            .lines()
            .position(|l| l.ends_with(source_line) && l.starts_with(&gutter))
            .unwrap_or_else(|| panic!("excerpt lacks line {line}:\n{human}"));
        let caret_line = human.lines().nth(shown + 1).unwrap();
        let caret = caret_line.find(['^', '|']).unwrap() - gutter.len();
        let before: String = source_line.chars().take(col - 1).collect();
        assert_eq!(caret, before.width(), "caret is not under column {col} of {source_line:?}:\n{human}");
        assert!(col > 1 && source_line.len() > source_line.chars().count(), "the case has multibyte characters before the error");
    }
}

#[test]
fn a_duplicate_key_points_at_the_duplicate() {
    let cases = [
        ("content/page.md", "---\ntitle: \"Une page\"\nweight: 30\ntitle: \"Encore\"\n---\nCorps.\n", "title", 2, 4, 1),
        ("content/page.md", "---\ntitle: \"Une page\"\nextra:\n  couleur: bleu\n  taille: 2\n  couleur: rouge\n---\n", "couleur", 4, 6, 3),
        ("hub.yaml", "title: \"Hub\"\nbase_url: \"https://hub.test.example\"\nshare:\n  disclosure: \"#AcmeTeam\"\n  max_hashtags: 3\n  disclosure: \"#Acme\"\n", "disclosure", 4, 6, 3),
        ("hub.yaml", "title: \"Hub\"\nbase_url: \"https://hub.test.example\"\nlanguages:\n  fr: { title: \"Hub\" }\n  fr: { title: \"Encore\" }\n", "fr", 4, 5, 3),
        ("i18n/fr.yaml", "home: \"Accueil\"\nread_more: \"Lire\"\nhome: \"Maison\"\n", "home", 1, 3, 1),
    ];
    for (file, text, key, first, line, col) in cases {
        let hub = Hub::copy("basic");
        hub.write(file, text);
        let (human, github) = check_fails(&hub);
        let message = format!("duplicate key `{key}`: it is already set on line {first}");
        assert_reported(&human, &github, file, line, col, &message, "a key may appear once in a mapping");
    }
}

#[test]
fn a_template_error_names_the_template_file_and_its_line() {
    // (file written, its text, line of the mistake, what the mistake is, the message).
    let theme_base = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/templates/base.html")).unwrap();
    let broken_base = theme_base.replacen("<title>", "{{ site.titel }}\n<title>", 1);
    let base_line = broken_base.lines().position(|l| l.contains("site.titel")).unwrap() + 1;
    let theme_macros = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/templates/macros.html")).unwrap();
    let broken_macros = theme_macros.replacen("{% macro status_badge(status, t) -%}\n", "{% macro status_badge(status, t) -%}\n{{ statut }}\n", 1);
    let macro_line = broken_macros.lines().position(|l| l == "{{ statut }}").unwrap() + 1;
    let cases = [
        (
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n<p>{{ page.title | majuscules }}</p>\n{% endblock %}\n"
                .to_string(),
            4,
            "majuscules",
            "in template `page.html`: Filter 'majuscules' not found",
        ),
        (
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block content %}\n{% for x in %}\n{% endblock %}\n".to_string(),
            3,
            "in %}",
            "syntax error in template `page.html`",
        ),
        // The mistake is in a macro, called from the campaign templates.
        ("templates/macros.html", broken_macros, macro_line, "statut", "in template `macros.html`: Variable `statut` not found in context"),
        // A theme of the hub's own: the mistake is in base.html, which every page extends.
        (
            "themes/maison/templates/base.html",
            broken_base,
            base_line,
            "site.titel",
            "in template `base.html`: Variable `site.titel` not found in context",
        ),
    ];
    for (file, text, line, mistake, message) in cases {
        let hub = Hub::copy("basic");
        if file.starts_with("themes/maison") {
            copy_theme(&hub, "themes/maison");
            let config = hub.read("hub.yaml") + "theme: maison\n";
            hub.write("hub.yaml", &config);
        }
        hub.write(file, &text);
        let col = if message.starts_with("syntax") {
            // pest's column: where it stopped understanding, on that line.
            let human = unwrapped(&hub.chorus(&["check", "--now", "2026-11-25"]).stderr);
            let heading = format!("{file}:{line}:");
            let start = human.find(&heading).unwrap_or_else(|| panic!("no error at {heading}:\n{human}")) + heading.len();
            human[start..].split(':').next().unwrap().parse().unwrap()
        } else {
            column_of(&text, line, mistake)
        };
        let (human, github) = check_fails(&hub);
        let heading = format!("{file}:{line}:{col}: {message}");
        assert!(human.contains(&heading), "human output lacks {heading:?}:\n{human}");
        assert!(human.contains(&format!(",-[{file}:{line}:{col}]")), "{human}");
        let annotation = format!("::error file={file},line={line},col={col}::{message}");
        assert!(github.lines().any(|l| l.starts_with(&annotation)), "github output lacks {annotation:?}:\n{github}");
        // A mistake in a template shared by every page is one error, not one per page.
        assert_eq!(github.lines().filter(|l| l.starts_with("::error")).count(), 1, "{github}");
    }
}

/// Copies the built-in default theme into the hub at `dir`.
fn copy_theme(hub: &Hub, dir: &str) {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    for entry in walkdir::WalkDir::new(&src).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
        let rel = entry.path().strip_prefix(&src).unwrap();
        let target = hub.path(dir).join(rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(entry.path(), target).unwrap();
    }
}

/// A campaign whose one post carries more hashtags than `share.max_hashtags`: a warning, not an error.
const HASHTAGS: &str = "---\ntitle: \"Dièses\"\nurl: \"https://a.example\"\nstarts: 2026-11-01\nends: 2026-12-15\nnetworks: [linkedin]\nsnippets:\n  - id: a\n    text: \"Venez {link} #AcmeTeam #Un #Deux #Trois\"\n---\n";

#[test]
fn quiet_prints_only_errors() {
    let hub = Hub::copy("basic");
    hub.write("content/campagnes/dieses.md", HASHTAGS);
    // Without -q, the warning and the summary are printed.
    let loud = hub.chorus(&["build", "--now", "2026-11-25"]);
    assert_eq!(loud.code, 0, "{}", loud.stderr);
    assert!(loud.stderr.contains("hashtags"), "the fixture should warn:\n{}", loud.stderr);
    assert!(loud.stdout.contains("Built "));
    // With -q, a build and a check that succeed print nothing at all.
    for args in [
        &["build", "-q", "--now", "2026-11-25"][..],
        &["check", "-q", "--now", "2026-11-25"],
        &["check", "-q", "--format", "github", "--now", "2026-11-25"],
    ] {
        let quiet = hub.chorus(args);
        assert_eq!(quiet.code, 0, "{args:?}: {}", quiet.stderr);
        assert_eq!((quiet.stdout.as_str(), quiet.stderr.as_str()), ("", ""), "{args:?} printed something");
    }
    // With an error as well, -q prints the error and not the warning.
    hub.write("content/campagnes/sans-mention.md", &HASHTAGS.replace("dieses", "sans").replace("#AcmeTeam #Un #Deux #Trois", "sans mention"));
    for args in [&["build", "-q", "--now", "2026-11-25"][..], &["check", "-q", "--now", "2026-11-25"]] {
        let quiet: Run = hub.chorus(args);
        assert_eq!(quiet.code, 1, "{args:?}");
        assert!(quiet.stderr.contains("content/campagnes/sans-mention.md:9:") && quiet.stderr.contains("disclosure"), "{args:?}: {}", quiet.stderr);
        assert!(!quiet.stderr.contains("hashtags") && !quiet.stderr.contains("Warning"), "{args:?} printed a warning:\n{}", quiet.stderr);
        assert_eq!(quiet.stdout, "", "{args:?}");
    }
    let github = hub.chorus(&["check", "-q", "--format", "github", "--now", "2026-11-25"]);
    assert!(github.stdout.lines().all(|l| l.starts_with("::error ")) && !github.stdout.is_empty(), "{}", github.stdout);
}

#[test]
fn an_empty_hub_yaml_lists_every_missing_required_key() {
    for text in ["", "# nothing yet\n", "organization: \"Acme\"\n"] {
        let hub = Hub::copy("basic");
        hub.write("hub.yaml", text);
        let (human, github) = check_fails(&hub);
        assert_reported(&human, &github, "hub.yaml", 1, 1, "missing required keys `title` and `base_url`", "add `title: ...` and `base_url: ...`");
    }
    // A campaign page that lacks several keys is told all of them too.
    let hub = Hub::copy("basic");
    let salon = hub.read("content/campagnes/salon.md");
    let salon: String = salon.lines().filter(|l| !l.starts_with("url:") && !l.starts_with("starts:")).map(|l| format!("{l}\n")).collect();
    hub.write("content/campagnes/salon.md", &salon);
    let (human, github) = check_fails(&hub);
    assert_reported(
        &human,
        &github,
        "content/campagnes/salon.md",
        1,
        1,
        "a `campaign` page needs `url` and `starts`",
        "add `url: ...` and `starts: ...`",
    );
}

/// How a network's share intent begins.
fn network_intent_start(network: chorus::share::Network) -> String {
    chorus::share::intent::intent(network, "", "", "", &chorus::config::ShareConfig::default()).split('?').next().unwrap().to_string()
}

/// The value of `attr` on the element whose opening tag holds `marker`, with `&amp;` decoded.
fn attribute(html: &str, marker: &str, attr: &str) -> String {
    let at = html.find(marker).unwrap_or_else(|| panic!("no {marker:?} in the page"));
    let tag_start = html[..at].rfind('<').unwrap();
    let tag = &html[tag_start..tag_start + html[tag_start..].find('>').unwrap()];
    let value = tag.split(&format!(" {attr}=\"")).nth(1).unwrap_or_else(|| panic!("no {attr} in {tag}"));
    value[..value.find('"').unwrap()].replace("&amp;", "&")
}

#[test]
fn a_block_snippet_keeps_no_trailing_newline_in_its_counter_and_share_links() {
    let hub = Hub::copy("basic");
    hub.write(
        "content/campagnes/bloc.md",
        "---\ntitle: \"Bloc\"\nurl: \"https://www.acme.example/bloc\"\nstarts: 2026-11-01\nends: 2026-12-15\nnetworks: [x, email]\nsnippets:\n  - id: bloc\n    text: |\n      Ligne un\n      Ligne deux {link} #AcmeTeam\n---\nCorps.\n",
    );
    hub.build();
    let html = hub.read("public/campagnes/bloc/index.html");
    for network in [chorus::share::Network::X, chorus::share::Network::Email] {
        let id = format!("post-bloc-{}", network.id());
        let link = attribute(&html, &format!("id=\"{id}\""), "data-link");
        let text = format!("Ligne un\nLigne deux {link} #AcmeTeam");
        // The counter counts the text without the block's final line break.
        let counter = &html[html.find(&format!("id=\"{id}-count\"")).unwrap()..];
        let shown: usize = counter.split("<span data-count>").nth(1).unwrap().split('<').next().unwrap().parse().unwrap();
        assert_eq!(shown, chorus::share::length::length(network, &text), "{network} counter");
        // The textarea holds the text as it will be posted.
        let area = &html[html.find(&format!("id=\"{id}\"")).unwrap()..];
        let content = &area[area.find('>').unwrap() + 1..area.find("</textarea>").unwrap()];
        assert_eq!(content.replace("&amp;", "&"), text, "{network} textarea");
        // The share link ends with the text's last word, not an encoded line break.
        let href = attribute(&html, &format!("class=\"button share\" href=\"{}", &network_intent_start(network)), "href");
        assert_eq!(href, attribute(&html, &format!("id=\"{id}\""), "data-intent"));
        assert!(href.ends_with("%23AcmeTeam"), "{network} intent ends with a line break: {href}");
        if network == chorus::share::Network::Email {
            assert!(href.contains("body=Ligne%20un%0D%0ALigne%20deux"), "mailto: line breaks are CRLF: {href}");
        } else {
            assert!(href.contains("text=Ligne%20un%0ALigne%20deux"), "{href}");
        }
    }
}
