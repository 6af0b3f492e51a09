//! What person accounts and service clients share: the view, the ETag, and the one path by
//! which an administrator changes an account.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde::Serialize;
use tgpl_domain::access::Action;
use tgpl_domain::account::{self, AccountAction};
use tgpl_domain::audit::AuditAction;
use tgpl_domain::role::{AccountStatus, Role};
use tgpl_persistence::accounts::{self, AccountRow};
use tgpl_persistence::versioned::Versioned;
use tgpl_persistence::DbConnection;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::http::error::ApiError;
use crate::http::extract::{record, IfMatch};
use crate::http::lang::Text;
use crate::scope;
use crate::state::AppState;

pub fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    Utc.from_utc_datetime(&at)
}

#[derive(Serialize, ToSchema)]
pub struct AccountView {
    pub id: String,
    /// Login name; for service clients, the client id.
    #[schema(example = "tgv.hn")]
    pub username: String,
    pub display_name: String,
    #[schema(schema_with = crate::http::schemas::role)]
    pub role: Role,
    pub organization_id: String,
    /// The staff record of the person holding the account, if linked.
    pub staff_id: Option<String>,
    #[schema(schema_with = crate::http::schemas::account_status)]
    pub status: AccountStatus,
    /// `person` or `service`.
    pub kind: &'static str,
    pub last_login_at: Option<DateTime<Utc>>,
    /// The password was chosen by an administrator (the account created or reset): until its
    /// holder replaces it (`POST /me/password`), every other call answers 403
    /// `password_change_required`.
    pub password_change_required: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Also sent as the `ETag` header.
    pub version: i64,
}

impl From<AccountRow> for AccountView {
    fn from(a: AccountRow) -> Self {
        let service = a.role.is_service();
        Self {
            id: a.id,
            username: a.username,
            display_name: a.display_name,
            role: *a.role,
            organization_id: a.organization_id,
            staff_id: a.staff_id,
            status: *a.status,
            kind: if service { "service" } else { "person" },
            last_login_at: a.last_login_at.map(utc),
            password_change_required: a.password_change_required,
            created_at: utc(a.created_at),
            updated_at: utc(a.updated_at),
            version: a.version,
        }
    }
}

/// A single account with its `ETag`.
pub fn account_response(row: AccountRow) -> HttpResponse {
    account_record(StatusCode::OK, row)
}

/// A single account with its `ETag`, and its `Location` when just created.
pub fn account_record(status: StatusCode, row: AccountRow) -> HttpResponse {
    let (id, version) = (row.id.clone(), row.version);
    record(
        status,
        "/api/v1/accounts",
        &id,
        version,
        &AccountView::from(row),
    )
}

/// Which family of accounts an endpoint serves; an id of the other family is not found there.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Person,
    Service,
}

impl Family {
    fn has(self, role: Role) -> bool {
        role.is_service() == (self == Family::Service)
    }
}

/// Loads an account of `family` that the caller may see with `action`.
pub fn load(
    conn: &mut DbConnection,
    caller: &Caller,
    family: Family,
    id: &str,
    action: impl FnOnce(Role) -> Action,
) -> Result<(AccountRow, Role), ApiError> {
    let account = accounts::get(conn, id)?;
    let role = *account.role;
    if !family.has(role) {
        return Err(ApiError::not_found());
    }
    // Outside the caller's scope the account is hidden (404); inside it, reading and then
    // the requested action must each be allowed (403 otherwise).
    scope::check(conn, caller, Action::ReadAccounts, &account.organization_id)?;
    scope::check(conn, caller, action(role), &account.organization_id)?;
    Ok((account, role))
}

/// Changes an account by `apply`, audited as `action`: checks scope and role, the
/// `If-Match` precondition, and refuses changes of one's own account here (people change
/// their own password at `/api/v1/me/password`).
pub async fn change(
    state: &AppState,
    caller: Caller,
    family: Family,
    id: String,
    if_match: IfMatch,
    action: AuditAction,
    mut apply: impl FnMut(&mut DbConnection, &mut AccountRow) -> Result<(), ApiError> + Send + 'static,
) -> Result<AccountRow, ApiError> {
    state
        .write(move |conn| {
            if_match.settle(conn, |conn| {
                let (before, _) = load(conn, &caller, family, &id, Action::ManageAccount)?;
                if account::check_not_own(&before.id, &caller.account_id).is_err() {
                    return Err(ApiError::conflict(
                        "own_account",
                        Text::new(
                            "Không thể tự khóa, mở khóa, đặt lại hoặc vô hiệu hóa tài khoản của chính mình.",
                            "You cannot lock, unlock, reset or deactivate your own account.",
                        ),
                    ));
                }
                if_match.check_current(&before)?;
                let mut after = before.clone();
                apply(conn, &mut after)?;
                after.revise();
                accounts::save(conn, &caller.actor(), action, &before, &after)?;
                Ok(after)
            })
        })
        .await
}

/// Takes `action` on the account `a` of `family` ([`AccountAction::take`]): its new status,
/// and its tokens revoked where the action does that. Where its status does not allow the
/// action, 409 `invalid_account_state`, with the actions allowed instead for a person's account.
pub fn take_action(
    a: &mut AccountRow,
    family: Family,
    action: AccountAction,
) -> Result<(), ApiError> {
    a.take(action).map_err(|refused| {
        let (vi, en) = refused.message(family == Family::Service);
        let error = ApiError::conflict("invalid_account_state", Text::new(vi, en));
        match family {
            Family::Person => {
                let allowed: Vec<String> = refused.allowed.iter().map(|a| a.to_string()).collect();
                error.with_extra(serde_json::json!({ "allowed_actions": allowed }))
            }
            Family::Service => error,
        }
    })
}

/// An administrator's action that changes an account's status and nothing else (lock,
/// unlock, deactivate, revoke), through [`change`]; answers the account.
pub async fn step(
    state: &AppState,
    caller: Caller,
    family: Family,
    id: String,
    if_match: IfMatch,
    audit: AuditAction,
    action: AccountAction,
) -> Result<HttpResponse, ApiError> {
    let row = change(state, caller, family, id, if_match, audit, move |_, a| {
        take_action(a, family, action)
    })
    .await?;
    Ok(account_response(row))
}
