//! Staff of organizations and legal aid providers, with dated memberships and collaborators'
//! cards.
//!
//! - [`people`]: staff records (create, read, update, list).
//! - [`memberships`]: joining and leaving organizations.
//! - [`cards`]: collaborators' cards (issue, reissue, revoke).
//! - here: what they all answer with (the person, and where they can take cases today).
//!
//! Who a person is, with their memberships and cards, and whether they can take a case, is
//! `crate::services::staff_records`, which the case steps borrow too.

mod cards;
mod memberships;
mod people;

pub use cards::{issue_card, reissue_card, revoke_card, IssueCard, ReissueCard, RevokeCard};
pub use memberships::{add_membership, end_membership, EndMembership, MembershipInput};
pub use people::{create, list, read, update, CreateStaff, StaffListQuery, UpdateStaff};

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tgpl_domain::access::Action;
use tgpl_domain::reference::{EthnicGroup, Gender, ProviderKind, Qualification};
use tgpl_domain::staff::{
    check_card_dates, check_person_details, CardStatus, MembershipRelation, OfficerRank,
    StaffStatus, Title,
};
use tgpl_persistence::column::Code;
use tgpl_persistence::exclusive::{exclusive, Claim, Rule};
use tgpl_persistence::staff::{self, CardRow, MembershipRow, StaffFilter, StaffRow, StaffSort};
use tgpl_persistence::DbConnection;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::Caller;
use crate::http::error::ApiError;
use crate::http::extract::{present, record, IfMatch, Query, ValidJson};
use crate::http::lang::Text;
use crate::http::page::{parse_filter, parse_sort, search_term, Page, PageQuery};
use crate::http::patch;
use crate::http::text::person_name;
use crate::routes::account_common::utc;
use crate::scope::{self, today};
use crate::state::AppState;

type Problem = crate::http::error::Problem;
use crate::services::staff_records::{can_take_cases, issuing_department, Person};

#[derive(Serialize, ToSchema)]
pub struct MembershipView {
    pub id: String,
    pub organization_id: String,
    #[schema(schema_with = crate::http::schemas::membership_relation)]
    pub relation: MembershipRelation,
    #[schema(schema_with = crate::http::schemas::title)]
    pub title: Title,
    #[schema(schema_with = crate::http::schemas::or_null::officer_rank)]
    pub officer_rank: Option<OfficerRank>,
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
            relation: *m.relation,
            title: *m.title,
            officer_rank: m.officer_rank.map(|c| c.0),
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
    pub status: CardStatus,
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
            status: *c.status,
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
    pub gender: Option<Gender>,
    pub date_of_birth: Option<NaiveDate>,
    #[schema(schema_with = crate::http::schemas::or_null::ethnic_group)]
    pub ethnicity: Option<EthnicGroup>,
    #[schema(schema_with = crate::http::schemas::or_null::qualification)]
    pub qualification: Option<Qualification>,
    /// Absent for staff who do not give legal aid.
    #[schema(schema_with = crate::http::schemas::or_null::provider_kind)]
    pub provider_kind: Option<ProviderKind>,
    /// Lawyer's practising certificate or card number.
    pub lawyer_card_number: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    #[schema(schema_with = crate::http::schemas::staff_status)]
    pub status: StaffStatus,
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
            gender: row.gender.map(|c| c.0),
            date_of_birth: row.date_of_birth,
            ethnicity: row.ethnicity.map(|c| c.0),
            qualification: row.qualification.map(|c| c.0),
            provider_kind: row.provider_kind.map(|c| c.0),
            lawyer_card_number: row.lawyer_card_number,
            phone: row.phone,
            email: row.email,
            status: *row.status,
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

/// What a response shows: the person and where they can take cases today.
pub struct Shown {
    person: Person,
    can_take_cases_for: Vec<String>,
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
            Err(e) if e.status == StatusCode::FORBIDDEN => {
                if action != Action::ReadStaff {
                    outcome = Err(e)
                }
            }
            Err(e) if e.status == StatusCode::NOT_FOUND => {}
            // The database failing is not a refusal.
            Err(e) => return Err(e),
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

/// 403 unless the caller manages staff in every organization `person` currently belongs to:
/// the record (name, birth, kind of provider, status) is the person's in all of them, so one
/// of them does not change it for the others (a centre of another province would otherwise
/// deactivate the officer of this one). The Department above them all, or the data centre
/// across provinces, does.
fn check_manages_everywhere(
    conn: &mut DbConnection,
    caller: &Caller,
    person: &Person,
) -> Result<(), ApiError> {
    let organizations: Vec<String> = person
        .current_memberships()
        .map(|m| m.organization_id.clone())
        .collect();
    for org in organizations {
        scope::check(conn, caller, Action::ManageStaff, &org).map_err(|_| {
            ApiError::forbidden_because(Text::new(
                "Người này còn thuộc tổ chức mà bạn không quản lý; hồ sơ chung do cấp quản lý tất cả các tổ chức đó sửa.",
                "The person also belongs to an organization you do not manage; their shared record is changed by whoever manages all of them.",
            ))
        })?;
    }
    Ok(())
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
