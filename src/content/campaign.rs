//! A share campaign as the rest of the pipeline sees it: validated ids, dates
//! and the networks it is offered on.

use chrono::NaiveDate;
use serde::Serialize;

use super::front_matter::{FrontMatter, SnippetFront};
use crate::share::Network;

/// Where a campaign stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Before `starts`.
    Upcoming,
    /// From `starts` to `ends`, both included.
    Live,
    /// After `ends`.
    Ended,
}

impl Status {
    /// The name used in templates and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Upcoming => "upcoming",
            Status::Live => "live",
            Status::Ended => "ended",
        }
    }
}

/// A campaign page's share data.
#[derive(Debug, Clone)]
pub struct Campaign {
    /// `utm_campaign` and the stable part of every short code.
    pub id: String,
    /// The URL that is shared.
    pub url: String,
    /// First live day.
    pub starts: NaiveDate,
    /// Last live day.
    pub ends: NaiveDate,
    /// Hashtags without `#`.
    pub hashtags: Vec<String>,
    /// Networks the posts are written for.
    pub networks: Vec<Network>,
    /// The prewritten posts.
    pub snippets: Vec<SnippetFront>,
    /// The image file name, next to the page, if any.
    pub image: Option<String>,
}

impl Campaign {
    /// Builds the campaign of a page whose kind is `campaign` (the keys were checked when parsing).
    pub fn from_front(front: &FrontMatter, slug: &str, default_networks: &[Network]) -> Option<Campaign> {
        Some(Campaign {
            id: front.campaign.clone().unwrap_or_else(|| slug.to_string()),
            url: front.url.clone()?,
            starts: front.starts?.0,
            ends: front.ends?.0,
            hashtags: front.hashtags.clone(),
            networks: front.networks.clone().unwrap_or_else(|| default_networks.to_vec()),
            snippets: front.snippets.clone(),
            image: front.image.clone(),
        })
    }

    /// The campaign's status on `today` (a date in the hub's time zone).
    pub fn status(&self, today: NaiveDate) -> Status {
        if today < self.starts {
            Status::Upcoming
        } else if today <= self.ends {
            Status::Live
        } else {
            Status::Ended
        }
    }
}

/// True for ids made of `[a-z0-9-]`, not starting or ending with `-`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_follows_dates_inclusively() {
        let c = Campaign {
            id: "c".into(),
            url: "https://a.example".into(),
            starts: NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(),
            ends: NaiveDate::from_ymd_opt(2027, 3, 15).unwrap(),
            hashtags: vec![],
            networks: vec![],
            snippets: vec![],
            image: None,
        };
        let d = |m, d| NaiveDate::from_ymd_opt(2027, m, d).unwrap();
        assert_eq!(c.status(d(2, 28)), Status::Upcoming);
        assert_eq!(c.status(d(3, 1)), Status::Live);
        assert_eq!(c.status(d(3, 15)), Status::Live);
        assert_eq!(c.status(d(3, 16)), Status::Ended);
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
