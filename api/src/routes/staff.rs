//! Staff of organizations and legal aid providers, with dated memberships and collaborators'
//! cards.

use std::collections::HashMap;

use actix_web::http::{header, StatusCode};
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use tgpl_domain::access::Action;
use tgpl_domain::label::Vocabulary;
use tgpl_domain::organization::OrganizationKind;
use tgpl_domain::reference::{EthnicGroup, Gender, ProviderKind, Qualification};
use tgpl_domain::staff::{
    check_can_take_cases, Card, CardStatus, MembershipRelation, OfficerRank, StaffStatus, Title,
};
use tgpl_persistence::staff::{self, CardRow, MembershipRow, StaffFilter, StaffRow, StaffSort};
use tgpl_persistence::{organizations, DbConnection};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::account_common::utc;
use super::accounts::parse_filter;
use crate::auth::Caller;
use crate::http::error::ApiError;
use crate::http::extract::{etag, IfMatch, Query, ValidJson};
use crate::http::lang::Text;
use crate::http::page::{Page, PageQuery};
use crate::scope::{self, today, Permitted};
use crate::state::AppState;

type Problem = crate::http::error::Problem;

#[derive(Serialize, ToSchema)]
pub struct MembershipView {
    pub id: String,
    pub organization_id: String,
    #[schema(schema_with = crate::http::schemas::membership_relation)]
    pub relation: String,
    #[schema(schema_with = crate::http::schemas::title)]
    pub title: String,
    #[schema(schema_with = crate::http::schemas::officer_rank)]
    pub officer_rank: Option<String>,
    pub valid_from: NaiveDate,
    /// First day no longer a member; absent while in force.
    pub valid_to: Option<NaiveDate>,
    pub end_reason: Option<String>,
    /// In force today.
    pub current: bool,
}

impl From<&MembershipRow> for MembershipView {
    fn from(m: &MembershipRow) -> Self {
        Self {
            id: m.id.clone(),
            organization_id: m.organization_id.clone(),
            relation: m.relation.clone(),
            title: m.title.clone(),
            officer_rank: m.officer_rank.clone(),
            valid_from: m.valid_from,
            valid_to: m.valid_to,
            end_reason: m.end_reason.clone(),
            current: m.to_domain().holds_on(today()),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CardView {
    pub id: String,
    pub card_number: String,
    /// The Department whose Director issued it.
    pub issued_by: String,
    pub issued_on: NaiveDate,
    /// Last day of validity.
    pub expires_on: NaiveDate,
    #[schema(schema_with = crate::http::schemas::card_status)]
    pub status: String,
    /// Valid today: not revoked or replaced, and not expired.
    pub valid_today: bool,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub replaces_card_id: Option<String>,
    pub version: i64,
}

fn domain_card(c: &CardRow) -> Option<Card> {
    Some(Card {
        status: c.status.parse().ok()?,
        issued_on: c.issued_on,
        expires_on: c.expires_on,
    })
}

impl From<&CardRow> for CardView {
    fn from(c: &CardRow) -> Self {
        Self {
            id: c.id.clone(),
            card_number: c.card_number.clone(),
            issued_by: c.issued_by.clone(),
            issued_on: c.issued_on,
            expires_on: c.expires_on,
            status: c.status.clone(),
            valid_today: domain_card(c).is_some_and(|card| card.valid_on(today())),
            ended_on: c.ended_on,
            end_reason: c.end_reason.clone(),
            replaces_card_id: c.replaces_card_id.clone(),
            version: c.version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct StaffView {
    pub id: String,
    #[schema(example = "Nguyễn Văn An")]
    pub full_name: String,
    #[schema(schema_with = crate::http::schemas::gender)]
    pub gender: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    #[schema(schema_with = crate::http::schemas::ethnic_group)]
    pub ethnicity: Option<String>,
    #[schema(schema_with = crate::http::schemas::qualification)]
    pub qualification: Option<String>,
    /// Absent for staff who do not give legal aid.
    #[schema(schema_with = crate::http::schemas::provider_kind)]
    pub provider_kind: Option<String>,
    /// Lawyer's practising certificate or card number.
    pub lawyer_card_number: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    #[schema(schema_with = crate::http::schemas::staff_status)]
    pub status: String,
    pub memberships: Vec<MembershipView>,
    pub collaborator_cards: Vec<CardView>,
    /// Organizations whose cases the person can be assigned today (a provider, active, a
    /// current member, and for collaborators a valid card).
    pub can_take_cases_for: Vec<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl StaffView {
    fn new(row: StaffRow, memberships: &[MembershipRow], cards: &[CardRow]) -> Self {
        let domain_memberships: Vec<_> = memberships.iter().map(MembershipRow::to_domain).collect();
        let domain_cards: Vec<Card> = cards.iter().filter_map(domain_card).collect();
        let kind = row
            .provider_kind
            .as_deref()
            .and_then(|k| k.parse::<ProviderKind>().ok());
        let active = row.status == StaffStatus::Active.code();
        let mut eligible: Vec<String> = memberships
            .iter()
            .map(|m| m.organization_id.clone())
            .filter(|org| {
                check_can_take_cases(
                    kind,
                    active,
                    &domain_memberships,
                    &domain_cards,
                    org,
                    today(),
                )
                .is_ok()
            })
            .collect();
        eligible.dedup();
        Self {
            id: row.id,
            full_name: row.full_name,
            gender: row.gender,
            date_of_birth: row.date_of_birth,
            ethnicity: row.ethnicity,
            qualification: row.qualification,
            provider_kind: row.provider_kind,
            lawyer_card_number: row.lawyer_card_number,
            phone: row.phone,
            email: row.email,
            status: row.status,
            memberships: memberships.iter().map(MembershipView::from).collect(),
            collaborator_cards: cards.iter().map(CardView::from).collect(),
            can_take_cases_for: eligible,
            version: row.version,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        }
    }
}

/// Loads a person with memberships and cards, checking that the caller may `action` them:
/// visible through at least one organization they belong (or belonged) to.
fn load(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    action: Action,
) -> Result<(StaffRow, Vec<MembershipRow>, Vec<CardRow>), ApiError> {
    let row = staff::get(conn, id)?;
    let memberships = staff::memberships(conn, id)?;
    let mut outcome = Err(ApiError::not_found());
    for m in &memberships {
        match scope::authorize(conn, caller, action, &m.organization_id) {
            Ok(_) => {
                outcome = Ok(());
                break;
            }
            Err(e) if e.status == StatusCode::FORBIDDEN => outcome = Err(e),
            Err(_) => {}
        }
    }
    outcome?;
    let cards = staff::cards(conn, id)?;
    Ok((row, memberships, cards))
}

fn respond(
    status: StatusCode,
    row: StaffRow,
    memberships: &[MembershipRow],
    cards: &[CardRow],
) -> HttpResponse {
    let mut res = HttpResponse::build(status);
    if status == StatusCode::CREATED {
        res.insert_header((header::LOCATION, format!("/api/v1/staff/{}", row.id)));
    }
    res.insert_header((header::ETAG, etag(row.version)))
        .json(StaffView::new(row, memberships, cards))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MembershipInput {
    pub organization_id: String,
    #[schema(schema_with = crate::http::schemas::membership_relation)]
    pub relation: MembershipRelation,
    #[schema(schema_with = crate::http::schemas::title)]
    pub title: Title,
    /// Only for legal aid officers.
    #[schema(schema_with = crate::http::schemas::officer_rank)]
    pub officer_rank: Option<OfficerRank>,
    /// First day of membership (Viet Nam date); today when absent.
    pub valid_from: Option<NaiveDate>,
}

fn new_membership(staff_id: &str, m: &MembershipInput) -> Result<MembershipRow, ApiError> {
    if m.officer_rank.is_some() && m.title != Title::LegalAidOfficer {
        return Err(ApiError::field(
            "officer_rank",
            "not_an_officer",
            "Chỉ Trợ giúp viên pháp lý có hạng.",
            "Only legal aid officers have a rank.",
        ));
    }
    let now = tgpl_persistence::now();
    Ok(MembershipRow {
        id: tgpl_persistence::new_id(),
        staff_id: staff_id.to_owned(),
        organization_id: m.organization_id.clone(),
        relation: m.relation.to_string(),
        title: m.title.to_string(),
        officer_rank: m.officer_rank.map(|r| r.to_string()),
        valid_from: m.valid_from.unwrap_or_else(today),
        valid_to: None,
        end_reason: None,
        version: 1,
        created_at: now,
        updated_at: now,
    })
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateStaff {
    #[validate(length(min = 1, max = 200))]
    pub full_name: String,
    #[schema(schema_with = crate::http::schemas::gender)]
    pub gender: Option<Gender>,
    pub date_of_birth: Option<NaiveDate>,
    #[schema(schema_with = crate::http::schemas::ethnic_group)]
    pub ethnicity: Option<EthnicGroup>,
    #[schema(schema_with = crate::http::schemas::qualification)]
    pub qualification: Option<Qualification>,
    /// Absent for staff who do not give legal aid.
    #[schema(schema_with = crate::http::schemas::provider_kind)]
    pub provider_kind: Option<ProviderKind>,
    /// For lawyers only.
    #[validate(length(min = 1, max = 50))]
    pub lawyer_card_number: Option<String>,
    #[validate(length(min = 1, max = 50))]
    pub phone: Option<String>,
    #[validate(email)]
    pub email: Option<String>,
    /// The first membership.
    #[validate(nested)]
    pub membership: MembershipInput,
}

fn check_person(
    provider_kind: Option<ProviderKind>,
    lawyer_card: Option<&str>,
    born: Option<NaiveDate>,
) -> Result<(), ApiError> {
    if lawyer_card.is_some() && provider_kind != Some(ProviderKind::Lawyer) {
        return Err(ApiError::field(
            "lawyer_card_number",
            "not_a_lawyer",
            "Chỉ luật sư có số thẻ luật sư.",
            "Only lawyers have a lawyer's card number.",
        ));
    }
    if born.is_some_and(|d| d >= today()) {
        return Err(ApiError::field(
            "date_of_birth",
            "in_future",
            "Ngày sinh phải trước hôm nay.",
            "The date of birth must be in the past.",
        ));
    }
    Ok(())
}

/// Creates a staff record with its first membership, in an organization where the caller
/// manages staff.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    request_body = CreateStaff,
    responses(
        (status = 201, description = "Created.", body = StaffView, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "The caller may not manage staff there.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Organization outside the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: ValidJson<CreateStaff>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    check_person(
        body.provider_kind,
        body.lawyer_card_number.as_deref(),
        body.date_of_birth,
    )?;
    let (row, membership) = state
        .db(move |conn| {
            scope::authorize(
                conn,
                &caller,
                Action::ManageStaff,
                &body.membership.organization_id,
            )?;
            let now = tgpl_persistence::now();
            let mut row = StaffRow {
                id: tgpl_persistence::new_id(),
                full_name: body.full_name.trim().to_owned(),
                search_text: String::new(),
                gender: body.gender.map(|g| g.to_string()),
                date_of_birth: body.date_of_birth,
                ethnicity: body.ethnicity.map(|e| e.to_string()),
                qualification: body.qualification.map(|q| q.to_string()),
                provider_kind: body.provider_kind.map(|k| k.to_string()),
                lawyer_card_number: body.lawyer_card_number,
                phone: body.phone,
                email: body.email,
                status: StaffStatus::Active.to_string(),
                version: 1,
                created_at: now,
                updated_at: now,
            };
            row.refresh_search_text();
            let membership = new_membership(&row.id, &body.membership)?;
            staff::insert(conn, &caller.actor(), &row, &membership)?;
            Ok((row, membership))
        })
        .await?;
    Ok(respond(StatusCode::CREATED, row, &[membership], &[]))
}

/// One staff record, with memberships, cards and where the person can take cases today.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The person.", body = StaffView, headers(("ETag" = String))),
        (status = 404, description = "No such person in the caller's scope.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (row, memberships, cards) = state
        .db(move |conn| load(conn, &caller, &id, Action::ReadStaff))
        .await?;
    Ok(respond(StatusCode::OK, row, &memberships, &cards))
}

fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    de: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(de).map(Some)
}

/// Fields to change; absent fields keep their value, `null` clears an optional one.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateStaff {
    #[validate(length(min = 1, max = 200))]
    pub full_name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = crate::http::schemas::gender)]
    pub gender: Option<Option<Gender>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<NaiveDate>)]
    pub date_of_birth: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = crate::http::schemas::ethnic_group)]
    pub ethnicity: Option<Option<EthnicGroup>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = crate::http::schemas::qualification)]
    pub qualification: Option<Option<Qualification>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = crate::http::schemas::provider_kind)]
    pub provider_kind: Option<Option<ProviderKind>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub lawyer_card_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    #[schema(schema_with = crate::http::schemas::staff_status)]
    pub status: Option<StaffStatus>,
}

/// Changes a staff record. Requires `If-Match`.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "ETag of the record as read")),
    request_body = UpdateStaff,
    responses(
        (status = 200, description = "Updated.", body = StaffView, headers(("ETag" = String))),
        (status = 403, description = "The caller may not manage this person.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "ETag mismatch.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields.", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/staff/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<UpdateStaff>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.0;
    let (row, memberships, cards) = state
        .db(move |conn| {
            let (before, memberships, cards) = load(conn, &caller, &id, Action::ManageStaff)?;
            if_match.require(&etag(before.version))?;
            let mut after = before.clone();
            if let Some(v) = body.full_name {
                after.full_name = v.trim().to_owned();
            }
            if let Some(v) = body.gender {
                after.gender = v.map(|g| g.to_string());
            }
            if let Some(v) = body.date_of_birth {
                after.date_of_birth = v;
            }
            if let Some(v) = body.ethnicity {
                after.ethnicity = v.map(|e| e.to_string());
            }
            if let Some(v) = body.qualification {
                after.qualification = v.map(|q| q.to_string());
            }
            if let Some(v) = body.provider_kind {
                after.provider_kind = v.map(|k| k.to_string());
            }
            if let Some(v) = body.lawyer_card_number {
                after.lawyer_card_number = v;
            }
            if let Some(v) = body.phone {
                after.phone = v;
            }
            if let Some(v) = body.email {
                after.email = v;
            }
            if let Some(v) = body.status {
                after.status = v.to_string();
            }
            let kind = after.provider_kind.as_deref().and_then(|k| k.parse().ok());
            check_person(
                kind,
                after.lawyer_card_number.as_deref(),
                after.date_of_birth,
            )?;
            after.refresh_search_text();
            if after != before {
                after.version += 1;
                after.updated_at = tgpl_persistence::now();
                staff::save(conn, &caller.actor(), &before, &after)?;
            }
            Ok((after, memberships, cards))
        })
        .await?;
    Ok(respond(StatusCode::OK, row, &memberships, &cards))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StaffListQuery {
    /// Members (today) of this organization.
    pub organization_id: Option<String>,
    #[param(schema_with = crate::http::schemas::provider_kind)]
    pub provider_kind: Option<String>,
    #[param(schema_with = crate::http::schemas::title)]
    pub title: Option<String>,
    #[param(schema_with = crate::http::schemas::staff_status)]
    pub status: Option<String>,
    /// Searches names, ignoring case and Vietnamese diacritics.
    pub q: Option<String>,
    /// `name` (default) or `created_at`; prefix `-` for descending.
    pub sort: Option<String>,
}

/// Lists staff and providers of the organizations in the caller's scope.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(StaffListQuery, PageQuery),
    responses(
        (status = 200, description = "One page of people.", body = Page<StaffView>),
        (status = 403, description = "Service clients do not read staff.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<StaffListQuery>,
    paging: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = paging.request()?;
    let query = query.0;
    let sort = match query.sort.as_deref() {
        None | Some("name") => StaffSort::Name,
        Some("-name") => StaffSort::NameDesc,
        Some("created_at") => StaffSort::CreatedAt,
        Some("-created_at") => StaffSort::CreatedAtDesc,
        Some(other) => {
            return Err(ApiError::field(
                "sort",
                "unknown_sort",
                format!("Không sắp xếp được theo `{other}`; dùng name hoặc created_at."),
                format!("Cannot sort by `{other}`; use name or created_at."),
            ))
        }
    };
    let provider_kind = parse_filter::<ProviderKind>("provider_kind", query.provider_kind)?;
    let title = parse_filter::<Title>("title", query.title)?;
    let status = parse_filter::<StaffStatus>("status", query.status)?;
    let (paged, memberships, cards) = state
        .db(move |conn| {
            let permitted = scope::permitted(conn, &caller, Action::ReadStaff)?;
            if permitted == Permitted::Only(Vec::new()) {
                return Err(ApiError::forbidden());
            }
            let (organizations, member_on) = match query.organization_id {
                Some(org) if permitted.contains(&org) => (Some(vec![org]), Some(today())),
                Some(_) => (Some(Vec::new()), None),
                None => (permitted.as_filter(), None),
            };
            let filter = StaffFilter {
                organizations,
                member_on,
                provider_kind,
                title,
                status,
                search: query
                    .q
                    .as_deref()
                    .map(tgpl_domain::text::fold)
                    .filter(|q| !q.is_empty()),
                sort,
            };
            let paged = staff::list(conn, &filter, page)?;
            let ids: Vec<String> = paged.items.iter().map(|s| s.id.clone()).collect();
            Ok((
                paged,
                staff::memberships_of(conn, &ids)?,
                staff::cards_of(conn, &ids)?,
            ))
        })
        .await?;
    let mut by_person: HashMap<String, (Vec<MembershipRow>, Vec<CardRow>)> = HashMap::new();
    for m in memberships {
        by_person.entry(m.staff_id.clone()).or_default().0.push(m);
    }
    for c in cards {
        by_person.entry(c.staff_id.clone()).or_default().1.push(c);
    }
    Ok(HttpResponse::Ok().json(Page::new(&req, page, paged, |row| {
        let (m, c) = by_person.remove(&row.id).unwrap_or_default();
        StaffView::new(row, &m, &c)
    })))
}

/// Adds a membership: a person joins another organization, or holds a contract with a
/// centre beside their practice.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body = MembershipInput,
    responses(
        (status = 201, description = "Added; the person.", body = StaffView, headers(("ETag" = String))),
        (status = 403, description = "The caller may not manage staff there.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Person or organization outside the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already a current member in that organization.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/{id}/memberships")]
pub async fn add_membership(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: ValidJson<MembershipInput>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.0;
    let (row, memberships, cards) = state
        .db(move |conn| {
            let (row, mut memberships, cards) = load(conn, &caller, &id, Action::ReadStaff)?;
            scope::authorize(conn, &caller, Action::ManageStaff, &body.organization_id)?;
            let membership = new_membership(&id, &body)?;
            let overlaps = memberships.iter().any(|m| {
                m.organization_id == membership.organization_id
                    && m.valid_to.is_none_or(|to| to > membership.valid_from)
            });
            if overlaps {
                return Err(ApiError::conflict(
                    "already_member",
                    Text::new(
                        "Người này đang là thành viên của tổ chức đó; hãy chấm dứt quan hệ cũ trước.",
                        "The person is already a member there; end that membership first.",
                    ),
                ));
            }
            staff::add_membership(conn, &caller.actor(), &membership)?;
            memberships.push(membership);
            Ok((row, memberships, cards))
        })
        .await?;
    Ok(respond(StatusCode::CREATED, row, &memberships, &cards))
}

#[derive(Deserialize, Validate, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct EndMembership {
    /// First day no longer a member (Viet Nam date); today when absent.
    pub on: Option<NaiveDate>,
    #[validate(length(min = 1, max = 500))]
    pub reason: Option<String>,
}

/// Ends a membership (transfer, retirement, end of contract). The person's accounts in that
/// organization are deactivated at once.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = String, Path), ("membership_id" = String, Path)),
    request_body = EndMembership,
    responses(
        (status = 200, description = "Ended; the person.", body = StaffView, headers(("ETag" = String))),
        (status = 403, description = "The caller may not manage staff there.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such membership in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already ended, or the day is not after it began.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/{id}/memberships/{membership_id}/end")]
pub async fn end_membership(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    body: ValidJson<EndMembership>,
) -> Result<HttpResponse, ApiError> {
    let (id, membership_id) = path.into_inner();
    let body = body.0;
    let (row, memberships, cards) = state
        .db(move |conn| {
            let (row, _, cards) = load(conn, &caller, &id, Action::ReadStaff)?;
            let before = staff::get_membership(conn, &membership_id)?;
            if before.staff_id != id {
                return Err(ApiError::not_found());
            }
            scope::authorize(conn, &caller, Action::ManageStaff, &before.organization_id)?;
            let on = body.on.unwrap_or_else(today);
            if before.valid_to.is_some() || on <= before.valid_from {
                return Err(ApiError::conflict(
                    "invalid_membership_end",
                    Text::new(
                        "Quan hệ công tác đã chấm dứt, hoặc ngày chấm dứt không sau ngày bắt đầu.",
                        "The membership has ended already, or the day is not after it began.",
                    ),
                ));
            }
            let mut after = before.clone();
            after.valid_to = Some(on);
            after.end_reason = body.reason;
            after.version += 1;
            after.updated_at = tgpl_persistence::now();
            staff::end_membership(conn, &caller.actor(), &before, &after)?;
            Ok((row, staff::memberships(conn, &id)?, cards))
        })
        .await?;
    Ok(respond(StatusCode::OK, row, &memberships, &cards))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueCard {
    #[validate(length(min = 1, max = 50))]
    pub card_number: String,
    pub issued_on: NaiveDate,
    /// Last day of validity.
    pub expires_on: NaiveDate,
}

/// The Department that issues cards for members of `org_id`: the organization itself or the
/// nearest Department above it.
fn issuing_department(conn: &mut DbConnection, org_id: &str) -> Result<String, ApiError> {
    let mut chain = vec![org_id.to_owned()];
    chain.extend(organizations::ancestors(conn, org_id, today())?);
    for id in chain {
        if organizations::get(conn, &id)?.kind == OrganizationKind::Department.code() {
            return Ok(id);
        }
    }
    Err(ApiError::field(
        "staff",
        "no_department",
        "Không xác định được Sở Tư pháp cấp thẻ cho người này.",
        "No Department of Justice issues cards for this person.",
    ))
}

fn check_card_dates(card: &IssueCard) -> Result<(), ApiError> {
    if card.expires_on < card.issued_on {
        return Err(ApiError::field(
            "expires_on",
            "before_issue",
            "Ngày hết hạn phải từ ngày cấp trở đi.",
            "The card cannot expire before it is issued.",
        ));
    }
    Ok(())
}

fn new_card(
    staff_id: &str,
    issued_by: String,
    card: &IssueCard,
    replaces: Option<String>,
) -> CardRow {
    let now = tgpl_persistence::now();
    CardRow {
        id: tgpl_persistence::new_id(),
        staff_id: staff_id.to_owned(),
        card_number: card.card_number.trim().to_owned(),
        issued_by,
        issued_on: card.issued_on,
        expires_on: card.expires_on,
        status: CardStatus::Valid.to_string(),
        ended_on: None,
        end_reason: None,
        replaces_card_id: replaces,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

fn card_number_taken() -> ApiError {
    ApiError::conflict(
        "card_number_taken",
        Text::new("Số thẻ đã được dùng.", "The card number is taken."),
    )
}

/// Authorizes a card action for a person: the Department above one of their current
/// memberships (or the data centre). Returns that membership's organization.
fn card_scope(
    conn: &mut DbConnection,
    caller: &Caller,
    memberships: &[MembershipRow],
) -> Result<String, ApiError> {
    let mut outcome = Err(ApiError::forbidden());
    for m in memberships
        .iter()
        .filter(|m| m.to_domain().holds_on(today()))
    {
        match scope::authorize(
            conn,
            caller,
            Action::ManageCollaboratorCards,
            &m.organization_id,
        ) {
            Ok(_) => return Ok(m.organization_id.clone()),
            Err(e) => outcome = Err(e),
        }
    }
    outcome
}

/// Issues a collaborator's card (the Director of the Department issues them).
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body = IssueCard,
    responses(
        (status = 201, description = "Issued; the person.", body = StaffView, headers(("ETag" = String))),
        (status = 403, description = "Only the Department issues cards.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A valid card exists (reissue it instead), or the number is taken.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a collaborator, or invalid dates.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/{id}/collaborator-cards")]
pub async fn issue_card(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: ValidJson<IssueCard>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.0;
    check_card_dates(&body)?;
    let (row, memberships, cards) = state
        .db(move |conn| {
            let (row, memberships, mut cards) = load(conn, &caller, &id, Action::ReadStaff)?;
            let member_org = card_scope(conn, &caller, &memberships)?;
            if row.provider_kind.as_deref() != Some(ProviderKind::Collaborator.code()) {
                return Err(ApiError::field(
                    "provider_kind",
                    "not_a_collaborator",
                    "Chỉ cộng tác viên được cấp thẻ cộng tác viên.",
                    "Only collaborators get collaborator cards.",
                ));
            }
            if cards
                .iter()
                .any(|c| c.status == CardStatus::Valid.code() && c.expires_on >= today())
            {
                return Err(ApiError::conflict(
                    "card_exists",
                    Text::new(
                        "Người này đang có thẻ còn hiệu lực; hãy cấp lại hoặc thu hồi thẻ đó.",
                        "The person holds a valid card; reissue or revoke it instead.",
                    ),
                ));
            }
            if staff::card_number_taken(conn, body.card_number.trim())? {
                return Err(card_number_taken());
            }
            let card = new_card(&id, issuing_department(conn, &member_org)?, &body, None);
            staff::issue_card(conn, &caller.actor(), &card, None)?;
            cards.push(card);
            Ok((row, memberships, cards))
        })
        .await?;
    Ok(respond(StatusCode::CREATED, row, &memberships, &cards))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReissueCard {
    #[validate(nested)]
    #[serde(flatten)]
    pub card: IssueCard,
    /// Why (lost, damaged, changed details...).
    #[validate(length(min = 1, max = 500))]
    pub reason: String,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeCard {
    /// Day of revocation (Viet Nam date); today when absent.
    pub on: Option<NaiveDate>,
    #[validate(length(min = 1, max = 500))]
    pub reason: String,
}

/// Loads a card with its holder for a card action.
fn load_card(
    conn: &mut DbConnection,
    caller: &Caller,
    card_id: &str,
) -> Result<(CardRow, StaffRow, Vec<MembershipRow>), ApiError> {
    let card = staff::get_card(conn, card_id)?;
    let (row, memberships, _) = load(conn, caller, &card.staff_id, Action::ReadStaff)?;
    card_scope(conn, caller, &memberships)?;
    if card.status != CardStatus::Valid.code() {
        return Err(ApiError::conflict(
            "card_not_valid",
            Text::new(
                "Thẻ đã bị thu hồi hoặc đã được cấp lại.",
                "The card was revoked or replaced.",
            ),
        ));
    }
    Ok((card, row, memberships))
}

/// Reissues a card: the old one is marked replaced and a new one issued in its place.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(("card_id" = String, Path)),
    request_body = ReissueCard,
    responses(
        (status = 201, description = "Reissued; the holder.", body = StaffView),
        (status = 403, description = "Only the Department reissues cards.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such card in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The card was revoked or replaced, or the number is taken.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/collaborator-cards/{card_id}/reissue")]
pub async fn reissue_card(
    state: web::Data<AppState>,
    caller: Caller,
    card_id: web::Path<String>,
    body: ValidJson<ReissueCard>,
) -> Result<HttpResponse, ApiError> {
    let card_id = card_id.into_inner();
    let body = body.0;
    check_card_dates(&body.card)?;
    let (row, memberships, cards) = state
        .db(move |conn| {
            let (old, row, memberships) = load_card(conn, &caller, &card_id)?;
            if staff::card_number_taken(conn, body.card.card_number.trim())? {
                return Err(card_number_taken());
            }
            let mut replaced = old.clone();
            replaced.status = CardStatus::Replaced.to_string();
            replaced.ended_on = Some(body.card.issued_on);
            replaced.end_reason = Some(body.reason.clone());
            replaced.version += 1;
            replaced.updated_at = tgpl_persistence::now();
            let card = new_card(
                &row.id,
                old.issued_by.clone(),
                &body.card,
                Some(old.id.clone()),
            );
            staff::issue_card(conn, &caller.actor(), &card, Some((&old, &replaced)))?;
            let cards = staff::cards(conn, &row.id)?;
            Ok((row, memberships, cards))
        })
        .await?;
    Ok(respond(StatusCode::CREATED, row, &memberships, &cards))
}

/// Revokes a card: from that day the collaborator cannot be assigned cases.
#[utoipa::path(
    tag = "staff",
    security(("bearer" = [])),
    params(("card_id" = String, Path)),
    request_body = RevokeCard,
    responses(
        (status = 200, description = "Revoked; the holder.", body = StaffView),
        (status = 403, description = "Only the Department revokes cards.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such card in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The card was already revoked or replaced.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/collaborator-cards/{card_id}/revoke")]
pub async fn revoke_card(
    state: web::Data<AppState>,
    caller: Caller,
    card_id: web::Path<String>,
    body: ValidJson<RevokeCard>,
) -> Result<HttpResponse, ApiError> {
    let card_id = card_id.into_inner();
    let body = body.0;
    let (row, memberships, cards) = state
        .db(move |conn| {
            let (before, row, memberships) = load_card(conn, &caller, &card_id)?;
            let mut after = before.clone();
            after.status = CardStatus::Revoked.to_string();
            after.ended_on = Some(body.on.unwrap_or_else(today));
            after.end_reason = Some(body.reason);
            after.version += 1;
            after.updated_at = tgpl_persistence::now();
            staff::revoke_card(conn, &caller.actor(), &before, &after)?;
            let cards = staff::cards(conn, &row.id)?;
            Ok((row, memberships, cards))
        })
        .await?;
    Ok(respond(StatusCode::OK, row, &memberships, &cards))
}
