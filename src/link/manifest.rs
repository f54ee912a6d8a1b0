//! The link manifest, `public/_chorus/links.json`: every short code and where it
//! redirects. The tracker loads it; these types are all it shares with the builder.
//!
//! The format is a contract (docs/links-json.md): readers accept fields they
//! do not know, a link without `lang`, and networks a newer builder added.

use serde::{Deserialize, Serialize};

use super::{CampaignGoal, Network, ShortCode};

/// Where the manifest is written, under the output folder.
pub const MANIFEST_PATH: &str = "_chorus/links.json";

/// The manifest's format version.
pub const VERSION: u32 = 1;

/// One short link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// The short code, `/c/{code}`.
    pub code: ShortCode,
    /// The UTM-tagged destination the code redirects to.
    pub url: String,
    /// The campaign id.
    pub campaign: String,
    /// The snippet id.
    pub snippet: String,
    /// The network the post is written for.
    pub network: LinkNetwork,
    /// The campaign's title.
    pub title: String,
    /// The language of the campaign page, an addition to the format: a
    /// manifest without it is read with an empty one, which the reader
    /// takes as the manifest's [`Manifest::default_language`].
    #[serde(default)]
    pub lang: String,
}

/// A link's network as the manifest names it: one this build of chorus
/// knows, or one it does not (written by a newer builder), kept as written
/// so that its short links still redirect and count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LinkNetwork {
    /// A network chorus writes posts for.
    Known(Network),
    /// Any other name.
    Other(String),
}

impl LinkNetwork {
    /// The network's identifier (`x`, `linkedin`, or the unknown name).
    pub fn id(&self) -> &str {
        match self {
            LinkNetwork::Known(network) => network.id(),
            LinkNetwork::Other(name) => name,
        }
    }
}

impl From<Network> for LinkNetwork {
    fn from(network: Network) -> LinkNetwork {
        LinkNetwork::Known(network)
    }
}

impl std::fmt::Display for LinkNetwork {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// `links.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`VERSION`].
    pub version: u32,
    /// When the hub was built (RFC 3339).
    pub generated: String,
    /// The hub's default language, the `lang` of a link that has none (an
    /// addition to the format; absent from older manifests).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_language: Option<String>,
    /// Every link, sorted by code.
    pub links: Vec<Link>,
    /// The campaigns that set a goal, sorted by id (an addition to the
    /// format; absent from older manifests and when no campaign has one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub campaigns: Vec<CampaignGoal>,
    /// The hub's guides, whose completions the tracker counts, sorted by id
    /// (an addition to the format; absent when the hub has none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guides: Vec<GuideEntry>,
    /// The hub's policies at their current version, whose acknowledgements
    /// the tracker counts, sorted by id (an addition, likewise).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<PolicyEntry>,
}

/// A guide of the hub: `{"id": "formation", "title": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideEntry {
    /// The guide's id, the same in every language (its folder under `content/`).
    pub id: String,
    /// Its title in the hub's default language.
    pub title: String,
}

/// A policy of the hub: `{"id": "politique", "title": "…", "version": "2.1"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyEntry {
    /// The policy's id, the same in every language (its file under `content/`, without `.md`).
    pub id: String,
    /// Its title in the hub's default language.
    pub title: String,
    /// The version in force.
    pub version: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_without_lang_with_unknown_fields_and_networks_reads() {
        let text = r#"{"version":1,"generated":"2026-11-25T00:00:00Z","by":"another builder","links":[
            {"code":"AAAAAAA","url":"https://a.example/","campaign":"c","snippet":"s","network":"x","title":"T","extra":1},
            {"code":"BBBBBBB","url":"https://a.example/","campaign":"c","snippet":"s","network":"reddit","title":"T","lang":"en"}]}"#;
        let manifest: Manifest = serde_json::from_str(text).unwrap();
        assert_eq!(manifest.default_language, None);
        assert_eq!((manifest.links[0].network.id(), manifest.links[0].lang.as_str()), ("x", ""));
        assert_eq!(manifest.links[0].network, LinkNetwork::Known(Network::X));
        assert_eq!((manifest.links[1].network.id(), manifest.links[1].lang.as_str()), ("reddit", "en"));
        assert!(manifest.campaigns.is_empty());
        assert!(manifest.guides.is_empty() && manifest.policies.is_empty());
    }

    #[test]
    fn guides_and_policies_read() {
        let text = r#"{"version":1,"generated":"","links":[],"guides":[{"id":"formation","title":"Formation"}],
            "policies":[{"id":"politique","title":"Politique","version":"2.1"}]}"#;
        let manifest: Manifest = serde_json::from_str(text).unwrap();
        assert_eq!(manifest.guides, [GuideEntry { id: "formation".into(), title: "Formation".into() }]);
        assert_eq!(manifest.policies[0].version, "2.1");
    }

    #[test]
    fn campaign_goals_read_and_are_left_out_when_none() {
        let text = r#"{"version":1,"generated":"","links":[],"campaigns":[{"campaign":"c","goal":{"metric":"clicks","target":500}}]}"#;
        let manifest: Manifest = serde_json::from_str(text).unwrap();
        assert_eq!(manifest.campaigns[0].goal, crate::link::Goal { metric: crate::link::GoalMetric::Clicks, target: 500 });
        let none = Manifest { campaigns: Vec::new(), guides: Vec::new(), policies: Vec::new(), ..manifest };
        let json = serde_json::to_string(&none).unwrap();
        assert!(!json.contains("campaigns") && !json.contains("guides") && !json.contains("policies"), "{json}");
    }
}
