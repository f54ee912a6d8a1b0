//! `sitemap.xml` with hreflang alternates between translations, and `robots.txt`.

use std::fmt::Write;

use super::context::Site;
use crate::util::html::escape;

/// The sitemap of every section and page, each listing its translations.
pub fn sitemap(site: &Site) -> String {
    let codes = site.config.language_codes();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    let mut ids: Vec<usize> = (0..site.content.docs.len()).collect();
    ids.sort_by(|&a, &b| site.content.docs[a].path.cmp(&site.content.docs[b].path));
    for id in ids {
        let doc = &site.content.docs[id];
        let _ = writeln!(xml, "  <url>\n    <loc>{}</loc>", escape(&site.permalink(id)));
        if let Some(date) = doc.front.updated.or(doc.front.date) {
            let _ = writeln!(xml, "    <lastmod>{date}</lastmod>");
        }
        let translations: Vec<usize> = site.content.translations(id, &codes).collect();
        if translations.len() > 1 {
            for t in translations {
                let _ = writeln!(
                    xml,
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    escape(&site.content.docs[t].lang),
                    escape(&site.permalink(t))
                );
            }
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `robots.txt`: an intranet hub asks not to be indexed unless `build.allow_robots` is set.
pub fn robots(site: &Site) -> String {
    let rule = if site.config.build.allow_robots { "Allow: /" } else { "Disallow: /" };
    format!("User-agent: *\n{rule}\nSitemap: {}/sitemap.xml\n", site.config.base_url)
}
