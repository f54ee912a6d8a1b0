//! Where each term of a page is, held compactly between the page's indexing
//! and the writing of the word index: a few bytes a word, so that a big hub's
//! index fits in little memory (LEB128 numbers, signed ones zigzagged).
//!
//! A page's postings are groups `word, form + 1 (0: none), locations, title
//! locations`, each list its length then its numbers; the word index's
//! chunks get the same groups, each behind its page number.

/// Appends an unsigned number.
pub fn put(buf: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        buf.push((n as u8) | 0x80);
        n >>= 7;
    }
    buf.push(n as u8);
}

/// Appends a signed number.
pub fn put_signed(buf: &mut Vec<u8>, n: i64) {
    put(buf, ((n << 1) ^ (n >> 63)) as u64);
}

/// Reads the numbers [`put`] and [`put_signed`] wrote.
pub struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, at: 0 }
    }

    pub fn is_done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    /// Where the reader is, to copy what it has read.
    pub fn at(&self) -> usize {
        self.at
    }

    pub fn get(&mut self) -> u64 {
        let mut n = 0u64;
        let mut shift = 0;
        while let Some(&b) = self.bytes.get(self.at) {
            self.at += 1;
            n |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                break;
            }
            shift += 7;
        }
        n
    }

    pub fn get_signed(&mut self) -> i64 {
        let n = self.get();
        ((n >> 1) as i64) ^ -((n & 1) as i64)
    }

    /// A length-prefixed list of signed numbers.
    pub fn list(&mut self) -> Vec<i32> {
        let len = self.get() as usize;
        (0..len).map(|_| i32::try_from(self.get_signed()).unwrap_or_default()).collect()
    }

    /// Skips a length-prefixed list; returns its length.
    pub fn skip_list(&mut self) -> usize {
        let len = self.get() as usize;
        for _ in 0..len {
            self.get();
        }
        len
    }
}

/// Appends a group: a term's places in one page.
pub fn put_group(buf: &mut Vec<u8>, word: u32, form: u32, locs: &[i32], meta_locs: &[i32]) {
    put(buf, u64::from(word));
    put(buf, if form == super::words::NO_FORM { 0 } else { u64::from(form) + 1 });
    for list in [locs, meta_locs] {
        put(buf, list.len() as u64);
        for &n in list {
            put_signed(buf, i64::from(n));
        }
    }
}

/// A group read back.
#[derive(Debug, PartialEq, Eq)]
pub struct Group {
    pub word: u32,
    pub form: u32,
    pub locs: Vec<i32>,
    pub meta_locs: Vec<i32>,
}

/// Reads a group.
pub fn get_group(reader: &mut Reader<'_>) -> Group {
    let word = reader.get() as u32;
    let form = match reader.get() {
        0 => super::words::NO_FORM,
        n => (n - 1) as u32,
    };
    Group { word, form, locs: reader.list(), meta_locs: reader.list() }
}

/// Reads a group's word and form and its size as Pagefind counts it
/// (locations, title locations and one), skipping its lists.
pub fn skim_group(reader: &mut Reader<'_>) -> (u32, u32, usize) {
    let word = reader.get() as u32;
    let form = match reader.get() {
        0 => super::words::NO_FORM,
        n => (n - 1) as u32,
    };
    let size = reader.skip_list() + reader.skip_list() + 1;
    (word, form, size)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::words::NO_FORM;

    #[test]
    fn groups_read_back_as_written() {
        let mut buf = Vec::new();
        put_group(&mut buf, 300, NO_FORM, &[-25, 3, 70_000, -169, 0], &[]);
        put_group(&mut buf, 0, 7, &[], &[-1, 0, 2]);
        let mut reader = Reader::new(&buf);
        assert_eq!(get_group(&mut reader), Group { word: 300, form: NO_FORM, locs: vec![-25, 3, 70_000, -169, 0], meta_locs: vec![] });
        let at = reader.at();
        assert_eq!(skim_group(&mut reader), (0, 7, 4));
        assert!(reader.is_done());
        assert_eq!(get_group(&mut Reader::new(&buf[at..])).meta_locs, vec![-1, 0, 2]);
    }
}
