//! A step of a dossier, taken by the organization handling it.

use super::acceptance::{opened_by_acceptance, OpenCase};
use super::*;
use crate::http::extract::OptionalJson;

/// What a step of a dossier is given.
#[derive(Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DossierStepBody {
    /// `refuse`: the reasons; `request_supplement`: the documents asked for; `complete`: the
    /// result (each required); `accept`: optional.
    #[schema(min_length = 1, max_length = 4000)]
    #[validate(length(min = 1, max = 4000))]
    pub note: Option<String>,
    /// `accept` of a request for legal aid: the case to open (required there, refused
    /// elsewhere).
    #[validate(nested)]
    pub case: Option<OpenCase>,
}

/// Takes one step of a dossier: `accept` (for a request for legal aid it records the person,
/// after the duplicate check: 409 `possible_duplicates` lists the candidates, send
/// `case.recipient_id` to link one or `case.create_anyway`; and opens the case, `received`
/// or, with `case.accept`, `accepted`, whose first history entry points back to the
/// dossier), `request_supplement` (the clock stops until the portal sends the supplement),
/// `refuse`, `complete`. Each is a progress entry sent to the portal. An illegal step answers
/// 409 `illegal_step` with the steps allowed next.
#[utoipa::path(
    operation_id = "takeDossierStep",
    tag = "dossiers",
    params(
        ("step" = String, Path, description = "The step: accept, request_supplement, refuse, complete"),
        ("If-Match" = Option<String>, Header, description = "ETag of the dossier as read"),
    ),
    request_body(content = Option<DossierStepBody>),
    responses(
        (status = 200, description = "Done; the dossier.", body = DossierView, headers(("ETag" = String))),
        (status = 403, description = "The caller's role does not handle dossiers there.", body = Problem),
        (status = 409, description = "Not allowed from the current status (`allowed_steps` lists what is); a request for legal aid being handled, which its case's decision answers (`answered_by_case`); possible duplicates of the person, or an organization that handled no cases on the day the dossier was received (`not_handling_cases`).", body = Problem),
        (status = 422, description = "The case to open is invalid (`case.…`), or `case.recipient_id` names someone other than the person the request names (`not_the_person`: another citizen ID, or another name and date of birth) or no one in scope (`unknown_recipient`).", body = Problem),
    )
)]
#[post("/dossiers/{id}/steps/{step}")]
pub async fn take_dossier_step(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: OptionalJson<DossierStepBody>,
) -> Result<HttpResponse, ApiError> {
    let (id, step) = path.into_inner();
    let step = DossierStep::from_code(&step)
        .filter(|s| !s.is_the_portals())
        .ok_or_else(ApiError::not_found)?;
    let body = std::sync::Arc::new(body.0.unwrap_or_default());
    let outcome = state
        .write(move |conn| {
            if_match.settle(conn, |conn| {
                let before = load(conn, &caller, &id, Action::HandleDossier)?;
                if_match.check_current(&before)?;
                before
                    .dossier()
                    .check_handlers_step(step)
                    .map_err(|r| recorded::refused(r, step))?;
                let calendar = stored_reference::working_calendar(conn)?;
                let at = tgpl_persistence::now();
                let opened = if step == DossierStep::Accept {
                    match opened_by_acceptance(
                        conn,
                        &caller,
                        &before,
                        body.case.as_ref(),
                        at,
                        &calendar,
                    )? {
                        Ok(opened) => opened,
                        Err(refusal) => return Ok(Err(refusal)),
                    }
                } else if body.case.is_some() {
                    return Err(ApiError::field(
                        "case",
                        "not_for_step",
                        "Chỉ bước tiếp nhận mở vụ việc.",
                        "Only `accept` opens a case.",
                    ));
                } else {
                    None
                };
                let case_id = opened.as_ref().map(|o| o.case_id.clone());
                let mut after = recorded::take(
                    conn,
                    &caller.actor(),
                    &before,
                    step,
                    body.note.clone(),
                    at,
                    &calendar,
                    |row| {
                        if let Some(opened) = opened {
                            row.recipient_id = Some(opened.recipient_id);
                            row.case_id = Some(opened.case_id);
                            row.case_code = Some(opened.case_code);
                        }
                    },
                )?;
                // A case accepted at once (`case.accept`) answers the request now.
                if let Some(case_id) = case_id {
                    let case = tgpl_persistence::cases::get(conn, &case_id)?;
                    if let Some(answered) =
                        recorded::follow_case(conn, &caller.actor(), &case, None)?
                    {
                        after = answered;
                    }
                }
                Ok(Ok(DossierView::full(conn, after)?))
            })
        })
        .await?;
    let view = outcome?;
    Ok(dossier_response(view))
}
