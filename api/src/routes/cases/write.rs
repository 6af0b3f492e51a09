//! Opening a case, correcting it while it is open, and deleting it (kept, marked deleted).

use super::litigation_changes::LitigationChanges;
use super::*;
use crate::http::extract::{kept, present};
use crate::services::idempotency::{self, keyed, IdempotencyKey};
use tgpl_domain::recipient::check_after_birth;
use tgpl_persistence::column::Code;
use tgpl_persistence::versioned::{save_revision, Versioned};

#[derive(Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCase {
    /// The handling organization.
    pub organization_id: String,
    /// The aided person (one case per person who requested aid).
    pub recipient_id: String,
    /// Shared reference grouping the cases of one proceeding.
    #[schema(min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub group_ref: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub requester_name: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub requester_relation: Option<String>,
    pub received_on: NaiveDate,
    #[schema(schema_with = crate::http::schemas::field)]
    pub field: Field,
    #[schema(schema_with = crate::http::schemas::aid_form)]
    pub form: AidForm,
    #[schema(schema_with = crate::http::schemas::aid_place)]
    pub place: AidPlace,
    #[schema(min_length = 1, max_length = 4000)]
    #[validate(length(min = 1, max = 4000))]
    pub summary: String,
    #[validate(nested)]
    pub litigation: Option<Litigation>,
}

/// Records a request for legal aid as a new case (state `received`). Its code
/// (`<organization>-<year>-<sequence>`) is never reused. With an `Idempotency-Key`, the same
/// request sent again (a connection lost before the answer came, a double click) records
/// nothing more and gets the first answer again, marked `Idempotent-Replayed: true`.
#[utoipa::path(
    operation_id = "createCase",
    tag = "cases",
    request_body = CreateCase,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a repeat of the request return the first answer: 1 to 255 visible ASCII characters, the caller's own", min_length = 1, max_length = 255, pattern = "^[!-~]{1,255}$")),
    responses(
        (status = 201, description = "Created, or created before under the same `Idempotency-Key` (then `Idempotent-Replayed: true`, and no `ETag`).", body = CaseView, headers(("ETag" = String), ("Location" = String))),
        (status = 400, description = "An invalid `Idempotency-Key`, or a body that is not JSON.", body = Problem),
        (status = 403, description = "The caller's role does no casework there, or records no requests (a contracted lawyer).", body = Problem),
        (status = 409, description = "The organization handled no cases on the day of receipt: it had stopped operating, or its participation had ended (`not_handling_cases`); or the `Idempotency-Key` was used for another request (`idempotency_key_reused`).", body = Problem),
        (status = 422, description = "A field is refused: a receipt in the future, before 1997-09-06 or before the person's birth; proceedings on a case that is not litigation (`not_litigation`); a defence, a charge, an investigation or prosecution stage or a proposed sentence on a case that is not criminal (`litigation.…`: `criminal_only`).", body = Problem),
    )
)]
#[post("/cases")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    key: IdempotencyKey,
    body: ValidJson<CreateCase>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let hash = idempotency::request_hash(&("create_case", &body))?;
    let case = Case::received(
        body.field,
        body.form,
        body.received_on,
        body.litigation.clone().map(Proceedings::from),
        today(),
    )
    .map_err(ApiError::refused)?;
    let (made, answer) = state
        .write(move |conn| {
            let mut made = None;
            let (answer, _) = keyed(conn, &caller, key.0, &hash, |conn| {
                let view = record_request(conn, &caller, body, &case)?;
                let location = format!("/api/v1/cases/{}", view.id);
                let answer = idempotency::answer(StatusCode::CREATED, Some(location), &view)?;
                made = Some(view);
                Ok(answer)
            })?;
            Ok((made, answer))
        })
        .await?;
    Ok(match made {
        Some(view) => respond(StatusCode::CREATED, view),
        None => idempotency::respond(answer, true),
    })
}

/// Records the request `body` for `case` as a new case, as `caller` sees it.
fn record_request(
    conn: &mut DbConnection,
    caller: &Caller,
    body: CreateCase,
    case: &Case,
) -> Result<CaseView, ApiError> {
    let org = scope::authorize(conn, caller, Action::ManageCase, &body.organization_id)?;
    check_records_cases(caller)?;
    check_handles_cases(&org, case.received_on)?;
    let recipient = match recipients::get(conn, &body.recipient_id) {
        Ok(r)
            if crate::services::recipient_access::allows(
                conn,
                caller,
                Action::ReadRecipient,
                &r,
            )? =>
        {
            r
        }
        Ok(_) | Err(tgpl_persistence::StoreError::NotFound) => {
            return Err(ApiError::field(
                "recipient_id",
                "unknown_recipient",
                "Không có người được trợ giúp pháp lý này trong phạm vi của bạn.",
                "No such recipient within your scope.",
            ))
        }
        Err(e) => return Err(e.into()),
    };
    check_after_birth("received_on", case.received_on, recipient.date_of_birth)?;
    let subject = CaseSubject {
        recipient_id: recipient.id,
        recipient_organization_id: recipient.organization_id,
        group_ref: body.group_ref,
        requester_name: body.requester_name,
        requester_relation: body.requester_relation,
        place: body.place,
        summary: body.summary,
        dossier_id: None,
    };
    let row = case_steps::open(conn, &caller.actor(), &org, case, subject, None)?;
    shown(conn, caller, row)
}

/// Fields a unit may correct while the case is open (also what an approved change request
/// applies to a locked case). A field left out keeps its value; `null` clears an optional
/// one (the group, the requester, the proceedings and the outcome), so that a case recorded
/// as litigation by mistake can take another form.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct UpdateCase {
    #[schema(min_length = 1, max_length = 100, value_type = Option<String>)]
    #[validate(length(min = 1, max = 100))]
    #[serde(
        default,
        deserialize_with = "crate::http::text::present_name",
        skip_serializing_if = "Option::is_none"
    )]
    pub group_ref: Option<Option<String>>,
    #[schema(min_length = 1, max_length = 200, value_type = Option<String>)]
    #[validate(length(min = 1, max = 200))]
    #[serde(
        default,
        deserialize_with = "crate::http::text::present_name",
        skip_serializing_if = "Option::is_none"
    )]
    pub requester_name: Option<Option<String>>,
    #[schema(min_length = 1, max_length = 200, value_type = Option<String>)]
    #[validate(length(min = 1, max = 200))]
    #[serde(
        default,
        deserialize_with = "crate::http::text::present_name",
        skip_serializing_if = "Option::is_none"
    )]
    pub requester_relation: Option<Option<String>>,
    #[schema(value_type = NaiveDate)]
    #[serde(
        default,
        deserialize_with = "kept",
        skip_serializing_if = "Option::is_none"
    )]
    pub received_on: Option<NaiveDate>,
    #[schema(schema_with = crate::http::schemas::field)]
    #[serde(
        default,
        deserialize_with = "kept",
        skip_serializing_if = "Option::is_none"
    )]
    pub field: Option<Field>,
    #[schema(schema_with = crate::http::schemas::aid_form)]
    #[serde(
        default,
        deserialize_with = "kept",
        skip_serializing_if = "Option::is_none"
    )]
    pub form: Option<AidForm>,
    #[schema(schema_with = crate::http::schemas::aid_place)]
    #[serde(
        default,
        deserialize_with = "kept",
        skip_serializing_if = "Option::is_none"
    )]
    pub place: Option<AidPlace>,
    #[schema(value_type = String, min_length = 1, max_length = 4000)]
    #[validate(length(min = 1, max = 4000))]
    #[serde(
        default,
        deserialize_with = "kept",
        skip_serializing_if = "Option::is_none"
    )]
    pub summary: Option<String>,
    /// Merged into the recorded proceedings (a field left out keeps its value); `null`
    /// removes them.
    #[validate(nested)]
    #[schema(value_type = Option<LitigationChanges>)]
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub litigation: Option<Option<LitigationChanges>>,
    #[schema(value_type = Option<NaiveDate>)]
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub outcome_on: Option<Option<NaiveDate>>,
    #[schema(value_type = Option<bool>)]
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub defence_accepted: Option<Option<bool>>,
    #[schema(schema_with = crate::http::schemas::or_null::success_kind)]
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub success_kind: Option<Option<SuccessKind>>,
}

/// Refuses a correction that moves the case's provider onto both sides of its proceedings:
/// its role, or its group, changed under them ([`case_steps::check_interests`]).
pub fn check_interests_kept(
    conn: &mut DbConnection,
    before: &CaseRow,
    after: &CaseRow,
) -> Result<(), ApiError> {
    let role = |c: &CaseRow| c.litigation.as_ref().and_then(|p| p.0.role);
    if after.group_ref != before.group_ref {
        case_steps::check_interests(conn, after, "group_ref")
    } else if role(after) != role(before) {
        case_steps::check_interests(conn, after, "litigation.role")
    } else {
        Ok(())
    }
}

impl UpdateCase {
    /// Applies the changes to a case whose person was born on `born` (when known); checks what
    /// depends on several fields, and that a new day of receipt is not before the birth.
    pub fn apply(&self, row: &mut CaseRow, born: Option<NaiveDate>) -> Result<(), ApiError> {
        let mut case = row.case();
        patch::set(&mut case.received_on, self.received_on);
        patch::set(&mut case.field, self.field);
        patch::set(&mut case.form, self.form);
        if let Some(changes) = &self.litigation {
            let recorded = case.proceedings.take();
            case.proceedings = changes.as_ref().map(|c| c.merged_into(recorded));
        }
        patch::set(&mut case.outcome_on, self.outcome_on);
        patch::set(&mut case.defence_accepted, self.defence_accepted);
        patch::set(&mut case.success_kind, self.success_kind);
        case.check_details(today()).map_err(ApiError::refused)?;
        if self.received_on.is_some() {
            check_after_birth("received_on", case.received_on, born)?;
        }
        row.set_case(&case);
        patch::set(&mut row.group_ref, self.group_ref.clone());
        patch::set(&mut row.requester_name, self.requester_name.clone());
        patch::set(&mut row.requester_relation, self.requester_relation.clone());
        patch::set(&mut row.place, self.place.map(Code));
        patch::set(&mut row.summary, self.summary.clone());
        row.search_text = case_steps::search_text(&row.code, &row.summary);
        Ok(())
    }
}

/// Corrects an open case. Requires `If-Match`. Closed cases are locked: 409 `case_locked`.
#[utoipa::path(
    operation_id = "updateCase",
    tag = "cases",
    params(("If-Match" = String, Header, description = "ETag of the case as read")),
    request_body = UpdateCase,
    responses(
        (status = 200, description = "Updated.", body = CaseView, headers(("ETag" = String))),
        (status = 403, description = "The caller's role does no casework (a contracted lawyer sees only the cases they perform: any other answers 404).", body = Problem),
        (status = 409, description = "The case is locked.", body = Problem),
        (status = 422, description = "A correction that leaves the case inconsistent, naming the field: as on creation (`criminal_only`, `not_litigation`, `out_of_order`), a form its provider does not give (`form`: `not_for_provider`), an outcome recorded here instead of by `complete` (`outcome_via_complete`), or a provider put on both sides of the proceedings (`group_ref` or `litigation.role`: `opposed_interests`).", body = Problem),
    )
)]
#[patch("/cases/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<UpdateCase>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.0;
    let row = state
        .write(move |conn| {
            let before = load(conn, &caller, &id, Action::ManageCase)?;
            if_match.require_current(&before)?;
            if before.state.is_locked() {
                return Err(locked());
            }
            let decision = body.litigation.as_ref().and_then(|l| l.as_ref());
            let outcome_field = [
                (
                    "litigation.outcome",
                    decision.is_some_and(|l| matches!(l.outcome, Some(Some(_)))),
                ),
                ("outcome_on", body.outcome_on.is_some()),
                ("defence_accepted", body.defence_accepted.is_some()),
                ("success_kind", body.success_kind.is_some()),
            ]
            .into_iter()
            .find_map(|(field, given)| given.then_some(field));
            if let Some(field) = outcome_field {
                return Err(ApiError::field(
                    field,
                    "outcome_via_complete",
                    "Kết quả vụ việc được ghi khi kết thúc vụ việc (bước complete).",
                    "The outcome is recorded by the `complete` step.",
                ));
            }
            let mut after = before.clone();
            body.apply(&mut after, born_of(conn, &before)?)?;
            let after = exclusive(conn, &case_steps::proceedings_claims(&after), |conn| {
                check_interests_kept(conn, &before, &after)?;
                save_revision(&before, after, |before, after| {
                    cases::save(
                        conn,
                        &caller.actor(),
                        AuditAction::CaseUpdate,
                        before,
                        after,
                        None,
                    )
                })
                .map_err(ApiError::from)
            })?;
            shown(conn, &caller, after)
        })
        .await?;
    Ok(respond(StatusCode::OK, row))
}

/// Deletes an open case (kept, marked deleted, for the audit). Its code is never reused.
#[utoipa::path(
    operation_id = "deleteCase",
    tag = "cases",
    params(("If-Match" = Option<String>, Header, description = "ETag of the case as read")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 403, description = "The caller's role does no casework, or deletes no cases (a contracted lawyer).", body = Problem),
        (status = 409, description = "The case is locked (`case_locked`), or answers a request for legal aid filed online that waits on its decision (`answers_dossier`: refuse it or record the withdrawal instead).", body = Problem),
    )
)]
#[delete("/cases/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    state
        .write(move |conn| {
            if_match.settle(conn, |conn| {
                let before = load(conn, &caller, &id, Action::ManageCase)?;
                check_records_cases(&caller)?;
                if_match.check_current(&before)?;
                if before.state.is_locked() {
                    return Err(locked());
                }
                crate::services::dossiers::check_case_removable(conn, &before.id)?;
                let mut after = before.clone();
                after.deleted_at = Some(tgpl_persistence::now());
                after.revise();
                Ok(cases::save(
                    conn,
                    &caller.actor(),
                    AuditAction::CaseDelete,
                    &before,
                    &after,
                    None,
                )?)
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
