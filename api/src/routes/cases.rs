//! Legal aid cases: from the request to the archive. Each step is its own call, checked
//! against the case's state and the caller's role; from completion on the handling
//! organization can no longer edit or delete the case (change requests do that).

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
use tgpl_domain::reference::{AidForm, AidPlace, Field};
use tgpl_persistence::cases::{self, CaseFilter, CaseRow, CaseSort, EventRow};
use tgpl_persistence::{recipients, DbConnection};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::account_common::utc;
use crate::auth::Caller;
use crate::http::error::ApiError;
use crate::http::extract::{etag, record, IfMatch, OptionalJson, Query, ValidJson};
use crate::http::lang::Text;
use crate::http::page::{parse_filter, parse_sort, search_term, Page, PageQuery};
use crate::redaction::Redaction;
use crate::scope::{self, today, Permitted};
use crate::services::case_steps::{self, CaseSubject};
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

#[derive(Serialize, ToSchema)]
pub struct CaseView {
    pub id: String,
    #[schema(example = "TTTGPL-HN-2026-000123")]
    pub code: String,
    /// Shared reference of the cases of one proceeding.
    pub group_ref: Option<String>,
    /// The handling organization.
    pub organization_id: String,
    pub recipient_id: String,
    /// When another person or agency requested aid for the recipient.
    pub requester_name: Option<String>,
    pub requester_relation: Option<String>,
    pub received_on: NaiveDate,
    /// Entry in the acceptance register (thụ lý).
    pub accepted_on: Option<NaiveDate>,
    #[schema(schema_with = crate::http::schemas::field)]
    pub field: String,
    #[schema(schema_with = crate::http::schemas::aid_form)]
    pub form: String,
    #[schema(schema_with = crate::http::schemas::aid_place)]
    pub place: String,
    pub provider_id: Option<String>,
    #[schema(schema_with = crate::http::schemas::or_null::provider_kind)]
    pub provider_kind: Option<String>,
    pub summary: String,
    pub litigation: Option<Litigation>,
    pub outcome_on: Option<NaiveDate>,
    /// Litigation: whether the defence view was accepted (a successful case).
    pub defence_accepted: Option<bool>,
    #[schema(schema_with = crate::http::schemas::or_null::success_kind)]
    pub success_kind: Option<String>,
    #[schema(schema_with = crate::http::schemas::case_state)]
    pub state: String,
    /// The steps the case's state allows next (the caller's role may allow fewer).
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

fn state_of(row: &CaseRow) -> Result<CaseState, ApiError> {
    row.state.parse().map_err(|_| ApiError::internal())
}

impl From<CaseRow> for CaseView {
    fn from(c: CaseRow) -> Self {
        let state = c.state.parse::<CaseState>().ok();
        Self {
            next_steps: state
                .map(|s| s.next_steps().iter().map(|t| t.to_string()).collect())
                .unwrap_or_default(),
            locked: state.is_some_and(CaseState::is_locked),
            litigation: c
                .litigation
                .as_deref()
                .and_then(|l| serde_json::from_str(l).ok()),
            quality: c
                .quality
                .as_deref()
                .and_then(|q| serde_json::from_str(q).ok()),
            id: c.id,
            code: c.code,
            group_ref: c.group_ref,
            organization_id: c.organization_id,
            recipient_id: c.recipient_id,
            requester_name: c.requester_name,
            requester_relation: c.requester_relation,
            received_on: c.received_on,
            accepted_on: c.accepted_on,
            field: c.field,
            form: c.form,
            place: c.place,
            provider_id: c.provider_id,
            provider_kind: c.provider_kind,
            summary: c.summary,
            outcome_on: c.outcome_on,
            defence_accepted: c.defence_accepted,
            success_kind: c.success_kind,
            state: c.state,
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
fn respond(status: StatusCode, row: CaseRow) -> HttpResponse {
    let view = CaseView::from(row);
    record(status, "/api/v1/cases", &view.id, view.version, &view)
}

/// A case as the caller may see it: every case this module answers with goes through the
/// one redaction of case data ([`Redaction`]).
fn shown(conn: &mut DbConnection, caller: &Caller, row: CaseRow) -> Result<CaseRow, ApiError> {
    Ok(Redaction::of(conn, caller)?.case(row))
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
    Ok(row)
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

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCase {
    /// The handling organization.
    pub organization_id: String,
    /// The aided person (one case per person who requested aid).
    pub recipient_id: String,
    /// Shared reference grouping the cases of one proceeding.
    #[schema(min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub group_ref: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub requester_name: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub requester_relation: Option<String>,
    pub received_on: NaiveDate,
    #[schema(schema_with = crate::http::schemas::field)]
    pub field: Field,
    #[schema(schema_with = crate::http::schemas::aid_form)]
    pub form: AidForm,
    #[schema(schema_with = crate::http::schemas::aid_place)]
    pub place: AidPlace,
    #[schema(min_length = 1, max_length = 4000)]
    #[validate(length(min = 1, max = 4000))]
    pub summary: String,
    #[validate(nested)]
    pub litigation: Option<Litigation>,
}

/// Records a request for legal aid as a new case (state `received`). Its code
/// (`<organization>-<year>-<sequence>`) is never reused.
#[utoipa::path(
    operation_id = "createCase",
    tag = "cases",
    security(("bearer" = [])),
    request_body = CreateCase,
    responses(
        (status = 201, description = "Created.", body = CaseView, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "The caller's role does no casework there.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Organization outside the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or a recipient the organization does not handle.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/cases")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: ValidJson<CreateCase>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let case = Case::received(
        body.form,
        body.received_on,
        body.litigation.map(Proceedings::from),
        today(),
    )
    .map_err(case_steps::details_refused)?;
    let row = state
        .write(move |conn| {
            let org = scope::authorize(conn, &caller, Action::ManageCase, &body.organization_id)?;
            let recipient = match recipients::get(conn, &body.recipient_id) {
                Ok(r) if super::recipients::allows(conn, &caller, Action::ReadRecipient, &r)? => r,
                Ok(_) | Err(tgpl_persistence::StoreError::NotFound) => {
                    return Err(ApiError::field(
                        "recipient_id",
                        "unknown_recipient",
                        "Không có người được trợ giúp pháp lý này trong phạm vi của bạn.",
                        "No such recipient within your scope.",
                    ))
                }
                Err(e) => return Err(e.into()),
            };
            let subject = CaseSubject {
                recipient_id: recipient.id,
                recipient_organization_id: recipient.organization_id,
                group_ref: body.group_ref,
                requester_name: body.requester_name,
                requester_relation: body.requester_relation,
                field: body.field.to_string(),
                place: body.place.to_string(),
                summary: body.summary,
            };
            let row = case_steps::open(conn, &caller.actor(), &org, &case, subject, None)?;
            shown(conn, &caller, row)
        })
        .await?;
    Ok(respond(StatusCode::CREATED, row))
}

/// One case.
#[utoipa::path(
    operation_id = "readCase",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The case.", body = CaseView, headers(("ETag" = String))),
        (status = 404, description = "No such case in the caller's scope.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/cases/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let row = state
        .db(move |conn| {
            let row = load(conn, &caller, &id, Action::ReadCase)?;
            shown(conn, &caller, row)
        })
        .await?;
    Ok(respond(StatusCode::OK, row))
}

/// Fields a unit may correct while the case is open (also what an approved change request
/// applies to a locked case).
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct UpdateCase {
    #[schema(min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub group_ref: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub requester_name: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub requester_relation: Option<String>,
    pub received_on: Option<NaiveDate>,
    #[schema(schema_with = crate::http::schemas::or_null::field)]
    pub field: Option<Field>,
    #[schema(schema_with = crate::http::schemas::or_null::aid_form)]
    pub form: Option<AidForm>,
    #[schema(schema_with = crate::http::schemas::or_null::aid_place)]
    pub place: Option<AidPlace>,
    #[schema(min_length = 1, max_length = 4000)]
    #[validate(length(min = 1, max = 4000))]
    pub summary: Option<String>,
    #[validate(nested)]
    pub litigation: Option<Litigation>,
    pub outcome_on: Option<NaiveDate>,
    pub defence_accepted: Option<bool>,
    #[schema(schema_with = crate::http::schemas::or_null::success_kind)]
    pub success_kind: Option<SuccessKind>,
}

impl UpdateCase {
    /// Applies the changes to a case; checks what depends on several fields.
    pub fn apply(&self, row: &mut CaseRow) -> Result<(), ApiError> {
        let mut case = row.case()?;
        if let Some(v) = self.received_on {
            case.received_on = v;
        }
        if let Some(v) = self.form {
            case.form = v;
        }
        if let Some(v) = &self.litigation {
            case.proceedings = Some(v.clone().into());
        }
        if let Some(v) = self.outcome_on {
            case.outcome_on = Some(v);
        }
        if let Some(v) = self.defence_accepted {
            case.defence_accepted = Some(v);
        }
        if let Some(v) = self.success_kind {
            case.success_kind = Some(v);
        }
        case.check_details(today())
            .map_err(case_steps::details_refused)?;
        row.set_case(&case)?;
        if let Some(v) = &self.group_ref {
            row.group_ref = Some(v.clone());
        }
        if let Some(v) = &self.requester_name {
            row.requester_name = Some(v.clone());
        }
        if let Some(v) = &self.requester_relation {
            row.requester_relation = Some(v.clone());
        }
        if let Some(v) = self.field {
            row.field = v.to_string();
        }
        if let Some(v) = self.place {
            row.place = v.to_string();
        }
        if let Some(v) = &self.summary {
            row.summary = v.clone();
        }
        row.search_text = case_steps::search_text(&row.code, &row.summary);
        Ok(())
    }
}

/// Corrects an open case. Requires `If-Match`. Closed cases are locked: 409 `case_locked`.
#[utoipa::path(
    operation_id = "updateCase",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "ETag of the case as read")),
    request_body = UpdateCase,
    responses(
        (status = 200, description = "Updated.", body = CaseView, headers(("ETag" = String))),
        (status = 403, description = "The caller's role does no casework.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is locked.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "ETag mismatch: someone changed it meanwhile.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields.", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/cases/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<UpdateCase>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.0;
    let row = state
        .write(move |conn| {
            let before = load(conn, &caller, &id, Action::ManageCase)?;
            if_match.require(&etag(before.version))?;
            if state_of(&before)?.is_locked() {
                return Err(locked());
            }
            if body.outcome_on.is_some()
                || body.defence_accepted.is_some()
                || body.success_kind.is_some()
            {
                return Err(ApiError::field(
                    "defence_accepted",
                    "outcome_via_complete",
                    "Kết quả vụ việc được ghi khi kết thúc vụ việc (bước complete).",
                    "The outcome is recorded by the `complete` step.",
                ));
            }
            let mut after = before.clone();
            body.apply(&mut after)?;
            if after != before {
                after.version += 1;
                after.updated_at = tgpl_persistence::now();
                cases::save(
                    conn,
                    &caller.actor(),
                    AuditAction::CaseUpdate,
                    &before,
                    &after,
                    None,
                )?;
            }
            shown(conn, &caller, after)
        })
        .await?;
    Ok(respond(StatusCode::OK, row))
}

/// Deletes an open case (kept, marked deleted, for the audit). Its code is never reused.
#[utoipa::path(
    operation_id = "deleteCase",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the case as read")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 403, description = "The caller's role does no casework.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is locked.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "ETag mismatch.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/cases/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    state
        .write(move |conn| {
            if_match.settle(conn, |conn| {
                let before = load(conn, &caller, &id, Action::ManageCase)?;
                if_match.check(&etag(before.version))?;
                if state_of(&before)?.is_locked() {
                    return Err(locked());
                }
                let mut after = before.clone();
                after.deleted_at = Some(tgpl_persistence::now());
                after.version += 1;
                after.updated_at = tgpl_persistence::now();
                Ok(cases::save(
                    conn,
                    &caller.actor(),
                    AuditAction::CaseDelete,
                    &before,
                    &after,
                    None,
                )?)
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Serialize, ToSchema)]
pub struct CaseEventView {
    #[schema(example = "accept")]
    pub step: String,
    #[schema(schema_with = crate::http::schemas::or_null::case_state)]
    pub from_state: Option<String>,
    #[schema(schema_with = crate::http::schemas::case_state)]
    pub to_state: String,
    /// The legal date of the step.
    pub occurred_on: NaiveDate,
    pub recorded_at: DateTime<Utc>,
    pub actor_username: String,
    pub reason: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub details: Option<serde_json::Value>,
}

impl From<EventRow> for CaseEventView {
    fn from(e: EventRow) -> Self {
        Self {
            step: e.step,
            from_state: e.from_state,
            to_state: e.to_state,
            occurred_on: e.occurred_on,
            recorded_at: utc(e.recorded_at),
            actor_username: e.actor_username,
            reason: e.reason,
            details: e
                .details
                .as_deref()
                .and_then(|d| serde_json::from_str(d).ok()),
        }
    }
}

/// The history of a case, oldest first.
#[utoipa::path(
    operation_id = "readCaseHistory",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Steps taken.", body = Vec<CaseEventView>),
        (status = 404, description = "No such case in the caller's scope.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/cases/{id}/history")]
pub async fn history(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let events = state
        .db(move |conn| {
            let row = load(conn, &caller, &id, Action::ReadCase)?;
            // A case received by transfer keeps the history it had in the provinces before,
            // however many transfers it went through.
            let mut chain = vec![row.id.clone()];
            let mut origin = row.transferred_from_case_id.clone();
            while let Some(source) = origin.filter(|s| !chain.contains(s)) {
                chain.push(source.clone());
                origin = cases::get_any(conn, &source)?.transferred_from_case_id;
            }
            let mut events = Vec::new();
            for case_id in chain.iter().rev() {
                events.extend(cases::events(conn, case_id)?);
            }
            // The history is read as part of this case: what its reader may see of it.
            let redaction = Redaction::of(conn, &caller)?;
            for event in &mut events {
                event.details = redaction.stored_object(&row.organization_id, event.details.take());
            }
            Ok(events)
        })
        .await?;
    Ok(HttpResponse::Ok().json(
        events
            .into_iter()
            .map(CaseEventView::from)
            .collect::<Vec<_>>(),
    ))
}

/// The outcome recorded when a case is completed.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// Litigation: the decision.
    #[schema(min_length = 1, max_length = 2000)]
    #[validate(length(min = 1, max = 2000))]
    pub outcome: Option<String>,
    pub outcome_on: Option<NaiveDate>,
    pub defence_accepted: Option<bool>,
    #[schema(schema_with = crate::http::schemas::or_null::success_kind)]
    pub success_kind: Option<SuccessKind>,
}

/// What a step may carry; each step uses what it needs.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepBody {
    /// The legal date of the step (Viet Nam date); today when absent.
    pub on: Option<NaiveDate>,
    /// Why: required to refuse, change the provider, discontinue (the grounds).
    #[schema(min_length = 1, max_length = 2000)]
    #[validate(length(min = 1, max = 2000))]
    pub reason: Option<String>,
    /// `assign_provider`, `change_provider`: a staff member who can take the case.
    pub provider_id: Option<String>,
    /// `transfer_out`: the state legal aid centre of another province.
    pub to_organization_id: Option<String>,
    /// `complete`.
    #[validate(nested)]
    pub outcome: Option<Outcome>,
    /// `evaluate_quality`.
    #[schema(schema_with = crate::http::schemas::or_null::quality_grade)]
    pub grade: Option<QualityGrade>,
}

/// Takes one step of a case (accept, refuse, assign_provider, change_provider, start,
/// complete, discontinue, withdraw, transfer_out, evaluate_quality, archive). An illegal
/// step answers 409 `illegal_step` with the steps allowed next. `transfer_out` creates the
/// case in the receiving centre, which counts it as transferred in and sees its history.
#[utoipa::path(
    operation_id = "takeCaseStep",
    tag = "cases",
    security(("bearer" = [])),
    params(
        ("id" = String, Path),
        ("step" = String, Path, description = "The step: accept, refuse, assign_provider, change_provider, start, complete, discontinue, withdraw, transfer_out, evaluate_quality, archive"),
        ("If-Match" = Option<String>, Header, description = "ETag of the case as read"),
    ),
    request_body(content = Option<StepBody>),
    responses(
        (status = 200, description = "Done; the case.", body = CaseView, headers(("ETag" = String))),
        (status = 403, description = "The caller's role may not take this step.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case or step in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed from the current state: `allowed_steps` lists what is.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "ETag mismatch.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing or invalid details, or a provider who cannot take the case.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/cases/{id}/steps/{step}")]
pub async fn take_step(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: OptionalJson<StepBody>,
) -> Result<HttpResponse, ApiError> {
    let (id, step) = path.into_inner();
    let step: Transition = step.parse().map_err(|_| ApiError::not_found())?;
    let body = body.0.unwrap_or_default();
    let view = state
        .write(move |conn| {
            // One transaction: a transfer's receiving case is created with the step, or not at all.
            let after = if_match.settle(conn, |conn| {
                let action = if step == Transition::EvaluateQuality {
                    Action::EvaluateCaseQuality
                } else {
                    Action::ManageCase
                };
                let before = load(conn, &caller, &id, action)?;
                if_match.check(&etag(before.version))?;
                let input = step_input(conn, step, &body, &before)?;
                let facts = StepFacts {
                    today: today(),
                    last_step_on: case_steps::last_step_on(conn, &before)?,
                    role: Some(caller.role),
                    actor: &caller.username,
                };
                case_steps::take_and_save(conn, &caller.actor(), &before, step, input, facts)
            })?;
            shown(conn, &caller, after)
        })
        .await?;
    Ok(respond(StatusCode::OK, view))
}

/// The step's input as the domain takes it, with what it names looked up: the provider's
/// eligibility on the step's day, the organization a transfer goes to.
fn step_input(
    conn: &mut DbConnection,
    step: Transition,
    body: &StepBody,
    case: &CaseRow,
) -> Result<StepInput, ApiError> {
    let on = body.on.unwrap_or_else(today);
    let provider = match (&body.provider_id, step.names_provider()) {
        (Some(id), true) => Some(case_steps::provider_choice(
            conn,
            id.clone(),
            &case.organization_id,
            on,
        )?),
        _ => None,
    };
    let transfer = match (&body.to_organization_id, step.names_transfer_target()) {
        (Some(to), true) => Some(case_steps::transfer_choice(
            conn,
            to.clone(),
            &case.organization_id,
        )?),
        _ => None,
    };
    Ok(StepInput {
        on,
        reason: body.reason.clone(),
        provider,
        transfer,
        outcome: body.outcome.clone().map(|o| OutcomeInput {
            outcome: o.outcome,
            outcome_on: o.outcome_on,
            defence_accepted: o.defence_accepted,
            success_kind: o.success_kind,
        }),
        grade: body.grade,
    })
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseListQuery {
    /// Cases of this organization and everything under it.
    pub organization_id: Option<String>,
    /// One or more states, comma-separated.
    #[param(schema_with = crate::http::schemas::case_state_list)]
    pub state: Option<String>,
    #[param(schema_with = crate::http::schemas::field)]
    pub field: Option<String>,
    #[param(schema_with = crate::http::schemas::aid_form)]
    pub form: Option<String>,
    pub provider_id: Option<String>,
    pub recipient_id: Option<String>,
    /// The statistical category of the aided person (the category whose proof came first).
    #[param(schema_with = crate::http::schemas::recipient_category)]
    pub recipient_category: Option<String>,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    /// Litigation cases whose defence view was accepted (`true`) or the others (`false`).
    pub successful: Option<bool>,
    /// Searches code, recipient name and summary, ignoring case and Vietnamese diacritics.
    pub q: Option<String>,
    /// `-received_on` (default), `received_on`, `code`, `-code`.
    #[param(schema_with = case_sorts)]
    pub sort: Option<String>,
}

/// The orders of the case list.
fn case_sorts() -> utoipa::openapi::Object {
    crate::http::page::sort_schema(&CASE_SORTS)
}

const CASE_SORTS: [(&str, CaseSort); 4] = [
    ("-received_on", CaseSort::ReceivedDesc),
    ("received_on", CaseSort::Received),
    ("code", CaseSort::Code),
    ("-code", CaseSort::CodeDesc),
];

/// Lists the cases in the caller's scope, filtered, searched, sorted and paged.
#[utoipa::path(
    operation_id = "listCases",
    tag = "cases",
    security(("bearer" = [])),
    params(CaseListQuery, PageQuery),
    responses(
        (status = 200, description = "One page of cases.", body = Page<CaseView>),
        (status = 403, description = "Service clients do not read cases.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/cases")]
pub async fn list_cases(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<CaseListQuery>,
    paging: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = paging.request()?;
    let q = query.0;
    let filter = case_filter(q)?;
    let (paged, entries) = state
        .db(move |conn| {
            let filter = scoped(conn, &caller, filter)?;
            let readable = scope::permitted(conn, &caller, Action::ReadRecipient)?;
            let mut paged = cases::list(conn, &filter, page)?;
            let redaction = Redaction::of(conn, &caller)?;
            paged.items = paged
                .items
                .into_iter()
                .map(|row| redaction.case(row))
                .collect();
            // A search may have matched the aided person's name: that is a read of it.
            let entries: Vec<_> = match filter.search_names_in {
                Some(_) => paged
                    .items
                    .iter()
                    .filter(|c| readable.contains(&c.organization_id))
                    .map(|c| {
                        super::recipients::access_entry(&caller, &c.recipient_id, "case_search")
                    })
                    .collect(),
                None => Vec::new(),
            };
            Ok((paged, entries))
        })
        .await?;
    super::recipients::log_reads(&state, entries).await?;
    Ok(HttpResponse::Ok().json(Page::new(&req, page, paged, CaseView::from)))
}

/// The filter of a case list query, checked.
pub fn case_filter(q: CaseListQuery) -> Result<(CaseFilter, Option<String>), ApiError> {
    let states = match q.state {
        None => None,
        Some(codes) => Some(
            codes
                .split(',')
                .map(|s| {
                    parse_filter::<CaseState>("state", Some(s.trim().to_owned()))
                        .map(|v| v.unwrap_or_default())
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    let sort = parse_sort(q.sort.as_deref(), CaseSort::ReceivedDesc, &CASE_SORTS)?;
    let filter = CaseFilter {
        organizations: None,
        states,
        field: parse_filter::<Field>("field", q.field)?,
        form: parse_filter::<AidForm>("form", q.form)?,
        provider_id: q.provider_id,
        recipient_id: q.recipient_id,
        recipient_category: parse_filter::<tgpl_domain::reference::RecipientCategory>(
            "recipient_category",
            q.recipient_category,
        )?,
        received_from: q.received_from,
        received_to: q.received_to,
        successful: q.successful,
        outcome_from: None,
        outcome_to: None,
        search: search_term(q.q.as_deref()),
        search_names_in: None,
        sort,
    };
    Ok((filter, q.organization_id))
}

/// Restricts a filter to the caller's scope and, when asked, to one organization's subtree.
/// The aided person's name is searched, and `recipient_id` filtered on, only where the
/// caller may see recipients.
pub fn scoped(
    conn: &mut DbConnection,
    caller: &Caller,
    (mut filter, root): (CaseFilter, Option<String>),
) -> Result<CaseFilter, ApiError> {
    let permitted = scope::permitted(conn, caller, Action::ReadCase)?;
    if permitted == Permitted::Only(Vec::new()) {
        return Err(ApiError::forbidden());
    }
    let readable = scope::permitted(conn, caller, Action::ReadRecipient)?;
    if filter.recipient_id.is_some() && readable == Permitted::Only(Vec::new()) {
        return Err(ApiError::forbidden());
    }
    if filter.recipient_id.is_some() {
        if let Permitted::Only(orgs) = &readable {
            filter.organizations = Some(orgs.clone());
        }
    }
    if filter.search.is_some() && readable != Permitted::Only(Vec::new()) {
        filter.search_names_in = Some(readable.as_filter());
    }
    let within = match root {
        None => permitted.as_filter(),
        Some(root) => {
            scope::authorize(conn, caller, Action::ReadCase, &root)?;
            let subtree: Vec<String> = scope::tree_today(conn, caller)?
                .subtree(&root)
                .into_iter()
                .map(|n| n.org_id)
                .filter(|id| permitted.contains(id))
                .collect();
            Some(subtree)
        }
    };
    filter.organizations = match (filter.organizations.take(), within) {
        (Some(a), Some(b)) => Some(a.into_iter().filter(|id| b.contains(id)).collect()),
        (a, b) => a.or(b),
    };
    Ok(filter)
}
