//! Demo cases: in each province, cases in every state of the life cycle with their
//! history, a successful litigation case, and a transfer to the next province's centre.
//! Seeded once per centre.

use chrono::NaiveDate;
use tgpl_domain::case::{
    Case, CaseState, LitigationRole, OutcomeInput, ProceedingStage, Proceedings, QualityGrade,
    StepFacts, StepInput, SuccessKind, Transition,
};
use tgpl_domain::label::Vocabulary;
use tgpl_domain::reference::{AidForm, AidPlace, Field};
use tgpl_persistence::audit::Actor;
use tgpl_persistence::cases::{self, CaseFilter, CaseRow};
use tgpl_persistence::organizations::OrganizationRow;
use tgpl_persistence::page::PageRequest;
use tgpl_persistence::recipients::{self, RecipientFilter};
use tgpl_persistence::staff::{self, StaffFilter};
use tgpl_persistence::DbConnection;

use crate::scope::today;
use crate::services::case_steps::{self, CaseSubject};

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
        // Evaluation samples litigation and representation cases; an archived one need not
        // have been in the sample.
        CaseState::Archived => &[Accept, AssignProvider, Start, Complete, Archive],
        CaseState::Refused => &[Refuse],
        CaseState::Discontinued => &[Accept, AssignProvider, Discontinue],
        CaseState::Withdrawn => &[Accept, Withdraw],
        CaseState::TransferredOut => &[Accept, TransferOut],
    }
}

/// Who gives the aid in a demo case, found by name among the centre's providers.
#[derive(Clone, Copy)]
enum Giver {
    /// Nguyễn Văn An, the centre's legal aid officer.
    Officer,
    /// Lê Minh Cường, of the law firm, under contract with the centre.
    Lawyer,
    /// Phạm Thị Dung, the collaborator with a valid card.
    Collaborator,
}

impl Giver {
    fn search(self) -> &'static str {
        match self {
            Self::Officer => "nguyen van an",
            Self::Lawyer => "le minh cuong",
            Self::Collaborator => "pham thi dung",
        }
    }
}

/// (target state, form, field, place, successful outcome, provider)
const PLAN: [(
    CaseState,
    AidForm,
    Field,
    AidPlace,
    Option<SuccessKind>,
    Giver,
); 12] = [
    (
        CaseState::Received,
        AidForm::Counselling,
        Field::Civil,
        AidPlace::AtOffice,
        None,
        Giver::Officer,
    ),
    (
        CaseState::Accepted,
        AidForm::Counselling,
        Field::Land,
        AidPlace::Mobile,
        None,
        Giver::Officer,
    ),
    (
        CaseState::ProviderAssigned,
        AidForm::Representation,
        Field::Administrative,
        AidPlace::AtOffice,
        None,
        Giver::Officer,
    ),
    (
        CaseState::InProgress,
        AidForm::Litigation,
        Field::Criminal,
        AidPlace::Detention,
        None,
        Giver::Lawyer,
    ),
    (
        CaseState::Completed,
        AidForm::Litigation,
        Field::Criminal,
        AidPlace::Detention,
        Some(SuccessKind::BelowProcuracyProposal),
        Giver::Lawyer,
    ),
    (
        CaseState::Completed,
        AidForm::Litigation,
        Field::Criminal,
        AidPlace::Detention,
        None,
        Giver::Officer,
    ),
    (
        CaseState::QualityEvaluated,
        AidForm::Representation,
        Field::MarriageFamily,
        AidPlace::AtOffice,
        None,
        Giver::Officer,
    ),
    (
        CaseState::Archived,
        AidForm::Counselling,
        Field::Labour,
        AidPlace::AtOffice,
        None,
        Giver::Collaborator,
    ),
    (
        CaseState::Refused,
        AidForm::Counselling,
        Field::Other,
        AidPlace::AtOffice,
        None,
        Giver::Officer,
    ),
    (
        CaseState::Discontinued,
        AidForm::Litigation,
        Field::Civil,
        AidPlace::Other,
        None,
        Giver::Officer,
    ),
    (
        CaseState::Withdrawn,
        AidForm::Counselling,
        Field::MarriageFamily,
        AidPlace::Mobile,
        None,
        Giver::Officer,
    ),
    (
        CaseState::TransferredOut,
        AidForm::Litigation,
        Field::Criminal,
        AidPlace::Detention,
        None,
        Giver::Officer,
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
    for (i, (target, form, field, place, success, giver)) in PLAN.into_iter().enumerate() {
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
        let provider_id = provider_of(conn, center, giver)?;
        walk(conn, actor, row, target, &provider_id, success, next_center)?;
    }
    Ok(())
}

/// The id of the centre's provider who plays `giver`; a centre without the lawyer or the
/// collaborator falls back on its officer.
fn provider_of(
    conn: &mut DbConnection,
    center: &OrganizationRow,
    giver: Giver,
) -> Result<String, String> {
    let found = staff::list(
        conn,
        &StaffFilter {
            organizations: Some(vec![center.id.clone()]),
            search: Some(giver.search().into()),
            ..StaffFilter::default()
        },
        PageRequest { page: 1, size: 1 },
    )
    .map_err(|e| e.to_string())?
    .items
    .into_iter()
    .next();
    match (found, giver) {
        (Some(person), _) => Ok(person.id),
        (None, Giver::Officer) => Err("no demo provider".into()),
        (None, _) => provider_of(conn, center, Giver::Officer),
    }
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
    // A defence, its charge and the proposed sentence are criminal procedure's; in another
    // field the provider represents the litigant.
    let criminal = field == Field::Criminal;
    let proceedings = (form == AidForm::Litigation).then(|| Proceedings {
        role: Some(if criminal {
            LitigationRole::Defence
        } else {
            LitigationRole::Representation
        }),
        stage: Some(ProceedingStage::FirstInstance),
        charge: criminal.then(|| "Trộm cắp tài sản, Điều 173".into()),
        procedural_agency: Some("Tòa án nhân dân khu vực 1".into()),
        proposed_sentence: criminal.then(|| "24 tháng tù".into()),
        outcome: None,
    });
    let case = Case::received(field, form, received_on, proceedings, today())
        .map_err(|e| format!("demo case: {e:?}"))?;
    let subject = CaseSubject {
        recipient_id: recipient.id.clone(),
        recipient_organization_id: recipient.organization_id.clone(),
        group_ref: None,
        requester_name: None,
        requester_relation: None,
        place,
        summary,
        dossier_id: None,
    };
    case_steps::open(conn, actor, center, &case, subject, None).map_err(|e| e.to_string())
}

/// Takes a new case through the steps to `target`, one day apart, as the system: through
/// the same rules as anyone's steps, with the provider's eligibility looked up.
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
    for &step in path_to(target) {
        let last_step_on = day;
        day = day.succ_opt().unwrap_or(day);
        let mut input = StepInput::on(day);
        match step {
            Transition::AssignProvider => {
                input.provider = Some(
                    case_steps::provider_choice(conn, provider_id.to_owned(), &row, day)
                        .map_err(|e| e.to_string())?,
                );
            }
            Transition::Complete if *row.form == AidForm::Litigation => {
                input.outcome = Some(OutcomeInput {
                    outcome: None,
                    outcome_on: Some(day),
                    defence_accepted: Some(success.is_some()),
                    success_kind: success,
                });
            }
            Transition::Refuse | Transition::Discontinue | Transition::Withdraw => {
                input.reason = Some("Người được trợ giúp pháp lý không còn thuộc diện".to_owned());
            }
            Transition::EvaluateQuality => input.grade = Some(QualityGrade::Good),
            Transition::TransferOut => {
                input.transfer = Some(
                    case_steps::transfer_choice(conn, next_center.id.clone(), &row.organization_id)
                        .map_err(|e| e.to_string())?,
                );
            }
            _ => {}
        }
        let facts = StepFacts {
            today: today(),
            last_step_on,
            role: None,
            actor: &actor.username,
        };
        row = case_steps::take_and_save(conn, actor, &row, step, input, facts)
            .map_err(|e| format!("demo step {step}: {e}"))?;
    }
    Ok(())
}
