//! Liveness and readiness, for load balancers and orchestrators.

use std::time::Duration;

use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use tokio::time::{timeout, Instant};
use utoipa::ToSchema;

use crate::http::error::ApiError;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct HealthStatus {
    /// `ok` when healthy.
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// The process is up and answering.
#[utoipa::path(
    operation_id = "checkLiveness",
    tag = "health",
    responses((status = 200, description = "The process answers.", body = HealthStatus))
)]
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(HealthStatus { status: "ok" })
}

/// How long readiness waits for a database connection. Much shorter than the pool's
/// timeout: a database that refuses connections is reported at once, not after the pool has
/// retried for seconds; a pool too busy to lend a connection this soon is not ready either.
const READY_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// Below this much room on a disk the server writes to (the attachment store, the SQLite
/// database), it is not ready: writes would soon fail, and some already do.
const MIN_FREE_BYTES: u64 = 16 * 1024 * 1024;
/// The outcome of a write probe is reused this long, so that frequent probes from several
/// load balancers do not each write.
const WRITE_PROBE_EVERY: Duration = Duration::from_secs(2);
/// How long readiness waits for its write to be committed.
const WRITE_WAIT: Duration = Duration::from_secs(2);

/// The service can serve requests: the database answers, a write can be committed, and the
/// disks it writes to have room. Recovers on its own when they do again.
#[utoipa::path(
    operation_id = "checkReadiness",
    tag = "health",
    responses(
        (status = 200, description = "The database answers and takes writes.", body = HealthStatus),
        (status = 503, description = "The database does not answer or cannot write, or a disk is full.", body = crate::http::error::Problem,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    // Within the wait, answer included: a database that takes connections but stopped
    // answering (a frozen host) would otherwise hold the probe for the statement timeout.
    let ping = state.db_within(READY_WAIT, |conn| {
        tgpl_persistence::db::ping(conn).map_err(|_| ApiError::unavailable(5))
    });
    timeout(READY_WAIT, ping).await.map_err(|_| {
        log::error!("not ready: the database does not answer within {READY_WAIT:?}");
        ApiError::unavailable(5)
    })??;
    let dirs = state.readiness.dirs.clone();
    let unfit = web::block(move || {
        dirs.into_iter().find(|dir| {
            let room = tgpl_persistence::health::available_bytes(dir)
                .inspect_err(|e| log::error!("cannot tell the room left in {}: {e}", dir.display()))
                .is_ok_and(|free| free >= MIN_FREE_BYTES);
            if !room {
                log::error!(
                    "not ready: {} has less than {MIN_FREE_BYTES} bytes free",
                    dir.display()
                );
            }
            let writable = tgpl_persistence::health::check_writable(dir)
                .inspect_err(|e| log::error!("not ready: {e}"))
                .is_ok();
            !(room && writable)
        })
    })
    .await
    .map_err(ApiError::logged("blocking task failed"))?;
    if unfit.is_some() {
        return Err(ApiError::store_unavailable());
    }
    let mut last = state.readiness.last_write.lock().await;
    let wrote = match *last {
        Some((at, wrote)) if at.elapsed() < WRITE_PROBE_EVERY => wrote,
        _ => {
            let outcome = timeout(
                WRITE_WAIT,
                state.write(|conn| Ok(tgpl_persistence::health::heartbeat(conn)?)),
            )
            .await;
            let wrote = matches!(outcome, Ok(Ok(())));
            *last = Some((Instant::now(), wrote));
            wrote
        }
    };
    if !wrote {
        log::error!("not ready: the database does not commit a write");
        return Err(ApiError::unavailable(5));
    }
    Ok(HttpResponse::Ok().json(HealthStatus { status: "ok" }))
}
