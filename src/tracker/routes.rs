//! The tracker's HTTP routes: the router, the short links, the
//! beacon and the admin routes. Handlers stay small: they classify the
//! request, hand the click to the writer, and answer; the state they share is
//! [`App`], the answers several give alike are in [`super::respond`], and
//! storage details live in the store.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use tower_http::cors::CorsLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use super::admin::{admin_only, login, logout, Access};
use super::app::App;
use super::bots::is_prefetch;
use super::click::{is_ambassador_id, now_ms, Click, Event, EventKind, Milestone, MilestoneEvent};
use super::respond::{foreign_origin, html, json, not_found, rate_limited, unavailable};
use super::store::{GroupBy, StatsQuery};
use super::{admin, ambassadors, dashboard, export, visitor};
use crate::link::paths::{self, SHORT_LINK_PREFIX};
use crate::link::ShortCode;
use crate::util::date::parse_day;

/// Largest beacon body accepted.
const MAX_BEACON_BYTES: usize = 1024;

/// The router with every route of docs/tracker.md but the short links themselves,
/// which the server hands to [`follow`] first.
pub fn router(app: Arc<App>) -> Router {
    let hub_cors = match app.hub_origin.as_deref().and_then(|o| HeaderValue::from_str(o).ok()) {
        Some(origin) => CorsLayer::new()
            .allow_origin(origin)
            .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
            .allow_headers([header::CONTENT_TYPE])
            .max_age(Duration::from_secs(86_400)),
        None => CorsLayer::new(),
    };
    let public = Router::new()
        .route(paths::BEACON, post(beacon).layer(RequestBodyLimitLayer::new(MAX_BEACON_BYTES)))
        .route(paths::CAMPAIGNS, get(campaigns))
        .route(paths::IMPACT, get(impact))
        .route(paths::AMBASSADOR, post(ambassadors::new_id).layer(RequestBodyLimitLayer::new(MAX_BEACON_BYTES)))
        .route(
            &format!("{}/{{id}}", paths::AMBASSADOR),
            get(ambassadors::totals).put(ambassadors::join).delete(ambassadors::leave).layer(RequestBodyLimitLayer::new(MAX_BEACON_BYTES)),
        )
        .route(paths::LEADERBOARD, get(ambassadors::leaderboard))
        .layer(hub_cors);
    // The redirects carry no per-request timer: they are the hot path, and
    // the server's connection limits and the writer's bounded wait cover them.
    let rest = Router::new()
        .route(paths::STATS, get(stats))
        .route(paths::EXPORT_CSV, get(export))
        .route("/dashboard", get(dashboard_page))
        .route("/dashboard/login", post(login).layer(RequestBodyLimitLayer::new(MAX_BEACON_BYTES)))
        .route("/dashboard/logout", post(logout))
        .route("/metrics", get(metrics))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(ready))
        .merge(public)
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(10)));
    // The short links themselves (`/c/…`) are not routed here: the server
    // hands them to [`follow`] before the router, see [`is_short_link`].
    Router::new().merge(rest).fallback(not_found).with_state(app)
}

/// Whether `path` is a short link's (`/c/{code}` or `/c/{code}/{ambassador}`),
/// which [`follow`] answers. The server sends these to it straight from hyper,
/// past the router: they are the hot path, and the router's dispatch, path
/// extraction and boxed body cost a sixth of a redirect's CPU.
pub fn is_short_link(path: &str) -> bool {
    path.starts_with(SHORT_LINK_PREFIX)
}

/// Answers a short link: records the click, then redirects, only registered
/// codes, only to their URL. The path is taken as sent, not percent-decoded:
/// codes and ambassador ids are plain ASCII, so an encoded one is not one.
pub async fn follow<B>(app: Arc<App>, peer: SocketAddr, request: axum::http::Request<B>) -> Response {
    let (method, headers) = (request.method(), request.headers());
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "GET, HEAD")]).into_response();
    }
    let mut segments = request.uri().path().strip_prefix(SHORT_LINK_PREFIX).unwrap_or_default().split('/');
    let (code, ambassador) = match (segments.next(), segments.next(), segments.next()) {
        (Some(code), None, None) => (code, None),
        (Some(code), Some(id), None) if is_ambassador_id(id) => (code, Some(id.to_string())),
        _ => return not_found(State(app)).await,
    };
    let Some(code) = ShortCode::parse(code) else { return not_found(State(app)).await };
    let Some(url) = app.links.read().ok().and_then(|l| l.get(code.as_str()).cloned()) else {
        return not_found(State(app)).await;
    };
    let user_agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("");
    let bot = method == Method::HEAD || is_prefetch(headers) || app.bots.is_bot(user_agent);
    let at_ms = now_ms();
    let ip = app.client_ip(peer, headers);
    let visitor =
        if bot || opted_out(headers) { None } else { app.today_salt(at_ms).await.map(|salt| visitor::hash(&salt, ip, user_agent, code.as_str())) };
    let aggregate = !app.allowance.row(at_ms, ip, user_agent, code.as_str());
    let click = Click { at_ms, code: code.as_str().to_string(), ambassador, bot, visitor, aggregate };
    // Nothing of the request is needed while the commit is awaited.
    drop(request);
    if !app.writer.click(click).await {
        // Not committed: no redirect, so the visitor retries rather than the click being lost.
        return (StatusCode::SERVICE_UNAVAILABLE, [(header::RETRY_AFTER, "1")], "try again\n").into_response();
    }
    app.metrics.redirects.fetch_add(1, Ordering::Relaxed);
    let headers = [
        (header::LOCATION, url),
        (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
        (header::REFERRER_POLICY, HeaderValue::from_static("no-referrer-when-downgrade")),
    ];
    (StatusCode::FOUND, headers).into_response()
}

/// Whether the request asks not to be tracked (`DNT: 1` or `Sec-GPC: 1`):
/// then no visitor hash is made.
fn opted_out(headers: &HeaderMap) -> bool {
    ["dnt", "sec-gpc"].iter().any(|h| headers.get(*h).is_some_and(|v| v.as_bytes() == b"1"))
}

/// A beacon's body (docs/beacons.md).
#[derive(Debug, Deserialize)]
#[serde(tag = "event", rename_all = "lowercase", deny_unknown_fields)]
enum Beacon {
    /// A post copied.
    Copy {
        code: String,
        #[serde(default)]
        ambassador: Option<String>,
    },
    /// A network's share intent opened.
    Share {
        code: String,
        #[serde(default)]
        ambassador: Option<String>,
    },
    /// Every module of a guide done.
    Complete { guide: String },
    /// A policy version read.
    Ack { policy: String, version: String },
}

/// `POST /e`: a copy or share of a post, a guide completed or a policy
/// version acknowledged, from the hub (JSON, sent as `text/plain` by
/// `sendBeacon` so that no preflight is needed).
async fn beacon(State(app): State<Arc<App>>, ConnectInfo(peer): ConnectInfo<SocketAddr>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(forbidden) = foreign_origin(&app, &headers) {
        return forbidden;
    }
    if let Some(slow_down) = rate_limited(&app, peer, &headers) {
        return slow_down;
    }
    let Ok(beacon) = serde_json::from_slice::<Beacon>(&body) else {
        return (
            StatusCode::BAD_REQUEST,
            "expected {\"event\":\"copy\"|\"share\",\"code\":\"...\"}, {\"event\":\"complete\",\"guide\":\"...\"} or {\"event\":\"ack\",\"policy\":\"...\",\"version\":\"...\"}\n",
        )
            .into_response();
    };
    let (code, kind, ambassador) = match beacon {
        Beacon::Copy { code, ambassador } => (code, EventKind::Copy, ambassador),
        Beacon::Share { code, ambassador } => (code, EventKind::Share, ambassador),
        Beacon::Complete { guide } => return milestone(&app, peer, &headers, Milestone::Complete { guide }).await,
        Beacon::Ack { policy, version } => return milestone(&app, peer, &headers, Milestone::Ack { policy, version }).await,
    };
    let known = ShortCode::parse(&code).is_some() && app.links.read().is_ok_and(|l| l.contains_key(&code));
    let ambassador = ambassador.filter(|a| is_ambassador_id(a));
    if !known {
        return (StatusCode::NOT_FOUND, "unknown code\n").into_response();
    }
    let at_ms = now_ms();
    // A browser's beacons count once per code, kind and day in the public
    // figures: the same hash as a click's, over the code and the kind.
    let visitor = beacon_visitor(&app, peer, &headers, at_ms, &format!("{code}/{}", kind.as_str())).await;
    let event = Event { at_ms, code, kind, ambassador, visitor };
    committed(app.writer.event(event).await)
}

/// A guide completed or a policy version acknowledged: stored only when the
/// manifest lists it, with the day's hash over what was finished.
async fn milestone(app: &App, peer: SocketAddr, headers: &HeaderMap, milestone: Milestone) -> Response {
    if !app.catalog.read().is_ok_and(|c| c.knows(&milestone)) {
        return (StatusCode::NOT_FOUND, "unknown guide or policy version\n").into_response();
    }
    let at_ms = now_ms();
    let what = format!("{}/{}/{}", milestone.kind(), milestone.subject(), milestone.version());
    let visitor = beacon_visitor(app, peer, headers, at_ms, &what).await;
    committed(app.writer.milestone(MilestoneEvent { at_ms, milestone, visitor }).await)
}

/// The day's visitor hash of a beacon over `what` it is about; `None` when
/// the browser asks not to be tracked.
async fn beacon_visitor(app: &App, peer: SocketAddr, headers: &HeaderMap, at_ms: i64, what: &str) -> Option<[u8; 16]> {
    if opted_out(headers) {
        return None;
    }
    let user_agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("");
    let ip = app.client_ip(peer, headers);
    app.today_salt(at_ms).await.map(|salt| visitor::hash(&salt, ip, user_agent, what))
}

/// `204` once a beacon is stored, `503` if it could not be.
fn committed(stored: bool) -> Response {
    if stored {
        StatusCode::NO_CONTENT.into_response()
    } else {
        StatusCode::SERVICE_UNAVAILABLE.into_response()
    }
}

async fn campaigns(State(app): State<Arc<App>>) -> Response {
    if !app.public_stats {
        return not_found(State(app)).await;
    }
    let totals = app.campaigns.get(|| async { Ok(serde_json::json!({ "campaigns": app.with_goals(app.store.campaign_totals().await?) })) }).await;
    match totals {
        Ok(totals) => json(&totals),
        Err::<_, super::store::StoreError>(e) => unavailable(e),
    }
}

/// `GET /api/v1/impact`: every campaign's figures over the last 30 days,
/// with `--public-stats` (docs/tracker.md).
async fn impact(State(app): State<Arc<App>>) -> Response {
    if !app.public_stats {
        return not_found(State(app)).await;
    }
    let today = visitor::day(now_ms());
    let figures = app.impact.get(|| async { Ok(serde_json::json!(super::impact::last_days(app.store.as_ref(), today).await?)) }).await;
    match figures {
        Ok(figures) => json(&figures),
        Err::<_, super::store::StoreError>(e) => unavailable(e),
    }
}

/// Query of `/api/v1/stats`.
#[derive(Debug, Deserialize)]
pub struct StatsParams {
    campaign: Option<String>,
    from: Option<String>,
    to: Option<String>,
    by: Option<GroupBy>,
}

async fn stats(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(params): Query<StatsParams>,
) -> Response {
    if let Some(refused) = admin_only(&app, peer, &headers) {
        return refused;
    }
    let day = |d: &Option<String>| d.as_deref().map(|s| parse_day(s).ok_or(()));
    let (Ok(from), Ok(to)) = (day(&params.from).transpose(), day(&params.to).transpose()) else {
        return (StatusCode::BAD_REQUEST, "from and to are dates: YYYY-MM-DD\n").into_response();
    };
    let by = params.by.unwrap_or_default();
    let query = StatsQuery { campaign: params.campaign.filter(|c| !c.is_empty()), from_day: from, to_day: to, by, zone: None };
    match app.store.stats(&query).await {
        Ok(rows) => {
            // Each campaign's goal (null without one): on its row when grouped
            // by campaign, at the top when one campaign is asked for.
            let mut body =
                serde_json::json!({ "by": by, "rows": if by == GroupBy::Campaign { app.with_goals(rows) } else { serde_json::json!(rows) } });
            if let Some(campaign) = &query.campaign {
                body["goal"] = serde_json::json!(app.goal(campaign));
            }
            json(&body)
        }
        Err(e) => unavailable(e),
    }
}

/// `/api/v1/export.csv`: every click, streamed (see [`export::csv`]).
async fn export(State(app): State<Arc<App>>, ConnectInfo(peer): ConnectInfo<SocketAddr>, headers: HeaderMap) -> Response {
    if let Some(refused) = admin_only(&app, peer, &headers) {
        return refused;
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"chorus-clicks.csv\""),
            (header::CACHE_CONTROL, "no-store"),
        ],
        export::csv(app.store.clone()),
    )
        .into_response()
}

/// Query of `/dashboard`: a campaign, and `from`/`to` days or a `period` month.
#[derive(Debug, Deserialize)]
pub struct DashboardParams {
    campaign: Option<String>,
    from: Option<String>,
    to: Option<String>,
    period: Option<String>,
}

async fn dashboard_page(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(params): Query<DashboardParams>,
) -> Response {
    match app.access(peer, &headers) {
        Access::Admin => {}
        Access::Anonymous => return html(StatusCode::UNAUTHORIZED, dashboard::login_page(false)),
        Access::Throttled(wait) => return admin::too_many_attempts(wait),
    }
    let today = visitor::day(now_ms());
    let span = match dashboard::Span::parse(params.from.as_deref(), params.to.as_deref(), params.period.as_deref(), today) {
        Ok(span) => span,
        Err(why) => return (StatusCode::BAD_REQUEST, format!("{why}\n")).into_response(),
    };
    let campaign = params.campaign.filter(|c| !c.is_empty());
    let goals = app.goals.read().map(|g| g.clone()).unwrap_or_default();
    let catalog = app.catalog.read().map(|c| c.clone()).unwrap_or_default();
    let view = dashboard::View { campaign: campaign.as_deref(), span, today, goals: &goals, catalog: &catalog };
    let page = dashboard::render(app.store.as_ref(), &view).await;
    match page {
        Ok(body) => html(StatusCode::OK, body),
        Err(e) => unavailable(e),
    }
}

/// `GET /metrics`: for the admin token only (Prometheus sends it with
/// `authorization: {credentials: …}`), as the totals are not public unless
/// `--public-stats` says so.
async fn metrics(State(app): State<Arc<App>>, ConnectInfo(peer): ConnectInfo<SocketAddr>, headers: HeaderMap) -> Response {
    if let Some(refused) = admin_only(&app, peer, &headers) {
        return refused;
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], app.metrics.render()).into_response()
}

/// `GET /readyz`: whether clicks can be committed. The database must
/// answer, and the last commit must have succeeded; after a failed one (a
/// full disk, a database that refuses writes), a write probe says whether
/// writes work again, so that an instance taken out of a load balancer's
/// rotation comes back without waiting for a click. The reason goes to the
/// log, not to whoever asked.
async fn ready(State(app): State<Arc<App>>) -> Response {
    let probed = match app.store.ping().await {
        Ok(()) if app.writer.failing() => app.store.probe_write().await,
        other => other,
    };
    match probed {
        Ok(()) => "ready\n".into_response(),
        Err(e) => {
            eprintln!("chorus track: not ready: {e}");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
        }
    }
}
