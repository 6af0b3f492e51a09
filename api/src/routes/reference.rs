//! Reference data: every code of the closed vocabularies, with Vietnamese and English labels.

use actix_web::{get, web, HttpResponse};
use serde::{Deserialize, Serialize};
use tgpl_domain::label::{Label, Vocabulary};
use tgpl_domain::{audit, case, change_request, organization, reference, role};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::http::error::ApiError;

#[derive(Serialize, ToSchema)]
pub struct LabelView {
    pub vi: &'static str,
    pub en: &'static str,
}

impl From<Label> for LabelView {
    fn from(l: Label) -> Self {
        Self { vi: l.vi, en: l.en }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ReferenceItem {
    #[schema(example = "criminal")]
    pub code: &'static str,
    pub label: LabelView,
    /// Ethnic groups: the General Statistics Office's two-digit code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub official_code: Option<String>,
    /// Recipient categories: `2017` (Law on Legal Aid 2017, in force) or `2006` (historical,
    /// used by the 2011 statistical forms).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regime: Option<&'static str>,
    /// Recipient categories of 2017 that count only with proof of financial difficulty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requires_financial_difficulty: Option<bool>,
}

fn items<V: Vocabulary>() -> Vec<ReferenceItem> {
    V::ALL
        .iter()
        .map(|v| ReferenceItem {
            code: v.code(),
            label: v.label().into(),
            official_code: None,
            regime: None,
            requires_financial_difficulty: None,
        })
        .collect()
}

/// The vocabularies served here. Provinces, which the Agency maintains, are at
/// `/api/v1/provinces`.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum VocabularyName {
    OrganizationKinds,
    ParticipationModes,
    Fields,
    AidForms,
    AidPlaces,
    ProviderKinds,
    RecipientCategories,
    Genders,
    EthnicGroups,
    Qualifications,
    Roles,
    AuditActions,
    CaseStates,
    CaseSteps,
    LitigationRoles,
    ProceedingStages,
    SuccessKinds,
    QualityGrades,
    ReviewKinds,
    ReviewStates,
    ChangeKinds,
    ChangeRequestStatuses,
}

impl VocabularyName {
    const ALL: [Self; 22] = [
        Self::OrganizationKinds,
        Self::ParticipationModes,
        Self::Fields,
        Self::AidForms,
        Self::AidPlaces,
        Self::ProviderKinds,
        Self::RecipientCategories,
        Self::Genders,
        Self::EthnicGroups,
        Self::Qualifications,
        Self::Roles,
        Self::AuditActions,
        Self::CaseStates,
        Self::CaseSteps,
        Self::LitigationRoles,
        Self::ProceedingStages,
        Self::SuccessKinds,
        Self::QualityGrades,
        Self::ReviewKinds,
        Self::ReviewStates,
        Self::ChangeKinds,
        Self::ChangeRequestStatuses,
    ];

    fn items(self) -> Vec<ReferenceItem> {
        match self {
            Self::OrganizationKinds => items::<organization::OrganizationKind>(),
            Self::ParticipationModes => items::<organization::ParticipationMode>(),
            Self::Fields => items::<reference::Field>(),
            Self::AidForms => items::<reference::AidForm>(),
            Self::AidPlaces => items::<reference::AidPlace>(),
            Self::ProviderKinds => items::<reference::ProviderKind>(),
            Self::RecipientCategories => recipient_categories(),
            Self::Genders => items::<reference::Gender>(),
            Self::EthnicGroups => reference::EthnicGroup::ALL
                .iter()
                .zip(items::<reference::EthnicGroup>())
                .map(|(group, item)| ReferenceItem {
                    official_code: Some(group.official_code()),
                    ..item
                })
                .collect(),
            Self::Qualifications => items::<reference::Qualification>(),
            Self::Roles => items::<role::Role>(),
            Self::AuditActions => items::<audit::AuditAction>(),
            Self::CaseStates => items::<case::CaseState>(),
            Self::CaseSteps => items::<case::Transition>(),
            Self::LitigationRoles => items::<case::LitigationRole>(),
            Self::ProceedingStages => items::<case::ProceedingStage>(),
            Self::SuccessKinds => items::<case::SuccessKind>(),
            Self::QualityGrades => items::<case::QualityGrade>(),
            Self::ReviewKinds => items::<case::ReviewKind>(),
            Self::ReviewStates => items::<case::ReviewState>(),
            Self::ChangeKinds => items::<case::ChangeKind>(),
            Self::ChangeRequestStatuses => items::<change_request::ChangeRequestStatus>(),
        }
    }
}

fn recipient_categories() -> Vec<ReferenceItem> {
    let current = reference::RecipientCategory::ALL
        .iter()
        .zip(items::<reference::RecipientCategory>())
        .map(|(category, item)| ReferenceItem {
            regime: Some("2017"),
            requires_financial_difficulty: Some(category.requires_financial_difficulty()),
            ..item
        });
    let legacy = items::<reference::LegacyRecipientCategory>()
        .into_iter()
        .map(|item| ReferenceItem {
            regime: Some("2006"),
            ..item
        });
    current.chain(legacy).collect()
}

/// The names of the vocabularies available.
#[utoipa::path(
    operation_id = "listVocabularies",
    tag = "reference",
    responses(
        (status = 200, description = "Vocabulary names.", body = Vec<VocabularyName>),
    )
)]
#[get("/reference")]
pub async fn index(_caller: Caller) -> HttpResponse {
    HttpResponse::Ok().json(VocabularyName::ALL)
}

/// Every code of one vocabulary, in display order, with its labels.
#[utoipa::path(
    operation_id = "readVocabulary",
    tag = "reference",
    params(("vocabulary" = VocabularyName, Path, description = "Which vocabulary")),
    responses(
        (status = 200, description = "The codes.", body = Vec<ReferenceItem>),
        (status = 404, description = "No such vocabulary.", body = crate::http::error::Problem),
    )
)]
#[get("/reference/{vocabulary}")]
pub async fn vocabulary(
    _caller: Caller,
    name: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let name: VocabularyName = serde_json::from_value(serde_json::Value::String(name.into_inner()))
        .map_err(|_| ApiError::not_found())?;
    Ok(HttpResponse::Ok()
        .insert_header((
            actix_web::http::header::CACHE_CONTROL,
            "private, max-age=3600",
        ))
        .json(name.items()))
}
