//! A flat table handed out as a file: CSV (through [`super::csv::CsvFile`]) or an xlsx
//! workbook of one sheet with a title line, the column headers and the rows. For lists whose
//! JSON answer is also a table (the monthly litigation notice, the data-quality ranking).

use actix_web::HttpResponse;
use rust_xlsxwriter::{Format as CellFormat, Workbook, XlsxError};

use super::csv::CsvFile;
use super::error::ApiError;

/// The file a table is answered as: `format=json` (the default), `csv` or `xlsx`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    Xlsx,
}

impl Format {
    /// Reads a `format` query parameter; anything else is 422 `unknown_code`.
    pub fn parse(value: Option<&str>) -> Result<Self, ApiError> {
        match value {
            None | Some("json") => Ok(Self::Json),
            Some("csv") => Ok(Self::Csv),
            Some("xlsx") => Ok(Self::Xlsx),
            Some(_) => Err(ApiError::field(
                "format",
                "unknown_code",
                "Định dạng là json, csv hoặc xlsx.",
                "format is json, csv or xlsx.",
            )),
        }
    }
}

/// One cell.
pub enum Cell {
    Text(String),
    Number(f64),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Self::Text(t) => t.clone(),
            Self::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
            Self::Number(n) => format!("{n}"),
        }
    }
}

impl From<&str> for Cell {
    fn from(t: &str) -> Self {
        Self::Text(t.to_owned())
    }
}

impl From<String> for Cell {
    fn from(t: String) -> Self {
        Self::Text(t)
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Self::Number(n as f64)
    }
}

impl From<f64> for Cell {
    fn from(n: f64) -> Self {
        Self::Number(n)
    }
}

/// A table with its title and the file name it is downloaded as (without extension).
pub struct Tabular {
    pub title: String,
    pub file_stem: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Tabular {
    /// The table as `format` asks, `json` answering `view`, the same figures as a document.
    pub fn respond(
        &self,
        format: Format,
        view: &impl serde::Serialize,
    ) -> Result<HttpResponse, ApiError> {
        match format {
            Format::Json => Ok(HttpResponse::Ok().json(view)),
            Format::Csv => self.csv(),
            Format::Xlsx => self.xlsx(),
        }
    }

    pub fn csv(&self) -> Result<HttpResponse, ApiError> {
        let headers: Vec<&str> = self.headers.iter().map(String::as_str).collect();
        let mut file = CsvFile::new(&headers)?;
        for row in &self.rows {
            file.row(row.iter().map(Cell::text))?;
        }
        file.into_response(&format!("{}.csv", self.file_stem))
    }

    pub fn xlsx(&self) -> Result<HttpResponse, ApiError> {
        let bytes = self
            .workbook()
            .map_err(ApiError::logged("writing an xlsx workbook"))?;
        Ok(HttpResponse::Ok()
            .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            .insert_header((
                "Content-Disposition",
                format!("attachment; filename=\"{}.xlsx\"", self.file_stem),
            ))
            .body(bytes))
    }

    fn workbook(&self) -> Result<Vec<u8>, XlsxError> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        let bold = CellFormat::new().set_bold();
        let header = CellFormat::new().set_bold().set_text_wrap();
        sheet.write_string_with_format(0, 0, &self.title, &bold)?;
        for (c, h) in self.headers.iter().enumerate() {
            let col = u16::try_from(c).unwrap_or(u16::MAX);
            sheet.write_string_with_format(2, col, h, &header)?;
            sheet.set_column_width(col, if c == 0 { 24 } else { 14 })?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            let line = u32::try_from(r + 3).unwrap_or(u32::MAX);
            for (c, cell) in row.iter().enumerate() {
                let col = u16::try_from(c).unwrap_or(u16::MAX);
                match cell {
                    Cell::Text(t) => sheet.write_string(line, col, t)?,
                    Cell::Number(n) => sheet.write_number(line, col, *n)?,
                };
            }
        }
        workbook.save_to_buffer()
    }
}
