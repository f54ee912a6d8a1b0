//! What every handler of the tracker shares: the [`App`] with its store,
//! registered links, writer and limits, and the few things it works out for
//! every request (the day's salt, the client's address).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::http::{HeaderMap, HeaderValue};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::allowance::Allowance;
use super::bots::BotDetector;
use super::catalog::Catalog;
use super::metrics::Metrics;
use super::recent::Recent;
use super::store::ClickStore;
use super::throttle::AuthThrottle;
use super::visitor;
use super::writer::Writer;
use crate::link::Goal;

/// What every handler shares.
#[derive(Debug)]
pub struct App {
    /// The database.
    pub store: Arc<dyn ClickStore>,
    /// Registered links: code → destination. Only these ever redirect.
    pub links: RwLock<HashMap<String, HeaderValue>>,
    /// Campaign goals from the manifest loaded last: campaign id → goal.
    pub goals: RwLock<HashMap<String, Goal>>,
    /// Guides and policies from the manifest loaded last.
    pub catalog: RwLock<Catalog>,
    /// The single writer.
    pub writer: Writer,
    /// Today's salt: (day, salt).
    pub salt: Mutex<Option<(i64, [u8; 32])>>,
    /// Bot detection.
    pub bots: BotDetector,
    /// Counters for /metrics.
    pub metrics: Arc<Metrics>,
    /// `CHORUS_ADMIN_TOKEN`.
    pub admin_token: String,
    /// Take the client IP from `X-Forwarded-For` (behind a reverse proxy).
    pub trust_proxy: bool,
    /// The hub's origin: the only one whose beacons are accepted.
    pub hub_origin: Option<String>,
    /// Serve public campaign totals.
    pub public_stats: bool,
    /// Beacons and ambassador ids' changes per client.
    pub limiter: DefaultKeyedRateLimiter<IpAddr>,
    /// The clicks per visitor that get a row of their own (see `allowance`).
    pub allowance: Allowance,
    /// Wrong admin tokens per client (bearer or login form).
    pub auth_failures: AuthThrottle,
    /// The public campaign totals, recomputed at most every [`PUBLIC_TTL`].
    pub campaigns: Recent<serde_json::Value>,
    /// The collective impact of the last 30 days, likewise.
    pub impact: Recent<serde_json::Value>,
    /// The public leaderboard, likewise (and again once someone joins or leaves).
    pub leaderboard: Recent<serde_json::Value>,
}

/// How long the public figures are served from memory.
pub const PUBLIC_TTL: Duration = Duration::from_secs(2);

impl App {
    /// Beacons allowed per client: a burst of 30, then one every 2 seconds.
    pub fn default_limiter() -> DefaultKeyedRateLimiter<IpAddr> {
        let quota = Quota::with_period(Duration::from_secs(2))
            .unwrap_or_else(|| Quota::per_second(std::num::NonZeroU32::MIN))
            .allow_burst(std::num::NonZeroU32::new(30).unwrap_or(std::num::NonZeroU32::MIN));
        RateLimiter::keyed(quota)
    }

    /// The salt of the day `now_ms` falls in.
    pub(super) async fn today_salt(&self, now_ms: i64) -> Option<[u8; 32]> {
        let day = visitor::day(now_ms);
        if let Some((d, salt)) = *self.salt.lock().ok()? {
            if d == day {
                return Some(salt);
            }
        }
        let salt = self.store.salt(day).await.ok()?;
        *self.salt.lock().ok()? = Some((day, salt));
        Some(salt)
    }

    /// Forgets the salt held in memory once its day is over (the database's
    /// copy goes with [`ClickStore::forget_salts`]).
    pub fn forget_old_salt(&self, today: i64) {
        if let Ok(mut salt) = self.salt.lock() {
            if salt.is_some_and(|(day, _)| day < today) {
                *salt = None;
            }
        }
    }

    /// The goal of `campaign`, if the manifest gives one.
    pub fn goal(&self, campaign: &str) -> Option<Goal> {
        self.goals.read().ok()?.get(campaign).copied()
    }

    /// `rows` (each with a `campaign` or a `key` naming one) as JSON, each
    /// with the `goal` of its campaign, `null` when it has none.
    pub(super) fn with_goals<T: serde::Serialize>(&self, rows: Vec<T>) -> serde_json::Value {
        let rows = rows.into_iter().map(|row| {
            let mut row = serde_json::json!(row);
            let campaign = row.get("campaign").or_else(|| row.get("key")).and_then(|c| c.as_str()).unwrap_or_default().to_string();
            row["goal"] = serde_json::json!(self.goal(&campaign));
            row
        });
        serde_json::Value::Array(rows.collect())
    }

    /// The client's address: the peer's, or with `--trust-proxy` the one
    /// the proxy appended to `X-Forwarded-For`.
    pub(super) fn client_ip(&self, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
        if self.trust_proxy {
            // The right-most address is the one our own proxy saw; the ones
            // before it are the client's say. One that is not an address
            // leaves the peer's, never an earlier entry.
            let rightmost = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).next_back();
            if let Some(ip) = rightmost.and_then(|a| a.trim().parse::<IpAddr>().ok()) {
                return ip;
            }
        }
        peer.ip()
    }
}
