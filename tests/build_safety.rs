//! What a build may destroy (only what an earlier build wrote), what it leaves
//! behind when killed, and what no input may do to it (crash it).

mod common;

use common::{fingerprint, Hub};

const NOW: &str = "2026-11-25";

/// `chorus build --output <output>`, its stderr unwrapped: miette wraps long
/// messages at 80 columns, and these tests read sentences.
fn build_into(hub: &Hub, output: &str, extra: &[&str]) -> common::Run {
    let mut args = vec!["build", "--now", NOW, "--no-minify", "--output", output];
    args.extend_from_slice(extra);
    let mut run = hub.chorus(&args);
    run.stderr = unwrapped(&run.stderr);
    run
}

/// Text with miette's line wrapping (and its `|` gutter) undone.
fn unwrapped(text: &str) -> String {
    text.split_whitespace().filter(|w| *w != "|").collect::<Vec<_>>().join(" ")
}

#[test]
fn refuses_to_build_into_the_hub_or_its_sources() {
    let hub = Hub::copy("basic");
    hub.write("templates/page.html", "{% extends \"base.html\" %}");
    hub.write("static/img/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    let parent = hub.root().parent().unwrap().to_path_buf();
    let before = fingerprint(hub.root());
    for (output, reason) in [
        ("content", "is the hub's `content/` folder"),
        ("content/campagnes", "is inside the hub's `content/` folder"),
        ("content/../content", "is the hub's `content/` folder"),
        ("templates", "is the hub's `templates/` folder"),
        ("static/img", "is inside the hub's `static/` folder"),
        ("themes/mine", "is inside the hub's `themes/` folder"),
        ("i18n", "is the hub's `i18n/` folder"),
        (".", "is the hub's own folder"),
        ("..", "holds the hub"),
    ] {
        for force in [false, true] {
            let extra: &[&str] = if force { &["--force"] } else { &[] };
            let run = build_into(&hub, output, extra);
            assert_eq!(run.code, 1, "--output {output} (force: {force}) must fail:\n{}{}", run.stdout, run.stderr);
            assert!(run.stderr.contains(reason), "--output {output}: the error says why:\n{}", run.stderr);
            assert!(run.stderr.contains("`public`"), "--output {output}: the error says what to do:\n{}", run.stderr);
        }
    }
    assert_eq!(fingerprint(hub.root()), before, "nothing in the hub changed");
    assert!(std::fs::read_dir(&parent).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().contains(".building-")));
}

#[test]
fn refuses_a_link_to_a_source_folder() {
    let hub = Hub::copy("basic");
    std::os::unix::fs::symlink(hub.path("content"), hub.path("site")).unwrap();
    let before = fingerprint(&hub.path("content"));
    let run = build_into(&hub, "site", &["--force"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("is the hub's `content/` folder"), "{}", run.stderr);
    assert_eq!(fingerprint(&hub.path("content")), before);

    // The hub's content kept elsewhere, behind a link: its folder is refused too.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::rename(hub.path("content"), elsewhere.path().join("content")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("content"), hub.path("content")).unwrap();
    let run = build_into(&hub, elsewhere.path().to_str().unwrap(), &["--force"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("holds the hub's `content/` folder"), "{}", run.stderr);
    assert_eq!(fingerprint(&elsewhere.path().join("content")), before);
}

#[test]
fn refuses_a_folder_of_other_files_unless_forced() {
    let hub = Hub::copy("basic");
    hub.write("dist/notes.txt", "mine");
    hub.write("dist/photos/cat.jpg", "a cat");
    let run = build_into(&hub, "dist", &[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("not empty and holds no earlier chorus output"), "{}", run.stderr);
    assert!(run.stderr.contains("--force"), "the error says how to go on: {}", run.stderr);
    assert_eq!(hub.read("dist/notes.txt"), "mine");
    assert_eq!(hub.read("dist/photos/cat.jpg"), "a cat");

    let run = build_into(&hub, "dist", &["--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(hub.path("dist/index.html").is_file());
    assert!(!hub.path("dist/notes.txt").exists(), "--force replaces the folder");
}

#[test]
fn refuses_a_file_as_output() {
    let hub = Hub::copy("basic");
    hub.write("site.txt", "not a folder");
    let run = build_into(&hub, "site.txt", &["--force"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("this is a file, not a folder"), "{}", run.stderr);
    assert_eq!(hub.read("site.txt"), "not a folder");
}

#[test]
fn replaces_its_own_output_and_new_or_empty_folders() {
    let hub = Hub::copy("basic");
    std::fs::create_dir(hub.path("empty")).unwrap();
    hub.write("kept/.gitkeep", "");
    for output in ["empty", "kept", "dist", "out/deeper/site", "public"] {
        for round in 0..2 {
            let run = build_into(&hub, output, &[]);
            assert_eq!(run.code, 0, "--output {output}, build {round}: {}", run.stderr);
            assert!(hub.path(&format!("{output}/index.html")).is_file());
            assert!(hub.read(&format!("{output}/.chorus-output")).contains("chorus build"), "the output is marked");
        }
    }
    // A folder the user built elsewhere, outside the hub, is fine too.
    let elsewhere = tempfile::tempdir().unwrap();
    let site = elsewhere.path().join("site");
    for _ in 0..2 {
        let run = build_into(&hub, site.to_str().unwrap(), &[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
}

#[test]
fn an_output_built_before_the_marker_existed_is_replaced() {
    let hub = Hub::copy("basic");
    hub.build();
    // What a `public/` of an earlier chorus holds: the site and its links manifest, no marker.
    std::fs::remove_file(hub.path("public/.chorus-output")).unwrap();
    assert!(hub.path("public/_chorus/links.json").is_file());
    hub.write("public/stale.html", "old");
    let run = hub.build();
    assert!(run.stdout.contains("into public"), "{}", run.stdout);
    assert!(!hub.path("public/stale.html").exists());
    assert!(hub.path("public/.chorus-output").is_file());
}

/// The pid of a process that has exited (and been reaped).
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn a_build_removes_what_killed_builds_left() {
    let hub = Hub::copy("basic");
    let dead = dead_pid();
    let live = std::process::id();
    for name in [format!(".public.building-{dead}"), format!(".public.old-{dead}"), format!(".public.building-{live}")] {
        hub.write(&format!("{name}/index.html"), "half a site");
    }
    hub.write(".dist.building-1/index.html", "another output's");
    hub.build();
    assert!(!hub.path(&format!(".public.building-{dead}")).exists(), "a dead build's staging folder is removed");
    assert!(!hub.path(&format!(".public.old-{dead}")).exists(), "a dead build's set-aside output is removed");
    assert!(hub.path(&format!(".public.building-{live}")).exists(), "a running build's staging folder is left alone");
    assert!(hub.path(".dist.building-1").exists(), "another output's folders are left alone");
}

#[test]
fn a_build_killed_while_writing_is_cleaned_up_by_the_next() {
    let hub = Hub::sample();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_chorus"))
        .args(["build", "--now", NOW, "--color", "never", "--root"])
        .arg(hub.root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let staging = hub.path(&format!(".public.building-{}", child.id()));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !staging.join(".chorus-output").exists() {
        assert!(child.try_wait().unwrap().is_none(), "the build ended before it could be killed");
        assert!(std::time::Instant::now() < deadline, "no staging folder appeared");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(staging.is_dir(), "the killed build left its staging folder");
    let run = hub.chorus(&["build", "--now", NOW, "--no-minify"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!staging.exists(), "the next build removed it");
    assert!(hub.path("public/index.html").is_file());
}

#[test]
fn init_ignores_what_killed_builds_leave() {
    let dir = tempfile::tempdir().unwrap();
    let hub = dir.path().join("hub");
    let init = std::process::Command::new(env!("CARGO_BIN_EXE_chorus")).arg("init").arg(&hub).output().unwrap();
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    let git = |args: &[&str]| std::process::Command::new("git").arg("-C").arg(&hub).args(args).output().expect("git");
    assert!(git(&["init", "-q"]).status.success());
    for path in ["public/index.html", ".public.building-4242/index.html", ".public.old-4242/index.html"] {
        std::fs::create_dir_all(hub.join(path).parent().unwrap()).unwrap();
        std::fs::write(hub.join(path), "x").unwrap();
        let ignored = git(&["check-ignore", "-q", path]);
        assert_eq!(ignored.status.code(), Some(0), "{path} is ignored by the starter's .gitignore");
    }
    assert_eq!(git(&["check-ignore", "-q", "content/_index.md"]).status.code(), Some(1), "sources are not ignored");
}

/// A page whose body is `body`, after four lines of front matter and an intro.
fn deep_page(hub: &Hub, body: &str) {
    hub.write("content/profond.md", &format!("---\ntitle: Profond\n---\nIntro.\n\n{body}\n"));
}

#[test]
fn content_nested_too_deep_is_an_error_with_its_place() {
    let hub = Hub::copy("basic");
    // (body, line:column where the limit of 100 levels is passed)
    let over = [
        (format!("{} x", ">".repeat(101)), "6:101"),
        (format!("{} x", ">".repeat(5_000)), "6:101"),
        (format!("{}x", "- ".repeat(51)), "6:101"),
        (format!("{}x", "- ".repeat(5_000)), "6:101"),
        ((0..60).map(|i| format!("{}- x", "  ".repeat(i))).collect::<Vec<_>>().join("\n"), "56:101"),
        (format!("{}x", "<div>".repeat(101)), "6:496"), // the HTML block and 100 divs
        (format!("{}x", "<div>".repeat(10_000)), "6:496"),
        (format!("Du texte {}.", "<span>".repeat(120)), "6:604"), // the paragraph and 100 spans
        (format!("```do\n{} x\n```", ">".repeat(150)), "7:101"),
        (format!("```quiz\n? Une question {}\n- [ ] non\n- [x] oui\n```", "<b>".repeat(150)), "7:313"),
    ];
    for (body, place) in &over {
        deep_page(&hub, body);
        let shown = &body[..body.len().min(40)];
        for command in ["check", "build"] {
            let run = hub.chorus(&[command, "--now", NOW]);
            assert_eq!(run.code, 1, "`{command}` on {shown}…: exit 1, not a crash:\n{}", run.stderr);
            let stderr = unwrapped(&run.stderr);
            assert!(
                stderr.contains(&format!("content/profond.md:{place}: the content here is nested more than 100 levels deep")),
                "`{command}` on {shown}…: the error names the place:\n{stderr}"
            );
            assert!(stderr.contains("flatten"), "and says what to do: {stderr}");
        }
        assert!(!hub.path("public").exists(), "nothing was written");
    }
}

#[test]
fn content_nested_deep_but_within_the_limit_builds() {
    let hub = Hub::copy("basic");
    deep_page(&hub, &format!("{} le fond\n\n{}le bas\n\n{}au cœur", ">".repeat(99), "- ".repeat(50), "<div>".repeat(98)));
    let check = hub.chorus(&["check", "--now", NOW]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    // Minified, as deployed: minify-html and the search index see the whole depth.
    let run = hub.chorus(&["build", "--now", NOW]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = hub.read("public/profond/index.html");
    assert!(page.contains("le fond") && page.contains("le bas") && page.contains("au cœur"));
    assert_eq!(page.matches("<blockquote>").count(), 99);
}

#[test]
fn copied_html_files_nested_too_deep_are_errors_too() {
    for (file, shown) in [("static/profond.html", "profond.html"), ("content/campagnes/annexe.html", "content/campagnes/annexe.html")] {
        let hub = Hub::copy("basic");
        hub.write(file, &format!("<!doctype html>\n<html><body>\n{}x</body></html>\n", "<div>".repeat(5_000)));
        for command in ["check", "build"] {
            let run = hub.chorus(&[command, "--now", NOW]);
            assert_eq!(run.code, 1, "`{command}` with {file}: exit 1, not a crash:\n{}", run.stderr);
            let stderr = unwrapped(&run.stderr);
            assert!(stderr.contains(&format!("{shown}:3:491: this HTML file nests elements more than 100 levels deep")), "`{command}`: {stderr}");
        }
        assert!(!hub.path("public").exists());
    }
}
