//! Reading one report with its revisions, and listing reports.

use super::*;

/// One statistical report, with its revisions.
#[utoipa::path(
    operation_id = "readStatisticalReport",
    tag = "reporting",
    responses(
        (status = 200, description = "The report.", body = ReportView, headers(("ETag" = String))),
        (status = 404, description = "No such report in the caller's scope.", body = Problem),
    )
)]
#[get("/statistics/reports/{id}")]
pub async fn read_report(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    state
        .db(move |conn| {
            let (row, _, _) = load(conn, &caller, &id, Action::ReadStatistics)?;
            respond(conn, StatusCode::OK, row)
        })
        .await
        .map(reply)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportListQuery {
    /// Reports of this unit.
    pub organization_id: Option<String>,
    /// Reports this unit receives.
    pub receiver_id: Option<String>,
    pub form: Option<String>,
    /// A period as the forms take it (`2026-6M`), matched in its canonical form.
    pub period: Option<String>,
    #[param(schema_with = crate::http::schemas::report_status)]
    pub status: Option<String>,
}

/// Reports in the caller's scope (its subtree's, which includes every report it receives),
/// newest change first.
#[utoipa::path(
    operation_id = "listStatisticalReports",
    tag = "reporting",
    params(ReportListQuery, PageQuery),
    responses(
        (status = 200, description = "One page of reports.", body = Page<ReportView>),
        (status = 403, description = "Service clients and contracted lawyers read released figures only.", body = Problem),
        (status = 404, description = "No such form.", body = Problem),
    )
)]
#[get("/statistics/reports")]
pub async fn list_reports(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<ReportListQuery>,
    paging: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = paging.request()?;
    let q = query.0;
    let status =
        parse_filter::<ReportStatus>("status", q.status)?.and_then(|s| ReportStatus::from_code(&s));
    let period = period_filter(q.form.as_deref(), q.period)?;
    let paged = state
        .db(move |conn| {
            let permitted = scope::listable(conn, &caller, Action::ReadStatistics)?;
            let filter = ReportFilter {
                organizations: permitted.as_filter(),
                organization_id: q.organization_id,
                receiver_id: q.receiver_id,
                form: q.form,
                period,
                status,
            };
            let paged = reports::list(conn, &filter, page)?;
            let mut levels = std::collections::HashMap::new();
            let ids: Vec<String> = paged
                .items
                .iter()
                .map(|r| r.organization_id.clone())
                .collect();
            for o in organizations::get_many(conn, &ids)? {
                levels.insert(o.id, ReportingLevel::of(*o.kind));
            }
            let report_ids: Vec<String> = paged.items.iter().map(|r| r.id.clone()).collect();
            let mut revisions: std::collections::HashMap<String, Vec<RevisionRow>> =
                std::collections::HashMap::new();
            for revision in reports::revisions_of(conn, &report_ids)? {
                revisions
                    .entry(revision.report_id.clone())
                    .or_default()
                    .push(revision);
            }
            let mut items = Vec::new();
            for row in paged.items {
                let level = levels.get(&row.organization_id).copied().flatten();
                let own = revisions.remove(&row.id).unwrap_or_default();
                items.push(view(row, level, own));
            }
            Ok(tgpl_persistence::page::Paged {
                items,
                total: paged.total,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::new(&req, page, paged, |v| v)))
}
