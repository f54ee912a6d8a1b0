//! Walks `content/`, parses every file in parallel and links the section tree.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use super::front_matter::{self, FrontMatter, Kind};
use super::slug::{slug_of_name, slugify};
use super::{Asset, Content, DocId, Document};
use crate::config::Config;
use crate::diagnostics::{Error, Errors, Result};
use crate::util::files::is_ignored;

/// What to load.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Include pages and sections marked `draft: true`.
    pub drafts: bool,
    /// The build day: embargoed campaigns and posts not yet due are left out
    /// (`None`: everything is kept).
    pub now: Option<chrono::NaiveDate>,
}

/// A Markdown file found by the walk, before parsing.
struct Found {
    rel: String,
    dir: String,
    stem: String,
    lang: String,
    is_section: bool,
}

/// Loads everything under `<root>/content/`, as far as it can be: a file
/// that cannot be read or parsed is left out (and named in
/// [`Content::unreadable`]) while every other file is loaded and checked, so
/// that one run reports every independent problem. The errors come back with
/// the content; the content is complete only when there are none.
pub fn load(root: &Path, config: &Config, options: &LoadOptions) -> (Content, Vec<Error>) {
    let content_dir = root.join("content");
    let (found, raw_assets, mut errors) = walk(&content_dir, config);

    // Sections first: their kind is inherited by their pages.
    let (sections, pages): (Vec<Found>, Vec<Found>) = found.into_iter().partition(|f| f.is_section);
    let parsed_sections: Vec<_> = sections.par_iter().map(|f| parse_file(root, f, None)).collect();
    let mut docs: Vec<Document> = Vec::new();
    let mut unreadable = HashSet::new();
    // A section that cannot be parsed still lends its pages the kind its `kind:` line names.
    let mut hinted: HashMap<(String, String), Kind> = HashMap::new();
    for (f, parsed) in sections.iter().zip(parsed_sections) {
        if let Some(kind) = keep(f, parsed, &mut docs, &mut errors, &mut unreadable) {
            hinted.insert((f.dir.clone(), f.lang.clone()), kind);
        }
    }
    let mut kinds: HashMap<(String, String), Kind> =
        docs.iter().filter(|d| d.front.kind.is_some()).map(|d| ((d.dir.clone(), d.lang.clone()), d.kind)).collect();
    kinds.extend(hinted);
    let inherited = |dir: &str, lang: &str| -> Option<Kind> {
        let mut d = dir.to_string();
        loop {
            for l in [lang, config.default_language.as_str()] {
                if let Some(k) = kinds.get(&(d.clone(), l.to_string())) {
                    return Some(*k);
                }
            }
            if d.is_empty() {
                return None;
            }
            d = parent_dir(&d).to_string();
        }
    };
    let parsed_pages: Vec<_> = pages.par_iter().map(|f| parse_file(root, f, inherited(&f.dir, &f.lang))).collect();
    for (f, parsed) in pages.iter().zip(parsed_pages) {
        keep(f, parsed, &mut docs, &mut errors, &mut unreadable);
    }
    if !options.drafts {
        let draft_dirs: Vec<(String, String)> =
            docs.iter().filter(|d| d.is_section && d.front.draft).map(|d| (d.dir.clone(), d.lang.clone())).collect();
        docs.retain(|d| {
            !d.front.draft
                && !draft_dirs
                    .iter()
                    .any(|(dir, lang)| *lang == d.lang && (dir == &d.dir || d.dir.starts_with(&format!("{dir}/"))) && !dir.is_empty())
        });
    }
    let mut held_back = super::embargo::hold_back_pages(&mut docs, config, options.now);
    let (mut content, link_errors) = link(docs, config);
    errors.extend(link_errors);
    content.assets = place_assets(&content, raw_assets, config);
    content.assets.retain(|a| !held_back.images.contains(&a.rel));
    errors.extend(super::campaign::resolve_all(&mut content.docs, &content.assets, config));
    super::embargo::hold_back_posts(&mut content.docs, &mut held_back);
    content.held_back = held_back;
    content.unreadable = unreadable;
    content.history = content
        .docs
        .iter()
        .filter(|d| d.kind == Kind::Policy && !d.is_section && !d.synthetic)
        .map(|d| (d.rel.clone(), super::history::read(root, &d.file)))
        .filter(|(_, versions)| !versions.is_empty())
        .collect();
    (content, errors)
}

/// Takes a parsed file's document and problems, or its error (the file is
/// then unreadable); returns the kind a file that could not be parsed names.
fn keep(found: &Found, parsed: ParsedFile, docs: &mut Vec<Document>, errors: &mut Vec<Error>, unreadable: &mut HashSet<String>) -> Option<Kind> {
    match parsed {
        Ok((doc, problems)) => {
            errors.extend(problems);
            docs.push(doc);
            None
        }
        Err((e, hint)) => {
            errors.push(e);
            unreadable.insert(found.rel.clone());
            hint
        }
    }
}

/// Lists Markdown files and assets; names that are not a hub's (editor backups…) are skipped.
fn walk(content_dir: &Path, config: &Config) -> (Vec<Found>, Vec<(PathBuf, String)>, Vec<Error>) {
    let mut found = Vec::new();
    let mut assets = Vec::new();
    let mut errors = Vec::new();
    let walker =
        WalkDir::new(content_dir).sort_by_file_name().into_iter().filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| content_dir.to_path_buf());
                errors.push(Error::in_file(path, format!("cannot read: {e}")));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel_path = entry.path().strip_prefix(content_dir).unwrap_or(entry.path());
        let rel = rel_path.to_string_lossy().replace('\\', "/");
        let dir = parent_dir(&rel).to_string();
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(stem) = name.strip_suffix(".md") else {
            assets.push((entry.path().to_path_buf(), rel));
            continue;
        };
        let (stem, lang) = match stem.rsplit_once('.') {
            Some((base, suffix)) if looks_like_language(suffix) => {
                if !config.languages.contains_key(suffix) {
                    errors.push(
                        Error::in_file(Path::new("content").join(rel_path), format!("language `{suffix}` is not configured"))
                            .with_help(format!("add `{suffix}: {{ title: ... }}` under `languages` in hub.yaml, or rename the file")),
                    );
                    continue;
                }
                (base.to_string(), suffix.to_string())
            }
            _ => (stem.to_string(), config.default_language.clone()),
        };
        found.push(Found { is_section: stem == "_index", rel, dir, stem, lang });
    }
    (found, assets, errors)
}

fn looks_like_language(suffix: &str) -> bool {
    let primary = suffix.split('-').next().unwrap_or_default();
    (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_lowercase())
}

fn parent_dir(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// A parsed file and the problems that did not stop it from being read; or
/// the error that did, with the kind its `kind:` line names (for a section).
type ParsedFile = std::result::Result<(Document, Vec<Error>), (Error, Option<Kind>)>;

fn parse_file(root: &Path, found: &Found, inherited: Option<Kind>) -> ParsedFile {
    let file = Path::new("content").join(&found.rel);
    let text = crate::source_file::read(&root.join(&file), &file).map_err(|e| (e, None))?;
    let source: Arc<str> = Arc::from(text);
    let split = front_matter::split(&file, &source).map_err(|e| (e, None))?;
    let parsed =
        front_matter::parse_all(&file, &source, &split, found.is_section, inherited).map_err(|e| (e, front_matter::kind_hint(&source, &split)))?;
    let (front, kind) = (parsed.front, parsed.kind);
    let key = match found.lang.as_str() {
        _ if !found.rel.ends_with(&format!(".{}.md", found.lang)) => found.rel.clone(),
        lang => format!("{}.md", &found.rel[..found.rel.len() - lang.len() - 4]),
    };
    let slug = match &front.slug {
        Some(s) => slugify(s),
        None if found.is_section => slug_of_name(found.dir.rsplit('/').next().unwrap_or_default()),
        None => slug_of_name(&found.stem),
    };
    let doc = Document {
        file,
        rel: found.rel.clone(),
        key,
        source,
        body: split.body,
        front,
        kind,
        lang: found.lang.clone(),
        slug,
        path: String::new(),
        is_section: found.is_section,
        synthetic: false,
        dir: found.dir.clone(),
        parent: None,
        pages: Vec::new(),
        subsections: Vec::new(),
        campaign: None,
    };
    Ok((doc, parsed.problems))
}

/// Builds the section tree of every language, computes URLs and checks they
/// are unique (a clash is reported and both pages are kept, so that the rest
/// of the hub is still checked).
fn link(mut docs: Vec<Document>, config: &Config) -> (Content, Vec<Error>) {
    let sections = add_missing_sections(&mut docs, config);
    set_parents(&mut docs, &sections);
    set_paths(&mut docs, &sections, config);
    let errors = url_clashes(&docs);
    attach_children(&mut docs);
    (index(docs), errors)
}

/// The section of each (language, folder), in an order that puts a folder
/// before its subfolders.
type Sections = BTreeMap<(String, String), DocId>;

/// Every folder holding a page in a language needs a section in that
/// language, and so do its ancestors: makes up the missing ones from the
/// default language's. Returns every section, written or made up.
fn add_missing_sections(docs: &mut Vec<Document>, config: &Config) -> Sections {
    let mut sections: Sections = BTreeMap::new();
    for (id, d) in docs.iter().enumerate() {
        if d.is_section {
            sections.insert((d.lang.clone(), d.dir.clone()), id);
        }
    }
    for (lang, dir) in folders_needing_a_section(docs, config) {
        if sections.contains_key(&(lang.clone(), dir.clone())) {
            continue;
        }
        // The model may itself have been made up, earlier in this loop.
        let model = sections.get(&(config.default_language.clone(), dir.clone())).map(|&i| &docs[i]);
        let section = made_up_section(model, lang.clone(), dir.clone(), config);
        sections.insert((lang, dir), docs.len());
        docs.push(section);
    }
    sections
}

/// Each language's home, and every folder holding a document with the
/// folders above it, in that document's language; sorted, each once.
fn folders_needing_a_section(docs: &[Document], config: &Config) -> Vec<(String, String)> {
    let mut needed: Vec<(String, String)> = Vec::new();
    for lang in config.language_codes() {
        needed.push((lang.to_string(), String::new()));
    }
    for d in docs {
        let mut dir = d.dir.clone();
        loop {
            needed.push((d.lang.clone(), dir.clone()));
            if dir.is_empty() {
                break;
            }
            dir = parent_dir(&dir).to_string();
        }
    }
    needed.sort();
    needed.dedup();
    needed
}

/// The section of folder `dir` in `lang` that no file defines: it takes its
/// title, weight and kind from `model` (the default language's section),
/// else the hub's title for a home, else the folder's name.
fn made_up_section(model: Option<&Document>, lang: String, dir: String, config: &Config) -> Document {
    let rel = if dir.is_empty() { "_index.md".to_string() } else { format!("{dir}/_index.md") };
    let title = match model {
        Some(m) => m.front.title.clone(),
        None if dir.is_empty() => config.title_in(&lang).to_string(),
        None => dir.rsplit('/').next().unwrap_or_default().to_string(),
    };
    let front = FrontMatter { title, weight: model.and_then(|m| m.front.weight), kind: model.and_then(|m| m.front.kind), ..FrontMatter::default() };
    let slug = slug_of_name(dir.rsplit('/').next().unwrap_or_default());
    let lang_suffix = crate::util::url::language_suffix(&lang, &config.default_language);
    Document {
        file: Path::new("content").join(&dir),
        rel: rel.replace("_index.md", &format!("_index{lang_suffix}.md")),
        key: rel,
        source: Arc::from(""),
        body: 0,
        kind: front.kind.unwrap_or(Kind::Page),
        front,
        lang,
        slug,
        path: String::new(),
        is_section: true,
        synthetic: true,
        dir,
        parent: None,
        pages: Vec::new(),
        subsections: Vec::new(),
        campaign: None,
    }
}

/// A page's parent is the section of its folder; a section's, the section
/// of the folder above (a home has none); both in the document's language.
fn set_parents(docs: &mut [Document], sections: &Sections) {
    for d in docs {
        let parent_dir_of = if d.is_section {
            if d.dir.is_empty() {
                None
            } else {
                Some(parent_dir(&d.dir).to_string())
            }
        } else {
            Some(d.dir.clone())
        };
        d.parent = parent_dir_of.and_then(|p| sections.get(&(d.lang.clone(), p)).copied());
    }
}

/// URL paths, top-down: a home's is `/` (`/<lang>/` in a language other than
/// the default), a section's or page's is its parent's and its slug.
fn set_paths(docs: &mut [Document], sections: &Sections, config: &Config) {
    // Sections first, a folder before its subfolders, so that a parent's path is known.
    for ((lang, dir), &id) in sections {
        let prefix = config.language_path(lang, "");
        docs[id].path = if dir.is_empty() {
            prefix
        } else {
            let parent = docs[id].parent.map(|p| docs[p].path.clone()).unwrap_or(prefix);
            format!("{parent}{}/", docs[id].slug)
        };
    }
    for id in 0..docs.len() {
        if !docs[id].is_section {
            let parent = docs[id].parent.map(|p| docs[p].path.clone()).unwrap_or_default();
            docs[id].path = format!("{parent}{}/", docs[id].slug);
        }
    }
}

/// An error for each document whose URL path an earlier one already has.
fn url_clashes(docs: &[Document]) -> Vec<Error> {
    let mut errors = Vec::new();
    let mut by_path: HashMap<&str, DocId> = HashMap::new();
    for (id, d) in docs.iter().enumerate() {
        if let Some(&other) = by_path.get(d.path.as_str()) {
            errors.push(
                Error::in_file(&d.file, format!("URL `{}` is already used by {}", d.path, docs[other].file.display()))
                    .with_help("give one of them another `slug`"),
            );
        } else {
            by_path.insert(&d.path, id);
        }
    }
    errors
}

/// Lists each section's pages and subsections, in their reading order.
fn attach_children(docs: &mut [Document]) {
    for id in 0..docs.len() {
        if let Some(p) = docs[id].parent {
            if docs[id].is_section {
                docs[p].subsections.push(id);
            } else {
                docs[p].pages.push(id);
            }
        }
    }
    for id in 0..docs.len() {
        let mut pages = std::mem::take(&mut docs[id].pages);
        pages.sort_by(|&a, &b| page_order(&docs[a], &docs[b]));
        docs[id].pages = pages;
        let mut subs = std::mem::take(&mut docs[id].subsections);
        subs.sort_by(|&a, &b| section_order(&docs[a], &docs[b]));
        docs[id].subsections = subs;
    }
}

/// The linked documents, indexed by file, by key and language, and by language for the homes.
fn index(docs: Vec<Document>) -> Content {
    let mut content = Content::default();
    for (id, d) in docs.iter().enumerate() {
        content.by_rel.insert(d.rel.clone(), id);
        content.by_key.insert((d.key.clone(), d.lang.clone()), id);
        if d.is_section && d.dir.is_empty() {
            content.homes.insert(d.lang.clone(), id);
        }
    }
    content.docs = docs;
    content
}

/// Weight first (unweighted last), then newest date, then title.
fn page_order(a: &Document, b: &Document) -> std::cmp::Ordering {
    let weight = |d: &Document| d.front.weight.unwrap_or(i64::MAX);
    weight(a)
        .cmp(&weight(b))
        .then_with(|| b.front.date.cmp(&a.front.date))
        .then_with(|| a.front.title.cmp(&b.front.title))
        .then_with(|| a.rel.cmp(&b.rel))
}

/// Weight first (unweighted last), then title.
fn section_order(a: &Document, b: &Document) -> std::cmp::Ordering {
    (a.front.weight.unwrap_or(i64::MAX), &a.front.title).cmp(&(b.front.weight.unwrap_or(i64::MAX), &b.front.title))
}

/// Assets are served from their folder's URL in the default language.
fn place_assets(content: &Content, raw: Vec<(PathBuf, String)>, config: &Config) -> Vec<Asset> {
    raw.into_iter()
        .map(|(file, rel)| {
            let dir = parent_dir(&rel);
            let name = rel.rsplit('/').next().unwrap_or(&rel);
            let key = if dir.is_empty() { "_index.md".to_string() } else { format!("{dir}/_index.md") };
            let base = content
                .by_key
                .get(&(key, config.default_language.clone()))
                .map(|&id| content.docs[id].path.clone())
                .unwrap_or_else(|| format!("/{dir}/").replace("//", "/"));
            Asset { file, path: format!("{base}{name}"), rel }
        })
        .collect()
}

/// What reading one document again changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reloaded {
    /// Only the Markdown body.
    Body,
    /// The front matter too (title, dates, campaign posts…), and the
    /// document kept its place among its neighbours.
    FrontMatter,
    /// The front matter, and its section's order changed (a weight, date or
    /// title moved it): every neighbour's previous/next links may differ.
    Reordered,
    /// Its URL, language, kind, draft state or aliases: the content must be
    /// loaded again whole (nothing was changed).
    Structure,
}

/// Reads the file of document `id` again after an edit and updates it in
/// place, keeping its place in the section tree.
pub fn reload_document(root: &Path, content: &mut Content, id: DocId, config: &Config) -> Result<Reloaded> {
    let old = &content.docs[id];
    if old.synthetic {
        return Ok(Reloaded::Structure);
    }
    let name = old.rel.rsplit('/').next().unwrap_or(&old.rel);
    let stem = name.strip_suffix(".md").unwrap_or(name);
    let stem = stem.strip_suffix(&format!(".{}", old.lang)).unwrap_or(stem);
    let found = Found { rel: old.rel.clone(), dir: old.dir.clone(), stem: stem.to_string(), lang: old.lang.clone(), is_section: old.is_section };
    let (new, problems) = parse_file(root, &found, (!old.is_section).then_some(old.kind)).map_err(|(e, _)| Errors::from(e))?;
    if !problems.is_empty() {
        return Err(problems.into());
    }
    let moved = new.slug != old.slug
        || new.kind != old.kind
        || new.front.kind != old.front.kind
        || new.front.draft != old.front.draft
        || new.front.aliases != old.front.aliases
        || new.front.campaign != old.front.campaign
        // What the embargo holds back is decided when the content is loaded whole.
        || new.front.embargo != old.front.embargo
        || new.front.starts != old.front.starts;
    if moved {
        return Ok(Reloaded::Structure);
    }
    let front_changed = old.source[..old.body] != new.source[..new.body];
    let doc = &mut content.docs[id];
    doc.source = new.source;
    doc.body = new.body;
    doc.front = new.front;
    // Its translations may take their dates from it.
    let errors = super::campaign::resolve_all(&mut content.docs, &content.assets, config);
    if !errors.is_empty() {
        return Err(errors.into());
    }
    super::embargo::hold_back_posts(&mut content.docs, &mut content.held_back);
    if !front_changed {
        return Ok(Reloaded::Body);
    }
    // Title, weight or date may have moved it within its section.
    let Some(parent) = content.docs[id].parent else { return Ok(Reloaded::FrontMatter) };
    let mut pages = content.docs[parent].pages.clone();
    pages.sort_by(|&a, &b| page_order(&content.docs[a], &content.docs[b]));
    let mut subs = content.docs[parent].subsections.clone();
    subs.sort_by(|&a, &b| section_order(&content.docs[a], &content.docs[b]));
    let parent = &mut content.docs[parent];
    if parent.pages == pages && parent.subsections == subs {
        return Ok(Reloaded::FrontMatter);
    }
    parent.pages = pages;
    parent.subsections = subs;
    Ok(Reloaded::Reordered)
}
