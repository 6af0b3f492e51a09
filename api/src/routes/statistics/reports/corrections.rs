//! Corrections of submitted figures (Circular 02/2011 art. 9): proposed with a reason and new
//! figures (entered, or recomputed after cases were fixed), confirmed by the unit's head, and
//! only then a new revision that the receiver accepts again; the reports above that used the
//! old figures are flagged. Every revision stays readable with its differences.

use super::drafting::checked_figures;
use super::*;
use crate::services::reporting::{compile, flag_above, revision_of, stored_table};

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposeCorrection {
    /// Why the figures are corrected (1 to 4,000 characters).
    pub reason: String,
    /// The corrected figures of a report of entered figures; a report computed from the
    /// records is recomputed from them as they are now.
    pub entered_figures: Option<Vec<FigureRowView>>,
}

/// Proposes a correction of a submitted or accepted report: a revision that changes nothing
/// until the unit's head confirms it.
#[utoipa::path(
    operation_id = "proposeReportCorrection",
    tag = "reporting",
    params(("If-Match" = Option<String>, Header, description = "ETag of the report as read")),
    request_body = ProposeCorrection,
    responses(
        (status = 201, description = "The proposed revision.", body = RevisionView, headers(("Location" = String))),
        (status = 409, description = "Not submitted (`illegal_step`), a correction already waiting (`correction_pending`), or figures equal to the current ones (`no_change`).", body = Problem),
        (status = 422, description = "No reason, entered figures missing or invalid, or breaking an error rule.", body = Problem),
    )
)]
#[post("/statistics/reports/{id}/corrections")]
pub async fn propose_correction(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<ProposeCorrection>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.0;
    let reason = reason(&body.reason)?;
    let entered: Option<Vec<EnteredRow>> = body
        .entered_figures
        .map(|rows| rows.into_iter().map(EnteredRow::from).collect());
    state
        .write(move |conn| {
            let revision = if_match.settle(conn, |conn| {
                let (before, form, period) =
                    load(conn, &caller, &id, Action::PrepareStatisticalReport)?;
                if_match.check_current(&before)?;
                take(&mut before.clone(), ReportStep::Correct)?;
                let revisions = reports::revisions(conn, &before.id)?;
                if revisions.iter().any(is_pending) {
                    return Err(ApiError::conflict(
                        "correction_pending",
                        Text::new(
                            "Đã có đề nghị đính chính chờ xác nhận.",
                            "A correction is already waiting for confirmation.",
                        ),
                    ));
                }
                let mut proposed = before.clone();
                if *before.source == FiguresSource::Entered {
                    let Some(rows) = entered.clone() else {
                        return Err(ApiError::field(
                            "entered_figures",
                            "required",
                            "Cần số liệu đính chính.",
                            "Give the corrected figures.",
                        ));
                    };
                    proposed.entered_figures = Some(Json(checked_figures(form, &period, rows)?));
                } else if entered.is_some() {
                    return Err(ApiError::field(
                        "entered_figures",
                        "computed_report",
                        "Báo cáo này tính lại số liệu từ dữ liệu trong hệ thống; không nhập số liệu.",
                        "This report is recomputed from the records; no figures are entered.",
                    ));
                }
                let compiled = compile(conn, &proposed, form, &period)?;
                if let Err(refusal) = check_submission(&compiled.table, Some("-"), &[], None) {
                    return Err(refused_submission(refusal));
                }
                let current = revisions
                    .iter()
                    .find(|r| r.revision == before.current_revision)
                    .ok_or_else(|| ApiError::logged("current revision")("missing"))?;
                if figures::rows_of(&compiled.table) == current.figures.0 {
                    return Err(ApiError::conflict(
                        "no_change",
                        Text::new(
                            "Số liệu không khác số liệu đã gửi.",
                            "The figures do not differ from those submitted.",
                        ),
                    ));
                }
                let n = revisions.last().map_or(1, |r| r.revision + 1);
                let revision = revision_of(
                    &before,
                    n,
                    compiled,
                    &caller.username,
                    Some(reason.clone()),
                );
                let mut after = before.clone();
                after.revise();
                reports::save(
                    conn,
                    &caller.actor(),
                    AuditAction::ReportCorrectionPropose,
                    &before,
                    &after,
                    std::slice::from_ref(&revision),
                )?;
                let previous = current.clone();
                Ok((revision, previous, form, period))
            })?;
            let (revision, previous, form, period) = revision;
            let location = format!(
                "/api/v1/statistics/reports/{}/revisions/{}",
                revision.report_id, revision.revision
            );
            Ok((location, revision_view(form, &period, revision, Some(&previous))?))
        })
        .await
        .map(|(location, body)| {
            HttpResponse::Created()
                .insert_header((actix_web::http::header::LOCATION, location))
                .json(body)
        })
}

/// A proposed correction not yet confirmed nor withdrawn.
fn is_pending(r: &RevisionRow) -> bool {
    r.confirmed_at.is_none() && r.decision.is_none()
}

/// Confirms a proposed correction: it becomes the report's submitted revision, which the
/// receiver accepts again, and every report above it for the same form and period already
/// sent is flagged as needing resubmission.
#[utoipa::path(
    operation_id = "confirmReportCorrection",
    tag = "reporting",
    params(("If-Match" = Option<String>, Header, description = "ETag of the report as read")),
    responses(
        (status = 200, description = "The report, with the correction as its submitted revision.", body = ReportView, headers(("ETag" = String))),
        (status = 403, description = "Only the unit's head confirms.", body = Problem),
        (status = 409, description = "Not a correction waiting for confirmation (`not_pending`).", body = Problem),
    )
)]
#[post("/statistics/reports/{id}/corrections/{revision}/confirm")]
pub async fn confirm_correction(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, i32)>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let (id, n) = path.into_inner();
    state
        .write(move |conn| {
            let row = if_match.settle(conn, |conn| {
                let (before, _, period) =
                    load(conn, &caller, &id, Action::SubmitStatisticalReport)?;
                if_match.check_current(&before)?;
                let mut revision = reports::revision(conn, &before.id, n)?;
                if !is_pending(&revision) {
                    return Err(ApiError::conflict(
                        "not_pending",
                        Text::new(
                            "Đây không phải đề nghị đính chính đang chờ xác nhận.",
                            "This is not a correction waiting for confirmation.",
                        ),
                    ));
                }
                let mut after = before.clone();
                take(&mut after, ReportStep::Confirm)?;
                revision.confirmed_at = Some(tgpl_persistence::now());
                revision.confirmed_by = Some(caller.username.clone());
                after.current_revision = n;
                after.entered_figures =
                    (*after.source == FiguresSource::Entered).then(|| revision.figures.clone());
                after.needs_resubmission = false;
                after.revise();
                reports::save(
                    conn,
                    &caller.actor(),
                    AuditAction::ReportCorrectionConfirm,
                    &before,
                    &after,
                    &[revision],
                )?;
                flag_above(conn, &caller.actor(), &after, &period)?;
                Ok(after)
            })?;
            respond(conn, StatusCode::OK, row)
        })
        .await
        .map(reply)
}

/// One cell that differs from the revision before.
#[derive(Serialize, ToSchema)]
pub struct CellChangeView {
    pub row: String,
    pub column: u8,
    pub before: u64,
    pub after: u64,
    /// After minus before.
    pub difference: i64,
}

impl From<CellChange> for CellChangeView {
    fn from(c: CellChange) -> Self {
        Self {
            difference: c.difference(),
            row: c.row,
            column: c.column,
            before: c.before,
            after: c.after,
        }
    }
}

/// An entered report added to a level's figures.
#[derive(Serialize, ToSchema)]
pub struct EnteredUseView {
    pub organization_id: String,
    pub report_id: String,
    pub revision: i32,
}

/// One revision of a report: the figures it froze, what they cover, and how they differ from
/// the revision before.
#[derive(Serialize, ToSchema)]
pub struct RevisionView {
    pub report_id: String,
    pub revision: i32,
    #[schema(schema_with = crate::http::schemas::figures_source)]
    pub source: FiguresSource,
    pub rows: Vec<FigureRowView>,
    /// The organizations whose records were counted.
    pub records_of: Vec<String>,
    /// The entered reports of units below that were added.
    pub entered_reports: Vec<EnteredUseView>,
    pub explanation: Option<String>,
    pub missing_explanation: Option<String>,
    pub correction_reason: Option<String>,
    pub proposed_at: DateTime<Utc>,
    pub proposed_by: String,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub confirmed_by: Option<String>,
    #[schema(schema_with = crate::http::schemas::or_null::report_status)]
    pub decision: Option<ReportStatus>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    pub decision_reason: Option<String>,
    /// The revision compared with: the newest one before this that the receiver accepted,
    /// else the newest one sent before this.
    pub compared_with: Option<i32>,
    /// The cells that differ from it, in the form's order.
    pub changes: Vec<CellChangeView>,
}

fn revision_view(
    form: &'static Form,
    period: &Period,
    r: RevisionRow,
    previous: Option<&RevisionRow>,
) -> Result<RevisionView, ApiError> {
    let changes = match previous {
        Some(p) => figures::changes(
            &stored_table(form, period, &p.figures)?,
            &stored_table(form, period, &r.figures)?,
        ),
        None => Vec::new(),
    };
    Ok(RevisionView {
        report_id: r.report_id,
        revision: r.revision,
        source: *r.source,
        rows: r.figures.0.into_iter().map(FigureRowView::from).collect(),
        records_of: r.coverage.0.records,
        entered_reports: r
            .coverage
            .0
            .entered
            .into_iter()
            .map(|e| EnteredUseView {
                organization_id: e.organization_id,
                report_id: e.report_id,
                revision: e.revision,
            })
            .collect(),
        explanation: r.explanation,
        missing_explanation: r.missing_explanation,
        correction_reason: r.correction_reason,
        proposed_at: utc(r.proposed_at),
        proposed_by: r.proposed_by,
        confirmed_at: r.confirmed_at.map(utc),
        confirmed_by: r.confirmed_by,
        decision: r.decision.map(|d| *d),
        decided_at: r.decided_at.map(utc),
        decided_by: r.decided_by,
        decision_reason: r.decision_reason,
        compared_with: previous.map(|p| p.revision),
        changes: changes.into_iter().map(CellChangeView::from).collect(),
    })
}

/// One revision of a report, with the cells that differ from the confirmed revision before.
#[utoipa::path(
    operation_id = "readReportRevision",
    tag = "reporting",
    responses(
        (status = 200, description = "The revision.", body = RevisionView),
        (status = 404, description = "No such revision in the caller's scope.", body = Problem),
    )
)]
#[get("/statistics/reports/{id}/revisions/{revision}")]
pub async fn read_revision(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse, ApiError> {
    let (id, n) = path.into_inner();
    let body = state
        .db(move |conn| {
            let (row, form, period) = load(conn, &caller, &id, Action::ReadStatistics)?;
            let revisions = reports::revisions(conn, &row.id)?;
            let Some(at) = revisions.iter().position(|r| r.revision == n) else {
                return Err(ApiError::not_found());
            };
            // Against what the receiver last accepted, else the revision sent before.
            let before = &revisions[..at];
            let previous = before
                .iter()
                .rev()
                .find(|r| r.decision.is_some_and(|d| *d == ReportStatus::Accepted))
                .or_else(|| before.iter().rev().find(|r| r.confirmed_at.is_some()));
            revision_view(form, &period, revisions[at].clone(), previous)
        })
        .await?;
    Ok(HttpResponse::Ok().json(body))
}
