//! What the portal sends after filing: documents, and the supplement it was asked for. Each
//! call honours `Idempotency-Key`.

use super::*;

use crate::services::idempotency::keyed;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The document's file name, with its extension.
    pub file_name: String,
}

/// Adds one document to a dossier that is not finished: the request body is the file's
/// bytes, recognised by content as case attachments are. Honours `Idempotency-Key`.
#[utoipa::path(
    operation_id = "uploadDossierDocument",
    tag = "portal",
    params(UploadQuery, ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first answer: 1 to 255 visible ASCII characters", min_length = 1, max_length = 255, pattern = "^[!-~]{1,255}$")),
    request_body(content = crate::http::schemas::Binary, content_type = "application/octet-stream", description = "The file's bytes"),
    responses(
        (status = 201, description = "Stored.", body = DossierDocumentView, headers(("Location" = String))),
        (status = 400, description = "An invalid `Idempotency-Key`, or an upload interrupted.", body = Problem),
        (status = 503, description = "Too many uploads in progress, or the database does not answer.", body = Problem,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 403, description = "The portal only.", body = Problem),
        (status = 409, description = "The dossier is finished, or the key was used for other content (`idempotency_key_reused`).", body = Problem),
        (status = 413, description = "Larger than the limit.", body = Problem),
        (status = 415, description = "Not an accepted kind of document (`unsupported_attachment_type`), whatever its name.", body = Problem),
        (status = 422, description = "The file is empty (`file`), its name is not a plain file name or disagrees with its content (`file_name`: `file_name_disagrees`).", body = Problem),
    )
)]
#[post("/portal/dossiers/{id}/documents")]
pub async fn upload_dossier_document(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: Query<UploadQuery>,
    key: IdempotencyKey,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    scope::authorize_system(&caller, SystemAction::SubmitDossiers)?;
    let id = id.into_inner();
    let limit = state.attachment_limit;
    // A document is held whole until it is stored with its dossier: a bounded number at once.
    let _permit = state
        .uploads
        .clone()
        .try_acquire_owned()
        .map_err(|_| ApiError::too_many_uploads())?;
    let bytes = crate::http::extract::whole_body(&mut payload, limit, || {
        ApiError::attachment_too_large(limit)
    })
    .await?;
    let (file_name, dossier) = (query.0.file_name, id.clone());
    // Hashing and recognising megabytes is work for a blocking thread, not a worker.
    let document = actix_web::web::block(move || {
        read_document("", "file", &file_name, bytes, &dossier, limit)
    })
    .await
    .map_err(ApiError::logged("reading a dossier document"))?
    .map_err(|refusal| {
        // Sent as the body, as a case attachment is, and answered as one.
        let not_accepted = tgpl_domain::attachment::FileError::NotAccepted;
        if refusal.code == tgpl_domain::refusal::Refusal::field_refusal(&not_accepted).code {
            crate::http::files::upload_refused(not_accepted)
        } else {
            ApiError::validation(vec![refusal])
        }
    })?;
    // The dossier is part of what a key stands for: one key, one document of one dossier.
    let hash =
        idempotency::request_hash(&("documents", &id, &document.file_name, &document.sha256))?;
    let (answer, replayed) = state
        .write(move |conn| {
            keyed(conn, &caller, key.0, &hash, |conn| {
                let row = dossiers::get(conn, &id).map_err(not_found)?;
                if row.status.is_final() {
                    return Err(finished(&row));
                }
                recorded::add_documents(
                    conn,
                    &caller.actor(),
                    &row,
                    std::slice::from_ref(&document),
                )?;
                let view = DossierDocumentView::from(DocumentInfo {
                    id: document.id.clone(),
                    dossier_id: document.dossier_id.clone(),
                    file_name: document.file_name.clone(),
                    content_type: document.content_type.clone(),
                    size_bytes: document.size_bytes,
                    sha256: document.sha256.clone(),
                    received_at: document.received_at,
                });
                let location = format!(
                    "/api/v1/portal/dossiers/{}/documents/{}",
                    row.id, document.id
                );
                idempotency::answer(StatusCode::CREATED, Some(location), &view)
            })
        })
        .await?;
    Ok(idempotency::respond(answer, replayed))
}

fn finished(row: &DossierRow) -> ApiError {
    ApiError::conflict(
        "dossier_finished",
        Text::new(
            format!("Hồ sơ đã kết thúc ({}).", row.status.label().vi),
            format!("The dossier is finished ({}).", row.status.label().en),
        ),
    )
}

/// The documents the handling organization asked for, as the applicant sends them.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Supplement {
    /// What the applicant says of them.
    #[schema(min_length = 1, max_length = 2000)]
    #[validate(length(min = 1, max = 2000))]
    pub note: Option<String>,
    /// Documents inline; others may have been sent before through the upload call.
    #[validate(length(max = 20, code = "too_many_items"), nested)]
    #[serde(default)]
    pub documents: Vec<InlineDocument>,
}

/// The applicant's supplement to a dossier awaiting documents: its documents are added and
/// its clock runs again with the working days it had left, from the day it arrives
/// (after office hours: the next working day). Honours `Idempotency-Key`.
#[utoipa::path(
    operation_id = "supplementDossier",
    tag = "portal",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first answer: 1 to 255 visible ASCII characters", min_length = 1, max_length = 255, pattern = "^[!-~]{1,255}$")),
    request_body = Supplement,
    responses(
        (status = 200, description = "The dossier, its clock running again.", body = DossierView),
        (status = 400, description = "An invalid `Idempotency-Key`.", body = Problem),
        (status = 403, description = "The portal only.", body = Problem),
        (status = 409, description = "The dossier awaits no documents (`illegal_step`), or the key was used for other content (`idempotency_key_reused`).", body = Problem),
        (status = 422, description = "A document is refused.", body = Problem),
    )
)]
#[post("/portal/dossiers/{id}/supplement")]
pub async fn supplement_dossier(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    key: IdempotencyKey,
    body: ValidJson<Supplement>,
) -> Result<HttpResponse, ApiError> {
    scope::authorize_system(&caller, SystemAction::SubmitDossiers)?;
    let id = id.into_inner();
    let body = body.0;
    let hash = idempotency::request_hash(&("supplement", &id, &body))?;
    let mut errors = Vec::new();
    let documents = read_documents(
        "documents",
        &body.documents,
        &id,
        state.attachment_limit,
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let (answer, replayed) = state
        .write(move |conn| {
            keyed(conn, &caller, key.0, &hash, |conn| {
                // Supplements sent at once: the one that loses the save is decided again
                // on the dossier as the winner left it (409 `illegal_step`), never 412.
                IfMatch(None).settle(conn, |conn| {
                    let before = dossiers::get(conn, &id).map_err(not_found)?;
                    if *before.status == DossierStatus::AwaitingSupplement
                        && documents.is_empty()
                        && !documents_arrived_while_awaited(conn, &before)?
                    {
                        return Err(ApiError::field(
                            "documents",
                            "required",
                            "Hồ sơ bổ sung cần có giấy tờ, gửi kèm hoặc đã tải lên sau khi được yêu cầu.",
                            "A supplement brings documents, sent with it or uploaded since they were asked for.",
                        ));
                    }
                    let calendar = stored_reference::working_calendar(conn)?;
                    let actor = caller.actor();
                    recorded::add_documents(conn, &actor, &before, &documents)?;
                    let after = recorded::take(
                        conn,
                        &actor,
                        &before,
                        DossierStep::ReceiveSupplement,
                        body.note.clone(),
                        tgpl_persistence::now(),
                        &calendar,
                        |_| {},
                    )?;
                    let view = DossierView::full(conn, after)?;
                    idempotency::answer(StatusCode::OK, None, &view)
                })
            })
        })
        .await?;
    Ok(idempotency::respond(answer, replayed))
}

/// Whether documents were uploaded for `dossier` since it was last asked for more.
fn documents_arrived_while_awaited(
    conn: &mut DbConnection,
    dossier: &DossierRow,
) -> Result<bool, ApiError> {
    let asked = progress_feed::of_dossier(conn, &dossier.id)?
        .into_iter()
        .rev()
        .find(|p| *p.step == DossierStep::RequestSupplement)
        .map(|p| p.occurred_at);
    let Some(asked) = asked else {
        return Ok(false);
    };
    Ok(dossiers::documents(conn, &dossier.id)?
        .iter()
        .any(|d| d.received_at >= asked))
}
