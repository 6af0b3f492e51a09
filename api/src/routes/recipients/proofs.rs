//! The documents that prove a person's category; the statistical category follows from them.

use super::*;
use tgpl_domain::recipient::NewProof;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddProof {
    #[schema(schema_with = crate::http::schemas::proof_kind)]
    pub kind: ProofKind,
    /// Required for `status`, absent for `financial_hardship`.
    #[schema(schema_with = crate::http::schemas::or_null::recipient_category)]
    pub category: Option<RecipientCategory>,
    /// What the document is (e.g. "Giấy chứng nhận hộ nghèo").
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    #[serde(deserialize_with = "crate::http::text::name")]
    pub document_kind: String,
    #[schema(min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub document_number: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    #[serde(default, deserialize_with = "crate::http::text::opt_name")]
    pub issuer: Option<String>,
    pub issued_on: Option<NaiveDate>,
    /// The day the person provided it; decides which category the statistics count.
    pub provided_on: NaiveDate,
}

/// Adds a proof document. The statistical category is recomputed: the category whose proof
/// came first; financial-difficulty categories count from the day both their proofs were in.
/// The document is dated within the person's life, and its category fits their age on the day
/// it was provided (a child under 16, the elderly from 60, …).
#[utoipa::path(
    operation_id = "addRecipientProof",
    tag = "recipients",
    params(("If-Match" = Option<String>, Header, description = "ETag of the person as read")),
    request_body = AddProof,
    responses(
        (status = 201, description = "Added; the person (its version moves with its proofs).", body = RecipientView, headers(("ETag" = String), ("Location" = String))),
        (status = 422, description = "The proof is refused, naming the field: a status without its category (`required`) or a hardship proof with one (`not_applicable`); days in the future, out of order or before the person's birth (`in_future`, `after_provided`, `before_birth`); a category the person's age (`age_mismatch`) or ethnic group (`ethnicity_mismatch`: the ethnic minority category is no Kinh person's) rules out.", body = Problem),
    )
)]
#[post("/recipients/{id}/proofs")]
pub async fn add_proof(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<AddProof>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body = body.0;
    let proof = NewProof {
        kind: body.kind,
        category: body.category,
        issued_on: body.issued_on,
        provided_on: body.provided_on,
    };
    let (row, proofs) = state
        .write(move |conn| {
            // Written over the person's version as read: an edit or another proof decided on
            // the same version loses (and is tried again when no version was named).
            if_match.settle(conn, |conn| {
                let row = load(conn, &caller, &id, Action::ManageRecipient)?;
                if_match.check_current(&row)?;
                proof.check(row.date_of_birth, row.ethnicity.map(|e| *e), today())?;
                let proof = ProofRow {
                    id: tgpl_persistence::new_id(),
                    recipient_id: id.clone(),
                    kind: Code(body.kind),
                    category: body.category.map(Code),
                    document_kind: body.document_kind.clone(),
                    document_number: body.document_number.clone(),
                    issuer: body.issuer.clone(),
                    issued_on: body.issued_on,
                    provided_on: body.provided_on,
                    created_at: tgpl_persistence::now(),
                };
                write_transaction(conn, |conn| {
                    recipients::add_proof(conn, &caller.actor(), &proof, row.version)?;
                    recipients::log_access(conn, &[access_entry(&caller, &id, DataAccess::Read)])
                })?;
                Ok((
                    recipients::get(conn, &id)?,
                    recipients::proofs_of(conn, std::slice::from_ref(&id))?,
                ))
            })
        })
        .await?;
    Ok(respond(StatusCode::CREATED, row, &proofs))
}
