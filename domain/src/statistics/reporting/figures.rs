//! Figures entered by a unit that keeps no records here, laid out as the form (the same rows
//! and columns its table and its exported files have), and what two sets of figures differ by.

use crate::refusal::{FieldRefusal, Refusal};
use crate::statistics::form::{Form, Table};
use crate::statistics::period::Period;

/// One row of entered figures: the row's code (`total`, `I.criminal`) and one figure per
/// column, in the form's order. Figures are signed here so that a negative one is refused by
/// name rather than lost in parsing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EnteredRow {
    pub code: String,
    pub cells: Vec<i64>,
}

/// What is wrong with one place of entered figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FigureError {
    /// The form has no row of this code.
    UnknownRow { row: String },
    /// The row is given twice.
    RepeatedRow { row: String },
    /// A row of the form is not given.
    MissingRow { row: String },
    /// The row does not have one figure per column.
    CellCount {
        row: String,
        expected: usize,
        found: usize,
    },
    /// A figure below zero (the column's number).
    Negative { row: String, column: u8 },
    /// A figure above [`MAX_FIGURE`]: a typing error, and a sum that would overflow.
    TooLarge { row: String, column: u8 },
}

impl Refusal for FigureError {
    /// The place is `entered_figures[ROW]`, or `entered_figures[ROW][COLUMN]` for one figure.
    fn field_refusal(&self) -> FieldRefusal {
        match self {
            Self::UnknownRow { row } => FieldRefusal::new(
                format!("entered_figures[{row}]"),
                "unknown_row",
                format!("Biểu mẫu không có dòng `{row}`."),
                format!("The form has no row `{row}`."),
            ),
            Self::RepeatedRow { row } => FieldRefusal::new(
                format!("entered_figures[{row}]"),
                "repeated_row",
                format!("Dòng `{row}` có hai lần."),
                format!("Row `{row}` is given twice."),
            ),
            Self::MissingRow { row } => FieldRefusal::new(
                format!("entered_figures[{row}]"),
                "missing_row",
                format!("Thiếu dòng `{row}` của biểu mẫu."),
                format!("Row `{row}` of the form is missing."),
            ),
            Self::CellCount {
                row,
                expected,
                found,
            } => FieldRefusal::new(
                format!("entered_figures[{row}]"),
                "cell_count",
                format!("Dòng `{row}` cần {expected} số liệu, có {found}."),
                format!("Row `{row}` needs {expected} figures; it has {found}."),
            ),
            Self::TooLarge { row, column } => FieldRefusal::new(
                format!("entered_figures[{row}][{column}]"),
                "too_large",
                format!("Số liệu dòng `{row}` cột {column} vượt quá {MAX_FIGURE} (nhập nhầm?)."),
                format!(
                    "The figure of row `{row}`, column {column} is above {MAX_FIGURE} (a typing error?)."
                ),
            ),
            Self::Negative { row, column } => FieldRefusal::new(
                format!("entered_figures[{row}][{column}]"),
                "negative",
                format!("Số liệu dòng `{row}` cột {column} không được âm."),
                format!("The figure of row `{row}`, column {column} is below zero."),
            ),
        }
    }
}

/// The largest figure entered: ten million, far above the whole country's count of any cell
/// in a year (about a hundred thousand cases), so that sums of provinces never overflow.
pub const MAX_FIGURE: i64 = 10_000_000;

/// Reads `rows` as `form`'s figures for `period`: every row of the form once, one figure per
/// column, none below zero, in any order. Answers the table, or every place that is wrong.
/// The form's rules are not checked here (`report::check_submission` does).
pub fn entered(
    form: &'static Form,
    period: &Period,
    rows: &[EnteredRow],
) -> Result<Table, Vec<FigureError>> {
    let mut table = form.blank(period);
    let mut errors = Vec::new();
    let mut seen = vec![false; table.rows.len()];
    for given in rows {
        let Some(at) = table.rows.iter().position(|r| r.code == given.code) else {
            errors.push(FigureError::UnknownRow {
                row: given.code.clone(),
            });
            continue;
        };
        if std::mem::replace(&mut seen[at], true) {
            errors.push(FigureError::RepeatedRow {
                row: given.code.clone(),
            });
            continue;
        }
        if given.cells.len() != form.columns.len() {
            errors.push(FigureError::CellCount {
                row: given.code.clone(),
                expected: form.columns.len(),
                found: given.cells.len(),
            });
            continue;
        }
        for ((cell, figure), column) in table.rows[at]
            .cells
            .iter_mut()
            .zip(&given.cells)
            .zip(form.columns)
        {
            match u64::try_from(*figure) {
                Ok(_) if *figure > MAX_FIGURE => errors.push(FigureError::TooLarge {
                    row: given.code.clone(),
                    column: column.number,
                }),
                Ok(figure) => *cell = figure,
                Err(_) => errors.push(FigureError::Negative {
                    row: given.code.clone(),
                    column: column.number,
                }),
            }
        }
    }
    for (row, seen) in table.rows.iter().zip(&seen) {
        if !seen {
            errors.push(FigureError::MissingRow {
                row: row.code.clone(),
            });
        }
    }
    if errors.is_empty() {
        Ok(table)
    } else {
        Err(errors)
    }
}

/// The rows of `table` as they are stored and entered.
pub fn rows_of(table: &Table) -> Vec<EnteredRow> {
    table
        .rows
        .iter()
        .map(|r| EnteredRow {
            code: r.code.clone(),
            cells: r
                .cells
                .iter()
                .map(|c| i64::try_from(*c).unwrap_or(i64::MAX))
                .collect(),
        })
        .collect()
}

/// Adds `other`'s figures to `into`'s, cell by cell: a level's figures are its own records'
/// and those its units entered. Both are the same form for the same period, so their rows
/// are the same.
pub fn add(into: &mut Table, other: &Table) {
    for (row, add) in into.rows.iter_mut().zip(&other.rows) {
        debug_assert_eq!(row.code, add.code);
        for (cell, figure) in row.cells.iter_mut().zip(&add.cells) {
            *cell = cell.saturating_add(*figure);
        }
    }
}

/// One cell whose figure differs between two sets of figures of the same form and period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellChange {
    pub row: String,
    pub column: u8,
    pub before: u64,
    pub after: u64,
}

impl CellChange {
    /// After minus before.
    pub fn difference(&self) -> i64 {
        i64::try_from(i128::from(self.after) - i128::from(self.before)).unwrap_or(i64::MAX)
    }
}

/// Every cell whose figure differs from `before` to `after`, in the tables' order.
pub fn changes(before: &Table, after: &Table) -> Vec<CellChange> {
    let mut out = Vec::new();
    for (b, a) in before.rows.iter().zip(&after.rows) {
        for ((x, y), column) in b.cells.iter().zip(&a.cells).zip(before.form.columns) {
            if x != y {
                out.push(CellChange {
                    row: b.code.clone(),
                    column: column.number,
                    before: *x,
                    after: *y,
                });
            }
        }
    }
    out
}

/// How far `submitted` is from `records` over the total row (the first row of every
/// table): the sum of the absolute differences of its cells, the gap a reconciliation
/// reports and the ranking of provinces weighs.
pub fn total_gap(submitted: &Table, records: &Table) -> u64 {
    match (submitted.rows.first(), records.rows.first()) {
        (Some(s), Some(r)) => s
            .cells
            .iter()
            .zip(&r.cells)
            .map(|(a, b)| a.abs_diff(*b))
            .sum(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statistics::circular_02_2011::FORM_1;

    #[test]
    fn a_wrong_figure_is_refused_at_its_row_and_column() {
        let refused = FigureError::Negative {
            row: "I.criminal".into(),
            column: 3,
        }
        .field_refusal();
        assert_eq!(refused.field, "entered_figures[I.criminal][3]");
        assert_eq!(refused.code, "negative");
        let refused = FigureError::CellCount {
            row: "I".into(),
            expected: 12,
            found: 11,
        }
        .field_refusal();
        assert_eq!(
            (refused.field.as_str(), refused.code),
            ("entered_figures[I]", "cell_count")
        );
        assert!(
            refused.en.contains("needs 12 figures; it has 11"),
            "{}",
            refused.en
        );
    }

    fn period() -> Period {
        Period::parse("2026-6M").unwrap()
    }

    #[test]
    fn the_gap_is_over_the_total_row_in_both_directions() {
        let mut submitted = FORM_1.blank(&period());
        let mut records = submitted.clone();
        records.rows[0].cells[0] = 3;
        submitted.rows[0].cells[1] = 2;
        records.rows[1].cells[0] = 40;
        assert_eq!(total_gap(&submitted, &records), 5);
        assert_eq!(total_gap(&records, &submitted), 5);
        assert_eq!(total_gap(&records, &records), 0);
    }

    #[test]
    fn the_rows_of_a_table_are_read_back_as_the_same_table() {
        let mut table = FORM_1.blank(&period());
        table.rows[0].cells[0] = 3;
        table.rows[1].cells[0] = 3;
        let mut rows = rows_of(&table);
        rows.reverse();
        assert_eq!(entered(&FORM_1, &period(), &rows), Ok(table));
    }

    #[test]
    fn every_wrong_place_is_named() {
        let mut rows = rows_of(&FORM_1.blank(&period()));
        let second = rows[1].code.clone();
        let third = rows[2].code.clone();
        let last = rows.pop().unwrap().code;
        rows[0].cells[1] = -2;
        rows[0].cells[2] = MAX_FIGURE + 1;
        rows[1].cells.pop();
        rows.push(EnteredRow {
            code: "IX.nothing".into(),
            cells: vec![0; FORM_1.columns.len()],
        });
        rows.push(rows[2].clone());
        let errors = entered(&FORM_1, &period(), &rows).unwrap_err();
        assert_eq!(
            errors,
            vec![
                FigureError::Negative {
                    row: "total".into(),
                    column: FORM_1.columns[1].number
                },
                FigureError::TooLarge {
                    row: "total".into(),
                    column: FORM_1.columns[2].number
                },
                FigureError::CellCount {
                    row: second,
                    expected: FORM_1.columns.len(),
                    found: FORM_1.columns.len() - 1
                },
                FigureError::UnknownRow {
                    row: "IX.nothing".into()
                },
                FigureError::RepeatedRow { row: third },
                FigureError::MissingRow { row: last },
            ]
        );
    }

    #[test]
    fn sums_and_changes_are_cell_by_cell() {
        let mut a = FORM_1.blank(&period());
        a.rows[0].cells[0] = 2;
        let mut b = FORM_1.blank(&period());
        b.rows[0].cells[0] = 5;
        b.rows[1].cells[2] = 1;
        let before = a.clone();
        add(&mut a, &b);
        assert_eq!(a.rows[0].cells[0], 7);
        let found = changes(&before, &a);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].row, "total");
        assert_eq!(found[0].difference(), 5);
        assert_eq!(found[1].column, FORM_1.columns[2].number);
        assert!(changes(&a, &a).is_empty());
    }
}
