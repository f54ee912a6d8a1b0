//! The period report as a terminal table and as CSV: the same figures as
//! the HTML and Markdown, in English column names (docs/report.md).

use std::fmt::Write;

use super::model::{Counts, Report};
use crate::tracker::csv_field;

/// The CSV header: one row per figure group, `section` says which.
pub const CSV_HEADER: &str =
    "section,key,name,clicks,visitors,copies,shares,bots,clicks_per_share,visitors_per_click,goal_target,goal_done,emv,count";

/// The report as CSV.
pub fn csv(report: &Report) -> String {
    let mut out = format!("{CSV_HEADER}\n");
    let rate = |x: Option<f64>| x.map_or(String::new(), |x| format!("{x:.4}"));
    let money = |x: Option<f64>| x.map_or(String::new(), |x| format!("{x:.2}"));
    let mut row = |section: &str, key: &str, name: &str, c: &Counts, goal: Option<(u64, u64)>, emv: Option<f64>| {
        let (target, done) = goal.map_or((String::new(), String::new()), |(t, d)| (t.to_string(), d.to_string()));
        let _ = writeln!(
            out,
            "{section},{},{},{},{},{},{},{},{},{},{target},{done},{},",
            csv_field(key),
            csv_field(name),
            c.clicks,
            c.visitors,
            c.copies,
            c.shares,
            c.bots,
            rate(c.clicks_per_share()),
            rate(c.visitors_per_click()),
            money(emv)
        );
    };
    let period = format!("{}..{}", report.period.from, report.period.to);
    let previous = format!("{}..{}", report.previous.from, report.previous.to);
    row("total", &period, "", &report.totals, None, report.emv.as_ref().map(|e| e.total));
    row("previous", &previous, "", &report.previous_totals, None, report.emv.as_ref().map(|e| e.previous_total));
    for c in &report.campaigns {
        row("campaign", &c.campaign, &c.title, &c.counts, c.goal.as_ref().map(|g| (g.target, g.done)), c.emv);
    }
    for n in &report.networks {
        row("network", &n.network, "", &n.counts, None, n.emv);
    }
    for v in &report.variants {
        row("variant", &format!("{}/{}", v.campaign, v.snippet), v.excerpt.as_deref().unwrap_or(""), &v.counts, None, None);
    }
    for d in &report.days {
        row("day", &d.day, "", &d.counts, None, None);
    }
    for g in &report.guides {
        let _ = writeln!(out, "guide,{},{},,,,,,,,,,,{}", csv_field(&g.guide), csv_field(&g.title), g.completions);
    }
    for p in &report.policies {
        let _ =
            writeln!(out, "policy,{},{},,,,,,,,,,,{}", csv_field(&format!("{}/{}", p.policy, p.version)), csv_field(&p.title), p.acknowledgements);
    }
    out
}

/// The report as aligned tables for a terminal.
pub fn table(report: &Report) -> String {
    let mut out = String::new();
    let (t, p) = (&report.totals, &report.previous_totals);
    let _ = writeln!(
        out,
        "{} to {} (days in {}), against {} to {}",
        report.period.from, report.period.to, report.time_zone, report.previous.from, report.previous.to
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "{:<10}  {:>8}  {:>8}  {:>8}", "", "period", "previous", "change");
    for (name, now, before) in [
        ("clicks", t.clicks, p.clicks),
        ("visitors", t.visitors, p.visitors),
        ("copies", t.copies, p.copies),
        ("shares", t.shares, p.shares),
        ("bots", t.bots, p.bots),
    ] {
        let change = super::model::change(now, before).map_or("-".to_string(), |c| format!("{:+.0}%", c * 100.0));
        let _ = writeln!(out, "{name:<10}  {now:>8}  {before:>8}  {change:>8}");
    }
    if let Some(emv) = &report.emv {
        let _ = writeln!(out, "{:<10}  {:>8.2}  {:>8.2}  {}", "emv", emv.total, emv.previous_total, emv.currency);
    }
    let rate = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{x:.2}"));
    let header = |out: &mut String, first: &str, width: usize, last: &str| {
        let _ = writeln!(
            out,
            "\n{first:<width$}  {:>8}  {:>8}  {:>8}  {:>8}  {:>8}  {:>9}  {last}",
            "clicks", "visitors", "copies", "shares", "bots", "per share"
        );
    };
    let line = |out: &mut String, key: &str, width: usize, c: &Counts, last: &str| {
        let _ = writeln!(
            out,
            "{key:<width$}  {:>8}  {:>8}  {:>8}  {:>8}  {:>8}  {:>9}  {last}",
            c.clicks,
            c.visitors,
            c.copies,
            c.shares,
            c.bots,
            rate(c.clicks_per_share())
        );
    };
    let width = |keys: &mut dyn Iterator<Item = usize>, min: usize| keys.max().unwrap_or(0).max(min);
    let w = width(&mut report.campaigns.iter().map(|c| c.campaign.chars().count()), 8);
    header(&mut out, "campaign", w, "goal");
    for c in &report.campaigns {
        let goal = c.goal.as_ref().map_or(String::new(), |g| format!("{} / {} {} ({}%)", g.done, g.target, g.metric, g.percent));
        line(&mut out, &c.campaign, w, &c.counts, &goal);
    }
    let w = width(&mut report.networks.iter().map(|n| n.network.chars().count()), 8);
    header(&mut out, "network", w, if report.emv.is_some() { "emv" } else { "" });
    for n in &report.networks {
        line(&mut out, &n.network, w, &n.counts, &n.emv.map_or(String::new(), |e| format!("{e:.2}")));
    }
    let keys: Vec<String> = report.variants.iter().map(|v| format!("{}/{}", v.campaign, v.snippet)).collect();
    let w = width(&mut keys.iter().map(|k| k.chars().count()), 8);
    header(&mut out, "post", w, "visitors per click");
    for (v, key) in report.variants.iter().zip(&keys) {
        line(&mut out, key, w, &v.counts, &rate(v.visitors_per_click));
    }
    header(&mut out, "day", 10, "");
    for d in &report.days {
        line(&mut out, &d.day, 10, &d.counts, "");
    }
    if !report.guides.is_empty() || !report.policies.is_empty() {
        let _ = writeln!(out);
    }
    for g in &report.guides {
        let _ = writeln!(out, "guide {} ({}): {} completed", g.title, g.guide, g.completions);
    }
    for p in &report.policies {
        let _ = writeln!(out, "policy {} ({}) version {}: {} acknowledged", p.title, p.policy, p.version, p.acknowledgements);
    }
    out
}
