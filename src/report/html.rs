//! The period report as one self-contained HTML file: inline CSS, an SVG
//! chart, no script and no external reference; it prints on A4
//! (docs/report.md).

use std::fmt::Write;

use super::layout::Layout;
use crate::util::html::escape;

/// The first table of page two (after campaigns and networks).
const DETAILS: usize = 2;

/// The page's style: screen and A4 print.
const STYLE: &str = "\
@page{size:A4;margin:14mm 14mm 16mm}\
*{box-sizing:border-box}\
body{font:11pt/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1f24;margin:0 auto;max-width:52rem;padding:1.5rem}\
h1{font-size:1.6rem;margin:0 0 .4rem}h2{font-size:1.15rem;margin:1.4rem 0 .4rem;break-after:avoid}\
p{margin:.2rem 0 .5rem}.note{color:#4a5360;font-size:.9rem}\
.figures{display:grid;grid-template-columns:repeat(4,1fr);gap:.6rem;margin:1rem 0;padding:0;list-style:none}\
.figures li{border:1px solid #d0d6de;border-radius:6px;padding:.5rem .7rem}\
.figures .label{display:block;font-size:.85rem;color:#4a5360}.figures .value{display:block;font-size:1.5rem;font-weight:700}\
.figures .change{font-size:.85rem}\
table{border-collapse:collapse;width:100%;font-size:.85rem;break-inside:auto}tr{break-inside:avoid}\
th,td{padding:.3rem .3rem;border-bottom:1px solid #e1e5ea;vertical-align:top}th{text-align:left;font-weight:600;background:#f3f5f8}\
td:not(:first-child),th:not(:first-child){text-align:right}td{white-space:nowrap}th[scope=row]{font-weight:500;min-width:11rem;background:none}\
progress{display:block;width:100%;height:.55rem;margin-top:.2rem}\
figure{margin:.5rem 0;break-inside:avoid}svg{width:100%;height:auto}\
.bar{fill:#1f5fa8}.bot{fill:#c4ccd6}.axis{stroke:#8a94a0;stroke-width:1}.tick{font-size:9px;fill:#4a5360}\
.details{break-before:page}\
footer{margin-top:1.5rem;font-size:.85rem;color:#4a5360}\
@media print{body{padding:0;max-width:none;font-size:10pt}}";

/// The laid-out report as an HTML page in `lang`.
pub fn html(l: &Layout, lang: &str) -> String {
    let mut out = String::with_capacity(32 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body><main><h1>{}</h1>",
        escape(lang),
        escape(&l.title),
        escape(&l.title)
    );
    for line in &l.intro {
        let _ = write!(out, "<p class=\"note\">{}</p>", escape(line));
    }
    out.push_str("<ul class=\"figures\">");
    for f in &l.figures {
        let _ = write!(
            out,
            "<li><span class=\"label\">{}</span><span class=\"value\">{}</span><span class=\"change\">{} · {}</span></li>",
            escape(&f.label),
            escape(&f.value),
            escape(&f.change),
            escape(&f.before)
        );
    }
    out.push_str("</ul>");
    if let Some(emv) = &l.emv {
        let _ = write!(out, "<p>{}</p>", escape(emv));
    }
    // Page one: the figures, campaigns, networks and days; the posts and
    // training figures start page two.
    for (i, t) in l.tables.iter().enumerate() {
        if i == DETAILS {
            chart(&mut out, l);
        }
        let class = if i == DETAILS { " class=\"details\"" } else { "" };
        let _ = write!(out, "<section{class}><h2>{}</h2>", escape(&t.title));
        if let Some(note) = &t.note {
            let _ = write!(out, "<p class=\"note\">{}</p>", escape(note));
        }
        if t.rows.is_empty() {
            let _ = write!(out, "<p>{}</p></section>", escape(&t.empty));
            continue;
        }
        out.push_str("<table><thead><tr>");
        for h in &t.head {
            let _ = write!(out, "<th scope=\"col\">{}</th>", escape(h));
        }
        out.push_str("</tr></thead><tbody>");
        for (r, row) in t.rows.iter().enumerate() {
            out.push_str("<tr>");
            for (i, c) in row.iter().enumerate() {
                let bar = match t.progress.as_ref().filter(|p| p.column == i).and_then(|p| p.rows[r]) {
                    Some(p) => format!("<progress max=\"100\" value=\"{p}\">{p} %</progress>"),
                    None => String::new(),
                };
                let tag = if i == 0 { "th scope=\"row\"" } else { "td" };
                let close = if i == 0 { "th" } else { "td" };
                let _ = write!(out, "<{tag}>{}{bar}</{close}>", escape(c));
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table></section>");
    }
    if l.tables.len() <= DETAILS {
        chart(&mut out, l);
    }
    let _ = writeln!(out, "</main><footer>{}</footer></body></html>", escape(&l.footer));
    out
}

/// Clicks by day as an SVG bar chart (bots stacked in grey above), with
/// the same figures as a table for screen readers.
fn chart(out: &mut String, l: &Layout) {
    let _ = write!(out, "<section><h2>{}</h2><figure>", escape(&l.days_title));
    let (width, height, left, bottom) = (720.0, 160.0, 34.0, 18.0);
    let most = l.days.iter().map(|d| d.1 + d.2).max().unwrap_or(0).max(1) as f64;
    let step = (width - left) / l.days.len().max(1) as f64;
    let _ = write!(
        out,
        "<svg viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"days-title\"><title id=\"days-title\">{}</title>",
        escape(&l.days_title)
    );
    let _ = write!(out, "<line class=\"axis\" x1=\"{left}\" y1=\"{y}\" x2=\"{width}\" y2=\"{y}\"/>", y = height - bottom);
    let _ = write!(out, "<text class=\"tick\" x=\"{}\" y=\"10\" text-anchor=\"end\">{}</text>", left - 4.0, most as i64);
    let scale = (height - bottom - 12.0) / most;
    for (i, (day, clicks, bots)) in l.days.iter().enumerate() {
        let x = left + i as f64 * step + step * 0.15;
        let w = step * 0.7;
        let human = *clicks as f64 * scale;
        let bot = *bots as f64 * scale;
        let base = height - bottom;
        let _ = write!(
            out,
            "<rect class=\"bar\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{human:.1}\"><title>{} : {clicks}</title></rect>",
            base - human,
            escape(day)
        );
        if *bots > 0 {
            let _ = write!(out, "<rect class=\"bot\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{bot:.1}\"/>", base - human - bot);
        }
        if i % 7 == 0 {
            let _ = write!(out, "<text class=\"tick\" x=\"{x:.1}\" y=\"{}\">{}</text>", height - 4.0, escape(day.get(5..).unwrap_or(day)));
        }
    }
    out.push_str("</svg></figure></section>");
}
