//! The calendar of working days: the dated exceptions to the working week.

use super::reference::manage;
use super::*;
use stored_reference::CalendarDayRow;

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
    params(("day" = NaiveDate, Path)),
    request_body = PutCalendarDay,
    responses(
        (status = 200, description = "Stored.", body = CalendarDayView),
        (status = 403, description = "The data centre only.", body = Problem),
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
            Ok(stored_reference::put_calendar_day(
                conn,
                &caller.actor(),
                &saved,
            )?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(CalendarDayView::from(row)))
}

/// Removes a day's entry: it is again what its weekday makes it.
#[utoipa::path(
    operation_id = "deleteCalendarDay",
    tag = "portal",
    params(("day" = NaiveDate, Path)),
    responses(
        (status = 204, description = "Removed."),
        (status = 403, description = "The data centre only.", body = Problem),
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
            Ok(stored_reference::delete_calendar_day(
                conn,
                &caller.actor(),
                day,
            )?)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
