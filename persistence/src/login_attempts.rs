//! Login attempts per subject, shared by every API instance through the database.
//!
//! These are security bookkeeping, not records of the system, so they are not audited; a
//! successful login is (see `accounts::record_login`).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use tgpl_domain::throttle::{Admission, AttemptState, ThrottlePolicy};

use crate::db::{write_transaction, DbConnection};
use crate::error::{StoreError, StoreResult};
use crate::schema::login_attempts;

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = login_attempts, treat_none_as_null = true, treat_none_as_default_value = false)]
struct Row {
    subject: String,
    attempts: i32,
    window_started_at: NaiveDateTime,
    blocked_until: Option<NaiveDateTime>,
}

/// Counts one attempt for `subject` and tells whether it may go on.
///
/// The row is locked before it is read (an UPDATE takes PostgreSQL's row lock for the rest
/// of the transaction; SQLite's write transaction holds the database lock), so concurrent
/// attempts for one subject are counted one after the other. Two first attempts may both
/// find no row; the loser of that race retries once and then finds it.
pub fn admit(
    conn: &mut DbConnection,
    policy: &ThrottlePolicy,
    subject: &str,
    now: NaiveDateTime,
) -> StoreResult<Admission> {
    let (admission, first) = match admit_once(conn, policy, subject, now) {
        Err(StoreError::Conflict(_)) => admit_once(conn, policy, subject, now),
        other => other,
    }?;
    if first {
        // Attempts for names that never log in (mistyped, or guessed by someone trying many)
        // would otherwise stay forever: each new row takes away the spent ones. In a statement
        // of its own, after the attempt is counted: it must not make the login fail.
        let spent = diesel::delete(
            login_attempts::table
                .filter(login_attempts::window_started_at.lt(policy.spent_before(now))),
        )
        .execute(conn);
        if let Err(e) = spent {
            log::warn!("spent login attempts were not removed: {e}");
        }
    }
    Ok(admission)
}

/// Counts the attempt; also tells whether it was the subject's first on record.
fn admit_once(
    conn: &mut DbConnection,
    policy: &ThrottlePolicy,
    subject: &str,
    now: NaiveDateTime,
) -> StoreResult<(Admission, bool)> {
    write_transaction(conn, |conn| {
        let locked = diesel::update(login_attempts::table.find(subject))
            .set(login_attempts::attempts.eq(login_attempts::attempts))
            .execute(conn)?;
        let previous = if locked == 0 {
            None
        } else {
            let row: Row = login_attempts::table
                .find(subject)
                .select(Row::as_select())
                .first(conn)?;
            Some(AttemptState {
                attempts: row.attempts,
                window_started_at: row.window_started_at,
                blocked_until: row.blocked_until,
            })
        };
        let (next, admission) = policy.admit(previous, now);
        let row = Row {
            subject: subject.to_owned(),
            attempts: next.attempts,
            window_started_at: next.window_started_at,
            blocked_until: next.blocked_until,
        };
        if locked == 0 {
            diesel::insert_into(login_attempts::table)
                .values(&row)
                .execute(conn)?;
        } else {
            diesel::update(login_attempts::table.find(subject))
                .set(&row)
                .execute(conn)?;
        }
        Ok((admission, locked == 0))
    })
}

/// Forgets the attempts of a subject after a success.
pub fn clear(conn: &mut DbConnection, subject: &str) -> StoreResult<()> {
    diesel::delete(login_attempts::table.find(subject)).execute(conn)?;
    Ok(())
}
