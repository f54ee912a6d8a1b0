//! The dashboard's sections: a bar chart (people and bots side by side) and
//! the same numbers as a table, with the funnel's rates where they apply.

use std::fmt::Write;

use crate::tracker::store::StatsRow;
use crate::util::html::escape;

/// `clicks ÷ (copies + shares)` and `visitors ÷ clicks`, two decimals; `–`
/// where the divisor is 0 (docs/report.md, the funnel).
pub fn funnel(r: &StatsRow) -> (String, String) {
    let ratio = |n: i64, d: i64| if d > 0 { format!("{:.2}", n as f64 / d as f64) } else { "–".to_string() };
    (ratio(r.clicks, r.copies + r.shares), ratio(r.visitors, r.clicks))
}

/// A heading, a bar chart and the same numbers as a table; `with_funnel`
/// adds clicks per copy-or-share and visitors per click.
pub fn section(out: &mut String, title: &str, key: &str, rows: &[StatsRow], with_funnel: bool) {
    let _ = write!(out, "<section><h2>{}</h2>", escape(title));
    if rows.is_empty() {
        out.push_str("<p>No clicks in this period.</p></section>");
        return;
    }
    out.push_str(&bar_chart(title, rows));
    let _ = write!(
        out,
        "<table><thead><tr><th scope=\"col\">{}</th><th class=\"n\" scope=\"col\">Clicks</th><th class=\"n\" scope=\"col\">Visitors</th>\
         <th class=\"n\" scope=\"col\">Shares</th><th class=\"n\" scope=\"col\">Copies</th><th class=\"n\" scope=\"col\">Bots</th>",
        escape(key)
    );
    if with_funnel {
        out.push_str("<th class=\"n\" scope=\"col\">Clicks per copy or share</th><th class=\"n\" scope=\"col\">Visitors per click</th>");
    }
    out.push_str("</tr></thead><tbody>");
    for r in rows {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>",
            escape(&r.key),
            r.clicks,
            r.visitors,
            r.shares,
            r.copies,
            r.bots
        );
        if with_funnel {
            let (per_share, per_click) = funnel(r);
            let _ = write!(out, "<td class=\"n\">{per_share}</td><td class=\"n\">{per_click}</td>");
        }
        out.push_str("</tr>");
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_funnel_divides_and_says_when_it_cannot() {
        let row = StatsRow { key: "teaser".into(), clicks: 4, visitors: 3, bots: 2, copies: 2, shares: 1 };
        assert_eq!(funnel(&row), ("1.33".to_string(), "0.75".to_string()));
        let none = StatsRow { clicks: 0, copies: 0, shares: 0, ..row };
        assert_eq!(funnel(&none), ("–".to_string(), "–".to_string()));
    }
}
