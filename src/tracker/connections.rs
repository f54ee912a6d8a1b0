//! The tracker's open connections, kept so that no flood of idle connections
//! can take every file descriptor (each one may be held for the
//! [`super::server::HEADER_READ_TIMEOUT`] before it sends anything):
//!
//! - at start the soft open-file limit is raised to the hard one
//!   ([`raise_open_file_limit`]);
//! - one client address (an IPv6 client by its /64) holds at most
//!   [`MAX_CLIENT_CONNECTIONS`] at once: past that, its own oldest idle
//!   connection is closed to make room, and if none of its connections is
//!   idle, the new one is refused;
//! - from [`pressure_threshold`] open connections on, idle ones are closed,
//!   those that never sent a request first, oldest first, never one in the
//!   middle of a request.
//!
//! Closing an idle keep-alive connection costs its browser nothing: it opens
//! another one for its next request.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::Notify;

use super::metrics::Metrics;

/// The most connections one client address holds at once. Browsers open at
/// most six per host; an office behind one NAT address, or a benchmark such
/// as `wrk -c64`, opens many more, but idle ones make room for new ones, so
/// only 256 requests in progress at the same instant from one address are a
/// limit.
pub const MAX_CLIENT_CONNECTIONS: usize = 256;

/// The most connections before idle ones are closed, whatever the open-file limit.
pub const MAX_PRESSURE_THRESHOLD: usize = 65_536;

/// From how many open connections on idle ones are closed: three quarters
/// of the open-file limit (the rest is for the database and slack), at
/// most [`MAX_PRESSURE_THRESHOLD`].
pub fn pressure_threshold(open_file_limit: u64) -> usize {
    usize::try_from(open_file_limit / 4 * 3).unwrap_or(usize::MAX).clamp(16, MAX_PRESSURE_THRESHOLD)
}

/// Raises the soft open-file limit (`RLIMIT_NOFILE`) to the hard one and
/// returns the soft limit in force.
#[cfg(unix)]
pub fn raise_open_file_limit() -> std::io::Result<u64> {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit and setrlimit only read or write the struct given.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    if limit.rlim_cur < limit.rlim_max {
        let raised = libc::rlimit { rlim_cur: limit.rlim_max, rlim_max: limit.rlim_max };
        // SAFETY: as above.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        limit = raised;
    }
    Ok(limit.rlim_cur)
}

/// The soft open-file limit in force.
#[cfg(unix)]
pub fn open_file_limit() -> u64 {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit only writes the struct given.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return 1024;
    }
    limit.rlim_cur
}

/// The open-file limit, where there is no `getrlimit`.
#[cfg(not(unix))]
pub fn open_file_limit() -> u64 {
    u64::MAX
}

/// The soft limit, left as it is where there is no `setrlimit`.
#[cfg(not(unix))]
pub fn raise_open_file_limit() -> std::io::Result<u64> {
    Ok(open_file_limit())
}

/// A connection that has not sent a request yet.
const FRESH: u8 = 0;
/// In the middle of a request.
const BUSY: u8 = 1;
/// Between requests.
const IDLE: u8 = 2;

/// What one connection is doing, as its requests mark it (a relaxed atomic:
/// the registry only needs a recent answer when it sheds).
#[derive(Debug, Default)]
pub struct Activity(AtomicU8);

impl Activity {
    /// A request has started.
    pub fn busy(&self) {
        self.0.store(BUSY, Ordering::Relaxed);
    }

    /// The request's response is written; the connection waits for the next one.
    pub fn idle(&self) {
        self.0.store(IDLE, Ordering::Relaxed);
    }
}

/// Every open connection, by client.
#[derive(Debug)]
pub struct Connections {
    /// [`MAX_CLIENT_CONNECTIONS`], or 0 for no cap (behind a proxy every
    /// connection comes from the proxy's address).
    per_client: usize,
    /// See [`pressure_threshold`].
    pressure: usize,
    registry: Mutex<Registry>,
    /// Woken when the last connection closes.
    emptied: Notify,
    /// Counts what is shed and refused.
    metrics: Arc<Metrics>,
}

#[derive(Debug, Default)]
struct Registry {
    next_id: u64,
    open: HashMap<u64, Entry>,
    by_client: HashMap<IpAddr, Vec<u64>>,
    /// Connections asked to close that are still open.
    closing: usize,
}

#[derive(Debug)]
struct Entry {
    client: IpAddr,
    activity: Arc<Activity>,
    close: Arc<Notify>,
    closing: bool,
}

/// An admitted connection: what its requests mark, what tells it to close,
/// and its place in the registry, given back on drop.
#[derive(Debug)]
pub struct Admitted {
    id: u64,
    connections: Arc<Connections>,
    /// Marked by the connection's requests.
    pub activity: Arc<Activity>,
    /// Notified when the connection should close once idle.
    pub close: Arc<Notify>,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut registry = self.connections.lock();
        if let Some(entry) = registry.open.remove(&self.id) {
            if entry.closing {
                registry.closing -= 1;
            }
            if let Some(ids) = registry.by_client.get_mut(&entry.client) {
                ids.retain(|id| *id != self.id);
                if ids.is_empty() {
                    registry.by_client.remove(&entry.client);
                }
            }
        }
        if registry.open.is_empty() {
            self.connections.emptied.notify_waiters();
        }
    }
}

impl Connections {
    /// No more than `per_client` connections per client (0: no cap), idle
    /// ones shed from `pressure` open connections on.
    pub fn new(per_client: usize, pressure: usize, metrics: Arc<Metrics>) -> Connections {
        Connections { per_client, pressure, registry: Mutex::default(), emptied: Notify::new(), metrics }
    }

    fn lock(&self) -> MutexGuard<'_, Registry> {
        self.registry.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Admits a new connection from `client` (a [`super::client::rate_key`]),
    /// closing idle ones to make room if need be; `None` if the client
    /// already has its share of connections, all busy.
    pub fn admit(self: &Arc<Self>, client: IpAddr) -> Option<Admitted> {
        let mut registry = self.lock();
        if self.per_client > 0 {
            let ids = registry.by_client.get(&client).map(Vec::as_slice).unwrap_or_default();
            let staying: Vec<u64> = ids.iter().copied().filter(|id| registry.open.get(id).is_some_and(|e| !e.closing)).collect();
            if staying.len() >= self.per_client {
                let oldest_idle = registry.oldest_idle(staying.iter().copied(), 1);
                if oldest_idle.is_empty() {
                    self.metrics.connections_refused.fetch_add(1, Ordering::Relaxed);
                    return None;
                }
                self.close(&mut registry, &oldest_idle);
            }
        }
        if registry.open.len() - registry.closing >= self.pressure {
            self.shed(&mut registry);
        }
        let id = registry.next_id;
        registry.next_id += 1;
        let (activity, close) = (Arc::new(Activity::default()), Arc::new(Notify::new()));
        registry.open.insert(id, Entry { client, activity: activity.clone(), close: close.clone(), closing: false });
        registry.by_client.entry(client).or_default().push(id);
        Some(Admitted { id, connections: self.clone(), activity, close })
    }

    /// Closes a sixteenth of the threshold's worth of idle connections (so
    /// that a flood is not sorted through at every accept).
    pub fn shed_idle(&self) {
        self.shed(&mut self.lock());
    }

    fn shed(&self, registry: &mut Registry) {
        let ids: Vec<u64> = registry.open.keys().copied().collect();
        let victims = registry.oldest_idle(ids.into_iter(), (self.pressure / 16).max(1));
        self.close(registry, &victims);
    }

    /// Asks the connections `ids` to close once idle (they are).
    fn close(&self, registry: &mut Registry, ids: &[u64]) {
        for id in ids {
            if let Some(entry) = registry.open.get_mut(id).filter(|e| !e.closing) {
                entry.closing = true;
                entry.close.notify_one();
                registry.closing += 1;
                self.metrics.connections_shed.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Waits until every connection is closed.
    pub async fn all_closed(&self) {
        loop {
            let emptied = self.emptied.notified();
            if self.lock().open.is_empty() {
                return;
            }
            emptied.await;
        }
    }
}

impl Registry {
    /// Up to `count` of `ids` that are idle and not closing yet: those that
    /// never sent a request first, then the oldest.
    fn oldest_idle(&self, ids: impl Iterator<Item = u64>, count: usize) -> Vec<u64> {
        let mut idle: Vec<(bool, u64)> = ids
            .filter_map(|id| {
                let entry = self.open.get(&id).filter(|e| !e.closing)?;
                match entry.activity.0.load(Ordering::Relaxed) {
                    BUSY => None,
                    state => Some((state != FRESH, id)),
                }
            })
            .collect();
        if idle.len() > count {
            idle.select_nth_unstable(count);
            idle.truncate(count);
        }
        idle.into_iter().map(|(_, id)| id).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn a_client_past_its_share_makes_room_with_its_own_idle_connections() {
        let connections = Arc::new(Connections::new(2, 1000, Arc::default()));
        let a = connections.admit(ip("203.0.113.1")).unwrap();
        let b = connections.admit(ip("203.0.113.1")).unwrap();
        b.activity.busy();
        let _other = connections.admit(ip("198.51.100.1")).unwrap();
        let c = connections.admit(ip("203.0.113.1")).expect("room made");
        assert!(connections.lock().open[&a.id].closing, "the idle one goes");
        assert!(!connections.lock().open[&b.id].closing, "never a busy one");
        c.activity.busy();
        assert!(connections.admit(ip("203.0.113.1")).is_none(), "every other one is busy: refused");
        drop(a);
        assert_eq!(connections.lock().closing, 0);
        assert_eq!(connections.metrics.connections_shed.load(Ordering::Relaxed), 1);
        assert_eq!(connections.metrics.connections_refused.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn under_pressure_idle_connections_go_first_fresh_and_oldest_first() {
        let connections = Arc::new(Connections::new(0, 16, Arc::default()));
        let all: Vec<Admitted> = (0..16).map(|i| connections.admit(ip(&format!("10.0.0.{i}"))).unwrap()).collect();
        all[0].activity.busy();
        all[1].activity.busy();
        all[1].activity.idle();
        let _new = connections.admit(ip("10.0.1.1")).unwrap();
        let closing: Vec<u64> = all.iter().filter(|a| connections.lock().open[&a.id].closing).map(|a| a.id).collect();
        assert_eq!(closing, vec![all[2].id], "the oldest that never sent a request; not the busy one, not the one that did");
    }

    #[test]
    fn the_threshold_follows_the_open_file_limit() {
        assert_eq!(pressure_threshold(256), 192);
        assert_eq!(pressure_threshold(1 << 20), MAX_PRESSURE_THRESHOLD);
        assert_eq!(pressure_threshold(4), 16);
    }
}
