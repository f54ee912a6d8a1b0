//! A `chorus serve` process for tests: started on a free port, its printed
//! lines collected, its live-reload websocket at hand.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tungstenite::{Message, WebSocket};

use super::Hub;

const TIMEOUT: Duration = Duration::from_secs(30);

/// A running `chorus serve`, killed on drop.
pub struct Serve {
    child: Child,
    /// `127.0.0.1:port` of the site.
    pub addr: String,
    /// The embedded tracker's URL, once printed.
    pub tracker: Option<String>,
    lines: mpsc::Receiver<String>,
}

impl Serve {
    /// Starts `chorus serve --port 0` on the hub and waits until it serves.
    pub fn start(hub: &Hub, extra: &[&str]) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_chorus"))
            .args(["serve", "--port", "0", "--now", "2026-11-25", "--color", "never", "--root"])
            .arg(hub.root())
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start chorus serve");
        let (tx, lines) = mpsc::channel();
        for stream in [Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>, Box::new(child.stderr.take().unwrap())] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        let mut serve = Serve { child, addr: String::new(), tracker: None, lines };
        let serving = serve.wait_line("the server to start", |l| l.starts_with("Serving "));
        serve.addr = serving.split("http://").nth(1).unwrap().split('/').next().unwrap().to_string();
        serve
    }

    /// Waits for a printed line (stdout or stderr) matching `wanted`.
    pub fn wait_line(&mut self, what: &str, wanted: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + TIMEOUT;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    if let Some(url) = line.strip_prefix("Tracker on ") {
                        self.tracker = url.split_whitespace().next().map(str::to_string);
                    }
                    if wanted(&line) {
                        return line;
                    }
                    seen.push(line);
                }
                Err(_) => panic!("timed out waiting for {what}; printed so far:\n{}", seen.join("\n")),
            }
        }
    }

    /// GET a path of the site.
    pub fn get(&self, path: &str) -> super::Response {
        super::get(&self.addr, path, &[])
    }

    /// A websocket on the live-reload endpoint, after its greeting.
    pub fn live(&self) -> (WebSocket<TcpStream>, String) {
        let stream = TcpStream::connect(&self.addr).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        let (mut socket, _) = tungstenite::client(format!("ws://{}/__chorus/livereload", self.addr), stream).expect("websocket handshake");
        let greeting = next_message(&mut socket);
        (socket, greeting)
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The next text message, or a panic after the socket's read timeout.
pub fn next_message(socket: &mut WebSocket<TcpStream>) -> String {
    loop {
        match socket.read().expect("a live-reload message before the timeout") {
            Message::Text(text) => return text.to_string(),
            Message::Close(_) => panic!("the live-reload socket closed"),
            _ => {}
        }
    }
}

/// Replaces the first `from` with `to` in a hub file.
pub fn edit(hub: &Hub, rel: &str, from: &str, to: &str) {
    let text = hub.read(rel);
    assert!(text.contains(from), "{rel} has no `{from}`");
    hub.write(rel, &text.replacen(from, to, 1));
}

impl Serve {
    /// Sends SIGTERM and waits for the exit status (panics after the timeout).
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        // SAFETY: kill(2) on our own child's pid, with a valid signal number.
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for chorus serve") {
                return status;
            }
            assert!(Instant::now() < deadline, "chorus serve did not stop after SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}
