//! Storage of the legal aid management system.
//!
//! One code base over SQLite (embedded default) and PostgreSQL (production) through diesel's
//! `MultiConnection`. Repositories are plain functions over a [`DbConnection`]; every function
//! that writes takes the [`audit::Actor`] and records its change in the audit log inside the
//! same transaction, so that no write can happen without it.
//!
//! Rows are inserted with `treat_none_as_default_value = false`: no column has a default, and
//! an `INSERT` whose text does not depend on which fields are empty is prepared once per
//! connection on PostgreSQL instead of being parsed at every call.

pub mod account_cache;
pub mod accounts;
pub mod attachments;
pub mod audit;
pub mod blobs;
pub mod cases;
pub mod change_requests;
pub mod column;
pub mod contracts;
pub mod db;
pub mod error;
pub mod exclusive;
pub mod health;
pub mod in_force;
pub mod instant;
pub mod login_attempts;
pub mod organizations;
pub mod page;
pub mod portal;
pub mod provinces;
pub mod recipients;
pub mod review_requests;
pub mod schema;
pub mod staff;
pub mod statistics;
pub mod tree_cache;
pub mod versioned;
pub mod writer;

use diesel::expression::{is_aggregate, SelectableExpression, ValidGrouping};
use diesel::query_builder::QueryFragment;
use diesel::sql_types::{Bool, Text};
use diesel::{
    BoxableExpression, EscapeExpressionMethods, Expression, IntoSql, TextExpressionMethods,
};

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

diesel::infix_operator!(Glob, " GLOB ");

/// The condition that `column` contains `needle`, both folded by `tgpl_domain::text::fold`,
/// so that there is no case to ignore. SQLite's LIKE ignores ASCII case and reads an ESCAPE
/// clause, which makes it about three times slower than GLOB over the same rows; GLOB is
/// SQLite's own, and PostgreSQL's LIKE is already exact.
pub fn contains_folded<QS, C>(
    column: C,
    needle: &str,
    sqlite: bool,
) -> Box<dyn BoxableExpression<QS, db::Backend, SqlType = Bool>>
where
    C: Expression<SqlType = Text>
        + SelectableExpression<QS>
        + QueryFragment<db::Backend>
        + ValidGrouping<(), IsAggregate = is_aggregate::No>
        + Send
        + 'static,
{
    if sqlite {
        Box::new(Glob::new(column, glob_pattern(needle).into_sql::<Text>()))
    } else {
        Box::new(column.like(like_pattern(needle)).escape('\\'))
    }
}

/// `*needle*`, with GLOB's special characters taken literally.
pub(crate) fn glob_pattern(needle: &str) -> String {
    let mut out = String::with_capacity(needle.len() + 2);
    out.push('*');
    for c in needle.chars() {
        match c {
            '*' | '?' | '[' => {
                out.push('[');
                out.push(c);
                out.push(']');
            }
            _ => out.push(c),
        }
    }
    out.push('*');
    out
}

/// A `LIKE` pattern that finds `needle` anywhere, with `%`, `_` and `\` in it taken
/// literally (queries use `ESCAPE '\'`).
pub(crate) fn like_pattern(needle: &str) -> String {
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

#[cfg(test)]
mod tests {
    #[test]
    fn search_patterns_take_their_special_characters_literally() {
        assert_eq!(super::like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
        assert_eq!(super::glob_pattern("a*b?c[d]"), "*a[*]b[?]c[[]d]*");
    }
}
