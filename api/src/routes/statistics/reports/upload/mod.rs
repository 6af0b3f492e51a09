//! Figures uploaded as a file in the layout the forms export (`GET /statistics/forms/{form}`
//! with `format=csv` or `xlsx`): a unit that keeps no records here fills the form it
//! downloaded and sends it back. The file is recognised by its content, not by its name or
//! declared type; every place that is wrong is named by its cell (`D12`), and nothing is stored
//! unless the whole file reads and the form's error rules hold.
//!
//! - [`csv_layout`] and [`xlsx_layout`]: reading each file type's layout.
//! - here: naming and reading a cell's figure, which both share, and the upload itself.

mod csv_layout;
mod xlsx_layout;

use super::drafting::{enter, save_prepared};
use super::*;
use crate::http::error::FieldRefusal;
use crate::http::extract::whole_body;
use csv_layout::read_csv;
use xlsx_layout::read_xlsx;

/// The largest file read: a form's workbook is about ten kilobytes.
const MAX_FILE: usize = 1024 * 1024;
/// Rows a sheet may have beyond the form's own (titles, headers, section lines, signatures).
const SPARE_ROWS: usize = 60;

/// `D12`: the spreadsheet name of the cell at 0-based `row` and `column`.
fn cell_name(row: usize, column: usize) -> String {
    let mut letters = String::new();
    let mut n = column + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.insert(0, char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

fn at(cell: String, code: &'static str, vi: String, en: String) -> FieldRefusal {
    FieldRefusal::new(format!("file[{cell}]"), code, vi, en)
}

fn unreadable(vi: &str, en: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_file",
        Text::new("Tệp không đọc được", "Unreadable file"),
        Text::new(vi, en),
    )
}

/// A figure as written in a cell: whole and from zero; an empty cell is 0, as the paper
/// forms leave zeros blank.
fn figure(text: &str, cell: String) -> Result<i64, FieldRefusal> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(0);
    }
    match t.parse::<i64>() {
        Ok(n) => bounded(n, cell),
        Err(_) => Err(not_a_number(cell, t)),
    }
}

fn not_a_number(cell: String, text: &str) -> FieldRefusal {
    at(
        cell.clone(),
        "not_a_number",
        format!("Ô {cell} không phải số nguyên: `{}`.", short(text)),
        format!("Cell {cell} is not a whole number: `{}`.", short(text)),
    )
}

/// A whole figure from zero to [`figures::MAX_FIGURE`], or its cell refused.
fn bounded(n: i64, cell: String) -> Result<i64, FieldRefusal> {
    if n < 0 {
        Err(negative(cell))
    } else if n > figures::MAX_FIGURE {
        Err(too_large(cell))
    } else {
        Ok(n)
    }
}

fn negative(cell: String) -> FieldRefusal {
    at(
        cell.clone(),
        "negative",
        format!("Số liệu ô {cell} không được âm."),
        format!("The figure in cell {cell} is below zero."),
    )
}

fn too_large(cell: String) -> FieldRefusal {
    at(
        cell.clone(),
        "too_large",
        format!(
            "Số liệu ô {cell} vượt quá {} (nhập nhầm?).",
            figures::MAX_FIGURE
        ),
        format!(
            "The figure in cell {cell} is above {} (a typing error?).",
            figures::MAX_FIGURE
        ),
    )
}

/// Checks that the figures' columns are the form's, in its order: `numbers` are what heads
/// each column read as a figure, with the cell each stands in, and each must begin with its
/// column's number (`3`, or `3 Đã thụ lý`, as the forms export it), so that columns moved,
/// missing or added are named rather than read into the wrong column. The labels after the
/// number are free (translated, shortened).
fn check_column_numbers(form: &'static Form, numbers: &[(String, String)]) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    for (i, column) in form.columns.iter().enumerate() {
        let (cell, found) = match numbers.get(i) {
            Some((cell, text)) => (cell.clone(), text.as_str()),
            None => (format!("column {}", i + 4), ""),
        };
        let number = found.split_whitespace().next().unwrap_or_default();
        if number != column.number.to_string() {
            errors.push(at(
                cell.clone(),
                "wrong_layout",
                format!(
                    "Ô {cell} phải đánh số cột {} (`{}`) của biểu mẫu, nhưng là `{}`.",
                    column.number,
                    column.header.vi,
                    short(found)
                ),
                format!(
                    "Cell {cell} should number the form's column {} (`{}`), but reads `{}`.",
                    column.number,
                    column.header.en,
                    short(found)
                ),
            ));
        }
    }
    for (cell, text) in numbers.iter().skip(form.columns.len()) {
        if !text.trim().is_empty() {
            errors.push(outside_layout(cell.clone()));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(errors))
    }
}

/// A figure where the form has no row or column: it would otherwise be dropped unread.
fn outside_layout(cell: String) -> FieldRefusal {
    at(
        cell.clone(),
        "outside_layout",
        format!("Ô {cell} có số liệu nằm ngoài các dòng, cột của biểu mẫu."),
        format!("Cell {cell} holds a figure outside the form's rows and columns."),
    )
}

fn short(text: &str) -> String {
    text.chars().take(40).collect()
}

/// Uploads a report's entered figures as the CSV or xlsx file its form exports, filled in.
#[utoipa::path(
    operation_id = "uploadReportFigures",
    tag = "reporting",
    params(("If-Match" = Option<String>, Header, description = "ETag of the report as read")),
    request_body(description = "The form as exported (`format=csv` or `format=xlsx`), filled in; at most 1 MiB. Recognised by its content, whatever `Content-Type` says.", content((crate::http::schemas::Binary = "text/csv"), (crate::http::schemas::Binary = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (crate::http::schemas::Binary = "application/octet-stream"))),
    responses(
        (status = 200, description = "The report with the figures.", body = ReportView, headers(("ETag" = String))),
        (status = 409, description = "Submitted: figures change only by a correction.", body = Problem),
        (status = 413, description = "Larger than 1 MiB.", body = Problem),
        (status = 415, description = "Neither an xlsx workbook nor a UTF-8 CSV file.", body = Problem),
        (status = 422, description = "Each wrong cell named (`file[D12]`: text in a number cell, a figure below zero or above ten million, a formula, a label out of the form's order, a figure outside its rows and columns), a report computed from the records (`computed_report`), or the form's error rules broken (`rules_broken`); nothing is stored.", body = Problem),
    )
)]
#[put("/statistics/reports/{id}/figures")]
pub async fn upload_figures(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            Text::new("Tệp quá lớn", "File too large"),
            Text::new(
                "Tệp số liệu tối đa 1 MiB.",
                "A file of figures is at most 1 MiB.",
            ),
        )
    };
    let bytes = whole_body(&mut payload, MAX_FILE, too_large).await?;
    if bytes.is_empty() {
        return Err(unreadable("Tệp rỗng.", "The file is empty."));
    }
    state
        .write(move |conn| {
            let row = if_match.settle(conn, |conn| {
                let (before, form, period) =
                    load(conn, &caller, &id, Action::PrepareStatisticalReport)?;
                if_match.check_current(&before)?;
                drafting::check_editable(&before)?;
                let rows = if bytes.starts_with(b"PK\x03\x04") {
                    read_xlsx(form, &period, &bytes)?
                } else {
                    read_csv(form, &period, &bytes)?
                };
                let mut after = before.clone();
                enter(&mut after, form, &period, rows)?;
                save_prepared(conn, &caller, before, after)
            })?;
            respond(conn, StatusCode::OK, row)
        })
        .await
        .map(reply)
}

#[cfg(test)]
mod tests {
    use super::cell_name;

    #[test]
    fn cells_are_named_as_spreadsheets_name_them() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(11, 3), "D12");
        assert_eq!(cell_name(0, 26), "AA1");
    }
}
