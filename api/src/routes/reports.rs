//! Reports over cases: the successful litigation cases of any period (seed 000 appendix 01,
//! seed 002), and the reproducible sample for quality evaluation.

use std::collections::HashMap;

use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tgpl_domain::case::CaseState;
use tgpl_domain::label::Vocabulary;
use tgpl_domain::reference::AidForm;
use tgpl_domain::sampling;
use tgpl_persistence::cases::{self, CaseFilter, CaseRow};
use tgpl_persistence::{organizations, staff};
use utoipa::{IntoParams, ToSchema};

use super::cases::{scoped, CaseView};
use crate::auth::Caller;
use crate::http::csv::CsvFile;
use crate::http::error::ApiError;
use crate::http::extract::Query;
use crate::redaction::Redaction;
use crate::state::AppState;

type Problem = crate::http::error::Problem;

/// The largest period a report covers, to keep answers bounded.
const MAX_DAYS: i64 = 3 * 366;

fn check_period(from: NaiveDate, to: NaiveDate) -> Result<(), ApiError> {
    if to < from {
        return Err(ApiError::field(
            "to",
            "before_from",
            "Ngày cuối phải từ ngày đầu trở đi.",
            "`to` cannot be before `from`.",
        ));
    }
    if (to - from).num_days() > MAX_DAYS {
        return Err(ApiError::field(
            "to",
            "period_too_long",
            "Kỳ báo cáo tối đa 3 năm.",
            "A report covers at most three years.",
        ));
    }
    Ok(())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuccessQuery {
    /// First day of the period, by the date of the decision (Viet Nam date).
    pub from: NaiveDate,
    /// Last day of the period, inclusive.
    pub to: NaiveDate,
    /// The organization and everything under it; the caller's whole scope when absent.
    pub organization_id: Option<String>,
    /// `json` (default) or `csv`.
    #[param(pattern = "^(json|csv)$")]
    pub format: Option<String>,
}

/// One successful litigation case, as the Agency lists them, made from a case that went
/// through the one redaction of case data (`crate::redaction`).
#[derive(Serialize, ToSchema)]
pub struct SuccessfulCase {
    pub case_id: String,
    pub code: String,
    pub organization_code: String,
    pub organization_name: String,
    pub province_code: Option<String>,
    pub received_on: NaiveDate,
    #[schema(schema_with = crate::http::schemas::field)]
    pub field: String,
    pub charge: Option<String>,
    #[schema(schema_with = crate::http::schemas::or_null::litigation_role)]
    pub role: Option<String>,
    #[schema(schema_with = crate::http::schemas::or_null::proceeding_stage)]
    pub stage: Option<String>,
    pub procedural_agency: Option<String>,
    pub proposed_sentence: Option<String>,
    pub outcome: Option<String>,
    #[schema(schema_with = crate::http::schemas::or_null::success_kind)]
    pub success_kind: Option<String>,
    /// The success kind in Vietnamese, as the paper lists show it.
    pub success_label: Option<String>,
    pub outcome_on: Option<NaiveDate>,
    pub provider_name: Option<String>,
    #[schema(schema_with = crate::http::schemas::or_null::provider_kind)]
    pub provider_kind: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SuccessReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total: usize,
    pub cases: Vec<SuccessfulCase>,
}

const CSV_COLUMNS: [&str; 18] = [
    "case_id",
    "code",
    "organization_code",
    "organization_name",
    "province_code",
    "received_on",
    "field",
    "charge",
    "role",
    "stage",
    "procedural_agency",
    "proposed_sentence",
    "outcome",
    "success_kind",
    "success_label",
    "outcome_on",
    "provider_name",
    "provider_kind",
];

/// The report as a CSV file, through the system's one CSV writer.
fn to_csv(cases: &[SuccessfulCase], file_name: &str) -> Result<HttpResponse, ApiError> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let date = |v: Option<NaiveDate>| v.map(|d| d.to_string()).unwrap_or_default();
    let mut file = CsvFile::new(&CSV_COLUMNS)?;
    for c in cases {
        file.row([
            c.case_id.clone(),
            c.code.clone(),
            c.organization_code.clone(),
            c.organization_name.clone(),
            opt(&c.province_code),
            c.received_on.to_string(),
            c.field.clone(),
            opt(&c.charge),
            opt(&c.role),
            opt(&c.stage),
            opt(&c.procedural_agency),
            opt(&c.proposed_sentence),
            opt(&c.outcome),
            opt(&c.success_kind),
            opt(&c.success_label),
            date(c.outcome_on),
            opt(&c.provider_name),
            opt(&c.provider_kind),
        ])?;
    }
    file.into_response(file_name)
}

/// Successful litigation cases (the defence view accepted: lighter penalty or charge, other
/// penalty frame, acquittal, sentence below the procuracy's proposal, proceedings dropped,
/// other favourable decision) decided within a period, for an organization's subtree. JSON,
/// or CSV with `format=csv` (UTF-8 with a byte order mark; cells that a spreadsheet would
/// run as formulas begin with `'`).
#[utoipa::path(
    operation_id = "reportSuccessfulLitigation",
    tag = "reports",
    params(SuccessQuery),
    responses(
        (status = 200, description = "The cases, as JSON or CSV.", content((SuccessReport = "application/json"), (String = "text/csv"))),
        (status = 403, description = "Service clients do not read cases.", body = Problem),
    )
)]
#[get("/reports/successful-litigation")]
pub async fn successful_litigation(
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<SuccessQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.0;
    check_period(q.from, q.to)?;
    let csv = match q.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => {
            return Err(ApiError::field(
                "format",
                "unknown_code",
                "Định dạng là json hoặc csv.",
                "format is json or csv.",
            ))
        }
    };
    let (from, to) = (q.from, q.to);
    let cases = state
        .db(move |conn| {
            let filter = CaseFilter {
                successful: Some(true),
                outcome_from: Some(from),
                outcome_to: Some(to),
                ..CaseFilter::default()
            };
            let filter = scoped(conn, &caller, (filter, q.organization_id))?;
            let rows = cases::all(conn, &filter)?;
            let org_ids: Vec<String> = rows.iter().map(|c| c.organization_id.clone()).collect();
            let orgs: HashMap<String, _> = organizations::get_many(conn, &org_ids)?
                .into_iter()
                .map(|o| (o.id.clone(), o))
                .collect();
            let provider_ids: Vec<String> =
                rows.iter().filter_map(|c| c.provider_id.clone()).collect();
            let providers = staff::names(conn, &provider_ids)?;
            let redaction = Redaction::of(conn, &caller)?;
            Ok(rows
                .into_iter()
                .map(|c| successful(redaction.case(c), &orgs, &providers))
                .collect::<Vec<_>>())
        })
        .await?;
    if csv {
        return to_csv(&cases, &format!("vu-viec-thanh-cong-{from}-{to}.csv"));
    }
    Ok(HttpResponse::Ok().json(SuccessReport {
        from,
        to,
        total: cases.len(),
        cases,
    }))
}

fn successful(
    c: CaseRow,
    orgs: &HashMap<String, tgpl_persistence::organizations::OrganizationRow>,
    providers: &HashMap<String, String>,
) -> SuccessfulCase {
    let litigation = c.litigation.map(|l| l.0).unwrap_or_default();
    let org = orgs.get(&c.organization_id);
    SuccessfulCase {
        case_id: c.id,
        code: c.code,
        organization_code: org.map(|o| o.code.clone()).unwrap_or_default(),
        organization_name: org.map(|o| o.name.clone()).unwrap_or_default(),
        province_code: org.and_then(|o| o.province_code.clone()),
        received_on: c.received_on,
        field: c.field.to_string(),
        charge: litigation.charge,
        role: litigation.role.map(|r| r.to_string()),
        stage: litigation.stage.map(|s| s.to_string()),
        procedural_agency: litigation.procedural_agency,
        proposed_sentence: litigation.proposed_sentence,
        outcome: litigation.outcome,
        success_label: c.success_kind.map(|k| k.label().vi.to_owned()),
        success_kind: c.success_kind.map(|k| k.to_string()),
        outcome_on: c.outcome_on,
        provider_name: c
            .provider_id
            .as_ref()
            .and_then(|p| providers.get(p).cloned()),
        provider_kind: c.provider_kind.map(|k| k.to_string()),
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SampleQuery {
    /// The organization whose closed cases (and those of everything under it) are sampled.
    pub organization_id: String,
    /// First day of the period, by the day the case was closed.
    pub from: NaiveDate,
    /// Last day, inclusive.
    pub to: NaiveDate,
    /// Share to draw, above 0 and at most 1 (0.1 for 10%).
    #[param(exclusive_minimum = 0.0, maximum = 1.0)]
    pub share: f64,
    /// The same seed gives the same sample; record it with the evaluation.
    pub seed: u64,
}

#[derive(Serialize, ToSchema)]
pub struct QualitySample {
    pub organization_id: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub share: f64,
    pub seed: u64,
    /// Closed litigation and representation cases in the period.
    pub population: usize,
    pub cases: Vec<CaseView>,
}

/// A reproducible random sample of the closed litigation and representation cases of an
/// organization and period, for quality evaluation.
#[utoipa::path(
    operation_id = "drawQualitySample",
    tag = "reports",
    params(SampleQuery),
    responses(
        (status = 200, description = "The sample.", body = QualitySample),
        (status = 403, description = "Service clients do not read cases.", body = Problem),
    )
)]
#[get("/reports/quality-sample")]
pub async fn quality_sample(
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<SampleQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.0;
    check_period(q.from, q.to)?;
    if !(q.share > 0.0 && q.share <= 1.0) {
        return Err(ApiError::field(
            "share",
            "range",
            "Tỷ lệ lớn hơn 0 và không quá 1.",
            "share is above 0 and at most 1.",
        ));
    }
    let org = q.organization_id.clone();
    let (population, chosen) = state
        .db(move |conn| {
            let mut rows = Vec::new();
            for form in [AidForm::Litigation, AidForm::Representation] {
                let filter = CaseFilter {
                    form: Some(form.to_string()),
                    states: Some(CaseState::CONCLUDED.iter().map(|s| s.to_string()).collect()),
                    ..CaseFilter::default()
                };
                let filter = scoped(conn, &caller, (filter, Some(org.clone())))?;
                rows.extend(
                    cases::all(conn, &filter)?
                        .into_iter()
                        .filter(|c| c.closed_on.is_some_and(|d| q.from <= d && d <= q.to)),
                );
            }
            rows.sort_by(|a, b| a.code.cmp(&b.code));
            let ids: Vec<String> = rows.iter().map(|c| c.id.clone()).collect();
            let picked: Vec<String> = sampling::draw(&ids, q.share, q.seed)
                .into_iter()
                .map(str::to_owned)
                .collect();
            let population = rows.len();
            let redaction = Redaction::of(conn, &caller)?;
            let chosen: Vec<CaseView> = rows
                .into_iter()
                .filter(|c| picked.contains(&c.id))
                .map(|c| redaction.view(c))
                .collect();
            Ok((population, chosen))
        })
        .await?;
    Ok(HttpResponse::Ok().json(QualitySample {
        organization_id: q.organization_id,
        from: q.from,
        to: q.to,
        share: q.share,
        seed: q.seed,
        population,
        cases: chosen,
    }))
}
