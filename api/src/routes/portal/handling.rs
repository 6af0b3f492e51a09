//! The handling organization's queue of dossiers and its steps on each.

use super::*;
use tgpl_domain::case::{Case, StepFacts, StepInput, Transition};
use tgpl_domain::recipient::{check_identity, name_key, ProofKind};
use tgpl_domain::reference::{AidForm, AidPlace, Field};
use tgpl_domain::time::vietnam_date;
use tgpl_persistence::organizations;
use tgpl_persistence::portal::dossiers::DossierFilter;
use tgpl_persistence::recipients::{self, ProofRow, RecipientRow};

use super::intake::LegalAidPart;
use crate::http::extract::OptionalJson;
use crate::routes::cases::Litigation;
use crate::services::case_steps::{self, CaseSubject};
use crate::services::recipient_access::{allows, register_person};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DossierListQuery {
    #[param(schema_with = crate::http::schemas::dossier_status)]
    pub status: Option<String>,
    #[param(schema_with = crate::http::schemas::procedure_kind)]
    pub procedure: Option<String>,
    /// Only those past their promised date with their clock running.
    pub overdue: Option<bool>,
    pub organization_id: Option<String>,
    pub dossier_code: Option<String>,
    /// Received on or after this Viet Nam day.
    pub received_from: Option<NaiveDate>,
    /// Received on or before this Viet Nam day.
    pub received_to: Option<NaiveDate>,
}

/// The dossiers the caller's organization handles: those whose clock runs first, by
/// promised date (the overdue at the top), then those awaiting documents, then the
/// finished.
#[utoipa::path(
    operation_id = "listDossiers",
    tag = "dossiers",
    security(("bearer" = [])),
    params(DossierListQuery, PageQuery),
    responses(
        (status = 200, description = "One page of dossiers.", body = Page<DossierView>),
        (status = 403, description = "The caller's role handles no dossiers.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/dossiers")]
pub async fn list_dossiers(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<DossierListQuery>,
    paging: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = paging.request()?;
    let q = query.0;
    let status = parse_filter::<DossierStatus>("status", q.status)?
        .and_then(|c| DossierStatus::from_code(&c));
    let procedure = parse_filter::<ProcedureKind>("procedure", q.procedure)?
        .and_then(|c| ProcedureKind::from_code(&c));
    let day = today();
    let paged = state
        .db(move |conn| {
            let permitted = scope::listable(conn, &caller, Action::ReadDossier)?;
            let organizations = match q.organization_id {
                Some(org) if permitted.contains(&org) => Some(vec![org]),
                Some(_) => Some(Vec::new()),
                None => permitted.as_filter(),
            };
            let filter = DossierFilter {
                organizations,
                status,
                procedure,
                overdue_on: q.overdue.unwrap_or(false).then_some(day),
                dossier_code: q.dossier_code,
                received_from: q
                    .received_from
                    .map(|d| tgpl_domain::time::vietnam_day_start(d).naive_utc()),
                received_before: q
                    .received_to
                    .and_then(|d| d.succ_opt())
                    .map(|d| tgpl_domain::time::vietnam_day_start(d).naive_utc()),
            };
            Ok(dossiers::list(conn, &filter, page)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::new(&req, page, paged, |row| {
        DossierView::of(row, day)
    })))
}

/// One dossier with its documents and progress.
#[utoipa::path(
    operation_id = "readDossier",
    tag = "dossiers",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The dossier.", body = DossierView, headers(("ETag" = String))),
        (status = 404, description = "No such dossier in the caller's scope.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/dossiers/{id}")]
pub async fn read_dossier(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let view = state
        .db(move |conn| {
            let row = load(conn, &caller, &id, Action::ReadDossier)?;
            DossierView::full(conn, row)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::ETAG, etag(view.version)))
        .json(view))
}

/// A document's bytes.
#[utoipa::path(
    operation_id = "downloadDossierDocument",
    tag = "dossiers",
    security(("bearer" = [])),
    params(("id" = String, Path), ("document_id" = String, Path)),
    responses(
        (status = 200, description = "The file.", content_type = "application/octet-stream"),
        (status = 404, description = "No such document in the caller's scope.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/dossiers/{id}/documents/{document_id}")]
pub async fn download_dossier_document(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, document_id) = path.into_inner();
    let document = state
        .db(move |conn| {
            load(conn, &caller, &id, Action::ReadDossier)?;
            dossiers::document(conn, &id, &document_id).map_err(|e| match e {
                tgpl_persistence::StoreError::NotFound => ApiError::not_found(),
                other => other.into(),
            })
        })
        .await?;
    Ok(document_response(document))
}

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

/// What a step of a dossier is given.
#[derive(Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DossierStepBody {
    /// `refuse`: the reasons; `request_supplement`: the documents asked for; `complete`: the
    /// result (each required); `accept`: optional.
    #[schema(min_length = 1, max_length = 4000)]
    #[validate(length(min = 1, max = 4000))]
    pub note: Option<String>,
    /// `accept` of a request for legal aid: the case to open (required there, refused
    /// elsewhere).
    #[validate(nested)]
    pub case: Option<OpenCase>,
}

/// Takes one step of a dossier: `accept` (for a request for legal aid it records the person,
/// after the duplicate check: 409 `possible_duplicates` lists the candidates, send
/// `case.recipient_id` to link one or `case.create_anyway`; and opens the case, `received`
/// or, with `case.accept`, `accepted`, whose first history entry points back to the
/// dossier), `request_supplement` (the clock stops until the portal sends the supplement),
/// `refuse`, `complete`. Each is a progress entry sent to the portal. An illegal step answers
/// 409 `illegal_step` with the steps allowed next.
#[utoipa::path(
    operation_id = "takeDossierStep",
    tag = "dossiers",
    security(("bearer" = [])),
    params(
        ("id" = String, Path),
        ("step" = String, Path, description = "The step: accept, request_supplement, refuse, complete"),
        ("If-Match" = Option<String>, Header, description = "ETag of the dossier as read"),
    ),
    request_body(content = Option<DossierStepBody>),
    responses(
        (status = 200, description = "Done; the dossier.", body = DossierView, headers(("ETag" = String))),
        (status = 403, description = "The caller's role does not handle dossiers there.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed from the current status (`allowed_steps` lists what is), or possible duplicates of the person.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/dossiers/{id}/steps/{step}")]
pub async fn take_dossier_step(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: OptionalJson<DossierStepBody>,
) -> Result<HttpResponse, ApiError> {
    let (id, step) = path.into_inner();
    let step = DossierStep::from_code(&step)
        .filter(|s| !s.is_the_portals())
        .ok_or_else(ApiError::not_found)?;
    let body = std::sync::Arc::new(body.0.unwrap_or_default());
    let outcome = state
        .write(move |conn| {
            if_match.settle(conn, |conn| {
                let before = load(conn, &caller, &id, Action::HandleDossier)?;
                if_match.check(&etag(before.version))?;
                let calendar = stored_reference::working_calendar(conn)?;
                let at = tgpl_persistence::now();
                let opened = if step == DossierStep::Accept {
                    match opened_by_acceptance(
                        conn,
                        &caller,
                        &before,
                        body.case.as_ref(),
                        at,
                        &calendar,
                    )? {
                        Ok(opened) => opened,
                        Err(refusal) => return Ok(Err(refusal)),
                    }
                } else if body.case.is_some() {
                    return Err(ApiError::field(
                        "case",
                        "not_for_step",
                        "Chỉ bước tiếp nhận mở vụ việc.",
                        "Only `accept` opens a case.",
                    ));
                } else {
                    None
                };
                let after = recorded::take(
                    conn,
                    &caller.actor(),
                    &before,
                    step,
                    body.note.clone(),
                    at,
                    &calendar,
                    |row| {
                        if let Some((recipient_id, case_id)) = opened {
                            row.recipient_id = Some(recipient_id);
                            row.case_id = Some(case_id);
                        }
                    },
                )?;
                Ok(Ok(DossierView::full(conn, after)?))
            })
        })
        .await?;
    let view = outcome?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::ETAG, etag(view.version)))
        .json(view))
}

/// What accepting `dossier` opens: for a request for legal aid, the person and the case
/// (`Some((recipient, case))`); nothing for the other procedures. A refusal for possible
/// duplicates is answered inside `Ok`, so that the transaction commits the reads of the
/// candidates it shows (the access log keeps them).
fn opened_by_acceptance(
    conn: &mut DbConnection,
    caller: &Caller,
    dossier: &DossierRow,
    case: Option<&OpenCase>,
    at: chrono::NaiveDateTime,
    calendar: &tgpl_domain::portal::calendar::WorkingCalendar,
) -> Result<Result<Option<(String, String)>, ApiError>, ApiError> {
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
) -> Result<Result<(String, String), ApiError>, ApiError> {
    let request: LegalAidPart =
        serde_json::from_str(dossier.legal_aid.as_deref().unwrap_or("null"))
            .map_err(ApiError::logged("a stored request for legal aid"))?;
    let org = organizations::get(conn, &dossier.organization_id)?;
    scope::check(conn, caller, Action::ManageCase, &org.id)?;
    scope::check(conn, caller, Action::ManageRecipient, &org.id)?;
    let received_on = vietnam_date(dossier.received_at.and_utc());
    let recipient = match &body.recipient_id {
        Some(id) => match recipients::get(conn, id) {
            Ok(r) if allows(conn, caller, Action::ReadRecipient, &r)? => r,
            Ok(_) | Err(tgpl_persistence::StoreError::NotFound) => {
                return Err(ApiError::field(
                    "case.recipient_id",
                    "unknown_recipient",
                    "Không có người được trợ giúp pháp lý này trong phạm vi của bạn.",
                    "No such recipient within your scope.",
                ))
            }
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
        field: body.field.unwrap_or(request.field),
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
    Ok(Ok((recipient.id, row.id)))
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
    let citizen_id = check_identity(
        person.citizen_id.as_deref(),
        person.gender,
        person.date_of_birth,
        today(),
    )
    .map_err(ApiError::refused)?
    .map(|id| id.as_str().to_owned());
    let row = RecipientRow::new(
        organization_id.to_owned(),
        person.full_name.trim().to_owned(),
        name_key(&person.full_name),
    );
    let row = RecipientRow {
        gender: person.gender.map(Code),
        date_of_birth: person.date_of_birth,
        ethnicity: person.ethnicity.map(Code),
        citizen_id,
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
    recipients::add_proof(conn, &caller.actor(), &proof)?;
    Ok(Ok(recipients::get(conn, &registered.id)?))
}
