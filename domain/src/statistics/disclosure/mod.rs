//! Which figures may leave the reporting chain (Circular 02/2011 art. 18: figures tied to a
//! named person are confidential). A count of one or two people in a small unit can point at
//! a person; such a cell is withheld from anyone outside the chain (the public, the portal,
//! the statistics offices), and so is every other cell from which it could be worked back
//! through the form's own identities (a row's columns adding up, sections adding up to the
//! total, split rows adding up to their row, the provinces adding up to the country).
//!
//! Zeros are always shown, so a reader knows that every withheld figure is at least one; a
//! figure a release does not publish at all (a gender not recorded) is to them any number
//! from zero. Two checks, repeated until neither withholds anything more, decide what else
//! is withheld:
//!
//! - One identity at a time. An identity gives a withheld figure away when it is the only
//!   one withheld, and also when all its withheld figures stand on one side and the figures
//!   shown leave them exactly one each (`3 = ? + ? + ?`): one more figure of the identity is
//!   withheld.
//! - All identities at once, as a reader would combine them: every withheld figure's least
//!   and most possible values, narrowed identity by identity until nothing moves (bounds
//!   propagation). A small count whose most possible value is itself small is given away
//!   (the reader knows it is one or two, even without knowing which): the smallest figure
//!   shown beside it in one of its identities is withheld too.
//!
//! The figure withheld to protect another is, of those shown above zero that would do, the
//! one of least cost: its value, times one more than the number of identities it is the
//! total of. A total is the figure most readers come for, and withholding it protects little
//! when a reader adds it up again from its parts shown elsewhere; so a part is withheld
//! rather than a total not much larger. On synthetic releases of form 1 for 63 provinces of
//! 60 cases each, this withholds 6,014 of 8,960 cells against 6,028 by value alone, their
//! sum 29,702 against 30,999, and 80 national figures against 88.
//!
//! A reader solving a linear or integer program over every identity can still narrow some
//! withheld figures further than bounds propagation does; see `docs/statistics.md`.

mod bounds;
mod identity;

use super::form::Table;
use super::release;
use bounds::{narrow, MAX_SWEEPS, UNBOUNDED};
use identity::{identities_of, Identity};

/// The largest count withheld: one or two.
pub const SMALL_COUNT: u64 = 2;

/// A cell of a table: `(row, column)`.
type Cell = (usize, usize);

/// The cells of `table` to withhold, as `[row][column]` flags, every cell taken as published:
/// every count from 1 to [`SMALL_COUNT`] (primary), then what the form's identities would
/// give away (secondary; see the module's documentation).
pub fn withheld(table: &Table) -> Vec<Vec<bool>> {
    let everything = |_: &Table, _: usize, _: usize| true;
    Release::of(&[table], false, everything)
        .withheld()
        .pop()
        .unwrap_or_default()
}

/// The cells to withhold in the tables of a release, one form and period, which add up cell
/// by cell to `total` (the provinces and the whole country): what each table's identities and
/// those across the tables (the country's figure is the provinces' sum) would give away,
/// of the figures the release publishes ([`release::published`]). Answers the flags of each
/// part, in order, then those of the total.
pub fn withheld_together(parts: &[Table], total: &Table) -> (Vec<Vec<Vec<bool>>>, Vec<Vec<bool>>) {
    let tables: Vec<&Table> = parts.iter().chain(std::iter::once(total)).collect();
    let published = |t: &Table, r: usize, c: usize| release::published(t.form, r, c);
    let mut flags = Release::of(&tables, true, published).withheld();
    let total_flags = flags.pop().unwrap_or_default();
    (flags, total_flags)
}

/// Tables of one form and period with their cells numbered in one sequence (table by table,
/// row by row), their identities over those numbers, and what a reader is shown.
struct Release {
    rows: usize,
    columns: usize,
    values: Vec<u64>,
    published: Vec<bool>,
    identities: Vec<Identity<usize>>,
    /// For each cell, the identities it stands in.
    member_of: Vec<Vec<usize>>,
    /// For each cell, of how many exact identities it is the total (0 for a figure that
    /// totals nothing): what makes withholding it cost the reader more than its value.
    totals: Vec<usize>,
}

impl Release {
    /// `tables` all have the same shape; with `across`, the last is the sum of the others.
    fn of(
        tables: &[&Table],
        across: bool,
        published: impl Fn(&Table, usize, usize) -> bool,
    ) -> Self {
        let rows = tables.first().map_or(0, |t| t.rows.len());
        let columns = tables.first().map_or(0, |t| t.form.columns.len());
        let at = |t: usize, (r, c): Cell| (t * rows + r) * columns + c;
        let mut values = Vec::new();
        let mut shown = Vec::new();
        for table in tables {
            for (r, row) in table.rows.iter().enumerate() {
                for (c, n) in row.cells.iter().enumerate() {
                    values.push(*n);
                    shown.push(published(table, r, c));
                }
            }
        }
        let mut identities = Vec::new();
        for (t, table) in tables.iter().enumerate() {
            for group in identities_of(table) {
                identities.push(Identity {
                    lhs: group.lhs.iter().map(|c| at(t, *c)).collect(),
                    rhs: group.rhs.iter().map(|c| at(t, *c)).collect(),
                    exact: group.exact,
                });
            }
        }
        if across && tables.len() > 1 {
            let country = tables.len() - 1;
            for cell in (0..rows).flat_map(|r| (0..columns).map(move |c| (r, c))) {
                identities.push(Identity {
                    lhs: vec![at(country, cell)],
                    rhs: (0..country).map(|t| at(t, cell)).collect(),
                    exact: true,
                });
            }
        }
        let mut member_of = vec![Vec::new(); values.len()];
        let mut totals = vec![0; values.len()];
        for (i, identity) in identities.iter().enumerate() {
            for cell in identity.cells() {
                member_of[cell].push(i);
            }
            if identity.exact {
                for cell in &identity.lhs {
                    totals[*cell] += 1;
                }
            }
        }
        Self {
            rows,
            columns,
            values,
            published: shown,
            identities,
            member_of,
            totals,
        }
    }

    /// The flags of each table, `[table][row][column]`.
    fn withheld(&self) -> Vec<Vec<Vec<bool>>> {
        let mut hidden: Vec<bool> = (0..self.values.len())
            .map(|i| self.published[i] && (1..=SMALL_COUNT).contains(&self.values[i]))
            .collect();
        // The one-identity check reads identities whose every figure is published; one with
        // a figure left out gives nothing exactly, and the bounds below judge it.
        let whole: Vec<&Identity<usize>> = self
            .identities
            .iter()
            .filter(|g| g.cells().all(|c| self.published[c]))
            .collect();
        loop {
            let mut changed = false;
            for group in &whole {
                let exposed = group.exposed(|c| self.values[c], |c| hidden[c], |c| self.totals[c]);
                if let Some(next) = exposed {
                    hidden[next] = true;
                    changed = true;
                }
            }
            if changed {
                continue;
            }
            let (_, most) = self.narrowed(&hidden);
            for cell in 0..self.values.len() {
                let small = (1..=SMALL_COUNT).contains(&self.values[cell]);
                if hidden[cell] && small && most[cell] <= SMALL_COUNT as i64 {
                    if let Some(next) = self.cover(cell, &hidden) {
                        hidden[next] = true;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        let per_row = hidden.chunks(self.columns.max(1)).map(<[bool]>::to_vec);
        let rows: Vec<Vec<bool>> = per_row.collect();
        rows.chunks(self.rows.max(1))
            .map(<[Vec<bool>]>::to_vec)
            .collect()
    }

    /// The figure shown, above zero, of least cost (see the module's documentation) in an
    /// identity `cell` stands in.
    fn cover(&self, cell: usize, hidden: &[bool]) -> Option<usize> {
        self.member_of[cell]
            .iter()
            .flat_map(|g| self.identities[*g].cells())
            .filter(|c| !hidden[*c] && self.published[*c] && self.values[*c] > 0)
            .min_by_key(|c| (self.values[*c] * (1 + self.totals[*c] as u64), *c))
    }

    /// Each figure's least and most possible values to a reader who sees the figures shown
    /// and knows the identities: shown figures are what they are, withheld ones at least one,
    /// unpublished ones at least zero; then each identity narrows its figures by the others'
    /// bounds, until nothing moves (or [`MAX_SWEEPS`] passes).
    fn narrowed(&self, hidden: &[bool]) -> (Vec<i64>, Vec<i64>) {
        let n = self.values.len();
        let fixed = |i: usize| self.published[i] && !hidden[i];
        let mut least: Vec<i64> = (0..n)
            .map(|i| match (fixed(i), self.published[i]) {
                (true, _) => self.values[i] as i64,
                (false, true) => (self.values[i] as i64).min(1),
                (false, false) => 0,
            })
            .collect();
        let mut most: Vec<i64> = (0..n)
            .map(|i| {
                if fixed(i) {
                    self.values[i] as i64
                } else {
                    UNBOUNDED
                }
            })
            .collect();
        for _ in 0..MAX_SWEEPS {
            let mut moved = false;
            for identity in &self.identities {
                moved |= narrow(identity, &mut least, &mut most);
            }
            if !moved {
                break;
            }
        }
        (least, most)
    }
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
        for group in identities_of(table) {
            let exposed = group.exposed(
                |(r, c)| table.rows[r].cells[c],
                |(r, c)| hidden[r][c],
                |_| 0,
            );
            assert_eq!(exposed, None, "{group:?}");
        }
    }

    /// Three withheld ones adding up to a shown three are each one: one more figure goes.
    /// A release of `parts` and their sum, as the tables, the flags and the reader's most
    /// possible value of every cell.
    fn released(parts: Vec<Table>) -> (Vec<Table>, Vec<Vec<Vec<bool>>>, Vec<i64>) {
        let period = parts[0].period;
        let mut total = parts[0].form.blank(&period);
        for part in &parts {
            crate::statistics::reporting::figures::add(&mut total, part);
        }
        let (mut flags, total_flags) = withheld_together(&parts, &total);
        flags.push(total_flags);
        let mut tables = parts;
        tables.push(total);
        let refs: Vec<&Table> = tables.iter().collect();
        let published = |t: &Table, r: usize, c: usize| release::published(t.form, r, c);
        let release = Release::of(&refs, true, published);
        let hidden: Vec<bool> = flags.iter().flatten().flatten().copied().collect();
        let (_, most) = release.narrowed(&hidden);
        (tables, flags, most)
    }

    /// The reader's attack: every identity at once, each withheld figure at least one,
    /// narrowed until nothing moves. No small count may come out known to be small.
    #[test]
    fn no_small_count_is_known_small_to_a_reader_combining_every_identity() {
        for (size, period) in [
            (12, "2025-3M"),
            (30, "2025-3M"),
            (60, "2025-Y"),
            (200, "2025-Y"),
        ] {
            let period = Period::parse(period).unwrap();
            let cases = case_records(size);
            let third = size / 3;
            let parts = vec![
                FORM_1.fill(&cases[..third], &period),
                FORM_1.fill(&cases[third..2 * third], &period),
                FORM_1.fill(&cases[2 * third..], &period),
            ];
            let (tables, flags, most) = released(parts);
            let mut i = 0;
            for (table, hidden) in tables.iter().zip(&flags) {
                for (r, row) in table.rows.iter().enumerate() {
                    for (c, n) in row.cells.iter().enumerate() {
                        if (1..=SMALL_COUNT).contains(n) {
                            assert!(hidden[r][c], "{} column {c}: {n} shown", row.code);
                            assert!(
                                most[i] > SMALL_COUNT as i64,
                                "{size} cases: {} column {c} is {n}, known to be at most {}",
                                row.code,
                                most[i]
                            );
                        }
                        i += 1;
                    }
                }
            }
        }
    }

    /// Column 20 (gender not recorded) is not released: one person-time without a gender
    /// does not take away the total, the figure the statistics offices receive.
    #[test]
    fn a_figure_left_out_of_the_release_does_not_withhold_the_total() {
        use crate::label::Vocabulary;
        use crate::reference::Gender;
        use crate::statistics::circular_02_2011::FORM_3;
        let period = Period::parse("2025-Y").unwrap();
        let mut records =
            crate::statistics::testing::person_times(23, crate::reference::RecipientCategory::ALL);
        for (i, r) in records.iter_mut().enumerate() {
            r.gender = Some(if i % 2 == 0 {
                Gender::Male
            } else {
                Gender::Female
            });
        }
        let table = FORM_3.fill(&records, &period);
        let unrecorded = FORM_3.column_index(20).unwrap();
        for i in 0..records.len() {
            records[i].gender = None;
            if FORM_3.fill(&records, &period).rows[0].cells[unrecorded] == 1 {
                break;
            }
            records[i].gender = Some(Gender::Male);
        }
        let table_with_one = FORM_3.fill(&records, &period);
        assert_eq!(table_with_one.rows[0].cells[unrecorded], 1);
        assert!(table.rows[0].cells[0] > 10);
        let (_, flags, _) = released(vec![table_with_one]);
        for column in [1, 2, 3] {
            let c = FORM_3.column_index(column).unwrap();
            assert!(!flags[0][0][c], "column {column} of the total withheld");
            assert!(!flags[1][0][c], "the country's column {column} withheld");
        }
    }

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
        let totals = |c: usize| usize::from(c == 0);
        assert_eq!(
            identity.exposed(value, |_| false, totals),
            None,
            "nothing withheld"
        );
        assert_eq!(
            identity.exposed(value, |c| c == 1, totals),
            Some(2),
            "one withheld"
        );
        assert_eq!(
            identity.exposed(value, |c| c > 0, totals),
            Some(0),
            "3 = ? + ? + ?: each is one, and only the total is left to withhold"
        );
        assert_eq!(
            identity.exposed(value, |_| true, totals),
            None,
            "all withheld"
        );
        let at_most = Identity {
            exact: false,
            ..identity.clone()
        };
        assert_eq!(
            at_most.exposed(value, |c| c > 0, totals),
            None,
            "an inequality pins nothing"
        );
        let wider = [6u64, 1, 2, 3];
        assert_eq!(
            identity.exposed(|c| wider[c], |c| c == 1 || c == 2, totals),
            None,
            "6 - 3 = ? + ?: one and two, or two and one"
        );
        let longer = Identity {
            lhs: vec![0usize],
            rhs: vec![1, 2, 3, 4],
            exact: true,
        };
        let five = [4u64, 1, 1, 1, 1];
        assert_eq!(
            longer.exposed(|c| five[c], |c| (1..=3).contains(&c), totals),
            Some(4),
            "4 - 1 = ? + ? + ?: the part shown goes, not the total"
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
