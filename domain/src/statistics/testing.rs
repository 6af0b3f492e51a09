//! What the tests of the forms share: periods across three reporting years, and records
//! generated in every state.

use chrono::{Duration, NaiveDate};

use crate::label::Vocabulary;
use crate::organization::ParticipationMode;
use crate::reference::{AidForm, AidPlace, Field, ProviderKind};
use crate::reference::{Gender, RecipientCategory};
use crate::statistics::dimension::ProviderAffiliation;
use crate::statistics::{CaseRecord, Period, PersonTimeRecord};

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A small deterministic generator (the domain crate takes no random-number dependency).
pub struct Lcg(pub u64);

impl Lcg {
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Cases in every state across three reporting years: requests never accepted, cases
/// open, finished, transferred in and out, some ending on a period's first or last day.
pub fn case_records(count: usize) -> Vec<CaseRecord> {
    let mut rng = Lcg(7);
    let start = d(2023, 9, 1);
    (0..count)
        .map(|_| {
            let received = start + Duration::days(rng.below(3 * 365) as i64);
            let accepted =
                (rng.below(10) > 0).then(|| received + Duration::days(rng.below(20) as i64));
            let ended = match (accepted, rng.below(4)) {
                (Some(a), 0 | 1) => Some(a + Duration::days(rng.below(400) as i64)),
                (None, 0) => Some(received + Duration::days(3)),
                _ => None,
            };
            let provider_kind = (rng.below(5) > 0).then(|| rng.pick(ProviderKind::ALL));
            let practice: [&[ParticipationMode]; 3] = [
                &[],
                &[ParticipationMode::Contract],
                &[ParticipationMode::Registration],
            ];
            let provider_affiliation = provider_kind
                .map(|kind| ProviderAffiliation::of(kind, rng.below(2) == 0, rng.pick(&practice)));
            CaseRecord {
                accepted_on: accepted,
                transferred_in: rng.below(8) == 0,
                closed_on: ended,
                transferred_out: ended.is_some() && rng.below(6) == 0,
                field: rng.pick(Field::ALL),
                form: rng.pick(AidForm::ALL),
                place: rng.pick(AidPlace::ALL),
                provider_kind,
                provider_affiliation,
            }
        })
        .collect()
}

pub fn periods() -> Vec<Period> {
    let mut periods: Vec<Period> = [
        "2024-3M", "2024-Y", "2025-3M", "2025-6M", "2025-9M", "2025-Y", "2026-3M",
    ]
    .iter()
    .map(|p| Period::parse(p).unwrap())
    .collect();
    periods.push(Period::parse("2024-11-01/2025-07-30").unwrap());
    periods.push(Period::parse("2025-02-28/2025-02-28").unwrap());
    periods
}

/// Checks every rule of `table` holds, and that it counted something.
pub fn assert_rules_hold(table: &crate::statistics::Table) {
    let label = format!("{} {}", table.form.code, table.period);
    assert!(
        table.rows[0].cells[0] > 0,
        "{label}: an empty table proves nothing"
    );
    for result in table.check() {
        assert!(result.holds(), "{label}: {result:?}");
    }
}

/// The persons aided in `case_records(3000)`, each with up to two proofs drawn from
/// `categories` (the first proven counts), a gender now and then not recorded, and some cases
/// transferred in from a case accepted elsewhere.
pub fn person_times(seed: u64, categories: &[RecipientCategory]) -> Vec<PersonTimeRecord> {
    let mut rng = Lcg(seed);
    case_records(3000)
        .into_iter()
        .map(|case| {
            let mut proven: Vec<RecipientCategory> =
                (0..rng.below(3)).map(|_| rng.pick(categories)).collect();
            proven.dedup();
            PersonTimeRecord {
                counted_where_first_accepted: case.transferred_in && rng.below(2) == 0,
                gender: (rng.below(10) > 0).then(|| rng.pick(Gender::ALL)),
                category: proven.first().copied(),
                proven,
                case,
            }
        })
        .collect()
}
