//! What of a case each caller may see.
//!
//! A case names the aided person (a record of its own, hidden from oversight) by the
//! record's id, and the private person who asked for aid on the aided person's behalf when
//! someone else did: a name and a family or other relation. All three are personal data
//! (Decree 13/2023/NĐ-CP on the protection of personal data): the id, though it names nobody,
//! links every case of one person, across centres, provinces and years, into one history of
//! their legal troubles. They follow the aided person's data: seen by the organizations
//! handling the person and by the data centre, never by oversight roles (Department, Agency
//! viewer) nor by service clients, who see the case without them.
//!
//! Every representation of case data (a single case, lists, the history, reports, change
//! requests and their proposed changes, exports) asks [`case_detail`] and leaves out the
//! [`CaseDetail::hidden_fields`].

use crate::access::{self, Action, Caller, Decision, Target};

/// A field of a case that is personal data of a private person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonalField {
    /// The aided person's record.
    RecipientId,
    /// Who requested aid for the aided person.
    RequesterName,
    /// The requester's relation to the aided person.
    RequesterRelation,
}

impl PersonalField {
    pub const ALL: [Self; 3] = [
        Self::RecipientId,
        Self::RequesterName,
        Self::RequesterRelation,
    ];

    /// The field's name wherever a case is written out: views, proposed changes, details.
    pub fn code(self) -> &'static str {
        match self {
            Self::RecipientId => "recipient_id",
            Self::RequesterName => "requester_name",
            Self::RequesterRelation => "requester_relation",
        }
    }
}

/// How much of a case a caller sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseDetail {
    /// The whole case, with the personal data of private persons named in it.
    Full,
    /// The case without the personal data of private persons.
    WithoutPersonalData,
}

impl CaseDetail {
    /// The fields to leave out of every representation of the case.
    pub fn hidden_fields(self) -> &'static [PersonalField] {
        match self {
            Self::Full => &[],
            Self::WithoutPersonalData => &PersonalField::ALL,
        }
    }

    pub fn shows(self, field: PersonalField) -> bool {
        !self.hidden_fields().contains(&field)
    }
}

/// How much of a case handled by `target` the caller sees: all of it where the caller may
/// read the aided person's data, the case without personal data elsewhere.
pub fn case_detail(caller: &Caller, target: &Target) -> CaseDetail {
    match access::decide(caller, Action::ReadRecipient, target) {
        Decision::Allow => CaseDetail::Full,
        Decision::Forbidden | Decision::Hidden => CaseDetail::WithoutPersonalData,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::role::Role;

    // agency ── dept-hn ── center-hn ── branch-hn
    //       └── dept-dn ── center-dn
    fn detail(role: Role, caller_org: &str, target: &str) -> CaseDetail {
        let ancestors: Vec<String> = match target {
            "center-hn" => vec!["dept-hn".into(), "agency".into()],
            "branch-hn" => vec!["center-hn".into(), "dept-hn".into(), "agency".into()],
            "center-dn" => vec!["dept-dn".into(), "agency".into()],
            other => panic!("unknown org {other}"),
        };
        case_detail(
            &Caller {
                role,
                org_id: caller_org,
            },
            &Target {
                org_id: target,
                ancestors: &ancestors,
            },
        )
    }

    /// One row per role: what it sees of the cases of the Hà Nội centre, its branch and the
    /// Đà Nẵng centre (F full, P without personal data).
    #[test]
    fn who_sees_the_requester() {
        let rows = [
            (Role::DataCenterAdmin, "agency", "FFF"),
            (Role::AgencyViewer, "agency", "PPP"),
            (Role::DepartmentOfficer, "dept-hn", "PPP"),
            (Role::CenterLeader, "center-hn", "FFP"),
            (Role::CenterLeader, "branch-hn", "PFP"),
            (Role::LegalAidOfficer, "center-hn", "FFP"),
            (Role::CenterShared, "center-hn", "FFP"),
            (Role::ContractedLawyer, "center-dn", "PPF"),
            (Role::ParticipantReporter, "center-hn", "FFP"),
            (Role::Portal, "agency", "PPP"),
            (Role::StatisticsOffice, "stats", "PPP"),
        ];
        for (role, org, expected) in rows {
            let got: String = ["center-hn", "branch-hn", "center-dn"]
                .iter()
                .map(|t| match detail(role, org, t) {
                    CaseDetail::Full => 'F',
                    CaseDetail::WithoutPersonalData => 'P',
                })
                .collect();
            assert_eq!(got, expected, "{role:?} of {org}");
        }
    }

    #[test]
    fn without_personal_data_hides_every_personal_field() {
        for field in PersonalField::ALL {
            assert!(CaseDetail::Full.shows(field));
            assert!(!CaseDetail::WithoutPersonalData.shows(field));
        }
        assert_eq!(
            PersonalField::ALL.map(PersonalField::code),
            ["recipient_id", "requester_name", "requester_relation"]
        );
    }
}
