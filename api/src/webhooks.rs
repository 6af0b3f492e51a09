//! Delivering progress entries to the portal's callbacks from the outbox
//! (`tgpl_persistence::portal::webhooks`), written in the transaction of each entry.
//!
//! A worker started with the server finds the deliveries that are due, at most one per
//! callback and dossier (the earliest not acknowledged, so that a dossier's entries arrive
//! in order), claims each in the database (so that neither a stale read nor another
//! instance of the server sends it again), and `POST`s each on its own, signed:
//! `X-TGPL-Timestamp` (Unix seconds) and `X-TGPL-Signature: v1=<hex HMAC-SHA256 of
//! "<timestamp>.<body>" under the shared secret>`. A 2xx answer acknowledges it; anything else is tried again after a backoff that
//! doubles from 1 second up to an hour, for as long as it takes. A receiver that hangs holds
//! only its own deliveries. Deliveries are at least once: the portal keeps the positions it
//! has seen (`X-TGPL-Delivery` names the delivery, the body its position). The outbox is in
//! the database, so a restart loses nothing. The worker reads the outbox on a connection of
//! its own, never standing in the pool's queue before requests; it calls only the
//! registered addresses, follows no redirect, and connects to no link-local, multicast or
//! unspecified address whatever a name resolves to.

use std::collections::HashSet;
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use rand_core::{OsRng, RngCore};
use sha2::Sha256;
use tgpl_persistence::portal::webhooks::{self, DeliveryRow, EndpointRow};
use tgpl_persistence::{DatabaseUrl, DbConnection, StoreError};

use crate::state::AppState;

/// How long a receiver may take to connect and answer.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How often the worker looks for due deliveries when it is not woken.
const POLL: Duration = Duration::from_millis(500);
/// How long the worker rests after the database did not answer it.
const DATABASE_REST: Duration = Duration::from_secs(2);
/// Deliveries in flight at once.
const IN_FLIGHT: usize = 32;
/// The longest wait between two attempts.
const MAX_BACKOFF_SECONDS: i64 = 3600;
/// How long a claimed delivery is left to its instance before it is due again: longer than
/// an attempt can take.
const LEASE: Duration = Duration::from_secs(60);

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
    format!("v1={}", hex::encode(tag))
}

/// The wait before the attempt after `attempts` failed ones: 1 s, 2 s, 4 s... up to an hour.
pub fn backoff(attempts: i32) -> chrono::Duration {
    let exponent = attempts.clamp(1, 31) - 1;
    chrono::Duration::seconds((1i64 << exponent).min(MAX_BACKOFF_SECONDS))
}

/// Whether no callback can live at `ip`: link-local (where cloud metadata services answer),
/// multicast, broadcast or unspecified, IPv4 written inside IPv6 included, and the metadata
/// addresses outside those ranges (`100.100.100.200`, `fd00:ec2::254`).
pub fn unroutable(ip: std::net::IpAddr) -> bool {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    let v4 = |a: Ipv4Addr| {
        a.is_link_local()
            || a.is_multicast()
            || a.is_broadcast()
            || a.is_unspecified()
            || a == Ipv4Addr::new(100, 100, 100, 200)
    };
    match ip {
        IpAddr::V4(a) => v4(a),
        IpAddr::V6(a) => {
            let segments = a.segments();
            // NAT64 (64:ff9b::/96) carries an IPv4 address in its last 32 bits.
            let nat64 = segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0];
            let embedded = a.to_ipv4_mapped().or_else(|| a.to_ipv4()).or_else(|| {
                nat64.then(|| {
                    let [.., a, b, c, d] = a.octets();
                    Ipv4Addr::new(a, b, c, d)
                })
            });
            a.is_multicast()
                || a.is_unspecified()
                || (segments[0] & 0xffc0) == 0xfe80
                || a == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254)
                || embedded.is_some_and(|e| !e.is_loopback() && v4(e))
        }
    }
}

/// Resolves names as the system does, keeping only addresses a callback may live at.
struct RoutableOnly;

impl ureq::Resolver for RoutableOnly {
    fn resolve(&self, netloc: &str) -> std::io::Result<Vec<SocketAddr>> {
        let found: Vec<SocketAddr> = netloc
            .to_socket_addrs()?
            .filter(|a| !unroutable(a.ip()))
            .collect();
        if found.is_empty() {
            return Err(std::io::Error::other(
                "the address is link-local, multicast or unspecified",
            ));
        }
        Ok(found)
    }
}

/// The outbox, read on a connection of the worker's own, opened when needed and dropped
/// when it fails.
struct Outbox {
    url: DatabaseUrl,
    conn: Option<DbConnection>,
}

impl Outbox {
    fn due(&mut self) -> Result<(Vec<DeliveryRow>, Vec<EndpointRow>), StoreError> {
        let conn = match &mut self.conn {
            Some(conn) => conn,
            None => self.conn.insert(
                self.url
                    .connect()
                    .map_err(|e| StoreError::Unavailable(e.to_string()))?,
            ),
        };
        let read = webhooks::due(conn, tgpl_persistence::now(), IN_FLIGHT)
            .and_then(|due| Ok((due, webhooks::endpoints(conn)?)));
        if read.is_err() {
            self.conn = None;
        }
        read
    }
}

/// Starts the worker on the current actix system; it stops with it.
pub fn start(state: actix_web::web::Data<AppState>) {
    actix_web::rt::spawn(async move {
        let tls = match ureq::native_tls::TlsConnector::new() {
            Ok(tls) => Arc::new(tls),
            Err(e) => {
                log::error!("the callback worker cannot set up TLS, and sends nothing: {e}");
                return;
            }
        };
        let agent = ureq::AgentBuilder::new()
            .timeout(TIMEOUT)
            .redirects(0)
            .resolver(RoutableOnly)
            .tls_connector(tls)
            .build();
        let in_flight: Arc<Mutex<HashSet<String>>> = Arc::default();
        let mut outbox = Some(Outbox {
            url: state.database_url.clone(),
            conn: None,
        });
        loop {
            let Some(mut reader) = outbox.take() else {
                return;
            };
            let Ok((reader, read)) = actix_web::web::block(move || {
                let read = reader.due();
                (reader, read)
            })
            .await
            else {
                log::error!("the callback worker's task failed");
                return;
            };
            outbox = Some(reader);
            let (due, endpoints) = match read {
                Ok(found) => found,
                Err(e) => {
                    log::warn!("the callback worker cannot read the outbox: {e}");
                    tokio::time::sleep(DATABASE_REST).await;
                    continue;
                }
            };
            for delivery in due {
                let Some(endpoint) = endpoints.iter().find(|e| e.id == delivery.endpoint_id) else {
                    continue;
                };
                {
                    let mut flying = in_flight.lock().unwrap_or_else(|p| p.into_inner());
                    if flying.len() >= IN_FLIGHT || !flying.insert(delivery.id.clone()) {
                        continue;
                    }
                }
                let (state, agent, in_flight) = (state.clone(), agent.clone(), in_flight.clone());
                let (url, secret) = (endpoint.url.clone(), endpoint.secret.clone());
                actix_web::rt::spawn(async move {
                    // The claim, not this set, is what keeps a delivery from being sent twice:
                    // it refuses one recorded since the read that found it, and one another
                    // instance has taken.
                    if claim(&state, &delivery).await {
                        let sent = delivery.clone();
                        let outcome =
                            actix_web::web::block(move || post(&agent, &url, &secret, &sent))
                                .await
                                .unwrap_or_else(|e| Err(format!("the delivery task failed: {e}")));
                        record(&state, &delivery, outcome).await;
                    }
                    in_flight
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .remove(&delivery.id);
                    // The dossier's next entry may be due now.
                    state.deliveries.notify_one();
                });
            }
            let _ = tokio::time::timeout(POLL, state.deliveries.notified()).await;
        }
    });
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
        Err(ureq::Error::Transport(t)) => Err(transport_failure(&t)),
    }
}

/// What went wrong on the way, without the address: a callback's query may carry the
/// receiver's credentials, and this text goes to the log and to the delivery's record.
fn transport_failure(t: &ureq::Transport) -> String {
    let mut said = t.kind().to_string();
    if let Some(message) = t.message() {
        said.push_str(": ");
        said.push_str(message);
    }
    if let Some(source) = std::error::Error::source(t) {
        said.push_str(": ");
        said.push_str(&source.to_string());
    }
    said.chars().take(300).collect()
}

/// Claims `delivery` for this attempt ([`webhooks::claim`]); false when another instance,
/// or the database, did not let it.
async fn claim(state: &AppState, delivery: &DeliveryRow) -> bool {
    let id = delivery.id.clone();
    let claimed = state
        .write(move |conn| {
            let now = tgpl_persistence::now();
            let lease = chrono::Duration::from_std(LEASE).unwrap_or(chrono::Duration::MAX);
            Ok(webhooks::claim(conn, &id, now, now + lease)?)
        })
        .await;
    claimed.unwrap_or_else(|e| {
        log::warn!("cannot claim a callback delivery: {:?}", e.code);
        false
    })
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
        // Once its lease is over, the delivery is due again and sent again: at least once.
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

    #[test]
    fn metadata_and_link_local_addresses_are_unroutable_in_every_spelling() {
        for bad in [
            "169.254.169.254",
            "::ffff:169.254.169.254",
            "::169.254.169.254",
            "64:ff9b::a9fe:a9fe",
            "fe80::1",
            "0.0.0.0",
            "::",
            "224.0.0.1",
            "100.100.100.200",
            "fd00:ec2::254",
        ] {
            assert!(unroutable(bad.parse().unwrap()), "{bad}");
        }
        for good in [
            "127.0.0.1",
            "::1",
            "10.0.0.5",
            "203.0.113.7",
            "::ffff:127.0.0.1",
        ] {
            assert!(!unroutable(good.parse().unwrap()), "{good}");
        }
    }
}
