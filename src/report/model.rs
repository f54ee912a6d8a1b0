//! The period report's figures: what `chorus report --period` prints in every
//! format (docs/report.md). Plain data, filled by [`super::gather`].

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

/// The days a report covers, both included, in the hub's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
}

impl Period {
    /// The month `YYYY-MM`, or `None` when `text` is not one.
    pub fn month(text: &str) -> Option<Period> {
        let from = NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").ok().filter(|_| text.len() == 7)?;
        let to = from.checked_add_months(Months::new(1))?.pred_opt()?;
        Some(Period { from, to })
    }

    /// How many days the period has.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// Whether the period is one whole calendar month.
    pub fn is_month(&self) -> bool {
        self.from.day() == 1 && self.to.succ_opt().is_some_and(|next| next.day() == 1) && self.from.month() == self.to.month()
    }

    /// The period it is compared with: the month before a month, else the
    /// same number of days just before.
    pub fn previous(&self) -> Period {
        if self.is_month() {
            let from = self.from.checked_sub_months(Months::new(1)).unwrap_or(self.from);
            return Period { from, to: self.from.pred_opt().unwrap_or(self.from) };
        }
        let to = self.from.pred_opt().unwrap_or(self.from);
        Period { from: to - chrono::Duration::days(self.days() - 1), to }
    }

    /// Every day of the period, in order.
    pub fn each_day(self) -> impl Iterator<Item = NaiveDate> {
        let to = self.to;
        self.from.iter_days().take_while(move |d| *d <= to)
    }
}

/// Counts of one row: people's clicks, bots apart, and the hub's copy and share beacons.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Clicks by people.
    pub clicks: i64,
    /// Distinct visitors of each day, added up over the days.
    pub visitors: i64,
    /// Texts copied from the hub.
    pub copies: i64,
    /// Share buttons pressed on the hub.
    pub shares: i64,
    /// Clicks by bots, link previews and prefetches (never in the other figures).
    pub bots: i64,
}

impl Counts {
    /// The copies and shares together: what employees did on the hub.
    pub fn actions(&self) -> i64 {
        self.copies + self.shares
    }

    /// Clicks per copy or share, when there was any.
    pub fn clicks_per_share(&self) -> Option<f64> {
        ratio(self.clicks, self.actions())
    }

    /// Visitors per click, when there was any.
    pub fn visitors_per_click(&self) -> Option<f64> {
        ratio(self.visitors, self.clicks)
    }
}

/// `part / whole`, or `None` for a whole of 0.
pub fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// How a figure moved against the previous period: `None` when the previous was 0.
pub fn change(now: i64, before: i64) -> Option<f64> {
    ratio(now - before, before)
}

/// A campaign's goal and how far it is, counted from its start to the period's last day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalProgress {
    /// `clicks` or `visitors`.
    pub metric: &'static str,
    /// The goal.
    pub target: u64,
    /// Done so far (through the period's last day).
    pub done: u64,
    /// `done / target` in whole percent, rounded down.
    pub percent: u64,
}

/// One campaign's figures in the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignRow {
    /// The campaign id.
    pub campaign: String,
    /// Its title in the report's language (the id without a hub).
    pub title: String,
    /// The figures.
    #[serde(flatten)]
    pub counts: Counts,
    /// Clicks per copy or share.
    pub clicks_per_share: Option<f64>,
    /// Its goal, if it has one.
    pub goal: Option<GoalProgress>,
    /// Its earned media value, with `report.emv`.
    pub emv: Option<f64>,
}

/// One network's figures in the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkRow {
    /// The network id (`linkedin`, `x`, …).
    pub network: String,
    /// The figures.
    #[serde(flatten)]
    pub counts: Counts,
    /// Clicks per copy or share.
    pub clicks_per_share: Option<f64>,
    /// Its earned media value, with `report.emv`.
    pub emv: Option<f64>,
}

/// One post (variant) of a campaign: the funnel from the hub to visits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariantRow {
    /// The campaign id.
    pub campaign: String,
    /// The snippet id.
    pub snippet: String,
    /// The post's first words, from the hub.
    pub excerpt: Option<String>,
    /// The figures.
    #[serde(flatten)]
    pub counts: Counts,
    /// Clicks per copy or share: what the ranking goes by.
    pub clicks_per_share: Option<f64>,
    /// Visitors per click.
    pub visitors_per_click: Option<f64>,
}

/// One day's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayRow {
    /// The day, `YYYY-MM-DD`.
    pub day: String,
    /// The figures.
    #[serde(flatten)]
    pub counts: Counts,
}

/// Earned media value: Σ over networks of human clicks × the network's cost per click.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Emv {
    /// The currency, e.g. `EUR`.
    pub currency: String,
    /// The period's total.
    pub total: f64,
    /// The previous period's total.
    pub previous_total: f64,
    /// The cost per click of each network, as in hub.yaml.
    pub rates: std::collections::BTreeMap<String, f64>,
}

/// How many browsers completed one guide in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuideRow {
    /// The guide's id.
    pub guide: String,
    /// Its title from the hub, else its id.
    pub title: String,
    /// Completions (each browser once a day).
    pub completions: i64,
}

/// How many browsers acknowledged one policy version in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyRow {
    /// The policy's id.
    pub policy: String,
    /// Its title from the hub, else its id.
    pub title: String,
    /// The version.
    pub version: String,
    /// Acknowledgements (each browser once a day).
    pub acknowledgements: i64,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The hub's title in the report's language.
    pub hub: String,
    /// The report's language.
    pub lang: String,
    /// The time zone days are in.
    pub time_zone: String,
    /// The days reported on.
    pub period: Period,
    /// The days compared with.
    pub previous: Period,
    /// The period's totals.
    pub totals: Counts,
    /// The previous period's totals.
    pub previous_totals: Counts,
    /// Per campaign, most clicks first.
    pub campaigns: Vec<CampaignRow>,
    /// Per network, most clicks first.
    pub networks: Vec<NetworkRow>,
    /// Per post, best clicks per copy-or-share first.
    pub variants: Vec<VariantRow>,
    /// Every day of the period, in order.
    pub days: Vec<DayRow>,
    /// Guides completed.
    pub guides: Vec<GuideRow>,
    /// Policy versions acknowledged.
    pub policies: Vec<PolicyRow>,
    /// Earned media value, with `report.emv` in hub.yaml.
    pub emv: Option<Emv>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_month_is_compared_with_the_month_before_and_days_with_as_many_days() {
        let march = Period::month("2026-03").unwrap();
        assert_eq!((march.from, march.to, march.days()), (day("2026-03-01"), day("2026-03-31"), 31));
        assert_eq!(march.previous(), Period { from: day("2026-02-01"), to: day("2026-02-28") });
        let week = Period { from: day("2026-03-10"), to: day("2026-03-16") };
        assert!(!week.is_month());
        assert_eq!(week.previous(), Period { from: day("2026-03-03"), to: day("2026-03-09") });
        assert_eq!(week.each_day().count(), 7);
        assert_eq!(Period::month("2026-13"), None);
        assert_eq!(Period::month("2026-3"), None);
    }

    #[test]
    fn rates_and_changes_need_something_to_divide_by() {
        let c = Counts { clicks: 30, visitors: 24, copies: 8, shares: 2, bots: 9 };
        assert_eq!(c.clicks_per_share(), Some(3.0));
        assert_eq!(c.visitors_per_click(), Some(0.8));
        assert_eq!(Counts::default().clicks_per_share(), None);
        assert_eq!(change(15, 10), Some(0.5));
        assert_eq!(change(5, 0), None);
    }
}
