//! Legal aid organizations of every kind, in a hierarchy whose parent links carry dates.
//!
//! - [`records`]: creating, reading and updating organizations; [`listing`]: their lists.
//! - [`hierarchy`]: the dated parent links: moves, deactivation, a subtree as of a day.
//! - here: what they answer with, and the participation details they share.

mod hierarchy;
mod listing;
mod records;

pub use hierarchy::{
    deactivate, list_parents, move_to, subtree, DeactivateOrganization, MoveOrganization,
    SubtreeQuery,
};
pub use listing::{list, OrganizationListQuery};
pub use records::{create, read, update, CreateOrganization, UpdateOrganization};

use actix_web::http::header;
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tgpl_domain::access::{Action, SystemAction};
use tgpl_domain::audit::AuditAction;
use tgpl_domain::hierarchy::{move_would_cycle, Hierarchy};
use tgpl_domain::organization::{
    check_parent, check_participation, OrgCode, OrganizationKind, OrganizationStatus,
    Participation, ParticipationMode, ParticipationScope, ParticipationStatus,
};
use tgpl_domain::reference::{AidForm, Field, RecipientCategory};
use tgpl_persistence::column::{Code, Json};
use tgpl_persistence::exclusive::{exclusive, Claim, Rule};
use tgpl_persistence::organizations::{self, OrgFilter, OrgSort, OrganizationRow};
use tgpl_persistence::{provinces, DbConnection};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::Caller;
use crate::http::error::ApiError;
use crate::http::extract::{present, record, IfMatch, OptionalJson, Query, ValidJson};
use crate::http::lang::Text;
use crate::http::page::{parse_filter, parse_sort, search_term, Page, PageQuery};
use crate::http::patch;
use crate::routes::account_common::utc;
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
        let mode = row.participation_mode?.0;
        let scope = row
            .participation_scope
            .clone()
            .map(|s| s.0)
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
    row.participation_mode = p.map(|p| Code(p.mode));
    row.certificate_number = p.and_then(|p| p.certificate_number.clone());
    row.participation_scope = p.map(|p| Json(p.scope.clone()));
    row.participation_valid_from = p.map(|p| p.valid_from);
    row.participation_valid_to = p.and_then(|p| p.valid_to);
}

/// Records new participation details: an amendment (dated today) while the participation
/// is in force, otherwise a new registration or contract standing. Returns the audited
/// action.
fn record_participation(row: &mut OrganizationRow, p: Option<&Participation>) -> AuditAction {
    let in_force = row.participation_status == Some(Code(ParticipationStatus::Active));
    set_participation(row, p);
    match (p, in_force) {
        (Some(_), true) => {
            row.participation_amended_on = Some(today());
            AuditAction::ParticipationAmend
        }
        (Some(_), false) => {
            row.participation_status = Some(Code(ParticipationStatus::Active));
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
    pub status: ParticipationStatus,
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
                .map_or(ParticipationStatus::Active, |s| s.0),
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
    check_participation(kind, &domain).map_err(ApiError::refused)?;
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
    pub kind: OrganizationKind,
    /// Province code (see `/api/v1/provinces`); absent for national organizations.
    #[schema(example = "ha_noi")]
    pub province_code: Option<String>,
    /// The parent today; absent for roots.
    pub parent_id: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    #[schema(schema_with = crate::http::schemas::organization_status)]
    pub status: OrganizationStatus,
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
            kind: *row.kind,
            province_code: row.province_code,
            parent_id,
            address: row.address,
            phone: row.phone,
            email: row.email,
            status: *row.status,
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

/// Resolves the province of a new or moved organization: its own when given, else its
/// parent's; must exist and be in force, and must agree with the parent's.
fn resolve_province(
    conn: &mut DbConnection,
    kind: OrganizationKind,
    given: Option<String>,
    parent: Option<&OrganizationRow>,
) -> Result<Option<String>, ApiError> {
    if !kind.is_provincial() {
        match &given {
            None => return Ok(None),
            Some(_) if kind.may_name_province() => {}
            Some(_) => {
                return Err(ApiError::field(
                    "province_code",
                    "not_provincial",
                    "Tổ chức cấp trung ương không gắn với tỉnh.",
                    "National organizations belong to no province.",
                ))
            }
        }
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

/// Checks that `parent` may take an organization of `kind` under it from `from`, when it is
/// created or moved there: of a kind `kind` hangs under ([`check_parent`], 422 on
/// `parent_id`), in the hierarchy that day (409 `parent_not_in_place`: an organization hung
/// under one that hung under nothing would be in no Department's tree), and still active
/// (409 `parent_inactive`).
fn check_new_parent(
    conn: &mut DbConnection,
    kind: OrganizationKind,
    parent: &OrganizationRow,
    from: NaiveDate,
) -> Result<(), ApiError> {
    check_parent(kind, Some(*parent.kind)).map_err(ApiError::refused)?;
    if !parent.kind.is_root() && organizations::link_on(conn, &parent.id, from)?.is_none() {
        return Err(ApiError::conflict(
            "parent_not_in_place",
            Text::new(
                format!("Ngày {from}, đơn vị cấp trên chưa (hoặc không còn) trực thuộc đơn vị nào trong hệ thống."),
                format!("On {from} the parent hung under no organization of the hierarchy (not yet, or no longer)."),
            ),
        ));
    }
    if *parent.status != OrganizationStatus::Active {
        return Err(ApiError::conflict(
            "parent_inactive",
            Text::new(
                "Đơn vị cấp trên đã ngừng hoạt động.",
                "The parent organization is inactive.",
            ),
        ));
    }
    Ok(())
}
