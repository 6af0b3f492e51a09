//! The access policy: who may do what where.
//!
//! A pure function of the caller (role and organization), the action and the target
//! organization (with its ancestors as of today). Three answers: allowed; forbidden (the
//! caller can see the target but not do this to it: HTTP 403); hidden (the target is outside
//! the caller's scope, and the caller must not even learn that it exists: HTTP 404).

use crate::role::Role;

/// Who is asking.
#[derive(Debug, Clone, Copy)]
pub struct Caller<'a> {
    pub role: Role,
    pub org_id: &'a str,
}

/// The organization an action is about, with its ancestors from the nearest up.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub org_id: &'a str,
    pub ancestors: &'a [String],
}

/// Actions on something that belongs to an organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    ReadOrganization,
    /// Create an organization under the target.
    CreateChildOrganization,
    UpdateOrganization,
    /// Deactivate the target or hang it under another parent.
    RestructureOrganization,
    ReadAccounts,
    /// Create or administer an account of the given role in the target organization.
    ManageAccount(Role),
    /// Read the staff and providers of the target.
    ReadStaff,
    /// Create and change staff records and memberships of the target.
    ManageStaff,
    /// Issue, reissue and revoke collaborators' cards for members of the target (the
    /// Director of the Department issues them).
    ManageCollaboratorCards,
    /// Register, amend, terminate or revoke a participating organization's registration,
    /// and its contracts with centres.
    ManageParticipation,
    /// Read the personal data of people aided by the target.
    ReadRecipient,
    /// Create and change records of people aided by the target.
    ManageRecipient,
    /// Read the cases the target handles (the Department oversees them, the Agency too).
    ReadCase,
    /// Create, edit, delete the target's cases and take their steps (each step also checks
    /// its own roles).
    ManageCase,
    /// Send a request for review of the target to the competent agency: its leader signs
    /// it (Law on Legal Aid 2017 art. 27); officers draft.
    SendReviewRequest,
    /// Evaluate the quality of a concluded case of the target: its own leaders, and the
    /// Department above it (Law on Legal Aid 2017 art. 42(2)(c)); the step's own roles
    /// apply too.
    EvaluateCaseQuality,
    /// Read the statistical forms of the target and everything under it: the reporting chain
    /// (Circular 02/2011 art. 5–6) and the Agency. Service clients get released figures only,
    /// and contracted lawyers report through their centre.
    ReadStatistics,
    /// Prepare the target's statistical report: enter the figures of a unit that keeps no
    /// records here, write the explanations, propose a correction (Circular 02/2011 art. 8:
    /// the person who prepares the form). The unit's own officers and leaders.
    PrepareStatisticalReport,
    /// Submit the target's report, and confirm its corrections (art. 8, 9): its own head
    /// signs (a centre's or branch's leader, a participating organization's or club's
    /// reporter, the Department's officer, the Agency's data centre), never a unit above it.
    SubmitStatisticalReport,
    /// Accept or return the reports the target receives (art. 6): its own leaders.
    ReceiveStatisticalReports,
    /// Read the dossiers filed on the portal that the target handles, with their applicants'
    /// personal data: the target's own people (a centre's leaders also its branches'), and
    /// the data centre.
    ReadDossier,
    /// Take the steps of the target's dossiers: accept, ask for documents, refuse, return
    /// the result (Decree 61/2018 art. 19): its own people, a centre's leaders also for its
    /// branches.
    HandleDossier,
}

impl Action {
    /// Personal data of aided people: seen only by the organizations handling them and by
    /// the data centre, never by oversight roles or service clients, whatever else they see.
    fn is_recipient_data(self) -> bool {
        matches!(self, Self::ReadRecipient | Self::ManageRecipient)
    }

    fn is_dossier(self) -> bool {
        matches!(self, Self::ReadDossier | Self::HandleDossier)
    }
}

/// Actions on the system as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemAction {
    ReadAuditLog,
    /// Approve or reject change requests on locked cases (the Agency's data centre).
    DecideChangeRequests,
    /// Read who read which recipient's personal data.
    ReadRecipientAccessLog,
    ManageReferenceData,
    /// Publish a release of national figures (Circular 02/2011 art. 15: the Minister decides;
    /// the Agency's data centre carries it out).
    PublishStatistics,
    /// Read released figures (art. 15): anyone signed in but the portal, which handles
    /// dossiers; the statistics offices read nothing else.
    ReadReleasedStatistics,
    /// Read the Agency's national compilations: the monthly litigation notice and the
    /// ranking of provinces by their data (seed 003 §2): the Agency's own roles.
    ReadNationalCompilations,
    /// File dossiers and their supplements, and read what became of them: the portal.
    SubmitDossiers,
    /// Read the feed of dossiers' progress: the portal, and the data centre.
    ReadDossierFeed,
    /// Register the portal's callback, see and redeliver its failed deliveries, and keep
    /// the procedures, the calendar and the portal's status codes: the data centre.
    ManagePortalIntegration,
    /// Read the six-monthly report on online services (seed 001 §2): the Agency.
    ReadOnlineServicesReport,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Forbidden,
    Hidden,
}

/// Where the target stands relative to the caller's organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Relation {
    Own,
    Below,
    Outside,
}

fn relation(caller: &Caller, target: &Target) -> Relation {
    if target.org_id == caller.org_id {
        Relation::Own
    } else if target.ancestors.iter().any(|a| a == caller.org_id) {
        Relation::Below
    } else {
        Relation::Outside
    }
}

/// Decides whether `caller` may do `action` to `target`.
pub fn decide(caller: &Caller, action: Action, target: &Target) -> Decision {
    use Relation::*;
    use Role::*;
    let rel = relation(caller, target);
    if action.is_recipient_data() {
        let handles = rel != Outside
            && matches!(
                caller.role,
                CenterLeader
                    | LegalAidOfficer
                    | CenterShared
                    | ContractedLawyer
                    | ParticipantReporter
            );
        return if caller.role == DataCenterAdmin || handles {
            Decision::Allow
        } else {
            Decision::Hidden
        };
    }
    if action.is_dossier() {
        let handles = match caller.role {
            CenterLeader => rel != Outside,
            LegalAidOfficer | CenterShared | ParticipantReporter | DepartmentOfficer => rel == Own,
            _ => false,
        };
        return if handles || (caller.role == DataCenterAdmin && action == Action::ReadDossier) {
            Decision::Allow
        } else if caller.role == DataCenterAdmin {
            Decision::Forbidden
        } else {
            Decision::Hidden
        };
    }
    let visible = caller.role.is_national() || rel != Outside;
    if !visible {
        return Decision::Hidden;
    }
    let in_subtree = rel != Outside;
    let allowed = match (caller.role, action) {
        // The data centre changes cases only by approving change requests (seed 000 §2d),
        // and speaks for no centre to other agencies.
        (DataCenterAdmin, Action::ManageCase | Action::SendReviewRequest) => false,
        // It signs the Agency's own report and receives the Departments'; a unit's report
        // is its own head's.
        (
            DataCenterAdmin,
            Action::PrepareStatisticalReport
            | Action::SubmitStatisticalReport
            | Action::ReceiveStatisticalReports,
        ) => rel == Own,
        (DataCenterAdmin, _) => true,
        (_, Action::ReadOrganization) => true,
        (Portal | StatisticsOffice, _) => false,
        (_, Action::ReadCase) => true,
        (
            CenterLeader | LegalAidOfficer | CenterShared | ContractedLawyer | ParticipantReporter,
            Action::ManageCase,
        ) => in_subtree,
        (CenterLeader | ParticipantReporter, Action::SendReviewRequest) => in_subtree,
        (CenterLeader | ParticipantReporter | DepartmentOfficer, Action::EvaluateCaseQuality) => {
            in_subtree
        }
        (ContractedLawyer, Action::ReadStatistics) => false,
        (_, Action::ReadStatistics) => true,
        // A unit's own people prepare and sign its reports, and receive those sent to it:
        // nobody above signs for a unit, nor accepts what it signed itself.
        (
            CenterLeader | LegalAidOfficer | CenterShared | ParticipantReporter | DepartmentOfficer,
            Action::PrepareStatisticalReport,
        ) => rel == Own,
        (
            CenterLeader | ParticipantReporter | DepartmentOfficer,
            Action::SubmitStatisticalReport,
        ) => rel == Own,
        (CenterLeader | DepartmentOfficer, Action::ReceiveStatisticalReports) => rel == Own,
        (_, Action::ReadStaff) => true,
        (DepartmentOfficer | CenterLeader, Action::ManageStaff) => in_subtree,
        // The Department's Director issues cards: to the Department itself and below it.
        (DepartmentOfficer, Action::ManageCollaboratorCards) => in_subtree,
        (DepartmentOfficer, Action::ManageParticipation) => rel == Below,
        (DepartmentOfficer, Action::CreateChildOrganization) => in_subtree,
        (DepartmentOfficer, Action::UpdateOrganization | Action::RestructureOrganization) => {
            rel == Below
        }
        (CenterLeader, Action::UpdateOrganization) => in_subtree,
        (DepartmentOfficer, Action::ReadAccounts) => rel == Below,
        (CenterLeader, Action::ReadAccounts) => in_subtree,
        (DepartmentOfficer, Action::ManageAccount(role)) => {
            rel == Below && caller.role.grantable_roles().contains(&role)
        }
        (CenterLeader, Action::ManageAccount(role)) => {
            in_subtree && caller.role.grantable_roles().contains(&role)
        }
        _ => false,
    };
    if allowed {
        Decision::Allow
    } else {
        Decision::Forbidden
    }
}

/// Decides actions that concern the whole system; only the data centre administers it.
pub fn decide_system(caller: &Caller, action: SystemAction) -> Decision {
    match (caller.role, action) {
        // Only the portal files dossiers: the data centre speaks for no applicant.
        (Role::Portal, SystemAction::SubmitDossiers) => Decision::Allow,
        (_, SystemAction::SubmitDossiers) => Decision::Forbidden,
        (Role::DataCenterAdmin, _) => Decision::Allow,
        (Role::Portal, SystemAction::ReadReleasedStatistics) => Decision::Forbidden,
        (Role::Portal, SystemAction::ReadDossierFeed) => Decision::Allow,
        (Role::AgencyViewer, SystemAction::ReadOnlineServicesReport) => Decision::Allow,
        (_, SystemAction::ReadDossierFeed) => Decision::Forbidden,
        (_, SystemAction::ReadReleasedStatistics) => Decision::Allow,
        (Role::AgencyViewer, SystemAction::ReadNationalCompilations) => Decision::Allow,
        _ => Decision::Forbidden,
    }
}

/// Whether the caller may see organizations outside any subtree (national roles).
pub fn sees_whole_country(caller: &Caller) -> bool {
    caller.role.is_national()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::Vocabulary;
    use Decision::*;

    // agency
    // ├── dept-hn ── center-hn ── branch-hn
    // │          └── firm-hn
    // └── dept-dn ── center-dn
    fn ancestors(org: &str) -> Vec<String> {
        let chain: &[&str] = match org {
            "agency" => &[],
            "dept-hn" | "dept-dn" => &["agency"],
            "center-hn" | "firm-hn" => &["dept-hn", "agency"],
            "branch-hn" => &["center-hn", "dept-hn", "agency"],
            "center-dn" => &["dept-dn", "agency"],
            "stats" => &[],
            other => panic!("unknown org {other}"),
        };
        chain.iter().map(|s| s.to_string()).collect()
    }

    fn check(role: Role, caller_org: &str, action: Action, target_org: &str) -> Decision {
        let anc = ancestors(target_org);
        decide(
            &Caller {
                role,
                org_id: caller_org,
            },
            action,
            &Target {
                org_id: target_org,
                ancestors: &anc,
            },
        )
    }

    const ORGS: [&str; 6] = [
        "agency",
        "dept-hn",
        "center-hn",
        "branch-hn",
        "firm-hn",
        "center-dn",
    ];

    /// One role's decisions on `action`, one letter per organization in `ORGS`.
    fn row(role: Role, caller_org: &str, action: Action) -> String {
        ORGS.iter()
            .map(|t| letter(check(role, caller_org, action, t)))
            .collect()
    }

    /// The matrix of reading organizations, row by row: one string per role, one letter per
    /// organization in `ORGS` (A allow, F forbidden, H hidden).
    #[test]
    fn read_matrix() {
        let rows = [
            (Role::DataCenterAdmin, "agency", "AAAAAA"),
            (Role::AgencyViewer, "agency", "AAAAAA"),
            (Role::DepartmentOfficer, "dept-hn", "HAAAAH"),
            (Role::CenterLeader, "center-hn", "HHAAHH"),
            (Role::LegalAidOfficer, "branch-hn", "HHHAHH"),
            (Role::CenterShared, "center-hn", "HHAAHH"),
            (Role::ContractedLawyer, "center-dn", "HHHHHA"),
            (Role::ParticipantReporter, "firm-hn", "HHHHAH"),
            (Role::Portal, "agency", "AAAAAA"),
            (Role::StatisticsOffice, "stats", "AAAAAA"),
        ];
        assert_matrix(Action::ReadOrganization, &rows);
    }

    /// Checks `action` for one row per role: one letter per organization in `ORGS`.
    fn assert_matrix(action: Action, rows: &[(Role, &str, &str)]) {
        assert_eq!(rows.len(), Role::ALL.len());
        for (role, org, expected) in rows {
            assert_eq!(row(*role, org, action), *expected, "{role} of {org}");
        }
    }

    /// Sending requests for review and evaluating quality, on the centre of Hà Nội: one
    /// letter per action (send, evaluate).
    #[test]
    fn leaders_send_reviews_and_leaders_or_the_department_evaluate() {
        let rows = [
            (Role::DataCenterAdmin, "agency", "FA"),
            (Role::AgencyViewer, "agency", "FF"),
            (Role::DepartmentOfficer, "dept-hn", "FA"),
            (Role::DepartmentOfficer, "dept-dn", "HH"),
            (Role::CenterLeader, "center-hn", "AA"),
            (Role::LegalAidOfficer, "center-hn", "FF"),
            (Role::CenterShared, "center-hn", "FF"),
            (Role::ContractedLawyer, "center-hn", "FF"),
            (Role::Portal, "agency", "FF"),
            (Role::StatisticsOffice, "stats", "FF"),
        ];
        for (role, org, expected) in rows {
            let got: String = [Action::SendReviewRequest, Action::EvaluateCaseQuality]
                .into_iter()
                .map(|a| letter(check(role, org, a, "center-hn")))
                .collect();
            assert_eq!(got, expected, "{role} of {org}");
        }
    }

    /// Reading the statistical forms, one letter per organization in `ORGS`.
    #[test]
    fn the_reporting_chain_reads_the_statistics_of_its_subtree() {
        let rows = [
            (Role::DataCenterAdmin, "agency", "AAAAAA"),
            (Role::AgencyViewer, "agency", "AAAAAA"),
            (Role::DepartmentOfficer, "dept-hn", "HAAAAH"),
            (Role::CenterLeader, "center-hn", "HHAAHH"),
            (Role::LegalAidOfficer, "branch-hn", "HHHAHH"),
            (Role::CenterShared, "center-hn", "HHAAHH"),
            (Role::ContractedLawyer, "center-dn", "HHHHHF"),
            (Role::ParticipantReporter, "firm-hn", "HHHHAH"),
            (Role::Portal, "agency", "FFFFFF"),
            (Role::StatisticsOffice, "stats", "FFFFFF"),
        ];
        assert_matrix(Action::ReadStatistics, &rows);
    }

    /// Preparing, submitting and receiving statistical reports, one letter per organization
    /// in `ORGS` for each action.
    #[test]
    fn heads_submit_reports_and_the_level_above_receives_them() {
        let rows = [
            (
                Role::DataCenterAdmin,
                "agency",
                "AFFFFF",
                "AFFFFF",
                "AFFFFF",
            ),
            (Role::AgencyViewer, "agency", "FFFFFF", "FFFFFF", "FFFFFF"),
            (
                Role::DepartmentOfficer,
                "dept-hn",
                "HAFFFH",
                "HAFFFH",
                "HAFFFH",
            ),
            (
                Role::CenterLeader,
                "center-hn",
                "HHAFHH",
                "HHAFHH",
                "HHAFHH",
            ),
            (
                Role::LegalAidOfficer,
                "branch-hn",
                "HHHAHH",
                "HHHFHH",
                "HHHFHH",
            ),
            (
                Role::CenterShared,
                "center-hn",
                "HHAFHH",
                "HHFFHH",
                "HHFFHH",
            ),
            (
                Role::ContractedLawyer,
                "center-dn",
                "HHHHHF",
                "HHHHHF",
                "HHHHHF",
            ),
            (
                Role::ParticipantReporter,
                "firm-hn",
                "HHHHAH",
                "HHHHAH",
                "HHHHFH",
            ),
            (Role::Portal, "agency", "FFFFFF", "FFFFFF", "FFFFFF"),
            (
                Role::StatisticsOffice,
                "stats",
                "FFFFFF",
                "FFFFFF",
                "FFFFFF",
            ),
        ];
        for (role, org, prepare, submit, receive) in rows {
            for (action, expected) in [
                (Action::PrepareStatisticalReport, prepare),
                (Action::SubmitStatisticalReport, submit),
                (Action::ReceiveStatisticalReports, receive),
            ] {
                let got: String = ORGS
                    .iter()
                    .map(|t| letter(check(role, org, action, t)))
                    .collect();
                assert_eq!(got, expected, "{action:?} by {role} of {org}");
            }
        }
    }

    #[test]
    fn the_data_centre_publishes_and_everyone_but_the_portal_reads_releases() {
        for role in Role::ALL {
            let caller = Caller {
                role: *role,
                org_id: "x",
            };
            let publish = decide_system(&caller, SystemAction::PublishStatistics);
            let read = decide_system(&caller, SystemAction::ReadReleasedStatistics);
            assert_eq!(publish == Allow, *role == Role::DataCenterAdmin, "{role}");
            assert_eq!(read == Allow, *role != Role::Portal, "{role}");
            let national = decide_system(&caller, SystemAction::ReadNationalCompilations);
            assert_eq!(
                national == Allow,
                matches!(role, Role::DataCenterAdmin | Role::AgencyViewer),
                "{role}"
            );
        }
    }

    #[test]
    fn update_and_restructure_matrix() {
        let rows = [
            (Role::DataCenterAdmin, "agency", "AAAAAA", "AAAAAA"),
            (Role::AgencyViewer, "agency", "FFFFFF", "FFFFFF"),
            (Role::DepartmentOfficer, "dept-hn", "HFAAAH", "HFAAAH"),
            (Role::CenterLeader, "center-hn", "HHAAHH", "HHFFHH"),
            (Role::LegalAidOfficer, "center-hn", "HHFFHH", "HHFFHH"),
            (Role::Portal, "agency", "FFFFFF", "FFFFFF"),
        ];
        for (role, org, update, restructure) in rows {
            let got_update: String = ORGS
                .iter()
                .map(|t| letter(check(role, org, Action::UpdateOrganization, t)))
                .collect();
            let got_restructure: String = ORGS
                .iter()
                .map(|t| letter(check(role, org, Action::RestructureOrganization, t)))
                .collect();
            assert_eq!(got_update, update, "update by {role} of {org}");
            assert_eq!(
                got_restructure, restructure,
                "restructure by {role} of {org}"
            );
        }
    }

    #[test]
    fn a_department_creates_under_itself_but_not_elsewhere() {
        assert_eq!(
            check(
                Role::DepartmentOfficer,
                "dept-hn",
                Action::CreateChildOrganization,
                "dept-hn"
            ),
            Allow
        );
        assert_eq!(
            check(
                Role::DepartmentOfficer,
                "dept-hn",
                Action::CreateChildOrganization,
                "center-hn"
            ),
            Allow
        );
        assert_eq!(
            check(
                Role::DepartmentOfficer,
                "dept-hn",
                Action::CreateChildOrganization,
                "dept-dn"
            ),
            Hidden
        );
        assert_eq!(
            check(
                Role::CenterLeader,
                "center-hn",
                Action::CreateChildOrganization,
                "center-hn"
            ),
            Forbidden
        );
    }

    #[test]
    fn accounts_are_managed_downwards_only() {
        let grant =
            |role, org, target, granted| check(role, org, Action::ManageAccount(granted), target);
        assert_eq!(
            grant(
                Role::CenterLeader,
                "center-hn",
                "branch-hn",
                Role::LegalAidOfficer
            ),
            Allow
        );
        assert_eq!(
            grant(
                Role::CenterLeader,
                "center-hn",
                "center-hn",
                Role::CenterLeader
            ),
            Forbidden
        );
        assert_eq!(
            grant(
                Role::CenterLeader,
                "center-hn",
                "center-dn",
                Role::LegalAidOfficer
            ),
            Hidden
        );
        assert_eq!(
            grant(
                Role::DepartmentOfficer,
                "dept-hn",
                "center-hn",
                Role::CenterLeader
            ),
            Allow
        );
        assert_eq!(
            grant(
                Role::DepartmentOfficer,
                "dept-hn",
                "dept-hn",
                Role::DepartmentOfficer
            ),
            Forbidden
        );
        assert_eq!(
            grant(
                Role::DepartmentOfficer,
                "dept-hn",
                "firm-hn",
                Role::ParticipantReporter
            ),
            Allow
        );
        assert_eq!(
            grant(
                Role::AgencyViewer,
                "agency",
                "center-hn",
                Role::LegalAidOfficer
            ),
            Forbidden
        );
        assert_eq!(
            grant(Role::DataCenterAdmin, "agency", "agency", Role::Portal),
            Allow
        );
        assert_eq!(
            grant(
                Role::LegalAidOfficer,
                "center-hn",
                "center-hn",
                Role::LegalAidOfficer
            ),
            Forbidden
        );
    }

    #[test]
    fn only_the_data_centre_administers_the_system() {
        for role in Role::ALL {
            let caller = Caller {
                role: *role,
                org_id: "x",
            };
            let expected = if *role == Role::DataCenterAdmin {
                Allow
            } else {
                Forbidden
            };
            assert_eq!(decide_system(&caller, SystemAction::ReadAuditLog), expected);
            assert_eq!(
                decide_system(&caller, SystemAction::ManageReferenceData),
                expected
            );
        }
    }

    /// Recipients' personal data, per role and organization (A allow, H hidden): oversight
    /// roles and services never see it, even where they see the organization.
    #[test]
    fn recipient_matrix() {
        let rows = [
            (Role::DataCenterAdmin, "agency", "AAAAAA"),
            (Role::AgencyViewer, "agency", "HHHHHH"),
            (Role::DepartmentOfficer, "dept-hn", "HHHHHH"),
            (Role::CenterLeader, "center-hn", "HHAAHH"),
            (Role::LegalAidOfficer, "branch-hn", "HHHAHH"),
            (Role::CenterShared, "center-hn", "HHAAHH"),
            (Role::ContractedLawyer, "center-dn", "HHHHHA"),
            (Role::ParticipantReporter, "firm-hn", "HHHHAH"),
            (Role::Portal, "agency", "HHHHHH"),
            (Role::StatisticsOffice, "stats", "HHHHHH"),
        ];
        for (role, org, expected) in rows {
            for action in [Action::ReadRecipient, Action::ManageRecipient] {
                let got: String = ORGS
                    .iter()
                    .map(|t| letter(check(role, org, action, t)))
                    .collect();
                assert_eq!(got, expected, "{action:?} by {role} of {org}");
            }
        }
    }

    #[test]
    fn cases_are_read_by_oversight_and_worked_by_the_unit() {
        assert_eq!(
            row(Role::DataCenterAdmin, "agency", Action::ManageCase),
            "FFFFFF",
            "the data centre changes cases only through change requests"
        );
        assert_eq!(
            row(Role::DepartmentOfficer, "dept-hn", Action::ReadCase),
            "HAAAAH"
        );
        assert_eq!(
            row(Role::DepartmentOfficer, "dept-hn", Action::ManageCase),
            "HFFFFH"
        );
        assert_eq!(
            row(Role::AgencyViewer, "agency", Action::ReadCase),
            "AAAAAA"
        );
        assert_eq!(
            row(Role::LegalAidOfficer, "center-hn", Action::ManageCase),
            "HHAAHH"
        );
        assert_eq!(row(Role::Portal, "agency", Action::ReadCase), "FFFFFF");
    }

    #[test]
    fn dossiers_are_seen_by_the_unit_handling_them_and_the_data_centre() {
        // ORGS: agency, dept-hn, center-hn, branch-hn, firm-hn, center-dn.
        let rows = [
            (Role::DataCenterAdmin, "agency", "AAAAAA", "FFFFFF"),
            (Role::AgencyViewer, "agency", "HHHHHH", "HHHHHH"),
            (Role::DepartmentOfficer, "dept-hn", "HAHHHH", "HAHHHH"),
            (Role::CenterLeader, "center-hn", "HHAAHH", "HHAAHH"),
            (Role::LegalAidOfficer, "center-hn", "HHAHHH", "HHAHHH"),
            (Role::ContractedLawyer, "center-hn", "HHHHHH", "HHHHHH"),
            (Role::ParticipantReporter, "firm-hn", "HHHHAH", "HHHHAH"),
            (Role::Portal, "agency", "HHHHHH", "HHHHHH"),
        ];
        for (role, org, read, handle) in rows {
            assert_eq!(row(role, org, Action::ReadDossier), read, "read by {role}");
            assert_eq!(
                row(role, org, Action::HandleDossier),
                handle,
                "handle by {role}"
            );
        }
        let system = |role, action| {
            decide_system(
                &Caller {
                    role,
                    org_id: "agency",
                },
                action,
            )
        };
        for role in Role::ALL.iter().copied() {
            let portal = role == Role::Portal;
            assert_eq!(
                system(role, SystemAction::SubmitDossiers) == Allow,
                portal,
                "{role}"
            );
            assert_eq!(
                system(role, SystemAction::ReadDossierFeed) == Allow,
                portal || role == Role::DataCenterAdmin,
                "{role}"
            );
            assert_eq!(
                system(role, SystemAction::ManagePortalIntegration) == Allow,
                role == Role::DataCenterAdmin,
                "{role}"
            );
            assert_eq!(
                system(role, SystemAction::ReadOnlineServicesReport) == Allow,
                matches!(role, Role::DataCenterAdmin | Role::AgencyViewer),
                "{role}"
            );
        }
    }

    #[test]
    fn staff_cards_and_participation() {
        assert_eq!(
            row(Role::LegalAidOfficer, "center-hn", Action::ReadStaff),
            "HHAAHH"
        );
        assert_eq!(
            row(Role::LegalAidOfficer, "center-hn", Action::ManageStaff),
            "HHFFHH"
        );
        assert_eq!(
            row(Role::CenterLeader, "center-hn", Action::ManageStaff),
            "HHAAHH"
        );
        assert_eq!(
            row(Role::DepartmentOfficer, "dept-hn", Action::ManageStaff),
            "HAAAAH"
        );
        assert_eq!(row(Role::Portal, "agency", Action::ReadStaff), "FFFFFF");
        assert_eq!(
            row(Role::AgencyViewer, "agency", Action::ReadStaff),
            "AAAAAA"
        );
        assert_eq!(
            row(
                Role::DepartmentOfficer,
                "dept-hn",
                Action::ManageCollaboratorCards
            ),
            "HAAAAH"
        );
        assert_eq!(
            row(
                Role::CenterLeader,
                "center-hn",
                Action::ManageCollaboratorCards
            ),
            "HHFFHH"
        );
        assert_eq!(
            row(
                Role::DepartmentOfficer,
                "dept-hn",
                Action::ManageParticipation
            ),
            "HFAAAH"
        );
    }

    fn letter(d: Decision) -> char {
        match d {
            Allow => 'A',
            Forbidden => 'F',
            Hidden => 'H',
        }
    }
}
