//! The digest as an e-mail (RFC 5322 with MIME): multipart/alternative with
//! the text and HTML parts in UTF-8, a `Message-ID` that stays the same for a
//! day, a language and a content, and `List-Unsubscribe` (RFC 2369).

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::Message;

use super::model::Digest;
use crate::config::Config;
use crate::diagnostics::Error;

/// Who an e-mail digest is from and to.
#[derive(Debug, Clone)]
pub struct Addresses {
    /// The sender.
    pub from: Mailbox,
    /// The recipients (none: the message is addressed to its sender).
    pub to: Vec<Mailbox>,
}

impl Addresses {
    /// `digest.from` (default `digest@` the hub's host), and `to` (`--to`)
    /// or else `digest.to`; hub.yaml's addresses were checked when it was read.
    pub fn of(config: &Config, to: &[String]) -> Result<Addresses, Error> {
        let host = config.base_url.host().unwrap_or("localhost");
        let from_text = config.digest.from.clone().unwrap_or_else(|| format!("digest@{host}"));
        let from = from_text
            .parse::<Mailbox>()
            .map_err(|_| Error::in_file(crate::config::FILE_NAME, format!("`digest.from`: `{from_text}` is not an e-mail address")))?;
        let recipients = if to.is_empty() { &config.digest.to } else { to };
        let to = recipients
            .iter()
            .map(|a| {
                a.parse::<Mailbox>()
                    .map_err(|_| Error::new(format!("`{a}` is not an e-mail address")).with_help("write an address such as `all@acme.example`"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Addresses { from, to })
    }
}

/// The message of a digest, its HTML and text parts already written.
pub fn message(digest: &Digest, addresses: &Addresses, host: &str, text: String, html: String) -> Result<Message, Error> {
    let id = format!("<digest-{}-{}-{}@{host}>", digest.day.format("%Y-%m-%d"), digest.lang, &blake3::hash(text.as_bytes()).to_hex()[..12]);
    let mut builder = Message::builder().from(addresses.from.clone()).subject(digest.subject.clone()).message_id(Some(id)).date_now();
    let recipients = if addresses.to.is_empty() { std::slice::from_ref(&addresses.from) } else { &addresses.to };
    for to in recipients {
        builder = builder.to(to.clone());
    }
    let mut message =
        builder.multipart(MultiPart::alternative_plain_html(text, html)).map_err(|e| Error::new(format!("cannot build the digest e-mail: {e}")))?;
    // Unsubscribing is a request to the sender (RFC 2369's mailto form).
    let unsubscribe = format!(
        "<mailto:{}?subject={}>",
        addresses.from.email,
        percent_encoding::utf8_percent_encode(&digest.string("digest_unsubscribe", &[]), percent_encoding::NON_ALPHANUMERIC)
    );
    message.headers_mut().insert_raw(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), unsubscribe));
    Ok(message)
}
