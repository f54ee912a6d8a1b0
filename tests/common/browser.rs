//! Headless Chromium for tests (Debian's `chromium`, over CDP) and a tiny
//! static file server for built sites.
//!
//! Without Chromium a browser test is skipped, unless `CHORUS_TEST_STRICT=1`
//! (as in CI), where a missing browser is a failure.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use headless_chrome::{Browser, LaunchOptions};

pub fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].iter().map(PathBuf::from).find(|p| p.exists())
}

/// Serves `root` over HTTP on a free localhost port (the Clipboard API wants a
/// secure context, which localhost is). Returns the base URL.
pub fn serve(root: &Path) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut request = String::new();
                if reader.read_line(&mut request).is_err() {
                    return;
                }
                let path = request.split_whitespace().nth(1).unwrap_or("/").split('?').next().unwrap_or("/").to_string();
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let mut file = root.join(path.trim_start_matches('/'));
                if file.is_dir() {
                    file = file.join("index.html");
                }
                let (status, body) = match std::fs::read(&file) {
                    Ok(b) if !path.contains("..") => ("200 OK", b),
                    _ => ("404 Not Found", b"not found".to_vec()),
                };
                let kind = match file.extension().and_then(OsStr::to_str) {
                    Some("html") => "text/html; charset=utf-8",
                    Some("css") => "text/css",
                    Some("js") => "text/javascript",
                    Some("svg") => "image/svg+xml",
                    _ => "application/octet-stream",
                };
                let mut out = &stream;
                let _ = write!(out, "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
                let _ = out.write_all(&body);
            });
        }
    });
    format!("http://{addr}")
}

pub fn wait_for<T>(what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    // Generous: the browser tests run side by side, several Chromiums on two cores.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(v) = probe() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Headless Chromium with a browser's user agent (a "HeadlessChrome" one is a bot
/// to the tracker), or `None` when it is not installed and the run is not strict.
pub fn launch(profile: &Path) -> Option<Browser> {
    let Some(chrome) = chromium() else {
        assert!(!super::strict(), "CHORUS_TEST_STRICT=1 and no Chromium: apt-get install -y chromium");
        eprintln!("skipped: no Chromium (apt-get install -y chromium)");
        return None;
    };
    let args: Vec<&OsStr> = [
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-gpu",
        "--disable-quic",
        "--user-agent=Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    Some(
        Browser::new(LaunchOptions {
            headless: true,
            sandbox: false,
            path: Some(chrome),
            user_data_dir: Some(profile.to_path_buf()),
            args,
            idle_browser_timeout: Duration::from_secs(60),
            ..LaunchOptions::default()
        })
        .expect("Chromium starts"),
    )
}

pub fn text_of(tab: &headless_chrome::Tab, js: &str) -> String {
    tab.evaluate(js, false).ok().and_then(|r| r.value).and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// Lets pages of `origin` read and write the clipboard (Copy buttons, and the
/// test reading what they copied).
pub fn grant_clipboard(tab: &headless_chrome::Tab, origin: &str) {
    use headless_chrome::protocol::cdp::Browser::{GrantPermissions, PermissionType};
    tab.call_method(GrantPermissions {
        permissions: vec![PermissionType::ClipboardReadWrite, PermissionType::ClipboardSanitizedWrite],
        origin: Some(origin.to_string()),
        browser_context_id: None,
    })
    .expect("clipboard permission");
}
