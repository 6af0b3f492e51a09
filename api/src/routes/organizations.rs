//! Legal aid organizations of every kind, in a hierarchy whose parent links carry dates.

use actix_web::http::header;
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tgpl_domain::access::{Action, SystemAction};
use tgpl_domain::audit::AuditAction;
use tgpl_domain::hierarchy::{move_would_cycle, Hierarchy};
use tgpl_domain::label::Vocabulary;
use tgpl_domain::organization::{
    check_parent, check_participation, OrgCode, OrgCodeError, OrganizationKind, OrganizationStatus,
    ParentError, Participation, ParticipationError, ParticipationMode, ParticipationScope,
    ParticipationStatus,
};
use tgpl_domain::reference::{AidForm, Field, RecipientCategory};
use tgpl_persistence::exclusive::{exclusive, Claim, Rule};
use tgpl_persistence::organizations::{self, OrgFilter, OrgSort, OrganizationRow};
use tgpl_persistence::{provinces, DbConnection};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::account_common::utc;
use crate::auth::Caller;
use crate::http::error::ApiError;
use crate::http::extract::{etag, present, record, IfMatch, OptionalJson, Query, ValidJson};
use crate::http::lang::Text;
use crate::http::page::{parse_filter, parse_sort, search_term, Page, PageQuery};
use crate::scope::{self, today, Permitted};
use crate::state::AppState;

type Problem = crate::http::error::Problem;

/// Participation of a law office, law firm or counselling centre in legal aid.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipationBody {
    #[schema(schema_with = crate::http::schemas::participation_mode)]
    pub mode: ParticipationMode,
    /// Registration certificate number; required for `registration`.
    #[schema(min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub certificate_number: Option<String>,
    /// Forms of legal aid it may give.
    #[serde(default)]
    #[schema(schema_with = crate::http::schemas::aid_forms)]
    pub forms: Vec<AidForm>,
    /// Fields of law it covers.
    #[serde(default)]
    #[schema(schema_with = crate::http::schemas::fields)]
    pub fields: Vec<Field>,
    /// Recipient categories it serves.
    #[serde(default)]
    #[schema(schema_with = crate::http::schemas::recipient_categories)]
    pub beneficiaries: Vec<RecipientCategory>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

impl ParticipationBody {
    fn to_domain(&self) -> Participation {
        Participation {
            mode: self.mode,
            certificate_number: self.certificate_number.clone(),
            scope: ParticipationScope {
                forms: self.forms.clone(),
                fields: self.fields.clone(),
                beneficiaries: self.beneficiaries.clone(),
            },
            valid_from: self.valid_from,
            valid_to: self.valid_to,
        }
    }

    fn of_row(row: &OrganizationRow) -> Option<Self> {
        let mode = row.participation_mode.as_deref()?.parse().ok()?;
        let scope: ParticipationScope = row
            .participation_scope
            .as_deref()
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or_default();
        Some(Self {
            mode,
            certificate_number: row.certificate_number.clone(),
            forms: scope.forms,
            fields: scope.fields,
            beneficiaries: scope.beneficiaries,
            valid_from: row.participation_valid_from?,
            valid_to: row.participation_valid_to,
        })
    }
}

/// Writes participation details (or their absence) into a row.
fn set_participation(row: &mut OrganizationRow, p: Option<&Participation>) {
    row.participation_mode = p.map(|p| p.mode.to_string());
    row.certificate_number = p.and_then(|p| p.certificate_number.clone());
    row.participation_scope = p.map(|p| serde_json::to_string(&p.scope).unwrap_or_default());
    row.participation_valid_from = p.map(|p| p.valid_from);
    row.participation_valid_to = p.and_then(|p| p.valid_to);
}

/// Records new participation details: an amendment (dated today) while the participation
/// is in force, otherwise a new registration or contract standing. Returns the audited
/// action.
fn record_participation(row: &mut OrganizationRow, p: Option<&Participation>) -> AuditAction {
    let in_force = row.participation_status.as_deref() == Some(ParticipationStatus::Active.code());
    set_participation(row, p);
    match (p, in_force) {
        (Some(_), true) => {
            row.participation_amended_on = Some(today());
            AuditAction::ParticipationAmend
        }
        (Some(_), false) => {
            row.participation_status = Some(ParticipationStatus::Active.to_string());
            row.participation_amended_on = None;
            row.participation_ended_on = None;
            row.participation_end_reason = None;
            AuditAction::ParticipationRegister
        }
        (None, _) => {
            row.participation_status = None;
            row.participation_amended_on = None;
            row.participation_ended_on = None;
            row.participation_end_reason = None;
            AuditAction::OrganizationUpdate
        }
    }
}

/// Participation details as read: the details and where they stand in their life cycle.
///
/// The details are spelt out rather than flattened from [`ParticipationBody`]: that schema
/// is closed (it refuses unknown fields), and a closed schema cannot be extended.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParticipationView {
    #[schema(schema_with = crate::http::schemas::participation_mode)]
    pub mode: ParticipationMode,
    /// Registration certificate number.
    pub certificate_number: Option<String>,
    /// Forms of legal aid it may give.
    #[schema(schema_with = crate::http::schemas::aid_forms)]
    pub forms: Vec<AidForm>,
    /// Fields of law it covers.
    #[schema(schema_with = crate::http::schemas::fields)]
    pub fields: Vec<Field>,
    /// Recipient categories it serves.
    #[schema(schema_with = crate::http::schemas::recipient_categories)]
    pub beneficiaries: Vec<RecipientCategory>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    #[schema(schema_with = crate::http::schemas::participation_status)]
    pub status: String,
    /// The last amendment.
    pub amended_on: Option<NaiveDate>,
    /// When it was terminated or revoked.
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
}

impl ParticipationView {
    fn of_row(row: &OrganizationRow) -> Option<Self> {
        let details = ParticipationBody::of_row(row)?;
        Some(Self {
            mode: details.mode,
            certificate_number: details.certificate_number,
            forms: details.forms,
            fields: details.fields,
            beneficiaries: details.beneficiaries,
            valid_from: details.valid_from,
            valid_to: details.valid_to,
            status: row
                .participation_status
                .clone()
                .unwrap_or_else(|| ParticipationStatus::Active.to_string()),
            amended_on: row.participation_amended_on,
            ended_on: row.participation_ended_on,
            end_reason: row.participation_end_reason.clone(),
        })
    }
}

fn check_participation_for(
    kind: OrganizationKind,
    p: &ParticipationBody,
) -> Result<Participation, ApiError> {
    let domain = p.to_domain();
    check_participation(kind, &domain).map_err(|e| match e {
        ParticipationError::NotParticipatingKind => ApiError::field(
            "participation",
            "not_participating_kind",
            "Chỉ văn phòng luật sư, công ty luật và trung tâm tư vấn pháp luật có thông tin tham gia trợ giúp pháp lý.",
            "Only law offices, law firms and counselling centres have participation details.",
        ),
        ParticipationError::CertificateRequired => ApiError::field(
            "participation.certificate_number",
            "required",
            "Tham gia theo hình thức đăng ký cần số giấy chứng nhận đăng ký.",
            "Participation by registration needs the registration certificate number.",
        ),
        ParticipationError::EndsBeforeStart => ApiError::field(
            "participation.valid_to",
            "before_start",
            "Ngày hết hiệu lực phải sau ngày có hiệu lực.",
            "valid_to must be after valid_from.",
        ),
    })?;
    Ok(domain)
}

#[derive(Serialize, ToSchema)]
pub struct OrganizationView {
    pub id: String,
    #[schema(example = "TTTGPL-HN")]
    pub code: String,
    #[schema(example = "Trung tâm Trợ giúp pháp lý nhà nước thành phố Hà Nội")]
    pub name: String,
    pub name_en: Option<String>,
    #[schema(schema_with = crate::http::schemas::organization_kind)]
    pub kind: String,
    /// Province code (see `/api/v1/provinces`); absent for national organizations.
    #[schema(example = "ha_noi")]
    pub province_code: Option<String>,
    /// The parent today; absent for roots.
    pub parent_id: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    #[schema(schema_with = crate::http::schemas::organization_status)]
    pub status: String,
    pub deactivated_on: Option<NaiveDate>,
    pub participation: Option<ParticipationView>,
    /// Also sent as the `ETag` header.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl OrganizationView {
    fn new(row: OrganizationRow, parent_id: Option<String>) -> Self {
        let participation = ParticipationView::of_row(&row);
        Self {
            id: row.id,
            code: row.code,
            name: row.name,
            name_en: row.name_en,
            kind: row.kind,
            province_code: row.province_code,
            parent_id,
            address: row.address,
            phone: row.phone,
            email: row.email,
            status: row.status,
            deactivated_on: row.deactivated_on,
            participation,
            version: row.version,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        }
    }
}

fn single(
    status: actix_web::http::StatusCode,
    row: OrganizationRow,
    parent_id: Option<String>,
) -> HttpResponse {
    let (id, version) = (row.id.clone(), row.version);
    let view = OrganizationView::new(row, parent_id);
    record(status, "/api/v1/organizations", &id, version, &view)
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrganization {
    /// Unique code: 2–32 of A–Z, 0–9, `-`, `_`, `.`; lower case is raised.
    #[schema(example = "TTTGPL-HN")]
    #[serde(deserialize_with = "crate::http::text::name")]
    pub code: String,
    #[schema(min_length = 1, max_length = 255)]
    #[validate(length(min = 1, max = 255))]
    #[serde(deserialize_with = "crate::http::text::name")]
    pub name: String,
    #[schema(min_length = 1, max_length = 255)]
    #[validate(length(min = 1, max = 255))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub name_en: Option<String>,
    #[schema(schema_with = crate::http::schemas::organization_kind)]
    pub kind: OrganizationKind,
    /// Required except for the roots (ministry, statistics office), which only the data
    /// centre creates. See `/api/v1/reference/organization_kinds` for who hangs under whom.
    pub parent_id: Option<String>,
    /// The day from which it hangs under the parent (Viet Nam date); today when absent.
    pub valid_from: Option<NaiveDate>,
    /// Required for provincial kinds; defaults to the parent's province.
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub province_code: Option<String>,
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
    #[validate(nested)]
    pub participation: Option<ParticipationBody>,
}

fn parent_error(e: ParentError) -> ApiError {
    let allowed = e.allowed_codes().join(", ");
    match e {
        ParentError::ParentRequired { .. } => ApiError::field(
            "parent_id",
            "required",
            format!("Cần chọn đơn vị cấp trên thuộc loại: {allowed}."),
            format!("A parent of kind {allowed} is required."),
        ),
        ParentError::WrongParentKind { .. } => ApiError::field(
            "parent_id",
            "wrong_parent_kind",
            format!("Đơn vị cấp trên phải thuộc loại: {allowed}."),
            format!("The parent must be of kind: {allowed}."),
        ),
        ParentError::MustBeRoot => ApiError::field(
            "parent_id",
            "must_be_root",
            "Loại tổ chức này không có đơn vị cấp trên.",
            "Organizations of this kind have no parent.",
        ),
    }
}

fn code_error(e: OrgCodeError) -> ApiError {
    match e {
        OrgCodeError::Length => ApiError::field("code", "length", "Mã tổ chức dài từ 2 đến 32 ký tự.", "Codes are 2 to 32 characters long."),
        OrgCodeError::Characters => ApiError::field(
            "code",
            "invalid_format",
            "Mã tổ chức chỉ gồm chữ cái không dấu, chữ số và - _ . và bắt đầu bằng chữ cái hoặc chữ số.",
            "Codes contain only ASCII letters, digits and - _ . and start with a letter or digit.",
        ),
    }
}

/// Resolves the province of a new or moved organization: its own when given, else its
/// parent's; must exist and be in force, and must agree with the parent's.
fn resolve_province(
    conn: &mut DbConnection,
    kind: OrganizationKind,
    given: Option<String>,
    parent: Option<&OrganizationRow>,
) -> Result<Option<String>, ApiError> {
    if !kind.is_provincial() {
        return match given {
            None => Ok(None),
            Some(_) => Err(ApiError::field(
                "province_code",
                "not_provincial",
                "Tổ chức cấp trung ương không gắn với tỉnh.",
                "National organizations belong to no province.",
            )),
        };
    }
    let parent_province = parent.and_then(|p| p.province_code.clone());
    let code = match (given, &parent_province) {
        (Some(g), Some(p)) if &g != p => {
            return Err(ApiError::field(
                "province_code",
                "province_mismatch",
                format!("Tổ chức phải thuộc cùng tỉnh với đơn vị cấp trên ({p})."),
                format!("The organization must be in its parent's province ({p})."),
            ))
        }
        (Some(g), _) => g,
        (None, Some(p)) => p.clone(),
        (None, None) => {
            return Err(ApiError::field(
                "province_code",
                "required",
                "Cần chọn tỉnh, thành phố.",
                "A province is required.",
            ))
        }
    };
    match provinces::get(conn, &code) {
        Ok(p) if p.active => Ok(Some(code)),
        Ok(_) | Err(tgpl_persistence::StoreError::NotFound) => Err(ApiError::field(
            "province_code",
            "unknown_province",
            format!("Không có tỉnh, thành phố đang hiệu lực với mã `{code}`."),
            format!("No province in force has the code `{code}`."),
        )),
        Err(e) => Err(e.into()),
    }
}

fn inactive_parent() -> ApiError {
    ApiError::conflict(
        "parent_inactive",
        Text::new(
            "Đơn vị cấp trên đã ngừng hoạt động.",
            "The parent organization is inactive.",
        ),
    )
}

/// Creates an organization under a parent within the caller's scope.
#[utoipa::path(
    operation_id = "createOrganization",
    tag = "organizations",
    security(("bearer" = [])),
    request_body = CreateOrganization,
    responses(
        (status = 201, description = "Created.", body = OrganizationView, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "The caller may not create organizations there.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Parent outside the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Code taken, or parent inactive.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: ValidJson<CreateOrganization>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let code = OrgCode::parse(&body.code).map_err(code_error)?;
    if body.valid_from.is_some_and(|d| d > today()) {
        return Err(ApiError::field(
            "valid_from",
            "in_future",
            "Không ghi nhận trước tổ chức sẽ thành lập trong tương lai; hãy tạo từ ngày tổ chức bắt đầu hoạt động.",
            "Organizations are created from the day they start, not ahead of it.",
        ));
    }
    let participation = body
        .participation
        .as_ref()
        .map(|p| check_participation_for(body.kind, p))
        .transpose()?;
    let (row, parent_id) = state
        .write(move |conn| {
            // Under the tree's claim, the parent's status is the one the creation is linked
            // under; under the code's, two creations at once answer `code_taken` to the
            // second rather than a bare conflict.
            let claims = [
                Claim::new(Rule::Hierarchy, ""),
                Claim::new(Rule::OrganizationCode, code.as_str()),
            ];
            exclusive(conn, &claims, |conn| {
                let parent = match &body.parent_id {
                    None => {
                        scope::authorize_system(&caller, SystemAction::ManageReferenceData)?;
                        None
                    }
                    Some(id) => Some(scope::authorize(
                        conn,
                        &caller,
                        Action::CreateChildOrganization,
                        id,
                    )?),
                };
                let parent_kind = parent
                    .as_ref()
                    .map(|p| {
                        p.kind
                            .parse::<OrganizationKind>()
                            .map_err(|_| ApiError::internal())
                    })
                    .transpose()?;
                check_parent(body.kind, parent_kind).map_err(parent_error)?;
                if parent
                    .as_ref()
                    .is_some_and(|p| p.status != OrganizationStatus::Active.code())
                {
                    return Err(inactive_parent());
                }
                let province_code =
                    resolve_province(conn, body.kind, body.province_code, parent.as_ref())?;
                if organizations::get_by_code(conn, code.as_str())?.is_some() {
                    return Err(ApiError::conflict(
                        "code_taken",
                        Text::new(
                            format!("Mã tổ chức `{}` đã được dùng.", code.as_str()),
                            format!("The code `{}` is taken.", code.as_str()),
                        ),
                    ));
                }
                let mut row = OrganizationRow::new(
                    code.into_inner(),
                    body.name.trim().to_owned(),
                    body.kind.code(),
                    province_code,
                );
                row.name_en = body.name_en;
                row.address = body.address;
                row.phone = body.phone;
                row.email = body.email;
                if participation.is_some() {
                    record_participation(&mut row, participation.as_ref());
                }
                let valid_from = body.valid_from.unwrap_or_else(today);
                let link = parent.as_ref().map(|p| (p.id.as_str(), valid_from));
                organizations::insert(conn, &caller.actor(), &row, link)?;
                Ok((row, parent.map(|p| p.id)))
            })
        })
        .await?;
    Ok(single(actix_web::http::StatusCode::CREATED, row, parent_id))
}

/// One organization in the caller's scope.
#[utoipa::path(
    operation_id = "readOrganization",
    tag = "organizations",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The organization.", body = OrganizationView, headers(("ETag" = String))),
        (status = 404, description = "No such organization in the caller's scope.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (row, parent) = state
        .db(move |conn| {
            let row = scope::authorize(conn, &caller, Action::ReadOrganization, &id)?;
            let parent = organizations::link_on(conn, &id, today())?.map(|l| l.parent_id);
            Ok((row, parent))
        })
        .await?;
    Ok(single(actix_web::http::StatusCode::OK, row, parent))
}

/// Fields to change; absent fields keep their value, `null` clears an optional one.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct UpdateOrganization {
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::http::text::present_name")]
    #[schema(value_type = Option<String>)]
    pub name_en: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::http::text::present_name")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    /// Replaces the participation details (amendment of a registration or contract);
    /// `null` removes them.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<ParticipationBody>)]
    pub participation: Option<Option<ParticipationBody>>,
}

impl Validate for UpdateOrganization {
    fn validate(&self) -> Result<(), validator::ValidationErrors> {
        let mut errors = validator::ValidationErrors::new();
        let mut length = |field: &'static str, value: Option<&str>, max: u64| {
            if let Some(v) = value {
                let n = v.trim().chars().count() as u64;
                if n == 0 || n > max {
                    let mut e = validator::ValidationError::new("length");
                    e.add_param("min".into(), &1);
                    e.add_param("max".into(), &max);
                    errors.add(field, e);
                }
            }
        };
        length("name", self.name.as_deref(), 255);
        length(
            "name_en",
            self.name_en.as_ref().and_then(|v| v.as_deref()),
            255,
        );
        length(
            "address",
            self.address.as_ref().and_then(|v| v.as_deref()),
            500,
        );
        length("phone", self.phone.as_ref().and_then(|v| v.as_deref()), 50);
        if let Some(Some(email)) = &self.email {
            if !validator::ValidateEmail::validate_email(email) {
                errors.add("email", validator::ValidationError::new("email"));
            }
        }
        if let Some(Some(p)) = &self.participation {
            if let Err(e) = p.validate() {
                return Err(validator::ValidationErrors::merge(
                    Err(errors),
                    "participation",
                    Err(e),
                )
                .unwrap_err());
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Changes an organization's details. Requires `If-Match` with the ETag read.
#[utoipa::path(
    operation_id = "updateOrganization",
    tag = "organizations",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "ETag of the organization as read")),
    request_body = UpdateOrganization,
    responses(
        (status = 200, description = "Updated.", body = OrganizationView, headers(("ETag" = String))),
        (status = 403, description = "The caller may not change this organization.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organization in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "ETag mismatch: someone changed it meanwhile.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields.", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The participation mode cannot change once the organization has a participation history.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/organizations/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<UpdateOrganization>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.0;
    let (row, parent) = state
        .write(move |conn| {
            let before = scope::authorize(conn, &caller, Action::UpdateOrganization, &id)?;
            if_match.require(&etag(before.version))?;
            let kind = before
                .kind
                .parse::<OrganizationKind>()
                .map_err(|_| ApiError::internal())?;
            let mut after = before.clone();
            if let Some(name) = body.name {
                after.name = name.trim().to_owned();
            }
            if let Some(v) = body.name_en {
                after.name_en = v;
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
            let mut action = AuditAction::OrganizationUpdate;
            if let Some(p) = body.participation {
                if p.is_none() && before.participation_mode.is_some() {
                    return Err(ApiError::conflict(
                        "participation_has_history",
                        Text::new(
                            "Không xóa thông tin tham gia; hãy chấm dứt hoặc thu hồi (/participation/terminate, /participation/revoke).",
                            "Participation is not erased; terminate or revoke it (/participation/terminate, /participation/revoke).",
                        ),
                    ));
                }
                let checked = p
                    .as_ref()
                    .map(|p| check_participation_for(kind, p))
                    .transpose()?;
                action = record_participation(&mut after, checked.as_ref());
            }
            after.refresh_search_text();
            if after != before {
                after.version += 1;
                after.updated_at = tgpl_persistence::now();
                organizations::save(conn, &caller.actor(), action, &before, &after)?;
            }
            let parent = organizations::link_on(conn, &id, today())?.map(|l| l.parent_id);
            Ok((after, parent))
        })
        .await?;
    Ok(single(actix_web::http::StatusCode::OK, row, parent))
}

#[derive(Deserialize, Validate, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct DeactivateOrganization {
    /// The day it stopped operating (Viet Nam date); today when absent.
    pub on: Option<NaiveDate>,
}

/// Marks an organization as no longer operating. Refused while active organizations hang
/// under it. Its records stay.
#[utoipa::path(
    operation_id = "deactivateOrganization",
    tag = "organizations",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the organization as read")),
    request_body(content = Option<DeactivateOrganization>),
    responses(
        (status = 200, description = "Deactivated.", body = OrganizationView, headers(("ETag" = String))),
        (status = 403, description = "The caller may not restructure this organization.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organization in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already inactive, or has active children.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "ETag mismatch.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{id}/deactivate")]
pub async fn deactivate(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: OptionalJson<DeactivateOrganization>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let on = body.0.and_then(|b| b.on).unwrap_or_else(today);
    let (row, parent) = state
        .write(move |conn| {
            // Under the tree's claim: no child is created or moved under it meanwhile.
            if_match.settle(conn, |conn| exclusive(conn, &[Claim::new(Rule::Hierarchy, "")], |conn| {
                let before = scope::authorize(conn, &caller, Action::RestructureOrganization, &id)?;
                if_match.check(&etag(before.version))?;
                if before.status != OrganizationStatus::Active.code() {
                    return Err(ApiError::conflict(
                        "already_inactive",
                        Text::new("Tổ chức đã ngừng hoạt động.", "The organization is already inactive."),
                    ));
                }
                let children = organizations::count_active_children(conn, &id, today())?;
                if children > 0 {
                    return Err(ApiError::conflict(
                        "has_active_children",
                        Text::new(
                            format!("Còn {children} đơn vị trực thuộc đang hoạt động; hãy chuyển hoặc ngừng hoạt động các đơn vị đó trước."),
                            format!("{children} active organizations still hang under it; move or deactivate them first."),
                        ),
                    ));
                }
                let mut after = before.clone();
                after.status = OrganizationStatus::Inactive.to_string();
                after.deactivated_on = Some(on);
                after.version += 1;
                after.updated_at = tgpl_persistence::now();
                organizations::save(conn, &caller.actor(), AuditAction::OrganizationDeactivate, &before, &after)?;
                let parent = organizations::link_on(conn, &id, today())?.map(|l| l.parent_id);
                Ok((after, parent))
            }))
        })
        .await?;
    Ok(single(actix_web::http::StatusCode::OK, row, parent))
}

#[derive(Serialize, ToSchema)]
pub struct ParentLinkView {
    pub parent_id: String,
    /// First day under this parent.
    pub valid_from: NaiveDate,
    /// First day no longer under it; absent while in force.
    pub valid_to: Option<NaiveDate>,
}

/// The organization's parents over time, oldest first.
#[utoipa::path(
    operation_id = "listOrganizationParents",
    tag = "organizations",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Dated parent links.", body = Vec<ParentLinkView>),
        (status = 404, description = "No such organization in the caller's scope.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{id}/parents")]
pub async fn list_parents(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let links = state
        .db(move |conn| {
            scope::authorize(conn, &caller, Action::ReadOrganization, &id)?;
            Ok(organizations::history(conn, &id)?)
        })
        .await?;
    let views: Vec<ParentLinkView> = links
        .into_iter()
        .map(|l| ParentLinkView {
            parent_id: l.parent_id,
            valid_from: l.valid_from,
            valid_to: l.valid_to,
        })
        .collect();
    Ok(HttpResponse::Ok().json(views))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveOrganization {
    pub parent_id: String,
    /// First day under the new parent (Viet Nam date); today when absent. Statistics of
    /// earlier periods keep aggregating under the old parent.
    pub effective_from: Option<NaiveDate>,
}

/// Hangs an organization under another parent from a given day (a reorganization, such as
/// the merger of provinces on 1 July 2025). The day must come after the start of the
/// organization's latest link. A move into another province takes the organization and
/// everything below it into that province, and is recorded on or after the day it takes
/// effect. The organization's version (ETag) changes.
#[utoipa::path(
    operation_id = "moveOrganization",
    tag = "organizations",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the organization as read")),
    request_body = MoveOrganization,
    responses(
        (status = 201, description = "Moved; the new link.", body = ParentLinkView, headers(("Location" = String))),
        (status = 403, description = "The caller may not restructure here.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Organization or parent outside the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The day is not after the latest link began, or the parent is inactive.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "ETag mismatch, or a concurrent change.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong kind of parent, a cycle, or a future move into another province.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{id}/parents")]
pub async fn move_to(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<MoveOrganization>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.0;
    let link = state
        .write(move |conn| {
            // Under the tree's claim: two moves at once cannot make a cycle between them.
            if_match.settle(conn, |conn| exclusive(conn, &[Claim::new(Rule::Hierarchy, "")], |conn| {
                let org = scope::authorize(conn, &caller, Action::RestructureOrganization, &id)?;
                if_match.check(&etag(org.version))?;
                let parent = scope::authorize(conn, &caller, Action::CreateChildOrganization, &body.parent_id)?;
                let kind = org.kind.parse::<OrganizationKind>().map_err(|_| ApiError::internal())?;
                let parent_kind = parent.kind.parse::<OrganizationKind>().map_err(|_| ApiError::internal())?;
                check_parent(kind, Some(parent_kind)).map_err(parent_error)?;
                if parent.status != OrganizationStatus::Active.code() {
                    return Err(inactive_parent());
                }
                let from = body.effective_from.unwrap_or_else(today);
                // A move starts after every link the organization already has, so that it
                // never has two parents on one day.
                let history = organizations::history(conn, &id)?;
                if let Some(latest) = history.last() {
                    if latest.valid_from >= from || (latest.parent_id == parent.id && latest.valid_to.is_none()) {
                        return Err(ApiError::conflict(
                            "invalid_effective_date",
                            Text::new(
                                format!(
                                    "Ngày hiệu lực phải sau ngày bắt đầu của quan hệ trực thuộc gần nhất ({}) và đơn vị cấp trên phải khác.",
                                    latest.valid_from
                                ),
                                format!(
                                    "The effective day must be after the latest link began ({}) and the parent must differ.",
                                    latest.valid_from
                                ),
                            ),
                        ));
                    }
                }
                if move_would_cycle(&organizations::all_links(conn)?, &id, &parent.id, from) {
                    return Err(ApiError::field(
                        "parent_id",
                        "cycle",
                        "Không thể chuyển tổ chức vào dưới chính nó hoặc đơn vị trực thuộc của nó.",
                        "An organization cannot hang under itself or one of its descendants.",
                    ));
                }
                let province = resolve_province(conn, kind, parent.province_code.clone(), Some(&parent))?;
                let crosses_provinces = province != org.province_code;
                if crosses_provinces && from > today() {
                    return Err(ApiError::field(
                        "effective_from",
                        "future_province_change",
                        "Việc chuyển sang tỉnh khác được ghi nhận từ ngày có hiệu lực, không ghi trước.",
                        "A move to another province is recorded on or after the day it takes effect.",
                    ));
                }
                let actor = caller.actor();
                let mut moved = org.clone();
                moved.province_code = province.clone();
                let link = organizations::move_to(conn, &actor, &org, &moved, &parent.id, from)?;
                if crosses_provinces {
                    // Everything below follows the organization into its new province.
                    let day = today();
                    let below: Vec<String> = Hierarchy::on(day, &organizations::links_on(conn, day)?)
                        .subtree(&id)
                        .into_iter()
                        .skip(1)
                        .map(|n| n.org_id)
                        .collect();
                    for before in organizations::get_many(conn, &below)? {
                        let mut after = before.clone();
                        after.province_code = province.clone();
                        after.version += 1;
                        after.updated_at = tgpl_persistence::now();
                        organizations::save(conn, &actor, AuditAction::OrganizationUpdate, &before, &after)?;
                    }
                }
                Ok(link)
            }))
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/organizations/{}/parents", link.org_id),
        ))
        .json(ParentLinkView {
            parent_id: link.parent_id,
            valid_from: link.valid_from,
            valid_to: link.valid_to,
        }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubtreeQuery {
    /// The day whose hierarchy to show (Viet Nam date); today when absent.
    pub as_of: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct SubtreeNodeView {
    pub id: String,
    pub code: String,
    pub name: String,
    #[schema(schema_with = crate::http::schemas::organization_kind)]
    pub kind: String,
    #[schema(schema_with = crate::http::schemas::organization_status)]
    pub status: String,
    pub province_code: Option<String>,
    /// Parent on that day; absent for the requested root.
    pub parent_id: Option<String>,
    /// 0 for the requested organization.
    pub depth: usize,
}

/// An organization and everything under it as the hierarchy stood on a given day,
/// breadth first. Only organizations within the caller's scope are listed.
#[utoipa::path(
    operation_id = "readOrganizationSubtree",
    tag = "organizations",
    security(("bearer" = [])),
    params(("id" = String, Path), SubtreeQuery),
    responses(
        (status = 200, description = "The subtree.", body = Vec<SubtreeNodeView>),
        (status = 404, description = "No such organization in the caller's scope.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{id}/subtree")]
pub async fn subtree(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: Query<SubtreeQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let day = query.as_of.unwrap_or_else(today);
    let nodes = state
        .db(move |conn| {
            scope::authorize(conn, &caller, Action::ReadOrganization, &id)?;
            let visible = scope::permitted(conn, &caller, Action::ReadOrganization)?;
            let tree = Hierarchy::on(day, &organizations::links_on(conn, day)?);
            let nodes: Vec<_> = tree
                .subtree(&id)
                .into_iter()
                .filter(|n| visible.contains(&n.org_id))
                .collect();
            let ids: Vec<String> = nodes.iter().map(|n| n.org_id.clone()).collect();
            let mut rows: std::collections::HashMap<String, OrganizationRow> =
                organizations::get_many(conn, &ids)?
                    .into_iter()
                    .map(|r| (r.id.clone(), r))
                    .collect();
            Ok(nodes
                .into_iter()
                .filter_map(|n| {
                    rows.remove(&n.org_id).map(|r| SubtreeNodeView {
                        id: r.id,
                        code: r.code,
                        name: r.name,
                        kind: r.kind,
                        status: r.status,
                        province_code: r.province_code,
                        parent_id: n.parent_id,
                        depth: n.depth,
                    })
                })
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(HttpResponse::Ok().json(nodes))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganizationListQuery {
    #[param(schema_with = crate::http::schemas::organization_kind)]
    pub kind: Option<String>,
    pub province_code: Option<String>,
    #[param(schema_with = crate::http::schemas::organization_status)]
    pub status: Option<String>,
    #[param(schema_with = crate::http::schemas::participation_mode)]
    pub participation_mode: Option<String>,
    /// Only the organizations directly under this one today.
    pub parent_id: Option<String>,
    /// Searches name and code, ignoring case and Vietnamese diacritics.
    pub q: Option<String>,
    /// `name` (default), `code` or `created_at`; prefix `-` for descending.
    #[param(schema_with = organization_sorts)]
    pub sort: Option<String>,
}

/// The orders of the organization list.
fn organization_sorts() -> utoipa::openapi::Object {
    crate::http::page::sort_schema(&ORG_SORTS)
}

const ORG_SORTS: [(&str, OrgSort); 6] = [
    ("name", OrgSort::Name),
    ("-name", OrgSort::NameDesc),
    ("code", OrgSort::Code),
    ("-code", OrgSort::CodeDesc),
    ("created_at", OrgSort::CreatedAt),
    ("-created_at", OrgSort::CreatedAtDesc),
];

/// Lists the organizations in the caller's scope, filtered, sorted and paged.
#[utoipa::path(
    operation_id = "listOrganizations",
    tag = "organizations",
    security(("bearer" = [])),
    params(OrganizationListQuery, PageQuery),
    responses(
        (status = 200, description = "One page of organizations.", body = Page<OrganizationView>),
        (status = 422, description = "Invalid filter.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<OrganizationListQuery>,
    paging: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = paging.request()?;
    let query = query.0;
    let sort = parse_sort(query.sort.as_deref(), OrgSort::Name, &ORG_SORTS)?;
    let kind = parse_filter::<OrganizationKind>("kind", query.kind)?;
    let status = parse_filter::<OrganizationStatus>("status", query.status)?;
    let mode = parse_filter::<ParticipationMode>("participation_mode", query.participation_mode)?;
    let (paged, parents) = state
        .db(move |conn| {
            let day = today();
            let mut within = scope::permitted(conn, &caller, Action::ReadOrganization)?;
            if let Some(parent_id) = &query.parent_id {
                let children: Vec<String> = scope::tree_today(conn, &caller)?
                    .subtree(parent_id)
                    .into_iter()
                    .filter(|n| n.depth == 1 && within.contains(&n.org_id))
                    .map(|n| n.org_id)
                    .collect();
                within = Permitted::Only(children);
            }
            let filter = OrgFilter {
                within: within.as_filter(),
                kind,
                province_code: query.province_code,
                status,
                participation_mode: mode,
                search: search_term(query.q.as_deref()),
                sort,
            };
            let paged = organizations::list(conn, &filter, page)?;
            let ids: Vec<String> = paged.items.iter().map(|r| r.id.clone()).collect();
            let parents = organizations::parents_on(conn, &ids, day)?;
            Ok((paged, parents))
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::new(&req, page, paged, |row| {
        let parent = parents.get(&row.id).cloned();
        OrganizationView::new(row, parent)
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_parse() {
        let parse = |raw| parse_sort(raw, OrgSort::Name, &ORG_SORTS);
        assert_eq!(parse(None).unwrap(), OrgSort::Name);
        assert_eq!(parse(Some("-code")).unwrap(), OrgSort::CodeDesc);
        assert!(parse(Some("password")).is_err());
    }

    #[test]
    fn patch_distinguishes_absent_from_null() {
        let patch: UpdateOrganization = serde_json::from_str(r#"{"phone": null}"#).unwrap();
        assert_eq!(patch.phone, Some(None));
        assert_eq!(patch.address, None);
    }
}
