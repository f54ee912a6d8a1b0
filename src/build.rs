//! `chorus build`: load → render → write, with the write made atomic.
//!
//! Everything is rendered in memory first; files are then written (and
//! minified) in parallel into a temporary folder next to the output, which is
//! swapped in only when every file is written. Any error leaves the previous
//! output exactly as it was. The output folder is checked first: a build
//! replaces only what an earlier build wrote (see [`output`]).

mod output;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::diagnostics::{Error, Result};
use crate::hub::{Hub, HubOptions};
use crate::render::{Body, Output};

/// How to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// How to load the hub.
    pub hub: HubOptions,
    /// Where to write; default: `<root>/public`.
    pub output: Option<PathBuf>,
    /// Turn minification off even when hub.yaml has it on.
    pub no_minify: bool,
    /// Replace the output folder even when it is not empty and holds no earlier output.
    pub force: bool,
}

/// What a build did, for the one-line summary.
#[derive(Debug)]
pub struct Summary {
    /// Sections and pages rendered.
    pub pages: usize,
    /// Files written.
    pub files: usize,
    /// Where.
    pub output: PathBuf,
    /// How long it took.
    pub elapsed: Duration,
    /// How long each stage took (`load`, `render`, `write`), for `-v`.
    pub stages: Vec<(&'static str, Duration)>,
    /// Lint warnings (the build succeeded).
    pub warnings: Vec<Error>,
    /// The next day a build gives a different output (a status, phase or embargo changes).
    pub next_change: Option<chrono::NaiveDate>,
    /// What the search index holds, when there is one.
    pub search: Option<crate::search::Stats>,
}

/// A progress bar on a terminal, nothing otherwise.
#[derive(Debug, Clone)]
pub struct Progress(Option<ProgressBar>);

impl Progress {
    /// A bar drawn on stderr when it is a terminal and `enabled`.
    pub fn new(enabled: bool) -> Progress {
        if !enabled || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            return Progress(None);
        }
        let bar = ProgressBar::new_spinner();
        bar.set_style(ProgressStyle::with_template("{spinner} {msg} {pos} files").unwrap_or_else(|_| ProgressStyle::default_spinner()));
        bar.enable_steady_tick(Duration::from_millis(80));
        Progress(Some(bar))
    }

    /// A bar that draws nothing.
    pub fn hidden() -> Progress {
        Progress(None)
    }

    /// Names the current stage.
    /// The number of files is known only once they are all rendered, so the
    /// bar counts them rather than showing a fraction.
    pub fn stage(&self, message: &'static str) {
        if let Some(bar) = &self.0 {
            bar.set_message(message);
            bar.set_position(0);
        }
    }

    fn inc(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

/// Builds the hub at `root`.
pub fn build(root: &Path, options: &BuildOptions, progress: &Progress) -> Result<Summary> {
    let started = Instant::now();
    let output = options.output.clone().unwrap_or_else(|| root.join("public"));
    output::check(root, &output, options.force)?;
    let mut stages = Vec::new();
    let mut lap = Instant::now();
    let mut record = |name: &'static str| {
        stages.push((name, lap.elapsed()));
        lap = Instant::now();
    };
    progress.stage("loading");
    let mut hub = Hub::load(root, &options.hub)?;
    record("load, render Markdown, share engine");
    progress.stage(if hub.config.build.search { "rendering, writing and indexing" } else { "rendering and writing" });
    let minify = hub.config.build.minify && !options.no_minify;
    let search = hub.config.build.search;
    let mut took = (Duration::ZERO, Duration::ZERO);
    let mut index = None;
    let files = write_atomically(&output, |staging| {
        let sink = |o: Output| {
            progress.inc();
            write_one(&hub.root, &o, staging, minify)
        };
        let render = || {
            let started = Instant::now();
            hub.render(&sink).map(|files| (files, started.elapsed()))
        };
        // The index is made from the loaded Markdown, not from the written
        // pages, so it needs not wait for them: both run on rayon's pool, and
        // each of the index's files is written as soon as it is made.
        let index_pages = || -> std::result::Result<Option<(crate::search::Stats, Duration)>, Error> {
            if !search {
                return Ok(None);
            }
            let started = Instant::now();
            let stats =
                crate::search::build(&crate::search::pages(&hub.content.docs), &|path, bytes| sink(Output { path, body: Body::Bytes(bytes) }))?;
            Ok(Some((stats, started.elapsed())))
        };
        let (rendered, indexed) = rayon::join(render, index_pages);
        let (mut files, rendering) = rendered?;
        took.0 = rendering;
        if let Some((stats, indexing)) = indexed? {
            files += stats.files;
            took.1 = indexing;
            index = Some(stats);
        }
        Ok(files)
    })?;
    stages.push((if minify { "render, minify and write" } else { "render and write" }, took.0));
    if index.is_some() {
        stages.push(("search index, alongside", took.1));
    }
    let warnings = std::mem::take(&mut hub.shares.warnings);
    let next_change = hub.content.held_back.next_change;
    Ok(Summary { pages: hub.page_count(), files, output, elapsed: started.elapsed(), stages, warnings, next_change, search: index })
}

/// Runs `write` on a fresh staging folder beside `output`, marks it as a
/// build's output, then swaps it in; if `write` fails, the staging folder is
/// removed and `output` is untouched. Staging folders of builds that were
/// killed are removed first.
pub fn write_atomically<T>(output: &Path, write: impl FnOnce(&Path) -> Result<T>) -> Result<T> {
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = output.file_name().map_or_else(|| "public".into(), |n| n.to_string_lossy().to_string());
    fs::create_dir_all(&parent).map_err(|e| Error::in_file(&parent, format!("cannot create the output folder: {e}")))?;
    output::remove_leftovers(&parent, &name);
    let staging = parent.join(format!(".{name}.building-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(&staging).map_err(|e| Error::in_file(&staging, format!("cannot create: {e}")))?;
    let marked: Result<()> = fs::write(staging.join(output::MARKER), output::MARKER_TEXT)
        .map_err(|e| Error::in_file(staging.join(output::MARKER), format!("cannot write: {e}")).into());
    match marked.and_then(|()| write(&staging)) {
        Ok(value) => {
            swap(&staging, output, &parent, &name)?;
            Ok(value)
        }
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            Err(e)
        }
    }
}

fn write_one(root: &Path, output: &Output, staging: &Path, minify: bool) -> std::result::Result<(), Error> {
    refuse_deep_html(root, output)?;
    let path = staging.join(&output.path);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| Error::in_file(dir, format!("cannot create: {e}")))?;
    }
    let io = |e: std::io::Error| Error::in_file(&output.path, format!("cannot write: {e}"));
    match &output.body {
        Body::File(source) => {
            fs::copy(root.join(source), &path).map_err(|e| Error::in_file(source, format!("cannot copy: {e}")))?;
        }
        Body::Bytes(bytes) => fs::write(&path, minified(&output.path, bytes, minify).as_ref()).map_err(io)?,
        Body::Shared(bytes) => fs::write(&path, minified(&output.path, bytes, minify).as_ref()).map_err(io)?,
    }
    Ok(())
}

/// An HTML file copied rather than rendered from Markdown (a static file, a
/// file next to a page) nested deeper than [`depth::MAX_DEPTH`] is an error,
/// as a page is: minify-html would overflow its stack on it, and the search
/// index would take minutes.
fn refuse_deep_html(root: &Path, output: &Output) -> std::result::Result<(), Error> {
    use crate::markdown::depth;
    if !output.path.ends_with(".html") {
        return Ok(());
    }
    let (shown, bytes) = match &output.body {
        Body::Bytes(_) => return Ok(()),
        Body::Shared(bytes) => (PathBuf::from(&output.path), std::borrow::Cow::Borrowed(&bytes[..])),
        Body::File(source) => match fs::read(root.join(source)) {
            Ok(bytes) => (source.clone(), std::borrow::Cow::Owned(bytes)),
            Err(_) => return Ok(()), // The copy reports it.
        },
    };
    let text = String::from_utf8_lossy(&bytes);
    let Some(at) = depth::html_too_deep_at(&text) else { return Ok(()) };
    let (line, column) = crate::diagnostics::line_col(&text, at);
    let mut error = Error::in_file(&shown, format!("this HTML file nests elements more than {} levels deep", depth::MAX_DEPTH))
        .with_help(format!("the minifier and the search index take {} levels at most; flatten the file", depth::MAX_DEPTH));
    error.location = Some(crate::diagnostics::Location { file: shown, line, column });
    Err(error)
}

/// HTML through minify-html (with the CSS and JS inside it), CSS and JS files
/// through rustdoc's minifier; anything else as is.
fn minified<'a>(path: &str, bytes: &'a [u8], minify: bool) -> std::borrow::Cow<'a, [u8]> {
    use std::borrow::Cow;
    // Pagefind's bundle ships minified already (and is ES modules, which the JS minifier is not for).
    if !minify || path.starts_with(crate::search::BUNDLE) {
        return Cow::Borrowed(bytes);
    }
    let ext = path.rsplit('.').next().unwrap_or_default();
    match ext {
        "html" => {
            let mut cfg = minify_html::Cfg::new();
            cfg.minify_css = true;
            cfg.minify_js = true;
            cfg.keep_html_and_head_opening_tags = true;
            Cow::Owned(minify_html::minify(bytes, &cfg))
        }
        "css" => match std::str::from_utf8(bytes).ok().and_then(|s| minifier::css::minify(s).ok()) {
            Some(m) => Cow::Owned(m.to_string().into_bytes()),
            None => Cow::Borrowed(bytes),
        },
        "js" => match std::str::from_utf8(bytes) {
            Ok(s) => Cow::Owned(minifier::js::minify(s).to_string().into_bytes()),
            Err(_) => Cow::Borrowed(bytes),
        },
        _ => Cow::Borrowed(bytes),
    }
}

/// Puts `staging` in place of `output`; the old output is removed only once the new one is in.
fn swap(staging: &Path, output: &Path, parent: &Path, name: &str) -> Result<()> {
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let had_old = output.exists();
    if had_old {
        let _ = fs::remove_dir_all(&old);
        fs::rename(output, &old).map_err(|e| {
            let _ = fs::remove_dir_all(staging);
            Error::in_file(output, format!("cannot move the previous output aside: {e}"))
        })?;
    }
    if let Err(e) = fs::rename(staging, output) {
        if had_old {
            let _ = fs::rename(&old, output);
        }
        let _ = fs::remove_dir_all(staging);
        return Err(Error::in_file(output, format!("cannot move the new output in place: {e}")).into());
    }
    if had_old {
        remove_tree(&old);
    }
    Ok(())
}

/// Removes a folder, its top-level entries in parallel (a big hub's old output
/// is tens of thousands of folders).
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    if let Ok(entries) = fs::read_dir(dir) {
        let entries: Vec<_> = entries.filter_map(std::result::Result::ok).collect();
        entries.par_iter().for_each(|e| {
            let path = e.path();
            let _ = if e.file_type().is_ok_and(|t| t.is_dir()) { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
        });
    }
    let _ = fs::remove_dir_all(dir);
}

/// What `chorus check` found in a hub that builds.
#[derive(Debug)]
pub struct Checked {
    /// Sections and pages.
    pub pages: usize,
    /// Lint warnings.
    pub warnings: Vec<Error>,
    /// The next day a build gives a different output.
    pub next_change: Option<chrono::NaiveDate>,
}

/// `chorus check`: everything `build` validates, without writing.
pub fn check(root: &Path, options: &HubOptions) -> Result<Checked> {
    let mut hub = Hub::load(root, options)?;
    hub.render(&|o| refuse_deep_html(&hub.root, &o))?;
    let warnings = std::mem::take(&mut hub.shares.warnings);
    Ok(Checked { pages: hub.page_count(), warnings, next_change: hub.content.held_back.next_change })
}
