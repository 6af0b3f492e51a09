//! Contracts of participating organizations with state legal aid centres: signed, read,
//! amended and terminated by the Department; one in force per organization and centre on any
//! day (`tgpl_domain::contract`).
//!
//! - [`signing`]: signing a contract, and reading them.
//! - [`changes`]: amending and terminating one.
//! - here: what they answer with.

mod changes;
mod signing;

pub use changes::{amend_contract, terminate_contract, AmendContract};
pub use signing::{read_contract, sign_contract, SignContract};

use super::*;
use crate::http::patch;
use tgpl_persistence::column::Code;

#[derive(Serialize, ToSchema)]
pub struct ContractView {
    pub id: String,
    /// The participating organization.
    pub organization_id: String,
    pub center_id: String,
    pub contract_number: String,
    pub signed_on: NaiveDate,
    #[schema(schema_with = crate::http::schemas::aid_forms)]
    pub forms: Vec<String>,
    #[schema(schema_with = crate::http::schemas::fields)]
    pub fields: Vec<String>,
    #[schema(schema_with = crate::http::schemas::recipient_categories)]
    pub beneficiaries: Vec<String>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    /// `active` or `terminated`.
    #[schema(value_type = String)]
    pub status: ContractStatus,
    pub amended_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ContractRow> for ContractView {
    fn from(c: ContractRow) -> Self {
        let scope = c.scope.0;
        Self {
            id: c.id,
            organization_id: c.organization_id,
            center_id: c.center_id,
            contract_number: c.contract_number,
            signed_on: c.signed_on,
            forms: scope.forms.iter().map(|f| f.to_string()).collect(),
            fields: scope.fields.iter().map(|f| f.to_string()).collect(),
            beneficiaries: scope.beneficiaries.iter().map(|b| b.to_string()).collect(),
            valid_from: c.valid_from,
            valid_to: c.valid_to,
            status: *c.status,
            amended_on: c.amended_on,
            ended_on: c.ended_on,
            end_reason: c.end_reason,
            version: c.version,
            created_at: utc(c.created_at),
            updated_at: utc(c.updated_at),
        }
    }
}

fn contract_response(status: StatusCode, row: ContractRow) -> HttpResponse {
    let (id, version) = (row.id.clone(), row.version);
    record(
        status,
        "/api/v1/contracts",
        &id,
        version,
        &ContractView::from(row),
    )
}

/// The contracts of a participating organization, oldest first.
#[utoipa::path(
    operation_id = "listContracts",
    tag = "participation",
    responses(
        (status = 200, description = "Contracts.", body = Vec<ContractView>),
    )
)]
#[get("/organizations/{id}/contracts")]
pub async fn list_contracts(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let rows = state
        .db(move |conn| {
            scope::authorize(conn, &caller, Action::ReadOrganization, &id)?;
            Ok(contracts::of_organization(conn, &id)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(ContractView::from).collect::<Vec<_>>()))
}
