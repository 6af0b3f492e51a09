//! What the portal calls: filing a dossier, sending documents and supplements, reading a
//! dossier. Every `POST` is safe to send again (see `crate::services::idempotency`).

use super::*;
use tgpl_domain::portal::dossier::{check_intake, check_receipt_time, ApplicantKind, IntakeShape};
use tgpl_domain::recipient::check_identity;
use tgpl_domain::reference::{EthnicGroup, Field, Gender, RecipientCategory};
use tgpl_domain::refusal::Refusal;
use tgpl_persistence::organizations;
use tgpl_persistence::portal::idempotency::Answer;

/// The applicant (chủ hồ sơ).
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    #[schema(schema_with = crate::http::schemas::applicant_kind)]
    pub kind: ApplicantKind,
    /// A person's full name, or an organization's name.
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    #[serde(deserialize_with = "crate::http::text::name")]
    pub name: String,
    /// A person's 12-digit citizen ID (required for a person).
    #[schema(example = "001305012345")]
    pub citizen_id: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    #[schema(schema_with = crate::http::schemas::or_null::gender)]
    pub gender: Option<Gender>,
    /// An organization's tax or registration number.
    #[schema(min_length = 1, max_length = 50)]
    #[validate(length(min = 1, max = 50))]
    pub registration_number: Option<String>,
    #[schema(min_length = 1, max_length = 500)]
    #[validate(length(min = 1, max = 500))]
    pub address: Option<String>,
}

/// How to reach the applicant: a phone number or an email address at least.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[schema(min_length = 1, max_length = 50)]
    #[validate(length(min = 1, max = 50))]
    pub phone: Option<String>,
    #[schema(format = Email)]
    #[validate(email)]
    pub email: Option<String>,
    #[schema(min_length = 1, max_length = 500)]
    #[validate(length(min = 1, max = 500))]
    pub address: Option<String>,
}

/// The person to be aided (Law on Legal Aid 2017 art. 7, 29).
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AidedPerson {
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
    pub citizen_id: Option<String>,
    pub province_code: Option<String>,
    #[schema(min_length = 1, max_length = 500)]
    #[validate(length(min = 1, max = 500))]
    pub address: Option<String>,
}

/// The document proving the person's category.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProofDocument {
    /// What the document is (`Giấy chứng nhận hộ nghèo`).
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    pub document_kind: String,
    #[schema(min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    pub document_number: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    pub issuer: Option<String>,
    pub issued_on: Option<NaiveDate>,
}

/// What a request for legal aid carries beyond the common fields.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalAidPart {
    #[validate(nested)]
    pub person: AidedPerson,
    #[schema(schema_with = crate::http::schemas::recipient_category)]
    pub category: RecipientCategory,
    #[validate(nested)]
    pub proof: ProofDocument,
    #[schema(schema_with = crate::http::schemas::field)]
    pub field: Field,
    /// The matter, in brief.
    #[schema(min_length = 1, max_length = 4000)]
    #[validate(length(min = 1, max = 4000))]
    pub matter: String,
    /// The applicant's relation to the person, when someone asks for another.
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    pub relation: Option<String>,
}

/// A dossier as the portal hands it over.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitDossier {
    /// The portal's dossier code (mã hồ sơ): 1 to 64 letters, digits and `.-_/`. A dossier
    /// is filed once: the same code with the same content answers the first answer again.
    #[schema(min_length = 1, max_length = 64, example = "000.00.22.H26-261201-0001")]
    pub dossier_code: String,
    /// The national procedure code (see `GET /api/v1/portal/procedures`).
    #[schema(min_length = 1, max_length = 64)]
    pub procedure_code: String,
    /// The handling organization (see `GET /api/v1/organizations`).
    pub organization_id: String,
    /// When the portal received it (RFC 3339, any offset).
    pub received_at: DateTime<Utc>,
    /// `online` unless filed at a counter or by post.
    #[schema(schema_with = crate::http::schemas::or_null::channel)]
    pub channel: Option<Channel>,
    #[validate(nested)]
    pub applicant: Applicant,
    #[validate(nested)]
    pub contact: Contact,
    /// Trích yếu.
    #[schema(min_length = 1, max_length = 2000)]
    #[validate(length(min = 1, max = 2000))]
    pub summary: String,
    /// Required for a request for legal aid, refused for the other procedures.
    #[validate(nested)]
    pub legal_aid: Option<LegalAidPart>,
    /// The code of the case concerned: required for a change of provider and a complaint.
    #[schema(min_length = 1, max_length = 64)]
    #[validate(length(min = 1, max = 64))]
    pub case_code: Option<String>,
    /// The collaborator's card to reissue.
    #[schema(min_length = 1, max_length = 64)]
    #[validate(length(min = 1, max = 64))]
    pub card_number: Option<String>,
    /// Documents inline (at most 20, within the request's 256 KiB); larger ones through
    /// `POST /api/v1/portal/dossiers/{id}/documents`.
    #[validate(length(max = 20), nested)]
    #[serde(default)]
    pub documents: Vec<InlineDocument>,
}

fn dossier_code_ok(code: &str) -> bool {
    (1..=64).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'/'))
}

/// Every refusal that needs no stored data.
fn static_errors(body: &SubmitDossier, now: DateTime<Utc>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut refused = |prefix: &str, r: tgpl_domain::refusal::FieldRefusal| {
        errors.push(FieldError::new(
            format!("{prefix}{}", r.field),
            r.code,
            r.vi,
            r.en,
        ));
    };
    if !dossier_code_ok(&body.dossier_code) {
        refused(
            "",
            tgpl_domain::refusal::FieldRefusal::new(
                "dossier_code",
                "invalid",
                "Mã hồ sơ gồm 1 đến 64 chữ cái, chữ số và các ký tự . - _ /.",
                "A dossier code is 1 to 64 letters, digits and . - _ /.",
            ),
        );
    }
    let today = tgpl_domain::time::vietnam_date(now);
    let applicant = &body.applicant;
    let not_for = |field: &str, vi: &str, en: &str| {
        tgpl_domain::refusal::FieldRefusal::new(field, "not_for_applicant", vi, en)
    };
    match applicant.kind {
        ApplicantKind::Person => {
            if applicant.citizen_id.is_none() {
                refused(
                    "applicant.",
                    tgpl_domain::refusal::FieldRefusal::new(
                        "citizen_id",
                        "required",
                        "Người nộp là cá nhân cần số định danh cá nhân.",
                        "A person filing gives their citizen ID.",
                    ),
                );
            }
            if applicant.registration_number.is_some() {
                refused(
                    "applicant.",
                    not_for(
                        "registration_number",
                        "Số đăng ký chỉ dành cho tổ chức.",
                        "Only an organization has a registration number.",
                    ),
                );
            }
        }
        ApplicantKind::Organization => {
            let personal = [
                ("citizen_id", applicant.citizen_id.is_some()),
                ("gender", applicant.gender.is_some()),
                ("date_of_birth", applicant.date_of_birth.is_some()),
            ];
            for (field, given) in personal {
                if given {
                    refused(
                        "applicant.",
                        not_for(
                            field,
                            "Tổ chức không có trường này.",
                            "An organization has no such field.",
                        ),
                    );
                }
            }
        }
    }
    if let Some(phone) = &body.contact.phone {
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        let allowed = phone
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '.' | '(' | ')'));
        if !allowed || !(8..=15).contains(&digits) {
            refused(
                "contact.",
                tgpl_domain::refusal::FieldRefusal::new(
                    "phone",
                    "invalid_phone",
                    "Số điện thoại gồm 8 đến 15 chữ số (có thể có +, dấu cách, -, ., ngoặc).",
                    "A phone number is 8 to 15 digits (with +, spaces, -, . or brackets).",
                ),
            );
        }
    }
    if let Err(e) = check_identity(
        applicant.citizen_id.as_deref(),
        applicant.gender,
        applicant.date_of_birth,
        today,
    ) {
        refused("applicant.", e.field_refusal());
    }
    if body.contact.phone.is_none() && body.contact.email.is_none() {
        refused(
            "contact.",
            tgpl_domain::refusal::FieldRefusal::new(
                "phone",
                "required",
                "Cần số điện thoại hoặc thư điện tử để liên hệ.",
                "Give a phone number or an email address.",
            ),
        );
    }
    if let Some(part) = &body.legal_aid {
        let person = &part.person;
        if let Err(e) = check_identity(
            person.citizen_id.as_deref(),
            person.gender,
            person.date_of_birth,
            today,
        ) {
            refused("legal_aid.person.", e.field_refusal());
        }
        if let Some(born) = person.date_of_birth {
            let on = tgpl_domain::time::vietnam_date(body.received_at);
            if let Some(r) = tgpl_domain::recipient::check_category_age(part.category, born, on) {
                refused("legal_aid.", r);
            }
        }
        if part.proof.issued_on.is_some_and(|d| d > today) {
            refused(
                "legal_aid.proof.",
                tgpl_domain::refusal::FieldRefusal::new(
                    "issued_on",
                    "in_future",
                    "Ngày cấp giấy tờ không thể ở tương lai.",
                    "The day of issue cannot be in the future.",
                ),
            );
        }
    }
    errors
}

/// 409: another dossier was filed under the code.
fn code_taken(code: &str) -> ApiError {
    ApiError::conflict(
        "dossier_code_conflict",
        Text::new(
            format!("Mã hồ sơ `{code}` đã được nộp với nội dung khác."),
            format!("The dossier code `{code}` was filed with other content."),
        ),
    )
}

/// Files a dossier: validated as strictly as data entered by hand (every bad field listed,
/// nothing stored), given its promised return date in working days, and recorded as
/// `received` with its first progress entry. Idempotent by `dossier_code`: the same code
/// with the same content answers the first answer again (same id, 201, with
/// `Idempotent-Replayed: true`), concurrent retries create one dossier, and the same code
/// with other content is 409 `dossier_code_conflict`. The portal only.
#[utoipa::path(
    operation_id = "submitDossier",
    tag = "portal",
    security(("bearer" = [])),
    request_body = SubmitDossier,
    responses(
        (status = 201, description = "Filed (or the first answer, replayed).", body = DossierView, headers(("Location" = String), ("Idempotent-Replayed" = String, description = "`true` on a replay"))),
        (status = 403, description = "Only the portal files dossiers.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The code was filed with other content.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid: every bad field is listed.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/portal/dossiers")]
pub async fn submit_dossier(
    state: web::Data<AppState>,
    caller: Caller,
    body: ShapedJson<SubmitDossier>,
) -> Result<HttpResponse, ApiError> {
    scope::authorize_system(&caller, SystemAction::SubmitDossiers)?;
    let mut body = body.0;
    // The default written out is the same content as the default left out.
    body.channel = Some(body.channel.unwrap_or(Channel::Online));
    let hash = idempotency::request_hash(&body)?;
    let now = tgpl_persistence::now();
    let mut errors = validation_errors(&body);
    errors.extend(static_errors(&body, now.and_utc()));
    let id = tgpl_persistence::new_id();
    let documents = read_documents(
        "documents",
        &body.documents,
        &id,
        state.attachment_limit,
        &mut errors,
    );
    let key = Key {
        scope: "dossier".to_owned(),
        value: body.dossier_code.clone(),
    };
    let (answer, replayed) = state
        .write(move |conn| {
            let code = body.dossier_code.clone();
            idempotency::once(
                conn,
                &key,
                &hash,
                || code_taken(&code),
                |conn| {
                    let row = intake_row(conn, &body, id, now.and_utc(), errors)?;
                    recorded::submit(conn, &caller.actor(), &row, &documents)?;
                    let location = format!("/api/v1/portal/dossiers/{}", row.id);
                    let view = DossierView::full(conn, row)?;
                    idempotency::answer(StatusCode::CREATED, Some(location), &view)
                },
            )
        })
        .await?;
    Ok(idempotency::respond(answer, replayed))
}

/// The dossier to store for `body`, or 422 listing `errors` and what the stored procedures
/// and organizations refuse.
fn intake_row(
    conn: &mut DbConnection,
    body: &SubmitDossier,
    id: String,
    now: DateTime<Utc>,
    mut errors: Vec<FieldError>,
) -> Result<DossierRow, ApiError> {
    let calendar = stored_reference::working_calendar(conn)?;
    if let Some(r) = check_receipt_time(body.received_at, now, &calendar) {
        errors.push(FieldError::new(r.field, r.code, r.vi, r.en));
    }
    let procedure = match stored_reference::procedure(conn, &body.procedure_code) {
        Ok(p) if p.active => Some(p),
        Ok(_) | Err(tgpl_persistence::StoreError::NotFound) => {
            errors.push(FieldError::new(
                "procedure_code",
                "unknown_procedure",
                format!(
                    "Không có thủ tục đang áp dụng mã `{}`.",
                    body.procedure_code
                ),
                format!(
                    "No procedure in force has the code `{}`.",
                    body.procedure_code
                ),
            ));
            None
        }
        Err(e) => return Err(e.into()),
    };
    let organization = match organizations::get(conn, &body.organization_id) {
        Ok(o) => Some(o),
        Err(tgpl_persistence::StoreError::NotFound) => {
            errors.push(FieldError::new(
                "organization_id",
                "unknown_organization",
                "Không có tổ chức này.",
                "No such organization.",
            ));
            None
        }
        Err(e) => return Err(e.into()),
    };
    if let (Some(procedure), Some(org)) = (&procedure, &organization) {
        let active = *org.status == tgpl_domain::organization::OrganizationStatus::Active;
        if !active || !procedure.kind.handled_by().contains(&org.kind) {
            errors.push(FieldError::new(
                "organization_id",
                "not_handling",
                format!(
                    "Tổ chức này không giải quyết thủ tục `{}`.",
                    procedure.kind.label().vi
                ),
                format!(
                    "This organization does not handle `{}`.",
                    procedure.kind.label().en
                ),
            ));
        }
    }
    if let (Some(procedure), Some(org), Some(code)) = (&procedure, &organization, &body.case_code) {
        if procedure.kind.concerns_a_case() && !case_known(conn, org, code)? {
            errors.push(FieldError::new(
                "case_code",
                "unknown_case",
                format!("Tổ chức giải quyết không có vụ việc mã `{code}`."),
                format!("The handling organization has no case `{code}`."),
            ));
        }
    }
    if let Some(procedure) = &procedure {
        let shape = IntakeShape {
            has_legal_aid_request: body.legal_aid.is_some(),
            has_case_code: body.case_code.is_some(),
            has_card_number: body.card_number.is_some(),
        };
        for r in check_intake(*procedure.kind, shape) {
            errors.push(FieldError::new(r.field, r.code, r.vi, r.en));
        }
    }
    if let Some(province) = body
        .legal_aid
        .as_ref()
        .and_then(|p| p.person.province_code.as_deref())
    {
        if matches!(
            tgpl_persistence::provinces::get(conn, province),
            Err(tgpl_persistence::StoreError::NotFound)
        ) {
            errors.push(FieldError::new(
                "legal_aid.person.province_code",
                "unknown_province",
                format!("Không có tỉnh, thành phố mã `{province}`."),
                format!("No province has the code `{province}`."),
            ));
        }
    }
    let (Some(procedure), Some(org), true) = (procedure, organization, errors.is_empty()) else {
        return Err(ApiError::validation(errors));
    };
    let filing = recorded::Filing {
        id,
        dossier_code: body.dossier_code.clone(),
        channel: body.channel.unwrap_or(Channel::Online),
        applicant: json_of(&body.applicant)?,
        contact: json_of(&body.contact)?,
        legal_aid: body.legal_aid.as_ref().map(json_of).transpose()?,
        summary: body.summary.clone(),
        case_code: body.case_code.clone(),
        card_number: body.card_number.clone(),
        received_at: body.received_at,
    };
    Ok(filing.received(&procedure, &org, &calendar))
}

/// Whether the case `code` is one the organization handling the dossier answers for: its
/// own or, for a Department, one of its province's.
fn case_known(
    conn: &mut DbConnection,
    org: &tgpl_persistence::organizations::OrganizationRow,
    code: &str,
) -> Result<bool, ApiError> {
    let organizations = if *org.kind == tgpl_domain::organization::OrganizationKind::Department {
        tgpl_persistence::organizations::in_province(
            conn,
            org.province_code.as_deref().unwrap_or(""),
        )?
    } else {
        vec![org.id.clone()]
    };
    Ok(dossiers::case_handled_by(conn, code, &organizations)?)
}

/// The JSON text of a part kept as a document.
fn json_of<T: Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(ApiError::logged("a dossier part"))
}

/// One dossier with its documents and progress, as the portal follows it.
#[utoipa::path(
    operation_id = "portalReadDossier",
    tag = "portal",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The dossier.", body = DossierView, headers(("ETag" = String))),
        (status = 403, description = "The portal only.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such dossier.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/portal/dossiers/{id}")]
pub async fn portal_read_dossier(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    scope::authorize_system(&caller, SystemAction::SubmitDossiers)?;
    let id = id.into_inner();
    let view = state
        .db(move |conn| {
            let row = dossiers::get(conn, &id).map_err(not_found)?;
            DossierView::full(conn, row)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::ETAG, etag(view.version)))
        .json(view))
}

/// A document of a dossier, as the portal sent it.
#[utoipa::path(
    operation_id = "portalDownloadDocument",
    tag = "portal",
    security(("bearer" = [])),
    params(("id" = String, Path), ("document_id" = String, Path)),
    responses(
        (status = 200, description = "The file.", content_type = "application/octet-stream"),
        (status = 403, description = "The portal only.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such document.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/portal/dossiers/{id}/documents/{document_id}")]
pub async fn portal_download_document(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    scope::authorize_system(&caller, SystemAction::SubmitDossiers)?;
    let (id, document_id) = path.into_inner();
    let document = state
        .db(move |conn| dossiers::document(conn, &id, &document_id).map_err(not_found))
        .await?;
    Ok(document_response(document))
}

fn not_found(e: tgpl_persistence::StoreError) -> ApiError {
    match e {
        tgpl_persistence::StoreError::NotFound => ApiError::not_found(),
        other => other.into(),
    }
}

/// Runs `work` once per `Idempotency-Key` when one was sent (scoped to the client and
/// `route`), or plainly in a transaction otherwise.
fn keyed(
    conn: &mut DbConnection,
    caller: &Caller,
    route: &str,
    key: Option<String>,
    hash: &str,
    work: impl FnOnce(&mut DbConnection) -> Result<Answer, ApiError>,
) -> Result<(Answer, bool), ApiError> {
    match key {
        Some(value) => {
            let key = Key {
                scope: format!("{}:{route}", caller.account_id),
                value,
            };
            idempotency::once(conn, &key, hash, idempotency::key_reused, work)
        }
        None => tgpl_persistence::db::write_transaction(conn, |conn| {
            work(conn).map(|answer| (answer, false))
        }),
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The document's file name, with its extension.
    pub file_name: String,
}

/// Adds one document to a dossier that is not finished: the request body is the file's
/// bytes, recognised by content as case attachments are. Honours `Idempotency-Key`.
#[utoipa::path(
    operation_id = "uploadDossierDocument",
    tag = "portal",
    security(("bearer" = [])),
    params(("id" = String, Path), UploadQuery, ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first answer")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file's bytes"),
    responses(
        (status = 201, description = "Stored.", body = DossierDocumentView, headers(("Location" = String))),
        (status = 403, description = "The portal only.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The dossier is finished, or the key was used for other content.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than the limit.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an accepted kind of document.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/portal/dossiers/{id}/documents")]
pub async fn upload_dossier_document(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: Query<UploadQuery>,
    key: IdempotencyKey,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    scope::authorize_system(&caller, SystemAction::SubmitDossiers)?;
    let id = id.into_inner();
    let limit = state.attachment_limit;
    let mut bytes = Vec::new();
    while let Some(chunk) = futures_util::StreamExt::next(&mut payload).await {
        let chunk = chunk.map_err(|_| {
            ApiError::bad_request(
                "upload_interrupted",
                Text::new("Tải lên bị gián đoạn.", "The upload was interrupted."),
            )
        })?;
        if bytes.len() + chunk.len() > limit {
            let mut e = ApiError::from_status(StatusCode::PAYLOAD_TOO_LARGE);
            e.code = "attachment_too_large";
            e.detail = Text::new(
                format!("Tệp vượt quá giới hạn {limit} byte."),
                format!("The file exceeds the limit of {limit} bytes."),
            );
            return Err(e);
        }
        bytes.extend_from_slice(&chunk);
    }
    let document = read_document("", &query.0.file_name, bytes, &id, limit)
        .map_err(|e| ApiError::validation(vec![e]))?;
    // The dossier is part of what a key stands for: one key, one document of one dossier.
    let hash = idempotency::request_hash(&(&id, &document.file_name, &document.sha256))?;
    let (answer, replayed) = state
        .write(move |conn| {
            keyed(conn, &caller, "documents", key.0, &hash, |conn| {
                let row = dossiers::get(conn, &id).map_err(not_found)?;
                if row.status.is_final() {
                    return Err(finished(&row));
                }
                recorded::add_documents(
                    conn,
                    &caller.actor(),
                    &row,
                    std::slice::from_ref(&document),
                )?;
                let view = DossierDocumentView::from(DocumentInfo {
                    id: document.id.clone(),
                    dossier_id: document.dossier_id.clone(),
                    file_name: document.file_name.clone(),
                    content_type: document.content_type.clone(),
                    size_bytes: document.size_bytes,
                    sha256: document.sha256.clone(),
                    received_at: document.received_at,
                });
                let location = format!(
                    "/api/v1/portal/dossiers/{}/documents/{}",
                    row.id, document.id
                );
                idempotency::answer(StatusCode::CREATED, Some(location), &view)
            })
        })
        .await?;
    Ok(idempotency::respond(answer, replayed))
}

fn finished(row: &DossierRow) -> ApiError {
    ApiError::conflict(
        "dossier_finished",
        Text::new(
            format!("Hồ sơ đã kết thúc ({}).", row.status.label().vi),
            format!("The dossier is finished ({}).", row.status.label().en),
        ),
    )
}

/// The documents the handling organization asked for, as the applicant sends them.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Supplement {
    /// What the applicant says of them.
    #[schema(min_length = 1, max_length = 2000)]
    #[validate(length(min = 1, max = 2000))]
    pub note: Option<String>,
    /// Documents inline; others may have been sent before through the upload call.
    #[validate(length(max = 20), nested)]
    #[serde(default)]
    pub documents: Vec<InlineDocument>,
}

/// The applicant's supplement to a dossier awaiting documents: its documents are added and
/// its clock runs again with the working days it had left, from the day it arrives
/// (after office hours: the next working day). Honours `Idempotency-Key`.
#[utoipa::path(
    operation_id = "supplementDossier",
    tag = "portal",
    security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first answer")),
    request_body = Supplement,
    responses(
        (status = 200, description = "The dossier, its clock running again.", body = DossierView),
        (status = 403, description = "The portal only.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The dossier awaits no documents (`illegal_step`), or the key was used for other content.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A document is refused.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/portal/dossiers/{id}/supplement")]
pub async fn supplement_dossier(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    key: IdempotencyKey,
    body: ValidJson<Supplement>,
) -> Result<HttpResponse, ApiError> {
    scope::authorize_system(&caller, SystemAction::SubmitDossiers)?;
    let id = id.into_inner();
    let body = body.0;
    let hash = idempotency::request_hash(&(&id, &body))?;
    let mut errors = Vec::new();
    let documents = read_documents(
        "documents",
        &body.documents,
        &id,
        state.attachment_limit,
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let (answer, replayed) = state
        .write(move |conn| {
            keyed(conn, &caller, "supplement", key.0, &hash, |conn| {
                // Supplements sent at once: the one that loses the save is decided again
                // on the dossier as the winner left it (409 `illegal_step`), never 412.
                IfMatch(None).settle(conn, |conn| {
                    let before = dossiers::get(conn, &id).map_err(not_found)?;
                    if *before.status == DossierStatus::AwaitingSupplement
                        && documents.is_empty()
                        && !documents_arrived_while_awaited(conn, &before)?
                    {
                        return Err(ApiError::field(
                            "documents",
                            "required",
                            "Hồ sơ bổ sung cần có giấy tờ, gửi kèm hoặc đã tải lên sau khi được yêu cầu.",
                            "A supplement brings documents, sent with it or uploaded since they were asked for.",
                        ));
                    }
                    let calendar = stored_reference::working_calendar(conn)?;
                    let actor = caller.actor();
                    recorded::add_documents(conn, &actor, &before, &documents)?;
                    let after = recorded::take(
                        conn,
                        &actor,
                        &before,
                        DossierStep::ReceiveSupplement,
                        body.note.clone(),
                        tgpl_persistence::now(),
                        &calendar,
                        |_| {},
                    )?;
                    let view = DossierView::full(conn, after)?;
                    idempotency::answer(StatusCode::OK, None, &view)
                })
            })
        })
        .await?;
    Ok(idempotency::respond(answer, replayed))
}

/// Whether documents were uploaded for `dossier` since it was last asked for more.
fn documents_arrived_while_awaited(
    conn: &mut DbConnection,
    dossier: &DossierRow,
) -> Result<bool, ApiError> {
    let asked = progress_feed::of_dossier(conn, &dossier.id)?
        .into_iter()
        .rev()
        .find(|p| *p.step == DossierStep::RequestSupplement)
        .map(|p| p.occurred_at);
    let Some(asked) = asked else {
        return Ok(false);
    };
    Ok(dossiers::documents(conn, &dossier.id)?
        .iter()
        .any(|d| d.received_at >= asked))
}
