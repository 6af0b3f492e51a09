//! Memberships: a person joins an organization, or leaves it on a day that has come.

use super::*;
use tgpl_persistence::versioned::Versioned;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MembershipInput {
    pub organization_id: String,
    #[schema(schema_with = crate::http::schemas::membership_relation)]
    pub relation: MembershipRelation,
    #[schema(schema_with = crate::http::schemas::title)]
    pub title: Title,
    /// Only for legal aid officers.
    #[schema(schema_with = crate::http::schemas::or_null::officer_rank)]
    pub officer_rank: Option<OfficerRank>,
    /// First day of membership (Viet Nam date); today when absent.
    pub valid_from: Option<NaiveDate>,
}

pub(super) fn new_membership(
    staff_id: &str,
    m: &MembershipInput,
) -> Result<MembershipRow, ApiError> {
    if m.officer_rank.is_some() && m.title != Title::LegalAidOfficer {
        return Err(ApiError::field(
            "officer_rank",
            "not_an_officer",
            "Chỉ Trợ giúp viên pháp lý có hạng.",
            "Only legal aid officers have a rank.",
        ));
    }
    let now = tgpl_persistence::now();
    Ok(MembershipRow {
        id: tgpl_persistence::new_id(),
        staff_id: staff_id.to_owned(),
        organization_id: m.organization_id.clone(),
        relation: Code(m.relation),
        title: Code(m.title),
        officer_rank: m.officer_rank.map(Code),
        valid_from: m.valid_from.unwrap_or_else(today),
        valid_to: None,
        end_reason: None,
        version: 1,
        created_at: now,
        updated_at: now,
    })
}

/// Adds a membership: a person joins another organization, or holds a contract with a
/// centre beside their practice.
#[utoipa::path(
    operation_id = "addMembership",
    tag = "staff",
    params(("If-Match" = Option<String>, Header, description = "ETag of the person as read")),
    request_body = MembershipInput,
    responses(
        (status = 201, description = "Added; the person.", body = StaffView, headers(("ETag" = String))),
        (status = 403, description = "The caller may not manage staff there.", body = Problem),
        (status = 409, description = "Already a current member in that organization (`already_member`), employed in another province over those days (`already_employed`: one province at a time), or the organization stopped operating (`organization_inactive`).", body = Problem),
        (status = 422, description = "The membership begins before the person is 18 (`valid_from`: `before_birth`, `under_age`), or a rank is given to someone not a legal aid officer (`officer_rank`: `not_an_officer`).", body = Problem),
    )
)]
#[post("/staff/{id}/memberships")]
pub async fn add_membership(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<MembershipInput>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.0;
    let shown = state
        .write(move |conn| {
            // Checked and written as one: memberships sent at once must not all find none.
            // Written over the person's version as read: a change of another kind decided
            // on the same version loses (and is tried again when no version was named).
            if_match.settle(conn, |conn| exclusive(conn, &[Claim::new(Rule::Membership, id.as_str())], |conn| {
                let person = load(conn, &caller, &id, Action::ReadStaff)?;
                if_match.check_current(&person.row)?;
                let org = scope::authorize(conn, &caller, Action::ManageStaff, &body.organization_id)?;
                crate::services::casework::check_operating(&org)?;
                let membership = new_membership(&id, &body)?;
                tgpl_domain::staff::check_of_age_for_work(
                    person.row.date_of_birth,
                    Some(membership.valid_from),
                    "valid_from",
                )?;
                if body.relation == MembershipRelation::Employee {
                    let employments: Vec<(tgpl_domain::staff::Membership, Option<String>)> = {
                        let held: Vec<&MembershipRow> = person
                            .memberships
                            .iter()
                            .filter(|m| *m.relation == MembershipRelation::Employee)
                            .collect();
                        let ids: Vec<String> = held.iter().map(|m| m.organization_id.clone()).collect();
                        let provinces: std::collections::HashMap<String, Option<String>> =
                            tgpl_persistence::organizations::get_many(conn, &ids)?
                                .into_iter()
                                .map(|o| (o.id, o.province_code))
                                .collect();
                        held.into_iter()
                            .map(|m| (m.to_domain(), provinces.get(&m.organization_id).cloned().flatten()))
                            .collect()
                    };
                    tgpl_domain::staff::check_single_employment(
                        employments.iter().map(|(m, p)| (m, p.as_deref())),
                        &membership.to_domain(),
                        org.province_code.as_deref(),
                    )
                    .map_err(|_| {
                            ApiError::conflict(
                                "already_employed",
                                Text::new(
                                    "Người này đang là viên chức, người lao động của tổ chức thuộc tỉnh khác trong thời gian đó; hãy chấm dứt quan hệ đó trước.",
                                    "The person is employed in another province over those days; end that employment first.",
                                ),
                            )
                        })?;
                }
                let held: Vec<_> = person.memberships.iter().map(MembershipRow::to_domain).collect();
                if tgpl_domain::staff::check_no_overlap(&held, &membership.to_domain()).is_err() {
                    return Err(ApiError::conflict(
                        "already_member",
                        Text::new(
                            "Người này đang là thành viên của tổ chức đó; hãy chấm dứt quan hệ cũ trước.",
                            "The person is already a member there; end that membership first.",
                        ),
                    ));
                }
                staff::add_membership(conn, &caller.actor(), &membership, person.row.version)?;
                let person = Person::read(conn, &id)?;
                shown(conn, person)
            }))
        })
        .await?;
    Ok(respond(StatusCode::CREATED, shown))
}

#[derive(Deserialize, Validate, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct EndMembership {
    /// First day no longer a member (Viet Nam date, not in the future); today when absent.
    pub on: Option<NaiveDate>,
    #[schema(min_length = 1, max_length = 500)]
    #[validate(length(min = 1, max = 500))]
    pub reason: Option<String>,
}

/// Ends a membership (transfer, retirement, end of contract) on a day that has come. The
/// person's accounts in that organization are deactivated at once.
#[utoipa::path(
    operation_id = "endMembership",
    tag = "staff",
    params(("If-Match" = Option<String>, Header, description = "ETag of the person as read")),
    request_body = EndMembership,
    responses(
        (status = 200, description = "Ended; the person.", body = StaffView, headers(("ETag" = String))),
        (status = 403, description = "The caller may not manage staff there.", body = Problem),
        (status = 409, description = "Already ended, or the day is not after it began (`invalid_membership_end`).", body = Problem),
    )
)]
#[post("/staff/{id}/memberships/{membership_id}/end")]
pub async fn end_membership(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: ValidJson<EndMembership>,
) -> Result<HttpResponse, ApiError> {
    let (id, membership_id) = path.into_inner();
    let body = body.0;
    let on = body.on.unwrap_or_else(today);
    if on > today() {
        return Err(ApiError::field(
            "on",
            "in_future",
            "Quan hệ công tác được chấm dứt từ ngày đã đến, không ghi trước.",
            "A membership is ended on a day that has come, not ahead of it.",
        ));
    }
    let shown = state
        .write(move |conn| {
            // Under the memberships' claim: an account linked meanwhile to this membership's
            // organization is deactivated with it, not left behind.
            if_match.settle(conn, |conn| {
                exclusive(conn, &[Claim::new(Rule::Membership, id.as_str())], |conn| {
                    let person = load(conn, &caller, &id, Action::ReadStaff)?;
                    if_match.check_current(&person.row)?;
                    let Some(before) = person
                        .memberships
                        .iter()
                        .find(|m| m.id == membership_id)
                        .cloned()
                    else {
                        return Err(ApiError::not_found());
                    };
                    scope::authorize(conn, &caller, Action::ManageStaff, &before.organization_id)?;
                    if tgpl_domain::staff::check_end(&before.to_domain(), on, today()).is_err() {
                        return Err(ApiError::conflict(
                    "invalid_membership_end",
                    Text::new(
                        "Quan hệ công tác đã chấm dứt, hoặc ngày chấm dứt không sau ngày bắt đầu.",
                        "The membership has ended already, or the day is not after it began.",
                    ),
                ));
                    }
                    let mut after = before.clone();
                    after.valid_to = Some(on);
                    after.end_reason = body.reason.clone();
                    after.revise();
                    staff::end_membership(
                        conn,
                        &caller.actor(),
                        &before,
                        &after,
                        person.row.version,
                    )?;
                    let person = Person::read(conn, &id)?;
                    shown(conn, person)
                })
            })
        })
        .await?;
    Ok(respond(StatusCode::OK, shown))
}
