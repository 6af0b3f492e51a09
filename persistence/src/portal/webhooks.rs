//! The portal's callback endpoints and the outbox of deliveries to them.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use tgpl_domain::audit::AuditAction;

use crate::audit::{self, Actor, Change};
use crate::db::{write_transaction, DbConnection};
use crate::error::{StoreError, StoreResult};
use crate::schema::{webhook_deliveries, webhook_endpoints};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_endpoints, treat_none_as_default_value = false)]
pub struct EndpointRow {
    pub id: String,
    pub url: String,
    /// The shared secret of the signatures: kept as given, since signing needs it.
    pub secret: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub created_by: String,
    pub deactivated_at: Option<NaiveDateTime>,
}

/// Registers an endpoint; audited with its address (never its secret).
pub fn insert_endpoint(
    conn: &mut DbConnection,
    actor: &Actor,
    row: &EndpointRow,
) -> StoreResult<()> {
    write_transaction(conn, |conn| {
        diesel::insert_into(webhook_endpoints::table)
            .values(row)
            .execute(conn)?;
        let image = serde_json::json!({ "url": row.url });
        audit::record(
            conn,
            actor,
            Change::created(AuditAction::WebhookRegister, "webhook", &row.id, &image),
        )
    })
}

pub fn endpoints(conn: &mut DbConnection) -> StoreResult<Vec<EndpointRow>> {
    Ok(webhook_endpoints::table
        .order((webhook_endpoints::created_at, webhook_endpoints::id))
        .select(EndpointRow::as_select())
        .load(conn)?)
}

pub fn endpoint(conn: &mut DbConnection, id: &str) -> StoreResult<EndpointRow> {
    Ok(webhook_endpoints::table
        .find(id)
        .select(EndpointRow::as_select())
        .first(conn)?)
}

/// The ids of the endpoints that get new entries.
pub fn active_endpoints(conn: &mut DbConnection) -> StoreResult<Vec<String>> {
    Ok(crate::on_engine!(conn, |c| webhook_endpoints::table
        .filter(webhook_endpoints::active.eq(true))
        .select(webhook_endpoints::id)
        .load(c))?)
}

/// Stops deliveries to `id`, audited; what was queued for it is not delivered.
pub fn deactivate_endpoint(conn: &mut DbConnection, actor: &Actor, id: &str) -> StoreResult<()> {
    write_transaction(conn, |conn| {
        let updated = diesel::update(webhook_endpoints::table.find(id))
            .set((
                webhook_endpoints::active.eq(false),
                webhook_endpoints::deactivated_at.eq(Some(crate::now())),
            ))
            .execute(conn)?;
        audited_update(
            conn,
            actor,
            updated,
            AuditAction::WebhookDeactivate,
            "webhook",
            id,
        )
    })
}

#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Serialize)]
#[diesel(table_name = webhook_deliveries)]
pub struct DeliveryRow {
    pub id: String,
    pub endpoint_id: String,
    pub dossier_id: String,
    pub position: i64,
    pub payload: String,
    #[serde(serialize_with = "crate::instant::utc_opt")]
    pub delivered_at: Option<NaiveDateTime>,
    pub attempts: i32,
    #[serde(serialize_with = "crate::instant::utc")]
    pub next_attempt_at: NaiveDateTime,
    #[serde(serialize_with = "crate::instant::utc_opt")]
    pub last_attempt_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    #[serde(serialize_with = "crate::instant::utc")]
    pub created_at: NaiveDateTime,
}

/// The deliveries to make now, at most one per endpoint and dossier: the earliest entry
/// not yet delivered, when it is due; a later entry of the same dossier waits behind it,
/// so that each dossier's entries arrive in order. Read through the index of what is due
/// and the index of each dossier's deliveries, however many wait behind a receiver that is
/// down.
pub fn due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    limit: usize,
) -> StoreResult<Vec<DeliveryRow>> {
    let p = crate::db::placeholder(conn);
    let query = format!(
        "SELECT d.id, d.endpoint_id, d.dossier_id, d.position, d.payload, d.delivered_at, \
                d.attempts, d.next_attempt_at, d.last_attempt_at, d.last_error, d.created_at \
         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id \
         WHERE e.active AND d.delivered_at IS NULL AND d.next_attempt_at <= {p}1 \
           AND NOT EXISTS (SELECT 1 FROM webhook_deliveries b \
                           WHERE b.endpoint_id = d.endpoint_id AND b.dossier_id = d.dossier_id \
                             AND b.delivered_at IS NULL AND b.position < d.position) \
         ORDER BY d.position LIMIT {p}2"
    );
    Ok(diesel::sql_query(query)
        .bind::<diesel::sql_types::Timestamp, _>(now)
        .bind::<diesel::sql_types::BigInt, _>(i64::try_from(limit).unwrap_or(i64::MAX))
        .load(conn)?)
}

/// Claims a due delivery for one attempt: it is due again only at `lease_until`, should the
/// instance that claimed it stop before recording the outcome. Answers whether the claim was
/// taken: another instance of the server over the same database, or an older read of this
/// one, finds the delivery no longer due and leaves it, so that a receiver that answers is
/// sent each delivery once.
pub fn claim(
    conn: &mut DbConnection,
    id: &str,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
) -> StoreResult<bool> {
    let claimed = diesel::update(
        webhook_deliveries::table
            .find(id)
            .filter(webhook_deliveries::delivered_at.is_null())
            .filter(webhook_deliveries::next_attempt_at.le(now)),
    )
    .set(webhook_deliveries::next_attempt_at.eq(lease_until))
    .execute(conn)?;
    Ok(claimed == 1)
}

/// Records a delivery acknowledged.
pub fn delivered(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> StoreResult<()> {
    diesel::update(webhook_deliveries::table.find(id))
        .set((
            webhook_deliveries::delivered_at.eq(Some(at)),
            webhook_deliveries::last_attempt_at.eq(Some(at)),
            webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records a failed attempt, and when to try again.
pub fn failed(
    conn: &mut DbConnection,
    id: &str,
    at: NaiveDateTime,
    error: &str,
    retry_at: NaiveDateTime,
) -> StoreResult<()> {
    diesel::update(webhook_deliveries::table.find(id))
        .set((
            webhook_deliveries::last_attempt_at.eq(Some(at)),
            webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1),
            webhook_deliveries::last_error.eq(Some(error)),
            webhook_deliveries::next_attempt_at.eq(retry_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Deliveries to active endpoints not acknowledged yet that failed at least once, oldest
/// entry first.
pub fn failing(conn: &mut DbConnection, limit: i64) -> StoreResult<Vec<DeliveryRow>> {
    Ok(webhook_deliveries::table
        .inner_join(webhook_endpoints::table)
        .filter(webhook_endpoints::active.eq(true))
        .filter(webhook_deliveries::delivered_at.is_null())
        .filter(webhook_deliveries::attempts.gt(0))
        .order(webhook_deliveries::position)
        .limit(limit)
        .select(DeliveryRow::as_select())
        .load(conn)?)
}

pub fn delivery(conn: &mut DbConnection, id: &str) -> StoreResult<DeliveryRow> {
    Ok(webhook_deliveries::table
        .find(id)
        .select(DeliveryRow::as_select())
        .first(conn)?)
}

/// Makes a delivery due now: a manual redelivery. An acknowledged one is sent again as a
/// new attempt too (the portal asked for it again). Audited.
pub fn redeliver(conn: &mut DbConnection, actor: &Actor, id: &str) -> StoreResult<()> {
    write_transaction(conn, |conn| {
        let updated = diesel::update(webhook_deliveries::table.find(id))
            .set((
                webhook_deliveries::delivered_at.eq(None::<NaiveDateTime>),
                webhook_deliveries::next_attempt_at.eq(crate::now()),
            ))
            .execute(conn)?;
        audited_update(
            conn,
            actor,
            updated,
            AuditAction::WebhookRedeliver,
            "webhook_delivery",
            id,
        )
    })
}

/// Ends an update of the one row `id` of `resource`: [`StoreError::NotFound`] when it
/// changed no row (`updated`), else its audit entry as `action`.
fn audited_update(
    conn: &mut DbConnection,
    actor: &Actor,
    updated: usize,
    action: AuditAction,
    resource: &'static str,
    id: &str,
) -> StoreResult<()> {
    if updated == 0 {
        return Err(StoreError::NotFound);
    }
    audit::record(conn, actor, Change::created(action, resource, id, &()))
}

/// How many deliveries not acknowledged each (endpoint, dossier) of `dossier_ids` has.
pub fn undelivered_counts(
    conn: &mut DbConnection,
    dossier_ids: &[String],
) -> StoreResult<std::collections::HashMap<(String, String), i64>> {
    let rows: Vec<(String, String, i64)> = webhook_deliveries::table
        .filter(webhook_deliveries::delivered_at.is_null())
        .filter(webhook_deliveries::dossier_id.eq_any(dossier_ids))
        .group_by((
            webhook_deliveries::endpoint_id,
            webhook_deliveries::dossier_id,
        ))
        .select((
            webhook_deliveries::endpoint_id,
            webhook_deliveries::dossier_id,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(|(e, d, n)| ((e, d), n)).collect())
}
