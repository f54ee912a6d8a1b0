//! Days in a time zone, for figures grouped or bounded by day.
//!
//! Clicks are stored at UTC milliseconds and rolled up by UTC hour. A day in
//! a time zone is the span between two local midnights, whose UTC offset
//! changes with daylight saving time: the store turns an instant into its
//! local day with the offsets in force, as a SQL `CASE` over the zone's
//! transitions (from chrono-tz's copy of the IANA database). An hourly
//! rollup counts in the day its hour starts in, which differs from its clicks'
//! own days only in zones offset by a half or a quarter of an hour.

use chrono::{NaiveDate, Offset, TimeZone};
use chrono_tz::Tz;

const DAY_MS: i64 = 86_400_000;

/// The UTC offset (ms) in force at `at_ms` in `zone`.
fn offset_ms(zone: Tz, at_ms: i64) -> i64 {
    match chrono::DateTime::from_timestamp_millis(at_ms) {
        Some(at) => i64::from(zone.offset_from_utc_datetime(&at.naive_utc()).fix().local_minus_utc()) * 1000,
        None => 0,
    }
}

/// The instants (ms) in `[from_ms, until_ms)` at which `zone`'s offset
/// changes, each with the offset from then on; and the offset at `from_ms`.
fn transitions(zone: Tz, from_ms: i64, until_ms: i64) -> (i64, Vec<(i64, i64)>) {
    let first = offset_ms(zone, from_ms);
    let mut changes = Vec::new();
    let mut day = from_ms;
    let mut offset = first;
    while day < until_ms {
        let next = (day + DAY_MS).min(until_ms);
        let later = offset_ms(zone, next);
        if later != offset {
            // Zones change their offset at most once a day: find the second it did.
            let (mut before, mut after) = (day, next);
            while after - before > 1000 {
                let middle = before + (after - before) / 2;
                if offset_ms(zone, middle) == offset {
                    before = middle
                } else {
                    after = middle
                }
            }
            changes.push((after - after.rem_euclid(1000), later));
            offset = later;
        }
        day = next;
    }
    (first, changes)
}

/// The SQL for the local day number (days since 1970-01-01 in `zone`; UTC
/// without one) of the instant `ms` (a SQL expression in UTC milliseconds),
/// exact for instants in `[from_ms, until_ms)`; later ones keep the last offset.
pub fn day_sql(zone: Option<Tz>, ms: &str, from_ms: i64, until_ms: i64) -> String {
    let Some(zone) = zone else { return format!("(({ms}) / {DAY_MS})") };
    let (first, changes) = transitions(zone, from_ms, until_ms);
    if changes.is_empty() {
        return format!("((({ms}) + {first}) / {DAY_MS})");
    }
    // Newest first: most figures are recent, and the first match ends the CASE.
    let branches: String = changes.iter().rev().map(|(at, offset)| format!(" WHEN ({ms}) >= {at} THEN {offset}")).collect();
    format!("((({ms}) + CASE{branches} ELSE {first} END) / {DAY_MS})")
}

/// The UTC instant (ms) at which `day` begins in `zone` (UTC without one).
pub fn start_ms(zone: Option<Tz>, day: NaiveDate) -> i64 {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    match zone {
        None => midnight.and_utc().timestamp_millis(),
        // A midnight that daylight saving time skips begins at the first instant after it.
        Some(zone) => zone
            .from_local_datetime(&midnight)
            .earliest()
            .or_else(|| zone.from_local_datetime(&(midnight + chrono::Duration::hours(1))).earliest())
            .map_or_else(|| midnight.and_utc().timestamp_millis(), |t| t.timestamp_millis()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(text: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(text).unwrap().timestamp_millis()
    }

    #[test]
    fn paris_changes_its_offset_on_the_last_sundays_of_march_and_october() {
        let (first, changes) = transitions(chrono_tz::Europe::Paris, ms("2026-01-01T00:00:00Z"), ms("2027-01-01T00:00:00Z"));
        assert_eq!(first, 3_600_000);
        assert_eq!(changes, vec![(ms("2026-03-29T01:00:00Z"), 7_200_000), (ms("2026-10-25T01:00:00Z"), 3_600_000)]);
    }

    #[test]
    fn local_midnights() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(start_ms(None, day("2026-07-01")), ms("2026-07-01T00:00:00Z"));
        assert_eq!(start_ms(Some(chrono_tz::Europe::Paris), day("2026-07-01")), ms("2026-06-30T22:00:00Z"));
        assert_eq!(start_ms(Some(chrono_tz::Europe::Paris), day("2026-12-01")), ms("2026-11-30T23:00:00Z"));
        // Chile's clocks skipped the midnight of 2026-09-06.
        assert_eq!(start_ms(Some(chrono_tz::America::Santiago), day("2026-09-06")), ms("2026-09-06T04:00:00Z"));
    }

    #[test]
    fn the_day_expression_is_plain_sql() {
        assert_eq!(day_sql(None, "c.at_ms", 0, 1), "((c.at_ms) / 86400000)");
        assert_eq!(day_sql(Some(chrono_tz::Asia::Kolkata), "c.at_ms", 0, ms("2026-01-01T00:00:00Z")), "(((c.at_ms) + 19800000) / 86400000)");
        let paris = day_sql(Some(chrono_tz::Europe::Paris), "x", ms("2026-01-01T00:00:00Z"), ms("2027-01-01T00:00:00Z"));
        assert_eq!(paris.matches(" WHEN ").count(), 2, "{paris}");
    }
}
