//! The social networks chorus writes posts for.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A network a campaign's posts can be shared on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Network {
    /// LinkedIn: its composer takes the text (its official share page only a URL,
    /// `share.linkedin: offsite`); the text goes to the clipboard first either way.
    Linkedin,
    /// X (formerly Twitter).
    X,
    /// Facebook: the intent takes only a URL.
    Facebook,
    /// Bluesky.
    Bluesky,
    /// Mastodon, through a share page that asks for the user's instance.
    Mastodon,
    /// Threads.
    Threads,
    /// WhatsApp.
    Whatsapp,
    /// E-mail (`mailto:`).
    Email,
}

impl Network {
    /// Every network, in the order the default theme shows them.
    pub const ALL: [Network; 8] =
        [Network::Linkedin, Network::X, Network::Facebook, Network::Bluesky, Network::Mastodon, Network::Threads, Network::Whatsapp, Network::Email];

    /// The identifier used in YAML, URLs (`utm_source`) and templates.
    pub fn id(self) -> &'static str {
        match self {
            Network::Linkedin => "linkedin",
            Network::X => "x",
            Network::Facebook => "facebook",
            Network::Bluesky => "bluesky",
            Network::Mastodon => "mastodon",
            Network::Threads => "threads",
            Network::Whatsapp => "whatsapp",
            Network::Email => "email",
        }
    }

    /// The name people know it by.
    pub fn name(self) -> &'static str {
        match self {
            Network::Linkedin => "LinkedIn",
            Network::X => "X",
            Network::Facebook => "Facebook",
            Network::Bluesky => "Bluesky",
            Network::Mastodon => "Mastodon",
            Network::Threads => "Threads",
            Network::Whatsapp => "WhatsApp",
            Network::Email => "E-mail",
        }
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}
