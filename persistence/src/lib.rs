//! Storage of the legal aid management system.
//!
//! One code base over SQLite (embedded default) and PostgreSQL (production) through diesel's
//! `MultiConnection`. Repositories are plain functions over a [`DbConnection`]; every function
//! that writes takes the [`audit::Actor`] and records its change in the audit log inside the
//! same transaction, so that no write can happen without it.

pub mod accounts;
pub mod attachments;
pub mod audit;
pub mod blobs;
pub mod cases;
pub mod change_requests;
pub mod contracts;
pub mod db;
pub mod error;
pub mod login_attempts;
pub mod organizations;
pub mod page;
pub mod provinces;
pub mod recipients;
pub mod review_requests;
pub mod schema;
pub mod staff;
mod versioned;
pub mod writer;

pub use db::{DatabaseUrl, DbConnection, Pool, PoolSettings};
pub use error::StoreError;

/// The current instant in UTC, at the microsecond precision both engines keep, so that a
/// value written and read back compares equal.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::SubsecRound;
    chrono::Utc::now().naive_utc().trunc_subsecs(6)
}

/// A fresh identifier: UUID v7, time-ordered so that inserts stay local in indexes.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A `LIKE` pattern that finds `needle` anywhere, with `%`, `_` and `\` in it taken
/// literally (queries use `ESCAPE '\'`).
pub fn like_pattern(needle: &str) -> String {
    let mut out = String::with_capacity(needle.len() + 2);
    out.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// diesel's error type, for callers that run their own transactions with
/// [`db::write_transaction`].
pub use diesel::result as diesel_error;
