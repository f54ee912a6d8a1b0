//! Links into a hub's repository on its forge (`repo_url` in hub.yaml): a
//! commit, and a file's history as of a commit, in the URL patterns of
//! GitHub, GitLab and Gitea (or Forgejo) (docs/hub-yaml.md, `repo_url`).

/// A forge's URL patterns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forge {
    /// github.com or GitHub Enterprise (a host naming `github`).
    GitHub,
    /// gitlab.com or a self-hosted GitLab (a host naming `gitlab`).
    GitLab,
    /// Gitea, Forgejo, Codeberg: any other host.
    Gitea,
}

impl Forge {
    /// The forge of a repository's URL, told by its host.
    pub fn of(repo_url: &str) -> Forge {
        let host = url::Url::parse(repo_url).ok().and_then(|u| u.host_str().map(str::to_ascii_lowercase)).unwrap_or_default();
        if host.split('.').any(|label| label == "github") {
            Forge::GitHub
        } else if host.split('.').any(|label| label == "gitlab") {
            Forge::GitLab
        } else {
            Forge::Gitea
        }
    }
}

/// What a path keeps escaped: controls, non-ASCII, and what would end the path.
const PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS.add(b' ').add(b'"').add(b'#').add(b'%').add(b'?').add(b'<').add(b'>');

/// The page of `commit` in the repository at `repo_url`.
pub fn commit_url(repo_url: &str, commit: &str) -> String {
    match Forge::of(repo_url) {
        Forge::GitLab => format!("{repo_url}/-/commit/{commit}"),
        Forge::GitHub | Forge::Gitea => format!("{repo_url}/commit/{commit}"),
    }
}

/// The history of the file at `path` (from the repository's root) as of `commit`.
pub fn history_url(repo_url: &str, commit: &str, path: &str) -> String {
    let path = percent_encoding::utf8_percent_encode(path, PATH).to_string();
    match Forge::of(repo_url) {
        Forge::GitHub => format!("{repo_url}/commits/{commit}/{path}"),
        Forge::GitLab => format!("{repo_url}/-/commits/{commit}/{path}"),
        Forge::Gitea => format!("{repo_url}/commits/commit/{commit}/{path}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_forge_has_its_own_patterns() {
        let sha = "0477ffc";
        assert_eq!(commit_url("https://github.com/acme/hub", sha), "https://github.com/acme/hub/commit/0477ffc");
        assert_eq!(
            history_url("https://github.com/acme/hub", sha, "content/politique.md"),
            "https://github.com/acme/hub/commits/0477ffc/content/politique.md"
        );
        assert_eq!(commit_url("https://gitlab.acme.example/comms/hub", sha), "https://gitlab.acme.example/comms/hub/-/commit/0477ffc");
        assert_eq!(
            history_url("https://gitlab.acme.example/comms/hub", sha, "content/politique.md"),
            "https://gitlab.acme.example/comms/hub/-/commits/0477ffc/content/politique.md"
        );
        assert_eq!(commit_url("https://codeberg.org/acme/hub", sha), "https://codeberg.org/acme/hub/commit/0477ffc");
        assert_eq!(
            history_url("https://git.acme.example/acme/hub", sha, "content/politique.md"),
            "https://git.acme.example/acme/hub/commits/commit/0477ffc/content/politique.md"
        );
        assert_eq!(history_url("https://github.com/a/b", sha, "content/règles.md"), "https://github.com/a/b/commits/0477ffc/content/r%C3%A8gles.md");
    }
}
