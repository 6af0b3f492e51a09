//! Registering a person aided (with the duplicate check), reading and correcting the record.

use super::*;
use crate::services::provinces::check_province;
use tgpl_persistence::versioned::save_revision;

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
    #[schema(schema_with = crate::http::schemas::phone)]
    #[validate(custom(function = "crate::http::text::phone"))]
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

/// Records a person aided. When the same citizen ID, or the same name (ignoring case and
/// diacritics) and date of birth, is already recorded where the caller can see it, answers
/// 409 `possible_duplicates` with the candidates so that the existing record can be used;
/// send `create_anyway: true` to create a new one all the same.
#[utoipa::path(
    operation_id = "createRecipient",
    tag = "recipients",
    request_body = CreateRecipient,
    responses(
        (status = 201, description = "Created.", body = RecipientView, headers(("ETag" = String), ("Location" = String))),
        (status = 409, description = "Possible duplicates (`possible_duplicates`: `candidates` lists them), or the organization stopped operating (`organization_inactive`).", body = Problem),
    )
)]
#[post("/recipients")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: ValidJson<CreateRecipient>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let person = new_record(
        body.organization_id.clone(),
        Identity {
            full_name: &body.full_name,
            gender: body.gender,
            date_of_birth: body.date_of_birth,
            ethnicity: body.ethnicity,
            citizen_id: body.citizen_id.as_deref(),
        },
    )?;
    let row = state
        .write(move |conn| {
            let org = scope::authorize(
                conn,
                &caller,
                Action::ManageRecipient,
                &body.organization_id,
            )?;
            crate::services::casework::check_records_cases(&caller)?;
            crate::services::casework::check_operating(&org)?;
            check_province(conn, "province_code", body.province_code.as_deref())?;
            let row = RecipientRow {
                province_code: body.province_code,
                commune: body.commune,
                address: body.address,
                phone: body.phone,
                email: body.email,
                ..person
            };
            register_person(conn, &caller, row, body.create_anyway)?
        })
        .await?;
    Ok(respond(StatusCode::CREATED, row, &[]))
}

/// One recipient, with proofs and statistical category. The read is logged.
#[utoipa::path(
    operation_id = "readRecipient",
    tag = "recipients",
    responses(
        (status = 200, description = "The person.", body = RecipientView, headers(("ETag" = String))),
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
            let entry = access_entry(&caller, &id, DataAccess::Read);
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
    #[schema(value_type = String, min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    #[serde(default, deserialize_with = "crate::http::text::kept_or_name")]
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
    #[schema(schema_with = crate::http::schemas::phone)]
    #[validate(custom(function = "crate::http::text::phone"))]
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
    params(("If-Match" = String, Header, description = "ETag of the record as read")),
    request_body = UpdateRecipient,
    responses(
        (status = 200, description = "Updated.", body = RecipientView, headers(("ETag" = String))),
        (status = 409, description = "Another record where the caller may read recipients has the citizen ID given (`citizen_id_recorded`).", body = Problem),
        (status = 422, description = "A field is refused: a citizen ID that does not agree with gender and year of birth; a date of birth after the record's first day (`after_records`); the Kinh group for a person with a proof of the ethnic minority category (`ethnicity`: `category_proven`).", body = Problem),
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
            if_match.require_current(&before)?;
            let mut after = before.clone();
            if let Some(v) = body.full_name {
                after.full_name = person_name("full_name", &v)?;
                after.name_key = name_key(&after.full_name);
            }
            patch::set(&mut after.gender, body.gender.map(|v| v.map(Code)));
            if body.date_of_birth.is_some() {
                patch::set(&mut after.date_of_birth, body.date_of_birth);
                check_born_before_record(
                    after.date_of_birth,
                    recipients::earliest_record_day(conn, &id)?,
                )?;
            }
            if body.ethnicity.is_some() {
                patch::set(&mut after.ethnicity, body.ethnicity.map(|v| v.map(Code)));
                let proven = recipients::proofs_of(conn, std::slice::from_ref(&id))?
                    .into_iter()
                    .filter_map(|p| p.category.map(|c| *c));
                check_ethnicity_keeps_proofs(after.ethnicity.map(|e| *e), proven)?;
            }
            patch::set(&mut after.citizen_id, body.citizen_id);
            patch::set(&mut after.province_code, body.province_code);
            patch::set(&mut after.commune, body.commune);
            patch::set(&mut after.address, body.address);
            patch::set(&mut after.phone, body.phone);
            patch::set(&mut after.email, body.email);
            let gender = after.gender.map(|g| g.0);
            after.citizen_id = check_identity(
                after.citizen_id.as_deref(),
                gender,
                after.date_of_birth,
                today(),
            )
            .map_err(ApiError::refused)?
            .map(|id| id.as_str().to_owned());
            check_province(conn, "province_code", after.province_code.as_deref())?;
            let save = |conn: &mut DbConnection, after: RecipientRow| {
                write_transaction(conn, |conn| {
                    let after = save_revision(&before, after, |before, after| {
                        recipients::save(conn, &caller.actor(), before, after)
                    })?;
                    recipients::log_access(conn, &[access_entry(&caller, &id, DataAccess::Read)])?;
                    Ok::<_, ApiError>(after)
                })
            };
            let after = match after.citizen_id.clone() {
                Some(number) if after.citizen_id != before.citizen_id => {
                    with_citizen_id_free(conn, &caller, &id, &number, |conn| save(conn, after))?
                }
                _ => save(conn, after)?,
            };
            Ok((after, recipients::proofs_of(conn, &[id])?))
        })
        .await?;
    Ok(respond(StatusCode::OK, row, &proofs))
}
