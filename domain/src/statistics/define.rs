//! The words forms are written in: `const` constructors of columns, sections and rules, so
//! that a form's definition reads as the printed form does.

use super::form::{
    Column, Comparison, Dimension, Filter, Measure, Rule, RuleScope, Section, Severity,
};
use crate::label::Label;

pub const fn label(vi: &'static str, en: &'static str) -> Label {
    Label { vi, en }
}

/// A column counting every record of its measure.
pub const fn column(number: u8, vi: &'static str, en: &'static str, measure: Measure) -> Column {
    Column {
        number,
        header: label(vi, en),
        measure,
        only: &[],
    }
}

/// A column counting only the records that meet every condition of `only`.
pub const fn filtered(
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
pub const fn section(
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
        split_by: None,
        split_order: &[],
    }
}

/// A section of rows with a last row for the records that have no value of `dimension`.
pub const fn section_with_missing(
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
pub const fn adds_up(
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
pub const fn sections_equal(id: &'static str, vi: &'static str, en: &'static str) -> Rule {
    Rule {
        id,
        scope: RuleScope::SectionsAddUpToTotal,
        comparison: Comparison::Equal,
        severity: Severity::Error,
        message: label(vi, en),
    }
}

/// The row label of people whose value is not recorded.
pub const NOT_RECORDED: Label = label("Chưa ghi nhận", "Not recorded");

/// A section of rows, one per value of `dimension`, each split by the values of `split` in
/// the printed `order` (the codes of `split`; empty for the vocabulary's order).
pub const fn section_split(
    number: &'static str,
    vi: &'static str,
    en: &'static str,
    dimension: Dimension,
    split: Dimension,
    order: &'static [&'static str],
) -> Section {
    Section {
        split_by: Some(split),
        split_order: order,
        ..section(number, vi, en, dimension)
    }
}

/// The error rule that the split rows of every row add up to it, in every column.
pub const fn splits_equal(id: &'static str, vi: &'static str, en: &'static str) -> Rule {
    Rule {
        id,
        scope: RuleScope::SplitsAddUpToRow,
        comparison: Comparison::Equal,
        severity: Severity::Error,
        message: label(vi, en),
    }
}
