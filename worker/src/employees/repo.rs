use crate::args;
use crate::auth::User;
use crate::db::{all, first, stmt, Arg, ListOrder, Query};
use crate::error::{AppError, AppResult};
use crate::App;
use serde::Deserialize;
use shebao_domain::cursor::PageFrom;
use shebao_domain::role::{may_see_employee, EmployeeSearch};
use worker::D1PreparedStatement;

#[derive(Debug, Clone, Deserialize)]
pub struct EmployeeRow {
    pub id: String,
    pub branch_id: String,
    pub branch_name: String,
    pub city: String,
    pub name: String,
    pub resident_id: String,
    pub department: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub hire_date: String,
    pub salary_fen: i64,
    pub hukou: String,
    pub status: String,
    /// The approved bank card, full: shown only masked.
    #[serde(default)]
    pub bank_card: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BranchRow {
    pub id: String,
    pub name: String,
    pub city: String,
}

const SELECT_EMPLOYEE: &str = "SELECT e.id, e.branch_id, b.name AS branch_name, b.city, e.name, \
     e.resident_id, e.department, e.phone, e.email, e.hire_date, e.salary_fen, e.hukou, e.status, e.bank_card, \
     e.version, e.created_at, e.updated_at FROM employees e JOIN branches b ON b.id = e.branch_id";

pub fn employee_query(app: &App, id: &str) -> AppResult<Query<EmployeeRow>> {
    Query::new(&app.db, &format!("{SELECT_EMPLOYEE} WHERE e.id = ?"), args![id])
}

pub async fn employee(app: &App, id: &str) -> AppResult<Option<EmployeeRow>> {
    employee_query(app, id)?.first(&app.db).await
}

/// The record, if it exists (404) and the user may see it (403).
pub async fn visible_employee(app: &App, user: &User, id: &str) -> AppResult<EmployeeRow> {
    seen(user, employee(app, id).await?)
}

/// The record read (`employee_query`), if there is one (404) and the user may see it (403).
pub fn seen(user: &User, row: Option<EmployeeRow>) -> AppResult<EmployeeRow> {
    let row = row.ok_or(AppError::NotFound)?;
    if may_see_employee(
        user.role,
        user.branch_id.as_deref(),
        user.employee_id.as_deref(),
        &row.branch_id,
        &row.id,
    ) {
        Ok(row)
    } else {
        Err(AppError::Forbidden)
    }
}

/// A row of the list and of its export. The columns are those of the covering indexes of
/// migration 0011, so that the list never reads the table: keep the two in step.
#[derive(Debug, Clone, Deserialize)]
pub struct ListRow {
    pub id: String,
    pub branch_id: String,
    pub branch_name: String,
    pub name: String,
    pub resident_id: String,
    pub department: Option<String>,
    pub hire_date: String,
    pub status: String,
}

const SELECT_LIST_ROW: &str = "SELECT e.id, e.branch_id, b.name AS branch_name, e.name, e.resident_id, \
     e.department, e.hire_date, e.status FROM employees e JOIN branches b ON b.id = e.branch_id";

pub struct ListFilter {
    pub search: Option<EmployeeSearch>,
    pub branch_id: Option<String>,
}

/// Up to `limit` employees by (name, id) from `from` on, read away from its cursor
/// (`PageFrom::page` puts them in order): one indexed range, whatever the depth.
pub fn list(app: &App, f: &ListFilter, from: &PageFrom, limit: u32) -> AppResult<Query<ListRow>> {
    let mut filters = Vec::new();
    let mut params: Vec<Arg> = Vec::new();
    if let Some(branch) = &f.branch_id {
        filters.push("e.branch_id = ?".to_string());
        params.push(branch.into());
    }
    // The start of the name (a surname, a whole name) or of the ID number as a range of an
    // index, so a search costs a page whatever the size of the group. Compared as text:
    // what the user typed is matched literally.
    let prefix = match &f.search {
        None => None,
        Some(EmployeeSearch::Name(q)) => Some(("e.name", q)),
        Some(EmployeeSearch::IdNumber(q)) => Some(("e.resident_id", q)),
    };
    if let Some((column, prefix)) = prefix {
        filters.push(format!("{column} >= ? AND {column} < ?"));
        params.extend(args![prefix, format!("{prefix}{}", char::MAX)]);
    }
    let page = BY_NAME.page_sql(filters, &mut params, from, limit);
    Query::new(&app.db, &format!("{SELECT_LIST_ROW}{page}"), params)
}

/// The employee list's order: by name.
const BY_NAME: ListOrder = ListOrder { key: "e.name", id: "e.id", descending: false };

pub async fn branch(app: &App, id: &str) -> AppResult<Option<BranchRow>> {
    first(&app.db, "SELECT id, name, city FROM branches WHERE id = ?", args![id]).await
}

pub async fn branches(app: &App) -> AppResult<Vec<BranchRow>> {
    all(&app.db, "SELECT id, name, city FROM branches ORDER BY id", args![]).await
}

#[derive(Deserialize)]
struct Count {
    n: i64,
}

pub async fn resident_id_taken(app: &App, resident_id: &str, except: &str) -> AppResult<bool> {
    let hits: Option<Count> = first(
        &app.db,
        "SELECT COUNT(*) AS n FROM employees WHERE resident_id = ? AND id <> ?",
        args![resident_id, except],
    )
    .await?;
    Ok(hits.is_some_and(|c| c.n > 0))
}

/// The columns a create or an update writes.
pub struct EmployeeValues {
    pub name: String,
    pub resident_id: String,
    pub branch_id: String,
    pub department: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub hire_date: String,
    pub salary_fen: i64,
    pub hukou: String,
}

impl EmployeeValues {
    /// The bound values, in the order of `COLUMNS`.
    fn args(&self, updated_at: &str) -> Vec<Arg> {
        args![
            &self.branch_id,
            &self.name,
            &self.resident_id,
            self.department.clone(),
            self.phone.clone(),
            self.email.clone(),
            &self.hire_date,
            self.salary_fen,
            &self.hukou,
            updated_at
        ]
    }
}

const COLUMNS: [&str; 10] = [
    "branch_id",
    "name",
    "resident_id",
    "department",
    "phone",
    "email",
    "hire_date",
    "salary_fen",
    "hukou",
    "updated_at",
];

pub fn insert(app: &App, id: &str, v: &EmployeeValues) -> AppResult<D1PreparedStatement> {
    let sql = format!(
        "INSERT INTO employees (id, created_at, {}) VALUES (?, ?{})",
        COLUMNS.join(", "),
        ", ?".repeat(COLUMNS.len())
    );
    let mut params = args![id, app.now_iso.as_str()];
    params.extend(v.args(&app.now_iso));
    stmt(&app.db, &sql, params)
}

/// Guarded by the version the editor saw, and by `guard` when given: changes no row when
/// someone else was first or the guard does not hold.
pub fn update(
    app: &App,
    id: &str,
    version: i64,
    v: &EmployeeValues,
    guard: Option<(String, Vec<Arg>)>,
) -> AppResult<D1PreparedStatement> {
    let assignments: Vec<String> = COLUMNS.iter().map(|c| format!("{c} = ?")).collect();
    let (guard_sql, guard_params) = guard.map_or((String::new(), vec![]), |(sql, p)| (format!(" AND {sql}"), p));
    let sql = format!(
        "UPDATE employees SET {}, version = version + 1 WHERE id = ? AND version = ?{guard_sql}",
        assignments.join(", ")
    );
    let mut params = v.args(&app.now_iso);
    params.extend(args![id, version]);
    params.extend(guard_params);
    stmt(&app.db, &sql, params)
}
