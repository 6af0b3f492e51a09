//! Publishing a release, reading releases, and the deadline of the national annual figures.

use super::*;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishRelease {
    #[schema(example = "tt02-2011-bm3")]
    pub form: String,
    #[schema(example = "2026-Y")]
    pub period: String,
    /// What the release is (at most 2,000 characters).
    #[validate(length(max = 2000))]
    pub note: Option<String>,
}

/// Publishes the accepted figures of every province for a form and period as the next
/// vintage: each Department's report as the Agency accepted it. Nothing changes an earlier
/// vintage; a release identical to the last one is refused.
#[utoipa::path(
    operation_id = "publishRelease",
    tag = "reporting",
    request_body = PublishRelease,
    responses(
        (status = 201, description = "The new vintage.", body = ReleaseView, headers(("Location" = String))),
        (status = 403, description = "Only the Agency's data centre publishes.", body = Problem),
        (status = 409, description = "`nothing_accepted`: no Department's report is accepted yet; `no_change`: the accepted figures are those of the last vintage; `release_conflict`: another release of the same vintage was published at the same moment.", body = Problem),
        (status = 422, description = "Unknown form, or a period the form is not reported for.", body = Problem),
    )
)]
#[post("/statistics/releases")]
pub async fn publish_release(
    state: web::Data<AppState>,
    caller: Caller,
    body: ValidJson<PublishRelease>,
) -> Result<HttpResponse, ApiError> {
    scope::authorize_system(&caller, SystemAction::PublishStatistics)?;
    let body = body.0;
    let form = form_named(&body.form)?;
    let period = period_of(form, &body.period)?;
    if !form.is_reported_for(&period) {
        return Err(not_reported(form));
    }
    let note = body
        .note
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    let row = state
        .write(move |conn| {
            crate::services::releases::publish(conn, &caller.actor(), form, &period, note.clone())
        })
        .await?;
    let location = format!("/api/v1/statistics/releases/{}", row.id);
    Ok(HttpResponse::Created()
        .insert_header((actix_web::http::header::LOCATION, location))
        .json(ReleaseView::from(row)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReleaseListQuery {
    pub form: Option<String>,
    /// A period as the forms take it (`2026-Y`); needs `form`.
    pub period: Option<String>,
}

/// Every release, oldest first: each vintage of each form and period.
#[utoipa::path(
    operation_id = "listReleases",
    tag = "reporting",
    params(ReleaseListQuery),
    responses(
        (status = 200, description = "The releases.", body = Vec<ReleaseView>),
        (status = 403, description = "The portal reads no statistics.", body = Problem),
        (status = 404, description = "No such form.", body = Problem),
        (status = 422, description = "A period without its form, or not of the form's regime.", body = Problem),
    )
)]
#[get("/statistics/releases")]
pub async fn list_releases(
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<ReleaseListQuery>,
) -> Result<HttpResponse, ApiError> {
    scope::authorize_system(&caller, SystemAction::ReadReleasedStatistics)?;
    let q = query.0;
    let period = period_filter(q.form.as_deref(), q.period)?;
    let rows = state
        .db(move |conn| {
            Ok(releases::all(
                conn,
                &ReleaseFilter {
                    form: q.form,
                    period,
                    ..Default::default()
                },
            )?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(ReleaseView::from).collect::<Vec<_>>()))
}

/// One release.
#[utoipa::path(
    operation_id = "readRelease",
    tag = "reporting",
    responses(
        (status = 200, description = "The release.", body = ReleaseView),
        (status = 403, description = "The portal reads no statistics.", body = Problem),
        (status = 404, description = "No such release.", body = Problem),
    )
)]
#[get("/statistics/releases/{id}")]
pub async fn read_release(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    scope::authorize_system(&caller, SystemAction::ReadReleasedStatistics)?;
    let id = id.into_inner();
    let row = state.db(move |conn| Ok(releases::get(conn, &id)?)).await?;
    Ok(HttpResponse::Ok().json(ReleaseView::from(row)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScheduleQuery {
    /// The reporting year (the year its annual period ends in); the last one whose annual
    /// period has ended when absent.
    pub year: Option<i32>,
}

/// The publication of one form's annual figures.
#[derive(Serialize, ToSchema)]
pub struct AnnualPublicationView {
    pub form: &'static str,
    /// The annual period (`2026-Y`, `2026-CY`).
    pub period: String,
    /// The last day the national figures are on time (before 28 February of the next year,
    /// art. 15(3)).
    pub due_on: NaiveDate,
    /// `released` (a vintage gives every province's figures), `pending`, `due_soon` (30 days
    /// or less left) or `overdue`; a vintage of some provinces only leaves it unreleased.
    pub status: &'static str,
    pub days_left: Option<i64>,
    pub days_overdue: Option<i64>,
    /// The newest vintage released, if any.
    pub latest_vintage: Option<i32>,
}

/// Whether each form's national annual figures of a reporting year are published, and how
/// near their deadline is: the warning the Agency sees as 28 February nears.
#[utoipa::path(
    operation_id = "readReleaseSchedule",
    tag = "reporting",
    params(ScheduleQuery),
    responses(
        (status = 200, description = "One entry per form.", body = Vec<AnnualPublicationView>),
        (status = 403, description = "The portal reads no statistics.", body = Problem),
        (status = 422, description = "A year out of range.", body = Problem),
    )
)]
#[get("/statistics/release-schedule")]
pub async fn release_schedule(
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<ScheduleQuery>,
) -> Result<HttpResponse, ApiError> {
    scope::authorize_system(&caller, SystemAction::ReadReleasedStatistics)?;
    let day = today();
    let year = match query.0.year {
        Some(y) if (1997..=tgpl_domain::statistics::period::LAST_YEAR).contains(&y) => y,
        Some(_) => {
            return Err(ApiError::field(
                "year",
                "out_of_range",
                "Năm báo cáo không hợp lệ.",
                "The reporting year is out of range.",
            ))
        }
        // The reporting year ending on 30 September: the last one ended.
        None => tgpl_domain::statistics::period::reporting_year_of(day) - 1,
    };
    let entries = state
        .db(move |conn| {
            let mut out = Vec::new();
            for form in forms() {
                let text = match form.regime.calendar {
                    tgpl_domain::statistics::regime::Calendar::ReportingYear => format!("{year}-Y"),
                    tgpl_domain::statistics::regime::Calendar::CalendarEditions => {
                        format!("{year}-CY")
                    }
                };
                // Only annual periods that have ended, under a regime in force by then.
                let Ok(period) = form.regime.period(&text) else {
                    continue;
                };
                if period.to() >= day || form.regime.in_force_from > period.to() {
                    continue;
                }
                let Some(due) = release::annual_publication_due(year) else {
                    continue;
                };
                let latest = releases::latest(conn, form.code, &period.to_string())?;
                // Released once a vintage gives every province's figures (or, published
                // before coverage was recorded, is taken as it was).
                let whole = latest.as_ref().is_some_and(|l| {
                    let expected = l.provinces_expected.and_then(|e| usize::try_from(e).ok());
                    release::covers_the_country(l.areas.0.len(), expected) != Some(false)
                });
                let status = Publication::of(due, whole, day);
                out.push(AnnualPublicationView {
                    form: form.code,
                    period: period.to_string(),
                    due_on: due,
                    status: status.code(),
                    days_left: match status {
                        Publication::Pending { days_left } | Publication::DueSoon { days_left } => {
                            Some(days_left)
                        }
                        _ => None,
                    },
                    days_overdue: match status {
                        Publication::Overdue { days } => Some(days),
                        _ => None,
                    },
                    latest_vintage: latest.map(|l| l.vintage),
                });
            }
            Ok(out)
        })
        .await?;
    Ok(HttpResponse::Ok().json(entries))
}
