//! Contracts of participating organizations with state legal aid centres.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use tgpl_domain::audit::AuditAction;
use tgpl_domain::contract::ContractTerm;

use crate::audit::Actor;
use crate::column::{Code, Json};
use crate::db::DbConnection;
use crate::error::{StoreError, StoreResult};
use crate::schema::participation_contracts;
use tgpl_domain::contract::ContractStatus;
use tgpl_domain::organization::ParticipationScope;

const RESOURCE: &str = "contract";

#[derive(
    Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset, Serialize,
)]
#[diesel(table_name = participation_contracts, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct ContractRow {
    pub id: String,
    pub organization_id: String,
    pub center_id: String,
    pub contract_number: String,
    pub signed_on: NaiveDate,
    pub scope: Json<ParticipationScope>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub status: Code<ContractStatus>,
    pub amended_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub version: i64,
    #[serde(serialize_with = "crate::instant::utc")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::instant::utc")]
    pub updated_at: NaiveDateTime,
}

crate::versioned::versioned_rows!(ContractRow);

impl ContractRow {
    /// A contract just signed: active, at version 1, its number trimmed.
    pub fn signed(
        organization_id: String,
        center_id: String,
        contract_number: &str,
        signed_on: NaiveDate,
        scope: ParticipationScope,
        valid_from: NaiveDate,
        valid_to: Option<NaiveDate>,
    ) -> Self {
        let now = crate::now();
        Self {
            id: crate::new_id(),
            organization_id,
            center_id,
            contract_number: contract_number.trim().to_owned(),
            signed_on,
            scope: Json(scope),
            valid_from,
            valid_to,
            status: Code(ContractStatus::Active),
            amended_on: None,
            ended_on: None,
            end_reason: None,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    /// The days this contract is in force.
    pub fn term(&self) -> ContractTerm {
        ContractTerm {
            valid_from: self.valid_from,
            valid_to: self.valid_to,
            ended_on: self.ended_on,
        }
    }
}

pub fn insert(conn: &mut DbConnection, actor: &Actor, row: &ContractRow) -> StoreResult<()> {
    let action = AuditAction::ContractSign;
    crate::insert_audited!(
        conn,
        actor,
        action,
        RESOURCE,
        participation_contracts.id,
        row,
        Clone::clone
    )
}

pub fn get(conn: &mut DbConnection, id: &str) -> StoreResult<ContractRow> {
    participation_contracts::table
        .find(id)
        .select(ContractRow::as_select())
        .first(conn)
        .map_err(StoreError::from)
}

/// Whether the centre `center_id` numbered another contract than `except_id` `number`.
pub fn number_taken(
    conn: &mut DbConnection,
    center_id: &str,
    number: &str,
    except_id: &str,
) -> StoreResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        participation_contracts::table
            .filter(participation_contracts::center_id.eq(center_id))
            .filter(participation_contracts::contract_number.eq(number))
            .filter(participation_contracts::id.ne(except_id)),
    ))
    .get_result(conn)?)
}

/// The contracts of a participating organization, oldest first.
pub fn of_organization(
    conn: &mut DbConnection,
    organization_id: &str,
) -> StoreResult<Vec<ContractRow>> {
    Ok(participation_contracts::table
        .filter(participation_contracts::organization_id.eq(organization_id))
        .order((
            participation_contracts::signed_on.asc(),
            participation_contracts::id.asc(),
        ))
        .select(ContractRow::as_select())
        .load(conn)?)
}

pub fn save(
    conn: &mut DbConnection,
    actor: &Actor,
    action: AuditAction,
    before: &ContractRow,
    after: &ContractRow,
) -> StoreResult<()> {
    crate::save_versioned!(
        conn,
        actor,
        action,
        RESOURCE,
        participation_contracts.id,
        before,
        after,
        |c: &ContractRow| c.clone()
    )
}
