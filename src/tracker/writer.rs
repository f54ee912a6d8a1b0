//! The single writer: every click and event goes through one task that commits
//! them in small groups (whatever arrived while the previous commit ran, up to
//! a few hundred rows) and only then answers each waiting request. A request is
//! answered `302` only once its click is committed, so a crash loses no click
//! that was acknowledged.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::{mpsc, oneshot};

use super::click::{Click, Event, EventKind};
use super::metrics::Metrics;
use super::store::ClickStore;

/// The most rows one commit holds.
pub const MAX_BATCH: usize = 500;

enum Job {
    Click(Click, oneshot::Sender<bool>),
    Event(Event, oneshot::Sender<bool>),
}

/// The handle requests use to get their click committed.
#[derive(Debug, Clone)]
pub struct Writer {
    tx: mpsc::Sender<Job>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Job")
    }
}

impl Writer {
    /// Starts the writer task; it ends (after committing what it holds) once
    /// every [`Writer`] handle is dropped.
    pub fn spawn(store: Arc<dyn ClickStore>, metrics: Arc<Metrics>) -> (Writer, tokio::task::JoinHandle<()>) {
        let (tx, rx) = mpsc::channel(MAX_BATCH * 8);
        let task = tokio::spawn(run(rx, store, metrics));
        (Writer { tx }, task)
    }

    /// Commits a click; true once it is durably stored.
    pub async fn click(&self, click: Click) -> bool {
        let (done, wait) = oneshot::channel();
        if self.tx.send(Job::Click(click, done)).await.is_err() {
            return false;
        }
        wait.await.unwrap_or(false)
    }

    /// Commits a copy or share event; true once stored.
    pub async fn event(&self, event: Event) -> bool {
        let (done, wait) = oneshot::channel();
        if self.tx.send(Job::Event(event, done)).await.is_err() {
            return false;
        }
        wait.await.unwrap_or(false)
    }
}

async fn run(mut rx: mpsc::Receiver<Job>, store: Arc<dyn ClickStore>, metrics: Arc<Metrics>) {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut jobs, MAX_BATCH).await > 0 {
        let mut clicks = Vec::with_capacity(jobs.len());
        let mut events = Vec::new();
        for job in &jobs {
            match job {
                Job::Click(c, _) => clicks.push(c.clone()),
                Job::Event(e, _) => events.push(e.clone()),
            }
        }
        let started = Instant::now();
        let ok = store.record(&clicks, &events).await.map_err(|e| eprintln!("chorus track: {e}")).is_ok();
        metrics.commit_seconds.observe(started.elapsed().as_secs_f64());
        metrics.batch_size.observe(jobs.len() as f64);
        if ok {
            let bots = clicks.iter().filter(|c| c.bot).count() as u64;
            metrics.bot_clicks.fetch_add(bots, Ordering::Relaxed);
            metrics.human_clicks.fetch_add(clicks.len() as u64 - bots, Ordering::Relaxed);
            let copies = events.iter().filter(|e| e.kind == EventKind::Copy).count() as u64;
            metrics.copies.fetch_add(copies, Ordering::Relaxed);
            metrics.shares.fetch_add(events.len() as u64 - copies, Ordering::Relaxed);
        } else {
            metrics.commit_errors.fetch_add(1, Ordering::Relaxed);
        }
        for job in jobs.drain(..) {
            let done = match job {
                Job::Click(_, done) | Job::Event(_, done) => done,
            };
            let _ = done.send(ok);
        }
    }
}
