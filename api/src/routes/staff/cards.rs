//! Collaborators' cards, issued, reissued and revoked by the Director of the Department
//! above the collaborator's organization.

use super::*;
use tgpl_domain::staff::{acting_kind, check_may_issue, Card, CardChangeRefusal, IssueRefusal};
use tgpl_persistence::versioned::Versioned;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueCard {
    #[schema(min_length = 1, max_length = 50)]
    #[validate(length(min = 1, max = 50))]
    #[serde(deserialize_with = "crate::http::text::name")]
    pub card_number: String,
    /// Not in the future.
    pub issued_on: NaiveDate,
    /// Last day of validity.
    pub expires_on: NaiveDate,
}

fn new_card(
    staff_id: &str,
    issued_by: String,
    card: &IssueCard,
    replaces: Option<String>,
) -> CardRow {
    let now = tgpl_persistence::now();
    CardRow {
        id: tgpl_persistence::new_id(),
        staff_id: staff_id.to_owned(),
        card_number: card.card_number.trim().to_owned(),
        issued_by,
        issued_on: card.issued_on,
        expires_on: card.expires_on,
        status: Code(CardStatus::Valid),
        ended_on: None,
        end_reason: None,
        replaces_card_id: replaces,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

fn card_number_taken() -> ApiError {
    ApiError::conflict(
        "card_number_taken",
        Text::new("Số thẻ đã được dùng.", "The card number is taken."),
    )
}

/// The Department that may issue a card to `person`, as the caller: the one above one of
/// the person's current memberships that the caller may act for.
pub(super) fn card_authority(
    conn: &mut DbConnection,
    caller: &Caller,
    person: &Person,
) -> Result<String, ApiError> {
    let mut outcome = Err(ApiError::forbidden());
    let orgs: Vec<String> = person
        .current_memberships()
        .map(|m| m.organization_id.clone())
        .collect();
    for org in orgs {
        let Some(department) = issuing_department(conn, &org)? else {
            continue;
        };
        match scope::authorize(conn, caller, Action::ManageCollaboratorCards, &department) {
            Ok(_) => return Ok(department),
            Err(e) => outcome = Err(e),
        }
    }
    outcome.map_err(scope::refused)
}

/// Issues a collaborator's card (the Director of the Department issues them).
#[utoipa::path(
    operation_id = "issueCollaboratorCard",
    tag = "staff",
    params(("If-Match" = Option<String>, Header, description = "ETag of the person as read")),
    request_body = IssueCard,
    responses(
        (status = 201, description = "Issued; the person.", body = StaffView, headers(("ETag" = String))),
        (status = 403, description = "Only the Department above the person's organization issues cards.", body = Problem),
        (status = 409, description = "A valid card exists (`card_exists`: reissue it instead), or the number is taken (`card_number_taken`).", body = Problem),
    )
)]
#[post("/staff/{id}/collaborator-cards")]
pub async fn issue_card(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<IssueCard>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.0;
    check_card_dates(body.issued_on, body.expires_on, today()).map_err(ApiError::refused)?;
    let shown = state
        .write(move |conn| {
            // Checked and written as one: cards issued at once must not all find none valid.
            // The number is claimed too: two people given one number at once must not both
            // find it free (the unique index would answer a bare conflict).
            let claims = [
                Claim::new(Rule::CollaboratorCard, id.as_str()),
                Claim::new(Rule::CardNumber, body.card_number.as_str()),
            ];
            if_match.settle(conn, |conn| {
                exclusive(conn, &claims, |conn| {
                    let person = load(conn, &caller, &id, Action::ReadStaff)?;
                    if_match.check_current(&person.row)?;
                    let department = card_authority(conn, &caller, &person)?;
                    let held: Vec<Card> = person
                        .cards
                        .iter()
                        .filter(|c| c.issued_by == department)
                        .map(CardRow::to_domain)
                        .collect();
                    // Tied somewhere as a collaborator, they act there as one whatever their
                    // recorded kind (`acting_kind`), and the card is what lets them.
                    let tied_as_collaborator = person.memberships.iter().any(|m| {
                        *m.relation == MembershipRelation::Collaborator
                            && m.valid_to.is_none_or(|to| to > today())
                    });
                    let kind =
                        acting_kind(person.row.provider_kind.map(|k| k.0), tied_as_collaborator);
                    check_may_issue(kind, &held, today()).map_err(issue_refused)?;
                    if staff::card_number_taken(conn, body.card_number.trim())? {
                        return Err(card_number_taken());
                    }
                    staff::issue_card(
                        conn,
                        &caller.actor(),
                        &new_card(&id, department, &body, None),
                        None,
                        person.row.version,
                    )?;
                    let person = Person::read(conn, &id)?;
                    shown(conn, person)
                })
            })
        })
        .await?;
    Ok(respond(StatusCode::CREATED, shown))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReissueCard {
    /// The new card's number.
    #[schema(min_length = 1, max_length = 50)]
    #[validate(length(min = 1, max = 50))]
    pub card_number: String,
    /// Not in the future, nor before the replaced card was issued.
    pub issued_on: NaiveDate,
    /// Last day of validity.
    pub expires_on: NaiveDate,
    /// Why (lost, damaged, changed details...).
    #[schema(min_length = 1, max_length = 500)]
    #[validate(length(min = 1, max = 500))]
    pub reason: String,
}

impl ReissueCard {
    /// The new card.
    fn card(&self) -> IssueCard {
        IssueCard {
            card_number: self.card_number.clone(),
            issued_on: self.issued_on,
            expires_on: self.expires_on,
        }
    }
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeCard {
    /// First day the card no longer counts (Viet Nam date, not in the future); today when
    /// absent.
    pub on: Option<NaiveDate>,
    #[schema(min_length = 1, max_length = 500)]
    #[validate(length(min = 1, max = 500))]
    pub reason: String,
}

/// Loads a card and its holder for a change by the Department that issued it.
fn load_card(
    conn: &mut DbConnection,
    caller: &Caller,
    card_id: &str,
    if_match: &IfMatch,
) -> Result<(CardRow, Person), ApiError> {
    let card = staff::get_card(conn, card_id)?;
    let person = load(conn, caller, &card.staff_id, Action::ReadStaff)?;
    if_match.check_current(&person.row)?;
    scope::authorize(
        conn,
        caller,
        Action::ManageCollaboratorCards,
        &card.issued_by,
    )
    .map_err(scope::refused)?;
    card.status.check_changeable().map_err(change_refused)?;
    Ok((card, person))
}

fn issue_refused(e: IssueRefusal) -> ApiError {
    match e {
        IssueRefusal::NotACollaborator => ApiError::field(
            "provider_kind",
            "not_a_collaborator",
            "Chỉ cộng tác viên được cấp thẻ cộng tác viên.",
            "Only collaborators get collaborator cards.",
        ),
        IssueRefusal::HoldsValidCard => ApiError::conflict(
            "card_exists",
            Text::new(
                "Người này đang có thẻ còn hiệu lực; hãy cấp lại hoặc thu hồi thẻ đó.",
                "The person holds a valid card; reissue or revoke it instead.",
            ),
        ),
    }
}

fn change_refused(e: CardChangeRefusal) -> ApiError {
    match e {
        CardChangeRefusal::NotValid => ApiError::conflict(
            "card_not_valid",
            Text::new(
                "Thẻ đã bị thu hồi hoặc đã được cấp lại.",
                "The card was revoked or replaced.",
            ),
        ),
        CardChangeRefusal::BeforeOldCard => ApiError::field(
            "issued_on",
            "before_old_card",
            "Thẻ mới không cấp trước thẻ cũ.",
            "The new card cannot predate the old one.",
        ),
        CardChangeRefusal::OtherValidCard => issue_refused(IssueRefusal::HoldsValidCard),
        CardChangeRefusal::OutOfRange => ApiError::field(
            "on",
            "out_of_range",
            "Ngày thu hồi phải từ ngày cấp thẻ đến hôm nay.",
            "The revocation day lies between the card's issue and today.",
        ),
    }
}

/// Reissues a card: the old one is marked replaced from the new card's issue day, so there
/// is no day without a card.
#[utoipa::path(
    operation_id = "reissueCollaboratorCard",
    tag = "staff",
    params(("If-Match" = Option<String>, Header, description = "ETag of the holder as read")),
    request_body = ReissueCard,
    responses(
        (status = 201, description = "Reissued; the holder.", body = StaffView, headers(("ETag" = String))),
        (status = 403, description = "Only the Department that issued the card reissues it.", body = Problem),
        (status = 409, description = "The card was revoked or replaced (`card_not_valid`), another card of the Department is valid (`card_exists`: reissue or revoke that one), or the number is taken (`card_number_taken`).", body = Problem),
    )
)]
#[post("/collaborator-cards/{card_id}/reissue")]
pub async fn reissue_card(
    state: web::Data<AppState>,
    caller: Caller,
    card_id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<ReissueCard>,
) -> Result<HttpResponse, ApiError> {
    let card_id = card_id.into_inner();
    let body = body.0;
    let card = body.card();
    check_card_dates(card.issued_on, card.expires_on, today()).map_err(ApiError::refused)?;
    let shown = state
        .write(move |conn| {
            if_match.settle(conn, |conn| {
                let claim = [Claim::new(Rule::CardNumber, card.card_number.as_str())];
                exclusive(conn, &claim, |conn| {
                    let (old, person) = load_card(conn, &caller, &card_id, &if_match)?;
                    let others: Vec<Card> = person
                        .cards
                        .iter()
                        .filter(|c| c.issued_by == old.issued_by && c.id != old.id)
                        .map(CardRow::to_domain)
                        .collect();
                    old.to_domain()
                        .check_reissue(card.issued_on, &others, today())
                        .map_err(change_refused)?;
                    if staff::card_number_taken(conn, card.card_number.trim())? {
                        return Err(card_number_taken());
                    }
                    let mut replaced = old.clone();
                    replaced.status = Code(CardStatus::Replaced);
                    replaced.ended_on = Some(old.to_domain().replaced_from(card.issued_on));
                    replaced.end_reason = Some(body.reason.clone());
                    replaced.revise();
                    let card = new_card(
                        &person.row.id,
                        old.issued_by.clone(),
                        &card,
                        Some(old.id.clone()),
                    );
                    staff::issue_card(
                        conn,
                        &caller.actor(),
                        &card,
                        Some((&old, &replaced)),
                        person.row.version,
                    )?;
                    let person = Person::read(conn, &person.row.id)?;
                    shown(conn, person)
                })
            })
        })
        .await?;
    Ok(respond(StatusCode::CREATED, shown))
}

/// Revokes a card: from that day the collaborator cannot be assigned cases.
#[utoipa::path(
    operation_id = "revokeCollaboratorCard",
    tag = "staff",
    params(("If-Match" = Option<String>, Header, description = "ETag of the holder as read")),
    request_body = RevokeCard,
    responses(
        (status = 200, description = "Revoked; the holder.", body = StaffView, headers(("ETag" = String))),
        (status = 403, description = "Only the Department that issued the card revokes it.", body = Problem),
        (status = 409, description = "The card was already revoked or replaced (`card_not_valid`).", body = Problem),
    )
)]
#[post("/collaborator-cards/{card_id}/revoke")]
pub async fn revoke_card(
    state: web::Data<AppState>,
    caller: Caller,
    card_id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<RevokeCard>,
) -> Result<HttpResponse, ApiError> {
    let card_id = card_id.into_inner();
    let body = body.0;
    let on = body.on.unwrap_or_else(today);
    let shown = state
        .write(move |conn| {
            if_match.settle(conn, |conn| {
                let (before, person) = load_card(conn, &caller, &card_id, &if_match)?;
                before
                    .to_domain()
                    .check_revoke(on, today())
                    .map_err(change_refused)?;
                let mut after = before.clone();
                after.status = Code(CardStatus::Revoked);
                after.ended_on = Some(on);
                after.end_reason = Some(body.reason.clone());
                after.revise();
                staff::revoke_card(conn, &caller.actor(), &before, &after, person.row.version)?;
                let person = Person::read(conn, &person.row.id)?;
                shown(conn, person)
            })
        })
        .await?;
    Ok(respond(StatusCode::OK, shown))
}
