//! Liveness and readiness, for load balancers and orchestrators.

use actix_web::{get, web, HttpResponse};
use serde::Serialize;
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

/// The service can serve requests: the database answers. Recovers on its own when the
/// database comes back.
#[utoipa::path(
    operation_id = "checkReadiness",
    tag = "health",
    responses(
        (status = 200, description = "The database answers.", body = HealthStatus),
        (status = 503, description = "The database does not answer.", body = crate::http::error::Problem,
            content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    state
        .db_within(READY_WAIT, |conn| {
            tgpl_persistence::db::ping(conn).map_err(|_| ApiError::unavailable(5))
        })
        .await?;
    Ok(HttpResponse::Ok().json(HealthStatus { status: "ok" }))
}
