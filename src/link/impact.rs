//! What the employees' sharing achieved lately, as the tracker's public
//! `GET /api/v1/impact` gives it (docs/tracker.md) and as the hub's home
//! page and the digest say it: "Ces 30 derniers jours, vos publications ont
//! apporté 1 240 visites à acme.example".

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::manifest::Link;

/// How many days the collective impact covers, today included.
pub const IMPACT_DAYS: i64 = 30;

/// The collective figures of the last [`IMPACT_DAYS`] UTC days, every campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Impact {
    /// The first day counted, `YYYY-MM-DD`.
    pub from: String,
    /// The last day counted (today), `YYYY-MM-DD`.
    pub to: String,
    /// How many days: [`IMPACT_DAYS`].
    pub days: i64,
    /// Clicks by people: the visits the posts brought.
    pub clicks: i64,
    /// Unique visitors (each person once per link and day).
    pub visitors: i64,
    /// Shares from the hub.
    pub shares: i64,
    /// Copies from the hub.
    pub copies: i64,
}

/// The site most of the links lead to, as people name it (`acme.example`:
/// the host without `www.`); `None` without links.
pub fn main_site(links: &[Link]) -> Option<String> {
    let mut hosts: BTreeMap<String, usize> = BTreeMap::new();
    for link in links {
        if let Some(host) = url::Url::parse(&link.url).ok().and_then(|u| u.host_str().map(str::to_string)) {
            let host = host.strip_prefix("www.").map(str::to_string).unwrap_or(host);
            *hosts.entry(host).or_default() += 1;
        }
    }
    // The most links; of as many, the first host in order.
    hosts
        .into_iter()
        .fold(None, |best: Option<(String, usize)>, (host, n)| match best {
            Some((_, m)) if m >= n => best,
            _ => Some((host, n)),
        })
        .map(|(host, _)| host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(url: &str) -> Link {
        serde_json::from_value(serde_json::json!({
            "code": "aB3dE9x", "url": url, "campaign": "c", "snippet": "s", "network": "x", "title": "T"
        }))
        .unwrap()
    }

    #[test]
    fn the_main_site_is_the_host_most_links_lead_to() {
        let links = [link("https://www.acme.example/a"), link("https://acme.example/b"), link("https://jobs.example/c")];
        assert_eq!(main_site(&links).as_deref(), Some("acme.example"));
        assert_eq!(main_site(&[]), None);
        assert_eq!(main_site(&[link("https://b.example/"), link("https://a.example/")]).as_deref(), Some("a.example"), "a tie takes the first");
    }
}
