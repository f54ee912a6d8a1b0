//! `chorus init`: a new hub from a small starter (French and English, one
//! policy, one guide, one campaign) that builds clean.

use std::path::Path;

use include_dir::{include_dir, Dir};

use crate::cli::{Cli, InitArgs};
use crate::diagnostics::{Error, Errors};

/// The starter hub, as it was when chorus was built.
static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/cmd/init/starter");

/// Creates the hub and says what to do next.
pub fn run(cli: &Cli, args: &InitArgs) -> Result<(), Errors> {
    let files = init(&args.dir)?;
    if !cli.quiet {
        println!("Created a new hub in {} ({files} files).", args.dir.display());
        println!("Next: cd {} && chorus build", args.dir.display());
    }
    Ok(())
}

/// Writes the starter hub into `dir`, which must not exist or be empty.
/// Returns the number of files written.
pub fn init(dir: &Path) -> Result<usize, Error> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !empty {
            return Err(Error::in_file(dir, "this folder already exists and is not empty")
                .with_help("pick a new folder name; chorus init never overwrites files"));
        }
    }
    let today = chrono::Local::now().date_naive();
    let in_30_days = today + chrono::Days::new(30);
    let files = crate::util::embedded::files(&STARTER);
    for file in &files {
        let path = dir.join(file.path());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::in_file(parent, format!("cannot create: {e}")))?;
        }
        let text = String::from_utf8_lossy(file.contents())
            .replace("{{today}}", &today.format("%Y-%m-%d").to_string())
            .replace("{{in_30_days}}", &in_30_days.format("%Y-%m-%d").to_string());
        std::fs::write(&path, text).map_err(|e| Error::in_file(&path, format!("cannot write: {e}")))?;
    }
    // The build's output, and the staging and set-aside folders a killed build leaves beside it.
    std::fs::write(dir.join(".gitignore"), "/public/\n/.public.building-*/\n/.public.old-*/\n/.chorus/\n")
        .map_err(|e| Error::in_file(dir.join(".gitignore"), format!("cannot write: {e}")))?;
    Ok(files.len() + 1)
}
