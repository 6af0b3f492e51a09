//! Storage errors, sorted by what the caller should do about them.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

#[derive(Debug)]
pub enum StoreError {
    NotFound,
    /// A uniqueness or foreign-key rule refused the write; the text names the constraint.
    Conflict(String),
    /// The row changed since the caller read it (optimistic concurrency).
    VersionMismatch,
    /// No connection could be had in time, or the database is down.
    Unavailable(String),
    /// The database could not be prepared (connection at start-up, migrations).
    Setup(String),
    Other(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotFound => f.write_str("not found"),
            Self::Conflict(what) => write!(f, "conflict: {what}"),
            Self::VersionMismatch => f.write_str("the record changed since it was read"),
            Self::Unavailable(why) => write!(f, "database unavailable: {why}"),
            Self::Setup(why) => f.write_str(why),
            Self::Other(why) => write!(f, "database error: {why}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<DieselError> for StoreError {
    fn from(e: DieselError) -> Self {
        match e {
            DieselError::NotFound => Self::NotFound,
            // Only a transaction whose request stopped waiting is rolled back this way (see
            // `db::Outcome`): nothing was done, and the request was answered already.
            DieselError::RollbackTransaction => Self::Unavailable(
                "rolled back: its request stopped waiting and was answered 503".into(),
            ),
            DieselError::DatabaseError(
                kind
                @ (DatabaseErrorKind::UniqueViolation | DatabaseErrorKind::ForeignKeyViolation),
                info,
            ) => {
                let what = info
                    .constraint_name()
                    .map(str::to_owned)
                    .unwrap_or_else(|| info.message().to_owned());
                let prefix = if matches!(kind, DatabaseErrorKind::UniqueViolation) {
                    "unique"
                } else {
                    "foreign key"
                };
                Self::Conflict(format!("{prefix}: {what}"))
            }
            DieselError::DatabaseError(
                DatabaseErrorKind::ClosedConnection
                | DatabaseErrorKind::UnableToSendCommand
                | DatabaseErrorKind::ReadOnlyTransaction,
                info,
            ) => Self::Unavailable(info.message().to_owned()),

            // SQLite's busy timeout, PostgreSQL's statement timeout: the database did not
            // manage in time, and nothing was done.
            DieselError::DatabaseError(DatabaseErrorKind::Unknown, info)
                if info.message().contains("database is locked")
                    || info.message().contains("statement timeout") =>
            {
                Self::Unavailable(info.message().to_owned())
            }
            other => {
                let text = with_causes(&other);
                if SERVER_GONE.iter().any(|m| text.contains(m)) {
                    Self::Unavailable(text)
                } else {
                    Self::Other(text)
                }
            }
        }
    }
}

/// Whether `e` says the connection to the server was lost (not that the server refused):
/// after a `COMMIT` was sent, the transaction may or may not have been committed.
pub fn connection_lost(e: &DieselError) -> bool {
    match e {
        DieselError::DatabaseError(
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
            _,
        ) => true,
        other => {
            let text = with_causes(other);
            SERVER_GONE[..5].iter().any(|m| text.contains(m))
        }
    }
}

/// What libpq and PostgreSQL say when the server went away in the middle of the work (a
/// crash, a restart) or is a standby that takes no writes (a failover): nothing was done, and
/// a retry may succeed.
/// The first five say that the connection was lost.
const SERVER_GONE: [&str; 7] = [
    "no connection to the server",
    "server closed the connection",
    "terminating connection",
    "could not receive data from server",
    "could not send data to server",
    "the database system is",
    "read-only transaction",
];

/// The error and each of its causes, for the log: diesel names the field it could not read,
/// and its cause says what the stored value was.
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

impl From<diesel::r2d2::PoolError> for StoreError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        Self::Unavailable(e.to_string())
    }
}

pub type StoreResult<T> = Result<T, StoreError>;
