//! Who is not a person: bots and crawlers from the maintained `isbot` list,
//! plus the link-preview agents and HTTP libraries SPEC §7 names, and an empty
//! user agent. Prefetches and HEAD requests are decided by the route.

use axum::http::HeaderMap;

/// Link-preview fetchers and HTTP libraries, matched case-insensitively as substrings.
const PREVIEW_AGENTS: &[&str] = &[
    "twitterbot",
    "facebookexternalhit",
    "facebookcatalog",
    "linkedinbot",
    "slackbot",
    "slack-imgproxy",
    "discordbot",
    "whatsapp",
    "telegrambot",
    "mastodon",
    "pleroma",
    "akkoma",
    "misskey",
    "cardyb",
    "bluesky",
    "skypeuripreview",
    "microsoft office",
    "msoffice",
    "teams",
    "outlook",
    "microsoftpreview",
    "embedly",
    "iframely",
    "redditbot",
    "pinterest",
    "applebot",
    "google-pagerenderer",
    "vkshare",
    "curl/",
    "wget/",
    "python-requests",
    "python-urllib",
    "python-httpx",
    "aiohttp",
    "go-http-client",
    "okhttp",
    "java/",
    "apache-httpclient",
    "libwww-perl",
    "node-fetch",
    "axios/",
    "undici",
    "reqwest",
    "httpie",
    "postmanruntime",
    "insomnia",
    "headlesschrome",
    "phantomjs",
];

/// Decides whether a user agent is a person's browser.
pub struct BotDetector {
    list: isbot::Bots,
}

impl Default for BotDetector {
    fn default() -> Self {
        BotDetector { list: isbot::Bots::default() }
    }
}

impl std::fmt::Debug for BotDetector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BotDetector")
    }
}

impl BotDetector {
    /// True for bots, crawlers, link previews, HTTP libraries and an empty user agent.
    pub fn is_bot(&self, user_agent: &str) -> bool {
        let ua = user_agent.trim();
        if ua.is_empty() {
            return true;
        }
        let lower = ua.to_ascii_lowercase();
        PREVIEW_AGENTS.iter().any(|a| lower.contains(a)) || self.list.is_bot(ua)
    }
}

/// A prefetch or prerender (`Sec-Purpose: prefetch`, `Purpose: prefetch`, `X-Moz: prefetch`).
pub fn is_prefetch(headers: &HeaderMap) -> bool {
    ["sec-purpose", "purpose", "x-purpose", "x-moz"].iter().any(|name| {
        headers
            .get(*name)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().contains("prefetch") || v.to_ascii_lowercase().contains("preview"))
    })
}
