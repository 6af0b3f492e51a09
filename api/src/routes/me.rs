//! The caller's own account.

use actix_web::{get, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use tgpl_domain::audit::AuditAction;
use tgpl_domain::credentials::{Password, Username};
use tgpl_domain::label::Vocabulary;
use tgpl_domain::organization::OrganizationKind;
use tgpl_domain::refusal::Refusal;
use tgpl_persistence::versioned::Versioned;
use tgpl_persistence::{accounts, organizations};
use utoipa::ToSchema;
use validator::Validate;

use super::account_common::AccountView;
use crate::auth::Caller;
use crate::http::error::ApiError;
use crate::http::extract::ValidJson;
use crate::http::lang::Text;
use crate::routes::reference::LabelView;
use crate::state::AppState;

type Problem = crate::http::error::Problem;

#[derive(Serialize, ToSchema)]
pub struct OrganizationRef {
    pub id: String,
    pub code: String,
    pub name: String,
    #[schema(schema_with = crate::http::schemas::organization_kind)]
    pub kind: OrganizationKind,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub account: AccountView,
    pub role_label: LabelView,
    pub organization: OrganizationRef,
}

/// Who the bearer of the token is: account, role and organization.
#[utoipa::path(
    operation_id = "readOwnAccount",
    tag = "auth",
    responses(
        (status = 200, description = "The caller.", body = Me),
    )
)]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let role_label = caller.role.label().into();
    let (account, org) = state
        .db(move |conn| {
            Ok((
                accounts::get(conn, &caller.account_id)?,
                organizations::get(conn, &caller.org_id)?,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(Me {
        account: account.into(),
        role_label,
        organization: OrganizationRef {
            id: org.id,
            code: org.code,
            name: org.name,
            kind: *org.kind,
        },
    }))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    pub current_password: String,
    /// 10 to 128 characters with letters and digits, not containing the username.
    pub new_password: String,
}

/// Changes the caller's own password. Every token of the account, this one included, is
/// revoked: log in again with the new password.
#[utoipa::path(
    operation_id = "changeOwnPassword",
    tag = "auth",
    request_body = ChangePassword,
    responses(
        (status = 204, description = "Changed; log in again."),
        (status = 403, description = "Service clients rotate secrets instead.", body = Problem),
        (status = 422, description = "The current password is wrong (`wrong_password`, counted like a failed login), or the new one is unchanged or too weak.", body = Problem),
        (status = 429, description = "Too many wrong current passwords.", body = Problem),
        (status = 409, description = "The account changed meanwhile, by another change sent at the same time (`concurrent_change`); read it again.", body = Problem),
    )
)]
#[post("/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    caller: Caller,
    body: ValidJson<ChangePassword>,
) -> Result<HttpResponse, ApiError> {
    if caller.role.is_service() {
        return Err(ApiError::forbidden());
    }
    let body = body.0;
    // Guessing the current password through this endpoint counts like guessing at login.
    let account_id = caller.account_id.clone();
    let (reservation, before) = super::auth::admit(&state, &caller.username, move |conn| {
        Ok(accounts::get(conn, &account_id)?)
    })
    .await?;
    if before.token_epoch != caller.token_epoch {
        // The password changed since this request's token was checked (another change sent
        // at the same time): the current password it carries is no longer the one to check,
        // and a mismatch would be no guess.
        super::auth::release(&state, reservation).await?;
        return Err(concurrent_change());
    }
    let right = state
        .verify_secret(
            Some(before.password_hash.clone()),
            body.current_password.clone(),
        )
        .await?;
    super::auth::settle(&state, caller.username.clone(), reservation, right, None).await?;
    if !right {
        return Err(ApiError::field(
            "current_password",
            "wrong_password",
            "Mật khẩu hiện tại không đúng.",
            "The current password is wrong.",
        ));
    }
    let username = Username::parse(&before.username)
        .map_err(ApiError::logged("stored username unreadable"))?;
    let new = Password::parse(&body.new_password, &username)
        .map_err(|e| ApiError::validation(vec![e.field_refusal().at("new_password")]))?;
    if body.new_password == body.current_password {
        return Err(ApiError::field(
            "new_password",
            "unchanged",
            "Mật khẩu mới phải khác mật khẩu hiện tại.",
            "The new password must differ from the current one.",
        ));
    }
    let mut after = before.clone();
    after.password_hash = state.hash_secret(new.expose().to_owned()).await?;
    after.token_epoch += 1;
    after.password_change_required = false;
    after.revise();
    state
        .write(move |conn| {
            accounts::save(
                conn,
                &caller.actor(),
                AuditAction::AccountChangeOwnPassword,
                &before,
                &after,
            )
            .map_err(ApiError::from)
        })
        .await
        .map_err(|e| {
            if e.code == "precondition_failed" {
                concurrent_change()
            } else {
                e
            }
        })?;
    Ok(HttpResponse::NoContent().finish())
}

fn concurrent_change() -> ApiError {
    ApiError::conflict(
        "concurrent_change",
        Text::new(
            "Tài khoản vừa được thay đổi; hãy thử lại.",
            "The account changed meanwhile; try again.",
        ),
    )
}
