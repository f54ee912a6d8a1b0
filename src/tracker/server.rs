//! The tracker's HTTP/1.1 server: hyper, with the limits an internet-facing
//! service needs at the connection level. A client gets [`HEADER_READ_TIMEOUT`]
//! to send a request head (no slow-loris holding a connection open) of at most
//! [`MAX_HEAD_BYTES`]; bodies are capped per route in [`super::routes`].
//!
//! Timeouts live here, per connection, rather than in a per-request layer: the
//! redirect is the hot path, and arming a timer for each click costs more
//! than the rest of the redirect. A redirect waits only for its commit, which
//! is bounded by the database's own timeouts and by the writer's
//! [`super::store::MAX_COMMIT_DELAY_MS`].
//!
//! For the same reason a short link (`/c/…`) is handed to
//! [`routes::follow`] straight from hyper, and only the other routes go
//! through the axum router: its dispatch cost a sixth of a redirect's CPU.
//!
//! Every connection is admitted through [`Connections`]: a cap per client
//! address, and idle connections closed first once many are open.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tower::ServiceExt;

use super::app::App;
use super::client::rate_key;
use super::connections::{self, Connections};
use super::routes;

/// How long a client has to send a request head.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The largest request head (request line and headers) read.
pub const MAX_HEAD_BYTES: usize = 16 * 1024;

/// How long open requests get to finish once shutdown starts.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(15);

/// Serves the tracker's routes for `app` on `listener` until `shutdown`
/// resolves, then stops accepting, lets the requests in flight finish (at most
/// [`DRAIN_TIMEOUT`]) and closes idle keep-alive connections.
///
/// Short links go straight to [`routes::follow`]; every other request goes
/// through the axum router of [`routes::router`].
pub async fn serve(listener: TcpListener, app: Arc<App>, shutdown: impl Future<Output = ()>) {
    let router = routes::router(app.clone());
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(HEADER_READ_TIMEOUT).max_buf_size(MAX_HEAD_BYTES);
    // Behind a proxy every connection comes from the proxy's address: the
    // proxy is where connections per client are capped then.
    let per_client = if app.trust_proxy { 0 } else { connections::MAX_CLIENT_CONNECTIONS };
    let pressure = connections::pressure_threshold(connections::open_file_limit());
    let open = Arc::new(Connections::new(per_client, pressure, app.metrics.clone()));
    let (stopping, stop) = tokio::sync::watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: make room, and
                    // wait rather than spin.
                    eprintln!("chorus track: cannot accept a connection: {e}");
                    open.shed_idle();
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(admitted) = open.admit(rate_key(peer.ip())) else { continue };
        // A redirect is one small answer: send it now, not after Nagle's delay.
        let _ = stream.set_nodelay(true);
        let (app, router, activity) = (app.clone(), router.clone(), admitted.activity.clone());
        let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
            let (app, router, activity) = (app.clone(), router.clone(), activity.clone());
            activity.busy();
            async move {
                let response = if routes::is_short_link(request.uri().path()) {
                    Ok(routes::follow(app, peer, request).await)
                } else {
                    request.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                    router.oneshot(request.map(Body::new)).await
                };
                activity.idle();
                response
            }
        });
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let mut stop = stop.clone();
        tokio::spawn(async move {
            let mut connection = std::pin::pin!(connection);
            // A client that goes away or sends garbage ends its own connection only.
            tokio::select! {
                _ = connection.as_mut() => return,
                () = admitted.close.notified() => {}
                _ = stop.wait_for(|stopping| *stopping) => {}
            }
            // Closes it now if idle, else once its request is answered.
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
            drop(admitted);
        });
    }
    drop(listener);
    let _ = stopping.send(true);
    if tokio::time::timeout(DRAIN_TIMEOUT, open.all_closed()).await.is_err() {
        eprintln!("chorus track: requests still open after {} s; closing them", DRAIN_TIMEOUT.as_secs());
    }
}
