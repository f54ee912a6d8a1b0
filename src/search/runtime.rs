//! Pagefind's search script, its worker and its WebAssembly per language,
//! taken from the `pagefind` crate through its API: an index of one tiny
//! record per language is built, and everything it writes but its own index
//! files is kept. The entry file tells the version and which languages have a
//! stemming WebAssembly. Built once per set of languages and process.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use pagefind::api::PagefindIndex;

use crate::diagnostics::Error;

/// What the index's own files go with.
#[derive(Debug)]
pub struct Runtime {
    /// Pagefind's version, which its script checks against the index's.
    pub version: String,
    /// Each language's stemming WebAssembly (`wasm.<code>.pagefind`), if any.
    pub wasm: HashMap<String, Option<String>>,
    /// The script, worker, WebAssembly and UI files: (path under the bundle, bytes).
    pub files: Vec<(String, Arc<[u8]>)>,
}

fn error(e: impl std::fmt::Display) -> Error {
    Error::new(format!("search index: {e}"))
}

/// The runtime for these languages (sorted, deduplicated).
pub fn for_languages(languages: &[String]) -> Result<Arc<Runtime>, Error> {
    static BUILT: OnceLock<Mutex<HashMap<Vec<String>, Arc<Runtime>>>> = OnceLock::new();
    let built = BUILT.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(runtime) = built.lock().map_err(|_| error("poisoned"))?.get(languages) {
        return Ok(runtime.clone());
    }
    let runtime = Arc::new(build(languages)?);
    built.lock().map_err(|_| error("poisoned"))?.insert(languages.to_vec(), runtime.clone());
    Ok(runtime)
}

fn build(languages: &[String]) -> Result<Runtime, Error> {
    let tokio = crate::util::runtime::current_thread().map_err(error)?;
    let mut index = PagefindIndex::new(None).map_err(error)?;
    let files = tokio.block_on(async {
        for lang in languages {
            let meta = std::collections::BTreeMap::from([("title".to_string(), "chorus".to_string())]);
            index.add_custom_record(format!("/{lang}/"), "chorus".into(), lang.clone(), Some(meta), None, None).await?;
        }
        index.get_files().await
    });
    let files = files.map_err(error)?;
    let mut runtime = Runtime { version: String::new(), wasm: HashMap::new(), files: Vec::new() };
    for file in files {
        let name = file.filename.to_string_lossy().replace('\\', "/").trim_start_matches('/').to_string();
        if name == "pagefind-entry.json" {
            let entry: serde_json::Value = serde_json::from_slice(&file.contents).map_err(error)?;
            runtime.version = entry["version"].as_str().unwrap_or_default().to_string();
            for lang in languages {
                let wasm = entry["languages"][lang.as_str()]["wasm"].as_str().map(str::to_string);
                runtime.wasm.insert(lang.clone(), wasm);
            }
        } else if !(name.ends_with(".pf_meta") || ["index/", "fragment/", "filter/"].iter().any(|dir| name.starts_with(dir))) {
            runtime.files.push((name, file.contents.into()));
        }
    }
    if runtime.version.is_empty() {
        return Err(error("Pagefind wrote no entry file"));
    }
    Ok(runtime)
}
