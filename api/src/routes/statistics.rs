//! The statistical forms: their definitions, and any form filled from the records for an
//! organization's subtree and a period.

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tgpl_domain::access::Action;
use tgpl_domain::hierarchy::Hierarchy;
use tgpl_domain::statistics::circular_02_2011;
use tgpl_domain::statistics::form::{Form, RuleResult, RuleScope, Severity, Subject};
use tgpl_domain::statistics::Period;
use tgpl_persistence::{organizations, statistics};
use utoipa::{IntoParams, ToSchema};

use super::reference::LabelView;
use crate::auth::Caller;
use crate::http::error::ApiError;
use crate::http::extract::Query;
use crate::scope;
use crate::state::AppState;

/// The forms the system fills, in their order.
fn forms() -> impl Iterator<Item = &'static Form> {
    circular_02_2011::FORMS.iter().copied()
}

#[derive(Serialize, ToSchema)]
pub struct ColumnView {
    pub number: u8,
    pub header: LabelView,
}

#[derive(Serialize, ToSchema)]
pub struct SectionView {
    /// `I`, `II`, …
    pub number: &'static str,
    pub title: LabelView,
    /// The codes and labels of its rows, in order; a row's code in a table is the section's
    /// number, a dot and this code (`I.criminal`).
    pub rows: Vec<RowDefinitionView>,
}

#[derive(Serialize, ToSchema)]
pub struct RowDefinitionView {
    pub code: &'static str,
    pub label: LabelView,
}

#[derive(Serialize, ToSchema)]
pub struct RuleView {
    #[schema(example = "02_2011.1.in")]
    pub id: &'static str,
    /// The columns added on the left, for a rule checked on every row.
    pub left: Vec<u8>,
    /// `=` or `<=`.
    pub operator: &'static str,
    /// The columns added on the right, for a rule checked on every row.
    pub right: Vec<u8>,
    /// `each_row`, or `sections_add_up_to_total` (each section's rows add up to the total
    /// row, in every column).
    pub scope: &'static str,
    /// `error` or `warning`.
    pub severity: &'static str,
    pub message: LabelView,
}

/// A form's definition.
#[derive(Serialize, ToSchema)]
pub struct FormView {
    #[schema(example = "02_2011.1")]
    pub code: &'static str,
    pub number: LabelView,
    pub title: LabelView,
    /// What a figure counts (`vụ việc`, `lượt người`, …).
    pub unit: LabelView,
    /// The instrument and articles the definition comes from.
    pub source: &'static str,
    pub columns: Vec<ColumnView>,
    pub sections: Vec<SectionView>,
    pub rules: Vec<RuleView>,
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

impl From<&'static Form> for FormView {
    fn from(f: &'static Form) -> Self {
        Self {
            code: f.code,
            number: f.number.into(),
            title: f.title.into(),
            unit: f.unit.label().into(),
            source: f.source,
            columns: f
                .columns
                .iter()
                .map(|c| ColumnView {
                    number: c.number,
                    header: c.header.into(),
                })
                .collect(),
            sections: f
                .sections
                .iter()
                .map(|s| {
                    let mut rows: Vec<RowDefinitionView> = s
                        .dimension
                        .values()
                        .into_iter()
                        .map(|(code, label)| RowDefinitionView {
                            code,
                            label: label.into(),
                        })
                        .collect();
                    if let Some(label) = s.without_value {
                        rows.push(RowDefinitionView {
                            code: tgpl_domain::statistics::form::WITHOUT_VALUE,
                            label: label.into(),
                        });
                    }
                    SectionView {
                        number: s.number,
                        title: s.title.into(),
                        rows,
                    }
                })
                .collect(),
            rules: f
                .rules
                .iter()
                .map(|r| {
                    let (scope, left, right) = match r.scope {
                        RuleScope::EachRow { left, right } => {
                            ("each_row", left.to_vec(), right.to_vec())
                        }
                        RuleScope::SectionsAddUpToTotal => {
                            ("sections_add_up_to_total", Vec::new(), Vec::new())
                        }
                    };
                    RuleView {
                        id: r.id,
                        left,
                        operator: r.comparison.symbol(),
                        right,
                        scope,
                        severity: severity(r.severity),
                        message: r.message.into(),
                    }
                })
                .collect(),
        }
    }
}

/// The forms the system fills, with their columns, rows and rules.
#[utoipa::path(
    operation_id = "listStatisticalForms",
    tag = "statistics",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The definitions.", body = Vec<FormView>),
    )
)]
#[get("/statistics/forms")]
pub async fn list_forms(_caller: Caller) -> Result<HttpResponse, ApiError> {
    let views: Vec<FormView> = forms().map(FormView::from).collect();
    Ok(HttpResponse::Ok().json(views))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TableQuery {
    /// The organization whose subtree (as it stood on the period's last day) is counted;
    /// the caller's own organization when absent.
    pub organization_id: Option<String>,
    /// The period: `2025-9M` (year 2025, the nine months from 1 October 2024), `2025-Y`,
    /// `2024-10-01/P9M`, or a range `2018-11-01/2019-07-30` (Viet Nam dates, both included).
    #[param(example = "2025-9M")]
    pub period: String,
}

#[derive(Serialize, ToSchema)]
pub struct TableRowView {
    /// `total`, or the section's number and the row's code (`I.criminal`, `IV.none`).
    #[schema(example = "I.criminal")]
    pub code: String,
    pub section: Option<&'static str>,
    pub label: LabelView,
    /// One figure per column, in the order of `columns`.
    pub cells: Vec<u64>,
}

#[derive(Serialize, ToSchema)]
pub struct RuleResultView {
    pub rule: &'static str,
    /// The row checked; for a rule over sections, `section:column` (`II:5`).
    pub row: String,
    pub left: u64,
    pub operator: &'static str,
    pub right: u64,
    /// Left minus right.
    pub imbalance: i64,
    pub holds: bool,
    pub severity: &'static str,
    pub message: LabelView,
}

impl From<RuleResult> for RuleResultView {
    fn from(r: RuleResult) -> Self {
        Self {
            holds: r.holds(),
            imbalance: i64::try_from(r.imbalance()).unwrap_or(i64::MAX),
            rule: r.rule,
            row: r.row,
            left: r.left,
            operator: r.comparison.symbol(),
            right: r.right,
            severity: severity(r.severity),
            message: r.message.into(),
        }
    }
}

/// A form filled from the records.
#[derive(Serialize, ToSchema)]
pub struct TableView {
    pub form: &'static str,
    pub title: LabelView,
    pub unit: LabelView,
    /// The definitions used: the form's instrument.
    pub definitions: &'static str,
    /// The period, in its canonical form (`2024-10-01/P9M`).
    #[schema(example = "2024-10-01/P9M")]
    pub period: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub organization_id: String,
    /// Every organization whose records are counted: the subtree of `organization_id` on the
    /// period's last day.
    pub organizations: Vec<String>,
    /// When the figures were taken.
    pub as_of: DateTime<Utc>,
    pub columns: Vec<ColumnView>,
    /// The total row, then each section's rows.
    pub rows: Vec<TableRowView>,
    /// Every rule of the form on every row it applies to.
    pub rules: Vec<RuleResultView>,
}

/// A form filled from the records of an organization's subtree for a period, with the
/// results of the form's rules.
#[utoipa::path(
    operation_id = "readStatisticalTable",
    tag = "statistics",
    security(("bearer" = [])),
    params(("form" = String, Path, description = "The form's code, e.g. `02_2011.1`"), TableQuery),
    responses(
        (status = 200, description = "The filled form.", body = TableView),
        (status = 403, description = "Service clients and contracted lawyers read released figures only.", body = crate::http::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/statistics/forms/{form}")]
pub async fn table(
    state: web::Data<AppState>,
    caller: Caller,
    form: web::Path<String>,
    query: Query<TableQuery>,
) -> Result<HttpResponse, ApiError> {
    let form = forms()
        .find(|f| f.code == form.as_str())
        .ok_or_else(ApiError::not_found)?;
    let q = query.0;
    let period = Period::parse(&q.period).map_err(ApiError::refused)?;
    let root = q.organization_id.unwrap_or_else(|| caller.org_id.clone());
    let as_of = Utc::now();
    let organization_id = root.clone();
    let (covered, filled) = state
        .db(move |conn| {
            scope::authorize(conn, &caller, Action::ReadStatistics, &root)?;
            let links = organizations::all_links(conn)?;
            let covered: Vec<String> = Hierarchy::on(period.to(), &links)
                .subtree(&root)
                .into_iter()
                .map(|n| n.org_id)
                .collect();
            let (from, to) = (period.from(), period.to());
            let filled = match form.subject {
                Subject::Cases => form.fill(
                    &statistics::cases_in_hand(conn, &covered, from, to)?,
                    &period,
                ),
                Subject::ReviewRequests => form.fill(
                    &statistics::reviews_sent_or_answered(conn, &covered, from, to)?,
                    &period,
                ),
            };
            Ok((covered, filled))
        })
        .await?;
    let rules = filled
        .check()
        .into_iter()
        .map(RuleResultView::from)
        .collect();
    Ok(HttpResponse::Ok().json(TableView {
        form: form.code,
        title: form.title.into(),
        unit: form.unit.label().into(),
        definitions: form.source,
        period: period.to_string(),
        from: period.from(),
        to: period.to(),
        organization_id,
        organizations: covered,
        as_of,
        columns: FormView::from(form).columns,
        rows: filled
            .rows
            .into_iter()
            .map(|r| TableRowView {
                code: r.code,
                section: r.section,
                label: r.label.into(),
                cells: r.cells,
            })
            .collect(),
        rules,
    }))
}
