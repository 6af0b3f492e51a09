//! Opening cases and taking their steps, as the case routes, change requests and the
//! demonstration data all do. The rules are the domain's ([`tgpl_domain::case`]); this module
//! looks up the facts a step needs, saves what the domain decided, and says the domain's
//! refusals as problems.

use chrono::{Datelike, NaiveDate};
use tgpl_domain::audit::AuditAction;
use tgpl_domain::case::{
    case_code, take_step, Case, CaseState, LitigationRole, ProviderChoice, StepFacts, StepInput,
    StepRecord, StepRefusal, Taken, TransferChoice, Transition,
};
use tgpl_domain::label::Label;
use tgpl_domain::label::Vocabulary;
use tgpl_domain::reference::AidPlace;
use tgpl_domain::role::Role;
use tgpl_domain::staff::NotEligible;
use tgpl_persistence::audit::Actor;
use tgpl_persistence::cases::{self, CaseRow, EventRow};
use tgpl_persistence::column::Code;
use tgpl_persistence::exclusive::{Claim, Rule};
use tgpl_persistence::organizations::{self, OrganizationRow};
use tgpl_persistence::versioned::Versioned;
use tgpl_persistence::{DbConnection, StoreError};

use crate::http::error::ApiError;
use crate::http::lang::Text;
use crate::services::staff_records;

/// What a case is about and for whom: what no rule reads, given when the case is opened.
#[derive(Debug, Clone)]
pub struct CaseSubject {
    pub recipient_id: String,
    /// The organization that received the person.
    pub recipient_organization_id: String,
    pub group_ref: Option<String>,
    pub requester_name: Option<String>,
    pub requester_relation: Option<String>,
    pub place: AidPlace,
    pub summary: String,
    /// The portal dossier the request came in, when it came online: the case's first
    /// history entry points back to it (`details.dossier_id`).
    pub dossier_id: Option<String>,
}

impl CaseSubject {
    /// The subject of an existing case (what a transfer carries over).
    pub fn of(row: &CaseRow) -> Self {
        Self {
            recipient_id: row.recipient_id.clone(),
            recipient_organization_id: row.recipient_organization_id.clone(),
            group_ref: row.group_ref.clone(),
            requester_name: row.requester_name.clone(),
            requester_relation: row.requester_relation.clone(),
            place: *row.place,
            summary: row.summary.clone(),
            dossier_id: None,
        }
    }
}

/// What case search matches for everyone: code and summary. The aided person's name is
/// matched separately, only where the caller may see recipients.
pub fn search_text(code: &str, summary: &str) -> String {
    tgpl_domain::text::fold(&format!("{code} {summary}"))
}

/// Records `case` (as [`Case::received`] or [`Case::received_by_transfer`] made it) in the
/// handling organization `org`, with its code (`<organization>-<year of receipt>-<sequence>`)
/// and its first history entry.
pub fn open(
    conn: &mut DbConnection,
    actor: &Actor,
    org: &OrganizationRow,
    case: &Case,
    subject: CaseSubject,
    transferred_from: Option<String>,
) -> Result<CaseRow, StoreError> {
    let year = case.received_on.year();
    let now = tgpl_persistence::now();
    let mut template = CaseRow {
        id: tgpl_persistence::new_id(),
        code: String::new(),
        search_text: String::new(),
        group_ref: subject.group_ref,
        organization_id: org.id.clone(),
        recipient_id: subject.recipient_id,
        requester_name: subject.requester_name,
        requester_relation: subject.requester_relation,
        received_on: case.received_on,
        accepted_on: None,
        field: Code(case.field),
        form: Code(case.form),
        place: Code(subject.place),
        provider_id: None,
        provider_kind: None,
        summary: subject.summary,
        litigation: None,
        outcome_on: None,
        defence_accepted: None,
        success_kind: None,
        state: Code(case.state),
        closed_on: None,
        closing_grounds: None,
        transferred_from_case_id: transferred_from,
        transferred_to_org_id: None,
        quality: None,
        deleted_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
        recipient_organization_id: subject.recipient_organization_id,
        closed_recorded_at: None,
    };
    template.set_case(case);
    let receipt = subject
        .dossier_id
        .map(|id| serde_json::json!({ "dossier_id": id }).to_string());
    cases::insert(conn, actor, &org.id, year, receipt, |sequence| {
        let code = case_code(&org.code, year, sequence);
        CaseRow {
            search_text: search_text(&code, &template.summary),
            code,
            ..template
        }
    })
}

/// The day of the case's latest step: the day a new step may not precede.
pub fn last_step_on(conn: &mut DbConnection, case: &CaseRow) -> Result<NaiveDate, StoreError> {
    Ok(cases::events(conn, &case.id)?
        .last()
        .map_or(case.received_on, |e| e.occurred_on))
}

/// Whether the staff member `provider_id` can take `case` on `day` (an unknown person
/// cannot: [`NotEligible::NotAMember`]), with the roles they hold in the other cases of its
/// proceedings (its group reference).
pub fn provider_choice(
    conn: &mut DbConnection,
    provider_id: String,
    case: &CaseRow,
    day: NaiveDate,
) -> Result<ProviderChoice, ApiError> {
    let eligibility = match staff_records::Person::read(conn, &provider_id) {
        Ok(person) => staff_records::can_take_cases(conn, &person, &case.organization_id, day)?,
        Err(e) if e.status == actix_web::http::StatusCode::NOT_FOUND => {
            Err(NotEligible::NotAMember)
        }
        Err(e) => return Err(e),
    };
    let roles_in_same_proceedings = match &case.group_ref {
        Some(group) => cases::roles_in_group(conn, group, &provider_id, &case.id)?,
        None => Vec::new(),
    };
    Ok(ProviderChoice {
        id: provider_id,
        eligibility,
        roles_in_same_proceedings,
    })
}

/// The claim under which the providers of the proceedings `case` belongs to are checked and
/// changed (none for a case of no group): two cases of one proceedings given one provider at
/// once must not both find the other side free.
pub fn proceedings_claims(case: &CaseRow) -> Vec<Claim> {
    case.group_ref
        .iter()
        .map(|group| Claim::new(Rule::Proceedings, group.as_str()))
        .collect()
}

/// Refuses a correction that would leave the case's provider serving both sides of its
/// proceedings ([`LitigationRole::serves_both_sides`]): a role or a group changed under an
/// assigned provider. 422 naming `field` (`litigation.role` or `group_ref`),
/// `opposed_interests`. Run under [`proceedings_claims`] of the case as corrected.
pub fn check_interests(
    conn: &mut DbConnection,
    case: &CaseRow,
    field: &str,
) -> Result<(), ApiError> {
    let (Some(group), Some(provider)) = (&case.group_ref, &case.provider_id) else {
        return Ok(());
    };
    let others = cases::roles_in_group(conn, group, provider, &case.id)?;
    let role = case.litigation.as_ref().and_then(|p| p.0.role);
    if LitigationRole::serves_both_sides(role, &others) {
        return Err(StepRefusal::OpposedInterests
            .field_refusal()
            .map_or_else(ApiError::forbidden, |r| ApiError::from(r.at(field))));
    }
    Ok(())
}

/// What is known of the organization `to` a case of `handling_org_id` would go to.
pub fn transfer_choice(
    conn: &mut DbConnection,
    to: String,
    handling_org_id: &str,
) -> Result<TransferChoice, ApiError> {
    let target = organizations::facts_of(conn, &to)?;
    let handling = organizations::get(conn, handling_org_id)?;
    Ok(TransferChoice {
        id: to,
        target,
        handling_province: handling.province_code,
    })
}

/// Takes `step` on the case `before` with `input` (see [`take_step`]) and saves it: the
/// case, its history entry and audit, and for a transfer the receiving centre's new case,
/// all in the caller's transaction. Answers the case as saved.
pub fn take_and_save(
    conn: &mut DbConnection,
    actor: &Actor,
    before: &CaseRow,
    step: Transition,
    input: StepInput,
    facts: StepFacts,
) -> Result<CaseRow, ApiError> {
    let on = input.on;
    let case = before.case();
    let taken = take_step(&case, step, input, facts).map_err(|r| step_refused(r, step, facts))?;
    let reason = taken.reason.clone();
    let after = save(conn, actor, before, step, taken, on)?;
    // The request for legal aid that opened the case, if any, is answered by its decision.
    crate::services::dossiers::follow_case(conn, actor, &after, reason.as_deref())?;
    Ok(after)
}

/// Saves a step the domain took (see [`take_and_save`]).
fn save(
    conn: &mut DbConnection,
    actor: &Actor,
    before: &CaseRow,
    step: Transition,
    taken: Taken,
    on: NaiveDate,
) -> Result<CaseRow, StoreError> {
    let mut after = before.clone();
    after.set_case(&taken.case);
    let mut details = serde_json::Map::new();
    match &taken.record {
        StepRecord::Plain => {}
        StepRecord::Provider { previous, provider } => {
            details.insert("previous_provider_id".into(), serde_json::json!(previous));
            details.insert("provider_id".into(), serde_json::json!(provider));
        }
        StepRecord::Transfer { to } => {
            let target = organizations::get(conn, to)?;
            let received = open(
                conn,
                actor,
                &target,
                &taken.case.received_by_transfer(on),
                CaseSubject::of(before),
                Some(before.id.clone()),
            )?;
            details.insert("to_organization_id".into(), serde_json::json!(to));
            details.insert("received_as_case_id".into(), serde_json::json!(received.id));
        }
        StepRecord::Evaluation { grade } => {
            details.insert("grade".into(), serde_json::json!(grade.code()));
        }
    }
    after.revise();
    let details = (!details.is_empty()).then(|| serde_json::Value::Object(details).to_string());
    let event = EventRow::new(
        &after,
        actor,
        step.code(),
        Some(taken.from),
        on,
        taken.reason,
        details,
    );
    cases::save(
        conn,
        actor,
        AuditAction::CaseStep,
        before,
        &after,
        Some(&event),
    )?;
    Ok(after)
}

/// A refused step as a problem: 409 `illegal_step` with the steps allowed next, 403, or 422
/// naming the field.
pub fn step_refused(refusal: StepRefusal, step: Transition, facts: StepFacts) -> ApiError {
    match refusal {
        StepRefusal::Illegal { from } => illegal_step(step, from, facts),
        StepRefusal::Forbidden => match facts.role {
            Some(role) if !step.allowed_for(role) => taken_by_others(step),
            _ => ApiError::forbidden(),
        },
        StepRefusal::NotEvaluable => ApiError::conflict(
            "not_evaluable",
            Text::new(
                "Chỉ đánh giá chất lượng vụ việc tham gia tố tụng và đại diện ngoài tố tụng.",
                "Quality is evaluated on litigation and representation cases only.",
            ),
        ),
        _ => refusal
            .field_refusal()
            .map_or_else(ApiError::forbidden, ApiError::from),
    }
}

/// 403 for a step the caller's role never takes, naming the roles that take it.
fn taken_by_others(step: Transition) -> ApiError {
    let roles: Vec<Role> = Role::ALL
        .iter()
        .copied()
        .filter(|r| step.allowed_for(*r))
        .collect();
    let names = |label: fn(Role) -> &'static str| {
        roles
            .iter()
            .map(|r| label(*r))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let step = step.label();
    ApiError::forbidden_because(Text::new(
        format!(
            "Bước «{}» do {} thực hiện.",
            step.vi,
            names(|r| r.label().vi)
        ),
        format!("“{}” is taken by: {}.", step.en, names(|r| r.label().en)),
    ))
}

fn illegal_step(step: Transition, state: CaseState, facts: StepFacts) -> ApiError {
    let allowed = state
        .next_steps()
        .into_iter()
        .filter(|t| facts.role.is_none_or(|role| t.allowed_for(role)));
    ApiError::illegal_step(
        Label::new("vụ việc", "the case"),
        step.label(),
        state.label(),
        ("state", state.code()),
        allowed,
    )
}
