//! What the audit log keeps of a login, made or refused: how it was made and from where, so
//! that an auditor can tell a holder's logins from someone else's use of their credentials.
//! A password an administrator chose (an account created, a password reset) is known to them
//! until its holder replaces it: a login with it says so, and its address and user agent can
//! be set beside the administrator's own logins.

use actix_web::http::header::{HeaderName, USER_AGENT};
use actix_web::HttpRequest;
use serde::Serialize;
use tgpl_persistence::accounts::AccountRow;

/// The longest header value kept: enough for any user agent or proxy chain, no more.
const KEPT_CHARS: usize = 256;

/// How a login was attempted, as its audit entry (`auth.token_issued`, `auth.login_failed`)
/// records it after the event.
#[derive(Debug, Clone, Serialize)]
pub struct Circumstances {
    /// `password` (people) or `client_credentials` (service clients).
    pub grant: &'static str,
    /// The address the connection came from: behind a proxy, the proxy's.
    pub peer_address: Option<String>,
    /// `X-Forwarded-For` as received: what a proxy says of the client, or what the client
    /// says of itself; not checked.
    pub forwarded_for: Option<String>,
    pub user_agent: Option<String>,
    /// For a password: it was chosen by someone other than its holder (on creation or reset)
    /// and not replaced yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_set_by_another: Option<bool>,
    /// For a refused attempt: `wrong_secret`, `wrong_grant` (a person's account with the
    /// client grant, or the reverse), `account_not_active` or `organization_not_active`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<&'static str>,
}

impl Circumstances {
    /// The circumstances of `req`, an attempt with `grant` at the account `account`.
    pub fn of(req: &HttpRequest, grant: &'static str, account: &AccountRow) -> Self {
        let header = |name: &HeaderName| {
            req.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.chars().take(KEPT_CHARS).collect())
        };
        Self {
            grant,
            peer_address: req.peer_addr().map(|a| a.ip().to_string()),
            forwarded_for: header(&HeaderName::from_static("x-forwarded-for")),
            user_agent: header(&USER_AGENT),
            password_set_by_another: (!account.role.is_service())
                .then_some(account.password_change_required),
            refused: None,
        }
    }

    /// The same attempt, refused for `reason`.
    pub fn refused(self, reason: &'static str) -> Self {
        Self {
            refused: Some(reason),
            ..self
        }
    }
}
