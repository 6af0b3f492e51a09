//! Requests for review (kiến nghị).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use tgpl_domain::audit::AuditAction;

use crate::audit::Actor;
use crate::column::Code;
use crate::db::{Backend, DbConnection};
use crate::error::{StoreError, StoreResult};
use crate::page::{PageRequest, Paged};
use crate::schema::review_requests;
use tgpl_domain::case::{ReviewKind, ReviewState};

const RESOURCE: &str = "review_request";

#[derive(
    Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset, Serialize,
)]
#[diesel(table_name = review_requests, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct ReviewRow {
    pub id: String,
    pub organization_id: String,
    pub kind: Code<ReviewKind>,
    pub addressee: String,
    pub content: String,
    pub case_id: Option<String>,
    pub state: Code<ReviewState>,
    pub sent_on: Option<NaiveDate>,
    pub answered_on: Option<NaiveDate>,
    pub answer: Option<String>,
    #[serde(skip)]
    pub search_text: String,
    #[serde(serialize_with = "crate::instant::utc_opt")]
    pub deleted_at: Option<NaiveDateTime>,
    pub version: i64,
    #[serde(serialize_with = "crate::instant::utc")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::instant::utc")]
    pub updated_at: NaiveDateTime,
}

crate::versioned::versioned_rows!(ReviewRow);

impl ReviewRow {
    /// A new draft of `organization_id`, at version 1.
    pub fn draft(
        organization_id: String,
        kind: ReviewKind,
        addressee: String,
        content: String,
        case_id: Option<String>,
    ) -> Self {
        let now = crate::now();
        let mut row = Self {
            id: crate::new_id(),
            organization_id,
            kind: Code(kind),
            addressee,
            content,
            case_id,
            state: Code(ReviewState::Draft),
            sent_on: None,
            answered_on: None,
            answer: None,
            search_text: String::new(),
            deleted_at: None,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        row.index_text();
        row
    }

    /// Folds the addressee and the content into the text that searches match.
    pub fn index_text(&mut self) {
        self.search_text = tgpl_domain::text::fold(&format!("{} {}", self.addressee, self.content));
    }
}

pub fn insert(conn: &mut DbConnection, actor: &Actor, row: &ReviewRow) -> StoreResult<()> {
    let action = AuditAction::ReviewCreate;
    crate::insert_audited!(
        conn,
        actor,
        action,
        RESOURCE,
        review_requests.id,
        row,
        Clone::clone
    )
}

/// A request that exists and was not deleted.
pub fn get(conn: &mut DbConnection, id: &str) -> StoreResult<ReviewRow> {
    review_requests::table
        .find(id)
        .filter(review_requests::deleted_at.is_null())
        .select(ReviewRow::as_select())
        .first(conn)
        .map_err(StoreError::from)
}

pub fn save(
    conn: &mut DbConnection,
    actor: &Actor,
    action: AuditAction,
    before: &ReviewRow,
    after: &ReviewRow,
) -> StoreResult<()> {
    crate::save_versioned!(
        conn,
        actor,
        action,
        RESOURCE,
        review_requests.id,
        before,
        after,
        |r: &ReviewRow| r.clone()
    )
}

#[derive(Debug, Clone, Default)]
pub struct ReviewFilter {
    pub organizations: Option<Vec<String>>,
    /// The caller's scope within those organizations: only the requests about a case this
    /// staff record performs (a contracted lawyer's, `tgpl_domain::case::performs_only`).
    pub performed_by: Option<String>,
    pub kind: Option<String>,
    pub state: Option<String>,
    pub case_id: Option<String>,
    pub sent_from: Option<NaiveDate>,
    pub sent_to: Option<NaiveDate>,
    /// Already folded with `tgpl_domain::text::fold`.
    pub search: Option<String>,
}

fn filtered(f: &ReviewFilter, sqlite: bool) -> review_requests::BoxedQuery<'static, Backend> {
    let mut q = review_requests::table
        .filter(review_requests::deleted_at.is_null())
        .into_boxed::<Backend>();
    if let Some(ids) = &f.organizations {
        q = q.filter(review_requests::organization_id.eq_any(ids.clone()));
    }
    if let Some(v) = &f.kind {
        q = q.filter(review_requests::kind.eq(v.clone()));
    }
    if let Some(v) = &f.state {
        q = q.filter(review_requests::state.eq(v.clone()));
    }
    if let Some(v) = &f.case_id {
        q = q.filter(review_requests::case_id.eq(v.clone()));
    }
    if let Some(v) = &f.performed_by {
        use crate::schema::cases;
        let performed = cases::table
            .filter(cases::provider_id.eq(v.clone()))
            .select(cases::id.nullable());
        q = q.filter(review_requests::case_id.eq_any(performed));
    }
    if let Some(v) = f.sent_from {
        q = q.filter(review_requests::sent_on.ge(v));
    }
    if let Some(v) = f.sent_to {
        q = q.filter(review_requests::sent_on.le(v));
    }
    if let Some(v) = &f.search {
        q = q.filter(crate::contains_folded(
            review_requests::search_text,
            v,
            sqlite,
        ));
    }
    q
}

/// Newest first.
pub fn list(
    conn: &mut DbConnection,
    filter: &ReviewFilter,
    page: PageRequest,
) -> StoreResult<Paged<ReviewRow>> {
    let sqlite = crate::db::is_sqlite(conn);
    let items = filtered(filter, sqlite)
        .order((
            review_requests::created_at.desc(),
            review_requests::id.desc(),
        ))
        .limit(page.limit())
        .offset(page.offset())
        .select(ReviewRow::as_select())
        .load(conn)?;
    Ok(Paged::counted(items, page, || {
        filtered(filter, sqlite).count().get_result(conn)
    })?)
}
