//! Administration of people's accounts, within the administrator's scope.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use tgpl_domain::access::Action;
use tgpl_domain::account::AccountAction;
use tgpl_domain::audit::AuditAction;
use tgpl_domain::credentials::{Password, PasswordError, Username, UsernameError};
use tgpl_domain::label::Vocabulary;
use tgpl_domain::organization::{OrganizationKind, OrganizationStatus};
use tgpl_domain::role::{AccountStatus, Role};
use tgpl_persistence::accounts::{self, AccountFilter, AccountRow};
use tgpl_persistence::exclusive::{exclusive, Claim, Rule};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::account_common::{
    account_record, account_response, change, load, take_action, AccountView, Family,
};
use crate::auth::Caller;
use crate::http::error::{ApiError, FieldError};
use crate::http::extract::{IfMatch, Query, ValidJson};
use crate::http::lang::Text;
use crate::http::page::{parse_filter, search_term, Page, PageQuery};
use crate::scope::{self, Permitted};
use crate::state::AppState;

type Problem = crate::http::error::Problem;

pub fn username_error(field: &str, e: UsernameError) -> FieldError {
    match e {
        UsernameError::Length => FieldError::new(
            field,
            "length",
            "Tên đăng nhập dài từ 3 đến 64 ký tự.",
            "Usernames are 3 to 64 characters long.",
        ),
        UsernameError::Characters => FieldError::new(
            field,
            "invalid_format",
            "Tên đăng nhập bắt đầu bằng chữ cái, chỉ gồm chữ cái không dấu, chữ số và . _ -",
            "Usernames start with a letter and contain only ASCII letters, digits and . _ -",
        ),
    }
}

pub fn password_error(field: &str, e: PasswordError) -> FieldError {
    match e {
        PasswordError::TooShort => FieldError::new(
            field,
            "too_short",
            "Mật khẩu cần ít nhất 10 ký tự.",
            "Passwords need at least 10 characters.",
        ),
        PasswordError::TooLong => FieldError::new(
            field,
            "too_long",
            "Mật khẩu tối đa 128 ký tự.",
            "Passwords have at most 128 characters.",
        ),
        PasswordError::NeedsLetterAndDigit => FieldError::new(
            field,
            "too_weak",
            "Mật khẩu cần có cả chữ cái và chữ số.",
            "Passwords need both letters and digits.",
        ),
        PasswordError::ContainsUsername => FieldError::new(
            field,
            "contains_username",
            "Mật khẩu không được chứa tên đăng nhập.",
            "Passwords must not contain the username.",
        ),
    }
}

/// Checks that an account of `role` may belong to an organization of `kind` that is active.
pub fn check_membership(role: Role, kind: &str, status: &str) -> Result<(), ApiError> {
    let kind = kind
        .parse::<OrganizationKind>()
        .map_err(ApiError::logged("stored kind unreadable"))?;
    if !role.allowed_org_kinds().contains(&kind) {
        let allowed: Vec<&str> = role.allowed_org_kinds().iter().map(|k| k.code()).collect();
        return Err(ApiError::field(
            "organization_id",
            "role_not_allowed_here",
            format!(
                "Vai trò `{role}` chỉ gắn với tổ chức loại: {}.",
                allowed.join(", ")
            ),
            format!(
                "Role `{role}` belongs only to organizations of kind: {}.",
                allowed.join(", ")
            ),
        ));
    }
    if status != OrganizationStatus::Active.code() {
        return Err(ApiError::conflict(
            "organization_inactive",
            Text::new(
                "Tổ chức đã ngừng hoạt động.",
                "The organization is inactive.",
            ),
        ));
    }
    Ok(())
}

pub fn username_taken() -> ApiError {
    ApiError::conflict(
        "username_taken",
        Text::new("Tên đăng nhập đã được dùng.", "The username is taken."),
    )
}

/// Builds a new account row; the caller has checked everything and hashed the secret.
pub fn new_account(
    username: &Username,
    display_name: &str,
    role: Role,
    org_id: &str,
    hash: String,
) -> AccountRow {
    let now = tgpl_persistence::now();
    let display_name = tgpl_domain::text::name(display_name);
    AccountRow {
        id: tgpl_persistence::new_id(),
        username: username.as_str().to_owned(),
        search_text: tgpl_domain::text::fold(&format!("{} {}", username.as_str(), display_name)),
        display_name,
        role: role.to_string(),
        organization_id: org_id.to_owned(),
        status: AccountStatus::Active.to_string(),
        password_hash: hash,
        token_epoch: 0,
        last_login_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
        staff_id: None,
    }
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAccount {
    #[schema(example = "tgv.nguyenvana")]
    #[serde(deserialize_with = "crate::http::text::name")]
    pub username: String,
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "Nguyễn Văn A")]
    #[serde(deserialize_with = "crate::http::text::name")]
    pub display_name: String,
    /// A person's role; service clients are created at `/api/v1/service-clients`.
    #[schema(schema_with = crate::http::schemas::person_role)]
    pub role: Role,
    pub organization_id: String,
    /// Initial password: 10 to 128 characters with letters and digits.
    pub password: String,
}

/// Creates a person's account in an organization of the administrator's scope, with a role
/// the administrator may grant.
#[utoipa::path(
    operation_id = "createAccount",
    tag = "accounts",
    security(("bearer" = [])),
    request_body = CreateAccount,
    responses(
        (status = 201, description = "Created.", body = AccountView, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "The role may not be granted by the caller.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Organization outside the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Username taken, or organization inactive.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/accounts")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: ValidJson<CreateAccount>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let mut errors = Vec::new();
    let username = Username::parse(&body.username)
        .map_err(|e| errors.push(username_error("username", e)))
        .ok();
    if body.role.is_service() {
        errors.push(FieldError::new(
            "role",
            "service_role",
            "Ứng dụng kết nối được tạo tại /api/v1/service-clients.",
            "Service clients are created at /api/v1/service-clients.",
        ));
    }
    let password = username.as_ref().and_then(|u| {
        Password::parse(&body.password, u)
            .map_err(|e| errors.push(password_error("password", e)))
            .ok()
    });
    let (Some(username), Some(password), true) = (username, password, errors.is_empty()) else {
        return Err(ApiError::validation(errors));
    };
    let hash = state.hash_secret(password.expose().to_owned()).await?;
    let row = state
        .write(move |conn| {
            let org = scope::authorize(
                conn,
                &caller,
                Action::ManageAccount(body.role),
                &body.organization_id,
            )?;
            check_membership(body.role, &org.kind, &org.status)?;
            // Checked and inserted as one, so that two creations at once answer
            // `username_taken` to the second rather than a bare conflict.
            exclusive(
                conn,
                &[Claim::new(Rule::Username, username.as_str())],
                |conn| {
                    if accounts::find_by_username(conn, username.as_str())?.is_some() {
                        return Err(username_taken());
                    }
                    let row = new_account(&username, &body.display_name, body.role, &org.id, hash);
                    accounts::insert(conn, &caller.actor(), AuditAction::AccountCreate, &row)?;
                    Ok(row)
                },
            )
        })
        .await?;
    Ok(account_record(StatusCode::CREATED, row))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccountListQuery {
    pub organization_id: Option<String>,
    #[param(schema_with = crate::http::schemas::role)]
    pub role: Option<String>,
    #[param(schema_with = crate::http::schemas::account_status)]
    pub status: Option<String>,
    /// Searches username and display name, ignoring case and Vietnamese diacritics.
    pub q: Option<String>,
}

/// Lists accounts of people that the caller administers, ordered by username.
#[utoipa::path(
    operation_id = "listAccounts",
    tag = "accounts",
    security(("bearer" = [])),
    params(AccountListQuery, PageQuery),
    responses(
        (status = 200, description = "One page of accounts.", body = Page<AccountView>),
        (status = 403, description = "The caller administers no accounts.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/accounts")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<AccountListQuery>,
    paging: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = paging.request()?;
    let query = query.0;
    let role = parse_filter::<Role>("role", query.role)?;
    let status = parse_filter::<AccountStatus>("status", query.status)?;
    let people: Vec<String> = Role::ALL
        .iter()
        .filter(|r| !r.is_service())
        .map(|r| r.to_string())
        .collect();
    let roles = match role {
        Some(r) if people.contains(&r) => vec![r],
        Some(_) => Vec::new(),
        None => people,
    };
    let paged = state
        .db(move |conn| {
            let permitted = scope::permitted(conn, &caller, Action::ReadAccounts)?;
            if permitted == Permitted::Only(Vec::new()) {
                return Err(ApiError::forbidden());
            }
            let filter = AccountFilter {
                organizations: permitted.as_filter(),
                organization_id: query.organization_id,
                roles: Some(roles),
                status,
                search: search_term(query.q.as_deref()),
            };
            Ok(accounts::list(conn, &filter, page)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::new(&req, page, paged, AccountView::from)))
}

/// One account of a person.
#[utoipa::path(
    operation_id = "readAccount",
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The account.", body = AccountView, headers(("ETag" = String))),
        (status = 403, description = "Inside the caller's scope, but the caller does not administer accounts.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account in the caller's scope.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/accounts/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (row, _) = state
        .db(move |conn| load(conn, &caller, Family::Person, &id, |_| Action::ReadAccounts))
        .await?;
    Ok(account_response(row))
}

/// 409 `invalid_account_state` with the message `vi`/`en` and the actions allowed instead.
fn invalid_state(vi: &str, en: &str, allowed: &[AccountAction]) -> ApiError {
    let allowed: Vec<String> = allowed.iter().map(|a| a.to_string()).collect();
    ApiError::conflict("invalid_account_state", Text::new(vi, en))
        .with_extra(serde_json::json!({ "allowed_actions": allowed }))
}

/// Locks an account at once, for example on a suspected leak. Its tokens stop working
/// immediately and stay revoked after an unlock.
#[utoipa::path(
    operation_id = "lockAccount",
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the account as read")),
    responses(
        (status = 200, description = "Locked.", body = AccountView, headers(("ETag" = String))),
        (status = 403, description = "The caller may not administer this account.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not active, or the caller's own account.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/accounts/{id}/lock")]
pub async fn lock(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let row = change(
        &state,
        caller,
        Family::Person,
        id.into_inner(),
        if_match,
        AuditAction::AccountLock,
        |_, a| {
            take_action(a, AccountAction::Lock, |allowed| {
                invalid_state(
                    "Chỉ khóa được tài khoản đang hoạt động.",
                    "Only an active account can be locked.",
                    &allowed,
                )
            })
        },
    )
    .await?;
    Ok(account_response(row))
}

/// Unlocks a locked account. Tokens issued before the lock stay revoked.
#[utoipa::path(
    operation_id = "unlockAccount",
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the account as read")),
    responses(
        (status = 200, description = "Unlocked.", body = AccountView, headers(("ETag" = String))),
        (status = 403, description = "The caller may not administer this account.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not locked, or the caller's own account.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/accounts/{id}/unlock")]
pub async fn unlock(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let row = change(
        &state,
        caller,
        Family::Person,
        id.into_inner(),
        if_match,
        AuditAction::AccountUnlock,
        |_, a| {
            take_action(a, AccountAction::Unlock, |allowed| {
                invalid_state(
                    "Chỉ mở khóa được tài khoản đang bị khóa.",
                    "Only a locked account can be unlocked.",
                    &allowed,
                )
            })
        },
    )
    .await?;
    Ok(account_response(row))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetPassword {
    /// The new password, to hand to the person; 10 to 128 characters with letters and digits.
    pub new_password: String,
}

/// Sets a new password for someone who forgot theirs. Revokes the account's tokens.
#[utoipa::path(
    operation_id = "resetAccountPassword",
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the account as read")),
    request_body = ResetPassword,
    responses(
        (status = 200, description = "Reset.", body = AccountView, headers(("ETag" = String))),
        (status = 403, description = "The caller may not administer this account.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Deactivated, or the caller's own account.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The password breaks the policy.", body = Problem, content_type = "application/problem+json"),
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
            take_action(a, AccountAction::ResetPassword, |allowed| {
                invalid_state(
                    "Tài khoản đã bị vô hiệu hóa.",
                    "The account is deactivated.",
                    &allowed,
                )
            })?;
            let username = Username::parse(&a.username)
                .map_err(ApiError::logged("stored username unreadable"))?;
            Password::parse(&secret, &username)
                .map_err(|e| ApiError::validation(vec![password_error("new_password", e)]))?;
            a.password_hash = hash.clone();
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
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the account as read")),
    responses(
        (status = 200, description = "Deactivated.", body = AccountView, headers(("ETag" = String))),
        (status = 403, description = "The caller may not administer this account.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already deactivated, or the caller's own account.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/accounts/{id}/deactivate")]
pub async fn deactivate(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let row = change(
        &state,
        caller,
        Family::Person,
        id.into_inner(),
        if_match,
        AuditAction::AccountDeactivate,
        |_, a| {
            take_action(a, AccountAction::Deactivate, |allowed| {
                invalid_state(
                    "Tài khoản đã bị vô hiệu hóa.",
                    "The account is already deactivated.",
                    &allowed,
                )
            })
        },
    )
    .await?;
    Ok(account_response(row))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkStaff {
    /// A staff record with a current membership in the account's organization; `null`
    /// unlinks.
    pub staff_id: Option<String>,
}

/// Links a person's account to their staff record. Ending that membership later
/// deactivates the account.
#[utoipa::path(
    operation_id = "linkAccountToStaff",
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the account as read")),
    request_body = LinkStaff,
    responses(
        (status = 200, description = "Linked.", body = AccountView, headers(("ETag" = String))),
        (status = 403, description = "The caller may not administer this account.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The person is no current member of the account's organization.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The caller's own account: another administrator changes it.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/accounts/{id}/staff")]
pub async fn link_staff(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<LinkStaff>,
) -> Result<HttpResponse, ApiError> {
    let staff_id = body.0.staff_id;
    let row = change(
        &state,
        caller,
        Family::Person,
        id.into_inner(),
        if_match,
        AuditAction::AccountLinkStaff,
        move |conn, a| {
            // In the same transaction as the change, under the person's memberships' claim
            // (an ending membership waits, then deactivates this account): the person
            // belongs to the account's organization today.
            if let Some(staff_id) = &staff_id {
                let claim = Claim::new(Rule::Membership, staff_id.as_str());
                let member = exclusive(conn, &[claim], |conn| {
                    tgpl_persistence::staff::memberships(conn, staff_id)
                })?
                .iter()
                .any(|m| {
                    m.organization_id == a.organization_id && m.to_domain().holds_on(scope::today())
                });
                if !member {
                    return Err(ApiError::field(
                        "staff_id",
                        "not_a_member",
                        "Người này không đang công tác tại tổ chức của tài khoản.",
                        "The person is no current member of the account's organization.",
                    ));
                }
            }
            a.staff_id = staff_id.clone();
            Ok(())
        },
    )
    .await?;
    Ok(account_response(row))
}
