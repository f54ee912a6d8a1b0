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

/// The approval files `chorus init` writes: CODEOWNERS sends the policy to the
/// legal team, the pull-request templates carry a checklist, and the GitHub
/// and GitLab pipelines run `chorus` commands that work on the new hub (each is
/// run here, as the pipeline would, with this build of chorus on the PATH).
#[test]
fn init_writes_approval_rules_and_pipelines_whose_commands_run() {
    let dir = tempfile::tempdir().unwrap();
    let hub = dir.path().join("hub");
    assert!(chorus(&["init", hub.to_str().unwrap()]).status.success());
    let read = |rel: &str| std::fs::read_to_string(hub.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));

    let owners = read("CODEOWNERS");
    assert!(owners.lines().any(|l| l.starts_with("/content/politique*") && l.contains("@acme/legal")), "{owners}");
    assert!(owners.lines().any(|l| l.starts_with("/content/campagnes/") && l.contains("@acme/comms")), "{owners}");
    for template in [".github/pull_request_template.md", ".gitlab/merge_request_templates/Default.md"] {
        assert!(read(template).matches("- [ ] ").count() >= 8, "{template}: a compliance checklist");
    }

    // Run a pipeline's shell line as CI would: `chorus` is this build.
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_chorus")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let run = |line: &str| {
        let out = Command::new("sh").args(["-c", line]).current_dir(&hub).env("PATH", &path).output().unwrap();
        assert!(out.status.success(), "`{line}`: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };

    let github: serde_yaml::Value = serde_yaml::from_str(&read(".github/workflows/chorus.yml")).unwrap();
    let on = &github["on"];
    assert!(on.get("pull_request").is_some(), "checks every pull request");
    assert_eq!(on["push"]["branches"][0], "main", "publishes the main branch");
    assert!(on["schedule"][0]["cron"].as_str().is_some_and(|c| c.split_whitespace().count() == 5), "rebuilds daily");
    let mut ran = Vec::new();
    for (name, job) in github["jobs"].as_mapping().unwrap() {
        let steps = job["steps"].as_sequence().unwrap();
        let checkout = steps.iter().find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("actions/checkout"))).unwrap();
        assert_eq!(checkout["with"]["fetch-depth"], 0, "{name:?}: the whole history, for the policy's versions");
        for line in steps.iter().filter_map(|s| s["run"].as_str()) {
            if line.starts_with("chorus ") {
                let out = run(line);
                if line.contains("--format github") {
                    assert_eq!(out, "", "a clean hub has no annotation");
                }
                ran.push(line.to_string());
            } else {
                assert!(line.contains("cargo install --locked"), "{name:?}: only chorus is installed: {line}");
            }
        }
    }
    assert!(ran.contains(&"chorus check --format github".to_string()) && ran.contains(&"chorus build".to_string()), "{ran:?}");
    assert!(hub.join("public/index.html").is_file());

    let gitlab: serde_yaml::Value = serde_yaml::from_str(&read(".gitlab-ci.yml")).unwrap();
    assert_eq!(gitlab["variables"]["GIT_DEPTH"], "0");
    let check = &gitlab["check"];
    assert_eq!(check["rules"][0]["if"], "$CI_PIPELINE_SOURCE == \"merge_request_event\"");
    assert_eq!(check["artifacts"]["reports"]["codequality"], "gl-code-quality-report.json");
    for job in ["check", "pages"] {
        for line in gitlab[job]["script"].as_sequence().unwrap().iter().filter_map(|l| l.as_str()) {
            assert!(line.starts_with("chorus "), "{job}: {line}");
            run(line);
        }
    }
    let report: serde_json::Value = serde_json::from_str(&read("gl-code-quality-report.json")).unwrap();
    assert_eq!(report, serde_json::json!([]), "a clean hub has no issue");
    assert_eq!(gitlab["pages"]["artifacts"]["paths"][0], "public", "GitLab Pages publishes public/");

    // A broken campaign: the pull request's check names the file and line on both forges.
    let page = read("content/campagnes/bienvenue.md").replacen("campaign:", "campaign: Pas Un Id\nx-campaign:", 1);
    std::fs::write(hub.join("content/campagnes/bienvenue.md"), page).unwrap();
    let out = Command::new("sh").args(["-c", "chorus check --format github"]).current_dir(&hub).env("PATH", &path).output().unwrap();
    assert!(!out.status.success());
    let annotations = String::from_utf8_lossy(&out.stdout);
    assert!(annotations.starts_with("::error file=content/campagnes/bienvenue.md,line="), "{annotations}");
    let out = Command::new("sh").args(["-c", "chorus check --format gitlab"]).current_dir(&hub).env("PATH", &path).output().unwrap();
    let issues: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(issues[0]["location"]["path"], "content/campagnes/bienvenue.md", "{issues}");
    assert_eq!(issues[0]["severity"], "major");
}
