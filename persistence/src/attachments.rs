//! Records of the documents of case files (the bytes are in a [`crate::blobs::BlobStore`]).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use tgpl_domain::audit::AuditAction;

use crate::audit::{self, Actor, Change};
use crate::db::{write_transaction, DbConnection};
use crate::error::{StoreError, StoreResult};
use crate::schema::attachments;

const RESOURCE: &str = "attachment";

#[derive(
    Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset, Serialize,
)]
#[diesel(table_name = attachments, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct AttachmentRow {
    pub id: String,
    pub case_id: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    #[serde(skip)]
    pub storage_key: String,
    pub uploaded_by: String,
    #[serde(serialize_with = "crate::instant::utc")]
    pub uploaded_at: NaiveDateTime,
    #[serde(serialize_with = "crate::instant::utc_opt")]
    pub deleted_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConnection, actor: &Actor, row: &AttachmentRow) -> StoreResult<()> {
    let action = AuditAction::AttachmentUpload;
    crate::insert_audited!(
        conn,
        actor,
        action,
        RESOURCE,
        attachments.id,
        row,
        Clone::clone
    )
}

/// An attachment that was not deleted.
pub fn get(conn: &mut DbConnection, id: &str) -> StoreResult<AttachmentRow> {
    attachments::table
        .find(id)
        .filter(attachments::deleted_at.is_null())
        .select(AttachmentRow::as_select())
        .first(conn)
        .map_err(StoreError::from)
}

pub fn of_case(conn: &mut DbConnection, case_id: &str) -> StoreResult<Vec<AttachmentRow>> {
    Ok(attachments::table
        .filter(attachments::case_id.eq(case_id))
        .filter(attachments::deleted_at.is_null())
        .order((attachments::uploaded_at.asc(), attachments::id.asc()))
        .select(AttachmentRow::as_select())
        .load(conn)?)
}

/// Marks an attachment deleted; the record and the bytes stay for the audit.
pub fn delete(conn: &mut DbConnection, actor: &Actor, before: &AttachmentRow) -> StoreResult<()> {
    write_transaction(conn, |conn| {
        let mut after = before.clone();
        after.deleted_at = Some(crate::now());
        // Deleted once: of deletions read at the same time, the first to write wins and the
        // others find it gone, as a read after it would.
        let deleted = diesel::update(
            attachments::table
                .find(&before.id)
                .filter(attachments::deleted_at.is_null()),
        )
        .set(&after)
        .execute(conn)?;
        if deleted == 0 {
            return Err(StoreError::NotFound);
        }
        audit::record(
            conn,
            actor,
            Change {
                action: AuditAction::AttachmentDelete,
                resource_type: RESOURCE,
                resource_id: &before.id,
                before: Some(before),
                after: Some(&after),
            },
        )
    })
}

/// What [`reconcile`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reconciled {
    /// Pending blobs whose record exists (a crash came between recording and confirming).
    pub confirmed: usize,
    /// Pending blobs that nothing records (a crash came before the record was written).
    pub removed: usize,
}

/// Makes the blob store agree with the records after a crash: every blob left pending for
/// at least `age` is confirmed when a record (deleted or not) names it, and removed
/// otherwise. Run at start-up; `age` spares uploads still under way on another server
/// sharing the store.
pub fn reconcile(
    conn: &mut DbConnection,
    store: &dyn crate::blobs::BlobStore,
    age: std::time::Duration,
) -> StoreResult<Reconciled> {
    let io = |e: std::io::Error| StoreError::Other(format!("attachment store: {e}"));
    let mut done = Reconciled::default();
    for key in store.pending(age).map_err(io)? {
        // Keys end in the attachment's id (the upload makes them so): found by primary key.
        let id = key.rsplit('/').next().unwrap_or_default();
        let recorded: i64 = attachments::table
            .filter(attachments::id.eq(id))
            .filter(attachments::storage_key.eq(&key))
            .count()
            .get_result(conn)?;
        if recorded > 0 {
            store.confirm(&key).map_err(io)?;
            done.confirmed += 1;
        } else {
            store.discard(&key).map_err(io)?;
            done.removed += 1;
        }
    }
    Ok(done)
}
