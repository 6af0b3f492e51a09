//! Submitting a report (its head signs, art. 8), and the receiver's acceptance or return.

use super::compile::compile;
use super::drafting::{check_editable, enter};
use super::*;

#[derive(Deserialize, Validate, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct SubmitReport {
    /// Replaces the report's explanation of warnings, when given.
    pub explanation: Option<String>,
    /// Replaces the report's explanation of missing reports below, when given.
    pub missing_explanation: Option<String>,
    /// Replaces a report's entered figures, when given.
    pub entered_figures: Option<Vec<FigureRowView>>,
}

/// The next revision's number: after every revision so far, proposed or not.
fn next_revision(conn: &mut DbConnection, report_id: &str) -> Result<i32, ApiError> {
    Ok(reports::revisions(conn, report_id)?
        .last()
        .map_or(1, |r| r.revision + 1))
}

/// A revision of `report`, frozen from `compiled` now by `caller`.
pub(super) fn revision_of(
    report: &ReportRow,
    revision: i32,
    compiled: super::compile::Compiled,
    caller: &Caller,
    correction_reason: Option<String>,
) -> RevisionRow {
    let now = tgpl_persistence::now();
    let confirmed = correction_reason.is_none();
    RevisionRow {
        report_id: report.id.clone(),
        revision,
        source: report.source,
        figures: Json(figures::rows_of(&compiled.table)),
        coverage: Json(compiled.coverage),
        explanation: report.explanation.clone(),
        missing_explanation: report.missing_explanation.clone(),
        correction_reason,
        proposed_at: now,
        proposed_by: caller.username.clone(),
        confirmed_at: confirmed.then_some(now),
        confirmed_by: confirmed.then(|| caller.username.clone()),
        decision: None,
        decided_at: None,
        decided_by: None,
        decision_reason: None,
    }
}

/// Submits a report: freezes its figures as they are now (computed from the records, or as
/// entered) as a new revision, once the form's error rules hold, warnings are explained and
/// missing reports of the units below are explained. Signed by the unit's head.
#[utoipa::path(
    operation_id = "submitStatisticalReport",
    tag = "reporting",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the report as read")),
    request_body(content = Option<SubmitReport>),
    responses(
        (status = 200, description = "Submitted.", body = ReportView, headers(("ETag" = String))),
        (status = 403, description = "Only the unit's head submits.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already submitted (`illegal_step`), or the period has not ended (`period_not_over`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`rules_broken` (with the rule results), `explanation_required`, `missing_reports` (with the units), or invalid entered figures.", body = Problem, content_type = "application/problem+json"),
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
    let explanation_text = body.explanation;
    let missing_text = body.missing_explanation;
    let entered: Option<Vec<EnteredRow>> = body
        .entered_figures
        .map(|rows| rows.into_iter().map(EnteredRow::from).collect());
    state
        .write(move |conn| {
            let row = if_match.settle(conn, |conn| {
                let (before, form, period) =
                    load(conn, &caller, &id, Action::SubmitStatisticalReport)?;
                if_match.check(&etag(before.version))?;
                check_editable(&before)?;
                if period.to() >= today() {
                    return Err(ApiError::conflict(
                        "period_not_over",
                        Text::new(
                            format!("Kỳ báo cáo kết thúc ngày {}; chưa gửi được.", period.to()),
                            format!(
                                "The period ends on {}: it cannot be reported yet.",
                                period.to()
                            ),
                        ),
                    ));
                }
                let mut after = before.clone();
                if let Some(rows) = entered.clone() {
                    enter(&mut after, form, &period, rows)?;
                }
                if let Some(text) = &explanation_text {
                    after.explanation = Some(text.trim().to_owned()).filter(|t| !t.is_empty());
                }
                if let Some(text) = &missing_text {
                    after.missing_explanation =
                        Some(text.trim().to_owned()).filter(|t| !t.is_empty());
                }
                let compiled = compile(conn, &after, form, &period)?;
                check_submission(
                    &compiled.table,
                    after.explanation.as_deref(),
                    &compiled.missing,
                    after.missing_explanation.as_deref(),
                )
                .map_err(refused_submission)?;
                take(&mut after, ReportStep::Submit)?;
                let n = next_revision(conn, &after.id)?;
                after.current_revision = n;
                after.first_submitted_on = after.first_submitted_on.or(Some(today()));
                after.return_reason = None;
                after.needs_resubmission = false;
                after.revise();
                let revision = revision_of(&after, n, compiled, &caller, None);
                reports::save(
                    conn,
                    &caller.actor(),
                    AuditAction::ReportSubmit,
                    &before,
                    &after,
                    &[revision],
                )?;
                Ok(after)
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
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the report as read")),
    responses(
        (status = 200, description = "Accepted.", body = ReportView, headers(("ETag" = String))),
        (status = 403, description = "Only the receiving unit accepts.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not awaiting acceptance.", body = Problem, content_type = "application/problem+json"),
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
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the report as read")),
    request_body = ReturnReport,
    responses(
        (status = 200, description = "Returned.", body = ReportView, headers(("ETag" = String))),
        (status = 403, description = "Only the receiving unit returns.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not awaiting acceptance.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason.", body = Problem, content_type = "application/problem+json"),
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
    let reason = body.0.reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 4000 {
        return Err(ApiError::field(
            "reason",
            "length",
            "Cần nêu lý do trả lại (tối đa 4.000 ký tự).",
            "Give the reason (at most 4,000 characters).",
        ));
    }
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
                let (before, _, _) = load(conn, &caller, &id, Action::ReceiveStatisticalReports)?;
                if_match.check(&etag(before.version))?;
                let mut after = before.clone();
                take(&mut after, step)?;
                let now = tgpl_persistence::now();
                let mut revised = Vec::new();
                for mut revision in reports::revisions(conn, &after.id)? {
                    let current = revision.revision == after.current_revision;
                    let pending = revision.confirmed_at.is_none() && revision.decision.is_none();
                    if !(current || pending && step == ReportStep::Return) {
                        continue;
                    }
                    revision.decision = Some(after.status);
                    revision.decided_at = Some(now);
                    revision.decided_by = Some(caller.username.clone());
                    revision.decision_reason = reason.clone();
                    revised.push(revision);
                }
                if step == ReportStep::Accept {
                    after.accepted_revision = Some(after.current_revision);
                } else {
                    after.return_reason = reason.clone();
                }
                after.revise();
                let action = if step == ReportStep::Accept {
                    AuditAction::ReportAccept
                } else {
                    AuditAction::ReportReturn
                };
                reports::save(conn, &caller.actor(), action, &before, &after, &revised)?;
                Ok(after)
            })?;
            respond(conn, StatusCode::OK, row)
        })
        .await
        .map(reply)
}
