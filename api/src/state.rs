//! What every handler shares.

use tgpl_domain::throttle::ThrottlePolicy;
use tgpl_persistence::{DbConnection, Pool};

use crate::auth::tokens::TokenKeys;
use crate::http::error::ApiError;

pub struct AppState {
    pub pool: Pool,
    pub tokens: TokenKeys,
    pub throttle: ThrottlePolicy,
}

impl AppState {
    /// Runs blocking database work on actix's blocking thread pool. The connection is taken
    /// inside, so a request waiting for one never holds a worker; waiting too long for a
    /// connection answers 503.
    pub async fn db<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get().map_err(|e| {
                log::warn!("no database connection: {e}");
                ApiError::unavailable(5)
            })?;
            work(&mut conn)
        })
        .await
        .map_err(|e| {
            log::error!("database task failed: {e}");
            ApiError::internal()
        })?
    }
}
