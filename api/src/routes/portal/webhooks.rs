//! The portal's callback: registered by the data centre, its deliveries watched and
//! redelivered there. Deliveries themselves are `crate::webhooks`'.

use super::*;
use stored_webhooks::{DeliveryRow, EndpointRow};

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterWebhook {
    /// Where every progress entry is `POST`ed: `https://` (or `http://` inside a closed
    /// network), no user name or password in it.
    #[schema(
        min_length = 1,
        max_length = 2000,
        example = "https://dichvucong.gov.vn/callback/tgpl"
    )]
    #[validate(length(min = 1, max = 2000))]
    pub url: String,
    /// The shared secret of the signatures, 32 to 256 characters; generated when absent
    /// and shown once.
    #[schema(min_length = 32, max_length = 256)]
    #[validate(length(min = 32, max = 256))]
    pub secret: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct WebhookView {
    pub id: String,
    pub url: String,
    pub active: bool,
    /// Only in the answer to the registration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub deactivated_at: Option<DateTime<Utc>>,
}

impl From<EndpointRow> for WebhookView {
    fn from(e: EndpointRow) -> Self {
        Self {
            id: e.id,
            url: e.url,
            active: e.active,
            secret: None,
            created_at: utc(e.created_at),
            created_by: e.created_by,
            deactivated_at: e.deactivated_at.map(utc),
        }
    }
}

fn url_refused(vi: &str, en: &str) -> ApiError {
    ApiError::field("url", "invalid_url", vi, en)
}

/// Whether `host` is an address no callback lives at (see [`crate::webhooks::unroutable`]).
fn unroutable(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Ipv4(a) => crate::webhooks::unroutable((*a).into()),
        url::Host::Ipv6(a) => crate::webhooks::unroutable((*a).into()),
        url::Host::Domain(_) => false,
    }
}

/// Registers the portal's callback. From now on every progress entry is delivered to it as
/// a `POST` of the feed entry's JSON, over TLS for an `https://` address (the server trusts
/// the system's certificate store), retried until a 2xx answers, in order per dossier, at
/// least once. The data centre only.
///
/// Each delivery carries `X-TGPL-Delivery` (the delivery's id, the same on a retry),
/// `X-TGPL-Timestamp` (Unix seconds) and `X-TGPL-Signature: v1=<hex>`, the HMAC-SHA256 under
/// the secret (its UTF-8 bytes) of the timestamp, a dot and the raw body. The receiver
/// compares it in constant time, refuses a timestamp more than 300 s from its clock, and keeps
/// the positions it has seen.
#[utoipa::path(
    operation_id = "registerWebhook",
    tag = "portal",
    request_body = RegisterWebhook,
    responses(
        (status = 201, description = "Registered; the secret is shown this once.", body = WebhookView),
        (status = 409, description = "The address is registered already.", body = Problem),
        (status = 403, description = "The data centre only.", body = Problem),
    )
)]
#[post("/portal/webhooks")]
pub async fn register_webhook(
    state: web::Data<AppState>,
    caller: Caller,
    body: ValidJson<RegisterWebhook>,
) -> Result<HttpResponse, ApiError> {
    scope::authorize_system(&caller, SystemAction::ManagePortalIntegration)?;
    let body = body.0;
    let raw = body.url.trim();
    if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(url_refused(
            "Địa chỉ không được chứa khoảng trắng hay ký tự điều khiển.",
            "The URL contains no spaces or control characters.",
        ));
    }
    let url = url::Url::parse(raw)
        .map_err(|_| url_refused("Địa chỉ không hợp lệ.", "Not a valid URL."))?;
    if url.host().is_some_and(|host| unroutable(&host)) {
        return Err(url_refused(
            "Địa chỉ không được là địa chỉ link-local, multicast hay 0.0.0.0 (như dịch vụ metadata của máy chủ).",
            "The URL's host is no link-local, multicast or unspecified address (such as a cloud metadata service).",
        ));
    }
    if !matches!(url.scheme(), "https" | "http") || url.host_str().is_none() {
        return Err(url_refused(
            "Địa chỉ phải là http:// hoặc https:// có tên máy chủ.",
            "The URL is http:// or https:// with a host.",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() || url.fragment().is_some() {
        return Err(url_refused(
            "Địa chỉ không chứa tên đăng nhập, mật khẩu hay phần #.",
            "The URL carries no user name, password or fragment.",
        ));
    }
    let secret = body.secret.unwrap_or_else(crate::webhooks::new_secret);
    let now = tgpl_persistence::now();
    let row = EndpointRow {
        id: tgpl_persistence::new_id(),
        url: url.to_string(),
        secret: secret.clone(),
        active: true,
        created_at: now,
        created_by: caller.username.clone(),
        deactivated_at: None,
    };
    let saved = row.clone();
    state
        .write(move |conn| {
            tgpl_persistence::db::write_transaction(conn, |conn| {
                let registered = stored_webhooks::endpoints(conn)?;
                if registered.iter().any(|e| e.active && e.url == saved.url) {
                    return Err(ApiError::conflict(
                        "webhook_exists",
                        Text::new(
                            "Địa chỉ này đang nhận thông báo; mỗi thông báo sẽ bị gửi hai lần.",
                            "This address already receives the callbacks; each would arrive twice.",
                        ),
                    ));
                }
                Ok(stored_webhooks::insert_endpoint(
                    conn,
                    &caller.actor(),
                    &saved,
                )?)
            })
        })
        .await?;
    let mut view = WebhookView::from(row);
    view.secret = Some(secret);
    Ok(HttpResponse::Created()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/v1/portal/webhooks/{}", view.id),
        ))
        .json(view))
}

/// The registered callbacks, without their secrets.
#[utoipa::path(
    operation_id = "listWebhooks",
    tag = "portal",
    responses(
        (status = 200, description = "The callbacks.", body = Vec<WebhookView>),
        (status = 403, description = "The data centre only.", body = Problem),
    )
)]
#[get("/portal/webhooks")]
pub async fn list_webhooks(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    scope::authorize_system(&caller, SystemAction::ManagePortalIntegration)?;
    let rows = state
        .db(move |conn| Ok(stored_webhooks::endpoints(conn)?))
        .await?;
    let views: Vec<WebhookView> = rows.into_iter().map(Into::into).collect();
    Ok(HttpResponse::Ok().json(views))
}

/// Stops a callback: nothing more is delivered to it, queued deliveries included.
#[utoipa::path(
    operation_id = "deactivateWebhook",
    tag = "portal",
    responses(
        (status = 204, description = "Stopped."),
        (status = 403, description = "The data centre only.", body = Problem),
    )
)]
#[delete("/portal/webhooks/{id}")]
pub async fn deactivate_webhook(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    scope::authorize_system(&caller, SystemAction::ManagePortalIntegration)?;
    let id = id.into_inner();
    state
        .write(move |conn| {
            Ok(stored_webhooks::deactivate_endpoint(
                conn,
                &caller.actor(),
                &id,
            )?)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryView {
    pub id: String,
    pub endpoint_id: String,
    pub dossier_id: String,
    /// The progress entry's position.
    pub position: i64,
    pub attempts: i32,
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// What the last attempt met: the receiver's status, or why it could not be reached.
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    /// The later entries of the same dossier waiting behind it (in the failing list).
    pub waiting_behind: i64,
}

impl From<DeliveryRow> for DeliveryView {
    fn from(d: DeliveryRow) -> Self {
        Self {
            id: d.id,
            endpoint_id: d.endpoint_id,
            dossier_id: d.dossier_id,
            position: d.position,
            attempts: d.attempts,
            last_attempt_at: d.last_attempt_at.map(utc),
            last_error: d.last_error,
            next_attempt_at: utc(d.next_attempt_at),
            delivered_at: d.delivered_at.map(utc),
            waiting_behind: 0,
        }
    }
}

/// Deliveries to active callbacks not acknowledged that failed at least once, oldest entry
/// first (at most 500), each with the entries of its dossier waiting behind it: what the
/// data centre watches.
#[utoipa::path(
    operation_id = "listFailingDeliveries",
    tag = "portal",
    responses(
        (status = 200, description = "The failing deliveries.", body = Vec<DeliveryView>),
        (status = 403, description = "The data centre only.", body = Problem),
    )
)]
#[get("/portal/webhook-deliveries")]
pub async fn list_failing_deliveries(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    scope::authorize_system(&caller, SystemAction::ManagePortalIntegration)?;
    let (rows, undelivered) = state
        .db(move |conn| {
            let rows = stored_webhooks::failing(conn, 500)?;
            let dossiers: Vec<String> = rows.iter().map(|d| d.dossier_id.clone()).collect();
            let undelivered = stored_webhooks::undelivered_counts(conn, &dossiers)?;
            Ok((rows, undelivered))
        })
        .await?;
    let views: Vec<DeliveryView> = rows
        .into_iter()
        .map(|d| {
            let key = (d.endpoint_id.clone(), d.dossier_id.clone());
            let behind = undelivered.get(&key).map_or(0, |n| (n - 1).max(0));
            DeliveryView {
                waiting_behind: behind,
                ..d.into()
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(views))
}

/// Delivers again now, whatever its backoff: after the portal fixed its receiver, or when it
/// asks for an entry again.
#[utoipa::path(
    operation_id = "redeliverWebhook",
    tag = "portal",
    responses(
        (status = 202, description = "Due now.", body = DeliveryView),
        (status = 403, description = "The data centre only.", body = Problem),
        (status = 409, description = "Its callback was stopped.", body = Problem),
    )
)]
#[post("/portal/webhook-deliveries/{id}/redeliver")]
pub async fn redeliver(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    scope::authorize_system(&caller, SystemAction::ManagePortalIntegration)?;
    let id = id.into_inner();
    let row = state
        .write(move |conn| {
            tgpl_persistence::db::write_transaction(conn, |conn| {
                let delivery = stored_webhooks::delivery(conn, &id)?;
                if !stored_webhooks::endpoint(conn, &delivery.endpoint_id)?.active {
                    return Err(ApiError::conflict(
                        "webhook_inactive",
                        Text::new(
                            "Địa chỉ nhận thông báo này đã ngừng; không gửi lại.",
                            "This callback was stopped; nothing is sent again.",
                        ),
                    ));
                }
                stored_webhooks::redeliver(conn, &caller.actor(), &id)?;
                Ok::<_, ApiError>(stored_webhooks::delivery(conn, &id)?)
            })
        })
        .await?;
    state.deliveries.notify_one();
    Ok(HttpResponse::Accepted().json(DeliveryView::from(row)))
}
