//! The log of reads of people's personal data: who read whose record, when, and how.

use super::*;

#[derive(Serialize, ToSchema)]
pub struct AccessView {
    pub id: i64,
    /// The person aided whose data was read; `null` for an applicant in a dossier not linked
    /// to one (`record_id` names the dossier).
    pub recipient_id: Option<String>,
    pub accessed_at: DateTime<Utc>,
    pub account_id: String,
    pub username: String,
    pub role: String,
    pub organization_id: String,
    #[schema(schema_with = crate::http::schemas::data_access)]
    pub access: DataAccess,
    pub request_id: Option<String>,
    /// The record the data was read through: the dossier (`dossier`, `dossier_link`), its
    /// document (`dossier_document`), the case document (`attachment`), the case a search
    /// by name found (`case_search`); `null` for the person's own record.
    pub record_id: Option<String>,
}

impl From<AccessRow> for AccessView {
    fn from(a: AccessRow) -> Self {
        Self {
            id: a.id,
            recipient_id: a.recipient_id,
            accessed_at: utc(a.accessed_at),
            account_id: a.account_id,
            username: a.username,
            role: a.role,
            organization_id: a.org_id,
            access: *a.access,
            request_id: a.request_id,
            record_id: a.record_id,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccessLogQuery {
    pub recipient_id: Option<String>,
    /// The reads made through one record: a dossier, a document, a case.
    pub record_id: Option<String>,
    pub account_id: Option<String>,
    /// From this instant, inclusive (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Until this instant, exclusive (RFC 3339).
    pub to: Option<DateTime<Utc>>,
    /// Entries up to this id, inclusive. The `next` link carries it, so that the pages read
    /// the log as the first one saw it, however many reads are logged meanwhile.
    #[param(minimum = 1)]
    pub until_id: Option<i64>,
}

/// Who read which person's personal data, through which record, and when (data centre only),
/// newest first: the recipients' records and the applicants' data in dossiers.
#[utoipa::path(
    operation_id = "listRecipientAccessLog",
    tag = "recipients",
    params(AccessLogQuery, PageQuery),
    responses(
        (status = 200, description = "One page of reads.", body = Page<AccessView>),
        (status = 403, description = "Only the data centre reads the access log.", body = Problem),
    )
)]
#[get("/recipient-access-log")]
pub async fn access_log(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<AccessLogQuery>,
    paging: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    if access::decide_system(&caller.policy(), SystemAction::ReadRecipientAccessLog)
        != access::Decision::Allow
    {
        return Err(ApiError::forbidden());
    }
    let page = paging.request()?;
    let q = query.0;
    crate::http::page::check_span(("from", q.from), ("to", q.to))?;
    crate::http::page::check_until_id(q.until_id)?;
    let filter = AccessFilter {
        recipient_id: q.recipient_id,
        record_id: q.record_id,
        account_id: q.account_id,
        from: q.from.map(|t| t.naive_utc()),
        to: q.to.map(|t| t.naive_utc()),
        until_id: q.until_id,
    };
    let paged = state
        .db(move |conn| Ok(recipients::access_log(conn, &filter, page)?))
        .await?;
    let page = Page::new(&req, page, paged, AccessView::from).held(q.until_id, |e| e.id);
    crate::routes::audit::record_read(&state, &caller, "recipient_access_log", req.query_string())
        .await?;
    Ok(HttpResponse::Ok().json(page))
}
