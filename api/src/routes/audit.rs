//! Reading the audit log (data centre only).

use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tgpl_domain::access::SystemAction;
use tgpl_domain::audit::AuditAction;
use tgpl_persistence::audit::{self, AuditEntryRow, AuditFilter};
use utoipa::{IntoParams, ToSchema};

use super::account_common::utc;
use crate::auth::Caller;
use crate::http::error::ApiError;
use crate::http::extract::Query;
use crate::http::page::{parse_filter, Page, PageQuery};
use crate::scope;
use crate::state::AppState;

type Problem = crate::http::error::Problem;

/// Records that `caller` read `log` (`audit_log`, `recipient_access_log`) with the query
/// `query`, before the entries are sent: the logs hold personal data (the records before and
/// after a change, who read whom), and who read them is itself for the audit.
pub async fn record_read(
    state: &AppState,
    caller: &Caller,
    log: &'static str,
    query: &str,
) -> Result<(), ApiError> {
    let (actor, query) = (caller.actor(), serde_json::json!({ "query": query }));
    state
        .write(move |conn| {
            tgpl_persistence::db::write_transaction(conn, |conn| {
                audit::record(
                    conn,
                    &actor,
                    audit::Change::<(), _> {
                        action: AuditAction::LogRead,
                        resource_type: log,
                        resource_id: log,
                        before: None,
                        after: Some(&query),
                    },
                )
            })
            .map_err(ApiError::from)
        })
        .await
}

#[derive(Serialize, ToSchema)]
pub struct AuditActor {
    /// Absent for the system acting on an operator's command.
    pub account_id: Option<String>,
    pub username: String,
    pub role: Option<String>,
    pub organization_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntryView {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor: AuditActor,
    #[schema(schema_with = crate::http::schemas::audit_action)]
    pub action: String,
    /// `organization`, `account`, `province`, ...
    pub resource_type: String,
    pub resource_id: String,
    /// The resource before the change; absent for creations.
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// The resource after the change.
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    pub request_id: Option<String>,
}

impl From<AuditEntryRow> for AuditEntryView {
    fn from(r: AuditEntryRow) -> Self {
        let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        Self {
            id: r.id,
            occurred_at: utc(r.occurred_at),
            actor: AuditActor {
                account_id: r.actor_account_id,
                username: r.actor_username,
                role: r.actor_role,
                organization_id: r.actor_org_id,
            },
            action: r.action,
            resource_type: r.resource_type,
            resource_id: r.resource_id,
            before: parse(r.before_json),
            after: parse(r.after_json),
            request_id: r.request_id,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    #[param(schema_with = crate::http::schemas::audit_action)]
    pub action: Option<String>,
    pub resource_type: Option<String>,
    pub resource_id: Option<String>,
    /// Who acted.
    pub actor_account_id: Option<String>,
    /// The organization of whoever acted.
    pub actor_organization_id: Option<String>,
    /// From this instant, inclusive (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Until this instant, exclusive (RFC 3339).
    pub to: Option<DateTime<Utc>>,
    /// Entries up to this id, inclusive. The `next` link carries it, so that the pages read
    /// the log as the first one saw it, however many entries are written meanwhile.
    #[param(minimum = 1)]
    pub until_id: Option<i64>,
}

/// The audit log, newest first: who did what to which record, when, with the record before
/// and after. Append-only: nothing in it can be changed or deleted.
#[utoipa::path(
    operation_id = "listAuditLog",
    tag = "audit",
    params(AuditQuery, PageQuery),
    responses(
        (status = 200, description = "One page of entries.", body = Page<AuditEntryView>),
        (status = 403, description = "Only the data centre reads the audit log.", body = Problem),
    )
)]
#[get("/audit-log")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<AuditQuery>,
    paging: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    scope::authorize_system(&caller, SystemAction::ReadAuditLog)?;
    let page = paging.request()?;
    let q = query.0;
    crate::http::page::check_span(("from", q.from), ("to", q.to))?;
    crate::http::page::check_until_id(q.until_id)?;
    let filter = AuditFilter {
        action: parse_filter::<AuditAction>("action", q.action)?,
        resource_type: q.resource_type,
        resource_id: q.resource_id,
        actor_account_id: q.actor_account_id,
        actor_org_id: q.actor_organization_id,
        from: q.from.map(|t| t.naive_utc()),
        to: q.to.map(|t| t.naive_utc()),
        until_id: q.until_id,
    };
    let paged = state
        .db(move |conn| Ok(audit::list(conn, &filter, page)?))
        .await?;
    let page = Page::new(&req, page, paged, AuditEntryView::from).held(q.until_id, |e| e.id);
    record_read(&state, &caller, "audit_log", req.query_string()).await?;
    Ok(HttpResponse::Ok().json(page))
}
