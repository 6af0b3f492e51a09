//! The steps of a statistical report over storage (`tgpl_domain::statistics::reporting`),
//! shared by the routes and the demonstration data: what a unit's figures are now, and
//! submitting, accepting and returning a report. Access is the caller's business: these
//! functions are given rows the caller may act on.
//!
//! A level's report covers its whole subtree on the period's last day: the records kept here
//! for every unit below it, plus the accepted figures of the units below it that entered
//! theirs (clubs, participating organizations), never both for the same unit: a unit with a
//! report of entered figures is taken from that report alone.

use std::collections::HashSet;
use tgpl_domain::label::Label;
use tgpl_domain::lifecycle::Step;

use chrono::NaiveDate;
use tgpl_domain::audit::AuditAction;
use tgpl_domain::hierarchy::{Hierarchy, SubtreeNode};
use tgpl_domain::label::Vocabulary;
use tgpl_domain::statistics::reporting::figures::{self, EnteredRow};
use tgpl_domain::statistics::reporting::report::check_submission;
use tgpl_domain::statistics::reporting::{
    self, FiguresSource, ReportStatus, ReportStep, SubmissionRefusal,
};
use tgpl_domain::statistics::{Form, Period, Table};
use tgpl_persistence::audit::Actor;
use tgpl_persistence::column::{Code, Json};
use tgpl_persistence::organizations;
use tgpl_persistence::statistics::reports::{self, Coverage, EnteredUse, ReportRow, RevisionRow};
use tgpl_persistence::versioned::Versioned;
use tgpl_persistence::DbConnection;

use super::statistical_tables::fill;
use crate::http::error::ApiError;
use crate::http::lang::Text;

/// A unit's figures now.
pub struct Compiled {
    pub table: Table,
    pub coverage: Coverage,
    /// The units that report to this one (its children owing a report) whose report is not
    /// accepted yet.
    pub missing: Vec<String>,
}

/// The stored rows of `form` for `period` read back as a table; a stored revision that no
/// longer reads is a logged 500.
pub fn stored_table(
    form: &'static Form,
    period: &Period,
    rows: &[EnteredRow],
) -> Result<Table, ApiError> {
    figures::entered(form, period, rows).map_err(ApiError::logged("stored report figures"))
}

/// Compiles `report`'s figures now: its entered figures for a report of entered figures
/// (422 `entered_figures` required when there are none yet), otherwise its subtree's records
/// and the accepted entered figures below it.
pub fn compile(
    conn: &mut DbConnection,
    report: &ReportRow,
    form: &'static Form,
    period: &Period,
) -> Result<Compiled, ApiError> {
    let tree = Hierarchy::on(period.to(), &organizations::all_links(conn)?);
    let nodes = tree.subtree(&report.organization_id);
    let below: Vec<String> = nodes
        .iter()
        .filter(|n| n.org_id != report.organization_id)
        .map(|n| n.org_id.clone())
        .collect();
    let reports_below = reports::of_organizations(conn, form.code, &report.period, &below)?;
    let missing = missing(conn, report, &nodes, &reports_below, period)?;
    if *report.source == FiguresSource::Entered {
        let Some(rows) = report.entered_figures.as_ref() else {
            return Err(ApiError::field(
                "entered_figures",
                "required",
                "Chưa nhập số liệu của báo cáo.",
                "The report's figures have not been entered.",
            ));
        };
        return Ok(Compiled {
            table: stored_table(form, period, &rows.0)?,
            coverage: Coverage::default(),
            missing,
        });
    }
    let entering: HashSet<&str> = reports_below
        .iter()
        .filter(|r| *r.source == FiguresSource::Entered)
        .map(|r| r.organization_id.as_str())
        .collect();
    let records: Vec<String> = nodes
        .iter()
        .map(|n| n.org_id.clone())
        .filter(|id| !entering.contains(id.as_str()))
        .collect();
    let (mut now, _) = fill(conn, form, &records, period, false)?;
    let mut entered = Vec::new();
    for r in reports_below
        .iter()
        .filter(|r| *r.source == FiguresSource::Entered)
    {
        let Some(n) = r.accepted_revision else {
            continue;
        };
        let revision = reports::revision(conn, &r.id, n)?;
        figures::add(&mut now, &stored_table(form, period, &revision.figures)?);
        entered.push(EnteredUse {
            organization_id: r.organization_id.clone(),
            report_id: r.id.clone(),
            revision: n,
        });
    }
    Ok(Compiled {
        table: now,
        coverage: Coverage { records, entered },
        missing,
    })
}

/// What the system says now of `report`'s subtree on the period's last day, beside its
/// `submitted` revision: the system's side of a reconciliation (seed 000 §2b: the records
/// entered checked against the figures reported). The records kept here for every unit,
/// except the units below whose entered figures the revision added: the same revisions of
/// theirs are added here, so that they stand on both sides and what differs is the records.
pub fn system_side(
    conn: &mut DbConnection,
    report: &ReportRow,
    submitted: &RevisionRow,
    form: &'static Form,
    period: &Period,
) -> Result<Table, ApiError> {
    let tree = Hierarchy::on(period.to(), &organizations::all_links(conn)?);
    system_side_on(conn, &tree, report, submitted, form, period)
}

/// [`system_side`] on the tree of the period's last day, already at hand.
fn system_side_on(
    conn: &mut DbConnection,
    tree: &Hierarchy,
    report: &ReportRow,
    submitted: &RevisionRow,
    form: &'static Form,
    period: &Period,
) -> Result<Table, ApiError> {
    let entered = &submitted.coverage.entered;
    let units: Vec<String> = tree
        .subtree(&report.organization_id)
        .into_iter()
        .map(|n| n.org_id)
        .filter(|id| !entered.iter().any(|used| &used.organization_id == id))
        .collect();
    let (mut side, _) = fill(conn, form, &units, period, false)?;
    for used in entered {
        let revision = reports::revision(conn, &used.report_id, used.revision)?;
        figures::add(&mut side, &stored_table(form, period, &revision.figures)?);
    }
    Ok(side)
}

/// How far `report`'s last submitted revision is from what the system says now
/// ([`system_side`]), over the total row: the sum of the absolute differences, and the
/// system side's total it is measured against. `tree` is the tree of the period's last day.
pub fn total_gap(
    conn: &mut DbConnection,
    tree: &Hierarchy,
    report: &ReportRow,
    form: &'static Form,
    period: &Period,
) -> Result<(u64, u64), ApiError> {
    let revision = reports::revision(conn, &report.id, report.standing_revision())?;
    let submitted = stored_table(form, period, &revision.figures)?;
    let now = system_side_on(conn, tree, report, &revision, form, period)?;
    Ok((
        figures::total_gap(&submitted, &now),
        now.rows[0].cells.iter().sum(),
    ))
}

/// Flags the reports of the units above `report`'s for the same form and period that were
/// sent: they used figures of it that have changed (a correction confirmed, entered figures
/// accepted after they were sent).
pub fn flag_above(
    conn: &mut DbConnection,
    actor: &Actor,
    report: &ReportRow,
    period: &Period,
) -> Result<(), ApiError> {
    let tree = Hierarchy::on(period.to(), &organizations::all_links(conn)?);
    let above = tree.ancestors(&report.organization_id);
    for before in reports::of_organizations(conn, &report.form, &report.period, &above)? {
        if !before.status.is_received() || before.needs_resubmission {
            continue;
        }
        let mut after = before.clone();
        after.needs_resubmission = true;
        after.revise();
        reports::save(conn, actor, AuditAction::ReportFlag, &before, &after, &[])?;
    }
    Ok(())
}

/// The units that report to `report`'s organization (its children on the period's last day
/// that owe a report) whose report for the same form and period is not accepted, sorted.
fn missing(
    conn: &mut DbConnection,
    report: &ReportRow,
    nodes: &[SubtreeNode],
    reports_below: &[ReportRow],
    period: &Period,
) -> Result<Vec<String>, ApiError> {
    let children: Vec<String> = nodes
        .iter()
        .filter(|n| n.parent_id.as_deref() == Some(report.organization_id.as_str()))
        .map(|n| n.org_id.clone())
        .collect();
    let mut out: Vec<String> = organizations::get_many(conn, &children)?
        .into_iter()
        .filter(|o| reporting::owes_report(*o.kind, o.deactivated_on, period))
        .filter(|o| {
            !reports_below
                .iter()
                .any(|r| r.organization_id == o.id && *r.status == ReportStatus::Accepted)
        })
        .map(|o| o.id)
        .collect();
    out.sort();
    Ok(out)
}

/// Takes `step` on `row`: its new status, or 409 `illegal_step` naming the steps its status
/// allows.
pub fn take(row: &mut ReportRow, step: ReportStep) -> Result<(), ApiError> {
    let from = *row.status;
    let Some(to) = step.target(from) else {
        return Err(ApiError::illegal_step(
            Label::new("báo cáo", "the report"),
            step.label(),
            from.label(),
            ("report_status", from.code()),
            from.next_steps(false),
        ));
    };
    row.status = Code(to);
    Ok(())
}

/// The next revision's number: after every revision so far, proposed or not.
pub fn next_revision(conn: &mut DbConnection, report_id: &str) -> Result<i32, ApiError> {
    Ok(reports::revisions(conn, report_id)?
        .last()
        .map_or(1, |r| r.revision + 1))
}

/// A revision of `report`, frozen from `compiled` now by `username`: confirmed at once for
/// a submission, awaiting confirmation for a correction (with its reason).
pub fn revision_of(
    report: &ReportRow,
    revision: i32,
    compiled: Compiled,
    username: &str,
    correction_reason: Option<String>,
) -> RevisionRow {
    let now = tgpl_persistence::now();
    let confirmed = correction_reason.is_none();
    RevisionRow {
        report_id: report.id.clone(),
        revision,
        source: report.source,
        figures: Json(figures::rows_of(&compiled.table)),
        coverage: Json(compiled.coverage),
        explanation: report.explanation.clone(),
        missing_explanation: report.missing_explanation.clone(),
        correction_reason,
        proposed_at: now,
        proposed_by: username.to_owned(),
        confirmed_at: confirmed.then_some(now),
        confirmed_by: confirmed.then(|| username.to_owned()),
        decision: None,
        decided_at: None,
        decided_by: None,
        decision_reason: None,
    }
}

/// Submits `prepared` (a draft or returned report as its unit left it, `before` as stored)
/// on `today`: its figures frozen as a new revision once its actual figures are complete
/// ([`Period::reportable_from`]) and
/// `check_submission` passes. The inner error is the refusal of the figures.
pub fn submit(
    conn: &mut DbConnection,
    actor: &Actor,
    before: &ReportRow,
    mut prepared: ReportRow,
    form: &'static Form,
    period: &Period,
    today: NaiveDate,
) -> Result<Result<ReportRow, SubmissionRefusal>, ApiError> {
    let from = period.reportable_from();
    if today < from {
        return Err(ApiError::conflict(
            "period_not_over",
            Text::new(
                format!("Báo cáo của kỳ này gửi được từ ngày {from}."),
                format!("A report of this period can be submitted from {from}."),
            ),
        ));
    }
    let compiled = compile(conn, &prepared, form, period)?;
    if let Err(refusal) = check_submission(
        &compiled.table,
        prepared.explanation.as_deref(),
        &compiled.missing,
        prepared.missing_explanation.as_deref(),
    ) {
        return Ok(Err(refusal));
    }
    take(&mut prepared, ReportStep::Submit)?;
    let n = next_revision(conn, &prepared.id)?;
    prepared.current_revision = n;
    prepared.first_submitted_on = prepared.first_submitted_on.or(Some(today));
    prepared.return_reason = None;
    prepared.needs_resubmission = false;
    prepared.revise();
    let revision = revision_of(&prepared, n, compiled, &actor.username, None);
    reports::save(
        conn,
        actor,
        AuditAction::ReportSubmit,
        before,
        &prepared,
        &[revision],
    )?;
    Ok(Ok(prepared))
}

/// The receiver's decision on `before`'s submitted revision for `period`: `Accept`, or `Return`
/// with its reason (which withdraws a correction still awaiting confirmation).
pub fn decide(
    conn: &mut DbConnection,
    actor: &Actor,
    before: &ReportRow,
    period: &Period,
    step: ReportStep,
    reason: Option<String>,
) -> Result<ReportRow, ApiError> {
    let mut after = before.clone();
    take(&mut after, step)?;
    let now = tgpl_persistence::now();
    let mut revised = Vec::new();
    for mut revision in reports::revisions(conn, &after.id)? {
        let current = revision.revision == after.current_revision;
        let pending = revision.confirmed_at.is_none() && revision.decision.is_none();
        if !(current || pending && step == ReportStep::Return) {
            continue;
        }
        revision.decision = Some(after.status);
        revision.decided_at = Some(now);
        revision.decided_by = Some(actor.username.clone());
        revision.decision_reason = reason.clone();
        revised.push(revision);
    }
    if step == ReportStep::Accept {
        after.accepted_revision = Some(after.current_revision);
    } else {
        after.return_reason = reason;
    }
    after.revise();
    let action = if step == ReportStep::Accept {
        AuditAction::ReportAccept
    } else {
        AuditAction::ReportReturn
    };
    reports::save(conn, actor, action, before, &after, &revised)?;
    // Entered figures count above once accepted: what was sent above without them is stale.
    if step == ReportStep::Accept && *after.source == FiguresSource::Entered {
        flag_above(conn, actor, &after, period)?;
    }
    Ok(after)
}
