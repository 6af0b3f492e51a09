//! People's accounts: created by an administrator of the organization above, listed, read.

use super::*;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAccount {
    #[schema(example = "tgv.nguyenvana")]
    #[serde(deserialize_with = "crate::http::text::name")]
    pub username: String,
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "Nguyễn Văn A")]
    #[serde(deserialize_with = "crate::http::text::name")]
    pub display_name: String,
    /// A person's role; service clients are created at `/api/v1/service-clients`.
    #[schema(schema_with = crate::http::schemas::person_role)]
    pub role: Role,
    pub organization_id: String,
    /// Initial password: 10 to 128 characters with letters and digits.
    pub password: String,
}

/// Creates a person's account in an organization of the administrator's scope, with a role
/// the administrator may grant.
#[utoipa::path(
    operation_id = "createAccount",
    tag = "accounts",
    request_body = CreateAccount,
    responses(
        (status = 201, description = "Created.", body = AccountView, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "The role may not be granted by the caller.", body = Problem),
        (status = 409, description = "The username is taken (`username_taken`), or the organization stopped operating (`organization_inactive`).", body = Problem),
    )
)]
#[post("/accounts")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: ValidJson<CreateAccount>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let mut errors = Vec::new();
    let username = Username::parse(&body.username)
        .map_err(|e| errors.push(e.field_refusal()))
        .ok();
    if body.role.is_service() {
        errors.push(FieldRefusal::new(
            "role",
            "service_role",
            "Ứng dụng kết nối được tạo tại /api/v1/service-clients.",
            "Service clients are created at /api/v1/service-clients.",
        ));
    }
    let password = username.as_ref().and_then(|u| {
        Password::parse(&body.password, u)
            .map_err(|e| errors.push(e.field_refusal()))
            .ok()
    });
    let (Some(username), Some(password), true) = (username, password, errors.is_empty()) else {
        return Err(ApiError::validation(errors));
    };
    let hash = state.hash_secret(password.expose().to_owned()).await?;
    let row = state
        .write(move |conn| {
            let org = scope::authorize(
                conn,
                &caller,
                Action::ManageAccount(body.role),
                &body.organization_id,
            )?;
            check_membership(body.role, &org)?;
            // Checked and inserted as one, so that two creations at once answer
            // `username_taken` to the second rather than a bare conflict.
            exclusive(
                conn,
                &[Claim::new(Rule::Username, username.as_str())],
                |conn| {
                    if accounts::find_by_username(conn, username.as_str())?.is_some() {
                        return Err(username_taken());
                    }
                    let mut row =
                        new_account(&username, &body.display_name, body.role, &org.id, hash);
                    row.password_change_required = true;
                    accounts::insert(conn, &caller.actor(), AuditAction::AccountCreate, &row)?;
                    Ok(row)
                },
            )
        })
        .await?;
    Ok(account_record(StatusCode::CREATED, row))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccountListQuery {
    pub organization_id: Option<String>,
    #[param(schema_with = crate::http::schemas::role)]
    pub role: Option<String>,
    #[param(schema_with = crate::http::schemas::account_status)]
    pub status: Option<String>,
    /// Searches username and display name, ignoring case and Vietnamese diacritics.
    pub q: Option<String>,
}

/// Lists the accounts of people of the organizations where the caller administers accounts,
/// ordered by username: their own and their peers' included, so that a unit's leaders see
/// who holds access there. Acting on one follows each action's rules: nobody administers
/// their own account, nor one of a role they may not grant (403).
#[utoipa::path(
    operation_id = "listAccounts",
    tag = "accounts",
    params(AccountListQuery, PageQuery),
    responses(
        (status = 200, description = "One page of accounts.", body = Page<AccountView>),
        (status = 403, description = "The caller administers no accounts.", body = Problem),
    )
)]
#[get("/accounts")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<AccountListQuery>,
    paging: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = paging.request()?;
    let query = query.0;
    let role = parse_filter::<Role>("role", query.role)?;
    let status = parse_filter::<AccountStatus>("status", query.status)?;
    let people: Vec<String> = Role::ALL
        .iter()
        .filter(|r| !r.is_service())
        .map(|r| r.to_string())
        .collect();
    let roles = match role {
        Some(r) if people.contains(&r) => vec![r],
        Some(_) => Vec::new(),
        None => people,
    };
    let paged = state
        .db(move |conn| {
            let permitted = scope::listable(conn, &caller, Action::ReadAccounts)?;
            let filter = AccountFilter {
                organizations: permitted.as_filter(),
                organization_id: query.organization_id,
                roles: Some(roles),
                status,
                search: search_term(query.q.as_deref()),
            };
            Ok(accounts::list(conn, &filter, page)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::new(&req, page, paged, AccountView::from)))
}

/// One account of a person.
#[utoipa::path(
    operation_id = "readAccount",
    tag = "accounts",
    responses(
        (status = 200, description = "The account.", body = AccountView, headers(("ETag" = String))),
        (status = 403, description = "Inside the caller's scope, but the caller does not administer accounts.", body = Problem),
    )
)]
#[get("/accounts/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (row, _) = state
        .db(move |conn| load(conn, &caller, Family::Person, &id, |_| Action::ReadAccounts))
        .await?;
    Ok(account_response(row))
}
