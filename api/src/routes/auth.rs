//! `POST /api/v1/auth/token`: OAuth 2.0 token endpoint (RFC 6749) for people
//! (`grant_type=password`) and service clients (`grant_type=client_credentials`).

use actix_web::http::header::{self, AUTHORIZATION};
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpRequest, HttpResponse};
use base64::Engine;
use serde::{Deserialize, Serialize};
use tgpl_domain::organization::OrganizationStatus;
use tgpl_domain::role::{AccountStatus, Role};
use tgpl_persistence::audit::Actor;
use tgpl_persistence::{accounts, login_failures, organizations};
use utoipa::ToSchema;

use crate::auth::password;
use crate::http::error::ApiError;
use crate::http::lang::Text;
use crate::http::request_id::RequestId;
use crate::state::AppState;

/// Form fields of the token request (`application/x-www-form-urlencoded`).
#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    /// `password` for people, `client_credentials` for service clients.
    #[schema(example = "password")]
    pub grant_type: String,
    pub username: Option<String>,
    pub password: Option<String>,
    /// Service clients may instead send their id and secret with HTTP Basic authentication.
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    /// Ignored: the scope of a token is the account's role and organization.
    pub scope: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Lifetime of the token in seconds.
    #[schema(example = 900)]
    pub expires_in: i64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Grant {
    Password,
    ClientCredentials,
}

fn unsupported_grant() -> ApiError {
    ApiError::bad_request(
        "unsupported_grant_type",
        Text::new(
            "grant_type phải là `password` hoặc `client_credentials`.",
            "grant_type must be `password` or `client_credentials`.",
        ),
    )
    .with_oauth("unsupported_grant_type")
}

fn missing_credentials() -> ApiError {
    ApiError::bad_request(
        "invalid_request",
        Text::new("Thiếu thông tin đăng nhập.", "Credentials are missing."),
    )
    .with_oauth("invalid_request")
}

fn bad_credentials(grant: Grant) -> ApiError {
    match grant {
        Grant::Password => ApiError::unauthorized(Text::new(
            "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản không được phép đăng nhập.",
            "Wrong username or password, or the account may not log in.",
        ))
        .with_oauth("invalid_grant"),
        Grant::ClientCredentials => ApiError::unauthorized(Text::new(
            "Mã ứng dụng hoặc khóa bí mật không đúng, hoặc ứng dụng đã bị thu hồi.",
            "Wrong client id or secret, or the client was revoked.",
        ))
        .with_oauth("invalid_client"),
    }
}

fn too_many_attempts(seconds: u64) -> ApiError {
    let mut e = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
        Text::new("Đăng nhập sai quá nhiều lần", "Too many failed attempts"),
        Text::new(
            format!("Đã đăng nhập sai quá nhiều lần. Hãy thử lại sau {seconds} giây."),
            format!("Too many failed logins. Try again in {seconds} seconds."),
        ),
    );
    e.retry_after = Some(seconds);
    e
}

/// Client id and secret from `Authorization: Basic`, if sent.
fn basic_credentials(req: &HttpRequest) -> Option<(String, String)> {
    let value = req.headers().get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

/// Exchanges credentials for a short-lived bearer token.
///
/// Wrong credentials answer 401 without saying which part was wrong. After 5 failures for
/// one username or client id within 15 minutes, attempts are refused with 429 for 15
/// minutes. Locked or deactivated accounts cannot log in.
#[utoipa::path(
    tag = "auth",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "A bearer token.", body = TokenResponse),
        (status = 400, description = "Malformed request or unsupported grant type.", body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong credentials.", body = crate::http::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts.", body = crate::http::error::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/auth/token")]
pub async fn token(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<TokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let form = form.into_inner();
    let (grant, subject, secret) = match form.grant_type.as_str() {
        "password" => match (form.username, form.password) {
            (Some(u), Some(p)) => (Grant::Password, u, p),
            _ => return Err(missing_credentials()),
        },
        "client_credentials" => match (basic_credentials(&req), form.client_id, form.client_secret)
        {
            (Some((id, secret)), _, _) | (None, Some(id), Some(secret)) => {
                (Grant::ClientCredentials, id, secret)
            }
            _ => return Err(missing_credentials()),
        },
        _ => return Err(unsupported_grant()),
    };
    let subject = subject.trim().to_ascii_lowercase();
    let request_id = RequestId::of(&req);
    let issued = state.clone();
    let token = state
        .db(move |conn| {
            let now = tgpl_persistence::now();
            let policy = issued.throttle;
            if let Some(until) = login_failures::blocked_until(conn, &policy, &subject, now)? {
                return Err(too_many_attempts((until - now).num_seconds().max(1) as u64));
            }
            let account = accounts::find_by_username(conn, &subject)?;
            let verified = match &account {
                Some(a) => password::verify(&a.password_hash, &secret),
                None => {
                    password::verify_nothing(&secret);
                    false
                }
            };
            let account = account.filter(|a| {
                let role = a.role.parse::<Role>().ok();
                let right_kind =
                    role.is_some_and(|r| r.is_service() == (grant == Grant::ClientCredentials));
                verified && right_kind && a.status == AccountStatus::Active.to_string()
            });
            let account = match account {
                Some(a)
                    if organizations::get(conn, &a.organization_id)?.status
                        == OrganizationStatus::Active.to_string() =>
                {
                    a
                }
                _ => {
                    login_failures::record_failure(conn, &policy, &subject, now)?;
                    return Err(bad_credentials(grant));
                }
            };
            login_failures::clear(conn, &subject)?;
            let actor = Actor {
                account_id: Some(account.id.clone()),
                username: account.username.clone(),
                role: Some(account.role.clone()),
                org_id: Some(account.organization_id.clone()),
                request_id: Some(request_id),
            };
            accounts::record_login(conn, &actor, &account.id, now)?;
            issued
                .tokens
                .issue(
                    &account.id,
                    &account.role,
                    &account.organization_id,
                    account.token_epoch,
                )
                .map_err(|e| {
                    log::error!("cannot sign a token: {e}");
                    ApiError::internal()
                })
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .json(TokenResponse {
            access_token: token,
            token_type: "Bearer",
            expires_in: state.tokens.ttl_seconds,
        }))
}
