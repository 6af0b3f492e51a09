//! The handling organization's queue of dossiers and its steps on each.

use super::*;
use tgpl_domain::case::{Case, StepFacts, StepInput, Transition};
use tgpl_domain::recipient::{check_identity, name_key, ProofKind};
use tgpl_domain::reference::{AidForm, AidPlace, Field};
use tgpl_domain::time::vietnam_date;
use tgpl_persistence::exclusive::{exclusive, Claim, Rule};
use tgpl_persistence::organizations;
use tgpl_persistence::portal::dossiers::DossierFilter;
use tgpl_persistence::recipients::{self, ProofRow, RecipientRow};

use super::intake::LegalAidPart;
use crate::routes::cases::Litigation;
use crate::services::case_steps::{self, CaseSubject};
use crate::services::recipient_access::{access_entry, allows, duplicates_refusal};

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
    let disposition = format!(
        "attachment; filename*=UTF-8''{}",
        percent_encoding::utf8_percent_encode(
            &document.file_name,
            percent_encoding::NON_ALPHANUMERIC
        )
    );
    Ok(HttpResponse::Ok()
        .content_type(document.content_type)
        .insert_header((actix_web::http::header::CONTENT_DISPOSITION, disposition))
        .body(document.content))
}

/// The note a step records.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepNote {
    /// Reasons of a refusal, the documents asked for, or the result.
    #[schema(min_length = 1, max_length = 4000)]
    #[validate(length(min = 1, max = 4000))]
    pub note: Option<String>,
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

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptDossier {
    #[schema(min_length = 1, max_length = 4000)]
    #[validate(length(min = 1, max = 4000))]
    pub note: Option<String>,
    /// Required for a request for legal aid, refused for the other procedures.
    #[validate(nested)]
    pub case: Option<OpenCase>,
}

/// Accepts a dossier for handling. For a request for legal aid it records the person aided
/// (after the duplicate check: 409 `possible_duplicates` lists the candidates; send
/// `recipient_id` to link one, or `create_anyway`) with the proof of their category, and
/// opens the case, `received` or `accepted`, whose first history entry points back to the
/// dossier. `If-Match` optional.
#[utoipa::path(
    operation_id = "acceptDossier",
    tag = "dossiers",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the dossier as read")),
    request_body = AcceptDossier,
    responses(
        (status = 200, description = "Accepted.", body = DossierView, headers(("ETag" = String))),
        (status = 409, description = "Not from this status (`illegal_step`), or possible duplicates of the person.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/dossiers/{id}/accept")]
pub async fn accept_dossier(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<AcceptDossier>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = std::sync::Arc::new(body.0);
    let outcome = state
        .write(move |conn| {
            if_match.settle(conn, |conn| {
                let before = load(conn, &caller, &id, Action::HandleDossier)?;
                if_match.check(&etag(before.version))?;
                let calendar = stored_reference::working_calendar(conn)?;
                let at = tgpl_persistence::now();
                before
                    .dossier()
                    .take(DossierStep::Accept, at.and_utc(), None, &calendar)
                    .map_err(|r| recorded::refused(r, DossierStep::Accept))?;
                let opened = match (*before.procedure_kind, &body.case) {
                    (ProcedureKind::LegalAidRequest, Some(case)) => {
                        match open_case(conn, &caller, &before, case)? {
                            Ok(opened) => Some(opened),
                            Err(refusal) => return Ok(Err(refusal)),
                        }
                    }
                    (ProcedureKind::LegalAidRequest, None) => {
                        return Err(ApiError::field(
                            "case",
                            "required",
                            "Tiếp nhận yêu cầu trợ giúp pháp lý cần thông tin vụ việc (hình thức, nơi thực hiện).",
                            "Accepting a request for legal aid needs the case's form and place.",
                        ))
                    }
                    (_, Some(_)) => {
                        return Err(ApiError::field(
                            "case",
                            "not_for_procedure",
                            "Chỉ yêu cầu trợ giúp pháp lý mở vụ việc.",
                            "Only a request for legal aid opens a case.",
                        ))
                    }
                    (_, None) => None,
                };
                let after = recorded::take(
                    conn,
                    &caller.actor(),
                    &before,
                    DossierStep::Accept,
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
    match outcome {
        Ok(view) => Ok(respond(view)),
        Err(refusal) => Err(refusal),
    }
}

fn respond(view: DossierView) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((actix_web::http::header::ETAG, etag(view.version)))
        .json(view)
}

/// Records the person (or links the one named) and opens the case of an accepted request
/// for legal aid. A refusal for possible duplicates is answered inside `Ok`, so that the
/// transaction commits the reads of the candidates it shows (the access log keeps them).
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
    let form = body.form;
    let case = Case::received(
        form,
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

/// Records the person a request names, with the proof of their category, unless the
/// duplicate check finds them already recorded where the caller can see (then the refusal
/// with the candidates, inside `Ok`).
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
    let key = name_key(&person.full_name);
    let mut claims = Vec::new();
    if let Some(cid) = &citizen_id {
        claims.push(Claim::new(
            Rule::RecipientDuplicates,
            format!("citizen_id:{cid}"),
        ));
    }
    if let Some(dob) = person.date_of_birth {
        claims.push(Claim::new(
            Rule::RecipientDuplicates,
            format!("name_birth:{key}:{dob}"),
        ));
    }
    exclusive(
        conn,
        &claims,
        |conn| -> Result<Result<RecipientRow, ApiError>, ApiError> {
            if !create_anyway {
                if let Some(refusal) = duplicates_refusal(
                    conn,
                    caller,
                    citizen_id.as_deref(),
                    &key,
                    person.date_of_birth,
                )? {
                    return Ok(Err(refusal));
                }
            }
            let now = tgpl_persistence::now();
            let row = RecipientRow {
                id: tgpl_persistence::new_id(),
                organization_id: organization_id.to_owned(),
                full_name: person.full_name.trim().to_owned(),
                name_key: key.clone(),
                gender: person.gender.map(Code),
                date_of_birth: person.date_of_birth,
                ethnicity: person.ethnicity.map(Code),
                citizen_id: citizen_id.clone(),
                province_code: person.province_code.clone(),
                commune: None,
                address: person.address.clone(),
                phone: None,
                email: None,
                statistical_category: None,
                category_proven_on: None,
                version: 1,
                created_at: now,
                updated_at: now,
            };
            let actor = caller.actor();
            recipients::insert(conn, &actor, &row)?;
            let proof = ProofRow {
                id: tgpl_persistence::new_id(),
                recipient_id: row.id.clone(),
                kind: Code(ProofKind::Status),
                category: Some(Code(request.category)),
                document_kind: request.proof.document_kind.clone(),
                document_number: request.proof.document_number.clone(),
                issuer: request.proof.issuer.clone(),
                issued_on: request.proof.issued_on,
                provided_on,
                created_at: now,
            };
            recipients::add_proof(conn, &actor, &proof)?;
            recipients::log_access(conn, &[access_entry(caller, &row.id, "create")])?;
            Ok(Ok(recipients::get(conn, &row.id)?))
        },
    )
}

/// Takes a step that only records its note.
async fn noted_step(
    state: web::Data<AppState>,
    caller: Caller,
    id: String,
    if_match: IfMatch,
    step: DossierStep,
    note: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let view = state
        .write(move |conn| {
            if_match.settle(conn, |conn| {
                let before = load(conn, &caller, &id, Action::HandleDossier)?;
                if_match.check(&etag(before.version))?;
                let calendar = stored_reference::working_calendar(conn)?;
                let after = recorded::take(
                    conn,
                    &caller.actor(),
                    &before,
                    step,
                    note.clone(),
                    tgpl_persistence::now(),
                    &calendar,
                    |_| {},
                )?;
                DossierView::full(conn, after)
            })
        })
        .await?;
    Ok(respond(view))
}

/// Asks the applicant for more documents (`note`: which): the clock stops until the portal
/// sends them (`POST /api/v1/portal/dossiers/{id}/supplement`).
#[utoipa::path(
    operation_id = "requestDossierSupplement",
    tag = "dossiers",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the dossier as read")),
    request_body = StepNote,
    responses(
        (status = 200, description = "Awaiting documents.", body = DossierView),
        (status = 409, description = "Not from this status.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The note is missing.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/dossiers/{id}/request-supplement")]
pub async fn request_supplement(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<StepNote>,
) -> Result<HttpResponse, ApiError> {
    noted_step(
        state,
        caller,
        id.into_inner(),
        if_match,
        DossierStep::RequestSupplement,
        body.0.note,
    )
    .await
}

/// Refuses a dossier, with its reasons (`note`).
#[utoipa::path(
    operation_id = "refuseDossier",
    tag = "dossiers",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the dossier as read")),
    request_body = StepNote,
    responses(
        (status = 200, description = "Refused.", body = DossierView),
        (status = 409, description = "Not from this status.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The reasons are missing.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/dossiers/{id}/refuse")]
pub async fn refuse_dossier(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<StepNote>,
) -> Result<HttpResponse, ApiError> {
    noted_step(
        state,
        caller,
        id.into_inner(),
        if_match,
        DossierStep::Refuse,
        body.0.note,
    )
    .await
}

/// Returns the result of a dossier being handled (`note`: the result).
#[utoipa::path(
    operation_id = "completeDossier",
    tag = "dossiers",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the dossier as read")),
    request_body = StepNote,
    responses(
        (status = 200, description = "Completed.", body = DossierView),
        (status = 409, description = "Not from this status.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The result is missing.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/dossiers/{id}/complete")]
pub async fn complete_dossier(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<StepNote>,
) -> Result<HttpResponse, ApiError> {
    noted_step(
        state,
        caller,
        id.into_inner(),
        if_match,
        DossierStep::Complete,
        body.0.note,
    )
    .await
}
