//! How many clicks of one visitor get a row of their own. A client that sends
//! the same link in a loop (34 000 requests a second fit on one machine) must
//! not fill the disk at 60 bytes a click: past its allowance, each click still
//! redirects and still counts, but only as one more in its hour's count per
//! link (docs/tracker.md, "Flood allowance"). Totals stay exact; the rows that hold visitor
//! hashes are the first ones, so unique visitors stay exact too.
//!
//! The allowance is kept in memory, per tracker instance, and starts again
//! every clock hour (UTC). Its keys are keyed hashes under a random key of
//! the process, never stored: they say nothing once the process is gone.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

/// Clicks with a row of their own per visitor (IP address and user agent),
/// link and clock hour.
pub const ROWS_PER_VISITOR_HOUR: u32 = 10;

/// Clicks with a row of their own per client address (an IPv6 client by its
/// /64), link and clock hour, whatever user agents it sends: a client that
/// makes up a new one for every request is a flood too.
pub const ROWS_PER_ADDRESS_HOUR: u32 = 1_000;

/// The most visitors and addresses remembered in an hour (about 40 bytes
/// each). Past it, clicks of visitors not yet seen get rows: memory stays
/// bounded, and the addresses already seen keep their allowance.
const MAX_KEYS: usize = 200_000;

/// The clicks with a row of their own this hour, per visitor and per address.
#[derive(Debug)]
pub struct Allowance {
    key: [u8; 32],
    hour: Mutex<(i64, HashMap<[u8; 16], u32>)>,
}

impl Default for Allowance {
    fn default() -> Self {
        Allowance { key: rand::random(), hour: Mutex::new((i64::MIN, HashMap::new())) }
    }
}

impl Allowance {
    /// Whether a click at `at_ms` gets a row of its own, and counts it: the
    /// visitor and its address both still have some of this hour's allowance.
    pub fn row(&self, at_ms: i64, ip: IpAddr, user_agent: &str, code: &str) -> bool {
        let address = super::client::rate_key(ip);
        let visitor_key = self.hash(b"visitor", ip, user_agent, code);
        let address_key = self.hash(b"address", address, "", code);
        let hour = at_ms.div_euclid(3_600_000);
        let Ok(mut state) = self.hour.lock() else { return true };
        let (current, seen) = &mut *state;
        if *current != hour {
            *current = hour;
            seen.clear();
            seen.shrink_to(1024);
        }
        let mut within = |key: [u8; 16], limit: u32| {
            let full = seen.len() >= MAX_KEYS;
            match seen.get_mut(&key) {
                Some(n) => {
                    *n = n.saturating_add(1);
                    *n <= limit
                }
                None => {
                    if !full {
                        seen.insert(key, 1);
                    }
                    true
                }
            }
        };
        // Both are counted, even when the first is already over.
        let visitor = within(visitor_key, ROWS_PER_VISITOR_HOUR);
        let address = within(address_key, ROWS_PER_ADDRESS_HOUR);
        visitor && address
    }

    fn hash(&self, kind: &[u8], ip: IpAddr, user_agent: &str, code: &str) -> [u8; 16] {
        super::visitor::keyed(&self.key, kind, ip, user_agent, code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000;

    #[test]
    fn a_visitor_gets_its_rows_per_link_and_hour() {
        let allowance = Allowance::default();
        let ip: IpAddr = "203.0.113.7".parse().unwrap();
        let rows = (0..25).filter(|_| allowance.row(5 * HOUR, ip, "Firefox", "aB3dE9x")).count();
        assert_eq!(rows, ROWS_PER_VISITOR_HOUR as usize);
        assert!(allowance.row(5 * HOUR, ip, "Chrome", "aB3dE9x"), "another browser at the same address");
        assert!(allowance.row(5 * HOUR, ip, "Firefox", "zzzzzzz"), "another link");
        assert!(allowance.row(5 * HOUR, "203.0.113.8".parse().unwrap(), "Firefox", "aB3dE9x"), "another address");
        assert!(allowance.row(6 * HOUR, ip, "Firefox", "aB3dE9x"), "the next hour");
    }

    #[test]
    fn a_client_making_up_user_agents_is_held_by_its_address() {
        let allowance = Allowance::default();
        let rows = (0..1_500)
            .filter(|i| {
                // One /64: every address of it is one client.
                let ip: IpAddr = format!("2001:db8:1:2::{:x}", i % 50).parse().unwrap();
                allowance.row(0, ip, &format!("agent {i}"), "aB3dE9x")
            })
            .count();
        assert_eq!(rows, ROWS_PER_ADDRESS_HOUR as usize);
    }
}
