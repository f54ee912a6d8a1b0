//! The CSV export of `/api/v1/export.csv`: one row per stored click, then
//! one row per hourly count of the clicks past their visitors' allowance (no
//! id, the hour's start as time, how many in `clicks`; a row of its own has
//! `clicks` 1), so that the `clicks` column sums to the totals. Streamed page
//! by page, never held whole in memory.

use std::sync::Arc;

use axum::body::{Body, Bytes};

use super::store::{ClickRow, ClickStore, CountKey, CountRow};

/// The header row: the columns of before, then `clicks`.
const HEADER: &[u8] = b"id,time,code,campaign,snippet,network,bot,counted_visitor,ambassador,clicks\n";

/// The export as a streamed body.
pub fn csv(store: Arc<dyn ClickStore>) -> Body {
    let pages = futures_util::stream::unfold(Some((store, ExportAt::Clicks(0))), |state| async move {
        let (store, mut at) = state?;
        loop {
            let page = match &at {
                ExportAt::Clicks(after) => store.export_page(*after, 5_000).await.map(|rows| click_lines(&rows)),
                ExportAt::Counts(after) => store.export_counts(after.clone(), 5_000).await.map(|rows| count_lines(&rows)),
            };
            match page {
                Err(e) => return Some((Err(std::io::Error::other(e.to_string())), None)),
                // The rows of clicks are done: on to the counts; those done, the end.
                Ok((_, None)) => match at {
                    ExportAt::Clicks(_) => at = ExportAt::Counts(None),
                    ExportAt::Counts(_) => return None,
                },
                Ok((chunk, Some(next))) => return Some((Ok::<_, std::io::Error>(Bytes::from(chunk)), Some((store, next)))),
            }
        }
    });
    Body::from_stream(futures_util::StreamExt::chain(futures_util::stream::once(async { Ok(Bytes::from_static(HEADER)) }), pages))
}

/// Where the export is: the rows of clicks after an id, then the hourly
/// counts after a key.
enum ExportAt {
    Clicks(i64),
    Counts(Option<CountKey>),
}

/// An RFC 3339 time of milliseconds since the Unix epoch.
fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.to_rfc3339()).unwrap_or_default()
}

/// The CSV lines of a page of clicks, and where the next page starts (`None`: no rows).
fn click_lines(rows: &[ClickRow]) -> (String, Option<ExportAt>) {
    let mut chunk = String::with_capacity(rows.len() * 96);
    for r in rows {
        chunk.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},1\n",
            r.id,
            rfc3339(r.at_ms),
            csv_field(&r.code),
            csv_field(&r.campaign),
            csv_field(&r.snippet),
            csv_field(&r.network),
            u8::from(r.bot),
            u8::from(r.counted_visitor),
            u8::from(r.ambassador)
        ));
    }
    (chunk, rows.last().map(|last| ExportAt::Clicks(last.id)))
}

/// The CSV lines of a page of hourly counts, and where the next page starts.
fn count_lines(rows: &[CountRow]) -> (String, Option<ExportAt>) {
    let mut chunk = String::with_capacity(rows.len() * 96);
    for r in rows {
        chunk.push_str(&format!(
            ",{},{},{},{},{},{},0,{},{}\n",
            rfc3339(r.hour * 3_600_000),
            csv_field(&r.code),
            csv_field(&r.campaign),
            csv_field(&r.snippet),
            csv_field(&r.network),
            u8::from(r.bot),
            u8::from(!r.ambassador.is_empty()),
            r.clicks
        ));
    }
    (chunk, rows.last().map(|r| ExportAt::Counts(Some((r.hour, r.code.clone(), r.ambassador.clone(), r.bot)))))
}

/// A CSV field, quoted when needed, and never starting with a character that
/// makes a spreadsheet read it as a formula: `=`, `+`, `-`, `@`, tab and
/// carriage return, the list of OWASP's "CSV Injection" page.
pub fn csv_field(text: &str) -> String {
    let safe = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_string() };
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("\t=1+1"), "'\t=1+1", "a leading tab is defused");
        assert_eq!(csv_field("\r=1+1"), "\"'\r=1+1\"", "a leading carriage return is defused, and quoted");
        assert_eq!(csv_field("a\tb"), "a\tb", "a tab inside is harmless");
    }
}
