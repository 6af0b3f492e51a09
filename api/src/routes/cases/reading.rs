//! One case, and its history.

use super::*;

/// One case.
#[utoipa::path(
    operation_id = "readCase",
    tag = "cases",
    responses(
        (status = 200, description = "The case.", body = CaseView, headers(("ETag" = String))),
    )
)]
#[get("/cases/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let row = state
        .db(move |conn| {
            let row = load(conn, &caller, &id, Action::ReadCase)?;
            shown(conn, &caller, row)
        })
        .await?;
    Ok(respond(StatusCode::OK, row))
}

#[derive(Serialize, ToSchema)]
pub struct CaseEventView {
    #[schema(example = "accept")]
    pub step: String,
    #[schema(schema_with = crate::http::schemas::or_null::case_state)]
    pub from_state: Option<CaseState>,
    #[schema(schema_with = crate::http::schemas::case_state)]
    pub to_state: CaseState,
    /// The legal date of the step.
    pub occurred_on: NaiveDate,
    pub recorded_at: DateTime<Utc>,
    pub actor_username: String,
    pub reason: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub details: Option<serde_json::Value>,
}

impl From<EventRow> for CaseEventView {
    fn from(e: EventRow) -> Self {
        Self {
            step: e.step,
            from_state: e.from_state.map(|s| *s),
            to_state: *e.to_state,
            occurred_on: e.occurred_on,
            recorded_at: utc(e.recorded_at),
            actor_username: e.actor_username,
            reason: e.reason,
            details: e
                .details
                .as_deref()
                .and_then(|d| serde_json::from_str(d).ok()),
        }
    }
}

/// The history of a case, oldest first.
#[utoipa::path(
    operation_id = "readCaseHistory",
    tag = "cases",
    responses(
        (status = 200, description = "Steps taken.", body = Vec<CaseEventView>),
    )
)]
#[get("/cases/{id}/history")]
pub async fn history(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let events = state
        .db(move |conn| {
            let row = load(conn, &caller, &id, Action::ReadCase)?;
            // A case received by transfer keeps the history it had in the provinces before,
            // however many transfers it went through.
            let mut chain = vec![row.id.clone()];
            let mut origin = row.transferred_from_case_id.clone();
            while let Some(source) = origin.filter(|s| !chain.contains(s)) {
                chain.push(source.clone());
                origin = cases::get_any(conn, &source)?.transferred_from_case_id;
            }
            let mut events = Vec::new();
            for case_id in chain.iter().rev() {
                events.extend(cases::events(conn, case_id)?);
            }
            // The history is read as part of this case: what its reader may see of it.
            let redaction = Redaction::of(conn, &caller)?;
            for event in &mut events {
                event.details = redaction.stored_object(&row.organization_id, event.details.take());
            }
            Ok(events)
        })
        .await?;
    Ok(HttpResponse::Ok().json(
        events
            .into_iter()
            .map(CaseEventView::from)
            .collect::<Vec<_>>(),
    ))
}
