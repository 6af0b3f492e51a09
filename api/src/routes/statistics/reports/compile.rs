//! A unit's figures as they stand now, and what they cover.
//!
//! A level's report covers its whole subtree on the period's last day: the records kept here
//! for every unit below it, plus the accepted figures of the units below it that entered
//! theirs (clubs, participating organizations), never both for the same unit: a unit with a
//! report of entered figures is taken from that report alone.

use std::collections::HashSet;

use super::super::records::{from_tallies, read, Fill};
use super::*;

/// A unit's figures now.
pub(super) struct Compiled {
    pub table: Table,
    pub coverage: Coverage,
    /// The units that report to this one (its children owing a report) whose report is not
    /// accepted yet.
    pub missing: Vec<String>,
}

/// The stored rows of `form` for `period` read back as a table; a stored revision that no
/// longer reads is a logged 500.
pub(super) fn stored_table(
    form: &'static Form,
    period: &Period,
    rows: &[EnteredRow],
) -> Result<Table, ApiError> {
    figures::entered(form, period, rows).map_err(ApiError::logged("stored report figures"))
}

/// Compiles `report`'s figures now: its entered figures for a report of entered figures,
/// otherwise its subtree's records and the accepted entered figures below it.
pub(super) fn compile(
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
        let rows = report.entered_figures.as_ref().map(|f| f.0.as_slice());
        let entered =
            figures::entered(form, period, rows.unwrap_or_default()).map_err(figure_errors)?;
        return Ok(Compiled {
            table: entered,
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
    let mut now = match from_tallies(conn, form, &records, period)? {
        Some(tallied) => tallied,
        None => read(conn, form, &records, period, Fill { form, period })?,
    };
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

/// The units that report to `report`'s organization (its children on the period's last day
/// that owe a report) whose report for the same form and period is not accepted, sorted.
fn missing(
    conn: &mut DbConnection,
    report: &ReportRow,
    nodes: &[tgpl_domain::hierarchy::SubtreeNode],
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
