//! Lists of requests for review in the caller's scope.

use super::*;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewListQuery {
    #[param(schema_with = crate::http::schemas::review_kind)]
    pub kind: Option<String>,
    #[param(schema_with = crate::http::schemas::review_state)]
    pub state: Option<String>,
    pub case_id: Option<String>,
    pub sent_from: Option<NaiveDate>,
    pub sent_to: Option<NaiveDate>,
    /// Searches addressee and content, ignoring case and Vietnamese diacritics.
    pub q: Option<String>,
}

/// Requests for review in the caller's scope, newest first.
#[utoipa::path(
    operation_id = "listReviewRequests",
    tag = "review-requests",
    params(ReviewListQuery, PageQuery),
    responses(
        (status = 200, description = "One page of requests.", body = Page<ReviewView>),
        (status = 403, description = "Service clients do not read them.", body = Problem),
    )
)]
#[get("/review-requests")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<ReviewListQuery>,
    paging: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = paging.request()?;
    let q = query.0;
    let kind = parse_filter::<ReviewKind>("kind", q.kind)?;
    let review_state = parse_filter::<ReviewState>("state", q.state)?;
    crate::http::page::check_span(("sent_from", q.sent_from), ("sent_to", q.sent_to))?;
    let paged = state
        .db(move |conn| {
            let permitted = scope::listable(conn, &caller, Action::ReadCase)?;
            let filter = ReviewFilter {
                organizations: permitted.as_filter(),
                performed_by: crate::services::casework::performed_by(&caller),
                kind,
                state: review_state,
                case_id: q.case_id,
                sent_from: q.sent_from,
                sent_to: q.sent_to,
                search: search_term(q.q.as_deref()),
            };
            Ok(review_requests::list(conn, &filter, page)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::new(&req, page, paged, ReviewView::from)))
}
