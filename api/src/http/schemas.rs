//! OpenAPI schemas for the domain's vocabularies. The domain stays free of utoipa, so each
//! code list is described here from the domain's own list of codes.

use tgpl_domain::label::Vocabulary;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, SchemaType, Type};
use utoipa::openapi::{Array, Object};

fn codes<V: Vocabulary>(description: &str) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(V::ALL.iter().map(|v| v.code())))
        .description(Some(description))
        .build()
}

fn code_list<V: Vocabulary>(description: &str) -> Array {
    ArrayBuilder::new()
        .items(codes::<V>(description))
        .description(Some(description))
        .build()
}

/// The same code, or `null`: for `Option` fields, which serialize `None` as `null` and take
/// `null` as absent.
fn code_or_null<V: Vocabulary>(description: &str) -> Object {
    let codes = V::ALL
        .iter()
        .map(|v| serde_json::Value::from(v.code()))
        .chain([serde_json::Value::Null]);
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some(codes))
        .description(Some(description))
        .build()
}

fn code_list_or_null<V: Vocabulary>(description: &str) -> Array {
    ArrayBuilder::new()
        .items(codes::<V>(description))
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .description(Some(description))
        .build()
}

/// A phone number as `tgpl_domain::text::check_phone` takes it (8 to 15 digits, with `+`,
/// spaces, `-`, `.` or brackets between), or `null` where the field is optional.
pub fn phone() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .pattern(Some(r"^(?:[ +().-]*[0-9]){8,15}[ +().-]*$"))
        .min_length(Some(1))
        .max_length(Some(crate::http::text::PHONE_MAX))
        .build()
}

/// For each vocabulary: the schema of one code and of a list of codes, and in [`or_null`] the
/// same schemas admitting `null`.
macro_rules! code_schemas {
    ($( $one:ident, $many:ident => $ty:ty, $desc:literal; )+) => {
        $(
            pub fn $one() -> Object { codes::<$ty>($desc) }
            #[allow(dead_code)]
            pub fn $many() -> Array { code_list::<$ty>($desc) }
        )+

        /// Schemas of optional code fields: the code or `null`.
        pub mod or_null {
            use super::*;
            $(
                #[allow(dead_code)]
                pub fn $one() -> Object { code_or_null::<$ty>($desc) }
                #[allow(dead_code)]
                pub fn $many() -> Array { code_list_or_null::<$ty>($desc) }
            )+
        }
    };
}

code_schemas! {
    organization_kind, organization_kinds => tgpl_domain::organization::OrganizationKind, "Organization kind (see /api/v1/reference/organization_kinds).";
    organization_status, organization_statuses => tgpl_domain::organization::OrganizationStatus, "Organization status.";
    participation_mode, participation_modes => tgpl_domain::organization::ParticipationMode, "How a participating organization takes part.";
    participation_status, participation_statuses => tgpl_domain::organization::ParticipationStatus, "Where a participation stands.";
    role, roles => tgpl_domain::role::Role, "Account role (see /api/v1/reference/roles).";
    account_status, account_statuses => tgpl_domain::role::AccountStatus, "Account status.";
    aid_form, aid_forms => tgpl_domain::reference::AidForm, "Form of legal aid.";
    field, fields => tgpl_domain::reference::Field, "Field of law.";
    recipient_category, recipient_categories => tgpl_domain::reference::RecipientCategory, "Recipient category (Law 2017 art. 7).";
    audit_action, audit_actions => tgpl_domain::audit::AuditAction, "Audited action.";
    gender, genders => tgpl_domain::reference::Gender, "Gender.";
    ethnic_group, ethnic_groups => tgpl_domain::reference::EthnicGroup, "Ethnic group (see /api/v1/reference/ethnic_groups).";
    qualification, qualifications => tgpl_domain::reference::Qualification, "Qualification.";
    provider_kind, provider_kinds => tgpl_domain::reference::ProviderKind, "Kind of legal aid provider.";
    title, titles => tgpl_domain::staff::Title, "Position held.";
    officer_rank, officer_ranks => tgpl_domain::staff::OfficerRank, "Rank of a legal aid officer.";
    membership_relation, membership_relations => tgpl_domain::staff::MembershipRelation, "How the person belongs to the organization.";
    staff_status, staff_statuses => tgpl_domain::staff::StaffStatus, "Staff status.";
    card_status, card_statuses => tgpl_domain::staff::CardStatus, "Collaborator card status.";
    proof_kind, proof_kinds => tgpl_domain::recipient::ProofKind, "What a proof document proves.";
    case_state, case_states => tgpl_domain::case::CaseState, "Case state (see /api/v1/reference/case_states).";
    case_step, case_steps => tgpl_domain::case::Transition, "A step of a case.";
    data_access, data_accesses => tgpl_domain::recipient::DataAccess, "How a person's data was read.";
    change_kind, change_kinds => tgpl_domain::case::ChangeKind, "What a change request asks for.";
    review_kind, review_kinds => tgpl_domain::case::ReviewKind, "Kind of request for review.";
    review_state, review_states => tgpl_domain::case::ReviewState, "State of a request for review.";
    success_kind, success_kinds => tgpl_domain::case::SuccessKind, "Kind of successful outcome.";
    litigation_role, litigation_roles => tgpl_domain::case::LitigationRole, "Role in proceedings.";
    proceeding_stage, proceeding_stages => tgpl_domain::case::ProceedingStage, "Stage of proceedings.";
    quality_grade, quality_grades => tgpl_domain::case::QualityGrade, "Quality grade.";
    aid_place, aid_places => tgpl_domain::reference::AidPlace, "Place of aid.";
    report_status, report_statuses => tgpl_domain::statistics::reporting::ReportStatus, "Where a statistical report stands.";
    report_step, report_steps => tgpl_domain::statistics::reporting::ReportStep, "A step of a statistical report.";
    figures_source, figures_sources => tgpl_domain::statistics::reporting::FiguresSource, "Where a report's figures come from.";
    procedure_kind, procedure_kinds => tgpl_domain::portal::procedure::ProcedureKind, "A legal aid procedure taken online.";
    dossier_status, dossier_statuses => tgpl_domain::portal::dossier::DossierStatus, "Where a dossier stands.";
    dossier_step, dossier_steps => tgpl_domain::portal::dossier::DossierStep, "A step of a dossier.";
    channel, channels => tgpl_domain::portal::dossier::Channel, "How the applicant filed.";
    applicant_kind, applicant_kinds => tgpl_domain::portal::intake::ApplicantKind, "Who files.";
    day_kind, day_kinds => tgpl_domain::portal::calendar::DayKind, "What a calendar entry makes of its day.";
}

fn roles_where(keep: fn(tgpl_domain::role::Role) -> bool, description: &str) -> Object {
    use tgpl_domain::role::Role;
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(
            Role::ALL.iter().filter(|r| keep(**r)).map(|r| r.code()),
        ))
        .description(Some(description))
        .build()
}

/// The roles of people's accounts.
pub fn person_role() -> Object {
    roles_where(
        |r| !r.is_service(),
        "A person's role (see /api/v1/reference/roles).",
    )
}

/// The roles of service clients.
pub fn service_role() -> Object {
    roles_where(|r| r.is_service(), "A service client's role.")
}

/// One or more case states, comma-separated (`received,accepted`).
pub fn case_state_list() -> Object {
    use tgpl_domain::case::CaseState;
    let one = CaseState::ALL
        .iter()
        .map(|s| s.code())
        .collect::<Vec<_>>()
        .join("|");
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(format!("^({one})(,({one}))*$")))
        .description(Some("One or more case states, comma-separated."))
        .build()
}

// Described as a binary string: a `Vec<u8>` would be described as an array of integers,
// which a generated client would send as JSON.
/// A file's bytes, sent or answered as the body itself.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct Binary(pub Vec<u8>);
