//! The ranking of provinces by how completely and promptly they keep their data, for the
//! annual emulation review (seed 003 §2). Each province gets a score from 0 to 100, the
//! weighted sum of components that are each shown, each from 0 (worst) to 1 (best):
//!
//! - `timeliness`: the share of the reports its units owed in the reporting year that were
//!   sent on time (art. 7(2));
//! - `reconciliation`: one minus the gap between the annual report its Department submitted
//!   and what the records say now, relative to the records (no annual report: 0);
//! - `entry_delay`: one minus the average days between a case's acceptance and its entry in
//!   the system, over [`DELAY_SCALE_DAYS`] (30 days or more: 0);
//! - `closing_delay`: the same for a case's closing and the recording of its closing step;
//! - `required_facts`: one minus the share of its cases accepted in the year that miss a
//!   required fact: a concluded litigation case without its outcome, a case still without a
//!   provider [`PROVIDER_GRACE_DAYS`] days after its acceptance.
//!
//! The weights are data ([`WEIGHTS`]), documented in `docs/statistics.md`.

/// Days of average delay at which a delay component reaches 0.
pub const DELAY_SCALE_DAYS: f64 = 30.0;

/// Days a case may wait for its provider after acceptance before it counts as missing one.
pub const PROVIDER_GRACE_DAYS: i64 = 7;

/// The weight of each component in the score; they add up to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    pub timeliness: f64,
    pub reconciliation: f64,
    pub entry_delay: f64,
    pub closing_delay: f64,
    pub required_facts: f64,
}

/// The weights in use: reporting on time and matching the records count most, as seed 003
/// §2 ranks "completeness and promptness"; the delays and the missing facts share the rest.
pub const WEIGHTS: Weights = Weights {
    timeliness: 0.30,
    reconciliation: 0.25,
    entry_delay: 0.15,
    closing_delay: 0.10,
    required_facts: 0.20,
};

/// What is measured of one province in a reporting year.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Measures {
    /// Reports owed, and of them sent on time.
    pub reports_expected: u64,
    pub reports_on_time: u64,
    /// The sum of the absolute differences over the annual report's total row, and the sum
    /// of the records' figures there; `None` when no annual report was submitted.
    pub reconciliation: Option<(u64, u64)>,
    /// Cases accepted in the year, and the days from acceptance to entry, summed.
    pub cases_accepted: u64,
    pub entry_delay_days: u64,
    /// Cases closed in the year, and the days from closing to its recording, summed.
    pub cases_closed: u64,
    pub closing_delay_days: u64,
    /// Cases accepted in the year that miss a required fact.
    pub cases_missing_facts: u64,
}

/// The components of a score, each from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Components {
    pub timeliness: f64,
    pub reconciliation: f64,
    pub entry_delay: f64,
    pub closing_delay: f64,
    pub required_facts: f64,
}

fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

fn delay(days: u64, cases: u64) -> f64 {
    if cases == 0 {
        return 1.0;
    }
    let average = days as f64 / cases as f64;
    (1.0 - average / DELAY_SCALE_DAYS).clamp(0.0, 1.0)
}

impl Measures {
    /// Whether there is anything to rank the province by: reports owed or cases handled in
    /// the year. A province with neither (no unit in the system yet) is listed unranked:
    /// a score made of defaults would put it above those that keep their data.
    pub fn is_rankable(&self) -> bool {
        self.reports_expected > 0 || self.cases_accepted > 0 || self.cases_closed > 0
    }

    /// The components: a province that owed nothing, or handled no case, is not marked down
    /// for it; one whose Department sent no annual report scores 0 on reconciliation.
    pub fn components(&self) -> Components {
        Components {
            timeliness: share(self.reports_on_time, self.reports_expected),
            reconciliation: match self.reconciliation {
                None => 0.0,
                Some((gap, records)) => (1.0 - share(gap, records.max(1))).clamp(0.0, 1.0),
            },
            entry_delay: delay(self.entry_delay_days, self.cases_accepted),
            closing_delay: delay(self.closing_delay_days, self.cases_closed),
            required_facts: 1.0 - share(self.cases_missing_facts, self.cases_accepted),
        }
    }
}

impl Components {
    /// The score from 0 to 100, to one decimal.
    pub fn score(&self, w: &Weights) -> f64 {
        let s = w.timeliness * self.timeliness
            + w.reconciliation * self.reconciliation
            + w.entry_delay * self.entry_delay
            + w.closing_delay * self.closing_delay
            + w.required_facts * self.required_facts;
        (s * 1000.0).round() / 10.0
    }
}

/// Ranks `scores` (province code, score), best first: equal scores share a rank, the next
/// rank skipping as many places (1, 2, 2, 4), ties listed by code.
pub fn rank(mut scores: Vec<(String, f64)>) -> Vec<(u32, String, f64)> {
    scores.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut out: Vec<(u32, String, f64)> = Vec::with_capacity(scores.len());
    for (i, (code, score)) in scores.into_iter().enumerate() {
        let place = match out.last() {
            Some((r, _, s)) if *s == score => *r,
            _ => u32::try_from(i + 1).unwrap_or(u32::MAX),
        };
        out.push((place, code, score));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_weights_add_up_to_one() {
        let w = WEIGHTS;
        let sum =
            w.timeliness + w.reconciliation + w.entry_delay + w.closing_delay + w.required_facts;
        assert!((sum - 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_province_that_keeps_everything_promptly_scores_100() {
        let perfect = Measures {
            reports_expected: 10,
            reports_on_time: 10,
            reconciliation: Some((0, 500)),
            cases_accepted: 100,
            entry_delay_days: 0,
            cases_closed: 50,
            closing_delay_days: 0,
            cases_missing_facts: 0,
        };
        assert_eq!(perfect.components().score(&WEIGHTS), 100.0);
    }

    #[test]
    fn each_component_is_measured_as_documented() {
        let m = Measures {
            reports_expected: 4,
            reports_on_time: 1,
            reconciliation: Some((50, 200)),
            cases_accepted: 10,
            entry_delay_days: 150,
            cases_closed: 4,
            closing_delay_days: 240,
            cases_missing_facts: 2,
        };
        let c = m.components();
        assert!((c.timeliness - 0.25).abs() < 1e-9);
        assert!((c.reconciliation - 0.75).abs() < 1e-9);
        assert!((c.entry_delay - 0.5).abs() < 1e-9, "15 days on average");
        assert_eq!(c.closing_delay, 0.0, "60 days on average");
        assert!((c.required_facts - 0.8).abs() < 1e-9);
        // 0.3×0.25 + 0.25×0.75 + 0.15×0.5 + 0 + 0.2×0.8 = 0.4975
        assert_eq!(c.score(&WEIGHTS), 49.8);
        assert!(m.is_rankable());
        assert!(!Measures::default().is_rankable());
        let none = Measures::default().components();
        assert_eq!(none.reconciliation, 0.0, "no annual report");
        assert_eq!(none.timeliness, 1.0, "nothing owed");
    }

    #[test]
    fn equal_scores_share_a_rank() {
        let ranked = rank(vec![
            ("b".into(), 80.0),
            ("a".into(), 80.0),
            ("c".into(), 90.0),
            ("d".into(), 10.0),
        ]);
        let places: Vec<(u32, &str)> = ranked.iter().map(|(r, c, _)| (*r, c.as_str())).collect();
        assert_eq!(places, vec![(1, "c"), (2, "a"), (2, "b"), (4, "d")]);
    }
}
