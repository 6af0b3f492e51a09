//! Sending a request for review (its leader signs it) and recording the agency's answer.

use super::*;
use tgpl_domain::label::Label;
use tgpl_domain::label::Vocabulary;
use tgpl_domain::lifecycle::Step;
use tgpl_domain::review_request::{check_answered_on, check_sent_on, DayOutOfRange};

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

/// Takes `step` on the request `row`: its new state, or 409 `illegal_step` naming the steps
/// its state allows.
fn take(row: &mut ReviewRow, step: ReviewStep) -> Result<(), ApiError> {
    let from = *row.state;
    let Some(to) = step.target(from) else {
        return Err(ApiError::illegal_step(
            Label::new("kiến nghị", "the request"),
            step.label(),
            from.label(),
            ("state", from.code()),
            from.next_steps(),
        ));
    };
    row.state = Code(to);
    Ok(())
}

/// Refuses a change of a request that is no longer a draft.
pub(super) fn check_editable(row: &ReviewRow) -> Result<(), ApiError> {
    if row.state.is_editable() {
        Ok(())
    } else {
        Err(sent())
    }
}

fn sent_out_of_range(_: DayOutOfRange) -> ApiError {
    ApiError::field(
        "sent_on",
        "out_of_range",
        "Ngày gửi không ở tương lai, không trước ngày tiếp nhận vụ việc được kiến nghị.",
        "Not in the future, nor before the case it concerns was received.",
    )
}

fn answered_out_of_range(_: DayOutOfRange) -> ApiError {
    ApiError::field(
        "answered_on",
        "out_of_range",
        "Ngày trả lời không ở tương lai, không trước ngày gửi.",
        "Not in the future, nor before it was sent.",
    )
}

/// Records that a draft was sent. The organization's leaders sign requests for review.
#[utoipa::path(
    operation_id = "sendReviewRequest",
    tag = "review-requests",
    params(("If-Match" = Option<String>, Header, description = "ETag of the request as read")),
    request_body = SendReview,
    responses(
        (status = 200, description = "Sent.", body = ReviewView, headers(("ETag" = String))),
        (status = 403, description = "Only the organization's leaders send.", body = Problem),
        (status = 409, description = "Not a draft (`illegal_step`).", body = Problem),
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
    let row = state
        .write(move |conn| {
            if_match.settle(conn, |conn| {
                let before = load(conn, &caller, &id, Action::SendReviewRequest)?;
                if_match.check_current(&before)?;
                let case_received_on =
                    concerned_case(conn, before.case_id.as_deref())?.map(|c| c.received_on);
                check_sent_on(on, case_received_on, today()).map_err(sent_out_of_range)?;
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
    params(("If-Match" = Option<String>, Header, description = "ETag of the request as read")),
    request_body = AnswerReview,
    responses(
        (status = 200, description = "Answered.", body = ReviewView, headers(("ETag" = String))),
        (status = 403, description = "The caller's role does no casework.", body = Problem),
        (status = 409, description = "Not sent (`illegal_step`).", body = Problem),
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
                if_match.check_current(&before)?;
                let mut after = before.clone();
                take(&mut after, ReviewStep::Answer)?;
                let on = body.answered_on.unwrap_or_else(today);
                check_answered_on(on, before.sent_on, today()).map_err(answered_out_of_range)?;
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
