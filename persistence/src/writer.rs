//! One writer for SQLite that commits the writes of many requests together.
//!
//! SQLite lets one transaction write at a time, and with `synchronous=FULL` each commit waits
//! for the disk. Requests that each take the write lock queue behind one another's flush, and
//! a writer that finds the lock taken sleeps in SQLite's busy handler, in steps of up to
//! 100 ms. Here writes go instead to one thread with its own connection, which runs whatever
//! has queued up, one write after another, inside a single transaction, and commits once: one
//! flush for the whole group. Each write learns its outcome only after that commit, so
//! nothing is acknowledged before it is durable.
//!
//! A write runs as if it had the database to itself: it runs in a savepoint, its own
//! transactions become savepoints inside that one, so a write that fails part-way undoes only
//! its own changes, and what it did before failing stays as it would have on its own
//! connection. A write that has not started by its deadline is dropped unrun. A group is
//! dropped whole, its writes answered that they did not happen, when it cannot be committed,
//! when a write breaks its transaction (SQLite rolls a whole transaction back on a full disk
//! or an I/O error), or when a write panics, which is a bug.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::time::{Duration, Instant};

use diesel::connection::{AnsiTransactionManager, TransactionManager};

use crate::db::{DatabaseUrl, DbConnection};

/// Called once the group holding the write has been committed. Dropped unrun when the write
/// did not happen: its group could not be committed, or it waited past its deadline.
pub type Acknowledge = Box<dyn FnOnce() + Send>;

/// A write: runs on the writer's connection, inside the group's transaction, and returns what
/// to do once that transaction is committed.
pub type Write = Box<dyn FnOnce(&mut DbConnection) -> Acknowledge + Send>;

/// Writes waiting beyond this are refused at once (the caller answers 503) rather than kept
/// in memory without bound.
const QUEUE_LIMIT: usize = 4096;
/// A group stops taking writes after this many, or after this long, so that the first write
/// in a group does not wait for an unbounded number behind it.
const GROUP_LIMIT: usize = 512;
const GROUP_TIME: Duration = Duration::from_millis(20);

struct Queued {
    write: Write,
    /// Past this the caller has been answered that the write did not happen: it is dropped
    /// unrun, so that nothing is done long after its client gave up.
    deadline: Instant,
}

/// The writer thread's queue. Dropping the last handle lets the thread finish what is queued
/// and stop.
#[derive(Clone)]
pub struct GroupWriter {
    queue: SyncSender<Queued>,
}

/// Why a write could not be queued.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Too many writes are waiting.
    Busy,
    /// The writer thread has stopped.
    Stopped,
}

impl GroupWriter {
    /// Opens the writer's connection to `url` and starts its thread.
    /// `statement_timeout` is that of PostgreSQL sessions; SQLite has none, so it is unused.
    pub fn start(
        url: DatabaseUrl,
        statement_timeout: Duration,
    ) -> Result<Self, diesel::ConnectionError> {
        let conn = url.connect_with(statement_timeout)?;
        let (queue, writes) = mpsc::sync_channel(QUEUE_LIMIT);
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || run(url, conn, writes))
            .map_err(|e| {
                diesel::ConnectionError::BadConnection(format!("cannot start the writer: {e}"))
            })?;
        Ok(Self { queue })
    }

    /// Queues `write`, to run on the writer thread before `deadline` or not at all.
    pub fn submit(&self, write: Write, deadline: Instant) -> Result<(), Refused> {
        self.queue
            .try_send(Queued { write, deadline })
            .map_err(|e| match e {
                TrySendError::Full(_) => Refused::Busy,
                TrySendError::Disconnected(_) => Refused::Stopped,
            })
    }
}

fn run(url: DatabaseUrl, conn: DbConnection, writes: Receiver<Queued>) {
    let mut conn = Some(conn);
    while let Ok(first) = writes.recv() {
        // A connection lost to a failed group is reopened for the next one; while that fails,
        // the writes are dropped unrun and their callers told so.
        if conn.is_none() {
            conn = url
                .connect()
                .inspect_err(|e| log::error!("the writer cannot reopen its connection: {e}"))
                .ok();
        }
        let Some(open) = conn.as_mut() else {
            drop_queued(&writes);
            continue;
        };
        if !commit_group(open, first, &writes) {
            conn = None;
        }
    }
}

/// Answers every queued write that it did not happen.
fn drop_queued(writes: &Receiver<Queued>) {
    let dropped = writes.try_iter().count() + 1;
    log::error!("{dropped} queued writes were dropped unrun");
}

fn sqlite(conn: &mut DbConnection) -> &mut diesel::SqliteConnection {
    match conn {
        DbConnection::Sqlite(sqlite) => sqlite,
        DbConnection::Pg(_) => unreachable!("the group writer serves SQLite only"),
    }
}

/// Whether the group's transaction is open with no savepoint left inside it.
fn at_group_level(conn: &mut DbConnection) -> bool {
    let status = AnsiTransactionManager::transaction_manager_status_mut(sqlite(conn));
    matches!(status.transaction_depth(), Ok(Some(depth)) if depth.get() == 1)
}

/// Runs `first` and the writes queued behind it in one transaction and commits it. Returns
/// false when the connection should not be used again; the writes of a group that is not
/// committed are all answered that they did not happen.
fn commit_group(conn: &mut DbConnection, first: Queued, writes: &Receiver<Queued>) -> bool {
    if let Err(e) = AnsiTransactionManager::begin_transaction_sql(sqlite(conn), "BEGIN IMMEDIATE") {
        // Most likely another process holds the lock past the busy timeout: what queued
        // meanwhile has waited as long, and is answered at once rather than later still.
        log::error!("the writer cannot begin a transaction: {e}");
        drop_queued(writes);
        return false;
    }
    let started = Instant::now();
    let mut acknowledgements = Vec::new();
    let mut next = Some(first);
    while let Some(queued) = next.take() {
        if Instant::now() < queued.deadline {
            // Each write in a savepoint of the writer's own, released whatever the write
            // returned: a write that fails part-way keeps what it did before failing, as on a
            // connection of its own.
            if let Err(e) = AnsiTransactionManager::begin_transaction(sqlite(conn)) {
                log::error!("the writer cannot open a savepoint: {e}");
                return false;
            }
            let Ok(acknowledge) = catch_unwind(AssertUnwindSafe(|| (queued.write)(conn))) else {
                // The write may have left savepoints of its own open, which diesel cannot
                // unwind from here: the group is dropped with the connection, which rolls
                // it back, and its writes are answered that they did not happen.
                log::error!(
                    "a write panicked: its group of {} is rolled back",
                    acknowledgements.len() + 1
                );
                return false;
            };
            // Some SQLite errors (a full disk, an I/O error) roll back the whole transaction;
            // statements after them would each commit on their own. Whatever the cause, a
            // group that is no longer exactly as the writer left it is not committed.
            let released = AnsiTransactionManager::commit_transaction(sqlite(conn));
            if released.is_err() || !at_group_level(conn) {
                log::error!("a write left the group's transaction broken: the group is dropped");
                return false;
            }
            acknowledgements.push(acknowledge);
        }
        // Take whatever queued meanwhile, without waiting for company.
        if acknowledgements.len() < GROUP_LIMIT && started.elapsed() < GROUP_TIME {
            next = writes.try_recv().ok();
        }
    }
    match AnsiTransactionManager::commit_transaction(sqlite(conn)) {
        Ok(()) => {
            acknowledgements
                .into_iter()
                .for_each(|acknowledge| acknowledge());
            true
        }
        Err(e) => {
            log::error!(
                "the writer could not commit a group of {} writes: {e}",
                acknowledgements.len()
            );
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::connection::SimpleConnection;
    use diesel::RunQueryDsl;

    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }

    fn count(conn: &mut DbConnection) -> i64 {
        diesel::sql_query("SELECT COUNT(*) AS n FROM t")
            .get_result::<Count>(conn)
            .unwrap()
            .n
    }

    /// A database with one table `t (v UNIQUE)`, and a writer over it.
    fn writer(name: &str) -> (DatabaseUrl, GroupWriter) {
        let dir = std::env::temp_dir().join(format!("tgpl-writer-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(format!("{name}.db"));
        let _ = std::fs::remove_file(&file);
        let url = DatabaseUrl::Sqlite(file);
        url.connect()
            .unwrap()
            .batch_execute("CREATE TABLE t (v INTEGER NOT NULL UNIQUE)")
            .unwrap();
        let writer = GroupWriter::start(url.clone(), Duration::from_secs(30)).unwrap();
        (url, writer)
    }

    fn soon() -> Instant {
        Instant::now() + Duration::from_secs(5)
    }

    /// A write inserting `v`; its outcome, once acknowledged, goes to `done`.
    fn insert(v: i64, done: mpsc::Sender<bool>) -> Write {
        Box::new(move |conn| {
            let outcome = crate::db::write_transaction(conn, |conn| {
                diesel::sql_query(format!("INSERT INTO t (v) VALUES ({v})")).execute(conn)
            });
            Box::new(move || done.send(outcome.is_ok()).unwrap())
        })
    }

    #[test]
    fn a_write_past_its_deadline_is_dropped_unrun_and_a_panic_loses_only_its_group() {
        let (url, writer) = writer("dropped");
        let (done, outcomes) = mpsc::channel();
        writer
            .submit(insert(1, done.clone()), Instant::now())
            .unwrap();
        writer
            .submit(Box::new(|_| panic!("a bug in a write")), soon())
            .unwrap();
        writer.submit(insert(2, done), soon()).unwrap();
        // The expired write is never acknowledged; the one after the panic is, on a fresh
        // connection (it may have shared the panicking group and been dropped with it).
        let acknowledged: Vec<bool> = outcomes.iter().collect();
        let mut conn = url.connect().unwrap();
        assert_eq!(count(&mut conn), acknowledged.len() as i64);
        assert!(acknowledged.iter().all(|ok| *ok));
        let (done, outcomes) = mpsc::channel();
        writer.submit(insert(3, done), soon()).unwrap();
        assert_eq!(
            outcomes.recv(),
            Ok(true),
            "the writer goes on after a panic"
        );
    }

    #[test]
    fn writes_are_acknowledged_after_their_group_commits() {
        let (url, writer) = writer("grouped");
        let (done, outcomes) = mpsc::channel();
        for v in [1, 2, 2, 3] {
            // The duplicate fails alone, inside its own savepoint.
            writer.submit(insert(v, done.clone()), soon()).unwrap();
        }
        let mut oks: Vec<bool> = (0..4).map(|_| outcomes.recv().unwrap()).collect();
        oks.sort();
        assert_eq!(oks, [false, true, true, true]);
        // Acknowledged means committed: another connection sees all three rows.
        assert_eq!(count(&mut url.connect().unwrap()), 3);
    }
}
