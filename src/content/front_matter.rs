//! Front matter: the YAML between `---` lines at the top of every Markdown file,
//! and the checks each page kind adds.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

use crate::diagnostics::Error;
use crate::link::{destination, is_valid_id, Goal, GoalMetric, Network};
use crate::yaml::{self, Embedded, KeyDepth};

// Re-exported while `cli.rs` still names it here; `crate::util::date` owns it.
use crate::util::date::parse_date;

/// What a page is for; it picks the template and the front matter it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// An ordinary page.
    #[default]
    Page,
    /// The social-media policy (`version`, `effective`).
    Policy,
    /// A training guide: a section whose pages are modules.
    Guide,
    /// One module of a guide (`minutes`, `objectives`).
    Module,
    /// A share campaign (`url`, `starts`, `ends`, `snippets`).
    Campaign,
}

impl Kind {
    /// The name used in front matter and templates.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Page => "page",
            Kind::Policy => "policy",
            Kind::Guide => "guide",
            Kind::Module => "module",
            Kind::Campaign => "campaign",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A calendar date written `YYYY-MM-DD` (a time part, if any, is ignored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Date(pub NaiveDate);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Any scalar: `20270301` or `2027-3-1` is a date written in the wrong form, not a wrong type.
        let s = match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        };
        parse_date(&s).map(Date).ok_or_else(|| yaml::value_error(format!("`{s}` is not a date"), "write it as YYYY-MM-DD, e.g. `2027-03-15`"))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

/// A version written as a string or a number (`2`, `2.1`, `"2.1"`).
fn version<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(d)?;
    Ok(match value {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        Some(other) => return Err(serde::de::Error::custom(format!("invalid version `{other}`"))),
    })
}

/// Every key a file's front matter may hold. Kind-specific keys are checked
/// against the file's kind after parsing, so a typo is still caught by serde.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// The title. Required.
    pub title: String,
    /// A one-line description for lists, feeds and meta tags.
    #[serde(default)]
    pub description: Option<String>,
    /// Publication date.
    #[serde(default)]
    pub date: Option<Date>,
    /// Date of the last significant change.
    #[serde(default)]
    pub updated: Option<Date>,
    /// Sort key in its section, lightest first.
    #[serde(default)]
    pub weight: Option<i64>,
    /// The last URL segment; default: the file name.
    #[serde(default)]
    pub slug: Option<String>,
    /// Built only with `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// Free tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Old URLs that redirect here.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// A template other than the kind's own.
    #[serde(default)]
    pub template: Option<String>,
    /// The page kind; a section's kind applies to its pages.
    #[serde(default)]
    pub kind: Option<Kind>,
    /// Free-form data for templates.
    #[serde(default, deserialize_with = "yaml::unique_keys")]
    pub extra: serde_json::Map<String, serde_json::Value>,

    /// Policy: its version.
    #[serde(default, deserialize_with = "version")]
    pub version: Option<String>,
    /// Policy: the date it takes effect.
    #[serde(default)]
    pub effective: Option<Date>,

    /// Module: estimated minutes.
    #[serde(default)]
    pub minutes: Option<u32>,
    /// Module: what the reader will be able to do.
    #[serde(default)]
    pub objectives: Vec<String>,

    /// Campaign: the URL that is shared.
    #[serde(default)]
    pub url: Option<String>,
    /// Campaign: its id (`utm_campaign`); default: the file's slug.
    #[serde(default)]
    pub campaign: Option<String>,
    /// Campaign: first day it is live.
    #[serde(default)]
    pub starts: Option<Date>,
    /// Campaign: last day it is live.
    #[serde(default)]
    pub ends: Option<Date>,
    /// Campaign: an image next to the file.
    #[serde(default)]
    pub image: Option<String>,
    /// Campaign: hashtags (without `#`).
    #[serde(default)]
    pub hashtags: Vec<String>,
    /// Campaign: networks offered; default: `share.networks`.
    #[serde(default)]
    pub networks: Option<Vec<Network>>,
    /// Campaign: the prewritten posts.
    #[serde(default)]
    pub snippets: Vec<SnippetFront>,
    /// Campaign: kept out of every output before `starts` (docs/front-matter.md, "Phases and embargo").
    #[serde(default)]
    pub embargo: Option<bool>,
    /// Campaign: `goal: { clicks: N }` or `goal: { visitors: N }` (docs/front-matter.md, "Goal").
    #[serde(default)]
    pub goal: Option<GoalFront>,
}

/// A campaign's `goal` as written; checked by the front matter's checks,
/// read with [`GoalFront::goal`].
#[derive(Debug, Clone, Deserialize, Default, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct GoalFront {
    /// Human clicks aimed at.
    #[serde(default)]
    pub clicks: Option<i64>,
    /// Unique visitors aimed at.
    #[serde(default)]
    pub visitors: Option<i64>,
}

impl GoalFront {
    /// The goal, or what is wrong with it: exactly one of `clicks` and
    /// `visitors`, a positive whole number.
    pub fn goal(&self) -> Result<Goal, String> {
        let (metric, target) = match (self.clicks, self.visitors) {
            (Some(n), None) => (GoalMetric::Clicks, n),
            (None, Some(n)) => (GoalMetric::Visitors, n),
            (Some(_), Some(_)) => return Err("`goal` sets both `clicks` and `visitors`; a campaign has one goal".into()),
            (None, None) => return Err("`goal` sets neither `clicks` nor `visitors`".into()),
        };
        match u64::try_from(target) {
            Ok(target) if target > 0 => Ok(Goal { metric, target }),
            _ => Err(format!("`goal: {{ {}: {target} }}` must be a positive number", metric.id())),
        }
    }
}

/// One prewritten post of a campaign, as written in front matter.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct SnippetFront {
    /// Stable id; becomes `utm_content`.
    pub id: String,
    /// The post; `{link}` marks where the link goes.
    #[serde(deserialize_with = "trimmed")]
    pub text: String,
    /// Override for LinkedIn.
    #[serde(default, deserialize_with = "trimmed_override")]
    pub linkedin: Option<String>,
    /// Override for X.
    #[serde(default, deserialize_with = "trimmed_override")]
    pub x: Option<String>,
    /// Override for Facebook.
    #[serde(default, deserialize_with = "trimmed_override")]
    pub facebook: Option<String>,
    /// Override for Bluesky.
    #[serde(default, deserialize_with = "trimmed_override")]
    pub bluesky: Option<String>,
    /// Override for Mastodon.
    #[serde(default, deserialize_with = "trimmed_override")]
    pub mastodon: Option<String>,
    /// Override for Threads.
    #[serde(default, deserialize_with = "trimmed_override")]
    pub threads: Option<String>,
    /// Override for WhatsApp.
    #[serde(default, deserialize_with = "trimmed_override")]
    pub whatsapp: Option<String>,
    /// Override for e-mail.
    #[serde(default, deserialize_with = "trimmed_override")]
    pub email: Option<String>,
    /// First day the post is to be shared; default: the campaign's `starts`.
    /// A post whose `from` is after the build day is in no output yet.
    #[serde(default)]
    pub from: Option<Date>,
    /// Last day the post is to be shared (included); default: the campaign's `ends`.
    #[serde(default)]
    pub until: Option<Date>,
    /// The phase the post belongs to: `teasing`, `launch`, `reminder` or any label.
    #[serde(default)]
    pub phase: Option<String>,
}

impl SnippetFront {
    /// The text for a network: its override, or the common text.
    pub fn text_for(&self, network: Network) -> &str {
        self.override_for(network).unwrap_or(&self.text)
    }

    /// Whether the snippet has its own text for `network`.
    pub fn has_override(&self, network: Network) -> bool {
        self.override_for(network).is_some()
    }

    fn override_for(&self, network: Network) -> Option<&str> {
        let over = match network {
            Network::Linkedin => &self.linkedin,
            Network::X => &self.x,
            Network::Facebook => &self.facebook,
            Network::Bluesky => &self.bluesky,
            Network::Mastodon => &self.mastodon,
            Network::Threads => &self.threads,
            Network::Whatsapp => &self.whatsapp,
            Network::Email => &self.email,
        };
        over.as_deref()
    }
}

/// A snippet's text without the line break a `|` block ends with, nor trailing
/// spaces: trimmed here, once, so the counter, the share intents, the copied
/// text and the lint all see the same post (a `%0A` ended every intent).
fn trimmed<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let mut text = String::deserialize(d)?;
    text.truncate(text.trim_end().len());
    Ok(text)
}

/// A per-network text, trimmed like the common one.
fn trimmed_override<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.map(|mut text| {
        text.truncate(text.trim_end().len());
        text
    }))
}

/// A Markdown file split into its front matter and body.
#[derive(Debug, Clone)]
pub struct Split {
    /// Byte range of the YAML text in the file.
    pub yaml: std::ops::Range<usize>,
    /// Byte offset where the Markdown body starts.
    pub body: usize,
}

/// Finds the `---` fenced front matter at the top of a file.
pub fn split(file: &Path, source: &Arc<str>) -> Result<Split, Error> {
    let start = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let text = &source[start..];
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "---" {
        return Err(Error::at(file, source, start, first_line_end.max(1), "missing front matter")
            .with_help("start the file with a `---` line, then `title: ...`, then a closing `---` line"));
    }
    let yaml_start = start + first_line_end;
    let mut offset = yaml_start;
    for line in source[yaml_start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok(Split { yaml: yaml_start..offset, body: offset + line.len() });
        }
        offset += line.len();
    }
    Err(Error::at(file, source, start, 3, "front matter is not closed")
        .with_label("opened here")
        .with_help("add a `---` line after the front matter"))
}

/// Parses and checks the front matter of `file`. `is_section` is true for `_index.md`;
/// `inherited` is the kind of the nearest section that sets one. Returns the
/// first problem found; [`parse_all`] returns every one.
pub fn parse(file: &Path, source: &Arc<str>, split: &Split, is_section: bool, inherited: Option<Kind>) -> Result<(FrontMatter, Kind), Error> {
    let parsed = parse_all(file, source, split, is_section, inherited)?;
    match parsed.problems.into_iter().next() {
        Some(problem) => Err(problem),
        None => Ok((parsed.front, parsed.kind)),
    }
}

/// A file's front matter, and every problem found in it that did not stop the
/// YAML from being read.
#[derive(Debug)]
pub struct Parsed {
    /// The keys as written.
    pub front: FrontMatter,
    /// The resolved kind.
    pub kind: Kind,
    /// Each independent problem, in the order of the checks.
    pub problems: Vec<Error>,
}

/// Parses the front matter of `file` and runs every check on it. Only YAML that
/// cannot be read at all is an `Err`; each other problem is reported in
/// [`Parsed::problems`], so the author sees them all in one run.
///
/// A campaign's `url`, `starts` and `ends` are not required here: a translation
/// takes them from its default-language page (see `content::campaign`).
pub fn parse_all(file: &Path, source: &Arc<str>, split: &Split, is_section: bool, inherited: Option<Kind>) -> Result<Parsed, Error> {
    let yaml_text = &source[split.yaml.clone()];
    let front: FrontMatter = yaml::parse(file, source, yaml_text, Embedded { offset: split.yaml.start })?;
    let mut problems = Vec::new();
    let key_error = |key: &str, message: String| {
        let offset = key_offset(source, split, key);
        Error::at(file, source, offset, key.len().max(1), message)
    };
    if front.title.trim().is_empty() {
        problems.push(key_error("title", "`title` is empty".into()));
    }
    let kind = match resolve_kind(front.kind, is_section, inherited) {
        Ok(kind) => kind,
        Err((message, help)) => {
            // The checks below depend on the kind: they would only repeat this one.
            problems.push(key_error("kind", message).with_help(help));
            return Ok(Parsed { front, kind: Kind::Page, problems });
        }
    };
    // Keys that belong to another kind are mistakes, not decoration.
    let misplaced: &[(&str, bool, Kind)] = &[
        ("version", front.version.is_some(), Kind::Policy),
        ("effective", front.effective.is_some(), Kind::Policy),
        ("minutes", front.minutes.is_some(), Kind::Module),
        ("objectives", !front.objectives.is_empty(), Kind::Module),
        ("url", front.url.is_some(), Kind::Campaign),
        ("campaign", front.campaign.is_some(), Kind::Campaign),
        ("starts", front.starts.is_some(), Kind::Campaign),
        ("ends", front.ends.is_some(), Kind::Campaign),
        ("image", front.image.is_some(), Kind::Campaign),
        ("hashtags", !front.hashtags.is_empty(), Kind::Campaign),
        ("networks", front.networks.is_some(), Kind::Campaign),
        ("snippets", !front.snippets.is_empty(), Kind::Campaign),
        ("embargo", front.embargo.is_some(), Kind::Campaign),
        ("goal", front.goal.is_some(), Kind::Campaign),
    ];
    let page_kind = if is_section { None } else { Some(kind) };
    for (key, present, owner) in misplaced {
        if *present && page_kind != Some(*owner) {
            let what = if is_section { "a section".to_string() } else { format!("a `{kind}` page") };
            problems.push(key_error(key, format!("`{key}` is not a key of {what}")).with_help(format!("`{key}` belongs to `kind: {owner}` pages")));
        }
    }
    let required: &[(&str, bool)] = match page_kind {
        Some(Kind::Policy) => &[("version", front.version.is_some()), ("effective", front.effective.is_some())],
        Some(Kind::Module) => &[("minutes", front.minutes.is_some())],
        Some(Kind::Campaign) => &[("snippets", !front.snippets.is_empty())],
        _ => &[],
    };
    let missing: Vec<&str> = required.iter().filter(|(_, present)| !present).map(|(key, _)| *key).collect();
    if !missing.is_empty() {
        problems.push(missing_keys(file, source, split, kind, &missing));
    }
    if page_kind == Some(Kind::Campaign) {
        check_campaign(&front, file, source, split, &mut problems);
    }
    if let Some(slug) = &front.slug {
        if slug.is_empty() || slug.contains('/') || slug.starts_with('.') {
            problems.push(key_error("slug", format!("`{slug}` is not a valid slug")).with_help("a slug is one URL segment, such as `my-page`"));
        }
    }
    for alias in &front.aliases {
        if !alias.starts_with('/') || alias.contains("..") || alias.contains("://") {
            problems.push(key_error("aliases", format!("alias `{alias}` must be a path starting with `/`")));
        }
    }
    Ok(Parsed { front, kind, problems })
}

/// "A `kind` page needs `a` and `b`": every missing key at once, so the
/// author fixes them in one go; pointed at the front matter's opening line.
pub fn missing_keys(file: &Path, source: &Arc<str>, split: &Split, kind: Kind, missing: &[&str]) -> Error {
    let list = |keys: &[&str]| keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    let named = match missing.split_last() {
        Some((last, others)) if !others.is_empty() => format!("{} and `{last}`", list(others)),
        _ => list(missing),
    };
    let add: Vec<String> = missing.iter().map(|k| format!("`{k}: ...`")).collect();
    Error::at(file, source, split.yaml.start.saturating_sub(4), 3, format!("a `{kind}` page needs {named}"))
        .with_help(format!("add {} to the front matter", add.join(" and ")))
}

/// The kind a section's front matter sets, read from its `kind:` line alone:
/// for a section whose YAML cannot be parsed, so that its pages are still
/// checked as the kind they are rather than reported for keys of that kind.
pub fn kind_hint(source: &str, split: &Split) -> Option<Kind> {
    source[split.yaml.clone()].lines().find_map(|line| {
        let value = line.strip_prefix("kind:")?.split('#').next()?.trim().trim_matches(|c| c == '"' || c == '\'');
        serde_json::from_value(serde_json::Value::String(value.to_string())).ok()
    })
}

/// Campaign fields whose shape matters to links and the tracker.
fn check_campaign(front: &FrontMatter, file: &Path, source: &Arc<str>, split: &Split, problems: &mut Vec<Error>) {
    // Points at a value as written in the front matter, or at its key.
    let at = |key: &str, value: &str, message: String| {
        let offset = source[split.yaml.clone()]
            .find(value)
            .filter(|_| !value.is_empty())
            .map_or_else(|| key_offset(source, split, key), |i| split.yaml.start + i);
        Error::at(file, source, offset, value.len().max(1), message)
    };
    if let Some(url) = &front.url {
        match url::Url::parse(url) {
            // `.invalid` never resolves (RFC 2606): `chorus new` writes such a URL to be replaced.
            Ok(u) if u.host_str().is_some_and(|h| h == "invalid" || h.ends_with(".invalid")) => problems.push(
                at("url", url, format!("`url` is still a placeholder: `{url}`"))
                    .with_help("write the address of the page the posts promote, e.g. `https://www.acme.example/news`"),
            ),
            // The tracker's own rule: a link it would refuse to redirect to is refused here.
            _ => {
                if let Err(why) = destination(url) {
                    let shown = url.escape_default();
                    problems.push(
                        at("url", url, format!("`url` must be an absolute http(s) URL safe to redirect to; `{shown}` is not: {why}"))
                            .with_help("write the full address of the page to share, e.g. `https://www.acme.example/news`"),
                    );
                }
            }
        }
    }
    if let Some(id) = &front.campaign {
        if !is_valid_id(id) {
            problems.push(
                at("campaign", id, format!("campaign id `{id}` may only hold a-z, 0-9 and `-`"))
                    .with_help("it becomes `utm_campaign` and part of every short link"),
            );
        }
    }
    if let Some(Err(why)) = front.goal.as_ref().map(GoalFront::goal) {
        problems.push(
            Error::at(file, source, key_offset(source, split, "goal"), 4, why)
                .with_help("write `goal: { clicks: 500 }` (human clicks) or `goal: { visitors: 300 }` (unique visitors)"),
        );
    }
    for snippet in &front.snippets {
        if !is_valid_id(&snippet.id) {
            problems.push(
                at("snippets", &snippet.id, format!("snippet id `{}` may only hold a-z, 0-9 and `-`", snippet.id))
                    .with_help("it becomes `utm_content`; write e.g. `jour-j`"),
            );
        }
    }
}

fn resolve_kind(own: Option<Kind>, is_section: bool, inherited: Option<Kind>) -> Result<Kind, (String, String)> {
    if is_section {
        return match own.unwrap_or(Kind::Page) {
            Kind::Module => Err(("a section cannot be of kind `module`".into(), "use `kind: guide` on the section: its pages become modules".into())),
            k => Ok(k),
        };
    }
    match own {
        Some(Kind::Guide) => Err(("a page cannot be of kind `guide`".into(), "`guide` is for a section's `_index.md`; its pages are modules".into())),
        Some(k) => Ok(k),
        None => Ok(match inherited {
            Some(Kind::Guide) => Kind::Module,
            Some(k) => k,
            None => Kind::Page,
        }),
    }
}

/// Byte offset in `source` of a top-level key of the front matter, or of the
/// front matter itself when the key is not written there.
pub fn key_offset(source: &str, split: &Split, key: &str) -> usize {
    split.yaml.start + yaml::key_offset(&source[split.yaml.clone()], key, KeyDepth::TopLevel).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn front(text: &str, is_section: bool, inherited: Option<Kind>) -> Result<(FrontMatter, Kind), Error> {
        let source: Arc<str> = Arc::from(text);
        let split = split(Path::new("a.md"), &source)?;
        parse(Path::new("a.md"), &source, &split, is_section, inherited)
    }

    #[test]
    fn splits_front_matter_and_body() {
        let source: Arc<str> = Arc::from("---\ntitle: A\n---\nBody\n");
        let s = split(Path::new("a.md"), &source).unwrap();
        assert_eq!(&source[s.yaml.clone()], "title: A\n");
        assert_eq!(&source[s.body..], "Body\n");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let e = front("---\ntitle: A\n", false, None).unwrap_err();
        assert!(e.to_string().contains("a.md:1:1: front matter is not closed"), "{e}");
    }

    #[test]
    fn pages_of_a_guide_are_modules() {
        let (_, kind) = front("---\ntitle: A\nminutes: 5\n---\n", false, Some(Kind::Guide)).unwrap();
        assert_eq!(kind, Kind::Module);
    }

    #[test]
    fn module_needs_minutes() {
        let e = front("---\ntitle: A\n---\n", false, Some(Kind::Guide)).unwrap_err();
        assert!(e.to_string().contains("needs `minutes`"), "{e}");
    }

    #[test]
    fn key_of_another_kind_is_named_with_its_line() {
        let e = front("---\ntitle: A\nversion: 2\n---\n", false, None).unwrap_err();
        assert_eq!(e.to_string(), "a.md:3:1: `version` is not a key of a `page` page");
    }

    #[test]
    fn dates_are_checked() {
        let e = front("---\ntitle: A\ndate: 2026-13-01\n---\n", false, None).unwrap_err();
        assert!(e.to_string().contains("a.md:3:"), "{e}");
        assert_eq!(e.to_string(), "a.md:3:7: `2026-13-01` is not a date");
        assert!(e.help.as_deref().unwrap_or_default().contains("YYYY-MM-DD"), "{e:?}");
        let e = front("---\ntitle: A\ndate: 20261125\n---\n", false, None).unwrap_err();
        assert_eq!(e.to_string(), "a.md:3:7: `20261125` is not a date");
        let (f, _) = front("---\ntitle: A\ndate: 2026-11-25T10:00:00Z\n---\n", false, None).unwrap();
        assert_eq!(f.date.unwrap().to_string(), "2026-11-25");
    }

    #[test]
    fn campaign_ids_and_url_are_checked() {
        let page = |extra: &str| {
            format!(
                "---\ntitle: C\nurl: https://a.example\nstarts: 2027-03-01\nends: 2027-03-15\n{extra}snippets:\n  - id: Jour_J\n    text: hi\n---\n"
            )
        };
        let e = front(&page(""), false, Some(Kind::Campaign)).unwrap_err();
        assert_eq!(e.to_string(), "a.md:7:9: snippet id `Jour_J` may only hold a-z, 0-9 and `-`");
        let e = front(&page("campaign: Salon 2027\n"), false, Some(Kind::Campaign)).unwrap_err();
        assert!(e.to_string().starts_with("a.md:6:11: campaign id `Salon 2027`"), "{e}");
        let bad_url = page("").replace("https://a.example", "www.a.example");
        let e = front(&bad_url, false, Some(Kind::Campaign)).unwrap_err();
        assert!(e.to_string().starts_with("a.md:3:6: `url` must be an absolute"), "{e}");
    }

    #[test]
    fn a_campaign_goal_is_read_and_a_bad_one_named_at_its_line() {
        let page = |goal: &str| {
            format!("---\ntitle: C\nurl: https://a.example\nstarts: 2027-03-01\nends: 2027-03-15\n{goal}\nsnippets:\n  - id: a\n    text: hi\n---\n")
        };
        let (f, _) = front(&page("goal: { clicks: 500 }"), false, Some(Kind::Campaign)).unwrap();
        assert_eq!(f.goal.unwrap().goal(), Ok(Goal { metric: GoalMetric::Clicks, target: 500 }));
        let (f, _) = front(&page("goal:\n  visitors: 3"), false, Some(Kind::Campaign)).unwrap();
        assert_eq!(f.goal.unwrap().goal(), Ok(Goal { metric: GoalMetric::Visitors, target: 3 }));
        for (goal, message) in [
            ("goal: { clicks: 0 }", "a.md:6:1: `goal: { clicks: 0 }` must be a positive number"),
            ("goal: { visitors: -4 }", "a.md:6:1: `goal: { visitors: -4 }` must be a positive number"),
            ("goal: { clicks: 5, visitors: 3 }", "a.md:6:1: `goal` sets both `clicks` and `visitors`"),
            ("goal: {}", "a.md:6:1: `goal` sets neither `clicks` nor `visitors`"),
        ] {
            let e = front(&page(goal), false, Some(Kind::Campaign)).unwrap_err();
            assert!(e.to_string().starts_with(message), "{goal}: {e}");
        }
        let e = front(&page("goal: { shares: 5 }"), false, Some(Kind::Campaign)).unwrap_err();
        assert!(e.to_string().starts_with("a.md:6:"), "{e}");
        let e = front("---\ntitle: A\ngoal: { clicks: 5 }\n---\n", false, None).unwrap_err();
        assert_eq!(e.to_string(), "a.md:3:1: `goal` is not a key of a `page` page");
    }

    #[test]
    fn snippet_texts_lose_the_line_break_a_block_ends_with() {
        let (f, _) = front(
            "---\ntitle: C\nurl: https://a.example\nstarts: 2027-03-01\nends: 2027-03-15\nsnippets:\n  - id: a\n    text: |\n      un\n      deux {link}\n    email: \"court  \"\n---\n",
            false,
            Some(Kind::Campaign),
        )
        .unwrap();
        assert_eq!(f.snippets[0].text, "un\ndeux {link}");
        assert_eq!(f.snippets[0].text_for(Network::Email), "court");
    }

    #[test]
    fn campaign_front_matter_parses_with_overrides() {
        let (f, kind) = front(
            "---\ntitle: C\nurl: https://a.example\nstarts: 2027-03-01\nends: 2027-03-15\nsnippets:\n  - id: a\n    text: hi {link}\n    x: short {link}\n---\n",
            false,
            Some(Kind::Campaign),
        )
        .unwrap();
        assert_eq!(kind, Kind::Campaign);
        assert_eq!(f.snippets[0].text_for(Network::X), "short {link}");
        assert_eq!(f.snippets[0].text_for(Network::Linkedin), "hi {link}");
    }
}
