//! Which folders a build may replace, and the leftovers of builds that died.
//!
//! A build replaces its output folder whole, so it must never be pointed at
//! something it did not write: the hub's own sources, the hub itself, or a
//! folder of someone else's files. Each output carries a [`MARKER`] file; a
//! folder holding it (or, from builds made before the marker existed,
//! `_chorus/links.json`) is a previous output and may be replaced.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Error;

/// The file every build writes at the top of its output.
pub const MARKER: &str = ".chorus-output";

/// What the marker says to whoever opens it.
pub const MARKER_TEXT: &str = "This folder is written by `chorus build`, which replaces it whole on each build.\n";

/// The hub folders an output must not be, hold or sit in.
const SOURCES: [&str; 5] = ["content", "templates", "static", "themes", "i18n"];

/// Refuses an output folder a build would destroy something in: the hub
/// root, a folder holding it, a source folder (or a folder in or around
/// one), a path that is not a folder, or (unless `force`) a non-empty folder
/// that is not a previous output.
pub fn check(root: &Path, output: &Path, force: bool) -> Result<(), Error> {
    let root = resolve(root);
    let out = resolve(output);
    let refuse = |why: String, help: &str| Err(Error::in_file(output, why).with_help(help.to_string()));
    let elsewhere = "write the site to a folder of its own, such as `public` (the default) or `dist`";
    if root.starts_with(&out) {
        let what = if root == out { "is the hub's own folder" } else { "holds the hub" };
        return refuse(format!("cannot build into this folder: it {what} ({}), which a build would replace", root.display()), elsewhere);
    }
    for source in SOURCES {
        // Resolved too: a source folder may be a link to a folder outside the hub.
        let dir = resolve(&root.join(source));
        if out.starts_with(&dir) || dir.starts_with(&out) {
            let place = if out == dir {
                "is"
            } else if out.starts_with(&dir) {
                "is inside"
            } else {
                "holds"
            };
            return refuse(format!("cannot build into this folder: it {place} the hub's `{source}/` folder, which a build would replace"), elsewhere);
        }
    }
    let Ok(meta) = fs::metadata(output) else { return Ok(()) };
    if !meta.is_dir() {
        return refuse("cannot build here: this is a file, not a folder".into(), elsewhere);
    }
    if is_empty(output) || force || is_previous_output(output) {
        return Ok(());
    }
    refuse(
        format!(
            "cannot build into this folder: it is not empty and holds no earlier chorus output (no `{MARKER}` file), and a build replaces it whole"
        ),
        "pick an empty or new folder; to replace this folder and everything in it, add `--force`",
    )
}

/// Whether `dir` holds nothing, or only a placeholder that keeps an empty
/// folder in git (`.gitkeep`, `.keep`).
fn is_empty(dir: &Path) -> bool {
    fs::read_dir(dir)
        .is_ok_and(|entries| entries.filter_map(std::result::Result::ok).all(|e| matches!(e.file_name().to_str(), Some(".gitkeep" | ".keep"))))
}

/// Whether `dir` was written by an earlier build: it holds the marker, or the
/// links manifest of builds made before the marker existed.
pub fn is_previous_output(dir: &Path) -> bool {
    dir.join(MARKER).is_file() || dir.join(crate::share::links::MANIFEST_PATH).is_file()
}

/// An absolute path with `.`, `..` and symbolic links resolved as far as the
/// path exists (the rest is joined as written), so that `content/../public`
/// and a link to `content/` are seen for what they are.
fn resolve(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/")).join(path) };
    let mut resolved = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            other => {
                resolved.push(other);
                if let Ok(real) = fs::canonicalize(&resolved) {
                    resolved = real;
                }
            }
        }
    }
    resolved
}

/// The staging (`.<name>.building-<pid>`) and set-aside
/// (`.<name>.old-<pid>`) folders that builds of output `name` left in
/// `parent` when they were killed: those whose process is gone are removed.
/// A live build's folders are left alone.
pub fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.filter_map(std::result::Result::ok) {
        let file_name = entry.file_name();
        let Some(pid) = leftover_pid(&file_name.to_string_lossy(), name) else { continue };
        if pid != std::process::id() && !process_alive(pid) && entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// The process id in `.<name>.building-<pid>` or `.<name>.old-<pid>`.
fn leftover_pid(file_name: &str, name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?.strip_prefix(name)?.strip_prefix('.')?;
    let pid = rest.strip_prefix("building-").or_else(|| rest.strip_prefix("old-"))?;
    pid.parse().ok()
}

/// Whether a process with this id exists (one we may not signal exists too).
#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
    // SAFETY: kill(2) with signal 0 sends nothing; it only checks the pid.
    let found = unsafe { libc::kill(pid, 0) } == 0;
    found || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Elsewhere, every folder is assumed to belong to a live build.
#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftover_names_carry_the_pid() {
        assert_eq!(leftover_pid(".public.building-123", "public"), Some(123));
        assert_eq!(leftover_pid(".public.old-9", "public"), Some(9));
        assert_eq!(leftover_pid(".dist.building-9", "public"), None);
        assert_eq!(leftover_pid(".public.building-x", "public"), None);
        assert_eq!(leftover_pid("public", "public"), None);
    }

    #[test]
    fn paths_are_resolved_through_dot_dot() {
        let dir = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir(root.join("content")).unwrap();
        assert_eq!(resolve(&root.join("content/../public")), root.join("public"));
        assert_eq!(resolve(&root.join("public/./a")), root.join("public/a"));
    }

    #[test]
    fn this_process_is_alive() {
        assert!(process_alive(std::process::id()));
    }
}
