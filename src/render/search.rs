//! The search index: Pagefind's Rust API, fed with every rendered page.
//!
//! Pagefind splits each page's `<main>` into words, folds diacritics and stems
//! them per language (its French and English stemmers), and writes a static
//! index in fragments under `pagefind/` that its small script loads on demand:
//! search works offline on an intranet, with no server. Each page's
//! `<html lang>` puts it in its language's index, so a French page searches
//! French pages and an English page English ones.

use std::sync::Mutex;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use super::{Body, Output};
use crate::diagnostics::Error;

/// Where the index goes in the site.
pub const BUNDLE: &str = "pagefind";

/// An index being built; pages are added as they are rendered, from any thread.
pub struct SearchIndex {
    runtime: tokio::runtime::Runtime,
    index: Mutex<PagefindIndex>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SearchIndex")
    }
}

fn error(e: impl std::fmt::Display) -> Error {
    Error::new(format!("search index: {e}"))
}

impl SearchIndex {
    /// An empty index. Only the `<main data-pagefind-body>` of pages is
    /// indexed (the theme leaves it off the 404, calendar and search pages),
    /// without the ready-made posts (each network repeats the same text, with
    /// QR codes), breadcrumbs, tables of contents and pagers.
    pub fn new() -> Result<SearchIndex, Error> {
        let runtime = crate::util::runtime::current_thread().map_err(error)?;
        let config =
            PagefindServiceConfig::builder().exclude_selectors(vec![".posts".into(), ".breadcrumbs".into(), ".pager".into(), ".toc".into()]).build();
        let index = PagefindIndex::new(Some(config)).map_err(error)?;
        Ok(SearchIndex { runtime, index: Mutex::new(index) })
    }

    /// Adds every HTML file of a written site, parsed in parallel (what
    /// `chorus build` does once the pages are on disk).
    pub fn add_dir(&self, dir: &std::path::Path) -> Result<usize, Error> {
        let mut index = self.index.lock().map_err(|_| error("poisoned"))?;
        self.runtime.block_on(index.add_directory(dir.to_string_lossy().into_owned(), Some("**/*.html".into()))).map_err(error)
    }

    /// Adds a rendered page, by its URL path.
    pub fn add(&self, url: &str, html: &str) -> Result<(), Error> {
        let mut index = self.index.lock().map_err(|_| error("poisoned"))?;
        self.runtime.block_on(index.add_html_file(None, Some(url.to_string()), html.to_string())).map(drop).map_err(|e| error(format!("{url}: {e}")))
    }

    /// Builds the index; its files, under [`BUNDLE`].
    pub fn finish(self) -> Result<Vec<Output>, Error> {
        let SearchIndex { runtime, index } = self;
        let mut index = index.into_inner().map_err(|_| error("poisoned"))?;
        let files = runtime.block_on(index.get_files()).map_err(error)?;
        Ok(files
            .into_iter()
            .map(|f| Output {
                path: format!("{BUNDLE}/{}", f.filename.to_string_lossy().replace('\\', "/").trim_start_matches('/')),
                body: Body::Bytes(f.contents),
            })
            .collect())
    }
}

/// Builds an index from pages already rendered (`chorus serve` does this in
/// the background after a rebuild): (URL path, HTML).
pub fn index<'a>(pages: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Result<Vec<Output>, Error> {
    let index = SearchIndex::new()?;
    for (url, html) in pages {
        index.add(url, &String::from_utf8_lossy(html))?;
    }
    index.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_indexed_per_language() {
        let index = SearchIndex::new().unwrap();
        index
            .add("/a/", "<html lang=\"fr\"><body><main data-pagefind-body><h1>Partager</h1><p>Les réseaux sociaux.</p></main></body></html>")
            .unwrap();
        index.add("/en/a/", "<html lang=\"en\"><body><main data-pagefind-body><h1>Sharing</h1><p>Social networks.</p></main></body></html>").unwrap();
        let files = index.finish().unwrap();
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert!(paths.contains(&"pagefind/pagefind.js"), "{paths:?}");
        assert!(paths.iter().any(|p| p.starts_with("pagefind/wasm.fr")), "a French index: {paths:?}");
        assert!(paths.iter().any(|p| p.starts_with("pagefind/wasm.en")), "an English index: {paths:?}");
    }
}
