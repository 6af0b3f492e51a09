//! The procedures taken online, with their national codes and limits.

use super::reference::manage;
use super::*;
use stored_reference::ProcedureRow;

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

/// The procedures taken online, active first.
#[utoipa::path(
    operation_id = "listPortalProcedures",
    tag = "portal",
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
    params(("code" = String, Path, description = "The national procedure code")),
    request_body = PutProcedure,
    responses(
        (status = 200, description = "Stored.", body = ProcedureView),
        (status = 403, description = "The data centre only.", body = Problem),
        (status = 409, description = "The code stands for another procedure.", body = Problem),
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
                Ok(stored_reference::put_procedure(
                    conn,
                    &caller.actor(),
                    &saved,
                )?)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(ProcedureView::from(row)))
}
