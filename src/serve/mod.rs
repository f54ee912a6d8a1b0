//! `chorus serve`: the authoring loop the README describes. Builds the hub into memory,
//! serves it, watches its files, rebuilds only what a change touches and
//! pushes a live reload to open pages. A failed rebuild keeps the last good
//! site served and shows its errors over the page. An embedded click tracker
//! (SQLite) makes share links, beacons and impact widgets work locally.

pub mod files;
mod hosts;
mod http;
pub mod rebuild;
pub mod reload;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex, RwLock, Weak};

use chrono::NaiveDate;

use crate::diagnostics::{Error, Errors};
use crate::hub::HubOptions;
use crate::render::{Body, Output};
use crate::share::links::{Manifest, MANIFEST_PATH, VERSION};
use crate::tracker::app::App;
use crate::tracker::{self, Running, TrackerOptions};
use files::Files;
use rebuild::{Rebuilt, ServedSite};
use reload::LiveReload;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The hub's root.
    pub root: PathBuf,
    /// Address to listen on.
    pub bind: IpAddr,
    /// Port to listen on (0: any free port).
    pub port: u16,
    /// Open the site in a browser once it is served.
    pub open: bool,
    /// Include drafts.
    pub drafts: bool,
    /// Run the embedded tracker.
    pub tracker: bool,
    /// The embedded tracker's SQLite file; default: a temporary file.
    pub database: Option<PathBuf>,
    /// "Today" for campaign status.
    pub now: Option<NaiveDate>,
    /// Print only errors.
    pub quiet: bool,
    /// Host names to answer besides IP addresses, localhost and the machine's name.
    pub allow_hosts: Vec<String>,
}

/// Serves until SIGINT or SIGTERM.
pub fn run(options: ServeOptions) -> Result<(), Errors> {
    let runtime = crate::util::runtime::multi_thread().map_err(|e| Error::new(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(serve(options))
}

async fn serve(options: ServeOptions) -> Result<(), Errors> {
    let listener = bind(options.bind, options.port, "--port").await?;
    let address = listener.local_addr().map_err(|e| Error::new(e.to_string()))?;
    let site_url = url_of(address);
    let scratch =
        tempfile::Builder::new().prefix("chorus-serve-").tempdir().map_err(|e| Error::new(format!("cannot create a temporary folder: {e}")))?;
    let links_path = scratch.path().join("links.json");

    // The tracker listens next to the site (port + 1 when free), so that the
    // links in the pages point to it.
    let tracker_listener = if options.tracker {
        let preferred = if address.port() == u16::MAX { 0 } else { address.port() + 1 };
        let listener = match tokio::net::TcpListener::bind((options.bind, preferred)).await {
            Ok(l) => l,
            Err(_) => bind(options.bind, 0, "--no-tracker").await?,
        };
        Some(listener)
    } else {
        None
    };
    let tracker_url = match &tracker_listener {
        Some(l) => Some(url_of(l.local_addr().map_err(|e| Error::new(e.to_string()))?)),
        None => None,
    };

    let files = Arc::new(RwLock::new(Files::default()));
    let live = LiveReload::default();
    let hub_options = HubOptions { drafts: options.drafts, base_url: Some(site_url.clone()), now: options.now, tracker_url: tracker_url.clone() };
    let mut site = ServedSite::new(&options.root, hub_options, files.clone());
    let first = tokio::task::block_in_place(|| site.full());
    report(first, &live, options.quiet, "Built");
    let search = spawn_search_indexer(files.clone(), options.root.clone())?;
    if let Some(pages) = site.pages_to_index() {
        let _ = search.send(pages);
    }
    let mut links = LinksFile { path: links_path.clone(), written: None };
    links.write(&site)?;

    let tracker = match (tracker_listener, &tracker_url) {
        (Some(listener), Some(url)) => Some(start_tracker(listener, url, &site_url, &options, scratch.path(), &links_path).await?),
        _ => None,
    };
    let (changes_tx, changes_rx) = mpsc::channel::<Vec<PathBuf>>();
    let watch = watch::Watch::start(&options.root, changes_tx)?;
    let rebuilder =
        Rebuilder { site, watch, links, live: live.clone(), tracker: tracker.as_ref().map(|t| t.app.clone()), search, quiet: options.quiet };
    rebuilder.spawn(changes_rx, tokio::runtime::Handle::current())?;

    if !options.quiet {
        println!("Serving {} on {site_url}/ (Ctrl+C to stop)", options.root.display());
    }
    if options.open {
        if let Err(e) = open::that_detached(format!("{site_url}/")) {
            eprintln!("chorus serve: cannot open a browser: {e}");
        }
    }
    let router = http::router(http::Served { files, live: live.clone() }, hosts::AllowedHosts::new(&options.allow_hosts));
    let stopping = async move {
        tracker::shutdown_signal().await;
        live.close();
    };
    axum::serve(listener, router).with_graceful_shutdown(stopping).await.map_err(|e| Error::new(format!("server error: {e}")))?;
    if let Some(tracker) = tracker {
        let _ = tracker.task.await;
    }
    drop(scratch);
    Ok(())
}

/// The tracker running inside serve.
struct Embedded {
    /// Held weakly: once the servers stop, the tracker's writer can drain.
    app: Weak<App>,
    /// Serves until SIGTERM/SIGINT, then drains the writer.
    task: tokio::task::JoinHandle<()>,
}

/// Starts the click tracker (docs/tracker.md) in this process, on SQLite, with the
/// hub's origin allowed for beacons and public totals on.
async fn start_tracker(
    listener: tokio::net::TcpListener,
    url: &str,
    site_url: &str,
    options: &ServeOptions,
    scratch: &Path,
    links: &Path,
) -> Result<Embedded, Error> {
    let token = blake3::hash(&rand::random::<[u8; 32]>()).to_hex()[..32].to_string();
    let database = options.database.clone().unwrap_or_else(|| scratch.join("chorus-tracker.db"));
    let tracker_options = TrackerOptions {
        listen: listener.local_addr().map_err(|e| Error::new(e.to_string()))?,
        database: database.to_string_lossy().into_owned(),
        links: links.to_path_buf(),
        admin_token: token.clone(),
        trust_proxy: false,
        hub_origin: Some(site_url.to_string()),
        public_stats: true,
    };
    let running = tracker::start(&tracker_options).await?;
    let app = Arc::downgrade(&running.app);
    let served = running.app.clone();
    let task = tokio::spawn(async move {
        tracker::server::serve(listener, served, tracker::shutdown_signal()).await;
        running.drain().await;
    });
    if !options.quiet {
        println!("Tracker on {url} (dashboard: {url}/dashboard, token {token}; clicks in {})", database.display());
    }
    Ok(Embedded { app, task })
}

/// Owns the loaded hub; turns each batch of changed files into a rebuild.
struct Rebuilder {
    site: ServedSite,
    watch: watch::Watch,
    links: LinksFile,
    live: LiveReload,
    tracker: Option<Weak<App>>,
    search: mpsc::Sender<Vec<crate::search::Page>>,
    quiet: bool,
}

impl Rebuilder {
    /// Runs on a thread of its own: a rebuild is CPU work.
    fn spawn(mut self, changes: mpsc::Receiver<Vec<PathBuf>>, runtime: tokio::runtime::Handle) -> Result<(), Error> {
        std::thread::Builder::new()
            .name("chorus-rebuild".into())
            .spawn(move || {
                while let Ok(mut changed) = changes.recv() {
                    // Whatever else arrived meanwhile goes into the same rebuild.
                    while let Ok(more) = changes.try_recv() {
                        changed.extend(more);
                    }
                    self.rebuild(&changed, &runtime);
                }
            })
            .map(drop)
            .map_err(|e| Error::new(format!("cannot start the rebuild thread: {e}")))
    }

    fn rebuild(&mut self, changed: &[PathBuf], runtime: &tokio::runtime::Handle) {
        for path in changed {
            self.watch.folder_appeared(path);
        }
        let Some(result) = self.site.apply(changed).transpose() else { return };
        // The tracker knows the new links before any page is told to reload.
        if result.is_ok() {
            match self.links.write(&self.site) {
                Err(e) => eprintln!("chorus serve: {e}"),
                Ok(false) => {}
                Ok(true) => {
                    if let Some(app) = self.tracker.as_ref().and_then(Weak::upgrade) {
                        if let Err(e) = runtime.block_on(Running::reload(&app, &self.links.path)) {
                            eprintln!("chorus serve: tracker: {e}");
                        }
                    }
                }
            }
        }
        report(result, &self.live, self.quiet, "Rebuilt");
        if let Some(pages) = self.site.pages_to_index() {
            let _ = self.search.send(pages);
        }
    }
}

/// Builds the search index from the served pages after each build, on a
/// thread of its own so that neither the first page nor a reload waits for
/// it; when edits come faster than indexing, only the latest state is indexed.
fn spawn_search_indexer(files: Arc<RwLock<Files>>, root: PathBuf) -> Result<mpsc::Sender<Vec<crate::search::Page>>, Error> {
    let (tx, rx) = mpsc::channel::<Vec<crate::search::Page>>();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .thread_name(|_| "chorus-search-index".into())
        .build()
        .map_err(|e| Error::new(format!("cannot start the search thread: {e}")))?;
    std::thread::Builder::new()
        .name("chorus-search".into())
        .spawn(move || {
            while let Ok(mut pages) = rx.recv() {
                while let Ok(newer) = rx.try_recv() {
                    pages = newer;
                }
                let outputs = Mutex::new(Vec::new());
                // On a pool of its own, one thread: the index's parallel work
                // never queues ahead of a rebuild's on the shared pool.
                let built = pool.install(|| {
                    crate::search::build(&pages, &|path, bytes| {
                        outputs.lock().map_err(|_| Error::new("search index: poisoned"))?.push(Output { path, body: Body::Bytes(bytes) });
                        Ok(())
                    })
                });
                match built {
                    Ok(_) => {
                        let outputs = outputs.into_inner().unwrap_or_default();
                        if let Ok(mut served) = files.write() {
                            served.update(&root, outputs);
                        }
                    }
                    Err(e) => eprintln!("chorus serve: {e}"),
                }
            }
        })
        .map_err(|e| Error::new(format!("cannot start the search thread: {e}")))?;
    Ok(tx)
}

/// Binds a listener; a port in use gets an error that says what to do.
async fn bind(ip: IpAddr, port: u16, flag: &str) -> Result<tokio::net::TcpListener, Error> {
    tokio::net::TcpListener::bind((ip, port)).await.map_err(|e| {
        let error = Error::new(format!("cannot listen on {}: {e}", SocketAddr::new(ip, port)));
        if e.kind() == std::io::ErrorKind::AddrInUse {
            let next = port.checked_add(2).unwrap_or(1024);
            error.with_help(format!("the port is in use (another `chorus serve`?): pick another one with `{flag} {next}`"))
        } else {
            error
        }
    })
}

/// `http://127.0.0.1:1111` for an address (a wildcard address is shown as loopback).
fn url_of(address: SocketAddr) -> String {
    let ip = match address.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, address.port()))
}

/// Prints a build's outcome and tells open pages.
fn report(result: Result<Rebuilt, Errors>, live: &LiveReload, quiet: bool, verb: &str) {
    match result {
        Ok(r) => {
            if !quiet {
                println!("{verb} {} ({} files) in {} ms", r.what, r.files, r.elapsed.as_millis());
            }
            live.send(r.notice);
        }
        Err(errors) => {
            live.errors(&errors.errors);
            let errors = if quiet { errors.without_warnings() } else { errors };
            eprintln!("{:?}", miette::Report::new(errors));
            eprintln!("chorus serve: the last good version of the site is still served");
        }
    }
}

/// The links manifest the embedded tracker reads, written when it changes.
struct LinksFile {
    path: PathBuf,
    /// What the file holds now.
    written: Option<String>,
}

impl LinksFile {
    /// Writes the hub's manifest (an empty one while there is no good build);
    /// true when the file changed.
    fn write(&mut self, site: &ServedSite) -> Result<bool, Error> {
        let empty = Manifest {
            version: VERSION,
            generated: String::new(),
            default_language: None,
            links: Vec::new(),
            campaigns: Vec::new(),
            guides: Vec::new(),
            policies: Vec::new(),
        };
        let manifest = site.hub().and_then(|h| h.shares.manifest.as_ref()).unwrap_or(&empty);
        let json = serde_json::to_string_pretty(manifest).map_err(|e| Error::new(format!("cannot write {MANIFEST_PATH}: {e}")))?;
        if self.written.as_deref() == Some(json.as_str()) {
            return Ok(false);
        }
        std::fs::write(&self.path, &json).map_err(|e| Error::in_file(&self.path, format!("cannot write: {e}")))?;
        self.written = Some(json);
        Ok(true)
    }
}
