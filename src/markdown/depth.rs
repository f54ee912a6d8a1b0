//! How deeply a page's content nests: block quotes, lists, inline markup and
//! raw HTML elements, counted together.
//!
//! The build's later steps are not made for pathological depth: minify-html
//! parses HTML recursively (a few thousand nested `>` overflowed its stack)
//! and Pagefind's indexing time grows with the square of the depth (100 000
//! levels: seconds; 1 000 000: minutes). No real page comes near
//! [`MAX_DEPTH`], so a page that goes past it is refused at the Markdown step,
//! with its file and line, by `check` as by `build`.

use pulldown_cmark::Event;

/// The deepest nesting a page may have.
pub const MAX_DEPTH: usize = 100;

/// Elements that never have content (the HTML standard's void elements).
const VOID: [&str; 14] = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];

/// Elements whose end tag may be left out: a second one in a row closes the first.
const OPTIONAL_END: [&str; 12] = ["p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "rt", "rp", "tbody"];

/// Elements whose content is text, not tags.
const RAW_TEXT: [&str; 4] = ["script", "style", "textarea", "title"];

/// Follows the nesting of a stream of Markdown events.
#[derive(Debug, Default)]
pub struct Depth {
    /// Open Markdown containers and inline markup.
    markdown: usize,
    /// Open raw HTML elements, innermost last (never more than [`MAX_DEPTH`] + 1).
    html: Vec<String>,
    /// Inside `<!-- … -->`, which may span several events.
    in_comment: bool,
    /// Inside `<script>` and the like, until its end tag.
    raw_text: Option<String>,
}

impl Depth {
    /// Takes in one event; once the nesting is deeper than [`MAX_DEPTH`],
    /// where in the event's text it became so (0 but for raw HTML).
    pub fn too_deep_after(&mut self, event: &Event) -> Option<usize> {
        match event {
            Event::Start(_) => self.markdown += 1,
            Event::End(_) => self.markdown = self.markdown.saturating_sub(1),
            Event::Html(html) | Event::InlineHtml(html) => return self.html(html),
            _ => {}
        }
        (self.depth() > MAX_DEPTH).then_some(0)
    }

    fn depth(&self) -> usize {
        self.markdown + self.html.len()
    }

    /// Follows the tags in a piece of raw HTML; stops as soon as it is too
    /// deep, and returns the offset of the tag that made it so.
    fn html(&mut self, text: &str) -> Option<usize> {
        let mut rest = text;
        loop {
            if self.in_comment {
                let end = rest.find("-->")?;
                self.in_comment = false;
                rest = &rest[end + 3..];
            }
            if let Some(open) = &self.raw_text {
                let end = find_ignore_case(rest, &format!("</{open}"))?;
                self.raw_text = None;
                rest = &rest[end..];
            }
            let lt = rest.find('<')?;
            let tag_at = text.len() - rest.len() + lt;
            rest = &rest[lt + 1..];
            if let Some(after) = rest.strip_prefix("!--") {
                self.in_comment = true;
                rest = after;
                continue;
            }
            let closing = rest.starts_with('/');
            let name: String =
                rest.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').map(|c| c.to_ascii_lowercase()).collect();
            if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
                continue;
            }
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            let self_closing = rest[..end].ends_with("/>");
            rest = &rest[end..];
            if closing {
                if let Some(at) = self.html.iter().rposition(|open| *open == name) {
                    self.html.truncate(at);
                }
                continue;
            }
            if self_closing || VOID.contains(&name.as_str()) {
                continue;
            }
            if OPTIONAL_END.contains(&name.as_str()) && self.html.last() == Some(&name) {
                continue;
            }
            if RAW_TEXT.contains(&name.as_str()) {
                self.raw_text = Some(name.clone());
            }
            self.html.push(name);
            if self.depth() > MAX_DEPTH {
                return Some(tag_at);
            }
        }
    }
}

/// Where `events` nest deeper than [`MAX_DEPTH`], if they do: the index of
/// the event, and the offset in its text.
pub fn too_deep_at<'e>(events: impl IntoIterator<Item = &'e Event<'e>>) -> Option<(usize, usize)> {
    let mut depth = Depth::default();
    events.into_iter().enumerate().find_map(|(i, e)| depth.too_deep_after(e).map(|at| (i, at)))
}

/// The byte offset of the tag at which a whole HTML file nests deeper than
/// [`MAX_DEPTH`], if it does (for the files a build copies as they are).
pub fn html_too_deep_at(html: &str) -> Option<usize> {
    Depth::default().html(html)
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack.as_bytes().windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    /// The deepest the nesting goes in `markdown`, up to just past the limit.
    fn deepest(markdown: &str) -> usize {
        let mut depth = Depth::default();
        let mut max = 0;
        for event in Parser::new(markdown) {
            let over = depth.too_deep_after(&event);
            max = max.max(depth.depth());
            if over.is_some() {
                break;
            }
        }
        max
    }

    #[test]
    fn markdown_containers_count() {
        assert_eq!(deepest("a"), 1);
        assert_eq!(deepest("> > a"), 3);
        assert_eq!(deepest("- - *a*"), 5, "two lists, two items, the emphasis");
    }

    /// (An HTML block is one level itself, as Markdown sees it.)
    #[test]
    fn raw_html_elements_count() {
        assert_eq!(deepest("<div><div><div>\n\nx\n\n</div></div></div>"), 4, "three divs around a paragraph");
        assert_eq!(deepest("a <span><b>b</b></span> c"), 3);
        assert_eq!(deepest("<div>\n<br><img src=x><hr/><input>\n</div>"), 2, "void and self-closed elements hold nothing");
        assert_eq!(deepest("<ul>\n<li>a\n<li>b\n<li>c\n</ul>"), 3, "an unclosed <li> is closed by the next");
        assert_eq!(deepest("<!-- <div><div><div> -->"), 1);
        assert_eq!(deepest("<!--\n<div>\n<div>\n-->"), 1, "a comment over several lines");
        assert_eq!(deepest("<script>\nif (a<b) { x = '<div><div>'; }\n</script>"), 2);
    }

    #[test]
    fn depth_past_the_limit_is_seen() {
        assert_eq!(deepest(&format!("{} x", ">".repeat(MAX_DEPTH - 1))), MAX_DEPTH, "quotes around a paragraph");
        assert_eq!(deepest(&format!("{} x", ">".repeat(MAX_DEPTH))), MAX_DEPTH + 1);
        assert_eq!(deepest(&"<div>".repeat(10 * MAX_DEPTH)), MAX_DEPTH + 1, "the count stops past the limit");
        assert_eq!(deepest(&format!("{}x", "- ".repeat(MAX_DEPTH))), MAX_DEPTH + 1, "lists in lists");
    }

    #[test]
    fn html_files_are_measured_alone() {
        let page = format!("<html><body>{}x", "<div>".repeat(MAX_DEPTH));
        assert_eq!(html_too_deep_at(&page), Some("<html><body>".len() + 5 * (MAX_DEPTH - 2)));
        assert_eq!(html_too_deep_at("<html><body><p>a<p>b</body></html>"), None);
    }
}
