//! What an embargo keeps out of a build (docs/front-matter.md, "Phases and
//! embargo"): a campaign with `embargo: true` before its `starts`, and every
//! post whose `from` is after the build day. They are taken out of the
//! content as it is loaded, so that nothing after it (share engine, pages,
//! feeds, calendars, search index, sitemap, links manifest) ever sees them.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::front_matter::Kind;
use super::Document;
use crate::config::Config;

/// What this build leaves out, and when the output next changes.
#[derive(Debug, Clone, Default)]
pub struct HeldBack {
    /// `rel` of each embargoed campaign page, with the day it is published.
    /// A link to one of them is written as plain text, with a warning.
    pub pages: HashMap<String, NaiveDate>,
    /// Their `image:` files (paths under `content/`), not copied to the output either.
    pub images: HashSet<String>,
    /// Ids of those campaigns: a share block naming one shows nothing.
    pub campaigns: HashSet<String>,
    /// (campaign id, snippet id) of the posts whose `from` is after the build day.
    pub snippets: HashSet<(String, String)>,
    /// The first day after the build day on which the output changes.
    pub next_change: Option<NaiveDate>,
    /// The build day (`None`: nothing is held back).
    pub day: Option<NaiveDate>,
}

/// Takes out of `docs` the campaign pages embargoed on `day`. Runs before the
/// section tree is linked, so that no list, menu or neighbour link holds them.
/// A translation takes `embargo` and `starts` from its default-language page
/// when it does not write them.
pub fn hold_back_pages(docs: &mut Vec<Document>, config: &Config, day: Option<NaiveDate>) -> HeldBack {
    let mut held = HeldBack { day, ..HeldBack::default() };
    let Some(day) = day else { return held };
    let is_campaign = |d: &Document| d.kind == Kind::Campaign && !d.is_section;
    let originals: HashMap<&str, &Document> =
        docs.iter().filter(|d| is_campaign(d) && d.lang == config.default_language).map(|d| (d.key.as_str(), d)).collect();
    for doc in docs.iter().filter(|d| is_campaign(d)) {
        let original = originals.get(doc.key.as_str()).filter(|o| o.lang != doc.lang);
        let embargo = doc.front.embargo.or_else(|| original.and_then(|o| o.front.embargo)).unwrap_or(false);
        let starts = doc.front.starts.or_else(|| original.and_then(|o| o.front.starts));
        if let Some(starts) = starts.filter(|s| embargo && day < s.0) {
            held.pages.insert(doc.rel.clone(), starts.0);
            held.campaigns.insert(doc.front.campaign.clone().unwrap_or_else(|| doc.slug.clone()));
            if let Some(image) = &doc.front.image {
                held.images.insert(if doc.dir.is_empty() { image.clone() } else { format!("{}/{image}", doc.dir) });
            }
        }
    }
    docs.retain(|d| !held.pages.contains_key(&d.rel));
    held
}

/// Takes out of every campaign the posts whose `from` is after `day`, and
/// works out the next change: the earliest of every campaign's next change
/// (with all its posts) and of the embargoed pages' first days.
pub fn hold_back_posts(docs: &mut [Document], held: &mut HeldBack) {
    held.snippets.clear();
    let Some(day) = held.day else { return };
    let mut next = held.pages.values().copied().filter(|&d| d > day).min();
    for doc in docs.iter_mut() {
        let Some(campaign) = &mut doc.campaign else { continue };
        next = next.into_iter().chain(campaign.next_change(day)).min();
        let mut kept = Vec::with_capacity(campaign.snippets.len());
        let mut positions = Vec::with_capacity(campaign.snippets.len());
        for (snippet, position) in std::mem::take(&mut campaign.snippets).into_iter().zip(std::mem::take(&mut campaign.positions)) {
            if campaign.is_snippet_published(&snippet, day) {
                kept.push(snippet);
                positions.push(position);
            } else {
                held.snippets.insert((campaign.id.clone(), snippet.id.clone()));
            }
        }
        campaign.snippets = kept;
        campaign.positions = positions;
    }
    held.next_change = next;
}
