//! Delivering progress entries to the portal's callbacks from the outbox
//! (`tgpl_persistence::portal::webhooks`), written in the transaction of each entry.
//!
//! A worker started with the server takes the deliveries that are due, at most one per
//! callback and dossier (the earliest not acknowledged, so that a dossier's entries arrive
//! in order), and `POST`s each, signed: `X-TGPL-Timestamp` (Unix seconds) and
//! `X-TGPL-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>" under the shared
//! secret>`. A 2xx answer acknowledges it; anything else is tried again after a backoff that
//! doubles from 1 second up to an hour, for as long as it takes. Deliveries are at least once:
//! the portal keeps the positions it has seen (`X-TGPL-Delivery` names the delivery, the
//! body its position). The outbox is in the database, so a restart loses nothing. The worker
//! calls only the registered addresses and follows no redirect.

use std::time::Duration;

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use rand_core::{OsRng, RngCore};
use sha2::Sha256;
use tgpl_persistence::portal::webhooks::{self, DeliveryRow};

use crate::state::AppState;

/// How long a receiver may take to answer.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How often the worker looks for due deliveries when it is not woken.
const POLL: Duration = Duration::from_millis(500);
/// Deliveries taken at once.
const BATCH: usize = 50;
/// The longest wait between two attempts.
const MAX_BACKOFF_SECONDS: i64 = 3600;
/// How far a receiver should let a timestamp be from its clock before it refuses the
/// delivery as a replay (documented for the portal; the sender's side).
pub const TIMESTAMP_TOLERANCE_SECONDS: i64 = 300;

/// A new shared secret: 32 random bytes, base64url.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// `v1=<hex HMAC-SHA256 of "<timestamp>.<body>">` under `secret`.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    let tag = mac.finalize().into_bytes();
    format!("v1={}", crate::services::idempotency::hex(&tag))
}

/// The wait before the attempt after `attempts` failed ones: 1 s, 2 s, 4 s... up to an hour.
pub fn backoff(attempts: i32) -> chrono::Duration {
    let exponent = attempts.clamp(1, 31) - 1;
    chrono::Duration::seconds((1i64 << exponent).min(MAX_BACKOFF_SECONDS))
}

/// Starts the worker on the current actix system; it stops with it.
pub fn start(state: actix_web::web::Data<AppState>) {
    actix_web::rt::spawn(async move {
        let agent = ureq::AgentBuilder::new()
            .timeout(TIMEOUT)
            .redirects(0)
            .build();
        loop {
            let delivered = run_once(&state, &agent).await;
            if delivered == 0 {
                let _ = tokio::time::timeout(POLL, state.deliveries.notified()).await;
            }
        }
    });
}

/// Makes the deliveries due now; answers how many were attempted.
async fn run_once(state: &AppState, agent: &ureq::Agent) -> usize {
    let due = state
        .db(|conn| {
            let due = webhooks::due(conn, tgpl_persistence::now(), BATCH)?;
            let endpoints = webhooks::endpoints(conn)?;
            Ok((due, endpoints))
        })
        .await;
    let Ok((due, endpoints)) = due else {
        return 0;
    };
    let count = due.len();
    for delivery in due {
        let Some(endpoint) = endpoints.iter().find(|e| e.id == delivery.endpoint_id) else {
            continue;
        };
        let (url, secret, agent) = (endpoint.url.clone(), endpoint.secret.clone(), agent.clone());
        let sent = delivery.clone();
        let outcome = actix_web::web::block(move || post(&agent, &url, &secret, &sent))
            .await
            .unwrap_or_else(|e| Err(format!("the delivery task failed: {e}")));
        record(state, &delivery, outcome).await;
    }
    count
}

fn post(
    agent: &ureq::Agent,
    url: &str,
    secret: &str,
    delivery: &DeliveryRow,
) -> Result<(), String> {
    let timestamp = chrono::Utc::now().timestamp();
    let answer = agent
        .post(url)
        .set("Content-Type", "application/json")
        .set("X-TGPL-Delivery", &delivery.id)
        .set("X-TGPL-Timestamp", &timestamp.to_string())
        .set(
            "X-TGPL-Signature",
            &signature(secret, timestamp, &delivery.payload),
        )
        .send_string(&delivery.payload);
    match answer {
        Ok(response) if (200..300).contains(&response.status()) => Ok(()),
        Ok(response) => Err(format!("HTTP {}", response.status())),
        Err(ureq::Error::Status(status, _)) => Err(format!("HTTP {status}")),
        Err(ureq::Error::Transport(t)) => Err(format!("{}", t.kind())),
    }
}

async fn record(state: &AppState, delivery: &DeliveryRow, outcome: Result<(), String>) {
    let id = delivery.id.clone();
    let attempts = delivery.attempts + 1;
    let written = state
        .write(move |conn| {
            let now = tgpl_persistence::now();
            match outcome {
                Ok(()) => webhooks::delivered(conn, &id, now)?,
                Err(error) => {
                    log::warn!("callback delivery {id} failed (attempt {attempts}): {error}");
                    webhooks::failed(conn, &id, now, &error, now + backoff(attempts))?
                }
            }
            Ok(())
        })
        .await;
    if let Err(e) = written {
        // The next round finds the delivery still due and sends it again: at least once.
        log::error!("cannot record a callback delivery: {:?}", e.code);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backoff_doubles_up_to_an_hour() {
        let seconds: Vec<i64> = (1..=14).map(|n| backoff(n).num_seconds()).collect();
        assert_eq!(&seconds[..5], &[1, 2, 4, 8, 16]);
        assert_eq!(seconds[12], 3600);
        assert_eq!(backoff(1000).num_seconds(), 3600);
    }

    #[test]
    fn signatures_are_hmac_sha256_over_timestamp_and_body() {
        // `printf '1700000000.{}' | openssl dgst -sha256 -hmac secret`
        assert_eq!(
            signature("secret", 1_700_000_000, "{}"),
            "v1=b8569b78799ff9e3cbff0fc2d63a33a2b57f3282abd07c37ae5e8e7d79a5f163"
        );
        assert_ne!(signature("secret", 1, "{}"), signature("secret", 2, "{}"));
        assert_eq!(new_secret().len(), 43);
    }
}
