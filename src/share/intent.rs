//! Share intents: the URL that opens a network's composer with the post filled in.

use super::utm::encode;
use super::Network;

/// Whether the network's intent carries the text. LinkedIn and Facebook take
/// only a URL: the text goes to the clipboard first, and the page says so.
pub fn takes_text(network: Network) -> bool {
    !matches!(network, Network::Linkedin | Network::Facebook)
}

/// The intent URL of a post. `text` is the post with its link filled in, `link`
/// the shared link alone, `subject` the e-mail subject, `mastodon_share` the
/// Mastodon share page (`share.mastodon_share`).
pub fn intent(network: Network, text: &str, link: &str, subject: &str, mastodon_share: &str) -> String {
    match network {
        Network::Linkedin => format!("https://www.linkedin.com/sharing/share-offsite/?url={}", encode(link)),
        Network::X => format!("https://x.com/intent/post?text={}", encode(text)),
        Network::Facebook => format!("https://www.facebook.com/sharer/sharer.php?u={}", encode(link)),
        Network::Bluesky => format!("https://bsky.app/intent/compose?text={}", encode(text)),
        Network::Threads => format!("https://www.threads.com/intent/post?text={}", encode(text)),
        Network::Mastodon => format!("{}/?text={}", mastodon_share.trim_end_matches('/'), encode(text)),
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

    const TRICKY: &str = "Tom & Jerry #1: 100% \"vrai\" + 'faux' 🎉👩‍👩‍👧\nligne 2 https://go.acme.example/c/aB3dE9x?x=1&y=2";

    #[test]
    fn text_survives_the_round_trip() {
        for network in [Network::X, Network::Bluesky, Network::Threads, Network::Whatsapp] {
            let url = intent(network, TRICKY, "https://go.acme.example/c/aB3dE9x", "s", "https://share.joinmastodon.org");
            assert!(!url.contains(' ') && !url.contains('\n') && !url[8..].contains('#'), "{url}");
            assert_eq!(param(&url, "text"), TRICKY, "{network}");
        }
        let url = intent(Network::Mastodon, TRICKY, "l", "s", "https://share.joinmastodon.org/");
        assert!(url.starts_with("https://share.joinmastodon.org/?text="));
        assert_eq!(param(&url, "text"), TRICKY);
    }

    #[test]
    fn url_only_networks_carry_the_link() {
        let link = "https://go.acme.example/c/aB3dE9x";
        let url = intent(Network::Linkedin, TRICKY, link, "s", "");
        assert_eq!(url, "https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fgo.acme.example%2Fc%2FaB3dE9x");
        assert_eq!(param(&intent(Network::Facebook, TRICKY, link, "s", ""), "u"), link);
        assert!(!takes_text(Network::Linkedin) && !takes_text(Network::Facebook) && takes_text(Network::X));
    }

    #[test]
    fn email_has_subject_and_body_with_spaces_as_percent_20() {
        let url = intent(Network::Email, TRICKY, "l", "Salon de l'emploi & co", "");
        assert!(url.starts_with("mailto:?subject=Salon%20de%20l%27emploi%20%26%20co&body="), "{url}");
        assert_eq!(param(&url, "body"), TRICKY.replace('\n', "\r\n"));
    }

    #[test]
    fn email_line_breaks_are_crlf_and_its_subject_one_line() {
        let url = intent(Network::Email, "un\ndeux\r\ntrois", "l", "Sujet\nsur deux lignes", "");
        assert_eq!(url, "mailto:?subject=Sujet%20sur%20deux%20lignes&body=un%0D%0Adeux%0D%0Atrois");
        // Other networks keep the text's own line breaks.
        assert_eq!(intent(Network::X, "un\ndeux", "l", "s", ""), "https://x.com/intent/post?text=un%0Adeux");
    }
}
