//! The files of a Pagefind 1.6 index, which Pagefind's search script and
//! WebAssembly read (docs/search.md): per language, a metadata file that lists
//! the pages and the word-range of each chunk of the word index, the chunks,
//! and one fragment per page (its URL, title and text, for the results).
//! Each file is gzipped behind Pagefind's signature. The CBOR shapes below
//! are the ones Pagefind's decoder expects, field for field.

use std::io::Write;

use flate2::write::GzEncoder;
use flate2::Compression;
use minicbor::Encode;
use serde::Serialize;

/// What Pagefind's script checks for once a file is inflated.
const SIGNATURE: &[u8] = b"pagefind_dcd";

/// How far to gzip: level 3 takes less than half the time of the default
/// level 6 (and a sixth of the best, Pagefind's) for files 5 % larger, on the
/// benchmark corpus's index.
const LEVEL: u32 = 3;

/// A language's metadata file (`pagefind.<hash>.pf_meta`).
#[cfg_attr(test, derive(minicbor::Decode))]
#[derive(Encode, Debug)]
pub struct MetaIndex {
    #[n(0)]
    pub version: String,
    #[n(1)]
    pub pages: Vec<MetaPage>,
    #[n(2)]
    pub index_chunks: Vec<MetaChunk>,
    #[n(3)]
    pub filters: Vec<MetaFilter>,
    #[n(4)]
    pub sorts: Vec<MetaSort>,
    #[n(5)]
    pub meta_fields: Vec<String>,
}

/// A chunk of the word index: the words from `from` to `to` are in `index/<hash>.pf_index`.
#[cfg_attr(test, derive(minicbor::Decode))]
#[derive(Encode, Debug, Clone, PartialEq, Eq)]
pub struct MetaChunk {
    #[n(0)]
    pub from: String,
    #[n(1)]
    pub to: String,
    #[n(2)]
    pub hash: String,
}

/// A page, by its number: its fragment and its length in words.
#[cfg_attr(test, derive(minicbor::Decode))]
#[derive(Encode, Debug)]
pub struct MetaPage {
    #[n(0)]
    pub hash: String,
    #[n(1)]
    pub word_count: u32,
    #[n(2)]
    pub group_hash: String,
}

/// A filter (none: chorus sets no filters; the shape is part of the format).
#[cfg_attr(test, derive(minicbor::Decode))]
#[derive(Encode, Debug)]
pub struct MetaFilter {
    #[n(0)]
    pub filter: String,
    #[n(1)]
    pub hash: String,
}

/// A sort order (none either).
#[cfg_attr(test, derive(minicbor::Decode))]
#[derive(Encode, Debug)]
pub struct MetaSort {
    #[n(0)]
    pub sort: String,
    #[n(1)]
    pub pages: Vec<usize>,
}

/// A chunk of the word index.
#[cfg_attr(test, derive(minicbor::Decode))]
#[derive(Encode, Debug)]
pub struct WordIndex {
    #[n(0)]
    pub words: Vec<PackedWord>,
}

/// A word (folded and stemmed) and where it is.
#[cfg_attr(test, derive(minicbor::Decode))]
#[derive(Encode, Debug, Clone)]
pub struct PackedWord {
    #[n(0)]
    pub word: String,
    #[n(1)]
    pub pages: Vec<PackedPage>,
    #[n(2)]
    pub additional_variants: Vec<PackedVariant>,
}

/// Where the word is written with accents (`form`).
#[cfg_attr(test, derive(minicbor::Decode))]
#[derive(Encode, Debug, Clone)]
pub struct PackedVariant {
    #[n(0)]
    pub form: String,
    #[n(1)]
    pub pages: Vec<PackedPage>,
}

/// A word's places in a page: `page_number` is the difference from the
/// previous page of the list; `locs` are word positions in the page's text
/// (see [`pack_locations`]), `meta_locs` those in its title.
#[cfg_attr(test, derive(minicbor::Decode))]
#[derive(Encode, Debug, Clone)]
pub struct PackedPage {
    #[n(0)]
    pub page_number: usize,
    #[n(1)]
    pub locs: Vec<i32>,
    #[n(2)]
    pub meta_locs: Vec<i32>,
}

/// A page's fragment (`fragment/<hash>.pf_fragment`), JSON.
#[derive(Serialize, Debug)]
pub struct Fragment<'a> {
    pub url: &'a str,
    pub content: &'a str,
    pub word_count: usize,
    pub filters: Empty,
    pub meta: Meta<'a>,
    pub anchors: [(); 0],
}

/// A fragment's metadata: its title.
#[derive(Serialize, Debug)]
pub struct Meta<'a> {
    pub title: &'a str,
}

/// `{}`.
#[derive(Serialize, Debug, Default)]
pub struct Empty {}

/// `pagefind-entry.json`: the version and each language's metadata file.
#[derive(Serialize, Debug)]
pub struct Entry<'a> {
    pub version: &'a str,
    pub languages: std::collections::BTreeMap<String, EntryLanguage>,
    pub include_characters: [char; 0],
}

/// A language of the entry file.
#[derive(Serialize, Debug)]
pub struct EntryLanguage {
    /// The metadata file is `pagefind.<hash>.pf_meta`.
    pub hash: String,
    /// The stemming WebAssembly (`wasm.<code>.pagefind`), if Pagefind has one.
    pub wasm: Option<String>,
    pub page_count: usize,
}

/// The word weight of body text; headings weigh more (h1 7 times, h6 twice).
pub const BODY_WEIGHT: u8 = 24;

/// The weight of text under a heading of `level` (1 to 6), or of body text.
pub fn weight(heading: Option<u8>) -> u8 {
    heading.map_or(BODY_WEIGHT, |level| (8 - level.clamp(1, 6)) * BODY_WEIGHT)
}

/// A word's positions in a page, with their weights, as Pagefind packs them:
/// sorted by weight (the common weight first) then position, each a
/// difference from the one before, a change of weight written as
/// `-(weight + 1)` followed by an absolute position.
pub fn pack_locations(mut positions: Vec<(u8, u32)>) -> Vec<i32> {
    // Pagefind's packer starts from weight 25, so that is what reads back first.
    const START: u8 = 25;
    positions.sort_unstable_by_key(|&(weight, position)| (if weight == START { 0 } else { weight }, position));
    let mut packed = Vec::with_capacity(positions.len() + 2);
    let (mut current, mut last) = (START, 0u32);
    for (weight, position) in positions {
        if weight == current {
            packed.push(to_i32(position - last));
        } else {
            packed.push(-i32::from(weight) - 1);
            packed.push(to_i32(position));
            current = weight;
        }
        last = position;
    }
    packed
}

/// A word's positions in a page's title (field 0, the only metadata field
/// chorus indexes), as Pagefind packs them: `-(field + 1)`, then differences.
pub fn pack_meta_locations(mut positions: Vec<u32>) -> Vec<i32> {
    if positions.is_empty() {
        return Vec::new();
    }
    positions.sort_unstable();
    let mut packed = Vec::with_capacity(positions.len() + 1);
    packed.push(-1);
    let mut last = 0;
    for position in positions {
        packed.push(to_i32(position - last));
        last = position;
    }
    packed
}

fn to_i32(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Names each chunk by the shortest prefixes that still tell it from its
/// neighbours (as Pagefind does): `apple…apricot` then `banana` become
/// `apple…apr` and `b…`. `ranges` are each chunk's first and last word.
pub fn chunk_ranges(ranges: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut named = ranges;
    for i in 1..named.len() {
        let (a, b) = prefixes(&named[i - 1].1, &named[i].0);
        if a >= named[i - 1].0 {
            named[i - 1].1 = a;
        }
        named[i].0 = b;
    }
    named
}

fn prefixes(a: &str, b: &str) -> (String, String) {
    let common = b.chars().zip(a.chars()).take_while(|(x, y)| x == y).count();
    (a.chars().take(common + 1).collect(), b.chars().take(common + 1).collect())
}

/// CBOR bytes of a value.
pub fn cbor<T: Encode<()>>(value: &T) -> Vec<u8> {
    let mut bytes = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = minicbor::encode(value, &mut bytes);
    bytes
}

/// A file's bytes gzipped behind the signature.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::with_capacity(bytes.len() / 3 + 64), Compression::new(LEVEL));
    // Writing to a Vec cannot fail.
    let _ = gz.write_all(SIGNATURE).and_then(|()| gz.write_all(bytes));
    gz.finish().unwrap_or_default()
}

/// A file name's hash part: the language, then 16 hex digits of the content's BLAKE3.
pub fn hash(lang: &str, bytes: &[u8]) -> String {
    format!("{lang}_{}", &blake3::hash(bytes).to_hex()[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_packed_by_weight_then_position() {
        assert_eq!(pack_locations(vec![(24, 3), (24, 10), (168, 0)]), vec![-25, 3, 7, -169, 0]);
        assert_eq!(pack_locations(vec![(25, 4), (25, 6)]), vec![4, 2]);
        assert_eq!(pack_meta_locations(vec![2, 0]), vec![-1, 0, 2]);
    }

    #[test]
    fn chunks_are_named_by_the_shortest_telling_prefixes() {
        let named = chunk_ranges(vec![("apple".into(), "apple".into()), ("apricot".into(), "banana".into()), ("peach".into(), "peach".into())]);
        assert_eq!(named, vec![("apple".into(), "apple".into()), ("apr".into(), "b".into()), ("p".into(), "peach".into())]);
    }

    #[test]
    fn files_are_gzipped_behind_the_signature() {
        use std::io::Read;
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&gzip(b"{}")[..]).read_to_end(&mut out).unwrap();
        assert_eq!(out, b"pagefind_dcd{}");
    }
}
