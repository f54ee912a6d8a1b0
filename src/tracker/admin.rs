//! Who may use the admin routes: the admin token as a bearer token, or a
//! dashboard session signed with a key derived from it; wrong tokens
//! throttled per client ([`super::throttle`]); the dashboard's login and
//! logout.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Form, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::app::App;
use super::click::now_ms;
use super::client::rate_key;
use super::dashboard;
use super::respond::html;

/// The admin cookie the dashboard's login sets.
const ADMIN_COOKIE: &str = "chorus_admin";
/// How long a dashboard login lasts, in seconds.
const SESSION_SECONDS: i64 = 8 * 3600;

impl App {
    /// What the request's credentials allow: a valid dashboard session, or
    /// the admin token as a bearer token (the scheme's name in any case, as
    /// RFC 7235 §2.1 has it). A wrong token counts against the client in
    /// [`App::auth_failures`]; a session cookie is a MAC no one can guess,
    /// so a stale one counts for nothing.
    pub(super) fn access(&self, peer: SocketAddr, headers: &HeaderMap) -> Access {
        let now = now_ms() / 1000;
        let session = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().strip_prefix(&format!("{ADMIN_COOKIE}=")))
            .any(|session| self.session_valid(session, now));
        if session {
            return Access::Admin;
        }
        match headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(bearer_token) {
            Some(token) => self.try_token(peer, headers, token),
            None => Access::Anonymous,
        }
    }

    /// Compares a token the client sent, unless it has sent too many wrong ones lately.
    fn try_token(&self, peer: SocketAddr, headers: &HeaderMap, token: &str) -> Access {
        let (client, now) = (rate_key(self.client_ip(peer, headers)), std::time::Instant::now());
        if let Some(wait) = self.auth_failures.wait(client, now) {
            self.metrics.auth_throttled.fetch_add(1, Ordering::Relaxed);
            return Access::Throttled(wait);
        }
        if self.token_matches(token) {
            return Access::Admin;
        }
        self.auth_failures.failed(client, now);
        Access::Anonymous
    }

    /// The dashboard session for a login at `now` (seconds): its expiry and a
    /// MAC of it under a key derived from the admin token. The cookie never
    /// holds the token itself, and a stolen one is worth [`SESSION_SECONDS`]
    /// at most; changing the token ends every session.
    fn session(&self, now: i64) -> String {
        let expires = now + SESSION_SECONDS;
        format!("{expires}.{}", self.session_mac(expires).to_hex())
    }

    fn session_mac(&self, expires: i64) -> blake3::Hash {
        let key = blake3::derive_key("chorus track 2026 dashboard session", self.admin_token.as_bytes());
        blake3::keyed_hash(&key, expires.to_string().as_bytes())
    }

    /// Whether `session` is one [`App::session`] made and has not expired;
    /// the MAC is compared in constant time (`blake3::Hash` equality).
    fn session_valid(&self, session: &str, now: i64) -> bool {
        let Some((expires, mac)) = session.split_once('.') else { return false };
        let (Ok(expires), Ok(mac)) = (expires.parse::<i64>(), blake3::Hash::from_hex(mac)) else { return false };
        !self.admin_token.is_empty() && (now..=now + SESSION_SECONDS).contains(&expires) && mac == self.session_mac(expires)
    }

    /// Constant-time: both sides are hashed first, so neither the content nor
    /// the length of the token leaks through timing.
    fn token_matches(&self, given: &str) -> bool {
        if self.admin_token.is_empty() {
            return false;
        }
        let a = blake3::hash(given.as_bytes());
        let b = blake3::hash(self.admin_token.as_bytes());
        a.as_bytes().ct_eq(b.as_bytes()).into()
    }
}

/// What a request may see of the admin routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Access {
    /// The admin token or a dashboard session.
    Admin,
    /// No credentials, or wrong ones.
    Anonymous,
    /// Too many wrong tokens from this client: none is compared until then.
    Throttled(Duration),
}

/// The token of an `Authorization: Bearer <token>` value; the scheme's name
/// is case-insensitive and may be followed by several spaces (RFC 7235 §2.1).
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// `401` with the scheme to use.
pub(super) fn unauthorized() -> Response {
    (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")], "a bearer token is required\n").into_response()
}

/// `429` for a client that sent too many wrong tokens, with how long to wait.
pub(super) fn too_many_attempts(wait: Duration) -> Response {
    let seconds = wait.as_secs().max(1).to_string();
    let body = format!("too many wrong tokens from your address; try again in {seconds} s\n");
    (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, seconds)], body).into_response()
}

/// `None` for the admin, else the answer to send instead: `401`, or `429`
/// once the client has sent too many wrong tokens.
pub(super) fn admin_only(app: &App, peer: SocketAddr, headers: &HeaderMap) -> Option<Response> {
    match app.access(peer, headers) {
        Access::Admin => None,
        Access::Anonymous => Some(unauthorized()),
        Access::Throttled(wait) => Some(too_many_attempts(wait)),
    }
}

#[derive(Debug, Deserialize)]
/// The login form.
pub(super) struct Login {
    token: String,
}

/// `POST /dashboard/login`: a session cookie for the right token.
pub(super) async fn login(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<Login>,
) -> Response {
    match app.try_token(peer, &headers, &form.token) {
        Access::Admin => {}
        Access::Anonymous => return html(StatusCode::UNAUTHORIZED, dashboard::login_page(true)),
        Access::Throttled(wait) => return too_many_attempts(wait),
    }
    let secure = headers.get("x-forwarded-proto").is_some_and(|v| v.as_bytes() == b"https");
    let cookie = format!(
        "{ADMIN_COOKIE}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={SESSION_SECONDS}{}",
        app.session(now_ms() / 1000),
        if secure { "; Secure" } else { "" }
    );
    let mut response = Redirect::to("/dashboard").into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// `POST /dashboard/logout`: clears the session cookie and goes back to the
/// login form. (The session is a signed expiry, so a copy taken before
/// stays valid until it expires or the token changes.)
pub(super) async fn logout() -> Response {
    let mut response = Redirect::to("/dashboard").into_response();
    let cleared = format!("{ADMIN_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    if let Ok(value) = HeaderValue::from_str(&cleared) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bearer_scheme_is_case_insensitive() {
        assert_eq!(bearer_token("Bearer abc"), Some("abc"));
        assert_eq!(bearer_token("bearer abc"), Some("abc"));
        assert_eq!(bearer_token("BEARER   abc "), Some("abc"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearer"), None);
        assert_eq!(bearer_token("Bearer "), None);
        assert_eq!(bearer_token("Bearerabc"), None);
    }
}
