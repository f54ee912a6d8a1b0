//! Dates as authors and URLs write them: `YYYY-MM-DD` (front matter, the
//! `--now` and `--from` options, the tracker's `from` and `to` parameters).

use chrono::NaiveDate;

/// Parses `YYYY-MM-DD`, or the date part of an RFC 3339 timestamp.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let day = s.get(..10)?;
    let rest = &s[10..];
    if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')) {
        return None;
    }
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

/// A day given as `YYYY-MM-DD`, as days since the Unix epoch.
pub fn parse_day(text: &str) -> Option<i64> {
    let date = parse_date(text)?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc().timestamp().div_euclid(86_400))
}

const MONTHS_FR: [&str; 12] =
    ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];
const MONTHS_EN: [&str; 12] =
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/// A day as people read it in a language: `1er décembre 2026`, `1 December 2026`
/// (`YYYY-MM-DD` in a language without month names here).
pub fn long_in(date: NaiveDate, lang: &str) -> String {
    use chrono::Datelike;
    let m = date.month0() as usize;
    match lang.split('-').next().unwrap_or(lang) {
        "fr" => {
            let day = if date.day() == 1 { "1er".to_string() } else { date.day().to_string() };
            format!("{day} {} {}", MONTHS_FR[m], date.year())
        }
        "en" => format!("{} {} {}", date.day(), MONTHS_EN[m], date.year()),
        _ => date.format("%Y-%m-%d").to_string(),
    }
}

/// A month as people read it in a language: `novembre 2026`, `November 2026`.
pub fn month_in(date: NaiveDate, lang: &str) -> String {
    use chrono::Datelike;
    let m = date.month0() as usize;
    match lang.split('-').next().unwrap_or(lang) {
        "fr" => format!("{} {}", MONTHS_FR[m], date.year()),
        "en" => format!("{} {}", MONTHS_EN[m], date.year()),
        _ => date.format("%Y-%m").to_string(),
    }
}

/// Days since the Unix epoch: the same number for a day wherever it is computed.
pub fn day_number(date: NaiveDate) -> i64 {
    date.signed_duration_since(NaiveDate::default()).num_days()
}

/// The date of a day number, [`day_number`] undone (1970-01-01 for one out of range).
pub fn date_of_day(day: i64) -> NaiveDate {
    NaiveDate::default().checked_add_signed(chrono::TimeDelta::days(day)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_go_both_ways() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        assert_eq!(date_of_day(day_number(day)), day);
        assert_eq!(date_of_day(0), NaiveDate::default());
    }

    #[test]
    fn dates_parse_alone_or_as_the_start_of_a_timestamp() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 25);
        assert_eq!(parse_date("2026-11-25"), day);
        assert_eq!(parse_date(" 2026-11-25\n"), day);
        assert_eq!(parse_date("2026-11-25T10:00:00Z"), day);
        assert_eq!(parse_date("2026-11-25 10:00"), day);
    }

    #[test]
    fn other_forms_are_not_dates() {
        for text in ["20261125", "2026-11-25x", "2026-13-01", "2026-1-5", "", "nope"] {
            assert_eq!(parse_date(text), None, "{text:?}");
        }
    }

    #[test]
    fn days_read_in_french_and_english() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(long_in(day, "fr"), "1er décembre 2026");
        assert_eq!(long_in(day, "en"), "1 December 2026");
        assert_eq!(month_in(day, "fr-CA"), "décembre 2026");
        assert_eq!(long_in(day, "de"), "2026-12-01");
        assert_eq!(day_number(NaiveDate::from_ymd_opt(1970, 1, 2).unwrap()), 1);
    }

    #[test]
    fn days_parse_as_utc_day_numbers() {
        assert_eq!(parse_day("1970-01-02"), Some(1));
        assert_eq!(parse_day("nope"), None);
    }
}
