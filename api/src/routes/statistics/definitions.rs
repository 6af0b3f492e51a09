//! The definitions of the forms.

use super::*;

/// The forms the system fills, with their columns, rows and rules.
#[utoipa::path(
    operation_id = "listStatisticalForms",
    tag = "statistics",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The definitions.", body = Vec<FormView>),
    )
)]
#[get("/statistics/forms")]
pub async fn list_forms(_caller: Caller) -> Result<HttpResponse, ApiError> {
    let views: Vec<FormView> = forms().map(FormView::from).collect();
    Ok(HttpResponse::Ok().json(views))
}
