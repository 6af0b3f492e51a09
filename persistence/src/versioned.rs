//! The one way rows change: an optimistic, audited update.
//!
//! `UPDATE ... WHERE id = ? AND version = ?` writes only if nobody changed the row since
//! it was read; the audit entry with the row before and after goes in the same transaction.

/// Updates `$after` over `$before` in `$table` (whose key column is `$key`) and records the
/// change; evaluates to `StoreResult<()>`.
#[macro_export]
macro_rules! save_versioned {
    ($conn:expr, $actor:expr, $action:expr, $resource:expr, $table:ident . $key:ident, $before:expr, $after:expr, $snapshot:expr) => {{
        use diesel::prelude::*;
        let (before, after) = ($before, $after);
        $crate::db::write_transaction($conn, |conn| {
            let updated = diesel::update(
                $crate::schema::$table::table
                    .filter($crate::schema::$table::$key.eq(&before.$key))
                    .filter($crate::schema::$table::version.eq(before.version)),
            )
            .set(after)
            .execute(conn)?;
            if updated == 0 {
                return Err($crate::StoreError::VersionMismatch);
            }
            $crate::audit::record(
                conn,
                $actor,
                $crate::audit::Change {
                    action: $action,
                    resource_type: $resource,
                    resource_id: &before.$key,
                    before: Some(&$snapshot(before)),
                    after: Some(&$snapshot(after)),
                },
            )
        })
    }};
}

/// A stored record changed under optimistic concurrency ([`save_versioned!`]).
pub trait Versioned {
    /// The version a client names in `If-Match` (its `ETag`).
    fn version(&self) -> i64;
    /// Makes this copy of the record its next revision: the version moves on by one and the
    /// update time is now. Every change of a versioned record goes through here.
    fn revise(&mut self);
}

/// Makes each row type given a [`Versioned`] record whose `version` and `updated_at` are
/// columns: written in the row's own module, beside the row.
macro_rules! versioned_rows {
    ($($row:ty),* $(,)?) => {
        $(impl $crate::versioned::Versioned for $row {
            fn version(&self) -> i64 {
                self.version
            }

            fn revise(&mut self) {
                self.version += 1;
                self.updated_at = $crate::now();
            }
        })*
    };
}
pub(crate) use versioned_rows;

/// Ends an edit of `before`: when `after` differs from it, `after` becomes the next revision
/// ([`Versioned::revise`]) and `save` stores it with its audit entry; an edit that changes
/// nothing is no revision and leaves no audit entry. Answers the record as it now is.
pub fn save_revision<R, E>(
    before: &R,
    mut after: R,
    save: impl FnOnce(&R, &R) -> Result<(), E>,
) -> Result<R, E>
where
    R: Versioned + PartialEq,
{
    if after != *before {
        after.revise();
        save(before, &after)?;
    }
    Ok(after)
}
