//! `/dashboard`: the comms team's view, rendered on the server as HTML with
//! inline SVG charts (no script, nothing loaded from elsewhere). People and
//! bots are always shown apart.

use std::collections::HashMap;
use std::fmt::Write;

mod period;
mod tables;

pub use period::Span;
use tables::section;

use super::catalog::Catalog;
use super::store::{day_label, ClickStore, GroupBy, Result, StatsQuery, StatsRow, Training};
use crate::link::Goal;
use crate::util::html::escape;

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:64rem;padding:1rem;color:#1b1f24}\
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}table{border-collapse:collapse;width:100%;margin:.5rem 0}\
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #d0d7de}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\
.kpis{display:flex;flex-wrap:wrap;gap:1rem}.kpi{border:1px solid #d0d7de;border-radius:6px;padding:.6rem 1rem}\
.kpi b{display:block;font-size:1.5rem}svg{max-width:100%;height:auto}.h{fill:#0a5bd3}.b{fill:#9aa4b2}\
.legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 1rem;vertical-align:middle}\
form{margin:1rem 0}.presets{list-style:none;padding:0;display:flex;gap:1rem}.presets [aria-current]{font-weight:700}.kpi small{display:block;color:#57606a}label{margin-right:.5rem}input,select,button{font:inherit;padding:.3rem .5rem}\
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

/// What the dashboard shows: one campaign or all, over a period.
#[derive(Debug)]
pub struct View<'a> {
    /// One campaign, or all.
    pub campaign: Option<&'a str>,
    /// The days counted (UTC).
    pub span: Span,
    /// Today (UTC day number), for the presets.
    pub today: i64,
    /// The campaigns' goals (campaign id → goal).
    pub goals: &'a HashMap<String, Goal>,
    /// The hub's guides and policies, for their titles.
    pub catalog: &'a Catalog,
}

/// The dashboard: the period's figures against the period before, each
/// campaign's goal, the funnel per network and post, clicks by day, and the
/// guides completed and policy versions acknowledged.
pub async fn render(store: &dyn ClickStore, view: &View<'_>) -> Result<String> {
    let span = view.span;
    let query = |by, span: Span, campaign: Option<&str>| StatsQuery {
        campaign: campaign.map(str::to_string),
        from_day: span.from,
        to_day: span.to,
        by,
        zone: None,
    };
    let campaign = view.campaign;
    let by_day = store.stats(&query(GroupBy::Day, span, campaign)).await?;
    let by_network = store.stats(&query(GroupBy::Network, span, campaign)).await?;
    let by_snippet = store.stats(&query(GroupBy::Snippet, span, campaign)).await?;
    let all_campaigns = store.stats(&query(GroupBy::Campaign, span, None)).await?;
    let every_campaign = store.stats(&query(GroupBy::Campaign, Span::default(), None)).await?;
    // Goals count from each campaign's start to the period's end.
    let toward_goals = store.stats(&query(GroupBy::Campaign, Span { from: None, to: span.to }, None)).await?;
    let previous = match span.previous() {
        Some(before) => Some(StatsRow::total(&store.stats(&query(GroupBy::Campaign, before, campaign)).await?)),
        None => None,
    };
    let now = StatsRow::total(&all_campaigns.iter().filter(|r| campaign.is_none_or(|c| c == r.key)).cloned().collect::<Vec<_>>());

    let mut body = String::new();
    let title = match campaign {
        Some(c) => format!("Campaign {}", escape(c)),
        None => "All campaigns".to_string(),
    };
    let _ = write!(body, "<h1>chorus tracker: {title}</h1>");
    form(&mut body, view, &every_campaign);
    let _ = write!(body, "<p>Figures for <strong>{}</strong> (UTC days)", escape(&span.caption()));
    if let Some(before) = span.previous() {
        let _ = write!(body, ", compared with {}", escape(&before.caption()));
    }
    body.push_str(".</p>");
    kpis(&mut body, &now, previous.as_ref());
    goals_section(&mut body, &toward_goals, campaign, view.goals);
    body.push_str("<p class=\"legend\" aria-hidden=\"true\"><span class=\"h\" style=\"background:#0a5bd3\"></span>people<span style=\"background:#9aa4b2\"></span>bots</p>");
    section(&mut body, "Clicks over time (UTC days)", "Day", &by_day, false);
    section(&mut body, "By network: copies and shares → clicks → visitors", "Network", &by_network, true);
    section(&mut body, "By post: copies and shares → clicks → visitors", "Snippet", &by_snippet, true);
    if campaign.is_none() {
        let mut top = all_campaigns.clone();
        top.sort_by(|a, b| b.clicks.cmp(&a.clicks).then(a.key.cmp(&b.key)));
        section(&mut body, "Top campaigns", "Campaign", &top, true);
        training_section(&mut body, &store.training(&query(GroupBy::Day, span, None)).await?, view.catalog);
    }
    body.push_str(&format!("<p><a href=\"{}\">Export every click (CSV)</a></p>", crate::link::paths::EXPORT_CSV));
    body.push_str("<form method=\"post\" action=\"/dashboard/logout\"><button type=\"submit\">Sign out</button></form>");
    Ok(page("chorus dashboard", &body))
}

/// The period picker: a plain GET form (campaign, from, to) and links to the presets.
fn form(out: &mut String, view: &View<'_>, campaigns: &[StatsRow]) {
    out.push_str("<form method=\"get\" action=\"/dashboard\"><label for=\"campaign\">Campaign</label><select id=\"campaign\" name=\"campaign\"><option value=\"\">All campaigns</option>");
    for row in campaigns {
        let selected = if Some(row.key.as_str()) == view.campaign { " selected" } else { "" };
        let _ = write!(out, "<option value=\"{0}\"{selected}>{0}</option>", escape(&row.key));
    }
    let value = |day: Option<i64>| day.map(day_label).unwrap_or_default();
    let _ = write!(
        out,
        "</select> <label for=\"from\">From</label><input type=\"date\" id=\"from\" name=\"from\" value=\"{}\"> \
         <label for=\"to\">To</label><input type=\"date\" id=\"to\" name=\"to\" value=\"{}\"> <button type=\"submit\">Show</button></form>",
        value(view.span.from),
        value(view.span.to)
    );
    out.push_str("<nav aria-label=\"Periods\"><ul class=\"presets\">");
    let campaign = view.campaign.map(|c| format!("campaign={}", percent_encoding::utf8_percent_encode(c, percent_encoding::NON_ALPHANUMERIC)));
    for (label, span) in period::presets(view.today) {
        let query: Vec<String> = campaign.iter().cloned().chain(Some(span.query()).filter(|q| !q.is_empty())).collect();
        let current = if span == view.span { " aria-current=\"page\"" } else { "" };
        let _ = write!(out, "<li><a href=\"/dashboard?{}\"{current}>{label}</a></li>", escape(&query.join("&")));
    }
    out.push_str("</ul></nav>");
}

/// One figure of a row.
type Figure = fn(&StatsRow) -> i64;

/// The five figures, each with its change against the period before when there is one.
fn kpis(out: &mut String, now: &StatsRow, before: Option<&StatsRow>) {
    let figures: [(&str, Figure); 5] = [
        ("clicks by people", |r| r.clicks),
        ("visitors (daily, where counting is allowed)", |r| r.visitors),
        ("shares from the hub", |r| r.shares),
        ("copies from the hub", |r| r.copies),
        ("bots and link previews (not counted)", |r| r.bots),
    ];
    out.push_str("<div class=\"kpis\">");
    for (label, figure) in figures {
        let change = before.map(|b| format!("<small>{}</small>", escape(&period::change(figure(now), figure(b))))).unwrap_or_default();
        let _ = write!(out, "<p class=\"kpi\"><b>{}</b>{label}{change}</p>", figure(now));
    }
    out.push_str("</div>");
}

/// "Training and policy": completions per guide, acknowledgements per policy version.
fn training_section(out: &mut String, training: &Training, catalog: &Catalog) {
    out.push_str("<section><h2>Training and policy</h2>");
    if training.guides.is_empty() && training.policies.is_empty() {
        out.push_str("<p>No guide completed and no policy version acknowledged in this period.</p></section>");
        return;
    }
    out.push_str("<table><thead><tr><th scope=\"col\">Guide or policy</th><th scope=\"col\">Version</th><th class=\"n\" scope=\"col\">Completed or acknowledged</th></tr></thead><tbody>");
    for g in &training.guides {
        let title = catalog.guide_title(&g.guide).unwrap_or(&g.guide);
        let _ = write!(out, "<tr><th scope=\"row\">Guide: {}</th><td></td><td class=\"n\">{}</td></tr>", escape(title), g.completions);
    }
    for p in &training.policies {
        let title = catalog.policy_title(&p.policy).unwrap_or(&p.policy);
        let _ = write!(
            out,
            "<tr><th scope=\"row\">Policy: {}</th><td>{}</td><td class=\"n\">{}</td></tr>",
            escape(title),
            escape(&p.version),
            p.acknowledgements
        );
    }
    out.push_str("</tbody></table><p>Each browser counts once a day; no one is named.</p></section>");
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
