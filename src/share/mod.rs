//! The share engine: every campaign × snippet × network becomes a post with its
//! UTM-tagged link, short code, length as the network counts it, share intent
//! and QR code; then the lint checks them all.

pub mod intent;
pub mod length;
pub mod lint;
pub mod qr;
pub mod utm;

use std::collections::HashMap;

use chrono::NaiveDate;

pub use crate::link::manifest::{self as links, Link, Manifest};
pub use crate::link::ShortCode;
// Networks are link types, below the configuration; this is their path here too.
pub use crate::link::Network;

use crate::config::Config;
use crate::content::{front_matter, Content, DocId, Document};
use crate::diagnostics::{Error, Severity};
use crate::markdown::Rendered;

/// One ready-to-share post.
#[derive(Debug, Clone)]
pub struct Post {
    /// Its network.
    pub network: Network,
    /// The text with its link filled in.
    pub text: String,
    /// Its length as the network counts it.
    pub length: usize,
    /// The network's limit, if it has one.
    pub limit: Option<usize>,
    /// The link in the post: the short link, or the tagged URL without a tracker.
    pub link: String,
    /// The UTM-tagged destination.
    pub url: String,
    /// The short code.
    pub code: ShortCode,
    /// The share intent.
    pub intent: String,
    /// Whether the intent carries the text.
    pub takes_text: bool,
    /// Whether the text is copied to the clipboard before the intent opens
    /// (always when the intent does not carry it).
    pub copy_first: bool,
    /// The link's QR code, inline SVG.
    pub qr: String,
}

/// The posts of one snippet, one per network of its campaign.
#[derive(Debug, Clone)]
pub struct SnippetPosts {
    /// The snippet id.
    pub id: String,
    /// One post per network.
    pub posts: Vec<Post>,
}

/// Everything the share engine computed for a hub.
#[derive(Debug, Default)]
pub struct Shares {
    /// Posts of each campaign page.
    pub posts: HashMap<DocId, Vec<SnippetPosts>>,
    /// The link manifest.
    pub manifest: Option<Manifest>,
    /// Lint warnings (errors fail [`compute`]).
    pub warnings: Vec<Error>,
}

/// A post's text with its link: `{link}` replaced, or the link appended.
pub fn fill_link(text: &str, link: &str) -> String {
    if text.contains("{link}") {
        text.replace("{link}", link)
    } else {
        format!("{} {link}", text.trim_end())
    }
}

/// Adds a link to the registry; a code already taken by another post is a
/// collision, returned with the post that has it (boxed: the rare case).
fn register(links: &mut HashMap<ShortCode, (Link, DocId)>, entry: Link, doc: DocId) -> std::result::Result<(), Box<(Link, DocId)>> {
    match links.get(&entry.code) {
        Some((other, other_doc)) => {
            let same_post =
                other.campaign == entry.campaign && other.snippet == entry.snippet && other.network == entry.network && other.lang == entry.lang;
            if same_post {
                Ok(())
            } else {
                Err(Box::new((other.clone(), *other_doc)))
            }
        }
        None => {
            links.insert(entry.code.clone(), (entry, doc));
            Ok(())
        }
    }
}

/// The posts of one campaign page whose link is too long for a QR code (their
/// card shows none), and the longest such link.
#[derive(Default)]
struct NoQrCode {
    /// How many posts.
    posts: usize,
    /// The longest link's length in bytes, its snippet and network.
    longest: Option<(usize, String, Network)>,
}

impl NoQrCode {
    fn add(&mut self, link: &str, snippet: &str, network: Network) {
        self.posts += 1;
        if self.longest.as_ref().is_none_or(|(len, _, _)| link.len() > *len) {
            self.longest = Some((link.len(), snippet.to_string(), network));
        }
    }

    /// The warning, at the page's `url:` (at its front matter when the link
    /// is the tracker's, whose address is in hub.yaml); none when every post
    /// has its QR code. `total` is the page's number of posts.
    fn warning(self, doc: &Document, config: &Config, total: usize) -> Option<Error> {
        let (len, snippet, network) = self.longest?;
        let split = front_matter::split(&doc.file, &doc.source).unwrap_or(front_matter::Split { yaml: 0..doc.body, body: doc.body });
        let (offset, width, help) = match &config.tracker.url {
            None => (
                front_matter::key_offset(&doc.source, &split, "url"),
                "url".len(),
                "shorten `url`, or set `tracker.url` in hub.yaml so that posts carry a short link",
            ),
            Some(_) => (split.yaml.start, 1, "shorten `tracker.url` in hub.yaml"),
        };
        let posts = match (self.posts, total) {
            (1, 1) => "its post".to_string(),
            (n, t) if n == t => format!("all {t} of its posts"),
            (n, t) => format!("{n} of its {t} posts"),
        };
        let message = format!(
            "this campaign shows {posts} without a QR code: a link of {len} bytes (snippet `{snippet}`, {}) is too long for one",
            network.name()
        );
        let help = format!("a QR code holds a link of about {} bytes at most: {help}", qr::MAX_LINK_BYTES);
        Some(Error::at(&doc.file, &doc.source, offset, width, message).with_help(help).warning())
    }
}

/// Computes every post of every campaign page, checks short codes for
/// collisions and runs the lint. `generated` is the manifest's timestamp.
/// Returns the shares with the lint's warnings, and the errors (the
/// manifest is left out when there are any).
pub fn compute(content: &Content, config: &Config, rendered: &[Rendered], now: NaiveDate, generated: String) -> (Shares, Vec<Error>) {
    let mut shares = Shares::default();
    let mut links: HashMap<ShortCode, (Link, DocId)> = HashMap::new();
    let mut errors = Vec::new();
    for (id, doc) in content.docs.iter().enumerate() {
        let Some(campaign) = &doc.campaign else { continue };
        let mut snippets = Vec::new();
        let mut without_qr = NoQrCode::default();
        for snippet in &campaign.snippets {
            let mut posts = Vec::new();
            for &network in &campaign.networks {
                let tagged = utm::tag(
                    &campaign.url,
                    utm::Utm { source: network.id(), medium: &config.share.utm_medium, campaign: &campaign.id, content: &snippet.id },
                );
                let code = if doc.lang == config.default_language {
                    ShortCode::new(&campaign.id, &snippet.id, network)
                } else {
                    ShortCode::translated(&campaign.id, &snippet.id, network, &doc.lang)
                };
                let link = match &config.tracker.url {
                    Some(tracker) => crate::link::paths::short_link(tracker, code.as_str()),
                    None => tagged.clone(),
                };
                let text = fill_link(snippet.text_for(network), &link);
                let entry = Link {
                    code: code.clone(),
                    url: tagged.clone(),
                    campaign: campaign.id.clone(),
                    snippet: snippet.id.clone(),
                    network: network.into(),
                    title: doc.front.title.clone(),
                    lang: doc.lang.clone(),
                };
                if let Err(collision) = register(&mut links, entry, id) {
                    let (other, other_doc) = *collision;
                    errors.push(
                        Error::in_file(
                            &doc.file,
                            format!(
                                "short code `{code}` of snippet `{}` ({network}) collides with snippet `{}` ({}) of campaign `{}` in {}",
                                snippet.id,
                                other.snippet,
                                other.network,
                                other.campaign,
                                content.docs[other_doc].file.display()
                            ),
                        )
                        .with_help("rename one of the snippet ids: codes are derived from campaign, snippet and network"),
                    );
                }
                let qr = qr::svg(&link, &format!("QR code: {link}")).unwrap_or_else(|| {
                    without_qr.add(&link, &snippet.id, network);
                    String::new()
                });
                posts.push(Post {
                    network,
                    length: length::length(network, &text),
                    limit: length::limit(network),
                    intent: intent::intent(network, &text, &link, &doc.front.title, &config.share),
                    takes_text: intent::takes_text(network, &config.share),
                    copy_first: intent::copies_first(network, &config.share),
                    text,
                    link,
                    url: tagged,
                    code,
                    qr,
                });
            }
            snippets.push(SnippetPosts { id: snippet.id.clone(), posts });
        }
        let total = snippets.iter().map(|s| s.posts.len()).sum();
        shares.warnings.extend(without_qr.warning(doc, config, total));
        shares.posts.insert(id, snippets);
    }
    for problem in lint::check(content, config, rendered, &shares.posts, now) {
        match problem.severity {
            Severity::Error => errors.push(problem),
            Severity::Warning => shares.warnings.push(problem),
        }
    }
    if !errors.is_empty() {
        return (shares, errors);
    }
    let mut all: Vec<Link> = links.into_values().map(|(l, _)| l).collect();
    all.sort_by(|a, b| a.code.cmp(&b.code));
    let default_language = Some(config.default_language.clone());
    // A translation carries its original's goal: one entry per campaign id.
    let goals: std::collections::BTreeMap<&str, crate::link::Goal> =
        content.docs.iter().filter_map(|d| d.campaign.as_ref()).filter_map(|c| Some((c.id.as_str(), c.goal?))).collect();
    let campaigns = goals.into_iter().map(|(id, goal)| crate::link::CampaignGoal { campaign: id.to_string(), goal }).collect();
    let (guides, policies) = milestones(content, config);
    shares.manifest = Some(Manifest { version: links::VERSION, generated, default_language, links: all, campaigns, guides, policies });
    (shares, errors)
}

/// The guides and policies whose completions and acknowledgements the
/// tracker counts: each once, by its id, titled in the default language
/// (or the first language it has).
fn milestones(content: &Content, config: &Config) -> (Vec<links::GuideEntry>, Vec<links::PolicyEntry>) {
    let mut guides = std::collections::BTreeMap::new();
    let mut policies = std::collections::BTreeMap::new();
    let preferred = |d: &Document| d.lang == config.default_language;
    for doc in &content.docs {
        let Some(id) = doc.milestone_id() else { continue };
        if doc.kind == front_matter::Kind::Guide {
            let entry = links::GuideEntry { id: id.clone(), title: doc.front.title.clone() };
            if preferred(doc) || !guides.contains_key(&id) {
                guides.insert(id, entry);
            }
        } else if let Some(version) = &doc.front.version {
            let entry = links::PolicyEntry { id: id.clone(), title: doc.front.title.clone(), version: version.clone() };
            if preferred(doc) || !policies.contains_key(&id) {
                policies.insert(id, entry);
            }
        }
    }
    (guides.into_values().collect(), policies.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(code: &str, campaign: &str, snippet: &str) -> Link {
        Link {
            code: ShortCode::parse(code).unwrap(),
            url: format!("https://a.example/{campaign}"),
            campaign: campaign.into(),
            snippet: snippet.into(),
            network: Network::X.into(),
            title: "T".into(),
            lang: "fr".into(),
        }
    }

    #[test]
    fn a_code_taken_by_another_post_is_a_collision() {
        let mut links = HashMap::new();
        assert!(register(&mut links, link("AAAAAAA", "c", "s"), 1).is_ok());
        assert!(register(&mut links, link("AAAAAAA", "c", "s"), 1).is_ok(), "the same post again is no collision");
        let (other, doc) = *register(&mut links, link("AAAAAAA", "d", "t"), 2).unwrap_err();
        assert_eq!((other.campaign.as_str(), other.snippet.as_str(), doc), ("c", "s", 1));
        assert!(register(&mut links, link("BBBBBBB", "d", "t"), 2).is_ok());
    }

    #[test]
    fn link_is_filled_in_or_appended() {
        assert_eq!(fill_link("Voir {link} !", "https://l"), "Voir https://l !");
        assert_eq!(fill_link("Voir ça  ", "https://l"), "Voir ça https://l");
    }
}
