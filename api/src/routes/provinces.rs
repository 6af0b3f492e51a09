//! Provinces: reference data that the Agency maintains (the 34 units in force since
//! 1 July 2025 are loaded by the first migration).

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tgpl_domain::access::SystemAction;
use tgpl_persistence::exclusive::{exclusive, Claim, Rule};
use tgpl_persistence::provinces::{self, ProvinceRow};
use tgpl_persistence::versioned::save_revision;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::account_common::utc;
use crate::auth::Caller;
use crate::http::error::ApiError;
use crate::http::extract::{record, IfMatch, Query, ValidJson};
use crate::http::lang::Text;
use crate::scope;
use crate::state::AppState;

type Problem = crate::http::error::Problem;

#[derive(Serialize, ToSchema)]
pub struct ProvinceView {
    #[schema(example = "ha_noi")]
    pub code: String,
    #[schema(example = "Hà Nội")]
    pub name_vi: String,
    #[schema(example = "Ha Noi")]
    pub name_en: String,
    /// `city` (thành phố trực thuộc trung ương) or `province` (tỉnh).
    pub kind: String,
    /// Whether it is a provincial unit in force.
    pub active: bool,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

impl From<ProvinceRow> for ProvinceView {
    fn from(p: ProvinceRow) -> Self {
        Self {
            code: p.code,
            name_vi: p.name_vi,
            name_en: p.name_en,
            kind: p.kind,
            active: p.active,
            version: p.version,
            updated_at: utc(p.updated_at),
        }
    }
}

fn single(status: actix_web::http::StatusCode, row: ProvinceRow) -> HttpResponse {
    let (code, version) = (row.code.clone(), row.version);
    record(
        status,
        "/api/v1/provinces",
        &code,
        version,
        &ProvinceView::from(row),
    )
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProvinceListQuery {
    /// Also list provinces no longer in force (for history).
    pub include_inactive: Option<bool>,
}

/// The provinces, those in force first.
#[utoipa::path(
    operation_id = "listProvinces",
    tag = "reference",
    params(ProvinceListQuery),
    responses(
        (status = 200, description = "Provinces.", body = Vec<ProvinceView>),
    )
)]
#[get("/provinces")]
pub async fn list(
    state: web::Data<AppState>,
    _caller: Caller,
    query: Query<ProvinceListQuery>,
) -> Result<HttpResponse, ApiError> {
    let include_inactive = query.include_inactive.unwrap_or(false);
    let rows = state
        .db(move |conn| Ok(provinces::list(conn, include_inactive)?))
        .await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(ProvinceView::from).collect::<Vec<_>>()))
}

/// One province.
#[utoipa::path(
    operation_id = "readProvince",
    tag = "reference",
    responses(
        (status = 200, description = "The province.", body = ProvinceView, headers(("ETag" = String))),
    )
)]
#[get("/provinces/{code}")]
pub async fn read(
    state: web::Data<AppState>,
    _caller: Caller,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    let row = state
        .db(move |conn| Ok(provinces::get(conn, &code)?))
        .await?;
    Ok(single(actix_web::http::StatusCode::OK, row))
}

fn check_kind(kind: &str) -> Result<(), ApiError> {
    if matches!(kind, "city" | "province") {
        Ok(())
    } else {
        Err(ApiError::field(
            "kind",
            "unknown_code",
            "Loại là `city` hoặc `province`.",
            "kind is `city` or `province`.",
        ))
    }
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateProvince {
    /// snake_case ASCII, e.g. `ha_noi`.
    #[schema(min_length = 2, max_length = 40)]
    #[validate(length(min = 2, max = 40))]
    #[serde(deserialize_with = "crate::http::text::name")]
    pub code: String,
    #[schema(min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    #[serde(deserialize_with = "crate::http::text::name")]
    pub name_vi: String,
    #[schema(min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    #[serde(deserialize_with = "crate::http::text::name")]
    pub name_en: String,
    /// `city` or `province`.
    #[serde(deserialize_with = "crate::http::text::name")]
    pub kind: String,
}

/// Adds a province (data centre only).
#[utoipa::path(
    operation_id = "createProvince",
    tag = "reference",
    request_body = CreateProvince,
    responses(
        (status = 201, description = "Created.", body = ProvinceView, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Only the data centre maintains provinces.", body = Problem),
        (status = 409, description = "Code taken.", body = Problem),
    )
)]
#[post("/provinces")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: ValidJson<CreateProvince>,
) -> Result<HttpResponse, ApiError> {
    scope::authorize_system(&caller, SystemAction::ManageReferenceData)?;
    let body = body.0;
    if !body
        .code
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b == b'_')
    {
        return Err(ApiError::field(
            "code",
            "invalid_format",
            "Mã chỉ gồm chữ thường không dấu và _.",
            "Codes are lower-case ASCII letters and _.",
        ));
    }
    check_kind(&body.kind)?;
    let row = state
        .write(move |conn| {
            let claim = Claim::new(Rule::ProvinceCode, body.code.as_str());
            exclusive(conn, &[claim], |conn| {
                match provinces::get(conn, &body.code) {
                    Err(tgpl_persistence::StoreError::NotFound) => {}
                    Ok(_) => {
                        return Err(ApiError::conflict(
                            "code_taken",
                            Text::new("Mã tỉnh đã tồn tại.", "The province code exists."),
                        ))
                    }
                    Err(e) => return Err(e.into()),
                }
                let now = tgpl_persistence::now();
                let row = ProvinceRow {
                    code: body.code,
                    name_vi: body.name_vi,
                    name_en: body.name_en,
                    kind: body.kind,
                    active: true,
                    version: 1,
                    created_at: now,
                    updated_at: now,
                };
                provinces::insert(conn, &caller.actor(), &row)?;
                Ok(row)
            })
        })
        .await?;
    Ok(single(actix_web::http::StatusCode::CREATED, row))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateProvince {
    #[schema(value_type = String, min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    #[serde(default, deserialize_with = "crate::http::text::kept_or_name")]
    pub name_vi: Option<String>,
    #[schema(value_type = String, min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    #[serde(default, deserialize_with = "crate::http::text::kept_or_name")]
    pub name_en: Option<String>,
    #[schema(value_type = String)]
    #[serde(default, deserialize_with = "crate::http::text::kept_or_name")]
    pub kind: Option<String>,
    /// `false` when the unit is no longer in force (after a merger).
    #[schema(value_type = bool)]
    #[serde(default, deserialize_with = "crate::http::extract::kept")]
    pub active: Option<bool>,
}

/// Changes a province (data centre only). Requires `If-Match`.
#[utoipa::path(
    operation_id = "updateProvince",
    tag = "reference",
    params(("If-Match" = String, Header, description = "ETag of the province as read")),
    request_body = UpdateProvince,
    responses(
        (status = 200, description = "Updated.", body = ProvinceView, headers(("ETag" = String))),
        (status = 403, description = "Only the data centre maintains provinces.", body = Problem),
    )
)]
#[patch("/provinces/{code}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    code: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<UpdateProvince>,
) -> Result<HttpResponse, ApiError> {
    scope::authorize_system(&caller, SystemAction::ManageReferenceData)?;
    let body = body.0;
    if let Some(kind) = &body.kind {
        check_kind(kind)?;
    }
    let code = code.into_inner();
    let row = state
        .write(move |conn| {
            let before = provinces::get(conn, &code)?;
            if_match.require_current(&before)?;
            let mut after = before.clone();
            after.name_vi = body.name_vi.unwrap_or(after.name_vi);
            after.name_en = body.name_en.unwrap_or(after.name_en);
            after.kind = body.kind.unwrap_or(after.kind);
            after.active = body.active.unwrap_or(after.active);
            Ok(save_revision(&before, after, |before, after| {
                provinces::save(conn, &caller.actor(), before, after)
            })?)
        })
        .await?;
    Ok(single(actix_web::http::StatusCode::OK, row))
}
