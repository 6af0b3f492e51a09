//! The account checks of recent requests, kept in memory on PostgreSQL.
//!
//! Every authenticated request checks its account, the account's organization and the
//! version of the organization tree ([`accounts::for_request`]). On PostgreSQL that query is a
//! round trip to another process, as costly as the request's own work, so a server keeps the
//! answers and asks again only when the database says that something they depend on changed:
//! triggers (migration `000006_account_changes`) notify the channel [`ACCOUNT_CHANGES`] on every change
//! to an account other than its login time, to an organization, or to the tree.
//!
//! Two ways of hearing it, for two kinds of change:
//! - a change this server makes is announced to the pooled connection that made it (every
//!   pooled connection listens, see `db::ConnectionManager`), and the pool's user calls
//!   [`AccountCache::forget_all`] before answering the request that made it: the next
//!   request sees it, whatever its timing (a pooled connection also gathers the announcements
//!   of changes made elsewhere while it sits idle, and they drop the cache, needlessly but
//!   harmlessly, when it is next used);
//! - a change made elsewhere (another server, the command line, an operator's SQL) reaches a
//!   listening thread of the cache's own within [`POLL`].
//!
//! The cache is used only while that thread is known to be listening (it pings its connection
//! every [`PING`]); without it, or on SQLite, whose check is a read in the server's own process,
//! every request asks the database.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use diesel::pg::PgConnection;
use diesel::{Connection, RunQueryDsl};

use crate::accounts::RequestAccount;
use crate::db::DbConnection;

use crate::db::ACCOUNT_CHANGES;
/// How often the listening thread reads what was announced.
const POLL: Duration = Duration::from_millis(10);
/// How often the listening thread checks that its connection is alive.
const PING: Duration = Duration::from_millis(250);
/// How long after its last successful ping the listening thread is trusted: the longest a
/// change made elsewhere can go unheard if its connection stalls.
const TRUSTED_FOR: Duration = Duration::from_secs(1);
/// Beyond this many accounts the cache starts over, which bounds its memory.
const CAPACITY: usize = 100_000;
/// How long the listening thread waits before it connects again after losing its connection.
const RECONNECT_AFTER: Duration = Duration::from_secs(1);

#[derive(Debug, Default)]
pub struct AccountCache {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Moves on every change heard: an answer read before it moved is not kept.
    generation: u64,
    /// When the listening thread last proved its connection alive; `None` while it has none.
    heard_at: Option<Instant>,
    entries: HashMap<String, RequestAccount>,
}

/// Taken before asking the database, to keep its answer only if nothing changed meanwhile.
#[derive(Debug, Clone, Copy)]
pub struct Ticket {
    generation: u64,
}

impl AccountCache {
    /// A cache that keeps nothing: SQLite's.
    pub fn off() -> Arc<Self> {
        Arc::default()
    }

    /// A cache kept up to date by a thread that listens on `url` until the cache is dropped.
    pub fn following(url: String) -> Arc<Self> {
        let cache = Arc::new(Self::default());
        let weak = Arc::downgrade(&cache);
        let spawned = std::thread::Builder::new()
            .name("account-changes".into())
            .spawn(move || listen(&url, &weak));
        if let Err(e) = spawned {
            // Without the thread the cache stays unused: correct, only slower.
            log::error!("cannot start the account change listener: {e}");
        }
        cache
    }

    /// The cached check of account `id`, or a ticket to keep the answer the database gives.
    pub fn lookup(&self, id: &str) -> Result<RequestAccount, Ticket> {
        let inner = self.lock();
        match inner.entries.get(id) {
            Some(found) if inner.is_trusted() => Ok(found.clone()),
            _ => Err(Ticket {
                generation: inner.generation,
            }),
        }
    }

    /// Keeps `found`, read from the database after `ticket` was taken, unless a change was
    /// heard since then: the answer may predate it.
    pub fn keep(&self, ticket: Ticket, found: &RequestAccount) {
        let mut inner = self.lock();
        if inner.generation != ticket.generation || !inner.is_trusted() {
            return;
        }
        if inner.entries.len() >= CAPACITY {
            inner.entries.clear();
        }
        inner
            .entries
            .insert(found.account.id.clone(), found.clone());
    }

    /// Drops every kept answer: something they depend on changed.
    pub fn forget_all(&self) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.entries.clear();
    }

    fn heard(&self, alive: bool) {
        let mut inner = self.lock();
        if !alive {
            // Changes may go unheard from now on: nothing kept can be trusted any more.
            inner.generation += 1;
            inner.entries.clear();
        }
        inner.heard_at = alive.then(Instant::now);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Inner {
    fn is_trusted(&self) -> bool {
        self.heard_at.is_some_and(|at| at.elapsed() < TRUSTED_FOR)
    }
}

/// Whether the database announced changes on `conn` since this was last asked (PostgreSQL
/// connections that listen on [`ACCOUNT_CHANGES`]; never on SQLite). Reads only what already arrived.
pub fn announced(conn: &mut DbConnection) -> bool {
    let DbConnection::Pg(pg) = conn else {
        return false;
    };
    let mut any = false;
    for notification in pg.notifications_iter() {
        any = true;
        if notification.is_err() {
            break;
        }
    }
    any
}

/// The listening thread: connects, listens, and tells the cache what it hears, until the
/// cache is gone.
fn listen(url: &str, cache: &Weak<AccountCache>) {
    loop {
        match listening_connection(url) {
            Ok(conn) => follow(conn, cache),
            Err(e) => log::warn!("account change listener cannot connect: {e}"),
        }
        let Some(alive) = cache.upgrade() else { return };
        alive.heard(false);
        drop(alive);
        std::thread::sleep(RECONNECT_AFTER);
        if cache.strong_count() == 0 {
            return;
        }
    }
}

fn listening_connection(url: &str) -> Result<PgConnection, Box<dyn std::error::Error>> {
    let mut conn = PgConnection::establish(url)?;
    diesel::sql_query(format!("LISTEN {ACCOUNT_CHANGES}")).execute(&mut conn)?;
    Ok(conn)
}

/// Relays what `conn` hears until it fails or the cache is gone.
fn follow(mut conn: PgConnection, cache: &Weak<AccountCache>) {
    // Changes made before LISTEN took effect were not announced: start over.
    match cache.upgrade() {
        Some(cache) => {
            cache.forget_all();
            cache.heard(true);
        }
        None => return,
    }
    let mut pinged = Instant::now();
    loop {
        std::thread::sleep(POLL);
        let Some(cache) = cache.upgrade() else { return };
        // The ping comes first, so that what arrived while it ran is read below before the
        // cache is trusted again.
        let ping = pinged.elapsed() >= PING;
        if ping {
            if let Err(e) = diesel::sql_query("SELECT 1").execute(&mut conn) {
                log::warn!("account change listener lost its connection: {e}");
                return;
            }
            pinged = Instant::now();
        }
        let mut changed = false;
        for notification in conn.notifications_iter() {
            if let Err(e) = notification {
                log::warn!("account change listener lost its connection: {e}");
                return;
            }
            changed = true;
        }
        if changed {
            cache.forget_all();
        }
        if ping {
            cache.heard(true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::AccountCheck;
    use crate::column::Code;
    use tgpl_domain::organization::OrganizationStatus;
    use tgpl_domain::role::{AccountStatus, Role};

    fn account(id: &str) -> RequestAccount {
        RequestAccount {
            account: AccountCheck {
                id: id.into(),
                username: id.into(),
                display_name: id.into(),
                role: Code(Role::LegalAidOfficer),
                organization_id: "org".into(),
                staff_id: None,
                status: Code(AccountStatus::Active),
                token_epoch: 0,
                password_change_required: false,
            },
            organization_status: Code(OrganizationStatus::Active),
            hierarchy_version: 1,
        }
    }

    fn listening() -> AccountCache {
        let cache = AccountCache::default();
        cache.heard(true);
        cache
    }

    #[test]
    fn keeps_what_the_database_answered() {
        let cache = listening();
        let ticket = cache.lookup("a").unwrap_err();
        cache.keep(ticket, &account("a"));
        assert_eq!(
            cache.lookup("a").map(|f| f.account.id).ok(),
            Some("a".into())
        );
    }

    #[test]
    fn an_answer_read_before_a_change_is_not_kept() {
        let cache = listening();
        let ticket = cache.lookup("a").unwrap_err();
        cache.forget_all();
        cache.keep(ticket, &account("a"));
        assert!(cache.lookup("a").is_err());
    }

    #[test]
    fn a_change_drops_what_was_kept() {
        let cache = listening();
        cache.keep(cache.lookup("a").unwrap_err(), &account("a"));
        cache.forget_all();
        assert!(cache.lookup("a").is_err());
    }

    #[test]
    fn nothing_is_kept_or_served_without_a_listener() {
        let cache = AccountCache::off();
        cache.keep(cache.lookup("a").unwrap_err(), &account("a"));
        assert!(cache.lookup("a").is_err());

        let cache = listening();
        cache.keep(cache.lookup("a").unwrap_err(), &account("a"));
        cache.heard(false);
        assert!(cache.lookup("a").is_err());
    }
}
