//! One cell of a form, and the records behind it: what an officer who doubts a figure opens.

use super::form::{Column, Countable, Dimension, Form, Measure, Section, TOTAL_ROW, WITHOUT_VALUE};
use super::period::Period;

/// A record with the id of what it stands for (a case, a request for review, a person, an
/// organization), so that a cell can name its records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identified<R> {
    pub id: String,
    pub record: R,
}

impl<R: Countable> Countable for Identified<R> {
    fn counts(&self, measure: Measure, period: &Period) -> bool {
        self.record.counts(measure, period)
    }

    fn value(&self, dimension: Dimension, period: &Period) -> Option<&'static str> {
        self.record.value(dimension, period)
    }

    fn has(&self, dimension: Dimension, code: &str, period: &Period) -> bool {
        self.record.has(dimension, code, period)
    }

    fn weight(&self, measure: Measure, period: &Period) -> u64 {
        self.record.weight(measure, period)
    }
}

/// Which records a row holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowAddress {
    Total,
    /// A section's row of a value (`None`: the row of records without one), and for a split
    /// row, the split's value.
    Section {
        section: &'static Section,
        value: Option<&'static str>,
        split: Option<&'static str>,
    },
}

/// One cell: a row of a form and one of its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    row: RowAddress,
    column: &'static Column,
}

impl Form {
    /// The cell of row `row` (a row code of the form's tables: `total`, `I.criminal`,
    /// `IV.none`, `I.criminal.litigation`) and column `number`; `None` when the form has no
    /// such row or column.
    pub fn cell_at(&'static self, row: &str, number: u8) -> Option<Cell> {
        let column = self.columns.iter().find(|c| c.number == number)?;
        if row == TOTAL_ROW {
            return Some(Cell {
                row: RowAddress::Total,
                column,
            });
        }
        let mut parts = row.split('.');
        let (number, code, split) = (parts.next()?, parts.next()?, parts.next());
        if parts.next().is_some() {
            return None;
        }
        let section = self.sections.iter().find(|s| s.number == number)?;
        let value = if code == WITHOUT_VALUE && section.without_value.is_some() {
            None
        } else {
            Some(known(section.dimension, code)?)
        };
        let split = match (split, section.split_by) {
            (None, _) => None,
            (Some(code), Some(dimension)) => Some(known(dimension, code)?),
            (Some(_), None) => return None,
        };
        Some(Cell {
            row: RowAddress::Section {
                section,
                value,
                split,
            },
            column,
        })
    }
}

/// The static code of `dimension` equal to `code`.
fn known(dimension: Dimension, code: &str) -> Option<&'static str> {
    dimension
        .values()
        .into_iter()
        .map(|(c, _)| c)
        .find(|c| *c == code)
}

impl Cell {
    /// Whether `record` is one of the records the cell counts in `period`: exactly those
    /// [`Form::fill`] adds to it.
    pub fn admits<R: Countable>(&self, record: &R, period: &Period) -> bool {
        let column = self.column;
        if !column.only.iter().all(|f| f.admits(record, period))
            || !record.counts(column.measure, period)
        {
            return false;
        }
        match self.row {
            RowAddress::Total => true,
            RowAddress::Section {
                section,
                value,
                split,
            } => {
                record.value(section.dimension, period) == value
                    && split.is_none_or(|code| {
                        section
                            .split_by
                            .is_some_and(|d| record.value(d, period) == Some(code))
                    })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::statistics::testing::{case_records, periods};
    use crate::statistics::{circular_02_2011, circular_03_2019, Period};

    #[test]
    fn every_cell_admits_exactly_the_records_its_figure_counts() {
        let cases = case_records(1500);
        let mut checked = 0;
        for form in [&circular_02_2011::FORM_1, &circular_03_2019::FORM_25] {
            let mut all = periods();
            all.push(Period::parse("2025-H1").unwrap());
            for period in all.into_iter().filter(|p| form.regime.admits(p)) {
                let table = form.fill(&cases, &period);
                for row in &table.rows {
                    for (c, column) in form.columns.iter().enumerate() {
                        let cell = form.cell_at(&row.code, column.number).unwrap();
                        let admitted =
                            cases.iter().filter(|r| cell.admits(*r, &period)).count() as u64;
                        assert_eq!(
                            admitted, row.cells[c],
                            "{period} {} {}",
                            row.code, column.number
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 1000);
    }

    #[test]
    fn unknown_rows_and_columns_are_no_cell() {
        let form = &circular_02_2011::FORM_1;
        assert!(form.cell_at("total", 8).is_none());
        assert!(form.cell_at("I.business", 1).is_none());
        assert!(
            form.cell_at("I.none", 1).is_none(),
            "section I has no row without a value"
        );
        assert!(form.cell_at("IV.none", 1).is_some());
        assert!(
            form.cell_at("I.civil.litigation", 1).is_none(),
            "form 1 rows are not split"
        );
        assert!(circular_03_2019::FORM_25
            .cell_at("I.civil.litigation", 1)
            .is_some());
        assert!(form.cell_at("V.civil", 1).is_none());
        assert!(form.cell_at("", 1).is_none());
    }
}
