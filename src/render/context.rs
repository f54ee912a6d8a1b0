//! The values templates see: pages, sections, menus, language switchers,
//! as documented in `docs/templates.md`.

use chrono::NaiveDate;
use serde_json::{json, Map, Value};

use crate::config::Config;
use crate::content::{Content, DocId, Kind, Status};
use crate::markdown::Rendered;
use crate::share::{Post, Shares};

/// `tracker` for templates: the full URLs of the tracker's public routes
/// (`null` when the hub has no tracker), so no template or script writes a
/// tracker path.
pub fn tracker_urls(config: &Config) -> Value {
    use crate::link::paths;
    let Some(url) = &config.tracker.url else { return Value::Null };
    json!({
        "url": url,
        "beacon_url": format!("{url}{}", paths::BEACON),
        "campaigns_url": format!("{url}{}", paths::CAMPAIGNS),
        "impact_url": format!("{url}{}", paths::IMPACT),
        "ambassador_url": format!("{url}{}", paths::AMBASSADOR),
        "leaderboard_url": format!("{url}{}", paths::LEADERBOARD),
        "short_link_prefix": format!("{url}{}", paths::SHORT_LINK_PREFIX),
    })
}

/// The name of a campaign page's own calendar file, next to its `index.html` (docs/templates.md).
pub const CAMPAIGN_ICS: &str = "calendar.ics";

/// Where a campaign page's own calendar is written, from the page's URL path.
pub fn campaign_ics_path(page_path: &str) -> String {
    format!("{}{CAMPAIGN_ICS}", page_path.trim_start_matches('/'))
}

/// The phase labels the theme translates (`phase_teasing`…); any other label is shown as written.
const PHASES: [&str; 3] = ["teasing", "launch", "reminder"];

/// What every context builder reads.
pub struct Site<'a> {
    /// The hub's configuration.
    pub config: &'a Config,
    /// The loaded content.
    pub content: &'a Content,
    /// Each document's rendered Markdown, by id.
    pub rendered: &'a [Rendered],
    /// "Today", for campaign status.
    pub now: NaiveDate,
    /// What a page's full Markdown render needs.
    pub markdown: &'a crate::markdown::Env<'a>,
    /// The stylesheet of highlighted code (every class the hub's code uses).
    pub highlight_css: &'a str,
    /// The share engine's posts and link manifest.
    pub shares: &'a Shares,
}

impl<'a> Site<'a> {
    /// Root-relative URL of a document, base path included.
    pub fn url(&self, id: DocId) -> String {
        self.config.base_url.url(&self.content.docs[id].path)
    }

    /// Absolute URL of a document.
    pub fn permalink(&self, id: DocId) -> String {
        self.config.base_url.permalink(&self.content.docs[id].path)
    }

    /// `{title, url}` of a document.
    pub fn link(&self, id: DocId) -> Value {
        json!({ "title": self.content.docs[id].front.title, "url": self.url(id) })
    }

    /// A page or section as templates see it; `with_content` adds the full HTML.
    pub fn page(&self, id: DocId, with_content: bool) -> Value {
        let doc = &self.content.docs[id];
        let r = &self.rendered[id];
        let mut v = Map::new();
        v.insert("title".into(), json!(doc.front.title));
        v.insert("description".into(), json!(doc.front.description));
        v.insert("url".into(), json!(self.url(id)));
        v.insert("permalink".into(), json!(self.permalink(id)));
        v.insert("lang".into(), json!(doc.lang));
        v.insert("kind".into(), json!(doc.kind.as_str()));
        v.insert("date".into(), json!(doc.front.date.map(|d| d.to_string())));
        v.insert("updated".into(), json!(doc.front.updated.map(|d| d.to_string())));
        v.insert("summary".into(), json!(r.summary));
        v.insert("toc".into(), json!(r.toc));
        v.insert("tags".into(), json!(doc.front.tags));
        v.insert("word_count".into(), json!(r.word_count));
        v.insert("reading_minutes".into(), json!(r.word_count.div_ceil(200).max(1)));
        v.insert("extra".into(), Value::Object(doc.front.extra.clone()));
        v.insert("cards".into(), json!(r.cards));
        v.insert("quizzes".into(), json!(r.quizzes));
        v.insert("tasks".into(), json!(r.tasks));
        if with_content {
            v.insert("content".into(), json!(self.body_html(id)));
        }
        v.insert("section".into(), doc.parent.map_or(Value::Null, |p| self.link(p)));
        let (previous, next) = self.siblings(id);
        v.insert("previous".into(), previous.map_or(Value::Null, |p| self.link(p)));
        v.insert("next".into(), next.map_or(Value::Null, |p| self.link(p)));
        v.insert(
            "policy".into(),
            match doc.kind {
                Kind::Policy if !doc.is_section => json!({
                    "id": doc.milestone_id(),
                    "version": doc.front.version,
                    "effective": doc.front.effective.map(|d| d.to_string()),
                    // The versions and changes from git: filled in where a policy page is rendered.
                    "history": [],
                    "changes": null,
                    "superseded": null,
                }),
                _ => Value::Null,
            },
        );
        v.insert(
            "module".into(),
            match doc.kind {
                Kind::Module if !doc.is_section => self.module(id),
                _ => Value::Null,
            },
        );
        v.insert(
            "guide".into(),
            match doc.milestone_id() {
                Some(guide) if doc.kind == Kind::Guide => json!({ "id": guide }),
                _ => Value::Null,
            },
        );
        v.insert("campaign".into(), self.campaign(id));
        v.insert("is_section".into(), json!(doc.is_section));
        Value::Object(v)
    }

    /// The full HTML of a document's body. Its outline was rendered without errors
    /// when the hub was loaded, so this render has none either.
    pub fn body_html(&self, id: DocId) -> String {
        crate::markdown::render(&self.content.docs[id], self.markdown).map(|r| r.html).unwrap_or_default()
    }

    /// A section with its pages (without their content) and subsections;
    /// `with_content` adds the section's own HTML (lists of sections do without).
    pub fn section(&self, id: DocId, with_content: bool) -> Value {
        let doc = &self.content.docs[id];
        let mut v = self.page(id, with_content);
        let pages: Vec<Value> = doc.pages.iter().map(|&p| self.page(p, false)).collect();
        let subsections: Vec<Value> = doc
            .subsections
            .iter()
            .map(|&s| {
                let d = &self.content.docs[s];
                json!({ "title": d.front.title, "url": self.url(s), "description": d.front.description })
            })
            .collect();
        if let Value::Object(map) = &mut v {
            map.insert("pages".into(), Value::Array(pages));
            map.insert("subsections".into(), Value::Array(subsections));
        }
        v
    }

    fn siblings(&self, id: DocId) -> (Option<DocId>, Option<DocId>) {
        let doc = &self.content.docs[id];
        let Some(parent) = doc.parent.filter(|_| !doc.is_section) else { return (None, None) };
        let pages = &self.content.docs[parent].pages;
        let Some(i) = pages.iter().position(|&p| p == id) else { return (None, None) };
        (i.checked_sub(1).map(|j| pages[j]), pages.get(i + 1).copied())
    }

    fn module(&self, id: DocId) -> Value {
        let doc = &self.content.docs[id];
        let modules: Vec<DocId> = doc
            .parent
            .map(|p| self.content.docs[p].pages.iter().copied().filter(|&m| self.content.docs[m].kind == Kind::Module).collect())
            .unwrap_or_default();
        // The guide's id and every module's URL: the page tells the
        // tracker once the last one is done (docs/templates.md).
        let guide = doc.parent.and_then(|p| self.content.docs[p].milestone_id().filter(|_| self.content.docs[p].kind == Kind::Guide));
        json!({
            "minutes": doc.front.minutes,
            "objectives": doc.front.objectives,
            "number": modules.iter().position(|&m| m == id).map_or(1, |i| i + 1),
            "total": modules.len().max(1),
            "guide": guide,
            "modules": modules.iter().map(|&m| self.url(m)).collect::<Vec<_>>(),
        })
    }

    fn campaign(&self, id: DocId) -> Value {
        let doc = &self.content.docs[id];
        let Some(c) = &doc.campaign else { return Value::Null };
        let status: Status = c.status(self.now);
        let image = c.image.as_deref().and_then(|rel| self.content.asset_path(rel)).map(|path| self.config.base_url.url(path));
        // Posts to share today first, then those to come (by first day), then those whose time is over;
        // written order within each (docs/templates.md, `campaign.snippets`).
        let mut snippets: Vec<(u8, NaiveDate, Value)> = self
            .shares
            .posts
            .get(&id)
            .map(|snippets| {
                snippets
                    .iter()
                    .map(|s| {
                        let posts: Vec<Value> = s.posts.iter().map(post_value).collect();
                        let front = c.snippets.iter().find(|f| f.id == s.id);
                        let (from, until) = front.map_or((c.starts, c.ends), |f| c.window(f));
                        let (rank, when) = match (self.now < from, self.now > until) {
                            (true, _) => (1, "later"),
                            (_, true) => (2, "past"),
                            _ => (0, "current"),
                        };
                        let phase = front.and_then(|f| f.phase.as_deref()).map(str::trim).filter(|p| !p.is_empty());
                        let phase_key = phase.filter(|p| PHASES.contains(p)).map(|p| format!("phase_{p}"));
                        let value = json!({
                            "id": s.id,
                            "posts": posts,
                            "from": from.format("%Y-%m-%d").to_string(),
                            "until": until.format("%Y-%m-%d").to_string(),
                            "when": when,
                            "current": when == "current",
                            "phase": phase,
                            "phase_key": phase_key,
                        });
                        (rank, from, value)
                    })
                    .collect()
            })
            .unwrap_or_default();
        snippets.sort_by_key(|(rank, from, _)| (*rank, if *rank == 1 { Some(*from) } else { None }));
        let snippets: Vec<Value> = snippets.into_iter().map(|(_, _, v)| v).collect();
        json!({
            "id": c.id,
            "url": c.url,
            "starts": c.starts.format("%Y-%m-%d").to_string(),
            "ends": c.ends.format("%Y-%m-%d").to_string(),
            "status": status.as_str(),
            "image": image,
            "hashtags": c.hashtags,
            "networks": c.networks.iter().map(|n| n.id()).collect::<Vec<_>>(),
            "snippets": snippets,
            "ics_url": self.config.base_url.url(&format!("{}{CAMPAIGN_ICS}", doc.path)),
        })
    }

    /// The language switcher of a document.
    pub fn translations(&self, id: DocId) -> Value {
        let codes = self.config.language_codes();
        let current = &self.content.docs[id].lang;
        let list: Vec<Value> = self
            .content
            .translations(id, &codes)
            .map(|t| {
                let lang = &self.content.docs[t].lang;
                json!({ "lang": lang, "title": self.config.title_in(lang), "url": self.url(t), "current": lang == current })
            })
            .collect();
        Value::Array(list)
    }

    /// The top-level sections and pages of a language, by weight, `active` for `current`.
    pub fn menu(&self, lang: &str, current_path: &str) -> Value {
        let Some(&home) = self.content.homes.get(lang) else { return json!([]) };
        let home_doc = &self.content.docs[home];
        let mut items: Vec<DocId> = home_doc.subsections.iter().chain(&home_doc.pages).copied().collect();
        items.sort_by_key(|&i| (self.content.docs[i].front.weight.unwrap_or(i64::MAX), self.content.docs[i].front.title.clone()));
        let list: Vec<Value> = items
            .into_iter()
            .map(|i| {
                let path = &self.content.docs[i].path;
                let front = &self.content.docs[i].front;
                // A long title can have a short name in the menu: `extra: { menu: "Politique" }`.
                let title = front.extra.get("menu").and_then(|m| m.as_str()).unwrap_or(&front.title);
                json!({
                    "title": title,
                    "url": self.url(i),
                    "active": current_path.starts_with(path.as_str()),
                })
            })
            .collect();
        Value::Array(list)
    }

    /// Campaign pages of a language.
    pub fn campaigns_in(&self, lang: &str) -> Vec<DocId> {
        self.content.pages_in(lang).filter(|(_, d)| d.campaign.is_some()).map(|(i, _)| i).collect()
    }

    /// `{live, upcoming, ended}` lists of campaign pages: live by end date, upcoming
    /// by start date, ended newest first.
    pub fn campaigns_by_status(&self, lang: &str) -> Value {
        let mut live = Vec::new();
        let mut upcoming = Vec::new();
        let mut ended = Vec::new();
        for id in self.campaigns_in(lang) {
            let c = self.content.docs[id].campaign.as_ref().map(|c| (c.status(self.now), c.starts, c.ends));
            match c {
                Some((Status::Live, _, ends)) => live.push((ends, id)),
                Some((Status::Upcoming, starts, _)) => upcoming.push((starts, id)),
                Some((Status::Ended, _, ends)) => ended.push((std::cmp::Reverse(ends), id)),
                None => {}
            }
        }
        live.sort();
        upcoming.sort();
        ended.sort();
        let pages = |ids: Vec<DocId>| -> Vec<Value> { ids.into_iter().map(|i| self.page(i, false)).collect() };
        json!({
            "live": pages(live.into_iter().map(|(_, i)| i).collect()),
            "upcoming": pages(upcoming.into_iter().map(|(_, i)| i).collect()),
            "ended": pages(ended.into_iter().map(|(_, i)| i).collect()),
        })
    }
}

/// A post as templates see it.
fn post_value(p: &Post) -> Value {
    json!({
        "network": p.network.id(),
        "name": p.network.name(),
        "text": p.text,
        "length": p.length,
        "limit": p.limit,
        "over": p.limit.is_some_and(|l| p.length > l),
        "link": p.link,
        "url": p.url,
        "code": p.code.as_str(),
        "intent": p.intent,
        "takes_text": p.takes_text,
        "copy_first": p.copy_first,
        "qr": p.qr,
        // Enough rows to show the whole text in a card about 40 characters wide.
        "rows": (p.text.lines().map(|l| l.chars().count() / 40 + 1).sum::<usize>()).clamp(3, 12),
    })
}
