//! The policy's history from git, on a repository the test makes: two
//! versions of the policy (and a typo fix of the second) committed on known
//! days. The page lists the versions with links to the forge, shows what
//! changed word by word, and serves the earlier version, superseded and kept
//! out of search; outside git, in a shallow clone or without `git`, the hub
//! builds with no history. The banner and the acknowledgement run in Chromium.

mod common;

use std::path::Path;
use std::process::Command;

use common::browser::{launch, serve, text_of, wait_for};
use common::Hub;

/// Runs git in `dir` with a fixed author and the commit date `date`.
fn git(dir: &Path, args: &[&str], date: &str) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Comms")
        .env("GIT_AUTHOR_EMAIL", "comms@acme.example")
        .env("GIT_COMMITTER_NAME", "Comms")
        .env("GIT_COMMITTER_EMAIL", "comms@acme.example")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The basic fixture in a git repository: policy 2.1 committed on
/// 2026-09-01, then 2.2 (a word changed, a rule added) on 2026-12-01, then a
/// typo fix of 2.2 on 2026-12-02. Returns the hub and the two versions' commits.
fn hub_in_git() -> (Hub, String, String) {
    let hub = Hub::copy("basic");
    let yaml = hub.read("hub.yaml");
    hub.write("hub.yaml", &format!("{yaml}repo_url: \"https://github.com/acme/hub\"\n"));
    let root = hub.root();
    git(root, &["init", "-q", "-b", "main"], "2026-09-01T09:00:00Z");
    git(root, &["add", "-A"], "2026-09-01T09:00:00Z");
    git(root, &["commit", "-q", "-m", "policy 2.1"], "2026-09-01T09:00:00Z");
    let first = git(root, &["rev-parse", "HEAD"], "2026-09-01T09:00:00Z");
    let policy = hub.read("content/politique.md");
    let v22 = policy
        .replace("version: \"2.1\"", "version: \"2.2\"")
        .replace("effective: 2026-09-01", "effective: 2026-12-01")
        .replace("**Partager** nos actualités publiques.", "**Partager** nos actualités publiées.")
        .replace("## À éviter", "```do\n**Citer** vos sources.\n```\n\n## À éviter");
    assert_ne!(v22, policy);
    hub.write("content/politique.md", &v22);
    git(root, &["commit", "-q", "-am", "policy 2.2"], "2026-12-01T09:00:00Z");
    let second = git(root, &["rev-parse", "HEAD"], "2026-12-01T09:00:00Z");
    hub.write("content/politique.md", &v22.replace("vos sources.", "toujours vos sources."));
    git(root, &["commit", "-q", "-am", "policy 2.2: wording"], "2026-12-02T09:00:00Z");
    (hub, first, second)
}

fn build(hub: &Hub, path: Option<&str>) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_chorus"));
    command.args(["build", "--now", "2026-12-02", "--color", "never", "--no-minify"]).current_dir(hub.root());
    if let Some(path) = path {
        command.env("PATH", path);
    }
    let out = command.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    hub.read("public/politique/index.html")
}

#[test]
fn the_policy_lists_its_versions_and_shows_what_changed() {
    let (hub, first, second) = hub_in_git();
    let page = build(&hub, None);
    // The versions, the one in force first, each from the commit that brought it in.
    let history = &page[page.find("class=\"policy-history\"").expect("the history")..];
    let v22 = history.find("<strong>Version 2.2</strong>").expect("2.2, in force");
    let v21 = history.find("<a href=\"/politique/v/2.1/\">Version 2.1</a>").expect("2.1, linked");
    assert!(v22 < v21, "newest first");
    assert!(history.contains(&format!("href=\"https://github.com/acme/hub/commit/{second}\"")), "2.2 came with its first commit, not the typo fix");
    assert!(history.contains(&format!("href=\"https://github.com/acme/hub/commit/{first}\"")));
    assert!(history.contains("<time datetime=\"2026-12-01\">1er décembre 2026</time>"), "commit and effective dates");
    assert!(history.contains("/commits/") && history.contains("/content/politique.md\""), "the file's history on the forge");

    // What changed since 2.1: words removed and added, announced.
    let changes = &page[page.find("id=\"policy-changes\"").expect("what changed")..];
    assert!(changes.contains("Ce qui a changé depuis la version 2.1"), "{changes}");
    assert!(changes.contains("<del><span class=\"visually-hidden\">retiré : </span>publiques.</del>"), "{changes}");
    assert!(changes.contains("<ins><span class=\"visually-hidden\">ajouté : </span>publiées.</ins>"), "{changes}");
    assert!(changes.contains("Citer toujours vos sources."), "the version's latest text: {changes}");

    // The earlier version at its own URL: superseded, pointing to 2.2, not indexed.
    let old = hub.read("public/politique/v/2.1/index.html");
    assert!(old.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(old.contains("La version 2.1 n&#39;est plus en vigueur") || old.contains("La version 2.1 n'est plus en vigueur"), "{old}");
    assert!(old.contains("<a href=\"/politique/\">Lire la version 2.2, en vigueur</a>"));
    assert!(old.contains("nos actualités publiques.") && !old.contains("Citer"), "the text as it was");
    let urls = indexed_urls(&hub.path("public/pagefind/fragment"));
    assert!(urls.iter().any(|u| u == "/politique/") && !urls.iter().any(|u| u.contains("/v/")), "kept out of the hub's search: {urls:?}");
    assert!(!old.contains("policy-ack-button"), "an earlier version is not acknowledged");
    assert!(!hub.read("public/sitemap.xml").contains("/v/2.1/"), "nor in the sitemap");
    // Every page carries the banner for 2.2 (shown by the script until acknowledged).
    let home = hub.read("public/index.html");
    assert!(home.contains("data-policy=\"politique\" data-version=\"2.2\"") && home.contains("a changé le 1er décembre 2026"), "{home}");
}

#[test]
fn outside_git_a_shallow_clone_or_no_git_builds_without_history() {
    let (hub, ..) = hub_in_git();
    // No git on the PATH.
    let page = build(&hub, Some("/nonexistent"));
    assert!(!page.contains("policy-history") && !page.contains("policy-changes"));
    // A shallow clone.
    let shallow = tempfile::tempdir().unwrap();
    let url = format!("file://{}", hub.root().display());
    git(shallow.path(), &["clone", "-q", "--depth", "1", &url, "hub"], "2026-12-02T09:00:00Z");
    let out =
        Command::new(env!("CARGO_BIN_EXE_chorus")).args(["build", "--now", "2026-12-02"]).current_dir(shallow.path().join("hub")).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!shallow.path().join("hub/public/politique/v").exists());
    // No repository at all.
    let plain = Hub::copy("basic");
    assert!(!build(&plain, None).contains("policy-history"));
    assert!(!plain.path("public/politique/v").exists());
}

#[test]
fn the_banner_shows_until_the_version_is_acknowledged_in_chromium() {
    let (hub, ..) = hub_in_git();
    build(&hub, None);
    let base = serve(&hub.path("public"));
    let profile = tempfile::tempdir().unwrap();
    let Some(browser) = launch(profile.path()) else { return };
    let tab = browser.new_tab().unwrap();
    let banner = "(() => { const b = document.querySelector('.policy-banner'); return b && !b.hidden ? b.innerText : ''; })()";

    tab.navigate_to(&format!("{base}/")).unwrap().wait_until_navigated().unwrap();
    let shown = wait_for("the banner", || Some(text_of(&tab, banner)).filter(|t| !t.is_empty()));
    assert!(shown.contains("La politique réseaux sociaux a changé le 1er décembre 2026."), "{shown}");
    // "See what changed" opens the changes on the policy page.
    tab.wait_for_element(".policy-banner a").unwrap().click().unwrap();
    wait_for("the policy page", || tab.get_url().ends_with("/politique/#policy-changes").then_some(()));
    wait_for("the changes opened", || (text_of(&tab, "String(document.getElementById('policy-changes').open)") == "true").then_some(()));
    // Acknowledged: the banner goes, here and on every page.
    tab.wait_for_element("button.policy-ack-button").unwrap().click().unwrap();
    assert_eq!(text_of(&tab, banner), "");
    assert_eq!(text_of(&tab, "document.activeElement.className"), "policy-ack-status", "the keyboard's place is kept");
    tab.navigate_to(&format!("{base}/page/")).unwrap().wait_until_navigated().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(text_of(&tab, banner), "", "acknowledged in this browser");

    // Another browser: the banner again; dismissed, it stays away for this version.
    tab.evaluate("localStorage.clear()", false).unwrap();
    tab.reload(false, None).unwrap().wait_until_navigated().unwrap();
    wait_for("the banner again", || Some(text_of(&tab, banner)).filter(|t| !t.is_empty()));
    tab.wait_for_element(".policy-banner-dismiss").unwrap().click().unwrap();
    assert_eq!(text_of(&tab, banner), "");
    tab.navigate_to(&format!("{base}/")).unwrap().wait_until_navigated().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(text_of(&tab, banner), "", "dismissed for 2.2");
    assert_eq!(text_of(&tab, "localStorage.getItem('chorus:banner-dismissed:politique')"), "2.2");
}

/// The URL of every page in the search index (its fragments, gzipped JSON
/// behind Pagefind's signature).
fn indexed_urls(fragments: &std::path::Path) -> Vec<String> {
    use std::io::Read;
    std::fs::read_dir(fragments)
        .unwrap()
        .map(|entry| {
            let mut json = Vec::new();
            flate2::read::GzDecoder::new(std::fs::File::open(entry.unwrap().path()).unwrap()).read_to_end(&mut json).unwrap();
            let fragment: serde_json::Value = serde_json::from_slice(json.strip_prefix(b"pagefind_dcd").unwrap()).unwrap();
            fragment["url"].as_str().unwrap().to_string()
        })
        .collect()
}
