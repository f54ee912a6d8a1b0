//! Share intents: the URL that opens a network's composer with the post filled in.

use super::utm::encode;
use super::Network;
use crate::config::{LinkedinShare, ShareConfig};

/// Whether the network's intent carries the text. Facebook's takes only a URL,
/// and so does LinkedIn's share-offsite page (`share.linkedin: offsite`); the
/// feed's composer (the default) takes the text.
pub fn takes_text(network: Network, share: &ShareConfig) -> bool {
    match network {
        Network::Linkedin => share.linkedin == LinkedinShare::Compose,
        Network::Facebook => false,
        _ => true,
    }
}

/// Whether the text goes to the clipboard before the intent opens, and the
/// page says so. Always for LinkedIn: its composer's `text` parameter is not a
/// documented API, so the text is at hand to paste if it ever stops filling it in.
pub fn copies_first(network: Network, share: &ShareConfig) -> bool {
    network == Network::Linkedin || !takes_text(network, share)
}

/// The intent URL of a post. `text` is the post with its link filled in, `link`
/// the shared link alone, `subject` the e-mail subject; `share` gives the
/// Mastodon share page (`share.mastodon_share`) and LinkedIn's (`share.linkedin`).
pub fn intent(network: Network, text: &str, link: &str, subject: &str, share: &ShareConfig) -> String {
    match network {
        Network::Linkedin => match share.linkedin {
            LinkedinShare::Compose => format!("https://www.linkedin.com/feed/?shareActive=true&text={}", encode(text)),
            LinkedinShare::Offsite => format!("https://www.linkedin.com/sharing/share-offsite/?url={}", encode(link)),
        },
        Network::X => format!("https://x.com/intent/post?text={}", encode(text)),
        Network::Facebook => format!("https://www.facebook.com/sharer/sharer.php?u={}", encode(link)),
        Network::Bluesky => format!("https://bsky.app/intent/compose?text={}", encode(text)),
        Network::Threads => format!("https://www.threads.com/intent/post?text={}", encode(text)),
        Network::Mastodon => format!("{}/?text={}", share.mastodon_share.trim_end_matches('/'), encode(text)),
        Network::Whatsapp => format!("https://wa.me/?text={}", encode(text)),
        Network::Email => format!("mailto:?subject={}&body={}", encode(&one_line(subject)), encode(&crlf(text))),
    }
}

/// A mailto body's line breaks as CRLF, which RFC 6068 (section 5) requires:
/// `%0D%0A`, never a bare `%0A`.
fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n").replace('\n', "\r\n")
}

/// A header field holds no line break (RFC 6068, section 2): a subject's become spaces.
fn one_line(text: &str) -> String {
    text.split(['\r', '\n']).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes one query parameter the way a browser's URLSearchParams would.
    fn param(url: &str, name: &str) -> String {
        let query = url.split_once('?').map(|(_, q)| q).unwrap();
        let pair = query.split('&').find(|p| p.starts_with(&format!("{name}="))).unwrap();
        percent_encoding::percent_decode_str(&pair[name.len() + 1..]).decode_utf8().unwrap().into_owned()
    }

    /// The default share settings, with another Mastodon share page.
    fn share(mastodon_share: &str) -> ShareConfig {
        ShareConfig { mastodon_share: mastodon_share.into(), ..ShareConfig::default() }
    }

    /// `share.linkedin: offsite`.
    fn offsite() -> ShareConfig {
        ShareConfig { linkedin: LinkedinShare::Offsite, ..ShareConfig::default() }
    }

    const TRICKY: &str = "Tom & Jerry #1: 100% \"vrai\" + 'faux' 🎉👩‍👩‍👧\nligne 2 https://go.acme.example/c/aB3dE9x?x=1&y=2";

    #[test]
    fn text_survives_the_round_trip() {
        for network in [Network::Linkedin, Network::X, Network::Bluesky, Network::Threads, Network::Whatsapp] {
            let url = intent(network, TRICKY, "https://go.acme.example/c/aB3dE9x", "s", &ShareConfig::default());
            assert!(!url.contains(' ') && !url.contains('\n') && !url[8..].contains('#'), "{url}");
            assert_eq!(param(&url, "text"), TRICKY, "{network}");
        }
        let url = intent(Network::Mastodon, TRICKY, "l", "s", &share("https://share.joinmastodon.org/"));
        assert!(url.starts_with("https://share.joinmastodon.org/?text="));
        assert_eq!(param(&url, "text"), TRICKY);
    }

    #[test]
    fn linkedin_opens_its_composer_with_the_text_and_its_tracked_link() {
        let link = "https://go.acme.example/c/aB3dE9x";
        let text = format!("Salon de l'emploi & portes ouvertes :\nvenez nombreux ! #Recrutement {link}");
        let url = intent(Network::Linkedin, &text, link, "s", &ShareConfig::default());
        assert_eq!(
            url,
            "https://www.linkedin.com/feed/?shareActive=true&text=Salon%20de%20l%27emploi%20%26%20portes%20ouvertes%20%3A%0Avenez%20nombreux%20\
             %21%20%23Recrutement%20https%3A%2F%2Fgo.acme.example%2Fc%2FaB3dE9x"
        );
        assert_eq!(param(&url, "shareActive"), "true");
        assert_eq!(param(&url, "text"), text, "the text, its line break and its link come back whole");
        // Accents are UTF-8, percent-encoded byte by byte.
        let url = intent(Network::Linkedin, "Été à Lyon", link, "s", &ShareConfig::default());
        assert_eq!(url, "https://www.linkedin.com/feed/?shareActive=true&text=%C3%89t%C3%A9%20%C3%A0%20Lyon");
        let default = ShareConfig::default();
        assert!(takes_text(Network::Linkedin, &default) && copies_first(Network::Linkedin, &default), "the text is copied too");
    }

    #[test]
    fn url_only_networks_carry_the_link() {
        let link = "https://go.acme.example/c/aB3dE9x";
        let url = intent(Network::Linkedin, TRICKY, link, "s", &offsite());
        assert_eq!(url, "https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fgo.acme.example%2Fc%2FaB3dE9x");
        assert_eq!(param(&intent(Network::Facebook, TRICKY, link, "s", &share("")), "u"), link);
        let default = ShareConfig::default();
        assert!(!takes_text(Network::Linkedin, &offsite()) && !takes_text(Network::Facebook, &default) && takes_text(Network::X, &default));
        assert!(copies_first(Network::Linkedin, &offsite()) && copies_first(Network::Facebook, &default));
        assert!(!copies_first(Network::X, &default) && !copies_first(Network::Email, &default));
    }

    #[test]
    fn email_has_subject_and_body_with_spaces_as_percent_20() {
        let url = intent(Network::Email, TRICKY, "l", "Salon de l'emploi & co", &share(""));
        assert!(url.starts_with("mailto:?subject=Salon%20de%20l%27emploi%20%26%20co&body="), "{url}");
        assert_eq!(param(&url, "body"), TRICKY.replace('\n', "\r\n"));
    }

    #[test]
    fn email_line_breaks_are_crlf_and_its_subject_one_line() {
        let url = intent(Network::Email, "un\ndeux\r\ntrois", "l", "Sujet\nsur deux lignes", &share(""));
        assert_eq!(url, "mailto:?subject=Sujet%20sur%20deux%20lignes&body=un%0D%0Adeux%0D%0Atrois");
        // Other networks keep the text's own line breaks.
        assert_eq!(intent(Network::X, "un\ndeux", "l", "s", &share("")), "https://x.com/intent/post?text=un%0Adeux");
    }
}
