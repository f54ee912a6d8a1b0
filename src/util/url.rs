//! The hub's own URLs: the http(s) check every URL a user writes goes
//! through, the hub's base URL parsed once, and the path a language gives a
//! page. Templates, feeds, the sitemap, the calendar, Markdown links and
//! `chorus serve` build their URLs from these.

use serde::{Serialize, Serializer};

/// Why a URL is not an absolute http(s) URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotHttp {
    /// It does not parse as an absolute URL.
    Unparsable(::url::ParseError),
    /// Its scheme (named) is neither http nor https.
    Scheme(String),
}

/// `text` parsed as an absolute URL whose scheme is http or https.
pub fn http_url(text: &str) -> Result<::url::Url, NotHttp> {
    let url = ::url::Url::parse(text).map_err(NotHttp::Unparsable)?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(NotHttp::Scheme(url.scheme().to_string()));
    }
    Ok(url)
}

/// Where the hub is served (`base_url`): its origin and its path, split once.
///
/// The URL is kept as written, without its trailing `/`; the path is the
/// parsed one (`""` at the root, `/hub` below it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BaseUrl {
    written: String,
    origin: String,
    path: String,
    host: Option<String>,
}

impl BaseUrl {
    /// Parses a base URL, which must be an absolute http(s) URL.
    pub fn parse(text: &str) -> Result<BaseUrl, NotHttp> {
        let url = http_url(text)?;
        let written = text.trim_end_matches('/').to_string();
        let path = url.path().trim_end_matches('/').to_string();
        let origin = written.strip_suffix(path.as_str()).unwrap_or(&written).to_string();
        Ok(BaseUrl { origin, path, host: url.host_str().map(str::to_string), written })
    }

    /// The URL as written, without a trailing slash (`https://x.example/hub`).
    pub fn as_str(&self) -> &str {
        &self.written
    }

    /// The path part, without a trailing slash (`""` when served at the root).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The host, if the URL has one.
    pub fn host(&self) -> Option<&str> {
        self.host.as_deref()
    }

    /// The root-relative URL of a site path (`/a/` → `/hub/a/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.path)
    }

    /// The absolute URL of a site path (`/a/` → `https://x.example/hub/a/`).
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.origin, self.url(path))
    }
}

impl std::fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.written)
    }
}

impl Serialize for BaseUrl {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.written)
    }
}

/// The site path of `rest` in a language: `/{rest}` in the default
/// language, `/{lang}/{rest}` in another (`rest` is `""` for its home).
pub fn language_path(lang: &str, default_language: &str, rest: &str) -> String {
    if lang == default_language {
        format!("/{rest}")
    } else {
        format!("/{lang}/{rest}")
    }
}

/// What a language adds to a content file's name: nothing in the default
/// language, `.{lang}` in another (`page.en.md`).
pub fn language_suffix(lang: &str, default_language: &str) -> String {
    if lang == default_language {
        String::new()
    } else {
        format!(".{lang}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_are_http_urls() {
        assert!(http_url("https://x.example/a").is_ok());
        assert!(http_url("http://x.example").is_ok());
        assert_eq!(http_url("ftp://x").unwrap_err(), NotHttp::Scheme("ftp".into()));
        assert!(matches!(http_url("hub"), Err(NotHttp::Unparsable(_))));
    }

    #[test]
    fn permalink_at_the_root_in_the_default_language() {
        let base = BaseUrl::parse("https://x.example/").unwrap();
        assert_eq!(base.path(), "");
        assert_eq!(base.as_str(), "https://x.example");
        let path = language_path("fr", "fr", "campagnes/salon/");
        assert_eq!(path, "/campagnes/salon/");
        assert_eq!(base.url(&path), "/campagnes/salon/");
        assert_eq!(base.permalink(&path), "https://x.example/campagnes/salon/");
        assert_eq!(base.permalink(&language_path("fr", "fr", "")), "https://x.example/");
    }

    #[test]
    fn permalink_in_another_language() {
        let base = BaseUrl::parse("https://x.example").unwrap();
        let path = language_path("en", "fr", "campaigns/fair/");
        assert_eq!(path, "/en/campaigns/fair/");
        assert_eq!(base.permalink(&path), "https://x.example/en/campaigns/fair/");
        assert_eq!(base.permalink(&language_path("en", "fr", "")), "https://x.example/en/");
        assert_eq!(language_suffix("en", "fr"), ".en");
        assert_eq!(language_suffix("fr", "fr"), "");
    }

    #[test]
    fn permalink_below_a_base_path() {
        let base = BaseUrl::parse("https://x.example/hub/").unwrap();
        assert_eq!(base.as_str(), "https://x.example/hub");
        assert_eq!(base.path(), "/hub");
        assert_eq!(base.host(), Some("x.example"));
        let path = language_path("en", "fr", "404.html");
        assert_eq!(base.url(&path), "/hub/en/404.html");
        assert_eq!(base.permalink(&path), "https://x.example/hub/en/404.html");
        assert_eq!(base.permalink("/"), "https://x.example/hub/");
    }
}
