use crate::args;
use crate::db::{all, stmt, Arg, Query};
use crate::error::AppResult;
use crate::{clock_ms, App};
use serde::Deserialize;
use shebao_domain::enrollment::{editable, filed_at_bureau, holds_enrollment, RequestKind, RequestState};
use shebao_domain::role::Role;
use worker::D1PreparedStatement;

#[derive(Debug, Clone, Deserialize)]
pub struct RequestRow {
    pub id: String,
    pub kind: String,
    pub state: String,
    pub employee_id: String,
    /// The request's own copy of the employee, which is what is filed.
    pub employee_name: String,
    pub resident_id: String,
    pub branch_id: String,
    pub branch_name: String,
    pub city: String,
    /// The employee's city and hire date now, which a correction is checked against.
    pub employee_city: String,
    pub hire_date: String,
    /// The employee's hukou now, which some cities' employer rates depend on.
    pub hukou: String,
    pub insurance_types: String,
    pub base_fen: i64,
    pub from_month: String,
    pub to_month: String,
    pub reason: Option<String>,
    pub price: String,
    pub total_fen: i64,
    pub created_by_name: String,
    pub submitted_by_name: Option<String>,
    pub reject_reason: Option<String>,
    pub execute_after: Option<i64>,
    pub approved_version: Option<i64>,
    pub executed_at: Option<i64>,
    pub receipt_no: Option<String>,
    pub revocation_reason: Option<String>,
    pub revocation_requested_at: Option<i64>,
    pub bureau_answer: Option<String>,
    pub version: i64,
    pub updated_at: String,
}

const SELECT: &str = "SELECT r.id, r.kind, r.state, r.employee_id, r.employee_name, r.resident_id, \
     r.branch_id, b.name AS branch_name, b.city, eb.city AS employee_city, e.hire_date, e.hukou, r.insurance_types, \
     r.base_fen, r.from_month, r.to_month, r.reason, r.price, r.total_fen, \
     COALESCE(cu.display_name, r.created_by) AS created_by_name, \
     su.display_name AS submitted_by_name, r.reject_reason, r.execute_after, r.approved_version, \
     r.executed_at, r.receipt_no, r.revocation_reason, r.revocation_requested_at, r.bureau_answer, \
     r.version, r.updated_at \
     FROM enrollment_requests r JOIN branches b ON b.id = r.branch_id \
     JOIN employees e ON e.id = r.employee_id JOIN branches eb ON eb.id = e.branch_id \
     LEFT JOIN users cu ON cu.id = r.created_by LEFT JOIN users su ON su.id = r.submitted_by";

pub fn request_query(app: &App, id: &str) -> AppResult<Query<RequestRow>> {
    Query::new(&app.db, &format!("{SELECT} WHERE r.id = ?"), args![id])
}

pub async fn request(app: &App, id: &str) -> AppResult<Option<RequestRow>> {
    request_query(app, id)?.first(&app.db).await
}

/// A row if the user ever created, edited, submitted or asked to revoke the request.
pub fn maker(app: &App, request_id: &str, user_id: &str) -> AppResult<Query<serde_json::Value>> {
    Query::new(&app.db, "SELECT 1 AS n FROM enrollment_makers WHERE request_id = ? AND user_id = ?", args![request_id, user_id])
}

pub async fn is_maker(app: &App, request_id: &str, user_id: &str) -> AppResult<bool> {
    Ok(maker(app, request_id, user_id)?.first(&app.db).await?.is_some())
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

/// `state IN (?, ?, …)` for the states the domain rule picks, with their codes bound.
pub fn states_where(rule: impl Fn(RequestState) -> bool) -> (String, Vec<Arg>) {
    let codes: Vec<Arg> = RequestState::ALL.into_iter().filter(|&s| rule(s)).map(|s| s.code().into()).collect();
    (format!("state IN ({})", vec!["?"; codes.len()].join(", ")), codes)
}

#[derive(Deserialize)]
pub struct FiledRow {
    /// Read by the run's generation, which takes many employees' filings at once.
    #[serde(default)]
    pub employee_id: String,
    pub kind: String,
    pub insurance_types: String,
    pub base_fen: i64,
    pub from_month: String,
    pub to_month: String,
}

/// The employee's other requests the bureau holds as filed, in the order it filed them.
pub fn filed_requests(app: &App, employee_id: &str, except: &str) -> AppResult<Query<FiledRow>> {
    let (states, mut params) = states_where(filed_at_bureau);
    params.splice(0..0, args![employee_id, except]);
    Query::new(
        &app.db,
        &format!(
            "SELECT kind, insurance_types, base_fen, from_month, to_month FROM enrollment_requests \
             WHERE employee_id = ? AND id <> ? AND {states} ORDER BY executed_at, id"
        ),
        params,
    )
}

/// The filed requests of the branch's next `limit` employees after `after` (in id order, the
/// order a run is generated in), each employee's in the order the bureau filed them.
pub async fn filed_requests_after(app: &App, branch_id: &str, after: &str, limit: i64) -> AppResult<Vec<FiledRow>> {
    let (states, states_params) = states_where(filed_at_bureau);
    let mut params = args![branch_id, after, limit];
    params.extend(states_params);
    all(
        &app.db,
        &format!(
            "SELECT employee_id, kind, insurance_types, base_fen, from_month, to_month FROM enrollment_requests \
             WHERE employee_id IN (SELECT id FROM employees WHERE branch_id = ? AND id > ? ORDER BY id LIMIT ?) \
             AND {states} ORDER BY employee_id, executed_at, id"
        ),
        params,
    )
    .await
}

#[derive(Deserialize)]
pub struct ActiveEnrollment {
    pub insurance_types: String,
}

/// Other enrollments of this employee that are under way or done at the bureau.
pub fn active_enrollments(app: &App, employee_id: &str, except: &str) -> AppResult<Query<ActiveEnrollment>> {
    let (states, mut params) = states_where(holds_enrollment);
    params.splice(0..0, args![employee_id, except, RequestKind::Enrollment.code()]);
    Query::new(
        &app.db,
        &format!(
            "SELECT insurance_types FROM enrollment_requests WHERE employee_id = ? AND id <> ? \
             AND kind = ? AND {states}"
        ),
        params,
    )
}

#[derive(Deserialize)]
pub struct RequestRef {
    pub id: String,
}

/// The employee's requests in the states `rule` picks (oldest first).
pub async fn requests_of_employee(
    app: &App,
    employee_id: &str,
    rule: impl Fn(RequestState) -> bool,
) -> AppResult<Vec<RequestRef>> {
    let (states, mut params) = states_where(rule);
    params.insert(0, employee_id.into());
    all(
        &app.db,
        &format!("SELECT id FROM enrollment_requests WHERE employee_id = ? AND {states} ORDER BY created_at, id"),
        params,
    )
    .await
}

/// A condition for the employee UPDATE that changes a name or ID number: it changes
/// nothing while one of the employee's requests is at or on its way to the bureau.
pub fn no_identity_locked_request(employee_id: &str) -> (String, Vec<Arg>) {
    let (states, mut params) = states_where(RequestState::identity_locked);
    params.insert(0, employee_id.into());
    (format!("NOT EXISTS (SELECT 1 FROM enrollment_requests WHERE employee_id = ? AND {states})"), params)
}

/// The columns a create or a correction writes.
pub struct RequestValues {
    pub kind: String,
    pub employee_id: String,
    pub branch_id: String,
    pub employee_name: String,
    pub resident_id: String,
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
            &self.employee_name,
            &self.resident_id,
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

const COLUMNS: [&str; 12] = [
    "kind", "employee_id", "branch_id", "employee_name", "resident_id", "insurance_types", "base_fen", "from_month",
    "to_month", "reason", "price", "total_fen",
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

/// A correction by a maker, guarded by the version they saw and an editable state.
pub fn update(app: &App, id: &str, version: i64, token: &str, v: &RequestValues) -> AppResult<D1PreparedStatement> {
    let assignments: Vec<String> = COLUMNS.iter().map(|c| format!("{c} = ?")).collect();
    let (states, state_params) = states_where(editable);
    let sql = format!(
        "UPDATE enrollment_requests SET {}, change_token = ?, updated_at = ?, version = version + 1 \
         WHERE id = ? AND version = ? AND {states}",
        assignments.join(", ")
    );
    let mut params = v.args();
    params.extend(args![token, app.now_iso.as_str(), id, version]);
    params.extend(state_params);
    stmt(&app.db, &sql, params)
}

/// The request's copy of the employee follows a correction of the record while the request
/// can still be corrected. `employee_version` is the record's version after the correction,
/// and the record must now hold exactly this name and ID number: if the correction lost its
/// race (another edit took that version), nothing changes here either.
pub fn follow_employee(
    app: &App,
    request_id: &str,
    token: &str,
    employee_id: &str,
    employee_version: i64,
    name: &str,
    resident_id: &str,
) -> AppResult<D1PreparedStatement> {
    let (states, state_params) = states_where(editable);
    let mut params = args![
        name,
        resident_id,
        token,
        app.now_iso.as_str(),
        request_id,
        employee_id,
        employee_version,
        name,
        resident_id
    ];
    params.extend(state_params);
    stmt(
        &app.db,
        &format!(
            "UPDATE enrollment_requests SET employee_name = ?, resident_id = ?, change_token = ?, updated_at = ?, \
             version = version + 1 WHERE id = ? \
             AND EXISTS (SELECT 1 FROM employees WHERE id = ? AND version = ? AND name = ? AND resident_id = ?) \
             AND {states}"
        ),
        params,
    )
}

/// What a state transition writes besides the new state.
#[derive(Default)]
pub struct TransitionValues {
    pub submitted_by: Option<String>,
    pub reject_reason: Option<String>,
    pub execute_after: Option<i64>,
    pub approved_version: Option<i64>,
    pub executed_at: Option<i64>,
    pub receipt_no: Option<String>,
    pub revocation_reason: Option<String>,
    pub revocation_requested_at: Option<i64>,
    pub bureau_answer: Option<String>,
    /// A resubmission recomputes the price from the current policy.
    pub price: Option<(String, i64)>,
    /// A submission takes a fresh copy of the employee's name and ID number.
    pub identity: Option<(String, String)>,
}

/// Moves the request from `from` to `to`, guarded by version and state: exactly one of
/// any number of concurrent transitions wins, and only the winner's `token` is stored.
/// `None` fields keep their value, except `execute_after`, which a transition always sets
/// (None clears it). With `claimed` (an outbox row and the executor's claim on it), it
/// also needs that claim to hold: the move to 报送中 happens only together with the claim,
/// and giving up only while no other run has taken the row over.
pub fn transition(
    app: &App,
    id: &str,
    version: i64,
    (from, to): (&str, &str),
    token: &str,
    t: &TransitionValues,
    claimed: Option<(&str, &str)>,
) -> AppResult<D1PreparedStatement> {
    let (price, total) = t.price.clone().unzip();
    let (name, resident_id) = t.identity.clone().unzip();
    let mut params = args![
        to,
        t.submitted_by.clone(),
        t.reject_reason.clone(),
        t.execute_after,
        t.approved_version,
        t.executed_at,
        t.receipt_no.clone(),
        t.revocation_reason.clone(),
        t.revocation_requested_at,
        t.bureau_answer.clone(),
        price,
        total,
        name,
        resident_id,
        token,
        app.now_iso.as_str(),
        id,
        version,
        from
    ];
    let condition = match claimed {
        Some((outbox_id, claim)) => {
            params.extend(args![outbox_id, claim]);
            " AND EXISTS (SELECT 1 FROM outbox WHERE id = ? AND claim_token = ?)"
        }
        None => "",
    };
    stmt(
        &app.db,
        &format!(
            "UPDATE enrollment_requests SET state = ?, submitted_by = COALESCE(?, submitted_by), \
             reject_reason = COALESCE(?, reject_reason), execute_after = ?, \
             approved_version = COALESCE(?, approved_version), \
             executed_at = COALESCE(?, executed_at), receipt_no = COALESCE(?, receipt_no), \
             revocation_reason = COALESCE(?, revocation_reason), \
             revocation_requested_at = COALESCE(?, revocation_requested_at), bureau_answer = COALESCE(?, bureau_answer), \
             price = COALESCE(?, price), total_fen = COALESCE(?, total_fen), \
             employee_name = COALESCE(?, employee_name), resident_id = COALESCE(?, resident_id), \
             change_token = ?, updated_at = ?, version = version + 1 \
             WHERE id = ? AND version = ? AND state = ?{condition}"
        ),
        params,
    )
}

/// The statements that depend on a guarded write run in its batch, after it, and take
/// effect only if the request now carries that write's token: a loser of the race (whose
/// UPDATE changed nothing) writes nothing at all, even after the winner moved the version on.
const IF_CHANGED: &str = "EXISTS (SELECT 1 FROM enrollment_requests WHERE id = ? AND change_token = ?)";

/// Records `user_id` among the request's makers (once).
pub fn add_maker(app: &App, request_id: &str, user_id: &str, token: Option<&str>) -> AppResult<D1PreparedStatement> {
    match token {
        Some(token) => stmt(
            &app.db,
            &format!("INSERT OR IGNORE INTO enrollment_makers (request_id, user_id) SELECT ?, ? WHERE {IF_CHANGED}"),
            args![request_id, user_id, request_id, token],
        ),
        // A new request: its insert is in the same batch.
        None => stmt(
            &app.db,
            "INSERT OR IGNORE INTO enrollment_makers (request_id, user_id) VALUES (?, ?)",
            args![request_id, user_id],
        ),
    }
}

/// A notification for the request's makers and its branch's supervisors.
pub fn alert(app: &App, request_id: &str, token: &str, message: &str) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        &format!(
            "INSERT INTO notifications (user_id, request_id, message, link, created_at) \
             SELECT user_id, ?, ?, ?, ? FROM (\
               SELECT user_id FROM enrollment_makers WHERE request_id = ? \
               UNION SELECT u.id FROM users u JOIN enrollment_requests r ON r.branch_id = u.branch_id \
               WHERE r.id = ? AND u.role = ?) WHERE {IF_CHANGED}"
        ),
        args![
            request_id,
            message,
            format!("/enrollments/{request_id}"),
            app.now_iso.as_str(),
            request_id,
            request_id,
            Role::HrSupervisor.code(),
            request_id,
            token
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

/// What an outbox row carries to the bureau: an approved request to file, or an approved
/// revocation to ask for.
pub const TOPIC_FILE: &str = "bureau.file";
pub const TOPIC_REVOKE: &str = "bureau.revoke";

/// Queues work for the bureau.
pub fn enqueue(app: &App, id: &str, topic: &str, request_id: &str, not_before: i64, token: &str) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        &format!(
            "INSERT INTO outbox (id, topic, request_id, status, not_before, created_at, updated_at) \
             SELECT ?, ?, ?, 'pending', ?, ?, ? WHERE {IF_CHANGED}"
        ),
        args![id, topic, request_id, not_before, app.now_ms, app.now_ms, request_id, token],
    )
}

/// A revoked approval must never reach the bureau.
pub fn cancel_pending(app: &App, request_id: &str, token: &str) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        &format!(
            "UPDATE outbox SET status = 'cancelled', updated_at = ? \
             WHERE request_id = ? AND status = 'pending' AND {IF_CHANGED}"
        ),
        args![app.now_ms, request_id, request_id, token],
    )
}

/// Claims older than this are taken to be from an instance that died mid-call.
pub const CLAIM_TIMEOUT_MS: i64 = 60_000;

/// Rows that are due, or whose claim has gone stale, as of `now`.
const DUE: &str = "((status = 'pending' AND not_before <= ?) OR (status = 'sending' AND updated_at < ?))";

pub async fn due(app: &App, now: i64, request_id: Option<&str>) -> AppResult<Vec<OutboxRow>> {
    let mut sql = format!("SELECT id, topic, request_id, attempts FROM outbox WHERE {DUE}");
    let mut params = args![now, now - CLAIM_TIMEOUT_MS];
    if let Some(r) = request_id {
        sql.push_str(" AND request_id = ?");
        params.push(r.into());
    }
    sql.push_str(" ORDER BY not_before LIMIT 20");
    all(&app.db, &sql, params).await
}

/// Takes an outbox row for one run, marked with its `token`; changes no row when another
/// run has it.
pub fn claim(app: &App, row: &OutboxRow, token: &str, now: i64) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        &format!(
            "UPDATE outbox SET status = 'sending', claim_token = ?, attempts = attempts + 1, updated_at = ? \
             WHERE id = ? AND {DUE}"
        ),
        args![token, now, &row.id, now, now - CLAIM_TIMEOUT_MS],
    )
}

/// Only while this run's claim holds: a run whose claim went stale and was taken over
/// leaves the row to the run that took it.
const IF_CLAIMED: &str = "id = ? AND claim_token = ?";

pub fn finish(app: &App, outbox_id: &str, claim: &str, status: &str, error: Option<&str>) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        &format!("UPDATE outbox SET status = ?, last_error = COALESCE(?, last_error), updated_at = ? WHERE {IF_CLAIMED}"),
        args![status, error, clock_ms(), outbox_id, claim],
    )
}

/// Ends a row whatever its claim: the bureau's answer has been recorded on the request.
pub fn close(app: &App, outbox_id: &str, status: &str) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "UPDATE outbox SET status = ?, updated_at = ? WHERE id = ?",
        args![status, clock_ms(), outbox_id],
    )
}

pub fn retry_later(app: &App, outbox_id: &str, claim: &str, not_before: i64, error: &str) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        &format!("UPDATE outbox SET status = 'pending', not_before = ?, last_error = ?, updated_at = ? WHERE {IF_CLAIMED}"),
        args![not_before, error, clock_ms(), outbox_id, claim],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(args: &[Arg]) -> Vec<String> {
        args.iter().map(|a| if let Arg::Text(s) = a { s.clone() } else { "?".into() }).collect()
    }

    #[test]
    fn state_conditions_bind_the_domains_states() {
        let (sql, params) = states_where(editable);
        assert_eq!(sql, "state IN (?, ?, ?, ?)");
        assert_eq!(texts(&params), ["draft", "submitted", "rejected", "filing_refused"]);
        let (sql, params) = states_where(RequestState::identity_locked);
        assert_eq!((sql.as_str(), texts(&params)), ("state IN (?, ?, ?)", vec!["approved".into(), "filing".into(), "filing_failed".into()]));
    }

    #[test]
    fn list_filters_bind_what_is_given() {
        let none = ListFilter { branch_id: None, state: None, employee_id: None };
        assert_eq!(filter_sql(&none).0, "");
        let some = ListFilter { branch_id: Some("b1".into()), state: None, employee_id: Some("e1".into()) };
        let (sql, params) = filter_sql(&some);
        assert_eq!(sql, " WHERE r.branch_id = ? AND r.employee_id = ?");
        assert_eq!(texts(&params), ["b1", "e1"]);
    }
}
