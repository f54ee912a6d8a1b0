//! `chorus track`: the click tracker (docs/tracker.md), an internet-facing service that
//! redirects short links, counts clicks honestly and reports them.
//!
//! It shares only the link types (`link`, and the manifest `link::manifest`) with the builder.

mod admin;
pub mod allowance;
mod ambassadors;
pub mod app;
pub mod bots;
pub mod catalog;
pub mod click;
mod client;
pub mod connections;
mod dashboard;
pub mod display_name;
mod export;
pub mod impact;
pub use export::csv_field;
pub mod metrics;
mod recent;
pub mod report;
mod respond;
pub mod routes;
pub(crate) mod server;
pub mod store;
mod throttle;
pub mod visitor;
pub mod writer;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use axum::http::HeaderValue;

use crate::diagnostics::Error;
use crate::link::destination;
use crate::link::manifest::{Link, Manifest};
use crate::link::Goal;

/// How to run the tracker.
#[derive(Debug, Clone)]
pub struct TrackerOptions {
    /// Where to listen.
    pub listen: SocketAddr,
    /// A SQLite file path or a `postgres://` URL.
    pub database: String,
    /// The `links.json` written by `chorus build`.
    pub links: PathBuf,
    /// The admin token of the authenticated routes.
    pub admin_token: String,
    /// Take the client IP from `X-Forwarded-For`.
    pub trust_proxy: bool,
    /// The hub's origin (`https://hub.intranet.example`): beacons come only from it.
    pub hub_origin: Option<String>,
    /// Serve public campaign totals.
    pub public_stats: bool,
}

/// Reads `links.json`. Each link's destination is made ready for a
/// `Location` header by [`destination`] (international hosts in punycode,
/// other non-ASCII characters percent-encoded); a link whose destination is
/// unsafe (a control character, a scheme other than http(s), no host) is left
/// out, and said so on stderr with its code. A link without `lang` takes the
/// manifest's default language. Fields and networks this version does not
/// know are kept or ignored, never an error: the format only grows.
pub fn read_links(path: &Path) -> Result<Vec<Link>, Error> {
    read_manifest(path).map(|m| m.links)
}

/// Reads `links.json` whole: its links as [`read_links`] gives them, and the
/// campaigns' goals (docs/links-json.md).
pub fn read_manifest(path: &Path) -> Result<Manifest, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::in_file(path, format!("cannot read the links: {e}")).with_help("run `chorus build` first, or pass `--links`"))?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| Error::in_file(path, format!("not a links.json manifest: {e}")))?;
    if manifest.version != crate::link::manifest::VERSION {
        return Err(Error::in_file(path, format!("links.json version {} is not supported", manifest.version)));
    }
    let default_language = manifest.default_language.clone().unwrap_or_default();
    let links = manifest
        .links
        .into_iter()
        .filter_map(|mut link| match destination(&link.url) {
            Ok(url) => {
                link.url = url;
                if link.lang.is_empty() {
                    link.lang.clone_from(&default_language);
                }
                Some(link)
            }
            Err(why) => {
                eprintln!("chorus track: {}: link {} left out, its destination is unsafe: {why}", path.display(), link.code);
                None
            }
        })
        .collect();
    Ok(Manifest { links, ..manifest })
}

/// What [`load_links`] gives the tracker.
pub struct Loaded {
    /// Every link the store knows: code → `Location` header value.
    pub links: HashMap<String, HeaderValue>,
    /// The goals of the manifest's campaigns: campaign id → goal.
    pub goals: HashMap<String, Goal>,
    /// The manifest's guides and policies.
    pub catalog: catalog::Catalog,
}

/// Loads links into the store (upsert, never delete) and returns every link
/// the store knows, old ones included, so that an old post keeps working.
/// Each destination is ready as a `Location` header value; one stored by an
/// older version that is unsafe is left out (and said so) rather than
/// failing a request.
///
/// Goals are not kept in the store: the manifest loaded last says them.
pub async fn load_links(store: &dyn store::ClickStore, path: &Path) -> Result<Loaded, Error> {
    let manifest = read_manifest(path)?;
    store.upsert_links(&manifest.links).await.map_err(|e| Error::new(e.to_string()))?;
    let all = store.links().await.map_err(|e| Error::new(e.to_string()))?;
    let catalog = catalog::Catalog::of(&manifest);
    let goals = manifest.campaigns.into_iter().map(|c| (c.campaign, c.goal)).collect();
    let links = all
        .into_iter()
        .filter_map(|(code, url)| match destination(&url).map(HeaderValue::try_from) {
            Ok(Ok(location)) => Some((code, location)),
            Ok(Err(e)) => {
                eprintln!("chorus track: stored link {code} left out: {e}");
                None
            }
            Err(why) => {
                eprintln!("chorus track: stored link {code} left out, its destination is unsafe: {why}");
                None
            }
        })
        .collect();
    Ok(Loaded { links, goals, catalog })
}

/// A running tracker's shared state and its writer task.
pub struct Running {
    /// Shared by every handler.
    pub app: Arc<app::App>,
    writer_threads: Vec<std::thread::JoinHandle<()>>,
}

/// Opens the store, runs migrations, loads links and starts the writer.
pub async fn start(options: &TrackerOptions) -> Result<Running, Error> {
    let store = store::open(&options.database).await.map_err(|e| Error::new(e.to_string()))?;
    store.migrate().await.map_err(|e| Error::new(e.to_string()))?;
    let Loaded { links, goals, catalog } = load_links(store.as_ref(), &options.links).await?;
    let metrics = Arc::new(metrics::Metrics::default());
    let (writer, writer_threads) = writer::Writer::spawn(store.as_ref(), metrics.clone()).await.map_err(|e| Error::new(e.to_string()))?;
    let app = Arc::new(app::App {
        store,
        links: RwLock::new(links),
        goals: RwLock::new(goals),
        catalog: RwLock::new(catalog),
        writer,
        salt: Mutex::new(None),
        bots: bots::BotDetector::default(),
        metrics,
        admin_token: options.admin_token.clone(),
        trust_proxy: options.trust_proxy,
        hub_origin: options.hub_origin.clone().map(|o| o.trim_end_matches('/').to_string()),
        public_stats: options.public_stats,
        limiter: app::App::default_limiter(),
        allowance: allowance::Allowance::default(),
        auth_failures: throttle::AuthThrottle::default(),
        campaigns: recent::Recent::new(app::PUBLIC_TTL),
        impact: recent::Recent::new(app::PUBLIC_TTL),
        leaderboard: recent::Recent::new(app::PUBLIC_TTL),
    });
    spawn_housekeeping(Arc::downgrade(&app));
    Ok(Running { app, writer_threads })
}

/// How often the housekeeping runs.
const HOUSEKEEPING_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// Now and then every [`HOUSEKEEPING_EVERY`], for as long as the tracker
/// runs: rolls up the closed hours, destroys the salts of past days (in the
/// database and in memory, even when no click came since midnight), and
/// forgets the rate limiter's clients that are back to a full allowance. A
/// failure is reported and retried next time: totals stay exact meanwhile,
/// read from the raw rows.
///
/// The task holds the app weakly, so that it never keeps the writer alive
/// past shutdown.
fn spawn_housekeeping(app: std::sync::Weak<app::App>) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(HOUSEKEEPING_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            let Some(app) = app.upgrade() else { return };
            let now = click::now_ms();
            if let Err(e) = app.store.roll_up(now).await {
                eprintln!("chorus track: {e}");
            }
            let today = visitor::day(now);
            app.forget_old_salt(today);
            if let Err(e) = app.store.forget_salts(today).await {
                eprintln!("chorus track: {e}");
            }
            app.limiter.retain_recent();
            app.auth_failures.forget_drained(std::time::Instant::now());
            app.limiter.shrink_to_fit();
        }
    });
}

impl Running {
    /// Reloads `links.json` (on SIGHUP): new links are added, changed ones
    /// updated, none removed; the goals, guides and policies become the new manifest's.
    pub async fn reload(app: &app::App, path: &Path) -> Result<usize, Error> {
        let Loaded { links, goals, catalog } = load_links(app.store.as_ref(), path).await?;
        let count = links.len();
        if let Ok(mut current) = app.links.write() {
            current.extend(links);
        }
        if let Ok(mut current) = app.goals.write() {
            *current = goals;
        }
        if let Ok(mut current) = app.catalog.write() {
            *current = catalog;
        }
        Ok(count)
    }

    /// Waits for the writer to commit what it holds (once every handle is gone).
    pub async fn drain(self) {
        let Running { app, writer_threads } = self;
        drop(app);
        let _ = tokio::task::spawn_blocking(move || writer_threads.into_iter().for_each(|t| drop(t.join()))).await;
    }
}

/// Runs the tracker until SIGTERM or SIGINT, then drains requests and commits.
pub async fn run(options: TrackerOptions) -> Result<(), Error> {
    if options.admin_token.len() < 16 {
        return Err(Error::new("CHORUS_ADMIN_TOKEN must be set to a secret of at least 16 characters")
            .with_help("e.g. export CHORUS_ADMIN_TOKEN=$(openssl rand -hex 32)"));
    }
    if let Err(e) = connections::raise_open_file_limit() {
        eprintln!("chorus track: cannot raise the open-file limit: {e}");
    }
    let running = start(&options).await?;
    let listener = tokio::net::TcpListener::bind(options.listen)
        .await
        .map_err(|e| Error::new(format!("cannot listen on {}: {e}", options.listen)).with_help("pick another address with --listen"))?;
    let address = listener.local_addr().map_err(|e| Error::new(e.to_string()))?;
    println!(
        "chorus track listening on http://{address} ({} links, database {})",
        running.app.links.read().map(|l| l.len()).unwrap_or(0),
        describe(&options.database)
    );

    // The reload task holds the app weakly: once the server is done, the
    // writer's last handle goes away and the writer can drain and stop.
    let app = Arc::downgrade(&running.app);
    let links_path = options.links.clone();
    #[cfg(unix)]
    let reloader = tokio::spawn(async move {
        use tokio::signal::unix::{signal, SignalKind};
        let Ok(mut hangup) = signal(SignalKind::hangup()) else { return };
        while hangup.recv().await.is_some() {
            let Some(app) = app.upgrade() else { return };
            match Running::reload(&app, &links_path).await {
                Ok(n) => println!("chorus track: reloaded links ({n} known)"),
                Err(e) => eprintln!("chorus track: {e}"),
            }
        }
    });

    server::serve(listener, running.app.clone(), shutdown_signal()).await;
    #[cfg(unix)]
    reloader.abort();
    running.drain().await;
    println!("chorus track: stopped, every acknowledged click committed");
    Ok(())
}

/// The database as printed at start, without a password.
fn describe(database: &str) -> String {
    match url::Url::parse(database) {
        Ok(mut u) if u.scheme().starts_with("postgres") => {
            let _ = u.set_password(None);
            u.to_string()
        }
        _ => database.to_string(),
    }
}

pub(crate) async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = match signal(SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => return std::future::pending().await,
        };
        tokio::select! {
            _ = term.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}
