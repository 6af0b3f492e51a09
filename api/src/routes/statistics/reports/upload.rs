//! Figures uploaded as a file in the layout the forms export (`GET /statistics/forms/{form}`
//! with `format=csv` or `xlsx`): a unit that keeps no records here fills the form it
//! downloaded and sends it back. The file is recognised by its content, not by its name or
//! declared type; every place that is wrong is named by its cell (`D12`), and nothing is stored
//! unless the whole file reads and the form's error rules hold.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use futures_util::StreamExt;

use super::drafting::{enter, save_prepared};
use super::*;
use crate::http::error::FieldRefusal;

/// The largest file read: a form's workbook is about ten kilobytes.
const MAX_FILE: usize = 1024 * 1024;
/// The most a workbook may hold once unzipped: far above any form, far below a zip bomb.
const MAX_UNZIPPED: u64 = 16 * 1024 * 1024;
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
        Err(_) => Err(at(
            cell.clone(),
            "not_a_number",
            format!("Ô {cell} không phải số nguyên: `{}`.", short(t)),
            format!("Cell {cell} is not a whole number: `{}`.", short(t)),
        )),
    }
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

/// The separator of a CSV file without a `sep=` line: `;` when its header line has more of
/// them than commas, as a spreadsheet set to Vietnamese (whose decimal mark is the comma)
/// saves it; `,` otherwise.
fn delimiter(bytes: &[u8]) -> u8 {
    let header = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let count = |sep: u8| header.iter().filter(|b| **b == sep).count();
    if count(b';') > count(b',') {
        b';'
    } else {
        b','
    }
}

/// Reads the CSV layout: a header line, then one line per row of the form: its code, its
/// section, its label, and one figure per column.
fn read_csv(
    form: &'static Form,
    period: &Period,
    bytes: &[u8],
) -> Result<Vec<EnteredRow>, ApiError> {
    let bytes = bytes.strip_prefix(crate::http::csv::BOM).unwrap_or(bytes);
    if std::str::from_utf8(bytes).is_err() {
        return Err(unreadable(
            "Tệp không phải bảng tính xlsx, cũng không phải CSV (UTF-8).",
            "The file is neither an xlsx workbook nor a UTF-8 CSV file.",
        ));
    }
    // Excel writes `sep=;` as a first line of its own to say the separator.
    let (separator, bytes, skipped) = match bytes.strip_prefix(b"sep=") {
        Some(&[sep, ref rest @ ..]) => {
            let rest = rest.strip_prefix(b"\r").unwrap_or(rest);
            (sep, rest.strip_prefix(b"\n").unwrap_or(rest), 1)
        }
        _ => (delimiter(bytes), bytes, 0),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .delimiter(separator)
        .from_reader(bytes);
    let limit = form.blank(period).rows.len() + SPARE_ROWS;
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 1 + skipped;
        let record = record.map_err(|_| {
            unreadable(
                "Tệp CSV không đọc được (dấu ngoặc kép không đóng?).",
                "The CSV file cannot be read (an unclosed quote?).",
            )
        })?;
        if i > limit {
            return Err(ApiError::field(
                "file",
                "too_many_rows",
                "Tệp có quá nhiều dòng so với biểu mẫu.",
                "The file has far more rows than the form.",
            ));
        }
        let code = record.get(0).unwrap_or_default().trim().to_owned();
        if code.is_empty() {
            // A line of no row (a heading, a note) holds no figure.
            for (c, text) in record.iter().enumerate().skip(3) {
                if !text.trim().is_empty() {
                    errors.push(outside_layout(cell_name(line, c)));
                }
            }
            continue;
        }
        let mut cells = Vec::new();
        for (c, text) in record.iter().enumerate().skip(3) {
            match figure(text, cell_name(line, c)) {
                Ok(n) => cells.push(n),
                Err(e) => errors.push(e),
            }
        }
        rows.push(EnteredRow { code, cells });
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(ApiError::validation(errors))
    }
}

/// Refuses a workbook that would unzip to more than [`MAX_UNZIPPED`].
fn check_unzipped_size(bytes: &[u8]) -> Result<(), ApiError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| unreadable("Tệp xlsx bị hỏng.", "The xlsx file is damaged."))?;
    let mut total = 0u64;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|_| unreadable("Tệp xlsx bị hỏng.", "The xlsx file is damaged."))?;
        total = total.saturating_add(entry.size());
    }
    if total > MAX_UNZIPPED {
        return Err(ApiError::field(
            "file",
            "too_large",
            "Bảng tính quá lớn so với một biểu mẫu.",
            "The workbook is far larger than a form.",
        ));
    }
    Ok(())
}

/// Reads the xlsx layout the forms export: under the row numbering the columns (`A`, `B`,
/// 1, 2, …), the total row and each section's rows in the form's order, each section under
/// its title line; the labels must be the form's. Formulas are refused: a report carries
/// figures.
fn read_xlsx(
    form: &'static Form,
    period: &Period,
    bytes: &[u8],
) -> Result<Vec<EnteredRow>, ApiError> {
    check_unzipped_size(bytes)?;
    let mut workbook = Xlsx::new(Cursor::new(bytes))
        .map_err(|_| unreadable("Tệp xlsx bị hỏng.", "The xlsx file is damaged."))?;
    let sheet = workbook.sheet_names().first().cloned().ok_or_else(|| {
        unreadable(
            "Bảng tính không có trang nào.",
            "The workbook has no sheet.",
        )
    })?;
    let formulas = workbook
        .worksheet_formula(&sheet)
        .map_err(|_| unreadable("Tệp xlsx bị hỏng.", "The xlsx file is damaged."))?;
    if let Some((row, column, _)) = formulas.used_cells().find(|(_, _, f)| !f.is_empty()) {
        let (r0, c0) = formulas.start().unwrap_or((0, 0));
        let cell = cell_name(row + r0 as usize, column + c0 as usize);
        return Err(ApiError::validation(vec![at(
            cell.clone(),
            "formula",
            format!("Ô {cell} chứa công thức; báo cáo chỉ nhận số liệu."),
            format!("Cell {cell} holds a formula; a report takes figures only."),
        )]));
    }
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|_| unreadable("Tệp xlsx bị hỏng.", "The xlsx file is damaged."))?;
    let layout = form.blank(period);
    if range.height() > layout.rows.len() + SPARE_ROWS {
        return Err(ApiError::field(
            "file",
            "too_many_rows",
            format!(
                "Bảng tính có {} dòng, biểu mẫu chỉ có {}.",
                range.height(),
                layout.rows.len()
            ),
            format!(
                "The sheet has {} rows; the form has {}.",
                range.height(),
                layout.rows.len()
            ),
        ));
    }
    let r0 = range.start().map_or(0, |(r, _)| r as usize);
    let text = |row: usize, col: usize| -> String {
        match range.get_value(((row) as u32, (col) as u32)) {
            Some(Data::String(s)) => s.trim().to_owned(),
            Some(Data::Float(f)) => f.to_string(),
            Some(Data::Int(i)) => i.to_string(),
            Some(Data::Empty) | None => String::new(),
            Some(other) => other.to_string(),
        }
    };
    let last_row = r0 + range.height();
    // The line that numbers the columns: `A`, `B` in the first two.
    let Some(numbers) = (r0..last_row).find(|&r| text(r, 0) == "A" && text(r, 1) == "B") else {
        return Err(ApiError::field(
            "file",
            "wrong_layout",
            "Không thấy dòng đánh số cột (A, B, 1, 2, …) của biểu mẫu.",
            "The line numbering the columns (A, B, 1, 2, …) is not there.",
        ));
    };
    let section_numbers: Vec<&str> = form.sections.iter().map(|s| s.number).collect();
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    // The cells read as figures: any other figure in the sheet is out of the form's layout.
    let mut read_cells = std::collections::HashSet::new();
    let mut r = numbers + 1;
    for expected in &layout.rows {
        // Section title lines stand between the rows.
        while r < last_row
            && section_numbers.contains(&text(r, 0).as_str())
            && (2..2 + form.columns.len()).all(|c| text(r, c).is_empty())
        {
            r += 1;
        }
        let label = text(r, 1);
        if label != expected.label.vi {
            let cell = cell_name(r, 1);
            return Err(ApiError::validation(vec![at(
                cell.clone(),
                "wrong_layout",
                format!(
                    "Ô {cell} phải là dòng `{}` của biểu mẫu, nhưng là `{}`.",
                    expected.label.vi,
                    short(&label)
                ),
                format!(
                    "Cell {cell} should be the form's row `{}`, but reads `{}`.",
                    expected.label.en,
                    short(&label)
                ),
            )]));
        }
        let mut cells = Vec::new();
        for c in 0..form.columns.len() {
            let col = c + 2;
            read_cells.insert((r, col));
            let cell = cell_name(r, col);
            let value = match range.get_value((r as u32, col as u32)) {
                Some(Data::Float(f)) if f.fract() == 0.0 && f.abs() < 1e15 => {
                    bounded(*f as i64, cell)
                }
                Some(Data::Float(f)) if *f < 0.0 => Err(negative(cell)),
                Some(Data::Int(i)) => bounded(*i, cell),
                Some(Data::Empty) | None => Ok(0),
                Some(Data::String(s)) => figure(s, cell),
                Some(other) => figure(&other.to_string(), cell),
            };
            match value {
                Ok(n) => cells.push(n),
                Err(e) => errors.push(e),
            }
        }
        rows.push(EnteredRow {
            code: expected.code.clone(),
            cells,
        });
        r += 1;
    }
    let (c0, width) = (range.start().map_or(0, |(_, c)| c as usize), range.width());
    for row in (numbers + 1)..last_row {
        for col in c0..c0 + width {
            let figure = matches!(
                range.get_value((row as u32, col as u32)),
                Some(Data::Float(_) | Data::Int(_))
            );
            if figure && !read_cells.contains(&(row, col)) {
                errors.push(outside_layout(cell_name(row, col)));
            }
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(ApiError::validation(errors))
    }
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
    let mut bytes = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| {
            ApiError::bad_request(
                "upload_interrupted",
                Text::new("Tải lên bị gián đoạn.", "The upload was interrupted."),
            )
        })?;
        if bytes.len() + chunk.len() > MAX_FILE {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
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
    use super::{cell_name, delimiter};

    #[test]
    fn the_separator_is_read_from_the_header_line() {
        assert_eq!(delimiter(b"code,section,label,1,2\nI;x"), b',');
        assert_eq!(delimiter(b"code;section;label;1;2\nI,x"), b';');
        assert_eq!(delimiter(b"\"a,b\";c;d\n"), b';');
        assert_eq!(delimiter(b""), b',');
    }

    #[test]
    fn cells_are_named_as_spreadsheets_name_them() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(11, 3), "D12");
        assert_eq!(cell_name(0, 26), "AA1");
    }
}
