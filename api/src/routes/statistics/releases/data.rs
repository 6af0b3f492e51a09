//! Released figures as the statistics offices pull them: SDMX-CSV 2.0 (`Accept:
//! application/vnd.sdmx.data+csv;version=2.0.0`) or JSON, the newest vintage of each form and
//! period (or the one vintage asked for), only those released after `updatedAfter`, with an
//! `ETag` for `If-None-Match`.
//!
//! One dataflow, `VN_MOJ:DF_TGPL(1.0)`, with the dimensions `FORM`, `REF_AREA` (a province's
//! code, or `VN`), `TIME_PERIOD` (`2025-10-01/P12M`; `2025-CY` for an edition), `INDICATOR`,
//! `SEX` and `RECIPIENT_CATEGORY`. A form of person-times gives the indicator `PERSON_TIMES`
//! by sex and by recipient category (`_T` for a total); every other form gives each cell,
//! its indicator the row's code and the column's number (`I.criminal:3`). Cells withheld
//! under art. 18 carry no value and `OBS_STATUS` `C`.

use crate::http::lang::Text;
use sha2::{Digest, Sha256};
use tgpl_domain::statistics::disclosure;
use tgpl_domain::statistics::release::{self, person_times_key, NATIONAL_AREA, TOTAL_CODE};
use tgpl_domain::statistics::reporting::figures;
use tgpl_domain::statistics::Table;

use super::*;

/// The dataflow every observation belongs to.
pub const DATAFLOW: &str = "VN_MOJ:DF_TGPL(1.0)";
/// The media type of SDMX-CSV 2.0.
pub const SDMX_CSV: &str = "application/vnd.sdmx.data+csv";

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReleasedDataQuery {
    /// Only this form.
    #[param(example = "tt02-2011-bm3")]
    pub form: Option<String>,
    /// Only this period (needs `form`).
    pub period: Option<String>,
    /// That vintage rather than the newest (needs `form` and `period`): an earlier vintage
    /// stays readable as it was released. 404 when it has not been released.
    #[param(minimum = 1)]
    pub vintage: Option<i32>,
    /// Only releases published after this instant (RFC 3339).
    #[serde(rename = "updatedAfter")]
    #[param(rename = "updatedAfter")]
    pub updated_after: Option<DateTime<Utc>>,
    /// `sdmx-csv` or `json`, for clients that cannot set `Accept`.
    #[param(pattern = "^(sdmx-csv|json)$")]
    pub format: Option<String>,
}

/// One observation.
#[derive(Serialize, ToSchema, Clone)]
pub struct ObservationView {
    pub form: String,
    /// A province's code, or `VN` for the whole country.
    pub ref_area: String,
    pub time_period: String,
    #[schema(example = "PERSON_TIMES")]
    pub indicator: String,
    /// `M`, `F` or `_T`.
    pub sex: String,
    /// A recipient category's code (`/api/v1/reference/recipient_categories`), or `_T`.
    pub recipient_category: String,
    /// None when withheld (art. 18).
    pub value: Option<u64>,
    /// `A` (normal) or `C` (confidential: withheld).
    pub status: &'static str,
    pub vintage: i32,
    pub released_at: DateTime<Utc>,
}

/// The released figures in JSON.
#[derive(Serialize, ToSchema)]
pub struct ReleasedDataView {
    #[schema(example = "VN_MOJ:DF_TGPL(1.0)")]
    pub structure: &'static str,
    pub observations: Vec<ObservationView>,
}

/// The areas `caller` reads: a province's statistics office its own province; everyone
/// else every province and the whole country (art. 6(4), 6(6)).
fn areas_of(conn: &mut DbConnection, caller: &Caller) -> Result<Option<String>, ApiError> {
    if caller.role != tgpl_domain::role::Role::StatisticsOffice {
        return Ok(None);
    }
    Ok(organizations::get(conn, &caller.org_id)?.province_code)
}

/// The observations of one release.
fn observations(
    row: &ReleaseRow,
    province: Option<&str>,
) -> Result<Vec<ObservationView>, ApiError> {
    let form = form_of(&row.form).map_err(ApiError::logged("released form"))?;
    let period = form
        .regime
        .period(&row.period)
        .map_err(ApiError::logged("released period"))?;
    let time_period = period.to_string();
    let mut national = form.blank(&period);
    let mut parts = Vec::new();
    for area in &row.areas.0 {
        let part = figures::entered(form, &period, &area.rows)
            .map_err(ApiError::logged("released figures"))?;
        figures::add(&mut national, &part);
        parts.push(part);
    }
    // What is withheld is decided on the whole release, so that every reader, whichever
    // areas it reads, sees the same cells withheld and none is the country less the others.
    let (mut flags, national_flags) = disclosure::withheld_together(&parts, &national);
    let mut tables: Vec<(String, Table, Vec<Vec<bool>>)> = row
        .areas
        .0
        .iter()
        .map(|a| a.province_code.clone())
        .zip(parts)
        .zip(flags.drain(..))
        .map(|((area, table), hidden)| (area, table, hidden))
        .collect();
    if province.is_none() {
        tables.push((NATIONAL_AREA.to_owned(), national, national_flags));
    }
    let person_times = matches!(form.subject, Subject::PersonTimes);
    let mut out = Vec::new();
    for (area, table, hidden) in tables {
        if province.is_some_and(|p| p != area) {
            continue;
        }
        for (r, table_row) in table.rows.iter().enumerate() {
            for (c, column) in form.columns.iter().enumerate() {
                if !release::published(form, r, c) {
                    continue;
                }
                let (indicator, sex, category) = if person_times {
                    let Some((sex, category)) = person_times_key(column) else {
                        continue;
                    };
                    ("PERSON_TIMES".to_owned(), sex, category)
                } else {
                    (
                        format!("{}:{}", table_row.code, column.number),
                        TOTAL_CODE,
                        TOTAL_CODE,
                    )
                };
                let withheld = hidden[r][c];
                out.push(ObservationView {
                    form: row.form.clone(),
                    ref_area: area.clone(),
                    time_period: time_period.clone(),
                    indicator,
                    sex: sex.to_owned(),
                    recipient_category: category.to_owned(),
                    value: (!withheld).then_some(table_row.cells[c]),
                    status: if withheld { "C" } else { "A" },
                    vintage: row.vintage,
                    released_at: utc(row.released_at),
                });
            }
        }
    }
    Ok(out)
}

/// SDMX-CSV 2.0: a header, then one line per observation.
fn sdmx_csv(observations: &[ObservationView]) -> Result<Vec<u8>, ApiError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = ApiError::logged("writing SDMX-CSV");
    let header = [
        "STRUCTURE",
        "STRUCTURE_ID",
        "ACTION",
        "FORM",
        "REF_AREA",
        "TIME_PERIOD",
        "INDICATOR",
        "SEX",
        "RECIPIENT_CATEGORY",
        "OBS_VALUE",
        "OBS_STATUS",
        "VINTAGE",
        "RELEASED_AT",
    ];
    if let Err(e) = writer.write_record(header) {
        return Err(failed(e));
    }
    for o in observations {
        let record = [
            "dataflow".to_owned(),
            DATAFLOW.to_owned(),
            "I".to_owned(),
            o.form.clone(),
            o.ref_area.clone(),
            o.time_period.clone(),
            o.indicator.clone(),
            o.sex.clone(),
            o.recipient_category.clone(),
            o.value.map(|v| v.to_string()).unwrap_or_default(),
            o.status.to_owned(),
            o.vintage.to_string(),
            o.released_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        ];
        if let Err(e) = writer.write_record(record) {
            return Err(ApiError::logged("writing SDMX-CSV")(e));
        }
    }
    writer
        .into_inner()
        .map_err(|e| ApiError::logged("writing SDMX-CSV")(e.to_string()))
}

/// Whether `Accept` (RFC 9110 §12.5.1) prefers SDMX-CSV to JSON: each is weighed by the
/// range that names it most closely (its own type, then `application/*`, then `*/*`), so
/// that `q=0` on either rules it out; JSON on a tie, or without the header. Neither
/// acceptable: 406 `not_acceptable`.
fn prefers_sdmx_csv(req: &HttpRequest) -> Result<bool, ApiError> {
    use actix_web::http::header::{Accept, Header, Quality};
    let Ok(accept) = Accept::parse(req) else {
        return Ok(false);
    };
    if accept.is_empty() {
        return Ok(false);
    }
    let weight = |essence: &str| -> Quality {
        let named = |range: &dyn Fn(&actix_web::mime::Mime) -> bool| {
            accept.iter().find(|i| range(&i.item)).map(|i| i.quality)
        };
        named(&|m| m.essence_str() == essence)
            .or_else(|| {
                named(&|m| {
                    m.type_() == actix_web::mime::APPLICATION
                        && m.subtype() == actix_web::mime::STAR
                })
            })
            .or_else(|| named(&|m| m.type_() == actix_web::mime::STAR))
            .unwrap_or(Quality::ZERO)
    };
    let (csv, json) = (weight(SDMX_CSV), weight("application/json"));
    if csv == Quality::ZERO && json == Quality::ZERO {
        return Err(ApiError::new(
            actix_web::http::StatusCode::NOT_ACCEPTABLE,
            "not_acceptable",
            Text::new("Không có định dạng phù hợp", "Not acceptable"),
            Text::new(
                format!("Số liệu công bố có dạng application/json hoặc {SDMX_CSV}."),
                format!("Released figures come as application/json or {SDMX_CSV}."),
            ),
        ));
    }
    Ok(csv > json)
}

/// The released figures: the newest vintage of each form and period, or the vintage asked
/// for, as SDMX-CSV 2.0 or JSON; the statistics office of a province reads its province,
/// everyone else every province and the country.
#[utoipa::path(
    operation_id = "readReleasedData",
    tag = "reporting",
    params(ReleasedDataQuery, ("If-None-Match" = Option<String>, Header, description = "The ETag of an earlier answer")),
    responses(
        (status = 200, description = "The observations.", headers(("ETag" = String)), content((ReleasedDataView = "application/json"), (String = "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8"))),
        (status = 304, description = "Unchanged since the ETag given."),
        (status = 403, description = "The portal reads no statistics.", body = Problem),
        (status = 404, description = "No such form, or the vintage asked for has not been released.", body = Problem),
        (status = 406, description = "`Accept` admits neither JSON nor SDMX-CSV (`not_acceptable`); `format` chooses without it.", body = Problem),
        (status = 422, description = "A period without its form or not of its regime, a vintage without its period, or an unknown format.", body = Problem),
    )
)]
#[get("/statistics/released-data")]
pub async fn released_data(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<ReleasedDataQuery>,
) -> Result<HttpResponse, ApiError> {
    scope::authorize_system(&caller, SystemAction::ReadReleasedStatistics)?;
    let q = query.0;
    let csv = match q.format.as_deref() {
        Some("sdmx-csv") => true,
        Some("json") => false,
        Some(_) => {
            return Err(ApiError::field(
                "format",
                "unknown_code",
                "Định dạng là sdmx-csv hoặc json.",
                "format is sdmx-csv or json.",
            ))
        }
        None => prefers_sdmx_csv(&req)?,
    };
    let period = period_filter(q.form.as_deref(), q.period)?;
    if let Some(form) = &q.form {
        form_of(form)?;
    }
    if q.vintage.is_some_and(|v| v < 1) {
        return Err(ApiError::field(
            "vintage",
            "out_of_range",
            "Lần công bố đánh số từ 1.",
            "Vintages are numbered from 1.",
        ));
    }
    if q.vintage.is_some() && period.is_none() {
        return Err(ApiError::field(
            "vintage",
            "needs_period",
            "Chọn lần công bố cần kèm biểu mẫu (form) và kỳ (period).",
            "A vintage is chosen together with the form and the period.",
        ));
    }
    let filter = ReleaseFilter {
        form: q.form,
        period,
        after: q.updated_after.map(|t| t.naive_utc()),
        vintage: q.vintage,
        latest_only: q.vintage.is_none(),
    };
    let (rows, province) = state
        .db(move |conn| {
            let province = areas_of(conn, &caller)?;
            Ok((releases::all(conn, &filter)?, province))
        })
        .await?;
    if q.vintage.is_some() && rows.is_empty() && q.updated_after.is_none() {
        return Err(ApiError::not_found());
    }
    let mut digest = Sha256::new();
    digest.update(if csv { "csv" } else { "json" });
    digest.update(province.as_deref().unwrap_or("*"));
    for row in &rows {
        digest.update(&row.id);
    }
    let etag = format!("\"{}\"", hex::encode(&digest.finalize()[..16]));
    // If-None-Match compares weakly (RFC 9110, section 13.1.2): `W/"x"` matches `"x"`.
    let unchanged = req
        .headers()
        .get(actix_web::http::header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|given| {
            given
                .split(',')
                .map(str::trim)
                .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag)
        });
    // The same address answers in two formats: caches keep them apart by `Accept`.
    let vary = (actix_web::http::header::VARY, "Accept");
    if unchanged {
        return Ok(HttpResponse::NotModified()
            .insert_header((actix_web::http::header::ETAG, etag))
            .insert_header(vary)
            .finish());
    }
    // Deciding what each release withholds weighs every identity together (tens of
    // milliseconds for a national release): kept off the workers that answer requests.
    let all = actix_web::web::block(move || -> Result<Vec<ObservationView>, ApiError> {
        let mut all = Vec::new();
        for row in &rows {
            all.extend(observations(row, province.as_deref())?);
        }
        Ok(all)
    })
    .await
    .map_err(ApiError::logged("released observations"))??;
    let mut res = HttpResponse::Ok();
    res.insert_header((actix_web::http::header::ETAG, etag));
    res.insert_header(vary);
    if csv {
        res.content_type(format!("{SDMX_CSV}; version=2.0.0; charset=utf-8"));
        return Ok(res.body(sdmx_csv(&all)?));
    }
    Ok(res.json(ReleasedDataView {
        structure: DATAFLOW,
        observations: all,
    }))
}
