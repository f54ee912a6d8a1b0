//! The terms a word of text is indexed under, made the way Pagefind's search
//! script makes them of a query, so that the two meet: letters and digits
//! only, lower case, accents folded, then stemmed by the language's Snowball
//! stemmer (`pagefind_stem`, the stemmer of Pagefind's WebAssembly). A word
//! written with accents also keeps that form, which Pagefind ranks first for
//! a query written the same way. A compound (`l’équipe`, `e-mail`,
//! `camelCase`) is indexed whole and by its parts.
//!
//! A hub repeats its words: each distinct word is analysed once, cached, and
//! its terms are numbers into the language's list of strings.

use std::sync::Mutex;

use foldhash::HashMap;

use pagefind_stem::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

/// A term's `form` when the word has no accent to keep.
pub const NO_FORM: u32 = u32::MAX;

/// One term a word is indexed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    /// The folded, stemmed word (an index into the lexicon's strings).
    pub word: u32,
    /// The word as written (lower case, with its accents), or [`NO_FORM`].
    pub form: u32,
    /// A part of a compound, which weighs a share of the whole.
    pub part: bool,
}

/// Shards of the cache, so that threads seldom wait for one another.
const SHARDS: usize = 16;

/// A shard of the cache: each word as written, and its terms.
type Shard = Mutex<HashMap<Box<str>, Box<[Term]>>>;

/// The words of one language's pages.
pub struct Lexicon {
    stemmer: Option<Stemmer>,
    cache: Vec<Shard>,
    strings: Mutex<Strings>,
}

#[derive(Default)]
struct Strings {
    ids: HashMap<Box<str>, u32>,
    list: Vec<Box<str>>,
}

impl Lexicon {
    /// An empty lexicon for a language; `stem` false indexes words unstemmed
    /// (where Pagefind has no stemmer, its script does not stem queries).
    pub fn new(lang: &str, stem: bool) -> Lexicon {
        Lexicon {
            stemmer: if stem { algorithm(lang).map(Stemmer::create) } else { None },
            cache: (0..SHARDS).map(|_| Mutex::new(HashMap::default())).collect(),
            strings: Mutex::new(Strings::default()),
        }
    }

    /// Appends the terms of a whitespace-free word of text to `out`.
    pub fn analyse(&self, word: &str, out: &mut Vec<Term>) {
        let shard = &self.cache[shard_of(word)];
        if let Some(terms) = shard.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(word) {
            out.extend_from_slice(terms);
            return;
        }
        let terms = self.terms(word);
        out.extend_from_slice(&terms);
        shard.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(word.into(), terms.into_boxed_slice());
    }

    /// The strings terms point to, by number.
    pub fn into_strings(self) -> Vec<Box<str>> {
        self.strings.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner).list
    }

    fn terms(&self, word: &str) -> Vec<Term> {
        let mut terms = Vec::with_capacity(1);
        let whole = normalize(word);
        if !whole.is_empty() {
            terms.push(self.term(&whole, false));
        }
        let compound = word.chars().any(|c| !c.is_alphanumeric()) || word.chars().skip(1).any(char::is_uppercase);
        if compound {
            let parts = parts(word);
            if parts.len() > 1 {
                terms.extend(parts.iter().filter(|p| p.len() > 1).map(|p| self.term(p, true)));
            }
        }
        terms
    }

    fn term(&self, normalized: &str, part: bool) -> Term {
        let folded = fold(normalized);
        let base = folded.as_deref().unwrap_or(normalized);
        let stemmed = match &self.stemmer {
            Some(stemmer) => stemmer.stem(base),
            None => std::borrow::Cow::Borrowed(base),
        };
        let mut strings = self.strings.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let word = strings.id(&stemmed);
        let form = if folded.is_some() { strings.id(normalized) } else { NO_FORM };
        Term { word, form, part }
    }
}

impl Strings {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = u32::try_from(self.list.len()).unwrap_or(u32::MAX - 1);
        self.list.push(s.into());
        self.ids.insert(s.into(), id);
        id
    }
}

fn shard_of(word: &str) -> usize {
    // A few instructions a byte, enough to spread words over shards.
    (crate::markdown::highlight::fnv1a(word.bytes()) >> 32) as usize % SHARDS
}

/// Letters and digits, in lower case (what Pagefind keeps of a word).
fn normalize(word: &str) -> String {
    word.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The word without its accents (combining marks after canonical
/// decomposition), `None` when it has none. The kana voicing marks are kept:
/// they tell words apart.
fn fold(word: &str) -> Option<String> {
    if word.is_ascii() {
        return None;
    }
    let folded: String = word.nfd().filter(|&c| !unicode_normalization::char::is_combining_mark(c) || matches!(c, '\u{3099}' | '\u{309A}')).collect();
    let folded = if folded.contains(['\u{3099}', '\u{309A}']) { folded.nfc().collect() } else { folded };
    (folded != word).then_some(folded)
}

/// The parts of a compound, in lower case: split at anything that is not a
/// letter or digit, and where a lower-case letter meets an upper-case one.
fn parts(word: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in word.chars() {
        if !c.is_alphanumeric() {
            parts.extend((!current.is_empty()).then(|| std::mem::take(&mut current)));
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower {
            parts.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase() || c.is_numeric();
        current.extend(c.to_lowercase());
    }
    parts.extend((!current.is_empty()).then_some(current));
    parts
}

/// The Snowball algorithm of a language code (its primary subtag), for the
/// languages Pagefind ships a stemming search script for.
fn algorithm(lang: &str) -> Option<Algorithm> {
    let primary = lang.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
    Some(match primary.as_str() {
        "ar" => Algorithm::Arabic,
        "hy" => Algorithm::Armenian,
        "eu" => Algorithm::Basque,
        "ca" => Algorithm::Catalan,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "eo" => Algorithm::Esperanto,
        "et" => Algorithm::Estonian,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hi" => Algorithm::Hindi,
        "hu" => Algorithm::Hungarian,
        "id" => Algorithm::Indonesian,
        "ga" => Algorithm::Irish,
        "it" => Algorithm::Italian,
        "lt" => Algorithm::Lithuanian,
        "ne" => Algorithm::Nepali,
        "nb" | "nn" | "no" => Algorithm::Norwegian,
        "pl" => Algorithm::Polish,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "sr" => Algorithm::Serbian,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        "yi" => Algorithm::Yiddish,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analysed(lexicon: &Lexicon, word: &str) -> Vec<(String, Option<String>, bool)> {
        let mut terms = Vec::new();
        lexicon.analyse(word, &mut terms);
        let strings = lexicon.strings.lock().unwrap();
        terms
            .iter()
            .map(|t| (strings.list[t.word as usize].to_string(), (t.form != NO_FORM).then(|| strings.list[t.form as usize].to_string()), t.part))
            .collect()
    }

    #[test]
    fn french_words_are_folded_then_stemmed_and_keep_their_accents() {
        let fr = Lexicon::new("fr", true);
        assert_eq!(analysed(&fr, "Réseaux,"), vec![("reseau".into(), Some("réseaux".into()), false)]);
        assert_eq!(analysed(&fr, "reseau"), vec![("reseau".into(), None, false)]);
        // The same word again comes from the cache, the same.
        assert_eq!(analysed(&fr, "Réseaux,"), analysed(&fr, "Réseaux,"));
    }

    #[test]
    fn compounds_are_indexed_whole_and_by_their_parts() {
        let fr = Lexicon::new("fr", true);
        let terms = analysed(&fr, "l’équipe");
        assert!(!terms[0].2, "{terms:?}");
        assert!(terms.iter().any(|(w, form, part)| w == "equip" && form.as_deref() == Some("équipe") && *part), "{terms:?}");
        let en = Lexicon::new("en", true);
        let words: Vec<String> = analysed(&en, "shareButton").into_iter().map(|t| t.0).collect();
        assert_eq!(words, ["sharebutton", "share", "button"]);
    }

    #[test]
    fn punctuation_alone_is_no_term_and_unknown_languages_are_not_stemmed() {
        let xx = Lexicon::new("xx", true);
        assert!(analysed(&xx, "—").is_empty());
        assert_eq!(analysed(&xx, "Sharing")[0].0, "sharing");
    }
}
