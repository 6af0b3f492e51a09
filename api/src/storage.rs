//! What the server stores through, opened before anything is served: the database, brought
//! up to date, its pool, and on SQLite the writer that commits concurrent writes together.

use std::sync::Arc;

use tgpl_persistence::account_cache::AccountCache;
use tgpl_persistence::statistics::tally;
use tgpl_persistence::writer::GroupWriter;
use tgpl_persistence::{db, DatabaseUrl, Pool, PoolSettings};

/// Opens the pool and brings the schema up to date before anything is served.
pub fn prepare_database(url: &DatabaseUrl, settings: &PoolSettings) -> Result<Pool, String> {
    let pool = db::build_pool(url, settings).map_err(|e| e.to_string())?;
    let mut conn = pool
        .get()
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    db::set_up_alone(url, &mut conn, |conn| {
        let applied = db::run_migrations(conn).map_err(|e| e.to_string())?;
        for name in applied {
            log::info!("applied migration {name}");
        }
        // A new database, or one loaded in bulk, counts its records into the statistics'
        // tallies once before it serves.
        if !tally::is_built(conn).map_err(|e| e.to_string())? {
            let started = std::time::Instant::now();
            let counted = tally::rebuild(conn).map_err(|e| e.to_string())?;
            log::info!(
                "counted {counted} cases into the statistics' tallies in {} ms",
                started.elapsed().as_millis()
            );
        }
        Ok(())
    })?;
    Ok(pool)
}

/// What the server stores through: a pool of connections, and on SQLite the one writer that
/// commits the writes of concurrent requests together (PostgreSQL takes concurrent writers
/// itself, so there writes use the pool too).
pub struct Storage {
    /// Where the database is, for the few tasks that keep a connection of their own.
    pub url: DatabaseUrl,
    pub pool: Pool,
    pub writer: Option<GroupWriter>,
    pub accounts: Arc<AccountCache>,
    /// See [`PoolSettings::task_timeout`].
    pub task_timeout: std::time::Duration,
    /// The directory of the SQLite database, whose room readiness checks.
    pub data_dir: Option<std::path::PathBuf>,
}

impl Storage {
    /// Prepares the database (see [`prepare_database`]) and starts the writer it needs.
    pub fn open(url: &DatabaseUrl, settings: &PoolSettings) -> Result<Self, String> {
        let pool = prepare_database(url, settings)?;
        let (writer, accounts) = match url {
            DatabaseUrl::Sqlite(_) => (
                Some(
                    GroupWriter::start(url.clone(), settings.statement_timeout)
                        .map_err(|e| format!("cannot open the database for writing: {e}"))?,
                ),
                AccountCache::off(),
            ),
            DatabaseUrl::Postgres(raw) => (None, AccountCache::following(raw.clone())),
        };
        Ok(Self {
            url: url.clone(),
            pool,
            writer,
            accounts,
            task_timeout: settings.task_timeout,
            data_dir: match url {
                DatabaseUrl::Sqlite(file) => Some(
                    file.parent()
                        .filter(|d| !d.as_os_str().is_empty())
                        .map_or_else(|| ".".into(), |d| d.to_owned()),
                ),
                DatabaseUrl::Postgres(_) => None,
            },
        })
    }
}
