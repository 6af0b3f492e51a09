//! Statistical reports sent up the chain (Circular 02/2011/TT-BTP art. 5–9;
//! `tgpl_domain::statistics::reporting`).
//!
//! - [`drafting`]: starting a report and entering its figures.
//! - [`reading`]: reading a report with its revisions, and listing reports.
//! - [`steps`]: submitting (the unit's head), accepting and returning (the level above).
//! - [`corrections`]: correcting submitted figures (art. 9) and reading each revision.
//! - [`reconciliation`]: the submitted figures beside what the records say now.
//! - [`completeness`]: which expected reports came in, and in time.

mod completeness;
mod corrections;
mod drafting;
mod reading;
mod reconciliation;
mod steps;
mod upload;

pub use completeness::*;
pub use corrections::*;
pub use drafting::*;
pub use reading::*;
pub use reconciliation::*;
pub use steps::*;
pub use upload::*;

use actix_web::http::StatusCode;
use actix_web::{patch, post, put, HttpRequest};
use tgpl_domain::audit::AuditAction;
use tgpl_domain::label::Vocabulary;
use tgpl_domain::statistics::reporting::figures::{self, EnteredRow};
use tgpl_domain::statistics::reporting::report::{check_submission, may_enter_figures};
use tgpl_domain::statistics::reporting::{
    self as reporting, CellChange, FigureError, FiguresSource, ReportStatus, ReportStep,
    SubmissionRefusal, Timeliness,
};
use tgpl_domain::statistics::ReportingLevel;
use tgpl_persistence::column::{Code, Json};
use tgpl_persistence::statistics::reports::{self, ReportFilter, ReportRow, RevisionRow};
use tgpl_persistence::versioned::Versioned;
use tgpl_persistence::DbConnection;
use validator::Validate;

use super::records::{form_named, form_of, not_reported, period_filter, period_of};
use super::tables::RuleResultView;
use super::*;
use crate::http::extract::{record, IfMatch, ValidJson};
use crate::http::lang::Text;
use crate::http::page::{parse_filter, Page, PageQuery};
use crate::routes::account_common::utc;
use crate::services::reporting::{self as reporting_service, take};

type Problem = crate::http::error::Problem;

/// One row of figures, as entered and as frozen in a revision.
#[derive(Serialize, Deserialize, ToSchema, Clone)]
pub struct FigureRowView {
    /// `total`, or the row's code as in the form's table (`I.criminal`).
    #[schema(example = "I.criminal")]
    pub code: String,
    /// One figure per column of the form, in order; whole numbers from 0.
    pub cells: Vec<i64>,
}

impl From<EnteredRow> for FigureRowView {
    fn from(r: EnteredRow) -> Self {
        Self {
            code: r.code,
            cells: r.cells,
        }
    }
}

impl From<FigureRowView> for EnteredRow {
    fn from(r: FigureRowView) -> Self {
        Self {
            code: r.code,
            cells: r.cells,
        }
    }
}

/// How a report stands against its due date.
#[derive(Serialize, ToSchema)]
pub struct TimelinessView {
    /// `not_yet_due`, `on_time`, `late` or `missing`; none for a report with no due date.
    #[schema(example = "on_time")]
    pub code: &'static str,
    /// Days past the due date: of the first submission when late, of today when missing.
    pub days_late: i64,
}

impl From<Timeliness> for TimelinessView {
    fn from(t: Timeliness) -> Self {
        Self {
            code: t.code(),
            days_late: t.days_late(),
        }
    }
}

/// A revision in a report's list of them.
#[derive(Serialize, ToSchema)]
pub struct RevisionSummaryView {
    pub revision: i32,
    #[schema(schema_with = crate::http::schemas::figures_source)]
    pub source: FiguresSource,
    /// Why the figures were corrected (art. 9); none for a submission.
    pub correction_reason: Option<String>,
    pub proposed_at: DateTime<Utc>,
    /// None while a correction waits for the head's confirmation.
    pub confirmed_at: Option<DateTime<Utc>>,
    /// `accepted` or `returned` by the receiver, once decided.
    #[schema(schema_with = crate::http::schemas::or_null::report_status)]
    pub decision: Option<ReportStatus>,
    /// Where the revision is read, with its differences from the one before.
    pub href: String,
}

/// A statistical report: one organization's form for one period.
#[derive(Serialize, ToSchema)]
pub struct ReportView {
    pub id: String,
    pub organization_id: String,
    #[schema(example = "tt02-2011-bm1")]
    pub form: String,
    /// The period in its canonical form (`2025-10-01/P6M`).
    pub period: String,
    /// The organization that receives it (art. 6): the sender's parent on the period's last
    /// day. None for the Agency when no Ministry is kept in the system.
    pub receiver_id: Option<String>,
    /// The sender's reporting level.
    pub level: LabelView,
    /// The last day it is on time (art. 7(2)); none for an ad-hoc range.
    pub due_on: Option<NaiveDate>,
    #[schema(schema_with = crate::http::schemas::report_status)]
    pub status: ReportStatus,
    /// What may be done next: `submit`, `accept` and `return` at `/{step}`; `correct`
    /// proposes a correction (`/corrections`); `confirm` confirms the one waiting
    /// (`/corrections/{pending_correction}/confirm`).
    #[schema(schema_with = crate::http::schemas::report_steps)]
    pub next_steps: Vec<ReportStep>,
    /// `computed` from the records, or `entered` by a unit that keeps no records here.
    #[schema(schema_with = crate::http::schemas::figures_source)]
    pub source: FiguresSource,
    /// The figures entered for the next submission (a report of entered figures).
    pub entered_figures: Option<Vec<FigureRowView>>,
    /// Why rules of severity warning do not hold, for the next submission.
    pub explanation: Option<String>,
    /// Why reports of units below are missing or not accepted, for the next submission.
    pub missing_explanation: Option<String>,
    pub first_submitted_on: Option<NaiveDate>,
    pub timeliness: Option<TimelinessView>,
    /// The newest revision submitted (0: none yet), and the one the receiver accepted.
    pub current_revision: i32,
    pub accepted_revision: Option<i32>,
    /// A correction waiting for the head's confirmation.
    pub pending_correction: Option<i32>,
    /// Why the receiver returned it, while it is returned.
    pub return_reason: Option<String>,
    /// A unit below corrected figures after this report was submitted: it should be
    /// corrected in turn.
    pub needs_resubmission: bool,
    pub revisions: Vec<RevisionSummaryView>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn view(row: ReportRow, level: Option<ReportingLevel>, revisions: Vec<RevisionRow>) -> ReportView {
    let timeliness = row
        .due_on
        .map(|due| Timeliness::of(due, row.first_submitted_on, today()).into());
    let href = |n: i32| format!("/api/v1/statistics/reports/{}/revisions/{n}", row.id);
    let pending_correction = revisions
        .iter()
        .find(|r| r.confirmed_at.is_none())
        .map(|r| r.revision);
    ReportView {
        pending_correction,
        revisions: revisions
            .into_iter()
            .map(|r| RevisionSummaryView {
                href: href(r.revision),
                revision: r.revision,
                source: *r.source,
                correction_reason: r.correction_reason,
                proposed_at: utc(r.proposed_at),
                confirmed_at: r.confirmed_at.map(utc),
                decision: r.decision.map(|d| *d),
            })
            .collect(),
        id: row.id,
        organization_id: row.organization_id,
        form: row.form,
        period: row.period,
        receiver_id: row.receiver_id,
        level: level.map_or(LabelView { vi: "", en: "" }, |l| l.label().into()),
        due_on: row.due_on,
        next_steps: row.status.next_steps(pending_correction.is_some()),
        status: *row.status,
        source: *row.source,
        entered_figures: row
            .entered_figures
            .map(|f| f.0.into_iter().map(FigureRowView::from).collect()),
        explanation: row.explanation,
        missing_explanation: row.missing_explanation,
        first_submitted_on: row.first_submitted_on,
        timeliness,
        current_revision: row.current_revision,
        accepted_revision: row.accepted_revision,
        return_reason: row.return_reason,
        needs_resubmission: row.needs_resubmission,
        version: row.version,
        created_at: utc(row.created_at),
        updated_at: utc(row.updated_at),
    }
}

/// A report as read for an answer: its view, with what its `ETag` needs.
pub(super) struct Answer {
    status: StatusCode,
    id: String,
    version: i64,
    view: ReportView,
}

/// Reads what `row` is answered with (inside the database work: an `HttpResponse` is made
/// outside it, by [`reply`]).
fn respond(
    conn: &mut DbConnection,
    status: StatusCode,
    row: ReportRow,
) -> Result<Answer, ApiError> {
    let level = ReportingLevel::of(*organizations::get(conn, &row.organization_id)?.kind);
    let revisions = reports::revisions(conn, &row.id)?;
    Ok(Answer {
        status,
        id: row.id.clone(),
        version: row.version,
        view: view(row, level, revisions),
    })
}

/// A report as the answer, with its `ETag` (and its `Location` when created).
fn reply(answer: Answer) -> HttpResponse {
    record(
        answer.status,
        "/api/v1/statistics/reports",
        &answer.id,
        answer.version,
        &answer.view,
    )
}

/// The form and period a stored report names.
fn form_and_period(row: &ReportRow) -> Result<(&'static Form, Period), ApiError> {
    let form = form_of(&row.form).map_err(ApiError::logged("stored report form"))?;
    let period = form
        .regime
        .period(&row.period)
        .map_err(ApiError::logged("stored report period"))?;
    Ok((form, period))
}

/// Loads report `id` for `action` by `caller`: unreadable is 404 (the chain reads its
/// subtree's reports on the tree of the period's last day, as their tables); readable but
/// not `action` is 403. The receiver's actions are decided on the receiver.
fn load(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    action: Action,
) -> Result<(ReportRow, &'static Form, Period), ApiError> {
    let row = reports::get(conn, id)?;
    let (form, period) = form_and_period(&row)?;
    let tree = Hierarchy::on(period.to(), &organizations::all_links(conn)?);
    scope::check_on(&tree, caller, Action::ReadStatistics, &row.organization_id)
        .map_err(scope::hidden)?;
    match action {
        Action::ReadStatistics => {}
        Action::ReceiveStatisticalReports => {
            let Some(receiver) = row.receiver_id.as_deref() else {
                return Err(ApiError::forbidden());
            };
            // The report is readable: a receiver the caller cannot see is still a refusal.
            scope::check_on(&tree, caller, action, receiver).map_err(scope::refused)?;
        }
        _ => scope::check_on(&tree, caller, action, &row.organization_id)?,
    }
    Ok((row, form, period))
}

/// At most 40 characters of what was sent, for a message that names it.
pub(super) fn echoed(text: &str) -> String {
    let mut out: String = text.chars().take(40).collect();
    if text.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}

/// A reason written for a step (a return, a correction): trimmed, from 1 to 4,000
/// characters, or 422 `length` on `reason`.
fn reason(text: &str) -> Result<String, ApiError> {
    let reason = text.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 4000 {
        return Err(ApiError::field(
            "reason",
            "length",
            "Cần nêu lý do (tối đa 4.000 ký tự).",
            "Give the reason (at most 4,000 characters).",
        ));
    }
    Ok(reason)
}

/// 422 naming each wrong place of entered figures (`entered_figures[I.criminal][3]`).
fn figure_errors(errors: Vec<FigureError>) -> ApiError {
    use tgpl_domain::refusal::Refusal;
    let fields = errors
        .into_iter()
        .map(|e| match e {
            // A row code is echoed only in part: a file's whole text can stand in one.
            FigureError::UnknownRow { row } => FigureError::UnknownRow { row: echoed(&row) },
            FigureError::RepeatedRow { row } => FigureError::RepeatedRow { row: echoed(&row) },
            other => other,
        })
        .map(|e| e.field_refusal())
        .collect();
    ApiError::validation(fields)
}

/// 422 for a report that may not be submitted as it stands, with the rule results or the
/// units whose reports are missing.
fn refused_submission(refusal: SubmissionRefusal) -> ApiError {
    let (code, vi, en, extra) = match refusal {
        SubmissionRefusal::BrokenRules(rules) => (
            "rules_broken",
            "Số liệu vi phạm quy tắc kiểm tra của biểu mẫu; xem danh sách quy tắc.",
            "The figures break the form's rules; see the list of rules.",
            serde_json::json!({ "rules": rules.into_iter().map(RuleResultView::from).collect::<Vec<_>>() }),
        ),
        SubmissionRefusal::UnexplainedWarnings(rules) => (
            "explanation_required",
            "Số liệu có cảnh báo chưa được giải trình (explanation).",
            "Warnings of the form's rules need an explanation.",
            serde_json::json!({ "rules": rules.into_iter().map(RuleResultView::from).collect::<Vec<_>>() }),
        ),
        SubmissionRefusal::UnexplainedMissing(units) => (
            "missing_reports",
            "Còn đơn vị cấp dưới chưa gửi hoặc chưa được tiếp nhận báo cáo; cần nêu lý do (missing_explanation).",
            "Reports of units below are missing or not accepted; say why in missing_explanation.",
            serde_json::json!({ "missing": units }),
        ),
    };
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        code,
        Text::new("Chưa gửi được báo cáo", "The report cannot be submitted"),
        Text::new(vi, en),
    )
    .with_extra(extra)
}
