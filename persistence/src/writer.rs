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
//! A write runs as if it had the database to itself: its own transactions become savepoints,
//! so a write that fails part-way undoes only its own changes, and what it did before failing
//! stays exactly as it would have on its own connection.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::time::{Duration, Instant};

use diesel::connection::{AnsiTransactionManager, TransactionManager};

use crate::db::{DatabaseUrl, DbConnection};

/// Called once the group holding the write has been committed. Dropped unrun when the group
/// could not be committed: the write did not happen.
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

/// The writer thread's queue. Dropping the last handle lets the thread finish what is queued
/// and stop.
#[derive(Clone)]
pub struct GroupWriter {
    queue: SyncSender<Write>,
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
    pub fn start(url: DatabaseUrl) -> Result<Self, diesel::ConnectionError> {
        let conn = url.connect()?;
        let (queue, writes) = mpsc::sync_channel(QUEUE_LIMIT);
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || run(url, conn, writes))
            .map_err(|e| {
                diesel::ConnectionError::BadConnection(format!("cannot start the writer: {e}"))
            })?;
        Ok(Self { queue })
    }

    /// Queues `write`; it runs on the writer thread.
    pub fn submit(&self, write: Write) -> Result<(), Refused> {
        self.queue.try_send(write).map_err(|e| match e {
            TrySendError::Full(_) => Refused::Busy,
            TrySendError::Disconnected(_) => Refused::Stopped,
        })
    }
}

fn run(url: DatabaseUrl, conn: DbConnection, writes: Receiver<Write>) {
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
            continue;
        };
        if !commit_group(open, first, &writes) {
            conn = None;
        }
    }
}

/// Runs `first` and the writes queued behind it in one transaction and commits it. Returns
/// false when the connection should not be used again.
fn commit_group(conn: &mut DbConnection, first: Write, writes: &Receiver<Write>) -> bool {
    let DbConnection::Sqlite(sqlite) = conn else {
        unreachable!("the group writer serves SQLite only");
    };
    if let Err(e) = AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE") {
        log::error!("the writer cannot begin a transaction: {e}");
        return false;
    }
    let started = Instant::now();
    let mut acknowledgements = Vec::new();
    let mut next = Some(first);
    while let Some(write) = next.take() {
        match catch_unwind(AssertUnwindSafe(|| write(conn))) {
            Ok(acknowledge) => acknowledgements.push(acknowledge),
            Err(_) => {
                // A write that panicked may have left its savepoints open: drop the whole
                // group (its writes are answered as not done) and the connection with it,
                // which rolls the transaction back.
                log::error!(
                    "a write panicked; {} writes of its group are rolled back",
                    acknowledgements.len()
                );
                return false;
            }
        }
        // Take whatever queued meanwhile, without waiting for company.
        if acknowledgements.len() < GROUP_LIMIT && started.elapsed() < GROUP_TIME {
            next = writes.try_recv().ok();
        }
    }
    let DbConnection::Sqlite(sqlite) = conn else {
        unreachable!("the group writer serves SQLite only");
    };
    match AnsiTransactionManager::commit_transaction(sqlite) {
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

    #[test]
    fn writes_are_acknowledged_after_their_group_commits() {
        let dir = std::env::temp_dir().join(format!("tgpl-writer-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = DatabaseUrl::Sqlite(dir.join("w.db"));
        let _ = std::fs::remove_file(dir.join("w.db"));
        url.connect()
            .unwrap()
            .batch_execute("CREATE TABLE t (v INTEGER NOT NULL UNIQUE)")
            .unwrap();
        let writer = GroupWriter::start(url.clone()).unwrap();
        let (done, outcomes) = mpsc::channel();
        for v in [1, 2, 2, 3] {
            let done = done.clone();
            writer
                .submit(Box::new(move |conn| {
                    // The duplicate fails alone, inside its own savepoint.
                    let outcome = crate::db::write_transaction(conn, |conn| {
                        diesel::sql_query(format!("INSERT INTO t (v) VALUES ({v})")).execute(conn)
                    });
                    Box::new(move || done.send(outcome.is_ok()).unwrap())
                }))
                .unwrap();
        }
        let mut oks: Vec<bool> = (0..4).map(|_| outcomes.recv().unwrap()).collect();
        oks.sort();
        assert_eq!(oks, [false, true, true, true]);
        // Acknowledged means committed: another connection sees all three rows.
        assert_eq!(count(&mut url.connect().unwrap()), 3);
    }
}
