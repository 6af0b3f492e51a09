//! What the ranking of provinces reads of the cases (`tgpl_domain::statistics::quality_ranking`):
//! per organization, in one pass each, the cases accepted in a range of days with the days
//! from acceptance to entry and the required facts they miss, and the cases closed in the
//! range with the days from closing to its recording. Summed in SQL: the ranking covers every
//! case of a year in the country.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Text};
use tgpl_domain::case::CaseState;
use tgpl_domain::label::Vocabulary;
use tgpl_domain::reference::AidForm;

use crate::db::{placeholder, DbConnection};
use crate::error::StoreResult;

/// One organization's cases accepted in the range.
#[derive(Debug, Clone, QueryableByName)]
pub struct AcceptedCases {
    #[diesel(sql_type = Text)]
    pub organization_id: String,
    #[diesel(sql_type = BigInt)]
    pub cases: i64,
    /// Days from acceptance to the day (Viet Nam) the case was entered, summed; a case
    /// entered before its acceptance counts 0.
    #[diesel(sql_type = BigInt)]
    pub entry_delay_days: i64,
    /// Concluded litigation cases without their outcome, and cases without a provider after
    /// the grace days.
    #[diesel(sql_type = BigInt)]
    pub missing_facts: i64,
}

/// One organization's closing steps in the range.
#[derive(Debug, Clone, QueryableByName)]
pub struct ClosedCases {
    #[diesel(sql_type = Text)]
    pub organization_id: String,
    #[diesel(sql_type = BigInt)]
    pub cases: i64,
    /// Days from the closing day to the day (Viet Nam) it was recorded, summed.
    #[diesel(sql_type = BigInt)]
    pub closing_delay_days: i64,
}

/// The SQL of the whole days from the date column `day` to the Viet Nam date of the instant
/// column `at` (0 when `at` comes first).
fn days_after(conn: &DbConnection, at: &str, day: &str) -> String {
    let hours = tgpl_domain::time::vietnam_offset().local_minus_utc() / 3600;
    match conn {
        DbConnection::Sqlite(_) => format!(
            "CAST(MAX(0, julianday(date({at}, '+{hours} hours')) - julianday({day})) AS INTEGER)"
        ),
        DbConnection::Pg(_) => {
            format!("GREATEST(0, ({at} + interval '{hours} hours')::date - {day})")
        }
    }
}

fn quoted(codes: impl IntoIterator<Item = &'static str>) -> String {
    codes
        .into_iter()
        .map(|c| format!("'{c}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Per organization, the cases (deleted ones aside) accepted from `from` to `to`; a case
/// accepted on or before `provider_due` without a provider misses one.
pub fn accepted_cases(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
    provider_due: NaiveDate,
) -> StoreResult<Vec<AcceptedCases>> {
    // Codes are the system's own vocabulary, never input.
    let concluded = quoted(CaseState::CONCLUDED.iter().map(|s| s.code()));
    let litigation = AidForm::Litigation.code();
    let days = days_after(conn, "c.created_at", "c.accepted_on");
    let p = placeholder(conn);
    let sql = format!(
        "SELECT c.organization_id AS organization_id, COUNT(*) AS cases, \
         CAST(COALESCE(SUM({days}), 0) AS BIGINT) AS entry_delay_days, \
         CAST(COALESCE(SUM(CASE \
             WHEN c.form = '{litigation}' AND c.state IN ({concluded}) \
                  AND (c.defence_accepted IS NULL OR c.outcome_on IS NULL) THEN 1 \
             WHEN c.provider_id IS NULL AND c.accepted_on <= {p}3 THEN 1 \
             ELSE 0 END), 0) AS BIGINT) AS missing_facts \
         FROM cases c \
         WHERE c.deleted_at IS NULL AND c.accepted_on BETWEEN {p}1 AND {p}2 \
         GROUP BY c.organization_id"
    );
    let query = diesel::sql_query(sql)
        .bind::<Date, _>(from)
        .bind::<Date, _>(to)
        .bind::<Date, _>(provider_due);
    Ok(crate::on_engine!(conn, |c| query.load(c))?)
}

/// Per organization, the cases (deleted ones aside) closed after acceptance from `from` to
/// `to`, with the days from closing to the day (Viet Nam) it was recorded.
pub fn closed_cases(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<ClosedCases>> {
    let days = days_after(conn, "c.closed_recorded_at", "c.closed_on");
    let p = placeholder(conn);
    let sql = format!(
        "SELECT c.organization_id AS organization_id, COUNT(*) AS cases, \
         CAST(COALESCE(SUM({days}), 0) AS BIGINT) AS closing_delay_days \
         FROM cases c \
         WHERE c.closed_on BETWEEN {p}1 AND {p}2 AND c.accepted_on IS NOT NULL \
           AND c.closed_recorded_at IS NOT NULL AND c.deleted_at IS NULL \
         GROUP BY c.organization_id"
    );
    let query = diesel::sql_query(sql)
        .bind::<Date, _>(from)
        .bind::<Date, _>(to);
    Ok(crate::on_engine!(conn, |c| query.load(c))?)
}

/// What the ranking needs of every organization.
#[derive(Debug, Clone, Queryable)]
pub struct Unit {
    pub id: String,
    pub kind: crate::column::Code<tgpl_domain::organization::OrganizationKind>,
    pub province_code: Option<String>,
    pub deactivated_on: Option<NaiveDate>,
}

/// Every organization, as the ranking reads it.
pub fn units(conn: &mut DbConnection) -> StoreResult<Vec<Unit>> {
    use crate::schema::organizations as o;
    Ok(o::table
        .select((o::id, o::kind, o::province_code, o::deactivated_on))
        .load(conn)?)
}
