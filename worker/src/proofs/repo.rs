//! The proofs' SQL.

use crate::args;
use crate::db::{first, stmt};
use crate::error::AppResult;
use crate::App;
use serde::Deserialize;
use worker::D1PreparedStatement;

#[derive(Debug, Deserialize)]
pub struct Employer {
    pub name: String,
    pub credit_code: String,
}

/// The employer of an employee: their branch's name and credit code.
pub async fn employer(app: &App, employee_id: &str) -> AppResult<Option<Employer>> {
    first(
        &app.db,
        "SELECT b.name, b.credit_code FROM employees e JOIN branches b ON b.id = e.branch_id WHERE e.id = ?",
        args![employee_id],
    )
    .await
}

pub fn insert(app: &App, code: &str, employee_id: &str, snapshot: &str, expires_on: &str) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "INSERT INTO contribution_proofs (code, employee_id, snapshot, issued_at, expires_on) VALUES (?, ?, ?, ?, ?)",
        args![code, employee_id, snapshot, app.now_iso.as_str(), expires_on],
    )
}

#[derive(Debug, Deserialize)]
pub struct Snapshot {
    pub snapshot: String,
}

/// A proof still valid on `today`.
pub async fn valid(app: &App, code: &str, today: &str) -> AppResult<Option<Snapshot>> {
    first(&app.db, "SELECT snapshot FROM contribution_proofs WHERE code = ? AND expires_on >= ?", args![code, today]).await
}
