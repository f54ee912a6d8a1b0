//! What a short link is made of, checked the same way by every layer: the
//! network a post is written for, the ids of its campaign and snippet, and
//! the destination it may redirect to. It stands below the configuration, so
//! `hub.yaml`, front matter, the share engine and the tracker all take these
//! from here; the tracker shares them, and the manifest ([`manifest`]), with
//! the builder, nothing else.

mod code;
mod goal;
pub mod impact;
pub mod manifest;
mod network;
pub mod paths;

pub use code::ShortCode;
pub use goal::{CampaignGoal, Goal, GoalMetric};
pub use network::Network;

use crate::util::url::{http_url, NotHttp};

/// True for ids made of `[a-z0-9-]`, not starting or ending with `-`: a
/// campaign's or a snippet's, which become `utm_campaign` and part of every
/// short code.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && !id.starts_with('-') && !id.ends_with('-') && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The form of `url` a short link may redirect to, or why it may not.
///
/// Refused: any control character (a CR or LF would split the `Location`
/// header; the URL parser would silently drop them, so they are looked for
/// first), a scheme other than http(s) (`javascript:`, `data:`…), no host,
/// and a user name or password (`https://www.acme.example@evil.example`).
/// The accepted form is the URL as browsers serialise it (WHATWG URL): an
/// international host in punycode, other non-ASCII characters percent-encoded,
/// so it is plain ASCII, fit for a `Location` header.
pub fn destination(url: &str) -> Result<String, String> {
    if let Some(c) = url.chars().find(|c| c.is_control()) {
        return Err(format!("it holds a control character ({})", c.escape_default()));
    }
    let parsed = http_url(url).map_err(|why| match why {
        NotHttp::Unparsable(e) => format!("it is not a URL ({e})"),
        NotHttp::Scheme(scheme) => format!("its scheme is `{scheme}`, not http or https"),
    })?;
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err("it has no host".into());
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("it holds a user name or password before its host".into());
    }
    Ok(parsed.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_urls_with_a_host_are_destinations() {
        assert_eq!(destination("https://www.acme.example/a?b=c#d").as_deref(), Ok("https://www.acme.example/a?b=c#d"));
        for unsafe_url in [
            "javascript:alert(1)",
            "data:text/html,hi",
            "https://a.example/\r\nSet-Cookie: x=1",
            "https://a.example/\tx",
            "//evil.example",
            "/relative",
            "https://www.acme.example@evil.example/",
            "https://user:pass@a.example/",
            "file:///etc/passwd",
            "mailto:a@a.example",
        ] {
            assert!(destination(unsafe_url).is_err(), "{unsafe_url:?}");
        }
    }

    #[test]
    fn international_destinations_become_ascii() {
        assert_eq!(destination("https://café.example/été?q=ç#à").as_deref(), Ok("https://xn--caf-dma.example/%C3%A9t%C3%A9?q=%C3%A7#%C3%A0"));
        assert_eq!(destination("https://a.example/déjà%20vu").as_deref(), Ok("https://a.example/d%C3%A9j%C3%A0%20vu"), "encoded once");
    }

    #[test]
    fn ids_are_lowercase_ascii_with_dashes() {
        assert!(is_valid_id("salon-emploi-2027"));
        assert!(!is_valid_id("Salon"));
        assert!(!is_valid_id("a_b"));
        assert!(!is_valid_id("-a"));
        assert!(!is_valid_id(""));
    }
}
