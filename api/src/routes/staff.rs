//! Staff of organizations and legal aid providers, with dated memberships and collaborators'
//! cards.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tgpl_domain::access::Action;
use tgpl_domain::label::Vocabulary;
use tgpl_domain::organization::OrganizationKind;
use tgpl_domain::reference::{EthnicGroup, Gender, ProviderKind, Qualification};
use tgpl_domain::staff::{
    check_can_take_cases, Card, CardStatus, MembershipRelation, NotEligible, OfficerRank,
    StaffStatus, Title,
};
use tgpl_persistence::exclusive::{exclusive, Claim, Rule};
use tgpl_persistence::staff::{self, CardRow, MembershipRow, StaffFilter, StaffRow, StaffSort};
use tgpl_persistence::{organizations, DbConnection};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::account_common::utc;
use crate::auth::Caller;
use crate::http::error::ApiError;
use crate::http::extract::{etag, present, record, IfMatch, Query, ValidJson};
use crate::http::lang::Text;
use crate::http::page::{parse_filter, parse_sort, search_term, Page, PageQuery};
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
    #[schema(schema_with = crate::http::schemas::or_null::officer_rank)]
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

impl From<&CardRow> for CardView {
    fn from(c: &CardRow) -> Self {
        Self {
            id: c.id.clone(),
            card_number: c.card_number.clone(),
            issued_by: c.issued_by.clone(),
            issued_on: c.issued_on,
            expires_on: c.expires_on,
            status: c.status.clone(),
            valid_today: c.to_domain().valid_on(today()),
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
    #[schema(schema_with = crate::http::schemas::or_null::gender)]
    pub gender: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    #[schema(schema_with = crate::http::schemas::or_null::ethnic_group)]
    pub ethnicity: Option<String>,
    #[schema(schema_with = crate::http::schemas::or_null::qualification)]
    pub qualification: Option<String>,
    /// Absent for staff who do not give legal aid.
    #[schema(schema_with = crate::http::schemas::or_null::provider_kind)]
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
    fn new(shown: Shown) -> Self {
        let Shown {
            person,
            can_take_cases_for,
        } = shown;
        let row = person.row;
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
            memberships: person
                .memberships
                .iter()
                .map(MembershipView::from)
                .collect(),
            collaborator_cards: person.cards.iter().map(CardView::from).collect(),
            can_take_cases_for,
            version: row.version,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        }
    }
}

/// A staff record with its memberships and cards.
pub struct Person {
    pub row: StaffRow,
    pub memberships: Vec<MembershipRow>,
    pub cards: Vec<CardRow>,
}

impl Person {
    pub fn read(conn: &mut DbConnection, id: &str) -> Result<Self, ApiError> {
        Ok(Self {
            row: staff::get(conn, id)?,
            memberships: staff::memberships(conn, id)?,
            cards: staff::cards(conn, id)?,
        })
    }

    fn current_memberships(&self) -> impl Iterator<Item = &MembershipRow> {
        self.memberships
            .iter()
            .filter(|m| m.to_domain().holds_on(today()))
    }
}

/// What a response shows: the person and where they can take cases today.
pub struct Shown {
    person: Person,
    can_take_cases_for: Vec<String>,
}

/// The Department that issues cards for members of `org_id`: the organization itself or the
/// nearest Department above it, if any.
pub fn issuing_department(
    conn: &mut DbConnection,
    org_id: &str,
) -> Result<Option<String>, ApiError> {
    let mut chain = vec![org_id.to_owned()];
    chain.extend(organizations::ancestors(conn, org_id, today())?);
    for id in chain {
        if organizations::get(conn, &id)?.kind == OrganizationKind::Department.code() {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

/// Whether `person` can be assigned a case of `org_id` on `day`: a provider, active, a
/// member that day, and for collaborators a card of the Department above `org_id` valid
/// that day.
pub fn can_take_cases(
    conn: &mut DbConnection,
    person: &Person,
    org_id: &str,
    day: NaiveDate,
) -> Result<Result<ProviderKind, NotEligible>, ApiError> {
    let department = issuing_department(conn, org_id)?;
    let cards: Vec<Card> = person
        .cards
        .iter()
        .filter(|c| department.as_deref() == Some(c.issued_by.as_str()))
        .map(CardRow::to_domain)
        .collect();
    let memberships: Vec<_> = person
        .memberships
        .iter()
        .map(MembershipRow::to_domain)
        .collect();
    let kind = person
        .row
        .provider_kind
        .as_deref()
        .and_then(|k| k.parse::<ProviderKind>().ok());
    let active = person.row.status == StaffStatus::Active.code();
    Ok(check_can_take_cases(
        kind,
        active,
        &memberships,
        &cards,
        org_id,
        day,
    ))
}

fn shown(conn: &mut DbConnection, person: Person) -> Result<Shown, ApiError> {
    let mut orgs: Vec<String> = person
        .current_memberships()
        .map(|m| m.organization_id.clone())
        .collect();
    orgs.sort();
    orgs.dedup();
    let mut can_take_cases_for = Vec::new();
    for org in orgs {
        if can_take_cases(conn, &person, &org, today())?.is_ok() {
            can_take_cases_for.push(org);
        }
    }
    Ok(Shown {
        person,
        can_take_cases_for,
    })
}

/// Loads a person the caller may `action`: reading goes through any organization they
/// belong or belonged to; managing only through those they belong to today.
fn load(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    action: Action,
) -> Result<Person, ApiError> {
    let person = Person::read(conn, id)?;
    let through: Vec<String> = if action == Action::ReadStaff {
        person
            .memberships
            .iter()
            .map(|m| m.organization_id.clone())
            .collect()
    } else {
        person
            .current_memberships()
            .map(|m| m.organization_id.clone())
            .collect()
    };
    let mut outcome = Err(ApiError::not_found());
    for org in through {
        match scope::check(conn, caller, action, &org) {
            Ok(_) => return Ok(person),
            // A role that reads no staff (service clients) cannot learn that a record
            // exists: refused reading is 404, like an unknown id.
            Err(e) if e.status == StatusCode::FORBIDDEN && action != Action::ReadStaff => {
                outcome = Err(e)
            }
            Err(_) => {}
        }
    }
    // A former member's organization may still read the record; it cannot change it. Who
    // cannot read it at all gets 404, whatever they asked.
    if action != Action::ReadStaff && outcome.is_err() {
        load(conn, caller, id, Action::ReadStaff)?;
        return Err(ApiError::forbidden());
    }
    outcome.map(|()| person)
}

fn respond(status: StatusCode, shown: Shown) -> HttpResponse {
    let (id, version) = (shown.person.row.id.clone(), shown.person.row.version);
    record(
        status,
        "/api/v1/staff",
        &id,
        version,
        &StaffView::new(shown),
    )
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
    #[schema(schema_with = crate::http::schemas::or_null::officer_rank)]
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
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    #[serde(deserialize_with = "crate::http::text::name")]
    pub full_name: String,
    #[schema(schema_with = crate::http::schemas::or_null::gender)]
    pub gender: Option<Gender>,
    pub date_of_birth: Option<NaiveDate>,
    #[schema(schema_with = crate::http::schemas::or_null::ethnic_group)]
    pub ethnicity: Option<EthnicGroup>,
    #[schema(schema_with = crate::http::schemas::or_null::qualification)]
    pub qualification: Option<Qualification>,
    /// Absent for staff who do not give legal aid.
    #[schema(schema_with = crate::http::schemas::or_null::provider_kind)]
    pub provider_kind: Option<ProviderKind>,
    /// For lawyers only.
    #[schema(min_length = 1, max_length = 50)]
    #[validate(length(min = 1, max = 50))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub lawyer_card_number: Option<String>,
    #[schema(min_length = 1, max_length = 50)]
    #[validate(length(min = 1, max = 50))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub phone: Option<String>,
    #[schema(format = Email)]
    #[validate(email)]
    pub email: Option<String>,
    /// The first membership.
    #[validate(nested)]
    pub membership: MembershipInput,
}

/// Checks a person's details together: only lawyers carry a lawyer's card number, and every
/// lawyer has one; the date of birth is in the past.
fn check_person(
    provider_kind: Option<ProviderKind>,
    lawyer_card: Option<&str>,
    born: Option<NaiveDate>,
) -> Result<(), ApiError> {
    let is_lawyer = provider_kind == Some(ProviderKind::Lawyer);
    if lawyer_card.is_some() && !is_lawyer {
        return Err(ApiError::field(
            "lawyer_card_number",
            "not_a_lawyer",
            "Chỉ luật sư có số thẻ luật sư.",
            "Only lawyers have a lawyer's card number.",
        ));
    }
    if is_lawyer && lawyer_card.is_none_or(|c| c.trim().is_empty()) {
        return Err(ApiError::field(
            "lawyer_card_number",
            "required",
            "Luật sư cần có số thẻ luật sư.",
            "A lawyer needs a lawyer's card number.",
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

fn not_blank(field: &str, value: &str) -> Result<String, ApiError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(ApiError::field(
            field,
            "blank",
            "Không được để trống.",
            "Must not be blank.",
        ));
    }
    Ok(trimmed.to_owned())
}

/// Creates a staff record with its first membership, in an organization where the caller
/// manages staff.
#[utoipa::path(
    operation_id = "createStaff",
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
    let full_name = not_blank("full_name", &body.full_name)?;
    let shown = state
        .write(move |conn| {
            scope::authorize(
                conn,
                &caller,
                Action::ManageStaff,
                &body.membership.organization_id,
            )?;
            let now = tgpl_persistence::now();
            let mut row = StaffRow {
                id: tgpl_persistence::new_id(),
                full_name,
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
            let id = row.id.clone();
            {
                let person = Person::read(conn, &id)?;
                shown(conn, person)
            }
        })
        .await?;
    Ok(respond(StatusCode::CREATED, shown))
}

/// One staff record, with memberships, cards and where the person can take cases today.
#[utoipa::path(
    operation_id = "readStaff",
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
    let shown = state
        .db(move |conn| {
            let person = load(conn, &caller, &id, Action::ReadStaff)?;
            shown(conn, person)
        })
        .await?;
    Ok(respond(StatusCode::OK, shown))
}

/// Fields to change; absent fields keep their value, `null` clears an optional one.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateStaff {
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub full_name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = crate::http::schemas::or_null::gender)]
    pub gender: Option<Option<Gender>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<NaiveDate>)]
    pub date_of_birth: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = crate::http::schemas::or_null::ethnic_group)]
    pub ethnicity: Option<Option<EthnicGroup>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = crate::http::schemas::or_null::qualification)]
    pub qualification: Option<Option<Qualification>>,
    /// Changing a person to or from `collaborator` is for the Department that issues cards.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = crate::http::schemas::or_null::provider_kind)]
    pub provider_kind: Option<Option<ProviderKind>>,
    #[serde(default, deserialize_with = "crate::http::text::present_name")]
    #[schema(min_length = 1, max_length = 50)]
    #[validate(length(min = 1, max = 50))]
    #[schema(value_type = Option<String>)]
    pub lawyer_card_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::http::text::present_name")]
    #[schema(min_length = 1, max_length = 50)]
    #[validate(length(min = 1, max = 50))]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(format = Email)]
    #[validate(email)]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    #[schema(schema_with = crate::http::schemas::or_null::staff_status)]
    pub status: Option<StaffStatus>,
}

/// Changes a staff record. Requires `If-Match`.
#[utoipa::path(
    operation_id = "updateStaff",
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "ETag of the record as read")),
    request_body = UpdateStaff,
    responses(
        (status = 200, description = "Updated.", body = StaffView, headers(("ETag" = String))),
        (status = 403, description = "The caller may not manage this person (only through a current membership).", body = Problem, content_type = "application/problem+json"),
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
    let full_name = body
        .full_name
        .as_deref()
        .map(|n| not_blank("full_name", n))
        .transpose()?;
    let shown = state
        .write(move |conn| {
            let person = load(conn, &caller, &id, Action::ManageStaff)?;
            let before = person.row.clone();
            if_match.require(&etag(before.version))?;
            let mut after = before.clone();
            if let Some(v) = full_name {
                after.full_name = v;
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
            let collaborator = Some(ProviderKind::Collaborator.code());
            let becomes_or_stops_collaborator = (before.provider_kind.as_deref() == collaborator)
                != (after.provider_kind.as_deref() == collaborator);
            if becomes_or_stops_collaborator {
                // Otherwise a centre could turn a collaborator whose card was revoked into
                // another kind of provider and assign them cases again.
                card_authority(conn, &caller, &person)?;
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
            shown(
                conn,
                Person {
                    row: after,
                    ..person
                },
            )
        })
        .await?;
    Ok(respond(StatusCode::OK, shown))
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
    #[param(schema_with = staff_sorts)]
    pub sort: Option<String>,
}

/// The orders of the staff list.
fn staff_sorts() -> utoipa::openapi::Object {
    crate::http::page::sort_schema(&STAFF_SORTS)
}

const STAFF_SORTS: [(&str, StaffSort); 4] = [
    ("name", StaffSort::Name),
    ("-name", StaffSort::NameDesc),
    ("created_at", StaffSort::CreatedAt),
    ("-created_at", StaffSort::CreatedAtDesc),
];

/// Lists staff and providers of the organizations in the caller's scope.
#[utoipa::path(
    operation_id = "listStaff",
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
    let sort = parse_sort(query.sort.as_deref(), StaffSort::Name, &STAFF_SORTS)?;
    let provider_kind = parse_filter::<ProviderKind>("provider_kind", query.provider_kind)?;
    let title = parse_filter::<Title>("title", query.title)?;
    let status = parse_filter::<StaffStatus>("status", query.status)?;
    let (total, shown) = state
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
                search: search_term(query.q.as_deref()),
                sort,
            };
            let paged = staff::list(conn, &filter, page)?;
            let ids: Vec<String> = paged.items.iter().map(|s| s.id.clone()).collect();
            let mut memberships: HashMap<String, Vec<MembershipRow>> = HashMap::new();
            for m in staff::memberships_of(conn, &ids)? {
                memberships.entry(m.staff_id.clone()).or_default().push(m);
            }
            let mut cards: HashMap<String, Vec<CardRow>> = HashMap::new();
            for c in staff::cards_of(conn, &ids)? {
                cards.entry(c.staff_id.clone()).or_default().push(c);
            }
            let mut shown_people = Vec::new();
            for row in paged.items {
                let person = Person {
                    memberships: memberships.remove(&row.id).unwrap_or_default(),
                    cards: cards.remove(&row.id).unwrap_or_default(),
                    row,
                };
                shown_people.push(shown(conn, person)?);
            }
            Ok((paged.total, shown_people))
        })
        .await?;
    let paged = tgpl_persistence::page::Paged {
        items: shown,
        total,
    };
    Ok(HttpResponse::Ok().json(Page::new(&req, page, paged, StaffView::new)))
}

/// Adds a membership: a person joins another organization, or holds a contract with a
/// centre beside their practice.
#[utoipa::path(
    operation_id = "addMembership",
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the person as read")),
    request_body = MembershipInput,
    responses(
        (status = 201, description = "Added; the person.", body = StaffView, headers(("ETag" = String))),
        (status = 403, description = "The caller may not manage staff there.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Person or organization outside the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already a current member in that organization.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "ETag mismatch.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/{id}/memberships")]
pub async fn add_membership(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<MembershipInput>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.0;
    let shown = state
        .write(move |conn| {
            // Checked and written as one: memberships sent at once must not all find none.
            exclusive(conn, &[Claim::new(Rule::Membership, id.as_str())], |conn| {
                let person = load(conn, &caller, &id, Action::ReadStaff)?;
                if_match.check(&etag(person.row.version))?;
                scope::authorize(conn, &caller, Action::ManageStaff, &body.organization_id)?;
                let membership = new_membership(&id, &body)?;
                let held: Vec<_> = person.memberships.iter().map(MembershipRow::to_domain).collect();
                if tgpl_domain::staff::check_no_overlap(&held, &membership.to_domain()).is_err() {
                    return Err(ApiError::conflict(
                        "already_member",
                        Text::new(
                            "Người này đang là thành viên của tổ chức đó; hãy chấm dứt quan hệ cũ trước.",
                            "The person is already a member there; end that membership first.",
                        ),
                    ));
                }
                staff::add_membership(conn, &caller.actor(), &membership)?;
                let person = Person::read(conn, &id)?;
                shown(conn, person)
            })
        })
        .await?;
    Ok(respond(StatusCode::CREATED, shown))
}

#[derive(Deserialize, Validate, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct EndMembership {
    /// First day no longer a member (Viet Nam date, not in the future); today when absent.
    pub on: Option<NaiveDate>,
    #[schema(min_length = 1, max_length = 500)]
    #[validate(length(min = 1, max = 500))]
    pub reason: Option<String>,
}

/// Ends a membership (transfer, retirement, end of contract) on a day that has come. The
/// person's accounts in that organization are deactivated at once.
#[utoipa::path(
    operation_id = "endMembership",
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = String, Path), ("membership_id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the person as read")),
    request_body = EndMembership,
    responses(
        (status = 200, description = "Ended; the person.", body = StaffView, headers(("ETag" = String))),
        (status = 403, description = "The caller may not manage staff there.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such membership in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already ended, or the day is not after it began.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "ETag mismatch.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A day in the future.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/{id}/memberships/{membership_id}/end")]
pub async fn end_membership(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: ValidJson<EndMembership>,
) -> Result<HttpResponse, ApiError> {
    let (id, membership_id) = path.into_inner();
    let body = body.0;
    let on = body.on.unwrap_or_else(today);
    if on > today() {
        return Err(ApiError::field(
            "on",
            "in_future",
            "Quan hệ công tác được chấm dứt từ ngày đã đến, không ghi trước.",
            "A membership is ended on a day that has come, not ahead of it.",
        ));
    }
    let shown = state
        .write(move |conn| {
            // Under the memberships' claim: an account linked meanwhile to this membership's
            // organization is deactivated with it, not left behind.
            if_match.settle(conn, |conn| {
                exclusive(conn, &[Claim::new(Rule::Membership, id.as_str())], |conn| {
                    let person = load(conn, &caller, &id, Action::ReadStaff)?;
                    if_match.check(&etag(person.row.version))?;
                    let Some(before) = person
                        .memberships
                        .iter()
                        .find(|m| m.id == membership_id)
                        .cloned()
                    else {
                        return Err(ApiError::not_found());
                    };
                    scope::authorize(conn, &caller, Action::ManageStaff, &before.organization_id)?;
                    if tgpl_domain::staff::check_end(&before.to_domain(), on, today()).is_err() {
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
                    after.end_reason = body.reason.clone();
                    after.version += 1;
                    after.updated_at = tgpl_persistence::now();
                    staff::end_membership(conn, &caller.actor(), &before, &after)?;
                    let person = Person::read(conn, &id)?;
                    shown(conn, person)
                })
            })
        })
        .await?;
    Ok(respond(StatusCode::OK, shown))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueCard {
    #[schema(min_length = 1, max_length = 50)]
    #[validate(length(min = 1, max = 50))]
    #[serde(deserialize_with = "crate::http::text::name")]
    pub card_number: String,
    /// Not in the future.
    pub issued_on: NaiveDate,
    /// Last day of validity.
    pub expires_on: NaiveDate,
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
    if card.issued_on > today() {
        return Err(ApiError::field(
            "issued_on",
            "in_future",
            "Thẻ được ghi nhận từ ngày cấp, không ghi trước.",
            "A card is recorded once issued, not ahead of it.",
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

/// The Department that may issue a card to `person`, as the caller: the one above one of
/// the person's current memberships that the caller may act for.
fn card_authority(
    conn: &mut DbConnection,
    caller: &Caller,
    person: &Person,
) -> Result<String, ApiError> {
    let mut outcome = Err(ApiError::forbidden());
    let orgs: Vec<String> = person
        .current_memberships()
        .map(|m| m.organization_id.clone())
        .collect();
    for org in orgs {
        let Some(department) = issuing_department(conn, &org)? else {
            continue;
        };
        match scope::authorize(conn, caller, Action::ManageCollaboratorCards, &department) {
            Ok(_) => return Ok(department),
            Err(e) => outcome = Err(e),
        }
    }
    outcome.map_err(|e| {
        if e.status == StatusCode::NOT_FOUND {
            ApiError::forbidden()
        } else {
            e
        }
    })
}

/// Issues a collaborator's card (the Director of the Department issues them).
#[utoipa::path(
    operation_id = "issueCollaboratorCard",
    tag = "staff",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the person as read")),
    request_body = IssueCard,
    responses(
        (status = 201, description = "Issued; the person.", body = StaffView, headers(("ETag" = String))),
        (status = 403, description = "Only the Department above the person's organization issues cards.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A valid card exists (reissue it instead), or the number is taken.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "ETag mismatch.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a collaborator, or invalid dates.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/{id}/collaborator-cards")]
pub async fn issue_card(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<IssueCard>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.0;
    check_card_dates(&body)?;
    let shown = state
        .write(move |conn| {
            // Checked and written as one: cards issued at once must not all find none valid.
            // The number is claimed too: two people given one number at once must not both
            // find it free (the unique index would answer a bare conflict).
            let claims = [
                Claim::new(Rule::CollaboratorCard, id.as_str()),
                Claim::new(Rule::CardNumber, body.card_number.as_str()),
            ];
            exclusive(conn, &claims, |conn| {
                let person = load(conn, &caller, &id, Action::ReadStaff)?;
                if_match.check(&etag(person.row.version))?;
                let department = card_authority(conn, &caller, &person)?;
                if person.row.provider_kind.as_deref() != Some(ProviderKind::Collaborator.code()) {
                    return Err(ApiError::field(
                        "provider_kind",
                        "not_a_collaborator",
                        "Chỉ cộng tác viên được cấp thẻ cộng tác viên.",
                        "Only collaborators get collaborator cards.",
                    ));
                }
                let holds_valid = person
                    .cards
                    .iter()
                    .any(|c| c.issued_by == department && c.to_domain().valid_on(today()));
                if holds_valid {
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
                staff::issue_card(
                    conn,
                    &caller.actor(),
                    &new_card(&id, department, &body, None),
                    None,
                )?;
                let person = Person::read(conn, &id)?;
                shown(conn, person)
            })
        })
        .await?;
    Ok(respond(StatusCode::CREATED, shown))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReissueCard {
    /// The new card's number.
    #[schema(min_length = 1, max_length = 50)]
    #[validate(length(min = 1, max = 50))]
    pub card_number: String,
    /// Not in the future, nor before the replaced card was issued.
    pub issued_on: NaiveDate,
    /// Last day of validity.
    pub expires_on: NaiveDate,
    /// Why (lost, damaged, changed details...).
    #[schema(min_length = 1, max_length = 500)]
    #[validate(length(min = 1, max = 500))]
    pub reason: String,
}

impl ReissueCard {
    /// The new card.
    fn card(&self) -> IssueCard {
        IssueCard {
            card_number: self.card_number.clone(),
            issued_on: self.issued_on,
            expires_on: self.expires_on,
        }
    }
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeCard {
    /// First day the card no longer counts (Viet Nam date, not in the future); today when
    /// absent.
    pub on: Option<NaiveDate>,
    #[schema(min_length = 1, max_length = 500)]
    #[validate(length(min = 1, max = 500))]
    pub reason: String,
}

/// Loads a card and its holder for a change by the Department that issued it.
fn load_card(
    conn: &mut DbConnection,
    caller: &Caller,
    card_id: &str,
    if_match: &IfMatch,
) -> Result<(CardRow, Person), ApiError> {
    let card = staff::get_card(conn, card_id)?;
    let person = load(conn, caller, &card.staff_id, Action::ReadStaff)?;
    if_match.check(&etag(person.row.version))?;
    scope::authorize(
        conn,
        caller,
        Action::ManageCollaboratorCards,
        &card.issued_by,
    )
    .map_err(|e| {
        if e.status == StatusCode::NOT_FOUND {
            ApiError::forbidden()
        } else {
            e
        }
    })?;
    if card.status != CardStatus::Valid.code() {
        return Err(ApiError::conflict(
            "card_not_valid",
            Text::new(
                "Thẻ đã bị thu hồi hoặc đã được cấp lại.",
                "The card was revoked or replaced.",
            ),
        ));
    }
    Ok((card, person))
}

/// Reissues a card: the old one is marked replaced from the new card's issue day, so there
/// is no day without a card.
#[utoipa::path(
    operation_id = "reissueCollaboratorCard",
    tag = "staff",
    security(("bearer" = [])),
    params(("card_id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the holder as read")),
    request_body = ReissueCard,
    responses(
        (status = 201, description = "Reissued; the holder.", body = StaffView, headers(("ETag" = String))),
        (status = 403, description = "Only the Department that issued the card reissues it.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such card in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The card was revoked or replaced, or the number is taken.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "ETag mismatch.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid dates.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/collaborator-cards/{card_id}/reissue")]
pub async fn reissue_card(
    state: web::Data<AppState>,
    caller: Caller,
    card_id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<ReissueCard>,
) -> Result<HttpResponse, ApiError> {
    let card_id = card_id.into_inner();
    let body = body.0;
    let card = body.card();
    check_card_dates(&card)?;
    let shown = state
        .write(move |conn| {
            if_match.settle(conn, |conn| {
                let claim = [Claim::new(Rule::CardNumber, card.card_number.as_str())];
                exclusive(conn, &claim, |conn| {
                    let (old, person) = load_card(conn, &caller, &card_id, &if_match)?;
                    if card.issued_on < old.issued_on {
                        return Err(ApiError::field(
                            "issued_on",
                            "before_old_card",
                            "Thẻ mới không cấp trước thẻ cũ.",
                            "The new card cannot predate the old one.",
                        ));
                    }
                    if staff::card_number_taken(conn, card.card_number.trim())? {
                        return Err(card_number_taken());
                    }
                    let mut replaced = old.clone();
                    replaced.status = CardStatus::Replaced.to_string();
                    replaced.ended_on = Some(card.issued_on);
                    replaced.end_reason = Some(body.reason.clone());
                    replaced.version += 1;
                    replaced.updated_at = tgpl_persistence::now();
                    let card = new_card(
                        &person.row.id,
                        old.issued_by.clone(),
                        &card,
                        Some(old.id.clone()),
                    );
                    staff::issue_card(conn, &caller.actor(), &card, Some((&old, &replaced)))?;
                    let person = Person::read(conn, &person.row.id)?;
                    shown(conn, person)
                })
            })
        })
        .await?;
    Ok(respond(StatusCode::CREATED, shown))
}

/// Revokes a card: from that day the collaborator cannot be assigned cases.
#[utoipa::path(
    operation_id = "revokeCollaboratorCard",
    tag = "staff",
    security(("bearer" = [])),
    params(("card_id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the holder as read")),
    request_body = RevokeCard,
    responses(
        (status = 200, description = "Revoked; the holder.", body = StaffView, headers(("ETag" = String))),
        (status = 403, description = "Only the Department that issued the card revokes it.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such card in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The card was already revoked or replaced.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "ETag mismatch.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A day in the future or before the card was issued.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/collaborator-cards/{card_id}/revoke")]
pub async fn revoke_card(
    state: web::Data<AppState>,
    caller: Caller,
    card_id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<RevokeCard>,
) -> Result<HttpResponse, ApiError> {
    let card_id = card_id.into_inner();
    let body = body.0;
    let on = body.on.unwrap_or_else(today);
    let shown = state
        .write(move |conn| {
            if_match.settle(conn, |conn| {
                let (before, person) = load_card(conn, &caller, &card_id, &if_match)?;
                if on > today() || on < before.issued_on {
                    return Err(ApiError::field(
                        "on",
                        "out_of_range",
                        "Ngày thu hồi phải từ ngày cấp thẻ đến hôm nay.",
                        "The revocation day lies between the card's issue and today.",
                    ));
                }
                let mut after = before.clone();
                after.status = CardStatus::Revoked.to_string();
                after.ended_on = Some(on);
                after.end_reason = Some(body.reason.clone());
                after.version += 1;
                after.updated_at = tgpl_persistence::now();
                staff::revoke_card(conn, &caller.actor(), &before, &after)?;
                let person = Person::read(conn, &person.row.id)?;
                shown(conn, person)
            })
        })
        .await?;
    Ok(respond(StatusCode::OK, shown))
}
