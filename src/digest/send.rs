//! Delivering a digest: the e-mail over SMTP (`CHORUS_SMTP_URL`) and the
//! Teams and Slack payloads to their webhooks. Each failure names what the
//! server answered.

use std::time::Duration;

use lettre::{Message, SmtpTransport, Transport};

use crate::diagnostics::Error;

/// The SMTP server's URL variable.
pub const SMTP_URL: &str = "CHORUS_SMTP_URL";
/// The Teams webhook's URL variable.
pub const TEAMS_WEBHOOK: &str = "CHORUS_TEAMS_WEBHOOK";
/// The Slack webhook's URL variable.
pub const SLACK_WEBHOOK: &str = "CHORUS_SLACK_WEBHOOK";

/// How long one SMTP exchange or webhook request may take.
const TIMEOUT: Duration = Duration::from_secs(30);
/// How much of an error answer's body a message quotes.
const BODY_EXCERPT: usize = 300;

/// The SMTP server the e-mails go through.
pub struct Smtp {
    transport: SmtpTransport,
    /// `smtps://`: TLS from the first byte.
    implicit_tls: bool,
}

/// An SMTP connection from `CHORUS_SMTP_URL`: `smtp://[user:pass@]host[:port]`
/// upgrades with STARTTLS when the server offers it (add `?tls=required` to
/// insist), `smtps://` speaks TLS from the start (lettre's connection URLs).
pub fn smtp(url: &str) -> Result<Smtp, Error> {
    let url = if url.starts_with("smtp://") && !url.contains("tls=") {
        format!("{url}{}tls=opportunistic", if url.contains('?') { '&' } else { '?' })
    } else {
        url.to_string()
    };
    let builder = SmtpTransport::from_url(&url).map_err(|e| {
        Error::new(format!("{SMTP_URL} is not an SMTP URL: {e}"))
            .with_help("write smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465 (TLS)")
    })?;
    Ok(Smtp { transport: builder.timeout(Some(TIMEOUT)).build(), implicit_tls: url.starts_with("smtps://") })
}

/// Sends one e-mail; `what` names it in the error.
pub fn email(smtp: &Smtp, message: &Message, what: &str) -> Result<(), Error> {
    smtp.transport.send(message).map(|_| ()).map_err(|e| {
        let help = if smtp.implicit_tls && e.to_string().contains("corrupt message") {
            "the server does not speak TLS on this port: for STARTTLS (usually port 587) write smtp:// instead of smtps://"
        } else if e.is_permanent() {
            "the server refused the message: check the sender, the recipients and the credentials in CHORUS_SMTP_URL"
        } else {
            "check CHORUS_SMTP_URL and that the server is reachable, then run the command again: what was sent is not sent twice"
        };
        Error::new(format!("sending {what} by SMTP failed: {e}")).with_help(help)
    })
}

/// POSTs a JSON payload to a webhook; any answer but 2xx is an error quoting its status and the start of its body.
pub fn webhook(url: &str, payload: &serde_json::Value, what: &str) -> Result<(), Error> {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(TIMEOUT)).build().into();
    let body = serde_json::to_string(payload).unwrap_or_default();
    let mut response = agent
        .post(url)
        .header("Content-Type", "application/json; charset=utf-8")
        .send(body.as_bytes())
        .map_err(|e| Error::new(format!("posting {what} failed: {e}")).with_help("check the webhook URL and that its server is reachable"))?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let text = response.body_mut().read_to_string().unwrap_or_default();
    let excerpt: String = text.trim().chars().take(BODY_EXCERPT).collect();
    Err(Error::new(format!("posting {what} failed: the server answered {status}: {excerpt}"))
        .with_help("check the webhook URL (a Workflows URL for Teams, an incoming-webhook URL for Slack), then run the command again"))
}
