//! Which files of a hub are not the author's: editors' temporary and backup
//! files, hidden files and folders. The content walk, the theme's file walk
//! and `chorus serve`'s watcher all skip them by the same rule.

/// Editors' temporary and backup files, hidden files and folders, by name.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with('~')
        || [".swp", ".swx", ".tmp", ".bak", ".orig"].iter().any(|ext| name.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_and_hidden_files_are_ignored() {
        for name in [".git", ".page.md.swp", "page.md~", "~page.md", "#page.md#", ".#page.md", "page.md.tmp", "page.bak", "page.md.orig", "x.swx"] {
            assert!(is_ignored(name), "{name}");
        }
    }

    #[test]
    fn hub_files_are_kept() {
        for name in ["page.md", "_index.fr.md", "salon.jpg", "#hashtag.md", "notes-tmp.md"] {
            assert!(!is_ignored(name), "{name}");
        }
    }
}
