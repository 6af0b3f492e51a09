//! Uploading a document: staged to disk as it arrives, recognised by its content, kept
//! pending, recorded, then confirmed (see `tgpl_persistence::blobs`).

use super::*;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The document's file name, with its extension (e.g. `bien-ban.pdf`).
    pub file_name: String,
}

/// Bytes of an upload gathered before they are written to the store: an upload in progress
/// holds about this much in memory, whatever the size of the file.
const WRITE_SIZE: usize = 256 * 1024;

/// Runs file work off the workers; a failure is logged. A store that is full, gone or not
/// writable is the operator's to mend, and answered 503 like a database that does not
/// answer; anything else 500.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    use std::io::ErrorKind;
    actix_web::web::block(work)
        .await
        .map_err(ApiError::logged("blocking task failed"))?
        .map_err(|e| {
            log::error!("cannot store an attachment: {e}");
            match e.kind() {
                ErrorKind::StorageFull
                | ErrorKind::QuotaExceeded
                | ErrorKind::NotFound
                | ErrorKind::PermissionDenied
                | ErrorKind::ReadOnlyFilesystem
                | ErrorKind::NotADirectory => ApiError::store_unavailable(),
                _ => ApiError::internal(),
            }
        })
}

/// Uploads a document to a case file: the request body is the file's bytes. Its kind is
/// recognised from the content and must agree with the file name. Nothing is stored when
/// the file is refused. The file goes to the store as it arrives, never whole into memory;
/// a declared `Content-Length` over the limit is refused before anything is read, and a
/// bounded number of uploads run at once (beyond it: 503 with `Retry-After`). The bytes are
/// kept pending, recorded, then confirmed, so that a crash at any point leaves nothing that
/// the sweep (at start-up, then every 15 minutes at least) does not put right
/// (`tgpl_persistence::blobs`).
#[utoipa::path(
    operation_id = "uploadCaseAttachment",
    tag = "cases",
    params(UploadQuery),
    request_body(content = crate::http::schemas::Binary, content_type = "application/octet-stream", description = "The file's bytes"),
    responses(
        (status = 201, description = "Stored.", body = AttachmentView, headers(("Location" = String))),
        (status = 403, description = "The caller's role does no casework.", body = Problem),
        (status = 409, description = "The case is archived.", body = Problem),
        (status = 413, description = "Larger than the limit.", body = Problem),
        (status = 415, description = "Not an accepted kind of document (`unsupported_attachment_type`), whatever its name.", body = Problem),
        (status = 422, description = "The file is empty (`file`), its name is not a plain file name or disagrees with its content (`file_name`: `file_name_disagrees`).", body = Problem),
        (status = 503, description = "Too many uploads in progress, or the database does not answer.", body = Problem,
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
    let file_name = tgpl_domain::attachment::check_file_name(&query.0.file_name)?.to_owned();
    // A declared length over the limit is refused before anything is read.
    let limit = state.attachment_limit;
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(ApiError::attachment_too_large(limit));
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
        ApiError::too_many_uploads()
    })?;
    let staged = state.blobs.clone();
    let mut staged = blocking(move || staged.stage()).await?;
    let mut recogniser = Recogniser::new();
    let mut digest = Sha256::new();
    let mut pending = Vec::with_capacity(WRITE_SIZE);
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| ApiError::upload_interrupted())?;
        if recogniser.len() + chunk.len() as u64 > limit as u64 {
            return Err(ApiError::attachment_too_large(limit));
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
    let kind = recogniser
        .finish(&file_name)
        .map_err(crate::http::files::upload_refused)?;
    let attachment_id = tgpl_persistence::new_id();
    let key = format!("{id}/{attachment_id}");
    let row = AttachmentRow {
        id: attachment_id,
        case_id: id.clone(),
        file_name,
        content_type: kind.content_type.to_owned(),
        size_bytes: recogniser.len() as i64,
        sha256: hex::encode(digest.finalize()),
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
        // A refusal (4xx) was decided in the transaction, which recorded nothing. After a
        // failure of the database (5xx) the record may yet be committed (a commit under way
        // when the answer went): the bytes stay pending, and the sweep confirms them if the
        // record is there, or removes them if it is not.
        if !e.status.is_server_error() {
            let _ = actix_web::web::block(move || blobs.discard(&key)).await;
        }
        return Err(e);
    }
    // Recorded: confirm the bytes. Should this fail (or the server stop first), reads still
    // find them pending and the next sweep confirms them.
    match actix_web::web::block(move || blobs.confirm(&key)).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => log::warn!("attachment {} stays pending: {e}", row.id),
        Err(_) => log::warn!("attachment {} stays pending", row.id),
    }
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/attachments/{}", row.id)))
        .json(AttachmentView::from(row)))
}
