//! Prometheus metrics, in the text exposition format: requests, clicks, bots,
//! events, and the writer's commit batch sizes and latency.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

/// Upper bounds of the commit latency histogram, in seconds.
const LATENCY_BUCKETS: [f64; 10] = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1.0];
/// Upper bounds of the batch size histogram.
const BATCH_BUCKETS: [f64; 8] = [1.0, 2.0, 5.0, 10.0, 50.0, 100.0, 250.0, 500.0];

/// A fixed-bucket histogram updated with atomics.
#[derive(Debug)]
pub struct Histogram {
    bounds: &'static [f64],
    counts: Vec<AtomicU64>,
    sum_micros: AtomicU64,
    count: AtomicU64,
}

impl Histogram {
    fn new(bounds: &'static [f64]) -> Self {
        Histogram { bounds, counts: (0..bounds.len()).map(|_| AtomicU64::new(0)).collect(), sum_micros: AtomicU64::new(0), count: AtomicU64::new(0) }
    }

    /// Records one observation.
    pub fn observe(&self, value: f64) {
        for (bound, count) in self.bounds.iter().zip(&self.counts) {
            if value <= *bound {
                count.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.sum_micros.fetch_add((value * 1e6) as u64, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    fn render(&self, name: &str, help: &str, out: &mut String) {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} histogram");
        for (bound, count) in self.bounds.iter().zip(&self.counts) {
            let _ = writeln!(out, "{name}_bucket{{le=\"{bound}\"}} {}", count.load(Ordering::Relaxed));
        }
        let total = self.count.load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {total}");
        let _ = writeln!(out, "{name}_sum {}", self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6);
        let _ = writeln!(out, "{name}_count {total}");
    }
}

/// Every metric of a tracker.
#[derive(Debug)]
pub struct Metrics {
    /// Redirects answered (302).
    pub redirects: AtomicU64,
    /// Unknown codes (404).
    pub not_found: AtomicU64,
    /// Clicks committed from people.
    pub human_clicks: AtomicU64,
    /// Clicks committed from bots, previews, prefetches and HEAD.
    pub bot_clicks: AtomicU64,
    /// Clicks committed past their visitor's allowance: in an hourly count, not a row.
    pub past_allowance: AtomicU64,
    /// Copy events committed.
    pub copies: AtomicU64,
    /// Share events committed.
    pub shares: AtomicU64,
    /// Guide completions committed.
    pub completions: AtomicU64,
    /// Policy acknowledgements committed.
    pub acknowledgements: AtomicU64,
    /// Beacons refused by the rate limit.
    pub rate_limited: AtomicU64,
    /// Commits that failed.
    pub commit_errors: AtomicU64,
    /// Admin-token attempts refused after too many wrong ones.
    pub auth_throttled: AtomicU64,
    /// Idle connections closed to make room (per-client cap or pressure).
    pub connections_shed: AtomicU64,
    /// New connections refused: their client's share was all busy.
    pub connections_refused: AtomicU64,
    /// Rows per commit.
    pub batch_size: Histogram,
    /// Seconds per commit.
    pub commit_seconds: Histogram,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            redirects: AtomicU64::new(0),
            not_found: AtomicU64::new(0),
            human_clicks: AtomicU64::new(0),
            bot_clicks: AtomicU64::new(0),
            past_allowance: AtomicU64::new(0),
            copies: AtomicU64::new(0),
            shares: AtomicU64::new(0),
            completions: AtomicU64::new(0),
            acknowledgements: AtomicU64::new(0),
            rate_limited: AtomicU64::new(0),
            commit_errors: AtomicU64::new(0),
            auth_throttled: AtomicU64::new(0),
            connections_shed: AtomicU64::new(0),
            connections_refused: AtomicU64::new(0),
            batch_size: Histogram::new(&BATCH_BUCKETS),
            commit_seconds: Histogram::new(&LATENCY_BUCKETS),
        }
    }
}

impl Metrics {
    /// The text exposition of every metric.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let counter = |out: &mut String, name: &str, help: &str, labels: &[(&str, &AtomicU64)]| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
            for (label, value) in labels {
                let _ = writeln!(out, "{name}{label} {}", value.load(Ordering::Relaxed));
            }
        };
        counter(
            &mut out,
            "chorus_requests_total",
            "Short-link requests by outcome.",
            &[("{outcome=\"redirect\"}", &self.redirects), ("{outcome=\"not_found\"}", &self.not_found)],
        );
        counter(
            &mut out,
            "chorus_clicks_total",
            "Clicks committed, people and bots apart.",
            &[("{kind=\"human\"}", &self.human_clicks), ("{kind=\"bot\"}", &self.bot_clicks)],
        );
        counter(
            &mut out,
            "chorus_clicks_past_allowance_total",
            "Clicks committed past their visitor's allowance, counted per hour rather than stored as rows.",
            &[("", &self.past_allowance)],
        );
        counter(
            &mut out,
            "chorus_events_total",
            "Beacons committed: copies and shares, guides completed, policy versions acknowledged.",
            &[
                ("{kind=\"copy\"}", &self.copies),
                ("{kind=\"share\"}", &self.shares),
                ("{kind=\"complete\"}", &self.completions),
                ("{kind=\"ack\"}", &self.acknowledgements),
            ],
        );
        counter(&mut out, "chorus_rate_limited_total", "Beacons refused by the per-client rate limit.", &[("", &self.rate_limited)]);
        counter(&mut out, "chorus_commit_errors_total", "Commits that failed (their requests got 503).", &[("", &self.commit_errors)]);
        counter(
            &mut out,
            "chorus_auth_throttled_total",
            "Admin-token attempts refused after too many wrong ones from the client.",
            &[("", &self.auth_throttled)],
        );
        counter(
            &mut out,
            "chorus_connections_closed_total",
            "Connections closed to keep file descriptors free: idle ones shed, new ones refused.",
            &[("{reason=\"idle\"}", &self.connections_shed), ("{reason=\"refused\"}", &self.connections_refused)],
        );
        self.batch_size.render("chorus_commit_batch_size", "Rows per commit of the single writer.", &mut out);
        self.commit_seconds.render("chorus_commit_seconds", "Time per commit of the single writer.", &mut out);
        out
    }
}
