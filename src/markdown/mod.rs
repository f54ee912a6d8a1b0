//! Markdown to HTML: pulldown-cmark with the hub's extensions (heading anchors,
//! highlighted code, internal `@/` links, task lists that remember their state,
//! and the `do`, `dont`, `quiz` and `share` blocks).

mod blocks;
pub mod depth;
mod grammars;
pub mod highlight;
pub mod text;

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

pub use highlight::Highlighter;

use crate::content::{slugify, Content, DocId, Document};
use crate::diagnostics::{did_you_mean, Error};
use crate::util::html::escape;

/// The UI strings Markdown output needs, in one language.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    /// Heading of a `do` card ("You can").
    pub rule_do: String,
    /// Heading of a `dont` card ("Avoid").
    pub rule_dont: String,
    /// A quiz's submit button.
    pub quiz_check: String,
    /// The summary of a quiz's explanation.
    pub quiz_explanation: String,
    /// Before the right answers in a quiz's explanation.
    pub quiz_answer: String,
    /// The link from a share card to its campaign.
    pub share_open_campaign: String,
}

/// What rendering needs besides the document itself.
pub struct Env<'a> {
    /// All documents, to resolve `@/` links and `share` blocks.
    pub content: &'a Content,
    /// The shared highlighter and its cache.
    pub highlighter: &'a Highlighter,
    /// UI strings by language.
    pub labels: &'a HashMap<String, Labels>,
    /// Where the hub is served; links to its pages are made from it.
    pub base_url: &'a crate::util::url::BaseUrl,
}

/// One entry of a page's table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    /// 2 or 3.
    pub level: u8,
    /// The heading's id.
    pub id: String,
    /// The heading's text.
    pub title: String,
    /// `h3`s under an `h2`.
    pub children: Vec<TocEntry>,
}

/// A `do` or `dont` card.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    /// `do` or `dont`.
    pub kind: &'static str,
    /// The card's body as HTML.
    pub html: String,
}

/// An internal link to an anchor, checked once every page's headings are known.
#[derive(Debug, Clone)]
pub struct AnchorLink {
    /// The linked document.
    pub target: DocId,
    /// The anchor, without `#`.
    pub anchor: String,
    /// Where the link is in the linking file.
    pub span: Range<usize>,
}

/// A rendered Markdown body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The body as HTML.
    pub html: String,
    /// The part before `<!-- more -->`, else the first paragraph.
    pub summary: String,
    /// `h2` and `h3` headings.
    pub toc: Vec<TocEntry>,
    /// `do` and `dont` cards, in order.
    pub cards: Vec<Card>,
    /// Number of quizzes.
    pub quizzes: usize,
    /// Number of task-list checkboxes.
    pub tasks: usize,
    /// Number of words of text.
    pub word_count: usize,
    /// Every heading id.
    pub anchors: Vec<String>,
    /// Internal links to anchors, to check later.
    pub anchor_links: Vec<AnchorLink>,
    /// Every internal link: the linked document and where the link is.
    pub links: Vec<(DocId, Range<usize>)>,
    /// Links to campaigns still under embargo, written as plain text (warnings).
    pub warnings: Vec<Error>,
}

/// The CommonMark extensions every hub gets.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders a document's body; every problem found is returned, not only the first.
pub fn render(doc: &Document, env: &Env) -> Result<Rendered, Vec<Error>> {
    run(doc, env)
}

/// Everything [`render`] finds except the body's HTML: what lists, the table of
/// contents and link checks need, kept for the whole hub while each page's HTML
/// is rendered again (cheaply: its code is in the highlighter's cache) only when
/// the page itself is written.
pub fn outline(doc: &Document, env: &Env) -> Result<Rendered, Vec<Error>> {
    run(doc, env).map(|mut r| {
        r.html = String::new();
        r
    })
}

fn run(doc: &Document, env: &Env) -> Result<Rendered, Vec<Error>> {
    let mut state = State {
        doc,
        env,
        labels: env.labels.get(&doc.lang).cloned().unwrap_or_default(),
        out: Rendered::default(),
        errors: Vec::new(),
        ids: HashMap::new(),
        in_held_link: false,
    };
    let body = doc.body();
    let html = state.render_fragment(body, doc.body, true);
    state.out.html = html.0;
    state.out.summary = html.1;
    if state.errors.is_empty() {
        Ok(state.out)
    } else {
        Err(state.errors)
    }
}

struct State<'a> {
    doc: &'a Document,
    env: &'a Env<'a>,
    labels: Labels,
    out: Rendered,
    errors: Vec<Error>,
    ids: HashMap<String, usize>,
    /// The link being written is to an embargoed page: its end tag is dropped too.
    in_held_link: bool,
}

impl<'a> State<'a> {
    /// Renders Markdown found at byte `base` of the file; returns (html, summary).
    fn render_fragment(&mut self, text: &str, base: usize, top: bool) -> (String, String) {
        let events: Vec<(Event, Range<usize>)> = Parser::new_ext(text, options()).into_offset_iter().collect();
        if self.refuse_too_deep(base, &events) {
            return (String::new(), String::new());
        }
        let mut out: Vec<Event> = Vec::with_capacity(events.len());
        let mut i = 0;
        let mut label_open = false;
        while i < events.len() {
            let (event, range) = &events[i];
            let span = base + range.start..base + range.end;
            // A task's label holds its first line of text only (labels take no blocks).
            if label_open && matches!(event, Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Item) | Event::Start(Tag::List(_))) {
                out.push(Event::Html("</label>".into()));
                label_open = false;
            }
            match event {
                Event::Start(Tag::Heading { level, id, classes, .. }) => {
                    let end = find_end(&events, i);
                    let inner: Vec<Event> = events[i + 1..end].iter().map(|(e, r)| self.rewrite(e.clone(), base + r.start..base + r.end)).collect();
                    let title: String = plain_text(&inner);
                    let id = self.unique_id(id.as_deref().map(escape).unwrap_or_else(|| slugify(&title)));
                    let level = *level as u8;
                    let mut html = String::new();
                    pulldown_cmark::html::push_html(&mut html, inner.into_iter());
                    let class = if classes.is_empty() { String::new() } else { format!(" class=\"{}\"", escape(&classes.join(" "))) };
                    out.push(Event::Html(CowStr::from(format!(
                        "<h{level} id=\"{id}\"{class}>{html} <a class=\"anchor\" href=\"#{id}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{level}>\n"
                    ))));
                    if top && (2..=3).contains(&level) {
                        self.push_toc(level, id.clone(), title);
                    }
                    self.out.anchors.push(id);
                    i = end + 1;
                    continue;
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let end = find_end(&events, i);
                    let code: String =
                        events[i + 1..end].iter().filter_map(|(e, _)| if let Event::Text(t) = e { Some(t.as_ref()) } else { None }).collect();
                    let code_start = events.get(i + 1).map_or(span.start, |(_, r)| base + r.start);
                    let info = match kind {
                        CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_string(),
                        CodeBlockKind::Indented => String::new(),
                    };
                    let html = self.code_block(&info, &code, code_start, span.clone());
                    out.push(Event::Html(CowStr::from(html)));
                    i = end + 1;
                    continue;
                }
                Event::Start(Tag::List(None)) if is_task_list(&events, i) => {
                    // The matching end tag still renders as `</ul>`.
                    out.push(Event::Html("<ul class=\"tasks\">\n".into()));
                }
                Event::Start(Tag::Item) if item_is_task(&events, i) => {
                    out.push(Event::Html("<li class=\"task\">".into()));
                }
                Event::TaskListMarker(checked) => {
                    self.out.tasks += 1;
                    let n = self.out.tasks;
                    let checked = if *checked { " checked" } else { "" };
                    out.push(Event::Html(CowStr::from(format!("<label><input type=\"checkbox\" id=\"task-{n}\" data-task=\"{n}\"{checked}> "))));
                    label_open = true;
                }
                Event::Text(t) => {
                    if top {
                        self.out.word_count += t.split_whitespace().count();
                    }
                    out.push(event.clone());
                }
                _ => out.push(self.rewrite(event.clone(), span)),
            }
            i += 1;
        }
        let summary = if top { summary_of(&out) } else { String::new() };
        let mut html = String::with_capacity(text.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, out.into_iter());
        (html, summary)
    }

    /// Rewrites `@/` links and images to URLs, reporting broken ones.
    fn rewrite<'e>(&mut self, event: Event<'e>, span: Range<usize>) -> Event<'e> {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with("@/") && self.is_held_back(&dest_url, span.clone()) => {
                self.in_held_link = true;
                Event::Text(CowStr::from(""))
            }
            Event::End(TagEnd::Link) if std::mem::take(&mut self.in_held_link) => Event::Text(CowStr::from("")),
            Event::Start(Tag::Link { link_type, dest_url, title, id }) if dest_url.starts_with("@/") => {
                let url = self.resolve(&dest_url, span);
                Event::Start(Tag::Link { link_type, dest_url: CowStr::from(url), title, id })
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) if dest_url.starts_with("@/") => {
                let url = self.resolve(&dest_url, span);
                Event::Start(Tag::Image { link_type, dest_url: CowStr::from(url), title, id })
            }
            other => other,
        }
    }

    /// Whether an internal link points at a campaign page an embargo keeps out of
    /// this build: the link is then written as its text alone, with a warning,
    /// so that no output names the page and the build still goes on
    /// (docs/front-matter.md, "Phases and embargo").
    fn is_held_back(&mut self, dest: &str, span: Range<usize>) -> bool {
        let path = dest[2..].split('#').next().unwrap_or_default();
        let content = self.env.content;
        if content.by_rel.contains_key(path) {
            return false;
        }
        let lang_path = path.strip_suffix(".md").map(|stem| format!("{stem}.{}.md", self.doc.lang));
        let held = &content.held_back.pages;
        let Some(day) = held.get(path).or_else(|| lang_path.and_then(|p| held.get(&p))) else { return false };
        self.out.warnings.push(
            Error::at(&self.doc.file, &self.doc.source, span.start, span.len(), format!("`{dest}` is a campaign under embargo until {day}"))
                .with_label("written as plain text")
                .with_help("the link is written as its text alone until the campaign starts; the build of that day links it")
                .warning(),
        );
        true
    }

    /// The URL of an internal link `@/path.md#anchor`, or `#` with an error recorded.
    fn resolve(&mut self, dest: &str, span: Range<usize>) -> String {
        let target = &dest[2..];
        let (path, anchor) = match target.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (target, None),
        };
        let content = self.env.content;
        match content.resolve_link(path, &self.doc.lang) {
            Some(id) => {
                self.out.links.push((id, span.clone()));
                if let Some(anchor) = anchor {
                    self.out.anchor_links.push(AnchorLink { target: id, anchor: anchor.to_string(), span });
                }
                let mut url = self.env.base_url.url(&content.docs[id].path);
                if let Some(anchor) = anchor {
                    url.push('#');
                    url.push_str(anchor);
                }
                url
            }
            // That file's own error is reported; a link to it is not broken too.
            None if content.unreadable.contains(path) => "#".into(),
            None => {
                let mut err = Error::at(
                    &self.doc.file,
                    &self.doc.source,
                    span.start,
                    span.len(),
                    format!("broken internal link `{dest}`: no `content/{path}`"),
                )
                .with_label("this link");
                let help = match did_you_mean(path, content.by_rel.keys().map(String::as_str)) {
                    Some(close) => format!("did you mean `@/{close}`?"),
                    None => "internal links are written `@/` followed by the path under `content/`, e.g. `@/politique.md`".into(),
                };
                err = err.with_help(help);
                self.errors.push(err);
                "#".into()
            }
        }
    }

    fn code_block(&mut self, info: &str, code: &str, code_start: usize, span: Range<usize>) -> String {
        match info {
            "do" | "dont" => self.rule_card(info, code, code_start),
            "quiz" => {
                let events: Vec<_> = Parser::new_ext(code, options()).into_offset_iter().collect();
                if self.refuse_too_deep(code_start, &events) {
                    return String::new();
                }
                match blocks::quiz(code, self.out.quizzes + 1, &self.labels, &mut |text| inline_html(text)) {
                    Ok(html) => {
                        self.out.quizzes += 1;
                        html
                    }
                    Err((line, message)) => {
                        let offset = code_start + crate::diagnostics::offset_of(code, line, 1);
                        let len = code[offset - code_start..].find('\n').unwrap_or(1).max(1);
                        self.errors.push(Error::at(&self.doc.file, &self.doc.source, offset, len, message).with_help(blocks::QUIZ_HELP));
                        String::new()
                    }
                }
            }
            "share" => match blocks::share(code, self.doc, self.env, &self.labels) {
                Ok(html) => html,
                Err(message) => {
                    self.errors.push(
                        Error::at(&self.doc.file, &self.doc.source, span.start, span.len(), message)
                            .with_help("a share block holds `campaign: <campaign id>` and `snippet: <snippet id>`"),
                    );
                    String::new()
                }
            },
            lang => blocks::code(lang, code, self.env.highlighter),
        }
    }

    fn rule_card(&mut self, kind: &str, code: &str, code_start: usize) -> String {
        let (inner, _) = self.render_fragment(code, code_start, false);
        let label = if kind == "do" { &self.labels.rule_do } else { &self.labels.rule_dont };
        let escaped_label = escape(label);
        let kind: &'static str = if kind == "do" { "do" } else { "dont" };
        self.out.cards.push(Card { kind, html: inner.clone() });
        format!("<div class=\"rule rule-{kind}\"><p class=\"rule-label\">{escaped_label}</p>\n{inner}</div>\n")
    }

    /// Records an error when `events` (of text at byte `base` of the file)
    /// nest deeper than [`depth::MAX_DEPTH`]; true when they do.
    fn refuse_too_deep(&mut self, base: usize, events: &[(Event, Range<usize>)]) -> bool {
        let Some((at, inside)) = depth::too_deep_at(events.iter().map(|(e, _)| e)) else { return false };
        let (event, range) = &events[at];
        // Raw HTML is found in the event's text, which is its source unless a
        // container's markers (`> `) were taken out of it.
        let inside = match event {
            Event::Html(text) | Event::InlineHtml(text) if text.len() == range.len() => inside,
            _ => 0,
        };
        let offset = base + range.start + inside;
        let max = depth::MAX_DEPTH;
        let message = format!("the content here is nested more than {max} levels deep");
        let source = &self.doc.source;
        let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[offset..].find('\n').map_or(source.len(), |i| offset + i);
        // A snippet of a line thousands of characters long helps nobody: then only file:line:column.
        let error = if line_end - line_start <= 200 {
            Error::at(&self.doc.file, source, offset, 1, message).with_label("too deep")
        } else {
            let (line, column) = crate::diagnostics::line_col(source, offset);
            let mut e = Error::in_file(&self.doc.file, message);
            e.location = Some(crate::diagnostics::Location { file: self.doc.file.clone(), line, column });
            e
        };
        self.errors.push(error.with_help(format!(
            "block quotes, lists, inline markup and HTML elements may nest {max} levels at most, counted together; flatten this part of the page"
        )));
        true
    }

    fn unique_id(&mut self, base: String) -> String {
        let base = if base.is_empty() { "section".to_string() } else { base };
        let n = self.ids.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n == 1 {
            base
        } else {
            let id = format!("{base}-{}", *n - 1);
            self.ids.insert(id.clone(), 1);
            id
        }
    }

    fn push_toc(&mut self, level: u8, id: String, title: String) {
        let entry = TocEntry { level, id, title, children: Vec::new() };
        match self.out.toc.last_mut() {
            Some(parent) if level == 3 && parent.level == 2 => parent.children.push(entry),
            _ => self.out.toc.push(entry),
        }
    }
}

/// Index of the event that closes the one opened at `start`.
fn find_end(events: &[(Event, Range<usize>)], start: usize) -> usize {
    let mut depth = 0usize;
    for (j, (e, _)) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

fn item_is_task(events: &[(Event, Range<usize>)], i: usize) -> bool {
    matches!(events.get(i + 1), Some((Event::TaskListMarker(_), _)))
        || matches!((events.get(i + 1), events.get(i + 2)), (Some((Event::Start(Tag::Paragraph), _)), Some((Event::TaskListMarker(_), _))))
}

fn is_task_list(events: &[(Event, Range<usize>)], i: usize) -> bool {
    matches!(events.get(i + 1), Some((Event::Start(Tag::Item), _))) && item_is_task(events, i + 1)
}

fn plain_text(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s
}

/// The HTML before `<!-- more -->`, else the first top-level paragraph.
fn summary_of(events: &[Event]) -> String {
    let mut html = String::new();
    if let Some(k) = events.iter().position(|e| matches!(e, Event::Html(h) if h.trim() == "<!-- more -->")) {
        pulldown_cmark::html::push_html(&mut html, events[..k].iter().cloned());
        return html;
    }
    let mut depth = 0usize;
    for (j, e) in events.iter().enumerate() {
        match e {
            Event::Start(Tag::Paragraph) if depth == 0 => {
                let end = events[j..].iter().position(|e| matches!(e, Event::End(TagEnd::Paragraph))).map_or(events.len(), |k| j + k + 1);
                pulldown_cmark::html::push_html(&mut html, events[j..end].iter().cloned());
                return html;
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    html
}

/// Inline Markdown (quiz choices, explanations) without the wrapping `<p>`.
fn inline_html(text: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(text, options()));
    let trimmed = html.trim();
    match trimmed.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}
