//! What accepting a request for legal aid opens: the person aided, recorded after the
//! duplicate check or linked, with the proof of their category, and the case.

use super::filing_request::LegalAidPart;
use super::*;
use tgpl_domain::case::{Case, StepFacts, StepInput, Transition};
use tgpl_domain::recipient::Identifying;
use tgpl_domain::recipient::ProofKind;
use tgpl_domain::reference::{AidForm, AidPlace, Field};
use tgpl_domain::time::vietnam_date;
use tgpl_persistence::organizations;
use tgpl_persistence::recipients::{self, ProofRow, RecipientRow};

use crate::routes::cases::Litigation;
use crate::services::case_steps::{self, CaseSubject};
use crate::services::recipient_access::{
    access_entry, allows, new_record, register_person, Identity,
};

/// The case a request for legal aid opens when it is accepted.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenCase {
    #[schema(schema_with = crate::http::schemas::aid_form)]
    pub form: AidForm,
    #[schema(schema_with = crate::http::schemas::aid_place)]
    pub place: AidPlace,
    /// The field of law; the request's own unless given.
    #[schema(schema_with = crate::http::schemas::or_null::field)]
    pub field: Option<Field>,
    #[validate(nested)]
    pub litigation: Option<Litigation>,
    /// The person already recorded, when the duplicate check found them: linked instead of
    /// recorded again.
    pub recipient_id: Option<String>,
    /// Record the person even though possible duplicates were found.
    #[serde(default)]
    pub create_anyway: bool,
    /// Accept the case at once (`accepted`; a leader's step), not only record it
    /// (`received`).
    #[serde(default)]
    pub accept: bool,
}

/// The person recorded or linked and the case opened by accepting a request for legal aid.
pub(super) struct Opened {
    pub recipient_id: String,
    pub case_id: String,
    /// The case's code, which the applicant quotes in a later procedure about it (a change
    /// of provider, a complaint).
    pub case_code: String,
}

/// What accepting `dossier` opens: for a request for legal aid, the person and the case;
/// nothing for the other procedures. A refusal for possible
/// duplicates is answered inside `Ok`, so that the transaction commits the reads of the
/// candidates it shows (the access log keeps them).
pub(super) fn opened_by_acceptance(
    conn: &mut DbConnection,
    caller: &Caller,
    dossier: &DossierRow,
    case: Option<&OpenCase>,
    at: chrono::NaiveDateTime,
    calendar: &tgpl_domain::portal::calendar::WorkingCalendar,
) -> Result<Result<Option<Opened>, ApiError>, ApiError> {
    // Only a step the dossier can take opens anything.
    dossier
        .dossier()
        .take(DossierStep::Accept, at.and_utc(), None, calendar)
        .map_err(|r| recorded::refused(r, DossierStep::Accept))?;
    match (*dossier.procedure_kind, case) {
        (ProcedureKind::LegalAidRequest, Some(case)) => {
            Ok(open_case(conn, caller, dossier, case)?.map(Some))
        }
        (ProcedureKind::LegalAidRequest, None) => Err(ApiError::field(
            "case",
            "required",
            "Tiếp nhận yêu cầu trợ giúp pháp lý cần thông tin vụ việc (hình thức, nơi thực hiện).",
            "Accepting a request for legal aid needs the case's form and place.",
        )),
        (_, Some(_)) => Err(ApiError::field(
            "case",
            "not_for_procedure",
            "Chỉ yêu cầu trợ giúp pháp lý mở vụ việc.",
            "Only a request for legal aid opens a case.",
        )),
        (_, None) => Ok(Ok(None)),
    }
}

/// Records the person (or links the one named) and opens the case of an accepted request
/// for legal aid; a refusal for possible duplicates inside `Ok`.
fn open_case(
    conn: &mut DbConnection,
    caller: &Caller,
    dossier: &DossierRow,
    body: &OpenCase,
) -> Result<Result<Opened, ApiError>, ApiError> {
    let request: LegalAidPart =
        serde_json::from_str(dossier.legal_aid.as_deref().unwrap_or("null"))
            .map_err(ApiError::logged("a stored request for legal aid"))?;
    let org = organizations::get(conn, &dossier.organization_id)?;
    scope::check(conn, caller, Action::ManageCase, &org.id)?;
    scope::check(conn, caller, Action::ManageRecipient, &org.id)?;
    let received_on = vietnam_date(dossier.received_at.and_utc());
    crate::services::casework::check_handles_cases(&org, received_on)?;
    let recipient = match &body.recipient_id {
        Some(id) => match recipients::get(conn, id) {
            Ok(r) if !allows(conn, caller, Action::ReadRecipient, &r)? => {
                return Err(unknown_recipient())
            }
            Ok(r) if !named(&request).may_be(&recorded(&r)) => {
                return Err(ApiError::field(
                    "case.recipient_id",
                    "not_the_person",
                    "Người này không phải người được nêu trong yêu cầu (khác số định danh, hoặc khác họ tên và ngày sinh).",
                    "This is not the person the request names (another citizen ID, or another name and date of birth).",
                ))
            }
            Ok(r) => {
                recipients::log_access(
                    conn,
                    &[access_entry(
                        caller,
                        &r.id,
                        tgpl_domain::recipient::DataAccess::DossierLink,
                    )
                    .through(&dossier.id)],
                )?;
                r
            }
            Err(tgpl_persistence::StoreError::NotFound) => return Err(unknown_recipient()),
            Err(e) => return Err(e.into()),
        },
        None => match record_person(
            conn,
            caller,
            &org.id,
            &request,
            received_on,
            body.create_anyway,
        )? {
            Ok(r) => r,
            Err(refusal) => return Ok(Err(refusal)),
        },
    };
    let case = Case::received(
        body.field.unwrap_or(request.field),
        body.form,
        received_on,
        body.litigation.clone().map(Into::into),
        today(),
    )
    .map_err(|r| {
        let mut e = ApiError::refused(r);
        for f in &mut e.errors {
            f.field = format!("case.{}", f.field);
        }
        e
    })?;
    let subject = CaseSubject {
        recipient_id: recipient.id.clone(),
        recipient_organization_id: recipient.organization_id.clone(),
        group_ref: None,
        requester_name: request.relation.as_ref().map(|_| {
            serde_json::from_str::<serde_json::Value>(&dossier.applicant)
                .ok()
                .and_then(|a| a["name"].as_str().map(str::to_owned))
                .unwrap_or_default()
        }),
        requester_relation: request.relation.clone(),
        place: body.place,
        summary: request.matter.clone(),
        dossier_id: Some(dossier.id.clone()),
    };
    let actor = caller.actor();
    let mut row = case_steps::open(conn, &actor, &org, &case, subject, None)?;
    if body.accept {
        let facts = StepFacts {
            today: today(),
            last_step_on: row.received_on,
            role: Some(caller.role),
            actor: &caller.username,
        };
        row = case_steps::take_and_save(
            conn,
            &actor,
            &row,
            Transition::Accept,
            StepInput::on(today()),
            facts,
        )?;
    }
    Ok(Ok(Opened {
        recipient_id: recipient.id,
        case_id: row.id,
        case_code: row.code,
    }))
}

fn unknown_recipient() -> ApiError {
    ApiError::field(
        "case.recipient_id",
        "unknown_recipient",
        "Không có người được trợ giúp pháp lý này trong phạm vi của bạn.",
        "No such recipient within your scope.",
    )
}

/// Who the request names.
fn named(request: &LegalAidPart) -> Identifying<'_> {
    Identifying {
        citizen_id: request.person.citizen_id.as_deref(),
        full_name: &request.person.full_name,
        date_of_birth: request.person.date_of_birth,
    }
}

/// Who a record is.
fn recorded(r: &RecipientRow) -> Identifying<'_> {
    Identifying {
        citizen_id: r.citizen_id.as_deref(),
        full_name: &r.full_name,
        date_of_birth: r.date_of_birth,
    }
}

/// Records the person a request names, with the proof of their category it came with
/// (see [`register_person`]).
fn record_person(
    conn: &mut DbConnection,
    caller: &Caller,
    organization_id: &str,
    request: &LegalAidPart,
    provided_on: NaiveDate,
    create_anyway: bool,
) -> Result<Result<RecipientRow, ApiError>, ApiError> {
    let person = &request.person;
    let row = new_record(
        organization_id.to_owned(),
        Identity {
            full_name: &person.full_name,
            gender: person.gender,
            date_of_birth: person.date_of_birth,
            ethnicity: person.ethnicity,
            citizen_id: person.citizen_id.as_deref(),
        },
    )?;
    let row = RecipientRow {
        province_code: person.province_code.clone(),
        address: person.address.clone(),
        ..row
    };
    let registered = match register_person(conn, caller, row, create_anyway)? {
        Ok(row) => row,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let proof = ProofRow {
        id: tgpl_persistence::new_id(),
        recipient_id: registered.id.clone(),
        kind: Code(ProofKind::Status),
        category: Some(Code(request.category)),
        document_kind: request.proof.document_kind.clone(),
        document_number: request.proof.document_number.clone(),
        issuer: request.proof.issuer.clone(),
        issued_on: request.proof.issued_on,
        provided_on,
        created_at: tgpl_persistence::now(),
    };
    recipients::add_proof(conn, &caller.actor(), &proof, registered.version)?;
    Ok(Ok(recipients::get(conn, &registered.id)?))
}
