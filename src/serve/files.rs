//! The site `chorus serve` serves, held in memory: every rendered file by its
//! path, updated in place after an incremental rebuild or swapped whole after
//! a full one. Nothing is written to disk.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use axum::body::Bytes;

use crate::render::{Body, Output};

/// One served file.
#[derive(Debug, Clone)]
pub enum File {
    /// Rendered or static bytes.
    Bytes(Bytes),
    /// A hub file (an image under `content/`), read when asked for, so that an
    /// edit of it shows without a rebuild.
    Disk(PathBuf),
}

/// What a request path resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// A file, by its path in the site.
    Found(String),
    /// A folder asked for without its trailing slash: redirect here.
    Redirect(String),
    /// Nothing: the 404 page of this path (the language's, else the default).
    NotFound(Option<String>),
}

/// The served site.
#[derive(Debug, Default)]
pub struct Files {
    files: HashMap<String, File>,
}

impl Files {
    /// Turns rendered outputs into served files (`root` resolves hub files).
    pub fn from_outputs(root: &Path, outputs: Vec<Output>) -> Files {
        let mut files = Files::default();
        files.update(root, outputs);
        files
    }

    /// Adds or replaces files.
    pub fn update(&mut self, root: &Path, outputs: Vec<Output>) {
        for o in outputs {
            let file = match o.body {
                Body::Bytes(b) => File::Bytes(Bytes::from(b)),
                Body::Shared(b) => File::Bytes(Bytes::copy_from_slice(&b)),
                Body::File(f) => File::Disk(root.join(f)),
            };
            self.files.insert(o.path, file);
        }
    }

    /// Replaces one file's bytes.
    pub fn put(&mut self, path: &str, bytes: Bytes) {
        self.files.insert(path.to_string(), File::Bytes(bytes));
    }

    /// The file at a site path (`a/b/index.html`).
    pub fn get(&self, path: &str) -> Option<&File> {
        self.files.get(path)
    }

    /// Resolves a decoded URL path (`/formation/`, `/style.css`, `/en/faq`).
    pub fn lookup(&self, url_path: &str) -> Lookup {
        let rel = url_path.trim_start_matches('/');
        if rel.split('/').any(|segment| segment == "..") {
            return Lookup::NotFound(None);
        }
        if rel.is_empty() || rel.ends_with('/') {
            let index = format!("{rel}index.html");
            if self.files.contains_key(&index) {
                return Lookup::Found(index);
            }
        } else if self.files.contains_key(rel) {
            return Lookup::Found(rel.to_string());
        } else if self.files.contains_key(&format!("{rel}/index.html")) {
            return Lookup::Redirect(format!("/{rel}/"));
        }
        let lang_404 = rel.split_once('/').map(|(first, _)| format!("{first}/404.html")).filter(|p| self.files.contains_key(p));
        Lookup::NotFound(lang_404.or_else(|| self.files.contains_key("404.html").then(|| "404.html".to_string())))
    }
}

/// The `Content-Type` of a site path.
pub fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    match mime.type_() {
        mime_guess::mime::TEXT => format!("{mime}; charset=utf-8"),
        _ if mime.subtype() == mime_guess::mime::JAVASCRIPT || mime.subtype() == mime_guess::mime::JSON => {
            format!("{mime}; charset=utf-8")
        }
        _ => mime.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(paths: &[&str]) -> Files {
        let outputs = paths.iter().map(|p| Output { path: p.to_string(), body: Body::Bytes(p.as_bytes().to_vec()) }).collect();
        Files::from_outputs(Path::new("/hub"), outputs)
    }

    #[test]
    fn folders_serve_their_index_and_misses_their_language_404() {
        let f = files(&["index.html", "faq/index.html", "style.css", "404.html", "en/404.html", "en/index.html"]);
        assert_eq!(f.lookup("/"), Lookup::Found("index.html".into()));
        assert_eq!(f.lookup("/faq/"), Lookup::Found("faq/index.html".into()));
        assert_eq!(f.lookup("/faq"), Lookup::Redirect("/faq/".into()));
        assert_eq!(f.lookup("/style.css"), Lookup::Found("style.css".into()));
        assert_eq!(f.lookup("/en/nothing/"), Lookup::NotFound(Some("en/404.html".into())));
        assert_eq!(f.lookup("/nothing"), Lookup::NotFound(Some("404.html".into())));
        assert_eq!(f.lookup("/../etc/passwd"), Lookup::NotFound(None));
    }

    #[test]
    fn content_types_carry_a_charset_for_text() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("chorus.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("logo.svg"), "image/svg+xml");
        assert_eq!(content_type("photo.jpg"), "image/jpeg");
    }
}
