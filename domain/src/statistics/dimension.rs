//! The breakdowns of the records that forms use as sections of rows and as column filters,
//! and the statistical groupings (age groups, Kinh or minority, …) that only statistics need.

use crate::case::ReviewKind;
use crate::label::{Label, Vocabulary};
use crate::organization::ParticipationMode;
use crate::reference::{
    AidForm, AidPlace, Field, Gender, ProviderKind, Qualification, RecipientCategory,
};
use crate::staff::Title;
use crate::vocabulary;

vocabulary! {
    /// Staff and collaborators by age on the period's last day (Circular 02/2011, forms 4 and
    /// 5: "nhóm tuổi"; the groups are not printed in the seed, these are the ten-year groups of
    /// the civil service statistics).
    pub enum AgeGroup {
        Under30 = "under_30" { vi: "Dưới 30 tuổi", en: "Under 30" },
        From30To39 = "30_39" { vi: "Từ 30 đến 39 tuổi", en: "30 to 39" },
        From40To49 = "40_49" { vi: "Từ 40 đến 49 tuổi", en: "40 to 49" },
        From50To59 = "50_59" { vi: "Từ 50 đến 59 tuổi", en: "50 to 59" },
        From60 = "60_plus" { vi: "Từ 60 tuổi trở lên", en: "60 and over" },
    }
}

impl AgeGroup {
    /// The group of a person `years` old.
    pub fn of(years: u32) -> Self {
        match years {
            0..=29 => Self::Under30,
            30..=39 => Self::From30To39,
            40..=49 => Self::From40To49,
            50..=59 => Self::From50To59,
            _ => Self::From60,
        }
    }
}

vocabulary! {
    /// The Kinh majority or one of the 53 other groups (forms 4 and 5 count "dân tộc" this
    /// way).
    pub enum EthnicityGroup {
        Kinh = "kinh" { vi: "Dân tộc Kinh", en: "Kinh" },
        Minority = "minority" { vi: "Dân tộc thiểu số", en: "Ethnic minority" },
    }
}

vocabulary! {
    /// The unit a collaborator works with (form 5, section III).
    pub enum CollaboratingUnit {
        Centre = "center" { vi: "Trung tâm trợ giúp pháp lý", en: "Legal aid centre" },
        Branch = "branch" { vi: "Chi nhánh", en: "Branch" },
        Club = "club" { vi: "Câu lạc bộ trợ giúp pháp lý", en: "Legal aid club" },
    }
}

vocabulary! {
    /// The kinds of organization that take part in legal aid (form 6; Law on Legal Aid 2017
    /// art. 15).
    pub enum ParticipatingKind {
        LawOffice = "law_office" { vi: "Văn phòng luật sư", en: "Law office" },
        LawFirm = "law_firm" { vi: "Công ty luật", en: "Law firm" },
        CounsellingCenter = "counselling_center" { vi: "Trung tâm tư vấn pháp luật", en: "Legal counselling centre" },
    }
}

vocabulary! {
    /// Whether a participating organization's scope includes taking part in proceedings.
    pub enum LitigationScope {
        Included = "litigation" { vi: "Có tham gia tố tụng", en: "Takes part in proceedings" },
        Excluded = "no_litigation" { vi: "Không tham gia tố tụng", en: "Does not take part in proceedings" },
    }
}

vocabulary! {
    /// Whether a participation has a fixed end.
    pub enum ParticipationTerm {
        FixedTerm = "fixed_term" { vi: "Có thời hạn", en: "Fixed term" },
        OpenEnded = "open_ended" { vi: "Không xác định thời hạn", en: "Open-ended" },
    }
}

/// A breakdown of the records: its values are the rows of a section, or what a column
/// filters on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    Field,
    AidForm,
    AidPlace,
    ProviderKind,
    ReviewKind,
    Gender,
    /// The recipient category whose proof came first (one per person).
    RecipientCategory,
    /// Every category a recipient has proven (many per person; for filters only).
    ProvenCategories,
    Title,
    Qualification,
    EthnicityGroup,
    /// Age on the period's last day.
    AgeGroup,
    CollaboratingUnit,
    ParticipatingKind,
    ParticipationMode,
    LitigationScope,
    ParticipationTerm,
    ProviderAffiliation,
}

impl Dimension {
    /// The values of the dimension, in the order rows are printed: each value's code and
    /// label.
    pub fn values(self) -> Vec<(&'static str, Label)> {
        fn of<V: Vocabulary>() -> Vec<(&'static str, Label)> {
            V::ALL.iter().map(|v| (v.code(), v.label())).collect()
        }
        match self {
            Self::Field => of::<Field>(),
            Self::AidForm => of::<AidForm>(),
            Self::AidPlace => of::<AidPlace>(),
            Self::ProviderKind => of::<ProviderKind>(),
            Self::ReviewKind => of::<ReviewKind>(),
            Self::Gender => of::<Gender>(),
            Self::RecipientCategory | Self::ProvenCategories => of::<RecipientCategory>(),
            Self::Title => of::<Title>(),
            Self::Qualification => of::<Qualification>(),
            Self::EthnicityGroup => of::<EthnicityGroup>(),
            Self::AgeGroup => of::<AgeGroup>(),
            Self::CollaboratingUnit => of::<CollaboratingUnit>(),
            Self::ParticipatingKind => of::<ParticipatingKind>(),
            Self::ParticipationMode => of::<ParticipationMode>(),
            Self::LitigationScope => of::<LitigationScope>(),
            Self::ParticipationTerm => of::<ParticipationTerm>(),
            Self::ProviderAffiliation => of::<ProviderAffiliation>(),
        }
    }

    /// Whether `code` is one of the dimension's values.
    pub fn knows(self, code: &str) -> bool {
        self.values().iter().any(|(c, _)| *c == code)
    }
}

vocabulary! {
    /// Who gave the aid, as Circular 03/2019 form 25 splits providers: by kind and by the
    /// tie through which a lawyer or counsellor takes cases (Law on Legal Aid 2017 art. 16–18).
    pub enum ProviderAffiliation {
        LegalAidOfficer = "legal_aid_officer" { vi: "Trợ giúp viên pháp lý", en: "Legal aid officer" },
        LawyerUnderCentreContract = "lawyer_centre_contract" { vi: "Luật sư ký hợp đồng với Trung tâm", en: "Lawyer under contract with the centre" },
        LawyerOfContractedOrganization = "lawyer_contracted_org" { vi: "Luật sư của tổ chức ký hợp đồng", en: "Lawyer of a contracted organization" },
        LawyerOfRegisteredOrganization = "lawyer_registered_org" { vi: "Luật sư của tổ chức đăng ký tham gia", en: "Lawyer of a registered organization" },
        CounsellorOfContractedOrganization = "counsellor_contracted_org" { vi: "Tư vấn viên pháp luật của tổ chức ký hợp đồng", en: "Legal counsellor of a contracted organization" },
        CounsellorOfRegisteredOrganization = "counsellor_registered_org" { vi: "Tư vấn viên pháp luật của tổ chức đăng ký tham gia", en: "Legal counsellor of a registered organization" },
        Collaborator = "collaborator" { vi: "Cộng tác viên trợ giúp pháp lý", en: "Legal aid collaborator" },
    }
}

impl ProviderAffiliation {
    /// The affiliation of a provider of `kind`, from their ties: whether they hold a contract
    /// with a state centre or branch, and how each participating practice they are a member
    /// of takes part (a member of two counts under a registering one: registration is the
    /// practice's own standing, a contract the centre's choice).
    ///
    /// A lawyer under contract with a centre counts as such even when also a member of a
    /// participating practice (the case came through the centre's contract); a lawyer with no
    /// recorded tie counts under the centre's contract, the only way left for a lawyer to
    /// take a centre's case. A legal counsellor works only through a participating
    /// organization: one of a registering organization counts as such, any other under a
    /// contracted organization.
    pub fn of(
        kind: ProviderKind,
        contracted_with_centre: bool,
        practices: &[ParticipationMode],
    ) -> Self {
        let practice = [ParticipationMode::Registration, ParticipationMode::Contract]
            .into_iter()
            .find(|m| practices.contains(m));
        match kind {
            ProviderKind::LegalAidOfficer => Self::LegalAidOfficer,
            ProviderKind::Collaborator => Self::Collaborator,
            ProviderKind::Lawyer if contracted_with_centre => Self::LawyerUnderCentreContract,
            ProviderKind::Lawyer => match practice {
                Some(ParticipationMode::Contract) => Self::LawyerOfContractedOrganization,
                Some(ParticipationMode::Registration) => Self::LawyerOfRegisteredOrganization,
                None => Self::LawyerUnderCentreContract,
            },
            ProviderKind::LegalCounsellor => match practice {
                Some(ParticipationMode::Registration) => Self::CounsellorOfRegisteredOrganization,
                _ => Self::CounsellorOfContractedOrganization,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ParticipationMode::*;
    use ProviderAffiliation as A;
    use ProviderKind::*;

    #[test]
    fn a_provider_is_affiliated_by_kind_and_by_the_tie_that_brought_the_case() {
        assert_eq!(
            A::of(LegalAidOfficer, true, &[Contract]),
            A::LegalAidOfficer
        );
        assert_eq!(A::of(Collaborator, false, &[]), A::Collaborator);
        assert_eq!(
            A::of(Lawyer, true, &[Registration]),
            A::LawyerUnderCentreContract
        );
        assert_eq!(
            A::of(Lawyer, false, &[Contract]),
            A::LawyerOfContractedOrganization
        );
        assert_eq!(
            A::of(Lawyer, false, &[Contract, Registration]),
            A::LawyerOfRegisteredOrganization
        );
        assert_eq!(A::of(Lawyer, false, &[]), A::LawyerUnderCentreContract);
        assert_eq!(
            A::of(LegalCounsellor, false, &[Registration]),
            A::CounsellorOfRegisteredOrganization
        );
        assert_eq!(
            A::of(LegalCounsellor, false, &[]),
            A::CounsellorOfContractedOrganization
        );
    }
}
