//! Amending a contract in force (If-Match required) and terminating it.

use super::signing::{check_dates, check_no_overlap, check_number_free, number_claim};
use super::*;
use tgpl_domain::time::day_in_range;

/// Loads a contract for a change by the caller.
fn load_for_change(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    if_match: &IfMatch,
) -> Result<ContractRow, ApiError> {
    let row = contracts::get(conn, id)?;
    scope::authorize(
        conn,
        caller,
        Action::ManageParticipation,
        &row.organization_id,
    )?;
    if_match.check_current(&row)?;
    if *row.status != ContractStatus::Active {
        return Err(ApiError::conflict(
            "contract_terminated",
            Text::new("Hợp đồng đã chấm dứt.", "The contract has been terminated."),
        ));
    }
    Ok(row)
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmendContract {
    #[schema(value_type = String, min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    #[serde(default, deserialize_with = "crate::http::text::kept_or_name")]
    pub contract_number: Option<String>,
    #[schema(schema_with = crate::http::schemas::aid_forms)]
    #[serde(default, deserialize_with = "crate::http::extract::kept")]
    pub forms: Option<Vec<AidForm>>,
    #[schema(schema_with = crate::http::schemas::fields)]
    #[serde(default, deserialize_with = "crate::http::extract::kept")]
    pub fields: Option<Vec<Field>>,
    #[schema(schema_with = crate::http::schemas::recipient_categories)]
    #[serde(default, deserialize_with = "crate::http::extract::kept")]
    pub beneficiaries: Option<Vec<RecipientCategory>>,
    /// The new last day; `null` makes the contract open-ended.
    #[serde(default, deserialize_with = "crate::http::extract::present")]
    #[schema(value_type = Option<NaiveDate>)]
    pub valid_to: Option<Option<NaiveDate>>,
    /// The day of the amendment (Viet Nam date), between the signing and today; today when
    /// absent.
    pub amended_on: Option<NaiveDate>,
}

/// Amends a contract in force. Requires `If-Match`.
#[utoipa::path(
    operation_id = "amendContract",
    tag = "participation",
    params(("If-Match" = String, Header, description = "ETag of the contract as read")),
    request_body = AmendContract,
    responses(
        (status = 200, description = "Amended.", body = ContractView, headers(("ETag" = String))),
        (status = 403, description = "Only the Department manages participation.", body = Problem),
        (status = 409, description = "The contract was terminated (`contract_terminated`), or its new term overlaps another contract with the same centre (`contract_overlaps`).", body = Problem),
    )
)]
#[patch("/contracts/{contract_id}")]
pub async fn amend_contract(
    state: web::Data<AppState>,
    caller: Caller,
    contract_id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<AmendContract>,
) -> Result<HttpResponse, ApiError> {
    let id = contract_id.into_inner();
    let body = body.0;
    if if_match.0.is_none() {
        return Err(ApiError::precondition_required());
    }
    let row = state
        .write(move |conn| {
            // The claim is the organization's, which a contract never changes; the contract
            // is loaded and checked under it.
            let signed = contracts::get(conn, &id)?;
            let mut claims = vec![Claim::new(Rule::Contracts, signed.organization_id)];
            if let Some(number) = &body.contract_number {
                claims.push(number_claim(&signed.center_id, number));
            }
            exclusive(conn, &claims, |conn| {
                let before = load_for_change(conn, &caller, &id, &if_match)?;
                let mut after = before.clone();
                let scope = &mut after.scope.0;
                patch::set(&mut scope.forms, body.forms);
                patch::set(&mut scope.fields, body.fields);
                patch::set(&mut scope.beneficiaries, body.beneficiaries);
                patch::set(
                    &mut after.contract_number,
                    body.contract_number.map(|v| v.trim().to_owned()),
                );
                patch::set(&mut after.valid_to, body.valid_to);
                if (&after.scope, &after.contract_number, after.valid_to)
                    == (&before.scope, &before.contract_number, before.valid_to)
                {
                    return Err(ApiError::field(
                        "body",
                        "no_change",
                        "Nội dung sửa đổi không thay đổi gì ở hợp đồng.",
                        "The amendment changes nothing in the contract.",
                    ));
                }
                check_dates(after.signed_on, &after.term())?;
                check_no_overlap(conn, &after)?;
                if after.contract_number != before.contract_number {
                    check_number_free(conn, &after)?;
                }
                let amended_on = body.amended_on.unwrap_or_else(today);
                tgpl_domain::contract::check_amended_on(amended_on, before.signed_on, today())?;
                after.amended_on = Some(amended_on);
                after.revise();
                contracts::save(
                    conn,
                    &caller.actor(),
                    AuditAction::ContractAmend,
                    &before,
                    &after,
                )?;
                Ok(after)
            })
        })
        .await?;
    Ok(contract_response(StatusCode::OK, row))
}

/// Terminates a contract from `on` (today when absent): the first day it no longer counts, or
/// its first day if it had not begun (it was then never in force).
#[utoipa::path(
    operation_id = "terminateContract",
    tag = "participation",
    params(("If-Match" = Option<String>, Header, description = "ETag of the contract as read")),
    request_body = EndParticipation,
    responses(
        (status = 200, description = "Terminated.", body = ContractView, headers(("ETag" = String))),
        (status = 403, description = "Only the Department manages participation.", body = Problem),
        (status = 409, description = "Already terminated.", body = Problem),
    )
)]
#[post("/contracts/{contract_id}/terminate")]
pub async fn terminate_contract(
    state: web::Data<AppState>,
    caller: Caller,
    contract_id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<EndParticipation>,
) -> Result<HttpResponse, ApiError> {
    let id = contract_id.into_inner();
    let body = body.0;
    let row = state
        .write(move |conn| {
            if_match.settle(conn, |conn| {
                let before = load_for_change(conn, &caller, &id, &if_match)?;
                let on = body.on.unwrap_or_else(today);
                if !day_in_range(on, Some(before.signed_on), today()) {
                    return Err(ApiError::field(
                        "on",
                        "out_of_range",
                        "Ngày chấm dứt phải từ ngày ký hợp đồng đến hôm nay.",
                        "The day lies between the contract's signing and today.",
                    ));
                }
                let mut after = before.clone();
                after.status = Code(ContractStatus::Terminated);
                after.ended_on = Some(tgpl_domain::contract::ended_from(&before.term(), on));
                after.end_reason = Some(body.reason.clone());
                after.revise();
                contracts::save(
                    conn,
                    &caller.actor(),
                    AuditAction::ContractTerminate,
                    &before,
                    &after,
                )?;
                Ok(after)
            })
        })
        .await?;
    Ok(contract_response(StatusCode::OK, row))
}
