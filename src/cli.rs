//! The command line: clap definitions and dispatch.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::build::{self, BuildOptions, Progress};
use crate::diagnostics::{Error, Errors, Severity};
use crate::hub::HubOptions;

/// chorus: an employee-advocacy hub from a git repository of Markdown.
///
/// It builds the social-media policy, training guides and share campaigns into
/// a fast, bilingual static intranet site.
#[derive(Debug, Parser)]
#[command(name = "chorus", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// The hub's folder [default: the nearest folder holding hub.yaml, from the current one up]
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Print only errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more: the time each build stage took
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// When to use colours
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    pub color: Color,
    /// What to do
    #[command(subcommand)]
    pub command: Command,
}

/// When to use colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// On a terminal, unless NO_COLOR is set
    Auto,
    /// Always
    Always,
    /// Never
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the hub into public/ (atomically: a failed build leaves the previous output as it was)
    Build(BuildArgs),
    /// Check the hub as a build would, without writing anything (for CI)
    Check(CheckArgs),
    /// Build the hub, serve it with live reload and rebuild what each change touches; runs a local click tracker
    Serve(ServeArgs),
    /// Add a campaign, a guide or a page with front matter ready to fill in
    New(NewArgs),
    /// Create a new hub (French and English, a policy, a guide, a campaign) in DIR
    Init(InitArgs),
    /// Run the click tracker: redirect short links, count clicks, report (needs CHORUS_ADMIN_TOKEN)
    ///
    /// Connections: a client has 10 s to send a request head; the soft
    /// open-file limit is raised to the hard one at start; one client
    /// address (an IPv6 one by its /64) holds at most 256 connections, its
    /// oldest idle one closed to make room (no cap with --trust-proxy); from
    /// three quarters of the open-file limit on (at most 65 536), idle
    /// connections are closed, those that never sent a request first.
    Track(TrackArgs),
    /// Print the tracker's figures from its database as a table, CSV or JSON
    Report(ReportArgs),
}

/// `chorus serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on (0: any free port)
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on (0.0.0.0 to show the preview to other machines)
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    pub bind: std::net::IpAddr,
    /// Open the hub in a browser
    #[arg(long)]
    pub open: bool,
    /// Include pages marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Do not run the embedded click tracker (share links then point to the destinations)
    #[arg(long)]
    pub no_tracker: bool,
    /// The embedded tracker's SQLite file [default: a temporary file]
    #[arg(long, value_name = "FILE", conflicts_with = "no_tracker")]
    pub database: Option<PathBuf>,
    /// The day campaigns are dated against, YYYY-MM-DD [default: today in the hub's time zone]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub now: Option<NaiveDate>,
    /// Also answer requests for this host name (IP addresses, localhost and this machine's name always are)
    #[arg(long = "allow-host", value_name = "NAME")]
    pub allow_hosts: Vec<String>,
}

/// `chorus new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// What to add
    #[command(subcommand)]
    pub what: NewWhat,
    /// The language of the new files [default: the hub's default language]
    #[arg(long, global = true, value_name = "CODE")]
    pub lang: Option<String>,
}

/// What `chorus new` adds.
#[derive(Debug, Subcommand)]
pub enum NewWhat {
    /// A campaign page in the hub's campaign section (SLUG becomes the campaign id)
    Campaign {
        /// Lowercase letters, digits and dashes
        slug: String,
    },
    /// A training guide: a section with its first module
    Guide {
        /// The guide's folder under content/
        slug: String,
    },
    /// A page at PATH under content/ (e.g. faq/contact)
    Page {
        /// The page's path under content/, without .md
        path: String,
    },
}

/// `chorus track`.
#[derive(Debug, Args)]
pub struct TrackArgs {
    /// Address to listen on
    #[arg(long, env = "CHORUS_LISTEN", default_value = "0.0.0.0:8080", value_name = "ADDR")]
    pub listen: std::net::SocketAddr,
    /// A SQLite file, or a postgres:// URL for several tracker instances
    ///
    /// SQLite fsyncs every commit before its 302; CHORUS_SQLITE_SYNC=normal
    /// skips the fsync (a click then survives a crash of the tracker, not a
    /// power cut).
    #[arg(long, env = "CHORUS_DATABASE", default_value = "chorus-tracker.db", value_name = "PATH|URL")]
    pub database: String,
    /// The links manifest written by `chorus build` (reloaded on SIGHUP)
    #[arg(long, env = "CHORUS_LINKS", default_value = "public/_chorus/links.json", value_name = "FILE")]
    pub links: PathBuf,
    /// Behind a reverse proxy: take the client address from X-Forwarded-For
    ///
    /// The right-most address is taken, the one your proxy appended; the
    /// entries before it are the client's say. Leave it off when the tracker
    /// faces the internet directly. With it, connections per client address
    /// are not capped (they all come from the proxy): cap them at the proxy.
    #[arg(long, env = "CHORUS_TRUST_PROXY")]
    pub trust_proxy: bool,
    /// The hub's origin (e.g. https://hub.intranet.example): copy/share beacons are accepted from it only
    #[arg(long, env = "CHORUS_HUB_ORIGIN", value_name = "ORIGIN")]
    pub hub_origin: Option<String>,
    /// Serve per-campaign totals and ambassador totals publicly (for the hub's impact widgets)
    #[arg(long, env = "CHORUS_PUBLIC_STATS")]
    pub public_stats: bool,
}

/// `chorus report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A SQLite file or a postgres:// URL
    #[arg(long, env = "CHORUS_DATABASE", default_value = "chorus-tracker.db", value_name = "PATH|URL")]
    pub database: String,
    /// One campaign id
    #[arg(long)]
    pub campaign: Option<String>,
    /// How to group the figures
    #[arg(long, value_enum, default_value_t = crate::tracker::store::GroupBy::Day)]
    pub by: crate::tracker::store::GroupBy,
    /// First day, YYYY-MM-DD (days are in the hub's time zone; UTC outside a hub)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub from: Option<NaiveDate>,
    /// Last day, YYYY-MM-DD
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub to: Option<NaiveDate>,
    /// Output format
    #[arg(long, value_enum, default_value_t = crate::tracker::report::ReportFormat::Table)]
    pub format: crate::tracker::report::ReportFormat,
}

/// `chorus build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Include pages marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Where to write the site
    #[arg(long, short, value_name = "DIR", default_value = "public")]
    pub output: PathBuf,
    /// Use this base URL instead of hub.yaml's `base_url`
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// The day campaigns are dated against, YYYY-MM-DD [default: today in the hub's time zone]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub now: Option<NaiveDate>,
    /// Write HTML, CSS and JS as rendered, without minifying
    #[arg(long)]
    pub no_minify: bool,
    /// Replace the output folder even when it is not empty and holds no earlier chorus output
    #[arg(long)]
    pub force: bool,
}

/// `chorus check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// How to print problems
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The day campaigns are dated against, YYYY-MM-DD [default: today in the hub's time zone]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub now: Option<NaiveDate>,
    /// Check drafts too
    #[arg(long)]
    pub drafts: bool,
}

/// How `check` prints problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-like messages with the source snippet
    Human,
    /// One JSON document on stdout
    Json,
    /// GitHub Actions annotations (`::error file=…,line=…::…`)
    Github,
}

/// `chorus init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create (it must not exist or be empty)
    pub dir: PathBuf,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    crate::content::front_matter::parse_date(s).ok_or_else(|| format!("`{s}` is not a date; write YYYY-MM-DD"))
}

/// Runs the parsed command line and returns the process's exit code.
pub fn run(cli: Cli) -> ExitCode {
    install_error_hook(cli.color);
    let result = match &cli.command {
        Command::Build(args) => run_build(&cli, args),
        Command::Check(args) => return run_check(&cli, args),
        Command::Init(args) => crate::init::init(&args.dir).map(|files| {
            if !cli.quiet {
                println!("Created a new hub in {} ({files} files).", args.dir.display());
                println!("Next: cd {} && chorus build", args.dir.display());
            }
        }).map_err(Errors::from),
        Command::Serve(args) => run_serve(&cli, args),
        Command::New(args) => run_new(&cli, args),
        Command::Track(args) => run_track(args),
        Command::Report(args) => run_report(&cli, args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(errors) => {
            // `-q` prints only errors: the warnings found with them stay unsaid.
            let errors = if cli.quiet { errors.without_warnings() } else { errors };
            eprintln!("{:?}", miette::Report::new(errors));
            ExitCode::FAILURE
        }
    }
}

fn install_error_hook(color: Color) {
    let colored = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::env::var_os("NO_COLOR").is_none() && std::io::IsTerminal::is_terminal(&std::io::stderr()),
    };
    let _ = miette::set_hook(Box::new(move |_| {
        Box::new(miette::MietteHandlerOpts::new().color(colored).unicode(colored).terminal_links(false).build())
    }));
}

/// The hub's root: `--root`, or the nearest folder holding hub.yaml, or the current folder.
fn root(cli: &Cli) -> PathBuf {
    if let Some(root) = &cli.root {
        return root.clone();
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    cwd.ancestors()
        .find(|dir| dir.join(crate::config::FILE_NAME).is_file())
        .map_or(cwd.clone(), Path::to_path_buf)
}

fn runtime() -> Result<tokio::runtime::Runtime, Errors> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Errors::from(Error::new(format!("cannot start the async runtime: {e}"))))
}

fn run_serve(cli: &Cli, args: &ServeArgs) -> Result<(), Errors> {
    crate::serve::run(crate::serve::ServeOptions {
        root: root(cli),
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

fn run_new(cli: &Cli, args: &NewArgs) -> Result<(), Errors> {
    use crate::scaffold::What;
    let root = root(cli);
    let what = match &args.what {
        NewWhat::Campaign { slug } => What::Campaign(slug.clone()),
        NewWhat::Guide { slug } => What::Guide(slug.clone()),
        NewWhat::Page { path } => What::Page(path.clone()),
    };
    let today = chrono::Local::now().date_naive();
    let files = crate::scaffold::create(&root, &what, args.lang.as_deref(), today)?;
    if !cli.quiet {
        for file in &files {
            println!("Created {}", file.display());
        }
        println!("Next: fill it in, then `chorus check` (or see it live with `chorus serve`).");
    }
    Ok(())
}

fn run_track(args: &TrackArgs) -> Result<(), Errors> {
    let options = crate::tracker::TrackerOptions {
        listen: args.listen,
        database: args.database.clone(),
        links: args.links.clone(),
        admin_token: std::env::var("CHORUS_ADMIN_TOKEN").unwrap_or_default(),
        trust_proxy: args.trust_proxy,
        hub_origin: args.hub_origin.clone(),
        public_stats: args.public_stats,
    };
    runtime()?.block_on(crate::tracker::run(options)).map_err(Errors::from)
}

fn run_report(cli: &Cli, args: &ReportArgs) -> Result<(), Errors> {
    use crate::tracker::report;
    let day = |d: Option<NaiveDate>| d.and_then(|d| crate::tracker::routes::parse_day(&d.format("%Y-%m-%d").to_string()));
    // Days follow the hub's time zone, as campaigns do; without a hub, UTC.
    let root = root(cli);
    let zone = if root.join(crate::config::FILE_NAME).is_file() { Some(crate::config::Config::load(&root)?.tz()) } else { None };
    let query = crate::tracker::store::StatsQuery { campaign: args.campaign.clone(), from_day: day(args.from), to_day: day(args.to), by: args.by, zone };
    let out = runtime()?.block_on(report::report(&args.database, &query, args.format))?;
    if args.format == report::ReportFormat::Csv && report::has_days(&query) && !cli.quiet {
        eprintln!("{}", report::days_note(&query));
    }
    print!("{out}");
    Ok(())
}

fn run_build(cli: &Cli, args: &BuildArgs) -> Result<(), Errors> {
    let root = root(cli);
    let output = if args.output.is_absolute() { args.output.clone() } else { root.join(&args.output) };
    let options = BuildOptions {
        hub: HubOptions { drafts: args.drafts, base_url: args.base_url.clone(), now: args.now, tracker_url: None },
        output: Some(output),
        no_minify: args.no_minify,
        force: args.force,
    };
    let progress = if cli.quiet { Progress::hidden() } else { Progress::new(true) };
    let result = build::build(&root, &options, &progress);
    progress.finish();
    let summary = result?;
    if !cli.quiet {
        print_warnings(summary.warnings);
        let shown = summary.output.strip_prefix(&root).unwrap_or(&summary.output);
        println!(
            "Built {} pages ({} files) in {:.2} s into {}",
            group_thousands(summary.pages),
            group_thousands(summary.files),
            summary.elapsed.as_secs_f64(),
            shown.display()
        );
        if cli.verbose > 0 {
            for (stage, took) in &summary.stages {
                println!("  {stage:<26} {:>8.3} s", took.as_secs_f64());
            }
        }
    }
    Ok(())
}

fn run_check(cli: &Cli, args: &CheckArgs) -> ExitCode {
    let root = root(cli);
    let options = HubOptions { drafts: args.drafts, base_url: None, now: args.now, tracker_url: None };
    let result = build::check(&root, &options);
    let (errors, warnings, pages) = match result {
        Ok((pages, warnings)) => (Vec::new(), warnings, pages),
        Err(e) => {
            let (warnings, errors) = e.errors.into_iter().partition(|e| e.severity == Severity::Warning);
            (errors, warnings, 0)
        }
    };
    let ok = errors.is_empty();
    // `-q` prints only errors (the JSON document, being data, keeps its warnings).
    let warnings = if cli.quiet && args.format != Format::Json { Vec::new() } else { warnings };
    match args.format {
        Format::Human => {
            let count = warnings.len();
            print_warnings(warnings);
            if !ok {
                eprintln!("{:?}", miette::Report::new(Errors::from(errors)));
            } else if !cli.quiet {
                let w = match count {
                    0 => "no problems found".to_string(),
                    1 => "1 warning".to_string(),
                    n => format!("{n} warnings"),
                };
                println!("Checked {} pages: {w}", group_thousands(pages));
            }
        }
        Format::Json => {
            let list = |v: &[Error]| v.iter().map(error_json).collect::<Vec<_>>();
            println!("{}", serde_json::json!({ "ok": ok, "errors": list(&errors), "warnings": list(&warnings) }));
        }
        Format::Github => {
            for e in errors.iter().chain(&warnings) {
                println!("{}", github_annotation(e));
            }
        }
    }
    if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// Lint warnings, each with its snippet, on stderr.
fn print_warnings(warnings: Vec<Error>) {
    for w in warnings {
        eprintln!("{:?}", miette::Report::new(w));
    }
}

fn error_json(e: &Error) -> serde_json::Value {
    let loc = e.location.as_ref();
    serde_json::json!({
        "severity": match e.severity { Severity::Error => "error", Severity::Warning => "warning" },
        "file": loc.map(|l| l.file.to_string_lossy().replace('\\', "/")),
        "line": loc.map(|l| l.line),
        "column": loc.map(|l| l.column),
        "message": e.message,
        "help": e.help,
    })
}

/// A GitHub Actions workflow command; `%`, CR, LF, `:` and `,` escaped as GitHub documents.
fn github_annotation(e: &Error) -> String {
    let data = |s: &str| s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    let prop = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let mut props = Vec::new();
    if let Some(l) = &e.location {
        props.push(format!("file={}", prop(&l.file.to_string_lossy())));
        if l.line > 0 {
            props.push(format!("line={}", l.line));
        }
        if l.column > 0 {
            props.push(format!("col={}", l.column));
        }
    }
    let mut message = e.message.clone();
    if let Some(help) = &e.help {
        message.push_str(&format!(" (help: {help})"));
    }
    let level = match e.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    format!("::{level} {}::{}", props.join(","), data(&message))
}

/// `10412` → `10 412`, as the summary line reads in both languages.
fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group_thousands(10412), "10 412");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000000), "1 000 000");
    }

    #[test]
    fn github_annotations_escape_properties() {
        let e = Error::in_file("content/a,b.md", "bad: 100%");
        assert_eq!(github_annotation(&e), "::error file=content/a%2Cb.md::bad: 100%25");
    }
}
