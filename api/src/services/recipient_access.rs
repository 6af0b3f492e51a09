//! Who handles a person aided, and the log of every read of their personal data: what the
//! recipient routes decide and record, and the case and attachment routes borrow.

use tgpl_domain::access::Action;
use tgpl_persistence::recipients::{self, Access, RecipientRow};
use tgpl_persistence::DbConnection;

use crate::auth::Caller;
use crate::http::error::ApiError;
use crate::scope;
use crate::state::AppState;

/// One read of a person's data by `caller`, of kind `kind` (`read`, `list`,
/// `duplicate_check`, `attachment`, ...).
pub fn access_entry(caller: &Caller, recipient_id: &str, kind: &str) -> Access {
    Access {
        recipient_id: recipient_id.to_owned(),
        accessed_at: tgpl_persistence::now(),
        account_id: caller.account_id.clone(),
        username: caller.username.clone(),
        role: caller.role.to_string(),
        org_id: caller.org_id.clone(),
        access: kind.to_owned(),
        request_id: Some(caller.request_id.clone()),
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
/// person's cases to find the others.
pub fn allows(
    conn: &mut DbConnection,
    caller: &Caller,
    action: Action,
    row: &RecipientRow,
) -> Result<bool, ApiError> {
    let tree = scope::tree_today(conn, caller)?;
    let may = |org: &str| scope::check_on(&tree, caller, action, org).is_ok();
    if may(&row.organization_id) {
        return Ok(true);
    }
    Ok(recipients::handling_organizations(conn, row)?
        .iter()
        .any(|org| may(org)))
}
