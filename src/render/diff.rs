//! "What changed since version N": the words of a policy's rendered text,
//! old against new, as HTML with removed words in `<del>` and added ones in
//! `<ins>`, each announced to screen readers (docs/templates.md,
//! `page.policy.changes`).

use similar::{ChangeTag, TextDiff};

use crate::util::html::escape;

/// How the two kinds of change are announced ("supprimé", "ajouté").
#[derive(Debug, Clone, Copy)]
pub struct Labels<'a> {
    /// Said before removed words.
    pub removed: &'a str,
    /// Said before added words.
    pub added: &'a str,
}

/// The changes between two rendered bodies: the new text's paragraphs that
/// changed (`<p>`), each after the unchanged one before it for context,
/// with what was removed and added marked, `<p class="gap">…</p>` where
/// paragraphs are left out; and how many words were removed and added.
/// `None` when the texts read the same.
pub fn changes(old_html: &str, new_html: &str, labels: Labels<'_>) -> Option<(String, usize, usize)> {
    let (old, new) = (text_of(old_html), text_of(new_html));
    if old == new {
        return None;
    }
    let diff = TextDiff::from_words(old.as_str(), new.as_str());
    // Each paragraph of the result, and whether anything in it changed.
    let mut paragraphs: Vec<(String, bool)> = vec![(String::new(), false)];
    let (mut removed, mut added) = (0, 0);
    let mut open: Option<ChangeTag> = None;
    let close = |p: &mut (String, bool), open: &mut Option<ChangeTag>| match open.take() {
        Some(ChangeTag::Delete) => p.0.push_str("</del>"),
        Some(ChangeTag::Insert) => p.0.push_str("</ins>"),
        _ => {}
    };
    for change in diff.iter_all_changes() {
        let tag = change.tag();
        // Paragraph breaks end any mark; the words after are marked again.
        for (i, part) in change.value().split('\n').enumerate() {
            if i > 0 {
                if let Some(last) = paragraphs.last_mut() {
                    close(last, &mut open);
                }
                paragraphs.push((String::new(), false));
            }
            let Some(p) = paragraphs.last_mut() else { continue };
            if part.is_empty() {
                continue;
            }
            if open != Some(tag) {
                close(p, &mut open);
                match tag {
                    ChangeTag::Delete => p.0.push_str(&format!("<del><span class=\"visually-hidden\">{} </span>", escape(labels.removed))),
                    ChangeTag::Insert => p.0.push_str(&format!("<ins><span class=\"visually-hidden\">{} </span>", escape(labels.added))),
                    ChangeTag::Equal => {}
                }
                if tag != ChangeTag::Equal {
                    open = Some(tag);
                }
            }
            if tag != ChangeTag::Equal {
                p.1 = true;
                let words = part.split_whitespace().count();
                if tag == ChangeTag::Delete {
                    removed += words;
                } else {
                    added += words;
                }
            }
            p.0.push_str(&escape(part));
        }
    }
    if let Some(last) = paragraphs.last_mut() {
        close(last, &mut open);
    }
    let shown: Vec<bool> = (0..paragraphs.len()).map(|i| paragraphs[i].1 || paragraphs.get(i + 1).is_some_and(|next| next.1)).collect();
    let mut html = String::new();
    for (i, (text, _)) in paragraphs.iter().enumerate() {
        if shown[i] {
            if text.trim().is_empty() {
                continue;
            }
            html.push_str(&format!("<p>{}</p>", text.trim()));
        } else if i == 0 || shown[i - 1] {
            html.push_str("<p class=\"gap\">…</p>");
        }
    }
    Some((html, removed, added))
}

/// The text of rendered HTML, one line per block (paragraph, heading, list
/// item, table row…), tags left out and entities read.
fn text_of(html: &str) -> String {
    const BLOCKS: [&str; 16] = ["p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "pre", "div", "section", "ul", "ol", "br"];
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&decode(&rest[..start]));
        let Some(end) = rest[start..].find('>') else { break };
        let tag = rest[start + 1..start + end].trim_start_matches('/');
        let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
        // What is hidden from readers (a heading's `#` anchor) is no text of it.
        if tag.contains("aria-hidden=\"true\"") {
            let closing = format!("</{name}>");
            match rest[start..].find(&closing) {
                Some(at) => rest = &rest[start + at + closing.len()..],
                None => rest = &rest[start + end + 1..],
            }
            continue;
        }
        if BLOCKS.contains(&name.as_str()) {
            out.push('\n');
        } else if name == "td" || name == "th" {
            out.push(' ');
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(&decode(rest));
    // One block a line, its spaces collapsed, no empty line.
    out.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
}

/// The entities rendered Markdown holds.
fn decode(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    const LABELS: Labels<'static> = Labels { removed: "supprimé :", added: "ajouté :" };

    #[test]
    fn words_removed_and_added_are_marked_and_announced() {
        let old = "<h2>Ce que vous pouvez faire</h2><p>Partager nos actualités <strong>publiques</strong>.</p><p>Rester poli.</p>";
        let new =
            "<h2>Ce que vous pouvez faire</h2><p>Partager nos actualités <strong>publiées</strong>.</p><p>Rester poli.</p><p>Citer vos sources.</p>";
        let (html, removed, added) = changes(old, new, LABELS).unwrap();
        assert!(html.starts_with("<p>Ce que vous pouvez faire</p><p>Partager nos actualités "), "the paragraph before a change, as context: {html}");
        assert!(html.contains("<del><span class=\"visually-hidden\">supprimé : </span>publiques.</del>"), "{html}");
        assert!(html.contains("<ins><span class=\"visually-hidden\">ajouté : </span>publiées.</ins>"), "{html}");
        assert!(html.contains("<p><ins><span class=\"visually-hidden\">ajouté : </span>Citer vos sources.</ins></p>"), "{html}");
        assert_eq!((removed, added), (1, 4));
    }

    #[test]
    fn only_changed_paragraphs_and_their_context_are_shown() {
        let same: String = (1..=6).map(|i| format!("<p>Paragraphe {i}.</p>")).collect();
        let old = format!("{same}<p>Fin ancienne.</p>");
        let new = format!("{same}<p>Fin nouvelle.</p>");
        let (html, ..) = changes(&old, &new, LABELS).unwrap();
        assert!(html.starts_with("<p class=\"gap\">…</p><p>Paragraphe 6.</p><p>Fin "), "{html}");
        assert!(!html.contains("Paragraphe 5."), "{html}");
        let anchored = changes("<h2>Titre <a class=\"anchor\" aria-hidden=\"true\" href=\"#t\">#</a></h2><p>a</p>", "<h2>Titre</h2><p>b</p>", LABELS);
        assert!(!anchored.unwrap().0.contains('#'), "anchors are not text");
    }

    #[test]
    fn the_same_text_has_no_changes_and_markup_is_escaped() {
        assert!(changes("<p>Un <em>texte</em></p>", "<p>Un texte</p>", LABELS).is_none(), "only the words count");
        let (html, ..) = changes("<p>a &lt;b&gt;</p>", "<p>a &lt;c&gt;</p>", LABELS).unwrap();
        assert!(html.contains("&lt;c&gt;") && !html.contains("<c>"), "{html}");
    }
}
