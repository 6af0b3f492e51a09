//! The authenticated caller of a request.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{web, FromRequest, HttpRequest};
use tgpl_domain::access;
use tgpl_domain::organization::OrganizationStatus;
use tgpl_domain::role::{AccountStatus, Role};
use tgpl_persistence::accounts;
use tgpl_persistence::audit::Actor;

use crate::http::error::ApiError;
use crate::http::request_id::RequestId;
use crate::state::AppState;
use tgpl_persistence::tree_cache::TreeCache;

/// A caller whose bearer token is valid and whose account is active right now.
#[derive(Debug, Clone)]
pub struct Caller {
    pub account_id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub org_id: String,
    /// The staff record the account belongs to, if any (service clients and some
    /// administrators have none).
    pub staff_id: Option<String>,
    pub request_id: String,
    /// The stored version of the organization tree when the account was checked.
    pub hierarchy_version: i64,
    pub trees: Arc<TreeCache>,
    /// The account's token epoch the request's token carries: a change of password since
    /// moves the account's on and leaves this one behind.
    pub token_epoch: i32,
}

impl Caller {
    pub fn policy(&self) -> access::Caller<'_> {
        access::Caller {
            role: self.role,
            org_id: &self.org_id,
        }
    }

    pub fn actor(&self) -> Actor {
        Actor {
            account_id: Some(self.account_id.clone()),
            username: self.username.clone(),
            role: Some(self.role.to_string()),
            org_id: Some(self.org_id.clone()),
            request_id: Some(self.request_id.clone()),
        }
    }
}

/// What an account whose password someone else chose may still do: read who it is, and
/// replace the password.
fn open_before_password_change(req: &HttpRequest) -> bool {
    matches!(
        req.path().trim_end_matches('/'),
        "/api/v1/me" | "/api/v1/me/password"
    )
}

fn bearer(req: &HttpRequest) -> Option<&str> {
    let value = req.headers().get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

impl FromRequest for Caller {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let claims = state
            .as_ref()
            .and_then(|s| bearer(req).and_then(|t| s.tokens.verify(t)));
        let request_id = RequestId::of(req);
        let open_before_password_change = open_before_password_change(req);
        Box::pin(async move {
            let (Some(state), Some(claims)) = (state, claims) else {
                return Err(ApiError::invalid_token().into());
            };
            let epoch = claims.epoch;
            let found = match state.accounts.lookup(&claims.sub) {
                Ok(found) => found,
                Err(ticket) => {
                    let cache = state.accounts.clone();
                    let found = state
                        .db(move |conn| match accounts::for_request(conn, &claims.sub) {
                            Ok(found) => {
                                cache.keep(ticket, &found);
                                Ok(Some(found))
                            }
                            Err(tgpl_persistence::StoreError::NotFound) => Ok(None),
                            Err(e) => Err(e.into()),
                        })
                        .await?;
                    found.ok_or_else(ApiError::invalid_token)?
                }
            };
            let account = found.account;
            // A token dies with its account's activity, and with its organization's.
            let active = *account.status == AccountStatus::Active
                && *found.organization_status == OrganizationStatus::Active;
            if !active || account.token_epoch != epoch {
                return Err(ApiError::invalid_token().into());
            }
            if account.password_change_required && !open_before_password_change {
                return Err(ApiError::password_change_required().into());
            }
            Ok(Caller {
                account_id: account.id,
                username: account.username,
                display_name: account.display_name,
                role: *account.role,
                org_id: account.organization_id,
                staff_id: account.staff_id,
                request_id,
                hierarchy_version: found.hierarchy_version,
                trees: state.trees.clone(),
                token_epoch: epoch,
            })
        })
    }
}
