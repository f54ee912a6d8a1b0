//! The single writer: every click and event goes through one path that
//! commits them in small groups (whatever arrived while the previous commit
//! ran) and only then answers each waiting request. A request is answered
//! `302` only once its click is committed, so a crash loses no click that was
//! acknowledged.
//!
//! The writer is an OS thread of its own, not a task: a commit blocks on the
//! disk (or on PostgreSQL), and a dedicated thread does so without taking a
//! runtime worker away from requests.
//!
//! The hand-off is built so that a batch costs one wake-up each way, not one
//! per click. Requests add their click to the open [`Batch`] under a mutex and
//! wait on the batch's [`Outcome`]; the writer is woken only when a batch
//! opens while it sleeps. After a commit, the writer wakes a single task on
//! the runtime, the dispatcher, which wakes the batch's requests from inside
//! the runtime, where a wake-up is a queue push rather than a system call.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::Instant;

use tokio::sync::mpsc;

use super::click::{now_ms, Click, Event, EventKind, Milestone, MilestoneEvent};
use super::metrics::Metrics;
use super::store::{ClickStore, Committer, Result, MAX_COMMIT_DELAY_MS};

/// The most clicks and events that may wait for a commit; beyond it requests
/// are turned away (`503`, retry) rather than queued without bound.
pub const MAX_PENDING: usize = 8192;

/// The requests waiting for one commit: what they wait on.
#[derive(Debug, Default)]
struct Outcome {
    /// [`PENDING`], [`COMMITTED`] or [`FAILED`].
    state: AtomicU8,
    /// The tasks to wake once the state is final.
    wakers: Mutex<Vec<Waker>>,
}

const PENDING: u8 = 0;
const COMMITTED: u8 = 1;
const FAILED: u8 = 2;

impl Outcome {
    fn settled(&self) -> Option<bool> {
        match self.state.load(Ordering::Acquire) {
            PENDING => None,
            state => Some(state == COMMITTED),
        }
    }

    fn wake_all(&self) {
        for waker in std::mem::take(&mut *lock(&self.wakers)) {
            waker.wake();
        }
    }
}

/// The clicks and events of the next commit.
#[derive(Debug, Default)]
struct Batch {
    clicks: Vec<Click>,
    events: Vec<Event>,
    milestones: Vec<MilestoneEvent>,
    outcome: Arc<Outcome>,
}

impl Batch {
    fn len(&self) -> usize {
        self.clicks.len() + self.events.len() + self.milestones.len()
    }
}

#[derive(Debug, Default)]
struct Queue {
    /// The open batch: requests add to it, a writer thread takes it whole.
    open: Batch,
    /// Writer threads asleep, waiting for a batch to open.
    idle: usize,
    /// No more requests: the writers commit what is left, then stop.
    closed: bool,
}

#[derive(Debug)]
struct Shared {
    queue: Mutex<Queue>,
    /// Signalled when a batch opens while a writer sleeps, and on close.
    opened: Condvar,
    /// Committed (or failed) batches, for the dispatcher to wake.
    settled: mpsc::UnboundedSender<Arc<Outcome>>,
    /// Whether the last batch failed: `/readyz` is not ready then.
    failing: AtomicBool,
}
/// A poisoned lock only means another thread panicked while holding it; the
/// queue itself is still consistent (every change is a push or a swap).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Closes the queue when the last [`Writer`] handle goes away.
#[derive(Debug)]
struct Closer(Arc<Shared>);

impl Drop for Closer {
    fn drop(&mut self) {
        lock(&self.0.queue).closed = true;
        self.0.opened.notify_all();
    }
}

/// The handle requests use to get their click committed.
#[derive(Debug, Clone)]
pub struct Writer {
    inner: Arc<Closer>,
}

impl Writer {
    /// Starts one writer thread per committer the store offers (SQLite has
    /// one writer; PostgreSQL commits several batches at once, each on its own
    /// connection), and the dispatcher task on the current runtime. The
    /// threads end, after committing what they hold, once every [`Writer`]
    /// handle is dropped.
    pub async fn spawn(store: &dyn ClickStore, metrics: Arc<Metrics>) -> Result<(Writer, Vec<std::thread::JoinHandle<()>>)> {
        let (settled, mut to_wake) = mpsc::unbounded_channel::<Arc<Outcome>>();
        tokio::spawn(async move {
            while let Some(outcome) = to_wake.recv().await {
                outcome.wake_all();
            }
        });
        let shared = Arc::new(Shared { queue: Mutex::default(), opened: Condvar::new(), settled, failing: AtomicBool::new(false) });
        let mut threads = Vec::new();
        for (i, committer) in store.committers().await?.into_iter().enumerate() {
            let (shared, metrics) = (shared.clone(), metrics.clone());
            let thread = std::thread::Builder::new()
                .name(format!("chorus-writer-{i}"))
                .spawn(move || run(&shared, committer, &metrics))
                .map_err(|e| super::store::StoreError(format!("cannot start a writer thread: {e}")))?;
            threads.push(thread);
        }
        Ok((Writer { inner: Arc::new(Closer(shared)) }, threads))
    }

    /// Commits a click; true once it is durably stored, false if it could
    /// not be (database error, too many waiting, shutting down).
    pub async fn click(&self, click: Click) -> bool {
        self.submit(|batch| batch.clicks.push(click)).await
    }

    /// Whether the last commit failed (and none succeeded since).
    pub fn failing(&self) -> bool {
        self.inner.0.failing.load(Ordering::Relaxed)
    }

    /// Commits a copy or share event; true once stored.
    pub async fn event(&self, event: Event) -> bool {
        self.submit(|batch| batch.events.push(event)).await
    }

    /// Commits a guide completed or a policy version acknowledged; true once stored.
    pub async fn milestone(&self, milestone: MilestoneEvent) -> bool {
        self.submit(|batch| batch.milestones.push(milestone)).await
    }

    fn submit(&self, add: impl FnOnce(&mut Batch)) -> Committed {
        let shared = &self.inner.0;
        let mut queue = lock(&shared.queue);
        if queue.closed || queue.open.len() >= MAX_PENDING {
            return Committed { outcome: None, registered: false };
        }
        add(&mut queue.open);
        let outcome = queue.open.outcome.clone();
        let wake = queue.open.len() == 1 && queue.idle > 0;
        drop(queue);
        if wake {
            shared.opened.notify_one();
        }
        Committed { outcome: Some(outcome), registered: false }
    }
}

/// Resolves once the batch holding the request is committed (`true`) or has
/// failed (`false`).
struct Committed {
    outcome: Option<Arc<Outcome>>,
    registered: bool,
}

impl Future for Committed {
    type Output = bool;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<bool> {
        let Some(outcome) = self.outcome.clone() else { return Poll::Ready(false) };
        if let Some(ok) = outcome.settled() {
            return Poll::Ready(ok);
        }
        if !self.registered {
            let mut wakers = lock(&outcome.wakers);
            // Checked again under the lock the dispatcher takes to wake: a
            // batch settled in between is seen here, or its wake-up sees us.
            if let Some(ok) = outcome.settled() {
                return Poll::Ready(ok);
            }
            wakers.push(cx.waker().clone());
            self.registered = true;
        }
        Poll::Pending
    }
}

/// Takes the open batch once there is one; `None` once closed and empty.
fn take_batch(shared: &Shared) -> Option<Batch> {
    let mut queue = lock(&shared.queue);
    while queue.open.len() == 0 {
        if queue.closed {
            return None;
        }
        queue.idle += 1;
        queue = shared.opened.wait(queue).unwrap_or_else(PoisonError::into_inner);
        queue.idle -= 1;
    }
    Some(std::mem::take(&mut queue.open))
}

fn run(shared: &Shared, mut committer: Box<dyn Committer>, metrics: &Metrics) {
    while let Some(batch) = take_batch(shared) {
        let started = Instant::now();
        let ok =
            fresh(&batch) && committer.commit(&batch.clicks, &batch.events, &batch.milestones).map_err(|e| eprintln!("chorus track: {e}")).is_ok();
        metrics.commit_seconds.observe(started.elapsed().as_secs_f64());
        metrics.batch_size.observe(batch.len() as f64);
        if ok {
            count(metrics, &batch);
        } else {
            metrics.commit_errors.fetch_add(1, Ordering::Relaxed);
        }
        shared.failing.store(!ok, Ordering::Relaxed);
        batch.outcome.state.store(if ok { COMMITTED } else { FAILED }, Ordering::Release);
        // One wake-up for the whole batch; should the runtime be gone
        // already, the waiting tasks are woken from here.
        if let Err(unsent) = shared.settled.send(batch.outcome) {
            unsent.0.wake_all();
        }
    }
}

/// Whether every request of the batch is recent enough to be committed: a
/// batch held up past [`MAX_COMMIT_DELAY_MS`] (a database that hung) fails
/// whole, so that no click lands in an hour already rolled up.
fn fresh(batch: &Batch) -> bool {
    let oldest =
        batch.clicks.iter().map(|c| c.at_ms).chain(batch.events.iter().map(|e| e.at_ms)).chain(batch.milestones.iter().map(|m| m.at_ms)).min();
    let fresh = oldest.is_none_or(|at| now_ms() - at <= MAX_COMMIT_DELAY_MS);
    if !fresh {
        eprintln!("chorus track: {} clicks and events waited over {} s for the database; not committed", batch.len(), MAX_COMMIT_DELAY_MS / 1000);
    }
    fresh
}

fn count(metrics: &Metrics, batch: &Batch) {
    let bots = batch.clicks.iter().filter(|c| c.bot).count() as u64;
    metrics.bot_clicks.fetch_add(bots, Ordering::Relaxed);
    metrics.human_clicks.fetch_add(batch.clicks.len() as u64 - bots, Ordering::Relaxed);
    metrics.past_allowance.fetch_add(batch.clicks.iter().filter(|c| c.aggregate).count() as u64, Ordering::Relaxed);
    let copies = batch.events.iter().filter(|e| e.kind == EventKind::Copy).count() as u64;
    metrics.copies.fetch_add(copies, Ordering::Relaxed);
    metrics.shares.fetch_add(batch.events.len() as u64 - copies, Ordering::Relaxed);
    let completions = batch.milestones.iter().filter(|m| matches!(m.milestone, Milestone::Complete { .. })).count() as u64;
    metrics.completions.fetch_add(completions, Ordering::Relaxed);
    metrics.acknowledgements.fetch_add(batch.milestones.len() as u64 - completions, Ordering::Relaxed);
}
