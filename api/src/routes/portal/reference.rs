//! What the Agency keeps for the portal: the procedures with their national codes and
//! limits, the calendar of working days, and the portal's code of each of our statuses.
//! Anyone signed in reads them; the data centre changes them.
//!
//! - [`procedures`]: the procedures with their national codes and limits;
//! - [`calendar`]: the working-day calendar;
//! - [`status_codes`]: the portal's code for each of our statuses;
//! - here: who changes them, and the audit entry of a change.

use super::*;

pub(super) fn manage(caller: &Caller) -> Result<(), ApiError> {
    scope::authorize_system(caller, SystemAction::ManagePortalIntegration)
}

/// Records a change of the Agency's reference data in the audit log.
pub(super) fn audited(
    conn: &mut DbConnection,
    caller: &Caller,
    what: &str,
    key: &str,
    after: &impl Serialize,
) -> Result<(), ApiError> {
    Ok(audit::record(
        conn,
        &caller.actor(),
        Change::created(
            AuditAction::PortalReferenceUpdate,
            "portal_reference",
            &format!("{what}:{key}"),
            after,
        ),
    )?)
}
