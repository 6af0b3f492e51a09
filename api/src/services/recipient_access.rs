//! Who handles a person aided, the log of every read of their personal data, and the check
//! for people already recorded: what the recipient routes decide and record, and the case,
//! attachment and dossier routes borrow.

use chrono::NaiveDate;
use serde::Serialize;
use tgpl_domain::access::Action;
use tgpl_domain::recipient::{check_identity, name_key, CitizenId, DataAccess};
use tgpl_domain::reference::{EthnicGroup, Gender};
use tgpl_persistence::column::Code;
use tgpl_persistence::exclusive::{exclusive, Claim, Rule};
use tgpl_persistence::recipients::{self, Access, RecipientRow};
use tgpl_persistence::DbConnection;
use utoipa::ToSchema;

use crate::http::lang::Text;

use crate::auth::Caller;
use crate::http::error::ApiError;
use crate::scope::{self, today};
use crate::state::AppState;

/// One read of a person's data by `caller`, of kind `kind`.
pub fn access_entry(caller: &Caller, recipient_id: &str, kind: DataAccess) -> Access {
    read_by(caller, Some(recipient_id), kind)
}

/// A read by `caller` of the data of `recipient_id`, or of an applicant who is no recipient
/// yet (`None`: give the record read with [`Access::through`]).
pub fn read_by(caller: &Caller, recipient_id: Option<&str>, kind: DataAccess) -> Access {
    Access {
        recipient_id: recipient_id.map(str::to_owned),
        accessed_at: tgpl_persistence::now(),
        account_id: caller.account_id.clone(),
        username: caller.username.clone(),
        role: caller.role.to_string(),
        org_id: caller.org_id.clone(),
        access: Code(kind),
        request_id: Some(caller.request_id.clone()),
        record_id: None,
    }
}

/// Appends reads of personal data to the access log. Handlers read on a pooled connection,
/// then call this and send the data only once it has returned: no read goes unrecorded, and
/// the reading itself never waits for the single writer.
pub async fn log_reads(state: &AppState, entries: Vec<Access>) -> Result<(), ApiError> {
    if entries.is_empty() {
        return Ok(());
    }
    state
        .write(move |conn| Ok(recipients::log_access(conn, &entries)?))
        .await
}

/// Whether one of the organizations handling the person lets `caller` do `action`. The one
/// that registered the person is asked first: it usually answers, and spares reading the
/// person's cases to find the others. A caller who sees only the cases they perform sees
/// only the people of those cases.
pub fn allows(
    conn: &mut DbConnection,
    caller: &Caller,
    action: Action,
    row: &RecipientRow,
) -> Result<bool, ApiError> {
    if let Some(staff_id) = crate::services::casework::performed_by(caller) {
        if !recipients::performs_for(conn, &staff_id, &row.id)? {
            return Ok(false);
        }
    }
    let tree = scope::tree_today(conn, caller)?;
    let may = |org: &str| scope::check_on(&tree, caller, action, org).is_ok();
    if may(&row.organization_id) {
        return Ok(true);
    }
    Ok(recipients::handling_organizations(conn, row)?
        .iter()
        .any(|org| may(org)))
}

/// A person already recorded who may be the one about to be recorded.
#[derive(Serialize, ToSchema)]
pub struct DuplicateCandidate {
    pub id: String,
    pub full_name: String,
    pub date_of_birth: Option<NaiveDate>,
    /// Only the last three digits.
    pub citizen_id_masked: Option<String>,
    pub organization_id: String,
    /// `citizen_id` or `name_and_birth_date`.
    pub matched_on: &'static str,
}

/// 409 `possible_duplicates` with the candidates, when the same citizen ID, or the same
/// folded name and date of birth, is already recorded where `caller` may read recipients;
/// the reads of the candidates shown are logged. `None` when there is nobody.
pub fn duplicates_refusal(
    conn: &mut DbConnection,
    caller: &Caller,
    citizen_id: Option<&str>,
    name_key: &str,
    date_of_birth: Option<NaiveDate>,
) -> Result<Option<ApiError>, ApiError> {
    let visible = scope::permitted(conn, caller, Action::ReadRecipient)?.as_filter();
    let found = recipients::possible_duplicates(
        conn,
        citizen_id,
        name_key,
        date_of_birth,
        visible.as_deref(),
    )?;
    if found.is_empty() {
        return Ok(None);
    }
    let entries: Vec<Access> = found
        .iter()
        .map(|r| access_entry(caller, &r.id, DataAccess::DuplicateCheck))
        .collect();
    recipients::log_access(conn, &entries)?;
    let candidates: Vec<DuplicateCandidate> = found
        .into_iter()
        .map(|r| DuplicateCandidate {
            matched_on: if citizen_id.is_some() && r.citizen_id.as_deref() == citizen_id {
                "citizen_id"
            } else {
                "name_and_birth_date"
            },
            citizen_id_masked: r
                .citizen_id
                .as_deref()
                .and_then(|c| CitizenId::parse(c).ok())
                .map(|c| c.masked()),
            id: r.id,
            full_name: r.full_name,
            date_of_birth: r.date_of_birth,
            organization_id: r.organization_id,
        })
        .collect();
    Ok(Some(
        ApiError::conflict(
            "possible_duplicates",
            Text::new(
                "Có thể người này đã có hồ sơ; hãy dùng hồ sơ sẵn có, hoặc gửi lại với create_anyway: true.",
                "This person may already be recorded; use the existing record, or send again with create_anyway: true.",
            ),
        )
        .with_extra(serde_json::json!({ "candidates": candidates })),
    ))
}

/// Runs `change`, which gives the record `own_id` the citizen ID `citizen_id`, unless another
/// record where `caller` may read recipients already has that number: then 409
/// `citizen_id_recorded`, without naming the other (a correction is no search). Checked and
/// written under the same claim as [`register_person`]'s, so that a record created and a
/// record corrected at once do not both take the number.
pub fn with_citizen_id_free<T>(
    conn: &mut DbConnection,
    caller: &Caller,
    own_id: &str,
    citizen_id: &str,
    change: impl FnOnce(&mut DbConnection) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let claim = Claim::new(
        Rule::RecipientDuplicates,
        format!("citizen_id:{citizen_id}"),
    );
    exclusive(conn, &[claim], |conn| {
        let visible = scope::permitted(conn, caller, Action::ReadRecipient)?.as_filter();
        let others =
            recipients::possible_duplicates(conn, Some(citizen_id), "", None, visible.as_deref())?;
        if others.iter().any(|r| r.id != own_id) {
            return Err(ApiError::conflict(
                "citizen_id_recorded",
                Text::new(
                    "Số định danh cá nhân này đã có trong hồ sơ của một người khác; hãy kiểm tra lại số, hoặc dùng hồ sơ sẵn có.",
                    "Another person's record already has this citizen ID; check the number, or use the existing record.",
                ),
            ));
        }
        change(conn)
    })
}

/// Who a person about to be recorded is, as a request gives it.
#[derive(Debug, Clone, Copy)]
pub struct Identity<'a> {
    pub full_name: &'a str,
    pub gender: Option<Gender>,
    pub date_of_birth: Option<NaiveDate>,
    pub ethnicity: Option<EthnicGroup>,
    pub citizen_id: Option<&'a str>,
}

/// A new record of the person `identity` names, received by `organization_id`, its other
/// fields empty: the identity fields checked together as of today
/// ([`check_identity`]: 422 on the field that disagrees, the citizen ID normalised), the name
/// one that names somebody, trimmed and folded for the duplicate check of
/// [`register_person`].
pub fn new_record(organization_id: String, identity: Identity) -> Result<RecipientRow, ApiError> {
    let full_name = crate::http::text::person_name("full_name", identity.full_name)?;
    let citizen_id = check_identity(
        identity.citizen_id,
        identity.gender,
        identity.date_of_birth,
        today(),
    )
    .map_err(ApiError::refused)?;
    Ok(RecipientRow {
        gender: identity.gender.map(Code),
        date_of_birth: identity.date_of_birth,
        ethnicity: identity.ethnicity.map(Code),
        citizen_id: citizen_id.map(|id| id.as_str().to_owned()),
        ..RecipientRow::new(organization_id, full_name.clone(), name_key(&full_name))
    })
}

/// Records the person `row`, unless the same citizen ID, or the same folded name and date of
/// birth, is already recorded where `caller` can see it and `create_anyway` is not set: then
/// the refusal with the candidates, inside `Ok`, so that the transaction still commits the
/// reads of the candidates it shows. The check and the insert run under a claim on what they
/// guard, so that requests sent at once for the same person do not all find nobody. The
/// answer shows the record, which is a read like any other: it is logged with it.
pub fn register_person(
    conn: &mut DbConnection,
    caller: &Caller,
    row: RecipientRow,
    create_anyway: bool,
) -> Result<Result<RecipientRow, ApiError>, ApiError> {
    let mut claims = Vec::new();
    if let Some(cid) = &row.citizen_id {
        claims.push(Claim::new(
            Rule::RecipientDuplicates,
            format!("citizen_id:{cid}"),
        ));
    }
    if let Some(dob) = row.date_of_birth {
        claims.push(Claim::new(
            Rule::RecipientDuplicates,
            format!("name_birth:{}:{dob}", row.name_key),
        ));
    }
    exclusive(conn, &claims, |conn| {
        if !create_anyway {
            if let Some(refusal) = duplicates_refusal(
                conn,
                caller,
                row.citizen_id.as_deref(),
                &row.name_key,
                row.date_of_birth,
            )? {
                return Ok(Err(refusal));
            }
        }
        recipients::insert(conn, &caller.actor(), &row)?;
        recipients::log_access(conn, &[access_entry(caller, &row.id, DataAccess::Create)])?;
        Ok(Ok(row))
    })
}
