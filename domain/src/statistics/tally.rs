//! The figures of cases and person-times kept as they move: every accepted case adds its
//! acceptance and its end to the month and the reporting year they fall in, keyed by the
//! values the forms break cases down by. A form for a period made of whole months is then
//! filled from a few hundred tallies instead of every case (the benchmark's national year
//! reads one tally per centre and month), and gives the same figures as the records.
//!
//! This module says what a case contributes and how tallies make a table; storing them in
//! the same transaction as each change is `tgpl_persistence::statistics::tally`'s.

use chrono::{Datelike, Months, NaiveDate};

use super::dimension::ProviderAffiliation;
use super::form::{Countable, Dimension, Measure};
use super::period::{reporting_year_of, year_start, Period};
use super::records::{CaseRecord, PersonTimeRecord};
use crate::label::Vocabulary;
use crate::reference::{AidForm, AidPlace, Field, Gender, ProviderKind, RecipientCategory};

/// Where a day's contributions are kept: its month, and its reporting year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Bucket {
    /// A calendar month (`M2026-11`).
    Month { year: i32, month: u32 },
    /// A reporting year from 1 October, named by the year it ends in (`Y2026`).
    Year(i32),
}

impl Bucket {
    /// The two buckets a day belongs to.
    pub fn of(day: NaiveDate) -> [Self; 2] {
        [
            Self::Month {
                year: day.year(),
                month: day.month(),
            },
            Self::Year(reporting_year_of(day)),
        ]
    }

    /// The stored code: `M2026-11`, `Y2026` (they sort in time within each kind).
    pub fn code(&self) -> String {
        match self {
            Self::Month { year, month } => format!("M{year:04}-{month:02}"),
            Self::Year(year) => format!("Y{year:04}"),
        }
    }

    fn month_of(day: NaiveDate) -> Self {
        Self::Month {
            year: day.year(),
            month: day.month(),
        }
    }
}

/// The buckets a period made of whole months is filled from: the reporting years wholly
/// before it (`years_before`: every year bucket under this code), the months of its reporting
/// year before it (`months_before`), and its own months (`within`). `None` for a period that
/// does not start on a month's first day and end on a month's last: such a period is counted
/// from the records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Year buckets whose code sorts before this one are wholly before the period.
    pub years_before: String,
    pub months_before: Vec<Bucket>,
    pub within: Vec<Bucket>,
}

impl Plan {
    pub fn of(period: &Period) -> Option<Self> {
        let (from, to) = (period.from(), period.to());
        let whole = from.day() == 1 && to.succ_opt().is_some_and(|next| next.day() == 1);
        if !whole {
            return None;
        }
        let year = reporting_year_of(from);
        let months = |start: NaiveDate, end: NaiveDate| {
            let mut buckets = Vec::new();
            let mut day = start;
            while day < end {
                buckets.push(Bucket::month_of(day));
                day = day.checked_add_months(Months::new(1))?;
            }
            Some(buckets)
        };
        Some(Self {
            years_before: Bucket::Year(year).code(),
            months_before: months(year_start(year), from)?,
            within: months(from, to)?,
        })
    }
}

/// What a case adds to one bucket: acceptances (new, or by transfer from another province)
/// and ends (finished, or by transfer out), each one per case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CaseFlows {
    pub accepted_new: i64,
    pub accepted_transferred_in: i64,
    pub finished: i64,
    pub transferred_out: i64,
}

impl CaseFlows {
    pub fn add(&mut self, other: &Self, sign: i64) {
        self.accepted_new += sign * other.accepted_new;
        self.accepted_transferred_in += sign * other.accepted_transferred_in;
        self.finished += sign * other.finished;
        self.transferred_out += sign * other.transferred_out;
    }

    pub fn is_zero(&self) -> bool {
        *self == Self::default()
    }

    fn accepted(&self) -> i64 {
        self.accepted_new + self.accepted_transferred_in
    }

    fn ended(&self) -> i64 {
        self.finished + self.transferred_out
    }
}

/// The values a case is broken down by, packed: field, form of aid, place, provider
/// affiliation (which also gives the provider's kind) or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseKey(pub u32);

fn position<V: Vocabulary + PartialEq>(v: V) -> u32 {
    V::ALL.iter().position(|x| *x == v).unwrap_or(0) as u32
}

fn nth<V: Vocabulary>(i: u64) -> Option<V> {
    V::ALL.get(usize::try_from(i).ok()?).copied()
}

impl CaseKey {
    pub fn of(case: &CaseRecord) -> Self {
        let affiliation = case.provider_affiliation.map_or(0, |a| 1 + position(a));
        Self(
            ((position(case.field) * 3 + position(case.form)) * 4 + position(case.place)) * 8
                + affiliation,
        )
    }

    fn field(self) -> Option<Field> {
        nth(u64::from(self.0 / 96))
    }

    fn form(self) -> Option<AidForm> {
        nth(u64::from(self.0 / 32 % 3))
    }

    fn place(self) -> Option<AidPlace> {
        nth(u64::from(self.0 / 8 % 4))
    }

    fn affiliation(self) -> Option<ProviderAffiliation> {
        (self.0 % 8).checked_sub(1).and_then(|i| nth(u64::from(i)))
    }

    fn value(self, dimension: Dimension) -> Option<&'static str> {
        match dimension {
            Dimension::Field => self.field().map(|v| v.code()),
            Dimension::AidForm => self.form().map(|v| v.code()),
            Dimension::AidPlace => self.place().map(|v| v.code()),
            Dimension::ProviderAffiliation => self.affiliation().map(|v| v.code()),
            Dimension::ProviderKind => self.affiliation().map(|a| a.kind().code()),
            _ => None,
        }
    }
}

/// What one case contributes: its acceptance on the day it was accepted and its end on the
/// day it ended, under its key. Nothing for a request never accepted.
pub fn case_contributions(case: &CaseRecord) -> Vec<(NaiveDate, CaseKey, CaseFlows)> {
    let Some(accepted) = case.accepted_on else {
        return Vec::new();
    };
    let key = CaseKey::of(case);
    let mut flows = vec![(
        accepted,
        key,
        CaseFlows {
            accepted_new: i64::from(!case.transferred_in),
            accepted_transferred_in: i64::from(case.transferred_in),
            ..CaseFlows::default()
        },
    )];
    if let Some(ended) = case.ended_on() {
        flows.push((
            ended,
            key,
            CaseFlows {
                finished: i64::from(!case.transferred_out),
                transferred_out: i64::from(case.transferred_out),
                ..CaseFlows::default()
            },
        ));
    }
    flows
}

/// The values a person-time is broken down by, packed: its case's key, the person's gender,
/// the category proven first, and every category proven (one bit each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PersonKey(pub u64);

impl PersonKey {
    pub fn of(p: &PersonTimeRecord) -> Self {
        let gender = p.gender.map_or(0, |g| 1 + position(g));
        let category = p.category.map_or(0, |c| 1 + position(c));
        let proven = p
            .proven
            .iter()
            .fold(0u64, |mask, c| mask | 1 << position(*c));
        Self(
            (((proven << 4 | u64::from(category)) << 2 | u64::from(gender)) << 10)
                | u64::from(CaseKey::of(&p.case).0),
        )
    }

    fn case(self) -> CaseKey {
        CaseKey((self.0 & 0x3ff) as u32)
    }

    fn gender(self) -> Option<Gender> {
        (self.0 >> 10 & 0x3).checked_sub(1).and_then(nth)
    }

    fn category(self) -> Option<RecipientCategory> {
        (self.0 >> 12 & 0xf).checked_sub(1).and_then(nth)
    }

    fn proven(self, category: RecipientCategory) -> bool {
        self.0 >> 16 >> position(category) & 1 == 1
    }
}

/// What one person-time contributes: one, on the day its case was accepted, unless it is
/// not counted ([`PersonTimeRecord`]'s rule, asked of the day's own period).
pub fn person_contribution(p: &PersonTimeRecord) -> Option<(NaiveDate, PersonKey)> {
    let accepted = p.case.accepted_on?;
    let day = Period::range(accepted, accepted).ok()?;
    p.counts(Measure::PersonTimes, &day)
        .then(|| (accepted, PersonKey::of(p)))
}

/// The cases of one key in a period, from its tallies: those open at its start (accepted
/// before it, not ended before it) and what moved in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseTally {
    pub key: CaseKey,
    /// Accepted before the period, less ended before it.
    pub carried_over: i64,
    pub within: CaseFlows,
}

impl CaseTally {
    /// The tally of `key` from the flows of the buckets before the period and within it.
    pub fn new(key: CaseKey, before: CaseFlows, within: CaseFlows) -> Self {
        Self {
            key,
            carried_over: before.accepted() - before.ended(),
            within,
        }
    }

    fn count(&self, measure: Measure) -> i64 {
        let in_hand = self.carried_over + self.within.accepted();
        match measure {
            Measure::CasesInHand => in_hand,
            Measure::CasesCarriedOver => self.carried_over,
            Measure::CasesTransferredIn => self.within.accepted_transferred_in,
            Measure::CasesNew => self.within.accepted_new,
            Measure::CasesAccepted => self.within.accepted(),
            Measure::CasesFinished => self.within.finished,
            Measure::CasesTransferredOut => self.within.transferred_out,
            Measure::CasesCarriedForward => in_hand - self.within.ended(),
            _ => 0,
        }
    }
}

impl Countable for CaseTally {
    fn counts(&self, measure: Measure, _: &Period) -> bool {
        self.count(measure) > 0
    }

    fn value(&self, dimension: Dimension, _: &Period) -> Option<&'static str> {
        self.key.value(dimension)
    }

    fn weight(&self, measure: Measure, _: &Period) -> u64 {
        u64::try_from(self.count(measure)).unwrap_or(0)
    }
}

/// The person-times of one key accepted in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonTally {
    pub key: PersonKey,
    pub count: i64,
}

impl Countable for PersonTally {
    fn counts(&self, measure: Measure, _: &Period) -> bool {
        measure == Measure::PersonTimes && self.count > 0
    }

    fn value(&self, dimension: Dimension, _: &Period) -> Option<&'static str> {
        match dimension {
            Dimension::Gender => self.key.gender().map(|g| g.code()),
            Dimension::RecipientCategory => self.key.category().map(|c| c.code()),
            Dimension::ProvenCategories => None,
            other => self.key.case().value(other),
        }
    }

    fn has(&self, dimension: Dimension, code: &str, period: &Period) -> bool {
        match dimension {
            Dimension::ProvenCategories => {
                RecipientCategory::from_code(code).is_some_and(|c| self.key.proven(c))
            }
            _ => self.value(dimension, period) == Some(code),
        }
    }

    fn weight(&self, measure: Measure, period: &Period) -> u64 {
        if self.counts(measure, period) {
            u64::try_from(self.count).unwrap_or(0)
        } else {
            0
        }
    }
}

impl ProviderAffiliation {
    /// The kind of provider an affiliation is of.
    pub fn kind(self) -> ProviderKind {
        match self {
            Self::LegalAidOfficer => ProviderKind::LegalAidOfficer,
            Self::LawyerUnderCentreContract
            | Self::LawyerOfContractedOrganization
            | Self::LawyerOfRegisteredOrganization => ProviderKind::Lawyer,
            Self::CounsellorOfContractedOrganization | Self::CounsellorOfRegisteredOrganization => {
                ProviderKind::LegalCounsellor
            }
            Self::Collaborator => ProviderKind::Collaborator,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::statistics::testing::{self, case_records, periods};
    use crate::statistics::{circular_02_2011, circular_03_2019, Form};

    /// Tallies the contributions of `records` by bucket and key, as the store keeps them.
    fn store<K: Copy + Eq + std::hash::Hash, F: Copy>(
        events: impl Iterator<Item = (NaiveDate, K, F)>,
        mut add: impl FnMut(&mut F, &F),
        zero: F,
    ) -> HashMap<(Bucket, K), F> {
        let mut kept = HashMap::new();
        for (day, key, flows) in events {
            for bucket in Bucket::of(day) {
                add(kept.entry((bucket, key)).or_insert(zero), &flows);
            }
        }
        kept
    }

    fn sum<K: Copy + Eq + std::hash::Hash, F: Copy>(
        kept: &HashMap<(Bucket, K), F>,
        wanted: impl Fn(&Bucket) -> bool,
        mut add: impl FnMut(&mut F, &F),
        zero: F,
    ) -> HashMap<K, F> {
        let mut total = HashMap::new();
        for ((bucket, key), flows) in kept {
            if wanted(bucket) {
                add(total.entry(*key).or_insert(zero), flows);
            }
        }
        total
    }

    fn whole_month_periods() -> Vec<Period> {
        let mut all: Vec<Period> = periods()
            .into_iter()
            .filter(|p| Plan::of(p).is_some())
            .collect();
        for p in ["2025-H1", "2025-CYE", "2025-CY", "2024-11-01/2025-01-31"] {
            all.push(Period::parse(p).unwrap());
        }
        all
    }

    #[test]
    fn forms_of_cases_filled_from_tallies_equal_forms_filled_from_the_cases() {
        let cases = case_records(3000);
        let add = |a: &mut CaseFlows, b: &CaseFlows| a.add(b, 1);
        let kept = store(
            cases.iter().flat_map(case_contributions),
            add,
            CaseFlows::default(),
        );
        let forms: [&'static Form; 2] = [&circular_02_2011::FORM_1, &circular_03_2019::FORM_25];
        for period in whole_month_periods() {
            let plan = Plan::of(&period).unwrap();
            let before = sum(
                &kept,
                |b| match b {
                    Bucket::Year(_) => b.code() < plan.years_before,
                    month => plan.months_before.contains(month),
                },
                add,
                CaseFlows::default(),
            );
            let within = sum(
                &kept,
                |b| plan.within.contains(b),
                add,
                CaseFlows::default(),
            );
            let mut keys: Vec<CaseKey> = before.keys().chain(within.keys()).copied().collect();
            keys.sort_unstable();
            keys.dedup();
            let tallies: Vec<CaseTally> = keys
                .iter()
                .map(|k| {
                    CaseTally::new(
                        *k,
                        before.get(k).copied().unwrap_or_default(),
                        within.get(k).copied().unwrap_or_default(),
                    )
                })
                .collect();
            for form in forms.iter().filter(|f| f.regime.admits(&period)) {
                assert_eq!(
                    form.fill(&tallies, &period).rows,
                    form.fill(&cases, &period).rows,
                    "{} {period}",
                    form.code
                );
            }
        }
    }

    #[test]
    fn forms_of_person_times_filled_from_tallies_equal_forms_filled_from_the_persons() {
        let people = testing::person_times(3, RecipientCategory::ALL);
        let kept = store(
            people
                .iter()
                .filter_map(person_contribution)
                .map(|(day, key)| (day, key, 1i64)),
            |a, b| *a += b,
            0,
        );
        let forms: [&'static Form; 2] = [&circular_02_2011::FORM_3, &circular_03_2019::FORM_24];
        for period in whole_month_periods() {
            let plan = Plan::of(&period).unwrap();
            let within = sum(&kept, |b| plan.within.contains(b), |a, b| *a += b, 0);
            let tallies: Vec<PersonTally> = within
                .into_iter()
                .map(|(key, count)| PersonTally { key, count })
                .collect();
            for form in forms.iter().filter(|f| f.regime.admits(&period)) {
                assert_eq!(
                    form.fill(&tallies, &period).rows,
                    form.fill(&people, &period).rows,
                    "{} {period}",
                    form.code
                );
            }
        }
    }

    #[test]
    fn only_periods_of_whole_months_are_filled_from_tallies() {
        let plan = |p: &str| Plan::of(&Period::parse(p).unwrap());
        let nine = plan("2025-9M").unwrap();
        assert_eq!(nine.years_before, "Y2025");
        assert!(nine.months_before.is_empty());
        assert_eq!(nine.within.len(), 9);
        let half = plan("2025-H1").unwrap();
        assert_eq!(half.months_before.len(), 3, "October to December 2024");
        assert_eq!(half.within.len(), 6);
        assert!(plan("2025-02-28/2025-02-28").is_none());
        assert!(plan("2024-11-01/2025-07-30").is_none());
        assert!(plan("2024-11-01/2025-07-31").is_some());
    }
}
