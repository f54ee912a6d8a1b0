//! `chorus track` under the attacks and failures an internet-facing service
//! meets: token guessing, idle-connection floods, a full disk, a killed
//! database connection, hostile or odd `links.json` entries. The real binary,
//! real SQLite and PostgreSQL, real TCP.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use common::tracker::{built_hub, codes, sqlite_tracker, PgSchema, Tracker, BROWSER, TOKEN};
use common::{get, post, Hub};

/// A GET sent from the loopback address `from` (any of 127.0.0.0/8), so
/// that the tracker sees another client.
fn get_from(from: &str, addr: &str, path: &str, extra: &[(&str, &str)]) -> common::Response {
    get_from_within(Duration::from_secs(10), from, addr, path, extra)
}

/// [`get_from`], the answer awaited at most `wait` (status 0 without one).
fn get_from_within(wait: Duration, from: &str, addr: &str, path: &str, extra: &[(&str, &str)]) -> common::Response {
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in extra {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    let mut stream = connect_from(from, addr).expect("connect");
    stream.set_read_timeout(Some(wait)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).to_string();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let headers =
        head.lines().skip(1).filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string())).collect();
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

/// One value of the tracker's /metrics.
fn metric(addr: &str, name: &str) -> u64 {
    let metrics = get(addr, "/metrics", &[("Authorization", &format!("Bearer {TOKEN}"))]).body;
    let line = metrics.lines().find(|l| l.starts_with(&format!("{name} "))).unwrap_or_else(|| panic!("no {name} in {metrics}"));
    line.rsplit(' ').next().unwrap().parse().unwrap()
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
    assert_eq!(metric(&t.addr, "chorus_auth_throttled_total"), 2, "counted in /metrics");

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

// --- links.json, a contract -------------------------------------------------

/// A manifest written by another tool, or by a newer chorus: links without
/// `lang`, fields this version does not know, a network it does not know.
/// It loads; every link redirects; a link without `lang` takes the
/// manifest's default language.
#[test]
fn a_manifest_without_lang_with_unknown_fields_and_networks_loads() {
    let (hub, links) = built_hub();
    let mut manifest: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&links).unwrap()).unwrap();
    assert_eq!(manifest["default_language"], "fr", "the builder names the hub's default language");
    manifest["builder"] = serde_json::json!({"name": "another tool", "version": "9"});
    for link in manifest["links"].as_array_mut().unwrap() {
        link.as_object_mut().unwrap().remove("lang");
        link["weight"] = serde_json::json!(3);
    }
    manifest["links"][0]["network"] = serde_json::json!("reddit");
    std::fs::write(&links, serde_json::to_string(&manifest).unwrap()).unwrap();
    let db = hub.path("tracker.db");
    let t = Tracker::start(db.to_str().unwrap(), &links);
    for (code, url) in codes(&links) {
        let r = get(&t.addr, &format!("/c/{code}"), &[("User-Agent", BROWSER)]);
        assert_eq!((r.status, r.headers.get("location")), (302, Some(&url)), "{code}");
    }
    let stats = get(&t.addr, "/api/v1/stats?by=network", &[("Authorization", &format!("Bearer {TOKEN}"))]);
    assert!(stats.body.contains("\"key\":\"reddit\""), "the unknown network is counted under its name: {}", stats.body);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let langs: Vec<String> =
        conn.prepare("SELECT DISTINCT lang FROM links").unwrap().query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    assert_eq!(langs, vec!["fr".to_string()]);

    // An older manifest, without a default language either, loads as well.
    manifest.as_object_mut().unwrap().remove("default_language");
    std::fs::write(&links, serde_json::to_string(&manifest).unwrap()).unwrap();
    let links = chorus::tracker::read_links(&links).expect("loads");
    assert_eq!(links.len(), codes(&hub.path("public/_chorus/links.json")).len());
}

// --- Unsafe and international destinations --------------------------------

/// `chorus build` refuses a campaign `url` the tracker would not redirect
/// to, naming the file and line.
#[test]
fn build_refuses_an_unsafe_campaign_url_with_its_line() {
    for (url, why) in [
        ("\"https://www.acme.example/ok\\r\\nSet-Cookie: a=1\"", "control character"),
        ("\"javascript:alert(1)\"", "scheme is `javascript`"),
        ("\"data:text/html,hi\"", "scheme is `data`"),
        ("\"https://www.acme.example@evil.example/\"", "user name or password"),
        ("\"https:\"", "not a URL"),
    ] {
        let hub = Hub::copy("basic");
        let page = hub.read("content/campagnes/salon.md").replace("\"https://www.acme.example/salon?ref=hub#inscription\"", url);
        hub.write("content/campagnes/salon.md", &page);
        let run = hub.chorus(&["build", "--now", "2026-11-25"]);
        assert_eq!(run.code, 1, "{url}: {}", run.stderr);
        assert!(run.stderr.contains("salon.md:4:"), "{url}: file and line of `url`: {}", run.stderr);
        assert!(run.stderr.contains(why), "{url}: {}", run.stderr);
        assert!(!hub.path("public/_chorus/links.json").exists(), "nothing written");
    }
}

/// A destination with non-ASCII characters is percent-encoded, its
/// international host in punycode, in links.json and so in `Location`.
#[test]
fn international_destinations_are_encoded_in_links_json_and_location() {
    let hub = Hub::copy("basic");
    let page =
        hub.read("content/campagnes/salon.md").replace("https://www.acme.example/salon?ref=hub#inscription", "https://café.example/été?ref=ç#à");
    hub.write("content/campagnes/salon.md", &page);
    hub.build();
    let links = hub.path("public/_chorus/links.json");
    let salon: Vec<(String, String)> = codes(&links).into_iter().filter(|(_, url)| url.contains("salon-2027")).collect();
    assert!(!salon.is_empty());
    for (_, url) in &salon {
        assert!(url.starts_with("https://xn--caf-dma.example/%C3%A9t%C3%A9?ref=%C3%A7&utm_source="), "{url}");
        assert!(url.ends_with("#%C3%A0"), "{url}");
    }
    let t = Tracker::start(hub.path("tracker.db").to_str().unwrap(), &links);
    let r = get(&t.addr, &format!("/c/{}", salon[0].0), &[("User-Agent", BROWSER)]);
    assert_eq!((r.status, r.headers.get("location")), (302, Some(&salon[0].1)));
}

/// links.json written by hand or by another tool with unsafe destinations:
/// each is left out with its code in the log, at start and on SIGHUP; a
/// non-ASCII one is encoded, not dropped.
#[test]
fn unsafe_links_are_left_out_and_logged_with_their_code() {
    let (hub, links) = built_hub();
    let mut manifest: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&links).unwrap()).unwrap();
    let bad = [
        ("jjjjjjj", "javascript:alert(1)"),
        ("ddddddd", "data:text/html,hi"),
        ("hhhhhhh", "https:///"),
        ("rrrrrrr", "https://a.example/\r\nSet-Cookie: x=1"),
    ];
    let link = |code: &str, url: &str| serde_json::json!({"code": code, "url": url, "campaign": "c", "snippet": "s", "network": "x", "title": "T"});
    for (code, url) in bad {
        manifest["links"].as_array_mut().unwrap().push(link(code, url));
    }
    manifest["links"].as_array_mut().unwrap().push(link("iiiiiii", "https://bücher.example/ça"));
    std::fs::write(&links, serde_json::to_string(&manifest).unwrap()).unwrap();
    let t = Tracker::start(hub.path("tracker.db").to_str().unwrap(), &links);
    for (code, _) in bad {
        t.wait_for_log(&format!("link {code} left out, its destination is unsafe"));
        assert_eq!(get(&t.addr, &format!("/c/{code}"), &[("User-Agent", BROWSER)]).status, 404, "{code}");
    }
    let r = get(&t.addr, "/c/iiiiiii", &[("User-Agent", BROWSER)]);
    assert_eq!((r.status, r.headers.get("location").map(String::as_str)), (302, Some("https://xn--bcher-kva.example/%C3%A7a")));
    let before = t.log().matches("left out").count();
    t.hang_up();
    let deadline = Instant::now() + Duration::from_secs(20);
    while t.log().matches("left out").count() < before + bad.len() {
        assert!(Instant::now() < deadline, "SIGHUP did not log the unsafe links again:\n{}", t.log());
        std::thread::sleep(Duration::from_millis(20));
    }
}

// --- Readiness -------------------------------------------------------------

/// `/readyz` means "clicks can be committed": with the database's file
/// unable to grow (the tracker's RLIMIT_FSIZE set to the WAL's size, as a
/// full disk would), clicks get 503 and so does `/readyz`; once the file
/// can grow again, `/readyz` finds it out by itself and clicks go through.
#[test]
fn readyz_is_not_ready_while_commits_fail() {
    let (hub, links) = built_hub();
    let db = hub.path("tracker.db");
    // SIGXFSZ ignored (it survives exec): a write past the limit fails
    // with EFBIG, as on a full disk, instead of killing the process.
    let wrapper = ["sh", "-c", "trap '' XFSZ; exec \"$0\" \"$@\""];
    let t = Tracker::options().wrapper(&wrapper).start(db.to_str().unwrap(), &links);
    let path = format!("/c/{}", codes(&links)[0].0);
    assert_eq!(get(&t.addr, &path, &[("User-Agent", BROWSER)]).status, 302);
    assert_eq!(get(&t.addr, "/readyz", &[]).status, 200);

    let wal = std::fs::metadata(hub.path("tracker.db-wal")).unwrap().len();
    let limit = |size: &str| {
        let pid = t.child.id().to_string();
        // The soft limit only: raising a hard limit back may need a capability.
        let status = Command::new("prlimit").args(["--pid", &pid, &format!("--fsize={size}:")]).status().expect("prlimit");
        assert!(status.success());
    };
    limit(&wal.to_string());
    assert_eq!(get(&t.addr, &path, &[("User-Agent", BROWSER)]).status, 503, "the click cannot be committed");
    let ready = get(&t.addr, "/readyz", &[]);
    assert_eq!(ready.status, 503, "not ready while commits fail: {}", ready.body);
    assert!(!ready.body.contains("EFBIG") && !ready.body.contains("SQLite"), "no error text to the client: {}", ready.body);
    assert_eq!(get(&t.addr, "/readyz", &[]).status, 503, "still not ready: the probe fails too");

    limit("unlimited");
    assert_eq!(get(&t.addr, "/readyz", &[]).status, 200, "ready again without a click");
    assert_eq!(get(&t.addr, &path, &[("User-Agent", BROWSER)]).status, 302);
    assert_eq!(get(&t.addr, "/readyz", &[]).status, 200);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (clicks, probes): (i64, i64) = conn
        .query_row("SELECT (SELECT COUNT(*) FROM clicks), (SELECT COUNT(*) FROM salts WHERE day = -1)", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!((clicks, probes), (2, 0), "the two acknowledged clicks, nothing left by the probes");
}

// --- PostgreSQL writer connection lost mid-batch ---------------------------

/// Clickers over fresh connections, each sending `each` requests: how many
/// got a 302, and what else came back.
fn click_load(addr: &str, code: &str, threads: usize, each: usize) -> Vec<std::thread::JoinHandle<(usize, Vec<String>)>> {
    (0..threads)
        .map(|_| {
            let (addr, code) = (addr.to_string(), code.to_string());
            std::thread::spawn(move || {
                let (mut found, mut other) = (0, Vec::new());
                for _ in 0..each {
                    let r = get(&addr, &format!("/c/{code}"), &[("User-Agent", BROWSER)]);
                    match r.status {
                        302 => found += 1,
                        status => other.push(format!("{status} {}", r.body.trim())),
                    }
                }
                (found, other)
            })
        })
        .collect()
}

/// The server ends the writer's connection while batches are in flight
/// (`pg_terminate_backend` on the connection named in `pg_stat_activity`,
/// caught in the middle of a statement): each batch it hit is committed
/// again on a new connection, or found committed already. No request gets
/// a 503, and every 302 is stored exactly once.
#[test]
fn postgres_writer_killed_mid_batch_loses_and_doubles_nothing() {
    let Some(schema) = PgSchema::create("defence") else { return };
    let url = &schema.url;
    let (_hub, links) = built_hub();
    let code = codes(&links)[0].0.clone();
    let t = Tracker::start(url, &links);
    let load = click_load(&t.addr, &code, 8, 250);
    let mut kills = 0;
    while !load.iter().all(|w| w.is_finished()) && kills < 8 {
        // Only a connection in the middle of a batch: running a statement,
        // or between the batch's statements.
        let killed: i64 = schema
            .query_one(
                "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
                 WHERE application_name = $1 AND state IN ('active', 'idle in transaction')",
                &[&chorus::tracker::store::WRITER_APPLICATION_NAME],
            )
            .get(0);
        if killed > 0 {
            kills += 1;
            // One kill at a time: the new connection does its work first.
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    let (mut found, mut other) = (0, Vec::new());
    for w in load {
        let (f, o) = w.join().unwrap();
        found += f;
        other.extend(o);
    }
    assert!(kills >= 3, "the writer was caught mid-batch only {kills} times");
    assert!(t.log().contains("the writer's connection was lost mid-batch"), "a batch was hit: {}", t.log());
    assert_eq!(other, Vec::<String>::new(), "no click refused");
    // One client's clicks past its allowance are counted per hour rather than stored one by one.
    let name = &schema.name;
    let stored: i64 = schema
        .query_one(&format!("SELECT (SELECT COUNT(*) FROM {name}.clicks) + (SELECT COALESCE(SUM(clicks), 0) FROM {name}.click_counts)::BIGINT"), &[])
        .get(0);
    assert_eq!(stored, found as i64, "every 302 stored, none twice");
    drop(t);
    // The write probe of /readyz, on PostgreSQL: it commits and leaves nothing.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = chorus::tracker::store::open(url).await.unwrap();
        store.probe_write().await.expect("the probe commits");
    });
    let left: i64 = schema.query_one(&format!("SELECT COUNT(*) FROM {name}.salts WHERE day = -1"), &[]).get(0);
    assert_eq!(left, 0);
}

// --- Idle-connection floods ------------------------------------------------

/// How long a client waits for its answer during a flood: less than the
/// [`HEAD_TIMEOUT`] after which the flood's connections would be closed
/// anyway (and their file descriptors free again), so an answer within it
/// is one the flood did not hold up.
const DURING_FLOOD: Duration = Duration::from_secs(HEAD_TIMEOUT.as_secs() / 2);

/// `chorus track`'s time for a request head (server.rs, HEADER_READ_TIMEOUT).
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// `count` idle connections to `addr` from each of the local addresses `from`.
fn idle_flood(from: &[String], addr: &str, count: usize) -> Vec<TcpStream> {
    // This test process holds the flood's side of every connection.
    chorus::tracker::connections::raise_open_file_limit().unwrap();
    let mut flood = Vec::new();
    for source in from {
        for _ in 0..count {
            match connect_from(source, addr) {
                Ok(stream) => flood.push(stream),
                // The listen queue is full: the flood has done what it can.
                Err(_) => break,
            }
        }
    }
    flood
}

/// Waits until the tracker has closed at least `at_least` of the flood's
/// connections; returns how many it closed.
fn wait_closed(flood: &[TcpStream], at_least: usize) -> usize {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let closed = flood
            .iter()
            .filter(|s| {
                s.set_nonblocking(true).unwrap();
                let mut byte = [0u8; 1];
                match (&**s).read(&mut byte) {
                    Ok(0) => true,
                    Ok(_) => false,
                    Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
                }
            })
            .count();
        if closed >= at_least || Instant::now() > deadline {
            return closed;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A response's head (a redirect has no body), read up to its blank line.
fn response_head(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
        head.push(byte[0]);
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// The soft open-file limit of a running process, from /proc/<pid>/limits.
fn soft_open_files(pid: u32) -> u64 {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let line = limits.lines().find(|l| l.starts_with("Max open files")).unwrap();
    line.split_whitespace().nth(3).unwrap().parse().unwrap()
}

/// At start the tracker raises its soft open-file limit to the hard one.
#[test]
fn the_soft_open_file_limit_is_raised_to_the_hard_one() {
    let (hub, links) = built_hub();
    let t = Tracker::options().wrapper(&["prlimit", "--nofile=128:4096", "--"]).start(hub.path("tracker.db").to_str().unwrap(), &links);
    assert_eq!(soft_open_files(t.child.id()), 4096);
}

/// One address opens many idle connections (far more than its soft
/// open-file limit of 128 would have held): it keeps at most its share,
/// its oldest idle ones closed to make room, and the tracker answers others
/// at once, and that address too.
#[test]
fn an_idle_flood_from_one_address_does_not_starve_anyone() {
    let (hub, links) = built_hub();
    let t = Tracker::options().wrapper(&["prlimit", "--nofile=128:4096", "--"]).start(hub.path("tracker.db").to_str().unwrap(), &links);
    let code = codes(&links)[0].0.clone();
    let flood = idle_flood(&["127.0.0.7".to_string()], &t.addr, 600);
    assert_eq!(flood.len(), 600);
    let other = get_from_within(DURING_FLOOD, "127.0.0.8", &t.addr, &format!("/c/{code}"), &[("User-Agent", BROWSER)]);
    assert_eq!(other.status, 302, "another client is answered");
    let same = get_from_within(DURING_FLOOD, "127.0.0.7", &t.addr, &format!("/c/{code}"), &[("User-Agent", BROWSER)]);
    assert_eq!(same.status, 302, "the flooding address's next request too, its idle connections making room");
    let closed = wait_closed(&flood, 600 - 256);
    assert!(closed >= 600 - 256, "the address holds 256 connections at most; {closed} of 600 closed");
    let shed = metric(&t.addr, "chorus_connections_closed_total{reason=\"idle\"}");
    assert!(shed >= 600 - 256, "counted in /metrics: {shed}");
}

/// Idle connections from many addresses, more than the open-file limit
/// (256, hard) allows: past three quarters of it, the tracker closes idle
/// connections, the oldest first, and a new client is still answered.
#[test]
fn an_idle_flood_from_many_addresses_is_shed_idle_first() {
    let (hub, links) = built_hub();
    let t = Tracker::options().wrapper(&["prlimit", "--nofile=256:256", "--"]).start(hub.path("tracker.db").to_str().unwrap(), &links);
    let code = codes(&links)[0].0.clone();
    // One keep-alive connection that has been used stays in use.
    let mut used = connect_from("127.0.1.1", &t.addr).unwrap();
    let request = format!("GET /c/{code} HTTP/1.1\r\nHost: x\r\nUser-Agent: {BROWSER}\r\n\r\n");
    used.write_all(request.as_bytes()).unwrap();
    used.set_read_timeout(Some(DURING_FLOOD)).unwrap();
    assert!(response_head(&mut used).starts_with("HTTP/1.1 302"));

    let sources: Vec<String> = (2..10).map(|i| format!("127.0.0.{i}")).collect();
    let flood = idle_flood(&sources, &t.addr, 40);
    assert!(flood.len() >= 256, "more connections than file descriptors: {}", flood.len());
    let new = get_from_within(DURING_FLOOD, "127.0.0.20", &t.addr, &format!("/c/{code}"), &[("User-Agent", BROWSER)]);
    assert_eq!(new.status, 302, "a new client is answered");
    let closed = wait_closed(&flood[..64], 64);
    assert_eq!(closed, 64, "the oldest idle connections were closed first");
    used.write_all(request.as_bytes()).unwrap();
    let again = response_head(&mut used);
    assert!(again.starts_with("HTTP/1.1 302"), "a connection that served a request goes after those that never did: {again:?}");
    assert_eq!(soft_open_files(t.child.id()), 256, "the hard limit could not be passed");
}
