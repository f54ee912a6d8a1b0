//! The single writer: every click and event goes through one thread that
//! commits them in small groups (whatever arrived while the previous commit
//! ran, up to a few hundred rows) and only then answers each waiting request.
//! A request is answered `302` only once its click is committed, so a crash
//! loses no click that was acknowledged.
//!
//! The writer is an OS thread of its own, not a task: a commit blocks on the
//! disk (or on PostgreSQL), and a dedicated thread does so without taking a
//! runtime worker away from requests or hopping through the blocking pool.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::sync::{mpsc, oneshot};

use super::click::{Click, Event, EventKind};
use super::metrics::Metrics;
use super::store::{ClickStore, Committer, Result};

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
    /// Starts one writer thread per committer the store offers (SQLite has
    /// one writer; PostgreSQL commits several batches at once, each on its own
    /// connection). They end, after committing what they hold, once every
    /// [`Writer`] handle is dropped.
    pub async fn spawn(store: &dyn ClickStore, metrics: Arc<Metrics>) -> Result<(Writer, Vec<std::thread::JoinHandle<()>>)> {
        let (tx, rx) = mpsc::channel(MAX_BATCH * 8);
        let rx = Arc::new(Mutex::new(rx));
        let mut threads = Vec::new();
        for (i, committer) in store.committers().await?.into_iter().enumerate() {
            let (rx, metrics) = (rx.clone(), metrics.clone());
            let thread = std::thread::Builder::new()
                .name(format!("chorus-writer-{i}"))
                .spawn(move || run(&rx, committer, &metrics))
                .map_err(|e| super::store::StoreError(format!("cannot start a writer thread: {e}")))?;
            threads.push(thread);
        }
        Ok((Writer { tx }, threads))
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

/// Takes whatever is waiting (at least one job, at most [`MAX_BATCH`]); `false`
/// once the channel is closed and empty. One thread takes at a time, so
/// batches do not split needlessly between writers.
fn take_batch(rx: &Mutex<mpsc::Receiver<Job>>, jobs: &mut Vec<Job>) -> bool {
    let Ok(mut rx) = rx.lock() else { return false };
    let Some(first) = rx.blocking_recv() else { return false };
    jobs.push(first);
    while jobs.len() < MAX_BATCH {
        match rx.try_recv() {
            Ok(job) => jobs.push(job),
            Err(_) => break,
        }
    }
    true
}

fn run(rx: &Mutex<mpsc::Receiver<Job>>, mut committer: Box<dyn Committer>, metrics: &Metrics) {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    let mut clicks = Vec::with_capacity(MAX_BATCH);
    let mut events = Vec::new();
    let mut waiting = Vec::with_capacity(MAX_BATCH);
    while take_batch(rx, &mut jobs) {
        for job in jobs.drain(..) {
            match job {
                Job::Click(click, done) => {
                    clicks.push(click);
                    waiting.push(done);
                }
                Job::Event(event, done) => {
                    events.push(event);
                    waiting.push(done);
                }
            }
        }
        let started = Instant::now();
        let ok = committer.commit(&clicks, &events).map_err(|e| eprintln!("chorus track: {e}")).is_ok();
        metrics.commit_seconds.observe(started.elapsed().as_secs_f64());
        metrics.batch_size.observe(waiting.len() as f64);
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
        for done in waiting.drain(..) {
            let _ = done.send(ok);
        }
        clicks.clear();
        events.clear();
    }
}
