//! The fast path of highlighting: Tree-sitter's parsers and highlight queries
//! for the languages a comms hub's code is most often in (each grammar crate's
//! own `highlights.scm`). On the benchmark corpus they highlight in well under
//! half of syntect's time; syntect keeps every other language.
//!
//! Each capture name (`keyword`, `function.method`, …) stands for the TextMate
//! scope syntect's themes colour, so both paths take their colours from the
//! same two themes and give the same flat classes.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use syntect::parsing::Scope;
use tree_sitter_highlight::{HighlightConfiguration, HighlightEvent, Highlighter};

/// The capture names the queries use, and the scope each is coloured as.
const CAPTURES: &[(&str, &str)] = &[
    ("attribute", "entity.other.attribute-name"),
    ("comment", "comment"),
    ("constant", "constant"),
    ("constant.builtin", "constant.language"),
    ("constructor", "entity.name.type"),
    ("embedded", "source"),
    ("escape", "constant.character.escape"),
    ("function", "entity.name.function"),
    ("function.builtin", "support.function"),
    ("function.macro", "entity.name.function"),
    ("function.method", "entity.name.function"),
    ("keyword", "keyword"),
    ("label", "entity.name.label"),
    ("module", "entity.name.namespace"),
    ("number", "constant.numeric"),
    ("operator", "keyword.operator"),
    ("property", "variable.other.member"),
    ("punctuation", "punctuation"),
    ("punctuation.bracket", "punctuation.section"),
    ("punctuation.delimiter", "punctuation.separator"),
    ("punctuation.special", "punctuation.definition"),
    ("string", "string"),
    ("string.special", "string.regexp"),
    ("tag", "entity.name.tag"),
    ("type", "storage.type"),
    ("type.builtin", "storage.type"),
    ("variable", "variable"),
    ("variable.builtin", "variable.language"),
    ("variable.parameter", "variable.parameter"),
];

/// A language's highlighting set-up.
struct Grammar {
    config: HighlightConfiguration,
    /// The scope of the language's text (`source.rust`), under every capture.
    base: Scope,
}

/// Each capture's scope, parsed once.
static SCOPES: LazyLock<Vec<Scope>> = LazyLock::new(|| CAPTURES.iter().map(|(_, scope)| scope_of(scope)).collect());

fn scope_of(name: &str) -> Scope {
    // The names above are well-formed scopes; an empty scope colours nothing.
    Scope::new(name).unwrap_or_default()
}

static GRAMMARS: LazyLock<HashMap<&'static str, Grammar>> = LazyLock::new(|| {
    let sets: [(&str, &str, tree_sitter_language::LanguageFn, &str, &str); 9] = [
        ("rust", "source.rust", tree_sitter_rust::LANGUAGE, tree_sitter_rust::HIGHLIGHTS_QUERY, tree_sitter_rust::INJECTIONS_QUERY),
        ("python", "source.python", tree_sitter_python::LANGUAGE, tree_sitter_python::HIGHLIGHTS_QUERY, ""),
        ("javascript", "source.js", tree_sitter_javascript::LANGUAGE, tree_sitter_javascript::HIGHLIGHT_QUERY, ""),
        ("go", "source.go", tree_sitter_go::LANGUAGE, tree_sitter_go::HIGHLIGHTS_QUERY, ""),
        ("bash", "source.shell", tree_sitter_bash::LANGUAGE, tree_sitter_bash::HIGHLIGHT_QUERY, ""),
        ("json", "source.json", tree_sitter_json::LANGUAGE, tree_sitter_json::HIGHLIGHTS_QUERY, ""),
        ("html", "text.html.basic", tree_sitter_html::LANGUAGE, tree_sitter_html::HIGHLIGHTS_QUERY, tree_sitter_html::INJECTIONS_QUERY),
        ("css", "source.css", tree_sitter_css::LANGUAGE, tree_sitter_css::HIGHLIGHTS_QUERY, ""),
        ("yaml", "source.yaml", tree_sitter_yaml::LANGUAGE, tree_sitter_yaml::HIGHLIGHTS_QUERY, ""),
    ];
    let names: Vec<&str> = CAPTURES.iter().map(|(name, _)| *name).collect();
    sets.into_iter()
        .filter_map(|(name, base, language, highlights, injections)| {
            // A query that does not compile leaves the language to syntect.
            let mut config = HighlightConfiguration::new(language.into(), name, highlights, injections, "").ok()?;
            config.configure(&names);
            Some((name, Grammar { config, base: scope_of(base) }))
        })
        .collect()
});

thread_local! {
    static HIGHLIGHTER: RefCell<Highlighter> = RefCell::new(Highlighter::new());
}

/// The grammar name of a fence's language, by name or file extension.
fn grammar_of(lang: &str) -> Option<&'static str> {
    Some(match lang.to_ascii_lowercase().as_str() {
        "rust" | "rs" => "rust",
        "python" | "py" => "python",
        "javascript" | "js" | "mjs" | "cjs" | "jsx" => "javascript",
        "go" | "golang" => "go",
        "bash" | "sh" | "shell" => "bash",
        "json" => "json",
        "html" | "htm" => "html",
        "css" => "css",
        "yaml" | "yml" => "yaml",
        _ => return None,
    })
}

/// Hands `on_run` each run of the code with the scopes it is coloured by
/// (outermost first), in order; false when the language has no grammar here
/// or the parse fails (the caller then highlights with syntect).
pub fn highlight(lang: &str, code: &str, mut on_run: impl FnMut(Range<usize>, &[Scope])) -> bool {
    let Some(grammar) = grammar_of(lang).and_then(|g| GRAMMARS.get(g)) else { return false };
    HIGHLIGHTER.with(|highlighter| {
        let Ok(mut highlighter) = highlighter.try_borrow_mut() else { return false };
        let injected = |name: &str| grammar_of(name).and_then(|g| GRAMMARS.get(g)).map(|g| &g.config);
        let Ok(events) = highlighter.highlight(&grammar.config, code.as_bytes(), None, None, injected) else { return false };
        let mut scopes = vec![grammar.base];
        for event in events {
            match event {
                Ok(HighlightEvent::HighlightStart(h)) => scopes.push(SCOPES.get(h.0).copied().unwrap_or_default()),
                Ok(HighlightEvent::HighlightEnd) => {
                    scopes.pop();
                }
                Ok(HighlightEvent::Source { start, end }) => on_run(start..end, &scopes),
                Err(_) => return false,
            }
        }
        true
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_grammar_and_its_query_load() {
        for name in ["rust", "python", "javascript", "go", "bash", "json", "html", "css", "yaml"] {
            assert!(GRAMMARS.contains_key(name), "{name} has a working highlight query");
        }
    }

    #[test]
    fn code_is_cut_into_runs_that_cover_it_with_their_scopes() {
        let code = "fn main() { let x = \"s\"; } // c\n";
        let mut runs: Vec<(String, Vec<String>)> = Vec::new();
        assert!(highlight("rs", code, |r, scopes| runs.push((code[r].to_string(), scopes.iter().map(|s| s.build_string()).collect()))));
        assert_eq!(runs.iter().map(|(text, _)| text.as_str()).collect::<String>(), code, "the runs cover the code, in order");
        let scopes_of = |text: &str| runs.iter().find(|(t, _)| t == text).map(|(_, s)| s.clone()).unwrap();
        assert_eq!(scopes_of("fn"), ["source.rust", "keyword"]);
        assert_eq!(scopes_of("\"s\""), ["source.rust", "string"]);
        assert!(scopes_of("// c").contains(&"comment".to_string()));
        assert!(!highlight("cobol", "x", |_, _| {}));
    }
}
