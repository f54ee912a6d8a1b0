//! The `chorus` binary: parse the command line, run it, exit with its code.

use clap::Parser;

/// Rendering allocates many short-lived strings on every core; mimalloc keeps
/// that fast and the heap compact where glibc's allocator contends and fragments.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    disable_transparent_huge_pages();
    chorus::cmd::run(chorus::cli::Cli::parse())
}

/// mimalloc asks for transparent huge pages on its arenas, so touching one
/// byte can make 2 MiB resident: the tracker idled at 43 MB instead of 27 MB.
/// chorus's heaps are small and short-lived; it does not need them.
#[cfg(target_os = "linux")]
fn disable_transparent_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes plain integer arguments and only sets a
    // flag on this process; a failure (an old kernel) leaves THP as it was.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
fn disable_transparent_huge_pages() {}
