//! People aided (người được trợ giúp pháp lý). Their personal data is seen only by the
//! organizations handling them and by the data centre; every read of it is logged.
//!
//! - [`records`]: registering a person (with the duplicate check), reading, correcting.
//! - [`proofs`]: the documents proving a person's category.
//! - [`listing`]: lists in the caller's scope; [`reads`]: the log of who read whose data.
//! - here: what they answer with, and the checks of identity they share. Who handles a
//!   person, and the log of reads, are `crate::services::recipient_access`, which other
//!   routes borrow too.

mod listing;
mod proofs;
mod reads;
mod records;

pub use crate::services::recipient_access::DuplicateCandidate;
pub use listing::{list, RecipientListQuery};
pub use proofs::{add_proof, AddProof};
pub use reads::{access_log, AccessLogQuery, AccessView};
pub use records::{create, read, update, CreateRecipient, UpdateRecipient};

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tgpl_domain::access::{self, Action, SystemAction};
use tgpl_domain::recipient::{
    check_born_before_record, check_ethnicity_keeps_proofs, check_identity, name_key,
    statistical_category, CitizenId, DataAccess, Proof, ProofKind,
};
use tgpl_domain::reference::{EthnicGroup, Gender, RecipientCategory};
use tgpl_persistence::column::Code;
use tgpl_persistence::db::write_transaction;
use tgpl_persistence::recipients::{
    self, Access, AccessFilter, AccessRow, ProofRow, RecipientFilter, RecipientRow,
};
use tgpl_persistence::DbConnection;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::account_common::utc;
use crate::auth::Caller;
use crate::http::error::ApiError;
use crate::http::extract::{present, record, IfMatch, Query, ValidJson};
use crate::http::page::{search_term, Page, PageQuery};
use crate::http::patch;
use crate::http::text::person_name;
use crate::scope::{self, today};
use crate::state::AppState;

type Problem = crate::http::error::Problem;
use crate::services::recipient_access::{
    access_entry, allows, log_reads, new_record, register_person, with_citizen_id_free, Identity,
};

#[derive(Serialize, ToSchema)]
pub struct ProofView {
    pub id: String,
    #[schema(schema_with = crate::http::schemas::proof_kind)]
    pub kind: ProofKind,
    /// The category a status proof proves; absent for a proof of financial difficulty.
    #[schema(schema_with = crate::http::schemas::or_null::recipient_category)]
    pub category: Option<RecipientCategory>,
    pub document_kind: String,
    pub document_number: Option<String>,
    pub issuer: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub provided_on: NaiveDate,
}

impl From<&ProofRow> for ProofView {
    fn from(p: &ProofRow) -> Self {
        Self {
            id: p.id.clone(),
            kind: *p.kind,
            category: p.category.map(|c| c.0),
            document_kind: p.document_kind.clone(),
            document_number: p.document_number.clone(),
            issuer: p.issuer.clone(),
            issued_on: p.issued_on,
            provided_on: p.provided_on,
        }
    }
}

/// The category the statistics count the person under.
#[derive(Serialize, ToSchema)]
pub struct StatisticalCategory {
    #[schema(schema_with = crate::http::schemas::recipient_category)]
    pub category: String,
    /// The day its proof (for financial-difficulty categories, the second of its two proofs)
    /// was provided.
    pub proven_on: NaiveDate,
}

#[derive(Serialize, ToSchema)]
pub struct RecipientView {
    pub id: String,
    /// The organization that received the person.
    pub organization_id: String,
    pub full_name: String,
    #[schema(schema_with = crate::http::schemas::or_null::gender)]
    pub gender: Option<Gender>,
    pub date_of_birth: Option<NaiveDate>,
    #[schema(schema_with = crate::http::schemas::or_null::ethnic_group)]
    pub ethnicity: Option<EthnicGroup>,
    /// Citizen ID (12 digits).
    pub citizen_id: Option<String>,
    pub province_code: Option<String>,
    pub commune: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub proofs: Vec<ProofView>,
    /// Absent while no category is proven.
    pub statistical_category: Option<StatisticalCategory>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl RecipientView {
    fn new(r: RecipientRow, proofs: &[ProofRow]) -> Self {
        let domain: Vec<Proof> = proofs.iter().map(ProofRow::to_domain).collect();
        Self {
            statistical_category: statistical_category(&domain).map(|(c, d)| StatisticalCategory {
                category: c.to_string(),
                proven_on: d,
            }),
            id: r.id,
            organization_id: r.organization_id,
            full_name: r.full_name,
            gender: r.gender.map(|c| c.0),
            date_of_birth: r.date_of_birth,
            ethnicity: r.ethnicity.map(|c| c.0),
            citizen_id: r.citizen_id,
            province_code: r.province_code,
            commune: r.commune,
            address: r.address,
            phone: r.phone,
            email: r.email,
            proofs: proofs.iter().map(ProofView::from).collect(),
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

/// Loads a recipient the caller may `action`: hidden (404) unless one of the organizations
/// handling the person allows it.
fn load(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    action: Action,
) -> Result<RecipientRow, ApiError> {
    let row = recipients::get(conn, id)?;
    if allows(conn, caller, action, &row)? {
        Ok(row)
    } else {
        Err(ApiError::not_found())
    }
}

fn respond(status: StatusCode, row: RecipientRow, proofs: &[ProofRow]) -> HttpResponse {
    let (id, version) = (row.id.clone(), row.version);
    record(
        status,
        "/api/v1/recipients",
        &id,
        version,
        &RecipientView::new(row, proofs),
    )
}
