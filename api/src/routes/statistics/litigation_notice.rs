//! The Agency's monthly litigation notice, compiled from the records as of the moment it is
//! asked for (`tgpl_domain::statistics::litigation_notice`).

use std::collections::{HashMap, HashSet};

use tgpl_domain::access::SystemAction;
use tgpl_domain::statistics::litigation_notice::{Month, MonthFigures};
use tgpl_domain::time::vietnam_day_start;
use tgpl_persistence::provinces;
use tgpl_persistence::statistics::litigation;

use super::*;
use crate::http::tabular::{Cell, Format, Tabular};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoticeQuery {
    /// The month (`2026-10`).
    #[param(example = "2026-10", pattern = "^[0-9]{4}-[0-9]{2}$")]
    pub month: String,
    /// `json` (default), `csv` or `xlsx`.
    #[param(pattern = "^(json|csv|xlsx)$")]
    pub format: Option<String>,
}

/// The figures of one province, or of the country, for a month.
#[derive(Serialize, ToSchema, Clone, Copy)]
pub struct MonthFiguresView {
    /// Litigation cases accepted in the month.
    pub accepted: i64,
    /// Of which to defend an accused person.
    pub accepted_defence: i64,
    /// Of which to protect the rights of a victim or a litigant, or to represent one.
    pub accepted_protection: i64,
    /// Closed in the month (after acceptance).
    pub closed: i64,
    /// Closed in the month, concluded with the defence view accepted.
    pub successful: i64,
    /// Quality appraised in the month.
    pub appraised: i64,
}

impl From<MonthFigures> for MonthFiguresView {
    fn from(f: MonthFigures) -> Self {
        Self {
            accepted: f.accepted,
            accepted_defence: f.accepted_defence,
            accepted_protection: f.accepted_protection,
            closed: f.closed,
            successful: f.successful,
            appraised: f.appraised,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ProvinceNoticeView {
    pub province_code: String,
    pub province_name: String,
    pub month: MonthFiguresView,
    /// The month minus the month before, figure by figure.
    pub change: MonthFiguresView,
    /// Whether any unit of the province created a case or recorded a step of one in the
    /// month.
    pub updated_cases: bool,
}

/// The monthly litigation notice.
#[derive(Serialize, ToSchema)]
pub struct LitigationNoticeView {
    #[schema(example = "2026-10")]
    pub month: String,
    /// The moment the records were read.
    pub as_of: DateTime<Utc>,
    /// Every province in force, by code.
    pub provinces: Vec<ProvinceNoticeView>,
    pub national: MonthFiguresView,
    pub national_change: MonthFiguresView,
    /// The provinces whose units updated no case in the system in the month.
    pub provinces_without_updates: Vec<String>,
}

/// The Agency's monthly notice of litigation per province, from the records: cases accepted
/// (in defence, in protection of rights), closed, successful and appraised, the change against
/// the previous month, and the provinces that updated no case that month.
#[utoipa::path(
    operation_id = "readLitigationNotice",
    tag = "reporting",
    params(NoticeQuery),
    responses(
        (status = 200, description = "The notice, as JSON, CSV or xlsx.", content((LitigationNoticeView = "application/json"), (String = "text/csv"), (crate::http::schemas::Binary = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, description = "The Agency's roles only.", body = crate::http::error::Problem),
        (status = 422, description = "A month not written `YYYY-MM`, before 1997 or not yet begun; an unknown format.", body = crate::http::error::Problem),
    )
)]
#[get("/statistics/litigation-notice")]
pub async fn read_litigation_notice(
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<NoticeQuery>,
) -> Result<HttpResponse, ApiError> {
    scope::authorize_system(&caller, SystemAction::ReadNationalCompilations)?;
    let q = query.0;
    let format = Format::parse(q.format.as_deref())?;
    let month = Month::parse(&q.month)
        .filter(|m| m.first_day().is_some_and(|d| d <= today()))
        .ok_or_else(|| {
            ApiError::field(
                "month",
                "invalid_month",
                "Tháng viết dạng YYYY-MM, từ năm 1997, không sau tháng hiện tại.",
                "A month is written YYYY-MM, from 1997, not after the current one.",
            )
        })?;
    let (Some(from), Some(to)) = (month.previous().first_day(), month.last_day()) else {
        return Err(ApiError::internal());
    };
    let as_of = Utc::now();
    let view = state
        .db(move |conn| {
            let events = litigation::litigation_events(conn, from, to)?;
            // The month's instants in UTC.
            let start = month.first_day().map(|d| vietnam_day_start(d).naive_utc());
            let end = month
                .next()
                .first_day()
                .map(|d| vietnam_day_start(d).naive_utc());
            let (Some(start), Some(end)) = (start, end) else {
                return Err(ApiError::internal());
            };
            let active = litigation::organizations_active(conn, start, end)?;
            let mut ids: Vec<String> = events.iter().map(|(o, _, _)| o.clone()).collect();
            ids.extend(active.iter().cloned());
            ids.sort_unstable();
            ids.dedup();
            let province_of: HashMap<String, String> = organizations::get_many(conn, &ids)?
                .into_iter()
                .filter_map(|o| o.province_code.map(|p| (o.id, p)))
                .collect();
            let updated: HashSet<&String> =
                active.iter().filter_map(|o| province_of.get(o)).collect();
            let mut by_province: HashMap<&String, Vec<_>> = HashMap::new();
            for (org, event, on) in &events {
                if let Some(p) = province_of.get(org) {
                    by_province.entry(p).or_default().push((*event, *on));
                }
            }
            let mut national = MonthFigures::default();
            let mut national_before = MonthFigures::default();
            let mut rows = Vec::new();
            let mut without = Vec::new();
            for p in provinces::list(conn, false)? {
                let events = by_province.get(&p.code).map(Vec::as_slice).unwrap_or(&[]);
                let now = MonthFigures::of(events, month);
                let before = MonthFigures::of(events, month.previous());
                national = national.plus(now);
                national_before = national_before.plus(before);
                let updated_cases = updated.contains(&p.code);
                if !updated_cases {
                    without.push(p.code.clone());
                }
                rows.push(ProvinceNoticeView {
                    province_code: p.code,
                    province_name: p.name_vi,
                    month: now.into(),
                    change: now.minus(before).into(),
                    updated_cases,
                });
            }
            Ok(LitigationNoticeView {
                month: month.to_string(),
                as_of,
                provinces: rows,
                national: national.into(),
                national_change: national.minus(national_before).into(),
                provinces_without_updates: without,
            })
        })
        .await?;
    tabular(&view).respond(format, &view)
}

fn tabular(view: &LitigationNoticeView) -> Tabular {
    let figures = |f: &MonthFiguresView| -> Vec<Cell> {
        [
            f.accepted,
            f.accepted_defence,
            f.accepted_protection,
            f.closed,
            f.successful,
            f.appraised,
        ]
        .into_iter()
        .map(Cell::from)
        .collect()
    };
    let mut headers: Vec<String> = vec!["Tỉnh, thành phố".into(), "Mã".into()];
    let names = [
        "Thụ lý",
        "Trong đó bào chữa",
        "Trong đó bảo vệ quyền lợi",
        "Kết thúc",
        "Thành công",
        "Đánh giá chất lượng",
    ];
    headers.extend(names.iter().map(|n| n.to_string()));
    headers.extend(
        names
            .iter()
            .map(|n| format!("{n} (tăng, giảm so với tháng trước)")),
    );
    headers.push("Có cập nhật vụ việc trong tháng".into());
    let mut rows: Vec<Vec<Cell>> = view
        .provinces
        .iter()
        .map(|p| {
            let mut row: Vec<Cell> = vec![
                p.province_name.clone().into(),
                p.province_code.clone().into(),
            ];
            row.extend(figures(&p.month));
            row.extend(figures(&p.change));
            row.push(if p.updated_cases { "có" } else { "không" }.into());
            row
        })
        .collect();
    let mut total: Vec<Cell> = vec!["Toàn quốc".into(), "VN".into()];
    total.extend(figures(&view.national));
    total.extend(figures(&view.national_change));
    total.push("".into());
    rows.push(total);
    Tabular {
        title: format!(
            "Thông báo số liệu vụ việc tham gia tố tụng tháng {} (số liệu tại thời điểm {})",
            view.month,
            view.as_of.format("%d/%m/%Y %H:%M UTC")
        ),
        file_stem: format!("thong-bao-to-tung-{}", view.month),
        headers,
        rows,
    }
}
