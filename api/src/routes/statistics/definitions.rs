//! The definitions of the forms.

use super::*;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormsQuery {
    /// Only the forms of the regime in force on this period's last day, and that count in
    /// periods written this way (`2013-Y`: Circular 02/2011; `2025-H1`: Circular 03/2019).
    /// All the forms the system fills when absent; every one of them is computable for any
    /// period of its own kind.
    #[param(example = "2025-H1")]
    pub period: Option<String>,
}

/// The forms the system fills, with their columns, rows and rules.
#[utoipa::path(
    operation_id = "listStatisticalForms",
    tag = "statistics",
    params(FormsQuery),
    responses(
        (status = 200, description = "The definitions.", body = Vec<FormView>),
    )
)]
#[get("/statistics/forms")]
pub async fn list_forms(
    _caller: Caller,
    query: Query<FormsQuery>,
) -> Result<HttpResponse, ApiError> {
    let period = match query.0.period.as_deref() {
        Some(text) => Some(Period::parse(text).map_err(ApiError::refused)?),
        None => None,
    };
    let views: Vec<FormView> = forms()
        .filter(|f| period.is_none_or(|p| f.regime.in_force_on(p.to()) && f.regime.admits(&p)))
        .map(FormView::from)
        .collect();
    Ok(HttpResponse::Ok().json(views))
}
