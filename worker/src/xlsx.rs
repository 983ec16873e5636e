//! Lists as Excel files (`?format=xlsx`): Chinese headers, money as numbers shown with two
//! decimals, dates as dates, the header row frozen and columns as wide as their contents
//! need. Written by rust_xlsxwriter into memory; nothing touches a file system.

use crate::error::{AppError, AppResult};
use chrono::{Datelike, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use worker::{Headers, Response};

/// One cell of a row, by what it holds.
pub enum Cell {
    Text(String),
    /// Yuan, exact to the fen: written as a number so Excel sums it, shown as 0.00.
    Money(Decimal),
    Date(NaiveDate),
    /// A count (people, months, days).
    Count(i64),
    /// A percentage as the reports give it (12.5 for 12.5 %), shown 12.5%.
    Percent(Decimal),
    Blank,
}

impl Cell {
    /// A date as stored ("2026-05-01"), or the text as it is when it is not one.
    pub fn date(raw: &str) -> Cell {
        NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_or_else(|_| Cell::Text(raw.to_string()), Cell::Date)
    }

    /// A stored instant ("2026-05-01T02:03:04Z") as the time in China, to the minute.
    pub fn instant(raw: &str) -> Cell {
        let china = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
        chrono::DateTime::parse_from_rfc3339(raw)
            .map_or_else(|_| Cell::Text(raw.to_string()), |t| Cell::Text(t.with_timezone(&china).format("%Y-%m-%d %H:%M").to_string()))
    }
}

/// A column: its header and its width in characters (a Chinese character counts two).
pub struct Column {
    pub header: &'static str,
    pub width: f64,
}

/// One worksheet of a file.
pub struct Sheet<'a> {
    pub name: &'a str,
    pub columns: &'a [Column],
    pub rows: Vec<Vec<Cell>>,
}

impl From<XlsxError> for AppError {
    fn from(e: XlsxError) -> Self {
        AppError::Internal(format!("xlsx: {e}"))
    }
}

fn write_sheet(ws: &mut Worksheet, sheet: &Sheet, formats: &Formats) -> Result<(), XlsxError> {
    ws.set_name(sheet.name)?;
    for (c, column) in (0u16..).zip(sheet.columns) {
        ws.write_string_with_format(0, c, column.header, &formats.header)?;
        ws.set_column_width(c, column.width)?;
    }
    for (r, row) in (1u32..).zip(&sheet.rows) {
        for (c, cell) in (0u16..).zip(row) {
            match cell {
                Cell::Text(s) => ws.write_string(r, c, s).map(|_| ())?,
                // The file format holds numbers as IEEE doubles: the conversion happens here,
                // at the edge, on amounts that are exact to the fen.
                Cell::Money(m) => ws.write_number_with_format(r, c, m.to_f64().unwrap_or_default(), &formats.money).map(|_| ())?,
                Cell::Count(n) => ws.write_number(r, c, *n as f64).map(|_| ())?,
                Cell::Percent(p) => ws.write_number_with_format(r, c, p.to_f64().unwrap_or_default(), &formats.percent).map(|_| ())?,
                Cell::Date(d) => {
                    let date = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                    ws.write_datetime_with_format(r, c, &date, &formats.date).map(|_| ())?
                }
                Cell::Blank => {}
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

struct Formats {
    header: Format,
    money: Format,
    date: Format,
    percent: Format,
}

/// The file's bytes.
pub fn workbook(sheets: &[Sheet]) -> AppResult<Vec<u8>> {
    let formats = Formats {
        header: Format::new().set_bold().set_background_color("#E8EFFB"),
        money: Format::new().set_num_format("#,##0.00"),
        date: Format::new().set_num_format("yyyy-mm-dd"),
        percent: Format::new().set_num_format("0.0\"%\""),
    };
    let mut book = Workbook::new();
    for sheet in sheets {
        write_sheet(book.add_worksheet(), sheet, &formats)?;
    }
    Ok(book.save_to_buffer()?)
}

/// A list as a one-sheet download: the sheet named `title`, the file `{title}-{today}.xlsx`.
pub fn list_file(title: &str, columns: &[Column], rows: Vec<Vec<Cell>>, today: chrono::NaiveDate) -> AppResult<Response> {
    let bytes = workbook(&[Sheet { name: title, columns, rows }])?;
    download(bytes, &format!("{title}-{today}.xlsx"))
}

/// The file as a download named `name` (Chinese allowed: RFC 6266's `filename*`).
pub fn download(bytes: Vec<u8>, name: &str) -> AppResult<Response> {
    let headers = Headers::new();
    headers.set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")?;
    let encoded: String = js_sys::encode_uri_component(name).into();
    headers.set("Content-Disposition", &format!("attachment; filename=\"export.xlsx\"; filename*=UTF-8''{encoded}"))?;
    headers.set("Cache-Control", "no-store")?;
    Ok(Response::from_bytes(bytes)?.with_headers(headers))
}
