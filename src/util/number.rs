//! Whole numbers written for people: digits grouped by three.

/// `n` with a `separator` between each group of three digits: `10412` with
/// `' '` → `10 412`.
pub fn group_digits(n: u64, separator: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * separator.len_utf8());
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// Whether `lang` (`fr`, `fr-CA`…) is French, whose numbers and plurals
/// read differently.
pub fn is_french(lang: &str) -> bool {
    lang.split('-').next() == Some("fr")
}

/// `n` as `lang` writes it: French groups digits with a narrow no-break
/// space (`1 240`), other languages with a comma (`1,240`).
pub fn group_digits_in(n: u64, lang: &str) -> String {
    group_digits(n, if is_french(lang) { '\u{202f}' } else { ',' })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_grouped_by_three_from_the_right() {
        assert_eq!(group_digits(1_234_567, ','), "1,234,567");
        assert_eq!(group_digits(999, ','), "999");
        assert_eq!(group_digits(0, ' '), "0");
        assert_eq!(group_digits(1240, '\u{202f}'), "1\u{202f}240");
        assert_eq!((group_digits_in(1240, "fr-CA"), group_digits_in(1240, "en")), ("1\u{202f}240".to_string(), "1,240".to_string()));
    }
}
