//! The life cycle of a participating organization's registration or contract standing,
//! and its contracts with state legal aid centres. Each change is dated and audited.
//!
//! - here: the standing of a participating organization (terminate, revoke).
//! - [`centre_contracts`]: its contracts with state legal aid centres.

mod centre_contracts;

pub use centre_contracts::{
    amend_contract, list_contracts, read_contract, sign_contract, terminate_contract,
    AmendContract, ContractView, SignContract,
};

use actix_web::http::{header, StatusCode};
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tgpl_domain::access::Action;
use tgpl_domain::audit::AuditAction;
use tgpl_domain::contract::{self, ContractOverlap, ContractStatus, ContractTerm};
use tgpl_domain::organization::{ParticipationScope, ParticipationStatus};
use tgpl_domain::participation::{self, EndRefusal, SigningRefusal};
use tgpl_domain::reference::{AidForm, Field, RecipientCategory};
use tgpl_persistence::column::Code;
use tgpl_persistence::contracts::{self, ContractRow};
use tgpl_persistence::db::write_transaction;
use tgpl_persistence::exclusive::{exclusive, Claim, Rule};
use tgpl_persistence::organizations::{self, OrganizationRow};
use tgpl_persistence::versioned::Versioned;
use tgpl_persistence::DbConnection;
use utoipa::ToSchema;
use validator::Validate;

use super::account_common::utc;
use crate::auth::Caller;
use crate::http::error::ApiError;
use crate::http::extract::{etag, record, IfMatch, ValidJson};
use crate::http::lang::Text;
use crate::scope::{self, today};
use crate::state::AppState;

type Problem = crate::http::error::Problem;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndParticipation {
    /// The day it ends (Viet Nam date); today when absent.
    pub on: Option<NaiveDate>,
    #[schema(min_length = 1, max_length = 500)]
    #[validate(length(min = 1, max = 500))]
    pub reason: String,
}

fn not_in_force() -> ApiError {
    ApiError::conflict(
        "participation_not_in_force",
        Text::new(
            "Tổ chức không đang tham gia trợ giúp pháp lý.",
            "The organization's participation is not in force.",
        ),
    )
}

fn end_refused(e: EndRefusal) -> ApiError {
    match e {
        EndRefusal::NotActive => not_in_force(),
        EndRefusal::NotARegistration => ApiError::conflict(
            "not_a_registration",
            Text::new(
                "Chỉ thu hồi được giấy chứng nhận đăng ký tham gia; hợp đồng thì chấm dứt.",
                "Only a registration is revoked; a contract standing is terminated.",
            ),
        ),
        EndRefusal::OutOfRange => ApiError::field(
            "on",
            "out_of_range",
            "Ngày chấm dứt phải từ ngày bắt đầu tham gia đến hôm nay.",
            "The day lies between the start of the participation and today.",
        ),
    }
}

/// Ends the participation of `id` as `status`, recorded as `action`.
async fn end(
    state: &AppState,
    caller: Caller,
    id: String,
    if_match: IfMatch,
    body: EndParticipation,
    status: ParticipationStatus,
    action: AuditAction,
) -> Result<HttpResponse, ApiError> {
    let row = state
        .write(move |conn| {
            if_match.settle(conn, |conn| {
                let before = scope::authorize(conn, &caller, Action::ManageParticipation, &id)?;
                if_match.check_current(&before)?;
                let on = body.on.unwrap_or_else(today);
                before
                    .standing()
                    .ok_or(EndRefusal::NotActive)
                    .and_then(|standing| standing.check_end(status, on, today()))
                    .map_err(end_refused)?;
                let mut after = before.clone();
                after.participation_status = Some(Code(status));
                after.participation_ended_on = Some(on);
                after.participation_end_reason = Some(body.reason.clone());
                after.revise();
                let actor = caller.actor();
                write_transaction(conn, |conn| {
                    organizations::save(conn, &actor, action, &before, &after)?;
                    // Its contracts with centres end with it.
                    for contract in contracts::of_organization(conn, &id)?
                        .into_iter()
                        .filter(|c| *c.status == ContractStatus::Active)
                    {
                        let mut ended = contract.clone();
                        ended.status = Code(ContractStatus::Terminated);
                        ended.ended_on = Some(on);
                        ended.end_reason = after.participation_end_reason.clone();
                        ended.revise();
                        contracts::save(
                            conn,
                            &actor,
                            AuditAction::ContractTerminate,
                            &contract,
                            &ended,
                        )?;
                    }
                    Ok::<_, ApiError>(())
                })?;
                Ok(after)
            })
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(row.version)))
        .json(ParticipationState::from(&row)))
}

#[derive(Serialize, ToSchema)]
pub struct ParticipationState {
    pub organization_id: String,
    #[schema(schema_with = crate::http::schemas::or_null::participation_status)]
    pub status: Option<ParticipationStatus>,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    /// The organization's new version (ETag).
    pub version: i64,
}

impl From<&OrganizationRow> for ParticipationState {
    fn from(o: &OrganizationRow) -> Self {
        Self {
            organization_id: o.id.clone(),
            status: o.participation_status.map(|c| c.0),
            ended_on: o.participation_ended_on,
            end_reason: o.participation_end_reason.clone(),
            version: o.version,
        }
    }
}

/// Terminates a participation (the organization stops, or its contract standing ends).
#[utoipa::path(
    operation_id = "terminateParticipation",
    tag = "participation",
    params(("If-Match" = Option<String>, Header, description = "ETag of the organization as read")),
    request_body = EndParticipation,
    responses(
        (status = 200, description = "Terminated.", body = ParticipationState, headers(("ETag" = String))),
        (status = 403, description = "Only the Department manages participation.", body = Problem),
        (status = 409, description = "Not in force.", body = Problem),
    )
)]
#[post("/organizations/{id}/participation/terminate")]
pub async fn terminate(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<EndParticipation>,
) -> Result<HttpResponse, ApiError> {
    end(
        &state,
        caller,
        id.into_inner(),
        if_match,
        body.0,
        ParticipationStatus::Terminated,
        AuditAction::ParticipationTerminate,
    )
    .await
}

/// Revokes a registration certificate (the Department's sanction).
#[utoipa::path(
    operation_id = "revokeParticipation",
    tag = "participation",
    params(("If-Match" = Option<String>, Header, description = "ETag of the organization as read")),
    request_body = EndParticipation,
    responses(
        (status = 200, description = "Revoked.", body = ParticipationState, headers(("ETag" = String))),
        (status = 403, description = "Only the Department manages participation.", body = Problem),
        (status = 409, description = "Not in force, or not a registration.", body = Problem),
    )
)]
#[post("/organizations/{id}/participation/revoke")]
pub async fn revoke(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<EndParticipation>,
) -> Result<HttpResponse, ApiError> {
    end(
        &state,
        caller,
        id.into_inner(),
        if_match,
        body.0,
        ParticipationStatus::Revoked,
        AuditAction::ParticipationRevoke,
    )
    .await
}
