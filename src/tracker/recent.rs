//! A few seconds' memory of the public figures (campaign totals, the
//! leaderboard): they need no authentication, so a client asking for them in
//! a loop must cost the database one query per [`Recent`]'s lifetime, not one
//! per request.

use std::future::Future;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

/// One value, recomputed at most once per `ttl`. While it is recomputed,
/// the other callers wait for it rather than each querying the database.
#[derive(Debug)]
pub struct Recent<T> {
    ttl: Duration,
    slot: Mutex<Option<(Instant, T)>>,
}

impl<T: Clone> Recent<T> {
    /// A value kept for `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Recent { ttl, slot: Mutex::new(None) }
    }

    /// The value, from memory when younger than the lifetime, else from
    /// `fill` (a failure is returned and not kept).
    pub async fn get<E, F: Future<Output = Result<T, E>>>(&self, fill: impl FnOnce() -> F) -> Result<T, E> {
        let mut slot = self.slot.lock().await;
        if let Some((at, value)) = slot.as_ref() {
            if at.elapsed() < self.ttl {
                return Ok(value.clone());
            }
        }
        let value = fill().await?;
        *slot = Some((Instant::now(), value.clone()));
        Ok(value)
    }

    /// Forgets the value: the next [`Recent::get`] recomputes it.
    pub async fn clear(&self) {
        *self.slot.lock().await = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_value_is_computed_once_per_lifetime_and_again_when_cleared() {
        let recent = Recent::new(Duration::from_secs(60));
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let fill = || async { Ok::<_, ()>(calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst)) };
        assert_eq!(recent.get(fill).await, Ok(0));
        assert_eq!(recent.get(fill).await, Ok(0), "from memory");
        recent.clear().await;
        assert_eq!(recent.get(fill).await, Ok(1), "recomputed once cleared");
        let failing = Recent::<usize>::new(Duration::from_secs(60));
        assert_eq!(failing.get(|| async { Err::<usize, _>("down") }).await, Err("down"));
        assert_eq!(failing.get(fill).await, Ok(2), "a failure is not kept");
    }

    #[tokio::test]
    async fn an_old_value_is_recomputed() {
        let recent = Recent::new(Duration::ZERO);
        assert_eq!(recent.get(|| async { Ok::<_, ()>(1) }).await, Ok(1));
        assert_eq!(recent.get(|| async { Ok::<_, ()>(2) }).await, Ok(2));
    }
}
