//! Tera set-up: the theme's templates with the hub's overrides, the `asset`
//! function, the `date_fmt` filter, and template errors that name the file and line.

use std::collections::HashMap;

use tera::{Tera, Value};

use crate::diagnostics::Error;
use crate::theme::{Template, Theme};

/// Builds the Tera instance; `assets` maps a static file's path to its URL.
pub fn tera(theme: &Theme, assets: HashMap<String, String>) -> Result<Tera, Error> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's default also escapes `/`, which makes every URL `&#x2F;`-noisy and
    // buys nothing inside quoted attributes; `&<>"'` are what HTML needs.
    tera.set_escape_fn(crate::util::html::escape);
    let templates: Vec<(&str, &str)> = theme.templates.values().map(|t| (t.name.as_str(), &*t.text)).collect();
    tera.add_raw_templates(templates).map_err(|e| template_error(&e, theme))?;
    tera.register_function("asset", move |args: &HashMap<String, Value>| {
        let path =
            args.get("path").and_then(Value::as_str).ok_or_else(|| tera::Error::msg("`asset` needs `path`, e.g. asset(path=\"style.css\")"))?;
        assets
            .get(path.trim_start_matches('/'))
            .map(|url| Value::String(url.clone()))
            .ok_or_else(|| tera::Error::msg(format!("no static file `{path}` in the theme or the hub's static/")))
    });
    tera.register_filter("date_fmt", date_fmt);
    Ok(tera)
}

/// `{{ date | date_fmt(lang="fr") }}` → `25 novembre 2026`; with `month=true` → `novembre 2026`.
fn date_fmt(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let Some(text) = value.as_str() else { return Ok(value.clone()) };
    let date = crate::util::date::parse_date(text)
        .or_else(|| chrono::NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").ok())
        .ok_or_else(|| tera::Error::msg(format!("date_fmt: `{text}` is not a date")))?;
    let lang = args.get("lang").and_then(Value::as_str).unwrap_or("en");
    let month_only = args.get("month").and_then(Value::as_bool).unwrap_or(false);
    let out = if month_only { crate::util::date::month_in(date, lang) } else { crate::util::date::long_in(date, lang) };
    Ok(Value::String(out))
}

/// A Tera error as a diagnostic naming the template file and line where the
/// mistake is: parse errors carry their line; for render errors, the template
/// the error happened in (a parent, a macro's file, or the one rendered) is
/// searched for the variable, filter or function the message names.
pub fn template_error(err: &tera::Error, theme: &Theme) -> Error {
    let mut messages = vec![err.to_string()];
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        messages.push(s.to_string());
        source = s.source();
    }
    let innermost = messages.last().cloned().unwrap_or_default();
    let Some(name) = where_it_happened(&messages, theme) else {
        return Error::new(format!("template error: {}", messages.join(": ")));
    };
    let Some(template) = theme.templates.get(&name) else {
        return Error::new(format!("template error: {}", messages.join(": ")));
    };
    // Parse errors: pest's " --> line:column".
    if let Some(pos) = innermost.find("--> ") {
        let loc: String = innermost[pos + 4..].chars().take_while(|c| c.is_ascii_digit() || *c == ':').collect();
        let mut parts = loc.split(':').filter_map(|p| p.parse::<usize>().ok());
        if let (Some(line), Some(col)) = (parts.next(), parts.next()) {
            let detail = innermost.lines().last().unwrap_or("").trim().trim_start_matches("= ").to_string();
            return Error::at_line(&template.file, &template.text, line, col, format!("syntax error in template `{name}`: {detail}"));
        }
    }
    // The same mistake in a shared template reads the same from every page that hits it.
    let summary = innermost.lines().next().unwrap_or_default();
    let summary = summary.split(" while rendering '").next().unwrap_or(summary).trim_end_matches('.').to_string();
    let tokens = messages
        .iter()
        .rev()
        .flat_map(|m| quoted_all(m, '`').into_iter().chain(quoted_all(m, '\'')))
        .filter(|t| !theme.templates.contains_key(t))
        .map(|t| t.trim_start_matches("__tera_context.").to_string())
        .filter(|t| !t.is_empty());
    let others = theme.templates.values().filter(|t| t.name != name);
    for token in tokens {
        let found = find_in_tags(&template.text, &token)
            .map(|at| (template, at))
            .or_else(|| others.clone().find_map(|t| find_in_tags(&t.text, &token).map(|at| (t, at))))
            .or_else(|| template.text.find(token.as_str()).map(|at| (template, at)));
        if let Some((t, offset)) = found {
            let mut e = Error::at(&t.file, &t.text, offset, token.len(), format!("in template `{}`: {summary}", t.name));
            if summary.starts_with("Variable") {
                e = e.with_help("check the variable's name against docs/templates.md");
            }
            return e;
        }
    }
    Error::in_file(&template.file, format!("in template `{name}`: {}", messages.join(": ")))
}

/// The template the error is in: the one named in Tera's "(error happened in
/// 'base.html')", the one defining the macro being rendered, else the one
/// rendered or parsed.
fn where_it_happened(messages: &[String], theme: &Theme) -> Option<String> {
    let in_parent = messages.iter().find_map(|m| {
        let (_, rest) = m.split_once("(error happened in '")?;
        Some(rest.split('\'').next()?.to_string())
    });
    let in_macro = messages.iter().find_map(|m| {
        let (_, rest) = m.split_once("error while rendering macro `")?;
        let name = rest.split('`').next()?.rsplit("::").next()?.to_string();
        let defines = |t: &&Template| ["{% macro ", "{%- macro "].iter().any(|open| t.text.contains(&format!("{open}{name}(")));
        theme.templates.values().find(defines).map(|t| t.name.clone())
    });
    let named = messages.iter().rev().flat_map(|m| quoted_all(m, '\'')).find(|n| theme.templates.contains_key(n));
    in_parent.filter(|n| theme.templates.contains_key(n)).or(in_macro).or(named)
}

/// Where `token` first appears inside a `{{ }}` or `{% %}` tag of `text`.
fn find_in_tags(text: &str, token: &str) -> Option<usize> {
    text.match_indices(token).map(|(i, _)| i).find(|&i| {
        let before = &text[..i];
        let opened = before.rfind("{{").max(before.rfind("{%"));
        let closed = before.rfind("}}").max(before.rfind("%}"));
        opened.is_some() && opened > closed
    })
}

/// Every text between two `quote` characters.
fn quoted_all(text: &str, quote: char) -> Vec<String> {
    text.split(quote).skip(1).step_by(2).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_french_and_english() {
        let args = |lang: &str, month: bool| HashMap::from([("lang".to_string(), Value::from(lang)), ("month".to_string(), Value::from(month))]);
        let d = Value::from("2026-03-01");
        assert_eq!(date_fmt(&d, &args("fr", false)).unwrap(), "1er mars 2026");
        assert_eq!(date_fmt(&Value::from("2026-08-15"), &args("fr", false)).unwrap(), "15 août 2026");
        assert_eq!(date_fmt(&d, &args("en", true)).unwrap(), "March 2026");
        assert_eq!(date_fmt(&Value::from("2026-11"), &args("fr", true)).unwrap(), "novembre 2026");
    }
}
