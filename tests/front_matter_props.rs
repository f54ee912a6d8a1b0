//! Front matter is written by people: whatever they type, parsing returns an
//! error or a value, never a panic, and errors always point inside the file.

use std::path::Path;
use std::sync::Arc;

use chorus::content::front_matter::{parse, split, Kind};
use proptest::prelude::*;

fn parse_text(text: &str, is_section: bool, inherited: Option<Kind>) {
    let source: Arc<str> = Arc::from(text);
    let file = Path::new("content/x.md");
    match split(file, &source) {
        Ok(s) => {
            if let Err(e) = parse(file, &source, &s, is_section, inherited) {
                let loc = e.location.expect("errors name the file");
                assert!(loc.line >= 1 && loc.line <= text.lines().count().max(1) + 1, "line {} out of the file", loc.line);
            }
        }
        Err(e) => assert!(e.location.is_some()),
    }
}

/// YAML-ish lines built from the keys and values people actually write.
fn yamlish() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "title",
        "titel",
        "date",
        "weight",
        "slug",
        "draft",
        "tags",
        "aliases",
        "kind",
        "version",
        "effective",
        "minutes",
        "objectives",
        "url",
        "campaign",
        "starts",
        "ends",
        "snippets",
        "networks",
        "extra",
        "- id",
        "  text",
    ]);
    let value = prop::sample::select(vec![
        "x",
        "\"é ü 日本\"",
        "2026-13-45",
        "2027-03-01",
        "[a, b",
        "[linkedin, x]",
        "{a: 1}",
        "- 1",
        "true",
        "-3",
        "|",
        "'",
        "\"",
        ":",
        "&anchor",
        "*alias",
        "!!binary x",
        "999999999999999999999",
        "policy",
        "module",
        "",
    ]);
    prop::collection::vec((key, value, 0usize..4), 0..12)
        .prop_map(|lines| lines.into_iter().map(|(k, v, indent)| format!("{}{k}: {v}\n", " ".repeat(indent))).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,400}") {
        parse_text(&text, false, None);
        parse_text(&format!("---\n{text}\n---\nbody"), false, Some(Kind::Campaign));
    }

    #[test]
    fn yaml_like_front_matter_never_panics(yaml in yamlish(), section in any::<bool>()) {
        parse_text(&format!("---\n{yaml}---\nbody\n"), section, Some(Kind::Guide));
        parse_text(&format!("\u{feff}---\r\n{yaml}---\r\n"), section, None);
    }
}
