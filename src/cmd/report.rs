//! `chorus report`: the tracker's figures from its database, on stdout.

use chrono::NaiveDate;

use crate::cli::{Cli, ReportArgs};
use crate::config::{self, Config};
use crate::diagnostics::Errors;
use crate::tracker::report::{self, ReportFormat};
use crate::tracker::store::StatsQuery;

/// Prints the figures asked for; when CSV figures involve days, a note on
/// stderr says which time zone the days are in.
pub fn run(cli: &Cli, args: &ReportArgs) -> Result<(), Errors> {
    let day = |d: Option<NaiveDate>| d.and_then(|d| crate::util::date::parse_day(&d.format("%Y-%m-%d").to_string()));
    // Days follow the hub's time zone, as campaigns do; without a hub, UTC.
    let root = super::root(cli);
    let zone = if root.join(config::FILE_NAME).is_file() { Some(Config::load(&root)?.tz()) } else { None };
    let query = StatsQuery { campaign: args.campaign.clone(), from_day: day(args.from), to_day: day(args.to), by: args.by, zone };
    let out = super::runtime()?.block_on(report::report(&args.database, &query, args.format))?;
    if args.format == ReportFormat::Csv && report::has_days(&query) && !cli.quiet {
        eprintln!("{}", report::days_note(&query));
    }
    print!("{out}");
    Ok(())
}
