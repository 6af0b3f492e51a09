//! Staff records, their dated memberships, and collaborators' cards.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use tgpl_domain::account::AccountAction;
use tgpl_domain::audit::AuditAction;
use tgpl_domain::label::Vocabulary;

use crate::audit::{self, Actor, Change};
use crate::column::Code;
use crate::db::{write_transaction, Backend, DbConnection};
use crate::error::{StoreError, StoreResult};
use crate::in_force::{card_valid_on, membership_holds_on, published_on};
use crate::page::{PageRequest, Paged};
use crate::schema::{accounts, collaborator_cards, staff, staff_memberships};
use crate::statistics::tally;
use crate::versioned::Versioned;
use tgpl_domain::reference::{EthnicGroup, Gender, ProviderKind, Qualification};
use tgpl_domain::role::AccountStatus;
use tgpl_domain::staff::{CardStatus, MembershipRelation, OfficerRank, StaffStatus, Title};

const STAFF: &str = "staff";
const CARD: &str = "collaborator_card";

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Serialize)]
#[diesel(table_name = staff, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct StaffRow {
    pub id: String,
    pub full_name: String,
    #[serde(skip)]
    pub search_text: String,
    pub gender: Option<Code<Gender>>,
    pub date_of_birth: Option<NaiveDate>,
    pub ethnicity: Option<Code<EthnicGroup>>,
    pub qualification: Option<Code<Qualification>>,
    pub provider_kind: Option<Code<ProviderKind>>,
    pub lawyer_card_number: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub status: Code<StaffStatus>,
    pub version: i64,
    #[serde(serialize_with = "crate::instant::utc")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::instant::utc")]
    pub updated_at: NaiveDateTime,
}

crate::versioned::versioned_rows!(StaffRow);

impl StaffRow {
    pub fn refresh_search_text(&mut self) {
        self.search_text = tgpl_domain::text::fold(&self.full_name);
    }
}

#[derive(
    Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset, Serialize,
)]
#[diesel(table_name = staff_memberships, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct MembershipRow {
    pub id: String,
    pub staff_id: String,
    pub organization_id: String,
    pub relation: Code<MembershipRelation>,
    pub title: Code<Title>,
    pub officer_rank: Option<Code<OfficerRank>>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub version: i64,
    #[serde(serialize_with = "crate::instant::utc")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::instant::utc")]
    pub updated_at: NaiveDateTime,
}

crate::versioned::versioned_rows!(MembershipRow);

impl MembershipRow {
    pub fn to_domain(&self) -> tgpl_domain::staff::Membership {
        tgpl_domain::staff::Membership {
            organization_id: self.organization_id.clone(),
            valid_from: self.valid_from,
            valid_to: self.valid_to,
        }
    }
}

/// Counts one more change of a person (a membership or a card), so that the person's
/// version, and ETag, covers them. Only over `seen`, the version the change was decided on:
/// two changes of one person decided on one version (a card and an edit sent with the same
/// `If-Match`) cannot both pass; the later one fails with [`StoreError::VersionMismatch`].
fn touch(conn: &mut DbConnection, staff_id: &str, seen: i64) -> StoreResult<()> {
    let updated = diesel::update(
        staff::table
            .filter(staff::id.eq(staff_id))
            .filter(staff::version.eq(seen)),
    )
    .set((
        staff::version.eq(seen + 1),
        staff::updated_at.eq(crate::now()),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(StoreError::VersionMismatch);
    }
    Ok(())
}

#[derive(
    Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset, Serialize,
)]
#[diesel(table_name = collaborator_cards, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct CardRow {
    pub id: String,
    pub staff_id: String,
    pub card_number: String,
    pub issued_by: String,
    pub issued_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub status: Code<CardStatus>,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub replaces_card_id: Option<String>,
    pub version: i64,
    #[serde(serialize_with = "crate::instant::utc")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::instant::utc")]
    pub updated_at: NaiveDateTime,
}

crate::versioned::versioned_rows!(CardRow);

impl CardRow {
    pub fn to_domain(&self) -> tgpl_domain::staff::Card {
        tgpl_domain::staff::Card {
            issued_on: self.issued_on,
            expires_on: self.expires_on,
            ended_on: self.ended_on,
        }
    }
}

/// What the audit log keeps of a creation.
#[derive(Serialize)]
struct Created<'a> {
    staff: &'a StaffRow,
    membership: &'a MembershipRow,
}

/// Creates a person with their first membership.
pub fn insert(
    conn: &mut DbConnection,
    actor: &Actor,
    row: &StaffRow,
    membership: &MembershipRow,
) -> StoreResult<()> {
    write_transaction(conn, |conn| {
        diesel::insert_into(staff::table)
            .values(row)
            .execute(conn)?;
        diesel::insert_into(staff_memberships::table)
            .values(membership)
            .execute(conn)?;
        audit::record(
            conn,
            actor,
            Change::created(
                AuditAction::StaffCreate,
                STAFF,
                &row.id,
                &Created {
                    staff: row,
                    membership,
                },
            ),
        )
    })
}

pub fn get(conn: &mut DbConnection, id: &str) -> StoreResult<StaffRow> {
    staff::table
        .find(id)
        .select(StaffRow::as_select())
        .first(conn)
        .map_err(StoreError::from)
}

pub fn save(
    conn: &mut DbConnection,
    actor: &Actor,
    before: &StaffRow,
    after: &StaffRow,
) -> StoreResult<()> {
    crate::save_versioned!(
        conn,
        actor,
        AuditAction::StaffUpdate,
        STAFF,
        staff.id,
        before,
        after,
        |r: &StaffRow| r.clone()
    )
}

/// Every membership of a person, oldest first.
pub fn memberships(conn: &mut DbConnection, staff_id: &str) -> StoreResult<Vec<MembershipRow>> {
    memberships_of(conn, &[staff_id.to_owned()])
}

/// Memberships of many people at once, for lists; each person's oldest first.
pub fn memberships_of(
    conn: &mut DbConnection,
    staff_ids: &[String],
) -> StoreResult<Vec<MembershipRow>> {
    if staff_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(staff_memberships::table
        .filter(staff_memberships::staff_id.eq_any(staff_ids))
        .order((
            staff_memberships::valid_from.asc(),
            staff_memberships::id.asc(),
        ))
        .select(MembershipRow::as_select())
        .load(conn)?)
}

/// Adds a membership to the person whose version `seen` the addition was decided on
/// (see [`touch`]).
pub fn add_membership(
    conn: &mut DbConnection,
    actor: &Actor,
    row: &MembershipRow,
    seen: i64,
) -> StoreResult<()> {
    write_transaction(conn, |conn| {
        // The provider's ties decide the affiliation their cases count under.
        let cases = tally::cases_given_by(conn, std::slice::from_ref(&row.staff_id))?;
        let moving = tally::Moving::before(conn, cases)?;
        diesel::insert_into(staff_memberships::table)
            .values(row)
            .execute(conn)?;
        touch(conn, &row.staff_id, seen)?;
        audit::record(
            conn,
            actor,
            Change::created(AuditAction::MembershipAdd, STAFF, &row.staff_id, row),
        )?;
        moving.settle(conn)
    })
}

/// Ends a membership and, with it, access to that organization: the person's accounts
/// there are deactivated and their tokens revoked, in the same transaction. Returns the
/// ids of the accounts deactivated. `seen` is the person's version the end was decided on
/// (see [`touch`]).
pub fn end_membership(
    conn: &mut DbConnection,
    actor: &Actor,
    before: &MembershipRow,
    after: &MembershipRow,
    seen: i64,
) -> StoreResult<Vec<String>> {
    write_transaction(conn, |conn| {
        let updated = diesel::update(
            staff_memberships::table
                .filter(staff_memberships::id.eq(&before.id))
                .filter(staff_memberships::version.eq(before.version)),
        )
        .set(after)
        .execute(conn)?;
        if updated == 0 {
            return Err(StoreError::VersionMismatch);
        }
        touch(conn, &before.staff_id, seen)?;
        // Recorded under the person, like the membership's addition.
        audit::record(
            conn,
            actor,
            Change {
                action: AuditAction::MembershipEnd,
                resource_type: STAFF,
                resource_id: &before.staff_id,
                before: Some(before),
                after: Some(after),
            },
        )?;
        let linked: Vec<crate::accounts::AccountRow> = accounts::table
            .filter(accounts::staff_id.eq(&before.staff_id))
            .filter(accounts::organization_id.eq(&before.organization_id))
            .filter(accounts::status.ne(Code(AccountStatus::Deactivated)))
            .select(crate::accounts::AccountRow::as_select())
            .load(conn)?;
        let mut ids = Vec::new();
        for account in linked {
            let mut deactivated = account.clone();
            if deactivated.take(AccountAction::Deactivate).is_err() {
                continue;
            }
            deactivated.revise();
            crate::accounts::save(
                conn,
                actor,
                AuditAction::AccountDeactivate,
                &account,
                &deactivated,
            )?;
            ids.push(account.id);
        }
        Ok(ids)
    })
}

pub fn get_membership(conn: &mut DbConnection, id: &str) -> StoreResult<MembershipRow> {
    staff_memberships::table
        .find(id)
        .select(MembershipRow::as_select())
        .first(conn)
        .map_err(StoreError::from)
}

/// Every card of a person, oldest first.
pub fn cards(conn: &mut DbConnection, staff_id: &str) -> StoreResult<Vec<CardRow>> {
    cards_of(conn, &[staff_id.to_owned()])
}

/// Cards of many people at once, for lists; each person's oldest first.
pub fn cards_of(conn: &mut DbConnection, staff_ids: &[String]) -> StoreResult<Vec<CardRow>> {
    if staff_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(collaborator_cards::table
        .filter(collaborator_cards::staff_id.eq_any(staff_ids))
        .order((
            collaborator_cards::issued_on.asc(),
            collaborator_cards::id.asc(),
        ))
        .select(CardRow::as_select())
        .load(conn)?)
}

pub fn get_card(conn: &mut DbConnection, id: &str) -> StoreResult<CardRow> {
    collaborator_cards::table
        .find(id)
        .select(CardRow::as_select())
        .first(conn)
        .map_err(StoreError::from)
}

pub fn card_number_taken(conn: &mut DbConnection, number: &str) -> StoreResult<bool> {
    let n: i64 = collaborator_cards::table
        .filter(collaborator_cards::card_number.eq(number))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Issues a card; when it replaces another (reissue), that one is marked replaced in the
/// same transaction. `seen` is the holder's version the issue was decided on (see
/// [`touch`]).
pub fn issue_card(
    conn: &mut DbConnection,
    actor: &Actor,
    card: &CardRow,
    replacing: Option<(&CardRow, &CardRow)>,
    seen: i64,
) -> StoreResult<()> {
    write_transaction(conn, |conn| {
        if let Some((before, after)) = replacing {
            crate::save_versioned!(
                conn,
                actor,
                AuditAction::CardReissue,
                CARD,
                collaborator_cards.id,
                before,
                after,
                |c: &CardRow| c.clone()
            )?;
        }
        diesel::insert_into(collaborator_cards::table)
            .values(card)
            .execute(conn)?;
        touch(conn, &card.staff_id, seen)?;
        let action = if replacing.is_some() {
            AuditAction::CardReissue
        } else {
            AuditAction::CardIssue
        };
        audit::record(conn, actor, Change::created(action, CARD, &card.id, card))
    })
}

/// Revokes a card of the holder whose version `seen` the revocation was decided on (see
/// [`touch`]).
pub fn revoke_card(
    conn: &mut DbConnection,
    actor: &Actor,
    before: &CardRow,
    after: &CardRow,
    seen: i64,
) -> StoreResult<()> {
    write_transaction(conn, |conn| {
        touch(conn, &before.staff_id, seen)?;
        crate::save_versioned!(
            conn,
            actor,
            AuditAction::CardRevoke,
            CARD,
            collaborator_cards.id,
            before,
            after,
            |c: &CardRow| c.clone()
        )
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StaffSort {
    #[default]
    Name,
    NameDesc,
    CreatedAt,
    CreatedAtDesc,
}

#[derive(Debug, Clone, Default)]
pub struct StaffFilter {
    /// People with a membership (current or past) in one of these organizations.
    pub organizations: Option<Vec<String>>,
    /// Only memberships in force on this day count for `organizations`.
    pub member_on: Option<NaiveDate>,
    pub provider_kind: Option<String>,
    pub title: Option<String>,
    pub status: Option<String>,
    /// Already folded with `tgpl_domain::text::fold`.
    pub search: Option<String>,
    pub sort: StaffSort,
}

/// Staff records that may be the same person as a new one: the same lawyer's card number, or
/// the same folded name (`search_text`) and date of birth; among the people with a
/// membership in one of `within` (everyone when `None`). At most twenty.
pub fn possible_duplicates(
    conn: &mut DbConnection,
    search_text: &str,
    date_of_birth: Option<NaiveDate>,
    lawyer_card_number: Option<&str>,
    within: Option<&[String]>,
) -> StoreResult<Vec<StaffRow>> {
    if date_of_birth.is_none() && lawyer_card_number.is_none() {
        return Ok(Vec::new());
    }
    let mut q = staff::table.into_boxed::<Backend>();
    if let Some(orgs) = within {
        let members = staff_memberships::table
            .filter(staff_memberships::organization_id.eq_any(orgs.to_vec()))
            .select(staff_memberships::staff_id);
        q = q.filter(staff::id.eq_any(members));
    }
    let same_card = staff::lawyer_card_number.eq(lawyer_card_number.map(str::to_owned));
    let same_birth = staff::search_text
        .eq(search_text.to_owned())
        .and(staff::date_of_birth.eq(date_of_birth));
    Ok(q.filter(same_card.or(same_birth))
        .order(staff::id)
        .limit(20)
        .select(StaffRow::as_select())
        .load(conn)?)
}

/// The people whose memberships match the organization and title filters, if any apply.
fn members(conn: &mut DbConnection, f: &StaffFilter) -> StoreResult<Option<Vec<String>>> {
    if f.organizations.is_none() && f.title.is_none() {
        return Ok(None);
    }
    let mut q = staff_memberships::table
        .select(staff_memberships::staff_id)
        .distinct()
        .into_boxed::<Backend>();
    if let Some(orgs) = &f.organizations {
        q = q.filter(staff_memberships::organization_id.eq_any(orgs.clone()));
    }
    if let Some(title) = &f.title {
        q = q.filter(staff_memberships::title.eq(title.clone()));
    }
    if let Some(day) = f.member_on {
        q = q.filter(membership_holds_on(day));
    }
    Ok(Some(q.load(conn)?))
}

fn filtered(
    f: &StaffFilter,
    members: Option<&Vec<String>>,
    sqlite: bool,
) -> staff::BoxedQuery<'static, Backend> {
    let mut q = staff::table.into_boxed::<Backend>();
    if let Some(ids) = members {
        q = q.filter(staff::id.eq_any(ids.clone()));
    }
    if let Some(v) = &f.provider_kind {
        q = q.filter(staff::provider_kind.eq(v.clone()));
    }
    if let Some(v) = &f.status {
        q = q.filter(staff::status.eq(v.clone()));
    }
    if let Some(v) = &f.search {
        q = q.filter(crate::contains_folded(staff::search_text, v, sqlite));
    }
    q
}

pub fn list(
    conn: &mut DbConnection,
    filter: &StaffFilter,
    page: PageRequest,
) -> StoreResult<Paged<StaffRow>> {
    let members = members(conn, filter)?;
    let sqlite = crate::db::is_sqlite(conn);
    let q = filtered(filter, members.as_ref(), sqlite);
    let q = match filter.sort {
        StaffSort::Name => q.order((staff::search_text.asc(), staff::id.asc())),
        StaffSort::NameDesc => q.order((staff::search_text.desc(), staff::id.desc())),
        StaffSort::CreatedAt => q.order((staff::created_at.asc(), staff::id.asc())),
        StaffSort::CreatedAtDesc => q.order((staff::created_at.desc(), staff::id.desc())),
    };
    let items = q
        .limit(page.limit())
        .offset(page.offset())
        .select(StaffRow::as_select())
        .load(conn)?;
    Ok(Paged::counted(items, page, || {
        filtered(filter, members.as_ref(), sqlite)
            .count()
            .get_result(conn)
    })?)
}

/// A provider as the Department publishes them: one row per current membership.
pub struct PublicProvider {
    pub membership: MembershipRow,
    pub person: StaffRow,
    pub organization: crate::organizations::OrganizationRow,
}

#[derive(Debug, Clone)]
pub struct PublicProviderFilter {
    pub day: NaiveDate,
    pub province_code: Option<String>,
    pub provider_kind: Option<String>,
}

/// Providers with a membership in force on the day in an active organization. Collaborators
/// are listed only while their card is valid.
pub fn public_providers(
    conn: &mut DbConnection,
    filter: &PublicProviderFilter,
    page: PageRequest,
) -> StoreResult<Paged<PublicProvider>> {
    use crate::schema::organizations;
    let day = filter.day;
    let query = || {
        let carded = collaborator_cards::table
            .filter(card_valid_on(day))
            .select(collaborator_cards::staff_id);
        let mut q = staff_memberships::table
            .inner_join(staff::table)
            .inner_join(organizations::table)
            .filter(membership_holds_on(day))
            .filter(staff::status.eq(StaffStatus::Active.code()))
            .filter(staff::provider_kind.is_not_null())
            .filter(published_on(day))
            .filter(
                staff::provider_kind
                    .ne("collaborator")
                    .or(staff::id.eq_any(carded)),
            )
            .into_boxed::<Backend>();
        if let Some(p) = &filter.province_code {
            q = q.filter(organizations::province_code.eq(p.clone()));
        }
        if let Some(k) = &filter.provider_kind {
            q = q.filter(staff::provider_kind.eq(k.clone()));
        }
        q
    };
    let rows: Vec<(
        MembershipRow,
        StaffRow,
        crate::organizations::OrganizationRow,
    )> = query()
        .order((staff::search_text.asc(), staff_memberships::id.asc()))
        .limit(page.limit())
        .offset(page.offset())
        .select((
            MembershipRow::as_select(),
            StaffRow::as_select(),
            crate::organizations::OrganizationRow::as_select(),
        ))
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(|(membership, person, organization)| PublicProvider {
            membership,
            person,
            organization,
        })
        .collect();
    Ok(Paged::counted(items, page, || {
        query().count().get_result(conn)
    })?)
}

/// Names of staff records, for reports.
pub fn names(
    conn: &mut DbConnection,
    ids: &[String],
) -> StoreResult<std::collections::HashMap<String, String>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let rows: Vec<(String, String)> = staff::table
        .filter(staff::id.eq_any(ids))
        .select((staff::id, staff::full_name))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}
