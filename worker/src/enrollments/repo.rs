use crate::args;
use crate::db::{all, first, stmt, Arg};
use crate::error::AppResult;
use crate::App;
use serde::Deserialize;
use worker::D1PreparedStatement;

#[derive(Debug, Clone, Deserialize)]
pub struct RequestRow {
    pub id: String,
    pub kind: String,
    pub state: String,
    pub employee_id: String,
    pub employee_name: String,
    pub resident_id: String,
    pub branch_id: String,
    pub branch_name: String,
    pub city: String,
    pub insurance_types: String,
    pub base_fen: i64,
    pub from_month: String,
    pub to_month: String,
    pub reason: Option<String>,
    pub price: String,
    pub total_fen: i64,
    pub created_by_name: String,
    pub submitted_by: Option<String>,
    pub submitted_by_name: Option<String>,
    pub reject_reason: Option<String>,
    pub execute_after: Option<i64>,
    pub executed_at: Option<i64>,
    pub receipt_no: Option<String>,
    pub revocation_reason: Option<String>,
    pub bureau_answer: Option<String>,
    pub version: i64,
    pub updated_at: String,
}

const SELECT: &str = "SELECT r.id, r.kind, r.state, r.employee_id, e.name AS employee_name, \
     e.resident_id, r.branch_id, b.name AS branch_name, b.city, r.insurance_types, r.base_fen, \
     r.from_month, r.to_month, r.reason, r.price, r.total_fen, \
     COALESCE(cu.display_name, r.created_by) AS created_by_name, r.submitted_by, \
     su.display_name AS submitted_by_name, r.reject_reason, r.execute_after, r.executed_at, \
     r.receipt_no, r.revocation_reason, r.bureau_answer, r.version, r.updated_at \
     FROM enrollment_requests r JOIN employees e ON e.id = r.employee_id \
     JOIN branches b ON b.id = r.branch_id LEFT JOIN users cu ON cu.id = r.created_by \
     LEFT JOIN users su ON su.id = r.submitted_by";

pub async fn request(app: &App, id: &str) -> AppResult<Option<RequestRow>> {
    first(&app.db, &format!("{SELECT} WHERE r.id = ?"), args![id]).await
}

pub struct ListFilter {
    pub branch_id: Option<String>,
    pub state: Option<String>,
    pub employee_id: Option<String>,
}

fn filter_sql(f: &ListFilter) -> (String, Vec<Arg>) {
    let mut clauses = Vec::new();
    let mut params = Vec::new();
    for (column, value) in [("r.branch_id", &f.branch_id), ("r.state", &f.state), ("r.employee_id", &f.employee_id)] {
        if let Some(v) = value {
            clauses.push(format!("{column} = ?"));
            params.push(Arg::from(v));
        }
    }
    let sql = if clauses.is_empty() { String::new() } else { format!(" WHERE {}", clauses.join(" AND ")) };
    (sql, params)
}

/// The newest 200 requests that match; the queue never needs more at once.
pub async fn list(app: &App, f: &ListFilter) -> AppResult<Vec<RequestRow>> {
    let (filter, params) = filter_sql(f);
    all(&app.db, &format!("{SELECT}{filter} ORDER BY r.updated_at DESC, r.id LIMIT 200"), params).await
}

#[derive(Deserialize)]
pub struct StateCount {
    pub state: String,
    pub n: i64,
}

pub async fn counts(app: &App, branch_id: Option<String>) -> AppResult<Vec<StateCount>> {
    let (filter, params) = filter_sql(&ListFilter { branch_id, state: None, employee_id: None });
    all(
        &app.db,
        &format!("SELECT r.state, COUNT(*) AS n FROM enrollment_requests r{filter} GROUP BY r.state"),
        params,
    )
    .await
}

#[derive(Deserialize)]
pub struct ActiveEnrollment {
    pub insurance_types: String,
}

/// Other enrollments of this employee that are under way or done at the bureau.
pub async fn active_enrollments(app: &App, employee_id: &str, except: &str) -> AppResult<Vec<ActiveEnrollment>> {
    all(
        &app.db,
        "SELECT insurance_types FROM enrollment_requests WHERE employee_id = ? AND id <> ? \
         AND kind = 'enrollment' AND state IN ('submitted', 'approved', 'executed', 'revocation_requested', 'revocation_refused')",
        args![employee_id, except],
    )
    .await
}

/// The columns a create or a correction writes.
pub struct RequestValues {
    pub kind: String,
    pub employee_id: String,
    pub branch_id: String,
    pub insurance_types: String,
    pub base_fen: i64,
    pub from_month: String,
    pub to_month: String,
    pub reason: Option<String>,
    pub price: String,
    pub total_fen: i64,
}

impl RequestValues {
    fn args(&self) -> Vec<Arg> {
        args![
            &self.kind,
            &self.employee_id,
            &self.branch_id,
            &self.insurance_types,
            self.base_fen,
            &self.from_month,
            &self.to_month,
            self.reason.clone(),
            &self.price,
            self.total_fen
        ]
    }
}

const COLUMNS: [&str; 10] = [
    "kind", "employee_id", "branch_id", "insurance_types", "base_fen", "from_month", "to_month", "reason", "price",
    "total_fen",
];

pub fn insert(app: &App, id: &str, state: &str, created_by: &str, submitted_by: Option<&str>, v: &RequestValues) -> AppResult<D1PreparedStatement> {
    let sql = format!(
        "INSERT INTO enrollment_requests (id, state, created_by, submitted_by, created_at, updated_at, {}) \
         VALUES (?, ?, ?, ?, ?, ?{})",
        COLUMNS.join(", "),
        ", ?".repeat(COLUMNS.len())
    );
    let mut params = args![id, state, created_by, submitted_by, app.now_iso.as_str(), app.now_iso.as_str()];
    params.extend(v.args());
    stmt(&app.db, &sql, params)
}

/// A correction by the specialist, guarded by the version they saw and an editable state.
pub fn update(app: &App, id: &str, version: i64, v: &RequestValues) -> AppResult<D1PreparedStatement> {
    let assignments: Vec<String> = COLUMNS.iter().map(|c| format!("{c} = ?")).collect();
    let sql = format!(
        "UPDATE enrollment_requests SET {}, updated_at = ?, version = version + 1 \
         WHERE id = ? AND version = ? AND state IN ('draft', 'submitted', 'rejected')",
        assignments.join(", ")
    );
    let mut params = v.args();
    params.extend(args![app.now_iso.as_str(), id, version]);
    stmt(&app.db, &sql, params)
}

/// What a state transition writes besides the new state.
#[derive(Default)]
pub struct TransitionValues {
    pub submitted_by: Option<String>,
    pub reject_reason: Option<String>,
    pub execute_after: Option<i64>,
    pub executed_at: Option<i64>,
    pub receipt_no: Option<String>,
    pub revocation_reason: Option<String>,
    pub bureau_answer: Option<String>,
    /// A resubmission recomputes the price from the current policy.
    pub price: Option<(String, i64)>,
}

/// Moves the request from `from` to `to`, guarded by version and state: exactly one of
/// any number of concurrent transitions wins. `None` fields keep their value, except
/// `execute_after`, which a transition always sets (None clears it).
pub fn transition(app: &App, id: &str, version: i64, from: &str, to: &str, t: &TransitionValues) -> AppResult<D1PreparedStatement> {
    let (price, total) = t.price.clone().unzip();
    stmt(
        &app.db,
        "UPDATE enrollment_requests SET state = ?, submitted_by = COALESCE(?, submitted_by), \
         reject_reason = COALESCE(?, reject_reason), execute_after = ?, \
         executed_at = COALESCE(?, executed_at), receipt_no = COALESCE(?, receipt_no), \
         revocation_reason = COALESCE(?, revocation_reason), bureau_answer = COALESCE(?, bureau_answer), \
         price = COALESCE(?, price), total_fen = COALESCE(?, total_fen), \
         updated_at = ?, version = version + 1 WHERE id = ? AND version = ? AND state = ?",
        args![
            to,
            t.submitted_by.clone(),
            t.reject_reason.clone(),
            t.execute_after,
            t.executed_at,
            t.receipt_no.clone(),
            t.revocation_reason.clone(),
            t.bureau_answer.clone(),
            price,
            total,
            app.now_iso.as_str(),
            id,
            version,
            from
        ],
    )
}

// ---- outbox ----

#[derive(Debug, Clone, Deserialize)]
pub struct OutboxRow {
    pub id: String,
    pub topic: String,
    pub request_id: String,
    pub attempts: i64,
}

/// The outbox statements of a transition run in its batch, after it: they take effect only
/// if the request reached `version` (i.e. the guarded transition won).
const IF_TRANSITIONED: &str = "EXISTS (SELECT 1 FROM enrollment_requests WHERE id = ? AND version = ?)";

/// Queues work for the bureau.
pub fn enqueue(app: &App, id: &str, topic: &str, request_id: &str, version: i64, not_before: i64) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        &format!(
            "INSERT INTO outbox (id, topic, request_id, status, not_before, created_at, updated_at) \
             SELECT ?, ?, ?, 'pending', ?, ?, ? WHERE {IF_TRANSITIONED}"
        ),
        args![id, topic, request_id, not_before, app.now_ms, app.now_ms, request_id, version],
    )
}

/// A revoked approval must never reach the bureau.
pub fn cancel_pending(app: &App, request_id: &str, version: i64) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        &format!(
            "UPDATE outbox SET status = 'cancelled', updated_at = ? \
             WHERE request_id = ? AND status = 'pending' AND {IF_TRANSITIONED}"
        ),
        args![app.now_ms, request_id, request_id, version],
    )
}

/// Claims older than this are taken to be from an instance that died mid-call.
pub const CLAIM_TIMEOUT_MS: i64 = 60_000;

pub async fn due(app: &App, request_id: Option<&str>) -> AppResult<Vec<OutboxRow>> {
    let mut sql = String::from(
        "SELECT id, topic, request_id, attempts FROM outbox WHERE \
         ((status = 'pending' AND not_before <= ?) OR (status = 'sending' AND updated_at < ?))",
    );
    let mut params = args![app.now_ms, app.now_ms - CLAIM_TIMEOUT_MS];
    if let Some(r) = request_id {
        sql.push_str(" AND request_id = ?");
        params.push(r.into());
    }
    sql.push_str(" ORDER BY not_before LIMIT 20");
    all(&app.db, &sql, params).await
}

/// Takes an outbox row for this run; false when another run has it.
pub async fn claim(app: &App, row: &OutboxRow) -> AppResult<bool> {
    let result = stmt(
        &app.db,
        "UPDATE outbox SET status = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ? AND \
         ((status = 'pending' AND not_before <= ?) OR (status = 'sending' AND updated_at < ?))",
        args![app.now_ms, &row.id, app.now_ms, app.now_ms - CLAIM_TIMEOUT_MS],
    )?
    .run()
    .await?;
    Ok(result.meta()?.and_then(|m| m.changes).unwrap_or(0) == 1)
}

pub fn finish(app: &App, outbox_id: &str, status: &str, error: Option<&str>) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "UPDATE outbox SET status = ?, last_error = COALESCE(?, last_error), updated_at = ? WHERE id = ?",
        args![status, error, app.now_ms, outbox_id],
    )
}

pub fn retry_later(app: &App, outbox_id: &str, not_before: i64, error: &str) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "UPDATE outbox SET status = 'pending', not_before = ?, last_error = ?, updated_at = ? WHERE id = ?",
        args![not_before, error, app.now_ms, outbox_id],
    )
}
