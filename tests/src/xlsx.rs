//! Reading back the .xlsx files the worker writes (calamine), for the export tests.

use crate::TestApp;
use calamine::{Data, DataType, Reader, Xlsx};
use reqwest::{Client, StatusCode};
use rust_decimal::Decimal;
use std::io::{Cursor, Read};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The file at `path`, checked to be a download of an .xlsx.
pub async fn download(client: &Client, app: &TestApp, path: &str) -> Vec<u8> {
    let resp = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "{path}");
    assert_eq!(resp.headers()["content-type"], XLSX);
    let disposition = resp.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.starts_with("attachment;") && disposition.contains("filename*=UTF-8''"), "{disposition}");
    resp.bytes().await.unwrap().to_vec()
}

/// The first sheet's rows.
pub fn rows(bytes: &[u8]) -> Vec<Vec<Data>> {
    let mut book = Xlsx::new(Cursor::new(bytes.to_vec())).expect("an .xlsx calamine reads");
    let range = book.worksheet_range_at(0).expect("a sheet").expect("readable");
    range.rows().map(<[Data]>::to_vec).collect()
}

/// The rows of the sheet named `name`.
pub fn sheet(bytes: &[u8], name: &str) -> Vec<Vec<Data>> {
    let mut book = Xlsx::new(Cursor::new(bytes.to_vec())).expect("an .xlsx calamine reads");
    let range = book.worksheet_range(name).unwrap_or_else(|e| panic!("sheet {name}: {e}"));
    range.rows().map(<[Data]>::to_vec).collect()
}

/// A part of the file's zip, as text (the styles and the sheet's XML).
pub fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).unwrap();
    let mut text = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
    text
}

pub fn headers(row: &[Data]) -> Vec<String> {
    row.iter().map(|c| c.to_string()).collect()
}

/// A money cell as the exact amount it stands for (written to the fen).
pub fn yuan(cell: &Data) -> Decimal {
    let f = cell.get_float().unwrap_or_else(|| panic!("a number, not {cell:?}"));
    Decimal::from_f64_retain(f).unwrap().round_dp(2)
}

/// A count cell.
pub fn count(cell: &Data) -> i64 {
    cell.get_float().unwrap_or_else(|| panic!("a number, not {cell:?}")) as i64
}

/// The header frozen, widths set, and `format` (money's two decimals, a date's) in the file.
pub fn assert_laid_out(bytes: &[u8], format: &str) {
    let sheet = part(bytes, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains(r#"ySplit="1""#) && sheet.contains(r#"state="frozen""#), "the header row is frozen");
    assert!(sheet.contains("<cols>"), "column widths are set");
    assert!(part(bytes, "xl/styles.xml").contains(&format!(r#"formatCode="{format}""#)), "{format}");
}
