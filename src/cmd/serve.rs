//! `chorus serve`: the command line's options handed to [`crate::serve`],
//! which prints as it serves.

use crate::cli::{Cli, ServeArgs};
use crate::diagnostics::Errors;
use crate::serve::ServeOptions;

/// Serves the hub until SIGINT or SIGTERM.
pub fn run(cli: &Cli, args: &ServeArgs) -> Result<(), Errors> {
    crate::serve::run(ServeOptions {
        root: super::root(cli),
        bind: args.bind,
        port: args.port,
        open: args.open,
        drafts: args.drafts,
        tracker: !args.no_tracker,
        database: args.database.clone(),
        now: args.now,
        quiet: cli.quiet,
        allow_hosts: args.allow_hosts.clone(),
    })
}
