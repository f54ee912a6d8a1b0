//! The one place that parses YAML (hub.yaml, front matter, i18n files).
//!
//! serde_yaml is archived; keeping it behind this module means swapping it is
//! a one-file change. Errors come back as [`Error`]s pointing at the right line
//! of the right file, with a "did you mean" hint for unknown keys.

use std::path::Path;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::diagnostics::{did_you_mean, Error};

/// Where a YAML document sits inside a file: the whole file (`hub.yaml`) or the
/// front matter of a Markdown file, which starts a few lines down.
#[derive(Debug, Clone, Copy)]
pub struct Embedded {
    /// Byte offset of the YAML text in the file.
    pub offset: usize,
}

/// Parses `yaml`, found at `at` inside `file` (whose full text is `source`), into `T`.
pub fn parse<T: DeserializeOwned>(
    file: &Path,
    source: &Arc<str>,
    yaml: &str,
    at: Embedded,
) -> Result<T, Error> {
    // An empty document is an empty mapping, so "missing field `title`" is what the author sees.
    let text = if yaml.trim().is_empty() { "{}" } else { yaml };
    serde_yaml::from_str(text).map_err(|e| to_error(file, source, yaml, at, &e))
}

fn to_error(file: &Path, source: &Arc<str>, yaml: &str, at: Embedded, e: &serde_yaml::Error) -> Error {
    let raw = e.to_string();
    // serde_yaml appends " at line L column C"; we show the position ourselves.
    let message = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.clone(),
    };
    let mut offset = match e.location() {
        Some(loc) => at.offset + loc.index().min(yaml.len()),
        None => at.offset,
    };
    // serde_yaml places errors raised by a value's own Deserialize (a bad date…)
    // at the start of the enclosing mapping: point at the offending value instead.
    if let Some(token) = message.split('`').nth(1).filter(|t| !t.is_empty()) {
        let from = offset - at.offset;
        if !message.contains("unknown field") && !message.contains("missing field") {
            if let Some(i) = yaml[from..].find(token) {
                offset += i;
            }
        }
    }
    // Nested errors start with the path of the mapping they are in (`share: unknown field…`).
    let (path, message) = match message.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && !path.contains('`') => (Some(path.to_string()), rest.to_string()),
        _ => (None, message),
    };
    let (mut message, help, len) = explain(&message, source, offset);
    if let Some(path) = path {
        message.push_str(&format!(" in `{path}`"));
    }
    let mut err = Error::at(file, source, offset, len, message);
    if let Some(help) = help {
        err = err.with_help(help);
    }
    err
}

/// Turns serde's message into one for a site author, with a hint where we can give one.
fn explain(message: &str, source: &str, offset: usize) -> (String, Option<String>, usize) {
    let key_len = source[offset..]
        .find([':', '\n'])
        .unwrap_or(0)
        .max(1);
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or_default();
        let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        let hint = match did_you_mean(key, expected.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("known keys here: {}", expected.join(", ")),
        };
        return (format!("unknown key `{key}`"), Some(hint), key_len);
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let value = rest.split('`').next().unwrap_or_default();
        let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        let hint = match did_you_mean(value, expected.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("expected one of: {}", expected.join(", ")),
        };
        return (format!("unknown value `{value}`"), Some(hint), value.len().max(1));
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or_default();
        return (
            format!("missing required key `{key}`"),
            Some(format!("add `{key}: ...`")),
            1,
        );
    }
    let line_len = source[offset..].find('\n').unwrap_or(source.len() - offset).max(1);
    (format!("invalid YAML: {message}"), None, line_len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        title: String,
        date: Option<String>,
    }

    fn parse_doc(src: &str, offset: usize) -> Result<Doc, Error> {
        let source: Arc<str> = Arc::from(src);
        parse(Path::new("a.md"), &source, &src[offset..], Embedded { offset })
    }

    #[test]
    fn unknown_key_names_its_line_and_suggests() {
        let e = parse_doc("---\ntitle: x\ntitel: y\n", 4).unwrap_err();
        assert_eq!(e.to_string(), "a.md:3:1: unknown key `titel`");
        assert_eq!(e.help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn missing_key_is_named() {
        let e = parse_doc("---\ndate: x\n", 4).unwrap_err();
        assert!(e.to_string().contains("missing required key `title`"), "{e}");
        let e = parse_doc("---\n", 4).unwrap_err();
        assert!(e.to_string().contains("missing required key `title`"), "{e}");
    }

    #[test]
    fn syntax_error_names_its_line() {
        let e = parse_doc("---\ntitle: x\ndate: [1,\n", 4).unwrap_err();
        let loc = e.location.unwrap();
        assert!(loc.line >= 3, "{loc}");
    }
}
