//! What a table and a cell share: the form and period asked for, whose records are counted
//! and who may read them, and the records themselves, read once per subject.

use tgpl_persistence::db::DbConnection;
use tgpl_persistence::organizations::OrganizationRow;

pub(super) use crate::services::statistical_tables::{read, Open};

use super::*;

/// The form with code `code`; 404 when there is none.
pub(super) fn form_of(code: &str) -> Result<&'static Form, ApiError> {
    forms()
        .find(|f| f.code == code)
        .ok_or_else(ApiError::not_found)
}

/// The form with code `code` named in a body's field `form`; 422 `unknown_form` when there
/// is none.
pub(super) fn form_named(code: &str) -> Result<&'static Form, ApiError> {
    forms().find(|f| f.code == code).ok_or_else(|| {
        let code: String = code.chars().take(40).collect();
        ApiError::field(
            "form",
            "unknown_form",
            format!("Không có biểu mẫu `{code}`."),
            format!("No form `{code}`."),
        )
    })
}

/// A list's period filter in its canonical text, read as one of the form's regime and one it
/// is reported for: `period` needs `form` (422 `needs_form`); an unknown form is 404, as for
/// a table.
pub(super) fn period_filter(
    form: Option<&str>,
    period: Option<String>,
) -> Result<Option<String>, ApiError> {
    let form = form.map(form_of).transpose()?;
    match (form, period) {
        (_, None) => Ok(None),
        (Some(form), Some(text)) => {
            let period = period_of(form, &text)?;
            if !form.is_reported_for(&period) {
                return Err(not_reported(form));
            }
            Ok(Some(period.to_string()))
        }
        (None, Some(_)) => Err(ApiError::field(
            "period",
            "needs_form",
            "Lọc theo kỳ cần kèm biểu mẫu (form).",
            "Filtering by period needs the form.",
        )),
    }
}

/// 422 for a period the form is not reported for.
pub(super) fn not_reported(form: &Form) -> ApiError {
    let months: Vec<String> = form
        .reported_months
        .iter()
        .map(|m| format!("{m}M"))
        .collect();
    let months = if months.is_empty() {
        "mỗi ấn bản (H1, CYE, CY)".to_owned()
    } else {
        months.join(", ")
    };
    ApiError::field(
        "period",
        "not_a_reporting_period",
        format!("Biểu mẫu này được báo cáo theo kỳ: {months}; không theo khoảng ngày tùy chọn."),
        format!("This form is reported for the periods {months}; not for ad-hoc ranges."),
    )
}

/// The period written `text`, read as one of `form`'s regime (field `period`).
pub(super) fn period_of(form: &Form, text: &str) -> Result<Period, ApiError> {
    form.regime.period(text).map_err(ApiError::refused)
}

/// The organization `root` and every organization its figures for `period` count: its
/// subtree in the tree of the period's last day, the tree on which `caller`'s access is
/// decided too (a Department opens every unit its own table counted then, and a unit's new
/// Department does not read the years before it came).
pub(super) fn covered(
    conn: &mut DbConnection,
    caller: &Caller,
    root: &str,
    period: &Period,
) -> Result<(OrganizationRow, Vec<String>), ApiError> {
    let organization = organizations::get(conn, root)?;
    let tree = Hierarchy::on(period.to(), &organizations::all_links(conn)?);
    scope::check_on(&tree, caller, Action::ReadStatistics, root)?;
    let covered = tree.subtree(root).into_iter().map(|n| n.org_id).collect();
    Ok((organization, covered))
}

/// Where a record of `subject` is read (`/api/v1/cases/{id}`, …): a person-time is read
/// through its case.
pub(super) fn href(subject: Subject, id: &str) -> String {
    let collection = match subject {
        Subject::Cases | Subject::PersonTimes => "cases",
        Subject::ReviewRequests => "review-requests",
        Subject::People(_) => "staff",
        Subject::Participants => "organizations",
    };
    format!("/api/v1/{collection}/{id}")
}
