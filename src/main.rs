//! The `chorus` binary: parse the command line, run it, exit with its code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    chorus::cli::run(chorus::cli::Cli::parse())
}
