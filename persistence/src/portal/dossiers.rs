//! Dossiers and their documents.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::Integer;
use serde::Serialize;
use tgpl_domain::portal::dossier::{Channel, Dossier, DossierStatus, Pause};
use tgpl_domain::portal::procedure::ProcedureKind;

use crate::column::Code;
use crate::db::{Backend, DbConnection};
use crate::error::{StoreError, StoreResult};
use crate::page::{PageRequest, Paged};
use crate::schema::{dossier_documents, dossiers};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Serialize)]
#[diesel(table_name = dossiers, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct DossierRow {
    pub id: String,
    /// The portal's dossier code (mã hồ sơ), unique nationally.
    pub dossier_code: String,
    pub procedure_code: String,
    pub procedure_kind: Code<ProcedureKind>,
    pub organization_id: String,
    /// The handling organization's province, for the six-monthly report.
    pub province_code: String,
    pub channel: Code<Channel>,
    /// JSON: the applicant as filed.
    pub applicant: String,
    /// JSON: how to reach the applicant.
    pub contact: String,
    pub summary: String,
    /// JSON: the person to be aided, their category and proof, the matter.
    pub legal_aid: Option<String>,
    pub case_code: Option<String>,
    pub card_number: Option<String>,
    /// UTC.
    #[serde(serialize_with = "crate::instant::utc")]
    pub received_at: NaiveDateTime,
    pub counting_from: NaiveDate,
    pub due_on: NaiveDate,
    pub status: Code<DossierStatus>,
    pub resume_to: Option<Code<DossierStatus>>,
    pub days_left: Option<i32>,
    pub finished_on: Option<NaiveDate>,
    /// The last step's note: reasons of a refusal, the documents asked for, the result.
    pub note: Option<String>,
    /// For an accepted request for legal aid: the case opened and the person aided.
    pub case_id: Option<String>,
    pub recipient_id: Option<String>,
    pub version: i64,
    #[serde(serialize_with = "crate::instant::utc")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::instant::utc")]
    pub updated_at: NaiveDateTime,
}

crate::versioned::versioned_rows!(DossierRow);

impl DossierRow {
    /// What the domain's steps read.
    pub fn dossier(&self) -> Dossier {
        Dossier {
            procedure: *self.procedure_kind,
            status: *self.status,
            due_on: self.due_on,
            paused: self.resume_to.map(|r| Pause {
                resume_to: *r,
                days_left: self.days_left.unwrap_or(0),
            }),
            finished_on: self.finished_on,
        }
    }

    /// Takes what a step decided.
    pub fn set_dossier(&mut self, d: &Dossier) {
        self.status = Code(d.status);
        self.due_on = d.due_on;
        self.resume_to = d.paused.map(|p| Code(p.resume_to));
        self.days_left = d.paused.map(|p| p.days_left);
        self.finished_on = d.finished_on;
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = dossier_documents, treat_none_as_default_value = false)]
pub struct DocumentRow {
    pub id: String,
    pub dossier_id: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub content: Vec<u8>,
    pub received_at: NaiveDateTime,
}

/// A document without its bytes, for lists.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = dossier_documents)]
pub struct DocumentInfo {
    pub id: String,
    pub dossier_id: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    #[serde(serialize_with = "crate::instant::utc")]
    pub received_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, row: &DossierRow) -> StoreResult<()> {
    crate::on_engine!(&mut *conn, |c| diesel::insert_into(dossiers::table)
        .values(row)
        .execute(c))?;
    Ok(())
}

pub fn add_documents(conn: &mut DbConnection, documents: &[DocumentRow]) -> StoreResult<()> {
    for document in documents {
        crate::on_engine!(&mut *conn, |c| diesel::insert_into(
            dossier_documents::table
        )
        .values(document)
        .execute(c))?;
    }
    Ok(())
}

pub fn get(conn: &mut DbConnection, id: &str) -> StoreResult<DossierRow> {
    crate::on_engine!(conn, |c| dossiers::table
        .find(id)
        .select(DossierRow::as_select())
        .first(c))
    .map_err(StoreError::from)
}

/// The dossier whose acceptance opened the case `case_id`, if one did.
pub fn of_case(conn: &mut DbConnection, case_id: &str) -> StoreResult<Option<DossierRow>> {
    crate::on_engine!(conn, |c| dossiers::table
        .filter(dossiers::case_id.eq(case_id))
        .select(DossierRow::as_select())
        .first(c)
        .optional())
    .map_err(StoreError::from)
}

/// Saves `after` over `before` if nobody changed it meanwhile ([`StoreError::VersionMismatch`]).
pub fn save(conn: &mut DbConnection, before: &DossierRow, after: &DossierRow) -> StoreResult<()> {
    let updated = diesel::update(
        dossiers::table
            .find(&before.id)
            .filter(dossiers::version.eq(before.version)),
    )
    .set(after)
    .execute(conn)?;
    if updated == 0 {
        return Err(StoreError::VersionMismatch);
    }
    Ok(())
}

pub fn documents(conn: &mut DbConnection, dossier_id: &str) -> StoreResult<Vec<DocumentInfo>> {
    Ok(dossier_documents::table
        .filter(dossier_documents::dossier_id.eq(dossier_id))
        .order((dossier_documents::received_at, dossier_documents::id))
        .select(DocumentInfo::as_select())
        .load(conn)?)
}

pub fn document(conn: &mut DbConnection, dossier_id: &str, id: &str) -> StoreResult<DocumentRow> {
    Ok(dossier_documents::table
        .find(id)
        .filter(dossier_documents::dossier_id.eq(dossier_id))
        .select(DocumentRow::as_select())
        .first(conn)?)
}

#[derive(Debug, Clone, Default)]
pub struct DossierFilter {
    /// Handled by one of these organizations; `None` for everywhere.
    pub organizations: Option<Vec<String>>,
    pub status: Option<DossierStatus>,
    pub procedure: Option<ProcedureKind>,
    /// Only those overdue on this day (`true`), or only those not (`false`), as
    /// `Dossier::is_overdue` says.
    pub overdue_on: Option<(NaiveDate, bool)>,
    pub dossier_code: Option<String>,
    /// Received on or after this instant (UTC), and before the next.
    pub received_from: Option<NaiveDateTime>,
    pub received_before: Option<NaiveDateTime>,
}

fn filtered(f: &DossierFilter) -> dossiers::BoxedQuery<'static, Backend> {
    let mut q = dossiers::table.into_boxed::<Backend>();
    if let Some(ids) = &f.organizations {
        q = q.filter(dossiers::organization_id.eq_any(ids.clone()));
    }
    if let Some(s) = f.status {
        q = q.filter(dossiers::status.eq(Code(s)));
    }
    if let Some(p) = f.procedure {
        q = q.filter(dossiers::procedure_kind.eq(Code(p)));
    }
    if let Some((today, overdue)) = f.overdue_on {
        // As `Dossier::is_overdue`: past its date with the clock running, already past it
        // when the clock stopped for documents, or finished after it.
        let running_late = dossiers::status
            .eq_any([
                Code(DossierStatus::Received),
                Code(DossierStatus::InProgress),
            ])
            .and(dossiers::due_on.lt(today));
        // Never NULL, so that `not` takes exactly the others.
        let paused_late = dossiers::status
            .eq(Code(DossierStatus::AwaitingSupplement))
            .and(dossiers::days_left.is_not_null())
            .and(dossiers::days_left.assume_not_null().lt(0));
        let finished_late = dossiers::status
            .eq_any([Code(DossierStatus::Refused), Code(DossierStatus::Completed)])
            .and(dossiers::finished_on.is_not_null())
            .and(dossiers::finished_on.assume_not_null().gt(dossiers::due_on));
        let late = running_late.or(paused_late).or(finished_late);
        q = if overdue {
            q.filter(late)
        } else {
            q.filter(diesel::dsl::not(late))
        };
    }
    if let Some(code) = &f.dossier_code {
        q = q.filter(dossiers::dossier_code.eq(code.clone()));
    }
    if let Some(from) = f.received_from {
        q = q.filter(dossiers::received_at.ge(from));
    }
    if let Some(before) = f.received_before {
        q = q.filter(dossiers::received_at.lt(before));
    }
    q
}

/// The work queue's order: dossiers whose clock runs first, by promised date (so the
/// overdue come first), then those awaiting documents, then the finished; then by receipt.
pub fn list(
    conn: &mut DbConnection,
    filter: &DossierFilter,
    page: PageRequest,
) -> StoreResult<Paged<DossierRow>> {
    let queue = sql::<Integer>(
        "CASE status WHEN 'received' THEN 0 WHEN 'in_progress' THEN 0 \
         WHEN 'awaiting_supplement' THEN 1 ELSE 2 END",
    );
    let items = filtered(filter)
        .order((
            queue.asc(),
            dossiers::due_on.asc(),
            dossiers::received_at.asc(),
            dossiers::id.asc(),
        ))
        .limit(page.limit())
        .offset(page.offset())
        .select(DossierRow::as_select())
        .load(conn)?;
    Ok(Paged::counted(items, page, || {
        filtered(filter).count().get_result(conn)
    })?)
}

/// What the six-monthly report reads of the dossiers received before `received_before`
/// (UTC) and not finished before `finished_from`.
pub type ReportFacts = (
    String,
    Code<ProcedureKind>,
    Code<Channel>,
    NaiveDateTime,
    NaiveDate,
    Option<NaiveDate>,
    Code<DossierStatus>,
);

pub fn report_facts(
    conn: &mut DbConnection,
    received_before: NaiveDateTime,
    finished_from: NaiveDate,
    organizations: Option<&[String]>,
) -> StoreResult<Vec<ReportFacts>> {
    let mut q = dossiers::table
        .filter(dossiers::received_at.lt(received_before))
        .filter(
            dossiers::finished_on
                .is_null()
                .or(dossiers::finished_on.ge(finished_from)),
        )
        .into_boxed::<Backend>();
    if let Some(ids) = organizations {
        q = q.filter(dossiers::organization_id.eq_any(ids.to_vec()));
    }
    Ok(q.select((
        dossiers::province_code,
        dossiers::procedure_kind,
        dossiers::channel,
        dossiers::received_at,
        dossiers::due_on,
        dossiers::finished_on,
        dossiers::status,
    ))
    .load(conn)?)
}

/// The dossier codes of `ids`.
pub fn codes_of(
    conn: &mut DbConnection,
    ids: &[String],
) -> StoreResult<std::collections::HashMap<String, String>> {
    let rows: Vec<(String, String)> = dossiers::table
        .filter(dossiers::id.eq_any(ids))
        .select((dossiers::id, dossiers::dossier_code))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// Whether a case with `code` is handled by one of `organizations` (a dossier about a case
/// names it by its code).
pub fn case_handled_by(
    conn: &mut DbConnection,
    code: &str,
    organizations: &[String],
) -> StoreResult<bool> {
    use crate::schema::cases;
    let found: i64 = cases::table
        .filter(cases::code.eq(code))
        .filter(cases::deleted_at.is_null())
        .filter(cases::organization_id.eq_any(organizations))
        .count()
        .get_result(conn)?;
    Ok(found > 0)
}
