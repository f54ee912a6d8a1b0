//! Unique visitors without personal data: a keyed BLAKE3 hash of (IP, user
//! agent, code) under a random salt that changes every day. The salt is shared
//! by every tracker instance through the database and deleted once its day is
//! over, after which no hash can be linked to anyone again.

use std::net::IpAddr;

/// The hash of one visitor of one link on one day (16 bytes are plenty to count).
pub fn hash(salt: &[u8; 32], ip: IpAddr, user_agent: &str, code: &str) -> [u8; 16] {
    keyed(salt, &[], ip, user_agent, code)
}

/// A keyed BLAKE3 hash of (IP, user agent, code), after `context` and a 0 byte
/// when `context` is not empty (so that hashes made for different purposes
/// under one key never meet); 16 bytes.
pub fn keyed(key: &[u8; 32], context: &[u8], ip: IpAddr, user_agent: &str, code: &str) -> [u8; 16] {
    let mut hasher = blake3::Hasher::new_keyed(key);
    if !context.is_empty() {
        hasher.update(context);
        hasher.update(&[0]);
    }
    match ip {
        IpAddr::V4(v4) => hasher.update(&v4.octets()),
        IpAddr::V6(v6) => hasher.update(&v6.octets()),
    };
    hasher.update(&[0]);
    hasher.update(user_agent.as_bytes());
    hasher.update(&[0]);
    hasher.update(code.as_bytes());
    let mut out = [0u8; 16];
    out.copy_from_slice(&hasher.finalize().as_bytes()[..16]);
    out
}

/// Today's day number (days since the Unix epoch, UTC): the salt's lifetime.
pub fn day(now_ms: i64) -> i64 {
    now_ms.div_euclid(86_400_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_visitor_same_day_same_hash_other_salt_other_hash() {
        let ip: IpAddr = "203.0.113.7".parse().unwrap();
        let a = hash(&[1; 32], ip, "Mozilla/5.0", "aB3dE9x");
        assert_eq!(a, hash(&[1; 32], ip, "Mozilla/5.0", "aB3dE9x"));
        assert_ne!(a, hash(&[2; 32], ip, "Mozilla/5.0", "aB3dE9x"), "a new day's salt unlinks visitors");
        assert_ne!(a, hash(&[1; 32], ip, "Mozilla/5.0", "zzzzzzz"));
        assert_ne!(a, hash(&[1; 32], "203.0.113.8".parse().unwrap(), "Mozilla/5.0", "aB3dE9x"));
    }

    #[test]
    fn a_context_keeps_hashes_made_for_other_purposes_apart() {
        let ip: IpAddr = "203.0.113.7".parse().unwrap();
        assert_eq!(keyed(&[1; 32], &[], ip, "Mozilla/5.0", "aB3dE9x"), hash(&[1; 32], ip, "Mozilla/5.0", "aB3dE9x"));
        assert_ne!(keyed(&[1; 32], b"visitor", ip, "Mozilla/5.0", "aB3dE9x"), hash(&[1; 32], ip, "Mozilla/5.0", "aB3dE9x"));
        assert_ne!(keyed(&[1; 32], b"visitor", ip, "", "c"), keyed(&[1; 32], b"address", ip, "", "c"));
    }

    #[test]
    fn days_are_utc() {
        assert_eq!(day(0), 0);
        assert_eq!(day(86_400_000 - 1), 0);
        assert_eq!(day(86_400_000), 1);
    }
}
