//! What to share on a day, in one language: the live campaigns' current posts
//! (those whose window starts that day first), the next campaign as a teaser
//! and the hub's address. Every format of the digest is written from this.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::content::Status;
use crate::hub::Hub;
use crate::link::impact::Impact;
use crate::link::Network;
use crate::util::date;
use crate::util::number::{group_digits_in, is_french};

/// The digest of one day in one language.
#[derive(Debug, Clone)]
pub struct Digest {
    /// The day it is for.
    pub day: NaiveDate,
    /// Its language code.
    pub lang: String,
    /// The hub's title in that language.
    pub hub_title: String,
    /// The hub's home page in that language.
    pub hub_url: String,
    /// The e-mail's subject.
    pub subject: String,
    /// The hub's accent colour (`theme_color`), for buttons.
    pub accent: String,
    /// Live campaigns with posts to share that day, those with a phase starting that day first.
    pub campaigns: Vec<CampaignDigest>,
    /// The next campaign to start (an embargoed one is left out).
    pub teaser: Option<Teaser>,
    /// What the last 30 days of sharing achieved, as one sentence ("Ces 30
    /// derniers jours, vos publications ont apporté 1 240 visites à
    /// acme.example…"): set by [`Digest::with_impact`], and only when
    /// people clicked.
    pub impact: Option<String>,
    /// The theme's strings of the language (`digest_*` keys).
    strings: BTreeMap<String, String>,
}

/// A live campaign and its posts of the day.
#[derive(Debug, Clone)]
pub struct CampaignDigest {
    /// Its title.
    pub title: String,
    /// Its one-line description, if any.
    pub description: Option<String>,
    /// Its page on the hub.
    pub page: String,
    /// Its posts of the day, the featured one first.
    pub posts: Vec<PostDigest>,
}

/// One post to share, with a link for each network.
#[derive(Debug, Clone)]
pub struct PostDigest {
    /// The snippet id.
    pub snippet: String,
    /// Its `phase:` label, if any.
    pub phase: Option<String>,
    /// Whether its window starts on the digest's day.
    pub starts_today: bool,
    /// Its last day.
    pub until: NaiveDate,
    /// The text with its tracked link, as written for the campaign's first network.
    pub text: String,
    /// The tracked link in that text.
    pub link: String,
    /// One-click share links, one per network of the campaign.
    pub shares: Vec<(Network, String)>,
}

/// The next campaign, announced at the end.
#[derive(Debug, Clone)]
pub struct Teaser {
    /// Its title.
    pub title: String,
    /// Its one-line description, if any.
    pub description: Option<String>,
    /// Its first day.
    pub starts: NaiveDate,
    /// Its page on the hub.
    pub page: String,
}

impl Digest {
    /// The theme string `key` of the digest's language, `{name}`s filled from `args`.
    pub fn string(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut text = self.strings.get(key).cloned().unwrap_or_else(|| key.to_string());
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    /// A day written out in the digest's language.
    pub fn date(&self, day: NaiveDate) -> String {
        date::long_in(day, &self.lang)
    }

    /// The labels above a post, as every format shows them: "starts today"
    /// (when it does; each format stresses it its own way), then its phase
    /// and its last day.
    pub fn labels(&self, post: &PostDigest) -> (Option<String>, Vec<String>) {
        let today = post.starts_today.then(|| self.string("digest_starts_today", &[]));
        let mut others: Vec<String> = post.phase.iter().map(|phase| self.string("digest_phase", &[("phase", phase)])).collect();
        others.push(self.string("digest_until", &[("date", &self.date(post.until))]));
        (today, others)
    }

    /// How many posts it holds.
    pub fn post_count(&self) -> usize {
        self.campaigns.iter().map(|c| c.posts.len()).sum()
    }

    /// Adds the collective result from the tracker, in the words of the
    /// home page's line (the theme's `impact_total`), the visits being the
    /// clicks by people to `site`; nothing when there were none.
    pub fn with_impact(&mut self, impact: &Impact, site: Option<&str>) {
        let Ok(clicks) = u64::try_from(impact.clicks) else { return };
        if clicks == 0 {
            return;
        }
        let (number, singular) = written(clicks, &self.lang);
        let visits = format!("{number} {}", self.string(if singular { "impact_visit" } else { "impact_visits" }, &[]));
        self.impact = Some(match site {
            Some(site) => self.string("impact_total", &[("visits", &visits), ("site", site)]),
            None => self.string("impact_total_nosite", &[("visits", &visits)]),
        });
    }
}

/// `n` as written in `lang`, and whether its noun takes the singular:
/// French puts 0 and 1 in the singular, other languages only 1.
fn written(n: u64, lang: &str) -> (String, bool) {
    (group_digits_in(n, lang), if is_french(lang) { n <= 1 } else { n == 1 })
}

/// The digest of `hub.now` in each language of `langs` that has something
/// to share that day (none: nothing current).
pub fn digests(hub: &Hub, langs: &[&str]) -> Vec<Digest> {
    langs.iter().filter_map(|lang| digest(hub, lang)).collect()
}

/// The digest of `hub.now` in `lang`, or `None` when no post is to be shared that day.
fn digest(hub: &Hub, lang: &str) -> Option<Digest> {
    let day = hub.now;
    let config = &hub.config;
    let mut campaigns: Vec<(NaiveDate, CampaignDigest)> = Vec::new();
    let mut upcoming: Vec<Teaser> = Vec::new();
    for (id, doc) in hub.content.docs.iter().enumerate() {
        let Some(campaign) = doc.campaign.as_ref().filter(|_| doc.lang == lang && !doc.is_section) else { continue };
        let page = config.base_url.permalink(&doc.path);
        match campaign.status(day) {
            Status::Upcoming if campaign.is_published(day) => {
                upcoming.push(Teaser { title: doc.front.title.clone(), description: doc.front.description.clone(), starts: campaign.starts, page })
            }
            Status::Live => {
                let posts = hub.shares.posts.get(&id).map(Vec::as_slice).unwrap_or_default();
                let mut current: Vec<PostDigest> = campaign
                    .snippets
                    .iter()
                    .filter(|s| campaign.is_current(s, day) && campaign.is_snippet_published(s, day))
                    .filter_map(|snippet| {
                        let of_snippet = posts.iter().find(|p| p.id == snippet.id)?;
                        let first = of_snippet.posts.first()?;
                        let (from, until) = campaign.window(snippet);
                        Some(PostDigest {
                            snippet: snippet.id.clone(),
                            phase: snippet.phase.clone(),
                            starts_today: from == day,
                            until,
                            text: first.text.clone(),
                            link: first.link.clone(),
                            shares: of_snippet.posts.iter().map(|p| (p.network, p.intent.clone())).collect(),
                        })
                    })
                    .collect();
                if current.is_empty() {
                    continue;
                }
                feature_of_the_day(&mut current, day);
                let title = doc.front.title.clone();
                campaigns.push((campaign.starts, CampaignDigest { title, description: doc.front.description.clone(), page, posts: current }));
            }
            Status::Upcoming | Status::Ended => {}
        }
    }
    if campaigns.is_empty() {
        return None;
    }
    // A phase starting today comes first, then the campaigns in the order they started.
    campaigns.sort_by(|(a_starts, a), (b_starts, b)| {
        let new = |c: &CampaignDigest| !c.posts.first().is_some_and(|p| p.starts_today);
        new(a).cmp(&new(b)).then(a_starts.cmp(b_starts)).then(a.title.cmp(&b.title))
    });
    upcoming.sort_by(|a, b| a.starts.cmp(&b.starts).then(a.title.cmp(&b.title)));
    let strings = hub.theme.strings.get(lang).cloned().unwrap_or_default();
    let subject = config.digest.subject.clone().or_else(|| strings.get("digest_subject").cloned()).unwrap_or_else(|| "digest_subject".into());
    Some(Digest {
        day,
        lang: lang.to_string(),
        hub_title: config.title_in(lang).to_string(),
        hub_url: config.base_url.permalink(&config.language_path(lang, "")),
        subject,
        accent: config.theme_color.clone(),
        campaigns: campaigns.into_iter().map(|(_, c)| c).collect(),
        teaser: upcoming.into_iter().next(),
        impact: None,
        strings,
    })
}

/// Puts the post featured on `day` first: the variant handed out turns with
/// the days (day number modulo the number of posts), so colleagues do not all
/// post the same words; posts whose phase starts that day stay ahead of the others.
fn feature_of_the_day(posts: &mut [PostDigest], day: NaiveDate) {
    let turn = date::day_number(day).rem_euclid(posts.len() as i64) as usize;
    posts.rotate_left(turn);
    posts.sort_by_key(|p| !p.starts_today);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_each_language_writes_them() {
        assert_eq!(written(1240, "fr"), ("1\u{202f}240".to_string(), false));
        assert_eq!(written(1, "fr"), ("1".to_string(), true));
        assert_eq!(written(0, "fr"), ("0".to_string(), true));
        assert_eq!(written(1240, "en"), ("1,240".to_string(), false));
        assert_eq!((written(1, "en").1, written(0, "en").1), (true, false));
    }

    fn post(id: &str, starts_today: bool) -> PostDigest {
        PostDigest {
            snippet: id.into(),
            phase: None,
            starts_today,
            until: NaiveDate::default(),
            text: String::new(),
            link: String::new(),
            shares: Vec::new(),
        }
    }

    fn order(posts: &[PostDigest]) -> Vec<&str> {
        posts.iter().map(|p| p.snippet.as_str()).collect()
    }

    #[test]
    fn the_featured_variant_turns_with_the_day_and_is_stable_within_it() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let mut firsts = Vec::new();
        for offset in 0..3 {
            let d = day + chrono::Days::new(offset);
            let mut a = vec![post("a", false), post("b", false), post("c", false)];
            let mut again = a.clone();
            feature_of_the_day(&mut a, d);
            feature_of_the_day(&mut again, d);
            assert_eq!(order(&a), order(&again), "the same day features the same post");
            firsts.push(a[0].snippet.clone());
        }
        firsts.sort();
        assert_eq!(firsts, ["a", "b", "c"], "three days feature each of three posts once");
    }

    #[test]
    fn a_phase_starting_today_comes_first() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let mut posts = vec![post("a", false), post("b", false), post("launch", true)];
        feature_of_the_day(&mut posts, day);
        assert_eq!(posts[0].snippet, "launch");
    }
}
