//! Releases of national figures (`tgpl_domain::statistics::release`): each vintage inserted
//! once, with its audit entry, and never changed.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use tgpl_domain::audit::AuditAction;
use tgpl_domain::statistics::reporting::EnteredRow;

use crate::audit::Actor;
use crate::column::Json;
use crate::db::{Backend, DbConnection};
use crate::error::{StoreError, StoreResult};
use crate::schema::statistical_releases as releases;

const RESOURCE: &str = "statistical_release";

/// One province's figures in a release: its Department's accepted report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleasedArea {
    pub province_code: String,
    pub organization_id: String,
    pub report_id: String,
    pub revision: i32,
    pub rows: Vec<EnteredRow>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = releases, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct ReleaseRow {
    pub id: String,
    pub form: String,
    pub period: String,
    pub vintage: i32,
    pub areas: Json<Vec<ReleasedArea>>,
    pub note: Option<String>,
    #[serde(serialize_with = "crate::instant::utc")]
    pub released_at: NaiveDateTime,
    pub released_by: String,
    /// The provinces with an active Department when it was published; `None` for releases
    /// published before this was recorded.
    pub provinces_expected: Option<i32>,
}

pub fn insert(conn: &mut DbConnection, actor: &Actor, row: &ReleaseRow) -> StoreResult<()> {
    let action = AuditAction::ReleasePublish;
    crate::insert_audited!(
        conn,
        actor,
        action,
        RESOURCE,
        statistical_releases.id,
        row,
        Clone::clone
    )
}

pub fn get(conn: &mut DbConnection, id: &str) -> StoreResult<ReleaseRow> {
    releases::table
        .find(id)
        .select(ReleaseRow::as_select())
        .first(conn)
        .map_err(StoreError::from)
}

/// The newest vintage of `form` for `period`, if any was released.
pub fn latest(
    conn: &mut DbConnection,
    form: &str,
    period: &str,
) -> StoreResult<Option<ReleaseRow>> {
    Ok(releases::table
        .filter(releases::form.eq(form))
        .filter(releases::period.eq(period))
        .order(releases::vintage.desc())
        .select(ReleaseRow::as_select())
        .first(conn)
        .optional()?)
}

/// What lists of releases are narrowed by.
#[derive(Debug, Clone, Default)]
pub struct ReleaseFilter {
    pub form: Option<String>,
    pub period: Option<String>,
    /// Released strictly after this instant (UTC).
    pub after: Option<NaiveDateTime>,
    /// Only this vintage.
    pub vintage: Option<i32>,
    /// Only each form and period's newest vintage.
    pub latest_only: bool,
}

fn filtered(f: &ReleaseFilter) -> releases::BoxedQuery<'static, Backend> {
    let mut q = releases::table.into_boxed::<Backend>();
    if let Some(v) = &f.form {
        q = q.filter(releases::form.eq(v.clone()));
    }
    if let Some(v) = &f.period {
        q = q.filter(releases::period.eq(v.clone()));
    }
    if let Some(v) = f.after {
        q = q.filter(releases::released_at.gt(v));
    }
    if let Some(v) = f.vintage {
        q = q.filter(releases::vintage.eq(v));
    }
    q
}

/// Every release the filter admits, oldest first (each form and period's newest vintage
/// only, when asked).
pub fn all(conn: &mut DbConnection, filter: &ReleaseFilter) -> StoreResult<Vec<ReleaseRow>> {
    let rows: Vec<ReleaseRow> = filtered(filter)
        .order((releases::released_at.asc(), releases::id.asc()))
        .select(ReleaseRow::as_select())
        .load(conn)?;
    if !filter.latest_only {
        return Ok(rows);
    }
    let mut newest: Vec<ReleaseRow> = Vec::new();
    for row in rows {
        match newest
            .iter_mut()
            .find(|r| r.form == row.form && r.period == row.period)
        {
            Some(kept) if kept.vintage < row.vintage => *kept = row,
            Some(_) => {}
            None => newest.push(row),
        }
    }
    Ok(newest)
}
