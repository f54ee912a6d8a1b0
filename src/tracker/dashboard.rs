//! `/dashboard`: the comms team's view, rendered on the server as HTML with
//! inline SVG charts (no script, nothing loaded from elsewhere). People and
//! bots are always shown apart.

use std::collections::HashMap;
use std::fmt::Write;

use super::store::{ClickStore, GroupBy, Result, StatsQuery, StatsRow};
use crate::link::Goal;
use crate::util::html::escape;

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:64rem;padding:1rem;color:#1b1f24}\
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}table{border-collapse:collapse;width:100%;margin:.5rem 0}\
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #d0d7de}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\
.kpis{display:flex;flex-wrap:wrap;gap:1rem}.kpi{border:1px solid #d0d7de;border-radius:6px;padding:.6rem 1rem}\
.kpi b{display:block;font-size:1.5rem}svg{max-width:100%;height:auto}.h{fill:#0a5bd3}.b{fill:#9aa4b2}\
.legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 1rem;vertical-align:middle}\
form{margin:1rem 0}label{margin-right:.5rem}input,select,button{font:inherit;padding:.3rem .5rem}\
@media (prefers-color-scheme:dark){body{background:#111418;color:#e6e9ee}th,td{border-color:#3a414b}.kpi{border-color:#3a414b}}";

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body><main>{body}</main></body></html>\n",
        escape(title)
    )
}

/// The login form; `failed` adds a message after a wrong token.
pub fn login_page(failed: bool) -> String {
    let error = if failed { "<p role=\"alert\"><strong>That token is not the right one.</strong></p>" } else { "" };
    page(
        "chorus: sign in",
        &format!(
            "<h1>chorus tracker</h1><p>The dashboard needs the admin token (<code>CHORUS_ADMIN_TOKEN</code>).</p>{error}\
             <form method=\"post\" action=\"/dashboard/login\"><label for=\"token\">Admin token</label>\
             <input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\" required>\
             <button type=\"submit\">Sign in</button></form>"
        ),
    )
}

/// The dashboard, for every campaign or one.
/// `goals` are the campaigns' goals (campaign id → goal), shown with the
/// progress of each campaign that has one.
pub async fn render(store: &dyn ClickStore, campaign: Option<&str>, goals: &HashMap<String, Goal>) -> Result<String> {
    let query = |by| StatsQuery { campaign: campaign.map(str::to_string), from_day: None, to_day: None, by, zone: None };
    let by_day = store.stats(&query(GroupBy::Day)).await?;
    let by_network = store.stats(&query(GroupBy::Network)).await?;
    let by_snippet = store.stats(&query(GroupBy::Snippet)).await?;
    let all_campaigns = store.stats(&StatsQuery { by: GroupBy::Campaign, ..StatsQuery::default() }).await?;
    let total = |f: fn(&StatsRow) -> i64| by_network.iter().map(f).sum::<i64>();

    let mut body = String::new();
    let title = match campaign {
        Some(c) => format!("Campaign {}", escape(c)),
        None => "All campaigns".to_string(),
    };
    let _ = write!(body, "<h1>chorus tracker: {title}</h1>");
    body.push_str("<form method=\"get\" action=\"/dashboard\"><label for=\"campaign\">Campaign</label><select id=\"campaign\" name=\"campaign\"><option value=\"\">All campaigns</option>");
    for row in &all_campaigns {
        let selected = if Some(row.key.as_str()) == campaign { " selected" } else { "" };
        let _ = write!(body, "<option value=\"{0}\"{selected}>{0}</option>", escape(&row.key));
    }
    body.push_str("</select> <button type=\"submit\">Show</button></form>");
    let _ = write!(
        body,
        "<div class=\"kpis\"><p class=\"kpi\"><b>{}</b>clicks by people</p><p class=\"kpi\"><b>{}</b>visitors (daily, where counting is allowed)</p>\
         <p class=\"kpi\"><b>{}</b>shares from the hub</p><p class=\"kpi\"><b>{}</b>copies from the hub</p><p class=\"kpi\"><b>{}</b>bots and link previews (not counted)</p></div>",
        total(|r| r.clicks), by_day.iter().map(|r| r.visitors).sum::<i64>(), total(|r| r.shares), total(|r| r.copies), total(|r| r.bots)
    );
    goals_section(&mut body, &all_campaigns, campaign, goals);
    body.push_str("<p class=\"legend\" aria-hidden=\"true\"><span class=\"h\" style=\"background:#0a5bd3\"></span>people<span style=\"background:#9aa4b2\"></span>bots</p>");
    section(&mut body, "Clicks over time (UTC days)", "Day", &by_day);
    section(&mut body, "By network", "Network", &by_network);
    section(&mut body, "By snippet", "Snippet", &by_snippet);
    if campaign.is_none() {
        let mut top = all_campaigns.clone();
        top.sort_by(|a, b| b.clicks.cmp(&a.clicks).then(a.key.cmp(&b.key)));
        section(&mut body, "Top campaigns", "Campaign", &top);
    }
    body.push_str(&format!("<p><a href=\"{}\">Export every click (CSV)</a></p>", crate::link::paths::EXPORT_CSV));
    body.push_str("<form method=\"post\" action=\"/dashboard/logout\"><button type=\"submit\">Sign out</button></form>");
    Ok(page("chorus dashboard", &body))
}

/// "Goals": each campaign shown that has one, "312 / 500 clicks (62 %)" and
/// a `<progress>` bar named by its campaign (human figures only).
fn goals_section(out: &mut String, rows: &[StatsRow], campaign: Option<&str>, goals: &HashMap<String, Goal>) {
    let mut shown: Vec<(&str, Goal, i64, i64)> = goals
        .iter()
        .filter(|(id, _)| campaign.is_none_or(|c| c == id.as_str()))
        .map(|(id, goal)| {
            let row = rows.iter().find(|r| &r.key == id);
            (id.as_str(), *goal, row.map_or(0, |r| r.clicks), row.map_or(0, |r| r.visitors))
        })
        .collect();
    if shown.is_empty() {
        return;
    }
    shown.sort_by_key(|(id, ..)| *id);
    out.push_str("<section><h2>Goals</h2><table><thead><tr><th scope=\"col\">Campaign</th><th scope=\"col\">Progress</th></tr></thead><tbody>");
    for (id, goal, clicks, visitors) in shown {
        let done = goal.done(clicks, visitors);
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{0}</th><td><progress max=\"{1}\" value=\"{2}\" aria-label=\"{0}: {3}\">{3}</progress> {3}</td></tr>",
            escape(id),
            goal.target,
            done.min(goal.target),
            escape(&goal.progress_text(clicks, visitors))
        );
    }
    out.push_str("</tbody></table></section>");
}

/// A heading, a bar chart (people and bots side by side) and the same numbers as a table.
fn section(out: &mut String, title: &str, key: &str, rows: &[StatsRow]) {
    let _ = write!(out, "<section><h2>{}</h2>", escape(title));
    if rows.is_empty() {
        out.push_str("<p>No clicks yet.</p></section>");
        return;
    }
    out.push_str(&bar_chart(title, rows));
    let _ = write!(
        out,
        "<table><thead><tr><th scope=\"col\">{}</th><th class=\"n\" scope=\"col\">Clicks</th><th class=\"n\" scope=\"col\">Visitors</th>\
         <th class=\"n\" scope=\"col\">Shares</th><th class=\"n\" scope=\"col\">Copies</th><th class=\"n\" scope=\"col\">Bots</th></tr></thead><tbody>",
        escape(key)
    );
    for r in rows {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&r.key), r.clicks, r.visitors, r.shares, r.copies, r.bots
        );
    }
    out.push_str("</tbody></table></section>");
}

/// Horizontal bars: one row per key, people then bots.
pub fn bar_chart(title: &str, rows: &[StatsRow]) -> String {
    let max = rows.iter().map(|r| r.clicks.max(r.bots)).max().unwrap_or(0).max(1) as f64;
    let row_height = 22;
    let label_width = 180;
    let width = 640;
    let height = rows.len() * row_height + 10;
    let mut svg =
        format!("<svg role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">", escape(title));
    for (i, r) in rows.iter().enumerate() {
        let y = i * row_height + 4;
        let bar = |n: i64| ((n as f64 / max) * f64::from(width - label_width - 60)).round();
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{}\" font-size=\"12\" fill=\"currentColor\">{}</text>\
             <rect class=\"h\" x=\"{label_width}\" y=\"{y}\" width=\"{}\" height=\"9\"/>\
             <rect class=\"b\" x=\"{label_width}\" y=\"{}\" width=\"{}\" height=\"5\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"currentColor\">{}</text>",
            y + 11,
            escape(&r.key.chars().take(26).collect::<String>()),
            bar(r.clicks),
            y + 10,
            bar(r.bots),
            label_width as f64 + bar(r.clicks) + 6.0,
            y + 9,
            r.clicks
        );
    }
    svg.push_str("</svg>");
    svg
}
