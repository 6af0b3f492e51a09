//! A form filled from the records, as JSON or as the files the offices use.

use super::*;

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
    /// For an edition with an estimated part (`2025-H1`, `2025-CYE`): the first day whose
    /// figures the form treats as estimated; the figures hold what the records say for those
    /// days as of `as_of`.
    pub estimated_from: Option<NaiveDate>,
    /// The numbers of the columns whose figures hold an estimate (all but the opening stock).
    pub estimated_columns: Vec<u8>,
    /// When the figures are due: by level (`send_by`, days after the period) or by
    /// receiving office (`received_by`, the dates printed on the form). None for an ad-hoc
    /// range.
    pub deadlines: Vec<DeadlineView>,
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
    params(("form" = String, Path, description = "The form's code, e.g. `tt02-2011-bm1`"), TableQuery),
    responses(
        (status = 200, description = "The filled form, as JSON, CSV or xlsx.", content((TableView = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
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
    if !form.regime.admits(&period) {
        return Err(ApiError::field(
            "period",
            "not_a_period_of_the_form",
            "Biểu mẫu này thống kê theo kỳ của văn bản ban hành nó: năm thống kê từ 01/10 (2025-9M, 2025-Y) cho Thông tư 02/2011, năm dương lịch theo đợt báo cáo (2025-H1, 2025-CYE, 2025-CY) cho Thông tư 03/2019, hoặc một khoảng ngày.",
            "This form counts in its regime's periods: the reporting year from 1 October (2025-9M, 2025-Y) under Circular 02/2011, calendar-year editions (2025-H1, 2025-CYE, 2025-CY) under Circular 03/2019, or a range of days.",
        ));
    }
    let format = match q.format.as_deref() {
        None | Some("json") => Format::Json,
        Some("csv") => Format::Csv,
        Some("xlsx") => Format::Xlsx,
        Some(_) => {
            return Err(ApiError::field(
                "format",
                "unknown_code",
                "Định dạng là json, csv hoặc xlsx.",
                "format is json, csv or xlsx.",
            ))
        }
    };
    let root = q.organization_id.unwrap_or_else(|| caller.org_id.clone());
    let as_of = Utc::now();
    let organization_id = root.clone();
    let (organization, covered, filled) = state
        .db(move |conn| {
            // Whose figures they are, and who may read them, is decided on the tree of the
            // period's last day: a Department opens every unit its own table counted then,
            // and a unit's new Department does not read the years before it came.
            let organization = organizations::get(conn, &root)?;
            let tree = Hierarchy::on(period.to(), &organizations::all_links(conn)?);
            scope::check_on(&tree, &caller, Action::ReadStatistics, &root)?;
            let covered: Vec<String> = tree.subtree(&root).into_iter().map(|n| n.org_id).collect();
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
                Subject::PersonTimes => form.fill(
                    &statistics::person_times(conn, &covered, from, to)?,
                    &period,
                ),
                Subject::CentreStaff => {
                    form.fill(&statistics::centre_staff(conn, &covered, to)?, &period)
                }
                Subject::Collaborators => {
                    form.fill(&statistics::collaborators(conn, &covered, to)?, &period)
                }
                Subject::Participants => {
                    form.fill(&statistics::participants(conn, &covered, to)?, &period)
                }
            };
            Ok((organization, covered, filled))
        })
        .await?;
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
        estimated_from: period.estimated_from(),
        estimated_columns: form.estimated_columns(&period),
        deadlines: form
            .regime
            .deadlines(&period)
            .into_iter()
            .map(|d| DeadlineView {
                who: d.who.into(),
                kind: deadline_kind(d.kind),
                on: d.on,
            })
            .collect(),
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
    };
    match format {
        Format::Json => Ok(HttpResponse::Ok().json(view)),
        Format::Csv => export::csv(&view),
        Format::Xlsx => export::xlsx(form, &view),
    }
}

enum Format {
    Json,
    Csv,
    Xlsx,
}
