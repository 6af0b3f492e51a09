//! One change request, and lists of them, in the caller's scope.

use super::*;

/// Loads a request the caller may see: the data centre sees all, units those of their
/// subtree, and one who sees only the cases they perform, the requests they asked for
/// (about those cases alone). Any other request answers 404, like an unknown one.
fn load(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
) -> Result<(RequestRow, Vec<ItemRow>), ApiError> {
    let (request, items) = change_requests::get(conn, id)?;
    if scope::authorize_system(caller, SystemAction::DecideChangeRequests).is_err() {
        scope::check_read(conn, caller, Action::ReadCase, &request.organization_id)?;
    }
    if requested_by(caller).is_some_and(|me| me != request.requested_by) {
        return Err(ApiError::not_found());
    }
    Ok((request, items))
}

/// The one whose requests alone the caller sees: themselves, when they see only the cases
/// they perform (`tgpl_domain::case::performs_only`), since they ask only about those.
fn requested_by(caller: &Caller) -> Option<String> {
    crate::services::casework::performed_by(caller).map(|_| caller.username.clone())
}

/// Loads a request for a decision: 404 when the caller cannot see it, 403 when the caller
/// sees it but does not decide (only the data centre does).
pub(super) fn load_for_decision(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
) -> Result<(RequestRow, Vec<ItemRow>), ApiError> {
    let found = load(conn, caller, id)?;
    scope::authorize_system(caller, SystemAction::DecideChangeRequests)?;
    Ok(found)
}

/// One change request.
#[utoipa::path(
    operation_id = "readChangeRequest",
    tag = "change-requests",
    responses(
        (status = 200, description = "The request.", body = ChangeRequestView, headers(("ETag" = String))),
    )
)]
#[get("/change-requests/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (request, items) = state
        .db(move |conn| {
            let (request, items) = load(conn, &caller, &id)?;
            let items = shown(conn, &caller, &request, items)?;
            Ok((request, items))
        })
        .await?;
    Ok(respond(StatusCode::OK, request, items))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangeRequestQuery {
    /// `pending`, `approved` or `rejected`.
    #[param(pattern = "^(pending|approved|rejected)$")]
    pub status: Option<String>,
    #[param(schema_with = crate::http::schemas::change_kind)]
    pub kind: Option<String>,
}

/// Change requests, oldest first: the data centre's queue, or a unit's own requests.
#[utoipa::path(
    operation_id = "listChangeRequests",
    tag = "change-requests",
    params(ChangeRequestQuery, PageQuery),
    responses(
        (status = 200, description = "One page of requests.", body = Page<ChangeRequestView>),
        (status = 403, description = "Service clients have no change requests.", body = Problem),
    )
)]
#[get("/change-requests")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<ChangeRequestQuery>,
    paging: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = paging.request()?;
    let q = query.0;
    let status = match q.status.as_deref() {
        None => None,
        Some(s) if s.parse::<ChangeRequestStatus>().is_ok() => Some(s.to_owned()),
        Some(_) => {
            return Err(ApiError::field(
                "status",
                "unknown_code",
                "Trạng thái là pending, approved hoặc rejected.",
                "status is pending, approved or rejected.",
            ))
        }
    };
    let kind = parse_filter::<ChangeKind>("kind", q.kind)?;
    let (paged, items) = state
        .db(move |conn| {
            let permitted = scope::listable(conn, &caller, Action::ReadCase)?;
            let filter = RequestFilter {
                organizations: permitted.as_filter(),
                requested_by: requested_by(&caller),
                status,
                kind,
            };
            let paged = change_requests::list(conn, &filter, page)?;
            let ids: Vec<String> = paged.items.iter().map(|r| r.id.clone()).collect();
            let mut items = change_requests::items_of(conn, &ids)?;
            let redaction = Redaction::of(conn, &caller)?;
            for request in &paged.items {
                let (mine, others): (Vec<ItemRow>, Vec<ItemRow>) = items
                    .into_iter()
                    .partition(|i| i.change_request_id == request.id);
                items = others;
                items.extend(redacted(&redaction, request, mine));
            }
            Ok((paged, items))
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::new(&req, page, paged, |r| {
        let mine = items
            .iter()
            .filter(|i| i.change_request_id == r.id)
            .cloned()
            .collect();
        ChangeRequestView::new(r, mine)
    })))
}
