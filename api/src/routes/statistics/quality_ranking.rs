//! The ranking of provinces by how completely and promptly they keep their data
//! (`tgpl_domain::statistics::quality_ranking`), for a reporting year.

use std::collections::HashMap;

use tgpl_domain::access::SystemAction;
use tgpl_domain::statistics::circular_02_2011;
use tgpl_domain::statistics::quality_ranking::{self, Components, Measures, WEIGHTS};
use tgpl_domain::statistics::reporting::{self, Timeliness};
use tgpl_persistence::provinces;
use tgpl_persistence::statistics::quality;
use tgpl_persistence::statistics::reports::{self as stored_reports, ReportFilter};
use tgpl_persistence::DbConnection;

use super::*;
use crate::http::tabular::{Cell, Format, Tabular};
use crate::services::reporting::total_gap;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RankingQuery {
    /// The reporting year (from 1 October of the year before to 30 September); the last one
    /// ended when absent.
    pub year: Option<i32>,
    /// `json` (default), `csv` or `xlsx`.
    #[param(pattern = "^(json|csv|xlsx)$")]
    pub format: Option<String>,
}

#[derive(Serialize, ToSchema, Clone, Copy)]
pub struct ComponentsView {
    /// Share of owed reports sent on time.
    pub timeliness: f64,
    /// One minus the annual report's gap to the records, relative to them.
    pub reconciliation: f64,
    /// One minus the average days from acceptance to entry, over 30.
    pub entry_delay: f64,
    /// One minus the average days from closing to its recording, over 30.
    pub closing_delay: f64,
    /// One minus the share of cases missing a required fact.
    pub required_facts: f64,
}

impl From<Components> for ComponentsView {
    fn from(c: Components) -> Self {
        let r = |x: f64| (x * 10_000.0).round() / 10_000.0;
        Self {
            timeliness: r(c.timeliness),
            reconciliation: r(c.reconciliation),
            entry_delay: r(c.entry_delay),
            closing_delay: r(c.closing_delay),
            required_facts: r(c.required_facts),
        }
    }
}

/// What was measured of a province.
#[derive(Serialize, ToSchema)]
pub struct MeasuresView {
    pub reports_expected: u64,
    pub reports_on_time: u64,
    /// The annual report's gap over the total row, and the records' total it is measured
    /// against; none without an annual report of form 1 from the Department.
    pub reconciliation_gap: Option<u64>,
    pub reconciliation_records: Option<u64>,
    pub cases_accepted: u64,
    pub entry_delay_days: u64,
    pub cases_closed: u64,
    pub closing_delay_days: u64,
    pub cases_missing_facts: u64,
}

#[derive(Serialize, ToSchema)]
pub struct RankedProvinceView {
    /// 1 for the best; equal scores share a rank. None for a province with no report owed
    /// and no case in the year (nothing to rank it by), listed after the others.
    pub rank: Option<u32>,
    pub province_code: String,
    pub province_name: String,
    /// From 0 to 100; none for a province not ranked.
    pub score: Option<f64>,
    pub components: ComponentsView,
    pub measures: MeasuresView,
}

#[derive(Serialize, ToSchema)]
pub struct RankingView {
    pub year: i32,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub as_of: DateTime<Utc>,
    /// The weight of each component in the score (they add up to 1).
    pub weights: ComponentsView,
    pub provinces: Vec<RankedProvinceView>,
}

/// The provinces ranked by how completely and promptly they keep their data in a reporting
/// year: each score with the components it is made of and what was measured.
#[utoipa::path(
    operation_id = "readQualityRanking",
    tag = "reporting",
    params(RankingQuery),
    responses(
        (status = 200, description = "The ranking, as JSON, CSV or xlsx.", content((RankingView = "application/json"), (String = "text/csv"), (crate::http::schemas::Binary = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, description = "The Agency's roles only.", body = crate::http::error::Problem),
        (status = 422, description = "A year out of range, or an unknown format.", body = crate::http::error::Problem),
    )
)]
#[get("/statistics/quality-ranking")]
pub async fn read_quality_ranking(
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<RankingQuery>,
) -> Result<HttpResponse, ApiError> {
    scope::authorize_system(&caller, SystemAction::ReadNationalCompilations)?;
    let q = query.0;
    let format = Format::parse(q.format.as_deref())?;
    let day = today();
    let current = tgpl_domain::statistics::period::reporting_year_of(day);
    let year = q.year.unwrap_or(current - 1);
    if !(1998..=current).contains(&year) {
        return Err(ApiError::field(
            "year",
            "out_of_range",
            format!("Năm báo cáo từ 1998 đến {current}."),
            format!("The reporting year is from 1998 to {current}."),
        ));
    }
    let annual = Period::cumulative(year, 12).map_err(ApiError::refused)?;
    let as_of = Utc::now();
    let view = state
        .db(move |conn| ranking(conn, year, &annual, day, as_of))
        .await?;
    tabular(&view).respond(format, &view)
}

fn ranking(
    conn: &mut DbConnection,
    year: i32,
    annual: &Period,
    day: NaiveDate,
    as_of: DateTime<Utc>,
) -> Result<RankingView, ApiError> {
    let units = quality::units(conn)?;
    let province_of: HashMap<&str, &str> = units
        .iter()
        .filter_map(|u| u.province_code.as_deref().map(|p| (u.id.as_str(), p)))
        .collect();
    let mut measures: HashMap<String, Measures> = HashMap::new();
    let links = organizations::all_links(conn)?;
    // Reports owed under Circular 02/2011, on which the chain reports here: every form at the
    // periods it is reported for, by every unit of the tree of each period's last day, once
    // its due date has passed.
    for months in [3, 6, 9, 12] {
        let period = Period::cumulative(year, months).map_err(ApiError::refused)?;
        let tree = Hierarchy::on(period.to(), &links);
        for form in circular_02_2011::FORMS {
            if !form.is_reported_for(&period) {
                continue;
            }
            let filter = ReportFilter {
                form: Some(form.code.to_owned()),
                period: Some(period.to_string()),
                ..ReportFilter::default()
            };
            let sent: HashMap<String, Option<NaiveDate>> = stored_reports::all(conn, &filter)?
                .into_iter()
                .map(|r| (r.organization_id, r.first_submitted_on))
                .collect();
            for unit in &units {
                let Some(province) = unit.province_code.as_ref() else {
                    continue;
                };
                if tree.parent(&unit.id).is_none() {
                    continue;
                }
                let submitted = sent.get(&unit.id).copied().flatten();
                let expected = reporting::expected_report(
                    *unit.kind,
                    unit.deactivated_on,
                    form.regime,
                    &period,
                    submitted,
                    day,
                );
                let Some(standing) = expected.and_then(|e| e.timeliness) else {
                    continue;
                };
                if standing == Timeliness::NotYetDue {
                    continue;
                }
                let m = measures.entry(province.clone()).or_default();
                m.reports_expected += 1;
                m.reports_on_time += u64::from(standing == Timeliness::OnTime);
            }
        }
    }
    // The gap of each Department's annual report of form 1 to the records now.
    let filter = ReportFilter {
        form: Some(circular_02_2011::FORM_1.code.to_owned()),
        period: Some(annual.to_string()),
        ..ReportFilter::default()
    };
    let tree = Hierarchy::on(annual.to(), &links);
    for report in stored_reports::all(conn, &filter)? {
        let is_department = units.iter().any(|u| {
            u.id == report.organization_id
                && *u.kind == tgpl_domain::organization::OrganizationKind::Department
        });
        if !is_department || report.current_revision == 0 {
            continue;
        }
        let Some(province) = province_of.get(report.organization_id.as_str()) else {
            continue;
        };
        let gap = total_gap(conn, &tree, &report, &circular_02_2011::FORM_1, annual)?;
        measures
            .entry((*province).to_owned())
            .or_default()
            .reconciliation = Some(gap);
    }
    // The cases of the year.
    let grace = day - chrono::Duration::days(quality_ranking::PROVIDER_GRACE_DAYS);
    for c in quality::accepted_cases(conn, annual.from(), annual.to(), grace.min(annual.to()))? {
        if let Some(p) = province_of.get(c.organization_id.as_str()) {
            let m = measures.entry((*p).to_owned()).or_default();
            m.cases_accepted += c.cases.unsigned_abs();
            m.entry_delay_days += c.entry_delay_days.unsigned_abs();
            m.cases_missing_facts += c.missing_facts.unsigned_abs();
        }
    }
    for c in quality::closed_cases(conn, annual.from(), annual.to())? {
        if let Some(p) = province_of.get(c.organization_id.as_str()) {
            let m = measures.entry((*p).to_owned()).or_default();
            m.cases_closed += c.cases.unsigned_abs();
            m.closing_delay_days += c.closing_delay_days.unsigned_abs();
        }
    }
    let all = provinces::list(conn, false)?;
    let scored: Vec<(String, f64)> = all
        .iter()
        .filter_map(|p| {
            let m = measures.get(&p.code).copied().unwrap_or_default();
            m.is_rankable()
                .then(|| (p.code.clone(), m.components().score(&WEIGHTS)))
        })
        .collect();
    let names: HashMap<&str, &str> = all
        .iter()
        .map(|p| (p.code.as_str(), p.name_vi.as_str()))
        .collect();
    let mut order: Vec<(Option<u32>, String, Option<f64>)> = quality_ranking::rank(scored)
        .into_iter()
        .map(|(rank, code, score)| (Some(rank), code, Some(score)))
        .collect();
    for p in &all {
        if !order.iter().any(|(_, code, _)| *code == p.code) {
            order.push((None, p.code.clone(), None));
        }
    }
    let provinces = order
        .into_iter()
        .map(|(rank, code, score)| {
            let m = measures.get(&code).copied().unwrap_or_default();
            RankedProvinceView {
                rank,
                province_name: names
                    .get(code.as_str())
                    .copied()
                    .unwrap_or_default()
                    .to_owned(),
                score,
                components: m.components().into(),
                measures: MeasuresView {
                    reports_expected: m.reports_expected,
                    reports_on_time: m.reports_on_time,
                    reconciliation_gap: m.reconciliation.map(|(g, _)| g),
                    reconciliation_records: m.reconciliation.map(|(_, r)| r),
                    cases_accepted: m.cases_accepted,
                    entry_delay_days: m.entry_delay_days,
                    cases_closed: m.cases_closed,
                    closing_delay_days: m.closing_delay_days,
                    cases_missing_facts: m.cases_missing_facts,
                },
                province_code: code,
            }
        })
        .collect();
    Ok(RankingView {
        year,
        from: annual.from(),
        to: annual.to(),
        as_of,
        weights: ComponentsView {
            timeliness: WEIGHTS.timeliness,
            reconciliation: WEIGHTS.reconciliation,
            entry_delay: WEIGHTS.entry_delay,
            closing_delay: WEIGHTS.closing_delay,
            required_facts: WEIGHTS.required_facts,
        },
        provinces,
    })
}

fn tabular(view: &RankingView) -> Tabular {
    let headers = [
        "Xếp hạng",
        "Tỉnh, thành phố",
        "Mã",
        "Điểm",
        "Báo cáo đúng hạn",
        "Khớp số liệu",
        "Nhập vụ việc kịp thời",
        "Ghi nhận kết thúc kịp thời",
        "Đủ thông tin bắt buộc",
        "Báo cáo phải gửi",
        "Báo cáo đúng hạn (số)",
        "Vụ việc thụ lý",
        "Vụ việc kết thúc",
        "Vụ việc thiếu thông tin",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect();
    let rows = view
        .provinces
        .iter()
        .map(|p| {
            let c = &p.components;
            let m = &p.measures;
            let n = |x: u64| Cell::from(i64::try_from(x).unwrap_or(i64::MAX));
            vec![
                p.rank.map_or(Cell::from(""), |r| Cell::from(i64::from(r))),
                p.province_name.clone().into(),
                p.province_code.clone().into(),
                p.score.map_or(Cell::from(""), Cell::from),
                c.timeliness.into(),
                c.reconciliation.into(),
                c.entry_delay.into(),
                c.closing_delay.into(),
                c.required_facts.into(),
                n(m.reports_expected),
                n(m.reports_on_time),
                n(m.cases_accepted),
                n(m.cases_closed),
                n(m.cases_missing_facts),
            ]
        })
        .collect();
    Tabular {
        title: format!(
            "Xếp hạng các tỉnh theo chất lượng cập nhật dữ liệu trợ giúp pháp lý, năm báo cáo {} ({} – {})",
            view.year,
            view.from.format("%d/%m/%Y"),
            view.to.format("%d/%m/%Y")
        ),
        file_stem: format!("xep-hang-du-lieu-{}", view.year),
        headers,
        rows,
    }
}
