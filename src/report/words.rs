//! The period report's words and numbers in its language: the theme's
//! `report_*` strings, numbers grouped and decimals written as people of
//! that language write them.

use std::collections::BTreeMap;

use chrono::NaiveDate;

/// Strings and number formats of one language.
#[derive(Debug, Clone)]
pub struct Words {
    lang: String,
    strings: BTreeMap<String, String>,
}

impl Words {
    /// The words of `lang` from the theme's strings.
    pub fn new(lang: &str, strings: BTreeMap<String, String>) -> Words {
        Words { lang: lang.to_string(), strings }
    }

    fn french(&self) -> bool {
        crate::util::number::is_french(&self.lang)
    }

    /// The string `key` (`report_` left out), `{name}`s filled from `args`.
    pub fn get(&self, key: &str, args: &[(&str, &str)]) -> String {
        let full = format!("report_{key}");
        let mut text = self.strings.get(&full).cloned().unwrap_or(full);
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    /// A whole number with its thousands grouped: `1 240` (narrow no-break spaces) or `1,240`.
    pub fn number(&self, n: i64) -> String {
        let mut out = crate::util::number::group_digits_in(n.unsigned_abs(), &self.lang);
        if n < 0 {
            out.insert(0, '−');
        }
        out
    }

    /// A number with `places` decimals: `2,50` or `2.50`, thousands grouped.
    pub fn decimal(&self, x: f64, places: usize) -> String {
        let text = format!("{:.places$}", x.abs());
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        let mut out = self.number(whole.parse().unwrap_or(0));
        if !fraction.is_empty() {
            out.push(if self.french() { ',' } else { '.' });
            out.push_str(fraction);
        }
        if x < 0.0 && x.abs() >= 0.5 * 10f64.powi(-(places as i32)) {
            out.insert(0, '−');
        }
        out
    }

    /// What comes between a label and its value: ` : ` in French (a narrow
    /// no-break space before), `: ` elsewhere.
    pub fn colon(&self) -> &'static str {
        if self.french() {
            "\u{202f}: "
        } else {
            ": "
        }
    }

    /// A quotation: `« texte »` in French, `“text”` elsewhere.
    pub fn quote(&self, text: &str) -> String {
        if self.french() {
            format!("«\u{a0}{text}\u{a0}»")
        } else {
            format!("“{text}”")
        }
    }

    /// A share as a percent, rounded: `62 %` or `62%`.
    pub fn percent(&self, share: f64) -> String {
        let n = (share * 100.0).round() as i64;
        if self.french() {
            format!("{}\u{202f}%", self.number(n))
        } else {
            format!("{}%", self.number(n))
        }
    }

    /// A change against before: `+12 %`, `−5 %`, or "new" when before was 0.
    pub fn change(&self, now: i64, before: i64) -> String {
        match super::model::change(now, before) {
            Some(c) if c > 0.0 => format!("+{}", self.percent(c)),
            Some(c) => self.percent(c),
            None if now > 0 => self.get("new", &[]),
            None => "—".to_string(),
        }
    }

    /// An amount of money: `1 240,00 EUR`.
    pub fn money(&self, x: f64, currency: &str) -> String {
        format!("{}\u{a0}{currency}", self.decimal(x, 2))
    }

    /// A rate such as clicks per share, or a dash when there is nothing to divide by.
    pub fn rate(&self, x: Option<f64>) -> String {
        x.map_or_else(|| "—".to_string(), |x| self.decimal(x, 2))
    }

    /// A day written out: `1er novembre 2026`, `1 November 2026`.
    pub fn date(&self, day: NaiveDate) -> String {
        crate::util::date::long_in(day, &self.lang)
    }

    /// A month written out: `novembre 2026`.
    pub fn month(&self, day: NaiveDate) -> String {
        crate::util::date::month_in(day, &self.lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_each_language_writes_them() {
        let fr = Words::new("fr", BTreeMap::new());
        let en = Words::new("en", BTreeMap::new());
        assert_eq!(fr.number(1240), "1\u{202f}240");
        assert_eq!(en.number(1_234_567), "1,234,567");
        assert_eq!(en.number(999), "999");
        assert_eq!(fr.decimal(1234.5, 2), "1\u{202f}234,50");
        assert_eq!(en.money(7.5, "EUR"), "7.50\u{a0}EUR");
        assert_eq!(fr.percent(0.625), "63\u{202f}%");
        assert_eq!(en.change(15, 10), "+50%");
        assert_eq!(en.change(5, 10), "−50%");
        assert_eq!(en.change(0, 0), "—");
        assert_eq!(en.get("new", &[]), "report_new", "a missing string shows its key");
    }
}
