//! The append-only audit log. Repositories call [`record`] inside the transaction of the
//! change they make; the tables' triggers refuse any update or delete of a recorded row.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use tgpl_domain::audit::AuditAction;
use tgpl_domain::label::Vocabulary;

use crate::db::{Backend, DbConnection};
use crate::error::StoreResult;
use crate::page::{PageRequest, Paged};
use crate::schema::audit_log;

/// Who makes a change, as the audit log remembers them.
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    pub account_id: Option<String>,
    pub username: String,
    pub role: Option<String>,
    pub org_id: Option<String>,
    pub request_id: Option<String>,
}

impl Actor {
    /// Someone not logged in, such as whoever attempts a login that fails.
    pub fn anonymous(request_id: String) -> Self {
        Self {
            account_id: None,
            username: "anonymous".to_owned(),
            role: None,
            org_id: None,
            request_id: Some(request_id),
        }
    }

    /// The system itself acting on an operator's command (`tgpl create-admin`, `seed-demo`).
    pub fn system(command: &str) -> Self {
        Self {
            account_id: None,
            username: format!("system:{command}"),
            role: None,
            org_id: None,
            request_id: None,
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = audit_log, treat_none_as_default_value = false)]
struct NewEntry<'a> {
    occurred_at: NaiveDateTime,
    actor_account_id: Option<&'a str>,
    actor_username: &'a str,
    actor_role: Option<&'a str>,
    actor_org_id: Option<&'a str>,
    action: &'a str,
    resource_type: &'a str,
    resource_id: &'a str,
    before_json: Option<String>,
    after_json: Option<String>,
    request_id: Option<&'a str>,
}

/// One change to record: what was done to which resource, with its state before and after.
pub struct Change<'a, B: Serialize, A: Serialize> {
    pub action: AuditAction,
    pub resource_type: &'static str,
    pub resource_id: &'a str,
    pub before: Option<&'a B>,
    pub after: Option<&'a A>,
}

impl<'a, A: Serialize> Change<'a, (), A> {
    /// The creation of `resource_id`, with its first image `after`.
    pub fn created(
        action: AuditAction,
        resource_type: &'static str,
        resource_id: &'a str,
        after: &'a A,
    ) -> Self {
        Self {
            action,
            resource_type,
            resource_id,
            before: None,
            after: Some(after),
        }
    }
}

/// Inserts `$row` into `$table` (whose key column is `$key`) and records its creation with
/// the row itself, or its image `$image(row)`, in one transaction; evaluates to
/// `StoreResult<()>`.
#[macro_export]
macro_rules! insert_audited {
    ($conn:expr, $actor:expr, $action:expr, $resource:expr, $table:ident . $key:ident, $row:expr) => {
        $crate::insert_audited!(
            $conn,
            $actor,
            $action,
            $resource,
            $table.$key,
            $row,
            ::std::convert::identity
        )
    };
    ($conn:expr, $actor:expr, $action:expr, $resource:expr, $table:ident . $key:ident, $row:expr, $image:expr) => {{
        use diesel::prelude::*;
        let row = $row;
        $crate::db::write_transaction($conn, |conn| {
            diesel::insert_into($crate::schema::$table::table)
                .values(row)
                .execute(conn)?;
            let image = $image(row);
            $crate::audit::record(
                conn,
                $actor,
                $crate::audit::Change::created($action, $resource, &row.$key, &image),
            )
        })
    }};
}

pub fn record<B: Serialize, A: Serialize>(
    conn: &mut DbConnection,
    actor: &Actor,
    change: Change<'_, B, A>,
) -> StoreResult<()> {
    let entry = NewEntry {
        occurred_at: crate::now(),
        actor_account_id: actor.account_id.as_deref(),
        actor_username: &actor.username,
        actor_role: actor.role.as_deref(),
        actor_org_id: actor.org_id.as_deref(),
        action: change.action.code(),
        resource_type: change.resource_type,
        resource_id: change.resource_id,
        before_json: change.before.map(to_json),
        after_json: change.after.map(to_json),
        request_id: actor.request_id.as_deref(),
    };
    crate::on_engine!(conn, |c| diesel::insert_into(audit_log::table)
        .values(&entry)
        .execute(c))?;
    Ok(())
}

/// Whether `actor` (an [`Actor::system`] command, say) ever wrote to this database.
pub fn written_by(conn: &mut DbConnection, actor: &Actor) -> StoreResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        audit_log::table.filter(audit_log::actor_username.eq(&actor.username)),
    ))
    .get_result(conn)?)
}

/// Snapshots are plain data; should one ever fail to serialise, the failure is recorded in
/// its place rather than aborting the change.
fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| format!("{{\"unserialisable\":\"{e}\"}}"))
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = audit_log)]
pub struct AuditEntryRow {
    pub id: i64,
    #[serde(serialize_with = "crate::instant::utc")]
    pub occurred_at: NaiveDateTime,
    pub actor_account_id: Option<String>,
    pub actor_username: String,
    pub actor_role: Option<String>,
    pub actor_org_id: Option<String>,
    pub action: String,
    pub resource_type: String,
    pub resource_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub resource_type: Option<String>,
    pub resource_id: Option<String>,
    pub actor_account_id: Option<String>,
    pub actor_org_id: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    /// Entries up to this id, inclusive: the log as a first page saw it.
    pub until_id: Option<i64>,
}

fn filtered(f: &AuditFilter) -> audit_log::BoxedQuery<'static, Backend> {
    let mut q = audit_log::table.into_boxed::<Backend>();
    if let Some(v) = &f.action {
        q = q.filter(audit_log::action.eq(v.clone()));
    }
    if let Some(v) = &f.resource_type {
        q = q.filter(audit_log::resource_type.eq(v.clone()));
    }
    if let Some(v) = &f.resource_id {
        q = q.filter(audit_log::resource_id.eq(v.clone()));
    }
    if let Some(v) = &f.actor_account_id {
        q = q.filter(audit_log::actor_account_id.eq(v.clone()));
    }
    if let Some(v) = &f.actor_org_id {
        q = q.filter(audit_log::actor_org_id.eq(v.clone()));
    }
    if let Some(v) = f.from {
        q = q.filter(audit_log::occurred_at.ge(v));
    }
    if let Some(v) = f.to {
        q = q.filter(audit_log::occurred_at.lt(v));
    }
    if let Some(v) = f.until_id {
        q = q.filter(audit_log::id.le(v));
    }
    q
}

/// Newest first; the id breaks ties, so paging is stable.
pub fn list(
    conn: &mut DbConnection,
    filter: &AuditFilter,
    page: PageRequest,
) -> StoreResult<Paged<AuditEntryRow>> {
    let items = filtered(filter)
        .order((audit_log::occurred_at.desc(), audit_log::id.desc()))
        .limit(page.limit())
        .offset(page.offset())
        .select(AuditEntryRow::as_select())
        .load(conn)?;
    Ok(Paged::counted(items, page, || {
        filtered(filter).count().get_result(conn)
    })?)
}
