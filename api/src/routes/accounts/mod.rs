//! Administration of people's accounts, within the administrator's scope.
//!
//! - [`records`]: creating, listing and reading accounts.
//! - [`status`]: locking, unlocking, resetting and deactivating (`tgpl_domain::account`).
//! - [`staff_link`]: linking an account to the staff record of its holder.
//! - here: the checks and refusals that service clients share.

mod records;
mod staff_link;
mod status;

pub use records::{create, list, read, AccountListQuery, CreateAccount};
pub use staff_link::{link_staff, LinkStaff};
pub use status::{deactivate, lock, reset_password, unlock, ResetPassword};

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use tgpl_domain::access::Action;
use tgpl_domain::account::AccountAction;
use tgpl_domain::audit::AuditAction;
use tgpl_domain::credentials::{Password, Username};
use tgpl_domain::label::Vocabulary;
use tgpl_domain::refusal::Refusal;
use tgpl_domain::role::{AccountStatus, Role};
use tgpl_persistence::accounts::{self, AccountFilter, AccountRow};
use tgpl_persistence::column::Code;
use tgpl_persistence::exclusive::{exclusive, Claim, Rule};
use tgpl_persistence::organizations::OrganizationRow;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::account_common::{
    account_record, account_response, change, load, step, take_action, AccountView, Family,
};
use crate::auth::Caller;
use crate::http::error::{ApiError, FieldRefusal};
use crate::http::extract::{IfMatch, Query, ValidJson};
use crate::http::lang::Text;
use crate::http::page::{parse_filter, search_term, Page, PageQuery};
use crate::scope::{self};
use crate::state::AppState;

type Problem = crate::http::error::Problem;

/// Checks that an account of `role` may belong to `org`: one of the kinds the role belongs
/// to, and operating ([`crate::services::casework::check_operating`]).
pub fn check_membership(role: Role, org: &OrganizationRow) -> Result<(), ApiError> {
    let kind = *org.kind;
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
    crate::services::casework::check_operating(org)
}

pub fn username_taken() -> ApiError {
    ApiError::conflict(
        "username_taken",
        Text::new("Tên đăng nhập đã được dùng.", "The username is taken."),
    )
}

/// Builds a new account row; the caller has checked everything and hashed the secret. A
/// password someone else chose must be replaced by its holder: see
/// [`AccountRow::password_change_required`], set where an administrator creates the account.
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
        role: Code(role),
        organization_id: org_id.to_owned(),
        status: Code(AccountStatus::Active),
        password_hash: hash,
        token_epoch: 0,
        last_login_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
        staff_id: None,
        password_change_required: false,
    }
}
