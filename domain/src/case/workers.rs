//! Who sees and works which case inside the organization that handles it. The access policy
//! (`access::Action::ReadCase`, `ManageCase`) says whose cases a role may read and work at
//! all; this says which of them: a contracted lawyer updates the cases they perform (seed 003
//! §c: "cập nhật vụ việc do luật sư thực hiện"), sees only those (and the people, requests for
//! review and change requests that go with them: the personal data of the centre's other
//! cases is none of their work, Law on Legal Aid 2017 art. 9), and neither records nor
//! deletes the organization's requests; the organization's own people (its leaders, officers
//! and shared account) see and work all its cases.

use chrono::NaiveDate;

use crate::organization::OrganizationKind;
use crate::participation::Standing;
use crate::role::Role;

/// Whether an organization handles cases on `day`: it had not stopped operating by then
/// (`deactivated_on` is its first day out of operation), and a law office, law firm or
/// counselling centre takes part in legal aid that day ([`Standing::in_force_on`]). Nobody
/// is assigned its cases, nor is a request recorded there, on another day.
pub fn handles_cases_on(
    kind: OrganizationKind,
    deactivated_on: Option<NaiveDate>,
    participation: Option<&Standing>,
    day: NaiveDate,
) -> bool {
    let operating = deactivated_on.is_none_or(|out| day < out);
    let taking_part = !kind.is_participating() || participation.is_some_and(|p| p.in_force_on(day));
    operating && taking_part
}

/// Whether a person of `role` sees and works, of the cases of the organizations in their
/// scope, only those they perform (a contracted lawyer) rather than all of them.
pub fn performs_only(role: Role) -> bool {
    role == Role::ContractedLawyer
}

/// Whether a person of `role`, whose staff record is `staff_id`, sees and works a case whose
/// provider is `provider_id`.
pub fn works_on(role: Role, staff_id: Option<&str>, provider_id: Option<&str>) -> bool {
    !performs_only(role) || provider_id.is_some_and(|p| staff_id == Some(p))
}

/// Whether a person of `role`, logged in as `username`, removes a document of a case they
/// work on that `uploaded_by` put in its file. A contracted lawyer updates the case they
/// perform (seed 003 §c) and removes only what they put in: the documents the centre filed
/// (the request, the proofs, its decisions) are the centre's record of the case.
pub fn removes_document(role: Role, username: &str, uploaded_by: &str) -> bool {
    !performs_only(role) || username == uploaded_by
}

/// Whether a person of `role` records new cases (and the people they aid) and deletes open
/// cases.
pub fn records_cases(role: Role) -> bool {
    !performs_only(role)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contracted_lawyer_removes_only_the_documents_they_uploaded() {
        assert!(removes_document(Role::ContractedLawyer, "ls.hn", "ls.hn"));
        assert!(!removes_document(Role::ContractedLawyer, "ls.hn", "tgv.hn"));
        assert!(removes_document(Role::LegalAidOfficer, "tgv.hn", "ls.hn"));
        assert!(removes_document(Role::CenterLeader, "gd.hn", "tgv.hn"));
    }

    #[test]
    fn an_organization_handles_cases_while_it_operates_and_takes_part() {
        use crate::organization::{ParticipationMode, ParticipationStatus};
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let centre = OrganizationKind::Center;
        assert!(handles_cases_on(centre, None, None, d(11, 25)));
        assert!(handles_cases_on(centre, Some(d(11, 20)), None, d(11, 19)));
        assert!(!handles_cases_on(centre, Some(d(11, 20)), None, d(11, 20)));
        let firm = OrganizationKind::LawFirm;
        let standing = Standing {
            mode: ParticipationMode::Contract,
            status: ParticipationStatus::Active,
            valid_from: d(1, 1),
            valid_to: None,
            ended_on: None,
        };
        assert!(handles_cases_on(firm, None, Some(&standing), d(11, 25)));
        assert!(!handles_cases_on(firm, None, None, d(11, 25)));
        let ended = Standing {
            status: ParticipationStatus::Terminated,
            ended_on: Some(d(11, 20)),
            ..standing
        };
        assert!(handles_cases_on(firm, None, Some(&ended), d(11, 19)));
        assert!(!handles_cases_on(firm, None, Some(&ended), d(11, 25)));
    }

    #[test]
    fn a_contracted_lawyer_works_only_the_cases_they_perform() {
        let lawyer = Role::ContractedLawyer;
        assert!(works_on(lawyer, Some("ls-1"), Some("ls-1")));
        assert!(!works_on(lawyer, Some("ls-1"), Some("tgv-1")));
        assert!(!works_on(lawyer, Some("ls-1"), None));
        // An account not linked to a staff record performs no case.
        assert!(!works_on(lawyer, None, None));
        assert!(!works_on(lawyer, None, Some("ls-1")));
        for own in [
            Role::CenterLeader,
            Role::LegalAidOfficer,
            Role::CenterShared,
        ] {
            assert!(works_on(own, None, Some("ls-1")), "{own:?}");
            assert!(works_on(own, Some("tgv-1"), None), "{own:?}");
            assert!(records_cases(own), "{own:?}");
        }
        assert!(!records_cases(lawyer));
        assert!(performs_only(lawyer));
    }
}
