//! Reads a period's figures from the tracker's store and fills the
//! [`Report`] with them and with what the hub says ([`Facts`]).

use std::collections::BTreeMap;

use super::model::{CampaignRow, Counts, DayRow, Emv, GoalProgress, GuideRow, NetworkRow, Period, PolicyRow, Report, VariantRow};
use crate::config::EmvConfig;
use crate::link::Goal;
use crate::tracker::store::{ClickStore, GroupBy, Result, StatsQuery, StatsRow, Training};
use crate::util::date::day_number;

/// What the hub adds to the tracker's figures; empty without a hub.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The hub's title in the report's language.
    pub hub: String,
    /// The report's language.
    pub lang: String,
    /// The hub's time zone; UTC without a hub.
    pub zone: Option<chrono_tz::Tz>,
    /// Campaign titles in the report's language, by campaign id.
    pub titles: BTreeMap<String, String>,
    /// Goals by campaign id.
    pub goals: BTreeMap<String, Goal>,
    /// Each post's first words, by (campaign, snippet).
    pub excerpts: BTreeMap<(String, String), String>,
    /// `report.emv` from hub.yaml.
    pub emv: Option<EmvConfig>,
    /// Guide titles in the report's language, by guide id.
    pub guide_titles: BTreeMap<String, String>,
    /// Policy titles in the report's language, by policy id.
    pub policy_titles: BTreeMap<String, String>,
}

/// The report of `period` (and of `campaign` only, when given).
pub async fn gather(store: &dyn ClickStore, facts: &Facts, period: Period, campaign: Option<&str>) -> Result<Report> {
    let previous = period.previous();
    let query = |p: Period, by: GroupBy, campaign: Option<&str>| StatsQuery {
        campaign: campaign.map(str::to_string),
        from_day: Some(day_number(p.from)),
        to_day: Some(day_number(p.to)),
        by,
        zone: facts.zone,
    };
    let rows = store.stats(&query(period, GroupBy::Campaign, campaign)).await?;
    let totals = sum(&rows);
    let previous_totals = sum(&store.stats(&query(previous, GroupBy::Campaign, campaign)).await?);
    let networks = store.stats(&query(period, GroupBy::Network, campaign)).await?;

    let mut campaigns = Vec::new();
    let mut variants = Vec::new();
    let mut ids: Vec<String> = rows.iter().map(|r| r.key.clone()).collect();
    // A campaign with a goal is reported on even in a month without clicks.
    let known = store.campaigns().await?;
    ids.extend(facts.goals.keys().filter(|id| known.contains(id) && campaign.is_none_or(|c| c == id.as_str())).cloned());
    ids.sort();
    ids.dedup();
    for id in ids {
        let counts = rows.iter().find(|r| r.key == id).map(counts_of).unwrap_or_default();
        let by_network = store.stats(&query(period, GroupBy::Network, Some(&id))).await?;
        let goal = match facts.goals.get(&id) {
            Some(goal) => {
                let so_far = StatsQuery { from_day: None, ..query(period, GroupBy::Campaign, Some(&id)) };
                let done = sum(&store.stats(&so_far).await?);
                Some(GoalProgress {
                    metric: goal.metric.id(),
                    target: goal.target,
                    done: goal.done(done.clicks, done.visitors),
                    percent: goal.percent(done.clicks, done.visitors),
                })
            }
            None => None,
        };
        for row in store.stats(&query(period, GroupBy::Snippet, Some(&id))).await? {
            let c = counts_of(&row);
            let excerpt = facts.excerpts.get(&(id.clone(), row.key.clone())).cloned();
            variants.push(VariantRow {
                campaign: id.clone(),
                snippet: row.key,
                excerpt,
                clicks_per_share: c.clicks_per_share(),
                visitors_per_click: c.visitors_per_click(),
                counts: c,
            });
        }
        campaigns.push(CampaignRow {
            title: facts.titles.get(&id).cloned().unwrap_or_else(|| id.clone()),
            emv: facts.emv.as_ref().map(|emv| value(emv, &by_network)),
            clicks_per_share: counts.clicks_per_share(),
            campaign: id,
            counts,
            goal,
        });
    }
    campaigns.sort_by(|a, b| b.counts.clicks.cmp(&a.counts.clicks).then_with(|| a.campaign.cmp(&b.campaign)));
    variants.sort_by(|a, b| rank(b).total_cmp(&rank(a)).then_with(|| b.counts.clicks.cmp(&a.counts.clicks)).then_with(|| a.snippet.cmp(&b.snippet)));

    let mut network_rows: Vec<NetworkRow> = networks
        .iter()
        .map(|r| {
            let c = counts_of(r);
            let emv = facts.emv.as_ref().map(|emv| c.clicks as f64 * rate(emv, &r.key));
            NetworkRow { network: r.key.clone(), clicks_per_share: c.clicks_per_share(), counts: c, emv }
        })
        .collect();
    network_rows.sort_by(|a, b| b.counts.clicks.cmp(&a.counts.clicks).then_with(|| a.network.cmp(&b.network)));

    let by_day = store.stats(&query(period, GroupBy::Day, campaign)).await?;
    let days = period
        .each_day()
        .map(|d| {
            let day = d.format("%Y-%m-%d").to_string();
            let counts = by_day.iter().find(|r| r.key == day).map(counts_of).unwrap_or_default();
            DayRow { day, counts }
        })
        .collect();

    // The previous period's networks matter only to its EMV.
    let emv = match &facts.emv {
        Some(emv) => Some(Emv {
            currency: emv.currency.clone(),
            total: value(emv, &networks),
            previous_total: value(emv, &store.stats(&query(previous, GroupBy::Network, campaign)).await?),
            rates: emv.cpc.iter().map(|(n, c)| (n.id().to_string(), *c)).collect(),
        }),
        None => None,
    };
    // Guides and policies are the hub's, not a campaign's: a campaign's report leaves them out.
    let training = match campaign {
        None => store.training(&query(period, GroupBy::Day, None)).await?,
        Some(_) => Training::default(),
    };
    let title = |titles: &BTreeMap<String, String>, id: &str| titles.get(id).cloned().unwrap_or_else(|| id.to_string());
    Ok(Report {
        hub: facts.hub.clone(),
        lang: facts.lang.clone(),
        time_zone: facts.zone.map_or("UTC", |z| z.name()).to_string(),
        period,
        previous,
        totals,
        previous_totals,
        campaigns,
        networks: network_rows,
        variants,
        days,
        guides: training
            .guides
            .into_iter()
            .map(|g| GuideRow { title: title(&facts.guide_titles, &g.guide), guide: g.guide, completions: g.completions })
            .collect(),
        policies: training
            .policies
            .into_iter()
            .map(|p| PolicyRow {
                title: title(&facts.policy_titles, &p.policy),
                policy: p.policy,
                version: p.version,
                acknowledgements: p.acknowledgements,
            })
            .collect(),
        emv,
    })
}

/// What ranks a post: clicks per copy-or-share; a post never shared ranks last.
fn rank(v: &VariantRow) -> f64 {
    v.clicks_per_share.unwrap_or(-1.0)
}

fn counts_of(r: &StatsRow) -> Counts {
    Counts { clicks: r.clicks, visitors: r.visitors, copies: r.copies, shares: r.shares, bots: r.bots }
}

fn sum(rows: &[StatsRow]) -> Counts {
    counts_of(&StatsRow::total(rows))
}

/// A network's cost per click; 0 when hub.yaml gives none.
fn rate(emv: &EmvConfig, network: &str) -> f64 {
    emv.cpc.iter().find(|(n, _)| n.id() == network).map_or(0.0, |(_, c)| *c)
}

/// Σ human clicks × cost per click over rows grouped by network.
fn value(emv: &EmvConfig, by_network: &[StatsRow]) -> f64 {
    let total = by_network.iter().fold(0.0, |sum, r| sum + r.clicks as f64 * rate(emv, &r.key));
    (total * 100.0).round() / 100.0
}
