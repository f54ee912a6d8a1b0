//! The error type every stage reports through: a message for the site author,
//! the file, line and column it is about, the source snippet and a hint.
//!
//! Errors are rendered with miette. The message itself also starts with
//! `path:line:column` so that plain output (logs, CI, tests) names the place too.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{Diagnostic, SourceSpan};

/// Where in a file something is, 1-based, like rustc prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, relative to the hub root where possible.
    pub file: PathBuf,
    /// 1-based line; 0 when unknown.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        Ok(())
    }
}

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Severity {
    /// The build fails.
    #[default]
    Error,
    /// Printed; the build goes on.
    Warning,
}

/// One problem found in the hub: what is wrong, where, and what to do.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}{message}", prefix(.location))]
pub struct Error {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in the site author's words.
    pub message: String,
    /// The file and position it is about, when there is one.
    pub location: Option<Location>,
    /// What to do about it.
    pub help: Option<String>,
    /// The text shown under the message, when the error points into a file.
    /// Boxed: most errors have none, and a small `Error` keeps every
    /// `Result<_, Error>` small.
    snippet: Option<Box<Snippet>>,
}

/// The file's text around an error: the highlighted span and its label.
#[derive(Debug, Clone)]
struct Snippet {
    source: FileText,
    span: SourceSpan,
    label: String,
}

/// A file's text as miette reads it, with columns counted in characters.
///
/// miette's own `[file:line:column]` heading counts bytes, so after an `é` or
/// an emoji it disagreed with the `file:line:column` of the message (which
/// counts characters, as editors do) while its caret, placed by display width,
/// sat under the right character. Both now name the same column.
#[derive(Debug, Clone)]
struct FileText {
    name: String,
    text: Arc<str>,
}

impl miette::SourceCode for FileText {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> std::result::Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let contents = self.text.read_span(span, context_lines_before, context_lines_after)?;
        let start = contents.span().offset();
        let (_, column) = line_col(&self.text, start);
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            *contents.span(),
            contents.line(),
            column - 1,
            contents.line_count(),
        )))
    }
}

fn prefix(location: &Option<Location>) -> String {
    location.as_ref().map(|l| format!("{l}: ")).unwrap_or_default()
}

impl Error {
    /// An error with no file attached (bad command-line input, I/O on the output).
    pub fn new(message: impl Into<String>) -> Self {
        Error { severity: Severity::Error, message: message.into(), location: None, help: None, snippet: None }
    }

    /// An error about a file as a whole.
    pub fn in_file(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        let mut e = Error::new(message);
        e.location = Some(Location { file: file.as_ref().to_path_buf(), line: 0, column: 0 });
        e
    }

    /// An error at a byte offset of a file's text; line and column are computed
    /// from `source` and the snippet is shown under the message.
    pub fn at(file: impl AsRef<Path>, source: &Arc<str>, offset: usize, len: usize, message: impl Into<String>) -> Self {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let len = len.min(source.len() - offset);
        let (line, column) = line_col(source, offset);
        let file = file.as_ref().to_path_buf();
        let mut e = Error::new(message);
        e.snippet = Some(Box::new(Snippet {
            source: FileText { name: file.display().to_string(), text: source.clone() },
            span: SourceSpan::new(offset.into(), len),
            label: String::new(),
        }));
        e.location = Some(Location { file, line, column });
        e
    }

    /// An error at a 1-based line and column of a file's text.
    pub fn at_line(file: impl AsRef<Path>, source: &Arc<str>, line: usize, column: usize, message: impl Into<String>) -> Self {
        let offset = offset_of(source, line, column);
        let len = source[offset..].find('\n').unwrap_or(source.len() - offset).max(1);
        let mut e = Error::at(file, source, offset, len, message);
        // Keep the position we were given even when the text is shorter (e.g. "end of file").
        if let Some(loc) = e.location.as_mut() {
            loc.line = line.max(1);
            loc.column = column.max(1);
        }
        e
    }

    /// Adds a hint saying what to do.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Makes this a warning: printed, but the build goes on.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Sets the text shown under the highlighted snippet (an error made by
    /// [`Error::at`] or [`Error::at_line`]; others show no snippet).
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        if let Some(snippet) = self.snippet.as_mut() {
            snippet.label = label.into();
        }
        self
    }
}

impl Diagnostic for Error {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.snippet.as_ref().map(|s| &s.source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let snippet = self.snippet.as_ref()?;
        let label = (!snippet.label.is_empty()).then(|| snippet.label.clone());
        Some(Box::new(std::iter::once(miette::LabeledSpan::new_with_span(label, snippet.span))))
    }
}

/// Several errors found in one pass, reported together.
#[derive(Debug, thiserror::Error)]
#[error("{}", summary(.errors))]
pub struct Errors {
    /// The errors, in file order.
    pub errors: Vec<Error>,
}

fn summary(errors: &[Error]) -> String {
    let real: Vec<&Error> = errors.iter().filter(|e| e.severity == Severity::Error).collect();
    match real.as_slice() {
        [] => errors.first().map(ToString::to_string).unwrap_or_default(),
        [one] if errors.len() == 1 => one.to_string(),
        [one] => format!("1 error: {one}"),
        many => format!("{} errors, the first: {}", many.len(), many[0]),
    }
}

impl Diagnostic for Errors {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        match self.errors.as_slice() {
            [one] => one.help(),
            _ => None,
        }
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        match self.errors.as_slice() {
            [one] => one.source_code(),
            _ => None,
        }
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        match self.errors.as_slice() {
            [one] => one.labels(),
            _ => None,
        }
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.errors.len() < 2 {
            return None;
        }
        Some(Box::new(self.errors.iter().map(|e| e as &dyn Diagnostic)))
    }
}

impl From<Error> for Errors {
    fn from(e: Error) -> Self {
        Errors { errors: vec![e] }
    }
}

impl From<Vec<Error>> for Errors {
    /// Sorts the errors by place and drops repeats: a mistake in a template
    /// shared by every page is one error, not one per page.
    fn from(mut errors: Vec<Error>) -> Self {
        errors.sort_by(|a, b| {
            let key = |e: &Error| e.location.as_ref().map(|l| (l.file.clone(), l.line, l.column));
            key(a).cmp(&key(b))
        });
        let mut seen = std::collections::HashSet::new();
        errors.retain(|e| {
            let place = e.location.as_ref().map(|l| (l.file.clone(), l.line, l.column));
            seen.insert((place, e.message.clone(), e.severity == Severity::Error))
        });
        Errors { errors }
    }
}

impl Errors {
    /// The errors alone, without the warnings found with them (for `--quiet`).
    pub fn without_warnings(mut self) -> Errors {
        self.errors.retain(|e| e.severity == Severity::Error);
        self
    }
}

/// Result of a stage that may report several errors at once.
pub type Result<T, E = Errors> = std::result::Result<T, E>;

/// Splits per-file results into the values and the errors, keeping their order,
/// so a stage can report every problem at once.
pub fn collect<T>(results: impl IntoIterator<Item = std::result::Result<T, Error>>, values: &mut Vec<T>, errors: &mut Vec<Error>) {
    for r in results {
        match r {
            Ok(v) => values.push(v),
            Err(e) => errors.push(e),
        }
    }
}

/// 1-based (line, column) of a byte offset; the column counts characters.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..floor_char_boundary(source, offset.min(source.len()))];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Byte offset of a 1-based line and column (clamped to the text).
pub fn offset_of(source: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for _ in 1..line.max(1) {
        match source[offset..].find('\n') {
            Some(i) => offset += i + 1,
            None => return source.len(),
        }
    }
    let rest = &source[offset..];
    let line_len = rest.find('\n').unwrap_or(rest.len());
    offset + rest[..line_len].char_indices().nth(column.saturating_sub(1)).map_or(line_len, |(i, _)| i)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Suggests the closest of `candidates` to a misspelt `word`, if one is close enough.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let s = "ab\nçé: x\n";
        assert_eq!(line_col(s, 0), (1, 1));
        assert_eq!(line_col(s, 3), (2, 1));
        assert_eq!(line_col(s, "ab\nçé".len()), (2, 3));
        assert_eq!(offset_of(s, 2, 3), "ab\nçé".len());
    }

    #[test]
    fn message_names_file_line_and_column() {
        let src: Arc<str> = Arc::from("title: x\ntitel: y\n");
        let e = Error::at("content/a.md", &src, 9, 5, "unknown key `titel`");
        assert_eq!(e.to_string(), "content/a.md:2:1: unknown key `titel`");
    }

    #[test]
    fn suggests_a_close_key() {
        assert_eq!(did_you_mean("titel", ["title", "date"]), Some("title"));
        assert_eq!(did_you_mean("zzz", ["title", "date"]), None);
    }
}
