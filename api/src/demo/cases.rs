//! Demo cases: in each province, cases in every state of the life cycle with their
//! history, a successful litigation case, and a transfer to the next province's centre.
//! Seeded once per centre.

use chrono::{Datelike, NaiveDate};
use tgpl_domain::audit::AuditAction;
use tgpl_domain::case::{case_code, CaseState, QualityGrade, SuccessKind, Transition};
use tgpl_domain::label::Vocabulary;
use tgpl_domain::reference::{AidForm, AidPlace, Field};
use tgpl_persistence::audit::Actor;
use tgpl_persistence::cases::{self, CaseFilter, CaseRow, EventRow};
use tgpl_persistence::organizations::OrganizationRow;
use tgpl_persistence::page::PageRequest;
use tgpl_persistence::recipients::{self, RecipientFilter};
use tgpl_persistence::staff::{self, StaffFilter};
use tgpl_persistence::DbConnection;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap_or_default()
}

/// The steps that lead a new case to `target`.
fn path_to(target: CaseState) -> &'static [Transition] {
    use Transition::*;
    match target {
        CaseState::Received => &[],
        CaseState::Accepted => &[Accept],
        CaseState::ProviderAssigned => &[Accept, AssignProvider],
        CaseState::InProgress => &[Accept, AssignProvider, Start],
        CaseState::Completed => &[Accept, AssignProvider, Start, Complete],
        CaseState::QualityEvaluated => &[Accept, AssignProvider, Start, Complete, EvaluateQuality],
        CaseState::Archived => &[
            Accept,
            AssignProvider,
            Start,
            Complete,
            EvaluateQuality,
            Archive,
        ],
        CaseState::Refused => &[Refuse],
        CaseState::Discontinued => &[Accept, AssignProvider, Discontinue],
        CaseState::Withdrawn => &[Accept, Withdraw],
        CaseState::TransferredOut => &[Accept, TransferOut],
    }
}

/// (target state, form, field, place, successful outcome)
const PLAN: [(CaseState, AidForm, Field, AidPlace, Option<SuccessKind>); 12] = [
    (
        CaseState::Received,
        AidForm::Counselling,
        Field::Civil,
        AidPlace::AtOffice,
        None,
    ),
    (
        CaseState::Accepted,
        AidForm::Counselling,
        Field::Land,
        AidPlace::Mobile,
        None,
    ),
    (
        CaseState::ProviderAssigned,
        AidForm::Representation,
        Field::Administrative,
        AidPlace::AtOffice,
        None,
    ),
    (
        CaseState::InProgress,
        AidForm::Litigation,
        Field::Criminal,
        AidPlace::Detention,
        None,
    ),
    (
        CaseState::Completed,
        AidForm::Litigation,
        Field::Criminal,
        AidPlace::Detention,
        Some(SuccessKind::BelowProcuracyProposal),
    ),
    (
        CaseState::Completed,
        AidForm::Litigation,
        Field::Criminal,
        AidPlace::Detention,
        None,
    ),
    (
        CaseState::QualityEvaluated,
        AidForm::Representation,
        Field::MarriageFamily,
        AidPlace::AtOffice,
        None,
    ),
    (
        CaseState::Archived,
        AidForm::Counselling,
        Field::Labour,
        AidPlace::AtOffice,
        None,
    ),
    (
        CaseState::Refused,
        AidForm::Counselling,
        Field::Other,
        AidPlace::AtOffice,
        None,
    ),
    (
        CaseState::Discontinued,
        AidForm::Litigation,
        Field::Civil,
        AidPlace::Other,
        None,
    ),
    (
        CaseState::Withdrawn,
        AidForm::Counselling,
        Field::MarriageFamily,
        AidPlace::Mobile,
        None,
    ),
    (
        CaseState::TransferredOut,
        AidForm::Litigation,
        Field::Criminal,
        AidPlace::Detention,
        None,
    ),
];

/// Whether a centre has no cases yet (and so gets the demo ones).
pub fn has_none(conn: &mut DbConnection, center: &OrganizationRow) -> Result<bool, String> {
    let filter = CaseFilter {
        organizations: Some(vec![center.id.clone()]),
        ..CaseFilter::default()
    };
    let existing =
        cases::list(conn, &filter, PageRequest { page: 1, size: 1 }).map_err(|e| e.to_string())?;
    Ok(existing.total == 0)
}

pub fn seed(
    conn: &mut DbConnection,
    actor: &Actor,
    center: &OrganizationRow,
    next_center: &OrganizationRow,
) -> Result<(), String> {
    let err = |e: tgpl_persistence::StoreError| e.to_string();
    let one = PageRequest { page: 1, size: 1 };
    let people = recipients::list(
        conn,
        &RecipientFilter {
            organizations: Some(vec![center.id.clone()]),
            ..RecipientFilter::default()
        },
        PageRequest { page: 1, size: 10 },
    )
    .map_err(err)?
    .items;
    let provider = staff::list(
        conn,
        &StaffFilter {
            organizations: Some(vec![center.id.clone()]),
            search: Some("nguyen van an".into()),
            ..StaffFilter::default()
        },
        one,
    )
    .map_err(err)?
    .items
    .into_iter()
    .next()
    .ok_or("no demo provider")?;
    for (i, (target, form, field, place, success)) in PLAN.into_iter().enumerate() {
        let Some(recipient) = people.get(i % people.len().max(1)) else {
            return Ok(());
        };
        let received_on = d(1 + (i as u32 % 10), 3 + i as u32);
        let row = new_case(
            conn,
            actor,
            center,
            recipient,
            received_on,
            form,
            field,
            place,
        )?;
        walk(conn, actor, row, target, &provider.id, success, next_center)?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn new_case(
    conn: &mut DbConnection,
    actor: &Actor,
    center: &OrganizationRow,
    recipient: &tgpl_persistence::recipients::RecipientRow,
    received_on: NaiveDate,
    form: AidForm,
    field: Field,
    place: AidPlace,
) -> Result<CaseRow, String> {
    let summary = format!("{} về {}", form.label().vi, field.label().vi.to_lowercase());
    let litigation = (form == AidForm::Litigation).then(|| {
        serde_json::json!({"role": "defence", "stage": "first_instance", "charge": "Trộm cắp tài sản, Điều 173",
                           "procedural_agency": "Tòa án nhân dân khu vực 1", "proposed_sentence": "24 tháng tù"})
        .to_string()
    });
    let now = tgpl_persistence::now();
    cases::insert(conn, actor, &center.id, received_on.year(), |sequence| {
        let code = case_code(&center.code, received_on.year(), sequence);
        CaseRow {
            id: tgpl_persistence::new_id(),
            search_text: crate::routes::cases::search_text(&code, &summary),
            code,
            group_ref: None,
            organization_id: center.id.clone(),
            recipient_id: recipient.id.clone(),
            requester_name: None,
            requester_relation: None,
            received_on,
            accepted_on: None,
            field: field.to_string(),
            form: form.to_string(),
            place: place.to_string(),
            provider_id: None,
            provider_kind: None,
            summary,
            litigation,
            outcome_on: None,
            defence_accepted: None,
            success_kind: None,
            state: CaseState::Received.to_string(),
            closed_on: None,
            closing_grounds: None,
            transferred_from_case_id: None,
            transferred_to_org_id: None,
            quality: None,
            deleted_at: None,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    })
    .map_err(|e| e.to_string())
}

/// Takes a new case through the steps to `target`, one day apart, with their events.
fn walk(
    conn: &mut DbConnection,
    actor: &Actor,
    mut row: CaseRow,
    target: CaseState,
    provider_id: &str,
    success: Option<SuccessKind>,
    next_center: &OrganizationRow,
) -> Result<(), String> {
    let mut day = row.received_on;
    for step in path_to(target) {
        day = day.succ_opt().unwrap_or(day);
        let from: CaseState = row.state.parse().map_err(|_| "bad state".to_owned())?;
        let to = step
            .target(from)
            .ok_or_else(|| format!("{step} from {from}"))?;
        let before = row.clone();
        row.state = to.to_string();
        let mut reason = None;
        match step {
            Transition::Accept => row.accepted_on = Some(day),
            Transition::AssignProvider => {
                row.provider_id = Some(provider_id.to_owned());
                row.provider_kind = Some("legal_aid_officer".into());
            }
            Transition::Complete => {
                row.closed_on = Some(day);
                if row.form == AidForm::Litigation.code() {
                    row.outcome_on = Some(day);
                    row.defence_accepted = Some(success.is_some());
                    row.success_kind = success.map(|s| s.to_string());
                }
            }
            Transition::Refuse | Transition::Discontinue | Transition::Withdraw => {
                row.closed_on = Some(day);
                reason = Some("Người được trợ giúp pháp lý không còn thuộc diện".to_owned());
                row.closing_grounds = reason.clone();
            }
            Transition::EvaluateQuality => {
                let grade = QualityGrade::Good;
                row.quality = Some(serde_json::json!({"grade": grade.code(), "evaluator": "stp", "evaluated_on": day}).to_string());
            }
            Transition::TransferOut => {
                row.closed_on = Some(day);
                row.transferred_to_org_id = Some(next_center.id.clone());
                new_case_from(conn, actor, &row, next_center, day)?;
            }
            _ => {}
        }
        row.version += 1;
        row.updated_at = tgpl_persistence::now();
        let event = EventRow::new(
            &row,
            actor,
            step.code(),
            Some(from.code()),
            day,
            reason,
            None,
        );
        cases::save(
            conn,
            actor,
            AuditAction::CaseStep,
            &before,
            &row,
            Some(&event),
        )
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The receiving centre's case of a transfer.
fn new_case_from(
    conn: &mut DbConnection,
    actor: &Actor,
    source: &CaseRow,
    target: &OrganizationRow,
    day: NaiveDate,
) -> Result<CaseRow, String> {
    let now = tgpl_persistence::now();
    cases::insert(conn, actor, &target.id, day.year(), |sequence| {
        let code = case_code(&target.code, day.year(), sequence);
        CaseRow {
            id: tgpl_persistence::new_id(),
            code,
            organization_id: target.id.clone(),
            received_on: day,
            accepted_on: None,
            provider_id: None,
            provider_kind: None,
            state: CaseState::Received.to_string(),
            closed_on: None,
            closing_grounds: None,
            transferred_from_case_id: Some(source.id.clone()),
            transferred_to_org_id: None,
            quality: None,
            deleted_at: None,
            version: 1,
            created_at: now,
            updated_at: now,
            ..source.clone()
        }
    })
    .map_err(|e| e.to_string())
}
