//! One Atom feed per language (`atom.xml`, `en/atom.xml`): the dated pages, newest first.

use atom_syndication::{Entry, Feed, FixedDateTime, Generator, Link, Text};
use chrono::{NaiveDate, TimeZone};

use super::context::Site;
use crate::content::DocId;

/// How many entries a feed carries.
const MAX_ENTRIES: usize = 50;

/// The Atom document for `lang`; `feed_url` is its own absolute URL.
pub fn atom(site: &Site, lang: &str, home: DocId, feed_url: &str) -> String {
    let mut dated: Vec<(NaiveDate, DocId)> =
        site.content.pages_in(lang).filter_map(|(id, d)| d.front.updated.or(d.front.date).map(|date| (date.0, id))).collect();
    dated.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    dated.truncate(MAX_ENTRIES);

    let entries: Vec<Entry> = dated
        .iter()
        .map(|&(updated, id)| {
            let doc = &site.content.docs[id];
            let mut entry = Entry::default();
            entry.set_title(Text::plain(doc.front.title.clone()));
            entry.set_id(site.permalink(id));
            entry.set_updated(at_midnight(updated, site));
            if let Some(date) = doc.front.date {
                entry.set_published(Some(at_midnight(date.0, site)));
            }
            let mut link = Link::default();
            link.set_href(site.permalink(id));
            link.set_rel("alternate");
            link.set_mime_type(Some("text/html".to_string()));
            entry.set_links(vec![link]);
            let summary = match &doc.front.description {
                Some(d) => Text::plain(d.clone()),
                None => Text::html(site.rendered[id].summary.clone()),
            };
            entry.set_summary(Some(summary));
            entry
        })
        .collect();

    let mut feed = Feed::default();
    feed.set_title(Text::plain(site.config.title_in(lang).to_string()));
    feed.set_id(site.permalink(home));
    feed.set_lang(Some(lang.to_string()));
    feed.set_updated(at_midnight(dated.first().map_or(site.now, |d| d.0), site));
    let mut alternate = Link::default();
    alternate.set_href(site.permalink(home));
    alternate.set_rel("alternate");
    let mut own = Link::default();
    own.set_href(feed_url.to_string());
    own.set_rel("self");
    own.set_mime_type(Some("application/atom+xml".to_string()));
    feed.set_links(vec![alternate, own]);
    feed.set_generator(Some(Generator { value: "chorus".into(), uri: None, version: Some(env!("CARGO_PKG_VERSION").into()) }));
    feed.set_entries(entries);
    feed.to_string()
}

/// Midnight of `date` in the hub's time zone, as Atom wants a full timestamp.
fn at_midnight(date: NaiveDate, site: &Site) -> FixedDateTime {
    let tz = site.config.tz();
    let naive = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    let local = tz.from_local_datetime(&naive).earliest().unwrap_or_else(|| tz.from_utc_datetime(&naive));
    local.fixed_offset()
}
