//! The handling organization's queue of dossiers: lists, one dossier, its documents.

use super::*;
use tgpl_persistence::portal::dossiers::DossierFilter;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DossierListQuery {
    #[param(schema_with = crate::http::schemas::dossier_status)]
    pub status: Option<String>,
    #[param(schema_with = crate::http::schemas::procedure_kind)]
    pub procedure: Option<String>,
    /// Only those overdue (`true`), as each dossier's `overdue` says: past their promised
    /// date with their clock running, already past it when their clock stopped, or finished
    /// after it; or only those not (`false`).
    pub overdue: Option<bool>,
    pub organization_id: Option<String>,
    pub dossier_code: Option<String>,
    /// Received on or after this Viet Nam day.
    pub received_from: Option<NaiveDate>,
    /// Received on or before this Viet Nam day.
    pub received_to: Option<NaiveDate>,
}

/// The dossiers the caller's organization handles (for the Agency's data centre, which
/// oversees the portal's service and answers for it, every dossier, read only): those whose
/// clock runs first, by promised date (the overdue at the top), then those awaiting
/// documents, then the finished.
#[utoipa::path(
    operation_id = "listDossiers",
    tag = "dossiers",
    params(DossierListQuery, PageQuery),
    responses(
        (status = 200, description = "One page of dossiers.", body = Page<DossierView>),
        (status = 403, description = "The caller's role handles no dossiers.", body = Problem),
    )
)]
#[get("/dossiers")]
pub async fn list_dossiers(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<DossierListQuery>,
    paging: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = paging.request()?;
    let q = query.0;
    crate::http::page::check_span(
        ("received_from", q.received_from),
        ("received_to", q.received_to),
    )?;
    let status = parse_filter::<DossierStatus>("status", q.status)?
        .and_then(|c| DossierStatus::from_code(&c));
    let procedure = parse_filter::<ProcedureKind>("procedure", q.procedure)?
        .and_then(|c| ProcedureKind::from_code(&c));
    let day = today();
    let reader = caller.clone();
    let paged = state
        .db(move |conn| {
            let permitted = scope::listable(conn, &caller, Action::ReadDossier)?;
            let organizations = match q.organization_id {
                Some(org) if permitted.contains(&org) => Some(vec![org]),
                Some(_) => Some(Vec::new()),
                None => permitted.as_filter(),
            };
            let filter = DossierFilter {
                organizations,
                status,
                procedure,
                overdue_on: q.overdue.map(|overdue| (day, overdue)),
                dossier_code: q.dossier_code,
                received_from: q
                    .received_from
                    .map(|d| tgpl_domain::time::vietnam_day_start(d).naive_utc()),
                received_before: q
                    .received_to
                    .and_then(tgpl_domain::time::vietnam_day_end)
                    .map(|end| end.naive_utc()),
            };
            Ok(dossiers::list(conn, &filter, page)?)
        })
        .await?;
    let page = Page::new(&req, page, paged, |row| DossierView::of(row, day));
    log_dossier_reads(&state, &reader, &page.items.iter().collect::<Vec<_>>()).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One dossier with its documents and progress.
#[utoipa::path(
    operation_id = "readDossier",
    tag = "dossiers",
    responses(
        (status = 200, description = "The dossier.", body = DossierView, headers(("ETag" = String))),
        (status = 404, description = "No such dossier in the caller's scope.", body = Problem),
    )
)]
#[get("/dossiers/{id}")]
pub async fn read_dossier(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let reader = caller.clone();
    let view = state
        .db(move |conn| {
            let row = load(conn, &caller, &id, Action::ReadDossier)?;
            DossierView::full(conn, row)
        })
        .await?;
    log_dossier_reads(&state, &reader, &[&view]).await?;
    Ok(dossier_response(view))
}

/// A document's bytes.
#[utoipa::path(
    operation_id = "downloadDossierDocument",
    tag = "dossiers",
    responses(
        (status = 200, description = "The file, with the media type recognised from its content when it was stored, and `Content-Disposition: attachment` naming it (`filename`, and `filename*` in UTF-8 when the name is not ASCII).", content((crate::http::schemas::Binary = "application/pdf"), (crate::http::schemas::Binary = "image/png"), (crate::http::schemas::Binary = "image/jpeg"), (crate::http::schemas::Binary = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (crate::http::schemas::Binary = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (crate::http::schemas::Binary = "application/msword"), (crate::http::schemas::Binary = "application/vnd.ms-excel"))),
        (status = 404, description = "No such document in the caller's scope.", body = Problem),
    )
)]
#[get("/dossiers/{id}/documents/{document_id}")]
pub async fn download_dossier_document(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, document_id) = path.into_inner();
    let reader = caller.clone();
    let (dossier, document) = state
        .db(move |conn| {
            let dossier = load(conn, &caller, &id, Action::ReadDossier)?;
            let document = dossiers::document(conn, &id, &document_id).map_err(not_found)?;
            Ok((dossier, document))
        })
        .await?;
    log_document_read(&state, &reader, &dossier, &document).await?;
    Ok(document_response(document))
}
