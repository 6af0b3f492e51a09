//! What the Agency keeps for the portal: the procedures with their national codes and
//! limits, the calendar of working days, and the portal's code of each of our statuses.
//! Anyone signed in reads them; the data centre changes them.

use super::*;
use stored_reference::{CalendarDayRow, ProcedureRow};

#[derive(Serialize, ToSchema)]
pub struct ProcedureView {
    /// The national procedure code.
    pub code: String,
    #[schema(schema_with = crate::http::schemas::procedure_kind)]
    pub kind: ProcedureKind,
    pub name_vi: &'static str,
    pub name_en: &'static str,
    /// The kinds of organization that handle it.
    #[schema(schema_with = crate::http::schemas::organization_kinds)]
    pub handled_by: Vec<tgpl_domain::organization::OrganizationKind>,
    /// Working days from the day a dossier counts from to its promised date.
    pub time_limit_days: i32,
    /// A code of ours, held until the Agency enters the national one.
    pub placeholder: bool,
    /// Whether dossiers may be filed under it.
    pub active: bool,
    pub updated_at: DateTime<Utc>,
}

impl From<ProcedureRow> for ProcedureView {
    fn from(p: ProcedureRow) -> Self {
        let label = p.kind.label();
        Self {
            code: p.code,
            kind: *p.kind,
            name_vi: label.vi,
            name_en: label.en,
            handled_by: p.kind.handled_by().to_vec(),
            time_limit_days: p.time_limit_days,
            placeholder: p.placeholder,
            active: p.active,
            updated_at: utc(p.updated_at),
        }
    }
}

/// The years the calendar keeps.
const CALENDAR_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

fn check_year(year: i32, field: &str) -> Result<(), ApiError> {
    if CALENDAR_YEARS.contains(&year) {
        return Ok(());
    }
    Err(ApiError::field(
        field,
        "out_of_range",
        "Lịch ngày làm việc có các năm 2000 đến 2100.",
        "The calendar keeps the years 2000 to 2100.",
    ))
}

fn manage(caller: &Caller) -> Result<(), ApiError> {
    scope::authorize_system(caller, SystemAction::ManagePortalIntegration)
}

/// Records a change of the Agency's reference data in the audit log.
fn audited(
    conn: &mut DbConnection,
    caller: &Caller,
    what: &str,
    key: &str,
    after: &impl Serialize,
) -> Result<(), ApiError> {
    Ok(audit::record(
        conn,
        &caller.actor(),
        Change::created(
            AuditAction::PortalReferenceUpdate,
            "portal_reference",
            &format!("{what}:{key}"),
            after,
        ),
    )?)
}

/// The procedures taken online, active first.
#[utoipa::path(
    operation_id = "listPortalProcedures",
    tag = "portal",
    security(("bearer" = [])),
    responses((status = 200, description = "The procedures.", body = Vec<ProcedureView>))
)]
#[get("/portal/procedures")]
pub async fn list_procedures(
    state: web::Data<AppState>,
    _caller: Caller,
) -> Result<HttpResponse, ApiError> {
    let rows = state
        .db(|conn| Ok(stored_reference::procedures(conn)?))
        .await?;
    let views: Vec<ProcedureView> = rows.into_iter().map(Into::into).collect();
    Ok(HttpResponse::Ok().json(views))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutProcedure {
    #[schema(schema_with = crate::http::schemas::procedure_kind)]
    pub kind: ProcedureKind,
    /// Working days, 0 to 366; the law's own when absent.
    #[schema(minimum = 0, maximum = 366)]
    #[validate(range(min = 0, max = 366))]
    pub time_limit_days: Option<i32>,
    #[serde(default)]
    pub placeholder: bool,
    /// `false` to stop taking dossiers under this code (when a province's code changes).
    pub active: bool,
}

/// Adds a procedure code or changes one. Dossiers already filed keep their promised dates.
#[utoipa::path(
    operation_id = "putPortalProcedure",
    tag = "portal",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "The national procedure code")),
    request_body = PutProcedure,
    responses(
        (status = 200, description = "Stored.", body = ProcedureView),
        (status = 403, description = "The data centre only.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The code stands for another procedure.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/portal/procedures/{code}")]
pub async fn put_procedure(
    state: web::Data<AppState>,
    caller: Caller,
    code: web::Path<String>,
    body: ValidJson<PutProcedure>,
) -> Result<HttpResponse, ApiError> {
    manage(&caller)?;
    let code = code.into_inner();
    if code.is_empty() || code.len() > 64 || !code.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::field(
            "code",
            "invalid",
            "Mã thủ tục gồm 1 đến 64 ký tự ASCII nhìn thấy được.",
            "A procedure code is 1 to 64 visible ASCII characters.",
        ));
    }
    let body = body.0;
    let row = ProcedureRow {
        code,
        kind: Code(body.kind),
        time_limit_days: body
            .time_limit_days
            .unwrap_or(body.kind.time_limit_days() as i32),
        placeholder: body.placeholder,
        active: body.active,
        updated_at: tgpl_persistence::now(),
    };
    let saved = row.clone();
    state
        .write(move |conn| {
            tgpl_persistence::db::write_transaction(conn, |conn| {
                match stored_reference::procedure(conn, &saved.code) {
                    Ok(existing) if existing.kind != saved.kind => {
                        return Err(ApiError::conflict(
                            "procedure_kind_fixed",
                            Text::new(
                                "Mã thủ tục đã gắn với một thủ tục khác; hãy dùng mã mới.",
                                "The code already stands for another procedure; use a new code.",
                            ),
                        ))
                    }
                    Ok(_) | Err(tgpl_persistence::StoreError::NotFound) => {}
                    Err(e) => return Err(e.into()),
                }
                stored_reference::put_procedure(conn, &saved)?;
                audited(conn, &caller, "procedure", &saved.code, &saved)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(ProcedureView::from(row)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CalendarQuery {
    /// The calendar year; this year unless given.
    pub year: Option<i32>,
}

#[derive(Serialize, ToSchema)]
pub struct CalendarDayView {
    pub day: NaiveDate,
    #[schema(schema_with = crate::http::schemas::day_kind)]
    pub kind: DayKind,
    pub name: String,
}

impl From<CalendarDayRow> for CalendarDayView {
    fn from(d: CalendarDayRow) -> Self {
        Self {
            day: d.day,
            kind: *d.kind,
            name: d.name,
        }
    }
}

/// A year's exceptions to the working week: holidays on weekdays, and weekend days worked.
/// Every other Monday to Friday is a working day.
#[utoipa::path(
    operation_id = "listCalendarDays",
    tag = "portal",
    security(("bearer" = [])),
    params(CalendarQuery),
    responses((status = 200, description = "The year's entries, by day.", body = Vec<CalendarDayView>))
)]
#[get("/calendar/days")]
pub async fn list_calendar_days(
    state: web::Data<AppState>,
    _caller: Caller,
    query: Query<CalendarQuery>,
) -> Result<HttpResponse, ApiError> {
    use chrono::Datelike;
    let year = query.0.year.unwrap_or_else(|| today().year());
    check_year(year, "year")?;
    let (Some(from), Some(to)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Err(ApiError::field(
            "year",
            "range",
            "Năm không hợp lệ.",
            "Invalid year.",
        ));
    };
    let rows = state
        .db(move |conn| Ok(stored_reference::calendar_days(conn, from, to)?))
        .await?;
    let views: Vec<CalendarDayView> = rows.into_iter().map(Into::into).collect();
    Ok(HttpResponse::Ok().json(views))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutCalendarDay {
    #[schema(schema_with = crate::http::schemas::day_kind)]
    pub kind: DayKind,
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    pub name: String,
}

/// Marks a day a holiday or a weekend day worked. Promised dates already given stay; the
/// dossiers filed from now on count with it.
#[utoipa::path(
    operation_id = "putCalendarDay",
    tag = "portal",
    security(("bearer" = [])),
    params(("day" = NaiveDate, Path)),
    request_body = PutCalendarDay,
    responses(
        (status = 200, description = "Stored.", body = CalendarDayView),
        (status = 403, description = "The data centre only.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/calendar/days/{day}")]
pub async fn put_calendar_day(
    state: web::Data<AppState>,
    caller: Caller,
    day: web::Path<NaiveDate>,
    body: ValidJson<PutCalendarDay>,
) -> Result<HttpResponse, ApiError> {
    manage(&caller)?;
    let day = day.into_inner();
    {
        use chrono::Datelike;
        check_year(day.year(), "day")?;
    }
    if !tgpl_domain::portal::calendar::is_exception(day, body.0.kind) {
        return Err(ApiError::field(
            "kind",
            "not_an_exception",
            "Ngày nghỉ lễ phải rơi vào ngày thường, ngày làm bù vào thứ Bảy hoặc Chủ nhật.",
            "A holiday falls on a weekday, a make-up working day on a Saturday or Sunday.",
        ));
    }
    let row = CalendarDayRow {
        day,
        kind: Code(body.0.kind),
        name: body.0.name.trim().to_owned(),
    };
    let saved = row.clone();
    state
        .write(move |conn| {
            tgpl_persistence::db::write_transaction(conn, |conn| {
                stored_reference::put_calendar_day(conn, &saved)?;
                audited(
                    conn,
                    &caller,
                    "calendar_day",
                    &saved.day.to_string(),
                    &saved,
                )
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(CalendarDayView::from(row)))
}

/// Removes a day's entry: it is again what its weekday makes it.
#[utoipa::path(
    operation_id = "deleteCalendarDay",
    tag = "portal",
    security(("bearer" = [])),
    params(("day" = NaiveDate, Path)),
    responses(
        (status = 204, description = "Removed."),
        (status = 403, description = "The data centre only.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/calendar/days/{day}")]
pub async fn delete_calendar_day(
    state: web::Data<AppState>,
    caller: Caller,
    day: web::Path<NaiveDate>,
) -> Result<HttpResponse, ApiError> {
    manage(&caller)?;
    let day = day.into_inner();
    state
        .write(move |conn| {
            tgpl_persistence::db::write_transaction(conn, |conn| {
                if !stored_reference::delete_calendar_day(conn, day)? {
                    return Err(ApiError::not_found());
                }
                audited(conn, &caller, "calendar_day", &day.to_string(), &())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Serialize, ToSchema)]
pub struct StatusCodeView {
    #[schema(schema_with = crate::http::schemas::dossier_status)]
    pub status: DossierStatus,
    pub label_vi: &'static str,
    pub label_en: &'static str,
    /// The portal's code for it.
    pub portal_code: String,
    pub updated_at: DateTime<Utc>,
}

/// The portal's code for each of our dossier statuses, as the feed and the callbacks send
/// them (`portal_status`). Shipped values follow public integrations of the portal; the
/// data centre changes them without a release.
#[utoipa::path(
    operation_id = "listPortalStatusCodes",
    tag = "portal",
    security(("bearer" = [])),
    responses((status = 200, description = "The mapping.", body = Vec<StatusCodeView>))
)]
#[get("/portal/status-codes")]
pub async fn list_status_codes(
    state: web::Data<AppState>,
    _caller: Caller,
) -> Result<HttpResponse, ApiError> {
    let rows = state
        .db(|conn| Ok(stored_reference::status_codes(conn)?))
        .await?;
    let views: Vec<StatusCodeView> = rows
        .into_iter()
        .map(|r| StatusCodeView {
            label_vi: r.status.label().vi,
            label_en: r.status.label().en,
            status: *r.status,
            portal_code: r.portal_code,
            updated_at: utc(r.updated_at),
        })
        .collect();
    Ok(HttpResponse::Ok().json(views))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutStatusCode {
    #[schema(min_length = 1, max_length = 20)]
    #[validate(length(min = 1, max = 20))]
    pub portal_code: String,
}

/// Changes the portal's code of one status; entries written from now on carry it.
#[utoipa::path(
    operation_id = "putPortalStatusCode",
    tag = "portal",
    security(("bearer" = [])),
    params(("status" = String, Path, description = "One of our dossier statuses")),
    request_body = PutStatusCode,
    responses(
        (status = 204, description = "Stored."),
        (status = 403, description = "The data centre only.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/portal/status-codes/{status}")]
pub async fn put_status_code(
    state: web::Data<AppState>,
    caller: Caller,
    status: web::Path<String>,
    body: ValidJson<PutStatusCode>,
) -> Result<HttpResponse, ApiError> {
    manage(&caller)?;
    let status = DossierStatus::from_code(&status.into_inner()).ok_or_else(ApiError::not_found)?;
    let code = body.0.portal_code.trim().to_owned();
    if !code
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
    {
        return Err(ApiError::field(
            "portal_code",
            "invalid",
            "Mã trạng thái của Cổng gồm chữ cái, chữ số và . - _.",
            "A portal status code is letters, digits and . - _.",
        ));
    }
    state
        .write(move |conn| {
            tgpl_persistence::db::write_transaction(conn, |conn| {
                stored_reference::set_status_code(conn, status, &code)?;
                audited(conn, &caller, "status_code", status.code(), &code)
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
