//! Which figures may leave the reporting chain (Circular 02/2011 art. 18: figures tied to a
//! named person are confidential). A count of one or two people in a small unit can point at
//! a person; such a cell is withheld from anyone outside the chain (the public, the portal,
//! the statistics offices), and so is every other cell from which it could be worked back
//! through the form's own identities (a row's columns adding up, sections adding up to the
//! total, split rows adding up to their row).

use super::form::{RuleScope, Table};

/// The largest count withheld: one or two.
pub const SMALL_COUNT: u64 = 2;

/// The cells of `table` to withhold, as `[row][column]` flags: every count from 1 to
/// [`SMALL_COUNT`] (primary), then, until nothing changes, in every identity of the form that
/// has exactly one withheld cell, the smallest other cell of it (secondary), so that no
/// withheld figure is the difference of figures shown.
pub fn withheld(table: &Table) -> Vec<Vec<bool>> {
    let mut hidden = primary(table);
    let groups = identities(table);
    while propagate(table, &groups, &mut hidden) {}
    hidden
}

/// The cells to withhold in tables of one form and period that add up, cell by cell, to
/// `total` (a release: the provinces and the whole country): each table's own (as
/// [`withheld`]), and, until nothing changes, in every cell's group across the tables (the
/// provinces' figures and the country's), the smallest other cell where exactly one is
/// withheld, so that no province's figure is the country's less the others. Answers the flags
/// of each part, in order, then those of the total.
pub fn withheld_together(parts: &[Table], total: &Table) -> (Vec<Vec<Vec<bool>>>, Vec<Vec<bool>>) {
    let tables: Vec<&Table> = parts.iter().chain(std::iter::once(total)).collect();
    let mut hidden: Vec<Vec<Vec<bool>>> = tables.iter().map(|t| primary(t)).collect();
    let groups: Vec<Vec<Vec<(usize, usize)>>> = tables.iter().map(|t| identities(t)).collect();
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
            let withheld = hidden.iter().filter(|h| h[r][c]).count();
            if withheld != 1 {
                continue;
            }
            let partner = (0..tables.len())
                .filter(|t| !hidden[*t][r][c])
                .min_by_key(|t| {
                    let n = tables[*t].rows[r].cells[c];
                    (n == 0, n)
                });
            if let Some(t) = partner {
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

/// In every identity of `groups` with exactly one withheld cell, withholds the smallest other
/// cell (a non-zero one first); answers whether anything changed.
fn propagate(table: &Table, groups: &[Vec<(usize, usize)>], hidden: &mut [Vec<bool>]) -> bool {
    let mut changed = false;
    for group in groups {
        let withheld = group.iter().filter(|(r, c)| hidden[*r][*c]).count();
        if withheld != 1 {
            continue;
        }
        let partner = group
            .iter()
            .filter(|(r, c)| !hidden[*r][*c])
            .min_by_key(|(r, c)| (table.rows[*r].cells[*c] == 0, table.rows[*r].cells[*c]));
        if let Some((r, c)) = partner {
            hidden[*r][*c] = true;
            changed = true;
        }
    }
    changed
}

/// Every identity of the form on this table, as the cells it ties together.
fn identities(table: &Table) -> Vec<Vec<(usize, usize)>> {
    let form = table.form;
    let index = |n: &u8| form.column_index(*n);
    let mut groups = Vec::new();
    for rule in form.rules {
        match rule.scope {
            RuleScope::EachRow { left, right } => {
                for r in 0..table.rows.len() {
                    groups.push(
                        left.iter()
                            .chain(right)
                            .filter_map(index)
                            .map(|c| (r, c))
                            .collect(),
                    );
                }
            }
            RuleScope::SectionsAddUpToTotal => {
                for section in form.sections {
                    for c in 0..form.columns.len() {
                        let mut group = vec![(0, c)];
                        group.extend(
                            table
                                .rows
                                .iter()
                                .enumerate()
                                .filter(|(_, row)| {
                                    row.section == Some(section.number) && row.parent.is_none()
                                })
                                .map(|(r, _)| (r, c)),
                        );
                        groups.push(group);
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
                        let mut group = vec![(p, c)];
                        group.extend(children.iter().map(|r| (*r, c)));
                        groups.push(group);
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
            for group in identities(part) {
                let withheld = group.iter().filter(|(r, c)| flags[*r][*c]).count();
                assert_ne!(withheld, 1, "{group:?}");
            }
        }
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
        // No identity leaves exactly one figure withheld: none is a difference of the others.
        for group in identities(&table) {
            let withheld = group.iter().filter(|(r, c)| hidden[*r][*c]).count();
            assert_ne!(withheld, 1, "{group:?}");
        }
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
