//! The words of a case: its states and steps (the life cycle as a state machine, and the
//! locks that protect closed cases), outcomes, grades and the words of proceedings.

use crate::lifecycle::Step;
use crate::role::Role;
use crate::vocabulary;

vocabulary! {
    pub enum CaseState {
        Received = "received" { vi: "Đã tiếp nhận yêu cầu", en: "Request received" },
        Accepted = "accepted" { vi: "Đã thụ lý", en: "Accepted" },
        Refused = "refused" { vi: "Từ chối thụ lý", en: "Refused" },
        ProviderAssigned = "provider_assigned" { vi: "Đã cử người thực hiện", en: "Provider assigned" },
        InProgress = "in_progress" { vi: "Đang thực hiện", en: "In progress" },
        Completed = "completed" { vi: "Đã kết thúc", en: "Completed" },
        Discontinued = "discontinued" { vi: "Không tiếp tục thực hiện", en: "Discontinued" },
        Withdrawn = "withdrawn" { vi: "Người yêu cầu rút yêu cầu", en: "Withdrawn" },
        TransferredOut = "transferred_out" { vi: "Đã chuyển Trung tâm tỉnh khác", en: "Transferred to another province" },
        QualityEvaluated = "quality_evaluated" { vi: "Đã đánh giá chất lượng", en: "Quality evaluated" },
        Archived = "archived" { vi: "Đã lưu hồ sơ", en: "Archived" },
    }
}

vocabulary! {
    /// The steps of a case. Each is its own call, checked against the state and the role.
    pub enum Transition {
        Accept = "accept" { vi: "Thụ lý", en: "Accept" },
        Refuse = "refuse" { vi: "Từ chối thụ lý", en: "Refuse" },
        AssignProvider = "assign_provider" { vi: "Cử người thực hiện", en: "Assign a provider" },
        ChangeProvider = "change_provider" { vi: "Thay đổi người thực hiện", en: "Change the provider" },
        Start = "start" { vi: "Bắt đầu thực hiện", en: "Start" },
        Complete = "complete" { vi: "Kết thúc vụ việc", en: "Complete" },
        Discontinue = "discontinue" { vi: "Không tiếp tục thực hiện", en: "Discontinue" },
        Withdraw = "withdraw" { vi: "Ghi nhận rút yêu cầu", en: "Record withdrawal" },
        TransferOut = "transfer_out" { vi: "Chuyển Trung tâm tỉnh khác", en: "Transfer to another province" },
        EvaluateQuality = "evaluate_quality" { vi: "Đánh giá chất lượng", en: "Evaluate quality" },
        Archive = "archive" { vi: "Lưu hồ sơ", en: "Archive" },
    }
}

impl Step for Transition {
    type State = CaseState;

    /// Where the step leads from `from`, if it may be taken there.
    fn target(self, from: CaseState) -> Option<CaseState> {
        use CaseState::*;
        use Transition::*;
        match (self, from) {
            (Accept, Received) => Some(Accepted),
            (Refuse, Received) => Some(Refused),
            (AssignProvider, Accepted) => Some(ProviderAssigned),
            (ChangeProvider, ProviderAssigned | InProgress) => Some(from),
            (Start, ProviderAssigned) => Some(InProgress),
            (Complete, InProgress) => Some(Completed),
            (Discontinue, Accepted | ProviderAssigned | InProgress) => Some(Discontinued),
            (Withdraw, Received | Accepted | ProviderAssigned | InProgress) => Some(Withdrawn),
            (TransferOut, Received | Accepted | ProviderAssigned | InProgress) => {
                Some(TransferredOut)
            }
            (EvaluateQuality, Completed) => Some(QualityEvaluated),
            (Archive, Completed | QualityEvaluated | Discontinued) => Some(Archived),
            _ => None,
        }
    }
}

impl Transition {
    /// Who may take the step in the organization handling the case. Deciding on a request,
    /// choosing providers and sending a case away are for leaders; the work itself is for
    /// those who do it; filing the closed case (lưu hồ sơ) is for the organization's own
    /// staff, not for a contracted lawyer, whose work the evaluation reviews; evaluation also
    /// for the Department.
    pub fn allowed_for(self, role: Role) -> bool {
        use Role::*;
        use Transition::*;
        let leaders = matches!(role, CenterLeader | ParticipantReporter);
        let staff = leaders || matches!(role, LegalAidOfficer | CenterShared);
        match self {
            Accept | Refuse | AssignProvider | ChangeProvider | Discontinue | TransferOut => {
                leaders
            }
            Start | Complete | Withdraw => staff || role == ContractedLawyer,
            Archive => staff,
            EvaluateQuality => leaders || role == DepartmentOfficer,
        }
    }
}

impl CaseState {
    /// The steps that may be taken from here (whoever takes them).
    pub fn next_steps(self) -> Vec<Transition> {
        crate::lifecycle::next_steps(self)
    }

    /// From completion on, the handling organization can no longer edit or delete the case:
    /// changes go through a change request to the data centre (seed 000 §2d). A case
    /// transferred out is locked too: the receiving centre's case was made from it, and
    /// counts it as transferred in.
    pub fn is_locked(self) -> bool {
        matches!(
            self,
            Self::Completed | Self::QualityEvaluated | Self::Archived | Self::TransferredOut
        )
    }

    /// An archived case file takes no more attachments until it is taken out of the archive.
    pub fn takes_attachments(self) -> bool {
        self != Self::Archived
    }

    /// A case that no longer moves (except through a change request).
    pub fn is_final(self) -> bool {
        self.next_steps().is_empty()
    }
}

vocabulary! {
    /// Kinds of favourable outcome that make a litigation case successful (seed 000
    /// appendix 01, seed 002 §1).
    pub enum SuccessKind {
        LighterPenalty = "lighter_penalty" { vi: "Được giảm mức hình phạt", en: "Lighter penalty" },
        LighterCharge = "lighter_charge" { vi: "Được thay đổi tội danh sang tội nhẹ hơn", en: "Lighter charge" },
        OtherPenaltyFrame = "other_penalty_frame" { vi: "Được chuyển khung hình phạt", en: "Other penalty frame" },
        Acquittal = "acquittal" { vi: "Được tuyên trắng án, vô tội", en: "Acquittal" },
        BelowProcuracyProposal = "below_procuracy_proposal" { vi: "Mức án thấp hơn đề nghị của Viện Kiểm sát", en: "Sentence below the procuracy's proposal" },
        ProceedingsDropped = "proceedings_dropped" { vi: "Đình chỉ điều tra, đình chỉ giải quyết có lợi", en: "Proceedings dropped" },
        OtherFavourable = "other_favourable" { vi: "Quyết định tố tụng khác có lợi", en: "Other favourable decision" },
    }
}

impl SuccessKind {
    /// Whether the outcome is one of the accused's (seed 002 §1: "người bị buộc tội được
    /// chuyển khung hình phạt; được thay đổi tội danh sang tội nhẹ hơn; ... được tuyên trắng
    /// án, mức án thấp hơn so với đề nghị của Viện Kiểm sát"), which only a defence obtains;
    /// proceedings dropped and other favourable decisions may come of any role.
    pub fn is_the_accused(self) -> bool {
        matches!(
            self,
            Self::LighterPenalty
                | Self::LighterCharge
                | Self::OtherPenaltyFrame
                | Self::Acquittal
                | Self::BelowProcuracyProposal
        )
    }
}

vocabulary! {
    /// Kiến nghị (form 2): about a case's resolution, an official's duty, or legislation.
    pub enum ReviewKind {
        CaseResolution = "case_resolution" { vi: "Kiến nghị về giải quyết vụ việc", en: "Case resolution" },
        PublicDuty = "public_duty" { vi: "Kiến nghị về thi hành công vụ", en: "Public duty" },
        Legislation = "legislation" { vi: "Kiến nghị về văn bản pháp luật", en: "Legislation" },
    }
}

vocabulary! {
    pub enum ReviewState {
        Draft = "draft" { vi: "Dự thảo", en: "Draft" },
        Sent = "sent" { vi: "Đã gửi", en: "Sent" },
        Answered = "answered" { vi: "Đã có trả lời", en: "Answered" },
    }
}

vocabulary! {
    /// What a unit asks the data centre to do to locked cases (seed 000 §2d).
    pub enum ChangeKind {
        Edit = "edit" { vi: "Sửa vụ việc", en: "Edit" },
        Delete = "delete" { vi: "Xóa vụ việc", en: "Delete" },
        Unarchive = "unarchive" { vi: "Gỡ trạng thái đã lưu hồ sơ", en: "Take out of the archive" },
    }
}

vocabulary! {
    /// Result of a quality evaluation of a closed case.
    pub enum QualityGrade {
        Good = "good" { vi: "Tốt", en: "Good" },
        Satisfactory = "satisfactory" { vi: "Đạt", en: "Satisfactory" },
        Unsatisfactory = "unsatisfactory" { vi: "Không đạt", en: "Unsatisfactory" },
    }
}

vocabulary! {
    /// The provider's role in proceedings.
    pub enum LitigationRole {
        Defence = "defence" { vi: "Bào chữa", en: "Defence" },
        VictimProtection = "victim_protection" { vi: "Bảo vệ quyền và lợi ích hợp pháp của bị hại, đương sự", en: "Protection of a victim's or litigant's rights" },
        Representation = "representation" { vi: "Đại diện theo ủy quyền trong tố tụng", en: "Representation in proceedings" },
    }
}

impl LitigationRole {
    /// Whether a provider in this role and one in `other`, in the same proceedings, serve
    /// people whose interests are opposed: the accused's defender and the victim's protector.
    /// One provider never takes both sides of a case: the conflict of interests that the Law on
    /// Legal Aid 2017 and the Law on Lawyers forbid a provider (the seeds do not quote the
    /// article; DOMAIN.md's "defence" and "protection of a victim's rights" are the sides).
    pub fn opposes(self, other: Self) -> bool {
        matches!(
            (self, other),
            (Self::Defence, Self::VictimProtection) | (Self::VictimProtection, Self::Defence)
        )
    }

    /// Whether a provider in role `own` (when the case has one) who holds `others` in the
    /// other cases of the same proceedings would serve both sides ([`Self::opposes`]).
    pub fn serves_both_sides(own: Option<Self>, others: &[Self]) -> bool {
        own.is_some_and(|own| others.iter().any(|other| own.opposes(*other)))
    }
}

vocabulary! {
    pub enum ProceedingStage {
        Investigation = "investigation" { vi: "Điều tra", en: "Investigation" },
        Prosecution = "prosecution" { vi: "Truy tố", en: "Prosecution" },
        FirstInstance = "first_instance" { vi: "Xét xử sơ thẩm", en: "First instance" },
        Appeal = "appeal" { vi: "Xét xử phúc thẩm", en: "Appeal" },
        Cassation = "cassation" { vi: "Giám đốc thẩm, tái thẩm", en: "Cassation or reopening" },
        Enforcement = "enforcement" { vi: "Thi hành án", en: "Enforcement" },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::Vocabulary;
    use CaseState::*;

    #[test]
    fn the_happy_path_leads_from_request_to_archive() {
        let path = [
            (Transition::Accept, Accepted),
            (Transition::AssignProvider, ProviderAssigned),
            (Transition::ChangeProvider, ProviderAssigned),
            (Transition::Start, InProgress),
            (Transition::Complete, Completed),
            (Transition::EvaluateQuality, QualityEvaluated),
            (Transition::Archive, Archived),
        ];
        let mut state = Received;
        for (step, expected) in path {
            state = step
                .target(state)
                .unwrap_or_else(|| panic!("{step} from {state}"));
            assert_eq!(state, expected);
        }
        assert!(state.is_final());
    }

    #[test]
    fn every_illegal_step_is_refused() {
        let mut legal = 0;
        for state in CaseState::ALL {
            for step in Transition::ALL {
                if step.target(*state).is_some() {
                    legal += 1;
                }
            }
        }
        // 11 states × 11 steps, of which exactly these are legal.
        assert_eq!(legal, 1 + 1 + 1 + 2 + 1 + 1 + 3 + 4 + 4 + 1 + 3);
        assert_eq!(Transition::Complete.target(Accepted), None);
        assert_eq!(Transition::Archive.target(InProgress), None);
        assert_eq!(Transition::Accept.target(Archived), None);
        assert_eq!(
            Received.next_steps(),
            vec![
                Transition::Accept,
                Transition::Refuse,
                Transition::Withdraw,
                Transition::TransferOut
            ]
        );
    }

    #[test]
    fn locks_start_at_completion_and_the_archive_takes_no_files() {
        let locked: Vec<_> = CaseState::ALL.iter().filter(|s| s.is_locked()).collect();
        assert_eq!(
            locked,
            vec![&Completed, &TransferredOut, &QualityEvaluated, &Archived]
        );
        assert!(!Archived.takes_attachments());
        assert!(Completed.takes_attachments());
    }

    #[test]
    fn leaders_decide_and_officers_work() {
        assert!(Transition::Accept.allowed_for(Role::CenterLeader));
        assert!(!Transition::Accept.allowed_for(Role::LegalAidOfficer));
        assert!(Transition::Complete.allowed_for(Role::ContractedLawyer));
        assert!(!Transition::Complete.allowed_for(Role::DepartmentOfficer));
        assert!(Transition::EvaluateQuality.allowed_for(Role::DepartmentOfficer));
        assert!(
            !Transition::Archive.allowed_for(Role::DataCenterAdmin),
            "the data centre changes cases only through change requests"
        );
        assert!(
            !Transition::Archive.allowed_for(Role::ContractedLawyer),
            "the centre files the case its lawyer worked"
        );
        assert!(Transition::Archive.allowed_for(Role::LegalAidOfficer));
    }
}
