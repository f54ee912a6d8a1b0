//! The tracker's URL layout, written once: the tracker routes these paths,
//! the share engine writes short links with them, and the render context
//! gives templates and `chorus.js` the full URLs made of them
//! (`docs/templates.md`, "tracker").

/// Where short links live: `/c/{code}`, and `/c/{code}/{ambassador}`.
pub const SHORT_LINK_PREFIX: &str = "/c/";

/// The beacon the hub posts to: copies and shares of posts, guides
/// completed, policy versions acknowledged.
pub const BEACON: &str = "/e";

/// Public totals of every campaign.
pub const CAMPAIGNS: &str = "/api/v1/campaigns";

/// The collective impact of the last 30 days, for the hub's home page.
pub const IMPACT: &str = "/api/v1/impact";

/// Ambassador ids: a new one is posted here; one id's totals, joining and
/// leaving the leaderboard are at `{AMBASSADOR}/{id}`.
pub const AMBASSADOR: &str = "/api/v1/ambassador";

/// The leaderboard of ambassadors who chose a display name.
pub const LEADERBOARD: &str = "/api/v1/leaderboard";

/// The admin's statistics.
pub const STATS: &str = "/api/v1/stats";

/// The admin's export of every click.
pub const EXPORT_CSV: &str = "/api/v1/export.csv";

/// The short link of `code` on the tracker at `tracker_url` (no trailing `/`).
pub fn short_link(tracker_url: &str, code: &str) -> String {
    format!("{tracker_url}{SHORT_LINK_PREFIX}{code}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_links_are_under_c() {
        assert_eq!(short_link("https://go.acme.example", "aB3dE9x"), "https://go.acme.example/c/aB3dE9x");
    }
}
