//! The documents of a case file: listed, downloaded (streamed from the store), deleted while
//! the case is open.

use super::*;

/// The documents of a case file.
#[utoipa::path(
    operation_id = "listCaseAttachments",
    tag = "cases",
    responses(
        (status = 200, description = "The documents, oldest first.", body = Vec<AttachmentView>),
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
    responses(
        (status = 200, description = "The file, with the media type recognised from its content when it was stored, and `Content-Disposition: attachment` naming it (`filename`, and `filename*` in UTF-8 when the name is not ASCII).", content((crate::http::schemas::Binary = "application/pdf"), (crate::http::schemas::Binary = "image/png"), (crate::http::schemas::Binary = "image/jpeg"), (crate::http::schemas::Binary = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (crate::http::schemas::Binary = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (crate::http::schemas::Binary = "application/msword"), (crate::http::schemas::Binary = "application/vnd.ms-excel"))),
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
                tgpl_domain::recipient::DataAccess::Attachment,
            )
            .through(&row.id);
            Ok((row, entry))
        })
        .await?;
    crate::services::recipient_access::log_reads(&state, vec![entry]).await?;
    let blobs = state.blobs.clone();
    let key = row.storage_key.clone();
    let blob = actix_web::web::block(move || blobs.open(&key).map_err(|e| (e, blobs.reachable())))
        .await
        .map_err(ApiError::logged("blocking task failed"))?
        .map_err(|(e, reachable)| {
            if reachable {
                log::error!("attachment {} unreadable: {e}", row.id);
                ApiError::internal()
            } else {
                log::warn!("the attachment store cannot be read: {e}");
                ApiError::store_unavailable()
            }
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
    Ok(HttpResponse::Ok()
        .content_type(row.content_type.clone())
        .insert_header(crate::http::files::disposition(&row.file_name))
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
    responses(
        (status = 204, description = "Deleted."),
        (status = 403, description = "The caller's role does no casework, or the caller is a contracted lawyer and someone else uploaded the document.", body = Problem),
        (status = 409, description = "The case is closed: locked.", body = Problem),
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
            if !tgpl_domain::case::removes_document(caller.role, &caller.username, &row.uploaded_by) {
                return Err(ApiError::forbidden_because(Text::new(
                    "Luật sư chỉ xóa được tài liệu do chính mình tải lên; tài liệu của Trung tâm do Trung tâm xóa.",
                    "A lawyer removes only the documents they uploaded; the centre's documents are removed by the centre.",
                )));
            }
            if case.state.is_locked() {
                return Err(locked());
            }
            Ok(attachments::delete(conn, &caller.actor(), &row)?)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
