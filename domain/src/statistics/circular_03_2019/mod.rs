//! The legal aid forms of Circular 03/2019/TT-BTP (in force from 15 May 2019), as data: form
//! 24/BTP/TGPL (person-times) and form 25/BTP/TGPL (cases), counted by calendar year in three
//! editions ([`super::period::Edition`]), with the receipt dates printed on them
//! ([`super::regime::CIRCULAR_03_2019`]).
//!
//! Neither form's full printed layout is in our sources: what is known (the columns of form
//! 24, the providers of form 25, rows by field split by form of aid) is followed, and
//! `docs/statistics.md` marks every cell that is inferred.

mod cases;
mod person_times;

pub use cases::FORM_25;
pub use person_times::FORM_24;

use super::define::*;
use super::form::{Column, CountUnit, Dimension, Filter, Form, Measure, Section, Subject};
use super::regime::CIRCULAR_03_2019;

/// Rows by field of law, each split by form of aid in the printed order (form 24: "1 Hình
/// sự: 1.1 Tư vấn pháp luật, 1.2 Tham gia tố tụng, …"; out-of-court representation last).
const BY_FIELD_AND_FORM: &[Section] = &[section_split(
    "I",
    "Phân theo lĩnh vực và hình thức trợ giúp pháp lý",
    "By field of law and form of aid",
    Dimension::Field,
    Dimension::AidForm,
    &["counselling", "litigation", "representation"],
)];

/// The forms of the circular that the system fills, in their order.
pub static FORMS: [&Form; 2] = [&FORM_24, &FORM_25];

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::label::Vocabulary;
    use crate::reference::{Gender, RecipientCategory};
    use crate::statistics::dimension::ProviderAffiliation;
    use crate::statistics::testing::{self, assert_rules_hold, case_records};
    use crate::statistics::Period;

    #[test]
    fn no_edition_is_reported_before_the_circular_came_into_force() {
        let reported = |p: &str| FORM_25.is_reported_for(&Period::parse(p).unwrap());
        assert!(!reported("2018-CY"));
        assert!(!reported("2018-H1"));
        assert!(reported("2019-H1"), "its six months end after 15 May 2019");
        assert!(reported("2024-H1"));
    }

    fn editions() -> Vec<Period> {
        [
            "2024-H1",
            "2024-CYE",
            "2024-CY",
            "2025-H1",
            "2025-CY",
            "2025-02-01/2025-08-31",
        ]
        .iter()
        .map(|p| Period::parse(p).unwrap())
        .collect()
    }

    /// Adds `cells` (indexed by column number) to the total row and to the record's field row
    /// and field-and-form row.
    fn add(expected: &mut BTreeMap<String, Vec<u64>>, rows: [String; 3], cells: &[u64]) {
        for row in rows {
            let sum = expected.entry(row).or_insert_with(|| vec![0; cells.len()]);
            for (s, c) in sum.iter_mut().zip(cells) {
                *s += c;
            }
        }
    }

    fn compare(table: &crate::statistics::Table, expected: &BTreeMap<String, Vec<u64>>) {
        for row in &table.rows {
            let want = expected
                .get(&row.code)
                .cloned()
                .unwrap_or_else(|| vec![0; row.cells.len() + 1]);
            assert_eq!(
                row.cells,
                want[1..],
                "{} {} row {}",
                table.form.code,
                table.period,
                row.code
            );
        }
        assert_rules_hold(table);
    }

    #[test]
    fn every_cell_of_form_24_equals_a_recount_of_the_persons_aided() {
        let people = testing::person_times(
            5,
            &[
                RecipientCategory::PoorHousehold,
                RecipientCategory::EthnicMinorityHardshipArea,
                RecipientCategory::Child,
                RecipientCategory::Hiv,
            ],
        );
        for period in editions() {
            let mut expected = BTreeMap::new();
            for p in &people {
                let Some(accepted) = p.case.accepted_on else {
                    continue;
                };
                if accepted < period.from()
                    || accepted > period.to()
                    || p.counted_where_first_accepted
                {
                    continue;
                }
                let mut cells = vec![0u64; 21];
                cells[1] = 1;
                cells[match p.gender {
                    Some(Gender::Male) => 2,
                    Some(Gender::Female) => 3,
                    None => 20,
                }] = 1;
                let both = p.proven.contains(&RecipientCategory::PoorHousehold)
                    && p.proven
                        .contains(&RecipientCategory::EthnicMinorityHardshipArea);
                cells[match p.category {
                    Some(
                        RecipientCategory::PoorHousehold
                        | RecipientCategory::EthnicMinorityHardshipArea,
                    ) if both => 7,
                    Some(RecipientCategory::PoorHousehold) => 5,
                    Some(RecipientCategory::EthnicMinorityHardshipArea) => 6,
                    Some(RecipientCategory::Child) => 8,
                    Some(RecipientCategory::Hiv) => 18,
                    Some(other) => panic!("not generated: {other}"),
                    None => 19,
                }] = 1;
                let field = format!("I.{}", p.case.field.code());
                let split = format!("{field}.{}", p.case.form.code());
                add(&mut expected, ["total".into(), field, split], &cells);
            }
            compare(&FORM_24.fill(&people, &period), &expected);
        }
    }

    #[test]
    fn every_cell_of_form_25_equals_a_recount_of_the_cases_handled() {
        let cases = case_records(3000);
        for period in editions() {
            let mut expected = BTreeMap::new();
            for case in &cases {
                let Some(accepted) = case.accepted_on else {
                    continue;
                };
                let ended = case.closed_on;
                let handled = accepted <= period.to() && ended.is_none_or(|e| e >= period.from());
                if !handled {
                    continue;
                }
                let mut cells = vec![0u64; 15];
                cells[1] = 1;
                cells[if accepted < period.from() { 2 } else { 3 }] = 1;
                use ProviderAffiliation::*;
                let columns: &[usize] = match case.provider_affiliation {
                    Some(LegalAidOfficer) => &[4],
                    Some(LawyerUnderCentreContract) => &[5, 6],
                    Some(LawyerOfContractedOrganization) => &[5, 7],
                    Some(LawyerOfRegisteredOrganization) => &[5, 8],
                    Some(CounsellorOfContractedOrganization) => &[9, 10],
                    Some(CounsellorOfRegisteredOrganization) => &[9, 11],
                    Some(Collaborator) => &[12],
                    None => &[14],
                };
                for c in columns {
                    cells[*c] = 1;
                }
                if !case.transferred_out && ended.is_some_and(|e| period.contains(e)) {
                    cells[13] = 1;
                }
                let field = format!("I.{}", case.field.code());
                let split = format!("{field}.{}", case.form.code());
                add(&mut expected, ["total".into(), field, split], &cells);
            }
            compare(&FORM_25.fill(&cases, &period), &expected);
        }
    }

    #[test]
    fn an_edition_flags_its_estimated_columns_but_not_the_opening_stock() {
        let h1 = Period::parse("2025-H1").unwrap();
        assert_eq!(
            FORM_25.estimated_columns(&Period::parse("2025-CY").unwrap()),
            Vec::<u8>::new()
        );
        let estimated = FORM_25.estimated_columns(&h1);
        assert!(
            !estimated.contains(&2),
            "carried over is known at the period's start"
        );
        assert_eq!(estimated.len(), FORM_25.columns.len() - 1);
        assert_eq!(FORM_24.estimated_columns(&h1).len(), FORM_24.columns.len());
    }
}
