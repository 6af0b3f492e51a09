//! A filled form as the offices use it: a CSV file, and an xlsx workbook laid out as the
//! paper form (title, reporting unit, period, unit of count, numbered columns, rows under
//! their section numbers, and the signature block of Circular 02/2011 art. 8(2)).

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use super::*;
use crate::http::csv::CsvFile;

/// The table as CSV: one line per row, with its code, section and label, then one column per
/// column of the form, headed by its number and header.
pub(super) fn csv(view: &TableView) -> Result<HttpResponse, ApiError> {
    let mut headers = vec!["row".to_owned(), "section".to_owned(), "label".to_owned()];
    headers.extend(
        view.columns
            .iter()
            .map(|c| format!("{} {}", c.number, c.header.vi)),
    );
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut file = CsvFile::new(&headers)?;
    for row in &view.rows {
        let mut cells = vec![
            row.code.clone(),
            row.section.unwrap_or_default().to_owned(),
            row.label.vi.to_owned(),
        ];
        cells.extend(row.cells.iter().map(u64::to_string));
        file.row(cells)?;
    }
    file.into_response(&file_name(view, "csv"))
}

/// The table as an xlsx workbook laid out as the paper form.
pub(super) fn xlsx(form: &Form, view: &TableView) -> Result<HttpResponse, ApiError> {
    let bytes = workbook(form, view).map_err(ApiError::logged("writing an xlsx workbook"))?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{}\"", file_name(view, "xlsx")),
        ))
        .body(bytes))
}

/// `bieu-mau-tt02-2011-bm1-TTTGPL-HN-2024-10-01-2025-06-30.csv`: the form, the reporting
/// unit's code and the period, in ASCII (organization codes are), so that every browser keeps
/// it.
fn file_name(view: &TableView, extension: &str) -> String {
    format!(
        "bieu-mau-{}-{}-{}-{}.{extension}",
        view.form, view.organization_code, view.from, view.to
    )
}

/// The line under the unit of count that an edition prints: which days are estimated and
/// when the offices receive the form; `None` when there is nothing to say.
fn edition_note(view: &TableView) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(from) = view.estimated_from {
        parts.push(format!(
            "Số liệu thực tế đến ngày {}, từ ngày {} là số liệu ước tính",
            (from - chrono::Duration::days(1)).format("%d/%m/%Y"),
            from.format("%d/%m/%Y")
        ));
    }
    let received: Vec<String> = view
        .deadlines
        .iter()
        .filter(|d| d.kind == "received_by")
        .map(|d| format!("{}: {}", d.who.vi, d.on.format("%d/%m/%Y")))
        .collect();
    if !received.is_empty() {
        parts.push(format!("Ngày nhận báo cáo: {}", received.join("; ")));
    }
    (!parts.is_empty()).then(|| parts.join(". "))
}

/// The name of the one worksheet.
pub const SHEET: &str = "Biểu mẫu";

fn workbook(form: &Form, view: &TableView) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET)?;
    let last = u16::try_from(view.columns.len() + 1).unwrap_or(u16::MAX);
    let bold = Format::new().set_bold();
    let centered = Format::new().set_align(FormatAlign::Center);
    let title = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center);
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let cell = Format::new().set_border(FormatBorder::Thin);
    let section = Format::new().set_bold().set_border(FormatBorder::Thin);

    sheet.write_string_with_format(0, 0, form.number.vi, &bold)?;
    sheet.merge_range(1, 0, 1, last, form.title.vi, &title)?;
    let period = format!(
        "Kỳ thống kê: từ ngày {} đến ngày {} ({})",
        view.from.format("%d/%m/%Y"),
        view.to.format("%d/%m/%Y"),
        view.period
    );
    sheet.merge_range(2, 0, 2, last, &period, &centered)?;
    sheet.write_string(
        3,
        0,
        format!(
            "Đơn vị báo cáo: {} ({})",
            view.organization_name, view.organization_code
        ),
    )?;
    sheet.write_string(4, 0, format!("Đơn vị tính: {}", view.unit.vi))?;
    if let Some(note) = edition_note(view) {
        sheet.write_string(5, 0, note)?;
    }

    let (headers, numbers) = (6, 7);
    sheet.write_string_with_format(headers, 0, "STT", &header)?;
    sheet.write_string_with_format(headers, 1, "Nội dung", &header)?;
    sheet.write_string_with_format(numbers, 0, "A", &header)?;
    sheet.write_string_with_format(numbers, 1, "B", &header)?;
    for (i, column) in view.columns.iter().enumerate() {
        let col = u16::try_from(i + 2).unwrap_or(u16::MAX);
        sheet.write_string_with_format(headers, col, column.header.vi, &header)?;
        sheet.write_number_with_format(numbers, col, f64::from(column.number), &header)?;
    }
    sheet.set_row_height(headers, 45)?;
    sheet.set_column_width(0, 8)?;
    sheet.set_column_width(1, 42)?;
    for i in 0..view.columns.len() {
        sheet.set_column_width(u16::try_from(i + 2).unwrap_or(u16::MAX), 14)?;
    }

    let mut row = numbers + 1;
    let mut current = None;
    let (mut line, mut split) = (0, 0);
    for r in &view.rows {
        if r.section != current {
            current = r.section;
            if let Some(number) = r.section {
                let title = form
                    .sections
                    .iter()
                    .find(|s| s.number == number)
                    .map_or("", |s| s.title.vi);
                sheet.write_string_with_format(row, 0, number, &section)?;
                sheet.write_string_with_format(row, 1, title, &section)?;
                for col in 2..=last {
                    sheet.write_blank(row, col, &section)?;
                }
                row += 1;
                line = 0;
            }
        }
        // Rows are numbered within their section (1, 2, …), split rows within their row
        // (1.1, 1.2, …), as the forms print them.
        let number = match (r.section, &r.parent) {
            (None, _) => String::new(),
            (Some(_), None) => {
                line += 1;
                split = 0;
                line.to_string()
            }
            (Some(_), Some(_)) => {
                split += 1;
                format!("{line}.{split}")
            }
        };
        let label_format = if r.section.is_none() { &section } else { &cell };
        sheet.write_string_with_format(row, 0, &number, &cell)?;
        sheet.write_string_with_format(row, 1, r.label.vi, label_format)?;
        for (i, value) in r.cells.iter().enumerate() {
            let col = u16::try_from(i + 2).unwrap_or(u16::MAX);
            // Counts stay far below 2^53, where an f64 holds every integer exactly.
            sheet.write_number_with_format(row, col, *value as f64, label_format)?;
        }
        row += 1;
    }

    // The signature block (Circular 02/2011 art. 8(2); Circular 03/2019 adds the checker):
    // the place and date above the last signature, each signer's title and note spread
    // across the width.
    let signatures = row + 2;
    let signers = form.regime.signatures;
    let step = (last.saturating_sub(1) / u16::try_from(signers.len().max(1)).unwrap_or(1)).max(1);
    let column_of = |i: usize| 1 + step * u16::try_from(i).unwrap_or(0);
    sheet.write_string_with_format(
        signatures,
        column_of(signers.len().saturating_sub(1)),
        "......, ngày ... tháng ... năm ......",
        &centered,
    )?;
    for (i, (title, note)) in signers.iter().enumerate() {
        sheet.write_string_with_format(signatures + 1, column_of(i), title.vi, &bold)?;
        sheet.write_string(signatures + 2, column_of(i), note.vi)?;
    }
    workbook.save_to_buffer()
}
