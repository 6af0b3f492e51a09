//! Who may work what, checked where several routes need it: which cases a person works,
//! who records cases, on which days an organization handles cases, and whether it still
//! operates. The rules are the domain's (`tgpl_domain::case::workers`); here they answer as
//! problems.

use chrono::NaiveDate;
use tgpl_domain::case::{performs_only, records_cases, works_on};
use tgpl_domain::organization::OrganizationStatus;
use tgpl_persistence::cases::CaseRow;
use tgpl_persistence::organizations::OrganizationRow;

use crate::auth::Caller;
use crate::http::error::ApiError;
use crate::http::lang::Text;

/// 404 unless the caller sees and works this case of an organization whose cases their
/// role reads (`tgpl_domain::case::works_on`: a contracted lawyer, only the cases they
/// perform; the others are hidden from them, as what is outside one's scope is).
pub fn check_works_on(caller: &Caller, row: &CaseRow) -> Result<(), ApiError> {
    if works_on(
        caller.role,
        caller.staff_id.as_deref(),
        row.provider_id.as_deref(),
    ) {
        Ok(())
    } else {
        Err(ApiError::not_found())
    }
}

/// The staff record whose cases are all the caller sees of their organizations' cases, when
/// their role sees only the cases it performs (`tgpl_domain::case::performs_only`): lists
/// narrow to it. An account of such a role without a staff record performs nothing, and so
/// is given an id that no record has.
pub fn performed_by(caller: &Caller) -> Option<String> {
    performs_only(caller.role).then(|| caller.staff_id.clone().unwrap_or_default())
}

/// 409 `not_handling_cases` unless `org` handles cases on `day`, the day a request was
/// received (`tgpl_domain::case::handles_cases_on`): it had not stopped operating, and a
/// participating organization took part that day.
pub fn check_handles_cases(org: &OrganizationRow, day: NaiveDate) -> Result<(), ApiError> {
    if org.handles_cases_on(day) {
        return Ok(());
    }
    Err(ApiError::conflict(
        "not_handling_cases",
        Text::new(
            "Tổ chức không thực hiện trợ giúp pháp lý vào ngày tiếp nhận (đã ngừng hoạt động hoặc chấm dứt tham gia).",
            "The organization handled no cases on the day of receipt (it stopped operating, or its participation ended).",
        ),
    ))
}

/// 403 unless the caller's role records new cases and deletes open ones
/// (`tgpl_domain::case::records_cases`).
pub fn check_records_cases(caller: &Caller) -> Result<(), ApiError> {
    if records_cases(caller.role) {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
}

/// 409 `organization_inactive` unless `org` is operating: an organization that stopped takes
/// no new accounts, people aided, staff or memberships (what it recorded stays).
pub fn check_operating(org: &OrganizationRow) -> Result<(), ApiError> {
    if *org.status == OrganizationStatus::Active {
        return Ok(());
    }
    Err(ApiError::conflict(
        "organization_inactive",
        Text::new(
            "Tổ chức đã ngừng hoạt động.",
            "The organization is inactive.",
        ),
    ))
}
