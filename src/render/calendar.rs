//! The editorial calendar: the page's data, and `calendar.ics` (RFC 5545) so the
//! comms team can subscribe to it.

use std::collections::{BTreeMap, HashSet};

use serde_json::{json, Value};

use super::context::Site;
use crate::content::DocId;

/// `calendar` for `calendar.html`: every campaign of `lang` by month, and by status.
pub fn page_context(site: &Site, lang: &str, ics_url: &str) -> Value {
    let mut by_month: BTreeMap<String, Vec<(chrono::NaiveDate, DocId)>> = BTreeMap::new();
    for id in site.campaigns_in(lang) {
        if let Some(c) = &site.content.docs[id].campaign {
            by_month.entry(c.starts.format("%Y-%m").to_string()).or_default().push((c.starts, id));
        }
    }
    let months: Vec<Value> = by_month
        .into_iter()
        .map(|(month, mut ids)| {
            ids.sort();
            let campaigns: Vec<Value> = ids.into_iter().map(|(_, id)| site.page(id, false)).collect();
            json!({ "month": month, "campaigns": campaigns })
        })
        .collect();
    let mut value = site.campaigns_by_status(lang);
    if let Value::Object(map) = &mut value {
        map.insert("months".into(), Value::Array(months));
        map.insert("ics_url".into(), json!(ics_url));
    }
    value
}

/// `calendar.ics`: one all-day VEVENT per campaign (in the default language when
/// it has a page there), with a UID that stays the same across builds.
pub fn ics(site: &Site) -> String {
    let host = site.config.base_url.host().unwrap_or("chorus.invalid");
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        format!("PRODID:-//chorus//chorus {}//EN", env!("CARGO_PKG_VERSION")),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", escape_text(&site.config.title)),
    ];
    let mut seen = HashSet::new();
    let mut ids: Vec<DocId> = site.config.language_codes().into_iter().flat_map(|lang| site.campaigns_in(lang)).collect();
    ids.retain(|&id| site.content.docs[id].campaign.as_ref().is_some_and(|c| seen.insert(c.id.clone())));
    ids.sort_by_key(|&id| site.content.docs[id].campaign.as_ref().map(|c| (c.starts, c.id.clone())));
    for id in ids {
        let doc = &site.content.docs[id];
        let Some(c) = &doc.campaign else { continue };
        let stamp = doc.front.updated.or(doc.front.date).map_or(site.now, |d| d.0);
        let mut description = doc.front.description.clone().unwrap_or_default();
        if !description.is_empty() {
            description.push('\n');
        }
        description.push_str(&c.url);
        lines.extend([
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}@{}", c.id, host),
            format!("DTSTAMP:{}T000000Z", stamp.format("%Y%m%d")),
            format!("DTSTART;VALUE=DATE:{}", c.starts.format("%Y%m%d")),
            // DTEND of an all-day event is exclusive (RFC 5545 §3.6.1): the day after `ends`.
            format!("DTEND;VALUE=DATE:{}", c.ends.succ_opt().unwrap_or(c.ends).format("%Y%m%d")),
            format!("SUMMARY:{}", escape_text(&doc.front.title)),
            format!("DESCRIPTION:{}", escape_text(&description)),
            format!("URL:{}", site.permalink(id)),
            "TRANSP:TRANSPARENT".to_string(),
            "END:VEVENT".to_string(),
        ]);
    }
    lines.push("END:VCALENDAR".to_string());
    let mut out = String::new();
    for line in lines {
        out.push_str(&fold(&line));
    }
    out
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
