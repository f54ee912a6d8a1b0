//! The collective impact of the last [`IMPACT_DAYS`] days: what
//! `GET /api/v1/impact` serves and `chorus digest --database` says.

use super::store::{ClickStore, GroupBy, Result, StatsQuery, StatsRow};
use crate::link::impact::{Impact, IMPACT_DAYS};

/// Every campaign's figures from `today - 29` to `today` (UTC day numbers).
pub async fn last_days(store: &dyn ClickStore, today: i64) -> Result<Impact> {
    let from = today - (IMPACT_DAYS - 1);
    let query = StatsQuery { campaign: None, from_day: Some(from), to_day: Some(today), by: GroupBy::Campaign, zone: None };
    let total = StatsRow::total(&store.stats(&query).await?);
    Ok(Impact {
        from: super::store::day_label(from),
        to: super::store::day_label(today),
        days: IMPACT_DAYS,
        clicks: total.clicks,
        visitors: total.visitors,
        shares: total.shares,
        copies: total.copies,
    })
}
