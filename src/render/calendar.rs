//! The editorial calendar: the page's data, and `calendar.ics` (RFC 5545) so the
//! comms team can subscribe to it.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use serde_json::{json, Value};

use super::context::Site;
use crate::content::{DocId, Phase};

/// A month of the calendar page: its campaigns (by first day) and the phases that start in it.
type Month = (Vec<(NaiveDate, DocId)>, Vec<(NaiveDate, Value)>);

/// `calendar` for `calendar.html`: every campaign of `lang` by month, and by
/// status; each month also lists the phases that start in it.
pub fn page_context(site: &Site, lang: &str, ics_url: &str, labels: Labels<'_>) -> Value {
    let mut by_month: BTreeMap<String, Month> = BTreeMap::new();
    let month = |d: NaiveDate| d.format("%Y-%m").to_string();
    for id in site.campaigns_in(lang) {
        let Some(c) = &site.content.docs[id].campaign else { continue };
        by_month.entry(month(c.starts)).or_default().0.push((c.starts, id));
        for phase in c.phases() {
            let value = json!({
                "page": site.link(id),
                "name": phase_name(&phase, labels),
                "starts": phase.from.format("%Y-%m-%d").to_string(),
                "ends": phase.until.format("%Y-%m-%d").to_string(),
            });
            by_month.entry(month(phase.from)).or_default().1.push((phase.from, value));
        }
    }
    let months: Vec<Value> = by_month
        .into_iter()
        .map(|(month, (mut ids, mut phases))| {
            ids.sort();
            phases.sort_by_key(|(from, _)| *from);
            let campaigns: Vec<Value> = ids.into_iter().map(|(_, id)| site.page(id, false)).collect();
            let phases: Vec<Value> = phases.into_iter().map(|(_, v)| v).collect();
            json!({ "month": month, "campaigns": campaigns, "phases": phases })
        })
        .collect();
    let mut value = site.campaigns_by_status(lang);
    if let Value::Object(map) = &mut value {
        map.insert("months".into(), Value::Array(months));
        map.insert("ics_url".into(), json!(ics_url));
    }
    value
}

/// UI strings of one language (`phase_teasing`…), to name phases.
pub type Labels<'a> = Option<&'a BTreeMap<String, String>>;

/// A phase's name as people read it: the theme's word for `teasing`, `launch`
/// and `reminder`, any other label as written, else the id of its first post.
pub fn phase_name(phase: &Phase, labels: Labels<'_>) -> String {
    match &phase.label {
        Some(label) => labels.and_then(|l| l.get(&format!("phase_{label}"))).cloned().unwrap_or_else(|| label.clone()),
        None => phase.snippet.clone(),
    }
}

/// `calendar.ics`: for every campaign (in the default language when it has a
/// page there) an all-day VEVENT, then one per phase with a reminder; UIDs stay
/// the same across builds.
pub fn ics(site: &Site, labels: Labels<'_>) -> String {
    let mut seen = HashSet::new();
    let mut ids: Vec<DocId> = site.config.language_codes().into_iter().flat_map(|lang| site.campaigns_in(lang)).collect();
    ids.retain(|&id| site.content.docs[id].campaign.as_ref().is_some_and(|c| seen.insert(c.id.clone())));
    ids.sort_by_key(|&id| site.content.docs[id].campaign.as_ref().map(|c| (c.starts, c.id.clone())));
    calendar(&site.config.title, ids.into_iter().flat_map(|id| events(site, id, labels)).collect())
}

/// The `.ics` file next to a campaign page ("add to my calendar"): that
/// campaign and its phases, the same events as in `calendar.ics`.
pub fn campaign_ics(site: &Site, id: DocId, labels: Labels<'_>) -> String {
    calendar(&site.content.docs[id].front.title, events(site, id, labels))
}

/// A VCALENDAR around `events`, folded.
fn calendar(name: &str, events: Vec<String>) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        format!("PRODID:-//chorus//chorus {}//EN", env!("CARGO_PKG_VERSION")),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", escape_text(name)),
    ];
    lines.extend(events);
    lines.push("END:VCALENDAR".to_string());
    let mut out = String::new();
    for line in lines {
        out.push_str(&fold(&line));
    }
    out
}

/// The VEVENT of a campaign, then one per phase.
fn events(site: &Site, id: DocId, labels: Labels<'_>) -> Vec<String> {
    let host = site.config.base_url.host().unwrap_or("chorus.invalid");
    let doc = &site.content.docs[id];
    let Some(c) = &doc.campaign else { return Vec::new() };
    let stamp = doc.front.updated.or(doc.front.date).map_or(site.now, |d| d.0);
    let mut description = doc.front.description.clone().unwrap_or_default();
    if !description.is_empty() {
        description.push('\n');
    }
    description.push_str(&c.url);
    let day = |d: NaiveDate| d.format("%Y%m%d").to_string();
    let event = |uid: String, from: NaiveDate, until: NaiveDate, summary: String, description: &str| {
        vec![
            "BEGIN:VEVENT".to_string(),
            format!("UID:{uid}@{host}"),
            format!("DTSTAMP:{}T000000Z", day(stamp)),
            format!("DTSTART;VALUE=DATE:{}", day(from)),
            // DTEND of an all-day event is exclusive (RFC 5545 §3.6.1): the day after the last.
            format!("DTEND;VALUE=DATE:{}", day(until.succ_opt().unwrap_or(until))),
            format!("SUMMARY:{}", escape_text(&summary)),
            format!("DESCRIPTION:{}", escape_text(description)),
            format!("URL:{}", site.permalink(id)),
            "TRANSP:TRANSPARENT".to_string(),
        ]
    };
    let mut lines = event(c.id.clone(), c.starts, c.ends, doc.front.title.clone(), &description);
    lines.push("END:VEVENT".to_string());
    for phase in c.phases() {
        let summary = format!("{} · {}", doc.front.title, phase_name(&phase, labels));
        lines.extend(event(format!("{}-{}", c.id, phase.snippet), phase.from, phase.until, summary.clone(), &description));
        // A reminder at 9:00 on the phase's first day: for an all-day event the
        // trigger counts from the start of that day (RFC 5545 §3.8.6.3).
        lines.extend([
            "BEGIN:VALARM".to_string(),
            "ACTION:DISPLAY".to_string(),
            format!("DESCRIPTION:{}", escape_text(&summary)),
            "TRIGGER;RELATED=START:PT9H".to_string(),
            "END:VALARM".to_string(),
            "END:VEVENT".to_string(),
        ]);
    }
    lines
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn escape_text(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            ';' => s.push_str("\\;"),
            ',' => s.push_str("\\,"),
            '\n' => s.push_str("\\n"),
            '\r' => {}
            c => s.push(c),
        }
    }
    s
}

/// Folds a content line into lines of at most 75 octets, continuation lines
/// starting with a space, never splitting a UTF-8 character (RFC 5545 §3.1),
/// each ending with CRLF.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let line = format!("SUMMARY:{}", "é".repeat(80));
        let folded = fold(&line);
        for physical in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        let unfolded = folded.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{line}\r\n"));
    }

    #[test]
    fn short_lines_are_untouched() {
        assert_eq!(fold("BEGIN:VEVENT"), "BEGIN:VEVENT\r\n");
    }

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(escape_text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }
}
