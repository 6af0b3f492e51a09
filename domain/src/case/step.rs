//! Taking a step of a case: what each step requires, checks and changes.
//!
//! [`take_step`] is the one way a case moves, for a person at the API, for a change request
//! and for the demonstration and benchmark data alike. It reads only what it is given: the
//! case, the step's input (with what the caller looked up about the people and organizations
//! it names) and the facts of the moment.

use crate::label::Vocabulary;
use crate::lifecycle::Step;
use chrono::NaiveDate;

use super::record::{Case, DetailsError, QualityEvaluation};
use super::vocabulary::{CaseState, LitigationRole, QualityGrade, SuccessKind, Transition};
use crate::organization::OrganizationFacts;
use crate::reference::ProviderKind;
use crate::refusal::{FieldRefusal, Refusal};
use crate::role::Role;
use crate::staff::NotEligible;

/// The provider a step names, with whether they can take a case of the handling organization
/// on the step's day (see [`crate::staff::check_can_take_cases`]; an unknown person is
/// [`NotEligible::NotAMember`]), and the roles they hold in the other cases of the same
/// proceedings (the cases sharing the case's group reference).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderChoice {
    pub id: String,
    pub eligibility: Result<ProviderKind, NotEligible>,
    pub roles_in_same_proceedings: Vec<LitigationRole>,
}

/// The organization a `transfer_out` names: `target` is `None` when no such organization
/// exists; `handling_province` is the province of the centre that has the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferChoice {
    pub id: String,
    pub target: Option<OrganizationFacts>,
    pub handling_province: Option<String>,
}

/// The outcome a `complete` step records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutcomeInput {
    /// Litigation: the decision of the proceedings.
    pub outcome: Option<String>,
    /// The day of the outcome; the step's day when absent.
    pub outcome_on: Option<NaiveDate>,
    pub defence_accepted: Option<bool>,
    pub success_kind: Option<SuccessKind>,
}

/// What a step carries; each step reads what it needs and requires some of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepInput {
    /// The legal date of the step (a Viet Nam date).
    pub on: NaiveDate,
    /// Grounds or reasons: required to refuse, discontinue and change the provider.
    pub reason: Option<String>,
    /// `assign_provider`, `change_provider`.
    pub provider: Option<ProviderChoice>,
    /// `transfer_out`.
    pub transfer: Option<TransferChoice>,
    /// `complete`.
    pub outcome: Option<OutcomeInput>,
    /// `evaluate_quality`.
    pub grade: Option<QualityGrade>,
}

impl StepInput {
    /// A step on `on` that carries nothing else.
    pub fn on(on: NaiveDate) -> Self {
        Self {
            on,
            reason: None,
            provider: None,
            transfer: None,
            outcome: None,
            grade: None,
        }
    }
}

/// Who takes the step and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepFacts<'a> {
    /// Today, in Viet Nam.
    pub today: NaiveDate,
    /// The day of the case's latest step (its receipt when it has none).
    pub last_step_on: NaiveDate,
    /// The role of the person taking the step; `None` for the system acting on an
    /// operator's command (demonstration and benchmark data), which no role limits.
    pub role: Option<Role>,
    /// The username of whoever takes the step (the evaluator of a quality evaluation).
    pub actor: &'a str,
}

/// What a step recorded beyond the case's new state, for its history entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepRecord {
    Plain,
    /// A provider was assigned or changed.
    Provider {
        previous: Option<String>,
        provider: String,
    },
    /// The case went to the centre `to`, which must receive it as a new case
    /// ([`Case::received_by_transfer`]) in the same transaction.
    Transfer {
        to: String,
    },
    Evaluation {
        grade: QualityGrade,
    },
}

/// A step taken: the case as it now is, the state it left, the reason for the history, and
/// what else was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taken {
    pub case: Case,
    pub from: CaseState,
    pub reason: Option<String>,
    pub record: StepRecord,
}

/// Why a step was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepRefusal {
    /// Dated after today.
    InFuture,
    /// The step cannot be taken from the case's state.
    Illegal {
        from: CaseState,
    },
    /// The role may not take this step.
    Forbidden,
    /// Dated before the case's latest step.
    BeforePreviousStep {
        previous: NaiveDate,
    },
    /// An acceptance dated before the receipt.
    BeforeReceipt,
    /// The step needs this field of its input (`reason`, `provider_id`,
    /// `to_organization_id`, `grade`).
    Required(&'static str),
    /// A change of provider to the provider already assigned.
    ProviderUnchanged,
    ProviderNotEligible(NotEligible),
    /// The provider's kind does not give the case's form ([`ProviderKind::gives`]).
    ProviderNotForForm(ProviderKind),
    /// The provider serves, in the same proceedings, someone whose interests oppose this
    /// case's person ([`LitigationRole::opposes`]).
    OpposedInterests,
    /// A transfer goes to an active state centre of another province (Law 2017 art. 30(3)).
    NotAnotherProvinceCentre,
    /// The outcome is dated before the receipt or after the completion.
    OutcomeOutOfRange,
    /// The recorded outcome does not agree with the case's form (see
    /// [`Case::check_outcome_fields`]).
    Details(DetailsError),
    /// Quality is evaluated on litigation and representation cases only
    /// ([`Case::is_evaluable`]).
    NotEvaluable,
}

impl StepRefusal {
    /// The refusal as one refused field of the step's input; `None` for the refusals that are
    /// not about a field (an illegal step, a forbidden one).
    pub fn field_refusal(&self) -> Option<FieldRefusal> {
        let refusal = match self {
            Self::InFuture => FieldRefusal::new(
                "on",
                "in_future",
                "Ngày của bước không thể ở tương lai.",
                "The step's date cannot be in the future.",
            ),
            Self::Illegal { .. } | Self::Forbidden | Self::NotEvaluable => return None,
            Self::BeforePreviousStep { previous } => FieldRefusal::new(
                "on",
                "before_previous_step",
                format!("Ngày của bước không thể trước bước trước đó ({previous})."),
                format!("A step cannot be dated before the previous one ({previous})."),
            ),
            Self::BeforeReceipt => FieldRefusal::new(
                "on",
                "before_receipt",
                "Ngày thụ lý không thể trước ngày tiếp nhận.",
                "A case is accepted after it is received.",
            ),
            Self::Required(field) => FieldRefusal::new(
                *field,
                "required",
                format!("Bước này cần `{field}`."),
                format!("This step needs `{field}`."),
            ),
            Self::ProviderUnchanged => FieldRefusal::new(
                "provider_id",
                "unchanged",
                "Người thực hiện mới phải khác người cũ.",
                "The new provider must differ.",
            ),
            Self::ProviderNotEligible(e) => e.field_refusal(),
            Self::OpposedInterests => FieldRefusal::new(
                "provider_id",
                "opposed_interests",
                "Người này đang hoặc đã thực hiện trợ giúp pháp lý cho người có quyền lợi đối lập trong cùng vụ án (bào chữa và bảo vệ bị hại).",
                "This provider serves, or served, someone whose interests are opposed in the same proceedings (the defence and the victim's protection).",
            ),
            Self::ProviderNotForForm(kind) => FieldRefusal::new(
                "provider_id",
                "not_for_form",
                format!(
                    "{} không thực hiện hình thức trợ giúp pháp lý của vụ việc này: chỉ trợ giúp viên pháp lý và luật sư tham gia tố tụng và đại diện ngoài tố tụng.",
                    kind.label().vi
                ),
                format!(
                    "A {} does not give this case's form of aid: only legal aid officers and lawyers take part in proceedings and represent out of court.",
                    kind.label().en.to_lowercase()
                ),
            ),
            Self::NotAnotherProvinceCentre => FieldRefusal::new(
                "to_organization_id",
                "not_another_province_centre",
                "Chỉ chuyển vụ việc cho Trung tâm trợ giúp pháp lý nhà nước đang hoạt động của tỉnh khác.",
                "A case is transferred to an active state legal aid centre of another province.",
            ),
            Self::OutcomeOutOfRange => FieldRefusal::new(
                "outcome.outcome_on",
                "out_of_range",
                "Ngày có kết quả phải từ ngày thụ lý đến ngày kết thúc vụ việc.",
                "The outcome's date lies between the acceptance and the completion.",
            ),
            // An outcome is recorded by the `complete` step's `outcome`.
            Self::Details(DetailsError::NotLitigation) => e_not_litigation(),
            Self::Details(e) => {
                let refusal = e.field_refusal();
                let field = format!("outcome.{}", refusal.field);
                refusal.at(field)
            }
        };
        Some(refusal)
    }
}

fn e_not_litigation() -> FieldRefusal {
    DetailsError::NotLitigation.field_refusal().at("outcome")
}

impl Transition {
    /// Whether the step names a provider (whose eligibility the caller looks up).
    pub fn names_provider(self) -> bool {
        matches!(self, Self::AssignProvider | Self::ChangeProvider)
    }

    /// Whether the step names an organization to transfer the case to.
    pub fn names_transfer_target(self) -> bool {
        self == Self::TransferOut
    }
}

/// Takes `step` on `case`. Checks, in this order: the day (not in the future), the state,
/// the role, the day again (not before the latest step), then what the step itself requires.
pub fn take_step(
    case: &Case,
    step: Transition,
    input: StepInput,
    facts: StepFacts,
) -> Result<Taken, StepRefusal> {
    let on = input.on;
    if on > facts.today {
        return Err(StepRefusal::InFuture);
    }
    let from = case.state;
    let to = step.target(from).ok_or(StepRefusal::Illegal { from })?;
    if facts.role.is_some_and(|role| !step.allowed_for(role)) {
        return Err(StepRefusal::Forbidden);
    }
    if on < facts.last_step_on {
        return Err(StepRefusal::BeforePreviousStep {
            previous: facts.last_step_on,
        });
    }
    let mut after = case.clone();
    after.state = to;
    let mut reason = input.reason.clone();
    let mut record = StepRecord::Plain;
    match step {
        Transition::Accept => {
            if on < case.received_on {
                return Err(StepRefusal::BeforeReceipt);
            }
            after.accepted_on = Some(on);
        }
        Transition::Refuse | Transition::Discontinue => {
            let grounds = input.reason.ok_or(StepRefusal::Required("reason"))?;
            after.closed_on = Some(on);
            after.closing_grounds = Some(grounds);
        }
        Transition::AssignProvider | Transition::ChangeProvider => {
            let choice = input.provider.ok_or(StepRefusal::Required("provider_id"))?;
            if step == Transition::ChangeProvider {
                if input.reason.is_none() {
                    return Err(StepRefusal::Required("reason"));
                }
                if case.provider_id.as_deref() == Some(choice.id.as_str()) {
                    return Err(StepRefusal::ProviderUnchanged);
                }
            }
            let kind = choice
                .eligibility
                .map_err(StepRefusal::ProviderNotEligible)?;
            if !kind.gives(case.form) {
                return Err(StepRefusal::ProviderNotForForm(kind));
            }
            let role = case.proceedings.as_ref().and_then(|p| p.role);
            if LitigationRole::serves_both_sides(role, &choice.roles_in_same_proceedings) {
                return Err(StepRefusal::OpposedInterests);
            }
            record = StepRecord::Provider {
                previous: case.provider_id.clone(),
                provider: choice.id.clone(),
            };
            after.provider_id = Some(choice.id);
            after.provider_kind = Some(kind);
        }
        Transition::Complete => {
            after.closed_on = Some(on);
            // A litigation case ends by saying whether the defence view was accepted: that
            // is what makes it a successful case or not (seed 000 appendix 01).
            let litigation = case.form == crate::reference::AidForm::Litigation;
            let defence_said = input
                .outcome
                .as_ref()
                .is_some_and(|o| o.defence_accepted.is_some());
            if litigation && !defence_said {
                return Err(StepRefusal::Required("outcome.defence_accepted"));
            }
            if let Some(outcome) = input.outcome {
                record_outcome(&mut after, outcome, on)?;
            }
        }
        Transition::Withdraw => {
            after.closed_on = Some(on);
            after.closing_grounds = input.reason;
        }
        Transition::TransferOut => {
            let choice = input
                .transfer
                .ok_or(StepRefusal::Required("to_organization_id"))?;
            let another_province_centre = choice.target.as_ref().is_some_and(|t| {
                t.is_active_centre() && t.province_code != choice.handling_province
            });
            if !another_province_centre {
                return Err(StepRefusal::NotAnotherProvinceCentre);
            }
            after.transferred_to = Some(choice.id.clone());
            after.closed_on = Some(on);
            record = StepRecord::Transfer { to: choice.id };
        }
        Transition::EvaluateQuality => {
            if !case.is_evaluable() {
                return Err(StepRefusal::NotEvaluable);
            }
            let grade = input.grade.ok_or(StepRefusal::Required("grade"))?;
            after.quality = Some(QualityEvaluation {
                grade,
                evaluator: facts.actor.to_owned(),
                evaluated_on: on,
                remarks: input.reason,
            });
            // The remarks are the evaluation's, not a reason for the step.
            reason = None;
            record = StepRecord::Evaluation { grade };
        }
        Transition::Start | Transition::Archive => {}
    }
    Ok(Taken {
        case: after,
        from,
        reason,
        record,
    })
}

/// The outcome a `complete` step records: the decision goes into the proceedings, and the
/// outcome fields must agree with the form.
fn record_outcome(
    case: &mut Case,
    outcome: OutcomeInput,
    on: NaiveDate,
) -> Result<(), StepRefusal> {
    if outcome.outcome.is_some() {
        let mut proceedings = case.proceedings.take().unwrap_or_default();
        proceedings.outcome = outcome.outcome;
        case.proceedings = Some(proceedings);
    }
    let outcome_on = outcome.outcome_on.unwrap_or(on);
    // The decision comes before the case ends on it (`on` is never after today).
    if outcome_on > on || outcome_on < case.outcome_from() {
        return Err(StepRefusal::OutcomeOutOfRange);
    }
    case.outcome_on = Some(outcome_on);
    case.defence_accepted = outcome.defence_accepted;
    case.success_kind = outcome.success_kind;
    case.check_outcome_fields().map_err(StepRefusal::Details)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::LitigationRole;
    use crate::case::Proceedings;
    use crate::organization::OrganizationKind;
    use crate::reference::{AidForm, Field};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const TODAY: (i32, u32, u32) = (2026, 6, 30);

    fn today() -> NaiveDate {
        d(TODAY.0, TODAY.1, TODAY.2)
    }

    fn received(form: AidForm) -> Case {
        let proceedings = (form == AidForm::Litigation).then(|| Proceedings {
            role: Some(LitigationRole::Defence),
            ..Proceedings::default()
        });
        Case::received(Field::Criminal, form, d(2026, 3, 1), proceedings, today()).unwrap()
    }

    fn facts(role: Role, last_step_on: NaiveDate) -> StepFacts<'static> {
        StepFacts {
            today: today(),
            last_step_on,
            role: Some(role),
            actor: "gd.hn",
        }
    }

    /// Takes `step` on `day` as the centre's director, with `input` adjusted by `with`.
    fn take(
        case: &Case,
        step: Transition,
        day: NaiveDate,
        with: impl FnOnce(&mut StepInput),
    ) -> Result<Taken, StepRefusal> {
        let mut input = StepInput::on(day);
        with(&mut input);
        let last = case.accepted_on.unwrap_or(case.received_on);
        take_step(case, step, input, facts(Role::CenterLeader, last))
    }

    fn provider(id: &str) -> ProviderChoice {
        ProviderChoice {
            id: id.into(),
            eligibility: Ok(ProviderKind::LegalAidOfficer),
            roles_in_same_proceedings: Vec::new(),
        }
    }

    #[test]
    fn a_case_goes_from_request_to_archive_recording_each_step() {
        let case = received(AidForm::Litigation);
        let accepted = take(&case, Transition::Accept, d(2026, 3, 2), |_| {}).unwrap();
        assert_eq!(accepted.case.accepted_on, Some(d(2026, 3, 2)));
        assert_eq!(accepted.from, CaseState::Received);
        let assigned = take(
            &accepted.case,
            Transition::AssignProvider,
            d(2026, 3, 3),
            |i| i.provider = Some(provider("an")),
        )
        .unwrap();
        assert_eq!(
            assigned.record,
            StepRecord::Provider {
                previous: None,
                provider: "an".into()
            }
        );
        assert_eq!(
            assigned.case.provider_kind,
            Some(ProviderKind::LegalAidOfficer)
        );
        let started = take(&assigned.case, Transition::Start, d(2026, 3, 4), |_| {}).unwrap();
        let completed = take(&started.case, Transition::Complete, d(2026, 5, 4), |i| {
            i.outcome = Some(OutcomeInput {
                outcome: Some("Giảm 6 tháng tù".into()),
                defence_accepted: Some(true),
                success_kind: Some(SuccessKind::LighterPenalty),
                ..OutcomeInput::default()
            })
        })
        .unwrap()
        .case;
        assert_eq!(completed.state, CaseState::Completed);
        assert_eq!(completed.closed_on, Some(d(2026, 5, 4)));
        assert_eq!(completed.outcome_on, Some(d(2026, 5, 4)));
        assert_eq!(
            completed.proceedings.as_ref().unwrap().outcome.as_deref(),
            Some("Giảm 6 tháng tù")
        );
        assert!(completed.is_successful_litigation());
        let evaluated = take_step(
            &completed,
            Transition::EvaluateQuality,
            StepInput {
                grade: Some(QualityGrade::Good),
                reason: Some("Hồ sơ đầy đủ".into()),
                ..StepInput::on(d(2026, 5, 10))
            },
            facts(Role::DepartmentOfficer, d(2026, 5, 4)),
        )
        .unwrap();
        let quality = evaluated.case.quality.clone().unwrap();
        assert_eq!(
            (quality.grade, quality.evaluator.as_str()),
            (QualityGrade::Good, "gd.hn")
        );
        assert_eq!(quality.remarks.as_deref(), Some("Hồ sơ đầy đủ"));
        assert_eq!(evaluated.reason, None, "the remarks are the evaluation's");
    }

    #[test]
    fn the_day_the_state_and_the_role_are_checked_in_that_order() {
        let case = received(AidForm::Counselling);
        let tomorrow = d(2026, 7, 1);
        // A future day is refused even where the step is illegal too.
        assert_eq!(
            take(&case, Transition::Archive, tomorrow, |_| {}),
            Err(StepRefusal::InFuture)
        );
        assert_eq!(
            take(&case, Transition::Archive, today(), |_| {}),
            Err(StepRefusal::Illegal {
                from: CaseState::Received
            })
        );
        let as_officer = take_step(
            &case,
            Transition::Accept,
            StepInput::on(today()),
            facts(Role::LegalAidOfficer, case.received_on),
        );
        assert_eq!(as_officer, Err(StepRefusal::Forbidden));
        let before_previous = take_step(
            &case,
            Transition::Accept,
            StepInput::on(d(2026, 3, 1)),
            facts(Role::CenterLeader, d(2026, 3, 5)),
        );
        assert_eq!(
            before_previous,
            Err(StepRefusal::BeforePreviousStep {
                previous: d(2026, 3, 5)
            })
        );
        let system = StepFacts {
            role: None,
            ..facts(Role::LegalAidOfficer, case.received_on)
        };
        assert!(take_step(&case, Transition::Accept, StepInput::on(today()), system).is_ok());
    }

    #[test]
    fn steps_require_what_they_decide_on() {
        let case = received(AidForm::Counselling);
        assert_eq!(
            take(&case, Transition::Refuse, today(), |_| {}),
            Err(StepRefusal::Required("reason"))
        );
        let refused = take(&case, Transition::Refuse, today(), |i| {
            i.reason = Some("Không thuộc diện".into())
        })
        .unwrap();
        assert_eq!(
            refused.case.closing_grounds.as_deref(),
            Some("Không thuộc diện")
        );
        assert_eq!(refused.case.closed_on, Some(today()));
        let accepted = take(&case, Transition::Accept, d(2026, 3, 2), |_| {})
            .unwrap()
            .case;
        assert_eq!(
            take(&accepted, Transition::AssignProvider, today(), |_| {}),
            Err(StepRefusal::Required("provider_id"))
        );
        assert_eq!(
            take(&accepted, Transition::TransferOut, today(), |_| {}),
            Err(StepRefusal::Required("to_organization_id"))
        );
        let completed = Case {
            state: CaseState::Completed,
            ..accepted.clone()
        };
        // A counselling case is not in the evaluation's sample; a representation case is.
        assert_eq!(
            take(&completed, Transition::EvaluateQuality, today(), |_| {}),
            Err(StepRefusal::NotEvaluable)
        );
        assert!(!completed
            .next_steps()
            .contains(&Transition::EvaluateQuality));
        let represented = Case {
            form: AidForm::Representation,
            ..completed
        };
        assert_eq!(
            take(&represented, Transition::EvaluateQuality, today(), |_| {}),
            Err(StepRefusal::Required("grade"))
        );
        assert!(represented
            .next_steps()
            .contains(&Transition::EvaluateQuality));
    }

    #[test]
    fn providers_change_for_a_reason_to_someone_else_who_can_take_the_case() {
        let mut case = received(AidForm::Counselling);
        case.state = CaseState::InProgress;
        case.provider_id = Some("an".into());
        assert_eq!(
            take(&case, Transition::ChangeProvider, today(), |i| {
                i.provider = Some(provider("binh"))
            }),
            Err(StepRefusal::Required("reason"))
        );
        assert_eq!(
            take(&case, Transition::ChangeProvider, today(), |i| {
                i.provider = Some(provider("an"));
                i.reason = Some("Ốm".into());
            }),
            Err(StepRefusal::ProviderUnchanged)
        );
        assert_eq!(
            take(&case, Transition::ChangeProvider, today(), |i| {
                i.provider = Some(ProviderChoice {
                    id: "binh".into(),
                    eligibility: Err(NotEligible::NoValidCard),
                    roles_in_same_proceedings: Vec::new(),
                });
                i.reason = Some("Ốm".into());
            }),
            Err(StepRefusal::ProviderNotEligible(NotEligible::NoValidCard))
        );
        let changed = take(&case, Transition::ChangeProvider, today(), |i| {
            i.provider = Some(provider("binh"));
            i.reason = Some("Ốm".into());
        })
        .unwrap();
        assert_eq!(changed.case.state, CaseState::InProgress);
        assert_eq!(
            changed.record,
            StepRecord::Provider {
                previous: Some("an".into()),
                provider: "binh".into()
            }
        );
    }

    #[test]
    fn collaborators_and_counsellors_are_assigned_to_counselling_only() {
        let kinded = |kind| {
            move |i: &mut StepInput| {
                i.provider = Some(ProviderChoice {
                    id: "dung".into(),
                    eligibility: Ok(kind),
                    roles_in_same_proceedings: Vec::new(),
                })
            }
        };
        for form in [AidForm::Litigation, AidForm::Representation] {
            let mut case = received(form);
            case.state = CaseState::Accepted;
            for kind in [ProviderKind::Collaborator, ProviderKind::LegalCounsellor] {
                assert_eq!(
                    take(&case, Transition::AssignProvider, today(), kinded(kind)),
                    Err(StepRefusal::ProviderNotForForm(kind)),
                    "{form:?}"
                );
            }
            assert!(take(
                &case,
                Transition::AssignProvider,
                today(),
                kinded(ProviderKind::Lawyer)
            )
            .is_ok());
        }
        let mut case = received(AidForm::Counselling);
        case.state = CaseState::Accepted;
        let taken = take(
            &case,
            Transition::AssignProvider,
            today(),
            kinded(ProviderKind::Collaborator),
        )
        .unwrap();
        assert_eq!(taken.case.provider_kind, Some(ProviderKind::Collaborator));
    }

    #[test]
    fn nobody_defends_the_accused_and_protects_the_victim_of_one_proceeding() {
        let mut case = received(AidForm::Litigation);
        case.state = CaseState::Accepted;
        let serving = |roles: Vec<LitigationRole>| {
            move |i: &mut StepInput| {
                i.provider = Some(ProviderChoice {
                    roles_in_same_proceedings: roles,
                    ..provider("an")
                })
            }
        };
        // The case is a defence: its provider protects no victim of the same proceedings.
        assert_eq!(
            take(
                &case,
                Transition::AssignProvider,
                today(),
                serving(vec![LitigationRole::VictimProtection])
            ),
            Err(StepRefusal::OpposedInterests)
        );
        for roles in [
            vec![],
            vec![LitigationRole::Defence],
            vec![LitigationRole::Representation],
        ] {
            assert!(
                take(
                    &case,
                    Transition::AssignProvider,
                    today(),
                    serving(roles.clone())
                )
                .is_ok(),
                "{roles:?}"
            );
        }
        assert!(LitigationRole::VictimProtection.opposes(LitigationRole::Defence));
        assert!(!LitigationRole::Defence.opposes(LitigationRole::Defence));
    }

    #[test]
    fn transfers_go_to_an_active_centre_of_another_province() {
        let case = received(AidForm::Counselling);
        let to = |kind, active, province: &'static str| {
            move |i: &mut StepInput| {
                i.transfer = Some(TransferChoice {
                    id: "target".into(),
                    target: Some(OrganizationFacts {
                        kind,
                        active,
                        province_code: Some(province.into()),
                    }),
                    handling_province: Some("01".into()),
                })
            }
        };
        for refused in [
            take(
                &case,
                Transition::TransferOut,
                today(),
                to(OrganizationKind::Center, true, "01"),
            ),
            take(
                &case,
                Transition::TransferOut,
                today(),
                to(OrganizationKind::Center, false, "48"),
            ),
            take(
                &case,
                Transition::TransferOut,
                today(),
                to(OrganizationKind::Branch, true, "48"),
            ),
            take(&case, Transition::TransferOut, today(), |i| {
                i.transfer = Some(TransferChoice {
                    id: "unknown".into(),
                    target: None,
                    handling_province: Some("01".into()),
                })
            }),
        ] {
            assert_eq!(refused, Err(StepRefusal::NotAnotherProvinceCentre));
        }
        let moved = take(
            &case,
            Transition::TransferOut,
            today(),
            to(OrganizationKind::Center, true, "48"),
        )
        .unwrap();
        assert_eq!(moved.case.state, CaseState::TransferredOut);
        assert_eq!(moved.case.transferred_to.as_deref(), Some("target"));
        assert_eq!(
            moved.record,
            StepRecord::Transfer {
                to: "target".into()
            }
        );
    }

    #[test]
    fn a_litigation_case_ends_saying_whether_the_defence_view_was_accepted() {
        let mut case = received(AidForm::Litigation);
        case.state = CaseState::InProgress;
        assert_eq!(
            take(&case, Transition::Complete, today(), |_| {}),
            Err(StepRefusal::Required("outcome.defence_accepted"))
        );
        assert_eq!(
            take(&case, Transition::Complete, today(), |i| {
                i.outcome = Some(OutcomeInput::default())
            }),
            Err(StepRefusal::Required("outcome.defence_accepted"))
        );
        let done = take(&case, Transition::Complete, today(), |i| {
            i.outcome = Some(OutcomeInput {
                defence_accepted: Some(false),
                ..OutcomeInput::default()
            })
        })
        .unwrap();
        assert_eq!(done.case.defence_accepted, Some(false));
        assert!(!done.case.is_successful_litigation());
        let after_completion = take(&case, Transition::Complete, d(2026, 6, 1), |i| {
            i.outcome = Some(OutcomeInput {
                outcome_on: Some(d(2026, 6, 2)),
                defence_accepted: Some(false),
                ..OutcomeInput::default()
            })
        });
        assert_eq!(after_completion, Err(StepRefusal::OutcomeOutOfRange));
    }

    #[test]
    fn the_outcome_is_dated_between_receipt_and_today_and_agrees_with_the_form() {
        let mut case = received(AidForm::Counselling);
        case.state = CaseState::InProgress;
        let complete = |outcome: OutcomeInput| {
            take(&case, Transition::Complete, today(), |i| {
                i.outcome = Some(outcome)
            })
        };
        assert_eq!(
            complete(OutcomeInput {
                outcome_on: Some(d(2026, 2, 1)),
                ..OutcomeInput::default()
            }),
            Err(StepRefusal::OutcomeOutOfRange)
        );
        assert_eq!(
            complete(OutcomeInput {
                outcome: Some("Hòa giải thành".into()),
                ..OutcomeInput::default()
            }),
            Err(StepRefusal::Details(DetailsError::NotLitigation)),
            "a decision of proceedings on a counselling case"
        );
        let done = complete(OutcomeInput::default()).unwrap().case;
        assert_eq!(done.outcome_on, Some(today()));
        assert!(!done.is_successful_litigation());
    }
}
