//! `chorus digest`: the day's digest written per language, then sent by
//! e-mail and posted to Teams and Slack when asked (docs/digest.md).

use std::path::{Path, PathBuf};

use crate::cli::{Cli, DigestArgs};
use crate::diagnostics::{Error, Errors};
use crate::digest::record::{Channel, Record};
use crate::digest::{self, mime::Addresses, send, Written};
use crate::hub::{Hub, HubOptions};

/// The default folder, under the hub's root (git-ignored by `chorus init`).
const DEFAULT_OUTPUT: &str = ".chorus/digest";

/// Writes the digests, then sends and posts what the record says has not gone yet.
pub fn run(cli: &Cli, args: &DigestArgs) -> Result<(), Errors> {
    let root = super::root(cli);
    let hub = Hub::load(&root, &HubOptions { now: args.now, ..HubOptions::default() })?;
    let languages = hub.config.language_codes();
    let langs: Vec<&str> = match &args.lang {
        Some(lang) if !languages.contains(&lang.as_str()) => {
            return Err(Error::new(format!("`--lang {lang}`: the hub has no such language"))
                .with_help(format!("use one of: {}", languages.join(", ")))
                .into())
        }
        Some(lang) => vec![lang.as_str()],
        None => languages.clone(),
    };
    let output = output_dir(&root, args.output.as_deref())?;
    let day = hub.now.format("%Y-%m-%d").to_string();
    let mut digests = digest::digests(&hub, &langs);
    if let (Some(database), false) = (&args.database, digests.is_empty()) {
        let impact = super::runtime()?.block_on(async {
            let store = crate::tracker::report::open_checked(database, None).await?;
            crate::tracker::impact::last_days(store.as_ref(), crate::util::date::day_number(hub.now)).await.map_err(|e| Error::new(e.to_string()))
        })?;
        let site = hub.shares.manifest.as_ref().and_then(|m| crate::link::impact::main_site(&m.links));
        for d in &mut digests {
            d.with_impact(&impact, site.as_deref());
        }
    }
    if digests.is_empty() {
        if !cli.quiet {
            println!("Nothing to share on {day}: no live campaign has a post for that day. No digest written.");
        }
        return Ok(());
    }
    let addresses = Addresses::of(&hub.config, &args.to)?;
    let host = hub.config.base_url.host().unwrap_or("localhost").to_string();
    let mut written = Vec::new();
    for d in digests {
        let w = digest::write(d, &addresses, &host, &output)?;
        if !cli.quiet {
            let shown = output.strip_prefix(&root).unwrap_or(&output);
            let posts = w.digest.post_count();
            let plural = if posts == 1 { "post" } else { "posts" };
            println!("Digest {day} ({}): {posts} {plural}, {} files in {}", w.digest.lang, w.files.len(), shown.display());
        }
        written.push(w);
    }
    let mut record = Record::load(&output, hub.now)?;
    let mut errors = Vec::new();
    if args.send {
        if addresses.to.is_empty() {
            return Err(Error::new("--send: the digest has no recipients").with_help("set `digest.to` in hub.yaml, or pass --to ADDR").into());
        }
        let url = std::env::var(send::SMTP_URL)
            .map_err(|_| Error::new(format!("--send needs {} (e.g. smtp://user:password@smtp.example:587)", send::SMTP_URL)))?;
        let transport = send::smtp(&url)?;
        for w in &written {
            deliver(cli, &mut record, &mut errors, w, Channel::Email, || {
                send::email(&transport, &w.message, &format!("the {} digest", w.digest.lang))
            });
        }
    }
    if args.post {
        let teams = std::env::var(send::TEAMS_WEBHOOK).ok().filter(|u| !u.is_empty());
        let slack = std::env::var(send::SLACK_WEBHOOK).ok().filter(|u| !u.is_empty());
        if teams.is_none() && slack.is_none() {
            return Err(Error::new(format!("--post needs {} or {}", send::TEAMS_WEBHOOK, send::SLACK_WEBHOOK))
                .with_help("set the URL of a Teams Workflows webhook, of a Slack incoming webhook, or both")
                .into());
        }
        for w in &written {
            if let Some(url) = &teams {
                deliver(cli, &mut record, &mut errors, w, Channel::Teams, || {
                    send::webhook(url, &w.teams, &format!("the {} digest to Teams", w.digest.lang))
                });
            }
            if let Some(url) = &slack {
                deliver(cli, &mut record, &mut errors, w, Channel::Slack, || {
                    send::webhook(url, &w.slack, &format!("the {} digest to Slack", w.digest.lang))
                });
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.into())
    }
}

/// Sends one digest to one channel unless the record says it went already,
/// and notes it when it goes.
fn deliver(cli: &Cli, record: &mut Record, errors: &mut Vec<Error>, w: &Written, channel: Channel, send: impl FnOnce() -> Result<(), Error>) {
    let lang = &w.digest.lang;
    if record.has(lang, channel) {
        if !cli.quiet {
            println!("Already sent ({lang}, {}): skipped", channel.name());
        }
        return;
    }
    match send().and_then(|()| record.add(lang, channel)) {
        Ok(()) => {
            if !cli.quiet {
                println!("Sent ({lang}, {})", channel.name());
            }
        }
        Err(e) => errors.push(e),
    }
}

/// `--output` (relative to the hub's root), or `.chorus/digest` in the hub;
/// never inside `public/`, which every build replaces.
fn output_dir(root: &Path, output: Option<&Path>) -> Result<PathBuf, Error> {
    let dir = match output {
        Some(dir) if dir.is_absolute() => dir.to_path_buf(),
        Some(dir) => root.join(dir),
        None => root.join(DEFAULT_OUTPUT),
    };
    if dir.starts_with(root.join("public")) {
        return Err(Error::new(format!("`--output {}` is inside public/, which every build replaces", dir.display()))
            .with_help("write the digest elsewhere, e.g. the default .chorus/digest"));
    }
    Ok(dir)
}
