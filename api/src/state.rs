//! What every handler shares.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::{timeout_at, Instant};

use tgpl_domain::throttle::ThrottlePolicy;
use tgpl_persistence::account_cache::{self, AccountCache};
use tgpl_persistence::blobs::BlobStore;
use tgpl_persistence::db::{answering_to, Outcome};
use tgpl_persistence::writer::{GroupWriter, Write};
use tgpl_persistence::{DbConnection, Pool};
use tokio::sync::Semaphore;

use crate::credentials::password;
use crate::credentials::tokens::TokenKeys;
use crate::http::error::ApiError;
use crate::storage::Storage;
use tgpl_persistence::tree_cache::TreeCache;

pub struct AppState {
    /// Where the database is (see [`crate::storage::Storage::url`]).
    pub database_url: tgpl_persistence::DatabaseUrl,
    pub pool: Pool,
    /// On SQLite, where writes go (see [`AppState::write`]).
    writer: Option<GroupWriter>,
    pub tokens: TokenKeys,
    pub throttle: ThrottlePolicy,
    /// Bounds the Argon2 computations running at once (each takes ~19 MiB and a core).
    pub hashing: Arc<Semaphore>,
    /// Where attachment bytes are kept.
    pub blobs: Arc<dyn BlobStore>,
    /// The largest attachment accepted, in bytes.
    pub attachment_limit: usize,
    /// One permit per upload that may be in progress at once.
    pub uploads: Arc<Semaphore>,
    /// Today's organization tree, shared by all requests.
    pub trees: Arc<TreeCache>,
    /// The account checks of recent requests (kept on PostgreSQL only).
    pub accounts: Arc<AccountCache>,
    /// One permit per pooled connection. Requests queue here, first come first served and
    /// without holding a thread, before they take a connection: the pool wakes its waiters
    /// in no particular order, which under load left a few requests waiting for seconds.
    connections: Arc<Semaphore>,
    /// See [`tgpl_persistence::PoolSettings::task_timeout`].
    task_timeout: Duration,
    /// What the readiness probe keeps.
    pub readiness: Readiness,
    /// Wakes the worker that delivers the portal's callbacks (`crate::webhooks`).
    pub deliveries: Arc<tokio::sync::Notify>,
}

/// What the readiness probe (`GET /health/ready`) keeps between probes.
#[derive(Default)]
pub struct Readiness {
    /// The local directories the server writes to.
    pub dirs: Vec<std::path::PathBuf>,
    /// When the last write probe ran, and whether it was committed. Probes arriving meanwhile
    /// wait for the one running.
    pub last_write: tokio::sync::Mutex<Option<(Instant, bool)>>,
}

impl Readiness {
    /// Readiness that also checks the room left in `dirs`.
    pub fn watching(dirs: Vec<std::path::PathBuf>) -> Self {
        Self {
            dirs,
            last_write: Default::default(),
        }
    }
}

impl AppState {
    pub fn new(
        storage: Storage,
        tokens: TokenKeys,
        blobs: Arc<dyn BlobStore>,
        attachment_limit: usize,
        max_uploads: usize,
    ) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let connections = Arc::new(Semaphore::new(storage.pool.max_size() as usize));
        Self {
            connections,
            task_timeout: storage.task_timeout,
            readiness: Default::default(),
            database_url: storage.url,
            pool: storage.pool,
            writer: storage.writer,
            accounts: storage.accounts,
            tokens,
            throttle: ThrottlePolicy::default(),
            hashing: Arc::new(Semaphore::new(cores)),
            blobs,
            attachment_limit,
            uploads: Arc::new(Semaphore::new(max_uploads)),
            trees: Arc::default(),
            deliveries: Arc::default(),
        }
    }

    /// Runs database work that writes. On SQLite it joins the writes of concurrent requests in
    /// one transaction on the writer's connection (see `tgpl_persistence::writer`) and is
    /// answered once that transaction is committed; on PostgreSQL it runs like [`Self::db`].
    /// Either way its own transactions are atomic and its result is durable when returned. A
    /// write not answered in time is answered 503 (see [`Self::db`]). On PostgreSQL it is
    /// abandoned then, and commits nothing more; on SQLite, where only a disk that stopped
    /// answering holds the writer that long, it may still be committed with its group.
    pub async fn write<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    {
        let Some(writer) = &self.writer else {
            return self.db(work).await;
        };
        let (done, outcome) = tokio::sync::oneshot::channel();
        // A write that has not started by then is dropped unrun, like a request that found
        // no connection in time.
        let deadline = std::time::Instant::now() + self.pool.connection_timeout();
        let write: Write = Box::new(move |conn| {
            let result = work(conn);
            Box::new(move || {
                // The request may have gone; its write stands all the same.
                let _ = done.send(result);
            })
        });
        writer.submit(write, deadline).map_err(|refused| {
            log::warn!("a write was refused: {refused:?}");
            ApiError::unavailable(1)
        })?;
        // No answer means the group could not be committed: the write did not happen. No
        // answer in time means the writer is stuck (a disk that stopped answering): the
        // request is not held with it.
        let answered_by = Instant::now() + self.pool.connection_timeout() + self.task_timeout;
        timeout_at(answered_by, outcome)
            .await
            .map_err(|_| {
                log::error!("a write was not answered in time");
                ApiError::unavailable(5)
            })?
            .map_err(|_| ApiError::unavailable(1))?
    }

    /// Runs database work that only reads, on actix's blocking thread pool. The connection is
    /// taken inside, so a request waiting for one never holds a worker.
    ///
    /// One deadline, the pool's connection timeout, covers queueing for a connection and
    /// getting it (opened or checked); past it the answer is 503. The work itself is then
    /// given [`PoolSettings::task_timeout`](tgpl_persistence::PoolSettings): a database that
    /// stops answering holds the work's thread and connection until the connection's own
    /// bounds drop it, but not the request, which is answered 503 (`service_unavailable`,
    /// retry). The work is abandoned then: no transaction of it commits afterwards, so that
    /// a retry never finds its first attempt saved after all. One whose commit had already
    /// begun is waited for once more; if it still has not ended, the answer is 503
    /// `outcome_unknown`, with no invitation to retry.
    pub async fn db<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    {
        self.db_within(self.pool.connection_timeout(), work).await
    }

    /// [`Self::db`] with `waited` instead of the pool's timeout to get a connection: for the
    /// readiness probe, which must say at once that the database refuses connections.
    pub async fn db_within<T, F>(&self, waited: Duration, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    {
        let deadline = Instant::now() + waited;
        let permit = timeout_at(deadline, self.connections.clone().acquire_owned())
            .await
            .map_err(|_| {
                log::warn!("no database connection within {waited:?}");
                ApiError::unavailable(5)
            })?
            .map_err(ApiError::logged("database slot closed"))?;
        let pool = self.pool.clone();
        let accounts = self.accounts.clone();
        let connect_by = deadline.into_std();
        let outcome = Arc::new(Outcome::default());
        let watched = outcome.clone();
        let task = actix_web::web::block(move || {
            // The permit goes with the work: a connection whose work is still running, even
            // after its request was answered, is not counted free.
            let _permit = permit;
            let left = connect_by.saturating_duration_since(std::time::Instant::now());
            let mut conn = pool.get_timeout(left).map_err(|e| {
                log::warn!("no database connection: {e}");
                ApiError::unavailable(5)
            })?;
            let result = answering_to(watched, || work(&mut conn));
            conn.record_outcome(!matches!(&result, Err(e) if e.status.is_server_error()));
            // Before the request is answered: the next one must not be let in on an account
            // check that this work made stale.
            if account_cache::announced(&mut conn) {
                accounts.forget_all();
            }
            result
        });
        tokio::pin!(task);
        let mut answer = timeout_at(deadline + self.task_timeout, &mut task).await;
        if answer.is_err() && !outcome.abandon() {
            // A commit is under way: its outcome, not "retry", is the answer, once known.
            log::warn!("a database task is committing past its deadline; waiting for it");
            answer = timeout_at(Instant::now() + self.task_timeout, &mut task).await;
            if answer.is_err() {
                let cause = format!(
                    "a database commit did not end within {:?}",
                    self.task_timeout
                );
                log::error!("{cause}");
                self.accounts.forget_all();
                let mut e = ApiError::outcome_unknown();
                e.cause = Some(cause);
                return Err(e);
            }
        }
        match answer {
            Ok(Ok(Err(_))) if outcome.is_unknown() => {
                let cause = "the connection was lost while a commit was under way".to_owned();
                log::error!("{cause}");
                self.accounts.forget_all();
                let mut e = ApiError::outcome_unknown();
                e.cause = Some(cause);
                Err(e)
            }
            Ok(Ok(result)) => result,
            Ok(Err(e)) => {
                log::error!("database task failed: {e}");
                // The work may have committed a change to an account before it failed, and
                // its connection was not asked: forget everything rather than risk it.
                self.accounts.forget_all();
                Err(ApiError::internal())
            }
            Err(_) => {
                let cause = format!(
                    "a database task did not finish within {:?}; abandoned, it commits nothing more",
                    waited + self.task_timeout
                );
                log::error!("{cause}");
                // As above: it may have committed a change to an account before.
                self.accounts.forget_all();
                let mut e = ApiError::unavailable(5);
                e.cause = Some(cause);
                Err(e)
            }
        }
    }

    /// Runs Argon2 work off the workers, a bounded number at a time, and never while holding
    /// a database connection: slow hashing must not starve the pool.
    async fn hashing<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let _permit = self
            .hashing
            .acquire()
            .await
            .map_err(ApiError::logged("database slot closed"))?;
        actix_web::web::block(work).await.map_err(|e| {
            log::error!("hashing task failed: {e}");
            ApiError::internal()
        })
    }

    pub async fn hash_secret(&self, secret: String) -> Result<String, ApiError> {
        self.hashing(move || password::hash(&secret))
            .await?
            .map_err(|e| {
                log::error!("cannot hash a secret: {e}");
                ApiError::internal()
            })
    }

    /// Checks `secret` against `stored`; with no stored hash, spends the same time and fails.
    pub async fn verify_secret(
        &self,
        stored: Option<String>,
        secret: String,
    ) -> Result<bool, ApiError> {
        self.hashing(move || match stored {
            Some(hash) => password::verify(&hash, &secret),
            None => {
                password::verify_nothing(&secret);
                false
            }
        })
        .await
    }
}
