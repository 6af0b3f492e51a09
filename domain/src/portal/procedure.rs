//! The legal aid administrative procedures offered through the national public-services
//! portal (seed 001 §2; Decisions 1540/QĐ-BTP and 2434/QĐ-BTP of 2018 publish them).
//!
//! What a procedure is, who handles it and in how many working days is the law's and lives
//! here; its national procedure code (mã thủ tục hành chính) is reference data the Agency
//! keeps, because codes differ by province and change with each publication.

use crate::organization::OrganizationKind;
use crate::vocabulary;

vocabulary! {
    /// The procedures, by what they are rather than by their changing codes.
    pub enum ProcedureKind {
        LegalAidRequest = "legal_aid_request" { vi: "Yêu cầu trợ giúp pháp lý", en: "Request for legal aid" },
        ProviderChange = "provider_change" { vi: "Thay đổi người thực hiện trợ giúp pháp lý", en: "Change of the legal aid provider" },
        ComplaintAtOrganization = "complaint_at_organization" { vi: "Giải quyết khiếu nại về trợ giúp pháp lý (tại tổ chức thực hiện)", en: "Complaint about legal aid, at the providing organization" },
        ComplaintAtDepartment = "complaint_at_department" { vi: "Giải quyết khiếu nại về trợ giúp pháp lý (tại Sở Tư pháp)", en: "Complaint about legal aid, at the Department of Justice" },
        ParticipationRegistration = "participation_registration" { vi: "Đăng ký tham gia trợ giúp pháp lý", en: "Registration to take part in legal aid" },
        ParticipationChange = "participation_change" { vi: "Thay đổi nội dung đăng ký tham gia trợ giúp pháp lý", en: "Change of a registration to take part in legal aid" },
        ParticipationEnd = "participation_end" { vi: "Chấm dứt tham gia trợ giúp pháp lý", en: "Ending participation in legal aid" },
        CardReissue = "card_reissue" { vi: "Cấp lại thẻ cộng tác viên trợ giúp pháp lý", en: "Reissue of a legal aid collaborator's card" },
    }
}

impl ProcedureKind {
    /// The kinds of organization that handle it.
    ///
    /// A request for legal aid, a change of provider and a first complaint go to the
    /// organization providing the aid (Law on Legal Aid 2017 art. 29, 32, 45); a second
    /// complaint, registrations and cards go to the Department of Justice (art. 15, 16, 45).
    pub fn handled_by(self) -> &'static [OrganizationKind] {
        use OrganizationKind::*;
        match self {
            Self::LegalAidRequest | Self::ProviderChange => &[Center, Branch],
            Self::ComplaintAtOrganization => {
                &[Center, Branch, LawOffice, LawFirm, CounsellingCenter]
            }
            Self::ComplaintAtDepartment
            | Self::ParticipationRegistration
            | Self::ParticipationChange
            | Self::ParticipationEnd
            | Self::CardReissue => &[Department],
        }
    }

    /// The time limit the law gives, in working days. A complete request for legal aid is
    /// accepted at once (art. 30(1)): its limit is the day it counts from.
    pub fn time_limit_days(self) -> u32 {
        match self {
            Self::LegalAidRequest => 0,
            Self::ProviderChange | Self::ComplaintAtOrganization | Self::ParticipationEnd => 3,
            Self::ParticipationChange => 5,
            Self::ParticipationRegistration | Self::CardReissue => 7,
            Self::ComplaintAtDepartment => 15,
        }
    }

    /// Whether a dossier of this procedure concerns a case already open (a change of
    /// provider, a complaint about the aid given): it then names the case's code.
    pub fn concerns_a_case(self) -> bool {
        matches!(
            self,
            Self::ProviderChange | Self::ComplaintAtOrganization | Self::ComplaintAtDepartment
        )
    }

    /// Whether it concerns a collaborator's card, whose number it then names.
    pub fn concerns_a_card(self) -> bool {
        self == Self::CardReissue
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::Vocabulary;

    #[test]
    fn every_procedure_is_handled_by_someone_within_a_bounded_limit() {
        for kind in ProcedureKind::ALL {
            assert!(!kind.handled_by().is_empty(), "{kind}");
            assert!(kind.time_limit_days() <= 15, "{kind}");
        }
    }

    #[test]
    fn departments_handle_second_complaints_registrations_and_cards() {
        use OrganizationKind::*;
        assert_eq!(
            ProcedureKind::ComplaintAtDepartment.handled_by(),
            &[Department]
        );
        assert_eq!(ProcedureKind::CardReissue.handled_by(), &[Department]);
        assert!(ProcedureKind::LegalAidRequest
            .handled_by()
            .contains(&Branch));
        assert!(!ProcedureKind::LegalAidRequest
            .handled_by()
            .contains(&Department));
        assert_eq!(ProcedureKind::ComplaintAtOrganization.time_limit_days(), 3);
        assert_eq!(ProcedureKind::ComplaintAtDepartment.time_limit_days(), 15);
        assert_eq!(ProcedureKind::ProviderChange.time_limit_days(), 3);
    }
}
