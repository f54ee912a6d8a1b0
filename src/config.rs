//! `hub.yaml`: the hub's configuration, with a documented default for every key.
//!
//! Only `title` and `base_url` are required. Unknown keys are errors that name
//! their line and suggest the closest known key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Error;
use crate::link::Network;
use crate::util::url::{self as urls, BaseUrl, NotHttp};
use crate::yaml::{self, Embedded, KeyDepth};

/// The configuration file's name, at the hub's root.
pub const FILE_NAME: &str = "hub.yaml";

/// The keys `hub.yaml` must have; a hub missing several is told all of them at once.
const REQUIRED: [&str; 2] = ["title", "base_url"];

/// The whole of `hub.yaml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The hub's title, in the default language. Required.
    pub title: String,
    /// Where the hub is served, e.g. `https://hub.intranet.example`, parsed
    /// once: from `written_base_url` when the file is read, from `--base-url`
    /// when it replaces it ([`Config::override_base_url`]).
    #[serde(skip_deserializing)]
    pub base_url: BaseUrl,
    /// `base_url` as the file writes it, read by [`Config::parse`] only. Required.
    #[serde(rename = "base_url", skip_serializing)]
    written_base_url: String,
    /// A one-line description used in feeds and meta tags. Default: none.
    #[serde(default)]
    pub description: Option<String>,
    /// The language of `page.md` files. Default: `fr`.
    #[serde(default = "default_language")]
    pub default_language: String,
    /// Every language of the hub with its own title. Default: the default language only.
    #[serde(default, deserialize_with = "yaml::unique_keys")]
    pub languages: BTreeMap<String, LanguageConfig>,
    /// The theme folder under `themes/`. Default: `default` (built into chorus).
    #[serde(default = "default_theme")]
    pub theme: String,
    /// The organisation's name, shown in the header and footer. Default: none.
    #[serde(default)]
    pub organization: Option<String>,
    /// The accent colour of the theme, as a CSS colour. Default: `#0a5bd3`.
    #[serde(default = "default_theme_color")]
    pub theme_color: String,
    /// A logo URL or a path under `static/`. Default: none.
    #[serde(default)]
    pub logo: Option<String>,
    /// The IANA time zone that decides when campaigns start and end. Default: `Europe/Paris`.
    #[serde(default = "default_timezone")]
    pub timezone: String,
    /// The hub's repository on its forge (`https://gitlab.acme.example/comms/hub`):
    /// a policy's versions link to their commits and the file's history
    /// (docs/hub-yaml.md). Default: none.
    #[serde(default)]
    pub repo_url: Option<String>,
    /// The click tracker.
    #[serde(default)]
    pub tracker: TrackerConfig,
    /// The share engine.
    #[serde(default)]
    pub share: ShareConfig,
    /// The build.
    #[serde(default)]
    pub build: BuildConfig,
    /// `chorus digest`'s e-mail (docs/digest.md).
    #[serde(default)]
    pub digest: DigestConfig,
    /// `chorus report`'s settings (docs/report.md).
    #[serde(default)]
    pub report: ReportConfig,
}

/// `report:` settings.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportConfig {
    /// Earned media value: what the human clicks would have cost as ads. Default: none (no EMV shown).
    #[serde(default)]
    pub emv: Option<EmvConfig>,
}

/// `report.emv:`: a currency and a cost per click per network.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmvConfig {
    /// An ISO 4217 code such as `EUR`.
    pub currency: String,
    /// The cost of one click per network; a network not listed counts 0.
    pub cpc: BTreeMap<Network, f64>,
}

/// `digest:` settings: who the daily digest e-mail is from and to.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestConfig {
    /// The sender, `Name <address>` or an address. Default: `digest@` the host of `base_url`.
    #[serde(default)]
    pub from: Option<String>,
    /// The recipients (`--to` replaces them). Default: none.
    #[serde(default)]
    pub to: Vec<String>,
    /// The subject in every language. Default: the theme's `digest_subject` string of each language.
    #[serde(default)]
    pub subject: Option<String>,
}

/// One language of the hub.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    /// The hub's title in this language. Default: the hub's `title`.
    #[serde(default)]
    pub title: Option<String>,
    /// The description in this language. Default: the hub's `description`.
    #[serde(default)]
    pub description: Option<String>,
}

/// `tracker:` settings.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackerConfig {
    /// Public base URL of the tracker; short links are `{url}/c/{code}`. Default: none
    /// (posts then carry the UTM-tagged destination URL).
    #[serde(default)]
    pub url: Option<String>,
    /// Whether hub pages may show campaign totals. Default: `false`.
    #[serde(default)]
    pub public_stats: bool,
}

/// `share:` settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareConfig {
    /// Networks a campaign offers when it lists none. Default: all eight.
    #[serde(default = "default_networks")]
    pub networks: Vec<Network>,
    /// `utm_medium` of every shared link. Default: `social`.
    #[serde(default = "default_utm_medium")]
    pub utm_medium: String,
    /// Text that must appear in every snippet (employee disclosure). Default: none.
    #[serde(default)]
    pub disclosure: Option<String>,
    /// More hashtags than this in a post is a warning. Default: 3.
    #[serde(default = "default_max_hashtags")]
    pub max_hashtags: usize,
    /// Phrases no snippet may contain (case-insensitive). Default: none.
    #[serde(default)]
    pub banned_phrases: Vec<String>,
    /// The Mastodon share page. Default: `https://share.joinmastodon.org`.
    #[serde(default = "default_mastodon_share")]
    pub mastodon_share: String,
    /// Which LinkedIn page the Share button opens. Default: `compose`.
    #[serde(default)]
    pub linkedin: LinkedinShare,
}

/// `share.linkedin`: the LinkedIn page a post's Share button opens
/// (docs/hub-yaml.md, "share").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkedinShare {
    /// The feed's composer with the post's text, its link included, filled in.
    #[default]
    Compose,
    /// LinkedIn's official share-offsite page, which takes the link only (the
    /// text is pasted from the clipboard).
    Offsite,
}

impl Default for ShareConfig {
    fn default() -> Self {
        ShareConfig {
            networks: default_networks(),
            utm_medium: default_utm_medium(),
            disclosure: None,
            max_hashtags: default_max_hashtags(),
            banned_phrases: Vec::new(),
            mastodon_share: default_mastodon_share(),
            linkedin: LinkedinShare::default(),
        }
    }
}

/// `build:` settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildConfig {
    /// Minify HTML, CSS and JS. Default: `true` (`--no-minify` turns it off).
    #[serde(default = "yes")]
    pub minify: bool,
    /// syntect theme for code in light mode. Default: `InspiredGitHub`.
    #[serde(default = "default_highlight_theme")]
    pub highlight_theme: String,
    /// syntect theme for code in dark mode. Default: `base16-ocean.dark`.
    #[serde(default = "default_highlight_theme_dark")]
    pub highlight_theme_dark: String,
    /// Let search engines index the hub. Default: `false` (it is an intranet).
    #[serde(default)]
    pub allow_robots: bool,
    /// Build the search index (Pagefind) and the search pages. Default: `true`.
    #[serde(default = "yes")]
    pub search: bool,
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            minify: true,
            highlight_theme: default_highlight_theme(),
            highlight_theme_dark: default_highlight_theme_dark(),
            allow_robots: false,
            search: true,
        }
    }
}

fn default_language() -> String {
    "fr".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_theme_color() -> String {
    "#0a5bd3".into()
}
fn default_timezone() -> String {
    "Europe/Paris".into()
}
fn default_networks() -> Vec<Network> {
    Network::ALL.to_vec()
}
fn default_utm_medium() -> String {
    "social".into()
}
fn default_max_hashtags() -> usize {
    3
}
fn default_mastodon_share() -> String {
    "https://share.joinmastodon.org".into()
}
fn default_highlight_theme() -> String {
    "InspiredGitHub".into()
}
fn default_highlight_theme_dark() -> String {
    "base16-ocean.dark".into()
}
fn yes() -> bool {
    true
}

impl Config {
    /// Reads and validates `hub.yaml` at the root of a hub.
    pub fn load(root: &Path) -> Result<Config, Error> {
        let path = root.join(FILE_NAME);
        let bytes = std::fs::read(&path).map_err(|e| {
            Error::in_file(&path, format!("cannot read the hub configuration: {e}"))
                .with_help("run `chorus init <dir>` to create a hub, or pass `--root <dir>`")
        })?;
        let text = crate::source_file::decode(Path::new(FILE_NAME), bytes)?;
        Config::parse(Path::new(FILE_NAME), &text)
    }

    /// Parses and validates the text of `hub.yaml`; `file` names it in errors.
    pub fn parse(file: &Path, text: &str) -> Result<Config, Error> {
        let source: Arc<str> = Arc::from(text);
        let mut config: Config = yaml::parse_requiring(file, &source, text, Embedded { offset: 0 }, &REQUIRED)?;
        config.validate(file, &source)?;
        Ok(config)
    }

    fn validate(&mut self, file: &Path, source: &Arc<str>) -> Result<(), Error> {
        let at_key = |key: &str, message: String| {
            let offset = yaml::key_offset(source, key, KeyDepth::Any).unwrap_or(0);
            Error::at(file, source, offset, key.len(), message)
        };
        let written = std::mem::take(&mut self.written_base_url);
        self.base_url = checked_base_url(&written, "`base_url`").map_err(|(message, help)| {
            let error = at_key("base_url", message);
            match help {
                Some(help) => error.with_help(help),
                None => error,
            }
        })?;
        if self.languages.is_empty() {
            self.languages.insert(self.default_language.clone(), LanguageConfig::default());
        }
        for code in self.languages.keys() {
            if !is_language_code(code) {
                return Err(at_key(code, format!("`{code}` is not a language code")).with_help("use a code such as `fr`, `en` or `pt-BR`"));
            }
        }
        if !self.languages.contains_key(&self.default_language) {
            return Err(at_key("default_language", format!("the default language `{}` is not in `languages`", self.default_language))
                .with_help(format!("add `{}: {{ title: ... }}` under `languages`", self.default_language)));
        }
        if self.timezone.parse::<chrono_tz::Tz>().is_err() {
            return Err(at_key("timezone", format!("unknown time zone `{}`", self.timezone))
                .with_help("use an IANA name such as `Europe/Paris` or `America/New_York`"));
        }
        if let Some(tracker) = &self.tracker.url {
            if urls::http_url(tracker).is_err() {
                return Err(at_key("url", format!("`tracker.url` is not an http(s) URL: `{tracker}`")));
            }
            self.tracker.url = Some(tracker.trim_end_matches('/').to_string());
        }
        if let Some(repo) = &self.repo_url {
            if urls::http_url(repo).is_err() {
                return Err(at_key("repo_url", format!("`repo_url` is not an http(s) URL: `{repo}`"))
                    .with_help("give the repository's web address, e.g. `https://github.com/acme/hub`"));
            }
            self.repo_url = Some(repo.trim_end_matches('/').trim_end_matches(".git").to_string());
        }
        self.validate_emv(file, source)?;
        self.validate_digest(file, source)
    }

    /// `report.emv`: a three-letter currency and finite, non-negative costs.
    fn validate_emv(&self, file: &Path, source: &Arc<str>) -> Result<(), Error> {
        let Some(emv) = &self.report.emv else { return Ok(()) };
        let at = |key: &str, message: String| {
            let start = yaml::key_offset(source, "report", KeyDepth::TopLevel).unwrap_or(0);
            let offset = source[start..].find(key).map_or(start, |i| start + i);
            Error::at(file, source, offset, key.len(), message)
        };
        if emv.currency.len() != 3 || !emv.currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(at("currency", format!("`report.emv.currency`: `{}` is not a currency code", emv.currency))
                .with_help("use an ISO 4217 code such as `EUR`, `USD` or `CHF`"));
        }
        if emv.cpc.is_empty() {
            return Err(
                at("cpc", "`report.emv.cpc` lists no network".to_string()).with_help("give a cost per click, e.g. `cpc: { linkedin: 5.0, x: 1.5 }`")
            );
        }
        for (network, cpc) in &emv.cpc {
            if !cpc.is_finite() || *cpc < 0.0 {
                return Err(
                    at(network.id(), format!("`report.emv.cpc.{network}`: {cpc} is not a cost per click")).with_help("give a number of 0 or more")
                );
            }
        }
        Ok(())
    }

    /// Every address under `digest:` must parse as a mailbox; the error points
    /// at the address, below the `digest:` key.
    fn validate_digest(&self, file: &Path, source: &Arc<str>) -> Result<(), Error> {
        let start = yaml::key_offset(source, "digest", KeyDepth::TopLevel).unwrap_or(0);
        let addresses = self.digest.from.iter().map(|a| ("from", a)).chain(self.digest.to.iter().map(|a| ("to", a)));
        for (key, address) in addresses {
            if address.parse::<lettre::message::Mailbox>().is_err() {
                let offset = source[start..].find(address.as_str()).map_or(start, |i| start + i);
                return Err(Error::at(file, source, offset, address.len().max(1), format!("`digest.{key}`: `{address}` is not an e-mail address"))
                    .with_help("write an address such as `social@acme.example` or `Communication <social@acme.example>`"));
            }
        }
        Ok(())
    }

    /// Languages, the default first, then the others in alphabetical order.
    pub fn language_codes(&self) -> Vec<&str> {
        let mut codes: Vec<&str> = vec![self.default_language.as_str()];
        codes.extend(self.languages.keys().map(String::as_str).filter(|c| *c != self.default_language));
        codes
    }

    /// The hub's title in a language.
    pub fn title_in(&self, lang: &str) -> &str {
        self.languages.get(lang).and_then(|l| l.title.as_deref()).unwrap_or(&self.title)
    }

    /// Replaces `base_url` with the value of `--base-url`, checked as the one
    /// in `hub.yaml` is.
    pub fn override_base_url(&mut self, text: &str) -> Result<(), Error> {
        self.base_url = checked_base_url(text, &format!("--base-url `{text}`")).map_err(|(message, help)| {
            let error = Error::new(message);
            match help {
                Some(help) => error.with_help(help),
                None => error,
            }
        })?;
        Ok(())
    }

    /// The path part of `base_url` without a trailing slash (`""` when served at the root).
    pub fn base_path(&self) -> &str {
        self.base_url.path()
    }

    /// The site path of `rest` in a language (`/{rest}` or `/{lang}/{rest}`).
    pub fn language_path(&self, lang: &str, rest: &str) -> String {
        urls::language_path(lang, &self.default_language, rest)
    }

    /// The time zone campaigns are dated in.
    pub fn tz(&self) -> chrono_tz::Tz {
        self.timezone.parse().unwrap_or(chrono_tz::Europe::Paris)
    }

    /// The theme's folder when the hub has one on disk (`themes/<theme>/`).
    pub fn theme_dir(&self, root: &Path) -> PathBuf {
        root.join("themes").join(&self.theme)
    }
}

/// `text` as the hub's base URL, or the message and help that say why it
/// cannot be; `name` says where it was written (`base_url`, `--base-url`).
fn checked_base_url(text: &str, name: &str) -> Result<BaseUrl, (String, Option<&'static str>)> {
    BaseUrl::parse(text).map_err(|why| match why {
        NotHttp::Unparsable(e) => (format!("{name} is not a valid URL: {e}"), Some("write an absolute URL such as `https://hub.intranet.example`")),
        NotHttp::Scheme(_) => (format!("{name} must start with http:// or https://"), None),
    })
}

fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| !p.is_empty() && p.len() <= 8 && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Error> {
        Config::parse(Path::new("hub.yaml"), text)
    }

    #[test]
    fn only_title_and_base_url_are_required() {
        let c = parse("title: Hub\nbase_url: https://hub.example/\n").unwrap();
        assert_eq!(c.base_url.as_str(), "https://hub.example");
        assert_eq!(c.default_language, "fr");
        assert_eq!(c.language_codes(), vec!["fr"]);
        assert_eq!(c.share.networks.len(), 8);
        assert!(c.build.minify);
        assert_eq!(c.base_path(), "");
    }

    #[test]
    fn unknown_key_has_line_and_hint() {
        let e = parse("title: Hub\nbase_url: https://h.example\nshare:\n  max_hashtag: 2\n").unwrap_err();
        assert_eq!(e.to_string(), "hub.yaml:4:3: unknown key `max_hashtag` in `share`");
        assert_eq!(e.help.as_deref(), Some("did you mean `max_hashtags`?"));
    }

    #[test]
    fn linkedin_share_is_compose_offsite_or_an_error_at_its_line() {
        let c = parse("title: Hub\nbase_url: https://h.example\n").unwrap();
        assert_eq!(c.share.linkedin, LinkedinShare::Compose);
        let c = parse("title: Hub\nbase_url: https://h.example\nshare:\n  linkedin: offsite\n").unwrap();
        assert_eq!(c.share.linkedin, LinkedinShare::Offsite);
        let e = parse("title: Hub\nbase_url: https://h.example\nshare:\n  linkedin: offsit\n").unwrap_err();
        assert_eq!(e.to_string(), "hub.yaml:4:13: unknown value `offsit` in `share.linkedin`");
        assert_eq!(e.help.as_deref(), Some("did you mean `offsite`?"));
        let e = parse("title: Hub\nbase_url: https://h.example\nshare:\n  linkedin: url\n").unwrap_err();
        assert_eq!(e.help.as_deref(), Some("expected one of: compose, offsite"));
    }

    #[test]
    fn default_language_must_be_listed() {
        let e = parse("title: H\nbase_url: https://h.example\ndefault_language: de\nlanguages:\n  fr: {}\n").unwrap_err();
        assert!(e.to_string().starts_with("hub.yaml:3:1: the default language `de`"), "{e}");
    }

    #[test]
    fn bad_base_url_and_timezone_are_errors() {
        assert!(parse("title: H\nbase_url: hub\n").is_err());
        let e = parse("title: H\nbase_url: https://h.example\ntimezone: Mars/Olympus\n").unwrap_err();
        assert!(e.to_string().contains("hub.yaml:3:1"), "{e}");
    }

    #[test]
    fn digest_addresses_are_checked_at_their_line() {
        let c = parse("title: H\nbase_url: https://h.example\ndigest:\n  from: \"Équipe <social@h.example>\"\n  to: [a@h.example]\n").unwrap();
        assert_eq!(c.digest.to, vec!["a@h.example"]);
        let e = parse("title: H\nbase_url: https://h.example\ndigest:\n  from: social@h.example\n  to: [a@h.example, nobody]\n").unwrap_err();
        assert!(e.to_string().starts_with("hub.yaml:5:21: `digest.to`: `nobody` is not an e-mail address"), "{e}");
    }

    #[test]
    fn emv_rates_are_checked_at_their_line() {
        let c = parse("title: H\nbase_url: https://h.example\nreport:\n  emv: { currency: EUR, cpc: { linkedin: 5.0, x: 1.5 } }\n").unwrap();
        let emv = c.report.emv.unwrap();
        assert_eq!((emv.currency.as_str(), emv.cpc.get(&Network::X)), ("EUR", Some(&1.5)));
        assert!(parse("title: H\nbase_url: https://h.example\n").unwrap().report.emv.is_none(), "off by default");
        let e = parse("title: H\nbase_url: https://h.example\nreport:\n  emv: { currency: euro, cpc: { x: 1 } }\n").unwrap_err();
        assert!(e.to_string().starts_with("hub.yaml:4:10: `report.emv.currency`: `euro` is not a currency code"), "{e}");
        let e = parse("title: H\nbase_url: https://h.example\nreport:\n  emv:\n    currency: EUR\n    cpc: { x: -2 }\n").unwrap_err();
        assert!(e.to_string().starts_with("hub.yaml:6:12: `report.emv.cpc.x`: -2 is not a cost per click"), "{e}");
    }

    #[test]
    fn base_path_comes_from_base_url() {
        let c = parse("title: H\nbase_url: https://h.example/hub/\n").unwrap();
        assert_eq!(c.base_path(), "/hub");
    }

    #[test]
    fn base_url_override_is_checked_as_the_file_is() {
        let mut c = parse("title: H\nbase_url: https://h.example\n").unwrap();
        let e = c.override_base_url("ftp://x").unwrap_err();
        assert_eq!(e.to_string(), "--base-url `ftp://x` must start with http:// or https://");
        let e = parse("title: H\nbase_url: ftp://x\n").unwrap_err();
        assert_eq!(e.to_string(), "hub.yaml:2:1: `base_url` must start with http:// or https://");
        c.override_base_url("https://x.example/hub/").unwrap();
        assert_eq!((c.base_url.as_str(), c.base_path()), ("https://x.example/hub", "/hub"));
    }
}
