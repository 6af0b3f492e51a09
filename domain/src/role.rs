//! Roles of accounts, and which organizations and roles they go with.

use crate::organization::OrganizationKind;
use crate::vocabulary;

vocabulary! {
    /// What an account is allowed to be. People get the first eight; the national portal
    /// and the statistics office are service clients that log in with a client secret.
    pub enum Role {
        DataCenterAdmin = "data_center_admin" { vi: "Quản trị viên Trung tâm Thông tin, dữ liệu trợ giúp pháp lý", en: "Legal aid data centre administrator" },
        AgencyViewer = "agency_viewer" { vi: "Cán bộ Cục Trợ giúp pháp lý (chỉ xem)", en: "Legal Aid Agency viewer" },
        DepartmentOfficer = "department_officer" { vi: "Cán bộ Sở Tư pháp", en: "Department of Justice officer" },
        CenterLeader = "center_leader" { vi: "Lãnh đạo Trung tâm (Giám đốc, Phó Giám đốc, Trưởng Chi nhánh)", en: "Centre leader (director, deputy director, branch head)" },
        LegalAidOfficer = "legal_aid_officer" { vi: "Trợ giúp viên pháp lý", en: "Legal aid officer" },
        CenterShared = "center_shared" { vi: "Tài khoản dùng chung của Trung tâm", en: "Shared centre account" },
        ContractedLawyer = "contracted_lawyer" { vi: "Luật sư ký hợp đồng với Trung tâm", en: "Lawyer under contract with a centre" },
        ParticipantReporter = "participant_reporter" { vi: "Tổ chức tham gia trợ giúp pháp lý", en: "Participating organization reporter" },
        Portal = "portal" { vi: "Cổng Dịch vụ công quốc gia", en: "National public-services portal" },
        StatisticsOffice = "statistics_office" { vi: "Cơ quan thống kê", en: "Statistics office" },
    }
}

impl Role {
    /// Service clients authenticate with `client_credentials`, people with `password`.
    pub fn is_service(self) -> bool {
        matches!(self, Self::Portal | Self::StatisticsOffice)
    }

    /// Roles whose scope is the whole country rather than a subtree of organizations.
    pub fn is_national(self) -> bool {
        matches!(
            self,
            Self::DataCenterAdmin | Self::AgencyViewer | Self::Portal | Self::StatisticsOffice
        )
    }

    /// The kinds of organization an account of this role may belong to.
    pub fn allowed_org_kinds(self) -> &'static [OrganizationKind] {
        use OrganizationKind::*;
        match self {
            Self::DataCenterAdmin | Self::Portal => &[Agency],
            Self::AgencyViewer => &[Agency, Ministry],
            Self::DepartmentOfficer => &[Department],
            Self::CenterLeader
            | Self::LegalAidOfficer
            | Self::CenterShared
            | Self::ContractedLawyer => &[Center, Branch],
            Self::ParticipantReporter => &[LawOffice, LawFirm, CounsellingCenter, Club],
            Self::StatisticsOffice => &[StatisticsOffice],
        }
    }

    /// The roles that an account of this role may create and administer (lock, unlock,
    /// reset, deactivate), always within its own scope.
    pub fn grantable_roles(self) -> &'static [Role] {
        match self {
            Self::DataCenterAdmin => <Role as crate::label::Vocabulary>::ALL,
            Self::DepartmentOfficer => &[
                Self::CenterLeader,
                Self::LegalAidOfficer,
                Self::CenterShared,
                Self::ContractedLawyer,
                Self::ParticipantReporter,
            ],
            Self::CenterLeader => &[
                Self::LegalAidOfficer,
                Self::CenterShared,
                Self::ContractedLawyer,
            ],
            _ => &[],
        }
    }

    pub fn administers_accounts(self) -> bool {
        !self.grantable_roles().is_empty()
    }
}

vocabulary! {
    pub enum AccountStatus {
        Active = "active" { vi: "Đang hoạt động", en: "Active" },
        Locked = "locked" { vi: "Đã khóa", en: "Locked" },
        Deactivated = "deactivated" { vi: "Đã vô hiệu hóa", en: "Deactivated" },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::Vocabulary;

    #[test]
    fn every_role_belongs_somewhere_and_only_two_are_services() {
        for role in Role::ALL {
            assert!(!role.allowed_org_kinds().is_empty(), "{role}");
        }
        let services: Vec<_> = Role::ALL.iter().filter(|r| r.is_service()).collect();
        assert_eq!(services, vec![&Role::Portal, &Role::StatisticsOffice]);
    }

    #[test]
    fn nobody_but_the_data_centre_grants_leadership_of_their_own_level() {
        assert!(!Role::CenterLeader
            .grantable_roles()
            .contains(&Role::CenterLeader));
        assert!(!Role::DepartmentOfficer
            .grantable_roles()
            .contains(&Role::DepartmentOfficer));
        assert!(!Role::DepartmentOfficer
            .grantable_roles()
            .contains(&Role::Portal));
        assert!(Role::DataCenterAdmin
            .grantable_roles()
            .contains(&Role::Portal));
        assert!(!Role::LegalAidOfficer.administers_accounts());
    }
}
