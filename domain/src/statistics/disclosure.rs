//! Which figures may leave the reporting chain (Circular 02/2011 art. 18: figures tied to a
//! named person are confidential). A count of one or two people in a small unit can point at
//! a person; such a cell is withheld from anyone outside the chain (the public, the portal,
//! the statistics offices), and so is every other cell from which it could be worked back
//! through the form's own identities (a row's columns adding up, sections adding up to the
//! total, split rows adding up to their row, the provinces adding up to the country).
//!
//! Zeros are always shown, so a reader knows that every withheld figure is at least one. An
//! identity gives a withheld figure away when it is the only one withheld, and also when all
//! its withheld figures stand on one side and the figures shown leave them exactly one each
//! (`3 = ? + ? + ?`): both are closed by withholding one more figure of the identity, on the
//! other side where there is one.

use super::form::{Comparison, RuleScope, Table};

/// The largest count withheld: one or two.
pub const SMALL_COUNT: u64 = 2;

/// A cell of a table: `(row, column)`.
type Cell = (usize, usize);

/// One identity of a form on a table: the `lhs` cells add up to the `rhs` ones; `exact` when
/// the form says they are equal (not merely at most).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Identity<C> {
    lhs: Vec<C>,
    rhs: Vec<C>,
    exact: bool,
}

impl<C: Copy> Identity<C> {
    /// The cell to withhold next when this identity gives a withheld figure away (see the
    /// module's documentation); `None` when it gives none away. `value` and `hidden` read a
    /// cell.
    fn exposed(&self, value: impl Fn(C) -> u64, hidden: impl Fn(C) -> bool) -> Option<C> {
        let sides = [(&self.lhs, true), (&self.rhs, false)];
        let cells = || {
            sides
                .iter()
                .flat_map(|(cells, lhs)| cells.iter().map(move |c| (*c, *lhs)))
        };
        let withheld: Vec<(C, bool)> = cells().filter(|(c, _)| hidden(*c)).collect();
        let shown = |on_lhs: bool| -> Vec<C> {
            cells()
                .filter(|(c, lhs)| *lhs == on_lhs && !hidden(*c))
                .map(|(c, _)| c)
                .collect()
        };
        let smallest = |candidates: Vec<C>| {
            candidates
                .into_iter()
                .min_by_key(|c| (value(*c) == 0, value(*c)))
        };
        match withheld.as_slice() {
            [] => None,
            [_] => smallest(
                cells()
                    .filter(|(c, _)| !hidden(*c))
                    .map(|(c, _)| c)
                    .collect(),
            ),
            [(_, side), rest @ ..] if self.exact && rest.iter().all(|(_, s)| s == side) => {
                let sum = |cells: Vec<C>| cells.into_iter().map(&value).sum::<u64>();
                let (other, same) = (shown(!side), shown(*side));
                let left_over = sum(other.clone()).checked_sub(sum(same.clone()));
                if left_over != Some(withheld.len() as u64) {
                    return None;
                }
                smallest(other).or_else(|| smallest(same))
            }
            _ => None,
        }
    }
}

/// The cells of `table` to withhold, as `[row][column]` flags: every count from 1 to
/// [`SMALL_COUNT`] (primary), then, until no identity of the form gives a withheld figure
/// away, one more figure of each that does (secondary).
pub fn withheld(table: &Table) -> Vec<Vec<bool>> {
    let mut hidden = primary(table);
    let groups = identities(table);
    while propagate(table, &groups, &mut hidden) {}
    hidden
}

/// The cells to withhold in tables of one form and period that add up, cell by cell, to
/// `total` (a release: the provinces and the whole country): each table's own (as
/// [`withheld`]), and, until nothing changes, one more figure of every cell's identity across
/// the tables (the country's figure is the provinces' sum) that gives a withheld figure away.
/// Answers the flags of each part, in order, then those of the total.
pub fn withheld_together(parts: &[Table], total: &Table) -> (Vec<Vec<Vec<bool>>>, Vec<Vec<bool>>) {
    let tables: Vec<&Table> = parts.iter().chain(std::iter::once(total)).collect();
    let mut hidden: Vec<Vec<Vec<bool>>> = tables.iter().map(|t| primary(t)).collect();
    let groups: Vec<Vec<Identity<Cell>>> = tables.iter().map(|t| identities(t)).collect();
    let country = tables.len() - 1;
    // Every cell's figure across the tables: the country's is the provinces' sum.
    let across = Identity {
        lhs: vec![country],
        rhs: (0..country).collect(),
        exact: true,
    };
    loop {
        let mut changed = false;
        for (t, table) in tables.iter().enumerate() {
            while propagate(table, &groups[t], &mut hidden[t]) {
                changed = true;
            }
        }
        let columns = total.form.columns.len();
        let cells = (0..total.rows.len()).flat_map(|r| (0..columns).map(move |c| (r, c)));
        for (r, c) in cells {
            let next = across.exposed(|t| tables[t].rows[r].cells[c], |t| hidden[t][r][c]);
            if let Some(t) = next {
                hidden[t][r][c] = true;
                changed = true;
            }
        }
        if !changed {
            let total_flags = hidden.pop().unwrap_or_default();
            return (hidden, total_flags);
        }
    }
}

/// Every count from 1 to [`SMALL_COUNT`].
fn primary(table: &Table) -> Vec<Vec<bool>> {
    table
        .rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|n| (1..=SMALL_COUNT).contains(n))
                .collect()
        })
        .collect()
}

/// Withholds one more figure of every identity of `groups` that gives a withheld figure away;
/// answers whether anything changed.
fn propagate(table: &Table, groups: &[Identity<Cell>], hidden: &mut [Vec<bool>]) -> bool {
    let mut changed = false;
    for group in groups {
        let next = group.exposed(|(r, c)| table.rows[r].cells[c], |(r, c)| hidden[r][c]);
        if let Some((r, c)) = next {
            hidden[r][c] = true;
            changed = true;
        }
    }
    changed
}

/// Every identity of the form on this table.
fn identities(table: &Table) -> Vec<Identity<Cell>> {
    let form = table.form;
    let index = |n: &u8| form.column_index(*n);
    let mut groups = Vec::new();
    for rule in form.rules {
        let exact = rule.comparison == Comparison::Equal;
        match rule.scope {
            RuleScope::EachRow { left, right } => {
                for r in 0..table.rows.len() {
                    let cells = |columns: &[u8]| -> Vec<Cell> {
                        columns.iter().filter_map(index).map(|c| (r, c)).collect()
                    };
                    groups.push(Identity {
                        lhs: cells(left),
                        rhs: cells(right),
                        exact,
                    });
                }
            }
            RuleScope::SectionsAddUpToTotal => {
                for section in form.sections {
                    for c in 0..form.columns.len() {
                        let rhs = table
                            .rows
                            .iter()
                            .enumerate()
                            .filter(|(_, row)| {
                                row.section == Some(section.number) && row.parent.is_none()
                            })
                            .map(|(r, _)| (r, c))
                            .collect();
                        groups.push(Identity {
                            lhs: vec![(0, c)],
                            rhs,
                            exact,
                        });
                    }
                }
            }
            RuleScope::SplitsAddUpToRow => {
                for (p, parent) in table.rows.iter().enumerate() {
                    let children: Vec<usize> = table
                        .rows
                        .iter()
                        .enumerate()
                        .filter(|(_, row)| row.parent.as_deref() == Some(parent.code.as_str()))
                        .map(|(r, _)| r)
                        .collect();
                    if children.is_empty() {
                        continue;
                    }
                    for c in 0..form.columns.len() {
                        groups.push(Identity {
                            lhs: vec![(p, c)],
                            rhs: children.iter().map(|r| (*r, c)).collect(),
                            exact,
                        });
                    }
                }
            }
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statistics::circular_02_2011::FORM_1;
    use crate::statistics::testing::case_records;
    use crate::statistics::Period;

    #[test]
    fn no_province_is_the_country_less_the_others() {
        let period = Period::parse("2025-3M").unwrap();
        let cases = case_records(40);
        let parts = vec![
            FORM_1.fill(&cases[..20], &period),
            FORM_1.fill(&cases[20..], &period),
        ];
        let mut total = FORM_1.blank(&period);
        for part in &parts {
            crate::statistics::reporting::figures::add(&mut total, part);
        }
        let (hidden, total_hidden) = withheld_together(&parts, &total);
        for r in 0..total.rows.len() {
            for c in 0..FORM_1.columns.len() {
                let withheld =
                    hidden.iter().filter(|h| h[r][c]).count() + usize::from(total_hidden[r][c]);
                assert_ne!(withheld, 1, "row {r} column {c}");
            }
        }
        for (part, flags) in parts.iter().zip(&hidden) {
            assert_gives_nothing_away(part, flags);
        }
        assert_gives_nothing_away(&total, &total_hidden);
    }

    /// No identity of the form gives a withheld figure of `table` away.
    fn assert_gives_nothing_away(table: &Table, hidden: &[Vec<bool>]) {
        for group in identities(table) {
            let exposed = group.exposed(|(r, c)| table.rows[r].cells[c], |(r, c)| hidden[r][c]);
            assert_eq!(exposed, None, "{group:?}");
        }
    }

    /// Three withheld ones adding up to a shown three are each one: one more figure goes.
    #[test]
    fn withheld_figures_left_one_each_by_what_is_shown_are_covered() {
        let period = Period::parse("2025-3M").unwrap();
        let mut table = FORM_1.blank(&period);
        let column = |n: u8| FORM_1.column_index(n).unwrap();
        let row = table.rows.len() - 1;
        for (n, value) in [(1, 3), (5, 1), (6, 1), (7, 1), (2, 3)] {
            table.rows[row].cells[column(n)] = value;
            table.rows[0].cells[column(n)] = value;
        }
        let hidden = withheld(&table);
        assert!(hidden[row][column(5)] && hidden[row][column(6)] && hidden[row][column(7)]);
        assert!(
            hidden[row][column(1)],
            "the shown 3 would make each withheld figure a 1"
        );
        assert_gives_nothing_away(&table, &hidden);
    }

    #[test]
    fn an_identity_gives_away_one_withheld_figure_or_figures_pinned_at_one() {
        let values = [3u64, 1, 1, 1];
        let identity = Identity {
            lhs: vec![0usize],
            rhs: vec![1, 2, 3],
            exact: true,
        };
        let value = |c: usize| values[c];
        assert_eq!(identity.exposed(value, |_| false), None, "nothing withheld");
        assert_eq!(identity.exposed(value, |c| c == 1), Some(2), "one withheld");
        assert_eq!(
            identity.exposed(value, |c| c > 0),
            Some(0),
            "3 = ? + ? + ?: each is one"
        );
        assert_eq!(identity.exposed(value, |_| true), None, "all withheld");
        let at_most = Identity {
            exact: false,
            ..identity.clone()
        };
        assert_eq!(
            at_most.exposed(value, |c| c > 0),
            None,
            "an inequality pins nothing"
        );
        let wider = [6u64, 1, 2, 3];
        assert_eq!(
            identity.exposed(|c| wider[c], |c| c == 1 || c == 2),
            None,
            "6 - 3 = ? + ?: one and two, or two and one"
        );
    }

    #[test]
    fn small_counts_are_withheld_and_none_can_be_worked_back() {
        let cases = case_records(40);
        let period = Period::parse("2025-3M").unwrap();
        let table = FORM_1.fill(&cases, &period);
        let hidden = withheld(&table);
        let mut primary = 0;
        for (r, row) in table.rows.iter().enumerate() {
            for (c, n) in row.cells.iter().enumerate() {
                if (1..=SMALL_COUNT).contains(n) {
                    assert!(hidden[r][c], "{} column {c}: {n} shown", row.code);
                    primary += 1;
                }
            }
        }
        assert!(primary > 0, "the small table has small counts");
        // No identity gives a withheld figure away.
        assert_gives_nothing_away(&table, &hidden);
    }

    #[test]
    fn a_table_without_small_counts_shows_everything() {
        let cases = case_records(3000);
        let table = FORM_1.fill(&cases, &Period::parse("2025-Y").unwrap());
        let total = withheld(&table).iter().flatten().filter(|h| **h).count();
        let small = table
            .rows
            .iter()
            .flat_map(|r| &r.cells)
            .filter(|n| (1..=SMALL_COUNT).contains(*n))
            .count();
        assert_eq!(small == 0, total == 0);
    }
}
