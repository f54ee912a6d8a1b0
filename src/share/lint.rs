//! The campaign lint (docs/front-matter.md): what stops a bad post before it ships.
//!
//! Errors fail `check` and `build`; warnings are printed. Every message points
//! at the offending text in the campaign's front matter, like rustc does.
//! (Unknown networks are refused when the front matter is parsed.)

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use chrono::NaiveDate;

use super::{Network, SnippetPosts};
use crate::config::Config;
use crate::content::{front_matter, Content, DocId, Document};
use crate::diagnostics::Error;
use crate::markdown::Rendered;

/// A campaign that ended longer ago than this should not be promoted on the home page.
pub const STALE_AFTER_DAYS: i64 = 30;

/// Runs every rule on every campaign; returns errors and warnings together.
pub fn check(content: &Content, config: &Config, rendered: &[Rendered], posts: &HashMap<DocId, Vec<SnippetPosts>>, now: NaiveDate) -> Vec<Error> {
    let mut problems = Vec::new();
    let words = Words::new(config);
    let mut seen_texts: HashMap<(String, String), (String, String)> = HashMap::new();
    let mut ids: Vec<DocId> = posts.keys().copied().collect();
    ids.sort_unstable();
    for id in ids {
        let doc = &content.docs[id];
        let Some(campaign) = &doc.campaign else { continue };
        let at = Locator::new(doc);
        // A translation's inherited dates are reported with the page they come from.
        if campaign.ends < campaign.starts && doc.front.ends.is_some() {
            problems.push(
                at.key("ends", format!("the campaign ends ({}) before it starts ({})", campaign.ends, campaign.starts))
                    .with_help("swap `starts` and `ends`, or fix the date"),
            );
        }
        windows(&at, doc, campaign, &mut problems);
        let mut snippet_ids = HashSet::new();
        for (index, snippet) in campaign.snippets.iter().enumerate() {
            // Messages point at the post in the front matter, which also lists the posts held back.
            let place = campaign.positions.get(index).copied().unwrap_or(index);
            if !snippet_ids.insert(snippet.id.as_str()) {
                problems.push(
                    at.in_snippet(place, "id", &snippet.id, format!("snippet id `{}` is used twice in this campaign", snippet.id))
                        .with_help("snippet ids become `utm_content` and short links: make each one unique"),
                );
            }
            for network in Network::ALL.into_iter().filter(|n| snippet.has_override(*n) && !campaign.networks.contains(n)) {
                let key = network.id();
                problems.push(
                    at.in_snippet(
                        place,
                        key,
                        snippet.text_for(network),
                        format!("the `{key}:` text of snippet `{}` is never shown: this campaign is not offered on {}", snippet.id, network.name()),
                    )
                    .with_help(format!("add `{key}` to the campaign's `networks`, or remove this text"))
                    .warning(),
                );
            }
            // Rules on the text are checked once per distinct text (the common one, then each override).
            let mut keys_done = HashSet::new();
            let post_list = posts.get(&id).and_then(|p| p.get(index));
            for &network in &campaign.networks {
                let key = if snippet.has_override(network) { network.id() } else { "text" };
                let text = snippet.text_for(network);
                if keys_done.insert(key) {
                    text_rules(&at, place, key, text, config, &words, &mut problems);
                    let previous = seen_texts.insert((doc.lang.clone(), normalise(text)), (campaign.id.clone(), snippet.id.clone()));
                    if let Some((other_campaign, other_snippet)) = previous.filter(|(c, _)| *c != campaign.id) {
                        problems.push(
                            at.in_snippet(
                                place,
                                key,
                                text,
                                format!("this text is the same as snippet `{other_snippet}` of campaign `{other_campaign}`"),
                            )
                            .with_help("colleagues posting identical text look automated: vary the wording")
                            .warning(),
                        );
                    }
                }
                if let Some(post) = post_list.and_then(|p| p.posts.iter().find(|p| p.network == network)) {
                    if let Some(limit) = post.limit.filter(|&l| post.length > l) {
                        problems.push(
                            at.in_snippet(
                                place,
                                key,
                                text,
                                format!(
                                    "too long for {}: {} characters as {} counts them, over its limit of {limit} by {}",
                                    network.name(),
                                    post.length,
                                    network.name(),
                                    post.length - limit
                                ),
                            )
                            .with_help(format!("shorten it, or add a shorter `{}:` version to this snippet", network.id())),
                        );
                    }
                }
            }
        }
        stale_on_home(content, rendered, id, now, &mut problems);
    }
    problems
}

/// A post's `from` and `until` must fall inside the campaign's `starts`..`ends`,
/// in that order. Every post of the front matter is checked, those held back too,
/// so that a bad date is found before the day it would be published.
fn windows(at: &Locator, doc: &Document, campaign: &crate::content::Campaign, problems: &mut Vec<Error>) {
    let (starts, ends) = (campaign.starts, campaign.ends);
    for (index, snippet) in doc.front.snippets.iter().enumerate() {
        for (key, date) in [("from", snippet.from), ("until", snippet.until)] {
            let Some(date) = date else { continue };
            if date.0 < starts || date.0 > ends {
                problems.push(
                    at.in_snippet(
                        index,
                        key,
                        &date.to_string(),
                        format!("`{key}: {date}` of snippet `{}` is outside the campaign, which runs from {starts} to {ends}", snippet.id),
                    )
                    .with_help("a post is shared while its campaign runs: move the date inside `starts`..`ends`"),
                );
            }
        }
        if let (Some(from), Some(until)) = (snippet.from, snippet.until) {
            if until < from {
                problems.push(
                    at.in_snippet(
                        index,
                        "until",
                        &until.to_string(),
                        format!("snippet `{}` ends (`until: {until}`) before it starts (`from: {from}`)", snippet.id),
                    )
                    .with_help("swap `from` and `until`, or fix the date"),
                );
            }
        }
    }
}

fn text_rules(at: &Locator, index: usize, key: &str, text: &str, config: &Config, words: &Words, problems: &mut Vec<Error>) {
    let share = &config.share;
    if text.matches("{link}").count() > 1 {
        problems.push(
            at.in_snippet_nth(index, key, "{link}", 1, "`{link}` appears more than once".to_string())
                .with_help("a post carries its link once; remove the extra `{link}`"),
        );
    }
    for placeholder in unknown_placeholders(text) {
        problems.push(
            at.in_snippet(index, key, placeholder, format!("unknown placeholder `{placeholder}`: it would be posted as written"))
                .with_help("did you mean `{link}`? It is the only placeholder: chorus puts the post's link there"),
        );
    }
    if let Some((disclosure, pattern)) = &words.disclosure {
        if words.find(pattern, text).is_none() {
            problems.push(
                at.in_snippet(index, key, text, format!("the disclosure `{disclosure}` is missing"))
                    .with_help(format!("every post says the author works here: add `{disclosure}` (as a word of its own)")),
            );
        }
    }
    for (phrase, pattern) in &words.banned {
        if let Some(found) = words.find(pattern, text) {
            let found = text.get(found).unwrap_or(text);
            problems.push(
                at.in_snippet(index, key, found, format!("`{phrase}` is a banned phrase (share.banned_phrases)"))
                    .with_help("promises and superlatives employees cannot back up put them at risk: rephrase"),
            );
        }
    }
    let tags = hashtags(text);
    if tags.len() > share.max_hashtags {
        let extra = &text[tags[share.max_hashtags].clone()];
        problems.push(
            at.in_snippet(index, key, extra, format!("{} hashtags, more than share.max_hashtags ({})", tags.len(), share.max_hashtags))
                .with_help("a post with fewer hashtags reads as a person, not an advert")
                .warning(),
        );
    }
}

/// An ended campaign still linked from a home page's text is promoting a past event.
fn stale_on_home(content: &Content, rendered: &[Rendered], id: DocId, now: NaiveDate, problems: &mut Vec<Error>) {
    let Some(campaign) = &content.docs[id].campaign else { return };
    let days = (now - campaign.ends).num_days();
    if days <= STALE_AFTER_DAYS {
        return;
    }
    for &home in content.homes.values() {
        let home_doc = &content.docs[home];
        for (target, span) in &rendered[home].links {
            if *target == id {
                problems.push(
                    Error::at(
                        &home_doc.file,
                        &home_doc.source,
                        span.start,
                        span.len(),
                        format!("the home page links to campaign `{}`, which ended {days} days ago", campaign.id),
                    )
                    .with_help("point the home page to a live campaign instead")
                    .warning(),
                );
            }
        }
    }
}

/// Hashtags as networks see them: `#` after a space or the start, then letters,
/// digits or `_`, with at least one letter (`#1` is not a hashtag).
pub fn hashtags(text: &str) -> Vec<Range<usize>> {
    let mut tags = Vec::new();
    for (i, _) in text.match_indices('#') {
        if text[..i].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '&' || c == '/') {
            continue;
        }
        let body: usize = text[i + 1..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').map(char::len_utf8).sum();
        if text[i + 1..i + 1 + body].chars().any(char::is_alphabetic) {
            tags.push(i..i + 1 + body);
        }
    }
    tags
}

/// `{…}` placeholders other than `{link}` (`{lien}`, `{url}`, `{ link }`): the
/// post would carry them as literal text.
pub fn unknown_placeholders(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = 0;
    while let Some(open) = text[rest..].find('{').map(|i| rest + i) {
        let Some(close) = text[open + 1..].find(['{', '}']).map(|i| open + 1 + i) else { break };
        rest = close;
        if text.as_bytes()[close] == b'{' {
            continue;
        }
        let inner = &text[open + 1..close];
        let looks_like_a_name = (1..=40).contains(&inner.chars().count())
            && inner.trim().chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' '))
            && !inner.trim().is_empty();
        if inner != "link" && looks_like_a_name {
            found.push(&text[open..=close]);
        }
        rest = close + 1;
    }
    found
}

/// The disclosure and the banned phrases, matched as whole words: case
/// ignored (Unicode case folding), accents significant, any run of spaces in a
/// phrase matching any run of white space, and neither end touching a letter,
/// digit or `_` of the text (`top` is not in "stop-fuite", `#AcmeTeam` is not
/// in `#AcmeTeamLyon`).
struct Words {
    disclosure: Option<(String, regex::Regex)>,
    banned: Vec<(String, regex::Regex)>,
}

impl Words {
    fn new(config: &Config) -> Words {
        let share = &config.share;
        let disclosure = share.disclosure.as_deref().filter(|d| !d.trim().is_empty());
        Words {
            disclosure: disclosure.and_then(|d| Some((d.to_string(), word_pattern(d)?))),
            banned: share.banned_phrases.iter().filter_map(|p| Some((p.clone(), word_pattern(p)?))).collect(),
        }
    }

    /// Where `pattern` first occurs in `text` as a whole word. Text is
    /// compared in NFC; when that changed it, the whole text is pointed at.
    fn find(&self, pattern: &regex::Regex, text: &str) -> Option<Range<usize>> {
        use unicode_normalization::UnicodeNormalization;
        if unicode_normalization::is_nfc(text) {
            return pattern.captures(text).and_then(|c| c.get(1)).map(|m| m.range());
        }
        let composed: String = text.nfc().collect();
        pattern.is_match(&composed).then_some(0..text.len())
    }
}

/// The regex that finds `phrase` as a whole word (see [`Words`]); `None` for a blank phrase.
fn word_pattern(phrase: &str) -> Option<regex::Regex> {
    use unicode_normalization::UnicodeNormalization;
    let phrase: String = phrase.trim().nfc().collect();
    if phrase.is_empty() {
        return None;
    }
    let body: Vec<String> = phrase.split_whitespace().map(regex::escape).collect();
    regex::Regex::new(&format!(r"(?i)(?:^|[^\w])({})(?:[^\w]|$)", body.join(r"\s+"))).ok()
}

/// Text compared for "the same post": case and spacing ignored.
fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Finds where things are in a campaign's front matter, for messages that point at them.
struct Locator<'a> {
    doc: &'a Document,
    yaml: Range<usize>,
}

impl<'a> Locator<'a> {
    fn new(doc: &'a Document) -> Self {
        let yaml = front_matter::split(&doc.file, &doc.source).map_or(0..doc.body, |s| s.yaml);
        Locator { doc, yaml }
    }

    fn source(&self) -> &Arc<str> {
        &self.doc.source
    }

    fn error(&self, offset: usize, len: usize, message: String) -> Error {
        Error::at(&self.doc.file, self.source(), offset, len, message)
    }

    /// At a top-level key.
    fn key(&self, key: &str, message: String) -> Error {
        let split = front_matter::Split { yaml: self.yaml.clone(), body: self.doc.body };
        let offset = front_matter::key_offset(self.source(), &split, key);
        self.error(offset, key.len(), message)
    }

    /// The byte range of the value of `key` in the `index`-th snippet (its text,
    /// or its key line when the text cannot be found).
    fn snippet_value(&self, index: usize, key: &str) -> Option<Range<usize>> {
        let yaml = &self.source()[self.yaml.clone()];
        let mut offset = self.yaml.start;
        let mut in_snippets = false;
        let mut item_indent = None;
        let mut item = -1i64;
        let mut found: Option<Range<usize>> = None;
        // A `|` or `>` block's text starts on the next line.
        let mut block = false;
        for line in yaml.split_inclusive('\n') {
            let indent = line.len() - line.trim_start().len();
            let trimmed = line.trim();
            if indent == 0 && !trimmed.is_empty() {
                if found.is_some() {
                    break;
                }
                in_snippets = trimmed.starts_with("snippets:");
            } else if in_snippets && !trimmed.is_empty() {
                let dash = trimmed.starts_with("- ") || trimmed == "-";
                if dash && item_indent.is_none_or(|i| indent <= i) {
                    if found.is_some() {
                        break;
                    }
                    item_indent = Some(indent);
                    item += 1;
                }
                if item == index as i64 {
                    if let Some(range) = &mut found {
                        // A continuation line of a block or multi-line value.
                        if indent > item_indent.unwrap_or(0) + 2 || !trimmed.contains(':') {
                            if std::mem::take(&mut block) {
                                range.start = offset + indent;
                            }
                            range.end = offset + line.trim_end().len();
                        } else {
                            break;
                        }
                    } else {
                        let key_text = trimmed.trim_start_matches("- ");
                        if let Some(rest) = key_text.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
                            let value_start = offset + line.len() - line.trim_start().len()
                                + (trimmed.len() - key_text.len())
                                + key.len()
                                + 1
                                + (rest.len() - rest.trim_start().len());
                            found = Some(value_start..offset + line.trim_end().len());
                            block = rest.trim_start().starts_with(['|', '>']);
                        }
                    }
                }
            }
            offset += line.len();
        }
        found
    }

    /// At `needle` inside the value of `key` of the `index`-th snippet (at the
    /// whole value when `needle` is the whole text or cannot be found as written).
    fn in_snippet(&self, index: usize, key: &str, needle: &str, message: String) -> Error {
        self.in_snippet_nth(index, key, needle, 0, message)
    }

    /// At the `nth` (0-based) occurrence of `needle` in a snippet's value.
    fn in_snippet_nth(&self, index: usize, key: &str, needle: &str, nth: usize, message: String) -> Error {
        match self.snippet_value(index, key) {
            Some(range) => {
                let value = &self.source()[range.clone()];
                let hit = value.match_indices(needle).nth(nth).map(|(i, _)| i);
                match hit.filter(|_| !needle.is_empty() && needle.len() < value.len()) {
                    Some(i) => self.error(range.start + i, needle.len(), message),
                    None => self.error(range.start, range.len().max(1), message),
                }
            }
            None => self.key("snippets", message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first<'t>(phrase: &str, text: &'t str) -> Option<&'t str> {
        let words = Words { disclosure: None, banned: vec![] };
        words.find(&word_pattern(phrase).unwrap(), text).map(|r| &text[r])
    }

    #[test]
    fn phrases_match_whole_words_case_insensitively() {
        assert_eq!(first("top", "Notre stop-fuite est en rayon"), None);
        assert_eq!(first("top", "C'est top-niveau"), Some("top"));
        assert_eq!(first("garanti", "Résultat GARANTI, promis"), Some("GARANTI"));
        assert_eq!(first("garanti", "Sous garantie deux ans"), None);
        assert_eq!(first("#AcmeTeam", "Fiers #AcmeTeamLyon"), None);
        assert_eq!(first("#AcmeTeam", "Fiers #acmeteam !"), Some("#acmeteam"));
        assert_eq!(first("#AcmeTeam", "Fiers a#AcmeTeam"), None);
        assert_eq!(first("#AcmeTeam", "#AcmeTeam_Lyon"), None);
        assert_eq!(first("meilleur du monde", "Le MEILLEUR  du\nmonde."), Some("MEILLEUR  du\nmonde"));
        assert_eq!(first("élu", "Produit ÉLU de l'année"), Some("ÉLU"));
        assert_eq!(first("élu", "Nous avons sélectionné"), None);
        // A decomposed "é" (e + U+0301) is the same word.
        assert!(first("élu", "Produit e\u{301}lu").is_some());
    }

    #[test]
    fn placeholders_other_than_link_are_found() {
        assert_eq!(unknown_placeholders("Voir {lien} et {url} ou { link } mais pas {link}"), vec!["{lien}", "{url}", "{ link }"]);
        assert!(unknown_placeholders("Un {} vide, du code {a: 1, b: 2} ou {{link}").iter().all(|p| *p != "{link}"));
        assert_eq!(unknown_placeholders("{Link}"), vec!["{Link}"]);
    }

    #[test]
    fn hashtags_are_words_after_a_hash() {
        let text = "#AcmeTeam rejoint #Recrutement, pas #1 ni a#b ni https://x.example/#frag #été_2027";
        let tags: Vec<&str> = hashtags(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(tags, vec!["#AcmeTeam", "#Recrutement", "#été_2027"]);
    }
}
