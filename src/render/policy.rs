//! A policy's versions as templates see them (docs/templates.md,
//! `page.policy`): the history read from git, "what changed since version
//! N", and the pages of earlier versions at `{policy URL}v/{version}/`.

use serde_json::{json, Value};

use super::context::Site;
use super::diff;
use crate::content::history::PolicyVersion;
use crate::content::{DocId, Document};
use crate::util::forge;

/// The URL path segment of a version: itself when it is made of
/// `[A-Za-z0-9._-]`, else its slug.
pub fn version_segment(version: &str) -> String {
    let plain = version.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
    if plain && version.bytes().any(|b| b.is_ascii_alphanumeric()) {
        version.to_string()
    } else {
        crate::content::slugify(version)
    }
}

/// The path of an earlier version's page, under the policy's (`/politique/v/2.0/`).
pub fn version_path(doc: &Document, version: &str) -> String {
    format!("{}v/{}/", doc.path, version_segment(version))
}

/// The versions git holds of `id` before the one in force, newest first.
pub fn earlier<'a>(site: &'a Site, id: DocId) -> impl Iterator<Item = &'a PolicyVersion> + 'a {
    let doc = &site.content.docs[id];
    let current = doc.front.version.clone();
    site.content.history.get(&doc.rel).into_iter().flatten().filter(move |v| Some(&v.version) != current.as_ref())
}

/// `page.policy.history`: every version, the one in force first, each with
/// its `effective` date, commit date and, with `repo_url`, the links to its
/// commit and to the file's history; empty outside git.
pub fn history(site: &Site, id: DocId) -> Value {
    let doc = &site.content.docs[id];
    let Some(versions) = site.content.history.get(&doc.rel) else { return json!([]) };
    let repo = site.config.repo_url.as_deref();
    let entry = |v: &PolicyVersion, current: bool| {
        let url = if current { site.url(id) } else { site.config.base_url.url(&version_path(doc, &v.version)) };
        json!({
            "version": v.version,
            "effective": v.effective,
            "date": v.date,
            "commit": v.commit,
            "commit_url": repo.map(|r| forge::commit_url(r, &v.commit)),
            "history_url": repo.map(|r| forge::history_url(r, &v.commit, &v.path)),
            "url": url,
            "current": current,
        })
    };
    let current = doc.front.version.as_deref();
    let mut list: Vec<Value> = Vec::new();
    // A version in force not committed yet comes first, without a commit.
    if current.is_some() && versions.first().map(|v| Some(v.version.as_str())) != Some(current) {
        list.push(json!({
            "version": current,
            "effective": doc.front.effective.map(|d| d.to_string()),
            "date": null, "commit": null, "commit_url": null, "history_url": null,
            "url": site.url(id),
            "current": true,
        }));
    }
    list.extend(versions.iter().map(|v| entry(v, Some(v.version.as_str()) == current)));
    Value::Array(list)
}

/// `policy_notice`, for every page of `lang`: the policy whose version in
/// force replaced an earlier one, `{id, version, date, url, changes_url}`
/// (`date` its `effective` date, else the day it was committed), or null.
pub fn notice(site: &Site, lang: &str) -> Value {
    let Some((id, doc)) = site.content.pages_in(lang).find(|(id, d)| d.kind == crate::content::Kind::Policy && earlier(site, *id).next().is_some())
    else {
        return Value::Null;
    };
    let committed = site.content.history.get(&doc.rel).and_then(|h| h.first()).filter(|v| Some(&v.version) == doc.front.version.as_ref());
    let date = doc.front.effective.map(|d| d.to_string()).or_else(|| committed.map(|v| v.date.clone()));
    let (Some(id_), Some(version), Some(date)) = (doc.milestone_id(), &doc.front.version, date) else { return Value::Null };
    json!({
        "id": id_,
        "version": version,
        "date": date,
        "url": site.url(id),
        "changes_url": format!("{}#policy-changes", site.url(id)),
    })
}

/// The document as it read at version `v`: its text and front matter then.
pub fn as_of(doc: &Document, v: &PolicyVersion) -> Document {
    Document { source: v.source.clone(), body: v.body, front: v.front.clone(), ..doc.clone() }
}

/// `page.policy.changes`: the words that changed since the version before
/// the one in force, `{since, since_url, html, removed, added}`, or null.
pub fn changes(site: &Site, id: DocId, current_html: &str, labels: diff::Labels<'_>) -> Value {
    let doc = &site.content.docs[id];
    let Some(before) = earlier(site, id).next() else { return Value::Null };
    let Ok(old) = crate::markdown::render(&as_of(doc, before), site.markdown) else { return Value::Null };
    match diff::changes(&old.html, current_html, labels) {
        Some((html, removed, added)) => json!({
            "since": before.version,
            "since_url": site.config.base_url.url(&version_path(doc, &before.version)),
            "html": html,
            "removed": removed,
            "added": added,
        }),
        None => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_make_safe_path_segments() {
        assert_eq!(version_segment("2.1"), "2.1");
        assert_eq!(version_segment("2026-09 rev_b"), crate::content::slugify("2026-09 rev_b"));
        assert!(!version_segment("../x").contains('/'));
        assert_ne!(version_segment(".."), "..");
    }
}
