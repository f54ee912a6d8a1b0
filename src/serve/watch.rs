//! Watching the hub's files: notify, debounced, on the folders a hub is made
//! of and on `hub.yaml`. Each batch of changed paths goes to the rebuild loop.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::event::ModifyKind;
use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use crate::diagnostics::Error;

/// The folders of a hub that are watched (whole trees), when they exist.
pub const FOLDERS: &[&str] = &["content", "templates", "static", "i18n", "themes"];

/// How long a file must be quiet before its change is handled: editors
/// write a file in several steps (temp file, rename), and this is enough to
/// see them as one.
const QUIET: Duration = Duration::from_millis(20);

fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    }
}

/// A running watch.
pub struct Watch {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
}

impl Watch {
    /// Starts watching `root`; each debounced batch of changed paths is sent
    /// on `changes`.
    pub fn start(root: &Path, changes: mpsc::Sender<Vec<PathBuf>>) -> Result<Watch, Error> {
        let handler = move |result: DebounceEventResult| {
            let paths: Vec<PathBuf> = match result {
                // Reading a file (as every rebuild does) is an event too: only
                // writes, creations, removals and renames are changes.
                Ok(events) => events.into_iter().filter(|e| is_change(&e.event.kind)).flat_map(|e| e.event.paths).collect(),
                Err(errors) => {
                    for e in errors {
                        eprintln!("chorus serve: watch: {e}");
                    }
                    return;
                }
            };
            if !paths.is_empty() {
                let _ = changes.send(paths);
            }
        };
        let debouncer = new_debouncer(QUIET, Some(QUIET / 4), handler).map_err(|e| Error::new(format!("cannot watch the hub's files: {e}")))?;
        let mut watch = Watch { debouncer, root: root.to_path_buf() };
        // The root itself (not its tree): hub.yaml, and folders created later.
        watch.debouncer.watch(root, RecursiveMode::NonRecursive).map_err(|e| Error::in_file(root, format!("cannot watch: {e}")))?;
        for folder in FOLDERS {
            watch.folder_appeared(&root.join(folder));
        }
        Ok(watch)
    }

    /// Starts watching a hub folder (`content/`…) that now exists; other paths are ignored.
    pub fn folder_appeared(&mut self, path: &Path) {
        let is_hub_folder = path.parent() == Some(self.root.as_path()) && path.file_name().is_some_and(|n| FOLDERS.iter().any(|f| n == *f));
        if is_hub_folder && path.is_dir() {
            if let Err(e) = self.debouncer.watch(path, RecursiveMode::Recursive) {
                eprintln!("chorus serve: cannot watch {}: {e}", path.display());
            }
        }
    }
}
