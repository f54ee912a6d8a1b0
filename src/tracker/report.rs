//! `chorus report`: the tracker's figures on a terminal, as a table, CSV or JSON,
//! straight from its database (a SQLite path or a PostgreSQL URL).

use std::fmt::Write;

use super::export::csv_field;
use std::sync::Arc;

use super::store::{self, ClickStore, StatsQuery, StatsRow};
use crate::diagnostics::Error;

/// Output formats of `chorus report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// An aligned table
    Table,
    /// CSV with a header row
    Csv,
    /// One JSON document
    Json,
    /// Markdown, for a wiki (the period report)
    Md,
    /// One self-contained HTML page that prints on A4 (the period report)
    Html,
}

/// Runs the query against the database and formats the rows.
pub async fn report(database: &str, query: &StatsQuery, format: ReportFormat) -> Result<String, Error> {
    let store = open_checked(database, query.campaign.as_deref()).await?;
    let rows = store.stats(query).await.map_err(|e| Error::new(e.to_string()))?;
    Ok(format_rows(&rows, query, format))
}

/// Opens the tracker's store for a report. A database that does not exist
/// or holds no tracker data, or a campaign it has never heard of, is an
/// error rather than a report of zeros.
pub async fn open_checked(database: &str, campaign: Option<&str>) -> Result<Arc<dyn ClickStore>, Error> {
    let where_help = "give what `chorus track` was started with: its `--database` (or CHORUS_DATABASE), \
                      by default `chorus-tracker.db` in the folder it runs in, or a postgres:// URL";
    if !store::is_postgres(database) && !std::path::Path::new(database).is_file() {
        return Err(Error::new(format!("no tracker database at `{database}`")).with_help(where_help));
    }
    let store = store::open(database).await.map_err(|e| Error::new(e.to_string()))?;
    if store.schema_version().await.map_err(|e| Error::new(e.to_string()))? == 0 {
        return Err(Error::new(format!("`{database}` holds no tracker data: `chorus track` has never used it")).with_help(where_help));
    }
    store.migrate().await.map_err(|e| Error::new(e.to_string()))?;
    if let Some(campaign) = campaign {
        let known = store.campaigns().await.map_err(|e| Error::new(e.to_string()))?;
        if !known.iter().any(|k| k == campaign) {
            let help = match crate::diagnostics::did_you_mean(campaign, known.iter().map(String::as_str)) {
                Some(close) => format!("did you mean `{close}`?"),
                None if known.is_empty() => "the tracker has loaded no links yet".to_string(),
                None => format!("the campaigns it knows: {}", known.join(", ")),
            };
            return Err(Error::new(format!("no campaign `{campaign}` in the tracker's database")).with_help(help));
        }
    }
    Ok(store)
}

/// Whether days matter to a query: grouped by day, or from or to a day.
pub fn has_days(query: &StatsQuery) -> bool {
    query.by == store::GroupBy::Day || query.from_day.is_some() || query.to_day.is_some()
}

/// Which time zone a query's days are in, in words.
pub fn days_note(query: &StatsQuery) -> String {
    match query.zone {
        Some(zone) => format!("Days in {} (the hub's time zone)", zone.name()),
        None => "Days in UTC (no hub.yaml found)".to_string(),
    }
}

/// Formats stats rows.
pub fn format_rows(rows: &[StatsRow], query: &StatsQuery, format: ReportFormat) -> String {
    let key = match query.by {
        store::GroupBy::Day => "day",
        store::GroupBy::Network => "network",
        store::GroupBy::Snippet => "snippet",
        store::GroupBy::Campaign => "campaign",
    };
    let zone = query.zone.map_or("UTC", |z| z.name());
    match format {
        // Markdown and HTML are the period report's; raw rows stay JSON.
        ReportFormat::Json | ReportFormat::Md | ReportFormat::Html => {
            serde_json::json!({ "by": key, "time_zone": zone, "rows": rows }).to_string() + "\n"
        }
        ReportFormat::Csv => {
            let mut out = format!("{key},clicks,visitors,shares,copies,bots\n");
            for r in rows {
                let _ = writeln!(out, "{},{},{},{},{},{}", csv_field(&r.key), r.clicks, r.visitors, r.shares, r.copies, r.bots);
            }
            out
        }
        ReportFormat::Table => {
            let width = rows.iter().map(|r| r.key.chars().count()).max().unwrap_or(0).max(key.len()).max(5);
            let mut out = if has_days(query) { format!("{}\n", days_note(query)) } else { String::new() };
            let _ = writeln!(out, "{key:<width$}  {:>8}  {:>8}  {:>8}  {:>8}  {:>8}", "clicks", "visitors", "shares", "copies", "bots");
            let mut total = [0i64; 5];
            for r in rows {
                let _ = writeln!(out, "{:<width$}  {:>8}  {:>8}  {:>8}  {:>8}  {:>8}", r.key, r.clicks, r.visitors, r.shares, r.copies, r.bots);
                for (t, v) in total.iter_mut().zip([r.clicks, r.visitors, r.shares, r.copies, r.bots]) {
                    *t += v;
                }
            }
            let _ = writeln!(out, "{:<width$}  {:>8}  {:>8}  {:>8}  {:>8}  {:>8}", "total", total[0], total[1], total[2], total[3], total[4]);
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<StatsRow> {
        vec![
            StatsRow { key: "linkedin".into(), clicks: 12, visitors: 10, bots: 3, copies: 4, shares: 5 },
            StatsRow { key: "x".into(), clicks: 2, visitors: 2, bots: 7, copies: 0, shares: 1 },
        ]
    }

    #[test]
    fn table_has_totals_and_csv_a_header() {
        let q = StatsQuery { by: store::GroupBy::Network, ..StatsQuery::default() };
        let table = format_rows(&rows(), &q, ReportFormat::Table);
        assert!(table.lines().next().unwrap().starts_with("network"));
        assert!(table.lines().last().unwrap().split_whitespace().collect::<Vec<_>>() == ["total", "14", "12", "6", "4", "10"], "{table}");
        let csv = format_rows(&rows(), &q, ReportFormat::Csv);
        assert_eq!(csv.lines().next(), Some("network,clicks,visitors,shares,copies,bots"));
        assert_eq!(csv.lines().nth(1), Some("linkedin,12,10,5,4,3"));
        let json: serde_json::Value = serde_json::from_str(&format_rows(&rows(), &q, ReportFormat::Json)).unwrap();
        assert_eq!(json["rows"][1]["bots"], 7);
        assert_eq!(json["time_zone"], "UTC");
    }

    #[test]
    fn tables_of_days_name_their_time_zone() {
        let q = StatsQuery { zone: Some(chrono_tz::Europe::Paris), ..StatsQuery::default() };
        let table = format_rows(&rows(), &q, ReportFormat::Table);
        assert_eq!(table.lines().next(), Some("Days in Europe/Paris (the hub's time zone)"));
        assert!(table.lines().nth(1).unwrap().starts_with("day"));
        let q = StatsQuery::default();
        assert_eq!(format_rows(&rows(), &q, ReportFormat::Table).lines().next(), Some("Days in UTC (no hub.yaml found)"));
    }
}
