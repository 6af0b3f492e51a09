//! Documents of a case file: upload, list, download, delete while allowed. The bytes live
//! in the attachment store, outside the database; their kind is recognised from their
//! content; an archived case takes no more files.

use std::io::Read;

use actix_web::body::SizedStream;
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tgpl_domain::access::Action;
use tgpl_domain::attachment::{FileError, Recogniser};
use tgpl_domain::case::CaseState;
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
    let state: CaseState = case
        .state
        .parse()
        .map_err(ApiError::logged("stored state unreadable"))?;
    if !state.takes_attachments() {
        return Err(archived());
    }
    Ok(case)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The document's file name, with its extension (e.g. `bien-ban.pdf`).
    pub file_name: String,
}

fn file_error(e: FileError) -> ApiError {
    let (code, vi, en) = match e {
        FileError::Empty => ("empty_file", "Tệp rỗng.", "The file is empty."),
        FileError::NotAccepted => (
            "unsupported_attachment_type",
            "Chỉ nhận PDF, PNG, JPEG, Word (.doc, .docx) và Excel (.xls, .xlsx).",
            "Only PDF, PNG, JPEG, Word (.doc, .docx) and Excel (.xls, .xlsx) are accepted.",
        ),
        FileError::NameDisagrees => (
            "file_name_disagrees",
            "Đuôi tên tệp không khớp với nội dung tệp.",
            "The file name's extension does not match the content.",
        ),
    };
    let mut error = ApiError::field("file", code, vi, en);
    if e == FileError::NotAccepted {
        error.status = StatusCode::UNSUPPORTED_MEDIA_TYPE;
        error.code = "unsupported_attachment_type";
    }
    error
}

fn too_large(limit: usize) -> ApiError {
    let mut e = ApiError::from_status(StatusCode::PAYLOAD_TOO_LARGE);
    e.code = "attachment_too_large";
    e.detail = Text::new(
        format!("Tệp vượt quá giới hạn {limit} byte."),
        format!("The file exceeds the limit of {limit} bytes."),
    );
    e
}

/// Bytes of an upload gathered before they are written to the store: an upload in progress
/// holds about this much in memory, whatever the size of the file.
const WRITE_SIZE: usize = 256 * 1024;

/// Runs file work off the workers; a failure is logged and answered 500.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    actix_web::web::block(work)
        .await
        .map_err(ApiError::logged("blocking task failed"))?
        .map_err(|e| {
            log::error!("cannot store an attachment: {e}");
            ApiError::internal()
        })
}

/// 503: as many uploads as the server takes at once are in progress.
fn uploads_busy() -> ApiError {
    let mut e = ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "too_many_uploads",
        Text::new("Dịch vụ tạm thời không sẵn sàng", "Service unavailable"),
        Text::new(
            "Máy chủ đang nhận tối đa số tệp cùng lúc. Vui lòng thử lại sau ít giây.",
            "The server is taking as many uploads at once as it can. Please retry in a few seconds.",
        ),
    );
    e.retry_after = Some(5);
    e
}

/// Uploads a document to a case file: the request body is the file's bytes. Its kind is
/// recognised from the content and must agree with the file name. Nothing is stored when
/// the file is refused. The file goes to the store as it arrives, never whole into memory;
/// a declared `Content-Length` over the limit is refused before anything is read, and a
/// bounded number of uploads run at once (beyond it: 503 with `Retry-After`). The bytes are
/// kept pending, recorded, then confirmed, so that a crash at any point leaves nothing that
/// the sweep at start-up does not put right (`tgpl_persistence::blobs`).
#[utoipa::path(
    operation_id = "uploadCaseAttachment",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = String, Path), UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file's bytes"),
    responses(
        (status = 201, description = "Stored.", body = AttachmentView, headers(("Location" = String))),
        (status = 403, description = "The caller's role does no casework.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is archived.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than the limit.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not an accepted kind of document.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty, or the name disagrees with the content.", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Too many uploads in progress, or the database does not answer.", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/cases/{id}/attachments")]
pub async fn upload(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: Query<UploadQuery>,
    req: HttpRequest,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let file_name = query.0.file_name.trim().to_owned();
    if file_name.is_empty() || file_name.chars().count() > 255 || file_name.contains(['/', '\\']) {
        return Err(ApiError::field(
            "file_name",
            "invalid",
            "Tên tệp không hợp lệ.",
            "Invalid file name.",
        ));
    }
    // A declared length over the limit is refused before anything is read.
    let limit = state.attachment_limit;
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large(limit));
    }
    // Permission first, so that nobody streams a file only to be refused.
    {
        let (caller, id) = (caller.clone(), id.clone());
        state
            .db(move |conn| open_case(conn, &caller, &id).map(|_| ()))
            .await?;
    }
    let _permit = state.uploads.clone().try_acquire_owned().map_err(|_| {
        log::warn!("an upload was refused: too many in progress");
        uploads_busy()
    })?;
    let staged = state.blobs.clone();
    let mut staged = blocking(move || staged.stage()).await?;
    let mut recogniser = Recogniser::new();
    let mut digest = Sha256::new();
    let mut pending = Vec::with_capacity(WRITE_SIZE);
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| {
            ApiError::bad_request(
                "upload_interrupted",
                Text::new("Tải lên bị gián đoạn.", "The upload was interrupted."),
            )
        })?;
        if recogniser.len() + chunk.len() as u64 > limit as u64 {
            return Err(too_large(limit));
        }
        recogniser.feed(&chunk);
        digest.update(&chunk);
        pending.extend_from_slice(&chunk);
        if pending.len() >= WRITE_SIZE {
            (staged, pending) = blocking(move || {
                staged.write(&pending)?;
                pending.clear();
                Ok((staged, pending))
            })
            .await?;
        }
    }
    let kind = recogniser.finish(&file_name).map_err(file_error)?;
    let attachment_id = tgpl_persistence::new_id();
    let key = format!("{id}/{attachment_id}");
    let row = AttachmentRow {
        id: attachment_id,
        case_id: id.clone(),
        file_name,
        content_type: kind.content_type.to_owned(),
        size_bytes: recogniser.len() as i64,
        sha256: digest
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        storage_key: key.clone(),
        uploaded_by: caller.username.clone(),
        uploaded_at: tgpl_persistence::now(),
        deleted_at: None,
    };
    let stored = key.clone();
    if let Err(e) = blocking(move || {
        staged.write(&pending)?;
        staged.keep(&stored)
    })
    .await
    {
        // A blob renamed to its pending name whose directory could not be flushed is not
        // kept either: the upload failed.
        let blobs = state.blobs.clone();
        let key = key.clone();
        let _ = actix_web::web::block(move || blobs.discard(&key)).await;
        return Err(e);
    }
    let recorded = {
        let row = row.clone();
        state
            .write(move |conn| {
                // The case could have been archived while the file travelled: check again,
                // in the transaction that records the file.
                write_transaction(conn, |conn| {
                    open_case(conn, &caller, &row.case_id)?;
                    Ok(attachments::insert(conn, &caller.actor(), &row)?)
                })
            })
            .await
    };
    let blobs = state.blobs.clone();
    if let Err(e) = recorded {
        let _ = actix_web::web::block(move || blobs.discard(&key)).await;
        return Err(e);
    }
    // Recorded: confirm the bytes. Should this fail (or the server stop first), reads still
    // find them pending and the sweep at the next start confirms them.
    match actix_web::web::block(move || blobs.confirm(&key)).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => log::warn!("attachment {} stays pending: {e}", row.id),
        Err(_) => log::warn!("attachment {} stays pending", row.id),
    }
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/attachments/{}", row.id)))
        .json(AttachmentView::from(row)))
}

/// The documents of a case file.
#[utoipa::path(
    operation_id = "listCaseAttachments",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The documents, oldest first.", body = Vec<AttachmentView>),
        (status = 404, description = "No such case in the caller's scope.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/cases/{id}/attachments")]
pub async fn list_for_case(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let rows = state
        .db(move |conn| {
            readable_case(conn, &caller, &id)?;
            Ok(attachments::of_case(conn, &id)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(AttachmentView::from)
            .collect::<Vec<_>>(),
    ))
}

/// Downloads a document.
#[utoipa::path(
    operation_id = "downloadAttachment",
    tag = "cases",
    security(("bearer" = [])),
    params(("attachment_id" = String, Path)),
    responses(
        (status = 200, description = "The file.", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, description = "No such document in the caller's scope.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/attachments/{attachment_id}")]
pub async fn download(
    state: web::Data<AppState>,
    caller: Caller,
    attachment_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = attachment_id.into_inner();
    let (row, entry) = state
        .db(move |conn| {
            let row = attachments::get(conn, &id)?;
            let case = readable_case(conn, &caller, &row.case_id)?;
            let entry = crate::services::recipient_access::access_entry(
                &caller,
                &case.recipient_id,
                "attachment",
            );
            Ok((row, entry))
        })
        .await?;
    crate::services::recipient_access::log_reads(&state, vec![entry]).await?;
    let blobs = state.blobs.clone();
    let key = row.storage_key.clone();
    let blob = actix_web::web::block(move || blobs.open(&key))
        .await
        .map_err(ApiError::logged("blocking task failed"))?
        .map_err(|e| {
            log::error!("attachment {} unreadable: {e}", row.id);
            ApiError::internal()
        })?;
    // A stored file that is not the size recorded is damaged: never served as the document.
    if i64::try_from(blob.len).ok() != Some(row.size_bytes) {
        log::error!(
            "attachment {} damaged in the store: {} bytes where {} were recorded",
            row.id,
            blob.len,
            row.size_bytes
        );
        return Err(ApiError::internal());
    }
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(row.file_name.clone())],
    };
    Ok(HttpResponse::Ok()
        .content_type(row.content_type.clone())
        .insert_header(disposition)
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(streamed(blob)))
}

/// A blob as a response body of known length, read on the blocking pool one chunk at a
/// time: a download holds one chunk in memory, however large the file and however slow the
/// client, and no thread while the client is not reading.
fn streamed(blob: Blob) -> SizedStream<impl Stream<Item = Result<Bytes, actix_web::Error>>> {
    const CHUNK: usize = 64 * 1024;
    let chunks = futures_util::stream::try_unfold(blob.reader, |mut reader| async move {
        let (reader, chunk) = actix_web::web::block(move || {
            let mut chunk = Vec::with_capacity(CHUNK);
            (&mut reader).take(CHUNK as u64).read_to_end(&mut chunk)?;
            Ok::<_, std::io::Error>((reader, chunk))
        })
        .await??;
        Ok((!chunk.is_empty()).then(|| (Bytes::from(chunk), reader)))
    });
    SizedStream::new(blob.len, chunks)
}

/// Deletes a document while the case is open (the record stays for the audit).
#[utoipa::path(
    operation_id = "deleteAttachment",
    tag = "cases",
    security(("bearer" = [])),
    params(("attachment_id" = String, Path)),
    responses(
        (status = 204, description = "Deleted."),
        (status = 403, description = "The caller's role does no casework.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such document in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed: locked.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/attachments/{attachment_id}")]
pub async fn remove(
    state: web::Data<AppState>,
    caller: Caller,
    attachment_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = attachment_id.into_inner();
    state
        .write(move |conn| {
            let row = attachments::get(conn, &id)?;
            // Who cannot read the document cannot learn that it exists: 404 first, then
            // 403 for those who read it but do no casework.
            let case = readable_case(conn, &caller, &row.case_id)?;
            scope::check(conn, &caller, Action::ManageCase, &case.organization_id)?;
            if case
                .state
                .parse::<CaseState>()
                .map_err(ApiError::logged("stored state unreadable"))?
                .is_locked()
            {
                return Err(locked());
            }
            Ok(attachments::delete(conn, &caller.actor(), &row)?)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
