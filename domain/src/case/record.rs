//! The facts of a case that its rules read and its steps change, how they must agree, and the
//! predicates by which cases are counted.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::vocabulary::{CaseState, LitigationRole, ProceedingStage, QualityGrade, SuccessKind};
use crate::reference::{AidForm, Field, ProviderKind};
use crate::refusal::{FieldRefusal, Refusal};

/// Details of a case in proceedings (tham gia tố tụng). Free texts are as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proceedings {
    pub role: Option<LitigationRole>,
    pub stage: Option<ProceedingStage>,
    /// The investigating agency, procuracy or court.
    pub procedural_agency: Option<String>,
    pub charge: Option<String>,
    /// The penalty the procuracy proposed.
    pub proposed_sentence: Option<String>,
    /// The decision of the proceedings, recorded by the `complete` step.
    pub outcome: Option<String>,
}

/// A quality evaluation of a concluded case (Law on Legal Aid 2017, art. 42(2)(c)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualityEvaluation {
    pub grade: QualityGrade,
    /// Username of the evaluator.
    pub evaluator: String,
    pub evaluated_on: NaiveDate,
    pub remarks: Option<String>,
}

/// The facts of a case that its rules read and its steps change. Who the case is for and
/// what it is about (recipient, place, summary) no rule reads, and are not here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub state: CaseState,
    /// The field of law: the proceedings' details must be of its procedure.
    pub field: Field,
    pub form: AidForm,
    pub received_on: NaiveDate,
    /// Entry in the acceptance register (thụ lý).
    pub accepted_on: Option<NaiveDate>,
    pub provider_id: Option<String>,
    pub provider_kind: Option<ProviderKind>,
    pub proceedings: Option<Proceedings>,
    pub outcome_on: Option<NaiveDate>,
    /// Litigation: whether the defence view was accepted.
    pub defence_accepted: Option<bool>,
    pub success_kind: Option<SuccessKind>,
    pub closed_on: Option<NaiveDate>,
    pub closing_grounds: Option<String>,
    /// The centre of another province the case was transferred to.
    pub transferred_to: Option<String>,
    pub quality: Option<QualityEvaluation>,
}

/// The first day of state legal aid in Viet Nam (Decision 734/TTg of 6 September 1997, which
/// set up the legal aid organizations): no case was received before it.
pub fn legal_aid_since() -> NaiveDate {
    NaiveDate::from_ymd_opt(1997, 9, 6).expect("a valid date")
}

/// Why the details of a case do not agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailsError {
    /// Received before state legal aid existed ([`legal_aid_since`]): a typing error.
    ReceivedBeforeLegalAid,
    /// Received on a day still to come (on creation).
    ReceivedInFuture,
    /// Received on a day still to come, or after the acceptance or the closing (on
    /// correction).
    ReceivedOutOfOrder,
    /// Proceedings, a defence outcome or a kind of success on a case that is not litigation.
    NotLitigation,
    /// A kind of success without the defence view accepted.
    SuccessWithoutAcceptedDefence,
    /// The defence view accepted without saying which favourable outcome it brought.
    SuccessKindRequired,
    /// An outcome of the accused's ([`SuccessKind::is_the_accused`]) where the provider did
    /// not defend them (the proceedings' role is not `defence`).
    SuccessNotOfTheRole,
    /// A litigation case completed without saying whether the defence view was accepted.
    DefenceRequired,
    /// The outcome dated before the case was accepted (or, not accepted, received) or after
    /// it ended on it.
    OutcomeOutOfOrder,
    /// A case whose quality was evaluated given a form whose quality is not evaluated.
    EvaluatedFormNotEvaluable,
    /// A detail of criminal procedure (a defence, an investigation or prosecution stage, a
    /// charge, the procuracy's proposed sentence) on a case of another field; names the
    /// detail as the `litigation` object spells it.
    CriminalOnly(&'static str),
    /// A form the assigned provider's kind does not give ([`ProviderKind::gives`]).
    FormNotForProvider,
    /// The decision of the proceedings given before the case is completed: it is recorded
    /// by the `complete` step, with the rest of the outcome.
    OutcomeBeforeCompletion,
}

impl Refusal for DetailsError {
    fn field_refusal(&self) -> FieldRefusal {
        match self {
            Self::ReceivedInFuture => FieldRefusal::new(
                "received_on",
                "in_future",
                "Ngày tiếp nhận không thể ở tương lai.",
                "received_on cannot be in the future.",
            ),
            Self::ReceivedBeforeLegalAid => FieldRefusal::new(
                "received_on",
                "before_legal_aid",
                "Ngày tiếp nhận không thể trước ngày 06/09/1997, khi tổ chức trợ giúp pháp lý nhà nước được thành lập.",
                "received_on cannot precede 1997-09-06, when state legal aid was set up.",
            ),
            Self::ReceivedOutOfOrder => FieldRefusal::new(
                "received_on",
                "out_of_order",
                "Ngày tiếp nhận phải không sau hôm nay, không sau ngày thụ lý và không sau ngày kết thúc.",
                "received_on must not be in the future, nor after the acceptance or the closing.",
            ),
            Self::OutcomeBeforeCompletion => FieldRefusal::new(
                "litigation.outcome",
                "outcome_via_complete",
                "Kết quả vụ việc được ghi khi kết thúc vụ việc (bước complete).",
                "The outcome is recorded by the `complete` step.",
            ),
            Self::NotLitigation => FieldRefusal::new(
                "litigation",
                "not_litigation",
                "Chỉ vụ việc tham gia tố tụng có thông tin tố tụng và kết quả bào chữa.",
                "Only litigation cases carry proceedings and defence outcomes.",
            ),
            Self::SuccessWithoutAcceptedDefence => FieldRefusal::new(
                "success_kind",
                "requires_accepted_defence",
                "Kết quả thành công chỉ ghi khi quan điểm bào chữa được chấp nhận.",
                "A kind of success goes with an accepted defence view.",
            ),
            Self::SuccessNotOfTheRole => FieldRefusal::new(
                "success_kind",
                "not_of_the_role",
                "Kết quả này là của người bị buộc tội: chỉ ghi khi người thực hiện bào chữa cho họ (vai trò tố tụng `defence`).",
                "This outcome is the accused's: it is recorded only where the provider defended them (proceedings role `defence`).",
            ),
            Self::SuccessKindRequired => FieldRefusal::new(
                "success_kind",
                "required",
                "Hãy ghi rõ kết quả có lợi (giảm hình phạt, trắng án, ...).",
                "Say which favourable outcome was obtained.",
            ),
            Self::DefenceRequired => FieldRefusal::new(
                "defence_accepted",
                "required",
                "Vụ việc tham gia tố tụng đã kết thúc phải ghi rõ quan điểm bào chữa có được chấp nhận không.",
                "A completed litigation case says whether the defence view was accepted.",
            ),
            Self::EvaluatedFormNotEvaluable => FieldRefusal::new(
                "form",
                "quality_evaluated",
                "Vụ việc đã được đánh giá chất lượng phải là vụ việc tham gia tố tụng hoặc đại diện ngoài tố tụng.",
                "A case whose quality was evaluated stays a litigation or representation case.",
            ),
            Self::OutcomeOutOfOrder => FieldRefusal::new(
                "outcome_on",
                "out_of_order",
                "Ngày có kết quả phải từ ngày thụ lý đến ngày kết thúc vụ việc.",
                "outcome_on lies between the acceptance and the day the case ended.",
            ),
            Self::CriminalOnly(detail) => FieldRefusal::new(
                format!("litigation.{detail}"),
                "criminal_only",
                "Bào chữa, giai đoạn điều tra, truy tố, tội danh và mức án đề nghị chỉ có trong vụ việc hình sự.",
                "A defence, the investigation and prosecution stages, a charge and a proposed sentence belong to criminal cases only.",
            ),
            Self::FormNotForProvider => FieldRefusal::new(
                "form",
                "not_for_provider",
                "Người thực hiện của vụ việc không thực hiện hình thức này: chỉ trợ giúp viên pháp lý và luật sư tham gia tố tụng và đại diện ngoài tố tụng.",
                "The case's provider does not give this form: only legal aid officers and lawyers take part in proceedings and represent out of court.",
            ),
        }
    }
}

impl Case {
    /// A request for legal aid received on `received_on` (state `received`), checked as
    /// [`Case::check_outcome_fields`] and [`Case::check_proceedings_of_field`] check, and
    /// never dated after `today`.
    pub fn received(
        field: Field,
        form: AidForm,
        received_on: NaiveDate,
        proceedings: Option<Proceedings>,
        today: NaiveDate,
    ) -> Result<Self, DetailsError> {
        if received_on > today {
            return Err(DetailsError::ReceivedInFuture);
        }
        if received_on < legal_aid_since() {
            return Err(DetailsError::ReceivedBeforeLegalAid);
        }
        if proceedings.as_ref().is_some_and(|p| p.outcome.is_some()) {
            return Err(DetailsError::OutcomeBeforeCompletion);
        }
        let case = Self {
            state: CaseState::Received,
            field,
            form,
            received_on,
            accepted_on: None,
            provider_id: None,
            provider_kind: None,
            proceedings,
            outcome_on: None,
            defence_accepted: None,
            success_kind: None,
            closed_on: None,
            closing_grounds: None,
            transferred_to: None,
            quality: None,
        };
        case.check_outcome_fields()?;
        case.check_proceedings_of_field()?;
        Ok(case)
    }

    /// The case a centre receives when another transfers `self` to it on `on`: received that
    /// day, with the same form and proceedings; the outcome, if any, belongs to the sending
    /// centre's work.
    pub fn received_by_transfer(&self, on: NaiveDate) -> Self {
        Self {
            state: CaseState::Received,
            received_on: on,
            accepted_on: None,
            provider_id: None,
            provider_kind: None,
            outcome_on: None,
            defence_accepted: None,
            success_kind: None,
            closed_on: None,
            closing_grounds: None,
            transferred_to: None,
            quality: None,
            ..self.clone()
        }
    }

    /// Proceedings, the defence outcome and the kind of success agree with the form of aid
    /// and with each other (seed 000 appendix 01: a successful case is a litigation case
    /// whose defence view was accepted, with the favourable outcome it brought).
    pub fn check_outcome_fields(&self) -> Result<(), DetailsError> {
        let outcome_given = self.proceedings.is_some()
            || self.defence_accepted.is_some()
            || self.success_kind.is_some();
        if self.form != AidForm::Litigation && outcome_given {
            return Err(DetailsError::NotLitigation);
        }
        if self.success_kind.is_some() && self.defence_accepted != Some(true) {
            return Err(DetailsError::SuccessWithoutAcceptedDefence);
        }
        if self.defence_accepted == Some(true) && self.success_kind.is_none() {
            return Err(DetailsError::SuccessKindRequired);
        }
        let defended = self
            .proceedings
            .as_ref()
            .is_some_and(|p| p.role == Some(LitigationRole::Defence));
        if self.success_kind.is_some_and(SuccessKind::is_the_accused) && !defended {
            return Err(DetailsError::SuccessNotOfTheRole);
        }
        Ok(())
    }

    /// The details of criminal procedure stand only on a criminal case: a defence (bào chữa),
    /// the investigation and prosecution stages, a charge and the procuracy's proposed
    /// sentence exist in no other procedure (Criminal Procedure Code 2015; the civil and
    /// administrative codes know litigants' representatives and protectors, not defenders).
    pub fn check_proceedings_of_field(&self) -> Result<(), DetailsError> {
        let Some(p) = &self.proceedings else {
            return Ok(());
        };
        if self.field == Field::Criminal {
            return Ok(());
        }
        let criminal_stage = matches!(
            p.stage,
            Some(ProceedingStage::Investigation | ProceedingStage::Prosecution)
        );
        [
            ("role", p.role == Some(LitigationRole::Defence)),
            ("stage", criminal_stage),
            ("charge", p.charge.is_some()),
            ("proposed_sentence", p.proposed_sentence.is_some()),
        ]
        .into_iter()
        .find_map(|(detail, given)| given.then_some(DetailsError::CriminalOnly(detail)))
        .map_or(Ok(()), Err)
    }

    /// The first day an outcome of the case may bear: its acceptance, or while it is not
    /// accepted, its receipt (the aid given brought it about).
    pub fn outcome_from(&self) -> NaiveDate {
        self.accepted_on.unwrap_or(self.received_on)
    }

    /// Everything a correction (an edit, or a change request's) must leave agreeing, as the
    /// steps left it: the outcome fields; the proceedings of the case's field; a form its
    /// provider gives; a receipt not in the future, nor after the
    /// acceptance or the closing; an outcome between the receipt and the closing; a
    /// completed litigation case saying whether the defence view was accepted; and an
    /// evaluated case keeping a form whose quality is evaluated.
    pub fn check_details(&self, today: NaiveDate) -> Result<(), DetailsError> {
        self.check_outcome_fields()?;
        self.check_proceedings_of_field()?;
        if self
            .provider_kind
            .is_some_and(|kind| !kind.gives(self.form))
        {
            return Err(DetailsError::FormNotForProvider);
        }
        let after_receipt = |day: Option<NaiveDate>| day.is_some_and(|d| d < self.received_on);
        if self.received_on > today
            || after_receipt(self.accepted_on)
            || after_receipt(self.closed_on)
        {
            return Err(DetailsError::ReceivedOutOfOrder);
        }
        if self.received_on < legal_aid_since() {
            return Err(DetailsError::ReceivedBeforeLegalAid);
        }
        if self.outcome_on.is_some_and(|o| {
            o < self.outcome_from() || self.closed_on.is_some_and(|closed| o > closed)
        }) {
            return Err(DetailsError::OutcomeOutOfOrder);
        }
        if self.form == AidForm::Litigation
            && self.was_completed()
            && self.defence_accepted.is_none()
        {
            return Err(DetailsError::DefenceRequired);
        }
        if self.quality.is_some() && !self.is_evaluable() {
            return Err(DetailsError::EvaluatedFormNotEvaluable);
        }
        Ok(())
    }

    /// Whether the case's quality may be evaluated: the evaluation draws its sample from
    /// closed litigation and representation cases.
    pub fn is_evaluable(&self) -> bool {
        matches!(self.form, AidForm::Litigation | AidForm::Representation)
    }

    /// The steps that may be taken next (whoever takes them): those its state allows, but
    /// an evaluation of a case whose form is not evaluated.
    pub fn next_steps(&self) -> Vec<crate::case::Transition> {
        self.state
            .next_steps()
            .into_iter()
            .filter(|t| *t != crate::case::Transition::EvaluateQuality || self.is_evaluable())
            .collect()
    }

    /// Whether the case ended by the `complete` step: completed or evaluated since, or
    /// archived without the grounds a discontinued case is archived with.
    pub fn was_completed(&self) -> bool {
        match self.state {
            CaseState::Completed | CaseState::QualityEvaluated => true,
            CaseState::Archived => self.closing_grounds.is_none(),
            _ => false,
        }
    }

    /// A successful litigation case (vụ việc tham gia tố tụng thành công; seed 000 appendix
    /// 01, seed 002 §1): litigation, concluded, with the defence view accepted.
    pub fn is_successful_litigation(&self) -> bool {
        self.form == AidForm::Litigation
            && self.state.is_concluded()
            && self.defence_accepted == Some(true)
    }
}

impl CaseState {
    /// The states of a case whose work is over and counted as done: completed, evaluated,
    /// archived. Reports of successful cases and quality samples draw from these. An
    /// archived case counts whichever way it ended (a discontinued case can be archived):
    /// the state alone does not say, and the reports have always counted it.
    pub const CONCLUDED: [CaseState; 3] = [
        CaseState::Completed,
        CaseState::QualityEvaluated,
        CaseState::Archived,
    ];

    /// Whether the case is in one of [`CaseState::CONCLUDED`].
    pub fn is_concluded(self) -> bool {
        Self::CONCLUDED.contains(&self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn litigation() -> Case {
        Case::received(
            Field::Criminal,
            AidForm::Litigation,
            d(2026, 3, 1),
            Some(Proceedings::default()),
            d(2026, 6, 1),
        )
        .unwrap()
    }

    #[test]
    fn a_request_is_received_on_a_day_that_has_come_with_details_of_its_form() {
        let today = d(2026, 6, 1);
        assert_eq!(
            Case::received(
                Field::Civil,
                AidForm::Counselling,
                d(2026, 6, 2),
                None,
                today
            ),
            Err(DetailsError::ReceivedInFuture)
        );
        assert_eq!(
            Case::received(
                Field::Civil,
                AidForm::Counselling,
                today,
                Some(Proceedings::default()),
                today
            ),
            Err(DetailsError::NotLitigation)
        );
        let case = Case::received(Field::Civil, AidForm::Counselling, today, None, today).unwrap();
        assert_eq!(case.state, CaseState::Received);
        assert_eq!(
            Case::received(
                Field::Civil,
                AidForm::Counselling,
                d(1900, 1, 1),
                None,
                today
            ),
            Err(DetailsError::ReceivedBeforeLegalAid)
        );
        assert!(Case::received(
            Field::Civil,
            AidForm::Counselling,
            legal_aid_since(),
            None,
            today
        )
        .is_ok());
    }

    #[test]
    fn the_accused_outcomes_are_a_defence_s_and_an_outcome_follows_the_acceptance() {
        let mut case = litigation();
        case.defence_accepted = Some(true);
        case.success_kind = Some(SuccessKind::Acquittal);
        assert_eq!(
            case.check_outcome_fields(),
            Err(DetailsError::SuccessNotOfTheRole),
            "no role said"
        );
        for (role, kind, fine) in [
            (LitigationRole::Defence, SuccessKind::Acquittal, true),
            (
                LitigationRole::VictimProtection,
                SuccessKind::Acquittal,
                false,
            ),
            (
                LitigationRole::Representation,
                SuccessKind::LighterPenalty,
                false,
            ),
            (
                LitigationRole::VictimProtection,
                SuccessKind::ProceedingsDropped,
                true,
            ),
            (
                LitigationRole::Representation,
                SuccessKind::OtherFavourable,
                true,
            ),
        ] {
            case.proceedings = Some(Proceedings {
                role: Some(role),
                ..Proceedings::default()
            });
            case.success_kind = Some(kind);
            assert_eq!(
                case.check_outcome_fields().is_ok(),
                fine,
                "{role:?} {kind:?}"
            );
        }
        case.accepted_on = Some(d(2026, 3, 5));
        case.outcome_on = Some(d(2026, 3, 4));
        assert_eq!(
            case.check_details(d(2026, 6, 1)),
            Err(DetailsError::OutcomeOutOfOrder),
            "before the acceptance"
        );
        case.outcome_on = Some(d(2026, 3, 5));
        assert_eq!(case.check_details(d(2026, 6, 1)), Ok(()));
    }

    #[test]
    fn the_details_of_criminal_procedure_stand_on_criminal_cases_only() {
        let today = d(2026, 6, 1);
        let proceedings = |with: fn(&mut Proceedings)| {
            let mut p = Proceedings::default();
            with(&mut p);
            Some(p)
        };
        type Detail = fn(&mut Proceedings);
        let cases: [(Detail, Option<&str>); 6] = [
            (|p| p.role = Some(LitigationRole::Defence), Some("role")),
            (
                |p| p.stage = Some(ProceedingStage::Investigation),
                Some("stage"),
            ),
            (
                |p| p.stage = Some(ProceedingStage::Prosecution),
                Some("stage"),
            ),
            (
                |p| p.charge = Some("Trộm cắp tài sản".into()),
                Some("charge"),
            ),
            (
                |p| p.proposed_sentence = Some("24 tháng".into()),
                Some("proposed_sentence"),
            ),
            (|p| p.role = Some(LitigationRole::Representation), None),
        ];
        for (with, refused) in cases {
            let p = proceedings(with);
            let civil = Case::received(Field::Civil, AidForm::Litigation, today, p.clone(), today);
            assert_eq!(
                civil.err(),
                refused.map(DetailsError::CriminalOnly),
                "{p:?}"
            );
            assert!(Case::received(Field::Criminal, AidForm::Litigation, today, p, today).is_ok());
        }
        let mut case = litigation();
        case.proceedings = proceedings(|p| p.role = Some(LitigationRole::Defence));
        case.field = Field::Administrative;
        assert_eq!(
            case.check_details(today),
            Err(DetailsError::CriminalOnly("role")),
            "a correction of the field"
        );
    }

    #[test]
    fn a_correction_keeps_a_form_the_provider_gives() {
        let today = d(2026, 6, 1);
        let mut case =
            Case::received(Field::Civil, AidForm::Counselling, today, None, today).unwrap();
        case.provider_kind = Some(ProviderKind::Collaborator);
        assert_eq!(case.check_details(today), Ok(()));
        case.form = AidForm::Representation;
        assert_eq!(
            case.check_details(today),
            Err(DetailsError::FormNotForProvider)
        );
        case.provider_kind = Some(ProviderKind::Lawyer);
        assert_eq!(case.check_details(today), Ok(()));
    }

    #[test]
    fn defence_and_success_go_together_on_litigation_only() {
        let mut case = litigation();
        case.proceedings = Some(Proceedings {
            role: Some(LitigationRole::Defence),
            ..Proceedings::default()
        });
        case.success_kind = Some(SuccessKind::Acquittal);
        assert_eq!(
            case.check_outcome_fields(),
            Err(DetailsError::SuccessWithoutAcceptedDefence)
        );
        case.defence_accepted = Some(true);
        assert_eq!(case.check_outcome_fields(), Ok(()));
        case.success_kind = None;
        assert_eq!(
            case.check_outcome_fields(),
            Err(DetailsError::SuccessKindRequired)
        );
        case.defence_accepted = Some(false);
        assert_eq!(case.check_outcome_fields(), Ok(()));
        case.form = AidForm::Representation;
        assert_eq!(
            case.check_outcome_fields(),
            Err(DetailsError::NotLitigation)
        );
    }

    #[test]
    fn a_correction_keeps_the_receipt_before_the_acceptance() {
        let mut case = litigation();
        case.accepted_on = Some(d(2026, 3, 5));
        assert_eq!(case.check_details(d(2026, 6, 1)), Ok(()));
        case.received_on = d(2026, 3, 6);
        assert_eq!(
            case.check_details(d(2026, 6, 1)),
            Err(DetailsError::ReceivedOutOfOrder)
        );
        case.received_on = d(2026, 6, 2);
        case.accepted_on = None;
        assert_eq!(
            case.check_details(d(2026, 6, 1)),
            Err(DetailsError::ReceivedOutOfOrder)
        );
    }

    #[test]
    fn a_correction_keeps_every_date_in_order_and_a_completed_litigation_case_whole() {
        let today = d(2026, 6, 1);
        let mut case = litigation();
        case.state = CaseState::Completed;
        case.accepted_on = Some(d(2026, 3, 2));
        case.closed_on = Some(d(2026, 4, 1));
        case.outcome_on = Some(d(2026, 3, 30));
        case.defence_accepted = Some(false);
        assert_eq!(case.check_details(today), Ok(()));
        // The outcome after the closing, or before the receipt.
        for outcome in [d(2026, 4, 2), d(2026, 2, 28)] {
            let mut moved = case.clone();
            moved.outcome_on = Some(outcome);
            assert_eq!(
                moved.check_details(today),
                Err(DetailsError::OutcomeOutOfOrder)
            );
        }
        // Completed without saying whether the defence view was accepted.
        let mut silent = case.clone();
        silent.defence_accepted = None;
        assert_eq!(
            silent.check_details(today),
            Err(DetailsError::DefenceRequired)
        );
        silent.state = CaseState::Archived;
        assert_eq!(
            silent.check_details(today),
            Err(DetailsError::DefenceRequired)
        );
        // A discontinued case, archived, never said it.
        silent.closing_grounds = Some("Người được trợ giúp rút yêu cầu".into());
        assert_eq!(silent.check_details(today), Ok(()));
        // Evaluated, then made a counselling case.
        let mut evaluated = case.clone();
        evaluated.form = AidForm::Representation;
        evaluated.defence_accepted = None;
        evaluated.outcome_on = None;
        evaluated.proceedings = None;
        evaluated.quality = Some(QualityEvaluation {
            grade: QualityGrade::Good,
            evaluator: "stp.hn".into(),
            evaluated_on: d(2026, 4, 2),
            remarks: None,
        });
        assert_eq!(evaluated.check_details(today), Ok(()));
        evaluated.form = AidForm::Counselling;
        assert_eq!(
            evaluated.check_details(today),
            Err(DetailsError::EvaluatedFormNotEvaluable)
        );
        // Closed, then received after the closing.
        let mut withdrawn = litigation();
        withdrawn.state = CaseState::Withdrawn;
        withdrawn.closed_on = Some(d(2026, 3, 3));
        withdrawn.received_on = d(2026, 3, 20);
        assert_eq!(
            withdrawn.check_details(today),
            Err(DetailsError::ReceivedOutOfOrder)
        );
    }

    #[test]
    fn successful_litigation_is_concluded_with_the_defence_accepted() {
        let mut case = litigation();
        case.defence_accepted = Some(true);
        case.success_kind = Some(SuccessKind::LighterPenalty);
        assert!(!case.is_successful_litigation(), "not concluded yet");
        for state in CaseState::CONCLUDED {
            case.state = state;
            assert!(case.is_successful_litigation());
        }
        case.defence_accepted = Some(false);
        assert!(!case.is_successful_litigation());
    }

    #[test]
    fn a_transferred_case_arrives_received_without_the_senders_outcome() {
        let mut case = litigation();
        case.state = CaseState::TransferredOut;
        case.accepted_on = Some(d(2026, 3, 2));
        case.closed_on = Some(d(2026, 3, 3));
        case.transferred_to = Some("centre-dn".into());
        let arrived = case.received_by_transfer(d(2026, 3, 3));
        assert_eq!(arrived.state, CaseState::Received);
        assert_eq!(arrived.received_on, d(2026, 3, 3));
        assert_eq!(
            (
                arrived.accepted_on,
                arrived.closed_on,
                arrived.transferred_to
            ),
            (None, None, None)
        );
        assert_eq!(arrived.proceedings, case.proceedings);
    }
}
