//! The self-service requests' SQL. A decision is an UPDATE guarded by version and state
//! that stamps a fresh `change_token`; the employee record's update and the notification
//! run in the same batch only if the request carries that token.

use crate::args;
use crate::db::{all, first, stmt};
use crate::error::AppResult;
use crate::App;
use serde::Deserialize;
use worker::D1PreparedStatement;

#[derive(Debug, Clone, Deserialize)]
pub struct ChangeRow {
    pub id: String,
    pub employee_id: String,
    pub employee_name: String,
    pub branch_id: String,
    pub kind: String,
    pub payload: String,
    pub summary: String,
    pub state: String,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<String>,
    pub decision_reason: Option<String>,
    pub created_at: String,
    pub version: i64,
}

const SELECT: &str = "SELECT c.id, c.employee_id, e.name AS employee_name, c.branch_id, c.kind, c.payload, c.summary, \
     c.state, u.display_name AS decided_by_name, c.decided_at, c.decision_reason, c.created_at, c.version \
     FROM employee_changes c JOIN employees e ON e.id = c.employee_id LEFT JOIN users u ON u.id = c.decided_by";

pub async fn change(app: &App, id: &str) -> AppResult<Option<ChangeRow>> {
    first(&app.db, &format!("{SELECT} WHERE c.id = ?"), args![id]).await
}

/// The newest 100 requests of an employee, a branch, or (neither) the group, in a state if given.
pub async fn list(app: &App, employee_id: Option<&str>, branch_id: Option<&str>, state: Option<&str>) -> AppResult<Vec<ChangeRow>> {
    all(
        &app.db,
        &format!(
            "{SELECT} WHERE (?1 IS NULL OR c.employee_id = ?1) AND (?2 IS NULL OR c.branch_id = ?2) \
             AND (?3 IS NULL OR c.state = ?3) ORDER BY c.created_at DESC, c.id DESC LIMIT 100"
        ),
        args![employee_id, branch_id, state],
    )
    .await
}

pub struct NewChangeRow<'a> {
    pub id: &'a str,
    pub employee_id: &'a str,
    pub kind: &'a str,
    pub payload: String,
    pub summary: &'a str,
    pub created_by: &'a str,
    pub token: &'a str,
}

/// In the employee's branch, read from their record.
pub fn insert(app: &App, c: &NewChangeRow<'_>) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "INSERT INTO employee_changes (id, employee_id, branch_id, kind, payload, summary, state, change_token, created_by, created_at) \
         SELECT ?, e.id, e.branch_id, ?, ?, ?, 'pending', ?, ?, ? FROM employees e WHERE e.id = ?",
        args![c.id, c.kind, c.payload.as_str(), c.summary, c.token, c.created_by, app.now_iso.as_str(), c.employee_id],
    )
}

/// Decides a pending request, guarded by version and state.
pub fn decide(app: &App, c: &ChangeRow, to: &str, by: &str, reason: Option<&str>, token: &str) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "UPDATE employee_changes SET state = ?, decided_by = ?, decided_at = ?, decision_reason = ?, change_token = ?, \
         version = version + 1 WHERE id = ? AND version = ? AND state = 'pending'",
        args![to, by, app.now_iso.as_str(), reason, token, c.id.as_str(), c.version],
    )
}

const IF_CHANGED: &str = "EXISTS (SELECT 1 FROM employee_changes WHERE id = ? AND change_token = ?)";

/// The approved change on the employee's record (None: the field stays as it is).
pub fn apply(app: &App, c: &ChangeRow, phone: Option<&str>, email: Option<&str>, bank_card: Option<&str>, token: &str) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        &format!(
            "UPDATE employees SET phone = COALESCE(?, phone), email = COALESCE(?, email), bank_card = COALESCE(?, bank_card), \
             version = version + 1, updated_at = ? WHERE id = ? AND {IF_CHANGED}"
        ),
        args![phone, email, bank_card, app.now_iso.as_str(), c.employee_id.as_str(), c.id.as_str(), token],
    )
}

/// The employee in their notification centre, once per decision.
pub fn tell_employee(app: &App, c: &ChangeRow, message: &str, token: &str) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        &format!(
            "INSERT OR IGNORE INTO notifications (user_id, message, link, source, created_at) \
             SELECT u.id, ?, '/me', ?, ? FROM users u WHERE u.employee_id = ? AND {IF_CHANGED}"
        ),
        args![message, format!("change:{}:decided", c.id), app.now_iso.as_str(), c.employee_id.as_str(), c.id.as_str(), token],
    )
}
