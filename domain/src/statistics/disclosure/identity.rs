//! The identities of a form on a table, and what one of them alone gives away.

use super::Cell;
use crate::statistics::form::{Comparison, RuleScope, Table};

/// One identity of a form on a table: the `lhs` cells add up to the `rhs` ones; `exact` when
/// the form says they are equal (not merely at most).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Identity<C> {
    pub lhs: Vec<C>,
    pub rhs: Vec<C>,
    pub exact: bool,
}

impl<C: Copy> Identity<C> {
    /// The cell to withhold next when this identity gives a withheld figure away (see the
    /// module's documentation); `None` when it gives none away. `value` and `hidden` read a
    /// cell; `totals` says of how many identities a cell is the total (0 for a figure that
    /// totals nothing). The next cell is, of those shown above zero, the one of least cost:
    /// its value, times one more than the identities it totals.
    pub(super) fn exposed(
        &self,
        value: impl Fn(C) -> u64,
        hidden: impl Fn(C) -> bool,
        totals: impl Fn(C) -> usize,
    ) -> Option<C> {
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
                .min_by_key(|c| (value(*c) == 0, value(*c) * (1 + totals(*c) as u64)))
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
                smallest(other.into_iter().chain(same).collect())
            }
            _ => None,
        }
    }

    pub(super) fn cells(&self) -> impl Iterator<Item = C> + '_ {
        self.lhs.iter().chain(&self.rhs).copied()
    }
}

/// Every identity of the form on this table.
pub(super) fn identities_of(table: &Table) -> Vec<Identity<Cell>> {
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
