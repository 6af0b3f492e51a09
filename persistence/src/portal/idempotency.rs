//! The first answer to a request that a client may send again (a dossier by its code, any
//! other `POST` of the portal by its `Idempotency-Key`).
//!
//! A request claims its key by inserting it, in the transaction of the work it does, and
//! writes its answer there before committing. A second request with the key inserts nothing:
//! on PostgreSQL its insert waits until the first commits (then finds its answer) or rolls
//! back (then claims the key itself), so two requests sent at once do the work once.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::error::StoreResult;
use crate::schema::idempotent_requests as table;

/// An answer as it was given: status code, `Location` and JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

/// What claiming a key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// Nobody had it: do the work and [`answer`] it.
    New,
    /// The same request was answered before.
    Replay(Answer),
    /// The key was used for a request with other content.
    Conflict,
}

/// Claims `key` of `client_id` for a request whose content hashes to `request_hash`.
pub fn claim(
    conn: &mut DbConnection,
    client_id: &str,
    key: &str,
    request_hash: &str,
) -> StoreResult<Claim> {
    let inserted = crate::on_engine!(&mut *conn, |c| diesel::insert_into(table::table)
        .values((
            table::client_id.eq(client_id),
            table::idempotency_key.eq(key),
            table::request_hash.eq(request_hash),
            table::status.eq(0),
            table::location.eq(None::<String>),
            table::body.eq(""),
            table::created_at.eq(crate::now()),
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    if inserted == 1 {
        return Ok(Claim::New);
    }
    let (hash, status, location, body): (String, i32, Option<String>, String) = table::table
        .find((client_id, key))
        .select((
            table::request_hash,
            table::status,
            table::location,
            table::body,
        ))
        .first(conn)?;
    if hash != request_hash {
        return Ok(Claim::Conflict);
    }
    Ok(Claim::Replay(Answer {
        status: u16::try_from(status).unwrap_or(500),
        location,
        body,
    }))
}

/// Keeps the answer of the request that claimed `key`.
pub fn answer(
    conn: &mut DbConnection,
    client_id: &str,
    key: &str,
    answer: &Answer,
) -> StoreResult<()> {
    diesel::update(table::table.find((client_id, key)))
        .set((
            table::status.eq(i32::from(answer.status)),
            table::location.eq(answer.location.as_deref()),
            table::body.eq(&answer.body),
        ))
        .execute(conn)?;
    Ok(())
}
