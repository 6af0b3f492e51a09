//! Organizations as records: create, read, update, list.

use super::*;
use tgpl_persistence::versioned::save_revision;

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
    #[schema(schema_with = crate::http::schemas::phone)]
    #[validate(custom(function = "crate::http::text::phone"))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub phone: Option<String>,
    #[schema(format = Email)]
    #[validate(email)]
    pub email: Option<String>,
    #[validate(nested)]
    pub participation: Option<ParticipationBody>,
}

/// Creates an organization under a parent within the caller's scope.
#[utoipa::path(
    operation_id = "createOrganization",
    tag = "organizations",
    request_body = CreateOrganization,
    responses(
        (status = 201, description = "Created.", body = OrganizationView, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "The caller may not create organizations there.", body = Problem),
        (status = 409, description = "Code taken (`code_taken`), the parent inactive (`parent_inactive`), or not in the hierarchy on `valid_from` (`parent_not_in_place`).", body = Problem),
    )
)]
#[post("/organizations")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: ValidJson<CreateOrganization>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let code = OrgCode::parse(&body.code).map_err(ApiError::refused)?;
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
                        // A kind that needs a parent is told so, whoever asks.
                        check_parent(body.kind, None).map_err(ApiError::refused)?;
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
                if let Some(parent) = &parent {
                    check_new_parent(
                        conn,
                        body.kind,
                        parent,
                        body.valid_from.unwrap_or_else(today),
                    )?;
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
                    body.kind,
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
    responses(
        (status = 200, description = "The organization.", body = OrganizationView, headers(("ETag" = String))),
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
    #[schema(value_type = String)]
    #[serde(default, deserialize_with = "crate::http::text::kept_or_name")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::http::text::present_name")]
    #[schema(value_type = Option<String>)]
    pub name_en: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::http::text::present_name")]
    #[schema(schema_with = crate::http::schemas::phone)]
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
        if let Some(Some(phone)) = &self.phone {
            if let Err(e) = crate::http::text::phone(phone) {
                errors.add("phone", e);
            }
        }
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
    params(("If-Match" = String, Header, description = "ETag of the organization as read")),
    request_body = UpdateOrganization,
    responses(
        (status = 200, description = "Updated.", body = OrganizationView, headers(("ETag" = String))),
        (status = 403, description = "The caller may not change this organization.", body = Problem),
        (status = 409, description = "The participation mode cannot change once the organization has a participation history.", body = Problem),
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
            if_match.require_current(&before)?;
            let kind = *before.kind;
            let mut after = before.clone();
            if let Some(name) = body.name {
                after.name = name.trim().to_owned();
            }
            patch::set(&mut after.name_en, body.name_en);
            patch::set(&mut after.address, body.address);
            patch::set(&mut after.phone, body.phone);
            patch::set(&mut after.email, body.email);
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
                if let Some(p) = &checked {
                    tgpl_domain::participation::check_mode(
                        before.participation_mode.map(|m| m.0),
                        p.mode,
                    )
                    .map_err(|_| {
                        ApiError::conflict(
                            "participation_has_history",
                            Text::new(
                                "Tổ chức đã tham gia theo một hình thức; hình thức tham gia không đổi (hãy chấm dứt, rồi ghi nhận lần tham gia mới theo cùng hình thức).",
                                "The organization took part in one mode; the mode does not change (terminate, then record a new participation in the same mode).",
                            ),
                        )
                    })?;
                }
                action = record_participation(&mut after, checked.as_ref());
            }
            after.refresh_search_text();
            let after = save_revision(&before, after, |before, after| {
                organizations::save(conn, &caller.actor(), action, before, after)
            })?;
            let parent = organizations::link_on(conn, &id, today())?.map(|l| l.parent_id);
            Ok((after, parent))
        })
        .await?;
    Ok(single(actix_web::http::StatusCode::OK, row, parent))
}
