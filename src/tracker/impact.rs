//! The collective impact of the last [`IMPACT_DAYS`] days: what
//! `GET /api/v1/impact` serves and `chorus digest --database` says.

use super::store::{ClickStore, GroupBy, Result, StatsQuery};
use crate::link::impact::{Impact, IMPACT_DAYS};

/// Every campaign's figures from `today - 29` to `today` (UTC day numbers).
pub async fn last_days(store: &dyn ClickStore, today: i64) -> Result<Impact> {
    let from = today - (IMPACT_DAYS - 1);
    let query = StatsQuery { campaign: None, from_day: Some(from), to_day: Some(today), by: GroupBy::Campaign, zone: None };
    let rows = store.stats(&query).await?;
    let sum = |f: fn(&super::store::StatsRow) -> i64| rows.iter().map(f).sum();
    Ok(Impact {
        from: super::store::day_label(from),
        to: super::store::day_label(today),
        days: IMPACT_DAYS,
        clicks: sum(|r| r.clicks),
        visitors: sum(|r| r.visitors),
        shares: sum(|r| r.shares),
        copies: sum(|r| r.copies),
    })
}
