//! The period report laid out once for people, in its language: headline
//! figures and titled tables, which [`super::markdown`] and [`super::html`]
//! write each their own way.

use super::model::{Counts, Report};
use super::words::Words;

/// One headline figure and how it moved.
#[derive(Debug, Clone)]
pub struct Figure {
    /// What it counts.
    pub label: String,
    /// The period's value, written out.
    pub value: String,
    /// The change against the previous period (`+12 %`).
    pub change: String,
    /// The previous period's value ("before: 41").
    pub before: String,
}

/// A titled table; its first column is text, the others numbers.
#[derive(Debug, Clone)]
pub struct Table {
    /// The section's title.
    pub title: String,
    /// A sentence under the title, if any.
    pub note: Option<String>,
    /// The column headers.
    pub head: Vec<String>,
    /// The rows, cells written out.
    pub rows: Vec<Vec<String>>,
    /// Goal progress, drawn as a bar where the format can.
    pub progress: Option<Progress>,
    /// What to say when there are no rows.
    pub empty: String,
}

/// Progress (0–100) in one column of a table, per row.
#[derive(Debug, Clone)]
pub struct Progress {
    /// The column it belongs to.
    pub column: usize,
    /// Each row's, if it has one.
    pub rows: Vec<Option<u64>>,
}

/// The report laid out.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The title.
    pub title: String,
    /// The sentences under it: the comparison, the time zone and the bots.
    pub intro: Vec<String>,
    /// The headline figures.
    pub figures: Vec<Figure>,
    /// The EMV sentence (value and formula), with `report.emv`.
    pub emv: Option<String>,
    /// The tables, in order.
    pub tables: Vec<Table>,
    /// Clicks by day (day label, human clicks, bots), for a chart.
    pub days: Vec<(String, i64, i64)>,
    /// The chart's title.
    pub days_title: String,
    /// The last line.
    pub footer: String,
}

/// Lays `report` out in `words`' language.
pub fn layout(report: &Report, words: &Words) -> Layout {
    let period = if report.period.is_month() {
        words.month(report.period.from)
    } else {
        format!("{} – {}", words.date(report.period.from), words.date(report.period.to))
    };
    let (t, p) = (&report.totals, &report.previous_totals);
    let figure = |key: &str, now: i64, before: i64| Figure {
        label: words.get(key, &[]),
        value: words.number(now),
        change: words.change(now, before),
        before: words.get("previous", &[("value", &words.number(before))]),
    };
    let figures = vec![
        figure("clicks", t.clicks, p.clicks),
        figure("visitors", t.visitors, p.visitors),
        figure("copies", t.copies, p.copies),
        figure("shares", t.shares, p.shares),
    ];
    let intro = vec![
        words.get("compared", &[("from", &words.date(report.previous.from)), ("to", &words.date(report.previous.to))]),
        words.get("days_in", &[("zone", &report.time_zone), ("bots", &words.number(t.bots))]),
    ];
    let emv = report.emv.as_ref().map(|e| {
        let rates: Vec<String> = e.rates.iter().map(|(n, c)| format!("{n} {}", words.money(*c, &e.currency))).collect();
        format!(
            "{}{}{} ({}). {}",
            words.get("emv", &[]),
            words.colon(),
            words.money(e.total, &e.currency),
            words.get("previous", &[("value", &words.money(e.previous_total, &e.currency))]),
            words.get("emv_formula", &[("rates", &rates.join(", "))])
        )
    });
    let counted = |c: &Counts| vec![words.number(c.clicks), words.number(c.visitors), words.number(c.copies), words.number(c.shares)];
    let base_head = |first: &str| {
        vec![words.get(first, &[]), words.get("clicks", &[]), words.get("visitors", &[]), words.get("copies", &[]), words.get("shares", &[])]
    };
    let has_emv = report.emv.is_some();
    let currency = report.emv.as_ref().map_or("", |e| e.currency.as_str());

    let mut head = base_head("campaign");
    head.extend([words.get("per_share", &[]), words.get("goal", &[])]);
    let goal_column = head.len() - 1;
    if has_emv {
        head.push(words.get("emv", &[]));
    }
    let campaigns = Table {
        title: words.get("campaigns", &[]),
        note: report.campaigns.iter().any(|c| c.goal.is_some()).then(|| words.get("goal_note", &[("date", &words.date(report.period.to))])),
        rows: report
            .campaigns
            .iter()
            .map(|c| {
                let mut row = vec![c.title.clone()];
                row.extend(counted(&c.counts));
                row.push(words.rate(c.clicks_per_share));
                row.push(c.goal.as_ref().map_or(String::new(), |g| {
                    format!(
                        "{} / {} {} ({})",
                        words.number(g.done as i64),
                        words.number(g.target as i64),
                        words.get(&format!("goal_{}", g.metric), &[]),
                        words.percent(g.percent as f64 / 100.0)
                    )
                }));
                if has_emv {
                    row.push(c.emv.map_or(String::new(), |e| words.money(e, currency)));
                }
                row
            })
            .collect(),
        progress: Some(Progress {
            column: goal_column,
            rows: report.campaigns.iter().map(|c| c.goal.as_ref().map(|g| g.percent.min(100))).collect(),
        }),
        head,
        empty: words.get("nothing", &[]),
    };

    let mut head = base_head("network");
    head.push(words.get("per_share", &[]));
    if has_emv {
        head.push(words.get("emv", &[]));
    }
    let networks = Table {
        title: words.get("networks", &[]),
        note: None,
        rows: report
            .networks
            .iter()
            .map(|n| {
                let mut row =
                    vec![crate::link::Network::ALL.iter().find(|x| x.id() == n.network).map_or(n.network.clone(), |x| x.name().to_string())];
                row.extend(counted(&n.counts));
                row.push(words.rate(n.clicks_per_share));
                if has_emv {
                    row.push(n.emv.map_or(String::new(), |e| words.money(e, currency)));
                }
                row
            })
            .collect(),
        progress: None,
        head,
        empty: words.get("nothing", &[]),
    };

    let mut head =
        vec![words.get("post", &[]), words.get("copies", &[]), words.get("shares", &[]), words.get("clicks", &[]), words.get("visitors", &[])];
    head.extend([words.get("per_share", &[]), words.get("per_click", &[])]);
    let title_of = |id: &str| report.campaigns.iter().find(|c| c.campaign == id).map_or(id.to_string(), |c| c.title.clone());
    let variants = Table {
        title: words.get("variants", &[]),
        note: Some(words.get("variants_note", &[])),
        rows: report
            .variants
            .iter()
            .map(|v| {
                let post = match &v.excerpt {
                    Some(text) => format!("{} · {} — {}", title_of(&v.campaign), v.snippet, words.quote(text)),
                    None => format!("{} · {}", title_of(&v.campaign), v.snippet),
                };
                vec![
                    post,
                    words.number(v.counts.copies),
                    words.number(v.counts.shares),
                    words.number(v.counts.clicks),
                    words.number(v.counts.visitors),
                    words.rate(v.clicks_per_share),
                    words.rate(v.visitors_per_click),
                ]
            })
            .collect(),
        progress: None,
        head,
        empty: words.get("nothing", &[]),
    };

    let mut training_rows: Vec<Vec<String>> = report
        .guides
        .iter()
        .map(|g| vec![format!("{}{}{}", words.get("guide", &[]), words.colon(), g.title), String::new(), words.number(g.completions)])
        .collect();
    training_rows.extend(
        report
            .policies
            .iter()
            .map(|p| vec![format!("{}{}{}", words.get("policy", &[]), words.colon(), p.title), p.version.clone(), words.number(p.acknowledgements)]),
    );
    let training = Table {
        title: words.get("training", &[]),
        note: None,
        progress: None,
        rows: training_rows,
        head: vec![String::new(), words.get("version", &[]), format!("{} / {}", words.get("completions", &[]), words.get("acks", &[]))],
        empty: words.get("no_training", &[]),
    };

    Layout {
        title: words.get("title", &[("period", &period)]),
        intro,
        figures,
        emv,
        tables: vec![campaigns, networks, variants, training],
        days: report.days.iter().map(|d| (d.day.clone(), d.counts.clicks, d.counts.bots)).collect(),
        days_title: words.get("by_day", &[]),
        footer: words.get("footer", &[("hub", &report.hub)]),
    }
}
