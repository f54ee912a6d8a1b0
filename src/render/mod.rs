//! Rendering: every section, page and generated file of the hub, in memory.
//!
//! Pages render in parallel; each yields an [`Output`] (a path under the output
//! folder and its bytes). Writing them out is the build's job.

mod calendar;
pub mod context;
mod diff;
mod feed;
mod policy;
mod sitemap;
pub mod templates;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{json, Value};
use tera::{Context, Tera};

pub use context::Site;

use crate::content::{DocId, Document, Kind};
use crate::diagnostics::{collect, Error, Result};
use crate::markdown::highlight::fnv1a;
use crate::theme::{Strings, Theme};
use crate::util::html::escape;

/// What goes into one output file.
#[derive(Debug, Clone)]
pub enum Body {
    /// Rendered bytes.
    Bytes(Vec<u8>),
    /// Bytes shared with the theme (static files).
    Shared(Arc<[u8]>),
    /// A file copied from the hub as it is.
    File(PathBuf),
}

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct Output {
    /// Path under the output folder, with `/` separators (`formation/bases/index.html`).
    pub path: String,
    /// Its content.
    pub body: Body,
}

impl Output {
    fn text(path: impl Into<String>, text: String) -> Output {
        Output { path: path.into(), body: Body::Bytes(text.into_bytes()) }
    }
}

/// Receives each rendered file; an error stops the build.
pub type Sink<'a> = dyn Fn(Output) -> std::result::Result<(), Error> + Sync + 'a;

/// The output path of a URL path (`/a/b/` → `a/b/index.html`).
pub fn output_path(url_path: &str) -> String {
    format!("{}index.html", url_path.trim_start_matches('/'))
}

/// The output path of a file's site path (`/en/atom.xml` → `en/atom.xml`).
fn output_file(site_path: &str) -> String {
    site_path.trim_start_matches('/').to_string()
}

/// The path of a generated page in a language, from its slug in the UI
/// strings (`calendar_slug`, `search_slug`), `fallback` when there is none.
fn localized_path(strings: &Strings, lang: &str, default_language: &str, key: &str, fallback: &str) -> String {
    let slug = strings.get(lang).and_then(|s| s.get(key)).map_or(fallback, String::as_str);
    crate::util::url::language_path(lang, default_language, &format!("{slug}/"))
}

/// The editorial calendar page of a language.
fn calendar_path(strings: &Strings, lang: &str, default_language: &str) -> String {
    localized_path(strings, lang, default_language, "calendar_slug", "calendar")
}

/// The search page of a language.
fn search_path(strings: &Strings, lang: &str, default_language: &str) -> String {
    localized_path(strings, lang, default_language, "search_slug", "search")
}

/// What to render.
#[derive(Debug, Clone, Copy)]
pub enum Selection<'a> {
    /// Every file of the site but the search index (`crate::search`).
    All,
    /// The pages of these documents, and the files that list or count pages:
    /// each language's feed, calendar and 404 page, the sitemap, the iCalendar
    /// file and the links manifest. Static files, assets and aliases are not
    /// rendered (an edit that could change them needs a whole render).
    Documents(&'a [DocId]),
}

/// Renders the selected files of the site, handing each to `sink`; returns how many there were.
pub fn render_site(site: &Site, theme: &Theme, selection: &Selection<'_>, sink: &Sink<'_>) -> Result<usize> {
    let config = site.config;
    let mut statics: BTreeMap<String, Body> = theme.static_files.values().map(|f| (f.rel.clone(), Body::Shared(f.bytes.clone()))).collect();
    statics.insert("highlight.css".into(), Body::Bytes(site.highlight_css.as_bytes().to_vec()));
    let assets: HashMap<String, String> = statics
        .iter()
        .map(|(rel, body)| {
            let hash = match body {
                Body::Bytes(b) => fnv1a(b.iter().copied()),
                Body::Shared(b) => fnv1a(b.iter().copied()),
                Body::File(_) => 0,
            };
            (rel.clone(), format!("{}?h={:08x}", config.base_url.url(&format!("/{rel}")), hash as u32))
        })
        .collect();
    let tera = templates::tera(theme, assets)?;
    let renderer = Renderer { site, theme, tera: &tera, bases: base_contexts(site, theme) };

    // Pages first, in parallel, each handed to the sink as soon as it is rendered.
    let emit = |o: Output| -> std::result::Result<String, Error> {
        let path = o.path.clone();
        sink(o)?;
        Ok(path)
    };
    let docs: Vec<DocId> = match selection {
        Selection::All => (0..site.content.docs.len()).collect(),
        Selection::Documents(ids) => ids.to_vec(),
    };
    let all = matches!(selection, Selection::All);
    let results: Vec<std::result::Result<String, Error>> = docs.par_iter().map(|&id| renderer.document(id).and_then(emit)).collect();
    let mut paths = Vec::with_capacity(results.len() + 16);
    let mut errors = Vec::new();
    collect(results, &mut paths, &mut errors);
    let mut per_language: Vec<Vec<Output>> = Vec::new();
    collect(config.language_codes().into_iter().map(|lang| renderer.language_pages(lang)), &mut per_language, &mut errors);
    let mut rest: Vec<Output> = per_language.into_iter().flatten().collect();
    let policies = docs.iter().filter(|&&id| site.content.docs[id].kind == Kind::Policy && !site.content.docs[id].is_section);
    let mut versions: Vec<Vec<Output>> = Vec::new();
    collect(policies.map(|&id| renderer.superseded(id)).collect::<Vec<_>>(), &mut versions, &mut errors);
    rest.extend(versions.into_iter().flatten());
    if !errors.is_empty() {
        return Err(errors.into());
    }
    if all {
        rest.extend(renderer.aliases());
        rest.push(Output::text("robots.txt", sitemap::robots(site)));
    }
    rest.push(Output::text("sitemap.xml", sitemap::sitemap(site)));
    let labels = |lang: &str| theme.strings.get(lang);
    rest.push(Output::text("calendar.ics", calendar::ics(site, labels(&config.default_language))));
    // Each campaign page's own calendar ("add to my calendar"), written with the page.
    for &id in docs.iter().filter(|&&id| site.content.docs[id].campaign.is_some()) {
        let doc = &site.content.docs[id];
        rest.push(Output::text(context::campaign_ics_path(&doc.path), calendar::campaign_ics(site, id, labels(&doc.lang))));
    }
    if let Some(manifest) = &site.shares.manifest {
        let json = serde_json::to_string_pretty(manifest).map_err(|e| Error::new(format!("cannot write links.json: {e}")))?;
        rest.push(Output::text(crate::share::links::MANIFEST_PATH, json + "\n"));
    }
    if all {
        for (rel, body) in statics {
            rest.push(Output { path: rel, body });
        }
        for asset in &site.content.assets {
            rest.push(Output { path: asset.path.trim_start_matches('/').to_string(), body: Body::File(asset.file.clone()) });
        }
    }
    let written: Vec<std::result::Result<String, Error>> = rest.into_par_iter().map(emit).collect();
    collect(written, &mut paths, &mut errors);
    if !errors.is_empty() {
        return Err(errors.into());
    }
    check_unique(paths)
}

/// The template a document's page is rendered with: its `template:`, else
/// the one for its kind.
pub fn template_of(doc: &Document) -> &str {
    let is_home = doc.is_section && doc.dir.is_empty();
    match (&doc.front.template, doc.is_section, doc.kind) {
        (Some(t), _, _) => t.as_str(),
        (None, true, _) if is_home => "home.html",
        (None, true, Kind::Guide) => "guide.html",
        (None, true, Kind::Campaign) => "campaign-list.html",
        (None, true, _) => "section.html",
        (None, false, Kind::Policy) => "policy.html",
        (None, false, Kind::Module) => "module.html",
        (None, false, Kind::Campaign) => "campaign.html",
        (None, false, _) => "page.html",
    }
}

/// Two files written to the same path is a mistake worth an error, not a silent overwrite.
fn check_unique(mut paths: Vec<String>) -> Result<usize> {
    paths.sort_unstable();
    let clashes: Vec<Error> = paths
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| {
            Error::new(format!("two files are written to `{}`", w[0]))
                .with_help("an alias, a page slug or a static file uses a path that is already taken")
        })
        .collect();
    if clashes.is_empty() {
        Ok(paths.len())
    } else {
        Err(clashes.into())
    }
}

/// The variables every template of a language gets.
fn base_contexts(site: &Site, theme: &Theme) -> HashMap<String, Context> {
    let config = site.config;
    let codes = config.language_codes();
    let tracker = context::tracker_urls(config);
    let destination = site.shares.manifest.as_ref().and_then(|m| crate::link::impact::main_site(&m.links));
    codes
        .iter()
        .map(|&lang| {
            let home = site.content.homes.get(lang).map(|&h| site.url(h)).unwrap_or_else(|| config.base_url.url("/"));
            let mut ctx = Context::new();
            ctx.insert("lang", lang);
            ctx.insert("config", config);
            ctx.insert("tracker", &tracker);
            ctx.insert("t", &theme.strings.get(lang).cloned().unwrap_or_default());
            ctx.insert("policy_notice", &policy::notice(site, lang));
            ctx.insert("now", &site.now.format("%Y-%m-%d").to_string());
            ctx.insert(
                "site",
                &json!({
                    "title": config.title_in(lang),
                    "home_url": home,
                    "calendar_url": config.base_url.url(&calendar_path(&theme.strings, lang, &config.default_language)),
                    "search_url": config.base_url.url(&search_path(&theme.strings, lang, &config.default_language)),
                    "feed_url": format!("{home}atom.xml"),
                    "languages": codes,
                    "destination": destination,
                }),
            );
            (lang.to_string(), ctx)
        })
        .collect()
}

struct Renderer<'a> {
    site: &'a Site<'a>,
    theme: &'a Theme,
    tera: &'a Tera,
    bases: HashMap<String, Context>,
}

impl Renderer<'_> {
    fn context(&self, lang: &str, current_path: &str, translations: Value) -> Context {
        let mut ctx = self.bases.get(lang).cloned().unwrap_or_default();
        if let Some(Value::Object(mut site)) = ctx.get("site").cloned() {
            site.insert("menu".into(), self.site.menu(lang, current_path));
            ctx.insert("site", &site);
        }
        ctx.insert("current_url", &self.site.config.base_url.url(current_path));
        ctx.insert("translations", &translations);
        ctx
    }

    fn render(&self, template: &str, ctx: &Context, file: &std::path::Path) -> std::result::Result<String, Error> {
        if !self.theme.templates.contains_key(template) {
            return Err(Error::in_file(file, format!("template `{template}` not found"))
                .with_help("add it to the hub's templates/ folder or fix `template:` in the front matter"));
        }
        self.tera.render(template, ctx).map_err(|e| templates::template_error(&e, self.theme))
    }

    fn document(&self, id: DocId) -> std::result::Result<Output, Error> {
        let site = self.site;
        let doc = &site.content.docs[id];
        let mut ctx = self.context(&doc.lang, &doc.path, site.translations(id));
        let is_home = doc.is_section && doc.dir.is_empty();
        let template = template_of(doc);
        if doc.is_section {
            ctx.insert("section", &site.section(id, true));
        } else {
            let mut page = site.page(id, true);
            if doc.kind == Kind::Policy {
                let html = page["content"].as_str().unwrap_or_default().to_string();
                page["policy"]["history"] = policy::history(site, id);
                page["policy"]["changes"] = policy::changes(site, id, &html, self.diff_labels(&doc.lang));
            }
            ctx.insert("page", &page);
        }
        if is_home {
            ctx.insert("campaigns", &site.campaigns_by_status(&doc.lang));
            let guides: Vec<Value> = site
                .content
                .docs
                .iter()
                .enumerate()
                .filter(|(_, d)| d.is_section && d.kind == Kind::Guide && d.lang == doc.lang)
                .map(|(g, _)| site.section(g, false))
                .collect();
            ctx.insert("guides", &guides);
            let policy = site.content.pages_in(&doc.lang).find(|(_, d)| d.kind == Kind::Policy).map_or(Value::Null, |(p, _)| site.page(p, false));
            ctx.insert("policy", &policy);
        }
        let html = self.render(template, &ctx, &doc.file)?;
        Ok(Output::text(output_path(&doc.path), html))
    }

    /// How the policy's changes are announced to screen readers, in `lang`.
    fn diff_labels(&self, lang: &str) -> diff::Labels<'_> {
        let say = |key: &'static str| self.theme.strings.get(lang).and_then(|s| s.get(key)).map_or(key, String::as_str);
        diff::Labels { removed: say("policy_removed"), added: say("policy_added") }
    }

    /// The pages of a policy's earlier versions (`{policy URL}v/{version}/`):
    /// the text as it was, marked superseded, pointing to the version in
    /// force, kept out of search and of the sitemap.
    fn superseded(&self, id: DocId) -> std::result::Result<Vec<Output>, Error> {
        let site = self.site;
        let doc = &site.content.docs[id];
        let mut outputs = Vec::new();
        for v in policy::earlier(site, id) {
            let old = policy::as_of(doc, v);
            let Ok(rendered) = crate::markdown::render(&old, site.markdown) else { continue };
            let path = policy::version_path(doc, &v.version);
            let mut page = site.page(id, false);
            page["title"] = json!(v.front.title);
            page["description"] = json!(v.front.description);
            page["url"] = json!(site.config.base_url.url(&path));
            page["permalink"] = json!(site.config.base_url.permalink(&path));
            page["content"] = json!(rendered.html);
            page["toc"] = json!(rendered.toc);
            page["cards"] = json!(rendered.cards);
            page["updated"] = Value::Null;
            page["policy"]["history"] = policy::history(site, id);
            page["policy"]["version"] = json!(v.version);
            page["policy"]["effective"] = json!(v.effective);
            page["policy"]["superseded"] = json!({
                "by": doc.front.version,
                "url": site.url(id),
                "effective": doc.front.effective.map(|d| d.to_string()),
            });
            let current =
                json!([{ "lang": doc.lang, "title": site.config.title_in(&doc.lang), "url": site.config.base_url.url(&path), "current": true }]);
            let mut ctx = self.context(&doc.lang, &path, current);
            ctx.insert("page", &page);
            outputs.push(Output::text(output_path(&path), self.render(template_of(doc), &ctx, &doc.file)?));
        }
        Ok(outputs)
    }

    /// The 404 page, the calendar, the search page and the feed of one language.
    fn language_pages(&self, lang: &str) -> std::result::Result<Vec<Output>, Error> {
        let site = self.site;
        let config = site.config;
        let codes = config.language_codes();
        let switcher = |path_of: &dyn Fn(&str) -> String| -> Value {
            Value::Array(
                codes
                    .iter()
                    .map(|&l| json!({ "lang": l, "title": config.title_in(l), "url": config.base_url.url(&path_of(l)), "current": l == lang }))
                    .collect(),
            )
        };
        let mut outputs = Vec::new();

        let not_found_path = config.language_path(lang, "404.html");
        let ctx = self.context(lang, &not_found_path, switcher(&|l| config.language_path(l, "404.html")));
        let file = std::path::Path::new("404.html");
        outputs.push(Output::text(output_file(&not_found_path), self.render("404.html", &ctx, file)?));

        let cal_path = calendar_path(&self.theme.strings, lang, &config.default_language);
        let mut ctx = self.context(lang, &cal_path, switcher(&|l| calendar_path(&self.theme.strings, l, &config.default_language)));
        let ics_url = config.base_url.url("/calendar.ics");
        ctx.insert("calendar", &calendar::page_context(site, lang, &ics_url, self.theme.strings.get(lang)));
        let file = std::path::Path::new("calendar.html");
        outputs.push(Output::text(output_path(&cal_path), self.render("calendar.html", &ctx, file)?));

        if config.build.search {
            let path = search_path(&self.theme.strings, lang, &config.default_language);
            let mut ctx = self.context(lang, &path, switcher(&|l| search_path(&self.theme.strings, l, &config.default_language)));
            ctx.insert("search", &json!({ "bundle": config.base_url.url(&format!("/{}/", crate::search::BUNDLE)) }));
            outputs.push(Output::text(output_path(&path), self.render("search.html", &ctx, std::path::Path::new("search.html"))?));
        }

        if let Some(&home) = site.content.homes.get(lang) {
            let feed_url = format!("{}atom.xml", site.permalink(home));
            let feed_path = config.language_path(lang, "atom.xml");
            outputs.push(Output::text(output_file(&feed_path), feed::atom(site, lang, home, &feed_url)));
        }
        Ok(outputs)
    }

    /// A small redirect page at each alias.
    fn aliases(&self) -> Vec<Output> {
        let site = self.site;
        let mut outputs = Vec::new();
        for (id, doc) in site.content.docs.iter().enumerate() {
            for alias in &doc.front.aliases {
                let target = escape(&site.url(id));
                let canonical = escape(&site.permalink(id));
                let notice = self.theme.strings.get(&doc.lang).and_then(|s| s.get("redirect_notice")).cloned().unwrap_or_default();
                let html = format!(
                    "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\
                     <link rel=\"canonical\" href=\"{canonical}\"><meta name=\"robots\" content=\"noindex\">\
                     <meta http-equiv=\"refresh\" content=\"0; url={target}\"></head>\
                     <body><p>{} <a href=\"{target}\">{target}</a></p></body></html>\n",
                    escape(&doc.lang),
                    escape(&doc.front.title),
                    escape(&notice),
                );
                let path = if alias.ends_with(".html") {
                    alias.trim_start_matches('/').to_string()
                } else {
                    output_path(&format!("{}/", alias.trim_end_matches('/')))
                };
                outputs.push(Output::text(path, html));
            }
        }
        outputs
    }
}
