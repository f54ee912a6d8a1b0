//! A campaign's goal, `goal: { clicks: N }` or `goal: { visitors: N }` in its
//! front matter (docs/front-matter.md): the builder writes it to the link
//! manifest, the tracker shows progress against it (docs/tracker.md).

use serde::{Deserialize, Serialize};

/// What a goal counts; bots never count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GoalMetric {
    /// Human clicks.
    Clicks,
    /// Unique visitors.
    Visitors,
}

impl GoalMetric {
    /// The metric's name, as in front matter and JSON.
    pub fn id(self) -> &'static str {
        match self {
            GoalMetric::Clicks => "clicks",
            GoalMetric::Visitors => "visitors",
        }
    }
}

/// A campaign's goal: `target` of `metric`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    /// What is counted.
    pub metric: GoalMetric,
    /// How many are aimed at, at least 1.
    pub target: u64,
}

impl Goal {
    /// How far `clicks` and `visitors` are toward the goal, in whole percent
    /// (rounded down, so 100 means reached; it may pass 100).
    pub fn percent(&self, clicks: i64, visitors: i64) -> u64 {
        let done = self.done(clicks, visitors);
        done.saturating_mul(100) / self.target.max(1)
    }

    /// The figure the goal counts, of `clicks` and `visitors`.
    pub fn done(&self, clicks: i64, visitors: i64) -> u64 {
        let value = match self.metric {
            GoalMetric::Clicks => clicks,
            GoalMetric::Visitors => visitors,
        };
        u64::try_from(value).unwrap_or(0)
    }

    /// "312 / 500 clicks (62 %)".
    pub fn progress_text(&self, clicks: i64, visitors: i64) -> String {
        format!("{} / {} {} ({} %)", self.done(clicks, visitors), self.target, self.metric.id(), self.percent(clicks, visitors))
    }
}

/// One campaign's goal in the manifest's `campaigns` list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignGoal {
    /// The campaign id.
    pub campaign: String,
    /// Its goal.
    pub goal: Goal,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_counts_the_goal_metric_in_whole_percent() {
        let goal = Goal { metric: GoalMetric::Clicks, target: 500 };
        assert_eq!(goal.progress_text(312, 40), "312 / 500 clicks (62 %)");
        let goal = Goal { metric: GoalMetric::Visitors, target: 3 };
        assert_eq!(goal.progress_text(10, 4), "4 / 3 visitors (133 %)");
        assert_eq!(serde_json::to_string(&goal).unwrap(), r#"{"metric":"visitors","target":3}"#);
    }
}
