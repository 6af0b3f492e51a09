//! The CSV layout the forms export: a header line numbering the columns, then one line per
//! row of the form.

use super::*;

/// The separator of a CSV file without a `sep=` line: `;` when its header line has more of
/// them than commas, as a spreadsheet set to Vietnamese (whose decimal mark is the comma)
/// saves it; `,` otherwise.
pub(super) fn delimiter(bytes: &[u8]) -> u8 {
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
pub(super) fn read_csv(
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
    let header = reader.headers().map_err(|_| {
        unreadable(
            "Tệp CSV không đọc được (dấu ngoặc kép không đóng?).",
            "The CSV file cannot be read (an unclosed quote?).",
        )
    })?;
    let numbers: Vec<(String, String)> = header
        .iter()
        .enumerate()
        .skip(3)
        .map(|(c, text)| (cell_name(skipped, c), text.trim().to_owned()))
        .collect();
    check_column_numbers(form, &numbers)?;
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

#[cfg(test)]
mod tests {
    use super::delimiter;

    #[test]
    fn the_separator_is_read_from_the_header_line() {
        assert_eq!(delimiter(b"code,section,label,1,2\nI;x"), b',');
        assert_eq!(delimiter(b"code;section;label;1;2\nI,x"), b';');
        assert_eq!(delimiter(b"\"a,b\";c;d\n"), b';');
        assert_eq!(delimiter(b""), b',');
    }
}
