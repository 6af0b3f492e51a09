//! Recording dossiers and their steps, as the portal's routes, the handling organization's
//! routes and the demonstration data all do. The rules are the domain's
//! ([`tgpl_domain::portal::dossier`]); this module saves what the domain decided, with its
//! audit entry, and appends the step's progress entry last, with the callbacks it owes the
//! portal in the same transaction (see `tgpl_persistence::portal::feed`).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tgpl_domain::audit::AuditAction;
use tgpl_domain::label::Label;
use tgpl_domain::label::Vocabulary;
use tgpl_domain::portal::calendar::WorkingCalendar;
use tgpl_domain::portal::dossier::{
    case_answer_note, Channel, Dossier, DossierRefusal, DossierStatus, DossierStep,
};
use tgpl_domain::refusal::Refusal;
use tgpl_domain::time::vietnam_offset;
use tgpl_persistence::audit::{self, Actor, Change};
use tgpl_persistence::cases::CaseRow;
use tgpl_persistence::column::Code;
use tgpl_persistence::organizations::OrganizationRow;
use tgpl_persistence::portal::dossiers::{self, DocumentRow, DossierRow};
use tgpl_persistence::portal::feed::{self, ProgressRow};
use tgpl_persistence::portal::reference::ProcedureRow;
use tgpl_persistence::portal::{reference, webhooks};
use tgpl_persistence::versioned::Versioned;
use tgpl_persistence::{DbConnection, StoreError};
use utoipa::ToSchema;

use crate::http::error::ApiError;
use crate::http::lang::Text;

const RESOURCE: &str = "dossier";

/// What the audit log keeps of a dossier: no personal data.
#[derive(Serialize)]
struct Trace<'a> {
    dossier_code: &'a str,
    organization_id: &'a str,
    status: &'a str,
    version: i64,
}

fn trace(row: &DossierRow) -> Trace<'_> {
    Trace {
        dossier_code: &row.dossier_code,
        organization_id: &row.organization_id,
        status: row.status.code(),
        version: row.version,
    }
}

/// An instant as the portal writes times: `yyyyMMddHHmmss` in Viet Nam time.
pub fn portal_time(at: NaiveDateTime) -> String {
    at.and_utc()
        .with_timezone(&vietnam_offset())
        .format("%Y%m%d%H%M%S")
        .to_string()
}

/// One progress entry as the feed shows it and the callbacks carry it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FeedEntry {
    /// The entry's place in the feed: increasing without gaps; the cursor to read after.
    pub position: i64,
    pub dossier_id: String,
    /// The portal's dossier code.
    pub dossier_code: String,
    #[schema(schema_with = crate::http::schemas::dossier_step)]
    pub step: DossierStep,
    /// The status after the step, in this system's codes.
    #[schema(schema_with = crate::http::schemas::dossier_status)]
    pub status: DossierStatus,
    /// The same status in the portal's codes (`GET /api/v1/portal/status-codes`).
    pub portal_status: String,
    /// Reasons of a refusal, the documents asked for, or the result.
    pub note: Option<String>,
    /// The promised return date after the step.
    pub due_on: NaiveDate,
    pub occurred_at: DateTime<Utc>,
    /// The same instant as the portal writes times: `yyyyMMddHHmmss`, Viet Nam time.
    pub occurred_at_portal: String,
    pub actor_username: String,
    pub actor_organization_id: Option<String>,
}

impl FeedEntry {
    pub fn of(entry: ProgressRow, dossier_code: String) -> Self {
        Self {
            occurred_at_portal: portal_time(entry.occurred_at),
            occurred_at: entry.occurred_at.and_utc(),
            position: entry.position,
            dossier_id: entry.dossier_id,
            dossier_code,
            step: *entry.step,
            status: *entry.status,
            portal_status: entry.portal_status,
            note: entry.note,
            due_on: entry.due_on,
            actor_username: entry.actor_username,
            actor_organization_id: entry.actor_organization_id,
        }
    }
}

/// Appends the progress entry of `row` as it stands after `step`, with its callbacks.
fn progress(
    conn: &mut DbConnection,
    actor: &Actor,
    row: &DossierRow,
    step: DossierStep,
    note: Option<String>,
    at: NaiveDateTime,
) -> Result<ProgressRow, StoreError> {
    let endpoints = webhooks::active_endpoints(conn)?;
    let entry = ProgressRow {
        portal_status: reference::portal_code(conn, *row.status)?,
        position: 0,
        dossier_id: row.id.clone(),
        step: Code(step),
        status: row.status,
        note,
        due_on: row.due_on,
        actor_username: actor.username.clone(),
        actor_organization_id: actor.org_id.clone(),
        occurred_at: at,
    };
    feed::append(conn, entry, &endpoints, |e| {
        let entry = FeedEntry::of(e.clone(), row.dossier_code.clone());
        serde_json::to_string(&entry).unwrap_or_default()
    })
}

/// What a dossier is filed with, validated, as its row keeps it.
pub struct Filing {
    pub id: String,
    pub dossier_code: String,
    pub channel: Channel,
    /// JSON documents of the applicant, the contact and (a request for legal aid) the
    /// person, category, proof and matter.
    pub applicant: String,
    pub contact: String,
    pub legal_aid: Option<String>,
    pub summary: String,
    pub case_code: Option<String>,
    pub card_number: Option<String>,
    pub received_at: DateTime<Utc>,
}

impl Filing {
    /// The dossier as received under `procedure` by `organization`, its promised date
    /// counted on `calendar`.
    pub fn received(
        self,
        procedure: &ProcedureRow,
        organization: &OrganizationRow,
        calendar: &WorkingCalendar,
    ) -> DossierRow {
        let limit = u32::try_from(procedure.time_limit_days).unwrap_or(0);
        let dossier = Dossier::received(*procedure.kind, calendar, self.received_at, limit);
        let now = tgpl_persistence::now();
        let mut row = DossierRow {
            id: self.id,
            dossier_code: self.dossier_code,
            procedure_code: procedure.code.clone(),
            procedure_kind: procedure.kind,
            organization_id: organization.id.clone(),
            province_code: organization.province_code.clone().unwrap_or_default(),
            channel: Code(self.channel),
            applicant: self.applicant,
            contact: self.contact,
            summary: self.summary,
            legal_aid: self.legal_aid,
            case_code: self.case_code,
            card_number: self.card_number,
            // At the microseconds both engines keep, so that what is read back compares equal.
            received_at: chrono::SubsecRound::trunc_subsecs(self.received_at.naive_utc(), 6),
            counting_from: calendar.counting_day(self.received_at),
            due_on: dossier.due_on,
            status: Code(DossierStatus::Received),
            resume_to: None,
            days_left: None,
            finished_on: None,
            note: None,
            case_id: None,
            recipient_id: None,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        row.set_dossier(&dossier);
        row
    }
}

/// Records a dossier the portal filed, with its documents, as received: its first
/// progress entry (`submit`) is written last.
pub fn submit(
    conn: &mut DbConnection,
    actor: &Actor,
    row: &DossierRow,
    documents: &[DocumentRow],
) -> Result<(), StoreError> {
    dossiers::insert(conn, row)?;
    dossiers::add_documents(conn, documents)?;
    audit::record(
        conn,
        actor,
        Change::created(AuditAction::DossierSubmit, RESOURCE, &row.id, &trace(row)),
    )?;
    progress(conn, actor, row, DossierStep::Submit, None, row.received_at)?;
    Ok(())
}

/// Takes `step` on `before` at `at` (see [`tgpl_domain::portal::dossier::Dossier::take`]),
/// lets `also` record what else the step did (the case it opened), and saves it all with the
/// step's progress entry. Answers the dossier as saved.
#[allow(clippy::too_many_arguments)]
pub fn take(
    conn: &mut DbConnection,
    actor: &Actor,
    before: &DossierRow,
    step: DossierStep,
    note: Option<String>,
    at: NaiveDateTime,
    calendar: &WorkingCalendar,
    also: impl FnOnce(&mut DossierRow),
) -> Result<DossierRow, ApiError> {
    let decided = before
        .dossier()
        .take(step, at.and_utc(), note.as_deref(), calendar)
        .map_err(|r| refused(r, step))?;
    let mut after = before.clone();
    after.set_dossier(&decided);
    // The last step's note: a step without one leaves none, not the one before it.
    after.note.clone_from(&note);
    also(&mut after);
    after.revise();
    dossiers::save(conn, before, &after)?;
    audit::record(
        conn,
        actor,
        Change {
            action: AuditAction::DossierStep,
            resource_type: RESOURCE,
            resource_id: &after.id,
            before: Some(&trace(before)),
            after: Some(&trace(&after)),
        },
    )?;
    progress(conn, actor, &after, step, note, at)?;
    Ok(after)
}

/// Records documents the portal sent for a dossier already filed.
pub fn add_documents(
    conn: &mut DbConnection,
    actor: &Actor,
    row: &DossierRow,
    documents: &[DocumentRow],
) -> Result<(), StoreError> {
    dossiers::add_documents(conn, documents)?;
    for document in documents {
        audit::record(
            conn,
            actor,
            Change::created(
                AuditAction::DossierDocumentAdd,
                RESOURCE,
                &row.id,
                &json!({ "document_id": document.id, "sha256": document.sha256, "size_bytes": document.size_bytes }),
            ),
        )?;
    }
    Ok(())
}

/// Refuses to delete a case that a request for legal aid filed online waits on: the applicant
/// is owed a decision (art. 30), so the case is refused, or its withdrawal recorded, instead.
pub fn check_case_removable(conn: &mut DbConnection, case_id: &str) -> Result<(), ApiError> {
    let waiting = dossiers::of_case(conn, case_id)?.is_some_and(|d| d.dossier().awaits_its_case());
    if waiting {
        return Err(ApiError::conflict(
            "answers_dossier",
            Text::new(
                "Vụ việc này trả lời một yêu cầu nộp trực tuyến: hãy từ chối thụ lý hoặc ghi nhận rút yêu cầu thay vì xóa.",
                "This case answers a request filed online: refuse it, or record its withdrawal, instead of deleting it.",
            ),
        ));
    }
    Ok(())
}

/// Answers the request for legal aid whose acceptance opened `case` once the case decides
/// it ([`Dossier::answered_by_case`]): the dossier is completed or refused with a note the
/// applicant reads, its progress told to the portal. `reason` is the case step's (a
/// refusal's grounds). Answers the dossier answered; `None` for a case opened otherwise, or
/// not decided yet.
pub fn follow_case(
    conn: &mut DbConnection,
    actor: &Actor,
    case: &CaseRow,
    reason: Option<&str>,
) -> Result<Option<DossierRow>, ApiError> {
    let Some(before) = dossiers::of_case(conn, &case.id)? else {
        return Ok(None);
    };
    let Some(step) = before.dossier().answered_by_case(*case.state) else {
        return Ok(None);
    };
    let note = case_answer_note(&case.code, *case.state, reason);
    let calendar = reference::working_calendar(conn)?;
    let at = tgpl_persistence::now();
    let answered = take(
        conn,
        actor,
        &before,
        step,
        Some(note),
        at,
        &calendar,
        |_| {},
    )?;
    Ok(Some(answered))
}

/// A refused step as a problem: 409 `illegal_step` with the steps allowed next, or 422.
pub fn refused(refusal: DossierRefusal, step: DossierStep) -> ApiError {
    match refusal {
        DossierRefusal::Illegal { from } => illegal(step, from),
        DossierRefusal::AnsweredByCase => {
            let said = refusal.field_refusal();
            ApiError::conflict(said.code, Text::new(said.vi, said.en))
        }
        other => ApiError::refused(other),
    }
}

fn illegal(step: DossierStep, from: DossierStatus) -> ApiError {
    ApiError::illegal_step(
        Label::new("hồ sơ", "the dossier"),
        step.label(),
        from.label(),
        ("dossier_status", from.code()),
        from.next_steps_of(step.is_the_portals()),
    )
}
