//! The dev server's HTTP side: the site from memory, the live-reload script
//! and its websocket.

use std::sync::{Arc, RwLock};

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::files::{content_type, File, Files, Lookup};
use super::hosts::{self, AllowedHosts};
use super::reload::{self, LiveReload};

/// What every request handler reads.
#[derive(Debug, Clone)]
pub struct Served {
    /// The site.
    pub files: Arc<RwLock<Files>>,
    /// Live reload.
    pub live: LiveReload,
}

/// The dev server's routes, for the names in `hosts` only.
pub fn router(served: Served, hosts: AllowedHosts) -> Router {
    Router::new()
        .route(reload::SOCKET_PATH, get(reload::socket).with_state(served.live.clone()))
        .route(reload::SCRIPT_PATH, get(script))
        .fallback(file)
        .with_state(served)
        .layer(axum::middleware::from_fn_with_state(Arc::new(hosts), hosts::guard))
}

async fn script() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], reload::SCRIPT).into_response()
}

/// Any other path: a file of the site, a folder's `index.html`, or the 404 page.
async fn file(State(served): State<Served>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "GET, HEAD")]).into_response();
    }
    let path = percent_encoding::percent_decode_str(uri.path()).decode_utf8_lossy().into_owned();
    let found = {
        let Ok(files) = served.files.read() else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
        match files.lookup(&path) {
            Lookup::Found(p) => files.get(&p).cloned().map(|f| (StatusCode::OK, p, f)),
            Lookup::NotFound(Some(p)) => files.get(&p).cloned().map(|f| (StatusCode::NOT_FOUND, p, f)),
            Lookup::NotFound(None) => None,
            Lookup::Redirect(to) => {
                let to = match uri.query() {
                    Some(q) => format!("{to}?{q}"),
                    None => to,
                };
                return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response();
            }
        }
    };
    let Some((status, site_path, file)) = found else { return nothing_here(served.live.build()) };
    let bytes = match file {
        File::Bytes(b) => b,
        File::Disk(p) => match tokio::fs::read(&p).await {
            Ok(b) => b.into(),
            Err(_) => return nothing_here(served.live.build()),
        },
    };
    let kind = content_type(&site_path);
    let body = if kind.starts_with("text/html") { Body::from(reload::inject(&bytes, served.live.build())) } else { Body::from(bytes) };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_str(&kind).unwrap_or(HeaderValue::from_static("application/octet-stream")));
    // A preview is never cached: every reload shows the last build.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A 404 when the site has no page for it (or no site yet: the first build
/// failed); the live-reload script shows the build's errors over it.
fn nothing_here(build: u64) -> Response {
    let html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head>\
                <body><h1>Not found</h1><p>chorus serve has no page here.</p></body></html>";
    let mut response = (StatusCode::NOT_FOUND, Body::from(reload::inject(html.as_bytes(), build))).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    response
}
