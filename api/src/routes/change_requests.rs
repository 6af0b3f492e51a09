//! Change requests (seed 000 §2d, appendices 02 and 03): a unit asks the Agency's data
//! centre to edit a locked case, delete it, or take it out of the archive, for one or many
//! cases at once. The data centre approves (the change is carried out atomically) or
//! rejects, with a reason. Nobody else can change a locked case.

use std::collections::HashSet;

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tgpl_domain::access::{Action, SystemAction};
use tgpl_domain::audit::AuditAction;
use tgpl_domain::case::{CaseState, ChangeKind, Transition};
use tgpl_domain::change_request::{self, ChangeRequestStatus, DecisionRefusal};
use tgpl_domain::label::Vocabulary;
use tgpl_persistence::cases::{self, EventRow};
use tgpl_persistence::change_requests::{self, ItemRow, RequestFilter, RequestRow};
use tgpl_persistence::exclusive::{exclusive, Claim, Rule};
use tgpl_persistence::versioned::Versioned;
use tgpl_persistence::DbConnection;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::account_common::utc;
use super::cases::UpdateCase;
use crate::auth::Caller;
use crate::http::error::{ApiError, FieldError};
use crate::http::extract::{etag, record, IfMatch, Query, ValidJson};
use crate::http::lang::Text;
use crate::http::page::{parse_filter, Page, PageQuery};
use crate::redaction::Redaction;
use crate::scope::{self, today, Permitted};
use crate::state::AppState;

type Problem = crate::http::error::Problem;

#[derive(Serialize, ToSchema)]
pub struct ChangeItemView {
    pub case_id: String,
    /// For edits: the fields to change, as `PATCH /api/v1/cases/{id}` takes them.
    #[schema(value_type = Option<Object>)]
    pub changes: Option<serde_json::Value>,
}

#[derive(Serialize, ToSchema)]
pub struct ChangeRequestView {
    pub id: String,
    /// The requesting organization.
    pub organization_id: String,
    #[schema(schema_with = crate::http::schemas::change_kind)]
    pub kind: String,
    pub reason: String,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_reason: Option<String>,
    pub cases: Vec<ChangeItemView>,
    pub version: i64,
}

impl ChangeRequestView {
    fn new(r: RequestRow, items: Vec<ItemRow>) -> Self {
        Self {
            id: r.id,
            organization_id: r.organization_id,
            kind: r.kind,
            reason: r.reason,
            status: r.status,
            requested_by: r.requested_by,
            requested_at: utc(r.requested_at),
            decided_by: r.decided_by,
            decided_at: r.decided_at.map(utc),
            decision_reason: r.decision_reason,
            cases: items
                .into_iter()
                .map(|i| ChangeItemView {
                    case_id: i.case_id,
                    changes: i
                        .proposed_changes
                        .as_deref()
                        .and_then(|c| serde_json::from_str(c).ok()),
                })
                .collect(),
            version: r.version,
        }
    }
}

/// The items of a request as the caller may see them: proposed changes go through the one
/// redaction of case data, for the requesting organization's cases.
fn shown(
    conn: &mut DbConnection,
    caller: &Caller,
    request: &RequestRow,
    items: Vec<ItemRow>,
) -> Result<Vec<ItemRow>, ApiError> {
    let redaction = Redaction::of(conn, caller)?;
    Ok(redacted(&redaction, request, items))
}

fn redacted(redaction: &Redaction, request: &RequestRow, items: Vec<ItemRow>) -> Vec<ItemRow> {
    items
        .into_iter()
        .map(|mut item| {
            item.proposed_changes =
                redaction.stored_object(&request.organization_id, item.proposed_changes.take());
            item
        })
        .collect()
}

/// Answers with a request whose items went through [`shown`].
fn respond(status: StatusCode, request: RequestRow, items: Vec<ItemRow>) -> HttpResponse {
    let (id, version) = (request.id.clone(), request.version);
    let view = ChangeRequestView::new(request, items);
    record(status, "/api/v1/change-requests", &id, version, &view)
}

#[derive(Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeItem {
    pub case_id: String,
    /// For `edit`: the fields to change.
    #[validate(nested)]
    pub changes: Option<UpdateCase>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitChangeRequest {
    #[schema(schema_with = crate::http::schemas::change_kind)]
    pub kind: ChangeKind,
    /// Why the change is needed (the unit's letter).
    #[schema(min_length = 1, max_length = 2000)]
    #[validate(length(min = 1, max = 2000))]
    pub reason: String,
    /// One or many cases of the caller's organization.
    #[schema(min_items = 1, max_items = 100)]
    #[validate(length(min = 1, max = 100), nested)]
    pub cases: Vec<ChangeItem>,
}

fn item_error(index: usize, code: &'static str, vi: &str, en: &str) -> ApiError {
    ApiError::validation(vec![FieldError::new(
        format!("cases[{index}].case_id"),
        code,
        vi,
        en,
    )])
}

/// Asks the data centre to edit, delete or take out of the archive one or many locked
/// cases. Each case must be one the caller works on, in a state that needs the request
/// (locked for edits and deletion, archived to take out), with no other request pending.
#[utoipa::path(
    operation_id = "submitChangeRequest",
    tag = "change-requests",
    security(("bearer" = [])),
    request_body = SubmitChangeRequest,
    responses(
        (status = 201, description = "Submitted.", body = ChangeRequestView, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "The caller's role does no casework.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A case that is unknown, not locked (change it directly), not archived, or already under a pending request; or invalid changes.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/change-requests")]
pub async fn submit(
    state: web::Data<AppState>,
    caller: Caller,
    body: ValidJson<SubmitChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let mut seen = HashSet::new();
    for (i, item) in body.cases.iter().enumerate() {
        if !seen.insert(item.case_id.clone()) {
            return Err(item_error(
                i,
                "duplicate",
                "Vụ việc bị lặp lại.",
                "The case is listed twice.",
            ));
        }
        if (body.kind == ChangeKind::Edit) != item.changes.is_some() {
            return Err(ApiError::validation(vec![FieldError::new(
                format!("cases[{i}].changes"),
                "edit_only",
                "Đề nghị sửa cần nêu nội dung sửa; đề nghị khác thì không.",
                "Edits carry the changes; other requests do not.",
            )]));
        }
    }
    let (request, items) = state
        .write(move |conn| {
            // Checked and written as one, so that requests for the same case sent at once
            // do not all find none pending.
            let claims: Vec<Claim> = body
                .cases
                .iter()
                .map(|item| Claim::new(Rule::ChangeRequest, item.case_id.as_str()))
                .collect();
            exclusive(conn, &claims, |conn| {
                let mut items = Vec::new();
                let request_id = tgpl_persistence::new_id();
                for (i, item) in body.cases.iter().enumerate() {
                    let case = match super::cases::load(
                        conn,
                        &caller,
                        &item.case_id,
                        Action::ManageCase,
                    ) {
                        Ok(c) => c,
                        Err(e) if e.status == StatusCode::FORBIDDEN => return Err(e),
                        Err(_) => {
                            return Err(item_error(
                                i,
                                "unknown_case",
                                "Không có vụ việc này trong phạm vi của bạn.",
                                "No such case in your scope.",
                            ))
                        }
                    };
                    let state: CaseState = case
                        .state
                        .parse()
                        .map_err(ApiError::logged("stored state unreadable"))?;
                    if !body.kind.needed_for(state) {
                        return Err(item_error(
                        i,
                        "not_needed",
                        "Vụ việc chưa khóa (đơn vị tự sửa, xóa được) hoặc chưa lưu hồ sơ.",
                        "The case is not locked (the unit can change it itself) or not archived.",
                    ));
                    }
                    if change_requests::pending_for_case(conn, &case.id)? {
                        return Err(item_error(
                            i,
                            "pending_request",
                            "Vụ việc đang có đề nghị chờ xử lý.",
                            "A request for this case is pending.",
                        ));
                    }
                    if let Some(changes) = &item.changes {
                        // Checked now, so that the data centre is never asked for an impossible change.
                        changes.apply(&mut case.clone())?;
                    }
                    items.push(ItemRow {
                        id: tgpl_persistence::new_id(),
                        change_request_id: request_id.clone(),
                        case_id: case.id,
                        proposed_changes: item
                            .changes
                            .as_ref()
                            .map(serde_json::to_string)
                            .transpose()
                            .map_err(ApiError::logged("serializing a stored document"))?,
                        open: true,
                    });
                }
                let request = RequestRow {
                    id: request_id,
                    organization_id: caller.org_id.clone(),
                    kind: body.kind.to_string(),
                    reason: body.reason,
                    status: ChangeRequestStatus::Pending.to_string(),
                    requested_by: caller.username.clone(),
                    requested_at: tgpl_persistence::now(),
                    decided_by: None,
                    decided_at: None,
                    decision_reason: None,
                    version: 1,
                };
                change_requests::insert(conn, &caller.actor(), &request, &items)?;
                let items = shown(conn, &caller, &request, items)?;
                Ok((request, items))
            })
        })
        .await?;
    Ok(respond(StatusCode::CREATED, request, items))
}

/// Loads a request the caller may see: the data centre sees all, units those of their
/// subtree. Any other request answers 404, like an unknown one.
fn load(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
) -> Result<(RequestRow, Vec<ItemRow>), ApiError> {
    let (request, items) = change_requests::get(conn, id)?;
    if scope::authorize_system(caller, SystemAction::DecideChangeRequests).is_err() {
        scope::check_read(conn, caller, Action::ReadCase, &request.organization_id)?;
    }
    Ok((request, items))
}

/// Loads a request for a decision: 404 when the caller cannot see it, 403 when the caller
/// sees it but does not decide (only the data centre does).
fn load_for_decision(
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
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The request.", body = ChangeRequestView, headers(("ETag" = String))),
        (status = 404, description = "No such request in the caller's scope.", body = Problem, content_type = "application/problem+json"),
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
    security(("bearer" = [])),
    params(ChangeRequestQuery, PageQuery),
    responses(
        (status = 200, description = "One page of requests.", body = Page<ChangeRequestView>),
        (status = 403, description = "Service clients have no change requests.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter.", body = Problem, content_type = "application/problem+json"),
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
            let permitted = scope::permitted(conn, &caller, Action::ReadCase)?;
            if permitted == Permitted::Only(Vec::new()) {
                return Err(ApiError::forbidden());
            }
            let filter = RequestFilter {
                organizations: permitted.as_filter(),
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

#[derive(Deserialize, Validate, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// Required to reject; optional to approve.
    #[schema(min_length = 1, max_length = 2000)]
    #[validate(length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

/// The data centre's decision on a request (see [`change_request::decide`]).
fn decided(
    caller: &Caller,
    before: &RequestRow,
    decision: change_request::Decision,
    reason: Option<String>,
) -> Result<RequestRow, ApiError> {
    let status: ChangeRequestStatus = before
        .status
        .parse()
        .map_err(ApiError::logged("stored status unreadable"))?;
    let status = change_request::decide(status, &before.requested_by, &caller.username, decision)
        .map_err(|refusal| match refusal {
        DecisionRefusal::OwnRequest => ApiError::forbidden(),
        DecisionRefusal::AlreadyDecided => ApiError::conflict(
            "already_decided",
            Text::new(
                "Đề nghị đã được xử lý.",
                "The request has been decided already.",
            ),
        ),
    })?;
    let mut after = before.clone();
    after.status = status.to_string();
    after.decided_by = Some(caller.username.clone());
    after.decided_at = Some(tgpl_persistence::now());
    after.decision_reason = reason;
    after.version += 1;
    Ok(after)
}

/// The state a case returns to when taken out of the archive (see
/// [`change_request::state_after_unarchive`]), from the case's history.
fn before_archive(conn: &mut DbConnection, case_id: &str) -> Result<CaseState, ApiError> {
    let archived_from = cases::events(conn, case_id)?
        .into_iter()
        .rev()
        .find(|e| e.step == Transition::Archive.code())
        .and_then(|e| e.from_state)
        .map(|s| {
            s.parse()
                .map_err(ApiError::logged("stored state unreadable"))
        })
        .transpose()?;
    Ok(change_request::state_after_unarchive(archived_from))
}

/// Approves a request: every change is carried out, all or none, and recorded with who
/// asked and who decided.
#[utoipa::path(
    operation_id = "approveChangeRequest",
    tag = "change-requests",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the request as read")),
    request_body(content = Option<Decision>),
    responses(
        (status = 200, description = "Approved and carried out.", body = ChangeRequestView, headers(("ETag" = String))),
        (status = 403, description = "Only the data centre decides.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already decided, or a case changed so that the request no longer applies.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The requested changes are no longer valid for the case.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/change-requests/{id}/approve")]
pub async fn approve(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: crate::http::extract::OptionalJson<Decision>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let reason = body.0.and_then(|d| d.reason);
    let (request, items) = state
        .write(move |conn| {
            if_match.settle(conn, |conn| {
                let (before, items) = load_for_decision(conn, &caller, &id)?;
                if_match.check(&etag(before.version))?;
                let after = decided(&caller, &before, change_request::Decision::Approve, reason.clone())?;
                let kind: ChangeKind = before.kind.parse().map_err(ApiError::logged("stored kind unreadable"))?;
                let actor = caller.actor();
                for item in &items {
                    let case = cases::get(conn, &item.case_id).map_err(|_| no_longer_applies())?;
                    let mut changed = case.clone();
                    let (action, step) = match kind {
                        ChangeKind::Edit => {
                            let changes: UpdateCase = item
                                .proposed_changes
                                .as_deref()
                                .and_then(|c| serde_json::from_str(c).ok())
                                .ok_or_else(ApiError::internal)?;
                            changes.apply(&mut changed)?;
                            (AuditAction::CaseUpdate, "change_request_edit")
                        }
                        ChangeKind::Delete => {
                            changed.deleted_at = Some(tgpl_persistence::now());
                            (AuditAction::CaseDelete, "change_request_delete")
                        }
                        ChangeKind::Unarchive => {
                            if case.state != CaseState::Archived.code() {
                                return Err(no_longer_applies());
                            }
                            changed.state = before_archive(conn, &case.id)?.to_string();
                            (AuditAction::CaseStep, "unarchive")
                        }
                    };
                    changed.revise();
                    let details = serde_json::json!({ "change_request_id": before.id, "requested_by": before.requested_by }).to_string();
                    let event = EventRow::new(&changed, &actor, step, Some(&case.state), today(), Some(before.reason.clone()), Some(details));
                    cases::save(conn, &actor, action, &case, &changed, Some(&event))?;
                }
                change_requests::decide(conn, &actor, &before, &after)?;
                let items = shown(conn, &caller, &after, items)?;
                Ok((after, items))
            })
        })
        .await?;
    Ok(respond(StatusCode::OK, request, items))
}

fn no_longer_applies() -> ApiError {
    ApiError::conflict(
        "no_longer_applies",
        Text::new(
            "Một vụ việc đã thay đổi nên đề nghị không còn áp dụng được; không có gì bị thay đổi.",
            "A case changed so that the request no longer applies; nothing was changed.",
        ),
    )
}

/// Rejects a request, with the reason.
#[utoipa::path(
    operation_id = "rejectChangeRequest",
    tag = "change-requests",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the request as read")),
    request_body = Decision,
    responses(
        (status = 200, description = "Rejected.", body = ChangeRequestView, headers(("ETag" = String))),
        (status = 403, description = "Only the data centre decides.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already decided.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The reason is missing.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/change-requests/{id}/reject")]
pub async fn reject(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<Decision>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let reason = body.0.reason.ok_or_else(|| {
        ApiError::field(
            "reason",
            "required",
            "Cần nêu lý do từ chối.",
            "Give the reason for rejecting.",
        )
    })?;
    let (request, items) = state
        .write(move |conn| {
            if_match.settle(conn, |conn| {
                let (before, items) = load_for_decision(conn, &caller, &id)?;
                if_match.check(&etag(before.version))?;
                let after = decided(
                    &caller,
                    &before,
                    change_request::Decision::Reject,
                    Some(reason.clone()),
                )?;
                change_requests::decide(conn, &caller.actor(), &before, &after)?;
                let items = shown(conn, &caller, &after, items)?;
                Ok((after, items))
            })
        })
        .await?;
    Ok(respond(StatusCode::OK, request, items))
}
