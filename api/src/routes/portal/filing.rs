//! Filing a dossier: validated in full, given its promised date, recorded once per code.

use super::filing_request::SubmitDossier;
use super::*;
use crate::services::provinces::unknown_province;
use tgpl_domain::portal::intake::{check_intake, check_receipt_time, ApplicantKind, IntakeShape};
use tgpl_domain::recipient::check_identity;
use tgpl_domain::refusal::Refusal;
use tgpl_persistence::organizations;

fn dossier_code_ok(code: &str) -> bool {
    (1..=64).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'/'))
}

/// Every refusal that needs no stored data.
fn static_errors(body: &SubmitDossier, now: DateTime<Utc>) -> Vec<FieldRefusal> {
    let mut errors = Vec::new();
    let mut refused = |prefix: &str, r: FieldRefusal| {
        errors.push(FieldRefusal::new(
            format!("{prefix}{}", r.field),
            r.code,
            r.vi,
            r.en,
        ));
    };
    if !dossier_code_ok(&body.dossier_code) {
        refused(
            "",
            FieldRefusal::new(
                "dossier_code",
                "invalid",
                "Mã hồ sơ gồm 1 đến 64 chữ cái, chữ số và các ký tự . - _ /.",
                "A dossier code is 1 to 64 letters, digits and . - _ /.",
            ),
        );
    }
    let today = tgpl_domain::time::vietnam_date(now);
    let applicant = &body.applicant;
    if let Err(e) = tgpl_domain::text::check_person_name("name", &applicant.name) {
        refused("applicant.", e);
    }
    let not_for =
        |field: &str, vi: &str, en: &str| FieldRefusal::new(field, "not_for_applicant", vi, en);
    match applicant.kind {
        ApplicantKind::Person => {
            if applicant.citizen_id.is_none() {
                refused(
                    "applicant.",
                    FieldRefusal::new(
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
        if let Err(e) = tgpl_domain::text::check_phone("phone", phone) {
            refused("contact.", e);
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
            FieldRefusal::new(
                "phone",
                "required",
                "Cần số điện thoại hoặc thư điện tử để liên hệ.",
                "Give a phone number or an email address.",
            ),
        );
    }
    if let Some(part) = &body.legal_aid {
        let person = &part.person;
        if let Err(e) = tgpl_domain::text::check_person_name("full_name", &person.full_name) {
            refused("legal_aid.person.", e);
        }
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
        if let Some(r) =
            tgpl_domain::recipient::check_category_ethnicity(part.category, person.ethnicity)
        {
            refused("legal_aid.", r);
        }
        if part.proof.issued_on.is_some_and(|d| d > today) {
            refused(
                "legal_aid.proof.",
                FieldRefusal::new(
                    "issued_on",
                    "in_future",
                    "Ngày cấp giấy tờ không thể ở tương lai.",
                    "The day of issue cannot be in the future.",
                ),
            );
        }
        if let Some(issued_on) = part.proof.issued_on {
            let born = person.date_of_birth;
            if let Err(r) = tgpl_domain::recipient::check_after_birth("issued_on", issued_on, born)
            {
                refused("legal_aid.proof.", r);
            }
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
    request_body = SubmitDossier,
    responses(
        (status = 201, description = "Filed (or the first answer, replayed).", body = DossierView, headers(("Location" = String), ("Idempotent-Replayed" = String, description = "`true` on a replay"))),
        (status = 403, description = "Only the portal files dossiers.", body = Problem),
        (status = 409, description = "The code was filed with other content.", body = Problem),
        (status = 422, description = "Invalid: every bad field is listed, among them a part the procedure does not have (`legal_aid`, `case_code`, `card_number`: `not_for_procedure`).", body = Problem),
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
    mut errors: Vec<FieldRefusal>,
) -> Result<DossierRow, ApiError> {
    let calendar = stored_reference::working_calendar(conn)?;
    if let Some(r) = check_receipt_time(body.received_at, now, &calendar) {
        errors.push(r);
    }
    let procedure = match stored_reference::procedure(conn, &body.procedure_code) {
        Ok(p) if p.active => Some(p),
        Ok(_) | Err(tgpl_persistence::StoreError::NotFound) => {
            errors.push(FieldRefusal::new(
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
            errors.push(FieldRefusal::new(
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
            errors.push(FieldRefusal::new(
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
            errors.push(FieldRefusal::new(
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
            errors.push(r);
        }
    }
    if let Some(province) = body
        .legal_aid
        .as_ref()
        .and_then(|p| p.person.province_code.as_deref())
    {
        errors.extend(unknown_province(
            conn,
            "legal_aid.person.province_code",
            province,
        )?);
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
