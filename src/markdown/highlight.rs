//! Code highlighting with syntect into a small set of CSS classes.
//!
//! syntect's own class output nests one `<span>` per scope (`z-meta z-function
//! z-rust …`), which makes a page of code several times larger than its text
//! and slow to write and minify. Instead each token gets one flat class named
//! after its colours in the light and the dark theme (`h1a2b3c4d`); the
//! stylesheet is generated from the classes the hub actually uses, light by
//! default and dark under `prefers-color-scheme: dark`. Results are cached by
//! language and code, so a snippet repeated across pages is highlighted once.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, LazyLock, Mutex, RwLock};

use syntect::highlighting::{Color, FontStyle, Highlighter as ThemeHighlighter, Style, Theme, ThemeSet};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Loaded on first use: a hub without code never pays for it.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);
static THEMES: LazyLock<ThemeSet> = LazyLock::new(ThemeSet::load_defaults);

/// The colours of one token in the light and the dark theme.
type Pair = (Style, Style);

/// Highlights code blocks, remembers the results and the classes it used.
#[derive(Debug)]
pub struct Highlighter {
    light: Theme,
    dark: Theme,
    cache: Mutex<HashMap<(u64, u64), Arc<str>>>,
    styles: RwLock<HashMap<Vec<Scope>, Option<Arc<str>>>>,
    classes: Mutex<BTreeMap<String, Pair>>,
}

impl Highlighter {
    /// A highlighter for two syntect themes; fails with the list of known themes.
    pub fn new(light: &str, dark: &str) -> Result<Self, String> {
        let theme = |name: &str| {
            THEMES.themes.get(name).cloned().ok_or_else(|| {
                let mut known: Vec<&str> = THEMES.themes.keys().map(String::as_str).collect();
                known.sort_unstable();
                format!("unknown highlight theme `{name}`; known themes: {}", known.join(", "))
            })
        };
        Ok(Highlighter { light: theme(light)?, dark: theme(dark)?, cache: Mutex::default(), styles: RwLock::default(), classes: Mutex::default() })
    }

    /// The inner HTML of `<code>` for `code` in `lang`, or `None` when the
    /// language is unknown (the caller then escapes the code as plain text).
    pub fn highlight(&self, lang: &str, code: &str) -> Option<Arc<str>> {
        let key = cache_key(lang, code);
        if let Some(hit) = self.cache.lock().ok()?.get(&key) {
            return Some(hit.clone());
        }
        let mut out = Html::with_capacity(code.len() * 2);
        let fast = super::grammars::highlight(lang, code, |run, scopes| out.push(&code[run], self.class_for(scopes)));
        let html = if fast { out.finish() } else { self.with_syntect(lang, code)? };
        let html: Arc<str> = Arc::from(html);
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(key, html.clone());
        }
        Some(html)
    }

    /// Highlights with syntect's grammars (every language the fast path has not).
    fn with_syntect(&self, lang: &str, code: &str) -> Option<String> {
        let syntax = SYNTAXES.find_syntax_by_token(lang)?;
        let mut parse = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        let mut out = Html::with_capacity(code.len() * 2);
        for line in LinesWithEndings::from(code) {
            let ops = parse.parse_line(line, &SYNTAXES).ok()?;
            let mut pos = 0;
            for (at, op) in ops {
                if at > pos {
                    out.push(&line[pos..at], self.class_for(stack.as_slice()));
                    pos = at;
                }
                stack.apply(&op).ok()?;
            }
            if pos < line.len() {
                out.push(&line[pos..], self.class_for(stack.as_slice()));
            }
        }
        Some(out.finish())
    }

    /// The class of the text under a scope stack. Stacks repeat endlessly across
    /// a hub's code, so each one is matched against the themes' rules only once.
    fn class_for(&self, stack: &[Scope]) -> Option<Arc<str>> {
        if let Some(hit) = self.styles.read().ok().and_then(|s| s.get(stack).cloned()) {
            return hit;
        }
        let light = ThemeHighlighter::new(&self.light).style_for_stack(stack);
        let dark = ThemeHighlighter::new(&self.dark).style_for_stack(stack);
        let class = class_of(light, dark, (self.light.settings.foreground, self.dark.settings.foreground));
        if let Some(name) = &class {
            if let Ok(mut classes) = self.classes.lock() {
                classes.insert(name.to_string(), (light, dark));
            }
        }
        if let Ok(mut styles) = self.styles.write() {
            styles.insert(stack.to_vec(), class.clone());
        }
        class
    }

    /// The stylesheet for every class used so far: light colours, then dark ones
    /// under `prefers-color-scheme: dark`.
    pub fn stylesheet(&self) -> String {
        let classes = self.classes.lock().map(|c| c.clone()).unwrap_or_default();
        let mut css = String::from("/* Generated by chorus from syntect themes. */\n");
        let base = |theme: &Theme| {
            format!(
                ".z-code{{color:{};background:{}}}\n",
                hex(theme.settings.foreground.unwrap_or(Color::BLACK)),
                hex(theme.settings.background.unwrap_or(Color::WHITE))
            )
        };
        css.push_str(&base(&self.light));
        for (class, (light, _)) in &classes {
            css.push_str(&rule(class, *light));
        }
        css.push_str("@media (prefers-color-scheme: dark) {\n");
        css.push_str(&base(&self.dark));
        for (class, (_, dark)) in &classes {
            css.push_str(&rule(class, *dark));
        }
        css.push_str("}\n");
        css
    }
}

/// Highlighted HTML being written: one `<span class>` per run of a class,
/// text escaped.
struct Html {
    html: String,
    open: Option<Arc<str>>,
}

impl Html {
    fn with_capacity(capacity: usize) -> Html {
        Html { html: String::with_capacity(capacity), open: None }
    }

    fn push(&mut self, text: &str, class: Option<Arc<str>>) {
        if class != self.open {
            if self.open.is_some() {
                self.html.push_str("</span>");
            }
            if let Some(c) = &class {
                self.html.push_str("<span class=\"");
                self.html.push_str(c);
                self.html.push_str("\">");
            }
            self.open = class;
        }
        let _ = pulldown_cmark_escape::escape_html_body_text(&mut self.html, text);
    }

    fn finish(mut self) -> String {
        if self.open.is_some() {
            self.html.push_str("</span>");
        }
        self.html
    }
}

/// Two independent 64-bit hashes of (language, code): a cache key that does not
/// keep the code alive, with no realistic chance of two snippets colliding.
fn cache_key(lang: &str, code: &str) -> (u64, u64) {
    let mut sip = std::collections::hash_map::DefaultHasher::new();
    (lang, code).hash(&mut sip);
    (sip.finish(), fnv1a(lang.bytes().chain([0]).chain(code.bytes())))
}

/// FNV-1a: a hash stable across builds and Rust versions (cache keys, class
/// names, cache-busting asset URLs).
pub fn fnv1a(bytes: impl Iterator<Item = u8>) -> u64 {
    bytes.fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The class of a token, `None` when it has the themes' default look.
fn class_of(light: Style, dark: Style, defaults: (Option<Color>, Option<Color>)) -> Option<Arc<str>> {
    let plain = |s: Style, fg: Option<Color>| s.font_style.is_empty() && Some(s.foreground) == fg;
    if plain(light, defaults.0) && plain(dark, defaults.1) {
        return None;
    }
    let key =
        [light, dark].iter().flat_map(|s| [s.foreground.r, s.foreground.g, s.foreground.b, s.foreground.a, s.font_style.bits()]).collect::<Vec<u8>>();
    Some(Arc::from(format!("h{:08x}", fnv1a(key.into_iter()) as u32)))
}

fn hex(c: Color) -> String {
    if c.a == 0xff {
        format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b)
    } else {
        format!("#{:02x}{:02x}{:02x}{:02x}", c.r, c.g, c.b, c.a)
    }
}

fn rule(class: &str, style: Style) -> String {
    let mut decl = format!("color:{}", hex(style.foreground));
    if style.font_style.contains(FontStyle::BOLD) {
        decl.push_str(";font-weight:bold");
    }
    if style.font_style.contains(FontStyle::ITALIC) {
        decl.push_str(";font-style:italic");
    }
    if style.font_style.contains(FontStyle::UNDERLINE) {
        decl.push_str(";text-decoration:underline");
    }
    format!(".{class}{{{decl}}}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn highlighter() -> Highlighter {
        Highlighter::new("InspiredGitHub", "base16-ocean.dark").unwrap()
    }

    #[test]
    fn highlights_into_flat_classes_and_caches() {
        let h = highlighter();
        let a = h.highlight("rust", "fn main() { let x = \"<b>\"; }\n").unwrap();
        assert!(a.contains("<span class=\"h"), "{a}");
        assert!(!a.contains("\"><span"), "spans are flat, never nested: {a}");
        assert!(a.contains("&lt;b&gt;"), "text is escaped: {a}");
        let b = h.highlight("rust", "fn main() { let x = \"<b>\"; }\n").unwrap();
        assert!(Arc::ptr_eq(&a, &b), "second call is served from the cache");
        assert!(h.highlight("rs", "fn f() {}\n").is_some(), "extensions work as language names");
        assert!(h.highlight("no-such-language", "x").is_none());
    }

    #[test]
    fn stylesheet_covers_used_classes_in_light_and_dark() {
        let h = highlighter();
        let html = h.highlight("python", "def f():\n    return 1\n").unwrap();
        let css = h.stylesheet();
        assert!(css.contains("prefers-color-scheme: dark"));
        let first = html.split("class=\"").nth(1).unwrap().split('"').next().unwrap();
        assert_eq!(css.matches(&format!(".{first}{{")).count(), 2, "{css}");
    }

    #[test]
    fn unknown_theme_lists_known_ones() {
        let e = Highlighter::new("Nope", "base16-ocean.dark").unwrap_err();
        assert!(e.contains("InspiredGitHub"), "{e}");
    }
}
