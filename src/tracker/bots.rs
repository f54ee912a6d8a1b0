//! Who is not a person: bots and crawlers from the maintained `isbot` list,
//! plus the link-preview agents and HTTP libraries docs/tracker.md lists, and an empty
//! user agent. Prefetches and HEAD requests are decided by the route.

use std::collections::HashMap;
use std::sync::Mutex;

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

/// User agents longer than this are judged every time, never remembered.
const CACHED_AGENT_MAX_LEN: usize = 512;
/// How many verdicts are remembered before the memory is cleared.
const CACHE_CAPACITY: usize = 4096;

/// Decides whether a user agent is a person's browser.
///
/// Real traffic comes from a few hundred distinct user agents, and the full
/// judgement (a regex over the isbot list and a scan of the preview agents)
/// costs more than the rest of a redirect, so verdicts are remembered, in
/// memory only and within a fixed bound.
pub struct BotDetector {
    list: isbot::Bots,
    verdicts: Mutex<HashMap<Box<str>, bool>>,
}

impl Default for BotDetector {
    fn default() -> Self {
        BotDetector { list: isbot::Bots::default(), verdicts: Mutex::new(HashMap::with_capacity(CACHE_CAPACITY)) }
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
        if user_agent.len() > CACHED_AGENT_MAX_LEN {
            return self.judge(user_agent);
        }
        if let Some(&verdict) = self.verdicts.lock().ok().as_ref().and_then(|v| v.get(user_agent)) {
            return verdict;
        }
        let verdict = self.judge(user_agent);
        if let Ok(mut verdicts) = self.verdicts.lock() {
            if verdicts.len() >= CACHE_CAPACITY {
                verdicts.clear();
            }
            verdicts.insert(user_agent.into(), verdict);
        }
        verdict
    }

    fn judge(&self, user_agent: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    const LINKEDIN: &str = "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)";

    #[test]
    fn remembered_verdicts_match_fresh_ones() {
        let detector = BotDetector::default();
        for _ in 0..3 {
            assert!(!detector.is_bot(FIREFOX));
            assert!(detector.is_bot(LINKEDIN));
            assert!(detector.is_bot(""));
            assert!(detector.is_bot("   "));
        }
        let long = format!("{FIREFOX} {}", "x".repeat(CACHED_AGENT_MAX_LEN));
        assert!(!detector.is_bot(&long));
        assert!(!detector.verdicts.lock().unwrap().contains_key(long.as_str()), "long agents are not kept");
    }

    #[test]
    fn the_memory_stays_bounded() {
        let detector = BotDetector::default();
        for i in 0..CACHE_CAPACITY * 2 + 7 {
            detector.is_bot(&format!("{FIREFOX} build/{i}"));
        }
        assert!(detector.verdicts.lock().unwrap().len() <= CACHE_CAPACITY);
        assert!(detector.is_bot(LINKEDIN), "still judged right after clearing");
    }
}
