//! A hub loaded in memory: configuration, theme, content and rendered Markdown.
//!
//! `chorus build` and `chorus check` load a [`Hub`] once; `chorus serve` keeps
//! it and re-renders only what a change touches.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, Content, DocId, LoadOptions, Reloaded};
use crate::diagnostics::{Error, Errors, Result};
use crate::markdown::{self, Env, Highlighter, Labels, Rendered};
use crate::render::{self, Site};
use crate::share::{self, Shares};
use crate::theme::Theme;

/// How to load a hub.
#[derive(Debug, Clone, Default)]
pub struct HubOptions {
    /// Include drafts.
    pub drafts: bool,
    /// Replace `base_url` from hub.yaml (e.g. for a preview deployment).
    pub base_url: Option<String>,
    /// "Today" for campaign status, posts' phases and embargoes; default: today in the hub's time zone.
    pub now: Option<NaiveDate>,
    /// Replace `tracker.url` from hub.yaml (`chorus serve`'s embedded tracker).
    pub tracker_url: Option<String>,
}

/// A hub, loaded and with its Markdown rendered.
#[derive(Debug)]
pub struct Hub {
    /// The hub's root folder.
    pub root: PathBuf,
    /// `hub.yaml`.
    pub config: Config,
    /// Templates, static files and UI strings.
    pub theme: Theme,
    /// Sections and pages.
    pub content: Content,
    /// Rendered Markdown of each document, by id.
    pub rendered: Vec<Rendered>,
    /// "Today".
    pub now: NaiveDate,
    /// Keeps highlighted code between renders.
    pub highlighter: Highlighter,
    /// Every campaign's posts and the link manifest.
    pub shares: Shares,
    /// The links manifest's timestamp.
    generated: String,
}

impl Hub {
    /// Loads the hub at `root`: configuration, theme and content, then renders
    /// every Markdown body in parallel and runs the share engine. Each stage
    /// goes on past the files an earlier one could not take, so every
    /// independent error of every file is returned together.
    pub fn load(root: &Path, options: &HubOptions) -> Result<Hub> {
        let mut config = Config::load(root)?;
        if let Some(base_url) = &options.base_url {
            config.override_base_url(base_url)?;
        }
        if let Some(url) = &options.tracker_url {
            config.tracker.url = Some(url.trim_end_matches('/').to_string());
        }
        let theme = Theme::load(root, &config)?;
        let highlighter = Highlighter::new(&config.build.highlight_theme, &config.build.highlight_theme_dark).map_err(|e| {
            Error::in_file(crate::config::FILE_NAME, e)
                .with_help("set `build.highlight_theme` and `build.highlight_theme_dark` to themes from the list")
        })?;
        let now = options.now.unwrap_or_else(|| chrono::Utc::now().with_timezone(&config.tz()).date_naive());
        let (content, mut errors) = content::load(root, &config, &LoadOptions { drafts: options.drafts, now: Some(now) });
        let mut hub = Hub {
            root: root.to_path_buf(),
            config,
            theme,
            content,
            rendered: Vec::new(),
            now,
            highlighter,
            shares: Shares::default(),
            generated: String::new(),
        };
        let (rendered, markdown_errors) = hub.render_markdown();
        hub.rendered = rendered;
        errors.extend(markdown_errors);
        let generated = match options.now {
            Some(day) => format!("{}T00:00:00Z", day.format("%Y-%m-%d")),
            None => chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        };
        hub.generated = generated;
        let (mut shares, share_errors) = share::compute(&hub.content, &hub.config, &hub.rendered, hub.now, hub.generated.clone());
        errors.extend(share_errors);
        shares.warnings.splice(0..0, hub.markdown_warnings());
        if !errors.is_empty() {
            // Warnings found on the way are reported with the errors, not lost.
            errors.append(&mut shares.warnings);
            return Err(errors.into());
        }
        hub.shares = shares;
        Ok(hub)
    }

    /// The warnings rendering the Markdown found (links to embargoed campaigns).
    fn markdown_warnings(&self) -> Vec<Error> {
        self.rendered.iter().flat_map(|r| r.warnings.iter().cloned()).collect()
    }

    /// The Markdown labels of each language, from the theme's UI strings.
    fn labels(&self) -> HashMap<String, Labels> {
        self.theme
            .strings
            .iter()
            .map(|(lang, s)| {
                let get = |k: &str| s.get(k).cloned().unwrap_or_else(|| k.to_string());
                let labels = Labels {
                    rule_do: get("rule_do"),
                    rule_dont: get("rule_dont"),
                    quiz_check: get("quiz_check"),
                    quiz_explanation: get("quiz_explanation"),
                    quiz_answer: get("quiz_answer"),
                    share_open_campaign: get("share_open_campaign"),
                };
                (lang.clone(), labels)
            })
            .collect()
    }

    fn env<'a>(&'a self, labels: &'a HashMap<String, Labels>) -> Env<'a> {
        Env { content: &self.content, highlighter: &self.highlighter, labels, base_url: &self.config.base_url }
    }

    /// Every document's Markdown outline, and the errors found in any of them
    /// (a document that failed has an empty outline).
    fn render_markdown(&self) -> (Vec<Rendered>, Vec<Error>) {
        let labels = self.labels();
        let env = self.env(&labels);
        // Outlines only: each page's full HTML is rendered when the page is (see `render`).
        let results: Vec<std::result::Result<Rendered, Vec<Error>>> = self.content.docs.par_iter().map(|doc| markdown::outline(doc, &env)).collect();
        let mut rendered = Vec::with_capacity(results.len());
        let mut errors = Vec::new();
        let mut failed = vec![false; results.len()];
        for (id, r) in results.into_iter().enumerate() {
            match r {
                Ok(r) => rendered.push(r),
                Err(mut e) => {
                    errors.append(&mut e);
                    failed[id] = true;
                    rendered.push(Rendered::default());
                }
            }
        }
        errors.extend(self.broken_anchors(&rendered, &failed));
        (rendered, errors)
    }

    /// Links to a heading that does not exist. Anchors can be checked only
    /// once every page's headings are known; a page that failed to render has
    /// no headings to check against.
    fn broken_anchors(&self, rendered: &[Rendered], failed: &[bool]) -> Vec<Error> {
        let mut errors = Vec::new();
        for (id, r) in rendered.iter().enumerate() {
            let doc = &self.content.docs[id];
            for link in r.anchor_links.iter().filter(|l| !failed[l.target]) {
                if !rendered[link.target].anchors.contains(&link.anchor) {
                    let target = &self.content.docs[link.target];
                    let known = rendered[link.target].anchors.iter().map(String::as_str);
                    let help = match crate::diagnostics::did_you_mean(&link.anchor, known) {
                        Some(close) => format!("did you mean `#{close}`?"),
                        None => format!("`{}` has no heading with this id", target.file.display()),
                    };
                    errors.push(
                        Error::at(
                            &doc.file,
                            &doc.source,
                            link.span.start,
                            link.span.len(),
                            format!("broken anchor `#{}` in a link to `{}`", link.anchor, target.rel),
                        )
                        .with_help(help),
                    );
                }
            }
        }
        errors
    }

    /// Takes in an edit of document `id`'s file: reads it again, renders its
    /// Markdown, checks every anchor and recomputes the share engine. Returns
    /// the documents whose pages show it (itself, its translations, its
    /// sections up to the home, the homes, and its neighbours when its front
    /// matter changed, all of its section when it moved), or `None` when the edit moved it and the hub must be
    /// loaded again whole. On an error the hub may hold the new text in part;
    /// load it again before rendering.
    pub fn update_document(&mut self, id: DocId) -> Result<Option<Vec<DocId>>> {
        let reloaded = content::reload_document(&self.root, &mut self.content, id, &self.config)?;
        if reloaded == Reloaded::Structure {
            return Ok(None);
        }
        let labels = self.labels();
        let outline = markdown::outline(&self.content.docs[id], &self.env(&labels)).map_err(Errors::from)?;
        self.rendered[id] = outline;
        let anchors = self.broken_anchors(&self.rendered, &vec![false; self.rendered.len()]);
        if !anchors.is_empty() {
            return Err(anchors.into());
        }
        let (mut shares, mut errors) = share::compute(&self.content, &self.config, &self.rendered, self.now, self.generated.clone());
        shares.warnings.splice(0..0, self.markdown_warnings());
        if !errors.is_empty() {
            errors.append(&mut shares.warnings);
            return Err(errors.into());
        }
        self.shares = shares;

        let docs = &self.content.docs;
        let languages = self.config.language_codes();
        let mut affected: Vec<DocId> = self.content.translations(id, &languages).collect();
        affected.push(id);
        for &t in affected.clone().iter() {
            let mut up = docs[t].parent;
            while let Some(p) = up {
                affected.push(p);
                up = docs[p].parent;
            }
            let Some(p) = docs[t].parent else { continue };
            match reloaded {
                // Its neighbours show its title in their previous/next links.
                Reloaded::FrontMatter => {
                    let pages = &docs[p].pages;
                    if let Some(i) = pages.iter().position(|&x| x == t) {
                        affected.extend(i.checked_sub(1).map(|j| pages[j]));
                        affected.extend(pages.get(i + 1).copied());
                    }
                }
                Reloaded::Reordered => affected.extend(docs[p].pages.iter().chain(&docs[p].subsections)),
                Reloaded::Body | Reloaded::Structure => {}
            }
        }
        affected.extend(self.content.homes.values());
        affected.sort_unstable();
        affected.dedup();
        Ok(Some(affected))
    }

    /// The document whose file is `file` (relative to the hub root).
    pub fn document_of(&self, file: &Path) -> Option<DocId> {
        let rel = file.strip_prefix("content").ok()?.to_string_lossy().replace('\\', "/");
        self.content.by_rel.get(&rel).copied().filter(|&id| !self.content.docs[id].synthetic)
    }

    /// Renders every output file, handing each to `sink` as soon as it is ready
    /// (so a big hub is never held in memory whole). Returns the number of files.
    pub fn render(&self, sink: &render::Sink<'_>) -> Result<usize> {
        self.render_selection(&render::Selection::All, sink)
    }

    /// Renders the pages of `docs` and the files that list or count pages
    /// (feeds, calendars, sitemap, links manifest), after [`Hub::update_document`].
    pub fn render_documents(&self, docs: &[DocId], sink: &render::Sink<'_>) -> Result<usize> {
        self.render_selection(&render::Selection::Documents(docs), sink)
    }

    fn render_selection(&self, selection: &render::Selection<'_>, sink: &render::Sink<'_>) -> Result<usize> {
        let labels = self.labels();
        let env = self.env(&labels);
        let highlight_css = self.highlighter.stylesheet();
        let site = Site {
            config: &self.config,
            content: &self.content,
            rendered: &self.rendered,
            markdown: &env,
            now: self.now,
            highlight_css: &highlight_css,
            shares: &self.shares,
        };
        render::render_site(&site, &self.theme, selection, sink)
    }

    /// Number of pages and sections.
    pub fn page_count(&self) -> usize {
        self.content.docs.len()
    }
}
