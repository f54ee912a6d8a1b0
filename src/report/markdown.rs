//! The period report as Markdown, for a wiki (docs/report.md).

use std::fmt::Write;

use super::layout::Layout;

/// The laid-out report as Markdown.
pub fn markdown(l: &Layout) -> String {
    let mut out = format!("# {}\n\n", cell(&l.title));
    for line in &l.intro {
        let _ = writeln!(out, "{}\n", cell(line));
    }
    let _ = writeln!(out, "| | | |\n|---|--:|--:|");
    for f in &l.figures {
        let _ = writeln!(out, "| {} | **{}** | {} ({}) |", cell(&f.label), f.value, f.change, cell(&f.before));
    }
    out.push('\n');
    if let Some(emv) = &l.emv {
        let _ = writeln!(out, "{}\n", cell(emv));
    }
    for t in &l.tables {
        let _ = writeln!(out, "## {}\n", cell(&t.title));
        if let Some(note) = &t.note {
            let _ = writeln!(out, "{}\n", cell(note));
        }
        if t.rows.is_empty() {
            let _ = writeln!(out, "{}\n", cell(&t.empty));
            continue;
        }
        let _ = writeln!(out, "| {} |", t.head.iter().map(|h| cell(h)).collect::<Vec<_>>().join(" | "));
        let _ = writeln!(out, "|---|{}", "--:|".repeat(t.head.len() - 1));
        for row in &t.rows {
            let _ = writeln!(out, "| {} |", row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | "));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## {}\n", cell(&l.days_title));
    let most = l.days.iter().map(|d| d.1).max().unwrap_or(0).max(1);
    let _ = writeln!(out, "| | | |\n|---|--:|---|");
    for (day, clicks, _) in &l.days {
        let bar = "█".repeat(((*clicks as f64 / most as f64) * 20.0).round() as usize);
        let _ = writeln!(out, "| {day} | {clicks} | {bar} |");
    }
    let _ = writeln!(out, "\n{}", cell(&l.footer));
    out
}

/// Text made safe inside a Markdown table cell: no pipe, no line break, no
/// HTML or link syntax from a campaign's text.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' | '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '`' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cannot_break_the_table_or_inject_markup() {
        assert_eq!(cell("a | b\n<script>"), "a \\| b \\<script\\>");
        assert_eq!(cell("[lien](javascript:x)"), "\\[lien\\](javascript:x)");
    }
}
