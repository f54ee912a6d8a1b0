//! `chorus track` as IT runs it: the real binary, a real SQLite file (and the
//! real PostgreSQL on 127.0.0.1:5432), real HTTP over TCP, raw requests where
//! a client library would tidy up what an attacker sends.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::tracker::{built_hub, codes, sqlite_tracker, PgSchema, Tracker, BROWSER, TOKEN};
use common::{get, post, raw};

#[test]
fn redirects_a_registered_code_and_counts_a_person() {
    let (_hub, t, codes) = sqlite_tracker();
    let (code, url) = &codes[0];
    let r = get(&t.addr, &format!("/c/{code}"), &[("User-Agent", BROWSER)]);
    assert_eq!(r.status, 302);
    assert_eq!(r.headers["location"], *url);
    assert_eq!(r.headers["cache-control"], "private, no-store");
    assert_eq!(t.totals(), (1, 0, 1));
}

#[test]
fn counting_rules_one_by_one() {
    let (_hub, t, codes) = sqlite_tracker();
    let path = format!("/c/{}", codes[0].0);
    // HEAD: same status and Location, never a person.
    let r = raw(&t.addr, &format!("HEAD {path} HTTP/1.1\r\nHost: x\r\nUser-Agent: {BROWSER}\r\nConnection: close\r\n\r\n"));
    assert_eq!((r.status, r.headers["location"].as_str()), (302, codes[0].1.as_str()));
    assert_eq!(t.totals(), (0, 1, 0), "HEAD is recorded as a bot");
    // Prefetches.
    get(&t.addr, &path, &[("User-Agent", BROWSER), ("Sec-Purpose", "prefetch")]);
    get(&t.addr, &path, &[("User-Agent", BROWSER), ("Purpose", "prefetch")]);
    assert_eq!(t.totals(), (0, 3, 0), "prefetches are bots");
    // Empty user agent.
    get(&t.addr, &path, &[]);
    assert_eq!(t.totals(), (0, 4, 0), "no user agent is a bot");
    // DNT and GPC: counted as a click, without a visitor hash.
    get(&t.addr, &path, &[("User-Agent", BROWSER), ("DNT", "1")]);
    get(&t.addr, &path, &[("User-Agent", BROWSER), ("Sec-GPC", "1")]);
    assert_eq!(t.totals(), (2, 4, 0), "DNT/GPC clicks count, visitors do not");
    // The same person twice is one visitor.
    get(&t.addr, &path, &[("User-Agent", BROWSER)]);
    get(&t.addr, &path, &[("User-Agent", BROWSER)]);
    assert_eq!(t.totals(), (4, 4, 1));
    // X-Forwarded-For is ignored without --trust-proxy: still one visitor.
    get(&t.addr, &path, &[("User-Agent", BROWSER), ("X-Forwarded-For", "198.51.100.9")]);
    assert_eq!(t.totals(), (5, 4, 1));
}

/// Behind a proxy (`--trust-proxy`), the visitor's address is the right-most
/// `X-Forwarded-For` entry, the one the proxy wrote; entries before it are
/// the client's say, and a right-most entry that is not an address leaves the
/// peer's, never an earlier entry.
#[test]
fn behind_a_trusted_proxy_the_right_most_forwarded_address_is_the_visitor() {
    let (hub, links) = built_hub();
    let t = Tracker::options().flags(&["--trust-proxy"]).start(hub.path("tracker.db").to_str().unwrap(), &links);
    let path = format!("/c/{}", codes(&links)[0].0);
    let click = |forwarded: &str| assert_eq!(get(&t.addr, &path, &[("User-Agent", BROWSER), ("X-Forwarded-For", forwarded)]).status, 302);
    click("198.51.100.9");
    click("203.0.113.7, 198.51.100.9");
    assert_eq!(t.totals(), (2, 0, 1), "a made-up entry before the proxy's changes nothing");
    click("198.51.100.10");
    assert_eq!(t.totals(), (3, 0, 2), "another address is another visitor");
    click("198.51.100.10, not-an-address");
    assert_eq!(t.totals(), (4, 0, 3), "the peer's address, not 198.51.100.10");
}

#[test]
fn bots_and_browsers_are_told_apart() {
    let (_hub, t, codes) = sqlite_tracker();
    let path = format!("/c/{}", codes[0].0);
    let fixture = include_str!("fixtures/user-agents.txt");
    let (mut bots, mut people) = (0, 0);
    for line in fixture.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        let (kind, ua) = line.split_once('|').unwrap();
        let before = t.totals();
        let r = get(&t.addr, &path, &[("User-Agent", ua)]);
        assert_eq!(r.status, 302, "every agent is redirected: {ua}");
        let after = t.totals();
        match kind {
            "bot" => {
                bots += 1;
                assert_eq!((after.0, after.1), (before.0, before.1 + 1), "should be a bot: {ua}");
            }
            _ => {
                people += 1;
                assert_eq!((after.0, after.1), (before.0 + 1, before.1), "should be a person: {ua}");
            }
        }
    }
    assert!(bots >= 15 && people >= 5);
}

#[test]
fn unknown_codes_and_open_redirect_payloads_get_404() {
    let (_hub, t, codes) = sqlite_tracker();
    let valid = &codes[0].0;
    let payloads = [
        "/c/zzzzzzz".to_string(),
        "/c/abc".to_string(),
        "//evil.com".to_string(),
        "/%2f%2fevil.com".to_string(),
        "/\\evil.com".to_string(),
        "/c//evil.com".to_string(),
        "/c/%2F%2Fevil.com".to_string(),
        "/c/https:%2F%2Fevil.com".to_string(),
        format!("/c/{valid}%0d%0aLocation:%20https://evil.com"),
        format!("/c/{valid}%0aSet-Cookie:%20a=b"),
        format!("/c/{valid}/..%2F..%2Fevil.com"),
        format!("/c/{valid}/@evil.com"),
        format!("/c/{}", "a".repeat(5000)),
        "/c/%E2%80%AEevil".to_string(),
        "/c/ｅｖｉｌ．ｃｏｍ".to_string(),
        "/dashboard/../c/zzzzzzz".to_string(),
        format!("/c/{valid}/"),
        format!("/c/{valid}/evil.com/x"),
        // Paths are taken as sent: an encoded code is not a code.
        format!("/c/%{:02X}{}", valid.as_bytes()[0], &valid[1..]),
    ];
    for p in &payloads {
        let r = get(&t.addr, p, &[("User-Agent", BROWSER)]);
        assert!(r.status == 404 || r.status == 400 || r.status == 431 || r.status == 414, "{p}: status {}", r.status);
        assert!(!r.headers.contains_key("location"), "{p} redirected to {:?}", r.headers.get("location"));
        assert!(!r.body.contains("evil"), "{p}: the payload is echoed");
        if r.status == 404 {
            assert_eq!(r.headers["x-content-type-options"], "nosniff", "{p}");
            assert!(r.headers["content-security-policy"].contains("default-src 'none'"), "{p}");
        }
    }
    assert_eq!(t.totals(), (0, 0, 0), "nothing is counted");
}

/// A short link answers GET and HEAD only, and a query string changes nothing
/// of where it leads.
#[test]
fn short_links_answer_get_and_head_only_and_ignore_the_query() {
    let (_hub, t, codes) = sqlite_tracker();
    let (code, destination) = (&codes[0].0, &codes[0].1);
    let r = post(&t.addr, &format!("/c/{code}"), "", &[("User-Agent", BROWSER)]);
    assert_eq!(r.status, 405);
    assert_eq!(r.headers["allow"], "GET, HEAD");
    assert!(!r.headers.contains_key("location"));
    let r = get(&t.addr, &format!("/c/{code}?next=//evil.com&url=https://evil.com"), &[("User-Agent", BROWSER)]);
    assert_eq!(r.status, 302);
    assert_eq!(&r.headers["location"], destination, "the registered destination, whatever the query");
    assert_eq!(t.totals(), (1, 0, 1), "only the GET is counted");
}

/// Connection limits: a head over 16 KiB is refused, and a client that never
/// finishes its head (slow loris) is cut off after 10 s, while the tracker
/// keeps answering others.
#[test]
fn oversized_and_unfinished_request_heads_are_cut_off() {
    let (_hub, t, codes) = sqlite_tracker();
    let path = format!("/c/{}", codes[0].0);
    let big = get(&t.addr, &path, &[("User-Agent", BROWSER), ("X-Padding", &"a".repeat(20 * 1024))]);
    assert!(big.status == 431 || big.status == 0, "a 20 KiB head: status {}", big.status);

    let mut slow = TcpStream::connect(&t.addr).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    slow.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\nUser-Agent: {BROWSER}\r\n").as_bytes()).unwrap();
    let started = Instant::now();
    assert_eq!(get(&t.addr, &path, &[("User-Agent", BROWSER)]).status, 302, "others are served meanwhile");
    let mut answer = Vec::new();
    let _ = slow.read_to_end(&mut answer);
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(8) && waited < Duration::from_secs(15), "cut off after {waited:?}");
    assert!(!String::from_utf8_lossy(&answer).contains("302"), "the unfinished request is never served");
    assert_eq!(t.totals().0, 1, "only the finished request counts");
}

#[test]
fn concurrent_clicks_are_all_stored() {
    let (_hub, t, codes) = sqlite_tracker();
    let addr = Arc::new(t.addr.clone());
    let codes = Arc::new(codes);
    let ok = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..16)
        .map(|i| {
            let (addr, codes, ok) = (addr.clone(), codes.clone(), ok.clone());
            std::thread::spawn(move || {
                for j in 0..25 {
                    let code = &codes[(i + j) % codes.len()].0;
                    if get(&addr, &format!("/c/{code}"), &[("User-Agent", BROWSER)]).status == 302 {
                        ok.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for th in threads {
        th.join().unwrap();
    }
    assert_eq!(ok.load(Ordering::Relaxed), 400);
    assert_eq!(t.totals().0, 400, "every acknowledged click is stored");
}

#[test]
fn crash_loses_no_acknowledged_click() {
    let (hub, t, codes) = sqlite_tracker();
    let load = Load::start(&t.addr, &codes[0].0, 8, usize::MAX);
    // Let clicks flow, then kill -9 in the middle of the load.
    let deadline = Instant::now() + Duration::from_secs(10);
    while load.acked() < 300 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut t = t;
    unsafe_kill_9(&mut t.child);
    let acknowledged = load.finish();
    assert!(acknowledged >= 300, "load was running ({acknowledged})");
    let t = t.restart();
    let (people, _, _) = t.totals();
    assert!(people >= acknowledged, "{people} stored < {acknowledged} acknowledged");
    drop(hub);
}

/// Threads clicking one short link over fresh connections, counting the 302s received.
struct Load {
    acked: Arc<AtomicUsize>,
    stop: Arc<std::sync::atomic::AtomicBool>,
    workers: Vec<std::thread::JoinHandle<()>>,
}

impl Load {
    /// `threads` clickers, each sending at most `each` requests (or until stopped or refused).
    fn start(addr: &str, code: &str, threads: usize, each: usize) -> Load {
        let acked = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let workers = (0..threads)
            .map(|_| {
                let (addr, code, acked, stop) = (addr.to_string(), code.to_string(), acked.clone(), stop.clone());
                std::thread::spawn(move || {
                    for _ in 0..each {
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        let Ok(mut s) = TcpStream::connect(&addr) else { break };
                        let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
                        let req = format!("GET /c/{code} HTTP/1.1\r\nHost: x\r\nUser-Agent: {BROWSER}\r\nConnection: close\r\n\r\n");
                        if s.write_all(req.as_bytes()).is_err() {
                            break;
                        }
                        let mut buf = [0u8; 12];
                        if s.read_exact(&mut buf).is_ok() && &buf == b"HTTP/1.1 302" {
                            acked.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                })
            })
            .collect();
        Load { acked, stop, workers }
    }

    fn acked(&self) -> usize {
        self.acked.load(Ordering::Relaxed)
    }

    /// Stops the clickers and returns how many 302s they received.
    fn finish(self) -> i64 {
        self.stop.store(true, Ordering::Relaxed);
        for w in self.workers {
            w.join().unwrap();
        }
        self.acked.load(Ordering::Relaxed) as i64
    }
}

/// SIGKILL, as `kill -9` does: no chance to flush anything.
fn unsafe_kill_9(child: &mut Child) {
    let status = Command::new("kill").args(["-9", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let _ = child.wait();
}

#[test]
fn sigterm_drains_and_commits_before_exit() {
    let (_hub, t, codes) = sqlite_tracker();
    let load = Load::start(&t.addr, &codes[0].0, 8, 200);
    while load.acked() < 100 {
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut t = t;
    assert!(Command::new("kill").args(["-TERM", &t.child.id().to_string()]).status().unwrap().success());
    let status = t.child.wait().unwrap();
    assert!(status.success(), "a clean exit on SIGTERM: {status}");
    let acknowledged = load.finish();
    let conn = rusqlite::Connection::open(&t.database).unwrap();
    // One visitor clicking in a loop: past its allowance, clicks are counted per hour, not rows.
    let stored: i64 = conn
        .query_row(
            "SELECT (SELECT COUNT(*) FROM clicks WHERE bot = 0) + (SELECT COALESCE(SUM(clicks), 0) FROM click_counts WHERE bot = 0)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(stored >= acknowledged, "{stored} stored < {acknowledged} acknowledged");
}

#[test]
fn sighup_reloads_links_and_never_forgets_old_ones() {
    let (hub, t, codes) = sqlite_tracker();
    let old = codes[0].0.clone();
    // A new campaign, and the old ones removed from the hub.
    for f in ["salon.md", "rapport.md"] {
        std::fs::remove_file(hub.path(&format!("content/campagnes/{f}"))).unwrap();
    }
    hub.write(
        "content/campagnes/neuve.md",
        "---\ntitle: Neuve\nurl: https://www.acme.example/neuve\nstarts: 2026-11-01\nends: 2026-12-01\nnetworks: [x]\nsnippets:\n  - id: a\n    text: \"Neuve {link} #AcmeTeam\"\n---\n",
    );
    hub.build();
    let new_code = chorus::share::ShortCode::new("neuve", "a", chorus::share::Network::X);
    assert_eq!(get(&t.addr, &format!("/c/{new_code}"), &[("User-Agent", BROWSER)]).status, 404, "not loaded yet");
    t.hang_up();
    let deadline = Instant::now() + Duration::from_secs(10);
    while get(&t.addr, &format!("/c/{new_code}"), &[("User-Agent", BROWSER)]).status != 302 {
        assert!(Instant::now() < deadline, "the new link never arrived");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(get(&t.addr, &format!("/c/{old}"), &[("User-Agent", BROWSER)]).status, 302, "old links keep working");
    // And after a restart too: links live in the database.
    let t = t.restart();
    assert_eq!(get(&t.addr, &format!("/c/{old}"), &[("User-Agent", BROWSER)]).status, 302);
}

#[test]
fn migrations_run_on_an_empty_database_and_rerun_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = chorus::tracker::store::open(db.to_str().unwrap()).await.unwrap();
        assert_eq!(store.migrate().await.unwrap(), 7);
        assert_eq!(store.migrate().await.unwrap(), 7, "idempotent");
    });
    let conn = rusqlite::Connection::open(&db).unwrap();
    let versions: i64 = conn.query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0)).unwrap();
    assert_eq!(versions, 7);
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let raw_pii: i64 =
        conn.query_row("SELECT COUNT(*) FROM pragma_table_info('clicks') WHERE name IN ('ip', 'user_agent', 'ua')", [], |r| r.get(0)).unwrap();
    assert_eq!(raw_pii, 0, "no column could hold a raw IP or user agent");
}

#[test]
fn admin_routes_need_the_token() {
    let (_hub, t, codes) = sqlite_tracker();
    get(&t.addr, &format!("/c/{}", codes[0].0), &[("User-Agent", BROWSER)]);
    for path in ["/api/v1/stats", "/api/v1/export.csv"] {
        assert_eq!(get(&t.addr, path, &[]).status, 401, "{path}");
        assert_eq!(get(&t.addr, path, &[("Authorization", "Bearer wrong-token-wrong-token")]).status, 401, "{path}");
    }
    let dash = get(&t.addr, "/dashboard", &[]);
    assert_eq!(dash.status, 401);
    assert!(dash.body.contains("<form method=\"post\" action=\"/dashboard/login\""));
    let login = post(&t.addr, "/dashboard/login", &format!("token={TOKEN}"), &[("Content-Type", "application/x-www-form-urlencoded")]);
    assert!(login.status == 303 || login.status == 302 || login.status == 307, "{}", login.status);
    let cookie = login.headers["set-cookie"].split(';').next().unwrap().to_string();
    assert!(login.headers["set-cookie"].contains("HttpOnly") && login.headers["set-cookie"].contains("SameSite=Strict"));
    assert!(!cookie.contains(TOKEN), "the cookie holds a session, not the token: {cookie}");
    let dash = get(&t.addr, "/dashboard", &[("Cookie", &cookie)]);
    assert_eq!(dash.status, 200);
    // A session is the tracker's own: a forged, altered or far-future one is refused.
    let (expires, mac) = cookie.trim_start_matches("chorus_admin=").split_once('.').unwrap();
    let later = expires.parse::<i64>().unwrap() + 3600;
    for forged in [format!("chorus_admin={later}.{mac}"), format!("chorus_admin={expires}.{}", "0".repeat(64)), format!("chorus_admin={TOKEN}")] {
        assert_eq!(get(&t.addr, "/dashboard", &[("Cookie", &forged)]).status, 401, "{forged}");
    }
    assert!(dash.body.contains("<svg role=\"img\"") && dash.body.contains("bots and link previews"), "charts, bots apart");
    let csv = get(&t.addr, "/api/v1/export.csv", &[("Authorization", &format!("Bearer {TOKEN}"))]);
    assert_eq!(csv.status, 200);
    let body = common::dechunk(&csv);
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines[0], "id,time,code,campaign,snippet,network,bot,counted_visitor,ambassador,clicks");
    assert_eq!(lines.len(), 2, "{body}");
    assert!(lines[1].contains(&codes[0].0));
}

#[test]
fn beacons_come_from_the_hub_only_and_are_rate_limited() {
    let (_hub, t, codes) = sqlite_tracker();
    let code = &codes[0].0;
    let body = format!("{{\"event\":\"copy\",\"code\":\"{code}\"}}");
    let hub = [("Origin", "https://hub.test.example"), ("Content-Type", "text/plain;charset=UTF-8")];
    assert_eq!(post(&t.addr, "/e", &body, &hub).status, 204);
    assert_eq!(post(&t.addr, "/e", &body, &[("Origin", "https://evil.example")]).status, 403);
    assert_eq!(post(&t.addr, "/e", "{\"event\":\"copy\",\"code\":\"zzzzzzz\"}", &hub).status, 404);
    assert_eq!(post(&t.addr, "/e", "not json", &hub).status, 400);
    assert_eq!(post(&t.addr, "/e", &"x".repeat(5000), &hub).status, 413, "body size is capped");
    let pre = raw(&t.addr, "OPTIONS /e HTTP/1.1\r\nHost: x\r\nOrigin: https://hub.test.example\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type\r\nConnection: close\r\n\r\n");
    assert_eq!(pre.headers.get("access-control-allow-origin").map(String::as_str), Some("https://hub.test.example"));
    let mut limited = false;
    for _ in 0..60 {
        if post(&t.addr, "/e", &body, &hub).status == 429 {
            limited = true;
            break;
        }
    }
    assert!(limited, "a client sending beacons in a loop is slowed down");
    let totals = get(&t.addr, "/api/v1/campaigns", &[("Origin", "https://hub.test.example")]);
    assert_eq!(totals.status, 200);
    assert_eq!(totals.headers.get("access-control-allow-origin").map(String::as_str), Some("https://hub.test.example"));
    let v: serde_json::Value = serde_json::from_str(&totals.body).unwrap();
    assert!(v["campaigns"][0]["copies"].as_i64().unwrap() >= 1);
}

#[test]
fn ambassador_links_are_counted_for_the_ambassador() {
    let (_hub, t, codes) = sqlite_tracker();
    // The browser keeps a key; the tracker makes the id from it.
    const KEY: &str = "this-browser-key_0123456789abcdef";
    let new_id = |key: &str| post(&t.addr, "/api/v1/ambassador", &format!("{{\"key\":\"{key}\"}}"), &[("Origin", "https://hub.test.example")]);
    let made = new_id(KEY);
    assert_eq!(made.status, 200, "{}", made.body);
    let id = serde_json::from_str::<serde_json::Value>(&made.body).unwrap()["id"].as_str().unwrap().to_string();
    assert!(chorus::tracker::click::is_ambassador_id(&id) && !id.contains(KEY), "{id}");
    assert_eq!(serde_json::from_str::<serde_json::Value>(&new_id(KEY).body).unwrap()["id"], id.as_str(), "one key, one id");
    assert_eq!(new_id("short").status, 400);
    let id = id.as_str();
    let r = get(&t.addr, &format!("/c/{}/{id}", codes[0].0), &[("User-Agent", BROWSER)]);
    assert_eq!((r.status, r.headers["location"].as_str()), (302, codes[0].1.as_str()));
    assert_eq!(get(&t.addr, &format!("/c/{}/bad id", codes[0].0), &[("User-Agent", BROWSER)]).status, 400);
    assert_eq!(get(&t.addr, &format!("/c/{}/short", codes[0].0), &[("User-Agent", BROWSER)]).status, 404);
    let body = format!("{{\"event\":\"share\",\"code\":\"{}\",\"ambassador\":\"{id}\"}}", codes[0].0);
    assert_eq!(post(&t.addr, "/e", &body, &[("Origin", "https://hub.test.example")]).status, 204);
    let mine = get(&t.addr, &format!("/api/v1/ambassador/{id}"), &[]);
    let v: serde_json::Value = serde_json::from_str(&mine.body).unwrap();
    assert_eq!((v["clicks"].as_i64(), v["shares"].as_i64(), v["copies"].as_i64()), (Some(1), Some(1), Some(0)));

    // The leaderboard shows only those who chose a name.
    let board = |t: &Tracker| -> serde_json::Value { serde_json::from_str(&get(&t.addr, "/api/v1/leaderboard", &[]).body).unwrap() };
    assert_eq!(board(&t)["leaderboard"], serde_json::json!([]));
    let send = |method: &str, body: &str| {
        raw(&t.addr, &format!("{method} /api/v1/ambassador/{id} HTTP/1.1\r\nHost: x\r\nOrigin: https://hub.test.example\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()))
    };
    let name = |name: &str, key: &str| format!("{{\"name\":\"{name}\",\"key\":\"{key}\"}}");
    // The id is in every shared link: knowing it is not enough to name or remove anyone.
    assert_eq!(send("PUT", "{\"name\":\"Camille D.\"}").status, 400, "no key");
    assert_eq!(send("PUT", &name("Someone else", "another-browser-key_0123456789")).status, 403);
    assert_eq!(send("PUT", &name("<script>", KEY)).status, 400, "markup is refused");
    assert_eq!(send("PUT", &name("Camille  D.", KEY)).status, 204);
    assert_eq!(board(&t)["leaderboard"], serde_json::json!([{ "name": "Camille D.", "clicks": 1, "visitors": 1 }]));
    assert_eq!(send("DELETE", "").status, 403, "no key");
    assert_eq!(send("DELETE", "{\"key\":\"another-browser-key_0123456789\"}").status, 403);
    assert_eq!(board(&t)["leaderboard"], serde_json::json!([{ "name": "Camille D.", "clicks": 1, "visitors": 1 }]), "still there");
    assert_eq!(send("DELETE", &format!("{{\"key\":\"{KEY}\"}}")).status, 204);
    assert_eq!(board(&t)["leaderboard"], serde_json::json!([]), "leaving removes the name");
}

#[test]
fn health_readiness_and_metrics() {
    let (_hub, t, codes) = sqlite_tracker();
    get(&t.addr, &format!("/c/{}", codes[0].0), &[("User-Agent", BROWSER)]);
    assert_eq!(get(&t.addr, "/healthz", &[]).status, 200);
    assert_eq!(get(&t.addr, "/readyz", &[]).status, 200);
    let anonymous = get(&t.addr, "/metrics", &[]);
    assert_eq!(anonymous.status, 401, "the totals are not public");
    assert!(!anonymous.body.contains("chorus_clicks_total"));
    let m = get(&t.addr, "/metrics", &[("Authorization", &format!("Bearer {TOKEN}"))]).body;
    assert!(m.contains("chorus_clicks_total{kind=\"human\"} 1"), "{m}");
    assert!(m.contains("chorus_commit_batch_size_count"), "{m}");
    assert!(m.contains("chorus_commit_seconds_bucket{le=\"+Inf\"}"), "{m}");
}

/// PostgreSQL: one schema per test run, dropped afterwards.
#[test]
fn postgres_backend_counts_and_survives_a_restart() {
    let Some(schema) = PgSchema::create("test") else { return };
    let url = schema.url.clone();
    let (_hub, links) = built_hub();
    let codes = codes(&links);
    let t = Tracker::start(&url, &links);
    let path = format!("/c/{}", codes[0].0);
    assert_eq!(get(&t.addr, &path, &[("User-Agent", BROWSER)]).status, 302);
    assert_eq!(get(&t.addr, &path, &[("User-Agent", "curl/8.5.0")]).status, 302);
    assert_eq!(t.totals(), (1, 1, 1));
    let t = t.restart();
    assert_eq!(get(&t.addr, &path, &[("User-Agent", BROWSER)]).status, 302);
    assert_eq!(t.totals(), (2, 1, 1), "the same visitor on the same day");
    // The server drops the writer's connection (a restart, a failover, an idle
    // timeout): the next click is committed on a new one, not refused.
    let killed: i64 = schema
        .query_one(
            "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1 AND query = 'COMMIT'",
            &[&chorus::tracker::store::WRITER_APPLICATION_NAME],
        )
        .get(0);
    assert!(killed >= 1, "the writer's connection was found");
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(get(&t.addr, &path, &[("User-Agent", BROWSER)]).status, 302, "a new connection, not a 503");
    assert_eq!(t.totals(), (3, 1, 1));
    let report =
        Command::new(env!("CARGO_BIN_EXE_chorus")).args(["report", "--database", &url, "--by", "network", "--format", "csv"]).output().unwrap();
    assert!(report.status.success(), "{}", String::from_utf8_lossy(&report.stderr));
    let csv = String::from_utf8_lossy(&report.stdout);
    assert!(csv.starts_with("network,clicks,visitors,shares,copies,bots\n"), "{csv}");
    assert!(csv.contains(",3,1,0,0,1"), "{csv}");
    drop(t);
    // The roll-up on the same schema, its state moved back as on a tracker
    // that has run for a while.
    let name = &schema.name;
    schema.batch_execute(&format!("TRUNCATE {name}.clicks, {name}.events"));
    totals_survive_the_roll_up(&url, &links, |hour| {
        schema.execute(&format!("UPDATE {name}.rollup_state SET through_hour = $1"), &[&hour]);
    });
    salts_of_past_days_are_destroyed(&url);
}

/// A day's salt is stable while its day lasts, and `forget_salts` destroys
/// it once the day is over: asked for again, it comes back as another salt.
fn salts_of_past_days_are_destroyed(database: &str) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = chorus::tracker::store::open(database).await.unwrap();
        store.migrate().await.unwrap();
        let today = chorus::tracker::visitor::day(chorus::tracker::click::now_ms());
        let yesterday = store.salt(today - 1).await.unwrap();
        assert_eq!(store.salt(today - 1).await.unwrap(), yesterday, "one salt per day");
        store.forget_salts(today - 1).await.unwrap();
        assert_eq!(store.salt(today - 1).await.unwrap(), yesterday, "a day's own salt is kept");
        store.forget_salts(today).await.unwrap();
        assert_ne!(store.salt(today - 1).await.unwrap(), yesterday, "destroyed once its day is over");
    });
}

/// Rollups are computed after the fact: clicks over the last hours, totals
/// read (from the raw rows), the closed hours rolled up, totals read again:
/// the same figures, now from `hourly`; a second roll-up has nothing to do.
/// `rewind` moves the roll-up state back `hours` hours, as on a tracker that
/// has run for a while.
fn totals_survive_the_roll_up(database: &str, links: &Path, rewind: impl FnOnce(i64)) {
    use chorus::tracker::click::{now_ms, Click, Event, EventKind};
    use chorus::tracker::store::{GroupBy, StatsQuery};
    const HOUR: i64 = 3_600_000;
    let rt = tokio::runtime::Runtime::new().unwrap();
    let links = chorus::tracker::read_links(links).unwrap();
    let store = rt.block_on(async {
        let store = chorus::tracker::store::open(database).await.unwrap();
        store.migrate().await.unwrap();
        store.upsert_links(&links).await.unwrap();
        store
    });
    let now = now_ms();
    rewind(now.div_euclid(HOUR) - 4);
    let (a, b) = (links[0].code.as_str().to_string(), links[links.len() - 1].code.as_str().to_string());
    let click = |ago: i64, code: &str, bot: bool, visitor: u8| Click {
        at_ms: now - ago,
        code: code.to_string(),
        ambassador: None,
        bot,
        visitor: (!bot).then_some([visitor; 16]),
        aggregate: false,
    };
    let clicks = [
        click(3 * HOUR, &a, false, 1),
        click(3 * HOUR, &a, true, 0),
        click(3 * HOUR - 1, &a, false, 1),
        click(2 * HOUR, &b, false, 2),
        click(0, &a, false, 3),
    ];
    let event = |ago: i64, code: &str, kind| Event { at_ms: now - ago, code: code.to_string(), kind, ambassador: None, visitor: None };
    let events = [event(3 * HOUR, &a, EventKind::Copy), event(2 * HOUR, &b, EventKind::Share), event(0, &a, EventKind::Copy)];
    let mut committer = rt.block_on(store.committers()).unwrap().remove(0);
    committer.commit(&clicks, &events, &[]).unwrap();
    drop(committer);
    let figures = || {
        rt.block_on(async {
            let by = |by| StatsQuery { by, ..StatsQuery::default() };
            (
                store.stats(&by(GroupBy::Day)).await.unwrap(),
                store.stats(&by(GroupBy::Campaign)).await.unwrap(),
                store.campaign_totals().await.unwrap(),
            )
        })
    };
    let before = figures();
    let humans: i64 = before.1.iter().map(|r| r.clicks).sum();
    let (bots, copies, shares): (i64, i64, i64) =
        (before.1.iter().map(|r| r.bots).sum(), before.1.iter().map(|r| r.copies).sum(), before.1.iter().map(|r| r.shares).sum());
    assert_eq!((humans, bots, copies, shares), (4, 1, 2, 1), "{before:?}");
    let closed = rt.block_on(store.roll_up(now)).unwrap();
    assert!((3..=4).contains(&closed), "hours closed: {closed}");
    assert_eq!(figures(), before, "the same totals once rolled up");
    assert_eq!(rt.block_on(store.roll_up(now)).unwrap(), 0, "nothing left to close");
    assert_eq!(figures(), before);
}

#[test]
fn sqlite_rollups_after_the_fact_keep_totals() {
    let (_hub, links) = built_hub();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    totals_survive_the_roll_up(db.to_str().unwrap(), &links, |hour| {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute("UPDATE rollup_state SET through_hour = ?1", [hour]).unwrap();
    });
    let conn = rusqlite::Connection::open(&db).unwrap();
    let rolled: i64 = conn.query_row("SELECT SUM(humans) FROM hourly", [], |r| r.get(0)).unwrap();
    assert_eq!(rolled, 3, "the three clicks of closed hours are in the rollups");
    salts_of_past_days_are_destroyed(db.to_str().unwrap());
}

#[test]
fn report_prints_sqlite_figures() {
    let (hub, t, codes) = sqlite_tracker();
    get(&t.addr, &format!("/c/{}", codes[0].0), &[("User-Agent", BROWSER)]);
    drop(t);
    let out = Command::new(env!("CARGO_BIN_EXE_chorus"))
        .args(["report", "--database", hub.path("tracker.db").to_str().unwrap(), "--by", "campaign", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["rows"][0]["clicks"], 1);
}
