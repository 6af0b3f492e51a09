//! Progress entries and the feed that numbers them.
//!
//! An entry's position is taken from the one row of `dossier_feed_head`, by the last
//! statement of the transaction that writes the entry. That row stays locked until the
//! transaction ends, so transactions take positions in the order they commit: a reader that
//! sees position n sees every position before it, and a cursor never skips an entry that
//! commits late. On SQLite, writes are serial anyway.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use tgpl_domain::portal::dossier::{DossierStatus, DossierStep};

use crate::column::Code;
use crate::db::DbConnection;
use crate::error::StoreResult;
use crate::schema::{dossier_feed_head, dossier_progress, webhook_deliveries};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = dossier_progress, treat_none_as_default_value = false)]
pub struct ProgressRow {
    /// The entry's place in the feed: increasing, without gaps.
    pub position: i64,
    pub dossier_id: String,
    pub step: Code<DossierStep>,
    /// The status after the step.
    pub status: Code<DossierStatus>,
    pub note: Option<String>,
    /// The promised date after the step.
    pub due_on: NaiveDate,
    pub actor_username: String,
    pub actor_organization_id: Option<String>,
    #[serde(serialize_with = "crate::instant::utc")]
    pub occurred_at: NaiveDateTime,
    /// The status in the portal's codes as they were when the entry was written: the feed
    /// and its callbacks keep saying what they said.
    pub portal_status: String,
}

/// Appends `entry` (its position is assigned here) and, for each callback endpoint in
/// `endpoints`, the delivery of `payload(entry)` to the outbox. Call it last in the
/// transaction of the change it records.
pub fn append(
    conn: &mut DbConnection,
    mut entry: ProgressRow,
    endpoints: &[String],
    payload: impl Fn(&ProgressRow) -> String,
) -> StoreResult<ProgressRow> {
    let position: i64 = crate::on_engine!(&mut *conn, |c| diesel::update(
        dossier_feed_head::table.find(1)
    )
    .set(dossier_feed_head::position.eq(dossier_feed_head::position + 1))
    .returning(dossier_feed_head::position)
    .get_result(c))?;
    entry.position = position;
    crate::on_engine!(&mut *conn, |c| diesel::insert_into(dossier_progress::table)
        .values(&entry)
        .execute(c))?;
    if !endpoints.is_empty() {
        let body = payload(&entry);
        let now = crate::now();
        for endpoint in endpoints {
            crate::on_engine!(&mut *conn, |c| diesel::insert_into(
                webhook_deliveries::table
            )
            .values((
                webhook_deliveries::id.eq(crate::new_id()),
                webhook_deliveries::endpoint_id.eq(endpoint),
                webhook_deliveries::dossier_id.eq(&entry.dossier_id),
                webhook_deliveries::position.eq(position),
                webhook_deliveries::payload.eq(&body),
                webhook_deliveries::delivered_at.eq(None::<NaiveDateTime>),
                webhook_deliveries::attempts.eq(0),
                webhook_deliveries::next_attempt_at.eq(now),
                webhook_deliveries::last_attempt_at.eq(None::<NaiveDateTime>),
                webhook_deliveries::last_error.eq(None::<String>),
                webhook_deliveries::created_at.eq(now),
            ))
            .execute(c))?;
        }
    }
    Ok(entry)
}

/// Up to `limit` entries after `position`, in order.
pub fn after(conn: &mut DbConnection, position: i64, limit: i64) -> StoreResult<Vec<ProgressRow>> {
    Ok(dossier_progress::table
        .filter(dossier_progress::position.gt(position))
        .order(dossier_progress::position)
        .limit(limit)
        .select(ProgressRow::as_select())
        .load(conn)?)
}

/// A dossier's entries, in order.
pub fn of_dossier(conn: &mut DbConnection, dossier_id: &str) -> StoreResult<Vec<ProgressRow>> {
    Ok(dossier_progress::table
        .filter(dossier_progress::dossier_id.eq(dossier_id))
        .order(dossier_progress::position)
        .select(ProgressRow::as_select())
        .load(conn)?)
}
