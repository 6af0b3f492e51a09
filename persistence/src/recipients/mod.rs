//! People aided, the proofs of their categories, and the log of who read their data.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use tgpl_domain::audit::AuditAction;

use crate::audit::{self, Actor, Change};
use crate::column::Code;
use crate::db::{write_transaction, Backend, DbConnection};
use crate::error::{StoreError, StoreResult};
use crate::exclusive::{exclusive, Claim, Rule};
use crate::page::{PageRequest, Paged};
use crate::schema::{cases, recipient_access_log, recipient_proofs, recipients};
use crate::statistics::tally;
use tgpl_domain::label::Vocabulary;
use tgpl_domain::recipient::DataAccess;
use tgpl_domain::reference::{EthnicGroup, Gender, RecipientCategory};

pub mod proofs;
pub use proofs::{proofs_of, ProofRow};

const RESOURCE: &str = "recipient";

/// What the audit log keeps of a recipient: no personal data (the audit log is read
/// without the access log), only which fields a change touched.
#[derive(Serialize)]
struct Trace {
    organization_id: String,
    version: i64,
    fields: Vec<&'static str>,
}

/// A field of a recipient and how to read it, for [`changed_fields`].
type FieldReader = (&'static str, fn(&RecipientRow) -> Option<String>);

/// The fields whose values differ between two versions of a record (all filled-in fields
/// of a new one).
fn changed_fields(before: Option<&RecipientRow>, after: &RecipientRow) -> Vec<&'static str> {
    let fields: [FieldReader; 11] = [
        ("full_name", |r| Some(r.full_name.clone())),
        ("gender", |r| r.gender.map(|g| g.to_string())),
        ("date_of_birth", |r| r.date_of_birth.map(|d| d.to_string())),
        ("ethnicity", |r| r.ethnicity.map(|e| e.to_string())),
        ("citizen_id", |r| r.citizen_id.clone()),
        ("province_code", |r| r.province_code.clone()),
        ("commune", |r| r.commune.clone()),
        ("address", |r| r.address.clone()),
        ("phone", |r| r.phone.clone()),
        ("email", |r| r.email.clone()),
        ("organization_id", |r| Some(r.organization_id.clone())),
    ];
    fields
        .iter()
        .filter(|(_, get)| match before {
            Some(b) => get(b) != get(after),
            None => get(after).is_some(),
        })
        .map(|(name, _)| *name)
        .collect()
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Serialize)]
#[diesel(table_name = recipients, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct RecipientRow {
    pub id: String,
    pub organization_id: String,
    pub full_name: String,
    #[serde(skip)]
    pub name_key: String,
    pub gender: Option<Code<Gender>>,
    pub date_of_birth: Option<NaiveDate>,
    pub ethnicity: Option<Code<EthnicGroup>>,
    pub citizen_id: Option<String>,
    pub province_code: Option<String>,
    pub commune: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Derived from the proofs by `tgpl_domain::recipient::statistical_category`.
    pub statistical_category: Option<Code<RecipientCategory>>,
    pub category_proven_on: Option<NaiveDate>,
    pub version: i64,
    #[serde(serialize_with = "crate::instant::utc")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::instant::utc")]
    pub updated_at: NaiveDateTime,
}

crate::versioned::versioned_rows!(RecipientRow);

impl RecipientRow {
    /// A new record of `full_name` received by `organization_id`, whose other fields are
    /// empty; `name_key` is the name folded for the duplicate check.
    pub fn new(organization_id: String, full_name: String, name_key: String) -> Self {
        let now = crate::now();
        Self {
            id: crate::new_id(),
            organization_id,
            full_name,
            name_key,
            gender: None,
            date_of_birth: None,
            ethnicity: None,
            citizen_id: None,
            province_code: None,
            commune: None,
            address: None,
            phone: None,
            email: None,
            statistical_category: None,
            category_proven_on: None,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }
}

pub fn insert(conn: &mut DbConnection, actor: &Actor, row: &RecipientRow) -> StoreResult<()> {
    write_transaction(conn, |conn| {
        diesel::insert_into(recipients::table)
            .values(row)
            .execute(conn)?;
        audit::record(
            conn,
            actor,
            Change::created(
                AuditAction::RecipientCreate,
                RESOURCE,
                &row.id,
                &Trace {
                    organization_id: row.organization_id.clone(),
                    version: row.version,
                    fields: changed_fields(None, row),
                },
            ),
        )
    })
}

pub fn get(conn: &mut DbConnection, id: &str) -> StoreResult<RecipientRow> {
    crate::on_engine!(conn, |c| recipients::table
        .find(id)
        .select(RecipientRow::as_select())
        .first(c))
    .map_err(StoreError::from)
}

pub fn save(
    conn: &mut DbConnection,
    actor: &Actor,
    before: &RecipientRow,
    after: &RecipientRow,
) -> StoreResult<()> {
    let fields = changed_fields(Some(before), after);
    let trace = |r: &RecipientRow| Trace {
        organization_id: r.organization_id.clone(),
        version: r.version,
        fields: fields.clone(),
    };
    crate::db::write_transaction(conn, |conn| {
        // A person-time's figures move with the person's gender.
        let cases = tally::cases_of_recipient(conn, &after.id)?;
        let moving = tally::Moving::before(conn, cases)?;
        crate::save_versioned!(
            conn,
            actor,
            AuditAction::RecipientUpdate,
            RESOURCE,
            recipients.id,
            before,
            after,
            trace
        )?;
        moving.settle(conn)
    })
}

/// Who handles a person, for reads ([`handling_organizations`]) and lists
/// ([`RecipientFilter::organizations`]) alike: the organization that received them, and every
/// organization with one of their cases that was not deleted (a case transferred in from
/// another province included). This is what makes a case one of those.
fn handling_case() -> diesel::dsl::IsNull<cases::deleted_at> {
    cases::deleted_at.is_null()
}

/// The people of the cases `staff_id` performs (see [`handling_case`]): a few, a lawyer's
/// caseload.
fn performed_by(conn: &mut DbConnection, staff_id: &str) -> StoreResult<Vec<String>> {
    Ok(cases::table
        .filter(handling_case())
        .filter(cases::provider_id.eq(staff_id))
        .select(cases::recipient_id)
        .distinct()
        .load(conn)?)
}

/// Whether `staff_id` performs a case of the recipient `id` (see [`handling_case`]).
pub fn performs_for(conn: &mut DbConnection, staff_id: &str, id: &str) -> StoreResult<bool> {
    let found: i64 = cases::table
        .filter(handling_case())
        .filter(cases::provider_id.eq(staff_id))
        .filter(cases::recipient_id.eq(id))
        .count()
        .get_result(conn)?;
    Ok(found > 0)
}

/// The earliest day of the person `id`'s record: a case of theirs received (see
/// [`handling_case`]), a proof provided. A date of birth may not come after it.
pub fn earliest_record_day(conn: &mut DbConnection, id: &str) -> StoreResult<Option<NaiveDate>> {
    let received: Option<NaiveDate> = cases::table
        .filter(handling_case())
        .filter(cases::recipient_id.eq(id))
        .select(diesel::dsl::min(cases::received_on))
        .first(conn)?;
    let provided: Option<NaiveDate> = recipient_proofs::table
        .filter(recipient_proofs::recipient_id.eq(id))
        .select(diesel::dsl::min(recipient_proofs::provided_on))
        .first(conn)?;
    Ok(received.into_iter().chain(provided).min())
}

/// The organizations whose staff may see a recipient: the one that received them and every
/// one handling one of their cases (see [`handling_case`]).
pub fn handling_organizations(
    conn: &mut DbConnection,
    row: &RecipientRow,
) -> StoreResult<Vec<String>> {
    let mut orgs: Vec<String> = cases::table
        .filter(handling_case())
        .filter(cases::recipient_id.eq(&row.id))
        .select(cases::organization_id)
        .distinct()
        .load(conn)?;
    if !orgs.contains(&row.organization_id) {
        orgs.insert(0, row.organization_id.clone());
    }
    Ok(orgs)
}

/// Records that could be the same person: the same citizen ID, or the same folded name and
/// date of birth. Restricted to `within` organizations when given.
pub fn possible_duplicates(
    conn: &mut DbConnection,
    citizen_id: Option<&str>,
    name_key: &str,
    date_of_birth: Option<NaiveDate>,
    within: Option<&[String]>,
) -> StoreResult<Vec<RecipientRow>> {
    let same_person = |q: recipients::BoxedQuery<'static, Backend>| match within {
        Some(orgs) => q.filter(recipients::organization_id.eq_any(orgs.to_vec())),
        None => q,
    };
    let mut found: Vec<RecipientRow> = Vec::new();
    if let Some(cid) = citizen_id {
        found.extend(
            same_person(recipients::table.into_boxed())
                .filter(recipients::citizen_id.eq(cid.to_owned()))
                .limit(20)
                .select(RecipientRow::as_select())
                .load(conn)?,
        );
    }
    if let Some(dob) = date_of_birth {
        for row in same_person(recipients::table.into_boxed())
            .filter(recipients::name_key.eq(name_key.to_owned()))
            .filter(recipients::date_of_birth.eq(dob))
            .limit(20)
            .select(RecipientRow::as_select())
            .load(conn)?
        {
            if !found.iter().any(|f| f.id == row.id) {
                found.push(row);
            }
        }
    }
    Ok(found)
}

/// Adds a proof; the recipient's version moves with it, so its ETag covers its proofs.
pub fn add_proof(
    conn: &mut DbConnection,
    actor: &Actor,
    proof: &ProofRow,
    seen: i64,
) -> StoreResult<()> {
    /// The proof as the audit log keeps it: what it proves and when, not the document.
    #[derive(Serialize)]
    struct ProofTrace<'a> {
        kind: &'a str,
        category: Option<&'a str>,
        provided_on: NaiveDate,
    }
    // The category is derived from all the person's proofs: proofs added at once must each
    // see the others, or the last one written would decide alone.
    let claim = Claim::new(Rule::RecipientCategory, proof.recipient_id.as_str());
    exclusive(conn, &[claim], |conn| {
        // A person-time's figures move with the categories proven.
        let cases = tally::cases_of_recipient(conn, &proof.recipient_id)?;
        let moving = tally::Moving::before(conn, cases)?;
        diesel::insert_into(recipient_proofs::table)
            .values(proof)
            .execute(conn)?;
        let proofs: Vec<_> = proofs_of(conn, std::slice::from_ref(&proof.recipient_id))?
            .iter()
            .map(ProofRow::to_domain)
            .collect();
        let category = tgpl_domain::recipient::statistical_category(&proofs);
        let updated = diesel::update(
            recipients::table
                .filter(recipients::id.eq(&proof.recipient_id))
                .filter(recipients::version.eq(seen)),
        )
        .set((
            recipients::statistical_category.eq(category.map(|(c, _)| Code(c))),
            recipients::category_proven_on.eq(category.map(|(_, d)| d)),
            recipients::version.eq(seen + 1),
            recipients::updated_at.eq(crate::now()),
        ))
        .execute(conn)?;
        if updated == 0 {
            return Err(StoreError::VersionMismatch);
        }
        audit::record(
            conn,
            actor,
            Change::created(
                AuditAction::ProofAdd,
                RESOURCE,
                &proof.recipient_id,
                &ProofTrace {
                    kind: proof.kind.code(),
                    category: proof.category.map(|c| c.code()),
                    provided_on: proof.provided_on,
                },
            ),
        )?;
        moving.settle(conn)
    })
}

#[derive(Debug, Clone, Default)]
pub struct RecipientFilter {
    /// Recipients handled by these organizations (the caller's scope): received by one of
    /// them, or with a case in one of them (see [`handling_case`]).
    pub organizations: Option<Vec<String>>,
    /// The caller's scope within those organizations: only the people of a case this staff
    /// record performs (a contracted lawyer's, `tgpl_domain::case::performs_only`).
    pub performed_by: Option<String>,
    /// Already folded with `tgpl_domain::text::fold`.
    pub search: Option<String>,
    pub citizen_id: Option<String>,
    pub province_code: Option<String>,
}

/// The people the organizations `ids` handle though another organization received them:
/// those of their cases whose person was received outside `ids` (a transfer in, for one).
/// Found through the partial index `cases_foreign_recipients`, which holds only such cases,
/// so this costs nothing for a unit that has none.
fn received_elsewhere(conn: &mut DbConnection, ids: &[String]) -> StoreResult<Vec<String>> {
    Ok(cases::table
        .filter(cases::organization_id.eq_any(ids))
        .filter(handling_case())
        .filter(cases::recipient_organization_id.ne(cases::organization_id))
        .filter(cases::recipient_organization_id.ne_all(ids))
        .select(cases::recipient_id)
        .distinct()
        .load(conn)?)
}

/// The recipients `f` selects; `elsewhere` are the people its organizations handle though
/// received elsewhere (see [`received_elsewhere`]), `performed` those of the cases of its
/// `performed_by`. Plain lists rather than subqueries over the cases: each engine then reads
/// the recipients through their organization index.
fn filtered(
    f: &RecipientFilter,
    elsewhere: &[String],
    performed: Option<&[String]>,
    sqlite: bool,
) -> recipients::BoxedQuery<'static, Backend> {
    let mut q = recipients::table.into_boxed::<Backend>();
    if let Some(ids) = performed {
        q = q.filter(recipients::id.eq_any(ids.to_vec()));
    }
    if let Some(ids) = &f.organizations {
        let received_here = recipients::organization_id.eq_any(ids.clone());
        q = if elsewhere.is_empty() {
            q.filter(received_here)
        } else {
            q.filter(received_here.or(recipients::id.eq_any(elsewhere.to_vec())))
        };
    }
    if let Some(v) = &f.search {
        q = q.filter(crate::contains_folded(recipients::name_key, v, sqlite));
    }
    if let Some(v) = &f.citizen_id {
        q = q.filter(recipients::citizen_id.eq(v.clone()));
    }
    if let Some(v) = &f.province_code {
        q = q.filter(recipients::province_code.eq(v.clone()));
    }
    q
}

/// Ordered by folded name, then id.
pub fn list(
    conn: &mut DbConnection,
    filter: &RecipientFilter,
    page: PageRequest,
) -> StoreResult<Paged<RecipientRow>> {
    let sqlite = crate::db::is_sqlite(conn);
    let elsewhere = match &filter.organizations {
        Some(ids) => received_elsewhere(conn, ids)?,
        None => Vec::new(),
    };
    let performed = match &filter.performed_by {
        Some(staff_id) => Some(performed_by(conn, staff_id)?),
        None => None,
    };
    let performed = performed.as_deref();
    let items = filtered(filter, &elsewhere, performed, sqlite)
        .order((recipients::name_key.asc(), recipients::id.asc()))
        .limit(page.limit())
        .offset(page.offset())
        .select(RecipientRow::as_select())
        .load(conn)?;
    Ok(Paged::counted(items, page, || {
        filtered(filter, &elsewhere, performed, sqlite)
            .count()
            .get_result(conn)
    })?)
}

/// One read of one person's personal data: of a recipient's, or of an applicant's in a
/// dossier not linked to a recipient yet (no `recipient_id`, the dossier's id in
/// `record_id`).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = recipient_access_log, treat_none_as_default_value = false)]
pub struct Access {
    pub recipient_id: Option<String>,
    pub accessed_at: NaiveDateTime,
    pub account_id: String,
    pub username: String,
    pub role: String,
    pub org_id: String,
    pub access: Code<DataAccess>,
    pub request_id: Option<String>,
    /// The record the data was read through: the dossier, the document, the case a search
    /// found; `None` for the person's own record.
    pub record_id: Option<String>,
}

impl Access {
    /// The same read, made through `record_id`.
    pub fn through(self, record_id: &str) -> Self {
        Self {
            record_id: Some(record_id.to_owned()),
            ..self
        }
    }
}

/// Appends reads to the access log (append-only at the storage level), in one statement
/// for a page (at most 100 entries).
pub fn log_access(conn: &mut DbConnection, entries: &[Access]) -> StoreResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    write_transaction(conn, |conn| {
        crate::insert_in_batches!(&mut *conn, recipient_access_log::table, entries, 100)
    })
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = recipient_access_log)]
pub struct AccessRow {
    pub id: i64,
    pub recipient_id: Option<String>,
    #[serde(serialize_with = "crate::instant::utc")]
    pub accessed_at: NaiveDateTime,
    pub account_id: String,
    pub username: String,
    pub role: String,
    pub org_id: String,
    pub access: Code<DataAccess>,
    pub request_id: Option<String>,
    pub record_id: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AccessFilter {
    pub recipient_id: Option<String>,
    pub record_id: Option<String>,
    pub account_id: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    /// Entries up to this id, inclusive: the log as a first page saw it.
    pub until_id: Option<i64>,
}

fn access_filtered(f: &AccessFilter) -> recipient_access_log::BoxedQuery<'static, Backend> {
    let mut q = recipient_access_log::table.into_boxed::<Backend>();
    if let Some(v) = &f.recipient_id {
        q = q.filter(recipient_access_log::recipient_id.eq(v.clone()));
    }
    if let Some(v) = &f.record_id {
        q = q.filter(recipient_access_log::record_id.eq(v.clone()));
    }
    if let Some(v) = &f.account_id {
        q = q.filter(recipient_access_log::account_id.eq(v.clone()));
    }
    if let Some(v) = f.from {
        q = q.filter(recipient_access_log::accessed_at.ge(v));
    }
    if let Some(v) = f.to {
        q = q.filter(recipient_access_log::accessed_at.lt(v));
    }
    if let Some(v) = f.until_id {
        q = q.filter(recipient_access_log::id.le(v));
    }
    q
}

/// Newest first.
pub fn access_log(
    conn: &mut DbConnection,
    filter: &AccessFilter,
    page: PageRequest,
) -> StoreResult<Paged<AccessRow>> {
    let items = access_filtered(filter)
        .order((
            recipient_access_log::accessed_at.desc(),
            recipient_access_log::id.desc(),
        ))
        .limit(page.limit())
        .offset(page.offset())
        .select(AccessRow::as_select())
        .load(conn)?;
    Ok(Paged::counted(items, page, || {
        access_filtered(filter).count().get_result(conn)
    })?)
}
