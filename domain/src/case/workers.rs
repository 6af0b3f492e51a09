//! Who works which case inside the organization that handles it. The access policy
//! (`access::Action::ManageCase`) says whose cases a role may work at all; this says which of
//! them: a contracted lawyer updates the cases they perform (seed 003 §c: "cập nhật vụ việc do
//! luật sư thực hiện"), and neither records nor deletes the organization's requests; the
//! organization's own people (its leaders, officers and shared account) work all its cases.

use crate::role::Role;

/// Whether a person of `role`, whose staff record is `staff_id`, works a case whose provider
/// is `provider_id`.
pub fn works_on(role: Role, staff_id: Option<&str>, provider_id: Option<&str>) -> bool {
    role != Role::ContractedLawyer || provider_id.is_some_and(|p| staff_id == Some(p))
}

/// Whether a person of `role` records new cases and deletes open ones.
pub fn records_cases(role: Role) -> bool {
    role != Role::ContractedLawyer
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
