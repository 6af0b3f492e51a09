//! What "in force on a day" means for each dated row, written once as a SQL condition with
//! the same ends as the domain's reading of the row, so that a query and the rule it stands
//! for cannot drift apart:
//!
//! | row | first day | last day | domain |
//! |---|---|---|---|
//! | parent link | `valid_from` | the day before `valid_to` | `hierarchy::ParentLink::holds_on` |
//! | membership | `valid_from` | the day before `valid_to` | `staff::Membership::holds_on` |
//! | collaborator's card | `issued_on` | `expires_on`, or the day before `ended_on` | `staff::Card::valid_on` |
//! | participation | `participation_valid_from` | `participation_valid_to`, while its status is active | `participation::Standing::in_force_on`; for past days, `ParticipantRecord::participates_on` reads the day it ended instead of the status |
//!
//! Each is a plain diesel expression, usable in a `filter` on the table alone or joined.

use chrono::NaiveDate;
use diesel::prelude::*;
use tgpl_domain::label::Vocabulary;
use tgpl_domain::organization::{OrganizationKind, OrganizationStatus, ParticipationStatus};

use crate::schema::{collaborator_cards, organization_links, organizations, staff_memberships};

/// A parent link in force on `day`.
#[diesel::dsl::auto_type]
pub fn link_holds_on(day: NaiveDate) -> _ {
    organization_links::valid_from.le(day).and(
        organization_links::valid_to
            .is_null()
            .or(organization_links::valid_to.gt(day)),
    )
}

/// A membership in force on `day`.
#[diesel::dsl::auto_type]
pub fn membership_holds_on(day: NaiveDate) -> _ {
    staff_memberships::valid_from.le(day).and(
        staff_memberships::valid_to
            .is_null()
            .or(staff_memberships::valid_to.gt(day)),
    )
}

/// A collaborator's card valid on `day`: issued, not expired, and not revoked or replaced.
#[diesel::dsl::auto_type]
pub fn card_valid_on(day: NaiveDate) -> _ {
    collaborator_cards::issued_on
        .le(day)
        .and(collaborator_cards::expires_on.ge(day))
        .and(
            collaborator_cards::ended_on
                .is_null()
                .or(collaborator_cards::ended_on.gt(day)),
        )
}

/// An organization published on `day` (Law on Legal Aid 2017 art. 10 and 15): an active
/// state provider, or an active participating organization whose participation is in force.
#[diesel::dsl::auto_type]
pub fn published_on(day: NaiveDate) -> _ {
    let state_providers: Vec<&'static str> = kinds(OrganizationKind::is_state_provider);
    let participating: Vec<&'static str> = kinds(OrganizationKind::is_participating);
    let active: &'static str = OrganizationStatus::Active.code();
    let participation_active: &'static str = ParticipationStatus::Active.code();
    organizations::status.eq(active).and(
        organizations::kind
            .eq_any(state_providers)
            .or(organizations::kind
                .eq_any(participating)
                .and(organizations::participation_status.eq(participation_active))
                .and(organizations::participation_valid_from.le(day))
                .and(
                    organizations::participation_valid_to
                        .is_null()
                        .or(organizations::participation_valid_to.ge(day)),
                )),
    )
}

/// The codes of the organization kinds that `holds`, for a filter on the stored kind.
fn kinds(holds: fn(OrganizationKind) -> bool) -> Vec<&'static str> {
    OrganizationKind::ALL
        .iter()
        .copied()
        .filter(|k| holds(*k))
        .map(OrganizationKind::code)
        .collect()
}
