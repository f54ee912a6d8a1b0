//! UTM tagging: what analytics on the destination site sees of a shared link.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but RFC 3986's unreserved characters is encoded.
pub const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes a query or mailto component (spaces become `%20`, never `+`).
pub fn encode(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// The four UTM parameters of one post. Nothing personal ever goes in: they
/// name the network, the medium, the campaign and the snippet.
#[derive(Debug, Clone, Copy)]
pub struct Utm<'a> {
    /// `utm_source`: the network.
    pub source: &'a str,
    /// `utm_medium`: `share.utm_medium`.
    pub medium: &'a str,
    /// `utm_campaign`: the campaign id.
    pub campaign: &'a str,
    /// `utm_content`: the snippet id.
    pub content: &'a str,
}

/// `url` with the UTM parameters added. The existing query is kept as written
/// (only earlier `utm_*` values of the same names are replaced) and the fragment
/// stays last.
pub fn tag(url: &str, utm: Utm) -> String {
    let (before_fragment, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let (base, query) = match before_fragment.split_once('?') {
        Some((b, q)) => (b, q),
        None => (before_fragment, ""),
    };
    let ours = ["utm_source", "utm_medium", "utm_campaign", "utm_content"];
    let mut pairs: Vec<String> =
        query.split('&').filter(|p| !p.is_empty()).filter(|p| !ours.contains(&p.split('=').next().unwrap_or_default())).map(str::to_string).collect();
    for (key, value) in ours.iter().zip([utm.source, utm.medium, utm.campaign, utm.content]) {
        pairs.push(format!("{key}={}", encode(value)));
    }
    let mut tagged = format!("{base}?{}", pairs.join("&"));
    if let Some(f) = fragment {
        tagged.push('#');
        tagged.push_str(f);
    }
    tagged
}

#[cfg(test)]
mod tests {
    use super::*;

    const UTM: Utm = Utm { source: "x", medium: "social", campaign: "salon-2027", content: "jour-j" };

    #[test]
    fn adds_parameters_to_a_bare_url() {
        assert_eq!(
            tag("https://acme.example/salon", UTM),
            "https://acme.example/salon?utm_source=x&utm_medium=social&utm_campaign=salon-2027&utm_content=jour-j"
        );
    }

    #[test]
    fn keeps_query_and_fragment() {
        assert_eq!(
            tag("https://acme.example/s?ref=hub&q=a%20b#inscription", UTM),
            "https://acme.example/s?ref=hub&q=a%20b&utm_source=x&utm_medium=social&utm_campaign=salon-2027&utm_content=jour-j#inscription"
        );
    }

    #[test]
    fn replaces_earlier_utm_values_and_encodes() {
        let utm = Utm { medium: "réseau social&co", ..UTM };
        let tagged = tag("https://acme.example/?utm_source=old&x=1", utm);
        assert_eq!(tagged.matches("utm_source=").count(), 1);
        assert!(tagged.contains("x=1&utm_source=x&utm_medium=r%C3%A9seau%20social%26co&"), "{tagged}");
    }
}
