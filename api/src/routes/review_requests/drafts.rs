//! Requests for review as drafts: created, read, corrected and deleted while not yet sent.

use super::steps::check_editable;
use super::*;
use tgpl_persistence::versioned::save_revision;

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
    request_body = CreateReview,
    responses(
        (status = 201, description = "Drafted.", body = ReviewView, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "The caller's role does no casework.", body = Problem),
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
            let row = ReviewRow::draft(
                body.organization_id,
                body.kind,
                body.addressee.trim().to_owned(),
                body.content,
                body.case_id,
            );
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
    responses(
        (status = 200, description = "The request.", body = ReviewView, headers(("ETag" = String))),
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
    #[schema(schema_with = crate::http::schemas::review_kind)]
    #[serde(default, deserialize_with = "crate::http::extract::kept")]
    pub kind: Option<ReviewKind>,
    #[schema(value_type = String, min_length = 1, max_length = 300)]
    #[validate(length(min = 1, max = 300))]
    #[serde(default, deserialize_with = "crate::http::text::kept_or_name")]
    pub addressee: Option<String>,
    #[schema(value_type = String, min_length = 1, max_length = 10000)]
    #[validate(length(min = 1, max = 10000))]
    #[serde(default, deserialize_with = "crate::http::extract::kept")]
    pub content: Option<String>,
    /// The case the request is about; `null` detaches it.
    #[serde(default, deserialize_with = "crate::http::extract::present")]
    #[schema(value_type = Option<String>)]
    pub case_id: Option<Option<String>>,
}

/// Corrects a draft. Requires `If-Match`.
#[utoipa::path(
    operation_id = "updateReviewRequest",
    tag = "review-requests",
    params(("If-Match" = String, Header, description = "ETag of the request as read")),
    request_body = UpdateReview,
    responses(
        (status = 200, description = "Updated.", body = ReviewView, headers(("ETag" = String))),
        (status = 403, description = "The caller's role does no casework.", body = Problem),
        (status = 409, description = "Sent, and so locked (`review_locked`).", body = Problem),
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
            if_match.require_current(&before)?;
            check_editable(&before)?;
            let mut after = before.clone();
            patch::set(&mut after.kind, body.kind.map(Code));
            patch::set(
                &mut after.addressee,
                body.addressee.map(|v| v.trim().to_owned()),
            );
            patch::set(&mut after.content, body.content);
            if let Some(v) = body.case_id {
                check_case(conn, &caller, &before.organization_id, v.as_deref())?;
                after.case_id = v;
            }
            after.index_text();
            Ok(save_revision(&before, after, |before, after| {
                review_requests::save(
                    conn,
                    &caller.actor(),
                    AuditAction::ReviewUpdate,
                    before,
                    after,
                )
            })?)
        })
        .await?;
    Ok(respond(StatusCode::OK, row))
}

/// Deletes a draft (kept, marked deleted, for the audit).
#[utoipa::path(
    operation_id = "deleteReviewRequest",
    tag = "review-requests",
    params(("If-Match" = Option<String>, Header, description = "ETag of the request as read")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 403, description = "The caller's role does no casework.", body = Problem),
        (status = 409, description = "Sent, and so locked (`review_locked`).", body = Problem),
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
                if_match.check_current(&before)?;
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
