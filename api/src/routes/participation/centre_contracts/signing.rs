//! Signing a contract with a centre of the organization's province, and reading contracts.

use super::*;

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
pub(super) fn check_dates(signed_on: NaiveDate, term: &ContractTerm) -> Result<(), ApiError> {
    contract::check_dates(signed_on, term, today()).map_err(ApiError::refused)
}

/// The centre a contract names, checked by [`contract::check_centre`].
fn check_center(
    conn: &mut DbConnection,
    participant: &OrganizationRow,
    center_id: &str,
) -> Result<(), ApiError> {
    let centre = organizations::facts_of(conn, center_id)?;
    contract::check_centre(centre.as_ref(), participant.province_code.as_deref())
        .map_err(|contract::NotACentreHere| bad_center())
}

fn signing_refused(e: SigningRefusal) -> ApiError {
    match e {
        SigningRefusal::NotParticipatingKind => ApiError::field(
            "organization_id",
            "not_participating_kind",
            "Chỉ văn phòng luật sư, công ty luật và trung tâm tư vấn pháp luật ký hợp đồng tham gia.",
            "Only law offices, law firms and counselling centres sign participation contracts.",
        ),
        SigningRefusal::NotInForce => not_in_force(),
    }
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
pub(super) fn check_no_overlap(
    conn: &mut DbConnection,
    contract: &ContractRow,
) -> Result<(), ApiError> {
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

/// The claim under which a centre's contract number is checked free and written.
pub(super) fn number_claim(center_id: &str, number: &str) -> Claim {
    Claim::new(
        Rule::ContractNumber,
        format!("{center_id}:{}", number.trim()),
    )
}

/// Refuses a number the centre already gave another contract (409 `contract_number_taken`):
/// a contract is cited by its number, so one number names one contract.
pub(super) fn check_number_free(
    conn: &mut DbConnection,
    contract: &ContractRow,
) -> Result<(), ApiError> {
    let number = contract.contract_number.trim();
    if contracts::number_taken(conn, &contract.center_id, number, &contract.id)? {
        return Err(ApiError::conflict(
            "contract_number_taken",
            Text::new(
                format!("Trung tâm đã có hợp đồng số {number}."),
                format!("The centre already has a contract numbered {number}."),
            ),
        ));
    }
    Ok(())
}

/// Records a contract between a participating organization and a centre.
#[utoipa::path(
    operation_id = "signContract",
    tag = "participation",
    request_body = SignContract,
    responses(
        (status = 201, description = "Recorded.", body = ContractView, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Only the Department manages participation.", body = Problem),
        (status = 409, description = "The organization's participation was not in force on `signed_on` (`participation_not_in_force`): terminated, revoked, or outside its days; or it has a contract with that centre in force on some of the same days (`contract_overlaps`); or the centre gave the number to another contract (`contract_number_taken`).", body = Problem),
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
            let claims = [
                Claim::new(Rule::Contracts, id.as_str()),
                number_claim(&body.center_id, &body.contract_number),
            ];
            exclusive(conn, &claims, |conn| {
                let org = scope::authorize(conn, &caller, Action::ManageParticipation, &id)?;
                participation::check_may_sign(*org.kind, org.standing().as_ref(), body.signed_on)
                    .map_err(signing_refused)?;
                check_center(conn, &org, &body.center_id)?;
                let scope = ParticipationScope {
                    forms: body.forms,
                    fields: body.fields,
                    beneficiaries: body.beneficiaries,
                };
                let row = ContractRow::signed(
                    id,
                    body.center_id,
                    &body.contract_number,
                    body.signed_on,
                    scope,
                    body.valid_from,
                    body.valid_to,
                );
                check_no_overlap(conn, &row)?;
                check_number_free(conn, &row)?;
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
    responses(
        (status = 200, description = "The contract.", body = ContractView, headers(("ETag" = String))),
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
