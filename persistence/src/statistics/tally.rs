//! The tallies of cases and person-times (`tgpl_domain::statistics::tally`), kept in the same
//! transaction as every change that moves them, and read to fill a form for a period of whole
//! months without reading its cases.
//!
//! A change is wrapped: [`Moving::before`] reads what the records it may move contribute,
//! the change is written, and [`Moving::settle`] reads them again and writes the difference
//! into the tallies. The records are read by the same code that fills a form from the
//! records, so the tallies cannot count by another rule. Each tally row is a packed map from
//! key to counts; on PostgreSQL the rows a change touches are locked in key order, so that
//! concurrent changes neither lose an update nor deadlock on each other.

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;
use tgpl_domain::statistics::tally::{
    case_contributions, person_contribution, Bucket, CaseFlows, CaseKey, CaseTally, PersonKey,
    PersonTally, Plan,
};
use tgpl_domain::statistics::{CaseRecord, Identified, PersonTimeRecord};

use super::cases::{case_records, person_records, Selection};
use crate::db::DbConnection;
use crate::error::StoreResult;
use crate::schema::{cases, statistics_tallies, statistics_tallies_state};

const CASES: &str = "cases";
const PERSONS: &str = "persons";

/// The tallies of one kind in one organization's bucket.
type Row = (String, &'static str, String);

/// Changes to tallies, by row and key.
#[derive(Default)]
struct Delta {
    cases: BTreeMap<Row, BTreeMap<u32, CaseFlows>>,
    persons: BTreeMap<Row, BTreeMap<u64, i64>>,
}

impl Delta {
    fn add_cases(&mut self, records: &[(String, Identified<CaseRecord>)], sign: i64) {
        for (org, case) in records {
            for (day, key, flows) in case_contributions(&case.record) {
                for bucket in Bucket::of(day) {
                    let row = (org.clone(), CASES, bucket.code());
                    let entry = self.cases.entry(row).or_default().entry(key.0).or_default();
                    entry.add(&flows, sign);
                }
            }
        }
    }

    fn add_persons(&mut self, records: &[(String, Identified<PersonTimeRecord>)], sign: i64) {
        for (org, person) in records {
            if let Some((day, key)) = person_contribution(&person.record) {
                for bucket in Bucket::of(day) {
                    let row = (org.clone(), PERSONS, bucket.code());
                    *self
                        .persons
                        .entry(row)
                        .or_default()
                        .entry(key.0)
                        .or_default() += sign;
                }
            }
        }
    }
}

/// What the records a change may move contributed before it.
pub struct Moving {
    case_ids: Vec<String>,
    before: Option<Delta>,
}

impl Moving {
    /// Reads what the cases `case_ids` contribute now (nothing while the tallies are not
    /// built: a rebuild will count them).
    pub fn before(conn: &mut DbConnection, case_ids: Vec<String>) -> StoreResult<Self> {
        let before = if is_built(conn)? && !case_ids.is_empty() {
            Some(contributions(conn, &case_ids)?)
        } else {
            None
        };
        Ok(Self { case_ids, before })
    }

    /// Writes into the tallies what the change moved: the cases' contributions now, less
    /// those before.
    pub fn settle(self, conn: &mut DbConnection) -> StoreResult<()> {
        let Some(before) = self.before else {
            return Ok(());
        };
        let after = contributions(conn, &self.case_ids)?;
        let mut delta = Delta::default();
        merge(&mut delta, after, 1);
        merge(&mut delta, before, -1);
        write(conn, delta)
    }
}

/// The cases whose figures a change of these cases may move: themselves, and the cases
/// transferred in from them (whether a source was accepted decides where a person counts).
pub fn cases_moved_with(conn: &mut DbConnection, ids: &[String]) -> StoreResult<Vec<String>> {
    let mut all = ids.to_vec();
    for chunk in ids.chunks(10_000) {
        let next: Vec<String> = crate::on_engine!(conn, |c| cases::table
            .filter(cases::transferred_from_case_id.is_not_null())
            .filter(cases::transferred_from_case_id.eq_any(chunk))
            .select(cases::id)
            .load(c))?;
        all.extend(next);
    }
    all.sort_unstable();
    all.dedup();
    Ok(all)
}

fn contributions(conn: &mut DbConnection, ids: &[String]) -> StoreResult<Delta> {
    let mut delta = Delta::default();
    delta.add_cases(&case_records(conn, Selection::Ids(ids))?, 1);
    delta.add_persons(&person_records(conn, Selection::Ids(ids))?, 1);
    Ok(delta)
}

fn merge(into: &mut Delta, from: Delta, sign: i64) {
    for (row, entries) in from.cases {
        let target = into.cases.entry(row).or_default();
        for (key, flows) in entries {
            target.entry(key).or_default().add(&flows, sign);
        }
    }
    for (row, entries) in from.persons {
        let target = into.persons.entry(row).or_default();
        for (key, count) in entries {
            *target.entry(key).or_default() += sign * count;
        }
    }
}

/// Whether the tallies hold every record (false on a new database until the first rebuild,
/// and after a bulk load).
pub fn is_built(conn: &mut DbConnection) -> StoreResult<bool> {
    Ok(statistics_tallies_state::table
        .select(statistics_tallies_state::built)
        .first::<bool>(conn)
        .optional()?
        .unwrap_or(false))
}

/// Counts every record into the tallies anew, in one transaction: for a new database, and
/// after a bulk load that wrote cases without them. Answers how many cases it counted.
pub fn rebuild(conn: &mut DbConnection) -> StoreResult<usize> {
    crate::db::write_transaction(conn, |conn| {
        diesel::delete(statistics_tallies::table).execute(conn)?;
        let organizations: Vec<String> = crate::on_engine!(conn, |c| cases::table
            .select(cases::organization_id)
            .distinct()
            .load(c))?;
        let mut counted = 0;
        // One organization at a time keeps the memory to one centre's cases.
        for org in organizations {
            let orgs = std::slice::from_ref(&org);
            let mut delta = Delta::default();
            let cases = case_records(
                conn,
                Selection::Accepted {
                    organizations: orgs,
                },
            )?;
            counted += cases.len();
            delta.add_cases(&cases, 1);
            delta.add_persons(
                &person_records(
                    conn,
                    Selection::Accepted {
                        organizations: orgs,
                    },
                )?,
                1,
            );
            write(conn, delta)?;
        }
        diesel::update(statistics_tallies_state::table)
            .set(statistics_tallies_state::built.eq(true))
            .execute(conn)?;
        Ok(counted)
    })
}

/// Marks the tallies as out of date, for a bulk load that writes cases around them.
pub fn invalidate(conn: &mut DbConnection) -> StoreResult<()> {
    diesel::update(statistics_tallies_state::table)
        .set(statistics_tallies_state::built.eq(false))
        .execute(conn)?;
    Ok(())
}

fn write(conn: &mut DbConnection, delta: Delta) -> StoreResult<()> {
    // BTreeMaps iterate in key order: every change locks its rows in the same order.
    for (row, entries) in delta.cases {
        update_row(conn, &row, |data| {
            let mut map: BTreeMap<u32, CaseFlows> = decode_cases(data).collect();
            for (key, flows) in &entries {
                map.entry(*key).or_default().add(flows, 1);
            }
            map.retain(|_, f| !f.is_zero());
            encode_cases(&map)
        })?;
    }
    for (row, entries) in delta.persons {
        update_row(conn, &row, |data| {
            let mut map: BTreeMap<u64, i64> = decode_persons(data).collect();
            for (key, count) in &entries {
                *map.entry(*key).or_default() += count;
            }
            map.retain(|_, n| *n != 0);
            encode_persons(&map)
        })?;
    }
    Ok(())
}

/// Rewrites one tally row with `change` of its data, creating it empty first; a row left
/// empty is removed.
fn update_row(
    conn: &mut DbConnection,
    (org, family, bucket): &Row,
    change: impl FnOnce(&[u8]) -> Vec<u8>,
) -> StoreResult<()> {
    use statistics_tallies::dsl as t;
    let key = t::organization_id
        .eq(org)
        .and(t::family.eq(*family))
        .and(t::bucket.eq(bucket));
    let current: Option<Vec<u8>> = match conn {
        DbConnection::Pg(c) => {
            diesel::insert_into(t::statistics_tallies)
                .values((
                    t::organization_id.eq(org),
                    t::family.eq(*family),
                    t::bucket.eq(bucket),
                    t::data.eq(Vec::<u8>::new()),
                ))
                .on_conflict_do_nothing()
                .execute(c)?;
            t::statistics_tallies
                .filter(key)
                .select(t::data)
                .for_update()
                .first(c)
                .optional()?
        }
        DbConnection::Sqlite(c) => t::statistics_tallies
            .filter(key)
            .select(t::data)
            .first(c)
            .optional()?,
    };
    let data = change(current.as_deref().unwrap_or_default());
    if data.is_empty() {
        crate::on_engine!(conn, |c| diesel::delete(t::statistics_tallies.filter(key))
            .execute(c))?;
    } else if current.is_some() {
        crate::on_engine!(conn, |c| diesel::update(t::statistics_tallies.filter(key))
            .set(t::data.eq(&data))
            .execute(c))?;
    } else {
        crate::on_engine!(conn, |c| diesel::insert_into(t::statistics_tallies)
            .values((
                t::organization_id.eq(org),
                t::family.eq(*family),
                t::bucket.eq(bucket),
                t::data.eq(&data),
            ))
            .execute(c))?;
    }
    Ok(())
}

const CASE_ENTRY: usize = 4 + 4 * 8;
const PERSON_ENTRY: usize = 8 + 8;

fn encode_cases(map: &BTreeMap<u32, CaseFlows>) -> Vec<u8> {
    let mut out = Vec::with_capacity(map.len() * CASE_ENTRY);
    for (key, f) in map {
        out.extend_from_slice(&key.to_le_bytes());
        for n in [
            f.accepted_new,
            f.accepted_transferred_in,
            f.finished,
            f.transferred_out,
        ] {
            out.extend_from_slice(&n.to_le_bytes());
        }
    }
    out
}

fn decode_cases(data: &[u8]) -> impl Iterator<Item = (u32, CaseFlows)> + '_ {
    data.chunks_exact(CASE_ENTRY).map(|e| {
        let n =
            |i: usize| i64::from_le_bytes(e[4 + 8 * i..12 + 8 * i].try_into().unwrap_or_default());
        (
            u32::from_le_bytes(e[..4].try_into().unwrap_or_default()),
            CaseFlows {
                accepted_new: n(0),
                accepted_transferred_in: n(1),
                finished: n(2),
                transferred_out: n(3),
            },
        )
    })
}

fn encode_persons(map: &BTreeMap<u64, i64>) -> Vec<u8> {
    let mut out = Vec::with_capacity(map.len() * PERSON_ENTRY);
    for (key, n) in map {
        out.extend_from_slice(&key.to_le_bytes());
        out.extend_from_slice(&n.to_le_bytes());
    }
    out
}

fn decode_persons(data: &[u8]) -> impl Iterator<Item = (u64, i64)> + '_ {
    data.chunks_exact(PERSON_ENTRY).map(|e| {
        (
            u64::from_le_bytes(e[..8].try_into().unwrap_or_default()),
            i64::from_le_bytes(e[8..].try_into().unwrap_or_default()),
        )
    })
}

/// The tally rows of `family` for `organizations` of the months `months` and of the reporting
/// years whose bucket sorts before `years_before` (none when `None`), as (bucket, data).
fn rows(
    conn: &mut DbConnection,
    organizations: &[String],
    family: &str,
    months: &[String],
    years_before: Option<&str>,
) -> StoreResult<Vec<(String, Vec<u8>)>> {
    use statistics_tallies::dsl as t;
    // "Y" sorts before every year bucket: no year at all.
    let years_before = years_before.unwrap_or("Y");
    let mut rows = Vec::new();
    for chunk in organizations.chunks(10_000) {
        let found: Vec<(String, Vec<u8>)> = crate::on_engine!(conn, |c| t::statistics_tallies
            .filter(t::family.eq(family))
            .filter(t::organization_id.eq_any(chunk))
            .filter(
                t::bucket
                    .eq_any(months)
                    .or(t::bucket.ge("Y").and(t::bucket.lt(years_before))),
            )
            .select((t::bucket, t::data))
            .load(c))?;
        rows.extend(found);
    }
    Ok(rows)
}

/// The tallies of the cases of `organizations` for a period of whole months (`plan`), or
/// `None` while the tallies are not built.
pub fn case_tallies(
    conn: &mut DbConnection,
    organizations: &[String],
    plan: &Plan,
) -> StoreResult<Option<Vec<CaseTally>>> {
    if !is_built(conn)? {
        return Ok(None);
    }
    let within: Vec<String> = plan.within.iter().map(Bucket::code).collect();
    let months: Vec<String> = plan
        .months_before
        .iter()
        .chain(&plan.within)
        .map(Bucket::code)
        .collect();
    let mut sums: HashMap<u32, (CaseFlows, CaseFlows)> = HashMap::new();
    for (bucket, data) in rows(
        conn,
        organizations,
        CASES,
        &months,
        Some(&plan.years_before),
    )? {
        let inside = within.contains(&bucket);
        for (key, flows) in decode_cases(&data) {
            let (before, during) = sums.entry(key).or_default();
            if inside { during } else { before }.add(&flows, 1);
        }
    }
    Ok(Some(
        sums.into_iter()
            .map(|(key, (before, within))| CaseTally::new(CaseKey(key), before, within))
            .collect(),
    ))
}

/// The tallies of the person-times of `organizations` accepted in a period of whole months
/// (`plan`), or `None` while the tallies are not built.
pub fn person_tallies(
    conn: &mut DbConnection,
    organizations: &[String],
    plan: &Plan,
) -> StoreResult<Option<Vec<PersonTally>>> {
    if !is_built(conn)? {
        return Ok(None);
    }
    let within: Vec<String> = plan.within.iter().map(Bucket::code).collect();
    let mut sums: HashMap<u64, i64> = HashMap::new();
    // Person-times count in the period they are accepted in: its own months alone.
    for (_, data) in rows(conn, organizations, PERSONS, &within, None)? {
        for (key, n) in decode_persons(&data) {
            *sums.entry(key).or_default() += n;
        }
    }
    Ok(Some(
        sums.into_iter()
            .map(|(key, count)| PersonTally {
                key: PersonKey(key),
                count,
            })
            .collect(),
    ))
}

/// The cases of the person `recipient_id`: their figures move with the person's gender and
/// proofs.
pub fn cases_of_recipient(conn: &mut DbConnection, recipient_id: &str) -> StoreResult<Vec<String>> {
    Ok(crate::on_engine!(conn, |c| cases::table
        .filter(cases::recipient_id.eq(recipient_id))
        .select(cases::id)
        .load(c))?)
}

/// The cases given by `staff_ids`: their figures move with the providers' ties (form 25's
/// affiliations).
pub fn cases_given_by(conn: &mut DbConnection, staff_ids: &[String]) -> StoreResult<Vec<String>> {
    let mut ids = Vec::new();
    for chunk in staff_ids.chunks(10_000) {
        let found: Vec<String> = crate::on_engine!(conn, |c| cases::table
            .filter(cases::provider_id.eq_any(chunk))
            .select(cases::id)
            .load(c))?;
        ids.extend(found);
    }
    Ok(ids)
}

/// The cases given by members of the organization `org_id`: their figures move with how it
/// takes part.
pub fn cases_given_by_members_of(
    conn: &mut DbConnection,
    org_id: &str,
) -> StoreResult<Vec<String>> {
    use crate::schema::staff_memberships;
    let members: Vec<String> = crate::on_engine!(conn, |c| staff_memberships::table
        .filter(staff_memberships::organization_id.eq(org_id))
        .select(staff_memberships::staff_id)
        .distinct()
        .load(c))?;
    cases_given_by(conn, &members)
}
