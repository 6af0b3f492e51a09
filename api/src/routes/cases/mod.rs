//! Legal aid cases: from the request to the archive. Each step is its own call, checked
//! against the case's state and the caller's role; from completion on the handling
//! organization can no longer edit or delete the case (change requests do that).
//!
//! - [`write`]: opening a case, correcting it while it is open, deleting it.
//! - [`reading`]: one case and its history.
//! - [`steps`]: the steps of its life cycle, each checked by the domain.
//! - [`list`]: lists in the caller's scope, and the filters reports share.
//! - here: what they all answer with (the case as the caller may see it).

mod list;
mod litigation_changes;
mod reading;
mod steps;
mod write;

pub use list::{case_filter, list_cases, scoped, CaseListQuery};
pub use litigation_changes::LitigationChanges;
pub use reading::{history, read, CaseEventView};
pub use steps::{take_step, Outcome, StepBody};
pub use write::{check_interests_kept, create, remove, update, CreateCase, UpdateCase};

use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tgpl_domain::access::Action;
use tgpl_domain::audit::AuditAction;
use tgpl_domain::case::{
    Case, CaseState, LitigationRole, OutcomeInput, ProceedingStage, Proceedings, QualityGrade,
    StepFacts, StepInput, SuccessKind, Transition,
};
use tgpl_domain::reference::{AidForm, AidPlace, Field, ProviderKind};
use tgpl_persistence::cases::{self, CaseFilter, CaseRow, CaseSort, EventRow};
use tgpl_persistence::exclusive::exclusive;
use tgpl_persistence::{recipients, DbConnection};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::Caller;
use crate::http::error::ApiError;
use crate::http::extract::{record, IfMatch, OptionalJson, Query, ValidJson};
use crate::http::lang::Text;
use crate::http::page::{parse_filter, parse_sort, search_term, Page, PageQuery};
use crate::http::patch;
use crate::redaction::Redaction;
use crate::routes::account_common::utc;
use crate::scope::{self, today, Permitted};
use crate::services::case_steps::{self, CaseSubject};
use crate::services::casework::{check_handles_cases, check_records_cases, check_works_on};
use crate::state::AppState;

type Problem = crate::http::error::Problem;

/// Details of a case in proceedings (tham gia tố tụng).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Litigation {
    #[schema(schema_with = crate::http::schemas::or_null::litigation_role)]
    pub role: Option<LitigationRole>,
    #[schema(schema_with = crate::http::schemas::or_null::proceeding_stage)]
    pub stage: Option<ProceedingStage>,
    /// The investigating agency, procuracy or court.
    #[schema(min_length = 1, max_length = 300)]
    #[validate(length(min = 1, max = 300))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub procedural_agency: Option<String>,
    #[schema(min_length = 1, max_length = 300)]
    #[validate(length(min = 1, max = 300))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub charge: Option<String>,
    /// The penalty the procuracy proposed.
    #[schema(min_length = 1, max_length = 300)]
    #[validate(length(min = 1, max = 300))]
    pub proposed_sentence: Option<String>,
    /// The decision of the proceedings.
    #[schema(min_length = 1, max_length = 2000)]
    #[validate(length(min = 1, max = 2000))]
    pub outcome: Option<String>,
}

impl From<Litigation> for Proceedings {
    fn from(l: Litigation) -> Self {
        Self {
            role: l.role,
            stage: l.stage,
            procedural_agency: l.procedural_agency,
            charge: l.charge,
            proposed_sentence: l.proposed_sentence,
            outcome: l.outcome,
        }
    }
}

impl From<Proceedings> for Litigation {
    fn from(p: Proceedings) -> Self {
        Self {
            role: p.role,
            stage: p.stage,
            procedural_agency: p.procedural_agency,
            charge: p.charge,
            proposed_sentence: p.proposed_sentence,
            outcome: p.outcome,
        }
    }
}

/// A quality evaluation of a closed case.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct QualityEvaluation {
    #[schema(schema_with = crate::http::schemas::quality_grade)]
    pub grade: QualityGrade,
    /// Username of the evaluator.
    pub evaluator: String,
    pub evaluated_on: NaiveDate,
    pub remarks: Option<String>,
}

impl From<tgpl_domain::case::QualityEvaluation> for QualityEvaluation {
    fn from(q: tgpl_domain::case::QualityEvaluation) -> Self {
        Self {
            grade: q.grade,
            evaluator: q.evaluator,
            evaluated_on: q.evaluated_on,
            remarks: q.remarks,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CaseView {
    pub id: String,
    #[schema(example = "TTTGPL-HN-2026-000123")]
    pub code: String,
    /// Shared reference of the cases of one proceeding.
    pub group_ref: Option<String>,
    /// The handling organization.
    pub organization_id: String,
    /// The aided person's record; `null` for those who may not see the aided person's data
    /// (oversight roles): it would link one person's cases across the country.
    pub recipient_id: Option<String>,
    /// When another person or agency requested aid for the recipient.
    pub requester_name: Option<String>,
    pub requester_relation: Option<String>,
    pub received_on: NaiveDate,
    /// Entry in the acceptance register (thụ lý).
    pub accepted_on: Option<NaiveDate>,
    #[schema(schema_with = crate::http::schemas::field)]
    pub field: Field,
    #[schema(schema_with = crate::http::schemas::aid_form)]
    pub form: AidForm,
    #[schema(schema_with = crate::http::schemas::aid_place)]
    pub place: AidPlace,
    pub provider_id: Option<String>,
    #[schema(schema_with = crate::http::schemas::or_null::provider_kind)]
    pub provider_kind: Option<ProviderKind>,
    pub summary: String,
    pub litigation: Option<Litigation>,
    pub outcome_on: Option<NaiveDate>,
    /// Litigation: whether the defence view was accepted (a successful case).
    pub defence_accepted: Option<bool>,
    #[schema(schema_with = crate::http::schemas::or_null::success_kind)]
    pub success_kind: Option<SuccessKind>,
    #[schema(schema_with = crate::http::schemas::case_state)]
    pub state: CaseState,
    /// The steps the case's state allows next to the caller's role (a step may still be
    /// refused for the case itself: a contracted lawyer works only the cases they perform).
    #[schema(schema_with = crate::http::schemas::case_steps)]
    pub next_steps: Vec<String>,
    /// Locked: edits and deletion only through a change request.
    pub locked: bool,
    pub closed_on: Option<NaiveDate>,
    pub closing_grounds: Option<String>,
    pub transferred_from_case_id: Option<String>,
    pub transferred_to_organization_id: Option<String>,
    pub quality: Option<QualityEvaluation>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl CaseView {
    /// The case as shown to a caller of `role`, made from a row [`Redaction`] went over:
    /// only [`Redaction::view`] calls it.
    pub(crate) fn seen_by(c: CaseRow, role: tgpl_domain::role::Role) -> Self {
        let state = *c.state;
        Self {
            next_steps: c
                .case()
                .next_steps()
                .iter()
                .filter(|t| t.allowed_for(role))
                .map(|t| t.to_string())
                .collect(),
            locked: state.is_locked(),
            litigation: c.litigation.map(|l| l.0.into()),
            quality: c.quality.map(|q| q.0.into()),
            id: c.id,
            code: c.code,
            group_ref: c.group_ref,
            organization_id: c.organization_id,
            recipient_id: Some(c.recipient_id),
            requester_name: c.requester_name,
            requester_relation: c.requester_relation,
            received_on: c.received_on,
            accepted_on: c.accepted_on,
            field: *c.field,
            form: *c.form,
            place: *c.place,
            provider_id: c.provider_id,
            provider_kind: c.provider_kind.map(|k| *k),
            summary: c.summary,
            outcome_on: c.outcome_on,
            defence_accepted: c.defence_accepted,
            success_kind: c.success_kind.map(|k| *k),
            state,
            closed_on: c.closed_on,
            closing_grounds: c.closing_grounds,
            transferred_from_case_id: c.transferred_from_case_id,
            transferred_to_organization_id: c.transferred_to_org_id,
            version: c.version,
            created_at: utc(c.created_at),
            updated_at: utc(c.updated_at),
        }
    }
}

/// Answers with a case that went through [`shown`].
fn respond(status: StatusCode, view: CaseView) -> HttpResponse {
    record(status, "/api/v1/cases", &view.id, view.version, &view)
}

/// A case as the caller may see it: every case this module answers with goes through the
/// one redaction of case data ([`Redaction`]) and shows the steps the caller's role takes.
fn shown(conn: &mut DbConnection, caller: &Caller, row: CaseRow) -> Result<CaseView, ApiError> {
    Ok(Redaction::of(conn, caller)?.view(row))
}

/// Loads a case the caller may `action`: 404 when the caller may not read it (unknown,
/// outside the caller's scope, or a role that reads no cases), 403 when the caller reads it
/// but may not do `action`.
pub fn load(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    action: Action,
) -> Result<CaseRow, ApiError> {
    let row = cases::get(conn, id)?;
    scope::check_read(conn, caller, Action::ReadCase, &row.organization_id)?;
    if action != Action::ReadCase {
        scope::check(conn, caller, action, &row.organization_id)?;
    }
    check_works_on(caller, &row)?;
    Ok(row)
}

/// The date of birth of the person a case aids, when known.
pub fn born_of(conn: &mut DbConnection, row: &CaseRow) -> Result<Option<NaiveDate>, ApiError> {
    Ok(recipients::get(conn, &row.recipient_id)?.date_of_birth)
}

pub fn locked() -> ApiError {
    ApiError::conflict(
        "case_locked",
        Text::new(
            "Vụ việc đã kết thúc nên đơn vị không được sửa, xóa; hãy gửi đề nghị tới Trung tâm Thông tin, dữ liệu trợ giúp pháp lý (/api/v1/change-requests).",
            "The case is closed: the unit can no longer edit or delete it; send a change request to the data centre (/api/v1/change-requests).",
        ),
    )
}
