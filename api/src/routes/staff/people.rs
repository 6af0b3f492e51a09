//! Staff records: create (with a first membership), read, update, list.

use super::cards::card_authority;
use super::memberships::new_membership;
use super::*;
use tgpl_persistence::versioned::save_revision;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateStaff {
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    #[serde(deserialize_with = "crate::http::text::name")]
    pub full_name: String,
    #[schema(schema_with = crate::http::schemas::or_null::gender)]
    pub gender: Option<Gender>,
    pub date_of_birth: Option<NaiveDate>,
    #[schema(schema_with = crate::http::schemas::or_null::ethnic_group)]
    pub ethnicity: Option<EthnicGroup>,
    #[schema(schema_with = crate::http::schemas::or_null::qualification)]
    pub qualification: Option<Qualification>,
    /// Absent for staff who do not give legal aid.
    #[schema(schema_with = crate::http::schemas::or_null::provider_kind)]
    pub provider_kind: Option<ProviderKind>,
    /// For lawyers only.
    #[schema(min_length = 1, max_length = 50)]
    #[validate(length(min = 1, max = 50))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub lawyer_card_number: Option<String>,
    #[schema(schema_with = crate::http::schemas::phone)]
    #[validate(custom(function = "crate::http::text::phone"))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub phone: Option<String>,
    #[schema(format = Email)]
    #[validate(email)]
    pub email: Option<String>,
    /// The first membership.
    #[validate(nested)]
    pub membership: MembershipInput,
    /// Create even though possible duplicates were found: a deliberate choice after seeing
    /// the candidates of a 409 `possible_duplicates`.
    #[serde(default)]
    pub create_anyway: bool,
}

/// Creates a staff record with its first membership, in an organization where the caller
/// manages staff.
#[utoipa::path(
    operation_id = "createStaff",
    tag = "staff",
    request_body = CreateStaff,
    responses(
        (status = 201, description = "Created.", body = StaffView, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "The caller may not manage staff there.", body = Problem),
        (status = 409, description = "Possible duplicates (`possible_duplicates`: `candidates` lists them, send `create_anyway: true` to record the person all the same), or the organization stopped operating (`organization_inactive`).", body = Problem),
        (status = 422, description = "A field is refused: a lawyer's card on someone not a lawyer (`not_a_lawyer`) or missing on a lawyer (`required`); a legal aid officer or lawyer without a law degree (`qualification`: `law_degree_required`); a date of birth in the future or that makes the person under 18 when the membership begins (`date_of_birth`: `in_future`, `before_birth`, `under_age`).", body = Problem),
    )
)]
#[post("/staff")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: ValidJson<CreateStaff>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    check_person_details(
        body.provider_kind,
        body.qualification,
        body.lawyer_card_number.as_deref(),
        body.date_of_birth,
        today(),
    )
    .map_err(ApiError::refused)?;
    let full_name = person_name("full_name", &body.full_name)?;
    let shown = state
        .write(move |conn| {
            let org = scope::authorize(
                conn,
                &caller,
                Action::ManageStaff,
                &body.membership.organization_id,
            )?;
            crate::services::casework::check_operating(&org)?;
            let now = tgpl_persistence::now();
            let mut row = StaffRow {
                id: tgpl_persistence::new_id(),
                full_name,
                search_text: String::new(),
                gender: body.gender.map(Code),
                date_of_birth: body.date_of_birth,
                ethnicity: body.ethnicity.map(Code),
                qualification: body.qualification.map(Code),
                provider_kind: body.provider_kind.map(Code),
                lawyer_card_number: body.lawyer_card_number,
                phone: body.phone,
                email: body.email,
                status: Code(StaffStatus::Active),
                version: 1,
                created_at: now,
                updated_at: now,
            };
            row.refresh_search_text();
            let membership = new_membership(&row.id, &body.membership)?;
            tgpl_domain::staff::check_of_age_for_work(
                row.date_of_birth,
                Some(membership.valid_from),
                "date_of_birth",
            )?;
            // Checked and written under claims on what the check reads, so that one person
            // sent at once is recorded once.
            let mut claims = Vec::new();
            if let Some(card) = &row.lawyer_card_number {
                claims.push(Claim::new(Rule::StaffDuplicates, format!("card:{card}")));
            }
            if let Some(born) = row.date_of_birth {
                let key = format!("name_birth:{}:{born}", row.search_text);
                claims.push(Claim::new(Rule::StaffDuplicates, key));
            }
            exclusive(conn, &claims, |conn| {
                if !body.create_anyway {
                    if let Some(refusal) =
                        crate::services::staff_records::duplicates_refusal(conn, &caller, &row)?
                    {
                        return Err(refusal);
                    }
                }
                staff::insert(conn, &caller.actor(), &row, &membership)?;
                let person = Person::read(conn, &row.id)?;
                shown(conn, person)
            })
        })
        .await?;
    Ok(respond(StatusCode::CREATED, shown))
}

/// One staff record, with memberships, cards and where the person can take cases today.
#[utoipa::path(
    operation_id = "readStaff",
    tag = "staff",
    responses(
        (status = 200, description = "The person.", body = StaffView, headers(("ETag" = String))),
    )
)]
#[get("/staff/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let shown = state
        .db(move |conn| {
            let person = load(conn, &caller, &id, Action::ReadStaff)?;
            shown(conn, person)
        })
        .await?;
    Ok(respond(StatusCode::OK, shown))
}

/// Fields to change; absent fields keep their value, `null` clears an optional one.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateStaff {
    #[schema(value_type = String, min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    #[serde(default, deserialize_with = "crate::http::text::kept_or_name")]
    pub full_name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = crate::http::schemas::or_null::gender)]
    pub gender: Option<Option<Gender>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<NaiveDate>)]
    pub date_of_birth: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = crate::http::schemas::or_null::ethnic_group)]
    pub ethnicity: Option<Option<EthnicGroup>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = crate::http::schemas::or_null::qualification)]
    pub qualification: Option<Option<Qualification>>,
    /// Changing a person to or from `collaborator` is for the Department that issues cards.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = crate::http::schemas::or_null::provider_kind)]
    pub provider_kind: Option<Option<ProviderKind>>,
    #[serde(default, deserialize_with = "crate::http::text::present_name")]
    #[schema(min_length = 1, max_length = 50)]
    #[validate(length(min = 1, max = 50))]
    #[schema(value_type = Option<String>)]
    pub lawyer_card_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::http::text::present_name")]
    #[schema(schema_with = crate::http::schemas::phone)]
    #[validate(custom(function = "crate::http::text::phone"))]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(format = Email)]
    #[validate(email)]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    #[schema(schema_with = crate::http::schemas::staff_status)]
    #[serde(default, deserialize_with = "crate::http::extract::kept")]
    pub status: Option<StaffStatus>,
}

/// Changes a staff record. Requires `If-Match`.
#[utoipa::path(
    operation_id = "updateStaff",
    tag = "staff",
    params(("If-Match" = String, Header, description = "ETag of the record as read")),
    request_body = UpdateStaff,
    responses(
        (status = 200, description = "Updated.", body = StaffView, headers(("ETag" = String))),
        (status = 403, description = "The caller may not manage this person: only through a current membership, and in every organization the person currently belongs to (their record is shared).", body = Problem),
        (status = 409, description = "Another record where the caller may read staff has the lawyer's card number given (`lawyer_card_recorded`).", body = Problem),
        (status = 422, description = "As on creation (`not_a_lawyer`, `required`, `law_degree_required`, `in_future`, `before_birth`, `under_age`).", body = Problem),
    )
)]
#[patch("/staff/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<UpdateStaff>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.0;
    let full_name = body
        .full_name
        .as_deref()
        .map(|n| person_name("full_name", n))
        .transpose()?;
    let shown = state
        .write(move |conn| {
            let person = load(conn, &caller, &id, Action::ManageStaff)?;
            check_manages_everywhere(conn, &caller, &person)?;
            let before = person.row.clone();
            if_match.require_current(&before)?;
            let mut after = before.clone();
            if let Some(v) = full_name {
                after.full_name = v;
            }
            patch::set(&mut after.gender, body.gender.map(|v| v.map(Code)));
            patch::set(&mut after.date_of_birth, body.date_of_birth);
            patch::set(&mut after.ethnicity, body.ethnicity.map(|v| v.map(Code)));
            patch::set(
                &mut after.qualification,
                body.qualification.map(|v| v.map(Code)),
            );
            patch::set(
                &mut after.provider_kind,
                body.provider_kind.map(|v| v.map(Code)),
            );
            patch::set(&mut after.lawyer_card_number, body.lawyer_card_number);
            patch::set(&mut after.phone, body.phone);
            patch::set(&mut after.email, body.email);
            patch::set(&mut after.status, body.status.map(Code));
            let collaborator = Some(Code(ProviderKind::Collaborator));
            let becomes_or_stops_collaborator =
                (before.provider_kind == collaborator) != (after.provider_kind == collaborator);
            if becomes_or_stops_collaborator {
                // Otherwise a centre could turn a collaborator whose card was revoked into
                // another kind of provider and assign them cases again.
                card_authority(conn, &caller, &person)?;
            }
            let kind = after.provider_kind.map(|k| k.0);
            check_person_details(
                kind,
                after.qualification.map(|q| *q),
                after.lawyer_card_number.as_deref(),
                after.date_of_birth,
                today(),
            )
            .map_err(ApiError::refused)?;
            if body.date_of_birth.is_some() {
                let first_work = person.memberships.iter().map(|m| m.valid_from).min();
                tgpl_domain::staff::check_of_age_for_work(
                    after.date_of_birth,
                    first_work,
                    "date_of_birth",
                )?;
            }
            after.refresh_search_text();
            let card = after
                .lawyer_card_number
                .clone()
                .filter(|card| Some(card) != before.lawyer_card_number.as_ref());
            let after = crate::services::staff_records::with_lawyer_card_free(
                conn,
                &caller,
                &before.id,
                card.as_deref(),
                |conn| {
                    save_revision(&before, after, |before, after| {
                        staff::save(conn, &caller.actor(), before, after)
                    })
                    .map_err(ApiError::from)
                },
            )?;
            shown(
                conn,
                Person {
                    row: after,
                    ..person
                },
            )
        })
        .await?;
    Ok(respond(StatusCode::OK, shown))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StaffListQuery {
    /// Members (today) of this organization.
    pub organization_id: Option<String>,
    #[param(schema_with = crate::http::schemas::provider_kind)]
    pub provider_kind: Option<String>,
    #[param(schema_with = crate::http::schemas::title)]
    pub title: Option<String>,
    #[param(schema_with = crate::http::schemas::staff_status)]
    pub status: Option<String>,
    /// Searches names, ignoring case and Vietnamese diacritics.
    pub q: Option<String>,
    /// `name` (default) or `created_at`; prefix `-` for descending.
    #[param(schema_with = staff_sorts)]
    pub sort: Option<String>,
}

/// The orders of the staff list.
fn staff_sorts() -> utoipa::openapi::Object {
    crate::http::page::sort_schema(&STAFF_SORTS)
}

const STAFF_SORTS: [(&str, StaffSort); 4] = [
    ("name", StaffSort::Name),
    ("-name", StaffSort::NameDesc),
    ("created_at", StaffSort::CreatedAt),
    ("-created_at", StaffSort::CreatedAtDesc),
];

/// Lists staff and providers of the organizations in the caller's scope.
#[utoipa::path(
    operation_id = "listStaff",
    tag = "staff",
    params(StaffListQuery, PageQuery),
    responses(
        (status = 200, description = "One page of people.", body = Page<StaffView>),
        (status = 403, description = "Service clients do not read staff.", body = Problem),
    )
)]
#[get("/staff")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<StaffListQuery>,
    paging: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = paging.request()?;
    let query = query.0;
    let sort = parse_sort(query.sort.as_deref(), StaffSort::Name, &STAFF_SORTS)?;
    let provider_kind = parse_filter::<ProviderKind>("provider_kind", query.provider_kind)?;
    let title = parse_filter::<Title>("title", query.title)?;
    let status = parse_filter::<StaffStatus>("status", query.status)?;
    let (total, shown) = state
        .db(move |conn| {
            let permitted = scope::listable(conn, &caller, Action::ReadStaff)?;
            let (organizations, member_on) = match query.organization_id {
                Some(org) if permitted.contains(&org) => (Some(vec![org]), Some(today())),
                Some(_) => (Some(Vec::new()), None),
                None => (permitted.as_filter(), None),
            };
            let filter = StaffFilter {
                organizations,
                member_on,
                provider_kind,
                title,
                status,
                search: search_term(query.q.as_deref()),
                sort,
            };
            let paged = staff::list(conn, &filter, page)?;
            let ids: Vec<String> = paged.items.iter().map(|s| s.id.clone()).collect();
            let mut memberships: HashMap<String, Vec<MembershipRow>> = HashMap::new();
            for m in staff::memberships_of(conn, &ids)? {
                memberships.entry(m.staff_id.clone()).or_default().push(m);
            }
            let mut cards: HashMap<String, Vec<CardRow>> = HashMap::new();
            for c in staff::cards_of(conn, &ids)? {
                cards.entry(c.staff_id.clone()).or_default().push(c);
            }
            let mut shown_people = Vec::new();
            for row in paged.items {
                let person = Person {
                    memberships: memberships.remove(&row.id).unwrap_or_default(),
                    cards: cards.remove(&row.id).unwrap_or_default(),
                    row,
                };
                shown_people.push(shown(conn, person)?);
            }
            Ok((paged.total, shown_people))
        })
        .await?;
    let paged = tgpl_persistence::page::Paged {
        items: shown,
        total,
    };
    Ok(HttpResponse::Ok().json(Page::new(&req, page, paged, StaffView::new)))
}
