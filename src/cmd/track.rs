//! `chorus track`: the click tracker, its options from the command line and
//! the environment.

use crate::cli::TrackArgs;
use crate::diagnostics::Errors;
use crate::tracker::TrackerOptions;

/// Runs the tracker until SIGINT or SIGTERM.
pub fn run(args: &TrackArgs) -> Result<(), Errors> {
    let options = TrackerOptions {
        listen: args.listen,
        database: args.database.clone(),
        links: args.links.clone(),
        admin_token: std::env::var("CHORUS_ADMIN_TOKEN").unwrap_or_default(),
        trust_proxy: args.trust_proxy,
        hub_origin: args.hub_origin.clone(),
        public_stats: args.public_stats,
    };
    super::runtime()?.block_on(crate::tracker::run(options)).map_err(Errors::from)
}
