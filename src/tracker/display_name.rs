//! Display names of the opt-in leaderboard: what a name may be, and when two
//! names are the same one. A name is shown to every employee, so it must read
//! as what it is: no invisible or direction-changing characters, no letters of
//! two scripts passing for one, and not someone else's name in other capitals.

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
use unicode_security::MixedScript;

/// A display name fit for the leaderboard, and the key no other id may hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName {
    /// The name as shown: NFC, runs of spaces made one, trimmed.
    pub text: String,
    /// The same name in any capitals or compatibility forms (NFKC, lower
    /// case): two ids cannot hold names with the same key.
    pub key: String,
}

/// Why a display name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Fewer than 2 or more than 40 characters.
    Length,
    /// A control, format (bidi controls, zero-width characters), line or
    /// paragraph separator, or an invisible filler character.
    Invisible,
    /// `<` or `>`.
    Markup,
    /// Not one visible letter.
    NoLetter,
    /// Letters of several scripts (a Cyrillic "а" among Latin letters).
    MixedScripts,
}

impl Refusal {
    /// What the employee is told, with what to do.
    pub fn message(self) -> &'static str {
        match self {
            Refusal::Length => "a display name has 2 to 40 characters\n",
            Refusal::Invisible => {
                "a display name cannot hold invisible characters (control, format, direction or zero-width characters): type it again\n"
            }
            Refusal::Markup => "a display name cannot hold < or >\n",
            Refusal::NoLetter => "a display name needs at least one letter\n",
            Refusal::MixedScripts => "a display name is written in one script: do not mix alphabets (such as Latin and Cyrillic letters)\n",
        }
    }
}

/// Letters (general category Lo) that show nothing: the Hangul fillers
/// (Default_Ignorable_Code_Point in Unicode's DerivedCoreProperties.txt), and
/// the combining grapheme joiner and Khmer inherent vowels of the same list.
const INVISIBLE_LETTERS: [char; 7] = ['\u{115F}', '\u{1160}', '\u{3164}', '\u{FFA0}', '\u{034F}', '\u{17B4}', '\u{17B5}'];

/// Whether `c` is invisible or changes how the text around it reads:
/// categories Cc, Cf (U+202E, U+2066–2069, U+200B…), Zl and Zp, and the
/// invisible letters.
fn is_invisible(c: char) -> bool {
    matches!(
        c.general_category(),
        GeneralCategory::Control | GeneralCategory::Format | GeneralCategory::LineSeparator | GeneralCategory::ParagraphSeparator
    ) || INVISIBLE_LETTERS.contains(&c)
}

/// Checks a display name and makes it the one shown (see [`DisplayName`]).
pub fn clean(name: &str) -> Result<DisplayName, Refusal> {
    // Checked before spaces are tidied: Rust counts U+2028 and U+2029 as
    // white space, and they must be refused, not folded away.
    if name.chars().any(is_invisible) {
        return Err(Refusal::Invisible);
    }
    let text = name.nfc().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ");
    if !(2..=40).contains(&text.chars().count()) {
        return Err(Refusal::Length);
    }
    if text.contains(['<', '>']) {
        return Err(Refusal::Markup);
    }
    if !text.chars().any(char::is_alphabetic) {
        return Err(Refusal::NoLetter);
    }
    // UTS #39 script sets: digits, spaces and punctuation go with any
    // script, and Japanese mixing kanji and kana is one writing system.
    if !text.as_str().is_single_script() {
        return Err(Refusal::MixedScripts);
    }
    let key = text.nfkc().collect::<String>().to_lowercase();
    Ok(DisplayName { text, key })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalised_and_keyed_without_case() {
        let name = clean("  Camille   D. ").unwrap();
        assert_eq!(name.text, "Camille D.");
        assert_eq!(name.key, clean("CAMILLE d.").unwrap().key, "the same name in other capitals");
        assert_eq!(name.key, clean("Ｃａｍｉｌｌｅ D.").unwrap().key, "full-width letters are the same letters");
        assert_eq!(clean("Jose\u{301}").unwrap().text, "José", "NFC");
        assert_eq!(clean("José").unwrap().key, clean("Jose\u{301}").unwrap().key);
        for fine in ["Zoë", "Ζωή Π.", "Алиса", "山田 太郎", "やまだ タロウ", "R2-D2", "O'Neil ❤"] {
            assert!(clean(fine).is_ok(), "{fine}");
        }
    }

    #[test]
    fn invisible_characters_are_refused() {
        for bad in [
            "Camille\u{202E}D.", // right-to-left override
            "\u{2066}Camille\u{2069}",
            "Cam\u{200B}ille", // zero-width space
            "Cam\u{200D}ille", // zero-width joiner
            "Camille\u{FEFF}",
            "Camille\u{2028}D.", // line separator (Zl)
            "Camille\u{2029}D.", // paragraph separator (Zp)
            "Camille\tD.",
            "Camille\u{7}",
            "\u{3164}\u{3164}", // Hangul fillers: letters that show nothing
        ] {
            assert_eq!(clean(bad), Err(Refusal::Invisible), "{bad:?}");
        }
    }

    #[test]
    fn names_without_letters_or_mixing_scripts_are_refused() {
        assert_eq!(clean("   "), Err(Refusal::Length));
        assert_eq!(clean("x"), Err(Refusal::Length));
        assert_eq!(clean(&"a".repeat(41)), Err(Refusal::Length));
        assert_eq!(clean("..."), Err(Refusal::NoLetter));
        assert_eq!(clean("1234"), Err(Refusal::NoLetter));
        assert_eq!(clean("\u{2800}\u{2800}"), Err(Refusal::NoLetter), "braille blanks");
        assert_eq!(clean("<b>Camille</b>"), Err(Refusal::Markup));
        assert_eq!(clean("Сamille"), Err(Refusal::MixedScripts), "a Cyrillic С among Latin letters");
        assert_eq!(clean("Camіlle"), Err(Refusal::MixedScripts), "a Ukrainian і");
        assert_eq!(clean("Αlice"), Err(Refusal::MixedScripts), "a Greek Α");
    }
}
