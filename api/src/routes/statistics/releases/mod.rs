//! Releases of national figures (Circular 02/2011 art. 15, 18(2);
//! `tgpl_domain::statistics::release`).
//!
//! - [`publishing`]: publishing a vintage, listing and reading releases, the annual deadline.
//! - [`data`]: the released figures as the statistics offices pull them (SDMX-CSV 2.0 or
//!   JSON), with `updatedAfter` and `ETag`.

mod data;
mod publishing;

pub use data::*;
pub use publishing::*;

use actix_web::{post, HttpRequest};
use tgpl_domain::access::SystemAction;
use tgpl_domain::statistics::release::{self, Publication};
use tgpl_persistence::statistics::releases::{self, ReleaseFilter, ReleaseRow};
use tgpl_persistence::DbConnection;
use validator::Validate;

use super::records::{form_named, form_of, not_reported, period_filter, period_of};
use super::*;
use crate::http::extract::ValidJson;
use crate::routes::account_common::utc;

type Problem = crate::http::error::Problem;

/// One province in a release.
#[derive(Serialize, ToSchema)]
pub struct ReleasedAreaView {
    pub province_code: String,
    /// The Department whose accepted report is released.
    pub organization_id: String,
    pub report_id: String,
    pub revision: i32,
}

/// A release: a form's accepted figures for a period, as a numbered vintage.
#[derive(Serialize, ToSchema)]
pub struct ReleaseView {
    pub id: String,
    #[schema(example = "tt02-2011-bm3")]
    pub form: String,
    pub period: String,
    /// 1 for the first release of the form and period, then 2, 3, … for each correction
    /// released; an old vintage never changes.
    pub vintage: i32,
    pub note: Option<String>,
    pub released_at: DateTime<Utc>,
    pub released_by: String,
    pub provinces: Vec<ReleasedAreaView>,
    /// The provinces with an active Department when it was published; `null` for a release
    /// published before this was recorded.
    pub provinces_expected: Option<i32>,
    /// Whether every one of them is in it: only then is its national figure (`VN`) the
    /// country's; otherwise it is the sum of the provinces listed. `null` when not recorded.
    pub covers_the_country: Option<bool>,
    /// Where its figures are read: this vintage's, however many came after it.
    pub data_href: String,
}

impl From<ReleaseRow> for ReleaseView {
    fn from(r: ReleaseRow) -> Self {
        let expected = r.provinces_expected.and_then(|e| usize::try_from(e).ok());
        Self {
            provinces_expected: r.provinces_expected,
            covers_the_country: release::covers_the_country(r.areas.0.len(), expected),
            data_href: format!(
                "/api/v1/statistics/released-data?form={}&period={}&vintage={}",
                r.form,
                utf8_percent_encode(&r.period),
                r.vintage
            ),
            provinces: r
                .areas
                .0
                .into_iter()
                .map(|a| ReleasedAreaView {
                    province_code: a.province_code,
                    organization_id: a.organization_id,
                    report_id: a.report_id,
                    revision: a.revision,
                })
                .collect(),
            id: r.id,
            form: r.form,
            period: r.period,
            vintage: r.vintage,
            note: r.note,
            released_at: utc(r.released_at),
            released_by: r.released_by,
        }
    }
}

/// A period's text as a query value (`/` kept, as RFC 3986 allows in a query).
fn utf8_percent_encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC)
        .to_string()
        .replace("%2F", "/")
        .replace("%2D", "-")
}
