//! The documents that prove a person aided belongs to a category (Law on Legal Aid 2017
//! art. 7, 33): read by the recipient routes and by the statistics, which count a person under
//! the category proven by the period's end.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use tgpl_domain::recipient::ProofKind;
use tgpl_domain::reference::RecipientCategory;

use crate::column::Code;
use crate::db::DbConnection;
use crate::error::StoreResult;
use crate::schema::recipient_proofs;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = recipient_proofs, treat_none_as_default_value = false)]
pub struct ProofRow {
    pub id: String,
    pub recipient_id: String,
    pub kind: Code<ProofKind>,
    pub category: Option<Code<RecipientCategory>>,
    pub document_kind: String,
    pub document_number: Option<String>,
    pub issuer: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub provided_on: NaiveDate,
    #[serde(serialize_with = "crate::instant::utc")]
    pub created_at: NaiveDateTime,
}

impl ProofRow {
    pub fn to_domain(&self) -> tgpl_domain::recipient::Proof {
        tgpl_domain::recipient::Proof {
            kind: *self.kind,
            category: self.category.map(|c| c.0),
            provided_on: self.provided_on,
        }
    }
}

/// The proofs of the people `recipient_ids`, in the order they were provided.
pub fn proofs_of(conn: &mut DbConnection, recipient_ids: &[String]) -> StoreResult<Vec<ProofRow>> {
    if recipient_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(recipient_proofs::table
        .filter(recipient_proofs::recipient_id.eq_any(recipient_ids))
        .order((
            recipient_proofs::provided_on.asc(),
            recipient_proofs::id.asc(),
        ))
        .select(ProofRow::as_select())
        .load(conn)?)
}
