//! What the portal files: a dossier with its applicant, contact and, for a request for legal
//! aid, the person, category, proof and matter.

use super::*;
use tgpl_domain::portal::intake::ApplicantKind;
use tgpl_domain::reference::{EthnicGroup, Field, Gender, RecipientCategory};

/// The applicant (chủ hồ sơ).
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    #[schema(schema_with = crate::http::schemas::applicant_kind)]
    pub kind: ApplicantKind,
    /// A person's full name, or an organization's name.
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    #[serde(deserialize_with = "crate::http::text::name")]
    pub name: String,
    /// A person's 12-digit citizen ID (required for a person).
    #[schema(example = "001305012345")]
    pub citizen_id: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    #[schema(schema_with = crate::http::schemas::or_null::gender)]
    pub gender: Option<Gender>,
    /// An organization's tax or registration number.
    #[schema(min_length = 1, max_length = 50)]
    #[validate(length(min = 1, max = 50))]
    pub registration_number: Option<String>,
    #[schema(min_length = 1, max_length = 500)]
    #[validate(length(min = 1, max = 500))]
    pub address: Option<String>,
}

/// How to reach the applicant: a phone number or an email address at least.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[schema(schema_with = crate::http::schemas::phone)]
    #[validate(length(min = 1, max = 50))]
    pub phone: Option<String>,
    #[schema(format = Email)]
    #[validate(email)]
    pub email: Option<String>,
    #[schema(min_length = 1, max_length = 500)]
    #[validate(length(min = 1, max = 500))]
    pub address: Option<String>,
}

/// The person to be aided (Law on Legal Aid 2017 art. 7, 29).
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AidedPerson {
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    #[serde(deserialize_with = "crate::http::text::name")]
    pub full_name: String,
    #[schema(schema_with = crate::http::schemas::or_null::gender)]
    pub gender: Option<Gender>,
    pub date_of_birth: Option<NaiveDate>,
    #[schema(schema_with = crate::http::schemas::or_null::ethnic_group)]
    pub ethnicity: Option<EthnicGroup>,
    /// 12 digits; checked against gender and year of birth when those are given.
    pub citizen_id: Option<String>,
    pub province_code: Option<String>,
    #[schema(min_length = 1, max_length = 500)]
    #[validate(length(min = 1, max = 500))]
    pub address: Option<String>,
}

/// The document proving the person's category.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProofDocument {
    /// What the document is (`Giấy chứng nhận hộ nghèo`).
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    pub document_kind: String,
    #[schema(min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    pub document_number: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    pub issuer: Option<String>,
    pub issued_on: Option<NaiveDate>,
}

/// What a request for legal aid carries beyond the common fields.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalAidPart {
    #[validate(nested)]
    pub person: AidedPerson,
    #[schema(schema_with = crate::http::schemas::recipient_category)]
    pub category: RecipientCategory,
    #[validate(nested)]
    pub proof: ProofDocument,
    #[schema(schema_with = crate::http::schemas::field)]
    pub field: Field,
    /// The matter, in brief.
    #[schema(min_length = 1, max_length = 4000)]
    #[validate(length(min = 1, max = 4000))]
    pub matter: String,
    /// The applicant's relation to the person, when someone asks for another.
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    pub relation: Option<String>,
}

/// A dossier as the portal hands it over.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitDossier {
    /// The portal's dossier code (mã hồ sơ): 1 to 64 letters, digits and `.-_/`. A dossier
    /// is filed once: the same code with the same content answers the first answer again.
    #[schema(min_length = 1, max_length = 64, example = "000.00.22.H26-261201-0001")]
    pub dossier_code: String,
    /// The national procedure code (see `GET /api/v1/portal/procedures`).
    #[schema(min_length = 1, max_length = 64)]
    pub procedure_code: String,
    /// The handling organization (see `GET /api/v1/organizations`).
    pub organization_id: String,
    /// When the portal received it (RFC 3339, any offset).
    pub received_at: DateTime<Utc>,
    /// `online` unless filed at a counter or by post.
    #[schema(schema_with = crate::http::schemas::or_null::channel)]
    pub channel: Option<Channel>,
    #[validate(nested)]
    pub applicant: Applicant,
    #[validate(nested)]
    pub contact: Contact,
    /// Trích yếu.
    #[schema(min_length = 1, max_length = 2000)]
    #[validate(length(min = 1, max = 2000))]
    pub summary: String,
    /// Required for a request for legal aid, refused for the other procedures.
    #[validate(nested)]
    pub legal_aid: Option<LegalAidPart>,
    /// The code of the case concerned: required for a change of provider and a complaint.
    #[schema(min_length = 1, max_length = 64)]
    #[validate(length(min = 1, max = 64))]
    pub case_code: Option<String>,
    /// The collaborator's card to reissue.
    #[schema(min_length = 1, max_length = 64)]
    #[validate(length(min = 1, max = 64))]
    pub card_number: Option<String>,
    /// Documents inline (at most 20, within the request's 256 KiB); larger ones through
    /// `POST /api/v1/portal/dossiers/{id}/documents`.
    #[validate(length(max = 20, code = "too_many_items"), nested)]
    #[serde(default)]
    pub documents: Vec<InlineDocument>,
}
