//! Helpers shared by the integration tests: copy a fixture hub to a temporary
//! folder, run the real `chorus` binary on it, and fingerprint output folders.

#![allow(dead_code)]

pub mod browser;
pub mod serve;
pub mod tracker;

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Whether a test that lacks a tool (a browser, a database) must fail rather
/// than skip: `CHORUS_TEST_STRICT=1`, as CI sets it. Any other value, or none,
/// lets such a test skip with a message.
pub fn strict() -> bool {
    std::env::var("CHORUS_TEST_STRICT").is_ok_and(|v| v.trim() == "1")
}

/// A fixture hub copied into a temporary folder (removed on drop).
pub struct Hub {
    pub dir: tempfile::TempDir,
}

impl Hub {
    /// Copies `tests/fixtures/<name>` into a fresh temporary folder.
    pub fn copy(name: &str) -> Hub {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(&src, dir.path());
        Hub { dir }
    }

    /// Copies the sample hub (this repository's `hub.yaml` and `content/`).
    pub fn sample() -> Hub {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::copy(src.join("hub.yaml"), dir.path().join("hub.yaml")).unwrap();
        copy_dir(&src.join("content"), &dir.path().join("content"));
        Hub { dir }
    }

    /// The hub's root.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the hub.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file inside the hub (creating folders).
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Reads a file inside the hub.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
    }

    /// Runs `chorus <args> --root <hub>`.
    pub fn chorus(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_chorus"))
            .args(args)
            .arg("--root")
            .arg(self.root())
            .arg("--color")
            .arg("never")
            .env("NO_COLOR", "1")
            .output()
            .expect("run chorus");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `chorus build --now 2026-11-25 --no-minify`, asserting success.
    pub fn build(&self) -> Run {
        let run = self.chorus(&["build", "--now", "2026-11-25", "--no-minify"]);
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        run
    }
}

/// A finished run of the binary.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

fn copy_dir(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(src).unwrap();
        let target = dst.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, to compare a folder before and after.
pub fn fingerprint(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect()
}

/// The `<main>` element of a page, for snapshots that do not churn with the header and footer.
pub fn main_of(html: &str) -> String {
    let start = html.find("<main").expect("page has <main>");
    let end = html.find("</main>").expect("page has </main>") + "</main>".len();
    html[start..end].to_string()
}

/// A response: status, lowercase header names, body.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: HashMap<String, String>,
    pub body: String,
}

/// The body of a response, its chunked transfer coding undone.
pub fn dechunk(response: &Response) -> String {
    if response.headers.get("transfer-encoding").is_none_or(|v| v != "chunked") {
        return response.body.clone();
    }
    let mut out = String::new();
    let mut rest = response.body.as_str();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&after[..n]);
        rest = &after[n + 2..];
    }
    out
}

/// Sends `raw` (a whole HTTP/1.1 request) and reads the response.
pub fn raw(addr: &str, raw: &str) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).unwrap_or(0);
    let headers = lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string())).collect();
    Response { status, headers, body: body.to_string() }
}

pub fn get(addr: &str, path: &str, extra: &[(&str, &str)]) -> Response {
    let mut req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in extra {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    raw(addr, &req)
}

pub fn post(addr: &str, path: &str, body: &str, extra: &[(&str, &str)]) -> Response {
    let mut req = format!("POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in extra {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    raw(addr, &req)
}

/// The sample hub, built into a temporary folder (minified, as deployed).
pub fn sample_site() -> tempfile::TempDir {
    sample_site_on("2026-11-25")
}

/// The sample hub built for `--now <day>` into `<tmp>/site`.
#[allow(dead_code)]
pub fn sample_site_on(day: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_chorus"))
        .args(["build", "--now", day, "--color", "never", "--root", env!("CARGO_MANIFEST_DIR"), "--output"])
        .arg(out.path().join("site"))
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    out
}
