//! Organization lists: searched, filtered, sorted and paged, in the caller's scope.

use super::*;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganizationListQuery {
    #[param(schema_with = crate::http::schemas::organization_kind)]
    pub kind: Option<String>,
    pub province_code: Option<String>,
    #[param(schema_with = crate::http::schemas::organization_status)]
    pub status: Option<String>,
    #[param(schema_with = crate::http::schemas::participation_mode)]
    pub participation_mode: Option<String>,
    /// Only the organizations directly under this one today.
    pub parent_id: Option<String>,
    /// Searches name and code, ignoring case and Vietnamese diacritics.
    pub q: Option<String>,
    /// `name` (default), `code` or `created_at`; prefix `-` for descending.
    #[param(schema_with = organization_sorts)]
    pub sort: Option<String>,
}

/// The orders of the organization list.
fn organization_sorts() -> utoipa::openapi::Object {
    crate::http::page::sort_schema(&ORG_SORTS)
}

const ORG_SORTS: [(&str, OrgSort); 6] = [
    ("name", OrgSort::Name),
    ("-name", OrgSort::NameDesc),
    ("code", OrgSort::Code),
    ("-code", OrgSort::CodeDesc),
    ("created_at", OrgSort::CreatedAt),
    ("-created_at", OrgSort::CreatedAtDesc),
];

/// Lists the organizations in the caller's scope, filtered, sorted and paged.
#[utoipa::path(
    operation_id = "listOrganizations",
    tag = "organizations",
    params(OrganizationListQuery, PageQuery),
    responses(
        (status = 200, description = "One page of organizations.", body = Page<OrganizationView>),
    )
)]
#[get("/organizations")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<OrganizationListQuery>,
    paging: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = paging.request()?;
    let query = query.0;
    let sort = parse_sort(query.sort.as_deref(), OrgSort::Name, &ORG_SORTS)?;
    let kind = parse_filter::<OrganizationKind>("kind", query.kind)?;
    let status = parse_filter::<OrganizationStatus>("status", query.status)?;
    let mode = parse_filter::<ParticipationMode>("participation_mode", query.participation_mode)?;
    let (paged, parents) = state
        .db(move |conn| {
            let day = today();
            let mut within = scope::permitted(conn, &caller, Action::ReadOrganization)?;
            if let Some(parent_id) = &query.parent_id {
                let children: Vec<String> = scope::tree_today(conn, &caller)?
                    .subtree(parent_id)
                    .into_iter()
                    .filter(|n| n.depth == 1 && within.contains(&n.org_id))
                    .map(|n| n.org_id)
                    .collect();
                within = Permitted::Only(children);
            }
            let filter = OrgFilter {
                within: within.as_filter(),
                kind,
                province_code: query.province_code,
                status,
                participation_mode: mode,
                search: search_term(query.q.as_deref()),
                sort,
            };
            let paged = organizations::list(conn, &filter, page)?;
            let ids: Vec<String> = paged.items.iter().map(|r| r.id.clone()).collect();
            let parents = organizations::parents_on(conn, &ids, day)?;
            Ok((paged, parents))
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::new(&req, page, paged, |row| {
        let parent = parents.get(&row.id).cloned();
        OrganizationView::new(row, parent)
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_parse() {
        let parse = |raw| parse_sort(raw, OrgSort::Name, &ORG_SORTS);
        assert_eq!(parse(None).unwrap(), OrgSort::Name);
        assert_eq!(parse(Some("-code")).unwrap(), OrgSort::CodeDesc);
        assert!(parse(Some("password")).is_err());
    }

    #[test]
    fn patch_distinguishes_absent_from_null() {
        let patch: UpdateOrganization = serde_json::from_str(r#"{"phone": null}"#).unwrap();
        assert_eq!(patch.phone, Some(None));
        assert_eq!(patch.address, None);
    }
}
