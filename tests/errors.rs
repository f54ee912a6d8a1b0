//! Bad input: every error exits 1, names the file and line, and leaves the
//! previous `public/` byte for byte as it was.

mod common;

use common::{fingerprint, Hub};

/// Builds once, breaks the hub with `breakage`, builds again and checks the failure.
fn fails_cleanly(breakage: impl FnOnce(&Hub), expected: &[&str]) -> String {
    let hub = Hub::copy("basic");
    hub.build();
    let before = fingerprint(&hub.path("public"));
    breakage(&hub);
    let run = hub.chorus(&["build", "--now", "2026-11-25", "--no-minify"]);
    assert_eq!(run.code, 1, "exit code; stderr:\n{}", run.stderr);
    for e in expected {
        assert!(run.stderr.contains(e), "stderr lacks {e:?}:\n{}", run.stderr);
    }
    assert_eq!(fingerprint(&hub.path("public")), before, "public/ was changed by a failed build");
    let leftovers: Vec<_> =
        std::fs::read_dir(hub.root()).unwrap().filter_map(Result::ok).filter(|e| e.file_name().to_string_lossy().starts_with(".public")).collect();
    assert!(leftovers.is_empty(), "staging folder left behind");
    run.stderr
}

#[test]
fn broken_internal_link_names_file_and_line() {
    fails_cleanly(
        |hub| {
            let page = hub.read("content/page.md").replace("[politique](@/politique.md)", "[politique](@/politiqe.md)");
            hub.write("content/page.md", &page);
        },
        &["content/page.md:9:29", "broken internal link `@/politiqe.md`", "did you mean `@/politique.md`?"],
    );
}

#[test]
fn broken_anchor_is_an_error() {
    fails_cleanly(
        |hub| {
            let module = hub.read("content/guide/01-intro.md").replace("#un-titre-1", "#un-titr");
            hub.write("content/guide/01-intro.md", &module);
        },
        &["content/guide/01-intro.md:7:", "broken anchor `#un-titr`", "did you mean `#un-titre`?"],
    );
}

#[test]
fn unknown_front_matter_key_names_file_and_line() {
    fails_cleanly(
        |hub| {
            let page = hub.read("content/page.md").replace("weight: 30", "wieght: 30");
            hub.write("content/page.md", &page);
        },
        &["content/page.md:5:1", "unknown key `wieght`", "did you mean `weight`?"],
    );
}

#[test]
fn key_of_another_kind_is_an_error() {
    fails_cleanly(
        |hub| {
            let page = hub.read("content/page.md").replace("weight: 30", "weight: 30\nminutes: 4");
            hub.write("content/page.md", &page);
        },
        &["content/page.md:6:1", "`minutes` is not a key of a `page` page"],
    );
}

#[test]
fn invalid_yaml_names_file_and_line() {
    fails_cleanly(
        |hub| {
            let page = hub.read("content/politique.md").replace("version: \"2.1\"", "version: [2.1");
            hub.write("content/politique.md", &page);
        },
        &["content/politique.md:", "invalid YAML"],
    );
}

#[test]
fn missing_front_matter_is_an_error() {
    fails_cleanly(|hub| hub.write("content/nouvelle.md", "# Pas de front matter\n"), &["content/nouvelle.md:1:1", "missing front matter"]);
}

#[test]
fn unknown_config_key_names_line_and_suggests() {
    fails_cleanly(
        |hub| {
            let config = hub.read("hub.yaml").replace("organization:", "organisation:");
            hub.write("hub.yaml", &config);
        },
        &["hub.yaml:7:1", "unknown key `organisation`", "did you mean `organization`?"],
    );
}

#[test]
fn missing_required_config_key_is_an_error() {
    fails_cleanly(
        |hub| {
            let config = hub.read("hub.yaml").replace("base_url: \"https://hub.test.example\"\n", "");
            hub.write("hub.yaml", &config);
        },
        &["hub.yaml:", "missing required key `base_url`"],
    );
}

#[test]
fn template_error_names_template_and_line() {
    fails_cleanly(
        |hub| {
            hub.write(
                "templates/page.html",
                "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n<p>{{ page.subtitle }}</p>\n{% endblock %}\n",
            );
        },
        &["templates/page.html:4:", "page.subtitle", "not found"],
    );
}

#[test]
fn template_syntax_error_names_template_and_line() {
    fails_cleanly(
        |hub| {
            hub.write("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n{% if %}\n{% endblock %}\n");
        },
        &["templates/page.html:3:", "syntax error in template `page.html`"],
    );
}

#[test]
fn bad_quiz_names_its_line() {
    fails_cleanly(
        |hub| {
            let module = hub.read("content/guide/01-intro.md").replace("- [x] Non", "- [ ] Non");
            hub.write("content/guide/01-intro.md", &module);
        },
        &["content/guide/01-intro.md:", "no choice is marked right"],
    );
}

#[test]
fn duplicate_urls_are_an_error() {
    fails_cleanly(|hub| hub.write("content/autre.md", "---\ntitle: Autre\nslug: page\n---\n"), &["URL `/page/` is already used"]);
}

#[test]
fn several_errors_are_reported_together() {
    let stderr = fails_cleanly(
        |hub| {
            hub.write("content/a.md", "---\ntitle: A\ntitel: x\n---\n");
            hub.write("content/b.md", "---\ntitle: B\nkind: guide\n---\n");
        },
        &["content/a.md:3:1", "content/b.md:3:1"],
    );
    assert!(stderr.contains("2 errors"), "{stderr}");
}

#[test]
fn markdown_errors_of_several_pages_are_reported_together() {
    let stderr = fails_cleanly(
        |hub| {
            hub.write("content/a.md", "---\ntitle: A\n---\nSee [x](@/nope.md).\n");
            hub.write("content/b.md", "---\ntitle: B\n---\n\n```quiz\n- [x] a\n```\n");
        },
        &["content/a.md:4:5", "content/b.md:6:1"],
    );
    assert!(stderr.contains("2 errors"), "{stderr}");
}

#[test]
fn check_reports_in_json_and_github_formats() {
    let hub = Hub::copy("basic");
    let ok = hub.chorus(&["check", "--now", "2026-11-25"]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert!(ok.stdout.contains("no problems found"));
    assert!(!hub.path("public").exists(), "check writes nothing");

    hub.write("content/a.md", "---\ntitle: A\ntitel: x\n---\n");
    let json = hub.chorus(&["check", "--format", "json"]);
    assert_eq!(json.code, 1);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("one JSON document");
    assert_eq!(v["ok"], false);
    assert_eq!(v["errors"][0]["file"], "content/a.md");
    assert_eq!(v["errors"][0]["line"], 3);
    assert_eq!(v["errors"][0]["column"], 1);
    assert_eq!(v["errors"][0]["help"], "did you mean `title`?");

    let gh = hub.chorus(&["check", "--format", "github"]);
    assert_eq!(gh.code, 1);
    assert!(gh.stdout.starts_with("::error file=content/a.md,line=3,col=1::unknown key `titel`"), "{}", gh.stdout);
}
