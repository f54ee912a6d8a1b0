//! The dashboard's period: the days it counts (UTC), the period of the same
//! length just before it for the comparison, the preset choices, and how a
//! change reads.

use chrono::{Datelike, Months, NaiveDate};

use crate::tracker::store::day_label;
use crate::util::date::{date_of_day, day_number, parse_day};

/// UTC days `from..=to` (days since the Unix epoch); either end open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// The first day counted, or since the first click.
    pub from: Option<i64>,
    /// The last day counted, or up to now.
    pub to: Option<i64>,
}

impl Span {
    /// The span of the query `?from=YYYY-MM-DD&to=YYYY-MM-DD` or
    /// `?period=YYYY-MM`; a `from` without `to` runs to `today`.
    pub fn parse(from: Option<&str>, to: Option<&str>, period: Option<&str>, today: i64) -> Result<Span, &'static str> {
        let day = |d: Option<&str>| d.filter(|s| !s.is_empty()).map(|s| parse_day(s).ok_or("from and to are dates: YYYY-MM-DD")).transpose();
        if let Some(month) = period.filter(|p| !p.is_empty()) {
            let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").map_err(|_| "period is a month: YYYY-MM")?;
            return Ok(month_span(first));
        }
        let (from, to) = (day(from)?, day(to)?);
        let span = Span { from, to: to.or(from.map(|_| today)) };
        match span {
            Span { from: Some(f), to: Some(t) } if f > t => Err("from comes after to"),
            span => Ok(span),
        }
    }

    /// The span of as many days just before, when this one starts somewhere.
    pub fn previous(&self) -> Option<Span> {
        let (from, to) = (self.from?, self.to?);
        let days = to - from + 1;
        Some(Span { from: Some(from - days), to: Some(from - 1) })
    }

    /// "2026-11-01 to 2026-11-30", "up to 2026-11-30", or "all time".
    pub fn caption(&self) -> String {
        match (self.from, self.to) {
            (Some(f), Some(t)) => format!("{} to {}", day_label(f), day_label(t)),
            (None, Some(t)) => format!("up to {}", day_label(t)),
            (Some(f), None) => format!("from {}", day_label(f)),
            (None, None) => "all time".into(),
        }
    }

    /// The query string of this span (`from=…&to=…`), empty for all time.
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(f) = self.from {
            parts.push(format!("from={}", day_label(f)));
        }
        if let Some(t) = self.to {
            parts.push(format!("to={}", day_label(t)));
        }
        parts.join("&")
    }
}

/// The whole calendar month starting on `first`.
fn month_span(first: NaiveDate) -> Span {
    let last = first.checked_add_months(Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(first);
    Span { from: Some(day_number(first)), to: Some(day_number(last)) }
}

/// The choices offered beside the form: this month, last month, the last
/// 30 days, all time.
pub fn presets(today: i64) -> Vec<(&'static str, Span)> {
    let date = date_of_day(today);
    let this_month = date.with_day(1).unwrap_or(date);
    let last_month = this_month.checked_sub_months(Months::new(1)).unwrap_or(this_month);
    vec![
        ("This month", Span { to: Some(today), ..month_span(this_month) }),
        ("Last month", month_span(last_month)),
        ("Last 30 days", Span { from: Some(today - 29), to: Some(today) }),
        ("All time", Span::default()),
    ]
}

/// How `now` compares with `before`: "+25% (before: 8)", "new (before: 0)", "no change".
pub fn change(now: i64, before: i64) -> String {
    match (now, before) {
        (n, b) if n == b => "no change".into(),
        (_, 0) => "new (before: 0)".into(),
        (n, b) => format!("{:+.0}% (before: {b})", (n - b) as f64 * 100.0 / b as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> i64 {
        parse_day(s).unwrap()
    }

    #[test]
    fn a_month_compares_with_as_many_days_before() {
        let span = Span::parse(None, None, Some("2026-11"), day("2026-12-02")).unwrap();
        assert_eq!(span, Span { from: Some(day("2026-11-01")), to: Some(day("2026-11-30")) });
        assert_eq!(span.previous().unwrap().caption(), "2026-10-02 to 2026-10-31");
        assert_eq!(span.query(), "from=2026-11-01&to=2026-11-30");
    }

    #[test]
    fn from_alone_runs_to_today_and_bad_input_is_refused() {
        let today = day("2026-12-02");
        assert_eq!(Span::parse(Some("2026-12-01"), None, None, today).unwrap().caption(), "2026-12-01 to 2026-12-02");
        assert_eq!(Span::parse(None, None, None, today).unwrap(), Span::default());
        assert!(Span::default().previous().is_none(), "all time has nothing before it");
        assert!(Span::parse(Some("2026-12-31"), Some("2026-12-01"), None, today).is_err());
        assert!(Span::parse(Some("yesterday"), None, None, today).is_err());
        assert!(Span::parse(None, None, Some("2026-13"), today).is_err());
    }

    #[test]
    fn presets_and_changes_read_right() {
        let presets = presets(day("2026-12-02"));
        assert_eq!(presets[0].1.caption(), "2026-12-01 to 2026-12-02");
        assert_eq!(presets[1].1.caption(), "2026-11-01 to 2026-11-30");
        assert_eq!(presets[2].1.caption(), "2026-11-03 to 2026-12-02");
        assert_eq!(
            (change(10, 8), change(4, 0), change(3, 3), change(2, 4)),
            ("+25% (before: 8)".into(), "new (before: 0)".into(), "no change".into(), "-50% (before: 4)".into())
        );
    }
}
