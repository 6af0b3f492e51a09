//! Which of the reports a level expects came in, were accepted, and in time (art. 7(2)):
//! every unit of its subtree that owes the form for the period, on the tree of the period's
//! last day, with the rates per province and in all; the units still missing after their due
//! date come with their contacts, for chasing.

use std::collections::BTreeMap;

use tgpl_domain::statistics::reporting::{ExpectedReport, Rates, Standing};

use super::*;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompletenessQuery {
    /// The level whose subtree is looked at; the caller's organization when absent.
    pub organization_id: Option<String>,
    #[param(example = "tt02-2011-bm1")]
    pub form: String,
    #[param(example = "2026-6M")]
    pub period: String,
}

/// One expected report as it stands.
#[derive(Serialize, ToSchema)]
pub struct ExpectedReportView {
    pub organization_id: String,
    pub organization_code: String,
    pub organization_name: String,
    pub province_code: Option<String>,
    pub level: LabelView,
    /// The unit it reports to.
    pub receiver_id: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub report_id: Option<String>,
    /// None when nothing was started.
    #[schema(schema_with = crate::http::schemas::or_null::report_status)]
    pub status: Option<ReportStatus>,
    pub first_submitted_on: Option<NaiveDate>,
    pub timeliness: Option<TimelinessView>,
    /// For a unit missing after its due date: how to reach it.
    pub contact: Option<ContactView>,
}

#[derive(Serialize, ToSchema)]
pub struct ContactView {
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

/// Counts and shares of a set of expected reports.
#[derive(Serialize, ToSchema)]
pub struct RatesView {
    pub expected: u64,
    /// Sent at least once (a returned report too): each expected report is received,
    /// missing, or not yet due.
    pub received: u64,
    /// A revision of them was accepted (through any later correction).
    pub accepted: u64,
    /// Of the received, back with their unit to be completed.
    pub returned: u64,
    pub on_time: u64,
    pub late: u64,
    /// Not received, past the due date.
    pub missing: u64,
    /// Received over expected, from 0 to 1.
    pub completeness: f64,
    /// Sent on time over expected, from 0 to 1.
    pub timeliness: f64,
}

impl From<Rates> for RatesView {
    fn from(r: Rates) -> Self {
        Self {
            expected: r.expected,
            received: r.received,
            accepted: r.accepted,
            returned: r.returned,
            on_time: r.on_time,
            late: r.late,
            missing: r.missing,
            completeness: r.completeness,
            timeliness: r.timeliness,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ProvinceRatesView {
    pub province_code: Option<String>,
    pub rates: RatesView,
}

/// The completeness and timeliness of the reports a level expects.
#[derive(Serialize, ToSchema)]
pub struct CompletenessView {
    pub organization_id: String,
    pub form: String,
    pub period: String,
    /// The day the standings are judged on (Viet Nam).
    pub as_of: NaiveDate,
    pub rates: RatesView,
    pub provinces: Vec<ProvinceRatesView>,
    /// Every expected report, missing ones first, then by due date and unit code.
    pub reports: Vec<ExpectedReportView>,
}

/// Which reports of a form for a period a level's subtree owes, which came in, were
/// accepted and were on time; the rates per province and in all.
#[utoipa::path(
    operation_id = "readReportingCompleteness",
    tag = "reporting",
    params(CompletenessQuery),
    responses(
        (status = 200, description = "The expected reports and the rates.", body = CompletenessView),
        (status = 403, description = "Service clients and contracted lawyers read released figures only.", body = Problem),
        (status = 404, description = "No such organization in the caller's scope.", body = Problem),
    )
)]
#[get("/statistics/completeness")]
pub async fn read_completeness(
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<CompletenessQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.0;
    let form = form_of(&q.form)?;
    let period = period_of(form, &q.period)?;
    if !form.is_reported_for(&period) {
        return Err(not_reported(form));
    }
    let root = q.organization_id.unwrap_or_else(|| caller.org_id.clone());
    let body = state
        .db(move |conn| {
            let (_, covered) = super::super::records::covered(conn, &caller, &root, &period)?;
            let tree = Hierarchy::on(period.to(), &organizations::all_links(conn)?);
            let below: Vec<String> = covered.into_iter().filter(|id| *id != root).collect();
            let text = period.to_string();
            let mut reports_of: std::collections::HashMap<String, ReportRow> =
                reports::of_organizations(conn, form.code, &text, &below)?
                    .into_iter()
                    .map(|r| (r.organization_id.clone(), r))
                    .collect();
            let day = today();
            let mut items = Vec::new();
            let mut standings: BTreeMap<Option<String>, Vec<Standing>> = BTreeMap::new();
            let mut all = Vec::new();
            for org in organizations::get_many(conn, &below)? {
                let report = reports_of.remove(&org.id);
                let first = report.as_ref().and_then(|r| r.first_submitted_on);
                let Some(ExpectedReport {
                    level,
                    due,
                    timeliness,
                }) = reporting::expected_report(
                    *org.kind,
                    org.deactivated_on,
                    form.regime,
                    &period,
                    first,
                    day,
                )
                else {
                    continue;
                };
                let status = report
                    .as_ref()
                    .map(|r| *r.status)
                    .filter(|s| *s != ReportStatus::Draft);
                let standing = Standing {
                    status,
                    accepted_revision: report
                        .as_ref()
                        .is_some_and(|r| r.accepted_revision.is_some()),
                    timeliness: timeliness.unwrap_or(Timeliness::NotYetDue),
                };
                standings
                    .entry(org.province_code.clone())
                    .or_default()
                    .push(standing);
                all.push(standing);
                let missing = matches!(timeliness, Some(Timeliness::Missing { .. }));
                items.push(ExpectedReportView {
                    receiver_id: tree.parent(&org.id).map(str::to_owned),
                    level: level.label().into(),
                    due_on: due,
                    report_id: report.as_ref().map(|r| r.id.clone()),
                    status,
                    first_submitted_on: first,
                    timeliness: timeliness.map(TimelinessView::from),
                    contact: missing.then(|| ContactView {
                        phone: org.phone.clone(),
                        email: org.email.clone(),
                        address: org.address.clone(),
                    }),
                    organization_id: org.id,
                    organization_code: org.code,
                    organization_name: org.name,
                    province_code: org.province_code,
                });
            }
            items.sort_by(|a, b| {
                let missing = |v: &ExpectedReportView| {
                    v.timeliness.as_ref().is_none_or(|t| t.code != "missing")
                };
                (missing(a), a.due_on, &a.organization_code).cmp(&(
                    missing(b),
                    b.due_on,
                    &b.organization_code,
                ))
            });
            Ok(CompletenessView {
                organization_id: root,
                form: form.code.to_owned(),
                period: text,
                as_of: day,
                rates: Rates::of(all).into(),
                provinces: standings
                    .into_iter()
                    .map(|(province_code, s)| ProvinceRatesView {
                        province_code,
                        rates: Rates::of(s).into(),
                    })
                    .collect(),
                reports: items,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(body))
}
