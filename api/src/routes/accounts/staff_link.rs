//! Linking an account to the staff record of the person who holds it.

use super::*;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkStaff {
    /// A staff record with a current membership in the account's organization; `null`
    /// unlinks.
    pub staff_id: Option<String>,
}

/// Links a person's account to their staff record. Ending that membership later
/// deactivates the account.
#[utoipa::path(
    operation_id = "linkAccountToStaff",
    tag = "accounts",
    params(("If-Match" = Option<String>, Header, description = "ETag of the account as read")),
    request_body = LinkStaff,
    responses(
        (status = 200, description = "Linked.", body = AccountView, headers(("ETag" = String))),
        (status = 403, description = "The caller may not administer this account.", body = Problem),
        (status = 409, description = "The caller's own account: another administrator changes it (`own_account`); or a deactivated account, kept as it was (`invalid_account_state`). A contracted lawyer's account is linked to a lawyer's record only (422 `not_a_lawyer`).", body = Problem),
    )
)]
#[post("/accounts/{id}/staff")]
pub async fn link_staff(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<LinkStaff>,
) -> Result<HttpResponse, ApiError> {
    let staff_id = body.0.staff_id;
    let row = change(
        &state,
        caller,
        Family::Person,
        id.into_inner(),
        if_match,
        AuditAction::AccountLinkStaff,
        move |conn, a| {
            if a.status.is_closed() {
                return Err(ApiError::conflict(
                    "invalid_account_state",
                    Text::new(
                        "Tài khoản đã bị vô hiệu hóa; được giữ nguyên như cũ để đối chiếu.",
                        "The account was deactivated; it is kept as it was for the audit trail.",
                    ),
                ));
            }
            // In the same transaction as the change, under the person's memberships' claim
            // (an ending membership waits, then deactivates this account): the person
            // belongs to the account's organization today.
            if let Some(staff_id) = &staff_id {
                let claim = Claim::new(Rule::Membership, staff_id.as_str());
                let member = exclusive(conn, &[claim], |conn| {
                    tgpl_persistence::staff::memberships(conn, staff_id)
                })?
                .iter()
                .any(|m| {
                    m.organization_id == a.organization_id && m.to_domain().holds_on(scope::today())
                });
                if !member {
                    return Err(ApiError::field(
                        "staff_id",
                        "not_a_member",
                        "Người này không đang công tác tại tổ chức của tài khoản.",
                        "The person is no current member of the account's organization.",
                    ));
                }
                let person = tgpl_persistence::staff::get(conn, staff_id)?;
                tgpl_domain::account::check_holder(*a.role, person.provider_kind.map(|k| k.0))?;
            }
            a.staff_id = staff_id.clone();
            Ok(())
        },
    )
    .await?;
    Ok(account_response(row))
}
