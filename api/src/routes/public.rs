//! The lists the Department publishes (Law on Legal Aid 2017 art. 10(2), 17(2)): legal aid
//! organizations and providers. No authentication; only what is public: never dates of
//! birth, ethnicity, gender or a person's contacts.

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tgpl_domain::organization::{OrganizationKind, ParticipationMode};
use tgpl_domain::reference::ProviderKind;
use tgpl_persistence::organizations;
use tgpl_persistence::staff::{self, PublicProviderFilter};
use utoipa::{IntoParams, ToSchema};

use crate::http::error::ApiError;
use crate::http::extract::Query;
use crate::http::page::{parse_filter, Page, PageQuery};
use crate::scope::today;
use crate::state::AppState;

/// Published lists change slowly; let browsers and proxies keep them for five minutes.
const CACHE: &str = "public, max-age=300";

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublicOrganizationsQuery {
    pub province_code: Option<String>,
    #[param(schema_with = crate::http::schemas::organization_kind)]
    pub kind: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PublicParticipation {
    #[schema(schema_with = crate::http::schemas::participation_mode)]
    pub mode: ParticipationMode,
    /// Registration certificate number.
    pub certificate_number: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct PublicOrganization {
    pub id: String,
    pub code: String,
    pub name: String,
    #[schema(schema_with = crate::http::schemas::organization_kind)]
    pub kind: OrganizationKind,
    pub province_code: Option<String>,
    pub address: Option<String>,
    pub participation: Option<PublicParticipation>,
}

/// Legal aid organizations: active centres, branches and clubs, and participating
/// organizations whose participation is in force.
#[utoipa::path(
    operation_id = "listPublicOrganizations",
    tag = "public",
    params(PublicOrganizationsQuery, PageQuery),
    responses(
        (status = 200, description = "One page of organizations.", body = Page<PublicOrganization>, headers(("Cache-Control" = String))),
    )
)]
#[get("/public/organizations")]
pub async fn organizations_list(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: Query<PublicOrganizationsQuery>,
    paging: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = paging.request()?;
    let query = query.0;
    let kind = parse_filter::<OrganizationKind>("kind", query.kind)?;
    let paged = state
        .db(move |conn| {
            Ok(organizations::public_list(
                conn,
                today(),
                query.province_code.as_deref(),
                kind.as_deref(),
                page,
            )?)
        })
        .await?;
    let body = Page::new(&req, page, paged, |o| PublicOrganization {
        participation: o.participation_mode.map(|mode| PublicParticipation {
            mode: *mode,
            certificate_number: o.certificate_number.clone(),
            valid_from: o.participation_valid_from,
            valid_to: o.participation_valid_to,
        }),
        id: o.id,
        code: o.code,
        name: o.name,
        kind: *o.kind,
        province_code: o.province_code,
        address: o.address,
    });
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, CACHE))
        .json(body))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublicProvidersQuery {
    pub province_code: Option<String>,
    #[param(schema_with = crate::http::schemas::provider_kind)]
    pub kind: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PublicOrganizationRef {
    pub id: String,
    pub name: String,
    #[schema(schema_with = crate::http::schemas::organization_kind)]
    pub kind: OrganizationKind,
}

#[derive(Serialize, ToSchema)]
pub struct PublicProvider {
    /// The staff record.
    pub id: String,
    pub full_name: String,
    /// Always present: the list holds providers only (`staff::public_providers`).
    #[schema(schema_with = crate::http::schemas::provider_kind, required = true)]
    pub kind: Option<ProviderKind>,
    pub organization: PublicOrganizationRef,
    pub province_code: Option<String>,
    /// Lawyer's card number, or the collaborator's card number.
    pub card_number: Option<String>,
    /// Validity: of the collaborator's card, else of the membership.
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

/// Legal aid providers: one entry per organization they currently give legal aid for.
/// Collaborators appear while their card is valid.
#[utoipa::path(
    operation_id = "listPublicProviders",
    tag = "public",
    params(PublicProvidersQuery, PageQuery),
    responses(
        (status = 200, description = "One page of providers.", body = Page<PublicProvider>, headers(("Cache-Control" = String))),
    )
)]
#[get("/public/providers")]
pub async fn providers_list(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: Query<PublicProvidersQuery>,
    paging: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = paging.request()?;
    let query = query.0;
    let filter = PublicProviderFilter {
        day: today(),
        province_code: query.province_code,
        provider_kind: parse_filter::<ProviderKind>("kind", query.kind)?,
    };
    let (paged, cards) = state
        .db(move |conn| {
            let paged = staff::public_providers(conn, &filter, page)?;
            let ids: Vec<String> = paged.items.iter().map(|p| p.person.id.clone()).collect();
            Ok((paged, staff::cards_of(conn, &ids)?))
        })
        .await?;
    let day = today();
    let body = Page::new(&req, page, paged, |p| {
        // The latest card valid today, by the rule that listed the collaborator.
        let card = cards
            .iter()
            .rev()
            .find(|c| c.staff_id == p.person.id && c.to_domain().valid_on(day));
        let (card_number, valid_from, valid_to) = match card {
            Some(c) => (Some(c.card_number.clone()), c.issued_on, Some(c.expires_on)),
            None => (
                p.person.lawyer_card_number.clone(),
                p.membership.valid_from,
                p.membership.valid_to,
            ),
        };
        PublicProvider {
            id: p.person.id,
            full_name: p.person.full_name,
            kind: p.person.provider_kind.map(|k| k.0),
            organization: PublicOrganizationRef {
                id: p.organization.id,
                name: p.organization.name,
                kind: *p.organization.kind,
            },
            province_code: p.organization.province_code,
            card_number,
            valid_from,
            valid_to,
        }
    });
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, CACHE))
        .json(body))
}
