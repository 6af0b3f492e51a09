//! Submitting a change request: every case one the unit works on, in a state that needs the
//! request, and with no other request pending.

use super::*;

#[derive(Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeItem {
    pub case_id: String,
    /// For `edit`: the fields to change.
    #[validate(nested)]
    pub changes: Option<UpdateCase>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitChangeRequest {
    #[schema(schema_with = crate::http::schemas::change_kind)]
    pub kind: ChangeKind,
    /// Why the change is needed (the unit's letter).
    #[schema(min_length = 1, max_length = 2000)]
    #[validate(length(min = 1, max = 2000))]
    pub reason: String,
    /// One or many cases of the caller's organization.
    #[schema(min_items = 1, max_items = 100)]
    #[validate(length(min = 1, max = 100), nested)]
    pub cases: Vec<ChangeItem>,
}

fn item_error(index: usize, code: &'static str, vi: &str, en: &str) -> ApiError {
    ApiError::validation(vec![FieldRefusal::new(
        format!("cases[{index}].case_id"),
        code,
        vi,
        en,
    )])
}

/// The stored item of `item`, the `i`th case of a request of `kind`, once checked: a case
/// the caller works on, in a state that needs the request, with no other request pending,
/// and for an edit, changes that leave the case whole and change something. Its refusals,
/// named under `cases[i]`, come inside `Ok`; what is not the item's fault (storage, 403)
/// comes as `Err`.
fn checked_item(
    conn: &mut DbConnection,
    caller: &Caller,
    kind: ChangeKind,
    i: usize,
    item: &ChangeItem,
    request_id: &str,
) -> Result<Result<ItemRow, ApiError>, ApiError> {
    let case = match crate::routes::cases::load(conn, caller, &item.case_id, Action::ManageCase) {
        Ok(c) => c,
        Err(e) if e.status != StatusCode::NOT_FOUND => return Err(e),
        Err(_) => {
            return Ok(Err(item_error(
                i,
                "unknown_case",
                "Không có vụ việc này trong phạm vi của bạn.",
                "No such case in your scope.",
            )))
        }
    };
    if !kind.needed_for(*case.state) {
        return Ok(Err(item_error(
            i,
            "not_needed",
            "Vụ việc chưa khóa (đơn vị tự sửa, xóa được) hoặc chưa lưu hồ sơ.",
            "The case is not locked (the unit can change it itself) or not archived.",
        )));
    }
    if change_requests::pending_for_case(conn, &case.id)? {
        return Ok(Err(item_error(
            i,
            "pending_request",
            "Vụ việc đang có đề nghị chờ xử lý.",
            "A request for this case is pending.",
        )));
    }
    // Checked now, so that the data centre is never asked for an impossible change, nor for
    // none.
    if let Some(changes) = &item.changes {
        let mut edited = case.clone();
        let born = crate::routes::cases::born_of(conn, &case)?;
        let checked = changes
            .apply(&mut edited, born)
            .and_then(|()| crate::routes::cases::check_interests_kept(conn, &case, &edited));
        if let Err(e) = checked {
            if e.status != StatusCode::UNPROCESSABLE_ENTITY {
                return Err(e);
            }
            return Ok(Err(e.within(&format!("cases[{i}].changes."))));
        }
        if edited == case {
            return Ok(Err(ApiError::field(
                &format!("cases[{i}].changes"),
                "no_change",
                "Đề nghị sửa không thay đổi gì ở vụ việc.",
                "The edit changes nothing in the case.",
            )));
        }
    }
    Ok(Ok(ItemRow {
        id: tgpl_persistence::new_id(),
        change_request_id: request_id.to_owned(),
        case_id: case.id,
        proposed_changes: item
            .changes
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(ApiError::logged("serializing a stored document"))?,
        open: true,
    }))
}

/// Asks the data centre to edit, delete or take out of the archive one or many locked
/// cases. Each case must be one the caller works on, in a state that needs the request
/// (locked for edits and deletion, archived to take out), with no other request pending.
#[utoipa::path(
    operation_id = "submitChangeRequest",
    tag = "change-requests",
    request_body = SubmitChangeRequest,
    responses(
        (status = 201, description = "Submitted.", body = ChangeRequestView, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "The caller's role does no casework.", body = Problem),
        (status = 422, description = "Each case that cannot be asked for is named in `errors` as `cases[i].case_id`: not in the caller's scope (`unknown_case`), not locked or not archived as the kind needs (`not_needed`), or with another request pending (`pending_request`); an edit that changes nothing is `no_change`.", body = Problem),
    )
)]
#[post("/change-requests")]
pub async fn submit(
    state: web::Data<AppState>,
    caller: Caller,
    body: ValidJson<SubmitChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let mut seen = HashSet::new();
    for (i, item) in body.cases.iter().enumerate() {
        if !seen.insert(item.case_id.clone()) {
            return Err(item_error(
                i,
                "duplicate",
                "Vụ việc bị lặp lại.",
                "The case is listed twice.",
            ));
        }
        if (body.kind == ChangeKind::Edit) != item.changes.is_some() {
            return Err(ApiError::validation(vec![FieldRefusal::new(
                format!("cases[{i}].changes"),
                "edit_only",
                "Đề nghị sửa cần nêu nội dung sửa; đề nghị khác thì không.",
                "Edits carry the changes; other requests do not.",
            )]));
        }
    }
    // Deleting is recording's other side: a contracted lawyer asks for neither.
    if body.kind == ChangeKind::Delete {
        crate::services::casework::check_records_cases(&caller)?;
    }
    let (request, items) = state
        .write(move |conn| {
            // Checked and written as one, so that requests for the same case sent at once
            // do not all find none pending.
            let claims: Vec<Claim> = body
                .cases
                .iter()
                .map(|item| Claim::new(Rule::ChangeRequest, item.case_id.as_str()))
                .collect();
            exclusive(conn, &claims, |conn| {
                let mut items = Vec::new();
                let request_id = tgpl_persistence::new_id();
                let mut refused = Vec::new();
                for (i, item) in body.cases.iter().enumerate() {
                    match checked_item(conn, &caller, body.kind, i, item, &request_id)? {
                        Ok(row) => items.push(row),
                        Err(e) => refused.extend(e.errors.iter().cloned()),
                    }
                }
                // Every item's refusals at once: a request of a hundred cases is corrected in
                // one go.
                if !refused.is_empty() {
                    return Err(ApiError::validation(refused));
                }
                let request = RequestRow {
                    id: request_id,
                    organization_id: caller.org_id.clone(),
                    kind: Code(body.kind),
                    reason: body.reason,
                    status: Code(ChangeRequestStatus::Pending),
                    requested_by: caller.username.clone(),
                    requested_at: tgpl_persistence::now(),
                    decided_by: None,
                    decided_at: None,
                    decision_reason: None,
                    version: 1,
                };
                change_requests::insert(conn, &caller.actor(), &request, &items)?;
                let items = shown(conn, &caller, &request, items)?;
                Ok((request, items))
            })
        })
        .await?;
    Ok(respond(StatusCode::CREATED, request, items))
}
