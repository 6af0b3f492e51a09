//! People aided (người được trợ giúp pháp lý). Their personal data is seen only by the
//! organizations handling them and by the data centre; every read of it is logged.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tgpl_domain::access::{self, Action, SystemAction};
use tgpl_domain::recipient::{
    name_key, statistical_category, CitizenId, CitizenIdError, Proof, ProofKind,
};
use tgpl_domain::reference::{EthnicGroup, Gender, RecipientCategory};
use tgpl_persistence::db::write_transaction;
use tgpl_persistence::exclusive::{exclusive, Claim, Rule};
use tgpl_persistence::recipients::{
    self, Access, AccessFilter, AccessRow, ProofRow, RecipientFilter, RecipientRow,
};
use tgpl_persistence::versioned::Versioned;
use tgpl_persistence::{provinces, DbConnection};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::account_common::utc;
use crate::auth::Caller;
use crate::http::error::ApiError;
use crate::http::extract::{etag, present, record, IfMatch, Query, ValidJson};
use crate::http::lang::Text;
use crate::http::page::{search_term, Page, PageQuery};
use crate::scope::{self, today, Permitted};
use crate::state::AppState;

type Problem = crate::http::error::Problem;

#[derive(Serialize, ToSchema)]
pub struct ProofView {
    pub id: String,
    #[schema(schema_with = crate::http::schemas::proof_kind)]
    pub kind: String,
    /// The category a status proof proves; absent for a proof of financial difficulty.
    #[schema(schema_with = crate::http::schemas::or_null::recipient_category)]
    pub category: Option<String>,
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
            kind: p.kind.clone(),
            category: p.category.clone(),
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
    pub gender: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    #[schema(schema_with = crate::http::schemas::or_null::ethnic_group)]
    pub ethnicity: Option<String>,
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
        let domain: Vec<Proof> = proofs.iter().filter_map(ProofRow::to_domain).collect();
        Self {
            statistical_category: statistical_category(&domain).map(|(c, d)| StatisticalCategory {
                category: c.to_string(),
                proven_on: d,
            }),
            id: r.id,
            organization_id: r.organization_id,
            full_name: r.full_name,
            gender: r.gender,
            date_of_birth: r.date_of_birth,
            ethnicity: r.ethnicity,
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

pub fn access_entry(caller: &Caller, recipient_id: &str, kind: &str) -> Access {
    Access {
        recipient_id: recipient_id.to_owned(),
        accessed_at: tgpl_persistence::now(),
        account_id: caller.account_id.clone(),
        username: caller.username.clone(),
        role: caller.role.to_string(),
        org_id: caller.org_id.clone(),
        access: kind.to_owned(),
        request_id: Some(caller.request_id.clone()),
    }
}

/// Appends reads of personal data to the access log. Handlers read on a pooled connection,
/// then call this and send the data only once it has returned: no read goes unrecorded, and
/// the reading itself never waits for the single writer.
pub async fn log_reads(state: &AppState, entries: Vec<Access>) -> Result<(), ApiError> {
    if entries.is_empty() {
        return Ok(());
    }
    state
        .write(move |conn| Ok(recipients::log_access(conn, &entries)?))
        .await
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

/// Whether one of the organizations handling the person lets `caller` do `action`. The one
/// that registered the person is asked first: it usually answers, and spares reading the
/// person's cases to find the others.
pub fn allows(
    conn: &mut DbConnection,
    caller: &Caller,
    action: Action,
    row: &RecipientRow,
) -> Result<bool, ApiError> {
    let tree = scope::tree_today(conn, caller)?;
    let may = |org: &str| scope::check_on(&tree, caller, action, org).is_ok();
    if may(&row.organization_id) {
        return Ok(true);
    }
    Ok(recipients::handling_organizations(conn, row)?
        .iter()
        .any(|org| may(org)))
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

fn citizen_id_error(e: CitizenIdError) -> ApiError {
    let (code, vi, en) = match e {
        CitizenIdError::Format => (
            "invalid_format",
            "Số định danh cá nhân gồm đúng 12 chữ số.",
            "A citizen ID is exactly 12 digits.",
        ),
        CitizenIdError::Province => (
            "unknown_province",
            "Ba chữ số đầu không phải mã tỉnh nơi đăng ký khai sinh.",
            "The first three digits are not a province code.",
        ),
        CitizenIdError::Century => (
            "invalid_century",
            "Chữ số thứ tư phải từ 0 đến 3 (người sinh từ năm 1900 đến 2099).",
            "The fourth digit is 0 to 3 (births from 1900 to 2099).",
        ),
        CitizenIdError::Inconsistent => (
            "inconsistent",
            "Số định danh không khớp với giới tính hoặc năm sinh đã nhập.",
            "The citizen ID does not match the gender or year of birth given.",
        ),
    };
    ApiError::field("citizen_id", code, vi, en)
}

/// Checks identity fields together; returns the normalised citizen ID.
fn check_identity(
    citizen_id: Option<&str>,
    gender: Option<Gender>,
    date_of_birth: Option<NaiveDate>,
) -> Result<Option<String>, ApiError> {
    if date_of_birth.is_some_and(|d| d > today()) {
        return Err(ApiError::field(
            "date_of_birth",
            "in_future",
            "Ngày sinh không thể ở tương lai.",
            "The date of birth cannot be in the future.",
        ));
    }
    let Some(raw) = citizen_id else {
        return Ok(None);
    };
    let id = CitizenId::parse(raw).map_err(citizen_id_error)?;
    id.check_against(gender, date_of_birth)
        .map_err(citizen_id_error)?;
    Ok(Some(id.as_str().to_owned()))
}

fn check_province(conn: &mut DbConnection, code: Option<&str>) -> Result<(), ApiError> {
    match code {
        None => Ok(()),
        Some(code) => match provinces::get(conn, code) {
            Ok(_) => Ok(()),
            Err(tgpl_persistence::StoreError::NotFound) => Err(ApiError::field(
                "province_code",
                "unknown_province",
                format!("Không có tỉnh, thành phố mã `{code}`."),
                format!("No province has the code `{code}`."),
            )),
            Err(e) => Err(e.into()),
        },
    }
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRecipient {
    /// The organization receiving the person.
    pub organization_id: String,
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    #[serde(deserialize_with = "crate::http::text::name")]
    pub full_name: String,
    #[schema(schema_with = crate::http::schemas::or_null::gender)]
    pub gender: Option<Gender>,
    pub date_of_birth: Option<NaiveDate>,
    #[schema(schema_with = crate::http::schemas::or_null::ethnic_group)]
    pub ethnicity: Option<EthnicGroup>,
    /// 12 digits; checked against gender and year of birth when those are given.
    #[schema(example = "001305012345")]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub citizen_id: Option<String>,
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub province_code: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub commune: Option<String>,
    #[schema(min_length = 1, max_length = 500)]
    #[validate(length(min = 1, max = 500))]
    pub address: Option<String>,
    #[schema(min_length = 1, max_length = 50)]
    #[validate(length(min = 1, max = 50))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub phone: Option<String>,
    #[schema(format = Email)]
    #[validate(email)]
    pub email: Option<String>,
    /// Create even though possible duplicates were found: a deliberate choice after seeing
    /// the candidates of a 409 `possible_duplicates`.
    #[serde(default)]
    pub create_anyway: bool,
}

#[derive(Serialize, ToSchema)]
pub struct DuplicateCandidate {
    pub id: String,
    pub full_name: String,
    pub date_of_birth: Option<NaiveDate>,
    /// Only the last three digits.
    pub citizen_id_masked: Option<String>,
    pub organization_id: String,
    /// `citizen_id` or `name_and_birth_date`.
    pub matched_on: &'static str,
}

/// Records a person aided. When the same citizen ID, or the same name (ignoring case and
/// diacritics) and date of birth, is already recorded where the caller can see it, answers
/// 409 `possible_duplicates` with the candidates so that the existing record can be used;
/// send `create_anyway: true` to create a new one all the same.
#[utoipa::path(
    operation_id = "createRecipient",
    tag = "recipients",
    security(("bearer" = [])),
    request_body = CreateRecipient,
    responses(
        (status = 201, description = "Created.", body = RecipientView, headers(("ETag" = String), ("Location" = String))),
        (status = 404, description = "Organization outside the caller's scope, or the caller handles no recipients.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Possible duplicates: `candidates` lists them.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/recipients")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: ValidJson<CreateRecipient>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let citizen_id = check_identity(body.citizen_id.as_deref(), body.gender, body.date_of_birth)?;
    let row = state
        .write(move |conn| {
            scope::authorize(conn, &caller, Action::ManageRecipient, &body.organization_id)?;
            check_province(conn, body.province_code.as_deref())?;
            let key = name_key(&body.full_name);
            // The check and the insert run as one, so that requests sent at once for the
            // same person do not all find nobody and all create a record.
            let mut claims = Vec::new();
            if let Some(cid) = &citizen_id {
                claims.push(Claim::new(Rule::RecipientDuplicates, format!("citizen_id:{cid}")));
            }
            if let Some(dob) = body.date_of_birth {
                claims.push(Claim::new(Rule::RecipientDuplicates, format!("name_birth:{key}:{dob}")));
            }
            // A refusal is committed too: it keeps the entries of the candidates it showed.
            exclusive(conn, &claims, |conn| -> Result<Result<RecipientRow, ApiError>, ApiError> {
                if !body.create_anyway {
                    let visible = scope::permitted(conn, &caller, Action::ReadRecipient)?.as_filter();
                    let found = recipients::possible_duplicates(conn, citizen_id.as_deref(), &key, body.date_of_birth, visible.as_deref())?;
                    if !found.is_empty() {
                        let entries: Vec<Access> = found.iter().map(|r| access_entry(&caller, &r.id, "duplicate_check")).collect();
                        recipients::log_access(conn, &entries)?;
                        let candidates: Vec<DuplicateCandidate> = found
                            .into_iter()
                            .map(|r| DuplicateCandidate {
                                matched_on: if citizen_id.is_some() && r.citizen_id == citizen_id { "citizen_id" } else { "name_and_birth_date" },
                                citizen_id_masked: r.citizen_id.as_deref().and_then(|c| CitizenId::parse(c).ok()).map(|c| c.masked()),
                                id: r.id,
                                full_name: r.full_name,
                                date_of_birth: r.date_of_birth,
                                organization_id: r.organization_id,
                            })
                            .collect();
                        return Ok(Err(ApiError::conflict(
                            "possible_duplicates",
                            Text::new(
                                "Có thể người này đã có hồ sơ; hãy dùng hồ sơ sẵn có, hoặc gửi lại với create_anyway: true.",
                                "This person may already be recorded; use the existing record, or send again with create_anyway: true.",
                            ),
                        )
                        .with_extra(serde_json::json!({ "candidates": candidates }))));
                    }
                }
                let now = tgpl_persistence::now();
                let row = RecipientRow {
                    id: tgpl_persistence::new_id(),
                    organization_id: body.organization_id,
                    full_name: body.full_name.trim().to_owned(),
                    name_key: key,
                    gender: body.gender.map(|g| g.to_string()),
                    date_of_birth: body.date_of_birth,
                    ethnicity: body.ethnicity.map(|e| e.to_string()),
                    citizen_id,
                    province_code: body.province_code,
                    commune: body.commune,
                    address: body.address,
                    phone: body.phone,
                    email: body.email,
                    statistical_category: None,
                    category_proven_on: None,
                    version: 1,
                    created_at: now,
                    updated_at: now,
                };
                // The answer shows the record, which is a read like any other: the record and the
                // entry of that read are kept together or not at all.
                recipients::insert(conn, &caller.actor(), &row)?;
                recipients::log_access(conn, &[access_entry(&caller, &row.id, "create")])?;
                Ok(Ok(row))
            })?
        })
        .await?;
    Ok(respond(StatusCode::CREATED, row, &[]))
}

/// One recipient, with proofs and statistical category. The read is logged.
#[utoipa::path(
    operation_id = "readRecipient",
    tag = "recipients",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The person.", body = RecipientView, headers(("ETag" = String))),
        (status = 404, description = "No such person among those the caller's organization handles.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/recipients/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (row, proofs, entry) = state
        .db(move |conn| {
            let row = load(conn, &caller, &id, Action::ReadRecipient)?;
            let entry = access_entry(&caller, &id, "read");
            Ok((row, recipients::proofs_of(conn, &[id])?, entry))
        })
        .await?;
    log_reads(&state, vec![entry]).await?;
    Ok(respond(StatusCode::OK, row, &proofs))
}

/// Fields to change; absent fields keep their value, `null` clears an optional one.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateRecipient {
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub full_name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = crate::http::schemas::or_null::gender)]
    pub gender: Option<Option<Gender>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<NaiveDate>)]
    pub date_of_birth: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = crate::http::schemas::or_null::ethnic_group)]
    pub ethnicity: Option<Option<EthnicGroup>>,
    #[serde(default, deserialize_with = "crate::http::text::present_name")]
    #[schema(value_type = Option<String>)]
    pub citizen_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::http::text::present_name")]
    #[schema(value_type = Option<String>)]
    pub province_code: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::http::text::present_name")]
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    #[schema(value_type = Option<String>)]
    pub commune: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(min_length = 1, max_length = 500)]
    #[validate(length(min = 1, max = 500))]
    #[schema(value_type = Option<String>)]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::http::text::present_name")]
    #[schema(min_length = 1, max_length = 50)]
    #[validate(length(min = 1, max = 50))]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(format = Email)]
    #[validate(email)]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
}

/// Changes a recipient's record. Requires `If-Match`.
#[utoipa::path(
    operation_id = "updateRecipient",
    tag = "recipients",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "ETag of the record as read")),
    request_body = UpdateRecipient,
    responses(
        (status = 200, description = "Updated.", body = RecipientView, headers(("ETag" = String))),
        (status = 404, description = "No such person among those the caller's organization handles.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/recipients/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<UpdateRecipient>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.0;
    let (row, proofs) = state
        .write(move |conn| {
            let before = load(conn, &caller, &id, Action::ManageRecipient)?;
            if_match.require(&etag(before.version))?;
            let mut after = before.clone();
            if let Some(v) = body.full_name {
                after.full_name = v.trim().to_owned();
                if after.full_name.is_empty() {
                    return Err(ApiError::field(
                        "full_name",
                        "blank",
                        "Không được để trống.",
                        "Must not be blank.",
                    ));
                }
                after.name_key = name_key(&after.full_name);
            }
            if let Some(v) = body.gender {
                after.gender = v.map(|g| g.to_string());
            }
            if let Some(v) = body.date_of_birth {
                after.date_of_birth = v;
            }
            if let Some(v) = body.ethnicity {
                after.ethnicity = v.map(|e| e.to_string());
            }
            if let Some(v) = body.citizen_id {
                after.citizen_id = v;
            }
            if let Some(v) = body.province_code {
                after.province_code = v;
            }
            if let Some(v) = body.commune {
                after.commune = v;
            }
            if let Some(v) = body.address {
                after.address = v;
            }
            if let Some(v) = body.phone {
                after.phone = v;
            }
            if let Some(v) = body.email {
                after.email = v;
            }
            let gender = after.gender.as_deref().and_then(|g| g.parse().ok());
            after.citizen_id =
                check_identity(after.citizen_id.as_deref(), gender, after.date_of_birth)?;
            check_province(conn, after.province_code.as_deref())?;
            write_transaction(conn, |conn| {
                if after != before {
                    after.revise();
                    recipients::save(conn, &caller.actor(), &before, &after)?;
                }
                recipients::log_access(conn, &[access_entry(&caller, &id, "read")])
            })?;
            Ok((after, recipients::proofs_of(conn, &[id])?))
        })
        .await?;
    Ok(respond(StatusCode::OK, row, &proofs))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddProof {
    #[schema(schema_with = crate::http::schemas::proof_kind)]
    pub kind: ProofKind,
    /// Required for `status`, absent for `financial_hardship`.
    #[schema(schema_with = crate::http::schemas::or_null::recipient_category)]
    pub category: Option<RecipientCategory>,
    /// What the document is (e.g. "Giấy chứng nhận hộ nghèo").
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    #[serde(deserialize_with = "crate::http::text::name")]
    pub document_kind: String,
    #[schema(min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub document_number: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub issuer: Option<String>,
    pub issued_on: Option<NaiveDate>,
    /// The day the person provided it; decides which category the statistics count.
    pub provided_on: NaiveDate,
}

/// Adds a proof document. The statistical category is recomputed: the category whose proof
/// came first; financial-difficulty categories count from the day both their proofs were in.
#[utoipa::path(
    operation_id = "addRecipientProof",
    tag = "recipients",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the person as read")),
    request_body = AddProof,
    responses(
        (status = 201, description = "Added; the person (its version moves with its proofs).", body = RecipientView, headers(("ETag" = String), ("Location" = String))),
        (status = 404, description = "No such person among those the caller's organization handles.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/recipients/{id}/proofs")]
pub async fn add_proof(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<AddProof>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.0;
    match (body.kind, body.category) {
        (ProofKind::Status, None) => {
            return Err(ApiError::field(
                "category",
                "required",
                "Giấy tờ chứng minh diện cần ghi rõ diện.",
                "A proof of status names its category.",
            ))
        }
        (ProofKind::FinancialHardship, Some(_)) => {
            return Err(ApiError::field(
                "category",
                "not_applicable",
                "Giấy tờ chứng minh khó khăn tài chính không gắn với một diện.",
                "A proof of financial difficulty names no category.",
            ))
        }
        _ => {}
    }
    if body.provided_on > today() {
        return Err(ApiError::field(
            "provided_on",
            "in_future",
            "Ngày cung cấp không thể ở tương lai.",
            "The day provided cannot be in the future.",
        ));
    }
    if body.issued_on.is_some_and(|d| d > body.provided_on) {
        return Err(ApiError::field(
            "issued_on",
            "after_provided",
            "Giấy tờ phải được cấp trước khi cung cấp.",
            "A document is issued before it is provided.",
        ));
    }
    let (row, proofs) = state
        .write(move |conn| {
            let row = load(conn, &caller, &id, Action::ManageRecipient)?;
            if_match.check(&etag(row.version))?;
            let proof = ProofRow {
                id: tgpl_persistence::new_id(),
                recipient_id: id.clone(),
                kind: body.kind.to_string(),
                category: body.category.map(|c| c.to_string()),
                document_kind: body.document_kind,
                document_number: body.document_number,
                issuer: body.issuer,
                issued_on: body.issued_on,
                provided_on: body.provided_on,
                created_at: tgpl_persistence::now(),
            };
            write_transaction(conn, |conn| {
                recipients::add_proof(conn, &caller.actor(), &proof)?;
                recipients::log_access(conn, &[access_entry(&caller, &id, "read")])
            })?;
            Ok((
                recipients::get(conn, &id)?,
                recipients::proofs_of(conn, &[id])?,
            ))
        })
        .await?;
    Ok(respond(StatusCode::CREATED, row, &proofs))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecipientListQuery {
    /// Searches names, ignoring case and Vietnamese diacritics.
    pub q: Option<String>,
    /// Exact citizen ID.
    #[param(pattern = "^[0-9]{12}$")]
    pub citizen_id: Option<String>,
    pub province_code: Option<String>,
}

/// Lists the people the caller's organization handles, by name. Every person listed counts
/// as a read of their data and is logged.
#[utoipa::path(
    operation_id = "listRecipients",
    tag = "recipients",
    security(("bearer" = [])),
    params(RecipientListQuery, PageQuery),
    responses(
        (status = 200, description = "One page of people.", body = Page<RecipientView>),
        (status = 403, description = "The caller's role handles no recipients.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter (e.g. a malformed citizen ID).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/recipients")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<RecipientListQuery>,
    paging: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = paging.request()?;
    let query = query.0;
    let citizen_id = match query.citizen_id.as_deref() {
        Some(raw) => Some(
            CitizenId::parse(raw)
                .map_err(citizen_id_error)?
                .as_str()
                .to_owned(),
        ),
        None => None,
    };
    let (paged, proofs, entries) = state
        .db(move |conn| {
            let permitted = scope::permitted(conn, &caller, Action::ReadRecipient)?;
            if permitted == Permitted::Only(Vec::new()) {
                return Err(ApiError::forbidden());
            }
            let filter = RecipientFilter {
                organizations: permitted.as_filter(),
                search: search_term(query.q.as_deref()),
                citizen_id,
                province_code: query.province_code,
            };
            let paged = recipients::list(conn, &filter, page)?;
            let ids: Vec<String> = paged.items.iter().map(|r| r.id.clone()).collect();
            let entries: Vec<Access> = ids
                .iter()
                .map(|id| access_entry(&caller, id, "list"))
                .collect();
            Ok((paged, recipients::proofs_of(conn, &ids)?, entries))
        })
        .await?;
    log_reads(&state, entries).await?;
    let mut by_person: HashMap<String, Vec<ProofRow>> = HashMap::new();
    for p in proofs {
        by_person.entry(p.recipient_id.clone()).or_default().push(p);
    }
    Ok(HttpResponse::Ok().json(Page::new(&req, page, paged, |row| {
        let proofs = by_person.remove(&row.id).unwrap_or_default();
        RecipientView::new(row, &proofs)
    })))
}

#[derive(Serialize, ToSchema)]
pub struct AccessView {
    pub id: i64,
    pub recipient_id: String,
    pub accessed_at: DateTime<Utc>,
    pub account_id: String,
    pub username: String,
    pub role: String,
    pub organization_id: String,
    /// `read`, `list` or `duplicate_check`.
    pub access: String,
    pub request_id: Option<String>,
}

impl From<AccessRow> for AccessView {
    fn from(a: AccessRow) -> Self {
        Self {
            id: a.id,
            recipient_id: a.recipient_id,
            accessed_at: utc(a.accessed_at),
            account_id: a.account_id,
            username: a.username,
            role: a.role,
            organization_id: a.org_id,
            access: a.access,
            request_id: a.request_id,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccessLogQuery {
    pub recipient_id: Option<String>,
    pub account_id: Option<String>,
    /// From this instant, inclusive (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Until this instant, exclusive (RFC 3339).
    pub to: Option<DateTime<Utc>>,
}

/// Who read which recipient's personal data, and when (data centre only), newest first.
#[utoipa::path(
    operation_id = "listRecipientAccessLog",
    tag = "recipients",
    security(("bearer" = [])),
    params(AccessLogQuery, PageQuery),
    responses(
        (status = 200, description = "One page of reads.", body = Page<AccessView>),
        (status = 403, description = "Only the data centre reads the access log.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/recipient-access-log")]
pub async fn access_log(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<AccessLogQuery>,
    paging: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    if access::decide_system(&caller.policy(), SystemAction::ReadRecipientAccessLog)
        != access::Decision::Allow
    {
        return Err(ApiError::forbidden());
    }
    let page = paging.request()?;
    let q = query.0;
    let filter = AccessFilter {
        recipient_id: q.recipient_id,
        account_id: q.account_id,
        from: q.from.map(|t| t.naive_utc()),
        to: q.to.map(|t| t.naive_utc()),
    };
    let paged = state
        .db(move |conn| Ok(recipients::access_log(conn, &filter, page)?))
        .await?;
    Ok(HttpResponse::Ok().json(Page::new(&req, page, paged, AccessView::from)))
}
