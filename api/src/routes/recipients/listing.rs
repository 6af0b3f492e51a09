//! Lists of people aided, in the caller's scope; every person shown is a logged read.

use super::*;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecipientListQuery {
    /// Searches names, ignoring case and Vietnamese diacritics.
    pub q: Option<String>,
    /// Exact citizen ID.
    #[param(pattern = "^[0-9]{12}$")]
    pub citizen_id: Option<String>,
    pub province_code: Option<String>,
}

/// Lists the people the caller's organization handles, by name. Every person listed counts
/// as a read of their data and is logged.
#[utoipa::path(
    operation_id = "listRecipients",
    tag = "recipients",
    params(RecipientListQuery, PageQuery),
    responses(
        (status = 200, description = "One page of people.", body = Page<RecipientView>),
        (status = 403, description = "The caller's role handles no recipients.", body = Problem),
    )
)]
#[get("/recipients")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<RecipientListQuery>,
    paging: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = paging.request()?;
    let query = query.0;
    let citizen_id = match query.citizen_id.as_deref() {
        Some(raw) => Some(
            CitizenId::parse(raw)
                .map_err(ApiError::refused)?
                .as_str()
                .to_owned(),
        ),
        None => None,
    };
    let (paged, proofs, entries) = state
        .db(move |conn| {
            let permitted = scope::listable(conn, &caller, Action::ReadRecipient)?;
            let filter = RecipientFilter {
                organizations: permitted.as_filter(),
                performed_by: crate::services::casework::performed_by(&caller),
                search: search_term(query.q.as_deref()),
                citizen_id,
                province_code: query.province_code,
            };
            let paged = recipients::list(conn, &filter, page)?;
            let ids: Vec<String> = paged.items.iter().map(|r| r.id.clone()).collect();
            let entries: Vec<Access> = ids
                .iter()
                .map(|id| access_entry(&caller, id, DataAccess::List))
                .collect();
            Ok((paged, recipients::proofs_of(conn, &ids)?, entries))
        })
        .await?;
    log_reads(&state, entries).await?;
    let mut by_person: HashMap<String, Vec<ProofRow>> = HashMap::new();
    for p in proofs {
        by_person.entry(p.recipient_id.clone()).or_default().push(p);
    }
    Ok(HttpResponse::Ok().json(Page::new(&req, page, paged, |row| {
        let proofs = by_person.remove(&row.id).unwrap_or_default();
        RecipientView::new(row, &proofs)
    })))
}
