//! Case lists in the caller's scope, and the filters that reports share.

use super::*;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseListQuery {
    /// Cases of this organization and everything under it.
    pub organization_id: Option<String>,
    /// One or more states, comma-separated.
    #[param(schema_with = crate::http::schemas::case_state_list)]
    pub state: Option<String>,
    #[param(schema_with = crate::http::schemas::field)]
    pub field: Option<String>,
    #[param(schema_with = crate::http::schemas::aid_form)]
    pub form: Option<String>,
    pub provider_id: Option<String>,
    pub recipient_id: Option<String>,
    /// The statistical category of the aided person (the category whose proof came first).
    #[param(schema_with = crate::http::schemas::recipient_category)]
    pub recipient_category: Option<String>,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    /// Litigation cases whose defence view was accepted (`true`) or the others (`false`).
    pub successful: Option<bool>,
    /// Searches code, recipient name and summary, ignoring case and Vietnamese diacritics.
    pub q: Option<String>,
    /// `-received_on` (default), `received_on`, `code`, `-code`.
    #[param(schema_with = case_sorts)]
    pub sort: Option<String>,
}

/// The orders of the case list.
fn case_sorts() -> utoipa::openapi::Object {
    crate::http::page::sort_schema(&CASE_SORTS)
}

const CASE_SORTS: [(&str, CaseSort); 4] = [
    ("-received_on", CaseSort::ReceivedDesc),
    ("received_on", CaseSort::Received),
    ("code", CaseSort::Code),
    ("-code", CaseSort::CodeDesc),
];

/// Lists the cases in the caller's scope, filtered, searched, sorted and paged.
#[utoipa::path(
    operation_id = "listCases",
    tag = "cases",
    params(CaseListQuery, PageQuery),
    responses(
        (status = 200, description = "One page of cases.", body = Page<CaseView>),
        (status = 403, description = "Service clients do not read cases.", body = Problem),
    )
)]
#[get("/cases")]
pub async fn list_cases(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<CaseListQuery>,
    paging: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = paging.request()?;
    let q = query.0;
    let filter = case_filter(q)?;
    let (paged, entries) = state
        .db(move |conn| {
            let filter = scoped(conn, &caller, filter)?;
            let readable = scope::permitted(conn, &caller, Action::ReadRecipient)?;
            let paged = cases::list(conn, &filter, page)?;
            // A search may have matched the aided person's name: that is a read of it.
            let entries: Vec<_> = match filter.search_names_in {
                Some(_) => paged
                    .items
                    .iter()
                    .filter(|c| readable.contains(&c.organization_id))
                    .map(|c| {
                        crate::services::recipient_access::access_entry(
                            &caller,
                            &c.recipient_id,
                            tgpl_domain::recipient::DataAccess::CaseSearch,
                        )
                        .through(&c.id)
                    })
                    .collect(),
                None => Vec::new(),
            };
            let redaction = Redaction::of(conn, &caller)?;
            let paged = tgpl_persistence::page::Paged {
                items: paged
                    .items
                    .into_iter()
                    .map(|row| redaction.view(row))
                    .collect(),
                total: paged.total,
            };
            Ok((paged, entries))
        })
        .await?;
    crate::services::recipient_access::log_reads(&state, entries).await?;
    Ok(HttpResponse::Ok().json(Page::new(&req, page, paged, |view| view)))
}

/// The filter of a case list query, checked.
pub fn case_filter(q: CaseListQuery) -> Result<(CaseFilter, Option<String>), ApiError> {
    crate::http::page::check_span(
        ("received_from", q.received_from),
        ("received_to", q.received_to),
    )?;
    let states = match q.state {
        None => None,
        Some(codes) => Some(
            codes
                .split(',')
                .map(|s| {
                    parse_filter::<CaseState>("state", Some(s.trim().to_owned()))
                        .map(|v| v.unwrap_or_default())
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    let sort = parse_sort(q.sort.as_deref(), CaseSort::ReceivedDesc, &CASE_SORTS)?;
    let filter = CaseFilter {
        organizations: None,
        performed_by: None,
        states,
        field: parse_filter::<Field>("field", q.field)?,
        form: parse_filter::<AidForm>("form", q.form)?,
        provider_id: q.provider_id,
        recipient_id: q.recipient_id,
        recipient_category: parse_filter::<tgpl_domain::reference::RecipientCategory>(
            "recipient_category",
            q.recipient_category,
        )?,
        received_from: q.received_from,
        received_to: q.received_to,
        successful: q.successful,
        outcome_from: None,
        outcome_to: None,
        search: search_term(q.q.as_deref()),
        search_names_in: None,
        sort,
    };
    Ok((filter, q.organization_id))
}

/// Restricts a filter to the caller's scope and, when asked, to one organization's subtree.
/// The aided person's name is searched, and `recipient_id` filtered on, only where the
/// caller may see recipients.
pub fn scoped(
    conn: &mut DbConnection,
    caller: &Caller,
    (mut filter, root): (CaseFilter, Option<String>),
) -> Result<CaseFilter, ApiError> {
    let permitted = scope::listable(conn, caller, Action::ReadCase)?;
    let readable = scope::permitted(conn, caller, Action::ReadRecipient)?;
    if filter.recipient_id.is_some() && readable == Permitted::Only(Vec::new()) {
        return Err(ApiError::forbidden());
    }
    if filter.recipient_id.is_some() {
        if let Permitted::Only(orgs) = &readable {
            filter.organizations = Some(orgs.clone());
        }
    }
    if filter.search.is_some() && readable != Permitted::Only(Vec::new()) {
        filter.search_names_in = Some(readable.as_filter());
    }
    let within = match root {
        None => permitted.as_filter(),
        Some(root) => {
            scope::authorize(conn, caller, Action::ReadCase, &root)?;
            let subtree: Vec<String> = scope::tree_today(conn, caller)?
                .subtree(&root)
                .into_iter()
                .map(|n| n.org_id)
                .filter(|id| permitted.contains(id))
                .collect();
            Some(subtree)
        }
    };
    filter.performed_by = crate::services::casework::performed_by(caller);
    filter.organizations = match (filter.organizations.take(), within) {
        (Some(a), Some(b)) => Some(a.into_iter().filter(|id| b.contains(id)).collect()),
        (a, b) => a.or(b),
    };
    Ok(filter)
}
