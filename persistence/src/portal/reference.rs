//! What the Agency keeps for the portal's procedures: their codes and limits, the calendar
//! of working days, and the portal's status code for each of ours.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use tgpl_domain::audit::AuditAction;
use tgpl_domain::label::Vocabulary;
use tgpl_domain::portal::calendar::{DayKind, WorkingCalendar};
use tgpl_domain::portal::dossier::DossierStatus;
use tgpl_domain::portal::procedure::ProcedureKind;

use crate::audit::{self, Actor, Change};
use crate::column::Code;
use crate::db::{write_transaction, DbConnection};
use crate::error::{StoreError, StoreResult};
use crate::schema::{calendar_days, portal_procedures, portal_status_codes};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Serialize)]
#[diesel(table_name = portal_procedures, treat_none_as_default_value = false)]
pub struct ProcedureRow {
    pub code: String,
    pub kind: Code<ProcedureKind>,
    pub time_limit_days: i32,
    pub placeholder: bool,
    pub active: bool,
    #[serde(serialize_with = "crate::instant::utc")]
    pub updated_at: NaiveDateTime,
}

/// Records a change of the reference data `{what}:{key}` in the audit log: the entry as it
/// was (`None` when there was none) and as it is (`None` once removed).
fn audited<T: Serialize>(
    conn: &mut DbConnection,
    actor: &Actor,
    what: &str,
    key: &str,
    before: Option<&T>,
    after: Option<&T>,
) -> StoreResult<()> {
    audit::record(
        conn,
        actor,
        Change {
            action: AuditAction::PortalReferenceUpdate,
            resource_type: "portal_reference",
            resource_id: &format!("{what}:{key}"),
            before,
            after,
        },
    )
}

/// Every procedure, active first, by kind then code.
pub fn procedures(conn: &mut DbConnection) -> StoreResult<Vec<ProcedureRow>> {
    let mut rows: Vec<ProcedureRow> = portal_procedures::table
        .select(ProcedureRow::as_select())
        .load(conn)?;
    rows.sort_by(|a, b| (!a.active, *a.kind, &a.code).cmp(&(!b.active, *b.kind, &b.code)));
    Ok(rows)
}

pub fn procedure(conn: &mut DbConnection, code: &str) -> StoreResult<ProcedureRow> {
    Ok(portal_procedures::table
        .find(code)
        .select(ProcedureRow::as_select())
        .first(conn)?)
}

/// Adds a procedure or replaces the one with its code; audited.
pub fn put_procedure(
    conn: &mut DbConnection,
    actor: &Actor,
    row: &ProcedureRow,
) -> StoreResult<()> {
    write_transaction(conn, |conn| {
        let before = portal_procedures::table
            .find(&row.code)
            .select(ProcedureRow::as_select())
            .first(conn)
            .optional()?;
        if before.is_some() {
            diesel::update(portal_procedures::table.find(&row.code))
                .set(row)
                .execute(conn)?;
        } else {
            diesel::insert_into(portal_procedures::table)
                .values(row)
                .execute(conn)?;
        }
        audited(
            conn,
            actor,
            "procedure",
            &row.code,
            before.as_ref(),
            Some(row),
        )
    })
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Serialize)]
#[diesel(table_name = calendar_days, treat_none_as_default_value = false)]
pub struct CalendarDayRow {
    pub day: NaiveDate,
    pub kind: Code<DayKind>,
    pub name: String,
}

/// The calendar's entries from `from` to `to`, by day.
pub fn calendar_days(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<CalendarDayRow>> {
    Ok(calendar_days::table
        .filter(calendar_days::day.between(from, to))
        .order(calendar_days::day)
        .select(CalendarDayRow::as_select())
        .load(conn)?)
}

/// The whole calendar, to count working days with. A few dozen rows a year.
pub fn working_calendar(conn: &mut DbConnection) -> StoreResult<WorkingCalendar> {
    let rows: Vec<(NaiveDate, Code<DayKind>)> = calendar_days::table
        .select((calendar_days::day, calendar_days::kind))
        .load(conn)?;
    Ok(WorkingCalendar::new(rows.into_iter().map(|(d, k)| (d, *k))))
}

/// Adds or replaces the entry of a day; audited.
pub fn put_calendar_day(
    conn: &mut DbConnection,
    actor: &Actor,
    row: &CalendarDayRow,
) -> StoreResult<()> {
    write_transaction(conn, |conn| {
        let before = calendar_day(conn, row.day)?;
        if before.is_some() {
            diesel::update(calendar_days::table.find(row.day))
                .set(row)
                .execute(conn)?;
        } else {
            diesel::insert_into(calendar_days::table)
                .values(row)
                .execute(conn)?;
        }
        let key = row.day.to_string();
        audited(
            conn,
            actor,
            "calendar_day",
            &key,
            before.as_ref(),
            Some(row),
        )
    })
}

/// Removes the entry of `day`, audited; [`StoreError::NotFound`] when there is none.
pub fn delete_calendar_day(
    conn: &mut DbConnection,
    actor: &Actor,
    day: NaiveDate,
) -> StoreResult<()> {
    write_transaction(conn, |conn| {
        let before = calendar_day(conn, day)?.ok_or(StoreError::NotFound)?;
        diesel::delete(calendar_days::table.find(day)).execute(conn)?;
        audited(
            conn,
            actor,
            "calendar_day",
            &day.to_string(),
            Some(&before),
            None,
        )
    })
}

fn calendar_day(conn: &mut DbConnection, day: NaiveDate) -> StoreResult<Option<CalendarDayRow>> {
    Ok(calendar_days::table
        .find(day)
        .select(CalendarDayRow::as_select())
        .first(conn)
        .optional()?)
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = portal_status_codes)]
pub struct StatusCodeRow {
    pub status: Code<DossierStatus>,
    pub portal_code: String,
    #[serde(serialize_with = "crate::instant::utc")]
    pub updated_at: NaiveDateTime,
}

pub fn status_codes(conn: &mut DbConnection) -> StoreResult<Vec<StatusCodeRow>> {
    let mut rows: Vec<StatusCodeRow> = portal_status_codes::table
        .select(StatusCodeRow::as_select())
        .load(conn)?;
    rows.sort_by_key(|r| *r.status);
    Ok(rows)
}

/// The portal's code of `status` (its own code when none is kept).
pub fn portal_code(conn: &mut DbConnection, status: DossierStatus) -> StoreResult<String> {
    Ok(portal_status_codes::table
        .find(Code(status))
        .select(portal_status_codes::portal_code)
        .first(conn)
        .optional()?
        .unwrap_or_else(|| status.to_string()))
}

/// Sets the portal's code of `status`; audited.
pub fn set_status_code(
    conn: &mut DbConnection,
    actor: &Actor,
    status: DossierStatus,
    portal_code: &str,
) -> StoreResult<()> {
    write_transaction(conn, |conn| {
        let before: Option<StatusCodeRow> = portal_status_codes::table
            .find(Code(status))
            .select(StatusCodeRow::as_select())
            .first(conn)
            .optional()?;
        let after = StatusCodeRow {
            status: Code(status),
            portal_code: portal_code.to_owned(),
            updated_at: crate::now(),
        };
        if before.is_some() {
            diesel::update(portal_status_codes::table.find(Code(status)))
                .set((
                    portal_status_codes::portal_code.eq(&after.portal_code),
                    portal_status_codes::updated_at.eq(after.updated_at),
                ))
                .execute(conn)?;
        } else {
            diesel::insert_into(portal_status_codes::table)
                .values((
                    portal_status_codes::status.eq(after.status),
                    portal_status_codes::portal_code.eq(&after.portal_code),
                    portal_status_codes::updated_at.eq(after.updated_at),
                ))
                .execute(conn)?;
        }
        audited(
            conn,
            actor,
            "status_code",
            status.code(),
            before.as_ref(),
            Some(&after),
        )
    })
}
