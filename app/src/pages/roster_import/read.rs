//! The chosen file as rows of text, the way a spreadsheet shows them: .xlsx and .xls through
//! calamine, .csv in UTF-8 (with or without BOM) or else GB18030/GBK. Numbers become their
//! decimal text (no ".0" on whole numbers), dates "YYYY-MM-DD"; the domain's `row_form`
//! reads the rest (date serials, "8,000元", …).
//!
//! Reading is async only to give the page a chance to draw between slices: `pause` is
//! awaited every `SLICE` rows with the share read so far.

use calamine::{Data, Reader, Xls, Xlsx};
use std::future::Future;
use std::io::Cursor;

/// Rows read between two pauses.
const SLICE: usize = 2_000;

/// One data row: its number as the spreadsheet (or a text editor) shows it, and its cells,
/// as many as there are columns.
#[derive(Debug, Clone, PartialEq)]
pub struct DataRow {
    pub row: u32,
    pub cells: Vec<String>,
}

/// The file's first sheet: the header row's texts and the data rows after it (rows with
/// nothing in them left out).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<DataRow>,
}

/// Why a file gave no rows; each is a text of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadError {
    /// Not a spreadsheet or CSV we can read, or a damaged one.
    Unreadable,
    /// Nothing in it.
    Empty,
    /// A header row and nothing else.
    NoDataRows,
}

impl ReadError {
    pub fn text_key(self) -> &'static str {
        match self {
            ReadError::Unreadable => "imp.err.unreadable",
            ReadError::Empty => "imp.err.empty",
            ReadError::NoDataRows => "imp.err.no_rows",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Xlsx,
    Xls,
    Csv,
}

/// By the first bytes, whatever the name says: a zip is an .xlsx, an OLE2 compound file
/// an .xls, anything else text.
fn sniff(bytes: &[u8]) -> Format {
    if bytes.starts_with(b"PK\x03\x04") {
        Format::Xlsx
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Format::Xls
    } else {
        Format::Csv
    }
}

/// The whole file read into a table.
pub async fn read_table<P, F>(bytes: Vec<u8>, pause: P) -> Result<Table, ReadError>
where
    P: FnMut(f64) -> F,
    F: Future<Output = ()>,
{
    let mut rows = Rows::default();
    match sniff(&bytes) {
        Format::Xlsx => read_xlsx(bytes, &mut rows, pause).await?,
        Format::Xls => read_xls(bytes, &mut rows)?,
        Format::Csv => read_csv(&bytes, &mut rows, pause).await?,
    }
    rows.finish()
}

/// Rows as they are read, in order; the first one with anything in it is the header.
#[derive(Default)]
struct Rows {
    header: Option<Vec<String>>,
    data: Vec<DataRow>,
}

impl Rows {
    /// Row `row` (1-based) with `cells`; blank rows are skipped.
    fn push(&mut self, row: u32, mut cells: Vec<String>) {
        for c in &mut cells {
            let trimmed = c.trim();
            if trimmed.len() != c.len() {
                *c = trimmed.to_string();
            }
        }
        while cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        if cells.is_empty() {
            return;
        }
        if self.header.is_none() {
            self.header = Some(cells);
        } else {
            self.data.push(DataRow { row, cells });
        }
    }

    fn finish(self) -> Result<Table, ReadError> {
        let mut headers = self.header.ok_or(ReadError::Empty)?;
        if self.data.is_empty() {
            return Err(ReadError::NoDataRows);
        }
        // As many columns as the widest row: a column may have values under no header.
        let width = self
            .data
            .iter()
            .map(|r| r.cells.len())
            .max()
            .unwrap_or(0)
            .max(headers.len());
        headers.resize(width, String::new());
        let mut data = self.data;
        for r in &mut data {
            r.cells.resize(width, String::new());
        }
        Ok(Table {
            headers,
            rows: data,
        })
    }
}

/// The workbook in `bytes` and the name of its first sheet (the one that is read).
fn first_sheet<B: Reader<Cursor<Vec<u8>>>>(bytes: Vec<u8>) -> Result<(B, String), ReadError> {
    let book: B =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| ReadError::Unreadable)?;
    let name = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or(ReadError::Empty)?;
    Ok((book, name))
}

async fn read_xlsx<P, F>(bytes: Vec<u8>, rows: &mut Rows, mut pause: P) -> Result<(), ReadError>
where
    P: FnMut(f64) -> F,
    F: Future<Output = ()>,
{
    let (mut book, name) = first_sheet::<Xlsx<_>>(bytes)?;
    let mut cells = book
        .worksheet_cells_reader(&name)
        .map_err(|_| ReadError::Unreadable)?;
    // The sheet's declared size, when it has one, for the progress bar.
    let height = cells.dimensions().end.0.saturating_add(1).max(1);
    let (mut row, mut current) = (0u32, Vec::<String>::new());
    let mut done = 0usize;
    while let Some(cell) = cells.next_cell().map_err(|_| ReadError::Unreadable)? {
        let (r, c) = cell.get_position();
        if r != row {
            rows.push(row + 1, std::mem::take(&mut current));
            row = r;
            done += 1;
            if done.is_multiple_of(SLICE) {
                pause(f64::from(r) / f64::from(height)).await;
            }
        }
        let c = c as usize;
        if current.len() <= c {
            current.resize(c + 1, String::new());
        }
        current[c] = cell_text(&Data::from(cell.get_value().clone()));
    }
    rows.push(row + 1, current);
    Ok(())
}

/// An .xls is read whole (the format holds at most 65,536 rows).
fn read_xls(bytes: Vec<u8>, rows: &mut Rows) -> Result<(), ReadError> {
    let (mut book, name) = first_sheet::<Xls<_>>(bytes)?;
    let range = book
        .worksheet_range(&name)
        .map_err(|_| ReadError::Unreadable)?;
    let first = range.start().map_or(0, |(r, _)| r);
    let lead = range.start().map_or(0, |(_, c)| c as usize);
    for (i, cells) in range.rows().enumerate() {
        // The range starts at its first used cell: put the columns back where they were.
        let texts = std::iter::repeat_n(String::new(), lead)
            .chain(cells.iter().map(cell_text))
            .collect();
        rows.push(first + i as u32 + 1, texts);
    }
    Ok(())
}

/// A cell as the text it shows: whole numbers without ".0", dates as "YYYY-MM-DD".
fn cell_text(data: &Data) -> String {
    match data {
        // "2026-03-01T00:00:00" of a date cell: its date.
        Data::DateTimeIso(s) if s.len() > 10 && s.as_bytes()[10] == b'T' => s[..10].to_string(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{day:02}")
        }
        Data::DateTime(d) => number_text(d.as_f64()),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// The shortest decimal text that reads back as `f` ("8000", "8000.5", "13800138000").
fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// UTF-8 when the bytes are valid UTF-8 (a BOM dropped), else GB18030 (which GBK is part
/// of), unless a UTF-16 BOM says otherwise.
fn decode_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.strip_prefix('\u{feff}').unwrap_or(s).to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

async fn read_csv<P, F>(bytes: &[u8], rows: &mut Rows, mut pause: P) -> Result<(), ReadError>
where
    P: FnMut(f64) -> F,
    F: Future<Output = ()>,
{
    // Binary content that is no spreadsheet we know (a PDF, an image, an .xlsb) is not text.
    if bytes.iter().take(4096).any(|&b| b == 0)
        && !bytes.starts_with(&[0xFF, 0xFE])
        && !bytes.starts_with(&[0xFE, 0xFF])
    {
        return Err(ReadError::Unreadable);
    }
    let text = decode_text(bytes);
    // Excel's "Unicode text" is tab-separated: take tabs when the first line has no comma.
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.contains('\t') && !first_line.contains(',') {
        b'\t'
    } else {
        b','
    };
    let total = text.len().max(1) as f64;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut done = 0usize;
    // The line a record starts on, counted here: the reader's own count lags a line behind
    // (it counts a record's line break when it reads the next record).
    let (bytes, mut counted, mut line) = (text.as_bytes(), 0usize, 1u32);
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {
                let mut start = record
                    .position()
                    .map_or(counted, |p| p.byte() as usize)
                    .max(counted);
                while bytes.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
                    start += 1;
                }
                line += bytes[counted..start]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count() as u32;
                counted = start;
                rows.push(line, record.iter().map(str::to_string).collect());
                done += 1;
                if done.is_multiple_of(SLICE) {
                    pause(reader.position().byte() as f64 / total).await;
                }
            }
            Ok(false) => return Ok(()),
            Err(_) => return Err(ReadError::Unreadable),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    /// Runs `read_table` to its end, with the shares it paused at: with pauses that are
    /// always ready it never waits.
    fn read_pausing(bytes: &[u8]) -> (Result<Table, ReadError>, Vec<f64>) {
        let mut shares = Vec::new();
        let result = {
            let future = pin!(read_table(bytes.to_vec(), |share| {
                shares.push(share);
                std::future::ready(())
            }));
            match future.poll(&mut Context::from_waker(Waker::noop())) {
                Poll::Ready(result) => result,
                Poll::Pending => panic!("a ready pause never waits"),
            }
        };
        (result, shares)
    }

    fn read(bytes: &[u8]) -> Result<Table, ReadError> {
        read_pausing(bytes).0
    }

    fn cells(row: &DataRow) -> Vec<&str> {
        row.cells.iter().map(String::as_str).collect()
    }

    #[test]
    fn utf8_csv_with_a_bom_quotes_and_blank_lines() {
        let text = "\u{feff}姓名,身份证号,月工资\r\n张三,110105199003071239,\"8,000\"\r\n\r\n\"李\"\"四\",11010519900307123X,\"多\n行\"\r\n";
        let t = read(text.as_bytes()).unwrap();
        assert_eq!(t.headers, ["姓名", "身份证号", "月工资"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(
            (t.rows[0].row, cells(&t.rows[0])),
            (2, vec!["张三", "110105199003071239", "8,000"])
        );
        assert_eq!(
            (t.rows[1].row, cells(&t.rows[1])),
            (4, vec!["李\"四", "11010519900307123X", "多\n行"])
        );
    }

    #[test]
    fn gbk_csv_is_decoded_and_short_rows_are_padded() {
        let (bytes, _, bad) =
            encoding_rs::GBK.encode("姓名,部门,户籍\n王五,财务部\n赵六,人事部,本地\n");
        assert!(!bad);
        assert!(
            std::str::from_utf8(&bytes).is_err(),
            "the test input really is GBK"
        );
        let t = read(&bytes).unwrap();
        assert_eq!(t.headers, ["姓名", "部门", "户籍"]);
        assert_eq!(cells(&t.rows[0]), ["王五", "财务部", ""]);
        assert_eq!(cells(&t.rows[1]), ["赵六", "人事部", "本地"]);
    }

    #[test]
    fn a_column_wider_than_the_header_gets_a_blank_header() {
        let t = read("姓名\n张三,多出来的\n".as_bytes()).unwrap();
        assert_eq!(t.headers, ["姓名", ""]);
        assert_eq!(cells(&t.rows[0]), ["张三", "多出来的"]);
    }

    #[test]
    fn tab_separated_text_is_read_too() {
        let t = read("姓名\t部门\n张三\t财务部, 二组\n".as_bytes()).unwrap();
        assert_eq!(cells(&t.rows[0]), ["张三", "财务部, 二组"]);
    }

    #[test]
    fn empty_header_only_and_binary_files_are_told_apart() {
        assert_eq!(read(b""), Err(ReadError::Empty));
        assert_eq!(read(b" \r\n,,\n"), Err(ReadError::Empty));
        assert_eq!(
            read("姓名,身份证号\n,\n".as_bytes()),
            Err(ReadError::NoDataRows)
        );
        assert_eq!(read(b"%PDF-1.7\x00\x01\x02"), Err(ReadError::Unreadable));
        assert_eq!(
            read(b"PK\x03\x04not really a zip"),
            Err(ReadError::Unreadable)
        );
        assert_eq!(
            read(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0]),
            Err(ReadError::Unreadable)
        );
    }

    #[test]
    fn many_rows_pause_between_slices() {
        let mut text = String::from("姓名\n");
        for i in 0..5_000 {
            text.push_str(&format!("员工{i}\n"));
        }
        let (t, shares) = read_pausing(text.as_bytes());
        let t = t.unwrap();
        assert_eq!(t.rows.len(), 5_000);
        assert_eq!(t.rows[4_999].row, 5_001);
        assert_eq!(shares.len(), 2, "after 2,000 and 4,000 rows");
        assert!(
            shares[0] > 0.3 && shares[0] < shares[1] && shares[1] < 1.0,
            "{shares:?}"
        );
    }

    #[test]
    fn numbers_read_as_their_decimal_text() {
        assert_eq!(number_text(8000.0), "8000");
        assert_eq!(number_text(8000.5), "8000.5");
        assert_eq!(number_text(46082.0), "46082");
        assert_eq!(number_text(13800138000.0), "13800138000");
        assert_eq!(number_text(0.1 + 0.7), (0.1f64 + 0.7).to_string());
        assert_eq!(cell_text(&Data::Int(-3)), "-3");
        assert_eq!(cell_text(&Data::Empty), "");
    }

    #[test]
    fn a_minimal_xlsx_with_inline_strings_and_numbers() {
        let book = xlsx(&[
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>入职日期</t></is></c><c r="C1" t="inlineStr"><is><t>月工资</t></is></c></row>"#,
            r#"<row r="2"><c r="A2" t="inlineStr"><is><t> 张三 </t></is></c><c r="B2"><v>46082</v></c><c r="C2"><v>8000.5</v></c></row>"#,
            r#"<row r="4"><c r="A4" t="inlineStr"><is><t>李四</t></is></c><c r="C4"><v>9000</v></c></row>"#,
        ]);
        let t = read(&book).unwrap();
        assert_eq!(t.headers, ["姓名", "入职日期", "月工资"]);
        assert_eq!(
            (t.rows[0].row, cells(&t.rows[0])),
            (2, vec!["张三", "46082", "8000.5"])
        );
        assert_eq!(
            (t.rows[1].row, cells(&t.rows[1])),
            (4, vec!["李四", "", "9000"])
        );
    }

    /// A stored (uncompressed) zip of a one-sheet workbook with `rows` as its sheet data.
    fn xlsx(rows: &[&str]) -> Vec<u8> {
        let sheet = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{}</sheetData></worksheet>"#,
            rows.concat()
        );
        let files = [
            ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string()),
            ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
            ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="花名册" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string()),
            ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string()),
            ("xl/worksheets/sheet1.xml", sheet),
        ];
        stored_zip(&files)
    }

    fn stored_zip(files: &[(&str, String)]) -> Vec<u8> {
        let (mut out, mut central) = (Vec::new(), Vec::new());
        for (name, body) in files {
            let (name, body) = (name.as_bytes(), body.as_bytes());
            let crc = crc32(body);
            let offset = out.len() as u32;
            let common = |v: &mut Vec<u8>| {
                v.extend(20u16.to_le_bytes()); // version needed
                v.extend(0u16.to_le_bytes()); // flags
                v.extend(0u16.to_le_bytes()); // stored
                v.extend(0u32.to_le_bytes()); // time, date
                v.extend(crc.to_le_bytes());
                v.extend((body.len() as u32).to_le_bytes());
                v.extend((body.len() as u32).to_le_bytes());
                v.extend((name.len() as u16).to_le_bytes());
                v.extend(0u16.to_le_bytes()); // extra
            };
            out.extend(0x0403_4b50u32.to_le_bytes());
            common(&mut out);
            out.extend(name);
            out.extend(body);
            central.extend(0x0201_4b50u32.to_le_bytes());
            central.extend(20u16.to_le_bytes()); // version made by
            common(&mut central);
            central.extend([0u8; 6]); // comment length, disk, internal attributes
            central.extend(0u32.to_le_bytes()); // external attributes
            central.extend(offset.to_le_bytes());
            central.extend(name);
        }
        let at = out.len() as u32;
        out.extend(&central);
        out.extend(0x0605_4b50u32.to_le_bytes());
        out.extend([0u8; 4]);
        out.extend((files.len() as u16).to_le_bytes());
        out.extend((files.len() as u16).to_le_bytes());
        out.extend((central.len() as u32).to_le_bytes());
        out.extend(at.to_le_bytes());
        out.extend(0u16.to_le_bytes());
        out
    }

    fn crc32(bytes: &[u8]) -> u32 {
        !bytes.iter().fold(!0u32, |crc, &b| {
            (0..8).fold(crc ^ u32::from(b), |c, _| {
                if c & 1 == 1 {
                    (c >> 1) ^ 0xEDB8_8320
                } else {
                    c >> 1
                }
            })
        })
    }
}
