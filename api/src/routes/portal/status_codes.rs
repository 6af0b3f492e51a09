//! The portal's code for each of our dossier statuses.

use super::reference::manage;
use super::*;

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
    params(("status" = String, Path, description = "One of our dossier statuses")),
    request_body = PutStatusCode,
    responses(
        (status = 204, description = "Stored."),
        (status = 409, description = "Another status has that code.", body = Problem),
        (status = 403, description = "The data centre only.", body = Problem),
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
                let taken = stored_reference::status_codes(conn)?
                    .into_iter()
                    .find(|c| *c.status != status && c.portal_code == code);
                if let Some(other) = taken {
                    return Err(ApiError::conflict(
                        "portal_code_taken",
                        Text::new(
                            format!("Mã `{code}` đang dùng cho trạng thái `{}`.", *other.status),
                            format!("The code `{code}` stands for `{}` already.", *other.status),
                        ),
                    ));
                }
                Ok(stored_reference::set_status_code(
                    conn,
                    &caller.actor(),
                    status,
                    &code,
                )?)
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
