//! Failed admin-token attempts, counted per client: after [`BURST`] wrong
//! tokens a client waits [`REFILL`] per further attempt, so the token cannot
//! be guessed at the speed of the network.
//!
//! A leaky bucket per client rather than the beacon limiter (governor): the
//! question asked before a token is even compared is "may this client try
//! now?", which must not use up an attempt; only a wrong token does.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Wrong tokens a client may send in a row.
pub const BURST: u32 = 10;

/// After the burst, one more attempt per this long.
pub const REFILL: Duration = Duration::from_secs(60);

/// The failed attempts of every client that made one recently.
#[derive(Debug, Default)]
pub struct AuthThrottle {
    /// Client key → (failures still counted, when that count was last drained).
    clients: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl AuthThrottle {
    /// `None` if `client` may try a token now, else how long it must wait.
    pub fn wait(&self, client: IpAddr, now: Instant) -> Option<Duration> {
        let mut clients = self.clients.lock().unwrap_or_else(PoisonError::into_inner);
        let (level, _) = drained(clients.get(&client).copied()?, now);
        if level <= f64::from(BURST) - 1.0 {
            return None;
        }
        clients.insert(client, (level, now));
        let seconds = (level - (f64::from(BURST) - 1.0)) * REFILL.as_secs_f64();
        Some(Duration::from_secs_f64(seconds.max(1.0)))
    }

    /// Counts a wrong token from `client`.
    pub fn failed(&self, client: IpAddr, now: Instant) {
        let mut clients = self.clients.lock().unwrap_or_else(PoisonError::into_inner);
        let level = clients.get(&client).map_or(0.0, |&entry| drained(entry, now).0);
        clients.insert(client, (level + 1.0, now));
    }

    /// Forgets the clients whose failures have all drained away (housekeeping).
    pub fn forget_drained(&self, now: Instant) {
        let mut clients = self.clients.lock().unwrap_or_else(PoisonError::into_inner);
        clients.retain(|_, entry| drained(*entry, now).0 > 0.0);
        clients.shrink_to_fit();
    }
}

/// A client's failure count at `now`, one failure drained per [`REFILL`].
fn drained((level, at): (f64, Instant), now: Instant) -> (f64, Instant) {
    let gone = now.saturating_duration_since(at).as_secs_f64() / REFILL.as_secs_f64();
    ((level - gone).max(0.0), now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_waits_after_the_burst_and_others_do_not() {
        let throttle = AuthThrottle::default();
        let (client, other) = ("203.0.113.7".parse().unwrap(), "198.51.100.1".parse().unwrap());
        let start = Instant::now();
        for _ in 0..BURST {
            assert_eq!(throttle.wait(client, start), None);
            throttle.failed(client, start);
        }
        let wait = throttle.wait(client, start).expect("the burst is used up");
        assert_eq!(wait, REFILL, "one more attempt a refill later");
        assert_eq!(throttle.wait(other, start), None, "another client is not held back");
        assert_eq!(throttle.wait(client, start + REFILL), None, "one attempt back after a refill");
        throttle.failed(client, start + REFILL);
        assert!(throttle.wait(client, start + REFILL).is_some(), "and used up again");
        throttle.forget_drained(start + REFILL * (BURST + 1));
        assert!(throttle.clients.lock().unwrap().is_empty(), "drained clients are forgotten");
    }
}
