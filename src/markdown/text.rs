//! A body's text as a reader sees it, for the search index: the words of its
//! paragraphs, lists, tables, code, cards and quizzes, with its headings apart
//! (they weigh more in a search). Raw HTML and `share` blocks (the ready-made
//! posts, repeated per network) are left out.
//!
//! The Markdown is parsed again here rather than its HTML: parsing costs a
//! fraction of rendering, and it needs no highlighter and no HTML parser.

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use super::options;

/// A run of text: a heading's, or the body text between two headings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// The heading level (1 to 6), `None` for body text.
    pub heading: Option<u8>,
    /// The words, separated by whitespace where the blocks they come from are.
    pub text: String,
}

/// The text of a Markdown body, in reading order.
pub fn segments(body: &str) -> Vec<Segment> {
    let mut out = Segments::default();
    walk(body, &mut out);
    out.flush();
    out.done
}

#[derive(Default)]
struct Segments {
    done: Vec<Segment>,
    current: String,
    heading: Option<u8>,
}

impl Segments {
    fn push(&mut self, text: &str) {
        self.current.push_str(text);
    }

    /// A word boundary (between blocks, lines or table cells).
    fn space(&mut self) {
        if !self.current.is_empty() && !self.current.ends_with(' ') {
            self.current.push(' ');
        }
    }

    fn flush(&mut self) {
        if self.current.trim().is_empty() {
            self.current.clear();
        } else {
            self.done.push(Segment { heading: self.heading, text: std::mem::take(&mut self.current) });
        }
    }

    fn heading(&mut self, level: Option<u8>) {
        self.flush();
        self.heading = level;
    }
}

fn walk(markdown: &str, out: &mut Segments) {
    let mut events = Parser::new_ext(markdown, options());
    while let Some(event) = events.next() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => out.heading(Some(level as u8)),
            Event::End(TagEnd::Heading(_)) => out.heading(None),
            Event::Start(Tag::CodeBlock(kind)) => {
                let mut code = String::new();
                for inner in events.by_ref() {
                    match inner {
                        Event::Text(t) => code.push_str(&t),
                        Event::End(TagEnd::CodeBlock) => break,
                        _ => {}
                    }
                }
                let info = match &kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or_default(),
                    CodeBlockKind::Indented => "",
                };
                out.space();
                match info {
                    "share" => {}
                    "do" | "dont" => walk(&code, out),
                    "quiz" => quiz(&code, out),
                    _ => out.push(&code),
                }
                out.space();
            }
            Event::Text(t) | Event::Code(t) => out.push(&t),
            Event::SoftBreak | Event::HardBreak | Event::Rule => out.space(),
            // Blocks (paragraphs, items, cells) are apart from their neighbours;
            // inline tags (emphasis, links) are not: `*ré*seau` is one word.
            Event::Start(tag) if !is_inline(&tag) => out.space(),
            Event::End(end) if !is_inline_end(end) => out.space(),
            _ => {}
        }
    }
}

fn is_inline(tag: &Tag) -> bool {
    matches!(tag, Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. } | Tag::Superscript | Tag::Subscript)
}

fn is_inline_end(end: TagEnd) -> bool {
    matches!(end, TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image | TagEnd::Superscript | TagEnd::Subscript)
}

/// A quiz's question, choices and explanation, without their markers
/// (`?`, `- [ ]`, `- [x]`, `>`).
fn quiz(text: &str, out: &mut Segments) {
    for line in text.lines() {
        let line = line.trim();
        let line = line.strip_prefix('?').or_else(|| line.strip_prefix('>')).unwrap_or(line);
        let line = match line.strip_prefix("- [") {
            Some(rest) => rest.split_once(']').map_or(rest, |(_, choice)| choice),
            None => line,
        };
        walk(line.trim(), out);
        out.space();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(body: &str) -> Vec<(Option<u8>, String)> {
        segments(body).into_iter().map(|s| (s.heading, s.text.trim().to_string())).collect()
    }

    #[test]
    fn headings_are_apart_and_blocks_separate_words() {
        let body = "Intro *ré*seau.\n\n## Les règles\n\n- un\n- deux\n\n| a | b |\n|---|---|\n| c | d |\n";
        assert_eq!(texts(body), vec![(None, "Intro réseau.".into()), (Some(2), "Les règles".into()), (None, "un deux a b c d".into())]);
    }

    #[test]
    fn code_cards_and_quizzes_are_text_but_share_blocks_and_html_are_not() {
        let body = "```rust\nfn main() {}\n```\n\n```do\nCitez la **source**.\n```\n\n```quiz\n? Qui publie ?\n- [ ] Personne\n- [x] Vous\n> Vous, avec soin.\n```\n\n```share\ncampaign: c\nsnippet: s\n```\n\n<div class=\"x\">caché</div>\n";
        let all: String = texts(body).into_iter().map(|(_, t)| t).collect::<Vec<_>>().join(" ");
        assert_eq!(all.split_whitespace().collect::<Vec<_>>().join(" "), "fn main() {} Citez la source. Qui publie ? Personne Vous Vous, avec soin.");
    }
}
