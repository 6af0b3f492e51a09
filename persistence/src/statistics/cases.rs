//! Cases and the persons aided in them, as forms 1 and 3 read them.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use diesel::prelude::*;
use tgpl_domain::organization::{OrganizationKind, ParticipationMode};
use tgpl_domain::recipient::{proven_categories, statistical_category};
use tgpl_domain::reference::Gender;
use tgpl_domain::reference::{AidForm, AidPlace, Field, ProviderKind};
use tgpl_domain::staff::MembershipRelation;
use tgpl_domain::statistics::dimension::ProviderAffiliation;
use tgpl_domain::statistics::{CaseRecord, Identified, PersonTimeRecord};

use crate::column::Code;
use crate::db::{Backend, DbConnection};
use crate::error::StoreResult;
use crate::schema::{cases, organizations, recipients, staff_memberships};

/// The columns of a case that form 1 reads.
#[derive(Queryable, Selectable)]
#[diesel(table_name = cases)]
struct CaseFacts {
    id: String,
    organization_id: String,
    recipient_id: String,
    accepted_on: Option<NaiveDate>,
    closed_on: Option<NaiveDate>,
    transferred_from_case_id: Option<String>,
    transferred_to_org_id: Option<String>,
    field: Code<Field>,
    form: Code<AidForm>,
    place: Code<AidPlace>,
    provider_kind: Option<Code<ProviderKind>>,
    provider_id: Option<String>,
}

impl CaseFacts {
    fn into_record(self, ties: &Ties) -> Identified<CaseRecord> {
        let provider_kind = self.provider_kind.map(|k| *k);
        let provider_affiliation = provider_kind.map(|kind| {
            let (contracted_with_centre, practices) = self
                .provider_id
                .as_ref()
                .and_then(|id| ties.get(id))
                .map_or((false, &[][..]), |(c, p)| (*c, p.as_slice()));
            ProviderAffiliation::of(kind, contracted_with_centre, practices)
        });
        Identified {
            id: self.id,
            record: CaseRecord {
                accepted_on: self.accepted_on,
                transferred_in: self.transferred_from_case_id.is_some(),
                closed_on: self.closed_on,
                transferred_out: self.transferred_to_org_id.is_some(),
                field: *self.field,
                form: *self.form,
                place: *self.place,
                provider_kind,
                provider_affiliation,
            },
        }
    }
}

/// Per provider: whether they hold a contract with a state centre or branch, and how each
/// participating practice they are a member of takes part, whenever held.
type Ties = HashMap<String, (bool, Vec<ParticipationMode>)>;

/// A provider's membership, with the kind of the organization and how it takes part.
type TieFacts = (
    String,
    Code<MembershipRelation>,
    Code<OrganizationKind>,
    Option<Code<ParticipationMode>>,
);

/// The ties of the lawyers and legal counsellors who gave the cases of `facts`.
fn ties(conn: &mut DbConnection, facts: &[&CaseFacts]) -> StoreResult<Ties> {
    let mut providers: Vec<&String> = facts
        .iter()
        .filter(|c| {
            c.provider_kind
                .is_some_and(|k| matches!(*k, ProviderKind::Lawyer | ProviderKind::LegalCounsellor))
        })
        .filter_map(|c| c.provider_id.as_ref())
        .collect();
    providers.sort_unstable();
    providers.dedup();
    let mut ties = Ties::new();
    for chunk in providers.chunks(10_000) {
        let rows: Vec<TieFacts> = crate::on_engine!(conn, |c| staff_memberships::table
            .inner_join(
                organizations::table.on(organizations::id.eq(staff_memberships::organization_id))
            )
            .filter(staff_memberships::staff_id.eq_any(chunk))
            .select((
                staff_memberships::staff_id,
                staff_memberships::relation,
                organizations::kind,
                organizations::participation_mode,
            ))
            .load(c))?;
        for (staff_id, relation, kind, mode) in rows {
            let tie = ties.entry(staff_id).or_default();
            if *relation == MembershipRelation::Contract
                && matches!(*kind, OrganizationKind::Center | OrganizationKind::Branch)
            {
                tie.0 = true;
            }
            if let (MembershipRelation::Member, Some(mode)) = (*relation, mode) {
                tie.1.push(*mode);
            }
        }
    }
    Ok(ties)
}

/// Which cases a reading takes; deleted cases never.
#[derive(Clone, Copy)]
pub(crate) enum Selection<'a> {
    /// Of these organizations, in hand at some time from `from` to `to`: accepted by `to`
    /// and not ended before `from`.
    InHand {
        organizations: &'a [String],
        from: NaiveDate,
        to: NaiveDate,
    },
    /// Of these organizations, accepted from `from` to `to`.
    AcceptedIn {
        organizations: &'a [String],
        from: NaiveDate,
        to: NaiveDate,
    },
    /// Of these organizations, every accepted case.
    Accepted { organizations: &'a [String] },
    /// These cases.
    Ids(&'a [String]),
}

/// The facts of the cases `selection` takes.
fn facts(conn: &mut DbConnection, selection: Selection) -> StoreResult<Vec<CaseFacts>> {
    let (keys, by_id) = match selection {
        Selection::Ids(ids) => (ids, true),
        Selection::InHand { organizations, .. }
        | Selection::AcceptedIn { organizations, .. }
        | Selection::Accepted { organizations } => (organizations, false),
    };
    let mut facts = Vec::new();
    // Bounded lists keep every statement under SQLite's parameter limit.
    for chunk in keys.chunks(10_000) {
        let mut query = cases::table
            .filter(cases::deleted_at.is_null())
            .select(CaseFacts::as_select())
            .into_boxed::<Backend>();
        query = if by_id {
            query.filter(cases::id.eq_any(chunk))
        } else {
            query.filter(cases::organization_id.eq_any(chunk))
        };
        query = match selection {
            Selection::InHand { from, to, .. } => query
                .filter(cases::accepted_on.le(to))
                .filter(cases::closed_on.is_null().or(cases::closed_on.ge(from))),
            Selection::AcceptedIn { from, to, .. } => {
                query.filter(cases::accepted_on.between(from, to))
            }
            Selection::Accepted { .. } => query.filter(cases::accepted_on.is_not_null()),
            Selection::Ids(_) => query,
        };
        let rows: Vec<CaseFacts> = query.load(conn)?;
        facts.extend(rows);
    }
    Ok(facts)
}

/// The cases `selection` takes, each with its organization.
pub(crate) fn case_records(
    conn: &mut DbConnection,
    selection: Selection,
) -> StoreResult<Vec<(String, Identified<CaseRecord>)>> {
    let facts = facts(conn, selection)?;
    let ties = ties(conn, &facts.iter().collect::<Vec<_>>())?;
    Ok(facts
        .into_iter()
        .map(|c| (c.organization_id.clone(), c.into_record(&ties)))
        .collect())
}

/// The cases of `organizations` that were in hand at some time from `from` to `to`: accepted
/// by `to` and not ended before `from` (deleted cases are not counted).
pub fn cases_in_hand(
    conn: &mut DbConnection,
    organizations: &[String],
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<Identified<CaseRecord>>> {
    let selection = Selection::InHand {
        organizations,
        from,
        to,
    };
    Ok(case_records(conn, selection)?
        .into_iter()
        .map(|(_, r)| r)
        .collect())
}

/// The persons aided in the cases of `organizations` accepted from `from` to `to`, one per
/// case (deleted cases are not counted), with their gender and proven categories, and
/// whether a transferred case's source had been accepted already.
pub fn person_times(
    conn: &mut DbConnection,
    organizations: &[String],
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<Identified<PersonTimeRecord>>> {
    let selection = Selection::AcceptedIn {
        organizations,
        from,
        to,
    };
    Ok(person_records(conn, selection)?
        .into_iter()
        .map(|(_, r)| r)
        .collect())
}

/// The persons aided in the cases `selection` takes, one per case, each with the case's
/// organization.
pub(crate) fn person_records(
    conn: &mut DbConnection,
    selection: Selection,
) -> StoreResult<Vec<(String, Identified<PersonTimeRecord>)>> {
    let facts = facts(conn, selection)?;
    let mut recipient_ids: Vec<String> = facts.iter().map(|c| c.recipient_id.clone()).collect();
    recipient_ids.sort_unstable();
    recipient_ids.dedup();
    let mut genders = HashMap::new();
    let mut proofs: HashMap<String, Vec<_>> = HashMap::new();
    for chunk in recipient_ids.chunks(10_000) {
        let rows: Vec<(String, Option<Code<Gender>>)> =
            crate::on_engine!(conn, |c| recipients::table
                .filter(recipients::id.eq_any(chunk))
                .select((recipients::id, recipients::gender))
                .load(c))?;
        genders.extend(rows);
        for proof in crate::recipients::proofs::proofs_of(conn, chunk)? {
            proofs
                .entry(proof.recipient_id.clone())
                .or_default()
                .push(proof.to_domain());
        }
    }
    let sources: Vec<String> = facts
        .iter()
        .filter_map(|c| c.transferred_from_case_id.clone())
        .collect();
    let mut accepted_sources = HashSet::new();
    for chunk in sources.chunks(10_000) {
        let rows: Vec<String> = crate::on_engine!(conn, |c| cases::table
            .filter(cases::id.eq_any(chunk))
            .filter(cases::deleted_at.is_null())
            .filter(cases::accepted_on.is_not_null())
            .select(cases::id)
            .load(c))?;
        accepted_sources.extend(rows);
    }
    let ties = ties(conn, &facts.iter().collect::<Vec<_>>())?;
    Ok(facts
        .into_iter()
        .map(|case| {
            let recipient_id = case.recipient_id.clone();
            let organization_id = case.organization_id.clone();
            let proofs = proofs.get(&recipient_id).map_or(&[][..], Vec::as_slice);
            let counted_where_first_accepted = case
                .transferred_from_case_id
                .as_ref()
                .is_some_and(|id| accepted_sources.contains(id));
            let case = case.into_record(&ties);
            let record = Identified {
                id: case.id,
                record: PersonTimeRecord {
                    counted_where_first_accepted,
                    gender: genders.get(&recipient_id).copied().flatten().map(|g| *g),
                    category: statistical_category(proofs).map(|(c, _)| c),
                    proven: proven_categories(proofs)
                        .into_iter()
                        .map(|(c, _)| c)
                        .collect(),
                    case: case.record,
                },
            };
            (organization_id, record)
        })
        .collect())
}
