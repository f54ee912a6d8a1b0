//! The theme a hub is rendered with: templates, static files and UI strings.
//!
//! The `default` theme is built into the binary, so a hub made by `chorus init`
//! needs no copy of it; a hub with its own `themes/<name>/` folder uses that
//! instead. A hub's `templates/`, `static/` and `i18n/` folders override the
//! theme one file (or one string) at a time.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use include_dir::{include_dir, Dir};
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::Error;
use crate::yaml::{self, Embedded};

/// The default theme, as it was when chorus was built.
static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A template's text and the file it came from (for error messages).
#[derive(Debug, Clone)]
pub struct Template {
    /// The name templates use to refer to it (`base.html`).
    pub name: String,
    /// Where it came from, relative to the hub root when on disk.
    pub file: PathBuf,
    /// Its text.
    pub text: Arc<str>,
}

/// A static file to copy into the output.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Its path in the output (`style.css`, `img/logo.svg`).
    pub rel: String,
    /// Its bytes.
    pub bytes: Arc<[u8]>,
}

/// UI strings by language, then by key.
pub type Strings = HashMap<String, BTreeMap<String, String>>;

/// Everything the renderer takes from the theme and the hub's overrides.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Templates by name, the hub's replacing the theme's.
    pub templates: BTreeMap<String, Template>,
    /// Static files by output path, the hub's replacing the theme's.
    pub static_files: BTreeMap<String, StaticFile>,
    /// UI strings for each of the hub's languages.
    pub strings: Strings,
}

impl Theme {
    /// Loads the configured theme and the hub's overrides.
    pub fn load(root: &Path, config: &Config) -> Result<Theme, Error> {
        let mut theme = Theme::default();
        let theme_dir = config.theme_dir(root);
        let mut raw_strings: HashMap<String, Vec<(PathBuf, Arc<str>)>> = HashMap::new();
        if theme_dir.is_dir() {
            let rel = Path::new("themes").join(&config.theme);
            theme.read_dir(&theme_dir, &rel, &mut raw_strings)?;
        } else if config.theme == "default" {
            theme.read_embedded(&mut raw_strings)?;
        } else {
            return Err(Error::in_file(crate::config::FILE_NAME, format!("theme `{}` not found in themes/", config.theme))
                .with_help("remove `theme:` to use the built-in default theme"));
        }
        // The hub's own overrides.
        theme.read_dir(root, Path::new(""), &mut raw_strings)?;
        theme.strings = merge_strings(config, raw_strings)?;
        Ok(theme)
    }

    /// Reads `templates/`, `static/` and `i18n/` under `dir` (shown as `shown`).
    fn read_dir(&mut self, dir: &Path, shown: &Path, strings: &mut HashMap<String, Vec<(PathBuf, Arc<str>)>>) -> Result<(), Error> {
        for (sub, what) in [("templates", Part::Templates), ("static", Part::Static), ("i18n", Part::Strings)] {
            let base = dir.join(sub);
            if !base.is_dir() {
                continue;
            }
            let walker = WalkDir::new(&base)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| e.depth() == 0 || !crate::util::files::is_ignored(&e.file_name().to_string_lossy()));
            for entry in walker {
                let entry = entry.map_err(|e| Error::in_file(shown.join(sub), format!("cannot read: {e}")))?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let rel = entry.path().strip_prefix(&base).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
                let file = shown.join(sub).join(&rel);
                let bytes = std::fs::read(entry.path()).map_err(|e| Error::in_file(&file, format!("cannot read: {e}")))?;
                self.add(what, rel, file, bytes, strings)?;
            }
        }
        Ok(())
    }

    /// Reads the built-in default theme. Its files are valid UTF-8 (the unit
    /// test below loads it), so an error here is a broken build of chorus.
    fn read_embedded(&mut self, strings: &mut HashMap<String, Vec<(PathBuf, Arc<str>)>>) -> Result<(), Error> {
        for file in crate::util::embedded::files(&DEFAULT_THEME) {
            let path = file.path().to_string_lossy().replace('\\', "/");
            let Some((sub, rel)) = path.split_once('/') else { continue };
            let what = match sub {
                "templates" => Part::Templates,
                "static" => Part::Static,
                "i18n" => Part::Strings,
                _ => continue,
            };
            let shown = Path::new("themes/default").join(&path);
            self.add(what, rel.to_string(), shown, file.contents().to_vec(), strings)?;
        }
        Ok(())
    }

    fn add(
        &mut self,
        what: Part,
        rel: String,
        file: PathBuf,
        bytes: Vec<u8>,
        strings: &mut HashMap<String, Vec<(PathBuf, Arc<str>)>>,
    ) -> Result<(), Error> {
        let text = || crate::source_file::decode(&file, bytes.clone()).map(Arc::<str>::from);
        match what {
            Part::Templates => {
                let text = text()?;
                self.templates.insert(rel.clone(), Template { name: rel, file: file.clone(), text });
            }
            Part::Static => {
                self.static_files.insert(rel.clone(), StaticFile { rel, bytes: Arc::from(bytes) });
            }
            Part::Strings => {
                if let Some(lang) = rel.strip_suffix(".yaml").or_else(|| rel.strip_suffix(".yml")) {
                    let text = text()?;
                    strings.entry(lang.to_string()).or_default().push((file.clone(), text));
                }
            }
        }
        Ok(())
    }
}

/// The folder of a theme (or of the hub's overrides) a file comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// `templates/`: Tera templates, by name.
    Templates,
    /// `static/`: files copied into the output as they are.
    Static,
    /// `i18n/`: UI strings, one YAML file per language.
    Strings,
}

/// One i18n file: a flat map of unique keys.
#[derive(serde::Deserialize)]
#[serde(transparent)]
struct UiStrings(#[serde(deserialize_with = "yaml::unique_keys")] BTreeMap<String, String>);

/// The built-in theme's UI strings of `lang` (English when it has none
/// of that language), for what is written without a hub (`chorus report`).
pub fn builtin_strings(lang: &str) -> Result<BTreeMap<String, String>, Error> {
    let file = |code: &str| DEFAULT_THEME.get_file(format!("i18n/{code}.yaml"));
    let Some(found) = file(lang).or_else(|| file("en")) else { return Ok(BTreeMap::new()) };
    let text: Arc<str> = String::from_utf8_lossy(found.contents()).into();
    let shown = Path::new("themes/default").join(found.path());
    let map: UiStrings = yaml::parse(&shown, &text, &text, Embedded { offset: 0 })?;
    Ok(map.0)
}

/// Each language gets the theme's strings for it (or the English ones, for a
/// language the theme does not speak), then the hub's overrides.
fn merge_strings(config: &Config, raw: HashMap<String, Vec<(PathBuf, Arc<str>)>>) -> Result<Strings, Error> {
    let mut parsed: HashMap<String, Vec<BTreeMap<String, String>>> = HashMap::new();
    for (lang, files) in raw {
        for (file, text) in files {
            let map: UiStrings = yaml::parse(&file, &text, &text, Embedded { offset: 0 })?;
            parsed.entry(lang.clone()).or_default().push(map.0);
        }
    }
    let mut strings = Strings::new();
    for lang in config.language_codes() {
        let layers = parsed.get(lang).or_else(|| parsed.get("en")).cloned().unwrap_or_default();
        let mut merged = BTreeMap::new();
        for layer in layers {
            merged.extend(layer);
        }
        strings.insert(lang.to_string(), merged);
    }
    Ok(strings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_theme_loads_and_its_templates_parse() {
        let root = tempfile::tempdir().unwrap();
        let hub_yaml = "title: H\nbase_url: https://h.example\nlanguages:\n  fr: {}\n  en: {}\n";
        let config = Config::parse(Path::new(crate::config::FILE_NAME), hub_yaml).unwrap();
        let theme = Theme::load(root.path(), &config).unwrap();
        let embedded = crate::util::embedded::files(&DEFAULT_THEME);
        let count = |sub: &str| embedded.iter().filter(|f| f.path().starts_with(sub)).count();
        assert_eq!(theme.templates.len(), count("templates"));
        assert_eq!(theme.static_files.len(), count("static"));
        assert!(theme.templates.contains_key("base.html"));
        for lang in ["fr", "en"] {
            assert!(!theme.strings[lang].is_empty(), "no UI strings for {lang}");
        }
        let templates = theme.templates.values().map(|t| (t.name.as_str(), &*t.text));
        if let Err(e) = tera::Tera::default().add_raw_templates(templates) {
            panic!("an embedded template does not parse: {e:?}");
        }
    }
}
