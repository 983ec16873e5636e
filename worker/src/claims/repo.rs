//! The claims' SQL. As with runs, every state change is an UPDATE guarded by version and
//! state that stamps a fresh `change_token`; what depends on it (notifications, messages,
//! a document's row) runs in the same batch only if the claim carries that token.

use crate::args;
use crate::db::{all, first, stmt, Arg, ListOrder, Query};
use crate::error::AppResult;
use crate::App;
use serde::Deserialize;
use shebao_domain::cursor::PageFrom;
use shebao_domain::escalation::Level;
use worker::D1PreparedStatement;

#[derive(Debug, Clone, Deserialize)]
pub struct ClaimRow {
    pub id: String,
    pub employee_id: String,
    pub employee_name: String,
    pub hire_date: String,
    pub branch_id: String,
    pub kind: String,
    pub amount_fen: i64,
    pub start_date: String,
    pub end_date: String,
    pub hospital: String,
    pub state: String,
    pub months: Option<String>,
    pub held_ms: Option<i64>,
    pub submitted_at: Option<String>,
    pub reject_reason: Option<String>,
    pub receipt_no: Option<String>,
    pub paid_on: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

const SELECT: &str = "SELECT c.id, c.employee_id, e.name AS employee_name, e.hire_date, c.branch_id, c.kind, \
     c.amount_fen, c.start_date, c.end_date, c.hospital, c.state, c.months, c.held_ms, c.submitted_at, \
     c.reject_reason, c.receipt_no, c.paid_on, c.created_at, c.updated_at, c.version \
     FROM claims c JOIN employees e ON e.id = c.employee_id";

pub fn claim_query(app: &App, id: &str) -> AppResult<Query<ClaimRow>> {
    Query::new(&app.db, &format!("{SELECT} WHERE c.id = ?"), args![id])
}

pub async fn claim(app: &App, id: &str) -> AppResult<Option<ClaimRow>> {
    claim_query(app, id)?.first(&app.db).await
}

/// Up to `limit` claims of an employee, a branch, or (neither) the group, in a state if
/// given, newest first by (created_at, id) from `from` on, read away from its cursor
/// (`PageFrom::page` puts them in order): one range of an index, whatever the depth.
pub fn list(
    app: &App,
    employee_id: Option<&str>,
    branch_id: Option<&str>,
    state: Option<&str>,
    from: &PageFrom,
    limit: u32,
) -> AppResult<Query<ClaimRow>> {
    let mut filters = Vec::new();
    let mut params: Vec<Arg> = Vec::new();
    for (filter, value) in [("c.employee_id = ?", employee_id), ("c.branch_id = ?", branch_id), ("c.state = ?", state)] {
        if let Some(value) = value {
            filters.push(filter.to_string());
            params.push(value.into());
        }
    }
    let page = NEWEST_FIRST.page_sql(filters, &mut params, from, limit);
    Query::new(&app.db, &format!("{SELECT}{page}"), params)
}

/// The claim lists' order: newest first.
const NEWEST_FIRST: ListOrder = ListOrder { key: "c.created_at", id: "c.id", descending: true };

/// Held claims, of one branch or of all: the ones to check again.
pub async fn held(app: &App, branch_id: Option<&str>) -> AppResult<Vec<ClaimRow>> {
    all(
        &app.db,
        &format!("{SELECT} WHERE c.state = 'held' AND (?1 IS NULL OR c.branch_id = ?1) ORDER BY c.id"),
        args![branch_id],
    )
    .await
}

/// The branch of an employee's record.
pub async fn employee_branch(app: &App, employee_id: &str) -> AppResult<Option<String>> {
    #[derive(Deserialize)]
    struct Branch {
        branch_id: String,
    }
    let row: Option<Branch> = first(&app.db, "SELECT branch_id FROM employees WHERE id = ?", args![employee_id]).await?;
    Ok(row.map(|r| r.branch_id))
}

pub struct NewClaimRow<'a> {
    pub id: &'a str,
    pub employee_id: &'a str,
    pub branch_id: &'a str,
    pub kind: &'a str,
    pub amount_fen: i64,
    pub start_date: String,
    pub end_date: String,
    pub hospital: &'a str,
    pub created_by: &'a str,
    pub token: &'a str,
}

pub fn insert(app: &App, c: &NewClaimRow<'_>) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "INSERT INTO claims (id, employee_id, branch_id, kind, amount_fen, start_date, end_date, hospital, state, \
         change_token, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?)",
        args![
            c.id,
            c.employee_id,
            c.branch_id,
            c.kind,
            c.amount_fen,
            c.start_date.as_str(),
            c.end_date.as_str(),
            c.hospital,
            c.token,
            c.created_by,
            app.now_iso.as_str(),
            app.now_iso.as_str()
        ],
    )
}

/// What a transition writes besides the state (None: unchanged).
#[derive(Default)]
pub struct ClaimValues {
    /// The months checked, as JSON.
    pub months: Option<String>,
    pub held_ms: Option<i64>,
    pub submitted: bool,
    pub reject_reason: Option<String>,
    pub receipt_no: Option<String>,
    pub paid_on: Option<String>,
}

/// Moves the claim from `from` to `to`, guarded by version and state.
pub fn transition(app: &App, c: &ClaimRow, (from, to): (&str, &str), token: &str, v: &ClaimValues) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "UPDATE claims SET state = ?, months = COALESCE(?, months), held_ms = COALESCE(?, held_ms), \
         submitted_at = CASE WHEN ? THEN ? ELSE submitted_at END, reject_reason = COALESCE(?, reject_reason), \
         receipt_no = COALESCE(?, receipt_no), paid_on = COALESCE(?, paid_on), \
         change_token = ?, updated_at = ?, version = version + 1 \
         WHERE id = ? AND version = ? AND state = ?",
        args![
            to,
            v.months.clone(),
            v.held_ms,
            i64::from(v.submitted),
            app.now_iso.as_str(),
            v.reject_reason.clone(),
            v.receipt_no.clone(),
            v.paid_on.clone(),
            token,
            app.now_iso.as_str(),
            c.id.as_str(),
            c.version,
            from
        ],
    )
}

/// A new document changes the claim too (its version, so a submission that did not see it
/// is stale), guarded by state and the count, not the version: uploads of several files at
/// once all land, but two racing for the tenth place cannot both win (D1 runs one batch
/// at a time).
pub fn touch_for_document(app: &App, c: &ClaimRow, token: &str, max: usize) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "UPDATE claims SET change_token = ?, updated_at = ?, version = version + 1 \
         WHERE id = ? AND state IN ('draft', 'held') \
         AND (SELECT COUNT(*) FROM claim_documents WHERE claim_id = ?) < ?",
        args![token, app.now_iso.as_str(), c.id.as_str(), c.id.as_str(), max as i64],
    )
}

/// The condition of a statement that depends on a guarded write.
const IF_CHANGED: &str = "EXISTS (SELECT 1 FROM claims WHERE id = ? AND change_token = ?)";

// ---- documents ----

#[derive(Debug, Clone, Deserialize)]
pub struct DocumentRow {
    pub id: String,
    pub kind: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub object_key: String,
    pub uploaded_at: String,
}

pub fn documents(app: &App, claim_id: &str) -> AppResult<Query<DocumentRow>> {
    Query::new(
        &app.db,
        "SELECT id, kind, file_name, content_type, size, object_key, uploaded_at FROM claim_documents \
         WHERE claim_id = ? ORDER BY uploaded_at, id",
        args![claim_id],
    )
}

pub fn document(app: &App, claim_id: &str, id: &str) -> AppResult<Query<DocumentRow>> {
    Query::new(
        &app.db,
        "SELECT id, kind, file_name, content_type, size, object_key, uploaded_at FROM claim_documents \
         WHERE claim_id = ? AND id = ?",
        args![claim_id, id],
    )
}

pub struct NewDocument<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub object_key: &'a str,
    pub uploaded_by: &'a str,
}

pub fn insert_document(app: &App, claim_id: &str, d: &NewDocument<'_>, token: &str) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        &format!(
            "INSERT INTO claim_documents (id, claim_id, kind, file_name, content_type, size, object_key, uploaded_by, uploaded_at) \
             SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE {IF_CHANGED}"
        ),
        args![
            d.id,
            claim_id,
            d.kind,
            d.file_name,
            d.content_type,
            d.size,
            d.object_key,
            d.uploaded_by,
            app.now_iso.as_str(),
            claim_id,
            token
        ],
    )
}

// ---- the contribution check ----

#[derive(Debug, Deserialize)]
pub struct MonthRow {
    pub period: String,
    pub state: String,
    pub due_date: String,
    pub paid_on: Option<String>,
}

/// The runs of `periods` (a JSON array) that have lines for the employee.
pub async fn months(app: &App, employee_id: &str, periods: &str) -> AppResult<Vec<MonthRow>> {
    all(
        &app.db,
        "SELECT r.period, r.state, r.due_date, r.paid_on FROM runs r \
         WHERE r.period IN (SELECT value FROM json_each(?)) \
         AND EXISTS (SELECT 1 FROM run_lines l WHERE l.run_id = r.id AND l.employee_id = ?)",
        args![periods, employee_id],
    )
    .await
}

// ---- telling people ----

/// The claimant in their notification centre, and by SMS, once per `source`.
pub fn tell_claimant(app: &App, c: &ClaimRow, source: &str, message: &str, token: &str) -> AppResult<Vec<D1PreparedStatement>> {
    let link = format!("/claims/{}", c.id);
    Ok(vec![
        stmt(
            &app.db,
            &format!(
                "INSERT OR IGNORE INTO notifications (user_id, message, link, source, created_at) \
                 SELECT u.id, ?, ?, ?, ? FROM users u WHERE u.employee_id = ? AND {IF_CHANGED}"
            ),
            args![message, link, source, app.now_iso.as_str(), c.employee_id.as_str(), c.id.as_str(), token],
        )?,
        stmt(
            &app.db,
            &format!(
                "INSERT OR IGNORE INTO message_outbox (id, channel, recipient, body, status, not_before, created_at) \
                 SELECT ? || ':sms', 'sms', e.phone, ?, 'pending', ?, ? FROM employees e \
                 WHERE e.id = ? AND e.phone IS NOT NULL AND {IF_CHANGED}"
            ),
            args![source, message, app.now_ms, app.now_iso.as_str(), c.employee_id.as_str(), c.id.as_str(), token],
        )?,
    ])
}

/// The branch's HR (escalation level 1's recipients) in their notification centre, once.
pub fn tell_hr(app: &App, c: &ClaimRow, source: &str, message: &str, token: &str) -> AppResult<D1PreparedStatement> {
    let (roles, _) = Level::Hr.recipients();
    let roles: Vec<&str> = roles.iter().map(|r| r.code()).collect();
    stmt(
        &app.db,
        &format!(
            "INSERT OR IGNORE INTO notifications (user_id, message, link, source, created_at) \
             SELECT u.id, ?, ?, ?, ? FROM users u WHERE u.role IN (SELECT value FROM json_each(?)) \
             AND u.branch_id = ? AND {IF_CHANGED}"
        ),
        args![
            message,
            format!("/claims/{}", c.id),
            source,
            app.now_iso.as_str(),
            serde_json::to_string(&roles)?,
            c.branch_id.as_str(),
            c.id.as_str(),
            token
        ],
    )
}

/// The held claim's escalation alerts resolve with its resumption.
pub fn resolve_alerts(app: &App, c: &ClaimRow, item: &str, token: &str) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        &format!("UPDATE alerts SET resolved_at = ?, version = version + 1 WHERE item = ? AND resolved_at IS NULL AND {IF_CHANGED}"),
        args![app.now_iso.as_str(), item, c.id.as_str(), token],
    )
}
