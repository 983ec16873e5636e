//! The roster imports' SQL. Each chunk and the commit is an UPDATE of the import guarded by
//! its sequence or version and state, stamping a fresh `change_token`; the statements after
//! it in the batch (the chunk's rows, the new employees) write only when the import carries
//! that token, so a lost race or a replay writes nothing.

use crate::args;
use crate::db::{all, first, stmt, Query};
use crate::error::AppResult;
use crate::App;
use serde::Deserialize;
use worker::D1PreparedStatement;

#[derive(Debug, Clone, Deserialize)]
pub struct ImportRow {
    pub id: String,
    pub branch_id: String,
    pub branch_name: String,
    pub file_name: String,
    pub rows_total: i64,
    pub rows_received: i64,
    pub next_seq: i64,
    pub rejected: i64,
    pub imported: i64,
    pub state: String,
    pub created_by: String,
    pub created_at: String,
    pub version: i64,
}

const SELECT: &str =
    "SELECT i.id, i.branch_id, b.name AS branch_name, i.file_name, i.rows_total, i.rows_received, \
     i.next_seq, i.rejected, i.imported, i.state, i.created_by, i.created_at, i.version \
     FROM imports i JOIN branches b ON b.id = i.branch_id";

pub fn import_query(app: &App, id: &str) -> AppResult<Query<ImportRow>> {
    Query::new(&app.db, &format!("{SELECT} WHERE i.id = ?"), args![id])
}

pub async fn import(app: &App, id: &str) -> AppResult<Option<ImportRow>> {
    import_query(app, id)?.first(&app.db).await
}

/// The user's imports still being sent, newest first.
pub async fn unfinished(app: &App, user_id: &str, limit: i64) -> AppResult<Vec<ImportRow>> {
    all(
        &app.db,
        &format!("{SELECT} WHERE i.created_by = ? AND i.state = 'uploading' ORDER BY i.created_at DESC, i.id DESC LIMIT ?"),
        args![user_id, limit],
    )
    .await
}

pub fn insert(
    app: &App,
    id: &str,
    branch_id: &str,
    file_name: &str,
    rows_total: i64,
    user_id: &str,
) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "INSERT INTO imports (id, branch_id, file_name, rows_total, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        args![id, branch_id, file_name, rows_total, user_id, app.now_iso.as_str(), app.now_iso.as_str()],
    )
}

#[derive(Deserialize)]
struct LastRow {
    last: Option<i64>,
}

/// The highest row number received (0 before the first chunk).
pub async fn last_row(app: &App, import_id: &str) -> AppResult<i64> {
    let row: Option<LastRow> = first(
        &app.db,
        "SELECT MAX(row_no) AS last FROM import_rows WHERE import_id = ?",
        args![import_id],
    )
    .await?;
    Ok(row.and_then(|r| r.last).unwrap_or(0))
}

#[derive(Deserialize)]
pub struct SeenId {
    pub resident_id: String,
    pub row_no: i64,
}

/// Of `ids` (a JSON list), those in earlier rows of the import, each with its first row.
pub async fn seen_ids(app: &App, import_id: &str, ids: &str) -> AppResult<Vec<SeenId>> {
    all(
        &app.db,
        "SELECT resident_id, MIN(row_no) AS row_no FROM import_rows \
         WHERE import_id = ? AND resident_id IN (SELECT value FROM json_each(?)) GROUP BY resident_id",
        args![import_id, ids],
    )
    .await
}

#[derive(Deserialize)]
pub struct RegisteredId {
    pub resident_id: String,
}

/// Of `ids` (a JSON list), those of an employee already.
pub async fn registered_ids(app: &App, ids: &str) -> AppResult<Vec<RegisteredId>> {
    all(
        &app.db,
        "SELECT resident_id FROM employees WHERE resident_id IN (SELECT value FROM json_each(?))",
        args![ids],
    )
    .await
}

/// Takes chunk `seq` if it is the one expected, counting its rows.
pub fn take_chunk(
    app: &App,
    id: &str,
    seq: i64,
    rows: i64,
    rejected: i64,
    token: &str,
) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "UPDATE imports SET next_seq = next_seq + 1, rows_received = rows_received + ?, rejected = rejected + ?, \
         change_token = ?, updated_at = ?, version = version + 1 WHERE id = ? AND next_seq = ? AND state = 'uploading'",
        args![rows, rejected, token, app.now_iso.as_str(), id, seq],
    )
}

const IF_TOKEN: &str = "EXISTS (SELECT 1 FROM imports WHERE id = ? AND change_token = ?)";

/// Rows of a chunk, `rows` a JSON list of objects with the columns' names, written only
/// after `take_chunk` with the same token.
pub fn insert_rows(
    app: &App,
    import_id: &str,
    rows: &str,
    token: &str,
) -> AppResult<D1PreparedStatement> {
    let columns = [
        "row_no",
        "resident_id",
        "employee_id",
        "name",
        "department",
        "phone",
        "email",
        "hire_date",
        "salary_fen",
        "hukou",
        "form",
        "errors",
    ];
    let values: Vec<String> = columns
        .iter()
        .map(|c| format!("json_extract(j.value, '$.{c}')"))
        .collect();
    stmt(
        &app.db,
        &format!(
            "INSERT INTO import_rows (import_id, {}) SELECT ?, {} FROM json_each(?) j WHERE {IF_TOKEN}",
            columns.join(", "),
            values.join(", ")
        ),
        args![import_id, rows, import_id, token],
    )
}

#[derive(Deserialize)]
pub struct RowErrors {
    /// JSON: `Vec<RowError>`.
    pub errors: String,
}

/// The rejected rows' errors between two row numbers, in row order, at most `limit` rows.
pub fn errors(
    app: &App,
    import_id: &str,
    from_row: i64,
    to_row: i64,
    limit: i64,
) -> AppResult<Query<RowErrors>> {
    Query::new(
        &app.db,
        "SELECT errors FROM import_rows WHERE import_id = ? AND row_no BETWEEN ? AND ? AND errors IS NOT NULL \
         ORDER BY row_no LIMIT ?",
        args![import_id, from_row, to_row, limit],
    )
}

#[derive(Deserialize)]
pub struct RejectedRow {
    pub row_no: i64,
    /// JSON: the `EmployeeForm` as sent.
    pub form: String,
    /// JSON: `Vec<RowError>`.
    pub errors: String,
}

/// Every rejected row, in row order.
pub fn rejected(app: &App, import_id: &str) -> AppResult<Query<RejectedRow>> {
    Query::new(
        &app.db,
        "SELECT row_no, form, errors FROM import_rows WHERE import_id = ? AND errors IS NOT NULL ORDER BY row_no",
        args![import_id],
    )
}

/// Marks a fully received import imported, guarded by the version the user saw.
pub fn mark_imported(
    app: &App,
    id: &str,
    version: i64,
    imported: i64,
    token: &str,
) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "UPDATE imports SET state = 'imported', imported = ?, change_token = ?, updated_at = ?, version = version + 1 \
         WHERE id = ? AND version = ? AND state = 'uploading' AND rows_received = rows_total",
        args![imported, token, app.now_iso.as_str(), id, version],
    )
}

/// The valid rows as employees of the import's branch, written only after `mark_imported`
/// with the same token. An ID registered meanwhile fails the batch (UNIQUE).
pub fn insert_employees(app: &App, import_id: &str, token: &str) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        &format!(
            "INSERT INTO employees (id, branch_id, name, resident_id, department, phone, email, hire_date, salary_fen, hukou, \
             created_at, updated_at) \
             SELECT r.employee_id, i.branch_id, r.name, r.resident_id, r.department, r.phone, r.email, r.hire_date, \
             r.salary_fen, r.hukou, ?, ? FROM import_rows r JOIN imports i ON i.id = r.import_id \
             WHERE r.import_id = ? AND r.errors IS NULL AND {IF_TOKEN} ORDER BY r.row_no"
        ),
        args![app.now_iso.as_str(), app.now_iso.as_str(), import_id, import_id, token],
    )
}
