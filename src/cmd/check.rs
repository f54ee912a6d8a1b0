//! `chorus check`: the hub checked as a build would, its problems printed for
//! a person, as one JSON document, as GitHub Actions annotations, or as a
//! GitLab Code Quality report.

use std::process::ExitCode;

use crate::build;
use crate::cli::{CheckArgs, Cli, Format};
use crate::diagnostics::{Error, Errors, Severity};
use crate::hub::HubOptions;

use super::output::{group_thousands, print_warnings};

/// Checks the hub and prints what it found; fails on an error, not on a warning.
pub fn run(cli: &Cli, args: &CheckArgs) -> ExitCode {
    let root = super::root(cli);
    let options = HubOptions { drafts: args.drafts, base_url: None, now: args.now, tracker_url: None };
    let result = build::check(&root, &options);
    let (errors, warnings, pages, next_change) = match result {
        Ok(checked) => (Vec::new(), checked.warnings, checked.pages, checked.next_change),
        Err(e) => {
            let (warnings, errors) = e.errors.into_iter().partition(|e| e.severity == Severity::Warning);
            (errors, warnings, 0, None)
        }
    };
    let next_change = next_change.map(|d| d.format("%Y-%m-%d").to_string());
    let ok = errors.is_empty();
    // `-q` prints only errors (the JSON documents, being data, keep their warnings).
    let warnings = if cli.quiet && !matches!(args.format, Format::Json | Format::Gitlab) { Vec::new() } else { warnings };
    match args.format {
        Format::Human => {
            let count = warnings.len();
            print_warnings(warnings);
            if !ok {
                eprintln!("{:?}", miette::Report::new(Errors::from(errors)));
            } else if !cli.quiet {
                let w = match count {
                    0 => "no problems found".to_string(),
                    1 => "1 warning".to_string(),
                    n => format!("{n} warnings"),
                };
                println!("Checked {} pages: {w}", group_thousands(pages));
                if let Some(day) = &next_change {
                    println!("next change: {day}");
                }
            }
        }
        Format::Json => {
            let list = |v: &[Error]| v.iter().map(error_json).collect::<Vec<_>>();
            println!("{}", serde_json::json!({ "ok": ok, "errors": list(&errors), "warnings": list(&warnings), "next_change": next_change }));
        }
        Format::Github => {
            for e in errors.iter().chain(&warnings) {
                println!("{}", github_annotation(e));
            }
        }
        Format::Gitlab => {
            let report: Vec<serde_json::Value> = errors.iter().chain(&warnings).map(code_quality).collect();
            println!("{}", serde_json::Value::Array(report));
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The file a problem is in, with `/` separators.
fn file_of(e: &Error) -> Option<String> {
    e.location.as_ref().map(|l| l.file.to_string_lossy().replace('\\', "/"))
}

fn error_json(e: &Error) -> serde_json::Value {
    let loc = e.location.as_ref();
    serde_json::json!({
        "severity": match e.severity { Severity::Error => "error", Severity::Warning => "warning" },
        "file": file_of(e),
        "line": loc.map(|l| l.line),
        "column": loc.map(|l| l.column),
        "message": e.message,
        "help": e.help,
    })
}

/// A GitHub Actions workflow command; `%`, CR, LF, `:` and `,` escaped as GitHub documents.
fn github_annotation(e: &Error) -> String {
    let data = |s: &str| s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    let prop = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let mut props = Vec::new();
    if let Some(l) = &e.location {
        props.push(format!("file={}", prop(&l.file.to_string_lossy())));
        if l.line > 0 {
            props.push(format!("line={}", l.line));
        }
        if l.column > 0 {
            props.push(format!("col={}", l.column));
        }
    }
    let mut message = e.message.clone();
    if let Some(help) = &e.help {
        message.push_str(&format!(" (help: {help})"));
    }
    let level = match e.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    format!("::{level} {}::{}", props.join(","), data(&message))
}

/// One issue of a GitLab Code Quality report: its description (the help
/// after it), `major` for an error and `minor` for a warning, the file and
/// line, and a fingerprint that stays the same while the problem does.
fn code_quality(e: &Error) -> serde_json::Value {
    let path = file_of(e).unwrap_or_else(|| "hub.yaml".into());
    let line = e.location.as_ref().map_or(1, |l| l.line.max(1));
    let description = match &e.help {
        Some(help) => format!("{} (help: {help})", e.message),
        None => e.message.clone(),
    };
    let fingerprint = blake3::hash(format!("{path}\0{line}\0{}", e.message).as_bytes()).to_hex()[..32].to_string();
    serde_json::json!({
        "description": description,
        "check_name": "chorus",
        "fingerprint": fingerprint,
        "severity": match e.severity { Severity::Error => "major", Severity::Warning => "minor" },
        "location": { "path": path, "lines": { "begin": line } },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_quality_issues_name_the_file_and_line() {
        let e = Error::in_file("content/a.md", "bad").with_help("fix it");
        let issue = code_quality(&e);
        assert_eq!(issue["location"], serde_json::json!({ "path": "content/a.md", "lines": { "begin": 1 } }));
        assert_eq!((issue["severity"].as_str(), issue["description"].as_str()), (Some("major"), Some("bad (help: fix it)")));
        assert_eq!(issue["fingerprint"], code_quality(&e)["fingerprint"], "stable");
    }

    #[test]
    fn github_annotations_escape_properties() {
        let e = Error::in_file("content/a,b.md", "bad: 100%");
        assert_eq!(github_annotation(&e), "::error file=content/a%2Cb.md::bad: 100%25");
    }
}
