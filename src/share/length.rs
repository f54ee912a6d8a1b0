//! Post lengths the way each network counts them, and their limits.
//!
//! - X: twitter-text v3's weighted length (config `v3.json`: code points in
//!   U+0000–U+10FF, U+2000–U+200D, U+2010–U+201F and U+2032–U+2037 weigh 1, every
//!   other code point 2, an emoji sequence 2 whatever its length, every URL 23),
//!   after NFC normalisation.
//! - Bluesky: grapheme clusters, the full URL counted.
//! - Mastodon: characters, every URL counted as 23.
//! - LinkedIn, Threads, Facebook: characters.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use super::Network;

/// What X, Mastodon and twitter-text count a URL as, whatever its length.
pub const URL_WEIGHT: usize = 23;

/// The most a post may hold on a network, in that network's unit; `None`: no limit.
pub fn limit(network: Network) -> Option<usize> {
    match network {
        Network::X => Some(280),
        Network::Linkedin => Some(3000),
        Network::Facebook => Some(63_206),
        Network::Bluesky => Some(300),
        Network::Mastodon | Network::Threads => Some(500),
        Network::Whatsapp | Network::Email => None,
    }
}

/// The length of `text` as `network` counts it.
pub fn length(network: Network, text: &str) -> usize {
    match network {
        Network::X => x_weighted(text),
        Network::Bluesky => text.graphemes(true).count(),
        Network::Mastodon => with_urls_as(text, URL_WEIGHT, |s| s.chars().count()),
        _ => text.chars().count(),
    }
}

/// twitter-text v3's weighted length, in characters (weight / 100, rounded down as twitter-text does).
pub fn x_weighted(text: &str) -> usize {
    let text: String = text.nfc().collect();
    let weight = with_urls_as(&text, URL_WEIGHT * 100, |s| {
        s.graphemes(true).map(|g| if is_emoji_sequence(g) { 200 } else { g.chars().map(char_weight).sum() }).sum()
    });
    weight / 100
}

/// The v3 weight of one code point: 100 inside the ranges, 200 outside.
fn char_weight(c: char) -> usize {
    match u32::from(c) {
        0..=4351 | 8192..=8205 | 8208..=8223 | 8242..=8247 => 100,
        _ => 200,
    }
}

/// A cluster twitter-text's emoji parser counts as one emoji: a sequence joined
/// by ZWJ, with a variation selector, a keycap, a skin tone, tags, or a flag.
/// (A lone emoji code point is outside the weight-1 ranges and weighs 2 anyway.)
fn is_emoji_sequence(cluster: &str) -> bool {
    let mut chars = cluster.chars();
    let (Some(first), Some(_)) = (chars.next(), chars.next()) else { return false };
    let regional = |c: char| ('\u{1F1E6}'..='\u{1F1FF}').contains(&c);
    cluster.chars().any(|c| matches!(c, '\u{200D}' | '\u{FE0F}' | '\u{20E3}' | '\u{1F3FB}'..='\u{1F3FF}' | '\u{E0020}'..='\u{E007F}'))
        || (regional(first) && cluster.chars().all(regional))
}

/// Counts `text` with `count` between URLs and `url_weight` for each URL.
fn with_urls_as(text: &str, url_weight: usize, count: impl Fn(&str) -> usize) -> usize {
    let mut total = 0;
    let mut pos = 0;
    for url in find_urls(text) {
        total += count(&text[pos..url.start]) + url_weight;
        pos = url.end;
    }
    total + count(&text[pos..])
}

/// Byte ranges of the URLs in `text`: `http(s)://` URLs and bare domains
/// (`acme.example/page`) whose every label is a valid DNS label (at most 63
/// bytes once punycode-encoded) and whose top-level domain is a real one.
pub fn find_urls(text: &str) -> Vec<Range<usize>> {
    let mut urls = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let boundary = text[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric() && !"@#$&.-_/".contains(c));
        if !boundary {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let scheme_len = ["https://", "http://"]
            .iter()
            .find(|s| rest.len() >= s.len() && rest.is_char_boundary(s.len()) && rest[..s.len()].eq_ignore_ascii_case(s))
            .map_or(0, |s| s.len());
        let end = i + scheme_len + url_body_len(&rest[scheme_len..]);
        if end > i + scheme_len && is_valid_host(&text[i + scheme_len..end], scheme_len > 0) {
            urls.push(i..end);
            i = end;
            continue;
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    urls
}

/// Length of the host, port, path, query and fragment of a URL at the start of
/// `s`, trailing punctuation excluded (as in "see acme.example.").
fn url_body_len(s: &str) -> usize {
    let stop = |c: char| {
        c.is_whitespace() || matches!(c, '"' | '<' | '>' | '`' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FFFE}' | '\u{FFFF}')
    };
    let mut len = s.find(stop).unwrap_or(s.len());
    while let Some(c) = s[..len].chars().next_back() {
        if matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | ')' | '\'' | '’' | '…') {
            len -= c.len_utf8();
        } else {
            break;
        }
    }
    len
}

/// Whether the host at the start of `url` (up to `/`, `?`, `#` or `:`) is a real
/// domain (or, after a scheme, an IP address).
fn is_valid_host(url: &str, has_scheme: bool) -> bool {
    let host_end = url.find(['/', '?', '#', ':']).unwrap_or(url.len());
    let host = &url[..host_end];
    if host.is_empty() || !host.contains('.') {
        return false;
    }
    if has_scheme && host.parse::<std::net::Ipv4Addr>().is_ok() {
        return true;
    }
    let labels: Vec<&str> = host.split('.').collect();
    let last = labels.len() - 1;
    for (n, label) in labels.iter().enumerate() {
        let ok_chars = label.chars().all(|c| c.is_alphanumeric() || c == '-' || (c == '_' && n + 1 < last));
        if label.is_empty() || !ok_chars || label.starts_with('-') || label.ends_with('-') {
            return false;
        }
        let ascii_len = if label.is_ascii() {
            label.len()
        } else {
            match idna::domain_to_ascii(label) {
                Ok(a) => a.len(),
                Err(_) => return false,
            }
        };
        if ascii_len > 63 {
            return false;
        }
    }
    let Ok(ascii_host) = idna::domain_to_ascii(host) else { return false };
    if has_scheme {
        return true;
    }
    // Without a scheme, the top-level domain must be a real one (the public suffix
    // list knows them all, internationalised ones included), so "10.0" or
    // "fin.Puis" are not links.
    let tld = ascii_host.rsplit('.').next().unwrap_or_default();
    psl::suffix(tld.as_bytes()).is_some_and(|s| s.is_known())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_follow_the_spec() {
        assert_eq!(limit(Network::X), Some(280));
        assert_eq!(limit(Network::Bluesky), Some(300));
        assert_eq!(limit(Network::Mastodon), Some(500));
        assert_eq!(limit(Network::Threads), Some(500));
        assert_eq!(limit(Network::Linkedin), Some(3000));
        assert_eq!(limit(Network::Facebook), Some(63_206));
        assert_eq!(limit(Network::Whatsapp), None);
        assert_eq!(limit(Network::Email), None);
    }

    #[test]
    fn french_accents_count_once_even_decomposed() {
        let composed = "Été à l'usine : journée portes ouvertes !";
        let decomposed: String = composed.nfd().collect();
        assert_eq!(x_weighted(composed), composed.chars().count());
        assert_eq!(x_weighted(&decomposed), composed.chars().count(), "NFC first");
        assert_eq!(length(Network::Bluesky, &decomposed), composed.chars().count(), "graphemes");
    }

    #[test]
    fn emoji_and_cjk_weigh_two_on_x() {
        assert_eq!(x_weighted("🎉"), 2);
        assert_eq!(x_weighted("👩‍👩‍👧‍👦"), 2, "ZWJ family");
        assert_eq!(x_weighted("🇫🇷"), 2, "flag");
        assert_eq!(x_weighted("👍🏽"), 2, "skin tone");
        assert_eq!(x_weighted("1️⃣"), 2, "keycap");
        assert_eq!(x_weighted("日本語"), 6);
        assert_eq!(length(Network::Bluesky, "👩‍👩‍👧‍👦🇫🇷"), 2);
        assert_eq!(length(Network::Mastodon, "👩‍👩‍👧‍👦"), 7, "Mastodon counts code points");
    }

    #[test]
    fn urls_with_and_without_scheme() {
        assert_eq!(x_weighted("Voir https://www.acme.example/carrieres/salon-2027?utm_source=x"), 5 + 23);
        assert_eq!(x_weighted("Voir acme.com/carrieres"), 5 + 23);
        assert_eq!(x_weighted("Version 10.0 sortie"), 19, "not a domain");
        assert_eq!(x_weighted("Fin.Puis"), 8, "no real top-level domain");
        assert_eq!(x_weighted("Lien : https://go.acme.fr/c/aB3dE9x."), 7 + 23 + 1, "trailing dot is not part of the URL");
        let long = format!("https://acme.com/{}", "a".repeat(200));
        assert_eq!(length(Network::Mastodon, &format!("a {long}")), 2 + 23);
        assert_eq!(length(Network::Bluesky, &format!("a {long}")), 2 + long.len(), "Bluesky counts the full URL");
    }
}
