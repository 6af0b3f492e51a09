//! The dated hierarchy: an organization's parent links, moves, deactivation (never with
//! active children), and its subtree as of a day.

use super::*;
use tgpl_persistence::versioned::Versioned;

#[derive(Deserialize, Validate, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct DeactivateOrganization {
    /// The day it stopped operating (Viet Nam date); today when absent.
    pub on: Option<NaiveDate>,
}

/// Marks an organization as no longer operating. Refused while active organizations hang
/// under it. Its records stay.
#[utoipa::path(
    operation_id = "deactivateOrganization",
    tag = "organizations",
    params(("If-Match" = Option<String>, Header, description = "ETag of the organization as read")),
    request_body(content = Option<DeactivateOrganization>),
    responses(
        (status = 200, description = "Deactivated.", body = OrganizationView, headers(("ETag" = String))),
        (status = 403, description = "The caller may not restructure this organization.", body = Problem),
        (status = 409, description = "Already inactive (`already_inactive`), or it has active children (`has_active_children`).", body = Problem),
    )
)]
#[post("/organizations/{id}/deactivate")]
pub async fn deactivate(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: OptionalJson<DeactivateOrganization>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let on = body.0.and_then(|b| b.on).unwrap_or_else(today);
    let (row, parent) = state
        .write(move |conn| {
            // Under the tree's claim: no child is created or moved under it meanwhile.
            if_match.settle(conn, |conn| exclusive(conn, &[Claim::new(Rule::Hierarchy, "")], |conn| {
                let before = scope::authorize(conn, &caller, Action::RestructureOrganization, &id)?;
                if_match.check_current(&before)?;
                let began = organizations::history(conn, &id)?
                    .first()
                    .map_or(before.created_at.date(), |l| l.valid_from);
                tgpl_domain::organization::check_deactivation_day(on, Some(began), today())?;
                if *before.status != OrganizationStatus::Active {
                    return Err(ApiError::conflict(
                        "already_inactive",
                        Text::new("Tổ chức đã ngừng hoạt động.", "The organization is already inactive."),
                    ));
                }
                let children = organizations::count_active_children(conn, &id, today())?;
                if children > 0 {
                    return Err(ApiError::conflict(
                        "has_active_children",
                        Text::new(
                            format!("Còn {children} đơn vị trực thuộc đang hoạt động; hãy chuyển hoặc ngừng hoạt động các đơn vị đó trước."),
                            format!("{children} active organizations still hang under it; move or deactivate them first."),
                        ),
                    ));
                }
                let mut after = before.clone();
                after.status = Code(OrganizationStatus::Inactive);
                after.deactivated_on = Some(on);
                after.revise();
                organizations::save(conn, &caller.actor(), AuditAction::OrganizationDeactivate, &before, &after)?;
                let parent = organizations::link_on(conn, &id, today())?.map(|l| l.parent_id);
                Ok((after, parent))
            }))
        })
        .await?;
    Ok(single(actix_web::http::StatusCode::OK, row, parent))
}

#[derive(Serialize, ToSchema)]
pub struct ParentLinkView {
    pub parent_id: String,
    /// First day under this parent.
    pub valid_from: NaiveDate,
    /// First day no longer under it; absent while in force.
    pub valid_to: Option<NaiveDate>,
}

/// The organization's parents over time, oldest first.
#[utoipa::path(
    operation_id = "listOrganizationParents",
    tag = "organizations",
    responses(
        (status = 200, description = "Dated parent links.", body = Vec<ParentLinkView>),
    )
)]
#[get("/organizations/{id}/parents")]
pub async fn list_parents(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let links = state
        .db(move |conn| {
            scope::authorize(conn, &caller, Action::ReadOrganization, &id)?;
            Ok(organizations::history(conn, &id)?)
        })
        .await?;
    let views: Vec<ParentLinkView> = links
        .into_iter()
        .map(|l| ParentLinkView {
            parent_id: l.parent_id,
            valid_from: l.valid_from,
            valid_to: l.valid_to,
        })
        .collect();
    Ok(HttpResponse::Ok().json(views))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveOrganization {
    pub parent_id: String,
    /// First day under the new parent (Viet Nam date); today when absent. Statistics of
    /// earlier periods keep aggregating under the old parent.
    pub effective_from: Option<NaiveDate>,
}

/// Hangs an organization under another parent from a given day (a reorganization, such as
/// the merger of provinces on 1 July 2025). The day must come after the start of the
/// organization's latest link. A move into another province takes the organization and
/// everything below it into that province, and is recorded on or after the day it takes
/// effect. The organization's version (ETag) changes.
#[utoipa::path(
    operation_id = "moveOrganization",
    tag = "organizations",
    params(("If-Match" = Option<String>, Header, description = "ETag of the organization as read")),
    request_body = MoveOrganization,
    responses(
        (status = 201, description = "Moved; the new link.", body = ParentLinkView, headers(("Location" = String))),
        (status = 403, description = "The caller may not restructure here.", body = Problem),
        (status = 409, description = "The day is not after the latest link began (`invalid_effective_date`), the parent is inactive (`parent_inactive`) or not in the hierarchy that day (`parent_not_in_place`), or, for a move to another province, moves recorded ahead touch the organizations moved (`moves_ahead`).", body = Problem),
    )
)]
#[post("/organizations/{id}/parents")]
pub async fn move_to(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<MoveOrganization>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.0;
    let link = state
        .write(move |conn| {
            // Under the tree's claim: two moves at once cannot make a cycle between them.
            if_match.settle(conn, |conn| exclusive(conn, &[Claim::new(Rule::Hierarchy, "")], |conn| {
                let org = scope::authorize(conn, &caller, Action::RestructureOrganization, &id)?;
                if_match.check_current(&org)?;
                let parent = scope::authorize(conn, &caller, Action::CreateChildOrganization, &body.parent_id)?;
                let from = body.effective_from.unwrap_or_else(today);
                check_new_parent(conn, *org.kind, &parent, from)?;
                // A move starts after every link the organization already has, so that it
                // never has two parents on one day.
                let history = organizations::history(conn, &id)?;
                if let Some(latest) = history.last() {
                    if latest.valid_from >= from || (latest.parent_id == parent.id && latest.valid_to.is_none()) {
                        return Err(ApiError::conflict(
                            "invalid_effective_date",
                            Text::new(
                                format!(
                                    "Ngày hiệu lực phải sau ngày bắt đầu của quan hệ trực thuộc gần nhất ({}) và đơn vị cấp trên phải khác.",
                                    latest.valid_from
                                ),
                                format!(
                                    "The effective day must be after the latest link began ({}) and the parent must differ.",
                                    latest.valid_from
                                ),
                            ),
                        ));
                    }
                }
                if move_would_cycle(&organizations::all_links(conn)?, &id, &parent.id, from) {
                    return Err(ApiError::field(
                        "parent_id",
                        "cycle",
                        "Không thể chuyển tổ chức vào dưới chính nó hoặc đơn vị trực thuộc của nó.",
                        "An organization cannot hang under itself or one of its descendants.",
                    ));
                }
                let province = resolve_province(conn, *org.kind, parent.province_code.clone(), Some(&parent))?;
                let crosses_provinces = province != org.province_code;
                if crosses_provinces && from > today() {
                    return Err(ApiError::field(
                        "effective_from",
                        "future_province_change",
                        "Việc chuyển sang tỉnh khác được ghi nhận từ ngày có hiệu lực, không ghi trước.",
                        "A move to another province is recorded on or after the day it takes effect.",
                    ));
                }
                // What goes with it to another province: its subtree as it stands today.
                let moving: Vec<String> = if crosses_provinces {
                    let day = today();
                    Hierarchy::on(day, &organizations::links_on(conn, day)?)
                        .subtree(&id)
                        .into_iter()
                        .map(|n| n.org_id)
                        .collect()
                } else {
                    Vec::new()
                };
                // Moves recorded ahead in the subtree, or into it, were decided for the old
                // province: they would take organizations across provinces unseen.
                if crosses_provinces && organizations::links_ahead(conn, &moving, today())? > 0 {
                    return Err(ApiError::conflict(
                        "moves_ahead",
                        Text::new(
                            "Trong các đơn vị được chuyển có việc chuyển trực thuộc đã ghi trước cho ngày sau; hãy chuyển sang tỉnh khác sau ngày đó.",
                            "Moves recorded ahead for later days touch the organizations moved; move them to another province after those days.",
                        ),
                    ));
                }
                let actor = caller.actor();
                let mut moved = org.clone();
                moved.province_code = province.clone();
                let link = organizations::move_to(conn, &actor, &org, &moved, &parent.id, from)?;
                // Everything below follows the organization into its new province.
                for before in organizations::get_many(conn, moving.get(1..).unwrap_or_default())? {
                    let mut after = before.clone();
                    after.province_code = province.clone();
                    after.revise();
                    organizations::save(conn, &actor, AuditAction::OrganizationUpdate, &before, &after)?;
                }
                Ok(link)
            }))
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/organizations/{}/parents", link.org_id),
        ))
        .json(ParentLinkView {
            parent_id: link.parent_id,
            valid_from: link.valid_from,
            valid_to: link.valid_to,
        }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubtreeQuery {
    /// The day whose hierarchy to show (Viet Nam date); today when absent.
    pub as_of: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct SubtreeNodeView {
    pub id: String,
    pub code: String,
    pub name: String,
    #[schema(schema_with = crate::http::schemas::organization_kind)]
    pub kind: OrganizationKind,
    /// As it was on that day.
    #[schema(schema_with = crate::http::schemas::organization_status)]
    pub status: OrganizationStatus,
    pub province_code: Option<String>,
    /// Parent on that day; absent for the requested root.
    pub parent_id: Option<String>,
    /// 0 for the requested organization.
    pub depth: usize,
}

/// An organization and everything under it as the hierarchy stood on a given day,
/// breadth first. Only organizations within the caller's scope are listed.
#[utoipa::path(
    operation_id = "readOrganizationSubtree",
    tag = "organizations",
    params(SubtreeQuery),
    responses(
        (status = 200, description = "The subtree.", body = Vec<SubtreeNodeView>),
    )
)]
#[get("/organizations/{id}/subtree")]
pub async fn subtree(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: Query<SubtreeQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let day = query.as_of.unwrap_or_else(today);
    let nodes = state
        .db(move |conn| {
            scope::authorize(conn, &caller, Action::ReadOrganization, &id)?;
            let visible = scope::permitted(conn, &caller, Action::ReadOrganization)?;
            let tree = Hierarchy::on(day, &organizations::links_on(conn, day)?);
            let nodes: Vec<_> = tree
                .subtree(&id)
                .into_iter()
                .filter(|n| visible.contains(&n.org_id))
                .collect();
            let ids: Vec<String> = nodes.iter().map(|n| n.org_id.clone()).collect();
            let mut rows: std::collections::HashMap<String, OrganizationRow> =
                organizations::get_many(conn, &ids)?
                    .into_iter()
                    .map(|r| (r.id.clone(), r))
                    .collect();
            Ok(nodes
                .into_iter()
                .filter_map(|n| {
                    rows.remove(&n.org_id).map(|r| SubtreeNodeView {
                        id: r.id,
                        code: r.code,
                        name: r.name,
                        kind: *r.kind,
                        status: OrganizationStatus::on(r.deactivated_on, day),
                        province_code: r.province_code,
                        parent_id: n.parent_id,
                        depth: n.depth,
                    })
                })
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(HttpResponse::Ok().json(nodes))
}
