//! Legal aid statistics (Circular 02/2011/TT-BTP and its successors): reporting periods and
//! the deadlines of each level, the forms as data, and the one engine that fills them from the
//! records.

pub mod cell;
pub mod circular_02_2011;
pub mod circular_03_2019;
pub mod deadline;
pub mod define;
pub mod dimension;
pub mod disclosure;
pub mod form;
pub mod litigation_notice;
pub mod period;
pub mod quality_ranking;
pub mod records;
pub mod regime;
pub mod release;
pub mod reporting;
pub mod tally;
#[cfg(test)]
mod testing;

pub use cell::{Cell, Identified};
pub use deadline::ReportingLevel;
pub use form::{Form, Table};
pub use period::{Period, PeriodError};
pub use records::{CaseRecord, ParticipantRecord, PersonTimeRecord, ReviewRecord, StaffRecord};

/// Every form the system fills, regime by regime, in their order.
pub fn forms() -> impl Iterator<Item = &'static Form> {
    circular_02_2011::FORMS
        .iter()
        .chain(circular_03_2019::FORMS.iter())
        .copied()
}

#[cfg(test)]
mod tests {
    use super::form::{Filter, RuleScope};

    #[test]
    fn every_definition_refers_to_columns_and_values_it_has() {
        for form in super::forms() {
            let numbers: Vec<u8> = form.columns.iter().map(|c| c.number).collect();
            for rule in form.rules {
                if let RuleScope::EachRow { left, right } = rule.scope {
                    for n in left.iter().chain(right) {
                        assert!(
                            numbers.contains(n),
                            "{}: rule {} names column {n}",
                            form.code,
                            rule.id
                        );
                    }
                }
            }
            for section in form.sections {
                // A printed order names every split value once.
                if !section.split_order.is_empty() {
                    let mut named: Vec<&str> = section.split_order.to_vec();
                    named.sort_unstable();
                    let mut known: Vec<&str> =
                        section.split_values().into_iter().map(|(c, _)| c).collect();
                    known.sort_unstable();
                    assert_eq!(named, known, "{} section {}", form.code, section.number);
                }
            }
            for column in form.columns {
                for (dimension, code) in column.only.iter().flat_map(Filter::values) {
                    assert!(
                        dimension.knows(code),
                        "{}: column {} filters on unknown {code}",
                        form.code,
                        column.number
                    );
                }
            }
        }
    }
}
