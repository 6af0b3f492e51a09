//! Releases of national figures (Circular 02/2011 art. 15, 18(2)): until the Agency publishes
//! them, figures are confidential to the reporting chain; a release freezes the accepted
//! figures of every province for a form and period as a numbered vintage, and a later
//! correction is published as the next vintage, never by changing an old one. The statistics
//! offices read released figures only, keyed by stable codes (SDMX).

use chrono::{Duration, NaiveDate};

use super::dimension::Dimension;
use super::form::{Column, Filter, Form, Subject};

/// Days before the publication deadline from which the system warns.
pub const WARNING_DAYS: i64 = 30;

/// The last day on which the national annual figures of reporting year `year` are on time:
/// they are published before 28 February of the following year (art. 15(3)).
pub fn annual_publication_due(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year + 1, 2, 28).map(|d| d - Duration::days(1))
}

/// Where the publication of a period's figures stands against its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publication {
    Released,
    /// Not yet released; the deadline is more than [`WARNING_DAYS`] away.
    Pending {
        days_left: i64,
    },
    /// Not yet released, the deadline at most [`WARNING_DAYS`] away.
    DueSoon {
        days_left: i64,
    },
    /// Not released, the deadline passed so many days ago.
    Overdue {
        days: i64,
    },
}

impl Publication {
    pub fn of(due: NaiveDate, released: bool, today: NaiveDate) -> Self {
        let left = (due - today).num_days();
        match (released, left) {
            (true, _) => Self::Released,
            (false, l) if l < 0 => Self::Overdue { days: -l },
            (false, l) if l <= WARNING_DAYS => Self::DueSoon { days_left: l },
            (false, l) => Self::Pending { days_left: l },
        }
    }

    /// `released`, `pending`, `due_soon` or `overdue`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Released => "released",
            Self::Pending { .. } => "pending",
            Self::DueSoon { .. } => "due_soon",
            Self::Overdue { .. } => "overdue",
        }
    }
}

/// The SDMX code of the whole country as a reference area.
pub const NATIONAL_AREA: &str = "VN";
/// The SDMX code of a total over a dimension.
pub const TOTAL_CODE: &str = "_T";

/// Whether a release of `released` provinces covers the whole country, every province with a
/// Department when it was published (`expected`): only then are its national figures the
/// country's (art. 15(3)). `None` where the count expected was not recorded.
pub fn covers_the_country(released: usize, expected: Option<usize>) -> Option<bool> {
    expected.map(|e| released >= e)
}

/// Whether a release publishes the figure in `row` and `column` of `form`'s table: every
/// figure of a form of cases or requests; of a form of person-times, the total row's figures
/// by sex and by category ([`person_times_key`]), the figure the statistics offices receive
/// (art. 6(4), 6(6)). The rest (no gender recorded, no proof yet) stays in the chain.
pub fn published(form: &Form, row: usize, column: usize) -> bool {
    match form.subject {
        Subject::PersonTimes => {
            row == 0
                && form
                    .columns
                    .get(column)
                    .is_some_and(|c| person_times_key(c).is_some())
        }
        _ => true,
    }
}

/// The key of a column of a person-times form in the person-times indicator: its sex (`M`,
/// `F`, or `_T`) and its recipient category (the category's code, or `_T`). `None` for a
/// column that is not one of these breakdowns (a category not proven, a gender not
/// recorded, a set of categories), which the indicator leaves out.
pub fn person_times_key(column: &Column) -> Option<(&'static str, &'static str)> {
    match column.only {
        [] => Some((TOTAL_CODE, TOTAL_CODE)),
        [Filter::Is(Dimension::Gender, "male")] => Some(("M", TOTAL_CODE)),
        [Filter::Is(Dimension::Gender, "female")] => Some(("F", TOTAL_CODE)),
        [Filter::Is(Dimension::RecipientCategory, code)] => Some((TOTAL_CODE, code)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statistics::circular_02_2011::FORM_3;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_release_of_some_provinces_does_not_cover_the_country() {
        assert_eq!(covers_the_country(1, Some(34)), Some(false));
        assert_eq!(covers_the_country(34, Some(34)), Some(true));
        assert_eq!(covers_the_country(3, None), None);
    }

    #[test]
    fn annual_figures_are_published_before_28_february_and_warned_of_a_month_ahead() {
        let due = annual_publication_due(2026).unwrap();
        assert_eq!(due, d(2027, 2, 27));
        assert_eq!(
            Publication::of(due, false, d(2027, 1, 1)),
            Publication::Pending { days_left: 57 }
        );
        assert_eq!(
            Publication::of(due, false, d(2027, 2, 1)),
            Publication::DueSoon { days_left: 26 }
        );
        assert_eq!(
            Publication::of(due, false, d(2027, 3, 1)),
            Publication::Overdue { days: 2 }
        );
        assert_eq!(
            Publication::of(due, true, d(2027, 3, 1)),
            Publication::Released
        );
    }

    #[test]
    fn form_3_gives_the_indicator_by_sex_and_by_recipient_category() {
        let keys: Vec<(&str, &str)> = FORM_3.columns.iter().filter_map(person_times_key).collect();
        assert_eq!(keys[0], ("_T", "_T"));
        assert!(keys.contains(&("M", "_T")) && keys.contains(&("F", "_T")));
        assert!(keys.contains(&("_T", "poor_household")));
        // Every key once: the indicator's observations are unique.
        let mut unique = keys.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), keys.len());
    }
}
