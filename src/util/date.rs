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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn days_parse_as_utc_day_numbers() {
        assert_eq!(parse_day("1970-01-02"), Some(1));
        assert_eq!(parse_day("nope"), None);
    }
}
