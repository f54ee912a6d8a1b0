//! The names the dev server answers to, against DNS rebinding.
//!
//! A page on any web site can point a name it controls at 127.0.0.1 and then
//! read what `chorus serve` serves there (drafts included) as if it were its
//! own origin. The browser tells the server which name it used (`Host`), so
//! the server answers only names that cannot be rebound: an IP address
//! (`127.0.0.1`, `[::1]`, the machine's LAN address with `--bind 0.0.0.0`),
//! `localhost` and its subdomains (RFC 6761, which browsers resolve to
//! loopback themselves), the machine's own host name (and `<name>.local`),
//! and the names given with `--allow-host`. Any other name gets a `421`.
//! Its live-reload websocket, which carries build errors and so draft text,
//! also refuses pages of another origin (`403`): browsers send `Origin` on
//! every websocket handshake and let any page open one.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The host names (not addresses) a server answers to, lowercase.
#[derive(Debug, Clone, Default)]
pub struct AllowedHosts {
    names: Vec<String>,
}

impl AllowedHosts {
    /// `localhost`, this machine's name, and `extra` (from `--allow-host`).
    pub fn new(extra: &[String]) -> AllowedHosts {
        let mut names = vec!["localhost".to_string()];
        if let Some(name) = machine_name() {
            names.push(format!("{name}.local"));
            names.push(name);
        }
        names.extend(extra.iter().map(|n| n.trim_end_matches('.').to_ascii_lowercase()));
        AllowedHosts { names }
    }

    /// Whether a `Host` header value (`name`, `name:port`, `1.2.3.4:port`,
    /// `[::1]:port`) names this server.
    pub fn allows(&self, host: &str) -> bool {
        let Ok(authority) = host.parse::<axum::http::uri::Authority>() else { return false };
        let name = authority.host();
        if name.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>().is_ok() {
            return true;
        }
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        name.ends_with(".localhost") || self.names.contains(&name)
    }
}

/// This machine's host name, lowercase.
#[cfg(unix)]
fn machine_name() -> Option<String> {
    let mut buffer = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname writes at most that much.
    let status = unsafe { libc::gethostname(buffer.as_mut_ptr().cast(), buffer.len()) };
    if status != 0 {
        return None;
    }
    let end = buffer.iter().position(|b| *b == 0).unwrap_or(buffer.len());
    let name = String::from_utf8_lossy(&buffer[..end]).trim().to_ascii_lowercase();
    (!name.is_empty()).then_some(name)
}

/// Elsewhere, no machine name: IP addresses, `localhost` and `--allow-host` only.
#[cfg(not(unix))]
fn machine_name() -> Option<String> {
    None
}

/// Middleware: a request for a name this server does not answer to gets a
/// `421 Misdirected Request` that says what to do. A request without a
/// `Host` (HTTP/1.0, not a browser) is served.
pub async fn guard(State(allowed): State<Arc<AllowedHosts>>, request: Request, next: Next) -> Response {
    let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok()).map(str::to_string);
    let host = host.or_else(|| request.uri().authority().map(ToString::to_string));
    match host {
        Some(host) if !allowed.allows(&host) => (
            StatusCode::MISDIRECTED_REQUEST,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!(
                "chorus serve does not answer to the name `{host}`: only to IP addresses, localhost and this machine's name, \
                 so that no web site can read the preview through a name of its own (DNS rebinding).\n\
                 To use this name, start it with `chorus serve --allow-host {}`.\n",
                host.parse::<axum::http::uri::Authority>().map_or(host.clone(), |a| a.host().to_string())
            ),
        )
            .into_response(),
        _ => next.run(request).await,
    }
}

/// Whether a websocket handshake comes from a page of this server: its
/// `Origin`, when there is one, is `http://` followed by the `Host` it asked for.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else { return true };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    let origin = origin.to_str().unwrap_or_default();
    !host.is_empty() && origin.strip_prefix("http://").is_some_and(|o| o.eq_ignore_ascii_case(host))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_localhost_and_given_names_are_allowed() {
        let allowed = AllowedHosts::new(&["preview.corp.example".into()]);
        for host in [
            "127.0.0.1:1111",
            "127.0.0.1",
            "[::1]:1111",
            "[::1]",
            "192.168.1.20:1111",
            "localhost:1111",
            "LOCALHOST",
            "app.localhost:1111",
            "localhost.:1111",
            "preview.corp.example:1111",
            "Preview.Corp.Example",
        ] {
            assert!(allowed.allows(host), "{host}");
        }
        for host in ["attacker.example:1111", "attacker.example", "localhost.attacker.example", "127.0.0.1.nip.io:1111", "", "a b"] {
            assert!(!allowed.allows(host), "{host}");
        }
    }

    #[test]
    fn the_machine_name_is_allowed() {
        let Some(name) = machine_name() else { return };
        let allowed = AllowedHosts::new(&[]);
        assert!(allowed.allows(&format!("{name}:1111")));
        assert!(allowed.allows(&format!("{name}.local:1111")));
        assert!(!allowed.allows(&format!("{name}.attacker.example:1111")));
    }

    #[test]
    fn websockets_must_come_from_the_same_origin() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = HeaderMap::new();
            for (k, v) in pairs {
                map.insert(*k, v.parse().unwrap());
            }
            map
        };
        assert!(same_origin(&headers(&[("host", "127.0.0.1:1111"), ("origin", "http://127.0.0.1:1111")])));
        assert!(same_origin(&headers(&[("host", "localhost:1111")])), "no Origin: not a browser");
        assert!(!same_origin(&headers(&[("host", "127.0.0.1:1111"), ("origin", "http://attacker.example")])));
        assert!(!same_origin(&headers(&[("host", "127.0.0.1:1111"), ("origin", "http://127.0.0.1:2222")])));
        assert!(!same_origin(&headers(&[("host", "127.0.0.1:1111"), ("origin", "null")])));
    }
}
