//! Reconciliation (seed 000 §2b): a report's submitted figures beside what the records say
//! now, cell by cell, with the records behind each figure of the system's side; and for the
//! Agency, every province's gap for a period, largest first. This is how the Agency tells a
//! centre which cases it has not entered.

use super::*;
use crate::services::reporting::{stored_table, system_side};

/// One cell where the submitted figure and the records differ.
#[derive(Serialize, ToSchema)]
pub struct GapView {
    pub row: String,
    pub column: u8,
    pub submitted: u64,
    /// What the system says now: the records, and the figures of units below that enter
    /// theirs as the submitted revision used them.
    pub records: u64,
    /// Records minus submitted: above zero, records entered since or not reported.
    pub difference: i64,
    /// The records behind the system's figure.
    pub records_href: String,
}

/// A report reconciled with the records.
#[derive(Serialize, ToSchema)]
pub struct ReconciliationView {
    pub report_id: String,
    pub organization_id: String,
    pub form: String,
    pub period: String,
    /// The revision compared, the one whose figures stand: the one accepted last, or while
    /// none is, the one submitted last.
    pub revision: i32,
    pub as_of: DateTime<Utc>,
    /// The sum of the absolute differences over the total row: how far the report is from
    /// the records as a whole.
    pub gap: u64,
    /// The sum of the system's figures over the total row: what `gap` is measured against.
    pub records_total: u64,
    /// Every cell that differs, largest difference first.
    pub differences: Vec<GapView>,
}

/// The figures of `row`'s standing revision beside what the records say now.
fn reconcile(conn: &mut DbConnection, row: &ReportRow) -> Result<ReconciliationView, ApiError> {
    let (form, period) = form_and_period(row)?;
    let as_of = Utc::now();
    if row.current_revision == 0 {
        return Err(ApiError::conflict(
            "not_submitted",
            Text::new("Báo cáo chưa gửi.", "The report has not been submitted."),
        ));
    }
    let standing = row.standing_revision();
    let revision = reports::revision(conn, &row.id, standing)?;
    let submitted = stored_table(form, &period, &revision.figures)?;
    let now = system_side(conn, row, &revision, form, &period)?;
    let records_total = now.rows[0].cells.iter().sum();
    let short = period.short().unwrap_or_else(|| period.to_string());
    let mut differences: Vec<GapView> = figures::changes(&submitted, &now)
        .into_iter()
        .map(|c| GapView {
            records_href: format!(
                "/api/v1/statistics/forms/{}/cells/{}/{}?organization_id={}&period={}",
                form.code, c.row, c.column, row.organization_id, short
            ),
            difference: c.difference(),
            row: c.row,
            column: c.column,
            submitted: c.before,
            records: c.after,
        })
        .collect();
    let gap = figures::total_gap(&submitted, &now);
    differences.sort_by_key(|d| std::cmp::Reverse(d.difference.unsigned_abs()));
    Ok(ReconciliationView {
        report_id: row.id.clone(),
        organization_id: row.organization_id.clone(),
        form: row.form.clone(),
        period: row.period.clone(),
        revision: standing,
        as_of,
        gap,
        records_total,
        differences,
    })
}

/// A report's submitted figures beside what the records say now, cell by cell.
#[utoipa::path(
    operation_id = "reconcileStatisticalReport",
    tag = "reporting",
    responses(
        (status = 200, description = "The differences.", body = ReconciliationView),
        (status = 404, description = "No such report in the caller's scope.", body = Problem),
        (status = 409, description = "Not submitted yet.", body = Problem),
    )
)]
#[get("/statistics/reports/{id}/reconciliation")]
pub async fn reconcile_report(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = state
        .db(move |conn| {
            let (row, _, _) = load(conn, &caller, &id, Action::ReadStatistics)?;
            reconcile(conn, &row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(body))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GapsQuery {
    #[param(example = "tt02-2011-bm1")]
    pub form: String,
    #[param(example = "2026-6M")]
    pub period: String,
}

/// One province's gap.
#[derive(Serialize, ToSchema)]
pub struct ProvinceGapView {
    pub province_code: Option<String>,
    pub organization_id: String,
    pub organization_name: String,
    pub reconciliation: ReconciliationView,
}

/// Every Department's submitted report of a form for a period reconciled with the records,
/// largest gap first: the provinces whose units have entered, or failed to enter, the most
/// since they reported.
#[utoipa::path(
    operation_id = "listReconciliationGaps",
    tag = "reporting",
    params(GapsQuery),
    responses(
        (status = 200, description = "The provinces' gaps, largest first.", body = Vec<ProvinceGapView>),
        (status = 403, description = "Service clients and contracted lawyers read released figures only.", body = Problem),
        (status = 404, description = "No such form.", body = Problem),
    )
)]
#[get("/statistics/reconciliation")]
pub async fn reconciliation_gaps(
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<GapsQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.0;
    let form = form_of(&q.form)?;
    let period = period_of(form, &q.period)?.to_string();
    let body = state
        .db(move |conn| {
            let permitted = scope::listable(conn, &caller, Action::ReadStatistics)?;
            let filter = ReportFilter {
                organizations: permitted.as_filter(),
                form: Some(form.code.to_owned()),
                period: Some(period),
                ..ReportFilter::default()
            };
            let rows = reports::all(conn, &filter)?;
            let ids: Vec<String> = rows.iter().map(|r| r.organization_id.clone()).collect();
            let orgs = organizations::get_many(conn, &ids)?;
            let mut out = Vec::new();
            for row in rows.iter().filter(|r| r.current_revision > 0) {
                let Some(org) = orgs.iter().find(|o| o.id == row.organization_id) else {
                    continue;
                };
                if *org.kind != tgpl_domain::organization::OrganizationKind::Department {
                    continue;
                }
                out.push(ProvinceGapView {
                    province_code: org.province_code.clone(),
                    organization_id: org.id.clone(),
                    organization_name: org.name.clone(),
                    reconciliation: reconcile(conn, row)?,
                });
            }
            out.sort_by_key(|g| std::cmp::Reverse(g.reconciliation.gap));
            Ok(out)
        })
        .await?;
    Ok(HttpResponse::Ok().json(body))
}
