//! The employee-facing routes of an ambassador id (docs/tracker.md): its totals, and
//! the opt-in leaderboard.
//!
//! The id is public: it is in every link its employee shares. So it is made
//! by the tracker from a random key that only the employee's browser keeps
//! (`POST /api/v1/ambassador`), and putting a name on it or taking it off
//! needs that key: someone who sees a shared link cannot.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::app::App;
use super::click::is_ambassador_id;
use super::display_name::{self, DisplayName};
use super::respond::{foreign_origin, json, not_found, rate_limited, unavailable};

/// `GET /api/v1/ambassador/{id}`: the totals of one ambassador id: every
/// click, copy and share, and the unique visitors, copies and shares (see
/// `store`'s doc for how they count). Not
/// rate-limited, unlike the routes that write: a whole office behind one
/// address reads its impact on every page it opens.
pub async fn totals(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    if !app.public_stats || !is_ambassador_id(&id) {
        return not_found(State(app)).await;
    }
    match app.store.ambassador_totals(&id).await {
        Ok(totals) => json(&totals),
        Err(e) => unavailable(e),
    }
}

/// What proves an ambassador id is yours: the key it was made from, which
/// only your browser holds (the id itself is public, in every link you share).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Key {
    key: String,
}

/// A display name for the leaderboard, with the key of the id.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JoinRequest {
    name: String,
    key: String,
}

/// The ambassador id of a browser's secret `key` (16 to 128 characters of
/// `[A-Za-z0-9_-]`): `k` and 32 hex digits of a BLAKE3 key derivation. The
/// id can be shared, the key cannot be found from it, and no table of ids and
/// keys is kept: `PUT` and `DELETE` check that the key makes the id.
pub fn ambassador_id(key: &str) -> Option<String> {
    let ok = (16..=128).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then(|| {
        let derived = blake3::Hash::from(blake3::derive_key("chorus 2026 ambassador id", key.as_bytes()));
        format!("k{}", &derived.to_hex()[..32])
    })
}

/// Whether `key` makes `id` (compared in constant time).
fn owns(id: &str, key: &str) -> bool {
    ambassador_id(key).is_some_and(|made| made.as_bytes().ct_eq(id.as_bytes()).into())
}

/// `POST /api/v1/ambassador` `{"key": "…"}`: the id of a key, for a browser
/// that turns "my impact" on (it keeps the key, and puts the id in links).
pub async fn new_id(State(app): State<Arc<App>>, ConnectInfo(peer): ConnectInfo<SocketAddr>, headers: HeaderMap, body: Bytes) -> Response {
    if !app.public_stats {
        return not_found(State(app)).await;
    }
    if let Some(slow_down) = rate_limited(&app, peer, &headers) {
        return slow_down;
    }
    match serde_json::from_slice::<Key>(&body).ok().and_then(|k| ambassador_id(&k.key)) {
        Some(id) => json(&serde_json::json!({ "id": id })),
        None => (StatusCode::BAD_REQUEST, "expected {\"key\":\"16 to 128 letters, digits, - or _\"}\n").into_response(),
    }
}

/// `PUT /api/v1/ambassador/{id}` `{"name": "…", "key": "…"}`: the employee
/// opts in to the leaderboard, with the key the id was made from.
pub async fn join(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if let Some(refusal) = refused(&app, peer, &headers, &id).await {
        return refusal;
    }
    if let Some(forbidden) = foreign_origin(&app, &headers) {
        return forbidden;
    }
    let Ok(JoinRequest { name, key }) = serde_json::from_slice::<JoinRequest>(&body) else {
        return (StatusCode::BAD_REQUEST, "expected {\"name\":\"2 to 40 characters\",\"key\":\"…\"}\n").into_response();
    };
    if !owns(&id, &key) {
        return (StatusCode::FORBIDDEN, "this id is not yours\n").into_response();
    }
    let name = match display_name::clean(&name) {
        Ok(name) => name,
        Err(refusal) => return (StatusCode::BAD_REQUEST, refusal.message()).into_response(),
    };
    set_name(&app, &id, Some(&name)).await
}

/// What a change to an id is refused for before its body is read: the public
/// figures are off, the id is not one, or the client has used its allowance.
async fn refused(app: &Arc<App>, peer: SocketAddr, headers: &HeaderMap, id: &str) -> Option<Response> {
    if !app.public_stats || !is_ambassador_id(id) {
        return Some(not_found(State(app.clone())).await);
    }
    rate_limited(app, peer, headers)
}

/// Puts the name on the id (`409` when another id holds it, in any
/// capitals), or takes it off.
async fn set_name(app: &App, id: &str, name: Option<&DisplayName>) -> Response {
    match app.store.set_ambassador_name(id, name).await {
        Ok(true) => {
            app.leaderboard.clear().await;
            StatusCode::NO_CONTENT.into_response()
        }
        Ok(false) => (StatusCode::CONFLICT, "this display name is taken: choose another\n").into_response(),
        Err(e) => unavailable(e),
    }
}

/// `DELETE /api/v1/ambassador/{id}` `{"key": "…"}`: leaves the leaderboard.
pub async fn leave(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if let Some(refusal) = refused(&app, peer, &headers, &id).await {
        return refusal;
    }
    if !serde_json::from_slice::<Key>(&body).is_ok_and(|k| owns(&id, &k.key)) {
        return (StatusCode::FORBIDDEN, "this id is not yours\n").into_response();
    }
    set_name(&app, &id, None).await
}

/// `GET /api/v1/leaderboard`: only those who chose a display name, ranked by
/// unique visitors (so a browser reloading a link in a loop ranks no one),
/// with their clicks beside.
pub async fn leaderboard(State(app): State<Arc<App>>) -> Response {
    if !app.public_stats {
        return not_found(State(app)).await;
    }
    let board = app
        .leaderboard
        .get(|| async {
            let rows = app.store.leaderboard(20).await?;
            Ok(serde_json::json!({ "leaderboard": rows }))
        })
        .await;
    match board {
        Ok(board) => json(&board),
        Err::<_, super::store::StoreError>(e) => unavailable(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_made_from_a_key_and_only_that_key_owns_it() {
        let key = "0123456789abcdef-browser_key";
        let id = ambassador_id(key).unwrap();
        assert_eq!(ambassador_id(key).as_deref(), Some(id.as_str()), "the same key, the same id");
        assert!(is_ambassador_id(&id) && id.starts_with('k') && id.len() == 33, "{id}");
        assert!(!id.contains(key));
        assert!(owns(&id, key));
        assert!(!owns(&id, "another-key-0123456789abcdef"));
        assert!(!owns("amb_0123456789abcdef", key), "an id not made from a key is owned by none");
        for bad in ["short", "with space 0123456789", "é0123456789abcdefghij", &"x".repeat(129)] {
            assert_eq!(ambassador_id(bad), None, "{bad}");
        }
    }
}
