//! Requests for review (kiến nghị, form 2): a legal aid organization writes to a competent
//! agency about how law is applied. Draft, sent, answered; once sent the letter is locked,
//! as a closed case is.

use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tgpl_domain::access::Action;
use tgpl_domain::audit::AuditAction;
use tgpl_domain::case::{ReviewKind, ReviewState};
use tgpl_domain::review_request::{self, ReviewStep};
use tgpl_persistence::review_requests::{self, ReviewFilter, ReviewRow};
use tgpl_persistence::versioned::Versioned;
use tgpl_persistence::DbConnection;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::account_common::utc;
use crate::auth::Caller;
use crate::http::error::ApiError;
use crate::http::extract::{etag, record, IfMatch, Query, ValidJson};
use crate::http::lang::Text;
use crate::http::page::{parse_filter, search_term, Page, PageQuery};
use crate::scope::{self, today, Permitted};
use crate::state::AppState;

type Problem = crate::http::error::Problem;

#[derive(Serialize, ToSchema)]
pub struct ReviewView {
    pub id: String,
    /// The organization writing it.
    pub organization_id: String,
    #[schema(schema_with = crate::http::schemas::review_kind)]
    pub kind: String,
    /// The competent agency it is addressed to.
    pub addressee: String,
    pub content: String,
    /// The related case, if any.
    pub case_id: Option<String>,
    #[schema(schema_with = crate::http::schemas::review_state)]
    pub state: String,
    pub sent_on: Option<NaiveDate>,
    pub answered_on: Option<NaiveDate>,
    pub answer: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ReviewRow> for ReviewView {
    fn from(r: ReviewRow) -> Self {
        Self {
            id: r.id,
            organization_id: r.organization_id,
            kind: r.kind,
            addressee: r.addressee,
            content: r.content,
            case_id: r.case_id,
            state: r.state,
            sent_on: r.sent_on,
            answered_on: r.answered_on,
            answer: r.answer,
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

fn respond(status: StatusCode, row: ReviewRow) -> HttpResponse {
    let (id, version) = (row.id.clone(), row.version);
    record(
        status,
        "/api/v1/review-requests",
        &id,
        version,
        &ReviewView::from(row),
    )
}

fn search_text(r: &ReviewRow) -> String {
    tgpl_domain::text::fold(&format!("{} {}", r.addressee, r.content))
}

fn load(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    action: Action,
) -> Result<ReviewRow, ApiError> {
    let row = review_requests::get(conn, id)?;
    // Unreadable is hidden (404); readable but not `action` is 403.
    scope::check_read(conn, caller, Action::ReadCase, &row.organization_id)?;
    if action != Action::ReadCase {
        scope::check(conn, caller, action, &row.organization_id)?;
    }
    Ok(row)
}

fn sent() -> ApiError {
    ApiError::conflict(
        "review_locked",
        Text::new(
            "Kiến nghị đã gửi nên không sửa, xóa được.",
            "The request has been sent: it can no longer be changed or deleted.",
        ),
    )
}

/// A related case must be one of the same organization.
fn check_case(
    conn: &mut DbConnection,
    caller: &Caller,
    org_id: &str,
    case_id: Option<&str>,
) -> Result<(), ApiError> {
    let Some(case_id) = case_id else {
        return Ok(());
    };
    match super::cases::load(conn, caller, case_id, Action::ReadCase) {
        Ok(case) if case.organization_id == org_id => Ok(()),
        _ => Err(ApiError::field(
            "case_id",
            "unknown_case",
            "Không có vụ việc này của tổ chức gửi kiến nghị.",
            "No such case of the writing organization.",
        )),
    }
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateReview {
    pub organization_id: String,
    #[schema(schema_with = crate::http::schemas::review_kind)]
    pub kind: ReviewKind,
    #[schema(min_length = 1, max_length = 300)]
    #[validate(length(min = 1, max = 300))]
    #[serde(deserialize_with = "crate::http::text::name")]
    pub addressee: String,
    #[schema(min_length = 1, max_length = 10000)]
    #[validate(length(min = 1, max = 10000))]
    pub content: String,
    pub case_id: Option<String>,
}

/// Drafts a request for review.
#[utoipa::path(
    operation_id = "createReviewRequest",
    tag = "review-requests",
    security(("bearer" = [])),
    request_body = CreateReview,
    responses(
        (status = 201, description = "Drafted.", body = ReviewView, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "The caller's role does no casework.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Organization outside the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/review-requests")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: ValidJson<CreateReview>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let row = state
        .write(move |conn| {
            scope::authorize(conn, &caller, Action::ManageCase, &body.organization_id)?;
            check_case(
                conn,
                &caller,
                &body.organization_id,
                body.case_id.as_deref(),
            )?;
            let now = tgpl_persistence::now();
            let mut row = ReviewRow {
                id: tgpl_persistence::new_id(),
                organization_id: body.organization_id,
                kind: body.kind.to_string(),
                addressee: body.addressee.trim().to_owned(),
                content: body.content,
                case_id: body.case_id,
                state: ReviewState::Draft.to_string(),
                sent_on: None,
                answered_on: None,
                answer: None,
                search_text: String::new(),
                deleted_at: None,
                version: 1,
                created_at: now,
                updated_at: now,
            };
            row.search_text = search_text(&row);
            review_requests::insert(conn, &caller.actor(), &row)?;
            Ok(row)
        })
        .await?;
    Ok(respond(StatusCode::CREATED, row))
}

/// One request for review.
#[utoipa::path(
    operation_id = "readReviewRequest",
    tag = "review-requests",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The request.", body = ReviewView, headers(("ETag" = String))),
        (status = 404, description = "No such request in the caller's scope.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/review-requests/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let row = state
        .db(move |conn| load(conn, &caller, &id, Action::ReadCase))
        .await?;
    Ok(respond(StatusCode::OK, row))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateReview {
    #[schema(schema_with = crate::http::schemas::or_null::review_kind)]
    pub kind: Option<ReviewKind>,
    #[schema(min_length = 1, max_length = 300)]
    #[validate(length(min = 1, max = 300))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub addressee: Option<String>,
    #[schema(min_length = 1, max_length = 10000)]
    #[validate(length(min = 1, max = 10000))]
    pub content: Option<String>,
    pub case_id: Option<String>,
}

/// Corrects a draft. Requires `If-Match`.
#[utoipa::path(
    operation_id = "updateReviewRequest",
    tag = "review-requests",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "ETag of the request as read")),
    request_body = UpdateReview,
    responses(
        (status = 200, description = "Updated.", body = ReviewView, headers(("ETag" = String))),
        (status = 403, description = "The caller's role does no casework.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Sent: locked.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or a case outside the organization.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/review-requests/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<UpdateReview>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.0;
    let row = state
        .write(move |conn| {
            let before = load(conn, &caller, &id, Action::ManageCase)?;
            if_match.require(&etag(before.version))?;
            check_editable(&before)?;
            let mut after = before.clone();
            if let Some(v) = body.kind {
                after.kind = v.to_string();
            }
            if let Some(v) = body.addressee {
                after.addressee = v.trim().to_owned();
            }
            if let Some(v) = body.content {
                after.content = v;
            }
            if let Some(v) = body.case_id {
                check_case(conn, &caller, &before.organization_id, Some(&v))?;
                after.case_id = Some(v);
            }
            after.search_text = search_text(&after);
            if after != before {
                after.revise();
                review_requests::save(
                    conn,
                    &caller.actor(),
                    AuditAction::ReviewUpdate,
                    &before,
                    &after,
                )?;
            }
            Ok(after)
        })
        .await?;
    Ok(respond(StatusCode::OK, row))
}

/// Deletes a draft (kept, marked deleted, for the audit).
#[utoipa::path(
    operation_id = "deleteReviewRequest",
    tag = "review-requests",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the request as read")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 403, description = "The caller's role does no casework.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Sent: locked.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/review-requests/{id}")]
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
                check_editable(&before)?;
                let mut after = before.clone();
                after.deleted_at = Some(tgpl_persistence::now());
                after.revise();
                Ok(review_requests::save(
                    conn,
                    &caller.actor(),
                    AuditAction::ReviewDelete,
                    &before,
                    &after,
                )?)
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendReview {
    /// The day it was sent (Viet Nam date); today when absent.
    pub sent_on: Option<NaiveDate>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerReview {
    /// The day the answer was received (Viet Nam date); today when absent.
    pub answered_on: Option<NaiveDate>,
    #[schema(min_length = 1, max_length = 10000)]
    #[validate(length(min = 1, max = 10000))]
    pub answer: String,
}

/// 409 `illegal_step`: `step` cannot be taken from the request's state; names the steps
/// that can.
fn illegal_step(row: &ReviewRow) -> Result<ApiError, ApiError> {
    let state: ReviewState = row
        .state
        .parse()
        .map_err(ApiError::logged("stored state unreadable"))?;
    let allowed: Vec<String> = state.next_steps().iter().map(|s| s.to_string()).collect();
    Ok(ApiError::conflict(
        "illegal_step",
        Text::new(
            format!("Kiến nghị đang ở trạng thái `{}`.", row.state),
            format!("The request is `{}`.", row.state),
        ),
    )
    .with_extra(serde_json::json!({ "state": row.state, "allowed_steps": allowed })))
}

/// Takes `step` on the request `row`: its new state, or 409 `illegal_step`.
fn take(row: &mut ReviewRow, step: ReviewStep) -> Result<(), ApiError> {
    let from: ReviewState = row
        .state
        .parse()
        .map_err(ApiError::logged("stored state unreadable"))?;
    let Some(to) = step.target(from) else {
        return Err(illegal_step(row)?);
    };
    row.state = to.to_string();
    Ok(())
}

/// Refuses a change of a request that is no longer a draft.
fn check_editable(row: &ReviewRow) -> Result<(), ApiError> {
    let state: ReviewState = row
        .state
        .parse()
        .map_err(ApiError::logged("stored state unreadable"))?;
    if state.is_editable() {
        Ok(())
    } else {
        Err(sent())
    }
}

fn check_day(field: &str, day: NaiveDate, not_before: Option<NaiveDate>) -> Result<(), ApiError> {
    if !review_request::day_in_range(day, not_before, today()) {
        return Err(ApiError::field(
            field,
            "out_of_range",
            "Ngày không hợp lệ (không ở tương lai, không trước ngày gửi).",
            "Not in the future, nor before it was sent.",
        ));
    }
    Ok(())
}

/// Records that a draft was sent. The organization's leaders sign requests for review.
#[utoipa::path(
    operation_id = "sendReviewRequest",
    tag = "review-requests",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the request as read")),
    request_body = SendReview,
    responses(
        (status = 200, description = "Sent.", body = ReviewView, headers(("ETag" = String))),
        (status = 403, description = "Only the organization's leaders send.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a draft.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid sending date.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/review-requests/{id}/send")]
pub async fn send(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<SendReview>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let on = body.0.sent_on.unwrap_or_else(today);
    check_day("sent_on", on, None)?;
    let row = state
        .write(move |conn| {
            if_match.settle(conn, |conn| {
                let before = load(conn, &caller, &id, Action::SendReviewRequest)?;
                if_match.check(&etag(before.version))?;
                let mut after = before.clone();
                take(&mut after, ReviewStep::Send)?;
                after.sent_on = Some(on);
                after.revise();
                review_requests::save(
                    conn,
                    &caller.actor(),
                    AuditAction::ReviewSend,
                    &before,
                    &after,
                )?;
                Ok(after)
            })
        })
        .await?;
    Ok(respond(StatusCode::OK, row))
}

/// Records the agency's answer to a sent request.
#[utoipa::path(
    operation_id = "answerReviewRequest",
    tag = "review-requests",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the request as read")),
    request_body = AnswerReview,
    responses(
        (status = 200, description = "Answered.", body = ReviewView, headers(("ETag" = String))),
        (status = 403, description = "The caller's role does no casework.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not sent.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A day in the future or before sending.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/review-requests/{id}/answer")]
pub async fn answer(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<AnswerReview>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.0;
    let row = state
        .write(move |conn| {
            if_match.settle(conn, |conn| {
                let before = load(conn, &caller, &id, Action::ManageCase)?;
                if_match.check(&etag(before.version))?;
                let mut after = before.clone();
                take(&mut after, ReviewStep::Answer)?;
                let on = body.answered_on.unwrap_or_else(today);
                check_day("answered_on", on, before.sent_on)?;
                after.answered_on = Some(on);
                after.answer = Some(body.answer.clone());
                after.revise();
                review_requests::save(
                    conn,
                    &caller.actor(),
                    AuditAction::ReviewAnswer,
                    &before,
                    &after,
                )?;
                Ok(after)
            })
        })
        .await?;
    Ok(respond(StatusCode::OK, row))
}

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
    security(("bearer" = [])),
    params(ReviewListQuery, PageQuery),
    responses(
        (status = 200, description = "One page of requests.", body = Page<ReviewView>),
        (status = 403, description = "Service clients do not read them.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter.", body = Problem, content_type = "application/problem+json"),
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
    let paged = state
        .db(move |conn| {
            let permitted = scope::permitted(conn, &caller, Action::ReadCase)?;
            if permitted == Permitted::Only(Vec::new()) {
                return Err(ApiError::forbidden());
            }
            let filter = ReviewFilter {
                organizations: permitted.as_filter(),
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
