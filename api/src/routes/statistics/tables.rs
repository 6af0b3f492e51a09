//! A form filled from the records, as JSON or as the files the offices use.

use super::records::{covered, form_of, period_of};
use super::*;
use crate::services::statistical_tables::{fill, CountedFrom};
use tgpl_domain::statistics::disclosure;

use crate::http::tabular::Format;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TableQuery {
    /// The organization whose subtree (as it stood on the period's last day) is counted;
    /// the caller's own organization when absent.
    pub organization_id: Option<String>,
    /// The period: `2025-9M` (year 2025, the nine months from 1 October 2024), `2025-Y`,
    /// `2024-10-01/P9M`, or a range `2018-11-01/2019-07-30` (Viet Nam dates, both included)
    /// for the forms of Circular 02/2011; `2025-H1` (1 January to 30 June 2025, June
    /// estimated), `2025-CYE` (the year, November and December estimated) or `2025-CY` (the
    /// official annual figures), or a range, for those of Circular 03/2019.
    #[param(example = "2025-9M")]
    pub period: String,
    /// `json` (default), `csv`, or `xlsx` (the paper form's layout, with its signature block).
    #[param(pattern = "^(json|csv|xlsx)$")]
    pub format: Option<String>,
    /// `true` counts the figures afresh from the records even where tallies are kept: the
    /// check an auditor makes that the two agree (they always should).
    pub recount: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct TableRowView {
    /// `total`, or the section's number and the row's code (`I.criminal`, `IV.none`), and
    /// for a split row the split's code (`I.criminal.litigation`).
    #[schema(example = "I.criminal")]
    pub code: String,
    pub section: Option<&'static str>,
    /// The code of the row a split row splits.
    pub parent: Option<String>,
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

#[derive(Serialize, ToSchema)]
pub struct DeadlineView {
    /// The level that sends, or the office that receives.
    pub who: LabelView,
    /// `send_by` or `received_by`.
    pub kind: &'static str,
    pub on: NaiveDate,
}

/// A form filled from the records.
#[derive(Serialize, ToSchema)]
pub struct TableView {
    pub form: &'static str,
    pub title: LabelView,
    pub unit: LabelView,
    /// The definitions used: the form's instrument.
    pub definitions: &'static str,
    pub regime: RegimeView,
    /// The period, in its canonical form (`2024-10-01/P9M`).
    #[schema(example = "2024-10-01/P9M")]
    pub period: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The period has not ended yet (its last day is today or later, in Viet Nam): the
    /// figures will still move.
    pub provisional: bool,
    pub organization_id: String,
    pub organization_code: String,
    pub organization_name: String,
    /// Every organization whose records are counted: the subtree of `organization_id` on the
    /// period's last day.
    pub organizations: Vec<String>,
    /// When the figures were taken.
    pub as_of: DateTime<Utc>,
    /// `tallies` (kept up to date in the same transaction as every change of the records;
    /// forms of cases and person-times over whole months) or `records` (counted from the
    /// records for this answer). Both give the same figures.
    pub counted_from: CountedFrom,
    /// For an edition with an estimated part (`2025-H1`, `2025-CYE`): the first day whose
    /// figures the form treats as estimated; the figures hold what the records say for those
    /// days as of `as_of`.
    pub estimated_from: Option<NaiveDate>,
    /// The numbers of the columns whose figures hold an estimate (all but the opening stock).
    pub estimated_columns: Vec<u8>,
    /// When the figures are due: by level (`send_by`, days after the period) or by
    /// receiving office (`received_by`, the dates printed on the form). None for an ad-hoc
    /// range, nor for a period the form is not reported for (forms 4–6 of Circular 02/2011
    /// at 3 and 9 months, art. 7(1)).
    pub deadlines: Vec<DeadlineView>,
    /// Where the records behind a cell are listed: put a row's code for `{row}` and a column's
    /// number for `{column}`.
    #[schema(
        example = "/api/v1/statistics/forms/tt02-2011-bm1/cells/{row}/{column}?organization_id=…&period=2025-9M"
    )]
    pub cell_link: String,
    pub columns: Vec<ColumnView>,
    /// The total row, then each section's rows.
    pub rows: Vec<TableRowView>,
    /// Every rule of the form on every row it applies to.
    pub rules: Vec<RuleResultView>,
    /// The cells that would be withheld outside the reporting chain (art. 18): counts of one
    /// or two, and the cells they could be worked back from. The chain sees every figure;
    /// releases to the public and the statistics offices withhold these.
    pub withheld_outside_chain: Vec<CellRefView>,
}

/// One cell of a table.
#[derive(Serialize, ToSchema)]
pub struct CellRefView {
    #[schema(example = "I.criminal")]
    pub row: String,
    pub column: u8,
}

/// A form filled from the records of an organization's subtree for a period, with the
/// results of the form's rules.
#[utoipa::path(
    operation_id = "readStatisticalTable",
    tag = "statistics",
    params(("form" = String, Path, description = "The form's code, e.g. `tt02-2011-bm1`"), TableQuery),
    responses(
        (status = 200, description = "The filled form, as JSON, CSV or xlsx.", content((TableView = "application/json"), (String = "text/csv"), (crate::http::schemas::Binary = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, description = "Service clients and contracted lawyers read released figures only.", body = crate::http::error::Problem),
    )
)]
#[get("/statistics/forms/{form}")]
pub async fn read_table(
    state: web::Data<AppState>,
    caller: Caller,
    form: web::Path<String>,
    query: Query<TableQuery>,
) -> Result<HttpResponse, ApiError> {
    let form = form_of(&form)?;
    let q = query.0;
    let period = period_of(form, &q.period)?;
    let format = Format::parse(q.format.as_deref())?;
    let root = q.organization_id.unwrap_or_else(|| caller.org_id.clone());
    let recount = q.recount.unwrap_or(false);
    let as_of = Utc::now();
    let organization_id = root.clone();
    let organization_id_for_link = root.clone();
    let (organization, covered, (filled, counted_from)) = state
        .db(move |conn| {
            let (organization, covered) = covered(conn, &caller, &root, &period)?;
            let filled = fill(conn, form, &covered, &period, recount)?;
            Ok((organization, covered, filled))
        })
        .await?;
    let hidden = disclosure::withheld(&filled);
    let withheld_outside_chain = filled
        .rows
        .iter()
        .zip(&hidden)
        .flat_map(|(row, flags)| {
            form.columns
                .iter()
                .zip(flags)
                .filter(|(_, hidden)| **hidden)
                .map(|(column, _)| CellRefView {
                    row: row.code.clone(),
                    column: column.number,
                })
        })
        .collect();
    let rules = filled
        .check()
        .into_iter()
        .map(RuleResultView::from)
        .collect();
    let view = TableView {
        form: form.code,
        title: form.title.into(),
        unit: form.unit.label().into(),
        definitions: form.source,
        regime: form.regime.into(),
        period: period.to_string(),
        from: period.from(),
        to: period.to(),
        provisional: period.to() >= today(),
        organization_id,
        organization_code: organization.code,
        organization_name: organization.name,
        organizations: covered,
        as_of,
        counted_from,
        estimated_from: period.estimated_from(),
        estimated_columns: form.estimated_columns(&period),
        deadlines: form
            .regime
            .deadlines(&period)
            .into_iter()
            .filter(|_| form.is_reported_for(&period))
            .map(|d| DeadlineView {
                who: d.who.into(),
                kind: deadline_kind(d.kind),
                on: d.on,
            })
            .collect(),
        cell_link: format!(
            "/api/v1/statistics/forms/{}/cells/{{row}}/{{column}}?organization_id={}&period={}",
            form.code,
            organization_id_for_link,
            period.short().unwrap_or_else(|| period.to_string())
        ),
        columns: ColumnView::of(form),
        rows: filled
            .rows
            .into_iter()
            .map(|r| TableRowView {
                code: r.code,
                section: r.section,
                parent: r.parent,
                label: r.label.into(),
                cells: r.cells,
            })
            .collect(),
        rules,
        withheld_outside_chain,
    };
    match format {
        Format::Json => Ok(HttpResponse::Ok().json(view)),
        Format::Csv => export::csv(&view),
        Format::Xlsx => export::xlsx(form, &view),
    }
}
