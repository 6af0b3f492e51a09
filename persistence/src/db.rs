//! Connections, the pool, transactions and migrations.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::r2d2::{self, R2D2Connection};
use diesel::sqlite::SqliteConnection;
use diesel::Connection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::StoreError;

/// The channel on which the triggers announce a change to an account, an organization or
/// the tree (migration `000006_account_changes`); every pooled PostgreSQL connection listens
/// on it, for `account_cache`.
pub const ACCOUNT_CHANGES: &str = "account_changes";

/// A connection to either engine. Repositories are written once against this type.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

/// The backend type of [`DbConnection`], for boxed queries.
pub type Backend = <DbConnection as Connection>::Backend;

pub type Pool = r2d2::Pool<ConnectionManager>;
pub type PooledConnection = r2d2::PooledConnection<ConnectionManager>;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// Where the data lives, chosen by the scheme of `DATABASE_URL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite://relative/or/absolute/path` or `sqlite:path`.
    Sqlite(PathBuf),
    /// `postgres://` or `postgresql://`.
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err("DATABASE_URL is empty".into());
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(Self::Postgres(raw.to_owned()));
        }
        if let Some(path) = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err("DATABASE_URL `sqlite://` names no file".into());
            }
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        if let Some((scheme, _)) = raw.split_once("://") {
            return Err(format!(
                "DATABASE_URL has the unknown scheme `{scheme}://`; use `sqlite://PATH` or `postgres://...`"
            ));
        }
        // A mistyped URL (`postgres:/...`, `postgres//...`) read as a file name would start an
        // empty SQLite database in its stead. The value is not repeated: it may hold a password.
        Err("DATABASE_URL names no engine; use `sqlite://PATH` or `postgres://...`".into())
    }

    /// The database, for an operator to read: the SQLite file, or the PostgreSQL host and
    /// database without the user's password.
    pub fn describe(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("SQLite {}", path.display()),
            Self::Postgres(url) => {
                let rest = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
                let place = rest.rsplit_once('@').map_or(rest, |(_, p)| p);
                let place = place.split_once('?').map_or(place, |(p, _)| p);
                format!("PostgreSQL {place}")
            }
        }
    }

    pub fn engine(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }

    /// Opens one connection, configured for this system, with the default statement timeout.
    pub fn connect(&self) -> Result<DbConnection, diesel::ConnectionError> {
        self.connect_with(DEFAULT_STATEMENT_TIMEOUT)
    }

    /// Opens one connection; on PostgreSQL a statement running longer than
    /// `statement_timeout` is cancelled.
    pub fn connect_with(
        &self,
        statement_timeout: Duration,
    ) -> Result<DbConnection, diesel::ConnectionError> {
        match self {
            Self::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())?;
                // Foreign keys are off by default in SQLite. WAL lets readers run beside the
                // single writer. synchronous=FULL makes every commit durable before it returns,
                // so nothing answered with 2xx is lost on a crash or power cut. The busy
                // timeout makes a second writer wait instead of failing at once.
                conn.batch_execute(
                    "PRAGMA foreign_keys = ON;
                     PRAGMA journal_mode = WAL;
                     PRAGMA synchronous = FULL;
                     PRAGMA busy_timeout = 5000;",
                )
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConnection::Sqlite(conn))
            }
            Self::Postgres(url) => {
                let mut conn = PgConnection::establish(&with_network_bounds(url))?;
                // Timestamps are stored as UTC in `timestamp` columns; a runaway query must not
                // hold a connection forever. Listening tells the server of the account changes
                // its own writes make (see `account_cache`).
                conn.batch_execute(&format!(
                    "SET TIME ZONE 'UTC'; SET statement_timeout = {}; LISTEN {};",
                    statement_timeout.as_millis().max(1),
                    ACCOUNT_CHANGES
                ))
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConnection::Pg(conn))
            }
        }
    }

    /// Creates the directory of an SQLite file if it does not exist yet.
    pub fn prepare(&self) -> std::io::Result<()> {
        if let Self::Sqlite(path) = self {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
        }
        Ok(())
    }
}

/// The statement timeout of PostgreSQL sessions unless configured otherwise.
pub const DEFAULT_STATEMENT_TIMEOUT: Duration = Duration::from_secs(30);

/// libpq options that bound how long a connection can wait on a server that is gone or a
/// network that went silent, where `statement_timeout` cannot help (the server is not there
/// to cancel anything): a connection attempt gives up after 5 s; an idle connection is
/// probed after 10 s of silence and dropped after 3 unanswered probes 5 s apart; data not
/// acknowledged within 30 s drops the connection. A connection dropped so fails its
/// statement, and the pool replaces it. Options the URL sets itself are kept.
const NETWORK_BOUNDS: [(&str, &str); 6] = [
    ("connect_timeout", "5"),
    ("keepalives", "1"),
    ("keepalives_idle", "10"),
    ("keepalives_interval", "5"),
    ("keepalives_count", "3"),
    ("tcp_user_timeout", "30000"),
];

/// `url` with the [`NETWORK_BOUNDS`] it does not set itself.
fn with_network_bounds(url: &str) -> String {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let given: Vec<&str> = query
        .split('&')
        .filter_map(|pair| pair.split('=').next())
        .collect();
    let mut out = url.to_owned();
    for (name, value) in NETWORK_BOUNDS {
        if !given.contains(&name) {
            out.push(if out.contains('?') { '&' } else { '?' });
            out.push_str(&format!("{name}={value}"));
        }
    }
    out
}

/// An r2d2 manager that opens connections through [`DatabaseUrl::connect_with`].
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: DatabaseUrl,
    statement_timeout: Duration,
}

/// A pooled connection, with how long it may be handed out without a ping.
pub struct ManagedConnection {
    conn: DbConnection,
    trusted_until: Option<Instant>,
}

/// A connection that has just served a request without a database failure is handed out
/// again without a ping for this long: under load that saves a round trip per checkout, half
/// of those of a single-case read on PostgreSQL. Diesel cannot tell that a server closed a
/// connection, so a new connection, one that failed, or one that sat idle (the database may
/// have restarted meanwhile) is pinged first, and replaced if dead, before a request gets it.
const TRUSTED_FOR: Duration = Duration::from_secs(1);

impl ManagedConnection {
    /// Records whether the connection's last work reached the database without failing.
    pub fn record_outcome(&mut self, database_answered: bool) {
        self.trusted_until = database_answered.then(|| Instant::now() + TRUSTED_FOR);
    }
}

impl std::ops::Deref for ManagedConnection {
    type Target = DbConnection;
    fn deref(&self) -> &DbConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for ManagedConnection {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.conn
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = ManagedConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<ManagedConnection, r2d2::Error> {
        let conn = self
            .url
            .connect_with(self.statement_timeout)
            .map_err(r2d2::Error::ConnectionError)?;
        Ok(ManagedConnection {
            conn,
            trusted_until: None,
        })
    }

    fn is_valid(&self, conn: &mut ManagedConnection) -> Result<(), r2d2::Error> {
        if conn
            .trusted_until
            .is_some_and(|until| Instant::now() < until)
        {
            return Ok(());
        }
        conn.conn.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut ManagedConnection) -> bool {
        conn.conn.is_broken()
    }
}

#[derive(Debug, Clone)]
pub struct PoolSettings {
    pub max_size: u32,
    /// How long a request waits for a free connection, queueing for it and then opening or
    /// checking it together, before it is answered 503.
    pub acquire_timeout: Duration,
    /// PostgreSQL cancels a statement that runs longer than this.
    pub statement_timeout: Duration,
    /// How long a request waits for its database work once it has a connection before it is
    /// answered 503: a bound for when the database stops answering altogether, longer than
    /// the statement timeout so that a merely slow statement is cancelled by the database,
    /// with a definite outcome, first. The work's thread and connection stay taken until
    /// the work returns (see [`NETWORK_BOUNDS`]).
    pub task_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_size: 8,
            acquire_timeout: Duration::from_secs(5),
            statement_timeout: DEFAULT_STATEMENT_TIMEOUT,
            task_timeout: DEFAULT_STATEMENT_TIMEOUT + Duration::from_secs(5),
        }
    }
}

/// Builds the pool. Fails when the database cannot be reached at all.
pub fn build_pool(url: &DatabaseUrl, settings: &PoolSettings) -> Result<Pool, StoreError> {
    url.prepare()
        .map_err(|e| StoreError::Setup(format!("cannot create the database directory: {e}")))?;
    r2d2::Pool::builder()
        .max_size(settings.max_size)
        // PostgreSQL connections are opened at start: opening one starts a server process,
        // and opened on demand, one at a time, they made the first burst of requests after a
        // start wait for seconds. SQLite opens a file in a moment.
        .min_idle(Some(match url {
            DatabaseUrl::Postgres(_) => settings.max_size,
            DatabaseUrl::Sqlite(_) => 1,
        }))
        .connection_timeout(settings.acquire_timeout)
        .test_on_check_out(true)
        .build(ConnectionManager {
            url: url.clone(),
            statement_timeout: settings.statement_timeout,
        })
        .map_err(|e| {
            StoreError::Setup(format!(
                "cannot connect to the {} database: {e}",
                url.engine()
            ))
        })
}

/// Runs `setup` (migrations, the first count of the tallies, loading demo or benchmark data)
/// while no other process sets up the same database: servers started at once on a new
/// database would otherwise each apply the migrations, or load the same records, and all
/// but one fail on the other's rows. On PostgreSQL a session advisory lock of the
/// connection, released when `setup` ends however it ends; on SQLite an exclusive lock on
/// the file `<database>.setup` beside it, released with the file.
pub fn set_up_alone<T>(
    url: &DatabaseUrl,
    conn: &mut DbConnection,
    setup: impl FnOnce(&mut DbConnection) -> Result<T, String>,
) -> Result<T, String> {
    /// The lock's key: "tgpl" in ASCII.
    const SETUP_LOCK: i64 = 0x7467_706c;
    match (url, &mut *conn) {
        (DatabaseUrl::Postgres(_), DbConnection::Pg(c)) => {
            diesel::RunQueryDsl::execute(
                diesel::sql_query(format!("SELECT pg_advisory_lock({SETUP_LOCK})")),
                c,
            )
            .map_err(|e| format!("cannot take the setup lock: {e}"))?;
            let outcome = setup(conn);
            if let DbConnection::Pg(c) = conn {
                // A failure to unlock leaves the lock to the connection's end.
                let _ = diesel::RunQueryDsl::execute(
                    diesel::sql_query(format!("SELECT pg_advisory_unlock({SETUP_LOCK})")),
                    c,
                );
            }
            outcome
        }
        (DatabaseUrl::Sqlite(path), _) => {
            let mut lock_path = path.clone().into_os_string();
            lock_path.push(".setup");
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&lock_path)
                .map_err(|e| format!("cannot open {}: {e}", PathBuf::from(&lock_path).display()))?;
            file.lock()
                .map_err(|e| format!("cannot lock {}: {e}", PathBuf::from(&lock_path).display()))?;
            setup(conn)
        }
        (DatabaseUrl::Postgres(_), DbConnection::Sqlite(_)) => setup(conn),
    }
}

/// Applies the pending migrations of the connection's engine; returns their names. A
/// database that a newer version migrated (a migration applied that this program does not
/// know) is refused: this program would write to tables whose rules it does not know.
pub fn run_migrations(conn: &mut DbConnection) -> Result<Vec<String>, StoreError> {
    refuse_newer_schema(conn)?;
    let applied = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
        DbConnection::Pg(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
    }
    .map_err(|e| StoreError::Setup(format!("migration failed: {e}")))?;
    Ok(applied.iter().map(ToString::to_string).collect())
}

fn refuse_newer_schema(conn: &mut DbConnection) -> Result<(), StoreError> {
    use diesel::migration::MigrationSource;
    fn versions<T>(
        read: diesel::migration::Result<Vec<T>>,
        version: impl Fn(&T) -> String,
    ) -> Result<Vec<String>, StoreError> {
        read.map(|found| found.iter().map(version).collect())
            .map_err(|e| StoreError::Setup(format!("cannot read the migrations: {e}")))
    }
    let (applied, known) = match conn {
        DbConnection::Sqlite(c) => (
            versions(c.applied_migrations(), ToString::to_string)?,
            versions(
                MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE_MIGRATIONS),
                |m| m.name().version().to_string(),
            )?,
        ),
        DbConnection::Pg(c) => (
            versions(c.applied_migrations(), ToString::to_string)?,
            versions(
                MigrationSource::<diesel::pg::Pg>::migrations(&POSTGRES_MIGRATIONS),
                |m| m.name().version().to_string(),
            )?,
        ),
    };
    let unknown: Vec<String> = applied.into_iter().filter(|v| !known.contains(v)).collect();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(StoreError::Setup(format!(
        "the database was migrated by a newer version of this program (migrations {} are unknown here); run that version, or restore a backup taken before it",
        unknown.join(", ")
    )))
}

/// Names of the embedded migrations of each engine, for the test that keeps them in step.
pub fn migration_names() -> (Vec<String>, Vec<String>) {
    use diesel::migration::MigrationSource;
    let names = |source: EmbeddedMigrations| -> Vec<String> {
        MigrationSource::<diesel::sqlite::Sqlite>::migrations(&source)
            .map(|ms| ms.iter().map(|m| m.name().to_string()).collect())
            .unwrap_or_default()
    };
    (names(SQLITE_MIGRATIONS), names(POSTGRES_MIGRATIONS))
}

/// Evaluates `$body` with `$c` bound to the engine's own connection inside `$conn`.
///
/// Two kinds of statement run this way:
/// - those on the path of every request (the account check, reading a case, inserting an
///   audit entry...): through [`DbConnection`] diesel finds a prepared statement by its SQL
///   text, which it rebuilds at every execution (an eighth of the server's time on a
///   single-case read); on the engine's own connection it finds it by the statement's type;
/// - those diesel types per backend (`ON CONFLICT`, `RETURNING`, multi-row `INSERT`).
#[macro_export]
macro_rules! on_engine {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::DbConnection::Pg($c) => $body,
            $crate::DbConnection::Sqlite($c) => $body,
        }
    };
}

/// Inserts `$rows` into `$table` in statements of at most `$size` rows (see [`on_engine!`]).
/// Evaluates to `Result<(), StoreError>`. Keep `$size` times the column count under SQLite's
/// 32,766 bound parameters.
#[macro_export]
macro_rules! insert_in_batches {
    ($conn:expr, $table:expr, $rows:expr, $size:expr) => {{
        let mut inserted: ::std::result::Result<(), $crate::StoreError> = Ok(());
        for chunk in $rows.chunks($size) {
            let statement = ::diesel::insert_into($table).values(chunk);
            let done = $crate::on_engine!($conn, |c| ::diesel::RunQueryDsl::execute(statement, c));
            if let Err(error) = done {
                inserted = Err(error.into());
                break;
            }
        }
        inserted
    }};
}

/// Whether the database work of a request may still take effect, shared between the thread
/// that runs the work and the request that waits for it. A request that stops waiting (the
/// database hung; it answers 503, "retry") abandons its work, and a transaction of that
/// work that has not begun to commit is rolled back instead: a retry must not find its first
/// attempt committed after all. A commit already under way cannot be called back; the
/// request then knows only that its outcome is unknown.
#[derive(Debug, Default)]
pub struct Outcome(std::sync::atomic::AtomicU8);

const RUNNING: u8 = 0;
const COMMITTING: u8 = 1;
const ABANDONED: u8 = 2;
/// A commit was sent and the connection was lost before its answer came.
const UNKNOWN: u8 = 3;

impl Outcome {
    /// Gives the work up. `true` when nothing it does from now on will be committed; `false`
    /// when a commit is under way, whose outcome is unknown until it ends.
    pub fn abandon(&self) -> bool {
        use std::sync::atomic::Ordering::SeqCst;
        match self.0.compare_exchange(RUNNING, ABANDONED, SeqCst, SeqCst) {
            Ok(_) => true,
            Err(state) => state == ABANDONED,
        }
    }

    fn begin_commit(&self) -> bool {
        use std::sync::atomic::Ordering::SeqCst;
        self.0
            .compare_exchange(RUNNING, COMMITTING, SeqCst, SeqCst)
            .is_ok()
    }

    fn end_commit(&self, lost: bool) {
        use std::sync::atomic::Ordering::SeqCst;
        let next = if lost { UNKNOWN } else { RUNNING };
        let _ = self.0.compare_exchange(COMMITTING, next, SeqCst, SeqCst);
    }

    /// Whether a commit of the work was lost in flight (the connection dropped after it was
    /// sent): whatever the work answers, whether it took effect is unknown.
    pub fn is_unknown(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::SeqCst) == UNKNOWN
    }
}

thread_local! {
    static WATCHED: std::cell::RefCell<Option<std::sync::Arc<Outcome>>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `work` on this thread with its transactions answering to `outcome`: each commits
/// only while the work is not abandoned.
pub fn answering_to<T>(outcome: std::sync::Arc<Outcome>, work: impl FnOnce() -> T) -> T {
    struct Unwatch;
    impl Drop for Unwatch {
        fn drop(&mut self) {
            WATCHED.with(|w| w.borrow_mut().take());
        }
    }
    WATCHED.with(|w| *w.borrow_mut() = Some(outcome));
    let _unwatch = Unwatch;
    work()
}

/// Commits `commit` unless this thread's work was abandoned (see [`Outcome`]); then it rolls
/// back, and the transaction answers `RollbackTransaction`.
fn commit_unless_abandoned<T>(
    commit: impl FnOnce() -> Result<T, diesel::result::Error>,
) -> Result<T, diesel::result::Error> {
    let watched = WATCHED.with(|w| w.borrow().clone());
    let Some(outcome) = watched else {
        return commit();
    };
    if !outcome.begin_commit() {
        return Err(diesel::result::Error::RollbackTransaction);
    }
    let committed = commit();
    outcome.end_commit(matches!(&committed, Err(e) if crate::error::connection_lost(e)));
    committed
}

/// Runs `work` in a transaction that takes the write lock at its start.
///
/// On SQLite a deferred transaction that reads first and writes later can fail with
/// SQLITE_BUSY when another writer got in between, without waiting for the busy timeout;
/// `BEGIN IMMEDIATE` takes the lock up front, so concurrent writers queue instead.
/// PostgreSQL needs nothing special. Inside a transaction already (the SQLite writer's group,
/// for one) it is a savepoint: atomic all the same, committed with the enclosing transaction.
/// Work that its request abandoned ([`answering_to`]) is rolled back, not committed.
pub fn write_transaction<T, E>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    if in_transaction(conn) {
        return conn.transaction(work);
    }
    let sqlite = is_sqlite(conn);
    let begin = if sqlite { "BEGIN IMMEDIATE" } else { "BEGIN" };
    match conn {
        DbConnection::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, begin)?,
        DbConnection::Pg(c) => AnsiTransactionManager::begin_transaction_sql(c, begin)?,
    }
    match work(conn) {
        Ok(value) => {
            let committed = commit_unless_abandoned(|| match conn {
                DbConnection::Sqlite(c) => AnsiTransactionManager::commit_transaction(c),
                DbConnection::Pg(c) => AnsiTransactionManager::commit_transaction(c),
            });
            if let Err(e) = committed {
                // Abandoned, or the commit failed: what is left open is rolled back.
                let _ = rollback(conn);
                return Err(e.into());
            }
            Ok(value)
        }
        Err(error) => {
            // The work's own error is the one worth reporting; a failed rollback leaves the
            // connection marked broken and the pool discards it.
            let _ = rollback(conn);
            Err(error)
        }
    }
}

fn rollback(conn: &mut DbConnection) -> Result<(), diesel::result::Error> {
    let open = !matches!(
        <DbConnection as Connection>::TransactionManager::transaction_manager_status_mut(conn)
            .transaction_depth(),
        Ok(None)
    );
    if !open {
        return Ok(());
    }
    match conn {
        DbConnection::Sqlite(c) => AnsiTransactionManager::rollback_transaction(c),
        DbConnection::Pg(c) => AnsiTransactionManager::rollback_transaction(c),
    }
}

/// Whether `conn` is inside a transaction, whose reads may see writes not committed yet.
pub fn in_transaction(conn: &mut DbConnection) -> bool {
    let status =
        <DbConnection as Connection>::TransactionManager::transaction_manager_status_mut(conn);
    !matches!(status.transaction_depth(), Ok(None))
}

/// Checks that the database answers.
pub fn ping(conn: &mut DbConnection) -> Result<(), StoreError> {
    conn.ping().map_err(StoreError::from)
}

/// The sign of a numbered parameter in hand-written SQL: `?1` on SQLite, `$1` on
/// PostgreSQL.
pub(crate) fn placeholder(conn: &DbConnection) -> &'static str {
    match conn {
        DbConnection::Sqlite(_) => "?",
        DbConnection::Pg(_) => "$",
    }
}

/// Whether the connection is SQLite (some statements differ).
pub fn is_sqlite(conn: &DbConnection) -> bool {
    matches!(conn, DbConnection::Sqlite(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request that stopped waiting (503, "retry") abandons its work: a transaction that has
    /// not begun to commit rolls back, so that the retry does not find the first attempt
    /// saved after all. Work not abandoned commits as ever, and so does work on a thread that
    /// answers to no request.
    #[test]
    fn abandoned_work_commits_nothing_more() {
        use diesel::sql_types::BigInt;
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        let mut conn = DatabaseUrl::Sqlite(":memory:".into()).connect().unwrap();
        conn.batch_execute("CREATE TABLE t (x INTEGER)").unwrap();
        let insert = |conn: &mut DbConnection| {
            write_transaction(conn, |c| {
                diesel::sql_query("INSERT INTO t VALUES (1)").execute(c)?;
                Ok::<_, diesel::result::Error>(())
            })
        };
        let count = |conn: &mut DbConnection| {
            diesel::sql_query("SELECT COUNT(*) AS n FROM t")
                .get_result::<Count>(conn)
                .unwrap()
                .n
        };
        insert(&mut conn).unwrap();
        let outcome = std::sync::Arc::new(Outcome::default());
        answering_to(outcome.clone(), || insert(&mut conn)).unwrap();
        assert_eq!(count(&mut conn), 2);
        let abandoned = answering_to(outcome.clone(), || {
            write_transaction(&mut conn, |c| {
                diesel::sql_query("INSERT INTO t VALUES (1)").execute(c)?;
                // The request gives up while the work is still running.
                assert!(outcome.abandon(), "nothing was committing");
                Ok::<_, diesel::result::Error>(())
            })
        });
        assert!(matches!(
            abandoned,
            Err(diesel::result::Error::RollbackTransaction)
        ));
        assert!(!in_transaction(&mut conn), "rolled back and closed");
        assert_eq!(count(&mut conn), 2, "the abandoned insert is not there");
        assert!(answering_to(outcome, || insert(&mut conn)).is_err());
        insert(&mut conn).unwrap();
        assert_eq!(count(&mut conn), 3, "other work is not concerned");
    }

    /// A commit whose connection was lost in flight leaves the work's outcome unknown: the
    /// request cannot abandon it, and learns it is unknown rather than "nothing was done".
    #[test]
    fn a_commit_lost_in_flight_leaves_the_outcome_unknown() {
        let outcome = Outcome::default();
        assert!(outcome.begin_commit());
        outcome.end_commit(false);
        assert!(!outcome.is_unknown(), "committed: running on");
        assert!(outcome.begin_commit());
        outcome.end_commit(true);
        assert!(outcome.is_unknown());
        assert!(!outcome.abandon(), "too late to call it back");
        assert!(!outcome.begin_commit(), "nothing more commits");
        let lost = diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::ClosedConnection,
            Box::new("server closed the connection unexpectedly".to_owned()),
        );
        assert!(crate::error::connection_lost(&lost));
        assert!(!crate::error::connection_lost(
            &diesel::result::Error::NotFound
        ));
    }

    /// A database a newer version migrated is refused rather than written by rules older
    /// than its tables'.
    #[test]
    fn a_database_migrated_by_a_newer_version_is_refused() {
        let mut conn = DatabaseUrl::Sqlite(":memory:".into()).connect().unwrap();
        assert!(!run_migrations(&mut conn).unwrap().is_empty());
        assert!(run_migrations(&mut conn).unwrap().is_empty(), "up to date");
        conn.batch_execute(
            "INSERT INTO __diesel_schema_migrations (version) VALUES ('20991231000000')",
        )
        .unwrap();
        let refused = run_migrations(&mut conn).unwrap_err().to_string();
        assert!(
            refused.contains("newer version") && refused.contains("20991231000000"),
            "{refused}"
        );
    }

    #[test]
    fn urls_choose_the_engine_by_scheme() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/tgpl.db").unwrap(),
            DatabaseUrl::Sqlite("data/tgpl.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:/tmp/x.db").unwrap(),
            DatabaseUrl::Sqlite("/tmp/x.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("postgres://u:secret@h:5433/tgpl?sslmode=require")
                .unwrap()
                .describe(),
            "PostgreSQL h:5433/tgpl"
        );
        for mistyped in [
            "/tmp/x.db",
            "garbage",
            "postgres:/u:secret@h/db",
            "postgres//h/db",
            "file:/x.db",
        ] {
            let err = DatabaseUrl::parse(mistyped).unwrap_err();
            assert!(
                err.contains("names no engine") && !err.contains("secret"),
                "{err}"
            );
        }
        assert!(matches!(
            DatabaseUrl::parse("postgres://postgres@127.0.0.1/tgpl").unwrap(),
            DatabaseUrl::Postgres(_)
        ));
        let err = DatabaseUrl::parse("mysql://root@localhost/tgpl").unwrap_err();
        assert!(err.contains("unknown scheme `mysql://`"), "{err}");
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }

    #[test]
    fn postgres_urls_get_network_bounds_they_do_not_set() {
        let url = with_network_bounds("postgres://u@h/db");
        assert!(
            url.starts_with("postgres://u@h/db?connect_timeout=5&keepalives=1&"),
            "{url}"
        );
        assert!(url.ends_with("&tcp_user_timeout=30000"), "{url}");
        let url = with_network_bounds("postgres://u@h/db?sslmode=disable&connect_timeout=2");
        assert!(
            url.starts_with("postgres://u@h/db?sslmode=disable&connect_timeout=2&keepalives=1&"),
            "{url}"
        );
        assert_eq!(url.matches("connect_timeout").count(), 1, "{url}");
    }

    #[test]
    fn both_engines_have_the_same_migrations() {
        let (sqlite, postgres) = migration_names();
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, postgres);
    }
}
