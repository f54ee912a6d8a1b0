//! `chorus new`: a campaign, a guide or a page with front matter that passes
//! `chorus check` as written (but for a new campaign's `url`, a placeholder
//! `check` refuses until it is replaced), in the hub's default language or
//! another one. A campaign's translation takes the dates and `url` of the
//! page it translates. Existing files are never overwritten.

use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate};

use crate::cli::{Cli, NewArgs, NewWhat};
use crate::config::Config;
use crate::content::front_matter::{self, Kind};
use crate::content::slugify;
use crate::diagnostics::{Error, Errors};
use crate::link::is_valid_id;
use crate::util::url::language_suffix;

/// Creates what `args` asks for, dated today, and lists the files written.
pub fn run(cli: &Cli, args: &NewArgs) -> Result<(), Errors> {
    let root = super::root(cli);
    let what = match &args.what {
        NewWhat::Campaign { slug } => What::Campaign(slug.clone()),
        NewWhat::Guide { slug } => What::Guide(slug.clone()),
        NewWhat::Page { path } => What::Page(path.clone()),
    };
    let today = chrono::Local::now().date_naive();
    let files = create(&root, &what, args.lang.as_deref(), today)?;
    if !cli.quiet {
        for file in &files {
            println!("Created {}", file.display());
        }
        println!("Next: fill it in, then `chorus check` (or see it live with `chorus serve`).");
    }
    Ok(())
}

/// What to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    /// A campaign page in the hub's campaign section.
    Campaign(String),
    /// A guide section with its first module.
    Guide(String),
    /// A page at a path under `content/` (`faq/contact`).
    Page(String),
}

/// Writes the new content; returns the files written, relative to `root`.
pub fn create(root: &Path, what: &What, lang: Option<&str>, today: NaiveDate) -> Result<Vec<PathBuf>, Error> {
    let config = Config::load(root)?;
    let lang = lang.unwrap_or(&config.default_language).to_string();
    if !config.languages.contains_key(&lang) {
        let known: Vec<&str> = config.language_codes();
        return Err(Error::new(format!("language `{lang}` is not configured in hub.yaml")).with_help(format!("use one of: {}", known.join(", "))));
    }
    let english = lang != "fr";
    let suffix = language_suffix(&lang, &config.default_language);
    let files: Vec<(PathBuf, String)> = match what {
        What::Campaign(slug) => {
            check_slug(slug, true)?;
            let dir = campaign_section(root)?;
            let plan = match translated_campaign(root, &dir, slug, &config) {
                Some(plan) => plan,
                None => Plan {
                    url: if english { PLACEHOLDER_URL_EN } else { PLACEHOLDER_URL_FR }.to_string(),
                    starts: today + Days::new(7),
                    ends: today + Days::new(21),
                },
            };
            vec![(dir.join(format!("{slug}{suffix}.md")), campaign(&config, slug, english, today, &plan))]
        }
        What::Guide(slug) => {
            check_slug(slug, false)?;
            let dir = Path::new("content").join(slug);
            vec![
                (dir.join(format!("_index{suffix}.md")), guide(slug, english)),
                (dir.join(format!("01-introduction{suffix}.md")), module_page(english)),
            ]
        }
        What::Page(path) => {
            let path = path.trim_matches('/').trim_end_matches(".md");
            let valid =
                !path.is_empty() && path.split('/').all(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
            if !valid {
                return Err(Error::new(format!("`{path}` is not a page path")).with_help("give a path under content/ such as `faq/contact`"));
            }
            vec![(Path::new("content").join(format!("{path}{suffix}.md")), page(path, english))]
        }
    };
    for (file, _) in &files {
        if root.join(file).exists() {
            return Err(Error::in_file(file, "already exists").with_help("chorus new never overwrites a file: pick another name"));
        }
    }
    for (file, text) in &files {
        let full = root.join(file);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::in_file(parent, format!("cannot create: {e}")))?;
        }
        std::fs::write(&full, text).map_err(|e| Error::in_file(file, format!("cannot write: {e}")))?;
    }
    Ok(files.into_iter().map(|(f, _)| f).collect())
}

fn check_slug(slug: &str, campaign: bool) -> Result<(), Error> {
    let ok = if campaign { is_valid_id(slug) } else { !slug.is_empty() && slugify(slug) == slug };
    if ok {
        Ok(())
    } else {
        Err(Error::new(format!("`{slug}` is not a valid slug"))
            .with_help(format!("use lowercase letters, digits and dashes, e.g. `{}`", slugify(slug).trim_matches('-'))))
    }
}

/// The folder of the first section (in the default language) whose kind is `campaign`.
fn campaign_section(root: &Path) -> Result<PathBuf, Error> {
    let content = root.join("content");
    let mut sections: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "_index.md")
        .map(|e| e.path().to_path_buf())
        .collect();
    sections.sort_by_key(|p| p.components().count());
    for index in sections {
        let Ok(text) = std::fs::read_to_string(&index) else { continue };
        let text: std::sync::Arc<str> = text.into();
        let rel = index.strip_prefix(root).unwrap_or(&index);
        let Ok(split) = front_matter::split(rel, &text) else { continue };
        if let Ok((_, Kind::Campaign)) = front_matter::parse(rel, &text, &split, true, None) {
            return Ok(rel.parent().map(Path::to_path_buf).unwrap_or_default());
        }
    }
    Err(Error::new("this hub has no campaign section")
        .with_help("create one: a folder under content/ with an `_index.md` whose front matter says `kind: campaign`"))
}

/// What a new campaign's `url:` says until the author writes the real page:
/// `.invalid` never resolves (RFC 2606), and `chorus check` refuses it.
const PLACEHOLDER_URL_FR: &str = "https://remplacez-par-la-page-a-partager.invalid/";
/// The same, for a campaign written in another language than French.
const PLACEHOLDER_URL_EN: &str = "https://replace-with-the-page-to-share.invalid/";

/// The dates and link of a new campaign page.
struct Plan {
    url: String,
    starts: NaiveDate,
    ends: NaiveDate,
}

/// The dates and `url` of the campaign `slug` in another language, when one
/// exists (the default language's first): a translation runs on the same days.
fn translated_campaign(root: &Path, dir: &Path, slug: &str, config: &Config) -> Option<Plan> {
    let mut files: Vec<String> = vec![format!("{slug}.md")];
    files.extend(
        config
            .language_codes()
            .iter()
            .filter(|l| **l != config.default_language)
            .map(|l| format!("{slug}{}.md", language_suffix(l, &config.default_language))),
    );
    files.iter().find_map(|name| {
        let rel = dir.join(name);
        let text: std::sync::Arc<str> = std::fs::read_to_string(root.join(&rel)).ok()?.into();
        let split = front_matter::split(&rel, &text).ok()?;
        let parsed = front_matter::parse_all(&rel, &text, &split, false, Some(Kind::Campaign)).ok()?;
        let front = parsed.front;
        Some(Plan { url: front.url?, starts: front.starts?.0, ends: front.ends?.0 })
    })
}

fn title_of(slug: &str) -> String {
    let words = slug.replace('-', " ");
    let mut chars = words.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// YAML double-quoted string.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

fn campaign(config: &Config, slug: &str, english: bool, today: NaiveDate, plan: &Plan) -> String {
    let title = title_of(slug);
    let (starts, ends) = (plan.starts, plan.ends);
    let disclosure = config.share.disclosure.as_deref().map(|d| format!(" {d}")).unwrap_or_default();
    let (first, second, body) = if english {
        (
            format!("{title}: everything you need to know is here. {{link}}{disclosure}"),
            format!("Proud to share this with my network: {title}. {{link}}{disclosure}"),
            "Why this matters, the key points, and what not to say.\n\n## Key points\n\n- \n\n## What not to say\n\n- \n",
        )
    } else {
        (
            format!("{title} : tout ce qu'il faut savoir est ici. {{link}}{disclosure}"),
            format!("Fier de partager ceci avec mon réseau : {title}. {{link}}{disclosure}"),
            "Pourquoi c'est important, les points clés, ce qu'il ne faut pas dire.\n\n## Points clés\n\n- \n\n## Ce qu'il ne faut pas dire\n\n- \n",
        )
    };
    format!(
        "---\ntitle: {title}\ndate: {today}\n# The page the posts promote{replace}.\nurl: {url}\ncampaign: {slug}\n\
         # Upcoming before `starts`, live until `ends`, ended after.\nstarts: {starts}\nends: {ends}\n\
         snippets:\n  - id: annonce\n    text: {first}\n  - id: fierte\n    text: {second}\n---\n{body}",
        title = quoted(&title),
        url = quoted(&plan.url),
        replace = if plan.url.contains(".invalid/") { ": replace this placeholder" } else { "" },
        first = quoted(&first),
        second = quoted(&second),
    )
}

fn guide(slug: &str, english: bool) -> String {
    let intro = if english { "What this guide teaches, and for whom." } else { "Ce que ce parcours apprend, et à qui il s'adresse." };
    format!("---\ntitle: {}\nkind: guide\nweight: 50\n---\n{intro}\n", quoted(&title_of(slug)))
}

fn module_page(english: bool) -> String {
    if english {
        "---\ntitle: \"Getting started\"\nweight: 1\nminutes: 5\nobjectives: [\"Know where to start\"]\n---\nWhat to read, what to do.\n\n- [ ] I read this module\n".into()
    } else {
        "---\ntitle: \"Premiers pas\"\nweight: 1\nminutes: 5\nobjectives: [\"Savoir par où commencer\"]\n---\nCe qu'il faut lire, ce qu'il faut faire.\n\n- [ ] J'ai lu ce module\n".into()
    }
}

fn page(path: &str, english: bool) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let body = if english { "Write the page here." } else { "Écrivez la page ici." };
    format!("---\ntitle: {}\n---\n{body}\n", quoted(&title_of(name.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-'))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_slugs() {
        assert_eq!(title_of("salon-emploi-2027"), "Salon emploi 2027");
        assert_eq!(quoted("l'été \"chaud\""), "\"l'été \\\"chaud\\\"\"");
    }
}
