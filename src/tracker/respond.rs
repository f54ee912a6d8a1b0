//! The tracker's answers that several routes give alike: HTML with its
//! security headers, JSON that is never cached, `404`, `403` for another
//! origin, `429` past the allowance, and `503` when the database fails.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::app::App;
use super::client::rate_key;

/// An HTML response with the security headers every page of the tracker carries.
pub fn html(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `404` for a path that is no route and no registered short link, counted in `/metrics`.
pub(super) async fn not_found(State(app): State<Arc<App>>) -> Response {
    app.metrics.not_found.fetch_add(1, Ordering::Relaxed);
    // Nothing from the request is echoed back.
    html(
        StatusCode::NOT_FOUND,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Link not found</title></head>\
         <body><h1>Link not found</h1><p>This short link does not exist. Check that it was copied whole.</p></body></html>\n"
            .into(),
    )
}

/// `403` for a request a page of another origin than the hub's sent (a
/// request without `Origin`, not from a browser's page, passes).
pub(super) fn foreign_origin(app: &App, headers: &HeaderMap) -> Option<Response> {
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    origin.is_some_and(|o| Some(o) != app.hub_origin.as_deref()).then(|| (StatusCode::FORBIDDEN, "origin not allowed\n").into_response())
}

/// `429` once the client has used its allowance (see [`App::default_limiter`]).
pub(super) fn rate_limited(app: &App, peer: SocketAddr, headers: &HeaderMap) -> Option<Response> {
    app.limiter.check_key(&rate_key(app.client_ip(peer, headers))).is_err().then(|| {
        app.metrics.rate_limited.fetch_add(1, Ordering::Relaxed);
        (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "2")], "slow down\n").into_response()
    })
}

/// A JSON response that is never cached.
pub(super) fn json<T: serde::Serialize>(value: &T) -> Response {
    let mut response = axum::Json(value).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `503` when the database fails: the reason goes to the log, not to the client.
pub(super) fn unavailable(e: impl std::fmt::Display) -> Response {
    eprintln!("chorus track: {e}");
    (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
}
