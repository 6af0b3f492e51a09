//! Contracts of participating organizations with state legal aid centres: signed, read,
//! amended and terminated by the Department; one in force per organization and centre on any
//! day (`tgpl_domain::contract`).

use super::*;

#[derive(Serialize, ToSchema)]
pub struct ContractView {
    pub id: String,
    /// The participating organization.
    pub organization_id: String,
    pub center_id: String,
    pub contract_number: String,
    pub signed_on: NaiveDate,
    #[schema(schema_with = crate::http::schemas::aid_forms)]
    pub forms: Vec<String>,
    #[schema(schema_with = crate::http::schemas::fields)]
    pub fields: Vec<String>,
    #[schema(schema_with = crate::http::schemas::recipient_categories)]
    pub beneficiaries: Vec<String>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    /// `active` or `terminated`.
    pub status: String,
    pub amended_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ContractRow> for ContractView {
    fn from(c: ContractRow) -> Self {
        let scope: ParticipationScope = serde_json::from_str(&c.scope).unwrap_or_default();
        Self {
            id: c.id,
            organization_id: c.organization_id,
            center_id: c.center_id,
            contract_number: c.contract_number,
            signed_on: c.signed_on,
            forms: scope.forms.iter().map(|f| f.to_string()).collect(),
            fields: scope.fields.iter().map(|f| f.to_string()).collect(),
            beneficiaries: scope.beneficiaries.iter().map(|b| b.to_string()).collect(),
            valid_from: c.valid_from,
            valid_to: c.valid_to,
            status: c.status,
            amended_on: c.amended_on,
            ended_on: c.ended_on,
            end_reason: c.end_reason,
            version: c.version,
            created_at: utc(c.created_at),
            updated_at: utc(c.updated_at),
        }
    }
}

fn contract_response(status: StatusCode, row: ContractRow) -> HttpResponse {
    let (id, version) = (row.id.clone(), row.version);
    record(
        status,
        "/api/v1/contracts",
        &id,
        version,
        &ContractView::from(row),
    )
}

/// The contracts of a participating organization, oldest first.
#[utoipa::path(
    operation_id = "listContracts",
    tag = "participation",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Contracts.", body = Vec<ContractView>),
        (status = 404, description = "No such organization in the caller's scope.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{id}/contracts")]
pub async fn list_contracts(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let rows = state
        .db(move |conn| {
            scope::authorize(conn, &caller, Action::ReadOrganization, &id)?;
            Ok(contracts::of_organization(conn, &id)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(ContractView::from).collect::<Vec<_>>()))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignContract {
    /// The state legal aid centre the contract is with, in the same province.
    pub center_id: String,
    #[schema(min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    #[serde(deserialize_with = "crate::http::text::name")]
    pub contract_number: String,
    pub signed_on: NaiveDate,
    #[serde(default)]
    #[schema(schema_with = crate::http::schemas::aid_forms)]
    pub forms: Vec<AidForm>,
    #[serde(default)]
    #[schema(schema_with = crate::http::schemas::fields)]
    pub fields: Vec<Field>,
    #[serde(default)]
    #[schema(schema_with = crate::http::schemas::recipient_categories)]
    pub beneficiaries: Vec<RecipientCategory>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

/// The contract's dates (see [`contract::check_dates`]), refused naming the field.
fn check_dates(signed_on: NaiveDate, term: &ContractTerm) -> Result<(), ApiError> {
    contract::check_dates(signed_on, term, today()).map_err(|e| match e {
        TermError::SignedInFuture => ApiError::field(
            "signed_on",
            "in_future",
            "Ngày ký không thể ở tương lai.",
            "signed_on cannot be in the future.",
        ),
        TermError::EndsBeforeStart => ApiError::field(
            "valid_to",
            "before_start",
            "Ngày hết hiệu lực phải sau ngày có hiệu lực.",
            "valid_to must be after valid_from.",
        ),
    })
}

fn check_center(
    conn: &mut DbConnection,
    participant: &OrganizationRow,
    center_id: &str,
) -> Result<(), ApiError> {
    let center = match organizations::get(conn, center_id) {
        Ok(c) => c,
        Err(tgpl_persistence::StoreError::NotFound) => return Err(bad_center()),
        Err(e) => return Err(e.into()),
    };
    let is_center = center.kind == OrganizationKind::Center.code()
        && center.status == OrganizationStatus::Active.code();
    if !is_center || center.province_code != participant.province_code {
        return Err(bad_center());
    }
    Ok(())
}

fn bad_center() -> ApiError {
    ApiError::field(
        "center_id",
        "not_a_center_here",
        "Hợp đồng ký với Trung tâm trợ giúp pháp lý nhà nước đang hoạt động của cùng tỉnh.",
        "Contracts are signed with an active state legal aid centre of the same province.",
    )
}

/// Refuses `contract` when another contract of its organization with its centre is in
/// force on one of its days (see [`contract::check_no_overlap`]). Run under the
/// organization's [`Rule::Contracts`] claim.
fn check_no_overlap(conn: &mut DbConnection, contract: &ContractRow) -> Result<(), ApiError> {
    let others: Vec<ContractTerm> = contracts::of_organization(conn, &contract.organization_id)?
        .iter()
        .filter(|c| c.center_id == contract.center_id && c.id != contract.id)
        .map(ContractRow::term)
        .collect();
    contract::check_no_overlap(&contract.term(), &others).map_err(|ContractOverlap| {
        ApiError::conflict(
            "contract_overlaps",
            Text::new(
                "Tổ chức đã có hợp đồng còn hiệu lực với Trung tâm này trong khoảng thời gian đó; hãy sửa đổi hợp đồng đó.",
                "The organization has a contract with this centre in force on some of those days; amend that one instead.",
            ),
        )
    })
}

/// Records a contract between a participating organization and a centre.
#[utoipa::path(
    operation_id = "signContract",
    tag = "participation",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body = SignContract,
    responses(
        (status = 201, description = "Recorded.", body = ContractView, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Only the Department manages participation.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organization in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a participating organization, wrong centre, or invalid dates.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The organization's participation is not in force (`participation_not_in_force`), or it has a contract with that centre in force on some of the same days (`contract_overlaps`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{id}/contracts")]
pub async fn sign_contract(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: ValidJson<SignContract>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.0;
    let term = ContractTerm {
        valid_from: body.valid_from,
        valid_to: body.valid_to,
        ended_on: None,
    };
    check_dates(body.signed_on, &term)?;
    let row = state
        .write(move |conn| {
            exclusive(conn, &[Claim::new(Rule::Contracts, id.as_str())], |conn| {
            let org = scope::authorize(conn, &caller, Action::ManageParticipation, &id)?;
            let participating = org.kind.parse::<OrganizationKind>().is_ok_and(OrganizationKind::is_participating);
            if !participating {
                return Err(ApiError::field(
                    "organization_id",
                    "not_participating_kind",
                    "Chỉ văn phòng luật sư, công ty luật và trung tâm tư vấn pháp luật ký hợp đồng tham gia.",
                    "Only law offices, law firms and counselling centres sign participation contracts.",
                ));
            }
            if org.participation_status.as_deref() != Some(ParticipationStatus::Active.code()) {
                return Err(not_in_force());
            }
            check_center(conn, &org, &body.center_id)?;
            let scope = ParticipationScope {
                forms: body.forms,
                fields: body.fields,
                beneficiaries: body.beneficiaries,
            };
            let now = tgpl_persistence::now();
            let row = ContractRow {
                id: tgpl_persistence::new_id(),
                organization_id: id,
                center_id: body.center_id,
                contract_number: body.contract_number.trim().to_owned(),
                signed_on: body.signed_on,
                scope: serde_json::to_string(&scope).map_err(ApiError::logged("serializing a stored document"))?,
                valid_from: body.valid_from,
                valid_to: body.valid_to,
                status: ContractStatus::Active.to_string(),
                amended_on: None,
                ended_on: None,
                end_reason: None,
                version: 1,
                created_at: now,
                updated_at: now,
            };
            check_no_overlap(conn, &row)?;
            contracts::insert(conn, &caller.actor(), &row)?;
            Ok(row)
            })
        })
        .await?;
    Ok(contract_response(StatusCode::CREATED, row))
}

/// One contract of a participating organization (the `Location` given when it was signed),
/// for whoever may read that organization.
#[utoipa::path(
    operation_id = "readContract",
    tag = "participation",
    security(("bearer" = [])),
    params(("contract_id" = String, Path)),
    responses(
        (status = 200, description = "The contract.", body = ContractView, headers(("ETag" = String))),
        (status = 404, description = "No such contract in the caller's scope.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/contracts/{contract_id}")]
pub async fn read_contract(
    state: web::Data<AppState>,
    caller: Caller,
    contract_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = contract_id.into_inner();
    let row = state
        .db(move |conn| {
            let row = contracts::get(conn, &id)?;
            scope::check(
                conn,
                &caller,
                Action::ReadOrganization,
                &row.organization_id,
            )?;
            Ok(row)
        })
        .await?;
    Ok(contract_response(StatusCode::OK, row))
}

/// Loads a contract for a change by the caller.
fn load_for_change(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    if_match: &IfMatch,
) -> Result<ContractRow, ApiError> {
    let row = contracts::get(conn, id)?;
    scope::authorize(
        conn,
        caller,
        Action::ManageParticipation,
        &row.organization_id,
    )?;
    if_match.check(&etag(row.version))?;
    if row.status != ContractStatus::Active.code() {
        return Err(ApiError::conflict(
            "contract_terminated",
            Text::new("Hợp đồng đã chấm dứt.", "The contract has been terminated."),
        ));
    }
    Ok(row)
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmendContract {
    #[schema(min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub contract_number: Option<String>,
    #[schema(schema_with = crate::http::schemas::or_null::aid_forms)]
    pub forms: Option<Vec<AidForm>>,
    #[schema(schema_with = crate::http::schemas::or_null::fields)]
    pub fields: Option<Vec<Field>>,
    #[schema(schema_with = crate::http::schemas::or_null::recipient_categories)]
    pub beneficiaries: Option<Vec<RecipientCategory>>,
    pub valid_to: Option<NaiveDate>,
    /// The day of the amendment (Viet Nam date); today when absent.
    pub amended_on: Option<NaiveDate>,
}

/// Amends a contract in force. Requires `If-Match`.
#[utoipa::path(
    operation_id = "amendContract",
    tag = "participation",
    security(("bearer" = [])),
    params(("contract_id" = String, Path), ("If-Match" = String, Header, description = "ETag of the contract as read")),
    request_body = AmendContract,
    responses(
        (status = 200, description = "Amended.", body = ContractView, headers(("ETag" = String))),
        (status = 403, description = "Only the Department manages participation.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contract in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The contract was terminated (`contract_terminated`), or its new term overlaps another contract with the same centre (`contract_overlaps`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid dates or fields.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/contracts/{contract_id}")]
pub async fn amend_contract(
    state: web::Data<AppState>,
    caller: Caller,
    contract_id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<AmendContract>,
) -> Result<HttpResponse, ApiError> {
    let id = contract_id.into_inner();
    let body = body.0;
    if if_match.0.is_none() {
        return Err(ApiError::precondition_required());
    }
    let row = state
        .write(move |conn| {
            let before = load_for_change(conn, &caller, &id, &if_match)?;
            let claim = [Claim::new(Rule::Contracts, before.organization_id.as_str())];
            exclusive(conn, &claim, |conn| {
                let before = load_for_change(conn, &caller, &id, &if_match)?;
                let mut after = before.clone();
                let mut scope: ParticipationScope =
                    serde_json::from_str(&before.scope).unwrap_or_default();
                if let Some(v) = body.forms {
                    scope.forms = v;
                }
                if let Some(v) = body.fields {
                    scope.fields = v;
                }
                if let Some(v) = body.beneficiaries {
                    scope.beneficiaries = v;
                }
                after.scope = serde_json::to_string(&scope)
                    .map_err(ApiError::logged("serializing a stored document"))?;
                if let Some(v) = body.contract_number {
                    after.contract_number = v.trim().to_owned();
                }
                if let Some(v) = body.valid_to {
                    after.valid_to = Some(v);
                }
                check_dates(after.signed_on, &after.term())?;
                check_no_overlap(conn, &after)?;
                after.amended_on = Some(body.amended_on.unwrap_or_else(today));
                after.revise();
                contracts::save(
                    conn,
                    &caller.actor(),
                    AuditAction::ContractAmend,
                    &before,
                    &after,
                )?;
                Ok(after)
            })
        })
        .await?;
    Ok(contract_response(StatusCode::OK, row))
}

/// Terminates a contract.
#[utoipa::path(
    operation_id = "terminateContract",
    tag = "participation",
    security(("bearer" = [])),
    params(("contract_id" = String, Path), ("If-Match" = Option<String>, Header, description = "ETag of the contract as read")),
    request_body = EndParticipation,
    responses(
        (status = 200, description = "Terminated.", body = ContractView, headers(("ETag" = String))),
        (status = 403, description = "Only the Department manages participation.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contract in the caller's scope.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already terminated.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid date or reason.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/contracts/{contract_id}/terminate")]
pub async fn terminate_contract(
    state: web::Data<AppState>,
    caller: Caller,
    contract_id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<EndParticipation>,
) -> Result<HttpResponse, ApiError> {
    let id = contract_id.into_inner();
    let body = body.0;
    let row = state
        .write(move |conn| {
            if_match.settle(conn, |conn| {
                let before = load_for_change(conn, &caller, &id, &if_match)?;
                let mut after = before.clone();
                after.status = ContractStatus::Terminated.to_string();
                after.ended_on = Some(body.on.unwrap_or_else(today));
                after.end_reason = Some(body.reason.clone());
                after.revise();
                contracts::save(
                    conn,
                    &caller.actor(),
                    AuditAction::ContractTerminate,
                    &before,
                    &after,
                )?;
                Ok(after)
            })
        })
        .await?;
    Ok(contract_response(StatusCode::OK, row))
}
