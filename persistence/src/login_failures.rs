//! Failed-login counters, shared by every API instance through the database.
//!
//! These are security bookkeeping, not records of the system, so they are not audited; a
//! successful login is (see `accounts::record_login`).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use tgpl_domain::throttle::{FailureState, ThrottlePolicy};

use crate::db::{write_transaction, DbConnection};
use crate::error::StoreResult;
use crate::schema::login_failures;

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = login_failures, treat_none_as_null = true)]
struct Row {
    subject: String,
    failures: i32,
    window_started_at: NaiveDateTime,
    blocked_until: Option<NaiveDateTime>,
}

fn state(conn: &mut DbConnection, subject: &str) -> StoreResult<Option<FailureState>> {
    let row: Option<Row> = login_failures::table
        .find(subject)
        .select(Row::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(|r| FailureState {
        failures: r.failures,
        window_started_at: r.window_started_at,
        blocked_until: r.blocked_until,
    }))
}

/// Until when attempts for `subject` are refused, if they are at `now`.
pub fn blocked_until(
    conn: &mut DbConnection,
    policy: &ThrottlePolicy,
    subject: &str,
    now: NaiveDateTime,
) -> StoreResult<Option<NaiveDateTime>> {
    Ok(policy.blocked_at(state(conn, subject)?, now))
}

/// Counts one failure; returns until when the subject is now blocked, if it is.
pub fn record_failure(
    conn: &mut DbConnection,
    policy: &ThrottlePolicy,
    subject: &str,
    now: NaiveDateTime,
) -> StoreResult<Option<NaiveDateTime>> {
    write_transaction(conn, |conn| {
        let previous = state(conn, subject)?;
        let next = policy.after_failure(previous, now);
        let row = Row {
            subject: subject.to_owned(),
            failures: next.failures,
            window_started_at: next.window_started_at,
            blocked_until: next.blocked_until,
        };
        if previous.is_some() {
            diesel::update(login_failures::table.find(subject))
                .set(&row)
                .execute(conn)?;
        } else {
            diesel::insert_into(login_failures::table)
                .values(&row)
                .execute(conn)?;
        }
        Ok(next.blocked_until)
    })
}

pub fn clear(conn: &mut DbConnection, subject: &str) -> StoreResult<()> {
    diesel::delete(login_failures::table.find(subject)).execute(conn)?;
    Ok(())
}
