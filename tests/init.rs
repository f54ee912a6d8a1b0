//! `chorus init` and the sample hub at the repository root.

use std::process::Command;

fn chorus(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_chorus")).args(args).arg("--color").arg("never").output().expect("run chorus")
}

#[test]
fn init_creates_a_hub_that_builds_clean() {
    let dir = tempfile::tempdir().unwrap();
    let hub = dir.path().join("mon-hub");
    let out = chorus(&["init", hub.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(hub.join("hub.yaml").is_file());
    let ignored = std::fs::read_to_string(hub.join(".gitignore")).unwrap();
    assert!(ignored.lines().any(|l| l == "/.chorus/"), "the digest folder is git-ignored: {ignored}");
    let check = chorus(&["check", "--root", hub.to_str().unwrap()]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    let build = chorus(&["build", "--root", hub.to_str().unwrap()]);
    assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
    for page in [
        "index.html",
        "en/index.html",
        "politique/index.html",
        "en/policy/index.html",
        "formation/premiers-pas/index.html",
        "campagnes/bienvenue/index.html",
    ] {
        assert!(hub.join("public").join(page).is_file(), "{page}");
    }
}

#[test]
fn init_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("hub.yaml"), "title: mine\n").unwrap();
    let out = chorus(&["init", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists and is not empty"));
    assert_eq!(std::fs::read_to_string(dir.path().join("hub.yaml")).unwrap(), "title: mine\n");
}

#[test]
fn sample_hub_checks_clean() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = chorus(&["check", "--root", root, "--now", "2026-11-25"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn help_reads_well() {
    let out = chorus(&["--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    for word in ["build", "check", "init", "--root", "--quiet", "--verbose", "--color"] {
        assert!(help.contains(word), "--help lacks {word}:\n{help}");
    }
    let out = chorus(&["build", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    for word in ["--drafts", "--output", "--base-url", "--now", "--no-minify"] {
        assert!(help.contains(word), "build --help lacks {word}:\n{help}");
    }
}
