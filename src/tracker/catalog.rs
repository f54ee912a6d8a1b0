//! The hub's guides and policies, as the manifest loaded last lists them
//! (docs/links-json.md): the only ones whose `complete` and `ack` beacons
//! are counted, and the titles the dashboard shows them by.

use super::click::Milestone;
use crate::link::manifest::{GuideEntry, Manifest, PolicyEntry};

/// Guides and policies at their current versions.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    guides: Vec<GuideEntry>,
    policies: Vec<PolicyEntry>,
}

impl Catalog {
    /// The manifest's guides and policies.
    pub fn of(manifest: &Manifest) -> Catalog {
        Catalog { guides: manifest.guides.clone(), policies: manifest.policies.clone() }
    }

    /// Whether a beacon names a guide of the hub, or a policy at the version
    /// in force: anything else is refused, so nothing but known ids is stored.
    pub fn knows(&self, milestone: &Milestone) -> bool {
        match milestone {
            Milestone::Complete { guide } => self.guides.iter().any(|g| &g.id == guide),
            Milestone::Ack { policy, version } => self.policies.iter().any(|p| &p.id == policy && &p.version == version),
        }
    }

    /// The title of a guide, if the hub has it.
    pub fn guide_title(&self, id: &str) -> Option<&str> {
        self.guides.iter().find(|g| g.id == id).map(|g| g.title.as_str())
    }

    /// The title of a policy, if the hub has it.
    pub fn policy_title(&self, id: &str) -> Option<&str> {
        self.policies.iter().find(|p| p.id == id).map(|p| p.title.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_guides_and_current_policy_versions_are_known() {
        let manifest: Manifest = serde_json::from_str(
            r#"{"version":1,"generated":"","links":[],"guides":[{"id":"formation","title":"Formation"}],
                "policies":[{"id":"politique","title":"Politique","version":"2.1"}]}"#,
        )
        .unwrap();
        let catalog = Catalog::of(&manifest);
        assert!(catalog.knows(&Milestone::Complete { guide: "formation".into() }));
        assert!(!catalog.knows(&Milestone::Complete { guide: "autre".into() }));
        assert!(catalog.knows(&Milestone::Ack { policy: "politique".into(), version: "2.1".into() }));
        assert!(!catalog.knows(&Milestone::Ack { policy: "politique".into(), version: "2.0".into() }));
        assert_eq!(catalog.guide_title("formation"), Some("Formation"));
        assert_eq!(catalog.policy_title("politique"), Some("Politique"));
    }
}
