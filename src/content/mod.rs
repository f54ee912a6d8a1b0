//! The hub's content, loaded: every section and page in every language, with
//! its front matter, kind, URL and place in the section tree.
//!
//! A folder is a section (its `_index.md`); translations sit next to each other
//! (`why.md`, `why.en.md`). Everything here is plain data that later stages
//! (markdown, share, render) read without changing.

pub mod campaign;
pub mod embargo;
pub mod front_matter;
pub mod history;
mod load;
mod slug;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

pub use campaign::{Campaign, Phase, Status};
pub use embargo::HeldBack;
pub use front_matter::{Date, FrontMatter, Kind};
pub use load::{load, reload_document, LoadOptions, Reloaded};
pub use slug::slugify;

// Re-exported while `theme.rs` still names it here; `crate::util::files` owns it.

/// Index of a [`Document`] in [`Content::docs`].
pub type DocId = usize;

/// A section (`_index.md`) or a page, in one language.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file, relative to the hub root (`content/formation/01-bases.md`).
    pub file: PathBuf,
    /// Path inside `content/` with `/` separators, as on disk (`formation/01-bases.en.md`).
    pub rel: String,
    /// What translations share: `rel` without the language suffix (`formation/01-bases.md`).
    pub key: String,
    /// The whole file's text (empty for a section chorus made up for a folder without `_index.md`).
    pub source: Arc<str>,
    /// Byte offset where the Markdown body starts in `source`.
    pub body: usize,
    /// The parsed front matter.
    pub front: FrontMatter,
    /// The resolved kind (a guide's pages are modules).
    pub kind: Kind,
    /// Language code.
    pub lang: String,
    /// The last URL segment.
    pub slug: String,
    /// Root-relative URL path without the base path: `/formation/bases/`, `/en/training/basics/`.
    pub path: String,
    /// True for a section (`_index.md`).
    pub is_section: bool,
    /// True for a section made up for a folder that has no `_index.md` in this language.
    pub synthetic: bool,
    /// The folder, relative to `content/` (`""` for the root).
    pub dir: String,
    /// The section that holds this document (`None` for a home page).
    pub parent: Option<DocId>,
    /// For a section: its pages, in display order (weight, then date, newest first, then title).
    pub pages: Vec<DocId>,
    /// For a section: its subsections, by weight then title.
    pub subsections: Vec<DocId>,
    /// For a campaign page: its share data.
    pub campaign: Option<Campaign>,
}

impl Document {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.source[self.body..]
    }

    /// The id the tracker counts a guide's completions or a policy's
    /// acknowledgements by, the same in every language: a guide's folder
    /// (`formation`), a policy's file without `.md` (`politique`);
    /// `None` for anything else (docs/links-json.md).
    pub fn milestone_id(&self) -> Option<String> {
        match self.kind {
            Kind::Guide if self.is_section && !self.dir.is_empty() => Some(self.dir.clone()),
            Kind::Policy if !self.is_section => Some(self.key.strip_suffix(".md").unwrap_or(&self.key).to_string()),
            _ => None,
        }
    }
}

/// A file under `content/` that is not Markdown (an image next to a campaign…), copied as is.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Where it is, relative to the hub root.
    pub file: PathBuf,
    /// Path inside `content/` with `/` separators (`campagnes/salon.jpg`).
    pub rel: String,
    /// Its URL path without the base path.
    pub path: String,
}

/// Everything under `content/`, loaded and linked.
#[derive(Debug, Default)]
pub struct Content {
    /// Sections and pages; ids are stable for one load.
    pub docs: Vec<Document>,
    /// `rel` (as on disk) → document.
    pub by_rel: HashMap<String, DocId>,
    /// (`key`, language) → document.
    pub by_key: HashMap<(String, String), DocId>,
    /// Language → its home section.
    pub homes: HashMap<String, DocId>,
    /// Files copied as they are.
    pub assets: Vec<Asset>,
    /// `rel` of the Markdown files that could not be read or parsed (their
    /// errors are reported): links to them are not reported as broken too.
    pub unreadable: HashSet<String>,
    /// What an embargo keeps out of this build.
    pub held_back: HeldBack,
    /// Each policy page's versions from git, newest first, by `rel` (none
    /// outside git).
    pub history: HashMap<String, Vec<history::PolicyVersion>>,
}

impl Content {
    /// The document in `lang` that translates `id`, if there is one.
    pub fn translation(&self, id: DocId, lang: &str) -> Option<DocId> {
        self.by_key.get(&(self.docs[id].key.clone(), lang.to_string())).copied()
    }

    /// Every language version of `id`, itself included, in `languages` order.
    pub fn translations<'a>(&'a self, id: DocId, languages: &'a [&'a str]) -> impl Iterator<Item = DocId> + 'a {
        languages.iter().filter_map(move |lang| self.translation(id, lang))
    }

    /// Resolves an internal link target (`formation/bases.md`, as written after `@/`)
    /// for a document in `lang`: the translation in `lang` when one exists, else the file itself.
    pub fn resolve_link(&self, target: &str, lang: &str) -> Option<DocId> {
        let id = *self.by_rel.get(target)?;
        Some(self.translation(id, lang).unwrap_or(id))
    }

    /// The URL path (without the base path) of a file copied from `content/`.
    pub fn asset_path(&self, rel: &str) -> Option<&str> {
        self.assets.iter().find(|a| a.rel == rel).map(|a| a.path.as_str())
    }

    /// Pages (not sections) in a language, in load order.
    pub fn pages_in<'a>(&'a self, lang: &'a str) -> impl Iterator<Item = (DocId, &'a Document)> + 'a {
        self.docs.iter().enumerate().filter(move |(_, d)| !d.is_section && d.lang == lang)
    }
}
