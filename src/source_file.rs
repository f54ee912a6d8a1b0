//! Reading the hub's text files (hub.yaml, Markdown, templates, i18n files):
//! they must be UTF-8, and a file that is not gets an error naming the line
//! and column of the first byte that is not, and how to fix it.

use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::Error;

/// Reads the text file at `path`, shown as `shown` in errors.
pub fn read(path: &Path, shown: &Path) -> Result<String, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::in_file(shown, format!("cannot read: {e}")))?;
    decode(shown, bytes)
}

/// The text of `bytes` read from `shown`, or an error pointing at the first byte that is not UTF-8.
pub fn decode(shown: &Path, bytes: Vec<u8>) -> Result<String, Error> {
    String::from_utf8(bytes).map_err(|e| {
        let bad = e.utf8_error();
        let at = bad.valid_up_to();
        let bytes = e.into_bytes();
        let byte = bytes[at];
        // The lossy text matches the file up to the bad byte, so the offset is the same in both.
        let shown_text: Arc<str> = Arc::from(String::from_utf8_lossy(&bytes).into_owned());
        Error::at(
            shown,
            &shown_text,
            at,
            char::REPLACEMENT_CHARACTER.len_utf8(),
            format!("this file is not UTF-8: byte 0x{byte:02X} is not valid UTF-8 text"),
        )
        .with_label("not UTF-8")
        .with_help(
            "save the file as UTF-8 (in your editor: “Save with encoding” › UTF-8); \
             a file saved as Latin-1 or Windows-1252 shows this on its first accented letter",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_byte_is_located_by_line_and_character_column() {
        let e = decode(Path::new("a.md"), b"---\ntitle: \"\xc3\xa9t\xe9\"\n".to_vec()).unwrap_err();
        // `é` (two bytes in UTF-8) counts as one column; the Latin-1 `é` is the 11th character.
        assert_eq!(e.to_string(), "a.md:2:11: this file is not UTF-8: byte 0xE9 is not valid UTF-8 text");
        assert!(e.help.as_deref().unwrap_or_default().contains("save the file as UTF-8"));
    }

    #[test]
    fn utf8_text_is_returned_as_is() {
        assert_eq!(decode(Path::new("a.md"), "café 🎉".as_bytes().to_vec()).unwrap(), "café 🎉");
    }
}
