//! A form filled, or a cell opened, from the records of a list of organizations: read once
//! per subject, and put to one use. What the tables, the cells and the reports share.

use tgpl_domain::statistics::form::{Countable, Form, Subject};
use tgpl_domain::statistics::tally::Plan;
use tgpl_domain::statistics::{Cell, Identified, Period, Table};
use tgpl_persistence::db::DbConnection;
use tgpl_persistence::statistics::{self, tally};

use crate::http::error::ApiError;

/// What is done with the records of one subject, whatever their kind.
pub trait Use {
    type Out;
    fn with<R: Countable>(self, records: Vec<Identified<R>>) -> Self::Out;
}

/// Fills the form.
pub struct Fill<'p> {
    pub form: &'static Form,
    pub period: &'p Period,
}

impl Use for Fill<'_> {
    type Out = Table;
    fn with<R: Countable>(self, records: Vec<Identified<R>>) -> Table {
        self.form.fill(&records, self.period)
    }
}

/// Lists the ids of the records behind one cell, sorted.
pub struct Open<'p> {
    pub cell: Cell,
    pub period: &'p Period,
}

impl Use for Open<'_> {
    type Out = Vec<String>;
    fn with<R: Countable>(self, records: Vec<Identified<R>>) -> Vec<String> {
        let mut ids: Vec<String> = records
            .into_iter()
            .filter(|r| self.cell.admits(r, self.period))
            .map(|r| r.id)
            .collect();
        ids.sort_unstable();
        ids
    }
}

/// Reads the records `form` counts for the organizations `covered` in `period`, and puts them
/// to `usage`.
pub fn read<U: Use>(
    conn: &mut DbConnection,
    form: &Form,
    covered: &[String],
    period: &Period,
    usage: U,
) -> Result<U::Out, ApiError> {
    let (from, to) = (period.from(), period.to());
    Ok(match form.subject {
        Subject::Cases => usage.with(statistics::cases_in_hand(conn, covered, from, to)?),
        Subject::ReviewRequests => usage.with(statistics::reviews_sent_or_answered(
            conn, covered, from, to,
        )?),
        Subject::PersonTimes => usage.with(statistics::person_times(conn, covered, from, to)?),
        Subject::People(counted) => usage.with(statistics::people(conn, covered, to, counted)?),
        Subject::Participants => usage.with(statistics::participants(conn, covered, to)?),
    })
}

/// Where a form's figures were counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CountedFrom {
    Tallies,
    Records,
}

/// `form` filled for `period` from the records of `organizations`: from the tallies where
/// they are kept and `recount` is not asked for, else from the records themselves.
pub fn fill(
    conn: &mut DbConnection,
    form: &'static Form,
    organizations: &[String],
    period: &Period,
    recount: bool,
) -> Result<(Table, CountedFrom), ApiError> {
    let tallied = if recount {
        None
    } else {
        from_tallies(conn, form, organizations, period)?
    };
    Ok(match tallied {
        Some(table) => (table, CountedFrom::Tallies),
        None => (
            read(conn, form, organizations, period, Fill { form, period })?,
            CountedFrom::Records,
        ),
    })
}

/// The form filled from the tallies kept as cases move, for a period of whole months and a
/// form of cases or person-times, while the tallies are built; `None` otherwise (the form is
/// then filled from the records). Both give the same figures (`tgpl_domain::statistics::tally`).
pub fn from_tallies(
    conn: &mut DbConnection,
    form: &'static Form,
    covered: &[String],
    period: &Period,
) -> Result<Option<Table>, ApiError> {
    let Some(plan) = Plan::of(period) else {
        return Ok(None);
    };
    Ok(match form.subject {
        Subject::Cases => tally::case_tallies(conn, covered, &plan)?.map(|t| form.fill(&t, period)),
        Subject::PersonTimes => {
            tally::person_tallies(conn, covered, &plan)?.map(|t| form.fill(&t, period))
        }
        _ => None,
    })
}
