//! Requests from units to the Agency's data centre to change locked cases.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use tgpl_domain::audit::AuditAction;
use tgpl_domain::label::Vocabulary;

use crate::audit::{self, Actor, Change};
use crate::column::Code;
use crate::db::{write_transaction, Backend, DbConnection};
use crate::error::{StoreError, StoreResult};
use crate::page::{PageRequest, Paged};
use crate::schema::{change_request_items, change_requests};
use tgpl_domain::case::ChangeKind;
use tgpl_domain::change_request::ChangeRequestStatus;

const RESOURCE: &str = "change_request";

#[derive(
    Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset, Serialize,
)]
#[diesel(table_name = change_requests, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct RequestRow {
    pub id: String,
    pub organization_id: String,
    pub kind: Code<ChangeKind>,
    pub reason: String,
    pub status: Code<ChangeRequestStatus>,
    pub requested_by: String,
    #[serde(serialize_with = "crate::instant::utc")]
    pub requested_at: NaiveDateTime,
    pub decided_by: Option<String>,
    #[serde(serialize_with = "crate::instant::utc_opt")]
    pub decided_at: Option<NaiveDateTime>,
    pub decision_reason: Option<String>,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = change_request_items, treat_none_as_default_value = false)]
pub struct ItemRow {
    pub id: String,
    pub change_request_id: String,
    pub case_id: String,
    /// JSON of the proposed changes (edits only).
    pub proposed_changes: Option<String>,
    /// While the request is pending; a unique index allows one open item per case.
    pub open: bool,
}

#[derive(Serialize)]
struct Submitted<'a> {
    request: &'a RequestRow,
    items: &'a [ItemRow],
}

pub fn insert(
    conn: &mut DbConnection,
    actor: &Actor,
    request: &RequestRow,
    items: &[ItemRow],
) -> StoreResult<()> {
    write_transaction(conn, |conn| {
        diesel::insert_into(change_requests::table)
            .values(request)
            .execute(conn)?;
        for item in items {
            diesel::insert_into(change_request_items::table)
                .values(item)
                .execute(conn)?;
        }
        audit::record(
            conn,
            actor,
            Change::created(
                AuditAction::ChangeRequestCreate,
                RESOURCE,
                &request.id,
                &Submitted { request, items },
            ),
        )
    })
}

pub fn get(conn: &mut DbConnection, id: &str) -> StoreResult<(RequestRow, Vec<ItemRow>)> {
    let request = change_requests::table
        .find(id)
        .select(RequestRow::as_select())
        .first(conn)
        .map_err(StoreError::from)?;
    let items = items_of(conn, &[id.to_owned()])?;
    Ok((request, items))
}

pub fn items_of(conn: &mut DbConnection, request_ids: &[String]) -> StoreResult<Vec<ItemRow>> {
    if request_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(change_request_items::table
        .filter(change_request_items::change_request_id.eq_any(request_ids))
        .order(change_request_items::id.asc())
        .select(ItemRow::as_select())
        .load(conn)?)
}

/// Whether a pending request already concerns the case.
pub fn pending_for_case(conn: &mut DbConnection, case_id: &str) -> StoreResult<bool> {
    let n: i64 = change_request_items::table
        .inner_join(change_requests::table)
        .filter(change_request_items::case_id.eq(case_id))
        .filter(change_requests::status.eq(ChangeRequestStatus::Pending.code()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Records the decision, and frees the cases for other requests; the caller applies an
/// approval's changes in the same transaction.
pub fn decide(
    conn: &mut DbConnection,
    actor: &Actor,
    before: &RequestRow,
    after: &RequestRow,
) -> StoreResult<()> {
    let action = if *after.status == ChangeRequestStatus::Approved {
        AuditAction::ChangeRequestApprove
    } else {
        AuditAction::ChangeRequestReject
    };
    write_transaction(conn, |conn| {
        diesel::update(
            change_request_items::table
                .filter(change_request_items::change_request_id.eq(&before.id)),
        )
        .set(change_request_items::open.eq(false))
        .execute(conn)?;
        crate::save_versioned!(
            conn,
            actor,
            action,
            RESOURCE,
            change_requests.id,
            before,
            after,
            |r: &RequestRow| r.clone()
        )
    })
}

#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    pub organizations: Option<Vec<String>>,
    /// Only the requests this username asked for (a contracted lawyer's, who asks only
    /// about the cases they perform).
    pub requested_by: Option<String>,
    pub status: Option<String>,
    pub kind: Option<String>,
}

fn filtered(f: &RequestFilter) -> change_requests::BoxedQuery<'static, Backend> {
    let mut q = change_requests::table.into_boxed::<Backend>();
    if let Some(ids) = &f.organizations {
        q = q.filter(change_requests::organization_id.eq_any(ids.clone()));
    }
    if let Some(v) = &f.status {
        q = q.filter(change_requests::status.eq(v.clone()));
    }
    if let Some(v) = &f.requested_by {
        q = q.filter(change_requests::requested_by.eq(v.clone()));
    }
    if let Some(v) = &f.kind {
        q = q.filter(change_requests::kind.eq(v.clone()));
    }
    q
}

/// Oldest first: the data centre's queue is worked in order of arrival.
pub fn list(
    conn: &mut DbConnection,
    filter: &RequestFilter,
    page: PageRequest,
) -> StoreResult<Paged<RequestRow>> {
    let items = filtered(filter)
        .order((
            change_requests::requested_at.asc(),
            change_requests::id.asc(),
        ))
        .limit(page.limit())
        .offset(page.offset())
        .select(RequestRow::as_select())
        .load(conn)?;
    Ok(Paged::counted(items, page, || {
        filtered(filter).count().get_result(conn)
    })?)
}

/// A change request changes once, when decided; its decision time is `decided_at`.
impl crate::versioned::Versioned for RequestRow {
    fn version(&self) -> i64 {
        self.version
    }

    fn revise(&mut self) {
        self.version += 1;
    }
}
