//! Short codes: 7 base62 characters derived from (campaign, snippet, network),
//! so that rebuilding a hub never changes a link already shared.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Network;

const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Length of every short code.
pub const LEN: usize = 7;

/// The code of a short link, `{tracker.url}/c/{code}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ShortCode(String);

impl ShortCode {
    /// The code of one post: SHA-256 of the three ids, reduced to 62^7 values.
    /// SHA-256 rather than a std hasher because the result must never change
    /// across Rust versions or platforms.
    pub fn new(campaign: &str, snippet: &str, network: Network) -> ShortCode {
        Self::from_key(&format!("{campaign}\0{snippet}\0{}", network.id()))
    }

    /// The code of a post of a translated campaign page, whose destination may
    /// differ from the default language's: the language is part of the key.
    pub fn translated(campaign: &str, snippet: &str, network: Network, lang: &str) -> ShortCode {
        Self::from_key(&format!("{campaign}\0{snippet}\0{}\0{lang}", network.id()))
    }

    fn from_key(key: &str) -> ShortCode {
        let digest = Sha256::digest(key.as_bytes());
        let mut n = u64::from_be_bytes(digest[..8].try_into().unwrap_or_default()) % 62u64.pow(LEN as u32);
        let mut code = [b'0'; LEN];
        for slot in code.iter_mut().rev() {
            *slot = ALPHABET[(n % 62) as usize];
            n /= 62;
        }
        ShortCode(String::from_utf8_lossy(&code).into_owned())
    }

    /// Parses a code from a URL, accepting only 7 base62 characters.
    pub fn parse(text: &str) -> Option<ShortCode> {
        (text.len() == LEN && text.bytes().all(|b| b.is_ascii_alphanumeric())).then(|| ShortCode(text.to_string()))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ShortCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Published links must never change: these codes are a contract. If this
    /// test fails, every short link already posted would break.
    #[test]
    fn codes_are_stable() {
        let golden = [
            ("salon-emploi-2027", "teaser", Network::Linkedin, "S5I4pxN"),
            ("salon-emploi-2027", "jour-j", Network::X, "211938e"),
            ("rapport-rse-2026", "parution", Network::Bluesky, "sE1kC0j"),
            ("a", "b", Network::Email, "8qbkmX2"),
        ];
        for (campaign, snippet, network, code) in golden {
            assert_eq!(ShortCode::new(campaign, snippet, network).as_str(), code, "{campaign}/{snippet}/{network}");
        }
        assert_eq!(ShortCode::translated("salon-emploi-2027", "teaser", Network::Linkedin, "en").as_str(), "cUQthSp");
    }

    #[test]
    fn codes_differ_by_every_part() {
        let a = ShortCode::new("c", "s", Network::X);
        assert_ne!(a, ShortCode::new("c", "s", Network::Bluesky));
        assert_ne!(a, ShortCode::new("c", "t", Network::X));
        assert_ne!(a, ShortCode::new("d", "s", Network::X));
        // The separator keeps ("ab", "c") and ("a", "bc") apart.
        assert_ne!(ShortCode::new("ab", "c", Network::X), ShortCode::new("a", "bc", Network::X));
    }

    #[test]
    fn parse_accepts_only_codes() {
        assert!(ShortCode::parse("aZ09bcD").is_some());
        assert!(ShortCode::parse("aZ09bc").is_none());
        assert!(ShortCode::parse("aZ09b/D").is_none());
        assert!(ShortCode::parse("aZ09bcDé").is_none());
    }
}
