//! Submitting a report (its head signs, art. 8), and the receiver's acceptance or return.

use super::drafting::{check_editable, enter, Explanations};
use super::*;

#[derive(Deserialize, Validate, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct SubmitReport {
    /// Replaces the report's explanation of warnings, when given (at most 4,000 characters;
    /// empty clears it).
    pub explanation: Option<String>,
    /// Replaces the report's explanation of missing reports below, when given (at most 4,000
    /// characters; empty clears it).
    pub missing_explanation: Option<String>,
    /// Replaces a report's entered figures, when given.
    pub entered_figures: Option<Vec<FigureRowView>>,
}

/// Submits a report: freezes its figures as they are now (computed from the records, or as
/// entered) as a new revision, once the form's error rules hold, warnings are explained and
/// missing reports of the units below are explained. Signed by the unit's head.
#[utoipa::path(
    operation_id = "submitStatisticalReport",
    tag = "reporting",
    params(("If-Match" = Option<String>, Header, description = "ETag of the report as read")),
    request_body(content = Option<SubmitReport>),
    responses(
        (status = 200, description = "Submitted.", body = ReportView, headers(("ETag" = String))),
        (status = 403, description = "Only the unit's head submits.", body = Problem),
        (status = 409, description = "Already submitted (`report_submitted`), or its actual figures are not complete yet: the period has not ended, or for an edition with estimated months (`2026-H1`, `2026-CYE`) its last month of actual figures (`period_not_over`).", body = Problem),
        (status = 422, description = "`rules_broken` (with the rule results), `explanation_required`, `missing_reports` (with the units), or invalid entered figures.", body = Problem),
    )
)]
#[post("/statistics/reports/{id}/submit")]
pub async fn submit_report(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: crate::http::extract::OptionalJson<SubmitReport>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.0.unwrap_or_default();
    let explanations = Explanations::read(body.explanation, body.missing_explanation)?;
    let entered: Option<Vec<EnteredRow>> = body
        .entered_figures
        .map(|rows| rows.into_iter().map(EnteredRow::from).collect());
    state
        .write(move |conn| {
            let row = if_match.settle(conn, |conn| {
                let (before, form, period) =
                    load(conn, &caller, &id, Action::SubmitStatisticalReport)?;
                if_match.check_current(&before)?;
                check_editable(&before)?;
                let mut after = before.clone();
                if let Some(rows) = entered.clone() {
                    enter(&mut after, form, &period, rows)?;
                }
                explanations.apply(&mut after);
                reporting_service::submit(
                    conn,
                    &caller.actor(),
                    &before,
                    after,
                    form,
                    &period,
                    today(),
                )?
                .map_err(refused_submission)
            })?;
            respond(conn, StatusCode::OK, row)
        })
        .await
        .map(reply)
}

/// Accepts the submitted revision of a report the caller's unit receives.
#[utoipa::path(
    operation_id = "acceptStatisticalReport",
    tag = "reporting",
    params(("If-Match" = Option<String>, Header, description = "ETag of the report as read")),
    responses(
        (status = 200, description = "Accepted.", body = ReportView, headers(("ETag" = String))),
        (status = 403, description = "Only the receiving unit accepts.", body = Problem),
        (status = 409, description = "Not awaiting acceptance.", body = Problem),
    )
)]
#[post("/statistics/reports/{id}/accept")]
pub async fn accept_report(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    decide(
        state,
        caller,
        id.into_inner(),
        if_match,
        ReportStep::Accept,
        None,
    )
    .await
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnReport {
    /// What the unit must correct (1 to 4,000 characters).
    pub reason: String,
}

/// Returns a submitted report to its unit with the reason; the unit corrects and submits
/// again. A correction still waiting for confirmation is withdrawn with it.
#[utoipa::path(
    operation_id = "returnStatisticalReport",
    tag = "reporting",
    params(("If-Match" = Option<String>, Header, description = "ETag of the report as read")),
    request_body = ReturnReport,
    responses(
        (status = 200, description = "Returned.", body = ReportView, headers(("ETag" = String))),
        (status = 403, description = "Only the receiving unit returns.", body = Problem),
        (status = 409, description = "Not awaiting acceptance.", body = Problem),
        (status = 422, description = "No reason.", body = Problem),
    )
)]
#[post("/statistics/reports/{id}/return")]
pub async fn return_report(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<ReturnReport>,
) -> Result<HttpResponse, ApiError> {
    let reason = reason(&body.0.reason)?;
    decide(
        state,
        caller,
        id.into_inner(),
        if_match,
        ReportStep::Return,
        Some(reason),
    )
    .await
}

/// The receiver's decision on the submitted revision.
async fn decide(
    state: web::Data<AppState>,
    caller: Caller,
    id: String,
    if_match: IfMatch,
    step: ReportStep,
    reason: Option<String>,
) -> Result<HttpResponse, ApiError> {
    state
        .write(move |conn| {
            let row = if_match.settle(conn, |conn| {
                let (before, _, period) =
                    load(conn, &caller, &id, Action::ReceiveStatisticalReports)?;
                if_match.check_current(&before)?;
                reporting_service::decide(
                    conn,
                    &caller.actor(),
                    &before,
                    &period,
                    step,
                    reason.clone(),
                )
            })?;
            respond(conn, StatusCode::OK, row)
        })
        .await
        .map(reply)
}
