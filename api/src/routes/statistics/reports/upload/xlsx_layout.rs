//! The xlsx layout the forms export, read by position under the line that numbers the
//! columns.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use super::*;

/// The most a workbook may hold once unzipped: far above any form, far below a zip bomb.
const MAX_UNZIPPED: u64 = 16 * 1024 * 1024;

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
pub(super) fn read_xlsx(
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
    let width_end = range.start().map_or(0, |(_, c)| c as usize) + range.width();
    let numbered: Vec<(String, String)> = (2..width_end.max(2 + form.columns.len()))
        .map(|c| (cell_name(numbers, c), text(numbers, c)))
        .collect();
    check_column_numbers(form, &numbered)?;
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
            // The rows below it would be read out of place: what was found wrong above it,
            // and this, are the answer.
            let cell = cell_name(r, 1);
            errors.push(at(
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
            ));
            return Err(ApiError::validation(errors));
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
                // A date or a duration is a number only to Excel.
                Some(Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_)) => {
                    Err(not_a_number(cell, &text(r, col)))
                }
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
