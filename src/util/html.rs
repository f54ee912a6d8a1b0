//! HTML escaping, for text put into element content or attribute values
//! (Markdown output, templates, the sitemap, QR labels, the tracker's dashboard).

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut s, text);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_quotes_are_escaped() {
        assert_eq!(escape(r#"<a href="x">Tom & 'Jerry'</a>"#), "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
    }

    #[test]
    fn plain_text_is_unchanged() {
        assert_eq!(escape("Salon de l’emploi 2027"), "Salon de l’emploi 2027");
    }
}
