//! The escalation alerts' SQL. An alert's id is its item and level, unique: raising it again
//! changes nothing, and so do its notifications and messages (keyed by the alert).

use crate::args;
use crate::db::{all, first, stmt, Arg, Query};
use crate::error::AppResult;
use crate::App;
use serde::Deserialize;
use shebao_domain::escalation::Level;
use super::Escalated;
use worker::D1PreparedStatement;

#[derive(Debug, Clone, Deserialize)]
pub struct AlertRow {
    pub id: String,
    pub level: i64,
    pub branch_id: String,
    pub run_id: Option<String>,
    pub link: Option<String>,
    pub message: String,
    pub raised_at: String,
    pub acknowledged_by_name: Option<String>,
    pub acknowledged_at: Option<String>,
    pub note: Option<String>,
    pub resolved_at: Option<String>,
    pub version: i64,
}

const SELECT: &str = "SELECT a.id, a.level, a.branch_id, a.run_id, a.link, a.message, a.raised_at, \
     u.display_name AS acknowledged_by_name, a.acknowledged_at, a.note, a.resolved_at, a.version \
     FROM alerts a LEFT JOIN users u ON u.id = a.acknowledged_by";

/// The newest 100 alerts of a branch (None: every branch), unresolved first.
pub async fn list(app: &App, branch_id: Option<&str>) -> AppResult<Vec<AlertRow>> {
    all(
        &app.db,
        &format!(
            "{SELECT} WHERE (?1 IS NULL OR a.branch_id = ?1) \
             ORDER BY a.resolved_at IS NOT NULL, a.raised_at DESC, a.level DESC LIMIT 100"
        ),
        args![branch_id],
    )
    .await
}

pub async fn alert(app: &App, id: &str) -> AppResult<Option<AlertRow>> {
    first(&app.db, &format!("{SELECT} WHERE a.id = ?"), args![id]).await
}

#[derive(Debug, Deserialize)]
pub struct BranchLevel {
    pub branch_id: String,
    pub level: i64,
}

/// Each branch's highest unresolved level.
pub fn branch_levels(app: &App) -> AppResult<Query<BranchLevel>> {
    Query::new(
        &app.db,
        "SELECT branch_id, MAX(level) AS level FROM alerts WHERE resolved_at IS NULL GROUP BY branch_id",
        args![],
    )
}

#[derive(Deserialize)]
pub struct MaxLevel {
    level: Option<i64>,
}

impl MaxLevel {
    pub fn of(row: Option<MaxLevel>) -> Option<u8> {
        row.and_then(|r| r.level).map(|l| l as u8)
    }
}

/// The run's highest unresolved level (`MaxLevel::of` its row).
pub fn run_level(app: &App, run_id: &str) -> AppResult<Query<MaxLevel>> {
    Query::new(&app.db, "SELECT MAX(level) AS level FROM alerts WHERE run_id = ? AND resolved_at IS NULL", args![run_id])
}

#[derive(Debug, Deserialize)]
pub struct Raised {
    pub item: String,
    pub level: i64,
}

/// The alerts already raised for `items` (a JSON array travels as one parameter, whatever
/// the number of items), resolved or not.
pub async fn raised(app: &App, items: &[String]) -> AppResult<Vec<Raised>> {
    all(
        &app.db,
        "SELECT item, level FROM alerts \
         WHERE item IN (SELECT value FROM json_each(?))",
        args![serde_json::to_string(items)?],
    )
    .await
}

/// The alert itself (unless raised before).
pub fn insert(app: &App, id: &str, item: &str, level: Level, e: &Escalated, message: &str) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "INSERT OR IGNORE INTO alerts (id, item, level, branch_id, run_id, link, message, raised_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        args![id, item, i64::from(level.number()), e.branch_id.as_str(), e.run_id.clone(), e.link.as_str(), message, app.now_iso.as_str()],
    )
}

/// Who the level tells, as SQL over `users` with its parameters.
fn recipients(level: Level, branch_id: &str) -> (String, Vec<Arg>) {
    let (roles, of_branch) = level.recipients();
    let marks = vec!["?"; roles.len()].join(", ");
    let mut params: Vec<Arg> = roles.iter().map(|r| Arg::from(r.code())).collect();
    params.extend(args![i64::from(of_branch), branch_id]);
    (format!("u.role IN ({marks}) AND (? = 0 OR u.branch_id = ?)"), params)
}

/// The alert in each recipient's notification centre, once.
pub fn notify(app: &App, alert_id: &str, level: Level, branch_id: &str, link: &str, message: &str) -> AppResult<D1PreparedStatement> {
    let (who, who_params) = recipients(level, branch_id);
    let mut params = args![message, link, alert_id, app.now_iso.as_str()];
    params.extend(who_params);
    stmt(
        &app.db,
        &format!(
            "INSERT OR IGNORE INTO notifications (user_id, message, link, source, created_at) \
             SELECT u.id, ?, ?, ?, ? FROM users u WHERE {who}"
        ),
        params,
    )
}

/// An email to each recipient with an address, through the outbox, once.
pub fn email(app: &App, alert_id: &str, level: Level, branch_id: &str, message: &str) -> AppResult<D1PreparedStatement> {
    let (who, who_params) = recipients(level, branch_id);
    let mut params = args![alert_id, message, app.now_ms, app.now_iso.as_str()];
    params.extend(who_params);
    stmt(
        &app.db,
        &format!(
            "INSERT OR IGNORE INTO message_outbox (id, channel, recipient, body, status, not_before, created_at) \
             SELECT ? || ':' || u.id || ':email', 'email', u.email, ?, 'pending', ?, ? FROM users u \
             WHERE u.email IS NOT NULL AND {who}"
        ),
        params,
    )
}

/// Unresolved alerts whose item is not among `open`: their cause is gone.
pub fn resolve_gone(app: &App, open: &[String]) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "UPDATE alerts SET resolved_at = ?, version = version + 1 \
         WHERE resolved_at IS NULL AND item NOT IN (SELECT value FROM json_each(?))",
        args![app.now_iso.as_str(), serde_json::to_string(open)?],
    )
}

/// The acknowledgement, guarded by version.
pub fn acknowledge(app: &App, id: &str, version: i64, user_id: &str, note: &str) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "UPDATE alerts SET acknowledged_by = ?, acknowledged_at = ?, note = ?, version = version + 1 \
         WHERE id = ? AND version = ?",
        args![user_id, app.now_iso.as_str(), note, id, version],
    )
}
