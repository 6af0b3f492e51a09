//! Statistical reports sent up the chain and their revisions
//! (`tgpl_domain::statistics::reporting`). A report row says where the report stands; each
//! submission, resubmission and correction is a revision kept with the figures it froze.
//! A step changes the report under optimistic concurrency and writes its revision in the same
//! transaction, with its audit entry.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use tgpl_domain::audit::AuditAction;
use tgpl_domain::statistics::reporting::{EnteredRow, FiguresSource, ReportStatus};

use crate::audit::Actor;
use crate::column::{Code, Json};
use crate::db::{write_transaction, Backend, DbConnection};
use crate::error::{StoreError, StoreResult};
use crate::schema::{statistical_report_revisions as revisions, statistical_reports as reports};

const RESOURCE: &str = "statistical_report";

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Serialize)]
#[diesel(table_name = reports, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct ReportRow {
    pub id: String,
    pub organization_id: String,
    pub form: String,
    pub period: String,
    pub receiver_id: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub status: Code<ReportStatus>,
    pub source: Code<FiguresSource>,
    pub entered_figures: Option<Json<Vec<EnteredRow>>>,
    pub explanation: Option<String>,
    pub missing_explanation: Option<String>,
    pub first_submitted_on: Option<NaiveDate>,
    pub current_revision: i32,
    pub accepted_revision: Option<i32>,
    pub return_reason: Option<String>,
    pub needs_resubmission: bool,
    pub version: i64,
    #[serde(serialize_with = "crate::instant::utc")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::instant::utc")]
    pub updated_at: NaiveDateTime,
}

crate::versioned::versioned_rows!(ReportRow);

/// What a revision's figures cover.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    /// The organizations whose records were counted (none for entered figures).
    pub records: Vec<String>,
    /// The entered reports of units below that were added, each at the revision used.
    pub entered: Vec<EnteredUse>,
}

/// One entered report added to a level's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnteredUse {
    pub organization_id: String,
    pub report_id: String,
    pub revision: i32,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Serialize)]
#[diesel(table_name = revisions, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct RevisionRow {
    pub report_id: String,
    pub revision: i32,
    pub source: Code<FiguresSource>,
    pub figures: Json<Vec<EnteredRow>>,
    pub coverage: Json<Coverage>,
    pub explanation: Option<String>,
    pub missing_explanation: Option<String>,
    pub correction_reason: Option<String>,
    #[serde(serialize_with = "crate::instant::utc")]
    pub proposed_at: NaiveDateTime,
    pub proposed_by: String,
    #[serde(serialize_with = "crate::instant::utc_opt")]
    pub confirmed_at: Option<NaiveDateTime>,
    pub confirmed_by: Option<String>,
    pub decision: Option<Code<ReportStatus>>,
    #[serde(serialize_with = "crate::instant::utc_opt")]
    pub decided_at: Option<NaiveDateTime>,
    pub decided_by: Option<String>,
    pub decision_reason: Option<String>,
}

impl ReportRow {
    /// The revision whose figures stand (`reporting::standing_revision`): 0 before any was
    /// submitted.
    pub fn standing_revision(&self) -> i32 {
        tgpl_domain::statistics::reporting::standing_revision(
            self.current_revision,
            self.accepted_revision,
        )
    }

    /// A new draft of `organization_id`'s `form` for `period`, at version 1.
    pub fn draft(
        organization_id: String,
        form: &str,
        period: String,
        receiver_id: Option<String>,
        due_on: Option<NaiveDate>,
        source: FiguresSource,
    ) -> Self {
        let now = crate::now();
        Self {
            id: crate::new_id(),
            organization_id,
            form: form.to_owned(),
            period,
            receiver_id,
            due_on,
            status: Code(ReportStatus::Draft),
            source: Code(source),
            entered_figures: None,
            explanation: None,
            missing_explanation: None,
            first_submitted_on: None,
            current_revision: 0,
            accepted_revision: None,
            return_reason: None,
            needs_resubmission: false,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }
}

pub fn insert(conn: &mut DbConnection, actor: &Actor, row: &ReportRow) -> StoreResult<()> {
    let action = AuditAction::ReportCreate;
    crate::insert_audited!(
        conn,
        actor,
        action,
        RESOURCE,
        statistical_reports.id,
        row,
        Clone::clone
    )
}

pub fn get(conn: &mut DbConnection, id: &str) -> StoreResult<ReportRow> {
    reports::table
        .find(id)
        .select(ReportRow::as_select())
        .first(conn)
        .map_err(StoreError::from)
}

/// The report of `organization_id` for `form` and `period`, if one was started.
pub fn find(
    conn: &mut DbConnection,
    organization_id: &str,
    form: &str,
    period: &str,
) -> StoreResult<Option<ReportRow>> {
    Ok(reports::table
        .filter(reports::organization_id.eq(organization_id))
        .filter(reports::form.eq(form))
        .filter(reports::period.eq(period))
        .select(ReportRow::as_select())
        .first(conn)
        .optional()?)
}

/// Every report of `form` for `period` of the organizations `ids`.
pub fn of_organizations(
    conn: &mut DbConnection,
    form: &str,
    period: &str,
    ids: &[String],
) -> StoreResult<Vec<ReportRow>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(10_000) {
        out.extend(
            reports::table
                .filter(reports::form.eq(form))
                .filter(reports::period.eq(period))
                .filter(reports::organization_id.eq_any(chunk))
                .select(ReportRow::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}

/// What lists of reports are narrowed by.
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    /// The organizations whose reports may be listed (the caller's scope); `None`: all.
    pub organizations: Option<Vec<String>>,
    pub organization_id: Option<String>,
    pub receiver_id: Option<String>,
    pub form: Option<String>,
    pub period: Option<String>,
    pub status: Option<ReportStatus>,
}

fn filtered(f: &ReportFilter) -> reports::BoxedQuery<'static, Backend> {
    let mut q = reports::table.into_boxed::<Backend>();
    if let Some(ids) = &f.organizations {
        q = q.filter(reports::organization_id.eq_any(ids.clone()));
    }
    if let Some(v) = &f.organization_id {
        q = q.filter(reports::organization_id.eq(v.clone()));
    }
    if let Some(v) = &f.receiver_id {
        q = q.filter(reports::receiver_id.eq(v.clone()));
    }
    if let Some(v) = &f.form {
        q = q.filter(reports::form.eq(v.clone()));
    }
    if let Some(v) = &f.period {
        q = q.filter(reports::period.eq(v.clone()));
    }
    if let Some(v) = f.status {
        q = q.filter(reports::status.eq(Code(v)));
    }
    q
}

/// Every report the filter admits, in no particular order: for the views that read a form
/// and period across the country (a few per organization).
pub fn all(conn: &mut DbConnection, filter: &ReportFilter) -> StoreResult<Vec<ReportRow>> {
    Ok(filtered(filter).select(ReportRow::as_select()).load(conn)?)
}

/// Newest change first.
pub fn list(
    conn: &mut DbConnection,
    filter: &ReportFilter,
    page: crate::page::PageRequest,
) -> StoreResult<crate::page::Paged<ReportRow>> {
    let items = filtered(filter)
        .order((reports::updated_at.desc(), reports::id.desc()))
        .limit(page.limit())
        .offset(page.offset())
        .select(ReportRow::as_select())
        .load(conn)?;
    Ok(crate::page::Paged::counted(items, page, || {
        filtered(filter).count().get_result(conn)
    })?)
}

/// Every revision of a report, oldest first.
pub fn revisions(conn: &mut DbConnection, report_id: &str) -> StoreResult<Vec<RevisionRow>> {
    revisions_of(conn, &[report_id.to_owned()])
}

/// Every revision of the reports `ids`, each report's oldest first: for a page of reports,
/// in one query.
pub fn revisions_of(conn: &mut DbConnection, ids: &[String]) -> StoreResult<Vec<RevisionRow>> {
    Ok(revisions::table
        .filter(revisions::report_id.eq_any(ids))
        .order((revisions::report_id.asc(), revisions::revision.asc()))
        .select(RevisionRow::as_select())
        .load(conn)?)
}

pub fn revision(conn: &mut DbConnection, report_id: &str, n: i32) -> StoreResult<RevisionRow> {
    revisions::table
        .find((report_id, n))
        .select(RevisionRow::as_select())
        .first(conn)
        .map_err(StoreError::from)
}

/// Saves a step of the report: `after` over `before` (versioned, audited as `action`), and
/// in the same transaction the revisions it writes (new ones inserted, existing ones
/// updated).
pub fn save(
    conn: &mut DbConnection,
    actor: &Actor,
    action: AuditAction,
    before: &ReportRow,
    after: &ReportRow,
    revised: &[RevisionRow],
) -> StoreResult<()> {
    write_transaction(conn, |conn| {
        crate::save_versioned!(
            conn,
            actor,
            action,
            RESOURCE,
            statistical_reports.id,
            before,
            after,
            |r: &ReportRow| r.clone()
        )?;
        for revision in revised {
            let updated = diesel::update(
                revisions::table.find((revision.report_id.as_str(), revision.revision)),
            )
            .set(revision)
            .execute(conn)?;
            if updated == 0 {
                diesel::insert_into(revisions::table)
                    .values(revision)
                    .execute(conn)?;
            }
        }
        Ok(())
    })
}
