//! Service clients: the national public-services portal and the statistics office log in
//! with `client_credentials`. Created by the data centre; the secret is shown once.

use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use tgpl_domain::access::Action;
use tgpl_domain::account::AccountAction;
use tgpl_domain::audit::AuditAction;
use tgpl_domain::credentials::Username;
use tgpl_domain::label::Vocabulary;
use tgpl_domain::refusal::Refusal;
use tgpl_domain::role::Role;
use tgpl_persistence::accounts::{self, AccountFilter};
use tgpl_persistence::exclusive::{exclusive, Claim, Rule};
use utoipa::ToSchema;
use validator::Validate;

use super::account_common::{
    account_response, change, load, step, take_action, AccountView, Family,
};
use super::accounts::{check_membership, new_account, username_taken};
use crate::auth::Caller;
use crate::credentials::password;
use crate::http::error::{ApiError, FieldRefusal};
use crate::http::extract::{etag, IfMatch, Query, ValidJson};
use crate::http::page::{Page, PageQuery};
use crate::scope::{self};
use crate::state::AppState;

type Problem = crate::http::error::Problem;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateServiceClient {
    /// The client id it logs in with.
    #[schema(example = "dvc-portal")]
    #[serde(deserialize_with = "crate::http::text::name")]
    pub client_id: String,
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "Cổng Dịch vụ công quốc gia")]
    #[serde(deserialize_with = "crate::http::text::name")]
    pub name: String,
    /// `portal` or `statistics_office`.
    #[schema(schema_with = crate::http::schemas::service_role)]
    pub role: Role,
    /// The Agency for the portal; a statistics office organization for a statistics office.
    pub organization_id: String,
}

/// A service client with its secret, answered once: at creation and at rotation.
#[derive(Serialize, ToSchema)]
pub struct ServiceClientSecret {
    pub client: AccountView,
    /// Shown only now; store it safely. It can be rotated, never read again.
    pub client_secret: String,
}

fn with_secret(
    row: tgpl_persistence::accounts::AccountRow,
    secret: String,
    created: bool,
) -> HttpResponse {
    let mut res = if created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    };
    if created {
        res.insert_header((
            header::LOCATION,
            format!("/api/v1/service-clients/{}", row.id),
        ));
    }
    res.insert_header((header::ETAG, etag(row.version)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(ServiceClientSecret {
            client: AccountView::from(row),
            client_secret: secret,
        })
}

/// Creates a service client and answers its secret, once.
#[utoipa::path(
    operation_id = "createServiceClient",
    tag = "service-clients",
    request_body = CreateServiceClient,
    responses(
        (status = 201, description = "Created; the secret is in the body.", body = ServiceClientSecret, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Only the data centre creates service clients.", body = Problem),
        (status = 409, description = "Client id taken.", body = Problem),
    )
)]
#[post("/service-clients")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: ValidJson<CreateServiceClient>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let mut errors = Vec::new();
    let client_id = Username::parse(&body.client_id)
        .map_err(|e| errors.push(e.field_refusal().at("client_id")))
        .ok();
    if !body.role.is_service() {
        errors.push(FieldRefusal::new(
            "role",
            "not_a_service_role",
            "Vai trò của ứng dụng kết nối là `portal` hoặc `statistics_office`.",
            "A service client's role is `portal` or `statistics_office`.",
        ));
    }
    let (Some(client_id), true) = (client_id, errors.is_empty()) else {
        return Err(ApiError::validation(errors));
    };
    let secret = password::generate_secret();
    let hash = state.hash_secret(secret.clone()).await?;
    let row = state
        .write(move |conn| {
            let org = scope::authorize(
                conn,
                &caller,
                Action::ManageAccount(body.role),
                &body.organization_id,
            )?;
            check_membership(body.role, &org)?;
            // Client ids are usernames: the same claim as accounts.
            exclusive(
                conn,
                &[Claim::new(Rule::Username, client_id.as_str())],
                |conn| {
                    if accounts::find_by_username(conn, client_id.as_str())?.is_some() {
                        return Err(username_taken());
                    }
                    let row = new_account(&client_id, &body.name, body.role, &org.id, hash);
                    accounts::insert(
                        conn,
                        &caller.actor(),
                        AuditAction::ServiceClientCreate,
                        &row,
                    )?;
                    Ok(row)
                },
            )
        })
        .await?;
    Ok(with_secret(row, secret, true))
}

/// Lists service clients.
#[utoipa::path(
    operation_id = "listServiceClients",
    tag = "service-clients",
    params(PageQuery),
    responses(
        (status = 200, description = "One page of service clients.", body = Page<AccountView>),
        (status = 403, description = "Only the data centre administers service clients.", body = Problem),
    )
)]
#[get("/service-clients")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    paging: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = paging.request()?;
    let paged = state
        .db(move |conn| {
            let permitted = scope::listable(conn, &caller, Action::ManageAccount(Role::Portal))?;
            let filter = AccountFilter {
                organizations: permitted.as_filter(),
                roles: Some(
                    Role::ALL
                        .iter()
                        .filter(|r| r.is_service())
                        .map(|r| r.to_string())
                        .collect(),
                ),
                ..AccountFilter::default()
            };
            Ok(accounts::list(conn, &filter, page)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::new(&req, page, paged, AccountView::from)))
}

/// One service client (never its secret).
#[utoipa::path(
    operation_id = "readServiceClient",
    tag = "service-clients",
    responses(
        (status = 200, description = "The client.", body = AccountView, headers(("ETag" = String))),
        (status = 403, description = "Only the data centre administers service clients.", body = Problem),
    )
)]
#[get("/service-clients/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (row, _) = state
        .db(move |conn| load(conn, &caller, Family::Service, &id, Action::ManageAccount))
        .await?;
    Ok(account_response(row))
}

/// Issues a new secret (answered once) and revokes the old one and every token it got.
#[utoipa::path(
    operation_id = "rotateServiceClientSecret",
    tag = "service-clients",
    params(("If-Match" = Option<String>, Header, description = "ETag of the client as read")),
    responses(
        (status = 200, description = "Rotated; the new secret is in the body.", body = ServiceClientSecret, headers(("ETag" = String))),
        (status = 403, description = "Only the data centre administers service clients.", body = Problem),
        (status = 409, description = "The client was revoked.", body = Problem),
    )
)]
#[post("/service-clients/{id}/rotate-secret")]
pub async fn rotate_secret(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let secret = password::generate_secret();
    let hash = state.hash_secret(secret.clone()).await?;
    let row = change(
        &state,
        caller,
        Family::Service,
        id.into_inner(),
        if_match,
        AuditAction::ServiceClientRotateSecret,
        move |_, a| {
            take_action(a, Family::Service, AccountAction::ResetPassword)?;
            a.password_hash = hash.clone();
            Ok(())
        },
    )
    .await?;
    Ok(with_secret(row, secret, false))
}

/// Revokes a client for good: its secret and tokens stop working at once.
#[utoipa::path(
    operation_id = "revokeServiceClient",
    tag = "service-clients",
    params(("If-Match" = Option<String>, Header, description = "ETag of the client as read")),
    responses(
        (status = 200, description = "Revoked.", body = AccountView, headers(("ETag" = String))),
        (status = 403, description = "Only the data centre administers service clients.", body = Problem),
        (status = 409, description = "Already revoked.", body = Problem),
    )
)]
#[post("/service-clients/{id}/revoke")]
pub async fn revoke(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    step(
        &state,
        caller,
        Family::Service,
        id.into_inner(),
        if_match,
        AuditAction::ServiceClientRevoke,
        AccountAction::Deactivate,
    )
    .await
}
