//! What the Agency keeps for the portal: the procedures with their national codes and
//! limits, the calendar of working days, and the portal's code of each of our statuses.
//! Anyone signed in reads them; the data centre changes them.
//!
//! - [`procedures`]: the procedures with their national codes and limits;
//! - [`calendar`]: the working-day calendar;
//! - [`status_codes`]: the portal's code for each of our statuses;
//! - here: who changes them.

use super::*;

pub(super) fn manage(caller: &Caller) -> Result<(), ApiError> {
    scope::authorize_system(caller, SystemAction::ManagePortalIntegration)
}
