//! What a table and a cell share: the form and period asked for, whose records are counted
//! and who may read them, and the records themselves, read once per subject.

use tgpl_domain::statistics::form::Countable;
use tgpl_domain::statistics::tally::Plan;
use tgpl_domain::statistics::{Cell, Identified, Table};
use tgpl_persistence::db::DbConnection;
use tgpl_persistence::organizations::OrganizationRow;
use tgpl_persistence::statistics::tally;

use super::*;

/// The form with code `code`; 404 when there is none.
pub(super) fn form_of(code: &str) -> Result<&'static Form, ApiError> {
    forms()
        .find(|f| f.code == code)
        .ok_or_else(ApiError::not_found)
}

/// The period written `text`, read as one of `form`'s regime (field `period`).
pub(super) fn period_of(form: &Form, text: &str) -> Result<Period, ApiError> {
    form.regime.period(text).map_err(ApiError::refused)
}

/// The organization `root` and every organization its figures for `period` count: its
/// subtree in the tree of the period's last day, the tree on which `caller`'s access is
/// decided too (a Department opens every unit its own table counted then, and a unit's new
/// Department does not read the years before it came).
pub(super) fn covered(
    conn: &mut DbConnection,
    caller: &Caller,
    root: &str,
    period: &Period,
) -> Result<(OrganizationRow, Vec<String>), ApiError> {
    let organization = organizations::get(conn, root)?;
    let tree = Hierarchy::on(period.to(), &organizations::all_links(conn)?);
    scope::check_on(&tree, caller, Action::ReadStatistics, root)?;
    let covered = tree.subtree(root).into_iter().map(|n| n.org_id).collect();
    Ok((organization, covered))
}

/// What is done with the records of one subject, whatever their kind.
pub(super) trait Use {
    type Out;
    fn with<R: Countable>(self, records: Vec<Identified<R>>) -> Self::Out;
}

/// Fills the form.
pub(super) struct Fill<'p> {
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
pub(super) struct Open<'p> {
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
pub(super) fn read<U: Use>(
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

/// The form filled from the tallies kept as cases move, for a period of whole months and a
/// form of cases or person-times, while the tallies are built; `None` otherwise (the form is
/// then filled from the records). Both give the same figures (`tgpl_domain::statistics::tally`).
pub(super) fn from_tallies(
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

/// Where a record of `subject` is read (`/api/v1/cases/{id}`, …): a person-time is read
/// through its case.
pub(super) fn href(subject: Subject, id: &str) -> String {
    let collection = match subject {
        Subject::Cases | Subject::PersonTimes => "cases",
        Subject::ReviewRequests => "review-requests",
        Subject::People(_) => "staff",
        Subject::Participants => "organizations",
    };
    format!("/api/v1/{collection}/{id}")
}
