//! A share campaign as the rest of the pipeline sees it: validated ids, dates
//! and the networks it is offered on.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use super::front_matter::{self, Date, FrontMatter, Kind, SnippetFront};
use super::{Asset, DocId, Document};
use crate::config::Config;
use crate::diagnostics::Error;
use crate::link::Network;

/// Where a campaign stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Before `starts`.
    Upcoming,
    /// From `starts` to `ends`, both included.
    Live,
    /// After `ends`.
    Ended,
}

impl Status {
    /// The name used in templates and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Upcoming => "upcoming",
            Status::Live => "live",
            Status::Ended => "ended",
        }
    }
}

/// A campaign page's share data.
#[derive(Debug, Clone)]
pub struct Campaign {
    /// `utm_campaign` and the stable part of every short code.
    pub id: String,
    /// The URL that is shared, as browsers write it ([`crate::link::destination`]).
    pub url: String,
    /// First live day.
    pub starts: NaiveDate,
    /// Last live day.
    pub ends: NaiveDate,
    /// Hashtags without `#`.
    pub hashtags: Vec<String>,
    /// Networks the posts are written for.
    pub networks: Vec<Network>,
    /// The prewritten posts published on the build day (see [`super::embargo`]).
    pub snippets: Vec<SnippetFront>,
    /// For each post of `snippets`, its place in the front matter's `snippets:`
    /// list (where its messages point).
    pub positions: Vec<usize>,
    /// The image's path under `content/` (`campagnes/salon.jpg`), checked to exist, if any.
    pub image: Option<String>,
    /// What the campaign aims at (a translation takes its original's goal
    /// unless it sets its own; docs/front-matter.md, "Goal").
    pub goal: Option<crate::link::Goal>,
    /// Kept out of every output before `starts` (a translation takes its original's).
    pub embargo: bool,
}

impl Campaign {
    /// The campaign's status on `today` (a date in the hub's time zone).
    pub fn status(&self, today: NaiveDate) -> Status {
        if today < self.starts {
            Status::Upcoming
        } else if today <= self.ends {
            Status::Live
        } else {
            Status::Ended
        }
    }

    /// The days a post is to be shared: its `from`..`until`, each defaulting
    /// to the campaign's `starts`..`ends`, both included.
    pub fn window(&self, snippet: &SnippetFront) -> (NaiveDate, NaiveDate) {
        (snippet.from.map_or(self.starts, |d| d.0), snippet.until.map_or(self.ends, |d| d.0))
    }

    /// Whether a post is to be shared on `day`.
    pub fn is_current(&self, snippet: &SnippetFront, day: NaiveDate) -> bool {
        let (from, until) = self.window(snippet);
        from <= day && day <= until
    }

    /// Whether anything of the campaign may be in an output built on `day`:
    /// an embargoed campaign is not, before it starts.
    pub fn is_published(&self, day: NaiveDate) -> bool {
        !self.embargo || day >= self.starts
    }

    /// Whether a post may be in an output built on `day`: not before its `from`.
    pub fn is_snippet_published(&self, snippet: &SnippetFront, day: NaiveDate) -> bool {
        snippet.from.is_none_or(|from| day >= from.0)
    }

    /// The first day after `day` on which an output built from this campaign
    /// changes: its status, a post's window, or its embargo.
    pub fn next_change(&self, day: NaiveDate) -> Option<NaiveDate> {
        let after = |d: NaiveDate| d.succ_opt();
        let mut days = vec![Some(self.starts), after(self.ends)];
        for snippet in &self.snippets {
            let (from, until) = self.window(snippet);
            days.push(Some(from));
            days.push(after(until));
        }
        days.into_iter().flatten().filter(|&d| d > day).min()
    }
}

/// A phase of a campaign: the days some of its posts are to be shared, when
/// they differ from the campaign's own dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phase {
    /// The first of its posts, whose id names the phase in stable identifiers.
    pub snippet: String,
    /// Its `phase:` label, if one of its posts has one.
    pub label: Option<String>,
    /// First day.
    pub from: NaiveDate,
    /// Last day (included).
    pub until: NaiveDate,
}

impl Campaign {
    /// The campaign's phases, by first day: one per distinct post window that
    /// is not the campaign's own `starts`..`ends`.
    pub fn phases(&self) -> Vec<Phase> {
        let mut phases: Vec<Phase> = Vec::new();
        for snippet in &self.snippets {
            let (from, until) = self.window(snippet);
            if (from, until) == (self.starts, self.ends) {
                continue;
            }
            let label = snippet.phase.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(str::to_string);
            match phases.iter_mut().find(|p| (p.from, p.until) == (from, until)) {
                Some(phase) => phase.label = phase.label.take().or(label),
                None => phases.push(Phase { snippet: snippet.id.clone(), label, from, until }),
            }
        }
        phases.sort_by_key(|p| (p.from, p.until));
        phases
    }
}

/// Builds the campaign of every campaign page and returns what is wrong with
/// them. A translation runs on the same days as its default-language page:
/// it may leave `url`, `starts`, `ends` and `image` out to take that page's,
/// and dates that differ from it are an error. `image` must be a file in the
/// page's folder (it is copied with the page); see docs/front-matter.md.
pub fn resolve_all(docs: &mut [Document], assets: &[Asset], config: &Config) -> Vec<Error> {
    let defaults: HashMap<String, DocId> = docs
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind == Kind::Campaign && !d.is_section && d.lang == config.default_language)
        .map(|(id, d)| (d.key.clone(), id))
        .collect();
    let mut errors = Vec::new();
    let mut campaigns = Vec::with_capacity(docs.len());
    for doc in docs.iter() {
        let campaign = if doc.kind == Kind::Campaign && !doc.is_section {
            let original = defaults.get(&doc.key).map(|&id| &docs[id]).filter(|d| d.lang != doc.lang);
            resolve(doc, original, assets, config, &mut errors)
        } else {
            None
        };
        campaigns.push(campaign);
    }
    for (doc, campaign) in docs.iter_mut().zip(campaigns) {
        doc.campaign = campaign;
    }
    errors
}

/// A campaign's goal: its own, or the page's it translates; the two
/// differing is an error (the tracker counts one campaign id against one
/// goal). A bad goal was reported at its line by the front matter's check.
fn goal(doc: &Document, split: &front_matter::Split, original: Option<&Document>, errors: &mut Vec<Error>) -> Option<crate::link::Goal> {
    let own = doc.front.goal.as_ref().and_then(|g| g.goal().ok());
    let theirs = original.and_then(|o| o.front.goal.as_ref()).and_then(|g| g.goal().ok());
    if let (Some(own), Some(theirs)) = (own, theirs) {
        if own != theirs {
            let file = original.map(|o| o.file.display().to_string()).unwrap_or_default();
            errors.push(
                Error::at(
                    &doc.file,
                    &doc.source,
                    front_matter::key_offset(&doc.source, split, "goal"),
                    4,
                    format!(
                        "`goal` ({} {}) differs from the goal in {file} ({} {}), the page this one translates",
                        own.target,
                        own.metric.id(),
                        theirs.target,
                        theirs.metric.id()
                    ),
                )
                .with_help("a campaign has one goal in every language: remove `goal` here to use the other page's"),
            );
        }
    }
    own.or(theirs)
}

/// One page's campaign; `original` is its default-language page when it is a translation.
fn resolve(doc: &Document, original: Option<&Document>, assets: &[Asset], config: &Config, errors: &mut Vec<Error>) -> Option<Campaign> {
    let split = front_matter::split(&doc.file, &doc.source).ok()?;
    let front = &doc.front;
    let from_original = |get: fn(&FrontMatter) -> Option<Date>| original.and_then(|o| get(&o.front));
    // Written once as browsers write it, for every output. One that is not a
    // safe destination was reported at its line by the front matter's check
    // (of this page, or of the original it comes from) and stops the build.
    let url = front.url.clone().or_else(|| original.and_then(|o| o.front.url.clone())).map(|url| crate::link::destination(&url).unwrap_or(url));
    let mut missing: Vec<&str> = Vec::new();
    if url.is_none() {
        missing.push("url");
    }
    let mut date = |key: &'static str, get: fn(&FrontMatter) -> Option<Date>| -> Option<NaiveDate> {
        match (get(front), from_original(get)) {
            (Some(own), Some(theirs)) if own != theirs => {
                let original = original.map(|o| o.file.display().to_string()).unwrap_or_default();
                errors.push(
                    Error::at(
                        &doc.file,
                        &doc.source,
                        front_matter::key_offset(&doc.source, &split, key),
                        key.len(),
                        format!("`{key}: {own}` differs from `{key}: {theirs}` in {original}, the page this one translates"),
                    )
                    .with_help(format!(
                        "a campaign runs on the same days in every language: remove `{key}` here to use the other page's, or make them equal"
                    )),
                );
                Some(own.0)
            }
            (Some(own), _) => Some(own.0),
            (None, Some(theirs)) => Some(theirs.0),
            (None, None) => {
                missing.push(key);
                None
            }
        }
    };
    let starts = date("starts", |f| f.starts);
    let ends = date("ends", |f| f.ends);
    if !missing.is_empty() {
        errors.push(front_matter::missing_keys(&doc.file, &doc.source, &split, Kind::Campaign, &missing));
    }
    let image = match (&front.image, original.and_then(|o| o.front.image.as_ref())) {
        (Some(own), _) => image(doc, &split, own, assets, errors),
        // The original's image was checked with the original.
        (None, Some(theirs)) => original.and_then(|o| image_path(o, theirs)),
        (None, None) => None,
    };
    Some(Campaign {
        id: front.campaign.clone().unwrap_or_else(|| doc.slug.clone()),
        url: url?,
        starts: starts?,
        ends: ends?,
        hashtags: front.hashtags.clone(),
        networks: front.networks.clone().unwrap_or_else(|| config.share.networks.to_vec()),
        snippets: front.snippets.clone(),
        positions: (0..front.snippets.len()).collect(),
        image,
        embargo: front.embargo.or_else(|| original.and_then(|o| o.front.embargo)).unwrap_or(false),
        goal: goal(doc, &split, original, errors),
    })
}

/// The path under `content/` of an image named in `doc`'s front matter, when
/// the name stays inside the page's folder (no `..`, no absolute path, no URL).
fn image_path(doc: &Document, name: &str) -> Option<String> {
    let inside = !name.is_empty()
        && !name.starts_with('/')
        && !name.contains('\\')
        && !name.contains(':')
        && name.split('/').all(|part| !part.is_empty() && part != "." && part != "..");
    inside.then(|| if doc.dir.is_empty() { name.to_string() } else { format!("{}/{name}", doc.dir) })
}

/// Checks a campaign's `image:`: a file in the page's folder that is copied with it.
fn image(doc: &Document, split: &front_matter::Split, name: &str, assets: &[Asset], errors: &mut Vec<Error>) -> Option<String> {
    let at = |message: String| {
        let yaml = &doc.source[split.yaml.clone()];
        let key = front_matter::key_offset(&doc.source, split, "image");
        let offset = yaml[key - split.yaml.start..].find(name).filter(|_| !name.is_empty()).map_or(key, |i| key + i);
        Error::at(&doc.file, &doc.source, offset, name.len().max(1), message)
    };
    let Some(path) = image_path(doc, name) else {
        errors.push(
            at(format!("`image: {name}` is not a file in this page's folder"))
                .with_help("put the image next to the page and give its name, e.g. `image: salon.jpg` (no `..`, no absolute path, no URL)"),
        );
        return None;
    };
    if !assets.iter().any(|a| a.rel == path) {
        let folder = Path::new("content").join(&doc.dir);
        errors.push(
            at(format!("`image: {name}`: there is no file `content/{path}`"))
                .with_help(format!("add the image to `{}`, or fix its name", folder.display())),
        );
        return None;
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A campaign from 1 to 15 March 2027 with these posts, positions in order.
    fn march_campaign(snippets: Vec<SnippetFront>, embargo: bool) -> Campaign {
        Campaign {
            id: "c".into(),
            url: "https://a.example".into(),
            starts: NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(),
            ends: NaiveDate::from_ymd_opt(2027, 3, 15).unwrap(),
            hashtags: vec![],
            networks: vec![],
            positions: (0..snippets.len()).collect(),
            snippets,
            image: None,
            embargo,
            goal: None,
        }
    }

    #[test]
    fn status_follows_dates_inclusively() {
        let c = march_campaign(vec![], false);
        let d = |m, d| NaiveDate::from_ymd_opt(2027, m, d).unwrap();
        assert_eq!(c.status(d(2, 28)), Status::Upcoming);
        assert_eq!(c.status(d(3, 1)), Status::Live);
        assert_eq!(c.status(d(3, 15)), Status::Live);
        assert_eq!(c.status(d(3, 16)), Status::Ended);
    }

    #[test]
    fn windows_embargo_and_next_change() {
        let d = |m, d| NaiveDate::from_ymd_opt(2027, m, d).unwrap();
        let snippet = |id: &str, from: Option<NaiveDate>, until: Option<NaiveDate>| SnippetFront {
            id: id.into(),
            from: from.map(Date),
            until: until.map(Date),
            ..SnippetFront::default()
        };
        let c = march_campaign(vec![snippet("tease", None, Some(d(3, 4))), snippet("launch", Some(d(3, 5)), None)], true);
        assert_eq!(c.window(&c.snippets[0]), (d(3, 1), d(3, 4)));
        assert_eq!(c.window(&c.snippets[1]), (d(3, 5), d(3, 15)));
        assert!(c.is_current(&c.snippets[0], d(3, 4)) && !c.is_current(&c.snippets[0], d(3, 5)));
        assert!(!c.is_published(d(2, 28)) && c.is_published(d(3, 1)));
        assert!(!c.is_snippet_published(&c.snippets[1], d(3, 4)) && c.is_snippet_published(&c.snippets[1], d(3, 5)));
        assert_eq!(c.next_change(d(2, 1)), Some(d(3, 1)));
        assert_eq!(c.next_change(d(3, 1)), Some(d(3, 5)));
        assert_eq!(c.next_change(d(3, 5)), Some(d(3, 16)));
        assert_eq!(c.next_change(d(3, 16)), None);
        let phases = c.phases();
        assert_eq!(
            phases.iter().map(|p| (p.snippet.as_str(), p.from, p.until)).collect::<Vec<_>>(),
            vec![("tease", d(3, 1), d(3, 4)), ("launch", d(3, 5), d(3, 15))]
        );
    }

    #[test]
    fn posts_on_the_campaign_dates_are_no_phase_and_shared_windows_are_one() {
        let d = |m, d| NaiveDate::from_ymd_opt(2027, m, d).unwrap();
        let snippet = |id: &str, until: Option<NaiveDate>, phase: Option<&str>| SnippetFront {
            id: id.into(),
            until: until.map(Date),
            phase: phase.map(str::to_string),
            ..SnippetFront::default()
        };
        let c = march_campaign(
            vec![snippet("all", None, Some("launch")), snippet("a", Some(d(3, 4)), None), snippet("b", Some(d(3, 4)), Some("teasing"))],
            false,
        );
        assert_eq!(c.phases(), vec![Phase { snippet: "a".into(), label: Some("teasing".into()), from: d(3, 1), until: d(3, 4) }]);
    }
}
