//! `chorus serve` answers only the names that cannot be rebound to it by
//! another web site (DNS rebinding), and its live-reload websocket only its
//! own pages: the real binary, raw HTTP with chosen `Host` and `Origin`.

mod common;

use std::net::TcpStream;

use common::serve::{next_message, Serve};
use common::{get, raw, Hub};
use tungstenite::client::IntoClientRequest;

/// GET `/page/` from the server at `addr`, asking for it under the name `host`.
fn get_as(addr: &str, host: &str) -> common::Response {
    raw(addr, &format!("GET /page/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"))
}

/// The port of `127.0.0.1:port`.
fn port(addr: &str) -> &str {
    addr.rsplit(':').next().unwrap()
}

#[test]
fn only_addresses_localhost_and_allowed_names_are_served() {
    let hub = Hub::copy("basic");
    let serve = Serve::start(&hub, &["--no-tracker", "--allow-host", "apercu.intranet.example"]);
    let (addr, port) = (serve.addr.as_str(), port(&serve.addr));
    for host in
        [addr.to_string(), format!("localhost:{port}"), format!("[::1]:{port}"), "localhost".into(), format!("apercu.intranet.example:{port}")]
    {
        let page = get_as(addr, &host);
        assert_eq!(page.status, 200, "Host: {host}");
        assert!(page.body.contains("Premier paragraphe"), "Host: {host}");
    }
    for host in [
        format!("attacker.example:{port}"),
        "attacker.example".into(),
        format!("localhost.attacker.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
    ] {
        let refused = get_as(addr, &host);
        assert_eq!(refused.status, 421, "Host: {host}");
        assert!(!refused.body.contains("Premier paragraphe"), "Host: {host}: no content");
        assert!(refused.body.contains("--allow-host"), "the answer says what to do: {}", refused.body);
    }
    // The live-reload script and socket are behind the same check.
    let script = raw(addr, &format!("GET /__chorus/livereload.js HTTP/1.1\r\nHost: attacker.example:{port}\r\nConnection: close\r\n\r\n"));
    assert_eq!(script.status, 421);
}

/// A live-reload handshake with these extra headers: the greeting, or the refusal's status.
fn handshake(serve: &Serve, headers: &[(&'static str, String)]) -> Result<String, u16> {
    let stream = TcpStream::connect(&serve.addr).unwrap();
    stream.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
    let mut request = format!("ws://{}/__chorus/livereload", serve.addr).into_client_request().unwrap();
    for (name, value) in headers {
        request.headers_mut().insert(*name, value.parse().unwrap());
    }
    match tungstenite::client(request, stream) {
        Ok((mut socket, _)) => Ok(next_message(&mut socket)),
        Err(tungstenite::HandshakeError::Failure(tungstenite::Error::Http(response))) => Err(response.status().as_u16()),
        Err(e) => panic!("handshake: {e}"),
    }
}

#[test]
fn the_live_reload_socket_is_for_the_server_s_own_pages() {
    let hub = Hub::copy("basic");
    let serve = Serve::start(&hub, &["--no-tracker"]);
    let own = format!("http://{}", serve.addr);
    assert!(handshake(&serve, &[("origin", own)]).unwrap().starts_with(r#"{"kind":"ok""#));
    assert!(handshake(&serve, &[]).is_ok(), "a client that is not a browser sends no Origin");
    assert_eq!(handshake(&serve, &[("origin", "http://attacker.example".into())]), Err(403));
    assert_eq!(handshake(&serve, &[("origin", "null".into())]), Err(403));
    let port = port(&serve.addr);
    assert_eq!(handshake(&serve, &[("origin", format!("http://localhost:{port}"))]), Err(403), "another origin, even a local one");
    assert_eq!(
        handshake(&serve, &[("host", format!("attacker.example:{port}")), ("origin", format!("http://attacker.example:{port}"))]),
        Err(421),
        "a rebound name is refused before the origin is looked at"
    );
}

/// This machine's host name.
fn machine_name() -> String {
    let mut buffer = [0u8; 256];
    // SAFETY: the buffer is valid for its length.
    assert_eq!(unsafe { libc::gethostname(buffer.as_mut_ptr().cast(), buffer.len()) }, 0);
    let end = buffer.iter().position(|b| *b == 0).unwrap();
    String::from_utf8_lossy(&buffer[..end]).into_owned()
}

#[test]
fn on_every_interface_the_machine_s_names_are_served() {
    let hub = Hub::copy("basic");
    let serve = Serve::start(&hub, &["--no-tracker", "--bind", "0.0.0.0"]);
    let (addr, port) = (serve.addr.as_str(), port(&serve.addr));
    let name = machine_name();
    for host in [format!("{name}:{port}"), format!("{}.local:{port}", name.to_uppercase()), format!("10.1.2.3:{port}")] {
        assert_eq!(get_as(addr, &host).status, 200, "Host: {host}");
    }
    assert_eq!(get_as(addr, &format!("{name}.attacker.example:{port}")).status, 421);
    assert_eq!(get(addr, "/page/", &[]).status, 200, "the address serve prints works");
}
