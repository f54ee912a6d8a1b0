//! The one place that parses YAML (hub.yaml, front matter, i18n files).
//!
//! serde_yaml is archived; keeping it behind this module means swapping it is
//! a one-file change. Errors come back as [`Error`]s pointing at the right line
//! of the right file, in the author's words: a syntax error is "invalid YAML",
//! a value of the wrong form says what form is expected, an unknown key gets
//! a "did you mean", a repeated key points at the repeat.

use std::collections::HashSet;
use std::fmt;
use std::marker::PhantomData;
use std::path::Path;
use std::sync::Arc;

use serde::de::{DeserializeOwned, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use crate::diagnostics::{did_you_mean, Error};

/// Where a YAML document sits inside a file: the whole file (`hub.yaml`) or the
/// front matter of a Markdown file, which starts a few lines down.
#[derive(Debug, Clone, Copy)]
pub struct Embedded {
    /// Byte offset of the YAML text in the file.
    pub offset: usize,
}

/// Parses `yaml`, found at `at` inside `file` (whose full text is `source`), into `T`.
pub fn parse<T: DeserializeOwned>(file: &Path, source: &Arc<str>, yaml: &str, at: Embedded) -> Result<T, Error> {
    parse_requiring(file, source, yaml, at, &[])
}

/// Like [`parse`]; when a top-level key is missing, the error names every key
/// of `required` the document lacks, not only the first serde noticed.
pub fn parse_requiring<T: DeserializeOwned>(file: &Path, source: &Arc<str>, yaml: &str, at: Embedded, required: &[&str]) -> Result<T, Error> {
    // An empty document is an empty mapping, so "missing key `title`" is what the author sees.
    let text = if yaml.trim().is_empty() { "{}" } else { yaml };
    serde_yaml::from_str(text).map_err(|e| {
        let mut err = to_error(file, source, yaml, at, &e);
        if err.message.starts_with("missing required key") {
            if let Some(listed) = missing_keys(file, source, text, at, required) {
                err = listed;
            }
        }
        err
    })
}

/// An error for a value's own `Deserialize` to return: `message` says what is
/// wrong with the value, `help` what to write instead.
pub fn value_error<E: serde::de::Error>(message: impl fmt::Display, help: impl fmt::Display) -> E {
    // The help rides on a second line; `to_error` splits it off again.
    E::custom(format!("{message}\n{help}"))
}

/// Deserializes a mapping whose keys must be unique (serde keeps the last of
/// two equal keys of a map silently; YAML forbids them). Use with
/// `#[serde(deserialize_with = "...")]` on a map field.
pub fn unique_keys<'de, D, M, V>(d: D) -> Result<M, D::Error>
where
    D: Deserializer<'de>,
    M: FromIterator<(String, V)>,
    V: Deserialize<'de>,
{
    struct Unique<M, V>(PhantomData<(M, V)>);
    impl<'de, M: FromIterator<(String, V)>, V: Deserialize<'de>> Visitor<'de> for Unique<M, V> {
        type Value = M;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a mapping")
        }
        fn visit_unit<E>(self) -> Result<M, E> {
            Ok(std::iter::empty().collect())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<M, A::Error> {
            let mut seen = HashSet::new();
            let mut entries = Vec::new();
            while let Some(key) = map.next_key::<String>()? {
                if !seen.insert(key.clone()) {
                    // serde's own wording for structs, so both are located the same way.
                    return Err(serde::de::Error::custom(format_args!("duplicate field `{key}`")));
                }
                entries.push((key, map.next_value()?));
            }
            Ok(entries.into_iter().collect())
        }
    }
    d.deserialize_map(Unique(PhantomData))
}

/// What to check when libyaml rejects a document.
const SYNTAX_HELP: &str = "check the indentation and quotes on this line and the one above; \
     put quotes around a value that holds a colon and a space, or starts with { [ * & ! % @";

fn to_error(file: &Path, source: &Arc<str>, yaml: &str, at: Embedded, e: &serde_yaml::Error) -> Error {
    let index_of = |e: &serde_yaml::Error| e.location().map_or(0, |l| l.index().min(yaml.len()));
    let text = if yaml.trim().is_empty() { "{}" } else { yaml };
    // A document that does not parse even as "anything" has a syntax error (reported
    // as such, even when serde met a value of the wrong type before reaching it);
    // otherwise the YAML is fine and a value does not fit (a type, a date, a key).
    if let Err(syntax) = serde_yaml::from_str::<IgnoredAny>(text) {
        return syntax_error(file, source, yaml, at, index_of(&syntax), &syntax.to_string());
    }
    let raw = e.to_string();
    let index = index_of(e);
    // serde_yaml appends " at line L column C"; we show the position ourselves.
    let (message, help) = match raw.split_once('\n') {
        Some((message, help)) => (message.to_string(), Some(without_mark(help).to_string())),
        None => (without_mark(&raw).to_string(), None),
    };
    // Nested errors start with the path of the mapping they are in (`share: unknown field…`).
    let (path, message) = match message.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && !path.contains('`') => (Some(path.to_string()), rest.to_string()),
        _ => (None, message),
    };
    let lines_before = source[..at.offset.min(source.len())].matches('\n').count();
    let explained = explain(&message, yaml, index, lines_before);
    let mut message = explained.message;
    if let Some(path) = path {
        message.push_str(&format!(" in `{path}`"));
    }
    let mut err = Error::at(file, source, at.offset + explained.offset, explained.len, message);
    if let Some(label) = explained.label {
        err = err.with_label(label);
    }
    if let Some(help) = explained.help.or(help) {
        err = err.with_help(help);
    }
    err
}

/// The message without serde_yaml's " at line L column C" and libyaml's ", while parsing…" context.
fn without_mark(message: &str) -> &str {
    let end = [" at line ", ", while "].iter().filter_map(|m| message.find(m)).min().unwrap_or(message.len());
    &message[..end]
}

/// libyaml's complaint, except that a tab in the indentation gets its own
/// message: YAML forbids tabs there, and "found character that cannot start any
/// token" does not say so.
fn syntax_error(file: &Path, source: &Arc<str>, yaml: &str, at: Embedded, index: usize, raw: &str) -> Error {
    let line_start = yaml[..index].rfind('\n').map_or(0, |i| i + 1);
    let line = &yaml[line_start..yaml[line_start..].find('\n').map_or(yaml.len(), |i| line_start + i)];
    let indentation = line.len() - line.trim_start_matches([' ', '\t']).len();
    let problem = without_mark(raw);
    let tab = line[..indentation].find('\t').or_else(|| problem.contains("tab").then(|| line.find('\t')).flatten());
    if let Some(tab) = tab {
        return Error::at(file, source, at.offset + line_start + tab, 1, "tabs are not allowed in YAML, use spaces")
            .with_label("a tab")
            .with_help("indent with spaces (two per level is usual); most editors can insert spaces when Tab is pressed");
    }
    let len = yaml[index..].find('\n').unwrap_or(yaml.len() - index).max(1);
    Error::at(file, source, at.offset + index, len, format!("invalid YAML: {problem}")).with_help(SYNTAX_HELP)
}

/// An error message for a site author, where to point and what to suggest.
struct Explained {
    message: String,
    help: Option<String>,
    label: Option<String>,
    /// Byte offset in the YAML text.
    offset: usize,
    len: usize,
}

/// Turns serde's message into one for a site author, with a hint where we can
/// give one. `index` is where serde_yaml placed the error in `yaml`: the key
/// for an unknown key, the enclosing mapping for a repeated or missing key or a
/// value's own complaint.
///
/// `lines_before` is the number of lines of the file above the YAML text.
fn explain(message: &str, yaml: &str, index: usize, lines_before: usize) -> Explained {
    let key_len = yaml[index..].find([':', '\n']).unwrap_or(0).max(1);
    let plain = |message: String, help: Option<String>, offset: usize, len: usize| Explained { message, help, label: None, offset, len };
    let first = |rest: &str| rest.split('`').next().unwrap_or_default().to_string();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let key = first(rest);
        let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        let hint = match did_you_mean(&key, expected.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("known keys here: {}", expected.join(", ")),
        };
        return plain(format!("unknown key `{key}`"), Some(hint), index, key_len);
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = first(rest);
        return plain(format!("missing required key `{key}`"), Some(format!("add `{key}: ...`")), index, 1);
    }
    if let Some(rest) = message.strip_prefix("duplicate field `") {
        let key = first(rest);
        let keys = key_lines(yaml, index, &key);
        if let [first_at, again, ..] = keys.as_slice() {
            let first_line = lines_before + yaml[..*first_at].matches('\n').count() + 1;
            return Explained {
                message: format!("duplicate key `{key}`: it is already set on line {first_line}"),
                help: Some(format!("a key may appear once in a mapping: keep one of the two `{key}:` lines")),
                label: Some("set again here".into()),
                offset: *again,
                len: key.len().max(1),
            };
        }
        return plain(format!("duplicate key `{key}`"), Some("remove one of the two".into()), index, key_len);
    }
    // Other complaints are about a value: point at it when the message quotes it.
    let value_at = |token: &str| {
        Some(token)
            .filter(|t| !t.is_empty())
            .and_then(|t| yaml[index..].find(t).map(|i| (index + i, t.len())))
            .unwrap_or((index, yaml[index..].find('\n').unwrap_or(yaml.len() - index).max(1)))
    };
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let value = first(rest);
        let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        let hint = match did_you_mean(&value, expected.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("expected one of: {}", expected.join(", ")),
        };
        let (offset, len) = value_at(&value);
        return plain(format!("unknown value `{value}`"), Some(hint), offset, len);
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "another kind of value"));
        let (offset, len) = value_at("");
        return plain(format!("expected {}, found {found}", kind_of(expected)), None, offset, len);
    }
    let (offset, len) = value_at(message.split('`').nth(1).unwrap_or_default());
    plain(message.to_string(), None, offset, len)
}

/// serde's name for what it expected, in a site author's words.
fn kind_of(expected: &str) -> &str {
    match expected {
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number",
        "f32" | "f64" => "a number",
        "a boolean" => "`true` or `false`",
        "a sequence" => "a list",
        e if e.starts_with("struct ") || e == "a map" || e == "a mapping" => "a mapping (`key: value` lines)",
        e => e,
    }
}

/// Byte offsets of `key:` at the level of the mapping that starts at `from`:
/// the block mapping's lines at its indentation, or a flow mapping's entries.
fn key_lines(yaml: &str, from: usize, key: &str) -> Vec<usize> {
    let is_key = |rest: &str| {
        let unquoted =
            [format!("\"{key}\""), format!("'{key}'"), key.to_string()].into_iter().find_map(|k| rest.strip_prefix(k.as_str()).map(str::len));
        unquoted.is_some_and(|left| rest[rest.len() - left..].trim_start_matches([' ', '\t']).starts_with(':'))
    };
    let line_start = yaml[..from].rfind('\n').map_or(0, |i| i + 1);
    let indent = yaml[line_start..from].chars().count();
    let mut found = Vec::new();
    if yaml[from..].starts_with('{') {
        // A flow mapping, on one line as a rule: its keys follow `{` or `,`.
        let end = yaml[from..].find('}').map_or(yaml.len(), |i| from + i);
        for (i, _) in yaml[from..end].match_indices(['{', ',']) {
            let entry = from + i + 1;
            let start = entry + (yaml[entry..end].len() - yaml[entry..end].trim_start().len());
            if is_key(&yaml[start..end]) {
                found.push(start);
            }
        }
        return found;
    }
    if is_key(&yaml[from..]) {
        found.push(from);
    }
    let mut offset = yaml[from..].find('\n').map_or(yaml.len(), |i| from + i + 1);
    while offset < yaml.len() {
        let line = &yaml[offset..yaml[offset..].find('\n').map_or(yaml.len(), |i| offset + i)];
        let body = line.trim_start_matches(' ');
        let depth = line.len() - body.len();
        if !(body.is_empty() || body.starts_with('#')) {
            if depth < indent {
                break;
            }
            if depth == indent && is_key(body) {
                found.push(offset + depth);
            }
        }
        offset += line.len() + 1;
    }
    found
}

/// Which lines [`key_offset`] looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyDepth {
    /// Only unindented lines: the document's own keys (front matter).
    TopLevel,
    /// Lines at any indentation: a key of a nested mapping too (`url` under
    /// `tracker:` in hub.yaml).
    Any,
}

/// Byte offset in `yaml` of the first line that defines `key:`, at the key
/// itself (after the indentation), for errors found after parsing.
pub fn key_offset(yaml: &str, key: &str, depth: KeyDepth) -> Option<usize> {
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        let body = match depth {
            KeyDepth::TopLevel => line,
            KeyDepth::Any => line.trim_start(),
        };
        if let Some(rest) = body.strip_prefix(key) {
            if rest.trim_start().starts_with(':') {
                return Some(offset + (line.len() - body.len()));
            }
        }
        offset += line.len();
    }
    None
}

/// The error for a document that lacks required keys, naming all of them.
fn missing_keys(file: &Path, source: &Arc<str>, text: &str, at: Embedded, required: &[&str]) -> Option<Error> {
    let mapping: serde_yaml::Mapping = serde_yaml::from_str(text).ok()?;
    let missing: Vec<String> = required.iter().filter(|k| !mapping.contains_key(**k)).map(|k| format!("`{k}`")).collect();
    let (last, others) = missing.split_last()?;
    let (list, keys) = match others {
        [] => (last.clone(), "key"),
        _ => (format!("{} and {last}", others.join(", ")), "keys"),
    };
    let add: Vec<String> = missing.iter().map(|k| format!("{}: ...`", k.trim_end_matches('`'))).collect();
    Some(Error::at(file, source, at.offset, 1, format!("missing required {keys} {list}")).with_help(format!("add {}", add.join(" and "))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        title: String,
        base_url: Option<String>,
        date: Option<Day>,
        weight: Option<u32>,
        #[serde(default, deserialize_with = "unique_keys")]
        extra: BTreeMap<String, String>,
    }

    /// A value whose own `Deserialize` complains, as front matter dates do.
    #[derive(Debug)]
    struct Day;

    impl<'de> Deserialize<'de> for Day {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let s = String::deserialize(d)?;
            Err(value_error(format!("`{s}` is not a date"), "write it as YYYY-MM-DD"))
        }
    }

    fn parse_doc(src: &str, offset: usize) -> Result<Doc, Error> {
        let source: Arc<str> = Arc::from(src);
        parse(Path::new("a.md"), &source, &src[offset..], Embedded { offset })
    }

    #[test]
    fn a_key_is_found_at_its_line_and_indentation() {
        let yaml = "title: A\ntracker:\n  url : x\nurl: y\n";
        assert_eq!(key_offset(yaml, "title", KeyDepth::TopLevel), Some(0));
        assert_eq!(key_offset(yaml, "url", KeyDepth::TopLevel), Some(yaml.find("url: y").unwrap()));
        assert_eq!(key_offset(yaml, "url", KeyDepth::Any), Some(yaml.find("url : x").unwrap()));
        assert_eq!(key_offset(yaml, "tracker", KeyDepth::Any), Some(9));
        // A key is a whole name followed by `:`, not a value or a longer name.
        assert_eq!(key_offset("titles: A\nname: title\n", "title", KeyDepth::Any), None);
    }

    #[test]
    fn unknown_key_names_its_line_and_suggests() {
        let e = parse_doc("---\ntitle: x\ntitel: y\n", 4).unwrap_err();
        assert_eq!(e.to_string(), "a.md:3:1: unknown key `titel`");
        assert_eq!(e.help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn missing_key_is_named() {
        let e = parse_doc("---\nweight: 1\n", 4).unwrap_err();
        assert!(e.to_string().contains("missing required key `title`"), "{e}");
        let e = parse_doc("---\n", 4).unwrap_err();
        assert!(e.to_string().contains("missing required key `title`"), "{e}");
    }

    #[test]
    fn every_missing_required_key_is_listed() {
        let source: Arc<str> = Arc::from("");
        let e = parse_requiring::<Doc>(Path::new("hub.yaml"), &source, "", Embedded { offset: 0 }, &["title", "base_url"]).unwrap_err();
        assert_eq!(e.to_string(), "hub.yaml:1:1: missing required keys `title` and `base_url`");
        assert_eq!(e.help.as_deref(), Some("add `title: ...` and `base_url: ...`"));
        let source: Arc<str> = Arc::from("base_url: x\n");
        let e = parse_requiring::<Doc>(Path::new("hub.yaml"), &source, &source, Embedded { offset: 0 }, &["title", "base_url"]).unwrap_err();
        assert_eq!(e.message, "missing required key `title`");
    }

    #[test]
    fn syntax_error_names_its_line() {
        let e = parse_doc("---\ntitle: x\ndate: [1,\n", 4).unwrap_err();
        let loc = e.location.clone().unwrap();
        assert!(loc.line >= 3, "{loc}");
        assert!(e.message.starts_with("invalid YAML: "), "{e}");
        // A syntax error after a value of the wrong type is still a syntax error.
        let e = parse_doc("---\ntitle: [x\n", 4).unwrap_err();
        assert!(e.message.starts_with("invalid YAML: "), "{e}");
    }

    #[test]
    fn a_tab_in_the_indentation_is_named_as_such() {
        for (src, at) in [("---\ntitle: x\nextra:\n\ta: b\n", "a.md:4:1"), ("---\ntitle: x\nextra:\n  a: b\n  \tc: d\n", "a.md:5:3")] {
            let e = parse_doc(src, 4).unwrap_err();
            assert_eq!(e.to_string(), format!("{at}: tabs are not allowed in YAML, use spaces"), "{src:?}");
        }
        // A tab between a key and its value is allowed.
        assert!(parse_doc("---\ntitle:\tx\n", 4).is_ok());
    }

    #[test]
    fn a_value_complaint_is_not_called_invalid_yaml() {
        let e = parse_doc("---\ntitle: x\ndate: 2026-13-01\n", 4).unwrap_err();
        assert_eq!(e.to_string(), "a.md:3:7: `2026-13-01` is not a date");
        assert_eq!(e.help.as_deref(), Some("write it as YYYY-MM-DD"));
        let e = parse_doc("---\ntitle: x\nweight: heavy\n", 4).unwrap_err();
        assert_eq!(e.to_string(), "a.md:3:9: expected a whole number, found string \"heavy\" in `weight`");
    }

    #[test]
    fn a_duplicate_key_points_at_the_repeat() {
        let e = parse_doc("---\ntitle: x\nweight: 1\ntitle: y\n", 4).unwrap_err();
        assert_eq!(e.to_string(), "a.md:4:1: duplicate key `title`: it is already set on line 2");
        let e = parse_doc("---\ntitle: x\nextra:\n  a: 1\n  b: 2\n  a: 3\n", 4).unwrap_err();
        assert_eq!(e.to_string(), "a.md:6:3: duplicate key `a`: it is already set on line 4 in `extra`");
        let e = parse_doc("---\ntitle: x\nextra: {a: 1, \"a\": 2}\n", 4).unwrap_err();
        assert_eq!(e.to_string(), "a.md:3:15: duplicate key `a`: it is already set on line 3 in `extra`");
    }
}
