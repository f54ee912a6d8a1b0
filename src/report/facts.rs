//! What the period report takes from the hub: campaign titles, goals, each
//! post's first words, the time zone, `report.emv` and the UI strings.

use std::collections::BTreeMap;

use super::gather::Facts;
use crate::hub::Hub;

/// How many characters of a post the report shows.
const EXCERPT_CHARS: usize = 72;

/// The facts of `hub` in `lang`: titles and excerpts in that language where
/// a page has it, else in the hub's default language.
pub fn of_hub(hub: &Hub, lang: &str) -> Facts {
    let config = &hub.config;
    let mut facts = Facts {
        hub: config.title_in(lang).to_string(),
        lang: lang.to_string(),
        zone: Some(config.tz()),
        emv: config.report.emv.clone(),
        ..Facts::default()
    };
    // The report's language first, so its titles win over the default language's.
    let mut docs: Vec<_> = hub.content.docs.iter().filter(|d| d.campaign.is_some() && !d.is_section).collect();
    docs.sort_by_key(|d| (d.lang != lang, d.lang != config.default_language));
    for doc in docs {
        let Some(campaign) = &doc.campaign else { continue };
        facts.titles.entry(campaign.id.clone()).or_insert_with(|| doc.front.title.clone());
        if let Some(goal) = campaign.goal {
            facts.goals.entry(campaign.id.clone()).or_insert(goal);
        }
        for snippet in &campaign.snippets {
            facts.excerpts.entry((campaign.id.clone(), snippet.id.clone())).or_insert_with(|| excerpt(&snippet.text));
        }
    }
    let mut milestones: Vec<_> = hub.content.docs.iter().filter(|d| d.milestone_id().is_some()).collect();
    milestones.sort_by_key(|d| (d.lang != lang, d.lang != config.default_language));
    for doc in milestones {
        let Some(id) = doc.milestone_id() else { continue };
        let titles = if doc.is_section { &mut facts.guide_titles } else { &mut facts.policy_titles };
        titles.entry(id).or_insert_with(|| doc.front.title.clone());
    }
    facts
}

/// A post's first words, its `{link}` left out, cut at a word with "…".
fn excerpt(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().filter(|w| !w.contains("{link}")).collect();
    let mut out = String::new();
    for word in words {
        if out.chars().count() + word.chars().count() + 1 > EXCERPT_CHARS {
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The theme's `report_*` strings of `lang`.
pub fn strings(hub: &Hub, lang: &str) -> BTreeMap<String, String> {
    hub.theme
        .strings
        .get(lang)
        .map(|s| s.iter().filter(|(k, _)| k.starts_with("report_")).map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_leave_the_link_out_and_stop_at_a_word() {
        assert_eq!(excerpt("Nous recrutons ! {link} #emploi"), "Nous recrutons ! #emploi");
        let long = "mot ".repeat(40);
        let cut = excerpt(&long);
        assert!(cut.ends_with('…') && cut.chars().count() <= EXCERPT_CHARS + 1, "{cut}");
        assert!(!cut.contains("mo…"));
    }
}
