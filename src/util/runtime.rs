//! The tokio runtimes chorus starts: one on every core for the servers, one
//! on the calling thread for a library that is async inside a sync caller.

use tokio::runtime::{Builder, Runtime};

/// A runtime on every core, with I/O and timers: the tracker, `chorus serve`
/// and `chorus report` run on one.
pub fn multi_thread() -> std::io::Result<Runtime> {
    Builder::new_multi_thread().enable_all().build()
}

/// A runtime on the calling thread, with I/O and timers, for async work a
/// sync caller waits on (the search index, the PostgreSQL writer thread).
pub fn current_thread() -> std::io::Result<Runtime> {
    Builder::new_current_thread().enable_all().build()
}
