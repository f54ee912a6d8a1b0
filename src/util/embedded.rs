//! Folders built into the binary with `include_dir!`.

use include_dir::{Dir, File};

/// Every file under `dir`, at any depth: a folder's own files first, then
/// its subfolders' in the order they were embedded.
pub fn files<'a>(dir: &'a Dir<'a>) -> Vec<&'a File<'a>> {
    let mut out = Vec::new();
    collect(dir, &mut out);
    out
}

fn collect<'a>(dir: &'a Dir<'a>, out: &mut Vec<&'a File<'a>>) {
    out.extend(dir.files());
    for sub in dir.dirs() {
        collect(sub, out);
    }
}
