//! What several commands print alike.

use crate::diagnostics::Error;

/// Lint warnings, each with its snippet, on stderr.
pub(super) fn print_warnings(warnings: Vec<Error>) {
    for w in warnings {
        eprintln!("{:?}", miette::Report::new(w));
    }
}

/// `10412` → `10 412`, as the summary line reads in both languages.
pub(super) fn group_thousands(n: usize) -> String {
    crate::util::number::group_digits(n as u64, ' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group_thousands(10412), "10 412");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000000), "1 000 000");
    }
}
