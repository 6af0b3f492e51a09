//! The six-monthly report on online services (seed 001 §2).

use super::*;
use crate::http::tabular::{Cell, Format, Tabular};
use crate::services::provinces::check_province;
use tgpl_domain::portal::report::{self, report_period, Counts, DossierFacts};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OnlineServicesQuery {
    /// `2026-H1` (January to June), `2026-H2` (July to December), `2026-CY` (the calendar
    /// year) or a range `2026-01-01/2026-06-30`.
    pub period: String,
    /// One province's rows only.
    pub province_code: Option<String>,
    /// `json` (default), `csv` or `xlsx`.
    pub format: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct OnlineServicesRow {
    pub province_code: String,
    #[schema(schema_with = crate::http::schemas::procedure_kind)]
    pub procedure: ProcedureKind,
    #[schema(schema_with = crate::http::schemas::channel)]
    pub channel: Channel,
    #[serde(flatten)]
    pub counts: OnlineServicesCounts,
}

#[derive(Serialize, ToSchema)]
pub struct OnlineServicesReport {
    pub period: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// By province, procedure and channel; only rows with something to count.
    pub rows: Vec<OnlineServicesRow>,
    pub total: OnlineServicesCounts,
}

/// The counts of a row or of the whole report (see `docs/statistics.md`).
#[derive(Serialize, ToSchema)]
pub struct OnlineServicesCounts {
    /// Dossiers received in the period.
    pub received: u64,
    /// Given a result or refused in the period.
    pub handled: u64,
    /// Of those handled, by their promised date.
    pub on_time: u64,
    /// Of those handled, after it.
    pub late: u64,
    /// Received by the period's last day and not handled by then.
    pub still_open: u64,
    /// Of those handled, refused.
    pub refused: u64,
}

impl From<Counts> for OnlineServicesCounts {
    fn from(c: Counts) -> Self {
        Self {
            received: c.received,
            handled: c.handled,
            on_time: c.on_time,
            late: c.late,
            still_open: c.still_open,
            refused: c.refused,
        }
    }
}

/// The dossiers filed on the portal over a period, per province, procedure and channel:
/// received, handled, on time, late, still open, refused. Goes to the Ministry with the
/// justice sector's six-monthly and annual reports. The Agency.
#[utoipa::path(
    operation_id = "readOnlineServicesReport",
    tag = "portal",
    params(OnlineServicesQuery),
    responses(
        (status = 200, description = "The report, as JSON, CSV or xlsx.",
            content((OnlineServicesReport = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, description = "The Agency only.", body = Problem),
    )
)]
#[get("/portal/reports/online-services")]
pub async fn read_online_services_report(
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<OnlineServicesQuery>,
) -> Result<HttpResponse, ApiError> {
    scope::authorize_system(&caller, SystemAction::ReadOnlineServicesReport)?;
    let q = query.0;
    let format = Format::parse(q.format.as_deref())?;
    let (period, from, to) = report_period(&q.period).map_err(ApiError::refused)?;
    let province = q.province_code.clone();
    let facts = state
        .db(move |conn| {
            check_province(conn, "province_code", province.as_deref())?;
            let before = tgpl_domain::time::vietnam_day_end(to)
                .map_or(chrono::NaiveDateTime::MAX, |end| end.naive_utc());
            Ok(dossiers::report_facts(conn, before, from, None)?)
        })
        .await?;
    let facts: Vec<DossierFacts> = facts
        .into_iter()
        .filter(|f| q.province_code.as_ref().is_none_or(|p| *p == f.0))
        .map(
            |(province_code, procedure, channel, received_at, due_on, finished_on, status)| {
                DossierFacts {
                    province_code,
                    procedure: *procedure,
                    channel: *channel,
                    received_on: tgpl_domain::time::vietnam_date(received_at.and_utc()),
                    due_on,
                    finished: finished_on.map(|on| (on, *status)),
                }
            },
        )
        .collect();
    let rows = report::count(&facts, from, to);
    let total = report::total(rows.values());
    let view = OnlineServicesReport {
        period,
        from,
        to,
        rows: rows
            .into_iter()
            .map(|(k, c)| OnlineServicesRow {
                province_code: k.province_code,
                procedure: k.procedure,
                channel: k.channel,
                counts: c.into(),
            })
            .collect(),
        total: total.into(),
    };
    tabular(&view).respond(format, &view)
}

impl OnlineServicesCounts {
    fn cells(&self) -> [Cell; 6] {
        let n = |v: u64| Cell::from(i64::try_from(v).unwrap_or(i64::MAX));
        [
            n(self.received),
            n(self.handled),
            n(self.on_time),
            n(self.late),
            n(self.still_open),
            n(self.refused),
        ]
    }
}

fn tabular(view: &OnlineServicesReport) -> Tabular {
    let line = |key: [Cell; 4], counts: &OnlineServicesCounts| -> Vec<Cell> {
        key.into_iter().chain(counts.cells()).collect()
    };
    let mut rows: Vec<Vec<Cell>> = view
        .rows
        .iter()
        .map(|r| {
            let key = [
                Cell::from(r.province_code.as_str()),
                Cell::from(r.procedure.code()),
                Cell::from(r.procedure.label().vi),
                Cell::from(r.channel.code()),
            ];
            line(key, &r.counts)
        })
        .collect();
    let total = [
        Cell::from("total"),
        Cell::from(""),
        Cell::from("Tổng cộng"),
        Cell::from(""),
    ];
    rows.push(line(total, &view.total));
    Tabular {
        title: format!(
            "Tình hình thực hiện dịch vụ công trực tuyến trong lĩnh vực trợ giúp pháp lý, kỳ {} ({} – {})",
            view.period, view.from, view.to
        ),
        file_stem: format!("dich-vu-cong-truc-tuyen-{}", view.period.replace('/', "_")),
        headers: [
            "province_code",
            "procedure",
            "Thủ tục",
            "channel",
            "Tiếp nhận (received)",
            "Đã giải quyết (handled)",
            "Đúng hạn (on_time)",
            "Quá hạn (late)",
            "Đang giải quyết (still_open)",
            "Từ chối (refused)",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect(),
        rows,
    }
}
