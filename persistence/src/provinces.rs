//! Provinces: reference data that the Agency maintains.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use tgpl_domain::audit::AuditAction;

use crate::audit::Actor;
use crate::db::DbConnection;
use crate::error::{StoreError, StoreResult};
use crate::schema::provinces;

const RESOURCE: &str = "province";

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Serialize)]
#[diesel(table_name = provinces, treat_none_as_default_value = false)]
pub struct ProvinceRow {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub kind: String,
    pub active: bool,
    pub version: i64,
    #[serde(serialize_with = "crate::instant::utc")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::instant::utc")]
    pub updated_at: NaiveDateTime,
}

crate::versioned::versioned_rows!(ProvinceRow);

/// All provinces, those in force first, then by code.
pub fn list(conn: &mut DbConnection, include_inactive: bool) -> StoreResult<Vec<ProvinceRow>> {
    let mut q = provinces::table.into_boxed();
    if !include_inactive {
        q = q.filter(provinces::active.eq(true));
    }
    Ok(q.order((provinces::active.desc(), provinces::code.asc()))
        .select(ProvinceRow::as_select())
        .load(conn)?)
}

pub fn get(conn: &mut DbConnection, code: &str) -> StoreResult<ProvinceRow> {
    provinces::table
        .find(code)
        .select(ProvinceRow::as_select())
        .first(conn)
        .map_err(StoreError::from)
}

pub fn insert(conn: &mut DbConnection, actor: &Actor, row: &ProvinceRow) -> StoreResult<()> {
    let action = AuditAction::ProvinceCreate;
    crate::insert_audited!(
        conn,
        actor,
        action,
        RESOURCE,
        provinces.code,
        row,
        Clone::clone
    )
}

pub fn save(
    conn: &mut DbConnection,
    actor: &Actor,
    before: &ProvinceRow,
    after: &ProvinceRow,
) -> StoreResult<()> {
    crate::save_versioned!(
        conn,
        actor,
        AuditAction::ProvinceUpdate,
        RESOURCE,
        provinces.code,
        before,
        after,
        |r: &ProvinceRow| r.clone()
    )
}
