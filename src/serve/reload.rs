//! Live reload: the messages pushed to open pages over a websocket, and the
//! script that receives them (injected into served HTML only).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tokio::sync::{broadcast, watch};

use crate::diagnostics::Error;

/// The script served at [`SCRIPT_PATH`].
pub const SCRIPT: &str = include_str!("livereload.js");
/// Where the script is served.
pub const SCRIPT_PATH: &str = "/__chorus/livereload.js";
/// Where the websocket is.
pub const SOCKET_PATH: &str = "/__chorus/livereload";

/// One problem, as the overlay shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// `file:line:column`, when known.
    pub location: String,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl From<&Error> for Problem {
    fn from(e: &Error) -> Problem {
        Problem { location: e.location.as_ref().map(ToString::to_string).unwrap_or_default(), message: e.message.clone(), help: e.help.clone() }
    }
}

/// A message to open pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Notice {
    /// The site changed: reload the page.
    Reload,
    /// Only stylesheets changed: fetch them again, keep the page.
    Css,
    /// The last build failed: show these problems over the page.
    Error {
        /// Every problem found.
        errors: Vec<Problem>,
    },
    /// The site is good (sent to a page when it connects), at this build: a
    /// page served by an older build reloads (it missed a change while it
    /// was loading).
    Ok {
        /// The number of the last good build.
        build: u64,
    },
}

/// The live-reload hub: the current state and the pages listening.
#[derive(Debug, Clone)]
pub struct LiveReload {
    sender: broadcast::Sender<Notice>,
    /// Set when the server stops, so that open sockets close and let it.
    closing: watch::Sender<bool>,
    /// The problems of the last build, shown to pages that connect after it.
    state: Arc<RwLock<Option<Vec<Problem>>>>,
    /// Good builds so far; each served page carries the number it was built at.
    build: Arc<AtomicU64>,
}

impl Default for LiveReload {
    fn default() -> Self {
        LiveReload {
            sender: broadcast::channel(64).0,
            closing: watch::Sender::new(false),
            state: Arc::new(RwLock::new(None)),
            build: Arc::new(AtomicU64::new(0)),
        }
    }
}

impl LiveReload {
    /// Tells every open page; a failed build is remembered for pages opened later.
    pub fn send(&self, message: Notice) {
        if matches!(message, Notice::Reload | Notice::Css) {
            self.build.fetch_add(1, Ordering::SeqCst);
        }
        if let Ok(mut state) = self.state.write() {
            *state = match &message {
                Notice::Error { errors } => Some(errors.clone()),
                _ => None,
            };
        }
        // No page open is not an error.
        let _ = self.sender.send(message);
    }

    /// Reports failed-build errors.
    pub fn errors(&self, errors: &[Error]) {
        self.send(Notice::Error { errors: errors.iter().map(Problem::from).collect() });
    }

    /// What a page that connects now is told first.
    fn greeting(&self) -> Notice {
        match self.state.read().ok().and_then(|s| s.clone()) {
            Some(errors) => Notice::Error { errors },
            None => Notice::Ok { build: self.build() },
        }
    }

    /// The number of the last good build.
    pub fn build(&self) -> u64 {
        self.build.load(Ordering::SeqCst)
    }

    /// Closes every open socket: the server is stopping.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }
}

/// `GET /__chorus/livereload`: upgrades to a websocket and forwards
/// messages, for the server's own pages only (see [`super::hosts`]).
pub async fn socket(State(live): State<LiveReload>, headers: HeaderMap, upgrade: WebSocketUpgrade) -> Response {
    if !super::hosts::same_origin(&headers) {
        return (StatusCode::FORBIDDEN, "the live-reload socket is for pages of this server only\n").into_response();
    }
    upgrade.on_upgrade(move |socket| forward(socket, live))
}

async fn forward(mut socket: WebSocket, live: LiveReload) {
    let mut messages = live.sender.subscribe();
    let mut closing = live.closing.subscribe();
    if send(&mut socket, &live.greeting()).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            message = messages.recv() => match message {
                Ok(m) => if send(&mut socket, &m).await.is_err() { return },
                // Fell behind: a reload covers whatever was missed.
                Err(broadcast::error::RecvError::Lagged(_)) => if send(&mut socket, &Notice::Reload).await.is_err() { return },
                Err(broadcast::error::RecvError::Closed) => return,
            },
            _ = closing.changed() => {
                let _ = socket.send(Message::Close(None)).await;
                return;
            }
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
        }
    }
}

async fn send(socket: &mut WebSocket, message: &Notice) -> Result<(), axum::Error> {
    let text = serde_json::to_string(message).unwrap_or_else(|_| "{\"kind\":\"reload\"}".into());
    socket.send(Message::Text(text.into())).await
}

/// Adds the live-reload script to an HTML page, before `</body>` (or at the
/// end), with the number of the build that served it.
pub fn inject(html: &[u8], build: u64) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_PATH}\" data-build=\"{build}\" defer></script>");
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_body_ends() {
        let page = inject(b"<html><body><p>x</p></body></html>", 7);
        assert_eq!(
            String::from_utf8(page).unwrap(),
            "<html><body><p>x</p><script src=\"/__chorus/livereload.js\" data-build=\"7\" defer></script></body></html>"
        );
        assert!(String::from_utf8(inject(b"<p>no body", 0)).unwrap().ends_with("defer></script>"));
    }

    #[test]
    fn messages_are_tagged_json() {
        assert_eq!(serde_json::to_string(&Notice::Reload).unwrap(), r#"{"kind":"reload"}"#);
        let e = Error::in_file("content/a.md", "broken");
        let json = serde_json::to_string(&Notice::Error { errors: vec![Problem::from(&e)] }).unwrap();
        assert_eq!(json, r#"{"kind":"error","errors":[{"location":"content/a.md","message":"broken","help":null}]}"#);
    }

    #[test]
    fn a_failed_build_is_remembered_until_a_good_one() {
        let live = LiveReload::default();
        assert_eq!(live.greeting(), Notice::Ok { build: 0 });
        live.errors(&[Error::in_file("content/a.md", "broken")]);
        assert!(matches!(live.greeting(), Notice::Error { .. }));
        live.send(Notice::Reload);
        assert_eq!(live.greeting(), Notice::Ok { build: 1 }, "pages served before this build reload when they connect");
    }
}
