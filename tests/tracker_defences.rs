//! `chorus track` under the attacks and failures an internet-facing service
//! meets: token guessing, idle-connection floods, a full disk, a killed
//! database connection, hostile or odd `links.json` entries. The real binary,
//! real SQLite and PostgreSQL, real TCP.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{get, post, Hub};

const TOKEN: &str = "test-admin-token-0123456789";
const BROWSER: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

/// A tracker process on a free port.
struct Tracker {
    child: Child,
    addr: String,
}

impl Tracker {
    fn start(database: &str, links: &Path) -> Tracker {
        Tracker::start_with(database, links, &[], &[])
    }

    /// Starts a tracker with more flags, run through `wrapper` (e.g. `prlimit …`) if not empty.
    fn start_with(database: &str, links: &Path, extra: &[&str], wrapper: &[&str]) -> Tracker {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let addr = format!("127.0.0.1:{port}");
        let mut command = match wrapper.split_first() {
            Some((program, args)) => {
                let mut c = Command::new(program);
                c.args(args).arg(env!("CARGO_BIN_EXE_chorus"));
                c
            }
            None => Command::new(env!("CARGO_BIN_EXE_chorus")),
        };
        let child = command
            .args(["track", "--listen", &addr, "--database", database, "--links"])
            .arg(links)
            .args(["--public-stats", "--hub-origin", "https://hub.test.example"])
            .args(extra)
            .env("CHORUS_ADMIN_TOKEN", TOKEN)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start chorus track");
        let tracker = Tracker { child, addr };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(&tracker.addr).is_err() {
            assert!(Instant::now() < deadline, "the tracker did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        tracker
    }
}

impl Drop for Tracker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The basic fixture built, and the path of its links.json.
fn built_hub() -> (Hub, PathBuf) {
    let hub = Hub::copy("basic");
    hub.build();
    let links = hub.path("public/_chorus/links.json");
    (hub, links)
}

fn codes(links: &Path) -> Vec<(String, String)> {
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(links).unwrap()).unwrap();
    v["links"].as_array().unwrap().iter().map(|l| (l["code"].as_str().unwrap().to_string(), l["url"].as_str().unwrap().to_string())).collect()
}

fn sqlite_tracker() -> (Hub, Tracker, Vec<(String, String)>) {
    let (hub, links) = built_hub();
    let db = hub.path("tracker.db");
    let tracker = Tracker::start(db.to_str().unwrap(), &links);
    let codes = codes(&links);
    (hub, tracker, codes)
}

/// A GET sent from the loopback address `from` (any of 127.0.0.0/8), so
/// that the tracker sees another client.
fn get_from(from: &str, addr: &str, path: &str, extra: &[(&str, &str)]) -> common::Response {
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in extra {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    let mut stream = connect_from(from, addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).to_string();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let headers = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    common::Response { status, headers, body: body.to_string() }
}

/// A TCP connection to `addr` from the local address `from`.
fn connect_from(from: &str, addr: &str) -> std::io::Result<TcpStream> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_io().build()?;
    runtime.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4()?;
        socket.bind(format!("{from}:0").parse().unwrap())?;
        let stream = socket.connect(addr.parse().unwrap()).await?;
        let stream = stream.into_std()?;
        stream.set_nonblocking(false)?;
        Ok(stream)
    })
}

// --- Admin token guessing -------------------------------------------------

/// RFC 7235 §2.1: the scheme's name is case-insensitive.
#[test]
fn the_bearer_scheme_is_accepted_in_any_case() {
    let (_hub, t, _) = sqlite_tracker();
    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let r = get(&t.addr, "/api/v1/stats", &[("Authorization", &format!("{scheme} {TOKEN}"))]);
        assert_eq!(r.status, 200, "{scheme}: {}", r.body);
    }
    assert_eq!(get(&t.addr, "/api/v1/stats", &[("Authorization", &format!("Basic {TOKEN}"))]).status, 401);
}

/// Wrong bearer tokens and wrong login forms are counted per client: after
/// ten, the client gets `429` with `Retry-After`, even with the right token
/// (so that guessing cannot go on), while other clients are not held back.
#[test]
fn wrong_admin_tokens_are_throttled_per_client() {
    let (_hub, t, _) = sqlite_tracker();
    let wrong = [("Authorization", "Bearer wrong-token-wrong-token")];
    let statuses: Vec<u16> = (0..10).map(|_| get_from("127.0.0.2", &t.addr, "/api/v1/stats", &wrong).status).collect();
    assert_eq!(statuses, vec![401; 10], "ten wrong tokens are answered");
    let right = format!("Bearer {TOKEN}");
    let throttled = get_from("127.0.0.2", &t.addr, "/api/v1/stats", &[("Authorization", &right)]);
    assert_eq!(throttled.status, 429, "no token is compared for this client now: {}", throttled.body);
    assert!(throttled.headers["retry-after"].parse::<u64>().unwrap() >= 1);
    assert_eq!(get_from("127.0.0.2", &t.addr, "/metrics", &wrong).status, 429, "on every admin route");
    assert_eq!(get_from("127.0.0.3", &t.addr, "/api/v1/stats", &[("Authorization", &right)]).status, 200, "another client");

    // The login form counts the same way.
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    for _ in 0..10 {
        assert_eq!(post(&t.addr, "/dashboard/login", "token=wrong-token-wrong-token", &form).status, 401);
    }
    let login = post(&t.addr, "/dashboard/login", &format!("token={TOKEN}"), &form);
    assert_eq!(login.status, 429, "{}", login.body);
    assert!(login.headers.contains_key("retry-after"));
}

#[test]
fn logout_clears_the_session_cookie() {
    let (_hub, t, _) = sqlite_tracker();
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let login = post(&t.addr, "/dashboard/login", &format!("token={TOKEN}"), &form);
    let cookie = login.headers["set-cookie"].split(';').next().unwrap().to_string();
    let dash = get(&t.addr, "/dashboard", &[("Cookie", &cookie)]);
    assert_eq!(dash.status, 200);
    assert!(dash.body.contains("action=\"/dashboard/logout\""), "the dashboard offers to sign out");
    let out = post(&t.addr, "/dashboard/logout", "", &[("Cookie", &cookie)]);
    assert_eq!(out.status, 303);
    assert_eq!(out.headers["location"], "/dashboard");
    let cleared = &out.headers["set-cookie"];
    assert!(cleared.starts_with("chorus_admin=;") && cleared.contains("Max-Age=0") && cleared.contains("Path=/"), "{cleared}");
}
