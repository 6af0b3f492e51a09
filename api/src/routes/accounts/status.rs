//! An account's status, changed by an administrator (never by its holder): lock, unlock,
//! reset the password, deactivate for good.

use super::*;

/// Locks an account at once, for example on a suspected leak. Its tokens stop working
/// immediately and stay revoked after an unlock.
#[utoipa::path(
    operation_id = "lockAccount",
    tag = "accounts",
    params(("If-Match" = Option<String>, Header, description = "ETag of the account as read")),
    responses(
        (status = 200, description = "Locked.", body = AccountView, headers(("ETag" = String))),
        (status = 403, description = "The caller may not administer this account.", body = Problem),
        (status = 409, description = "Not active, or the caller's own account.", body = Problem),
    )
)]
#[post("/accounts/{id}/lock")]
pub async fn lock(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    step(
        &state,
        caller,
        Family::Person,
        id.into_inner(),
        if_match,
        AuditAction::AccountLock,
        AccountAction::Lock,
    )
    .await
}

/// Unlocks a locked account. Tokens issued before the lock stay revoked.
#[utoipa::path(
    operation_id = "unlockAccount",
    tag = "accounts",
    params(("If-Match" = Option<String>, Header, description = "ETag of the account as read")),
    responses(
        (status = 200, description = "Unlocked.", body = AccountView, headers(("ETag" = String))),
        (status = 403, description = "The caller may not administer this account.", body = Problem),
        (status = 409, description = "Not locked, or the caller's own account.", body = Problem),
    )
)]
#[post("/accounts/{id}/unlock")]
pub async fn unlock(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    step(
        &state,
        caller,
        Family::Person,
        id.into_inner(),
        if_match,
        AuditAction::AccountUnlock,
        AccountAction::Unlock,
    )
    .await
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetPassword {
    /// The new password, to hand to the person; 10 to 128 characters with letters and digits.
    pub new_password: String,
}

/// Sets a new password for someone who forgot theirs. Revokes the account's tokens. The
/// holder logs in with it only to replace it (`POST /me/password`): until then every other
/// call answers 403 `password_change_required`, so whoever reset it cannot act as them.
#[utoipa::path(
    operation_id = "resetAccountPassword",
    tag = "accounts",
    params(("If-Match" = Option<String>, Header, description = "ETag of the account as read")),
    request_body = ResetPassword,
    responses(
        (status = 200, description = "Reset.", body = AccountView, headers(("ETag" = String))),
        (status = 403, description = "The caller may not administer this account.", body = Problem),
        (status = 409, description = "Deactivated, or the caller's own account.", body = Problem),
    )
)]
#[post("/accounts/{id}/reset-password")]
pub async fn reset_password(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<ResetPassword>,
) -> Result<HttpResponse, ApiError> {
    let secret = body.0.new_password;
    let hash = state.hash_secret(secret.clone()).await?;
    let row = change(
        &state,
        caller,
        Family::Person,
        id.into_inner(),
        if_match,
        AuditAction::AccountResetPassword,
        move |_, a| {
            take_action(a, Family::Person, AccountAction::ResetPassword)?;
            let username = Username::parse(&a.username)
                .map_err(ApiError::logged("stored username unreadable"))?;
            Password::parse(&secret, &username)
                .map_err(|e| ApiError::validation(vec![e.field_refusal().at("new_password")]))?;
            a.password_hash = hash.clone();
            a.password_change_required = true;
            Ok(())
        },
    )
    .await?;
    Ok(account_response(row))
}

/// Deactivates an account for good, for example when its holder is transferred. Its
/// tokens stop working at once; the record stays for the audit trail.
#[utoipa::path(
    operation_id = "deactivateAccount",
    tag = "accounts",
    params(("If-Match" = Option<String>, Header, description = "ETag of the account as read")),
    responses(
        (status = 200, description = "Deactivated.", body = AccountView, headers(("ETag" = String))),
        (status = 403, description = "The caller may not administer this account.", body = Problem),
        (status = 409, description = "Already deactivated, or the caller's own account.", body = Problem),
    )
)]
#[post("/accounts/{id}/deactivate")]
pub async fn deactivate(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    step(
        &state,
        caller,
        Family::Person,
        id.into_inner(),
        if_match,
        AuditAction::AccountDeactivate,
        AccountAction::Deactivate,
    )
    .await
}
