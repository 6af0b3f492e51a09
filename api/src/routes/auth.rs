//! `POST /api/v1/auth/token`: OAuth 2.0 token endpoint (RFC 6749) for people
//! (`grant_type=password`) and service clients (`grant_type=client_credentials`).

use actix_web::http::header::{self, AUTHORIZATION};
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpRequest, HttpResponse};
use base64::Engine;
use serde::{Deserialize, Serialize};
use tgpl_domain::account::login_refusal;
use tgpl_domain::label::Vocabulary;
use tgpl_domain::organization::OrganizationStatus;
use tgpl_persistence::audit::Actor;
use tgpl_persistence::login_attempts::Admitted;
use tgpl_persistence::{accounts, login_attempts, organizations, DbConnection};
use utoipa::ToSchema;

use crate::http::error::ApiError;
use crate::http::extract::{form_field_refused, Form};
use crate::http::lang::Text;
use crate::http::request_id::RequestId;
use crate::http::text::clean_pairs;
use crate::services::logins::Circumstances;
use crate::state::AppState;

/// Form fields of the token request (`application/x-www-form-urlencoded`). A field holding
/// a control character (U+0000 in `password` and `client_secret`, which are otherwise taken
/// as sent) is 400 `invalid_request` naming it.
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

impl Grant {
    fn code(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::ClientCredentials => "client_credentials",
        }
    }
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

/// The longest an attempt waits for the password checks of others to resolve, when only
/// they stand between it and the limit (see `tgpl_domain::throttle`), before it is answered
/// 429; and how often it asks again meanwhile. A check takes a fraction of a second, but
/// checks queue for the cores (`AppState::hashing`) and a loaded server is slower: the bound
/// only has to end a wait for a check that will never report, well before the reservation
/// itself expires.
const WAIT_FOR_OTHERS: std::time::Duration = std::time::Duration::from_secs(15);
const ASK_AGAIN: std::time::Duration = std::time::Duration::from_millis(100);

/// Admits one login attempt for `subject`, then runs `read` in the same database call.
/// Returns the attempt's reservation, to be settled with [`settle`] once the password is
/// checked, and what `read` found. Refuses with 429 while the subject is blocked; waits
/// (bounded) while the limit is reached only by attempts of others still being checked.
pub async fn admit<T, F>(state: &AppState, subject: &str, read: F) -> Result<(String, T), ApiError>
where
    T: Send + 'static,
    F: Fn(&mut DbConnection) -> Result<T, ApiError> + Clone + Send + 'static,
{
    let policy = state.throttle;
    let give_up = std::time::Instant::now() + WAIT_FOR_OTHERS;
    loop {
        let (subject, read) = (subject.to_owned(), read.clone());
        let admitted = state
            .write(move |conn| {
                let now = tgpl_persistence::now();
                Ok(match login_attempts::admit(conn, &policy, &subject, now)? {
                    Admitted::Reserved(id) => {
                        let found = read(conn)?;
                        Ok((id, found))
                    }
                    Admitted::Wait => Err(None),
                    Admitted::Blocked(until) => {
                        Err(Some((until - now).num_seconds().max(1) as u64))
                    }
                })
            })
            .await?;
        match admitted {
            Ok(reserved) => return Ok(reserved),
            Err(Some(seconds)) => return Err(too_many_attempts(seconds)),
            Err(None) if std::time::Instant::now() >= give_up => return Err(too_many_attempts(1)),
            Err(None) => actix_web::rt::time::sleep(ASK_AGAIN).await,
        }
    }
}

/// A refused login at an existing account, to audit.
pub struct FailedLogin {
    actor: Actor,
    account_id: String,
    circumstances: Circumstances,
}

/// Settles an admitted attempt once its password is checked: a wrong one is counted as a
/// failure, a right one clears the subject's failures. A refused login is audited in the
/// same write, so that an attempt at an existing account costs what one at a name that is
/// none does, and their answers take as long.
pub async fn settle(
    state: &AppState,
    subject: String,
    reservation: String,
    right: bool,
    failed: Option<FailedLogin>,
) -> Result<(), ApiError> {
    let policy = state.throttle;
    state
        .write(move |conn| {
            if let Some(f) = &failed {
                accounts::record_failed_login(conn, &f.actor, &f.account_id, &f.circumstances)?;
            }
            if right {
                login_attempts::succeeded(conn, &subject, &reservation)?;
            } else {
                let now = tgpl_persistence::now();
                login_attempts::failed(conn, &policy, &subject, &reservation, now)?;
            }
            Ok(())
        })
        .await
}

/// Gives back an admitted attempt that was not made: nothing is counted.
pub async fn release(state: &AppState, reservation: String) -> Result<(), ApiError> {
    state
        .write(move |conn| Ok(login_attempts::released(conn, &reservation)?))
        .await
}

/// Client id and secret from `Authorization: Basic`, if sent, held to the rules of form
/// fields (see [`crate::http::text::clean_pairs`]): a control character in the id, or
/// U+0000 in the secret, is 400 `invalid_request` naming `client_id` or `client_secret`.
fn basic_credentials(req: &HttpRequest) -> Result<Option<(String, String)>, ApiError> {
    let Some((id, secret)) = basic_pair(req) else {
        return Ok(None);
    };
    let cleaned = clean_pairs([
        ("client_id", id.as_str()),
        ("client_secret", secret.as_str()),
    ])
    .map_err(form_field_refused)?;
    let mut pairs = form_urlencoded::parse(cleaned.as_bytes()).map(|(_, v)| v.into_owned());
    Ok(pairs.next().zip(pairs.next()))
}

fn basic_pair(req: &HttpRequest) -> Option<(String, String)> {
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
/// Wrong credentials answer 401 without saying which part was wrong. Failures are counted
/// per username or client id; after 5 without success within 15 minutes, further attempts
/// are refused with 429 for 15 minutes, even with the right password. Attempts sent at once
/// are admitted up to that limit while their passwords are checked; the others wait for the
/// outcome (fifteen seconds at most), so that right passwords sent together all succeed. Locked or
/// deactivated accounts, and accounts of inactive organizations, cannot log in.
#[utoipa::path(
    operation_id = "issueToken",
    tag = "auth",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "A bearer token.", body = TokenResponse),
        (status = 400, description = "Malformed request or unsupported grant type.", body = crate::http::error::Problem),
        (status = 401, description = "Wrong credentials.", body = crate::http::error::Problem),
        (status = 429, description = "Too many failed attempts.", body = crate::http::error::Problem,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[post("/auth/token")]
pub async fn token(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: Form<TokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let form = form.0;
    let (grant, subject, secret) = match form.grant_type.as_str() {
        "password" => match (form.username, form.password) {
            (Some(u), Some(p)) => (Grant::Password, u, p),
            _ => return Err(missing_credentials()),
        },
        "client_credentials" => {
            match (basic_credentials(&req)?, form.client_id, form.client_secret) {
                (Some((id, secret)), _, _) | (None, Some(id), Some(secret)) => {
                    (Grant::ClientCredentials, id, secret)
                }
                _ => return Err(missing_credentials()),
            }
        }
        _ => return Err(unsupported_grant()),
    };
    let subject = subject.trim().to_ascii_lowercase();
    let request_id = RequestId::of(&req);
    let lookup_subject = subject.clone();
    let (reservation, account) = admit(&state, &subject, move |conn| {
        let Some(account) = accounts::find_by_username(conn, &lookup_subject)? else {
            return Ok(None);
        };
        let org_active = *organizations::get(conn, &account.organization_id)?.status
            == OrganizationStatus::Active;
        Ok(Some((account, org_active)))
    })
    .await?;
    let verified = state
        .verify_secret(
            account.as_ref().map(|(a, _)| a.password_hash.clone()),
            secret,
        )
        .await?;
    let refusal = account.as_ref().map(|(a, org_active)| {
        let refused = login_refusal(
            verified,
            a.role.is_service(),
            grant == Grant::ClientCredentials,
            *a.status,
            *org_active,
        );
        (
            a.id.clone(),
            Circumstances::of(&req, grant.code(), a),
            refused,
        )
    });
    let (account, circumstances) = match (account, refusal) {
        (Some((account, _)), Some((_, circumstances, None))) => (account, circumstances),
        (_, refusal) => {
            // Attempts at an existing account are audited; a name that is none is not kept,
            // since it is often a password typed in the wrong field.
            let failed = refusal.and_then(|(account_id, circumstances, reason)| {
                Some(FailedLogin {
                    actor: Actor::anonymous(request_id),
                    account_id,
                    circumstances: circumstances.refused(reason?),
                })
            });
            // Only a wrong password counts as a failure; a right one for an account that may
            // not log in is no guess.
            settle(&state, subject, reservation, verified, failed).await?;
            return Err(bad_credentials(grant));
        }
    };
    let issued = state.clone();
    let token = state
        .write(move |conn| {
            login_attempts::succeeded(conn, &subject, &reservation)?;
            let actor = Actor {
                account_id: Some(account.id.clone()),
                username: account.username.clone(),
                role: Some(account.role.to_string()),
                org_id: Some(account.organization_id.clone()),
                request_id: Some(request_id),
            };
            let at = tgpl_persistence::now();
            accounts::record_login(conn, &actor, &account.id, at, &circumstances)?;
            issued
                .tokens
                .issue(
                    &account.id,
                    account.role.code(),
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
