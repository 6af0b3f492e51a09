//! Today's organization tree, kept in memory between requests (see [`TreeCache`]).

use std::sync::{Arc, PoisonError, RwLock};

use chrono::NaiveDate;
use tgpl_domain::hierarchy::Hierarchy;

use crate::db::DbConnection;
use crate::error::StoreResult;

/// Today's organization tree, kept between requests: it is read by every authorization and
/// changes a few times a year. Each request learns the stored version of the tree with its
/// account check, at no extra cost; the first request to see a newer version, or a new day,
/// reloads it for everybody.
#[derive(Debug, Default)]
pub struct TreeCache {
    current: RwLock<Option<CachedTree>>,
}

#[derive(Debug)]
struct CachedTree {
    day: NaiveDate,
    version: i64,
    tree: Arc<Hierarchy>,
}

impl TreeCache {
    /// The tree of today as of stored version `version` or later.
    pub fn get(&self, conn: &mut DbConnection, version: i64) -> StoreResult<Arc<Hierarchy>> {
        let day = tgpl_domain::time::vietnam_date(chrono::Utc::now());
        // Inside a transaction the tree may have changed since the account was checked, and
        // not be committed yet (an earlier write of the same group on SQLite's writer): the
        // transaction's own version decides, and a tree it loads may hold changes that are
        // rolled back later, so it serves this request only.
        let in_transaction = crate::db::in_transaction(conn);
        let version = if in_transaction {
            crate::organizations::hierarchy_version(conn)?
        } else {
            version
        };
        let fresh = |c: &CachedTree| c.day == day && c.version >= version;
        if let Some(cached) = self.read().as_ref().filter(|c| fresh(c)) {
            return Ok(cached.tree.clone());
        }
        let tree = Arc::new(Hierarchy::on(
            day,
            &crate::organizations::links_on(conn, day)?,
        ));
        if in_transaction {
            return Ok(tree);
        }
        // Loaded after `version` was read, so at least as new as it: labelling it `version`
        // never hands an older tree to a request that saw a newer one.
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        if current
            .as_ref()
            .is_none_or(|c| (c.day, c.version) < (day, version))
        {
            *current = Some(CachedTree {
                day,
                version,
                tree: tree.clone(),
            });
        }
        Ok(tree)
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Option<CachedTree>> {
        self.current.read().unwrap_or_else(PoisonError::into_inner)
    }
}
