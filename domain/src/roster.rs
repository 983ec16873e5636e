//! The roster import (花名册导入): a file of new hires read in the browser, its columns
//! matched to the employee form's fields, every row normalized to an `EmployeeForm` and
//! checked with the form's own rules plus the file-wide ones (an ID twice in the file, an
//! ID already registered). The browser runs this over the whole file; the server again over
//! each chunk it receives, so both report the same rows with the same messages.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::employee::{EmployeeForm, FIELDS};
use crate::ids::normalize_id;
use crate::lang::Lang;
use crate::money::parse_amount;
use crate::policy::Hukou;
use crate::validation::FieldError;

/// Most rows a `POST /api/imports/{id}/rows` carries.
pub const CHUNK_ROWS: usize = 500;

/// The form fields a roster column can fill (the branch is chosen for the whole file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RosterField {
    Name,
    ResidentId,
    HireDate,
    Salary,
    Department,
    Phone,
    Email,
    Hukou,
}

impl RosterField {
    pub const ALL: [RosterField; 8] = [
        RosterField::Name,
        RosterField::ResidentId,
        RosterField::HireDate,
        RosterField::Salary,
        RosterField::Department,
        RosterField::Phone,
        RosterField::Email,
        RosterField::Hukou,
    ];

    /// The `EmployeeForm` field it fills (also its serde form).
    pub fn code(self) -> &'static str {
        match self {
            RosterField::Name => "name",
            RosterField::ResidentId => "resident_id",
            RosterField::HireDate => "hire_date",
            RosterField::Salary => "salary",
            RosterField::Department => "department",
            RosterField::Phone => "phone",
            RosterField::Email => "email",
            RosterField::Hukou => "hukou",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            RosterField::Name => ("姓名", "Name"),
            RosterField::ResidentId => ("身份证号", "ID number"),
            RosterField::HireDate => ("入职日期", "Hire date"),
            RosterField::Salary => ("月工资", "Monthly salary"),
            RosterField::Department => ("部门", "Department"),
            RosterField::Phone => ("手机号", "Mobile"),
            RosterField::Email => ("邮箱", "Email"),
            RosterField::Hukou => ("户籍", "Hukou"),
        };
        lang.pick(zh, en)
    }

    /// The fields without which no row could become an employee.
    pub fn required(self) -> bool {
        matches!(
            self,
            RosterField::Name
                | RosterField::ResidentId
                | RosterField::HireDate
                | RosterField::Salary
        )
    }

    fn index(self) -> usize {
        self as usize
    }

    /// Headers seen in real rosters, in the plain form `plain` makes of a header.
    fn headers(self) -> &'static [&'static str] {
        match self {
            RosterField::Name => &["姓名", "员工姓名", "name"],
            RosterField::ResidentId => &[
                "身份证号",
                "身份证号码",
                "证件号码",
                "身份证",
                "resident_id",
                "idnumber",
            ],
            RosterField::HireDate => &["入职日期", "入职时间", "hire_date", "hiredate"],
            RosterField::Salary => &[
                "月工资",
                "工资",
                "月薪",
                "基本工资",
                "税前工资",
                "salary",
                "monthlysalary",
            ],
            RosterField::Department => &["部门", "所属部门", "department"],
            RosterField::Phone => &["手机号", "手机", "手机号码", "联系电话", "phone", "mobile"],
            RosterField::Email => &["邮箱", "电子邮箱", "email", "e-mail"],
            RosterField::Hukou => &["户籍", "户口", "户籍类型", "户口性质", "hukou"],
        }
    }
}

/// Full-width ASCII (ＡＢＣ１２３，＊（）) as ASCII and the ideographic space as a space, as
/// Chinese input methods type them.
/// Borrowed when there is nothing to fold: most cells, read 50,000 at a time.
fn fold_width(s: &str) -> Cow<'_, str> {
    let wide = |c: char| matches!(c, '\u{FF01}'..='\u{FF5E}' | '\u{3000}');
    if s.is_ascii() || !s.chars().any(wide) {
        return Cow::Borrowed(s);
    }
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .collect()
}

/// The text without whitespace, borrowed when it has none.
fn without_spaces(s: &str) -> Cow<'_, str> {
    if s.contains(char::is_whitespace) {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        Cow::Borrowed(s)
    }
}

/// Strict "YYYY-MM-DD" by shape (the form's rules judge the date itself).
fn is_iso_shaped(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// A header as compared: folded, lower case, without spaces, "*" marks (required columns
/// in templates) or a note in brackets ("月工资(元)", "入职日期（YYYY-MM-DD）").
fn plain_header(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    let mut depth = 0u32;
    for c in fold_width(header).chars() {
        match c {
            '(' | '【' | '[' => depth += 1,
            ')' | '】' | ']' => depth = depth.saturating_sub(1),
            c if depth > 0 || c.is_whitespace() || c == '*' => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// One column's field guessed from its header, or `None` when it names none of them.
pub fn guess_field(header: &str) -> Option<RosterField> {
    let plain = plain_header(header);
    if plain.is_empty() {
        return None;
    }
    RosterField::ALL
        .into_iter()
        .find(|f| f.headers().contains(&plain.as_str()))
}

/// A field per column, never the same field twice (the first column wins).
pub fn guess_mapping(headers: &[String]) -> Vec<Option<RosterField>> {
    let mut taken = [false; 8];
    headers
        .iter()
        .map(|h| {
            let field = guess_field(h).filter(|f| !taken[f.index()])?;
            taken[field.index()] = true;
            Some(field)
        })
        .collect()
}

/// What is wrong with a mapping: a required field no column fills, or a field two columns
/// fill (the mapping screen lets people choose that), one error per field.
pub fn check_mapping(mapping: &[Option<RosterField>]) -> Result<(), Vec<FieldError>> {
    let errors: Vec<FieldError> = RosterField::ALL
        .into_iter()
        .filter_map(|f| {
            let label = f.label(Lang::Zh);
            let label_en = f.label(Lang::En);
            match mapping.iter().filter(|m| **m == Some(f)).count() {
                0 if f.required() => Some(FieldError::new(
                    f.code(),
                    "mapping.required",
                    format!("请为“{label}”选择对应的列"),
                    format!("Choose the column that holds {label_en}"),
                )),
                0 | 1 => None,
                _ => Some(FieldError::new(
                    f.code(),
                    "mapping.duplicate",
                    format!("“{label}”只能对应一列"),
                    format!("Only one column can hold {label_en}"),
                )),
            }
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The row's cells (text as read; numbers as their decimal text) as a form for branch
/// `branch_id`, normalized so the form's rules accept what people write in spreadsheets.
/// A value that cannot be normalized is kept as it was (trimmed), for the rules to name.
pub fn row_form(
    cells: &[String],
    mapping: &[Option<RosterField>],
    branch_id: &str,
) -> EmployeeForm {
    let mut values: [&str; 8] = [""; 8];
    let mut filled = [false; 8];
    for (cell, field) in cells.iter().zip(mapping) {
        if let Some(f) = field.filter(|f| !filled[f.index()]) {
            filled[f.index()] = true;
            values[f.index()] = cell.trim();
        }
    }
    let value = |f: RosterField| values[f.index()];
    EmployeeForm {
        name: value(RosterField::Name).to_owned(),
        resident_id: normalize_id(value(RosterField::ResidentId)),
        branch_id: branch_id.trim().to_owned(),
        department: value(RosterField::Department).to_owned(),
        phone: normalize_phone(value(RosterField::Phone)),
        email: value(RosterField::Email).to_owned(),
        hire_date: normalize_date(value(RosterField::HireDate)),
        salary: normalize_salary(value(RosterField::Salary)),
        hukou: normalize_hukou(value(RosterField::Hukou)),
    }
}

/// A date as "YYYY-MM-DD" from the ways spreadsheets hold one: "2026-03-01", "2026/3/1",
/// "2026.3.1", "2026年3月1日", "20260301", an Excel serial day number ("46082", "46082.0",
/// or with a time of day as its fraction), any of them followed by a time ("2026-03-01 09:00").
fn normalize_date(raw: &str) -> String {
    if raw.is_empty() || is_iso_shaped(raw) {
        return raw.to_owned();
    }
    parse_date(raw).map_or_else(
        || raw.to_owned(),
        |d| format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
    )
}

fn parse_date(raw: &str) -> Option<NaiveDate> {
    let folded = fold_width(raw);
    // A time of day is only ever after the date, apart from it by a space or a "T".
    let date_part = if folded.contains(':') {
        folded.split([' ', 'T']).next().unwrap_or_default()
    } else {
        &folded
    };
    let text = without_spaces(date_part);
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if all_digits(&text) {
        return match text.len() {
            8 => ymd(&text[0..4], &text[4..6], &text[6..8]),
            1..=7 => excel_serial(text.parse().ok()?),
            _ => None,
        };
    }
    if let Some((days, fraction)) = text.split_once('.') {
        if all_digits(days) && days.len() <= 7 && all_digits(fraction) {
            return excel_serial(days.parse().ok()?);
        }
    }
    let text: &str = &text;
    let text = text.strip_suffix(['日', '号']).unwrap_or(text);
    let mut parts = text.split(['-', '/', '.', '年', '月']);
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), Some(d), None)
            if y.len() == 4 && (1..=2).contains(&m.len()) && (1..=2).contains(&d.len()) =>
        {
            ymd(y, m, d)
        }
        _ => None,
    }
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    let all_digits = [y, m, d]
        .iter()
        .all(|s| s.bytes().all(|b| b.is_ascii_digit()));
    if !all_digits {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Excel's day number (1900 date system): day 1 is 1900-01-01, and day 60 is the
/// 1900-02-29 that never was (kept by Excel for Lotus 1-2-3), so from day 61 on the count
/// starts at 1899-12-30.
fn excel_serial(days: u64) -> Option<NaiveDate> {
    const LAST: u64 = 2_958_465; // 9999-12-31, Excel's last day
    let epoch = match days {
        1..=59 => NaiveDate::from_ymd_opt(1899, 12, 31)?,
        61..=LAST => NaiveDate::from_ymd_opt(1899, 12, 30)?,
        _ => return None,
    };
    epoch.checked_add_days(Days::new(days))
}

/// An amount the form accepts ("8000.00") from "8,000.00", "8000元", "￥8000", "RMB 8000",
/// "8000元/月"; anything else is kept for the form's rules to name.
fn normalize_salary(raw: &str) -> String {
    if raw.is_empty() {
        return String::new();
    }
    let folded = fold_width(raw);
    let compact = without_spaces(&folded);
    let mut text: &str = &compact;
    for suffix in ["/月", "元", "rmb", "RMB", "cny", "CNY"] {
        text = text.strip_suffix(suffix).unwrap_or(text);
    }
    for prefix in ["RMB", "rmb", "CNY", "cny"] {
        text = text.strip_prefix(prefix).unwrap_or(text);
    }
    parse_amount(text).map_or_else(|_| raw.to_owned(), |amount| amount.to_string())
}

/// The form's hukou codes from the words rosters use; blank stays blank (local).
fn normalize_hukou(raw: &str) -> String {
    if raw.is_empty() {
        return String::new();
    }
    let plain = plain_header(raw);
    let base = plain
        .strip_suffix("户籍")
        .or_else(|| plain.strip_suffix("户口"))
        .unwrap_or(&plain);
    let hukou = match base {
        "本地" | "本市" | "城镇" | "local" => Hukou::Local,
        "外地" | "外埠" | "农村" | "非本地" | "非本市" | "外省" | "non_local" | "non-local"
        | "nonlocal" => Hukou::NonLocal,
        _ => return raw.to_owned(),
    };
    hukou.code().to_owned()
}

/// A mobile number as rosters hold it: with the country code, or as an Excel number.
fn normalize_phone(raw: &str) -> String {
    if raw.is_empty() {
        return String::new();
    }
    let folded = fold_width(raw);
    let text = folded.trim();
    let text = text
        .strip_prefix("+86")
        .or_else(|| text.strip_prefix("0086"))
        .unwrap_or(text);
    let text = text.strip_suffix(".0").unwrap_or(text);
    text.trim().to_owned()
}

/// One problem of one row. `row` is the row number a spreadsheet shows (header row = 1,
/// first data row = 2); `field` the form field's code; `column` the file's header of the
/// column the field came from (or the field's label when no column is mapped to it).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct RowError {
    pub row: u32,
    pub field: String,
    pub column: String,
    pub message: String,
}

/// The messages of one row's errors as one cell of text (the rejected rows' 错误 column).
pub fn joined_messages<'a>(errors: impl IntoIterator<Item = &'a RowError>) -> String {
    errors
        .into_iter()
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join("；")
}

/// The header text per field, for `RowError::column`.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnNames([String; 8]);

impl ColumnNames {
    /// The header of the (first) column mapped to each field; a field's label where none is.
    pub fn of(headers: &[String], mapping: &[Option<RosterField>]) -> Self {
        let mut names = Self::of_fields();
        let mut named = [false; 8];
        for (header, field) in headers.iter().zip(mapping) {
            if let Some(f) = field.filter(|f| !named[f.index()]) {
                named[f.index()] = true;
                let header = header.trim();
                if !header.is_empty() {
                    names.0[f.index()] = header.to_owned();
                }
            }
        }
        names
    }

    /// The fields' labels (where the headers are not known: the server).
    pub fn of_fields() -> Self {
        ColumnNames(RosterField::ALL.map(|f| f.label(Lang::Zh).to_owned()))
    }

    /// The column named for a form field's code; the branch, chosen for the whole file, is
    /// named by its label.
    pub fn column<'a>(&'a self, field: &'a str) -> &'a str {
        match RosterField::from_code(field) {
            Some(f) => &self.0[f.index()],
            None if field == "branch_id" => "分公司",
            None => field,
        }
    }
}

/// Checks rows one at a time in file order, remembering the resident IDs seen, so a later
/// row with an ID already seen is reported against the first. The browser runs it over the
/// whole file; the server per chunk, seeded with the earlier chunks' IDs (`seen_at`) and the
/// registry's (`mark_registered`).
#[derive(Debug, Clone)]
pub struct RosterCheck {
    today: NaiveDate,
    seen: HashMap<String, u32>,
    registered: HashSet<String>,
}

impl RosterCheck {
    pub fn new(today: NaiveDate) -> Self {
        RosterCheck {
            today,
            seen: HashMap::new(),
            registered: HashSet::new(),
        }
    }

    /// An ID of an earlier row (of an earlier chunk, on the server). The first row wins.
    pub fn seen_at(&mut self, resident_id: &str, row: u32) {
        self.seen.entry(normalize_id(resident_id)).or_insert(row);
    }

    /// An ID already in the employee registry.
    pub fn mark_registered(&mut self, resident_id: &str) {
        self.registered.insert(normalize_id(resident_id));
    }

    /// All the row's errors in field order: every field's, as `EmployeeForm::validate_as_of`
    /// gives them, and for a valid ID, its being registered or a repeat of an earlier row's.
    /// A row's ID counts as seen whatever else is wrong with the row.
    pub fn check(&mut self, row: u32, form: &EmployeeForm, columns: &ColumnNames) -> Vec<RowError> {
        let mut errors: Vec<(String, String)> = match form.validate_as_of(self.today) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| (e.field, e.message)).collect(),
        };
        let id_valid = !errors.iter().any(|(field, _)| field == "resident_id");
        if id_valid {
            let id = normalize_id(&form.resident_id);
            let first = *self.seen.entry(id.clone()).or_insert(row);
            let problem = if self.registered.contains(&id) {
                Some("该身份证号已在员工名册中".to_owned())
            } else if first != row {
                Some(format!("与第 {first} 行的身份证号重复"))
            } else {
                None
            };
            if let Some(message) = problem {
                errors.push(("resident_id".to_owned(), message));
                let order = |field: &str| {
                    FIELDS
                        .iter()
                        .position(|f| *f == field)
                        .unwrap_or(FIELDS.len())
                };
                errors.sort_by_key(|(field, _)| order(field));
            }
        }
        errors
            .into_iter()
            .map(|(field, message)| RowError {
                row,
                column: columns.column(&field).to_owned(),
                field,
                message,
            })
            .collect()
    }
}

/// `POST /api/imports`: a file about to be sent in chunks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportStart {
    pub file_name: String,
    pub branch_id: String,
    pub rows_total: u32,
}

/// One row of a chunk: its spreadsheet row number and its form (`row_form`'s).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportRowIn {
    pub row: u32,
    pub form: EmployeeForm,
}

/// `POST /api/imports/{id}/rows`: chunk `seq` (0, 1, …) of at most `CHUNK_ROWS` rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportChunk {
    pub seq: u32,
    pub rows: Vec<ImportRowIn>,
}

/// `POST /api/imports/{id}/commit`: import the rows received, or only the valid ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportCommit {
    pub only_valid: bool,
    pub version: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportState {
    Uploading,
    Imported,
}

impl ImportState {
    pub fn code(self) -> &'static str {
        match self {
            ImportState::Uploading => "uploading",
            ImportState::Imported => "imported",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [ImportState::Uploading, ImportState::Imported]
            .into_iter()
            .find(|s| s.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ImportState::Uploading => lang.pick("上传中", "Uploading"),
            ImportState::Imported => lang.pick("已导入", "Imported"),
        }
    }
}

/// Most rows one import may declare.
pub const MAX_IMPORT_ROWS: u32 = 100_000;
const MAX_FILE_NAME_CHARS: usize = 200;

impl ImportStart {
    /// The file's name (1–200 characters) and its row count (1–100,000); the branch is the
    /// server's to check.
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if !(1..=MAX_FILE_NAME_CHARS).contains(&self.file_name.trim().chars().count()) {
            errors.push(FieldError::new(
                "file_name",
                "import.file_name",
                format!("文件名应为1–{MAX_FILE_NAME_CHARS}个字符"),
                format!("A file name has 1–{MAX_FILE_NAME_CHARS} characters"),
            ));
        }
        if !(1..=MAX_IMPORT_ROWS).contains(&self.rows_total) {
            errors.push(FieldError::new(
                "rows_total",
                "import.rows_total",
                format!("一次最多导入 {MAX_IMPORT_ROWS} 行，且至少 1 行"),
                format!("An import has 1 to {MAX_IMPORT_ROWS} rows"),
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

impl ImportChunk {
    /// A chunk's shape: 1 to `CHUNK_ROWS` rows, numbered from 2 up in file order after
    /// `last_row` (the last row received, 0 for none), no more than `rows_left`.
    pub fn check(&self, last_row: u32, rows_left: u32) -> Result<(), FieldError> {
        let fail = |code: &str, zh: String, en: String| Err(FieldError::new("rows", code, zh, en));
        if self.rows.is_empty() || self.rows.len() > CHUNK_ROWS {
            return fail(
                "import.chunk_size",
                format!("每批应有 1–{CHUNK_ROWS} 行"),
                format!("A chunk has 1–{CHUNK_ROWS} rows"),
            );
        }
        if self.rows.len() > rows_left as usize {
            return fail(
                "import.too_many_rows",
                format!("行数超过了导入开始时声明的总数（还剩 {rows_left} 行）"),
                format!("More rows than the import declared ({rows_left} left)"),
            );
        }
        let mut previous = last_row.max(1);
        for r in &self.rows {
            if r.row <= previous {
                return fail(
                    "import.row_order",
                    format!("第 {} 行的行号不对：行号须从 2 起按文件顺序递增", r.row),
                    format!(
                        "Row {}: row numbers start at 2 and go up in file order",
                        r.row
                    ),
                );
            }
            previous = r.row;
        }
        Ok(())
    }
}

/// Why an import cannot be committed as asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommitRefusal {
    /// Not every row has arrived (409).
    Incomplete { received: u32, total: u32 },
    /// Rows were rejected and the commit did not ask for the valid ones only (422).
    HasErrors { rejected: u32 },
    /// Every row was rejected (422).
    NothingValid,
    /// Imported already (409).
    Done,
}

impl CommitRefusal {
    pub fn code(self) -> &'static str {
        match self {
            CommitRefusal::Incomplete { .. } => "import.incomplete",
            CommitRefusal::HasErrors { .. } => "import.has_errors",
            CommitRefusal::NothingValid => "import.nothing_valid",
            CommitRefusal::Done => "import.done",
        }
    }

    pub fn message(self, lang: Lang) -> String {
        match self {
            CommitRefusal::Incomplete { received, total } => lang
                .pick(format!("文件尚未上传完：已收到 {received} / {total} 行"), format!("The file is not fully sent: {received} of {total} rows received")),
            CommitRefusal::HasErrors { rejected } => lang.pick(
                format!("有 {rejected} 行错误，请修正后重新导入，或选择仅导入有效行"),
                format!("{rejected} rows have errors: correct them and import again, or import the valid rows only"),
            ),
            CommitRefusal::NothingValid => lang.pick("没有可导入的有效行".into(), "No row is valid".into()),
            CommitRefusal::Done => lang.pick("该文件已导入".into(), "This file was imported already".into()),
        }
    }
}

/// `GET /api/imports`: the user's unfinished imports, newest first (to resume one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportList {
    pub imports: Vec<ImportStatus>,
}

/// An import as the server holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportStatus {
    pub id: String,
    pub branch_id: String,
    pub branch_name: String,
    pub file_name: String,
    pub rows_total: u32,
    pub rows_received: u32,
    pub next_seq: u32,
    pub rejected: u32,
    pub imported: u32,
    pub state: ImportState,
    pub version: i64,
    pub created_at: String,
    /// The rejected rows' errors found so far, in row order (at most 500 listed; `rejected`
    /// counts the rows).
    #[serde(default)]
    pub errors: Vec<RowError>,
}

impl ImportStatus {
    /// The rows that would become employees: the received ones that passed.
    pub fn valid_rows(&self) -> u32 {
        self.rows_received.saturating_sub(self.rejected)
    }

    /// Why a commit (of every row, or `only_valid`) is refused, if it is.
    pub fn commit_refusal(&self, only_valid: bool) -> Option<CommitRefusal> {
        if self.state == ImportState::Imported {
            Some(CommitRefusal::Done)
        } else if self.rows_received < self.rows_total {
            Some(CommitRefusal::Incomplete {
                received: self.rows_received,
                total: self.rows_total,
            })
        } else if self.rejected > 0 && !only_valid {
            Some(CommitRefusal::HasErrors {
                rejected: self.rejected,
            })
        } else if self.valid_rows() == 0 {
            Some(CommitRefusal::NothingValid)
        } else {
            None
        }
    }

    /// The rejected rows' file: "导入被拒绝的行-{the file's name without extension}.xlsx".
    pub fn rejected_file_name(&self) -> String {
        let name = self.file_name.trim();
        let stem = match name.rsplit_once('.') {
            Some((stem, _)) if !stem.is_empty() => stem,
            _ => name,
        };
        format!("导入被拒绝的行-{stem}.xlsx")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{test_date, ResidentId};
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        test_date(2026, 2, 15)
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    /// A valid ID of someone born on `birth` (YYYYMMDD), number `seq` of that day.
    fn id(birth: &str, seq: u32) -> String {
        let first17 = format!("110105{birth}{seq:03}");
        let check = ResidentId::check_char(&first17).unwrap();
        format!("{first17}{check}")
    }

    fn headers() -> Vec<String> {
        strings(&[
            "序号",
            "姓名",
            "身份证号",
            "入职日期",
            "月工资",
            "部门",
            "手机号",
        ])
    }

    fn cells(name: &str, resident_id: &str, hire: &str, salary: &str) -> Vec<String> {
        strings(&[
            "1",
            name,
            resident_id,
            hire,
            salary,
            "研发部",
            "13800138000",
        ])
    }

    fn form_of(cells: &[String]) -> EmployeeForm {
        row_form(cells, &guess_mapping(&headers()), "bj")
    }

    #[test]
    fn field_codes_are_the_forms_and_round_trip() {
        for f in RosterField::ALL {
            assert!(FIELDS.contains(&f.code()), "{}", f.code());
            assert_eq!(RosterField::from_code(f.code()), Some(f));
            assert_eq!(
                serde_json::to_string(&f).unwrap(),
                format!("\"{}\"", f.code())
            );
            assert!(!f.label(Lang::En).is_empty());
        }
        assert_eq!(RosterField::from_code("branch_id"), None);
        let required: Vec<_> = RosterField::ALL
            .into_iter()
            .filter(|f| f.required())
            .map(|f| f.code())
            .collect();
        assert_eq!(required, ["name", "resident_id", "hire_date", "salary"]);
        let labels: Vec<_> = RosterField::ALL
            .into_iter()
            .map(|f| f.label(Lang::Zh))
            .collect();
        assert_eq!(
            labels,
            [
                "姓名",
                "身份证号",
                "入职日期",
                "月工资",
                "部门",
                "手机号",
                "邮箱",
                "户籍"
            ]
        );
    }

    #[test]
    fn guesses_fields_from_chinese_headers() {
        use RosterField::*;
        let cases = [
            ("姓名", Name),
            ("员工姓名", Name),
            ("身份证号码", ResidentId),
            ("证件号码", ResidentId),
            ("*身份证号", ResidentId),
            ("入职时间", HireDate),
            ("入职日期（YYYY-MM-DD）", HireDate),
            ("基本工资", Salary),
            ("税前工资(元)", Salary),
            ("月 薪", Salary),
            ("所属部门", Department),
            ("联系电话", Phone),
            ("手机号码", Phone),
            ("电子邮箱", Email),
            ("Email", Email),
            ("ＥＭＡＩＬ", Email),
            ("E-mail", Email),
            ("户口性质", Hukou),
            ("户籍类型＊", Hukou),
            ("　姓名　", Name),
        ];
        for (header, field) in cases {
            assert_eq!(guess_field(header), Some(field), "{header}");
        }
        for header in ["", "序号", "备注", "工号", "*", "（备注）"] {
            assert_eq!(guess_field(header), None, "{header}");
        }
    }

    #[test]
    fn a_mapping_never_takes_a_field_twice() {
        let mapping = guess_mapping(&strings(&[
            "姓名",
            "员工姓名",
            "备注",
            "工资",
            "基本工资",
            "身份证号",
        ]));
        use RosterField::*;
        assert_eq!(
            mapping,
            [Some(Name), None, None, Some(Salary), None, Some(ResidentId)]
        );
    }

    #[test]
    fn a_mapping_without_required_fields_names_each() {
        use RosterField::*;
        assert_eq!(
            check_mapping(&[Some(Name), Some(ResidentId), Some(HireDate), Some(Salary)]),
            Ok(())
        );
        let errors = check_mapping(&[Some(Name), None, Some(Phone)]).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["resident_id", "hire_date", "salary"]);
        assert_eq!(errors[0].message, "请为“身份证号”选择对应的列");
        assert!(errors.iter().all(|e| e.code == "mapping.required"));

        let twice = check_mapping(&[
            Some(Name),
            Some(ResidentId),
            Some(HireDate),
            Some(Salary),
            Some(Name),
        ])
        .unwrap_err();
        assert_eq!(twice.len(), 1);
        assert_eq!(
            (twice[0].field.as_str(), twice[0].code.as_str()),
            ("name", "mapping.duplicate")
        );
    }

    #[test]
    fn normalizes_dates_as_spreadsheets_hold_them() {
        for raw in [
            "2026-03-01",
            "2026-3-1",
            "2026/3/1",
            "2026/03/01",
            "2026.3.1",
            "2026年3月1日",
            "2026年03月01号",
            "2026 年 3 月 1 日",
            "20260301",
            "46082",
            "46082.0",
            "46082.375",
            "2026-03-01 00:00:00",
            "2026-03-01T09:30:00",
            "２０２６－０３－０１",
            " 2026-03-01 ",
        ] {
            assert_eq!(normalize_date(raw.trim()), "2026-03-01", "{raw}");
        }
        // Excel's first days, around its phantom 1900-02-29.
        assert_eq!(normalize_date("1"), "1900-01-01");
        assert_eq!(normalize_date("59"), "1900-02-28");
        assert_eq!(normalize_date("61"), "1900-03-01");
        for raw in [
            "60",
            "0",
            "2026-02-30",
            "2026-13-01",
            "26-3-1",
            "三月一日",
            "abc",
            "2026-03",
            "123456789",
            "46082.x",
        ] {
            assert_eq!(normalize_date(raw), raw, "{raw}");
        }
    }

    #[test]
    fn normalizes_salaries_hukou_ids_and_phones() {
        for (raw, want) in [
            ("8,000.00", "8000.00"),
            ("8000元", "8000.00"),
            ("￥8000", "8000.00"),
            ("¥ 8,000.5", "8000.50"),
            ("８０００", "8000.00"),
            ("RMB 8000", "8000.00"),
            ("8000元/月", "8000.00"),
            ("8000", "8000.00"),
            ("abc", "abc"),
            ("8000.123", "8000.123"),
            ("", ""),
        ] {
            assert_eq!(normalize_salary(raw), want, "{raw}");
        }
        for (raw, want) in [
            ("本地", "local"),
            ("本市户籍", "local"),
            ("城镇户口", "local"),
            ("外地", "non_local"),
            ("外埠", "non_local"),
            ("农村户口", "non_local"),
            ("非本地户籍", "non_local"),
            ("non_local", "non_local"),
            ("", ""),
            ("火星", "火星"),
        ] {
            assert_eq!(normalize_hukou(raw), want, "{raw}");
        }
        assert_eq!(normalize_phone("+86 13800138000"), "13800138000");
        assert_eq!(normalize_phone("13800138000.0"), "13800138000");

        let form = row_form(
            &strings(&[
                " 张三 ",
                " 11010519491231002x ",
                "2026/3/1",
                "8,000元",
                "本地",
                " 研发部 ",
                "x@example.com",
            ]),
            &[
                Some(RosterField::Name),
                Some(RosterField::ResidentId),
                Some(RosterField::HireDate),
                Some(RosterField::Salary),
                Some(RosterField::Hukou),
                Some(RosterField::Department),
                Some(RosterField::Email),
            ],
            "bj",
        );
        assert_eq!(
            form,
            EmployeeForm {
                name: "张三".into(),
                resident_id: "11010519491231002X".into(),
                branch_id: "bj".into(),
                department: "研发部".into(),
                phone: "".into(),
                email: "x@example.com".into(),
                hire_date: "2026-03-01".into(),
                salary: "8000.00".into(),
                hukou: "local".into(),
            }
        );
        assert_eq!(form.validate_as_of(today()).map(|_| ()), Ok(()));
    }

    #[test]
    fn short_rows_and_unmapped_columns_read_as_blank() {
        let mapping = [None, Some(RosterField::Name), Some(RosterField::Phone)];
        let form = row_form(&strings(&["7", "李四"]), &mapping, "sh");
        assert_eq!(
            (
                form.name.as_str(),
                form.phone.as_str(),
                form.branch_id.as_str()
            ),
            ("李四", "", "sh")
        );
        // A field mapped twice is filled from its first column, as `guess_mapping` would pick.
        let twice = [Some(RosterField::Name), Some(RosterField::Name)];
        assert_eq!(
            row_form(&strings(&["王五", "赵六"]), &twice, "sh").name,
            "王五"
        );
    }

    #[test]
    fn three_bad_rows_are_exactly_the_three_reported() {
        let good = id("19900101", 1);
        let mut bad_checksum = id("19900101", 2);
        let last = if bad_checksum.ends_with('0') {
            "1"
        } else {
            "0"
        };
        bad_checksum.replace_range(17.., last);
        let rows = [
            cells("张三", &good, "2026-03-01", "8000"),
            cells("李四", &bad_checksum, "2026-03-01", "8000"),
            cells("", &id("19900101", 3), "2026-03-01", "8000"),
            cells("赵六", &id("19900101", 4), "2026-03-01", "abc"),
            cells("孙七", &id("19900101", 5), "46082", "9,000元"),
        ];
        let columns = ColumnNames::of(&headers(), &guess_mapping(&headers()));
        let mut check = RosterCheck::new(today());
        let errors: Vec<RowError> = rows
            .iter()
            .enumerate()
            .flat_map(|(i, cells)| check.check(i as u32 + 2, &form_of(cells), &columns))
            .collect();
        let found: Vec<_> = errors
            .iter()
            .map(|e| (e.row, e.field.as_str(), e.column.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (3, "resident_id", "身份证号"),
                (4, "name", "姓名"),
                (5, "salary", "月工资")
            ]
        );
        assert!(errors[0].message.contains("校验"), "{}", errors[0].message);
        assert_eq!(errors[1].message, "请输入姓名");
        assert_eq!(errors[2].message, "工资格式不正确");
        assert_eq!(joined_messages(&errors[1..]), "请输入姓名；工资格式不正确");
    }

    #[test]
    fn a_repeated_id_names_the_first_row_and_registered_ids_are_refused() {
        let columns = ColumnNames::of_fields();
        let mut check = RosterCheck::new(today());
        let a = id("19900101", 1);
        let form = |resident_id: &str| form_of(&cells("张三", resident_id, "2026-03-01", "8000"));
        assert_eq!(check.check(2, &form(&a), &columns), []);
        // Spaces typed into the number do not make it another one.
        let spaced = format!("{} {}", &a[..6], &a[6..]);
        let repeat = check.check(9, &form(&spaced), &columns);
        assert_eq!(
            repeat,
            [RowError {
                row: 9,
                field: "resident_id".into(),
                column: "身份证号".into(),
                message: "与第 2 行的身份证号重复".into()
            }]
        );
        // Checking the same row again (a resent chunk) is not a repeat of itself.
        assert_eq!(check.check(2, &form(&a), &columns), []);

        // The server's seeds: an earlier chunk's row, and the registry.
        let mut server = RosterCheck::new(today());
        let b = id("19851231", 7);
        let c = id("19851231", 8);
        server.seen_at(&b.to_lowercase(), 501);
        server.mark_registered(&c);
        assert_eq!(
            server.check(600, &form(&b), &columns)[0].message,
            "与第 501 行的身份证号重复"
        );
        assert_eq!(
            server.check(601, &form(&c), &columns)[0].message,
            "该身份证号已在员工名册中"
        );

        // An invalid ID is not compared, but the row's other errors are still listed in
        // field order, the duplicate among them.
        let mut errs = check.check(10, &form_of(&cells("", &a, "2026-03-01", "x")), &columns);
        let fields: Vec<_> = errs.drain(..).map(|e| e.field).collect();
        assert_eq!(fields, ["name", "resident_id", "salary"]);
        assert_eq!(check.check(11, &form("123"), &columns).len(), 1);
    }

    #[test]
    fn columns_are_named_by_the_files_headers() {
        let headers = strings(&["员工姓名", "证件号码", "备注"]);
        let mapping = guess_mapping(&headers);
        let names = ColumnNames::of(&headers, &mapping);
        assert_eq!(names.column("name"), "员工姓名");
        assert_eq!(names.column("resident_id"), "证件号码");
        assert_eq!(names.column("salary"), "月工资");
        assert_eq!(names.column("branch_id"), "分公司");
    }

    #[test]
    fn api_bodies_have_plain_json() {
        let status = ImportStatus {
            id: "imp_1".into(),
            branch_id: "bj".into(),
            branch_name: "北京分公司".into(),
            file_name: "入职.xlsx".into(),
            rows_total: 3,
            rows_received: 0,
            next_seq: 0,
            rejected: 0,
            imported: 0,
            state: ImportState::Uploading,
            version: 1,
            created_at: "2026-02-15T00:00:00Z".into(),
            errors: vec![],
        };
        let json = serde_json::to_value(&status).unwrap();
        assert_eq!(json["state"], "uploading");
        assert_eq!(
            serde_json::from_value::<ImportStatus>(json).unwrap(),
            status
        );
        let chunk: ImportChunk =
            serde_json::from_str(r#"{"seq":0,"rows":[{"row":2,"form":{"name":"张三"}}]}"#).unwrap();
        assert_eq!(chunk.rows[0].form.name, "张三");
        assert_eq!(
            ImportState::from_code("imported"),
            Some(ImportState::Imported)
        );
        assert_eq!(ImportState::Imported.label(Lang::Zh), "已导入");
    }

    fn status(rows_total: u32, rows_received: u32, rejected: u32) -> ImportStatus {
        ImportStatus {
            id: "imp".into(),
            branch_id: "bj".into(),
            branch_name: "北京分公司".into(),
            file_name: "三月入职.名单.xlsx".into(),
            rows_total,
            rows_received,
            next_seq: 1,
            rejected,
            imported: 0,
            state: ImportState::Uploading,
            version: 2,
            created_at: String::new(),
            errors: vec![],
        }
    }

    #[test]
    fn a_commit_needs_every_row_and_no_errors_unless_only_the_valid_ones() {
        assert_eq!(status(10, 10, 0).commit_refusal(false), None);
        let partial = status(10, 4, 0).commit_refusal(true).unwrap();
        assert_eq!(
            partial.message(Lang::Zh),
            "文件尚未上传完：已收到 4 / 10 行"
        );
        let errors = status(10, 10, 3).commit_refusal(false).unwrap();
        assert_eq!(
            errors.message(Lang::Zh),
            "有 3 行错误，请修正后重新导入，或选择仅导入有效行"
        );
        assert_eq!(status(10, 10, 3).commit_refusal(true), None);
        assert_eq!(status(10, 10, 3).valid_rows(), 7);
        assert_eq!(
            status(2, 2, 2).commit_refusal(true),
            Some(CommitRefusal::NothingValid)
        );
        let done = ImportStatus {
            state: ImportState::Imported,
            ..status(2, 2, 0)
        };
        assert_eq!(done.commit_refusal(true), Some(CommitRefusal::Done));
        assert_eq!(
            status(1, 1, 0).rejected_file_name(),
            "导入被拒绝的行-三月入职.名单.xlsx"
        );
        let bare = ImportStatus {
            file_name: "名单".into(),
            ..status(1, 1, 0)
        };
        assert_eq!(bare.rejected_file_name(), "导入被拒绝的行-名单.xlsx");
    }

    #[test]
    fn starts_and_chunks_are_checked() {
        let start = |file_name: &str, rows_total| ImportStart {
            file_name: file_name.into(),
            branch_id: "bj".into(),
            rows_total,
        };
        assert_eq!(start("a.xlsx", 1).check(), Ok(()));
        assert_eq!(start("a.csv", MAX_IMPORT_ROWS).check(), Ok(()));
        let fields = |r: Result<(), Vec<FieldError>>| {
            r.unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect::<Vec<_>>()
        };
        assert_eq!(fields(start("  ", 0).check()), ["file_name", "rows_total"]);
        assert_eq!(
            fields(start(&"名".repeat(201), MAX_IMPORT_ROWS + 1).check()),
            ["file_name", "rows_total"]
        );

        let chunk = |rows: &[u32]| ImportChunk {
            seq: 0,
            rows: rows
                .iter()
                .map(|&row| ImportRowIn {
                    row,
                    form: EmployeeForm::default(),
                })
                .collect(),
        };
        assert_eq!(chunk(&[2, 3, 5]).check(0, 10), Ok(()));
        assert_eq!(chunk(&[502]).check(501, 1), Ok(()));
        let code = |r: Result<(), FieldError>| r.unwrap_err().code;
        assert_eq!(code(chunk(&[]).check(0, 10)), "import.chunk_size");
        let big: Vec<u32> = (2..(CHUNK_ROWS as u32 + 3)).collect();
        assert_eq!(code(chunk(&big).check(0, 100_000)), "import.chunk_size");
        assert_eq!(code(chunk(&[2, 3]).check(0, 1)), "import.too_many_rows");
        assert_eq!(code(chunk(&[1]).check(0, 10)), "import.row_order");
        assert_eq!(code(chunk(&[3, 3]).check(0, 10)), "import.row_order");
        assert_eq!(code(chunk(&[501]).check(501, 10)), "import.row_order");
    }

    fn date_strategy() -> impl Strategy<Value = NaiveDate> {
        (0i64..60_000).prop_map(|d| test_date(1901, 1, 1) + chrono::Duration::days(d))
    }

    proptest! {
        #[test]
        fn every_date_shape_reads_as_the_same_day(date in date_strategy(), shape in 0usize..6) {
            let (y, m, d) = (date.year(), date.month(), date.day());
            let serial = (date - test_date(1899, 12, 30)).num_days();
            let raw = match shape {
                0 => format!("{y}/{m}/{d}"),
                1 => format!("{y}.{m}.{d}"),
                2 => format!("{y}年{m}月{d}日"),
                3 => format!("{y:04}{m:02}{d:02}"),
                4 => format!("{serial}"),
                _ => format!("{serial}.0"),
            };
            prop_assert_eq!(normalize_date(&raw), format!("{y:04}-{m:02}-{d:02}"));
        }

        #[test]
        fn every_salary_shape_reads_as_the_amount(fen in 1i64..100_000_000, shape in 0usize..4) {
            let amount = crate::money::from_fen(fen);
            let grouped = crate::money::format_yuan(amount);
            let plain = amount.to_string();
            let raw = match shape {
                0 => grouped.clone(),
                1 => grouped.replace('¥', "￥"),
                2 => format!("{}元", grouped.trim_start_matches('¥')),
                _ => plain.clone(),
            };
            prop_assert_eq!(normalize_salary(&raw), plain);
        }

        #[test]
        fn guessed_mappings_never_repeat_a_field(headers in proptest::collection::vec(
            proptest::sample::select(vec!["姓名", "员工姓名", "工资", "月薪", "备注", "身份证号", "手机", "", "户口"]), 0..12)
        ) {
            let headers: Vec<String> = headers.into_iter().map(str::to_owned).collect();
            let mapping = guess_mapping(&headers);
            prop_assert_eq!(mapping.len(), headers.len());
            for f in RosterField::ALL {
                prop_assert!(mapping.iter().filter(|m| **m == Some(f)).count() <= 1);
            }
        }

        #[test]
        fn repeats_are_counted_once_per_later_row(seqs in proptest::collection::vec(0u32..6, 1..30)) {
            let columns = ColumnNames::of_fields();
            let mut check = RosterCheck::new(today());
            let repeats = seqs.iter().enumerate().filter(|(i, seq)| {
                let form = form_of(&cells("张三", &id("19900101", **seq), "2026-03-01", "8000"));
                !check.check(*i as u32 + 2, &form, &columns).is_empty()
            }).count();
            let distinct: HashSet<_> = seqs.iter().collect();
            prop_assert_eq!(repeats, seqs.len() - distinct.len());
        }

        #[test]
        fn any_cells_make_a_form_without_panicking(cells in proptest::collection::vec(".{0,12}", 0..10)) {
            let mapping: Vec<_> = RosterField::ALL.into_iter().map(Some).collect();
            let form = row_form(&cells, &mapping, "bj");
            let mut check = RosterCheck::new(today());
            let errors = check.check(2, &form, &ColumnNames::of_fields());
            prop_assert!(errors.iter().all(|e| e.row == 2 && !e.message.is_empty()));
        }
    }
}
