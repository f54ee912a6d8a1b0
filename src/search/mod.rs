//! The search index: every page's words, written as a Pagefind index under
//! `pagefind/` that Pagefind's own search script and WebAssembly query in the
//! browser (docs/search.md). Search works offline on an intranet, with no
//! server; a search downloads the metadata of its language, the chunks of
//! the word index its words fall in and the fragments of the results it shows.
//!
//! chorus writes the index itself, from the Markdown it has already loaded,
//! rather than have Pagefind read the written HTML back: pages are indexed in
//! parallel, each page's fragment is written as soon as it is made, and what
//! waits for the word index is a few bytes a word ([`postings`]).
//!
//! Each page is indexed in its language (`<html lang>` picks the index in the
//! browser): a French page searches French pages with the French stemmer.

mod format;
mod postings;
mod runtime;
mod words;

use std::collections::{BTreeMap, HashSet};

use foldhash::HashMap;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::content::Document;
use crate::diagnostics::Error;
use format::{MetaChunk, MetaIndex, MetaPage, PackedPage, PackedVariant, PackedWord, WordIndex};
use words::{Lexicon, Term, NO_FORM};

/// Where the index goes in the site.
pub const BUNDLE: &str = "pagefind";

/// Pagefind's size of a chunk of the word index (locations, roughly).
const CHUNK_SIZE: usize = 20_000;

/// What a page contributes to the index.
#[derive(Debug, Clone)]
pub struct Page {
    /// The page's path in the site (`/formation/bases/`); Pagefind's script
    /// puts the site's base path before it.
    pub path: String,
    /// Its language code.
    pub lang: String,
    /// Its title, the heading of its results.
    pub title: String,
    /// Its description, indexed as its first paragraph.
    pub description: Option<String>,
    source: Arc<str>,
    body: usize,
}

/// The pages of a hub's documents: every section and page it builds
/// (embargoed campaigns and earlier policy versions are not among them).
pub fn pages(docs: &[Document]) -> Vec<Page> {
    docs.iter().map(Page::of).collect()
}

impl Page {
    /// A document's page.
    fn of(doc: &Document) -> Page {
        Page {
            path: doc.path.clone(),
            lang: doc.lang.clone(),
            title: doc.front.title.clone(),
            description: doc.front.description.clone().filter(|d| !d.trim().is_empty()),
            source: doc.source.clone(),
            body: doc.body,
        }
    }

    fn body(&self) -> &str {
        self.source.get(self.body..).unwrap_or_default()
    }
}

/// Receives each file of the index: its path in the site and its bytes.
pub type Emit<'a> = dyn Fn(String, Vec<u8>) -> Result<(), Error> + Sync + 'a;

/// What an index holds, for `chorus -v build` and the benchmarks.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Pages indexed.
    pub pages: usize,
    /// Distinct terms, over all languages.
    pub words: usize,
    /// Files written.
    pub files: usize,
    /// Their size, in bytes.
    pub bytes: u64,
}

/// Indexes `pages`, handing each file to `emit` as soon as it is made.
pub fn build(pages: &[Page], emit: &Emit<'_>) -> Result<Stats, Error> {
    let mut languages: Vec<String> = pages.iter().map(|p| p.lang.to_lowercase()).collect();
    languages.sort_unstable();
    languages.dedup();
    let runtime = runtime::for_languages(&languages)?;
    let stats = Mutex::new(Stats::default());
    let emit = |path: String, bytes: Vec<u8>| {
        if let Ok(mut s) = stats.lock() {
            s.files += 1;
            s.bytes += bytes.len() as u64;
        }
        emit(format!("{BUNDLE}/{path}"), bytes)
    };
    let mut entry = format::Entry { version: &runtime.version, languages: BTreeMap::new(), include_characters: [] };
    for lang in &languages {
        let of_lang: Vec<&Page> = pages.iter().filter(|p| p.lang.to_lowercase() == *lang).collect();
        let wasm = runtime.wasm.get(lang).cloned().flatten();
        let index = index_language(lang, &of_lang, wasm.is_some(), &runtime.version, &emit)?;
        if let Ok(mut s) = stats.lock() {
            s.pages += of_lang.len();
            s.words += index.words;
        }
        entry.languages.insert(lang.clone(), format::EntryLanguage { hash: index.meta_hash, wasm, page_count: of_lang.len() });
    }
    let json = serde_json::to_vec(&entry).map_err(|e| Error::new(format!("search index: {e}")))?;
    emit("pagefind-entry.json".into(), json)?;
    for (path, bytes) in &runtime.files {
        emit(path.clone(), bytes.to_vec())?;
    }
    Ok(stats.into_inner().unwrap_or_default())
}

/// A language's index, written.
struct Written {
    meta_hash: String,
    words: usize,
}

/// A page once indexed: its fragment's name, its length, its postings.
struct Indexed {
    hash: String,
    word_count: u32,
    postings: Vec<u8>,
}

fn index_language(lang: &str, pages: &[&Page], stem: bool, version: &str, emit: &Emit<'_>) -> Result<Written, Error> {
    let lexicon = Lexicon::new(lang, stem);
    let fragments = Mutex::new(HashSet::new());
    let indexed: Vec<Indexed> = pages.par_iter().map(|page| index_page(lang, page, &lexicon, &fragments, emit)).collect::<Result<_, _>>()?;
    let strings = lexicon.into_strings();
    let meta_pages: Vec<MetaPage> =
        indexed.iter().map(|p| MetaPage { hash: p.hash.clone(), word_count: p.word_count, group_hash: String::new() }).collect();
    let postings: Vec<Vec<u8>> = indexed.into_iter().map(|p| p.postings).collect();
    let (index_chunks, words) = write_chunks(lang, postings, &strings, emit)?;
    let meta = MetaIndex {
        version: version.to_string(),
        pages: meta_pages,
        index_chunks,
        filters: Vec::new(),
        sorts: Vec::new(),
        meta_fields: vec!["title".into()],
    };
    let bytes = format::cbor(&meta);
    let meta_hash = format::hash(lang, &bytes);
    emit(format!("pagefind.{meta_hash}.pf_meta"), format::gzip(&bytes))?;
    Ok(Written { meta_hash, words })
}

/// Splits a page into words, writes its fragment and returns its postings.
fn index_page(lang: &str, page: &Page, lexicon: &Lexicon, fragments: &Mutex<HashSet<String>>, emit: &Emit<'_>) -> Result<Indexed, Error> {
    let mut segments = vec![crate::markdown::text::Segment { heading: Some(1), text: page.title.clone() }];
    segments.extend(page.description.iter().map(|d| crate::markdown::text::Segment { heading: None, text: d.clone() }));
    segments.extend(crate::markdown::text::segments(page.body()));

    let mut content = String::with_capacity(page.body().len());
    // Each place of a term (word, form, weight, position). The title is the
    // first segment, so its words are the first places, at their position in it.
    let mut places: Vec<(u32, u32, u8, u32)> = Vec::with_capacity(page.body().len() / 5);
    let mut terms: Vec<Term> = Vec::new();
    let mut position = 0u32;
    for segment in &segments {
        let weight = format::weight(segment.heading);
        for word in segment.text.split_whitespace() {
            if !content.is_empty() {
                content.push(' ');
            }
            content.push_str(word);
            terms.clear();
            lexicon.analyse(word, &mut terms);
            let parts = terms.iter().filter(|t| t.part).count();
            let part_weight = if parts > 0 { (weight / u8::try_from(parts).unwrap_or(u8::MAX)).max(1) } else { 0 };
            places.extend(terms.iter().map(|t| (t.word, t.form, if t.part { part_weight } else { weight }, position)));
            position += 1;
        }
    }
    let title_words = u32::try_from(page.title.split_whitespace().count()).unwrap_or(u32::MAX);
    places.sort_unstable_by_key(|&(word, form, _, _)| (word, form));

    // One group per (word, form), with its places in the text and those in the title.
    let mut postings = Vec::with_capacity(places.len() * 3);
    for group in places.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        let (word, form) = (group[0].0, group[0].1);
        let locs: Vec<(u8, u32)> = group.iter().map(|&(_, _, weight, at)| (weight, at)).collect();
        let in_title: Vec<u32> = group.iter().map(|&(_, _, _, at)| at).filter(|&at| at < title_words).collect();
        postings::put_group(&mut postings, word, form, &format::pack_locations(locs), &format::pack_meta_locations(in_title));
    }
    postings.shrink_to_fit();

    let word_count = position as usize;
    let fragment = format::Fragment {
        url: &page.path,
        content: &content,
        word_count,
        filters: format::Empty {},
        meta: format::Meta { title: &page.title },
        anchors: [],
    };
    let json = serde_json::to_vec(&fragment).map_err(|e| Error::new(format!("search index: {}: {e}", page.path)))?;
    let hash = format::hash(lang, &json);
    // Two pages with the same text share a fragment.
    let new = fragments.lock().map(|mut seen| seen.insert(hash.clone())).unwrap_or(true);
    if new {
        emit(format!("fragment/{hash}.pf_fragment"), format::gzip(&json))?;
    }
    Ok(Indexed { hash, word_count: u32::try_from(word_count).unwrap_or(u32::MAX), postings })
}

/// Cuts the words into chunks of about [`CHUNK_SIZE`], in the order of their
/// strings, and writes them; returns the chunks' ranges and the word count.
/// The postings move from the pages to the chunks, so they are in memory once.
fn write_chunks(lang: &str, mut pages: Vec<Vec<u8>>, strings: &[Box<str>], emit: &Emit<'_>) -> Result<(Vec<MetaChunk>, usize), Error> {
    // Each word's size as Pagefind counts it: its groups, and its forms with accents.
    let mut sizes = vec![0usize; strings.len()];
    let mut forms: HashSet<(u32, u32)> = HashSet::new();
    for page in &pages {
        let mut reader = postings::Reader::new(page);
        while !reader.is_done() {
            let (word, form, size) = postings::skim_group(&mut reader);
            sizes[word as usize] += size;
            if form != NO_FORM && forms.insert((word, form)) {
                sizes[word as usize] += 1;
            }
        }
    }
    drop(forms);
    let mut order: Vec<u32> = (0..strings.len() as u32).filter(|&w| sizes[w as usize] > 0).collect();
    order.sort_unstable_by(|&a, &b| strings[a as usize].cmp(&strings[b as usize]));
    let words = order.len();

    let mut chunk_of = vec![u32::MAX; strings.len()];
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    let mut size = 0;
    for &word in &order {
        match ranges.last_mut() {
            Some(range) if size < CHUNK_SIZE => range.1 = word,
            _ => {
                ranges.push((word, word));
                size = 0;
            }
        }
        chunk_of[word as usize] = (ranges.len() - 1) as u32;
        size += sizes[word as usize];
    }
    drop(sizes);

    // Each page's groups go to their chunk's buffer, behind the page's number.
    let mut chunks: Vec<Vec<u8>> = vec![Vec::new(); ranges.len()];
    for (number, page) in pages.iter_mut().enumerate() {
        let bytes = std::mem::take(page);
        let mut reader = postings::Reader::new(&bytes);
        while !reader.is_done() {
            let start = reader.at();
            let (word, _, _) = postings::skim_group(&mut reader);
            let chunk = &mut chunks[chunk_of[word as usize] as usize];
            postings::put(chunk, number as u64);
            chunk.extend_from_slice(&bytes[start..reader.at()]);
        }
    }
    drop(pages);

    let hashes: Vec<String> = chunks.into_par_iter().map(|chunk| write_chunk(lang, &chunk, strings, emit)).collect::<Result<_, _>>()?;
    let named =
        format::chunk_ranges(ranges.iter().map(|&(from, to)| (strings[from as usize].to_string(), strings[to as usize].to_string())).collect());
    let meta = named.into_iter().zip(hashes).map(|((from, to), hash)| MetaChunk { from, to, hash }).collect();
    Ok((meta, words))
}

/// Writes one chunk of the word index; returns its hash.
fn write_chunk(lang: &str, bytes: &[u8], strings: &[Box<str>], emit: &Emit<'_>) -> Result<String, Error> {
    let mut words: HashMap<u32, PackedWord> = HashMap::default();
    let mut reader = postings::Reader::new(bytes);
    while !reader.is_done() {
        let page_number = reader.get() as usize;
        let group = postings::get_group(&mut reader);
        let word = words.entry(group.word).or_insert_with(|| PackedWord {
            word: strings[group.word as usize].to_string(),
            pages: Vec::new(),
            additional_variants: Vec::new(),
        });
        let page = PackedPage { page_number, locs: group.locs, meta_locs: group.meta_locs };
        if group.form == NO_FORM {
            word.pages.push(page);
        } else {
            let form = &strings[group.form as usize];
            match word.additional_variants.iter_mut().find(|v| *v.form == **form) {
                Some(variant) => variant.pages.push(page),
                None => word.additional_variants.push(PackedVariant { form: form.to_string(), pages: vec![page] }),
            }
        }
    }
    let mut words: Vec<PackedWord> = words.into_values().collect();
    words.sort_unstable_by(|a, b| a.word.cmp(&b.word));
    // Pages arrive in order; each list holds differences from the page before.
    for word in &mut words {
        delta(&mut word.pages);
        for variant in &mut word.additional_variants {
            delta(&mut variant.pages);
        }
    }
    let cbor = format::cbor(&WordIndex { words });
    let hash = format::hash(lang, &cbor);
    emit(format!("index/{hash}.pf_index"), format::gzip(&cbor))?;
    Ok(hash)
}

fn delta(pages: &mut [PackedPage]) {
    let mut last = 0;
    for page in pages {
        let number = page.page_number;
        page.page_number = number - last;
        last = number;
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn page(path: &str, lang: &str, title: &str, body: &str) -> Page {
        Page { path: path.into(), lang: lang.into(), title: title.into(), description: None, source: Arc::from(body), body: 0 }
    }

    /// The files an index writes, inflated and without the signature where gzipped.
    fn files(pages: &[Page]) -> std::collections::BTreeMap<String, Vec<u8>> {
        let out = Mutex::new(std::collections::BTreeMap::new());
        build(pages, &|path, bytes| {
            let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
                let mut plain = Vec::new();
                flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut plain).unwrap();
                plain.strip_prefix(b"pagefind_dcd").expect("signature").to_vec()
            } else {
                bytes
            };
            assert!(out.lock().unwrap().insert(path.clone(), bytes).is_none(), "{path} written twice");
            Ok(())
        })
        .unwrap();
        out.into_inner().unwrap()
    }

    #[test]
    fn each_language_gets_its_metadata_chunks_and_fragments() {
        let pages = [
            page("/a/", "fr", "Les réseaux", "Partager sur les réseaux sociaux.\n\n## Règles\n\nCitez la source."),
            page("/b/", "fr", "Une autre", "Rien à voir."),
            page("/en/a/", "en", "Networks", "Sharing on social networks."),
        ];
        let files = files(&pages);
        let entry: serde_json::Value = serde_json::from_slice(&files["pagefind/pagefind-entry.json"]).unwrap();
        assert_eq!(entry["languages"]["fr"]["page_count"], 2);
        assert_eq!(entry["languages"]["en"]["wasm"], "en");
        for name in ["pagefind/pagefind.js", "pagefind/wasm.fr.pagefind", "pagefind/wasm.en.pagefind"] {
            assert!(files.contains_key(name), "{name}: {:?}", files.keys().collect::<Vec<_>>());
        }
        let fr_meta = format!("pagefind/pagefind.{}.pf_meta", entry["languages"]["fr"]["hash"].as_str().unwrap());
        let meta: MetaIndex = minicbor::decode(&files[&fr_meta]).unwrap();
        assert_eq!(meta.version, entry["version"].as_str().unwrap());
        assert_eq!(meta.meta_fields, ["title"]);
        assert_eq!(meta.pages.len(), 2);
        let fragment: serde_json::Value = serde_json::from_slice(&files[&format!("pagefind/fragment/{}.pf_fragment", meta.pages[0].hash)]).unwrap();
        assert_eq!(fragment["url"], "/a/");
        assert_eq!(fragment["meta"]["title"], "Les réseaux");
        assert_eq!(fragment["content"], "Les réseaux Partager sur les réseaux sociaux. Règles Citez la source.");
        assert_eq!(fragment["word_count"], 11);

        let chunk: WordIndex = minicbor::decode(&files[&format!("pagefind/index/{}.pf_index", meta.index_chunks[0].hash)]).unwrap();
        let word = |w: &str| chunk.words.iter().find(|p| p.word == w).unwrap_or_else(|| panic!("{w} is indexed"));
        // « réseaux », at 5 and at 1 (the title, weighing as an h1), is found folded and stemmed, under its accented form.
        let reseau = word("reseau");
        assert!(reseau.pages.is_empty());
        assert_eq!(reseau.additional_variants[0].form, "réseaux");
        let on_a = &reseau.additional_variants[0].pages[0];
        assert_eq!((on_a.page_number, &on_a.locs[..], &on_a.meta_locs[..]), (0, &[-25, 5, -169, 1][..], &[-1, 1][..]));
        // « Règles », a second-level heading, weighs six times body text.
        assert_eq!(word("regl").additional_variants[0].pages[0].locs, [-145, 7]);
        assert!(!chunk.words.iter().any(|w| w.word == "networks" || w.word == "network"), "English words are in the English index");
    }

    #[test]
    fn a_big_index_is_cut_into_sorted_chunks_with_pages_in_order() {
        // 400 pages of 120 words drawn from 600: far more than one chunk of locations.
        let mut seed = 7u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize
        };
        let pages: Vec<Page> = (0..400)
            .map(|i| {
                let body: Vec<String> = (0..120).map(|_| format!("mot{}", next() % 600)).collect();
                page(&format!("/p{i}/"), "fr", &format!("Page {i}"), &body.join(" "))
            })
            .collect();
        let files = files(&pages);
        let entry: serde_json::Value = serde_json::from_slice(&files["pagefind/pagefind-entry.json"]).unwrap();
        let meta: MetaIndex =
            minicbor::decode(&files[&format!("pagefind/pagefind.{}.pf_meta", entry["languages"]["fr"]["hash"].as_str().unwrap())]).unwrap();
        assert!(meta.index_chunks.len() > 1, "{} chunks", meta.index_chunks.len());
        let mut last_word = String::new();
        let mut places = 0;
        for range in &meta.index_chunks {
            assert!(range.from <= range.to, "{range:?}");
            let chunk: WordIndex = minicbor::decode(&files[&format!("pagefind/index/{}.pf_index", range.hash)]).unwrap();
            for word in &chunk.words {
                assert!(word.word > last_word, "words in order across chunks: {} after {last_word}", word.word);
                assert!(word.word.starts_with(&range.from) || word.word > range.from, "{} in {range:?}", word.word);
                assert!(word.word.as_str() <= range.to.as_str() || word.word.starts_with(&range.to), "{} in {range:?}", word.word);
                last_word = word.word.clone();
                // Page numbers are differences: they add up, increasing, below the page count.
                let mut number = 0;
                for (i, page) in word.pages.iter().enumerate() {
                    assert!(i == 0 || page.page_number > 0, "one entry per page");
                    number += page.page_number;
                    places += page.locs.iter().filter(|&&l| l >= 0).count();
                }
                assert!(number < 400);
            }
        }
        // Every body word of every page and both words of its title.
        assert_eq!(places, 400 * 120 + 400 * 2, "every place of every word");
    }
}
