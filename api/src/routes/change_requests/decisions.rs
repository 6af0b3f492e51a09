//! The data centre's decisions (`tgpl_domain::change_request::decide`): an approval carries
//! every change out, all or none; a rejection says why.

use super::reading::load_for_decision;
use super::*;

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
    let status: ChangeRequestStatus = *before.status;
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
    after.status = Code(status);
    after.decided_by = Some(caller.username.clone());
    after.decided_at = Some(tgpl_persistence::now());
    after.decision_reason = reason;
    after.revise();
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
        .map(|s| *s);
    Ok(change_request::state_after_unarchive(archived_from))
}

/// Approves a request: every change is carried out, all or none, and recorded with who
/// asked and who decided.
#[utoipa::path(
    operation_id = "approveChangeRequest",
    tag = "change-requests",
    params(("If-Match" = Option<String>, Header, description = "ETag of the request as read")),
    request_body(content = Option<Decision>),
    responses(
        (status = 200, description = "Approved and carried out.", body = ChangeRequestView, headers(("ETag" = String))),
        (status = 403, description = "Only the data centre decides.", body = Problem),
        (status = 409, description = "Already decided (`already_decided`), or a case changed so that the request no longer applies.", body = Problem),
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
                if_match.check_current(&before)?;
                let after = decided(&caller, &before, change_request::Decision::Approve, reason.clone())?;
                let kind: ChangeKind = *before.kind;
                let actor = caller.actor();
                for item in &items {
                    let case = match cases::get(conn, &item.case_id) {
                        Err(tgpl_persistence::StoreError::NotFound) => return Err(no_longer_applies()),
                        found => found?,
                    };
                    let mut changed = case.clone();
                    let (action, step) = match kind {
                        ChangeKind::Edit => {
                            let changes: UpdateCase =
                                serde_json::from_str(item.proposed_changes.as_deref().unwrap_or_default())
                                    .map_err(|e| {
                                        // The error's kind and place only: its text may quote the stored values.
                                        log::error!(
                                            "change request {}: its stored edit does not read ({:?} at column {})",
                                            before.id,
                                            e.classify(),
                                            e.column()
                                        );
                                        ApiError::internal()
                                    })?;
                            changes.apply(&mut changed, crate::routes::cases::born_of(conn, &case)?)?;
                            // Under the proceedings' claim, which holds until the approval
                            // commits.
                            let claims = crate::services::case_steps::proceedings_claims(&changed);
                            tgpl_persistence::exclusive::exclusive(conn, &claims, |conn| {
                                crate::routes::cases::check_interests_kept(conn, &case, &changed)
                            })?;
                            (AuditAction::CaseUpdate, "change_request_edit")
                        }
                        ChangeKind::Delete => {
                            changed.deleted_at = Some(tgpl_persistence::now());
                            (AuditAction::CaseDelete, "change_request_delete")
                        }
                        ChangeKind::Unarchive => {
                            if *case.state != CaseState::Archived {
                                return Err(no_longer_applies());
                            }
                            changed.state = before_archive(conn, &case.id)?.into();
                            (AuditAction::CaseStep, "unarchive")
                        }
                    };
                    changed.revise();
                    let details = serde_json::json!({ "change_request_id": before.id, "requested_by": before.requested_by }).to_string();
                    let event = EventRow::new(&changed, &actor, step, Some(*case.state), today(), Some(before.reason.clone()), Some(details));
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
    params(("If-Match" = Option<String>, Header, description = "ETag of the request as read")),
    request_body = Decision,
    responses(
        (status = 200, description = "Rejected.", body = ChangeRequestView, headers(("ETag" = String))),
        (status = 403, description = "Only the data centre decides.", body = Problem),
        (status = 409, description = "Already decided (`already_decided`).", body = Problem),
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
                if_match.check_current(&before)?;
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
