//! Who a staff member is (their record, memberships and cards) and whether they can take a
//! case of an organization on a day: what the staff routes show and the case steps check.

use chrono::NaiveDate;
use tgpl_domain::reference::ProviderKind;
use tgpl_domain::staff::{
    acting_kind, card_issuer, check_can_take_cases, Card, MembershipRelation, NotEligible,
    StaffStatus,
};
use tgpl_persistence::organizations::{self, OrganizationRow};
use tgpl_persistence::staff::{self, CardRow, MembershipRow, StaffRow};
use tgpl_persistence::DbConnection;

use crate::http::error::ApiError;
use crate::scope::today;

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

    pub fn current_memberships(&self) -> impl Iterator<Item = &MembershipRow> {
        self.memberships
            .iter()
            .filter(|m| m.to_domain().holds_on(today()))
    }
}

/// The Department that issues cards for members of `org_id` (`tgpl_domain::staff::card_issuer`):
/// the organization itself or the nearest Department above it, if any.
pub fn issuing_department(
    conn: &mut DbConnection,
    org_id: &str,
) -> Result<Option<String>, ApiError> {
    Ok(chain_of(conn, org_id)?.issuer().map(str::to_owned))
}

/// An organization and the ones above it today, nearest first, read at once.
struct Chain {
    ids: Vec<String>,
    rows: Vec<OrganizationRow>,
}

fn chain_of(conn: &mut DbConnection, org_id: &str) -> Result<Chain, ApiError> {
    let mut ids = vec![org_id.to_owned()];
    ids.extend(organizations::ancestors(conn, org_id, today())?);
    let rows = organizations::get_many(conn, &ids)?;
    Ok(Chain { ids, rows })
}

impl Chain {
    fn row(&self, id: &str) -> Option<&OrganizationRow> {
        self.rows.iter().find(|o| o.id == id)
    }

    /// The organization itself, first of the chain.
    fn first(&self) -> Result<&OrganizationRow, ApiError> {
        self.row(&self.ids[0])
            .ok_or_else(|| tgpl_persistence::StoreError::NotFound.into())
    }

    fn issuer(&self) -> Option<&str> {
        card_issuer(
            self.ids
                .iter()
                .filter_map(|id| Some((id.as_str(), *self.row(id)?.kind))),
        )
    }
}

/// Whether `person` can be assigned a case of `org_id` on `day`: a provider, active, a
/// member that day of an organization that handles cases that day, and for collaborators (a
/// person tied to `org_id` as one acts there as one, whatever their kind: see
/// [`acting_kind`]) a card of the Department above `org_id` valid that day.
pub fn can_take_cases(
    conn: &mut DbConnection,
    person: &Person,
    org_id: &str,
    day: NaiveDate,
) -> Result<Result<ProviderKind, NotEligible>, ApiError> {
    let chain = chain_of(conn, org_id)?;
    let department = chain.issuer();
    let cards: Vec<Card> = person
        .cards
        .iter()
        .filter(|c| department == Some(c.issued_by.as_str()))
        .map(CardRow::to_domain)
        .collect();
    let memberships: Vec<_> = person
        .memberships
        .iter()
        .map(MembershipRow::to_domain)
        .collect();
    let collaborator_there = person.memberships.iter().any(|m| {
        m.organization_id == org_id
            && *m.relation == MembershipRelation::Collaborator
            && m.to_domain().holds_on(day)
    });
    let kind = acting_kind(person.row.provider_kind.map(|k| k.0), collaborator_there);
    let active = *person.row.status == StaffStatus::Active;
    let handling = chain.first()?.handles_cases_on(day);
    Ok(check_can_take_cases(
        kind,
        active,
        &memberships,
        &cards,
        org_id,
        handling,
        day,
    ))
}
