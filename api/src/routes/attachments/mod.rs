//! Documents of a case file: upload, list, download, delete while allowed. The bytes live
//! in the attachment store, outside the database; their kind is recognised from their
//! content; an archived case takes no more files.
//!
//! - [`uploading`]: a document arrives, is recognised by its content and kept.
//! - [`files`]: the documents of a case: listed, downloaded, deleted while allowed.
//! - here: what they answer with and the cases they need.

mod files;
mod uploading;

pub use files::{download, list_for_case, remove};
pub use uploading::{upload, UploadQuery};

use std::io::Read;

use actix_web::body::SizedStream;
use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tgpl_domain::access::Action;
use tgpl_domain::attachment::Recogniser;
use tgpl_persistence::attachments::{self, AttachmentRow};
use tgpl_persistence::blobs::Blob;
use tgpl_persistence::cases::CaseRow;
use tgpl_persistence::db::write_transaction;
use tgpl_persistence::DbConnection;
use utoipa::{IntoParams, ToSchema};

use super::account_common::utc;
use super::cases::{load, locked};
use crate::auth::Caller;
use crate::http::error::ApiError;
use crate::http::extract::Query;
use crate::http::lang::Text;
use crate::scope;
use crate::state::AppState;

type Problem = crate::http::error::Problem;

#[derive(Serialize, ToSchema)]
pub struct AttachmentView {
    pub id: String,
    pub case_id: String,
    pub file_name: String,
    /// Recognised from the content.
    pub content_type: String,
    pub size_bytes: i64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: DateTime<Utc>,
}

impl From<AttachmentRow> for AttachmentView {
    fn from(a: AttachmentRow) -> Self {
        Self {
            id: a.id,
            case_id: a.case_id,
            file_name: a.file_name,
            content_type: a.content_type,
            size_bytes: a.size_bytes,
            sha256: a.sha256,
            uploaded_by: a.uploaded_by,
            uploaded_at: utc(a.uploaded_at),
        }
    }
}

fn archived() -> ApiError {
    ApiError::conflict(
        "case_archived",
        Text::new(
            "Hồ sơ đã lưu không nhận thêm tài liệu; hãy đề nghị gỡ trạng thái lưu hồ sơ (/api/v1/change-requests).",
            "An archived case file takes no more documents; ask to take it out of the archive (/api/v1/change-requests).",
        ),
    )
}

/// Loads a case whose documents the caller may read: case files hold the aided person's
/// documents, so only those who may see the person's data read them (oversight roles see
/// the case, not its file).
fn readable_case(conn: &mut DbConnection, caller: &Caller, id: &str) -> Result<CaseRow, ApiError> {
    let case = load(conn, caller, id, Action::ReadCase)?;
    scope::check_read(conn, caller, Action::ReadRecipient, &case.organization_id)?;
    Ok(case)
}

/// Loads a case that takes attachments, for the caller.
fn open_case(conn: &mut DbConnection, caller: &Caller, id: &str) -> Result<CaseRow, ApiError> {
    let case = load(conn, caller, id, Action::ManageCase)?;
    if !case.state.takes_attachments() {
        return Err(archived());
    }
    Ok(case)
}
