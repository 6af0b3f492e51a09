//! Login attempts per subject, shared by every API instance through the database: the
//! failures counted (`login_attempts`) and the attempts admitted whose password is still
//! being checked (`login_reservations`). The rule is `tgpl_domain::throttle`.
//!
//! These are security bookkeeping, not records of the system, so they are not audited; a
//! successful login is (see `accounts::record_login`).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use tgpl_domain::throttle::{Admission, AttemptState, ThrottlePolicy};

use crate::db::DbConnection;
use crate::error::StoreResult;
use crate::exclusive::{exclusive, Claim, Rule};
use crate::schema::{login_attempts, login_reservations};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = login_attempts, treat_none_as_null = true, treat_none_as_default_value = false)]
struct Row {
    subject: String,
    attempts: i32,
    window_started_at: NaiveDateTime,
    blocked_until: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = login_reservations, treat_none_as_default_value = false)]
struct Reservation<'a> {
    id: &'a str,
    subject: &'a str,
    reserved_at: NaiveDateTime,
}

/// What [`admit`] decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Admitted {
    /// Check the password, then settle the reservation with this id by [`failed`] or
    /// [`succeeded`].
    Reserved(String),
    /// The limit is reached by attempts still being checked: ask again shortly.
    Wait,
    /// Refused until then, whatever the password.
    Blocked(NaiveDateTime),
}

fn state_of(conn: &mut DbConnection, subject: &str) -> StoreResult<Option<AttemptState>> {
    Ok(login_attempts::table
        .find(subject)
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .map(|row| AttemptState {
            attempts: row.attempts,
            window_started_at: row.window_started_at,
            blocked_until: row.blocked_until,
        }))
}

/// Stores `state` for `subject`; returns whether the subject had no record.
fn store(conn: &mut DbConnection, subject: &str, state: AttemptState) -> StoreResult<bool> {
    let row = Row {
        subject: subject.to_owned(),
        attempts: state.attempts,
        window_started_at: state.window_started_at,
        blocked_until: state.blocked_until,
    };
    let updated = diesel::update(login_attempts::table.find(subject))
        .set(&row)
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(login_attempts::table)
            .values(&row)
            .execute(conn)?;
    }
    Ok(updated == 0)
}

/// Decides on one attempt for `subject` at `now` and, when it may go on, reserves it.
///
/// Runs under the subject's claim (see [`crate::exclusive`]), so that concurrent attempts
/// for one subject are decided one after the other, each seeing the reservations and
/// failures of the others.
pub fn admit(
    conn: &mut DbConnection,
    policy: &ThrottlePolicy,
    subject: &str,
    now: NaiveDateTime,
) -> StoreResult<Admitted> {
    let claim = Claim::new(Rule::LoginAttempts, subject);
    exclusive(conn, &[claim], |conn| {
        let in_flight: i64 = login_reservations::table
            .filter(login_reservations::subject.eq(subject))
            .filter(login_reservations::reserved_at.ge(policy.reservations_expired_before(now)))
            .count()
            .get_result(conn)?;
        let previous = state_of(conn, subject)?;
        let in_flight = i32::try_from(in_flight).unwrap_or(i32::MAX);
        let (next, admission) = policy.admit(previous, in_flight, now);
        Ok(match admission {
            Admission::Allowed => {
                let id = crate::new_id();
                diesel::insert_into(login_reservations::table)
                    .values(&Reservation {
                        id: &id,
                        subject,
                        reserved_at: now,
                    })
                    .execute(conn)?;
                Admitted::Reserved(id)
            }
            Admission::Wait => Admitted::Wait,
            Admission::Blocked(until) => {
                if previous != Some(next) {
                    store(conn, subject, next)?;
                }
                Admitted::Blocked(until)
            }
        })
    })
}

/// The reserved attempt failed: it becomes a counted failure.
pub fn failed(
    conn: &mut DbConnection,
    policy: &ThrottlePolicy,
    subject: &str,
    reservation: &str,
    now: NaiveDateTime,
) -> StoreResult<()> {
    let claim = Claim::new(Rule::LoginAttempts, subject);
    let first = exclusive(conn, &[claim], |conn| {
        diesel::delete(login_reservations::table.find(reservation)).execute(conn)?;
        let previous = state_of(conn, subject)?;
        store(conn, subject, policy.failed(previous, now))
    })?;
    if first {
        forget_spent(conn, policy, now);
    }
    Ok(())
}

/// The reserved attempt succeeded: the subject's failures are forgotten with it.
pub fn succeeded(conn: &mut DbConnection, subject: &str, reservation: &str) -> StoreResult<()> {
    let claim = Claim::new(Rule::LoginAttempts, subject);
    exclusive(conn, &[claim], |conn| {
        diesel::delete(login_reservations::table.find(reservation)).execute(conn)?;
        clear(conn, subject)
    })
}

/// The reserved attempt was never made (what it would have checked changed meanwhile): the
/// reservation goes, and nothing is counted.
pub fn released(conn: &mut DbConnection, reservation: &str) -> StoreResult<()> {
    diesel::delete(login_reservations::table.find(reservation)).execute(conn)?;
    Ok(())
}

/// Forgets the failures of a subject after a success.
pub fn clear(conn: &mut DbConnection, subject: &str) -> StoreResult<()> {
    diesel::delete(login_attempts::table.find(subject)).execute(conn)?;
    Ok(())
}

/// Attempts for names that never log in (mistyped, or guessed by someone trying many) would
/// otherwise stay forever: each new record takes away the spent ones, and the reservations
/// left by servers that stopped mid-check. In statements of their own, after the attempt is
/// counted: they must not make the login fail.
fn forget_spent(conn: &mut DbConnection, policy: &ThrottlePolicy, now: NaiveDateTime) {
    let spent = diesel::delete(
        login_attempts::table
            .filter(login_attempts::window_started_at.lt(policy.spent_before(now))),
    )
    .execute(conn);
    let expired = diesel::delete(
        login_reservations::table
            .filter(login_reservations::reserved_at.lt(policy.reservations_expired_before(now))),
    )
    .execute(conn);
    if let Err(e) = spent.and(expired) {
        log::warn!("spent login attempts were not removed: {e}");
    }
}
