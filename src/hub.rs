//! A hub loaded in memory: configuration, theme, content and rendered Markdown.
//!
//! `chorus build` and `chorus check` load a [`Hub`] once; `chorus serve` keeps
//! it and re-renders only what a change touches.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, Content, LoadOptions};
use crate::diagnostics::{Error, Result};
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
    /// "Today" for campaign status; default: today in the hub's time zone.
    pub now: Option<NaiveDate>,
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
}

impl Hub {
    /// Loads the hub at `root`: configuration, theme and content, then renders
    /// every Markdown body in parallel. All errors found are returned together.
    pub fn load(root: &Path, options: &HubOptions) -> Result<Hub> {
        let mut config = Config::load(root)?;
        if let Some(base_url) = &options.base_url {
            url::Url::parse(base_url)
                .map_err(|e| Error::new(format!("--base-url `{base_url}` is not a valid URL: {e}")))?;
            config.base_url = base_url.trim_end_matches('/').to_string();
        }
        let theme = Theme::load(root, &config)?;
        let highlighter = Highlighter::new(&config.build.highlight_theme, &config.build.highlight_theme_dark)
            .map_err(|e| Error::in_file(crate::config::FILE_NAME, e).with_help("set `build.highlight_theme` and `build.highlight_theme_dark` to themes from the list"))?;
        let content = content::load(root, &config, &LoadOptions { drafts: options.drafts })?;
        let now = options
            .now
            .unwrap_or_else(|| chrono::Utc::now().with_timezone(&config.tz()).date_naive());
        let mut hub = Hub {
            root: root.to_path_buf(),
            config,
            theme,
            content,
            rendered: Vec::new(),
            now,
            highlighter,
            shares: Shares::default(),
        };
        hub.rendered = hub.render_markdown()?;
        let generated = match options.now {
            Some(day) => format!("{}T00:00:00Z", day.format("%Y-%m-%d")),
            None => chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        };
        hub.shares = share::compute(&hub.content, &hub.config, &hub.rendered, hub.now, generated)?;
        Ok(hub)
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

    fn render_markdown(&self) -> Result<Vec<Rendered>> {
        let labels = self.labels();
        let base_path = self.config.base_path();
        let env = Env { content: &self.content, highlighter: &self.highlighter, labels: &labels, base_path: &base_path };
        // Outlines only: each page's full HTML is rendered when the page is (see `render`).
        let results: Vec<std::result::Result<Rendered, Vec<Error>>> =
            self.content.docs.par_iter().map(|doc| markdown::outline(doc, &env)).collect();
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
        // Anchors can be checked only once every page's headings are known.
        for (id, r) in rendered.iter().enumerate() {
            let doc = &self.content.docs[id];
            // A page that failed to render has no headings to check against.
            for link in r.anchor_links.iter().filter(|l| !failed[l.target]) {
                if !rendered[link.target].anchors.iter().any(|a| *a == link.anchor) {
                    let target = &self.content.docs[link.target];
                    let known = rendered[link.target].anchors.iter().map(String::as_str);
                    let help = match crate::diagnostics::did_you_mean(&link.anchor, known) {
                        Some(close) => format!("did you mean `#{close}`?"),
                        None => format!("`{}` has no heading with this id", target.file.display()),
                    };
                    errors.push(
                        Error::at(&doc.file, &doc.source, link.span.start, link.span.len(), format!("broken anchor `#{}` in a link to `{}`", link.anchor, target.rel))
                            .with_help(help),
                    );
                }
            }
        }
        if errors.is_empty() { Ok(rendered) } else { Err(errors.into()) }
    }

    /// Renders every output file, handing each to `sink` as soon as it is ready
    /// (so a big hub is never held in memory whole). Returns the number of files.
    pub fn render(&self, sink: &render::Sink<'_>) -> Result<usize> {
        let base_path = self.config.base_path();
        let labels = self.labels();
        let env = Env { content: &self.content, highlighter: &self.highlighter, labels: &labels, base_path: &base_path };
        let highlight_css = self.highlighter.stylesheet();
        let site = Site {
            config: &self.config,
            content: &self.content,
            rendered: &self.rendered,
            markdown: &env,
            now: self.now,
            base_path: &base_path,
            highlight_css: &highlight_css,
            shares: &self.shares,
        };
        render::render_site(&site, &self.theme, sink)
    }

    /// Lint warnings: printed, they do not fail the build.
    pub fn warnings(&self) -> &[Error] {
        &self.shares.warnings
    }

    /// Number of pages and sections.
    pub fn page_count(&self) -> usize {
        self.content.docs.len()
    }
}
