//! Accounts of people and of service clients.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use tgpl_domain::account::{AccountAction, ActionNotAllowed};
use tgpl_domain::audit::AuditAction;

use crate::audit::{self, Actor, Change};
use crate::column::Code;
use crate::db::{write_transaction, Backend, DbConnection};
use crate::error::{StoreError, StoreResult};
use crate::page::{PageRequest, Paged};
use crate::schema::accounts;
use tgpl_domain::label::Vocabulary;
use tgpl_domain::organization::OrganizationStatus;
use tgpl_domain::role::{AccountStatus, Role};

const RESOURCE: &str = "account";

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = accounts, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct AccountRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Code<Role>,
    pub organization_id: String,
    pub status: Code<AccountStatus>,
    pub password_hash: String,
    pub token_epoch: i32,
    pub search_text: String,
    /// Written only by [`record_login`]; an administrator's change never carries it back.
    #[diesel(skip_update)]
    pub last_login_at: Option<NaiveDateTime>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The staff record of the person holding the account, if linked.
    pub staff_id: Option<String>,
    /// Set when someone else chose the password (creation, reset): its holder must replace
    /// it before anything else.
    pub password_change_required: bool,
}

crate::versioned::versioned_rows!(AccountRow);

impl AccountRow {
    /// Takes an administrator's `action` ([`AccountAction::take`]): the status it leaves,
    /// and the tokens revoked where the action revokes them; unchanged when refused.
    pub fn take(&mut self, action: AccountAction) -> Result<(), ActionNotAllowed> {
        self.status = Code(action.take(*self.status)?);
        if action.revokes_tokens() {
            self.token_epoch += 1;
        }
        Ok(())
    }
}

/// What the audit log keeps of an account: everything but the password hash.
#[derive(Serialize)]
struct Snapshot<'a> {
    username: &'a str,
    display_name: &'a str,
    role: &'a str,
    organization_id: &'a str,
    status: &'a str,
    token_epoch: i32,
    staff_id: Option<&'a str>,
    version: i64,
}

impl<'a> From<&'a AccountRow> for Snapshot<'a> {
    fn from(a: &'a AccountRow) -> Self {
        Self {
            username: &a.username,
            display_name: &a.display_name,
            role: a.role.code(),
            organization_id: &a.organization_id,
            status: a.status.code(),
            token_epoch: a.token_epoch,
            staff_id: a.staff_id.as_deref(),
            version: a.version,
        }
    }
}

pub fn insert(
    conn: &mut DbConnection,
    actor: &Actor,
    action: AuditAction,
    row: &AccountRow,
) -> StoreResult<()> {
    crate::insert_audited!(
        conn,
        actor,
        action,
        RESOURCE,
        accounts.id,
        row,
        Snapshot::from
    )
}

pub fn get(conn: &mut DbConnection, id: &str) -> StoreResult<AccountRow> {
    accounts::table
        .find(id)
        .select(AccountRow::as_select())
        .first(conn)
        .map_err(StoreError::from)
}

/// What every authenticated request checks, in one query: who the account is and whether it
/// is active, the status of its organization, and the version of the organization tree at
/// that moment (see `hierarchy_version`). Servers on PostgreSQL keep it in memory
/// (`account_cache`), so it holds nothing secret: no password hash.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestAccount {
    pub account: AccountCheck,
    pub organization_status: Code<OrganizationStatus>,
    pub hierarchy_version: i64,
}

/// The columns of an account that a request checks.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = accounts)]
pub struct AccountCheck {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Code<Role>,
    pub organization_id: String,
    /// The staff record the account belongs to, if any.
    pub staff_id: Option<String>,
    pub status: Code<AccountStatus>,
    pub token_epoch: i32,
    pub password_change_required: bool,
}

pub fn for_request(conn: &mut DbConnection, id: &str) -> StoreResult<RequestAccount> {
    use crate::schema::{hierarchy_version, organizations};
    let (account, organization_status, hierarchy_version) = crate::on_engine!(conn, |c| {
        accounts::table
            .inner_join(organizations::table)
            .inner_join(hierarchy_version::table.on(hierarchy_version::id.eq(1)))
            .filter(accounts::id.eq(id))
            .select((
                AccountCheck::as_select(),
                organizations::status,
                hierarchy_version::version,
            ))
            .first(c)
    })?;
    Ok(RequestAccount {
        account,
        organization_status,
        hierarchy_version,
    })
}

/// Whether any account exists: a database without one is new.
pub fn any(conn: &mut DbConnection) -> StoreResult<bool> {
    Ok(
        diesel::select(diesel::dsl::exists(accounts::table.select(accounts::id)))
            .get_result(conn)?,
    )
}

pub fn find_by_username(
    conn: &mut DbConnection,
    username: &str,
) -> StoreResult<Option<AccountRow>> {
    Ok(accounts::table
        .filter(accounts::username.eq(username))
        .select(AccountRow::as_select())
        .first(conn)
        .optional()?)
}

/// Writes `after` over `before`, provided nobody changed the row in between.
pub fn save(
    conn: &mut DbConnection,
    actor: &Actor,
    action: AuditAction,
    before: &AccountRow,
    after: &AccountRow,
) -> StoreResult<()> {
    crate::save_versioned!(
        conn,
        actor,
        action,
        RESOURCE,
        accounts.id,
        before,
        after,
        Snapshot::from
    )
}

/// Notes a successful login: the time on the account, and an entry in the audit log.
/// Records a login of `account_id` at `at`, with how it was made (`circumstances`, the
/// audit entry's image after).
pub fn record_login(
    conn: &mut DbConnection,
    actor: &Actor,
    account_id: &str,
    at: NaiveDateTime,
    circumstances: &impl Serialize,
) -> StoreResult<()> {
    write_transaction(conn, |conn| {
        diesel::update(accounts::table.find(account_id))
            .set(accounts::last_login_at.eq(Some(at)))
            .execute(conn)?;
        audit::record(
            conn,
            actor,
            Change::<(), _> {
                action: AuditAction::AuthTokenIssued,
                resource_type: RESOURCE,
                resource_id: account_id,
                before: None,
                after: Some(circumstances),
            },
        )
    })
}

/// Records a refused login at `account_id`, by `actor` (anonymous), with how it was made and
/// why it was refused (`circumstances`).
pub fn record_failed_login(
    conn: &mut DbConnection,
    actor: &Actor,
    account_id: &str,
    circumstances: &impl Serialize,
) -> StoreResult<()> {
    write_transaction(conn, |conn| {
        audit::record(
            conn,
            actor,
            Change::<(), _> {
                action: AuditAction::AuthLoginFailed,
                resource_type: RESOURCE,
                resource_id: account_id,
                before: None,
                after: Some(circumstances),
            },
        )
    })
}

#[derive(Debug, Clone, Default)]
pub struct AccountFilter {
    /// Restricts to accounts of these organizations (the caller's scope).
    pub organizations: Option<Vec<String>>,
    pub organization_id: Option<String>,
    pub roles: Option<Vec<String>>,
    pub status: Option<String>,
    /// Already folded with `tgpl_domain::text::fold`.
    pub search: Option<String>,
}

fn filtered(f: &AccountFilter, sqlite: bool) -> accounts::BoxedQuery<'static, Backend> {
    let mut q = accounts::table.into_boxed::<Backend>();
    if let Some(ids) = &f.organizations {
        q = q.filter(accounts::organization_id.eq_any(ids.clone()));
    }
    if let Some(v) = &f.organization_id {
        q = q.filter(accounts::organization_id.eq(v.clone()));
    }
    if let Some(v) = &f.roles {
        q = q.filter(accounts::role.eq_any(v.clone()));
    }
    if let Some(v) = &f.status {
        q = q.filter(accounts::status.eq(v.clone()));
    }
    if let Some(v) = &f.search {
        q = q.filter(crate::contains_folded(accounts::search_text, v, sqlite));
    }
    q
}

/// Ordered by username, which is unique, so paging is stable.
pub fn list(
    conn: &mut DbConnection,
    filter: &AccountFilter,
    page: PageRequest,
) -> StoreResult<Paged<AccountRow>> {
    let sqlite = crate::db::is_sqlite(conn);
    let items = filtered(filter, sqlite)
        .order(accounts::username.asc())
        .limit(page.limit())
        .offset(page.offset())
        .select(AccountRow::as_select())
        .load(conn)?;
    Ok(Paged::counted(items, page, || {
        filtered(filter, sqlite).count().get_result(conn)
    })?)
}
