//! The steps of a case's life cycle: the route looks up what a step names and lets the
//! domain decide (`tgpl_domain::case::take_step`, through `services::case_steps`).

use super::*;

/// The outcome recorded when a case is completed.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// Litigation: the decision.
    #[schema(min_length = 1, max_length = 2000)]
    #[validate(length(min = 1, max = 2000))]
    pub outcome: Option<String>,
    pub outcome_on: Option<NaiveDate>,
    pub defence_accepted: Option<bool>,
    #[schema(schema_with = crate::http::schemas::or_null::success_kind)]
    pub success_kind: Option<SuccessKind>,
}

/// What a step may carry; each step uses what it needs.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepBody {
    /// The legal date of the step (Viet Nam date); today when absent.
    pub on: Option<NaiveDate>,
    /// Why: required to refuse, change the provider, discontinue (the grounds).
    #[schema(min_length = 1, max_length = 2000)]
    #[validate(length(min = 1, max = 2000))]
    pub reason: Option<String>,
    /// `assign_provider`, `change_provider`: a staff member who can take the case.
    pub provider_id: Option<String>,
    /// `transfer_out`: the state legal aid centre of another province.
    pub to_organization_id: Option<String>,
    /// `complete`.
    #[validate(nested)]
    pub outcome: Option<Outcome>,
    /// `evaluate_quality`.
    #[schema(schema_with = crate::http::schemas::or_null::quality_grade)]
    pub grade: Option<QualityGrade>,
}

/// Takes one step of a case (accept, refuse, assign_provider, change_provider, start,
/// complete, discontinue, withdraw, transfer_out, evaluate_quality, archive). An illegal
/// step answers 409 `illegal_step` with the steps allowed next. `transfer_out` creates the
/// case in the receiving centre, which counts it as transferred in and sees its history.
#[utoipa::path(
    operation_id = "takeCaseStep",
    tag = "cases",
    params(
        ("step" = String, Path, description = "The step: accept, refuse, assign_provider, change_provider, start, complete, discontinue, withdraw, transfer_out, evaluate_quality, archive"),
        ("If-Match" = Option<String>, Header, description = "ETag of the case as read"),
    ),
    request_body(content = Option<StepBody>),
    responses(
        (status = 200, description = "Done; the case.", body = CaseView, headers(("ETag" = String))),
        (status = 403, description = "The caller's role may not take this step (a contracted lawyer sees only the cases they perform: any other answers 404).", body = Problem),
        (status = 409, description = "Not allowed from the current state (`illegal_step`: `allowed_steps` lists what is), or a quality evaluation of a case that is neither litigation nor representation (`not_evaluable`).", body = Problem),
        (status = 422, description = "The step's input is refused, naming the field: a day in the future or before the step before (`in_future`, `before_previous_step`, `before_receipt`); what the step needs (`required`); a provider who cannot take the case that day (`provider_id`: `not_a_provider`, `inactive`, `not_a_member`, `no_valid_card`, `organization_not_handling`), whose kind does not give the case's form (`not_for_form`: litigation and representation are for legal aid officers and lawyers), or who serves the other side of its proceedings (`opposed_interests`); the same provider again (`unchanged`); a transfer not to another province's active centre (`not_another_province_centre`); an outcome that does not agree with the case (`outcome.…`: `out_of_range`, `not_of_the_role`, `requires_accepted_defence`).", body = Problem),
    )
)]
#[post("/cases/{id}/steps/{step}")]
pub async fn take_step(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: OptionalJson<StepBody>,
) -> Result<HttpResponse, ApiError> {
    let (id, step) = path.into_inner();
    let step: Transition = step.parse().map_err(|_| ApiError::not_found())?;
    let body = body.0.unwrap_or_default();
    let view = state
        .write(move |conn| {
            // One transaction: a transfer's receiving case is created with the step, or not at all.
            let after = if_match.settle(conn, |conn| {
                let action = if step == Transition::EvaluateQuality {
                    Action::EvaluateCaseQuality
                } else {
                    Action::ManageCase
                };
                let before = load(conn, &caller, &id, action)?;
                if_match.check_current(&before)?;
                // A provider named is checked against the other side of the proceedings under
                // their claim; a transaction's advisory lock holds until it ends.
                let claims = if step.names_provider() {
                    case_steps::proceedings_claims(&before)
                } else {
                    Vec::new()
                };
                exclusive(conn, &claims, |conn| {
                    let input = step_input(conn, step, &body, &before)?;
                    let facts = StepFacts {
                        today: today(),
                        last_step_on: case_steps::last_step_on(conn, &before)?,
                        role: Some(caller.role),
                        actor: &caller.username,
                    };
                    case_steps::take_and_save(conn, &caller.actor(), &before, step, input, facts)
                })
            })?;
            shown(conn, &caller, after)
        })
        .await?;
    Ok(respond(StatusCode::OK, view))
}

/// The step's input as the domain takes it, with what it names looked up: the provider's
/// eligibility on the step's day, the organization a transfer goes to.
fn step_input(
    conn: &mut DbConnection,
    step: Transition,
    body: &StepBody,
    case: &CaseRow,
) -> Result<StepInput, ApiError> {
    let on = body.on.unwrap_or_else(today);
    let provider = match (&body.provider_id, step.names_provider()) {
        (Some(id), true) => Some(case_steps::provider_choice(conn, id.clone(), case, on)?),
        _ => None,
    };
    let transfer = match (&body.to_organization_id, step.names_transfer_target()) {
        (Some(to), true) => Some(case_steps::transfer_choice(
            conn,
            to.clone(),
            &case.organization_id,
        )?),
        _ => None,
    };
    Ok(StepInput {
        on,
        reason: body.reason.clone(),
        provider,
        transfer,
        outcome: body.outcome.clone().map(|o| OutcomeInput {
            outcome: o.outcome,
            outcome_on: o.outcome_on,
            defence_accepted: o.defence_accepted,
            success_kind: o.success_kind,
        }),
        grade: body.grade,
    })
}
