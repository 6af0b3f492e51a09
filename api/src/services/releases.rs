//! Publishing a release of national figures (`tgpl_domain::statistics::release`), shared by
//! the route and the demonstration data.

use tgpl_domain::organization::OrganizationKind;
use tgpl_domain::statistics::{Form, Period};
use tgpl_persistence::audit::Actor;
use tgpl_persistence::column::Json;
use tgpl_persistence::organizations;
use tgpl_persistence::statistics::releases::{self, ReleaseRow, ReleasedArea};
use tgpl_persistence::statistics::reports::{self, ReportFilter};
use tgpl_persistence::{DbConnection, StoreError};

use crate::http::error::ApiError;
use crate::http::lang::Text;

/// Publishes the accepted figures of every province for `form` and `period` as the next
/// vintage: each Department's report as the Agency accepted it. 409 `nothing_accepted` when
/// no Department's report is accepted, `no_change` when the accepted figures are the last
/// vintage's, `release_conflict` when another release of the same vintage won.
pub fn publish(
    conn: &mut DbConnection,
    actor: &Actor,
    form: &'static Form,
    period: &Period,
    note: Option<String>,
) -> Result<ReleaseRow, ApiError> {
    let text = period.to_string();
    let filter = ReportFilter {
        form: Some(form.code.to_owned()),
        period: Some(text.clone()),
        ..Default::default()
    };
    let sent = reports::all(conn, &filter)?;
    let ids: Vec<String> = sent.iter().map(|r| r.organization_id.clone()).collect();
    let senders = organizations::get_many(conn, &ids)?;
    let mut areas = Vec::new();
    for report in &sent {
        let (Some(org), Some(n)) = (
            senders.iter().find(|o| o.id == report.organization_id),
            report.accepted_revision,
        ) else {
            continue;
        };
        if *org.kind != OrganizationKind::Department {
            continue;
        }
        let revision = reports::revision(conn, &report.id, n)?;
        areas.push(ReleasedArea {
            province_code: org.province_code.clone().unwrap_or_default(),
            organization_id: org.id.clone(),
            report_id: report.id.clone(),
            revision: n,
            rows: revision.figures.0,
        });
    }
    if areas.is_empty() {
        return Err(ApiError::conflict(
            "nothing_accepted",
            Text::new(
                "Chưa có báo cáo nào của Sở Tư pháp được Cục tiếp nhận cho biểu mẫu và kỳ này.",
                "No Department's report of this form and period has been accepted.",
            ),
        ));
    }
    areas.sort_by(|a, b| a.province_code.cmp(&b.province_code));
    let latest = releases::latest(conn, form.code, &text)?;
    let key = |areas: &[ReleasedArea]| -> Vec<(String, i32)> {
        areas
            .iter()
            .map(|a| (a.report_id.clone(), a.revision))
            .collect()
    };
    if let Some(latest) = &latest {
        if key(&latest.areas.0) == key(&areas) {
            return Err(ApiError::conflict(
                "no_change",
                Text::new(
                    format!(
                        "Số liệu đã tiếp nhận không khác kỳ công bố số {}.",
                        latest.vintage
                    ),
                    format!(
                        "The accepted figures are those of vintage {}.",
                        latest.vintage
                    ),
                ),
            ));
        }
    }
    let row = ReleaseRow {
        id: tgpl_persistence::new_id(),
        form: form.code.to_owned(),
        period: text,
        vintage: latest.map_or(1, |l| l.vintage + 1),
        areas: Json(areas),
        note,
        released_at: tgpl_persistence::now(),
        released_by: actor.username.clone(),
        provinces_expected: Some(
            i32::try_from(organizations::count_reporting_provinces(conn)?).unwrap_or(i32::MAX),
        ),
    };
    match releases::insert(conn, actor, &row) {
        Ok(()) => Ok(row),
        Err(StoreError::Conflict(_)) => Err(ApiError::conflict(
            "release_conflict",
            Text::new(
                "Một lần công bố khác vừa được thực hiện; hãy tải lại.",
                "Another release was published at the same moment; reload.",
            ),
        )),
        Err(e) => Err(e.into()),
    }
}
