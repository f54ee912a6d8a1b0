//! `chorus report`: the tracker's figures from its database. With
//! `--period` (or `--from` and `--to`, or `--format md|html`) the period
//! report (docs/report.md); with `--by`, raw figures grouped one way.

use chrono::NaiveDate;

use crate::cli::{Cli, ReportArgs};
use crate::config::{self, Config};
use crate::diagnostics::{Error, Errors};
use crate::hub::{Hub, HubOptions};
use crate::report::{self, layout, words::Words, Facts, Period};
use crate::tracker::report::{self as rows, ReportFormat};
use crate::tracker::store::StatsQuery;

/// Prints or writes the figures asked for; when CSV figures involve days, a
/// note on stderr says which time zone the days are in.
pub fn run(cli: &Cli, args: &ReportArgs) -> Result<(), Errors> {
    let root = super::root(cli);
    let has_hub = root.join(config::FILE_NAME).is_file();
    let wants_period = args.period.is_some()
        || matches!(args.format, ReportFormat::Md | ReportFormat::Html)
        || (args.by.is_none() && args.from.is_some() && args.to.is_some());
    let out = if wants_period {
        period_report(args, has_hub.then_some(root.as_path()))?
    } else {
        let day = |d: Option<NaiveDate>| d.map(crate::util::date::day_number);
        // Days follow the hub's time zone, as campaigns do; without a hub, UTC.
        let zone = if has_hub { Some(Config::load(&root)?.tz()) } else { None };
        let query =
            StatsQuery { campaign: args.campaign.clone(), from_day: day(args.from), to_day: day(args.to), by: args.by.unwrap_or_default(), zone };
        let out = super::runtime()?.block_on(rows::report(&args.database, &query, args.format))?;
        if args.format == ReportFormat::Csv && rows::has_days(&query) && !cli.quiet {
            eprintln!("{}", rows::days_note(&query));
        }
        out
    };
    match &args.output {
        Some(file) => {
            std::fs::write(file, out.as_bytes()).map_err(|e| Error::in_file(file, format!("cannot write the report: {e}")))?;
            if !cli.quiet {
                println!("Report written to {}", file.display());
            }
        }
        None => print!("{out}"),
    }
    Ok(())
}

/// The period report in the format asked for.
fn period_report(args: &ReportArgs, hub_root: Option<&std::path::Path>) -> Result<String, Errors> {
    let period = match (&args.period, args.from, args.to) {
        (Some(month), _, _) => Period::month(month).ok_or_else(|| {
            Error::new(format!("`--period {month}` is not a month"))
                .with_help("write the month as YYYY-MM, e.g. `--period 2026-11`, or give --from and --to")
        })?,
        (None, Some(from), Some(to)) if from <= to => Period { from, to },
        (None, Some(from), Some(to)) => return Err(Error::new(format!("--from {from} is after --to {to}")).into()),
        _ => {
            return Err(Error::new("the period report needs a period")
                .with_help("give `--period YYYY-MM` (a month) or `--from DATE --to DATE`; `--by day` gives raw figures by day")
                .into())
        }
    };
    let hub = match hub_root {
        Some(root) => Some(Hub::load(root, &HubOptions::default())?),
        None => None,
    };
    let default_lang = hub.as_ref().map_or("en", |h| h.config.default_language.as_str());
    let lang = args.lang.as_deref().unwrap_or(default_lang);
    if let Some(hub) = &hub {
        let languages = hub.config.language_codes();
        if !languages.contains(&lang) {
            return Err(Error::new(format!("`--lang {lang}`: the hub has no such language"))
                .with_help(format!("use one of: {}", languages.join(", ")))
                .into());
        }
    }
    let facts = match &hub {
        Some(hub) => report::facts::of_hub(hub, lang),
        None => Facts { hub: "chorus".to_string(), lang: lang.to_string(), ..Facts::default() },
    };
    let runtime = super::runtime()?;
    let report = runtime.block_on(async {
        let store = rows::open_checked(&args.database, args.campaign.as_deref()).await?;
        report::gather(store.as_ref(), &facts, period, args.campaign.as_deref()).await.map_err(|e| Error::new(e.to_string()))
    })?;
    let strings = match &hub {
        Some(hub) => report::facts::strings(hub, lang),
        None => crate::theme::builtin_strings(lang)?,
    };
    let words = Words::new(lang, strings);
    Ok(match args.format {
        ReportFormat::Json => serde_json::to_string_pretty(&report).map_err(|e| Error::new(e.to_string()))? + "\n",
        ReportFormat::Csv => report::text::csv(&report),
        ReportFormat::Table => report::text::table(&report),
        ReportFormat::Md => report::markdown::markdown(&layout::layout(&report, &words)),
        ReportFormat::Html => report::html::html(&layout::layout(&report, &words), lang),
    })
}
