//! A policy's versions, read from git (docs/front-matter.md, "Policy
//! history"): for every commit that changed the policy's `version`, that
//! version, its `effective` date, the commit and its date, and the text it
//! had. Read with the `git` command; a hub outside git, a shallow clone or a
//! missing `git` gives no history and no error.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use super::front_matter::{self, FrontMatter};

/// One version of a policy as git holds it.
#[derive(Debug, Clone)]
pub struct PolicyVersion {
    /// The front matter's `version`.
    pub version: String,
    /// Its `effective` date, `YYYY-MM-DD`, if set.
    pub effective: Option<String>,
    /// The commit that brought this version in (the oldest with it).
    pub commit: String,
    /// That commit's date, `YYYY-MM-DD`.
    pub date: String,
    /// The file's path in the repository at the version's last commit.
    pub path: String,
    /// The file's whole text at the version's last commit (a version's
    /// typo fixes are part of it).
    pub source: Arc<str>,
    /// Its front matter.
    pub front: FrontMatter,
    /// Where its Markdown body starts in `source`.
    pub body: usize,
}

/// One commit of the file: (commit, date, path then, text then).
struct Revision {
    commit: String,
    date: String,
    path: String,
    source: Arc<str>,
}

/// The versions of the policy `file` (relative to `root`), newest first;
/// empty outside git or in a shallow clone.
pub fn read(root: &Path, file: &Path) -> Vec<PolicyVersion> {
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git").arg("-C").arg(root).args(args).output().ok()?;
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    };
    if git(&["rev-parse", "--is-shallow-repository"]).is_none_or(|s| s.trim() != "false") {
        return Vec::new();
    }
    let Some(file) = file.to_str() else { return Vec::new() };
    // One record per commit: its id, its date, then the file's path then (renames followed).
    let Some(log) = git(&["log", "--follow", "--format=%x1e%H %cs", "--name-only", "--", file]) else { return Vec::new() };
    let revisions: Vec<Revision> = log
        .split('\u{1e}')
        .filter_map(|record| {
            let mut lines = record.lines().filter(|l| !l.trim().is_empty());
            let (commit, date) = lines.next()?.split_once(' ')?;
            let path = lines.next()?.trim().to_string();
            let source: Arc<str> = Arc::from(git(&["show", &format!("{commit}:{path}")])?);
            Some(Revision { commit: commit.to_string(), date: date.to_string(), path, source })
        })
        .collect();
    versions(revisions)
}

/// Groups the revisions (newest first) by version: each version's text is
/// its newest revision's, its commit and date its oldest's.
fn versions(revisions: Vec<Revision>) -> Vec<PolicyVersion> {
    let mut out: Vec<PolicyVersion> = Vec::new();
    for r in revisions {
        let Some((front, body)) = front_of(&r.path, &r.source) else { continue };
        let Some(version) = front.version.clone() else { continue };
        match out.last_mut() {
            Some(last) if last.version == version => {
                last.commit = r.commit;
                last.date = r.date;
            }
            _ => out.push(PolicyVersion {
                version,
                effective: front.effective.map(|d| d.to_string()),
                commit: r.commit,
                date: r.date,
                path: r.path,
                source: r.source,
                front,
                body,
            }),
        }
    }
    out
}

/// The front matter of a past revision, if it parses.
fn front_of(path: &str, source: &Arc<str>) -> Option<(FrontMatter, usize)> {
    let file = Path::new(path);
    let split = front_matter::split(file, source).ok()?;
    // Checks added since may flag an old revision: its version still counts.
    let parsed = front_matter::parse_all(file, source, &split, false, None).ok()?;
    Some((parsed.front, split.body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn revision(commit: &str, date: &str, version: &str) -> Revision {
        let source = format!("---\ntitle: Politique\nkind: policy\nversion: \"{version}\"\neffective: {date}\n---\nTexte {commit}.\n");
        Revision { commit: commit.into(), date: date.into(), path: "content/politique.md".into(), source: Arc::from(source) }
    }

    #[test]
    fn a_version_starts_at_its_oldest_commit_and_reads_as_its_newest() {
        let newest_first = vec![
            revision("c4", "2026-12-01", "2.1"),
            revision("c3", "2026-11-20", "2.1"),
            revision("c2", "2026-09-01", "2.0"),
            revision("c1", "2026-03-01", "1.0"),
        ];
        let v = versions(newest_first);
        assert_eq!(v.iter().map(|v| v.version.as_str()).collect::<Vec<_>>(), ["2.1", "2.0", "1.0"]);
        assert_eq!((v[0].commit.as_str(), v[0].date.as_str()), ("c3", "2026-11-20"));
        assert!(v[0].source.contains("Texte c4."), "the version's latest text");
        assert_eq!(v[0].effective.as_deref(), Some("2026-12-01"));
    }

    #[test]
    fn outside_git_there_is_no_history() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("p.md"), "---\ntitle: P\n---\n").unwrap();
        assert!(read(dir.path(), Path::new("p.md")).is_empty());
    }
}
