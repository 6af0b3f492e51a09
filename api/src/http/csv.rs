//! The one writer of the CSV files the system hands out, so that every export is read the
//! same way by the spreadsheets people open it with:
//!
//! - it starts with a UTF-8 byte order mark, without which Excel on Windows reads the file
//!   in the local code page and shows Vietnamese as mojibake;
//! - a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with
//!   `'`, so that a spreadsheet shows it as text instead of running it as a formula (CSV
//!   injection, OWASP): a charge written `=HYPERLINK(...)` stays a piece of text. A negative
//!   number (`-1`, `-0.5`) is left as it is: a spreadsheet reads it as the number it is, and
//!   nothing in it can run;
//! - quoting follows RFC 4180 (the `csv` crate), lines end in CRLF.

use std::borrow::Cow;

use actix_web::http::header;
use actix_web::HttpResponse;

use super::error::ApiError;

/// The UTF-8 byte order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The cell as a spreadsheet must receive it: unchanged, or prefixed with `'` when its first
/// character would make a spreadsheet evaluate it and it is not a plain negative number.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_negative_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// `-` then digits, with at most one decimal point between digits: what a figure's change
/// looks like, and all a spreadsheet makes of it is that number.
fn is_negative_number(cell: &str) -> bool {
    let Some(magnitude) = cell.strip_prefix('-') else {
        return false;
    };
    let mut parts = magnitude.splitn(2, '.');
    let digits =
        |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let whole = parts.next();
    match parts.next() {
        None => digits(whole),
        fraction => digits(whole) && digits(fraction),
    }
}

/// A CSV file being written in memory: a header, then rows of as many cells.
pub struct CsvFile {
    writer: csv::Writer<Vec<u8>>,
}

fn failed(e: csv::Error) -> ApiError {
    log::error!("cannot write a CSV file: {e}");
    ApiError::internal()
}

impl CsvFile {
    /// A file whose first line names the columns.
    pub fn new(columns: &[&str]) -> Result<Self, ApiError> {
        let writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(BOM.to_vec());
        let mut file = Self { writer };
        file.row(columns.iter().copied())?;
        Ok(file)
    }

    /// Appends one row; every cell is neutralised. A row of another length than the header
    /// is an error.
    pub fn row<I, S>(&mut self, cells: I) -> Result<(), ApiError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let cells: Vec<S> = cells.into_iter().collect();
        self.writer
            .write_record(cells.iter().map(|c| neutralise(c.as_ref()).into_owned()))
            .map_err(failed)
    }

    /// The file's bytes, byte order mark first.
    pub fn into_bytes(self) -> Result<Vec<u8>, ApiError> {
        self.writer
            .into_inner()
            .map_err(|e| failed(e.into_error().into()))
    }

    /// The file as a download named `file_name` (ASCII, chosen by the system).
    pub fn into_response(self, file_name: &str) -> Result<HttpResponse, ApiError> {
        let bytes = self.into_bytes()?;
        Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ))
            .body(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(rows: &[&[&str]]) -> String {
        let mut file = CsvFile::new(&["a", "b"]).unwrap();
        for row in rows {
            file.row(row.iter()).unwrap();
        }
        let bytes = file.into_bytes().unwrap();
        assert!(bytes.starts_with(BOM));
        String::from_utf8(bytes[BOM.len()..].to_vec()).unwrap()
    }

    #[test]
    fn formulas_are_inert_and_text_is_kept() {
        assert_eq!(neutralise("=1+1"), "'=1+1");
        assert_eq!(neutralise("+84 90"), "'+84 90");
        assert_eq!(neutralise("-2"), "-2", "a number");
        assert_eq!(neutralise("-0.5"), "-0.5", "a number");
        assert_eq!(neutralise("-2+3"), "'-2+3");
        assert_eq!(neutralise("-1.2.3"), "'-1.2.3");
        assert_eq!(neutralise("-"), "'-");
        assert_eq!(neutralise("-.5"), "'-.5");
        assert_eq!(neutralise("-1e3"), "'-1e3");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("\rx"), "'\rx");
        assert_eq!(neutralise("Tội trộm cắp = 1"), "Tội trộm cắp = 1");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn rows_are_quoted_as_rfc_4180_says_after_a_bom() {
        let text = written(&[
            &["=HYPERLINK(\"http://x\",\"y\")", "Nguyễn Văn A, \"Bố\""],
            &["", "dòng\nhai"],
        ]);
        assert_eq!(
            text,
            "a,b\r\n\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"Nguyễn Văn A, \"\"Bố\"\"\"\r\n,\"dòng\nhai\"\r\n"
        );
    }

    #[test]
    fn a_row_of_another_length_is_refused() {
        let mut file = CsvFile::new(&["a", "b"]).unwrap();
        assert!(file.row(["only one"]).is_err());
    }
}
