//! The `chorus` binary: parse the command line, run it, exit with its code.

use clap::Parser;

/// Rendering allocates many short-lived strings on every core; mimalloc keeps
/// that fast and the heap compact where glibc's allocator contends and fragments.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    chorus::cli::run(chorus::cli::Cli::parse())
}
