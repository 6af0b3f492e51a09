//! What the portal reads back: a dossier it filed, and the documents it sent.

use super::*;

/// One dossier with its documents and progress, as the portal follows it.
#[utoipa::path(
    operation_id = "portalReadDossier",
    tag = "portal",
    responses(
        (status = 200, description = "The dossier.", body = DossierView, headers(("ETag" = String))),
        (status = 403, description = "The portal only.", body = Problem),
        (status = 404, description = "No such dossier.", body = Problem),
    )
)]
#[get("/portal/dossiers/{id}")]
pub async fn portal_read_dossier(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    scope::authorize_system(&caller, SystemAction::SubmitDossiers)?;
    let id = id.into_inner();
    let reader = caller.clone();
    let view = state
        .db(move |conn| {
            let row = dossiers::get(conn, &id).map_err(not_found)?;
            DossierView::full(conn, row)
        })
        .await?;
    log_dossier_reads(&state, &reader, &[&view]).await?;
    Ok(dossier_response(view))
}

/// A document of a dossier, as the portal sent it.
#[utoipa::path(
    operation_id = "portalDownloadDocument",
    tag = "portal",
    responses(
        (status = 200, description = "The file, with the media type recognised from its content when it was stored, and `Content-Disposition: attachment` naming it (`filename`, and `filename*` in UTF-8 when the name is not ASCII).", content((crate::http::schemas::Binary = "application/pdf"), (crate::http::schemas::Binary = "image/png"), (crate::http::schemas::Binary = "image/jpeg"), (crate::http::schemas::Binary = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (crate::http::schemas::Binary = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (crate::http::schemas::Binary = "application/msword"), (crate::http::schemas::Binary = "application/vnd.ms-excel"))),
        (status = 403, description = "The portal only.", body = Problem),
        (status = 404, description = "No such document.", body = Problem),
    )
)]
#[get("/portal/dossiers/{id}/documents/{document_id}")]
pub async fn portal_download_document(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    scope::authorize_system(&caller, SystemAction::SubmitDossiers)?;
    let (id, document_id) = path.into_inner();
    let reader = caller.clone();
    let (dossier, document) = state
        .db(move |conn| {
            let dossier = dossiers::get(conn, &id).map_err(not_found)?;
            let document = dossiers::document(conn, &id, &document_id).map_err(not_found)?;
            Ok((dossier, document))
        })
        .await?;
    log_document_read(&state, &reader, &dossier, &document).await?;
    Ok(document_response(document))
}
