//! Starting a report, preparing it (entered figures, explanations), reading and listing.

use super::*;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateReport {
    /// The reporting unit; the caller's own organization when absent.
    pub organization_id: Option<String>,
    #[schema(example = "tt02-2011-bm1")]
    pub form: String,
    /// A period of the form's regime (`2026-6M`, `2025-CY`); not an ad-hoc range.
    #[schema(example = "2026-6M")]
    pub period: String,
    /// `computed` (default) from the records kept here, or `entered` by a club or a
    /// participating organization that keeps no records here.
    #[schema(schema_with = crate::http::schemas::or_null::figures_source)]
    pub source: Option<FiguresSource>,
}

/// Starts a report of an organization's form for a period, as a draft: the receiver is the
/// unit's parent on the period's last day (art. 6) and the due date its level's (art. 7(2)).
#[utoipa::path(
    operation_id = "createStatisticalReport",
    tag = "reporting",
    request_body = CreateReport,
    responses(
        (status = 201, description = "The draft.", body = ReportView, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "The caller does not prepare this unit's reports.", body = Problem),
        (status = 409, description = "`report_exists`: the unit's report for the form and period was started; `id` names it.", body = Problem),
        (status = 422, description = "Unknown form, a period not of the form's regime or an ad-hoc range, a unit that reports to nobody, or entered figures for a unit that keeps its records here.", body = Problem),
    )
)]
#[post("/statistics/reports")]
pub async fn create_report(
    state: web::Data<AppState>,
    caller: Caller,
    body: ValidJson<CreateReport>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let form = form_named(&body.form)?;
    let period = period_of(form, &body.period)?;
    if !form.is_reported_for(&period) {
        return Err(not_reported(form));
    }
    let source = body.source.unwrap_or(FiguresSource::Computed);
    let org_id = body
        .organization_id
        .unwrap_or_else(|| caller.org_id.clone());
    state
        .write(move |conn| {
            let organization = organizations::get(conn, &org_id).map_err(|e| match e {
                tgpl_persistence::StoreError::NotFound => ApiError::field(
                    "organization_id",
                    "unknown_organization",
                    "Không có tổ chức này.",
                    "No such organization.",
                ),
                e => e.into(),
            })?;
            let tree = Hierarchy::on(period.to(), &organizations::all_links(conn)?);
            scope::check_on(&tree, &caller, Action::ReadStatistics, &org_id)
                .map_err(scope::hidden)?;
            scope::check_on(&tree, &caller, Action::PrepareStatisticalReport, &org_id)?;
            let kind = *organization.kind;
            let Some(level) = ReportingLevel::of(kind) else {
                return Err(ApiError::field(
                    "organization_id",
                    "not_a_reporting_unit",
                    "Tổ chức này không gửi báo cáo thống kê trợ giúp pháp lý.",
                    "This organization sends no legal aid statistics.",
                ));
            };
            if source == FiguresSource::Entered && !may_enter_figures(kind) {
                return Err(records_kept_here());
            }
            let receiver_id = match tree.parent(&org_id) {
                Some(parent) => {
                    let parent = organizations::get(conn, parent)?;
                    reporting::receives_from(*parent.kind, kind).then_some(parent.id)
                }
                None => None,
            };
            if receiver_id.is_none() && level != ReportingLevel::Agency {
                return Err(ApiError::field(
                    "organization_id",
                    "no_receiver",
                    "Tổ chức không có đơn vị nhận báo cáo vào ngày cuối kỳ.",
                    "The organization had no unit to report to on the period's last day.",
                ));
            }
            let row = ReportRow::draft(
                org_id.clone(),
                form.code,
                period.to_string(),
                receiver_id,
                reporting::due_on(form.regime, &period, level),
                source,
            );
            match reports::insert(conn, &caller.actor(), &row) {
                Ok(()) => respond(conn, StatusCode::CREATED, row),
                // Two concurrent starts: the one that lost finds the winner's.
                Err(e) => match reports::find(conn, &org_id, form.code, &row.period)? {
                    Some(existing) => Err(ApiError::conflict(
                        "report_exists",
                        Text::new(
                            "Báo cáo của đơn vị cho biểu mẫu và kỳ này đã được lập.",
                            "The unit's report for this form and period was already started.",
                        ),
                    )
                    .with_extra(serde_json::json!({ "id": existing.id }))),
                    None => Err(e.into()),
                },
            }
        })
        .await
        .map(reply)
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PrepareReport {
    /// Changes where the figures come from, while the report has never been submitted:
    /// `entered` for a club or a participating organization, `computed` for any unit (its
    /// entered figures are then dropped).
    #[schema(schema_with = crate::http::schemas::figures_source)]
    #[serde(default, deserialize_with = "crate::http::extract::kept")]
    pub source: Option<FiguresSource>,
    /// The figures of a report of entered figures: every row of the form once, one whole
    /// number from 0 per column (the layout of `GET /statistics/forms/{form}`).
    #[schema(value_type = Vec<FigureRowView>)]
    #[serde(default, deserialize_with = "crate::http::extract::kept")]
    pub entered_figures: Option<Vec<FigureRowView>>,
    /// Why rules of severity warning do not hold (at most 4,000 characters; empty clears it).
    #[schema(value_type = String)]
    #[serde(default, deserialize_with = "crate::http::extract::kept")]
    pub explanation: Option<String>,
    /// Why reports of units below are missing or not yet accepted (at most 4,000 characters;
    /// empty clears it).
    #[schema(value_type = String)]
    #[serde(default, deserialize_with = "crate::http::extract::kept")]
    pub missing_explanation: Option<String>,
}

/// Checks entered figures for `form`: the layout, then the form's error rules, which an
/// entry may not break (nothing is stored when it does).
pub(super) fn checked_figures(
    form: &'static Form,
    period: &Period,
    rows: Vec<EnteredRow>,
) -> Result<Vec<EnteredRow>, ApiError> {
    let entered = figures::entered(form, period, &rows).map_err(figure_errors)?;
    match check_submission(&entered, Some("-"), &[], None) {
        Err(refusal) => Err(refused_submission(refusal)),
        Ok(_) => Ok(figures::rows_of(&entered)),
    }
}

/// The explanations a body gives, checked: absent leaves a report's as it is, empty clears it.
pub(super) struct Explanations {
    explanation: Option<Option<String>>,
    missing: Option<Option<String>>,
}

impl Explanations {
    /// Reads `explanation` and `missing_explanation`: each at most 4,000 characters once
    /// trimmed (422 `too_long` naming it).
    pub(super) fn read(
        explanation: Option<String>,
        missing: Option<String>,
    ) -> Result<Self, ApiError> {
        let one = |field: &str, text: Option<String>| match text.map(|t| t.trim().to_owned()) {
            Some(t) if t.chars().count() > 4000 => Err(ApiError::field(
                field,
                "too_long",
                "Tối đa 4.000 ký tự.",
                "At most 4,000 characters.",
            )),
            Some(t) => Ok(Some(Some(t).filter(|t| !t.is_empty()))),
            None => Ok(None),
        };
        Ok(Self {
            explanation: one("explanation", explanation)?,
            missing: one("missing_explanation", missing)?,
        })
    }

    pub(super) fn apply(&self, row: &mut ReportRow) {
        if let Some(text) = &self.explanation {
            row.explanation = text.clone();
        }
        if let Some(text) = &self.missing {
            row.missing_explanation = text.clone();
        }
    }
}

/// Prepares a draft or a returned report: where its figures come from (before its first
/// submission), its entered figures and its explanations. Fields absent are left as they are.
#[utoipa::path(
    operation_id = "prepareStatisticalReport",
    tag = "reporting",
    params(("If-Match" = String, Header, description = "ETag of the report as read")),
    request_body = PrepareReport,
    responses(
        (status = 200, description = "The report.", body = ReportView, headers(("ETag" = String))),
        (status = 409, description = "Submitted: figures change only by a correction (`report_submitted`); the source of a report once submitted (`source_fixed`).", body = Problem),
        (status = 422, description = "Entered figures for a unit that keeps its records here (`records_kept_here`) or for a computed report (`computed_report`); figures in another layout, below zero, or breaking an error rule of the form (`rules_broken`, with the rule results); nothing is stored.", body = Problem),
    )
)]
#[patch("/statistics/reports/{id}")]
pub async fn prepare_report(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<PrepareReport>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.0;
    let explanations = Explanations::read(body.explanation, body.missing_explanation)?;
    let source = body.source;
    let entered: Option<Vec<EnteredRow>> = body
        .entered_figures
        .map(|rows| rows.into_iter().map(EnteredRow::from).collect());
    state
        .write(move |conn| {
            let row = if_match.settle(conn, |conn| {
                let (before, form, period) =
                    load(conn, &caller, &id, Action::PrepareStatisticalReport)?;
                if_match.require_current(&before)?;
                let mut after = before.clone();
                if let Some(source) = source {
                    change_source(conn, &mut after, source)?;
                }
                if let Some(rows) = entered.clone() {
                    enter(&mut after, form, &period, rows)?;
                }
                explanations.apply(&mut after);
                save_prepared(conn, &caller, before, after)
            })?;
            respond(conn, StatusCode::OK, row)
        })
        .await
        .map(reply)
}

/// Changes where a report's figures come from, before its first submission: a unit that keeps
/// its records here does not enter them.
fn change_source(
    conn: &mut DbConnection,
    row: &mut ReportRow,
    source: FiguresSource,
) -> Result<(), ApiError> {
    if *row.source == source {
        return Ok(());
    }
    if row.current_revision > 0 {
        return Err(ApiError::conflict(
            "source_fixed",
            Text::new(
                "Báo cáo đã gửi nên không đổi nguồn số liệu.",
                "The report was submitted: where its figures come from no longer changes.",
            ),
        ));
    }
    let kind = *organizations::get(conn, &row.organization_id)?.kind;
    if source == FiguresSource::Entered && !may_enter_figures(kind) {
        return Err(records_kept_here());
    }
    row.source = Code(source);
    if source == FiguresSource::Computed {
        row.entered_figures = None;
    }
    Ok(())
}

fn records_kept_here() -> ApiError {
    ApiError::field(
        "source",
        "records_kept_here",
        "Trung tâm, Chi nhánh, Sở Tư pháp và Cục báo cáo số liệu tính từ dữ liệu trong hệ thống.",
        "Centres, branches, Departments and the Agency report the figures of the records kept here.",
    )
}

/// Puts entered figures into a draft or returned report of entered figures.
pub(super) fn enter(
    row: &mut ReportRow,
    form: &'static Form,
    period: &Period,
    rows: Vec<EnteredRow>,
) -> Result<(), ApiError> {
    check_editable(row)?;
    if *row.source != FiguresSource::Entered {
        return Err(ApiError::field(
            "entered_figures",
            "computed_report",
            "Báo cáo này tính số liệu từ dữ liệu trong hệ thống; không nhập số liệu.",
            "This report's figures are computed from the records; none are entered.",
        ));
    }
    row.entered_figures = Some(Json(checked_figures(form, period, rows)?));
    Ok(())
}

/// Saves a change of a report being prepared, audited when it changed anything.
pub(super) fn save_prepared(
    conn: &mut DbConnection,
    caller: &Caller,
    before: ReportRow,
    after: ReportRow,
) -> Result<ReportRow, ApiError> {
    check_editable(&before)?;
    Ok(tgpl_persistence::versioned::save_revision(
        &before,
        after,
        |b, a| reports::save(conn, &caller.actor(), AuditAction::ReportUpdate, b, a, &[]),
    )?)
}

/// Refuses to change the figures of a report once submitted (art. 9).
pub(super) fn check_editable(row: &ReportRow) -> Result<(), ApiError> {
    if row.status.is_editable() {
        return Ok(());
    }
    Err(ApiError::conflict(
        "report_submitted",
        Text::new(
            "Báo cáo đã gửi: số liệu chỉ thay đổi bằng đính chính (Điều 9 Thông tư 02/2011/TT-BTP).",
            "The report was submitted: its figures change only by a correction (Circular 02/2011 art. 9).",
        ),
    ))
}
