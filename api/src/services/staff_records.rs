//! Who a staff member is (their record, memberships and cards), whether they can take a
//! case of an organization on a day, and whether a new record may be someone already
//! recorded: what the staff routes show and the case steps check.

use chrono::NaiveDate;
use serde::Serialize;
use tgpl_domain::access::Action;
use tgpl_domain::reference::ProviderKind;
use tgpl_domain::staff::{
    acting_kind, card_issuer, check_can_take_cases, Card, MembershipRelation, NotEligible,
    StaffStatus,
};
use tgpl_persistence::exclusive::{exclusive, Claim, Rule};
use tgpl_persistence::organizations::{self, OrganizationRow};
use tgpl_persistence::staff::{self, CardRow, MembershipRow, StaffRow};
use tgpl_persistence::DbConnection;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::http::error::ApiError;
use crate::http::lang::Text;
use crate::scope::{self, today};

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

/// A staff record that may be the person being recorded, as a 409 `possible_duplicates`
/// lists it.
#[derive(Serialize, ToSchema)]
pub struct StaffCandidate {
    pub id: String,
    pub full_name: String,
    pub date_of_birth: Option<NaiveDate>,
    /// `lawyer_card_number` or `name_and_birth_date`.
    pub matched_on: &'static str,
}

/// 409 `possible_duplicates` with the candidates, when the same lawyer's card number, or the
/// same folded name and date of birth, is already recorded where `caller` may read staff.
pub fn duplicates_refusal(
    conn: &mut DbConnection,
    caller: &Caller,
    row: &StaffRow,
) -> Result<Option<ApiError>, ApiError> {
    let visible = scope::permitted(conn, caller, Action::ReadStaff)?.as_filter();
    let card = row.lawyer_card_number.as_deref();
    let found = staff::possible_duplicates(
        conn,
        &row.search_text,
        row.date_of_birth,
        card,
        visible.as_deref(),
    )?;
    if found.is_empty() {
        return Ok(None);
    }
    let candidates: Vec<StaffCandidate> = found
        .into_iter()
        .map(|s| StaffCandidate {
            matched_on: if card.is_some() && s.lawyer_card_number.as_deref() == card {
                "lawyer_card_number"
            } else {
                "name_and_birth_date"
            },
            id: s.id,
            full_name: s.full_name,
            date_of_birth: s.date_of_birth,
        })
        .collect();
    Ok(Some(
        ApiError::conflict(
            "possible_duplicates",
            Text::new(
                "Có thể người này đã có hồ sơ; hãy thêm quan hệ công tác vào hồ sơ sẵn có, hoặc gửi lại với create_anyway: true.",
                "This person may already be recorded; add a membership to the existing record, or send again with create_anyway: true.",
            ),
        )
        .with_extra(serde_json::json!({ "candidates": candidates })),
    ))
}

/// Runs `change`, which gives the record `own_id` the lawyer's card `card` (none: no check),
/// unless another record where `caller` may read staff already has it: a lawyer's card names
/// one lawyer. 409 `lawyer_card_recorded`, without naming the other. Checked and written under
/// the claim of the duplicate check on creation.
pub fn with_lawyer_card_free<T>(
    conn: &mut DbConnection,
    caller: &Caller,
    own_id: &str,
    card: Option<&str>,
    change: impl FnOnce(&mut DbConnection) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let Some(card) = card else {
        return change(conn);
    };
    let claim = Claim::new(Rule::StaffDuplicates, format!("card:{card}"));
    exclusive(conn, &[claim], |conn| {
        let visible = scope::permitted(conn, caller, Action::ReadStaff)?.as_filter();
        let others = staff::possible_duplicates(conn, "", None, Some(card), visible.as_deref())?;
        if others.iter().any(|s| s.id != own_id) {
            return Err(ApiError::conflict(
                "lawyer_card_recorded",
                Text::new(
                    "Số thẻ luật sư này đã có trong hồ sơ của một người khác; hãy kiểm tra lại số, hoặc dùng hồ sơ sẵn có.",
                    "Another person's record already has this lawyer's card number; check the number, or use the existing record.",
                ),
            ));
        }
        change(conn)
    })
}
