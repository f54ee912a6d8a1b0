//! What `chorus serve` does when files change: the loaded hub is kept in
//! memory, and each batch of changed files is turned into the least work that
//! brings the served site up to date.
//!
//! | change | work |
//! |---|---|
//! | a page's Markdown | that page, its translations, its sections up to the home, the homes, feeds, calendars, sitemap, links (`Hub::update_document`) |
//! | a template no other template uses | the pages rendered with it |
//! | a base template (extended, included or imported), `i18n/` | every page again, from the loaded content |
//! | a static file | that file; stylesheets are swapped without a page reload |
//! | an image under `content/` | nothing: it is read from disk when asked for |
//! | `hub.yaml`, a new, deleted or renamed page, a new folder | the whole hub loaded again |
//!
//! A failed rebuild leaves the served site as it was; the next change then
//! loads the hub again whole, as the failed one may have updated it in part.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::body::Bytes;

use super::files::Files;
use super::reload::Notice;
use crate::content::DocId;
use crate::diagnostics::Result;
use crate::hub::{Hub, HubOptions};
use crate::render::{template_of, Output};
use crate::theme::Theme;
use crate::util::files::is_ignored;

/// One changed file, as far as the site is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Not part of the hub (editor temp files, other folders).
    Ignored,
    /// `hub.yaml`, or content added, removed or renamed.
    Structure,
    /// A template, by name.
    Template(String),
    /// A UI strings file.
    Strings,
    /// A static file, by its path in the site.
    Static(String),
    /// An existing page's Markdown.
    Document(DocId),
    /// An existing file under `content/` that is not Markdown.
    Asset,
}

/// Classifies a changed file, by its path relative to the hub root.
pub fn classify(hub: &Hub, rel: &Path, exists: bool) -> Change {
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if parts.is_empty() || parts.iter().any(|p| is_ignored(p)) {
        return Change::Ignored;
    }
    if parts.len() == 1 {
        // hub.yaml, or a hub folder (content/, templates/…) created or removed whole.
        let hub_file = parts[0] == crate::config::FILE_NAME || super::watch::FOLDERS.contains(&parts[0].as_str());
        return if hub_file { Change::Structure } else { Change::Ignored };
    }
    // themes/<name>/templates/… is read like templates/… (only the hub's theme matters).
    let inner: &[String] = match parts[0].as_str() {
        "themes" if parts.len() > 3 && parts[1] == hub.config.theme => &parts[2..],
        "themes" => return Change::Ignored,
        _ => &parts,
    };
    let within = || inner[1..].join("/");
    match inner[0].as_str() {
        "templates" => Change::Template(within()),
        "i18n" => Change::Strings,
        "static" if exists => Change::Static(within()),
        "static" => Change::Structure,
        "content" if parts[0] == "content" => {
            let is_markdown = rel.extension().is_some_and(|e| e == "md");
            match hub.document_of(rel) {
                Some(id) if exists && is_markdown => Change::Document(id),
                None if exists && !is_markdown && is_known_asset(hub, rel) => Change::Asset,
                _ => Change::Structure,
            }
        }
        _ => Change::Ignored,
    }
}

fn is_known_asset(hub: &Hub, rel: &Path) -> bool {
    hub.content.assets.iter().any(|a| a.file == rel)
}

/// A rebuild's result, for the terminal and the open pages.
#[derive(Debug)]
pub struct Rebuilt {
    /// What was redone, in a few words.
    pub what: String,
    /// Files rendered.
    pub files: usize,
    /// How long it took.
    pub elapsed: Duration,
    /// What open pages are told.
    pub notice: Notice,
}

/// The loaded hub and the site `chorus serve` serves from memory, rebuilt as files change.
pub struct ServedSite {
    root: PathBuf,
    options: HubOptions,
    hub: Option<Hub>,
    /// Whether the hub may be partly updated after a failure: load it again.
    stale: bool,
    files: Arc<RwLock<Files>>,
}

impl ServedSite {
    /// A site not built yet; [`ServedSite::full`] builds it.
    pub fn new(root: &Path, options: HubOptions, files: Arc<RwLock<Files>>) -> ServedSite {
        ServedSite { root: root.to_path_buf(), options, hub: None, stale: true, files }
    }

    /// The loaded hub, once a build succeeded.
    pub fn hub(&self) -> Option<&Hub> {
        self.hub.as_ref()
    }

    /// Loads the hub again whole and replaces the served site.
    pub fn full(&mut self) -> Result<Rebuilt> {
        let started = Instant::now();
        self.stale = true;
        let hub = Hub::load(&self.root, &self.options)?;
        // The search index follows in the background: the site is up sooner.
        let outputs = render(|sink| hub.render(sink))?;
        let files = outputs.len();
        let pages = hub.page_count();
        self.swap(Files::from_outputs(&self.root, outputs));
        self.hub = Some(hub);
        self.stale = false;
        Ok(Rebuilt { what: format!("{pages} pages"), files, elapsed: started.elapsed(), notice: Notice::Reload })
    }

    /// Brings the site up to date after `changed` files (absolute or relative
    /// to the root) changed; `None` when none of them matters.
    pub fn apply(&mut self, changed: &[PathBuf]) -> Result<Option<Rebuilt>> {
        let started = Instant::now();
        let Some(hub) = self.hub.as_ref().filter(|_| !self.stale) else {
            return self.full().map(Some);
        };
        let changes: Vec<Change> = changed
            .iter()
            .map(|path| {
                let rel = path.strip_prefix(&self.root).unwrap_or(path);
                classify(hub, rel, self.root.join(rel).exists())
            })
            .filter(|c| *c != Change::Ignored)
            .filter(|c| !matches!(c, Change::Document(id) if unchanged(hub, &self.root, *id)))
            .collect();
        if changes.is_empty() {
            return Ok(None);
        }
        if changes.contains(&Change::Structure) {
            return self.full().map(Some);
        }
        self.stale = true;
        let result = self.apply_changes(&changes);
        if result.is_ok() {
            self.stale = false;
        }
        result.map(|mut r| {
            r.elapsed = started.elapsed();
            Some(r)
        })
    }

    fn apply_changes(&mut self, changes: &[Change]) -> Result<Rebuilt> {
        let Some(mut hub) = self.hub.take() else { return self.full() };
        let result = update(&mut hub, &self.root, &self.files, changes);
        self.hub = Some(hub);
        match result? {
            Some(rebuilt) => Ok(rebuilt),
            None => self.full(),
        }
    }

    /// Every document's page for the search index (built on its own thread,
    /// after each build); `None` before a good build or when the hub has
    /// search turned off.
    pub fn pages_to_index(&self) -> Option<Vec<crate::search::Page>> {
        let hub = self.hub.as_ref().filter(|h| !self.stale && h.config.build.search)?;
        Some(crate::search::pages(&hub.content.docs))
    }

    fn swap(&self, files: Files) {
        if let Ok(mut served) = self.files.write() {
            *served = files;
        }
    }
}

/// Whether a document's file still holds the text the hub has loaded: a save
/// without an edit, or a late second event of an edit already applied,
/// re-renders nothing and reloads no page.
fn unchanged(hub: &Hub, root: &Path, id: DocId) -> bool {
    let doc = &hub.content.docs[id];
    !doc.synthetic && std::fs::read_to_string(root.join(&doc.file)).is_ok_and(|text| *text == *doc.source)
}

/// Applies changes to the loaded hub and the served files; `None` when an
/// edit moved a page and the hub must be loaded again whole.
fn update(hub: &mut Hub, root: &Path, served: &RwLock<Files>, changes: &[Change]) -> Result<Option<Rebuilt>> {
    let templates: BTreeSet<&str> = changes.iter().filter_map(|c| if let Change::Template(t) = c { Some(t.as_str()) } else { None }).collect();
    let statics: Vec<&str> = changes.iter().filter_map(|c| if let Change::Static(s) = c { Some(s.as_str()) } else { None }).collect();
    let documents: BTreeSet<DocId> = changes.iter().filter_map(|c| if let Change::Document(d) = c { Some(*d) } else { None }).collect();
    let strings = changes.contains(&Change::Strings);

    if !templates.is_empty() || strings || !statics.is_empty() {
        hub.theme = Theme::load(root, &hub.config)?;
    }
    let mut pages: BTreeSet<DocId> = BTreeSet::new();
    for &id in &documents {
        match hub.update_document(id)? {
            Some(affected) => pages.extend(affected),
            None => return Ok(None),
        }
    }
    // A base template or UI strings: every page again, from the loaded content.
    if strings || templates.iter().any(|t| is_base_template(&hub.theme, t)) {
        let outputs = render(|sink| hub.render(sink))?;
        let files = outputs.len();
        if let Ok(mut served) = served.write() {
            *served = Files::from_outputs(root, outputs);
        }
        let what = if strings { "every page (UI strings changed)" } else { "every page (a shared template changed)" };
        return Ok(Some(Rebuilt { what: what.into(), files, elapsed: Duration::ZERO, notice: Notice::Reload }));
    }
    pages.extend((0..hub.content.docs.len()).filter(|&id| templates.contains(template_of(&hub.content.docs[id]))));
    let mut files = 0;
    let mut what = Vec::new();
    if !pages.is_empty() || !templates.is_empty() {
        let ids: Vec<DocId> = pages.into_iter().collect();
        let outputs = render(|sink| hub.render_documents(&ids, sink))?;
        files += outputs.len();
        what.push(if ids.len() == 1 { "1 page".to_string() } else { format!("{} pages", ids.len()) });
        if let Ok(mut served) = served.write() {
            served.update(root, outputs);
        }
    }
    for rel in &statics {
        let Some(file) = hub.theme.static_files.get(*rel) else { continue };
        if let Ok(mut served) = served.write() {
            served.put(rel, Bytes::copy_from_slice(&file.bytes));
        }
        files += 1;
        what.push((*rel).to_string());
    }
    let only_css = documents.is_empty() && templates.is_empty() && !statics.is_empty() && statics.iter().all(|s| s.ends_with(".css"));
    if what.is_empty() {
        what.push("nothing to render (a file read from disk changed)".into());
    }
    Ok(Some(Rebuilt { what: what.join(", "), files, elapsed: Duration::ZERO, notice: if only_css { Notice::Css } else { Notice::Reload } }))
}

/// Whether other templates build on `name` (`extends`, `include`, `import`),
/// or it is gone (the pages that used it are found by rendering them all).
fn is_base_template(theme: &Theme, name: &str) -> bool {
    let quoted = [format!("\"{name}\""), format!("'{name}'")];
    theme.templates.values().any(|t| t.name != name && quoted.iter().any(|q| t.text.contains(q.as_str()))) || !theme.templates.contains_key(name)
}

/// Runs a render into memory.
fn render(run: impl FnOnce(&crate::render::Sink<'_>) -> Result<usize>) -> Result<Vec<Output>> {
    let outputs = Mutex::new(Vec::new());
    let sink = |o: Output| {
        if let Ok(mut all) = outputs.lock() {
            all.push(o);
        }
        Ok(())
    };
    run(&sink)?;
    Ok(outputs.into_inner().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn hub() -> Hub {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        Hub::load(&root, &HubOptions { now: NaiveDate::from_ymd_opt(2026, 11, 25), ..HubOptions::default() }).unwrap()
    }

    #[test]
    fn changed_files_are_classified_by_what_they_feed() {
        let hub = hub();
        let page = hub.document_of(Path::new("content/page.md")).unwrap();
        let c = |rel: &str, exists: bool| classify(&hub, Path::new(rel), exists);
        assert_eq!(c("content/page.md", true), Change::Document(page));
        assert_eq!(c("content/page.md", false), Change::Structure, "deleted");
        assert_eq!(c("content/nouvelle.md", true), Change::Structure, "new");
        assert_eq!(c("content/nouveau-dossier", true), Change::Structure, "a new folder");
        assert_eq!(c("hub.yaml", true), Change::Structure);
        assert_eq!(c("templates/page.html", true), Change::Template("page.html".into()));
        assert_eq!(c("themes/default/templates/base.html", true), Change::Template("base.html".into()));
        assert_eq!(c("themes/other/templates/base.html", true), Change::Ignored, "not the hub's theme");
        assert_eq!(c("static/css/extra.css", true), Change::Static("css/extra.css".into()));
        assert_eq!(c("i18n/fr.yaml", true), Change::Strings);
        for ignored in
            ["content/.page.md.swp", "content/page.md~", "content/#page.md#", "content/.#page.md", "public/index.html", "Cargo.toml", "target/x"]
        {
            assert_eq!(c(ignored, true), Change::Ignored, "{ignored}");
        }
        assert_eq!(c("templates", true), Change::Structure, "templates/ appeared");
    }

    /// The basic fixture copied to a temporary folder, so a test can edit it.
    fn editable() -> tempfile::TempDir {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let dir = tempfile::tempdir().unwrap();
        for entry in walkdir::WalkDir::new(&src) {
            let entry = entry.unwrap();
            let target = dir.path().join(entry.path().strip_prefix(&src).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
        dir
    }

    #[test]
    fn edits_keep_what_the_embargo_holds_back() {
        let dir = editable();
        let salon = dir.path().join("content/campagnes/salon.md");
        let text = std::fs::read_to_string(&salon).unwrap();
        let later = text.replacen("  - id: jour-j\n", "  - id: jour-j\n    from: 2027-03-10\n", 1);
        std::fs::write(&salon, &later).unwrap();
        let embargoed = "---\ntitle: \"Secret\"\nurl: \"https://a.example/s\"\nstarts: 2027-01-10\nends: 2027-01-20\nembargo: true\nsnippets:\n  - id: a\n    text: \"Secret {link} #AcmeTeam\"\n---\nCorps.\n";
        std::fs::write(dir.path().join("content/campagnes/secret.md"), embargoed).unwrap();
        let mut hub = Hub::load(dir.path(), &HubOptions { now: NaiveDate::from_ymd_opt(2026, 11, 25), ..HubOptions::default() }).unwrap();
        let id = hub.document_of(Path::new("content/campagnes/salon.md")).unwrap();
        let posts = |hub: &Hub| hub.content.docs[id].campaign.as_ref().unwrap().snippets.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
        assert_eq!(posts(&hub), ["teaser"]);
        assert_eq!(hub.content.held_back.next_change, NaiveDate::from_ymd_opt(2027, 1, 10));

        // An edit of the body keeps the post held back; one of its window is taken in.
        std::fs::write(&salon, format!("{later}Encore.\n")).unwrap();
        assert!(hub.update_document(id).unwrap().is_some());
        assert_eq!(posts(&hub), ["teaser"]);
        std::fs::write(&salon, &text).unwrap();
        assert!(hub.update_document(id).unwrap().is_some());
        assert_eq!(posts(&hub), ["teaser", "jour-j"]);
        // Turning the embargo on or editing an embargoed page loads the hub again whole.
        std::fs::write(&salon, text.replacen("starts:", "embargo: true\nstarts:", 1)).unwrap();
        assert_eq!(hub.update_document(id).unwrap(), None);
        assert_eq!(classify(&hub, Path::new("content/campagnes/secret.md"), true), Change::Structure);
    }

    #[test]
    fn base_templates_are_those_others_build_on() {
        let hub = hub();
        assert!(is_base_template(&hub.theme, "base.html"));
        assert!(is_base_template(&hub.theme, "macros.html"));
        assert!(!is_base_template(&hub.theme, "page.html"));
        assert!(!is_base_template(&hub.theme, "campaign.html"));
        assert!(is_base_template(&hub.theme, "deleted.html"), "a template that is gone re-renders everything");
    }
}
