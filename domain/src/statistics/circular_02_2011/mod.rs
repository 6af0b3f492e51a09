//! The forms of Circular 02/2011/TT-BTP (in force 1 March 2011 to 15 January 2014), as data.
//!
//! The circular's appendix II (the printed layouts) is not in any public copy; the columns and
//! rules below are those its explanations give, and the rows are inferred from the
//! dimensions the explanations name. `docs/statistics.md` says what each cell counts.

use super::form::{
    Column, Comparison, CountUnit, Dimension, Filter, Form, Measure, Rule, RuleScope, Section,
    Severity, Subject,
};
use crate::label::Label;

mod cases;
mod participants;
mod person_times;
mod reviews;
mod staff;
#[cfg(test)]
mod testing;

pub use cases::FORM_1;
pub use participants::FORM_6;
pub use person_times::FORM_3;
pub use reviews::FORM_2;
pub use staff::{FORM_4, FORM_5};

pub(super) const fn label(vi: &'static str, en: &'static str) -> Label {
    Label { vi, en }
}

/// A column counting every record of its measure.
pub(super) const fn column(
    number: u8,
    vi: &'static str,
    en: &'static str,
    measure: Measure,
) -> Column {
    Column {
        number,
        header: label(vi, en),
        measure,
        only: &[],
    }
}

/// A column counting only the records that meet every condition of `only`.
pub(super) const fn filtered(
    number: u8,
    vi: &'static str,
    en: &'static str,
    measure: Measure,
    only: &'static [Filter],
) -> Column {
    Column {
        number,
        header: label(vi, en),
        measure,
        only,
    }
}

/// A section of rows, one per value of `dimension`.
pub(super) const fn section(
    number: &'static str,
    vi: &'static str,
    en: &'static str,
    dimension: Dimension,
) -> Section {
    Section {
        number,
        title: label(vi, en),
        dimension,
        without_value: None,
    }
}

/// A section of rows with a last row for the records that have no value of `dimension`.
pub(super) const fn section_with_missing(
    number: &'static str,
    vi: &'static str,
    en: &'static str,
    dimension: Dimension,
    missing: Label,
) -> Section {
    Section {
        without_value: Some(missing),
        ..section(number, vi, en, dimension)
    }
}

/// An error rule checked on every row: the `left` columns add up to the `right` ones.
pub(super) const fn adds_up(
    id: &'static str,
    left: &'static [u8],
    right: &'static [u8],
    vi: &'static str,
    en: &'static str,
) -> Rule {
    Rule {
        id,
        scope: RuleScope::EachRow { left, right },
        comparison: Comparison::Equal,
        severity: Severity::Error,
        message: label(vi, en),
    }
}

/// The error rule that every section adds up to the total row, in every column.
pub(super) const fn sections_equal(id: &'static str, vi: &'static str, en: &'static str) -> Rule {
    Rule {
        id,
        scope: RuleScope::SectionsAddUpToTotal,
        comparison: Comparison::Equal,
        severity: Severity::Error,
        message: label(vi, en),
    }
}

/// The row label of people whose value is not recorded.
pub(super) const NOT_RECORDED: Label = label("Chưa ghi nhận", "Not recorded");

/// The forms of the circular, in their order.
pub static FORMS: [&Form; 6] = [&FORM_1, &FORM_2, &FORM_3, &FORM_4, &FORM_5, &FORM_6];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_definition_refers_to_columns_and_values_it_has() {
        for form in FORMS {
            let numbers: Vec<u8> = form.columns.iter().map(|c| c.number).collect();
            for rule in form.rules {
                if let crate::statistics::form::RuleScope::EachRow { left, right } = rule.scope {
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
