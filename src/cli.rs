//! The command line: clap definitions. [`crate::cmd`] runs what they parse.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

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
    /// Write the day's digest of posts to share (e-mail, Teams, Slack) and optionally send it
    ///
    /// One set of files per language with posts that day, in --output. With
    /// --send, e-mails it over CHORUS_SMTP_URL (smtp://user:pass@host:587,
    /// STARTTLS when offered; smtps:// for TLS); with --post, posts it to
    /// CHORUS_TEAMS_WEBHOOK and CHORUS_SLACK_WEBHOOK. A record in --output
    /// keeps a retry on the same day from sending anything twice.
    Digest(DigestArgs),
}

/// `chorus digest`.
#[derive(Debug, Args)]
pub struct DigestArgs {
    /// The day of the digest, YYYY-MM-DD [default: today in the hub's time zone]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub now: Option<NaiveDate>,
    /// Only this language [default: every language of the hub]
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
    /// Where to write the files [default: .chorus/digest in the hub]
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Send the e-mail over SMTP (CHORUS_SMTP_URL)
    #[arg(long)]
    pub send: bool,
    /// A recipient, instead of hub.yaml's `digest.to` (repeat for several)
    #[arg(long = "to", value_name = "ADDR")]
    pub to: Vec<String>,
    /// Post the Teams and Slack messages (CHORUS_TEAMS_WEBHOOK, CHORUS_SLACK_WEBHOOK)
    #[arg(long)]
    pub post: bool,
    /// The tracker's database (a SQLite file or a postgres:// URL): the digest
    /// then says what the last 30 days of sharing brought
    #[arg(long, env = "CHORUS_DATABASE", value_name = "PATH|URL")]
    pub database: Option<String>,
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
    /// Raw figures grouped one way instead of the period report (day without --period)
    #[arg(long, value_enum, conflicts_with = "period")]
    pub by: Option<crate::tracker::store::GroupBy>,
    /// The period report of a month, YYYY-MM, against the month before
    #[arg(long, value_name = "YYYY-MM", conflicts_with_all = ["from", "to"])]
    pub period: Option<String>,
    /// Write the report to this file instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The report's language (html, md); default: the hub's default language
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
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
    /// A GitLab Code Quality report (JSON, Code Climate's format) on stdout
    Gitlab,
}

/// `chorus init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create (it must not exist or be empty)
    pub dir: PathBuf,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    crate::util::date::parse_date(s).ok_or_else(|| format!("`{s}` is not a date; write YYYY-MM-DD"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
