//! Requests that may be sent again and must do their work once: a dossier by its portal
//! code, any other `POST` of the portal, and a new case, by their `Idempotency-Key` (see
//! `tgpl_persistence::portal::idempotency`): a portal that retries, an officer whose
//! connection dropped before the answer came. A retry with the same content gets the first
//! answer again, status, `Location` and body, marked `Idempotent-Replayed: true`; the same
//! key with other content is 409.

use actix_web::http::{header, StatusCode};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tgpl_persistence::db::write_transaction;
use tgpl_persistence::portal::idempotency::{self, Answer, Claim};
use tgpl_persistence::DbConnection;

use crate::http::error::ApiError;
use crate::http::lang::Text;

/// The content a key stands for: the SHA-256 of the request as it was read (its JSON with
/// its fields in their declared order, so that key order and spacing do not matter).
pub fn request_hash(request: &impl Serialize) -> Result<String, ApiError> {
    let bytes = serde_json::to_vec(request).map_err(ApiError::logged("hashing a request"))?;
    Ok(hex::encode(Sha256::digest(&bytes)))
}

/// A key's scope and value: dossier codes are unique nationally, so they are kept under
/// one scope whoever sends them; other keys are each client's own.
pub struct Key {
    pub scope: String,
    pub value: String,
}

/// Runs `work` once for `key` and `hash`, in one transaction with the key's claim: the
/// first request does the work and its answer is kept; a retry gets that answer
/// (`replayed`); other content under the key is refused with `conflict()`. A request whose
/// work fails keeps nothing, so that its retry tries again.
pub fn once(
    conn: &mut DbConnection,
    key: &Key,
    hash: &str,
    conflict: impl FnOnce() -> ApiError,
    work: impl FnOnce(&mut DbConnection) -> Result<Answer, ApiError>,
) -> Result<(Answer, bool), ApiError> {
    write_transaction(conn, |conn| {
        match idempotency::claim(conn, &key.scope, &key.value, hash)? {
            Claim::New => {
                let answer = work(conn)?;
                idempotency::answer(conn, &key.scope, &key.value, &answer)?;
                Ok((answer, false))
            }
            Claim::Replay(answer) => Ok((answer, true)),
            Claim::Conflict => Err(conflict()),
        }
    })
}

/// Runs `work` once per `Idempotency-Key` when one was sent (a key is the caller's account's,
/// whatever the call: the call is part of the request's hash), or plainly in a transaction
/// otherwise.
pub fn keyed(
    conn: &mut DbConnection,
    caller: &crate::auth::Caller,
    key: Option<String>,
    hash: &str,
    work: impl FnOnce(&mut DbConnection) -> Result<Answer, ApiError>,
) -> Result<(Answer, bool), ApiError> {
    match key {
        Some(value) => {
            let key = Key {
                scope: caller.account_id.clone(),
                value,
            };
            once(conn, &key, hash, key_reused, work)
        }
        None => write_transaction(conn, |conn| work(conn).map(|answer| (answer, false))),
    }
}

/// An answer to keep: `status`, the `Location` of what was created, and `body` as JSON.
pub fn answer(
    status: StatusCode,
    location: Option<String>,
    body: &impl Serialize,
) -> Result<Answer, ApiError> {
    Ok(Answer {
        status: status.as_u16(),
        location,
        body: serde_json::to_string(body).map_err(ApiError::logged("an answer"))?,
    })
}

/// The HTTP response of a kept answer.
pub fn respond(answer: Answer, replayed: bool) -> HttpResponse {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let mut res = HttpResponse::build(status);
    if let Some(location) = answer.location {
        res.insert_header((header::LOCATION, location));
    }
    if replayed {
        res.insert_header(("Idempotent-Replayed", "true"));
    }
    res.content_type("application/json").body(answer.body)
}

/// 409 for a key reused with other content.
pub fn key_reused() -> ApiError {
    ApiError::conflict(
        "idempotency_key_reused",
        Text::new(
            "Khóa Idempotency-Key này đã được dùng cho một yêu cầu có nội dung khác.",
            "This Idempotency-Key was used for a request with other content.",
        ),
    )
}

/// The `Idempotency-Key` header, when sent: 1 to 255 visible ASCII characters.
#[derive(Debug, Clone)]
pub struct IdempotencyKey(pub Option<String>);

impl FromRequest for IdempotencyKey {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let value = req.headers().get("Idempotency-Key").map(|v| {
            v.to_str()
                .ok()
                .map(str::trim)
                .filter(|k| {
                    !k.is_empty() && k.len() <= 255 && k.bytes().all(|b| b.is_ascii_graphic())
                })
                .map(str::to_owned)
        });
        std::future::ready(match value {
            None => Ok(Self(None)),
            Some(Some(key)) => Ok(Self(Some(key))),
            Some(None) => Err(ApiError::bad_request(
                "invalid_idempotency_key",
                Text::new(
                    "Idempotency-Key gồm 1 đến 255 ký tự ASCII nhìn thấy được.",
                    "An Idempotency-Key is 1 to 255 visible ASCII characters.",
                ),
            )
            .into()),
        })
    }
}
