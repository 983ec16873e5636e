//! The runs' SQL. Every state change is an UPDATE guarded by version and state that stamps
//! a fresh `change_token`; the statements that depend on it run in the same batch and take
//! effect only if the run carries that token, so the loser of a race writes nothing.

use crate::args;
use crate::db::{all, first, stmt, Arg, Query};
use crate::error::AppResult;
use crate::App;
use serde::Deserialize;
use shebao_domain::policy::InsuranceType;
use worker::D1PreparedStatement;

#[derive(Debug, Clone, Deserialize)]
pub struct RunRow {
    pub id: String,
    pub branch_id: String,
    pub branch_name: String,
    pub city: String,
    pub period: String,
    pub state: String,
    pub due_date: String,
    pub generation: i64,
    pub cursor: String,
    pub employees_total: i64,
    pub employees_done: i64,
    pub employees: i64,
    pub employer_fen: i64,
    pub employee_fen: i64,
    pub budget_fen: Option<i64>,
    pub confirmed_by: Option<String>,
    pub confirmed_by_name: Option<String>,
    pub approved_by_name: Option<String>,
    pub approval_reason: Option<String>,
    pub reject_reason: Option<String>,
    pub receipt_no: Option<String>,
    pub paid_on: Option<String>,
    pub late_fee_fen: Option<i64>,
    pub version: i64,
    pub updated_at: String,
}

const SELECT: &str = "SELECT r.id, r.branch_id, b.name AS branch_name, b.city, r.period, r.state, r.due_date, \
     r.generation, r.cursor, r.employees_total, r.employees_done, r.employees, r.employer_fen, r.employee_fen, \
     r.budget_fen, r.confirmed_by, cu.display_name AS confirmed_by_name, au.display_name AS approved_by_name, \
     r.approval_reason, r.reject_reason, r.receipt_no, r.paid_on, r.late_fee_fen, r.version, r.updated_at \
     FROM runs r JOIN branches b ON b.id = r.branch_id \
     LEFT JOIN users cu ON cu.id = r.confirmed_by LEFT JOIN users au ON au.id = r.approved_by";

pub fn run_query(app: &App, id: &str) -> AppResult<Query<RunRow>> {
    Query::new(&app.db, &format!("{SELECT} WHERE r.id = ?"), args![id])
}

pub async fn run(app: &App, id: &str) -> AppResult<Option<RunRow>> {
    run_query(app, id)?.first(&app.db).await
}

/// Runs by branch and month, either filter optional; newest month first.
pub fn list(app: &App, branch_id: Option<&str>, period: Option<&str>) -> AppResult<Query<RunRow>> {
    Query::new(
        &app.db,
        &format!(
            "{SELECT} WHERE (?1 IS NULL OR r.branch_id = ?1) AND (?2 IS NULL OR r.period = ?2) \
             ORDER BY r.period DESC, r.branch_id LIMIT 200"
        ),
        args![branch_id, period],
    )
}

/// Runs in a state, oldest change first (for the cron's sweeps).
pub async fn in_states(app: &App, states: &[&str]) -> AppResult<Vec<RunRow>> {
    let marks = vec!["?"; states.len()].join(", ");
    let params: Vec<Arg> = states.iter().map(|s| Arg::from(*s)).collect();
    all(&app.db, &format!("{SELECT} WHERE r.state IN ({marks}) ORDER BY r.updated_at LIMIT 500"), params).await
}

#[derive(Deserialize)]
pub struct BranchBudget {
    pub id: String,
    pub name: String,
    pub city: String,
    pub monthly_budget_fen: Option<i64>,
    pub version: i64,
}

pub async fn branch(app: &App, id: &str) -> AppResult<Option<BranchBudget>> {
    first(&app.db, "SELECT id, name, city, monthly_budget_fen, version FROM branches WHERE id = ?", args![id]).await
}

pub fn branches(app: &App) -> AppResult<Query<BranchBudget>> {
    Query::new(&app.db, "SELECT id, name, city, monthly_budget_fen, version FROM branches ORDER BY id", args![])
}

/// The branch's budget, and the same for its runs not yet approved, guarded by the branch's
/// version.
pub fn set_budget(app: &App, branch_id: &str, version: i64, budget_fen: Option<i64>) -> AppResult<Vec<D1PreparedStatement>> {
    Ok(vec![
        stmt(
            &app.db,
            "UPDATE branches SET monthly_budget_fen = ?, version = version + 1 WHERE id = ? AND version = ?",
            args![budget_fen, branch_id, version],
        )?,
        stmt(
            &app.db,
            "UPDATE runs SET budget_fen = ? WHERE branch_id = ? AND state IN ('generating', 'generated', 'confirmed') \
             AND EXISTS (SELECT 1 FROM branches WHERE id = ? AND version = ?)",
            args![budget_fen, branch_id, branch_id, version + 1],
        )?,
    ])
}

/// A new run, generating, unless the branch has one for the month (then nothing).
pub fn insert(app: &App, id: &str, branch: &BranchBudget, period: &str, due_date: &str, token: &str) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "INSERT OR IGNORE INTO runs (id, branch_id, period, state, due_date, employees_total, budget_fen, \
         change_token, created_at, updated_at) \
         SELECT ?, ?, ?, 'generating', ?, (SELECT COUNT(*) FROM employees WHERE branch_id = ?), ?, ?, ?, ?",
        args![
            id,
            branch.id.as_str(),
            period,
            due_date,
            branch.id.as_str(),
            branch.monthly_budget_fen,
            token,
            app.now_iso.as_str(),
            app.now_iso.as_str()
        ],
    )
}

/// What a transition writes besides the state (None: unchanged).
#[derive(Default)]
pub struct RunValues {
    pub confirmed_by: Option<String>,
    pub approved_by: Option<String>,
    pub approval_reason: Option<String>,
    pub reject_reason: Option<String>,
    pub receipt_no: Option<String>,
    pub paid_on: Option<String>,
    pub late_fee_fen: Option<i64>,
    /// A regeneration starts over: a new generation, from the first employee.
    pub restart: bool,
}

/// Moves the run from `from` to `to`, guarded by version and state.
pub fn transition(app: &App, run: &RunRow, (from, to): (&str, &str), token: &str, v: &RunValues) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "UPDATE runs SET state = ?, confirmed_by = COALESCE(?, confirmed_by), approved_by = COALESCE(?, approved_by), \
         approval_reason = COALESCE(?, approval_reason), reject_reason = COALESCE(?, reject_reason), \
         receipt_no = COALESCE(?, receipt_no), paid_on = COALESCE(?, paid_on), late_fee_fen = COALESCE(?, late_fee_fen), \
         generation = generation + ?, cursor = CASE WHEN ? THEN '' ELSE cursor END, \
         employees_done = CASE WHEN ? THEN 0 ELSE employees_done END, \
         employees_total = CASE WHEN ? THEN (SELECT COUNT(*) FROM employees WHERE branch_id = runs.branch_id) ELSE employees_total END, \
         change_token = ?, updated_at = ?, version = version + 1 \
         WHERE id = ? AND version = ? AND state = ?",
        args![
            to,
            v.confirmed_by.clone(),
            v.approved_by.clone(),
            v.approval_reason.clone(),
            v.reject_reason.clone(),
            v.receipt_no.clone(),
            v.paid_on.clone(),
            v.late_fee_fen,
            i64::from(v.restart),
            i64::from(v.restart),
            i64::from(v.restart),
            i64::from(v.restart),
            token,
            app.now_iso.as_str(),
            run.id.as_str(),
            run.version,
            from
        ],
    )
}

/// The condition of a statement that depends on a guarded write (see the module comment).
const IF_CHANGED: &str = "EXISTS (SELECT 1 FROM runs WHERE id = ? AND change_token = ?)";

// ---- generation ----

#[derive(Debug, Deserialize)]
pub struct EmployeeForRun {
    pub id: String,
    pub hire_date: String,
    pub salary_fen: i64,
    pub hukou: String,
    pub status: String,
}

/// The branch's next `limit` employees after `after`, in id order.
pub async fn employees_after(app: &App, branch_id: &str, after: &str, limit: i64) -> AppResult<Vec<EmployeeForRun>> {
    all(
        &app.db,
        "SELECT id, hire_date, salary_fen, hukou, status FROM employees WHERE branch_id = ? AND id > ? ORDER BY id LIMIT ?",
        args![branch_id, after, limit],
    )
    .await
}

/// Moves the cursor from `from` to `to` over `done` more employees: the guard of a chunk.
pub fn advance(app: &App, run: &RunRow, to: &str, done: i64, token: &str) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "UPDATE runs SET cursor = ?, employees_done = employees_done + ?, change_token = ?, updated_at = ? \
         WHERE id = ? AND generation = ? AND cursor = ? AND state = 'generating'",
        args![to, done, token, app.now_iso.as_str(), run.id.as_str(), run.generation, run.cursor.as_str()],
    )
}

/// One line: (employee, insurance type, base, employer share, employee share), in fen.
pub type LineValues = (String, &'static str, i64, i64, i64);

/// Columns bound per line, and lines per statement under D1's 100 bound parameters
/// (two more bind the condition).
const LINE_PARAMS: usize = 5;
pub const LINES_PER_STATEMENT: usize = (100 - 4) / LINE_PARAMS;

/// Upserts up to `LINES_PER_STATEMENT` lines of the run's current generation, if the
/// chunk's guard held.
pub fn upsert_lines(app: &App, run: &RunRow, lines: &[LineValues], token: &str) -> AppResult<D1PreparedStatement> {
    let rows = vec!["(?, ?, ?, ?, ?)"; lines.len()].join(", ");
    let mut params = Vec::with_capacity(lines.len() * LINE_PARAMS + 4);
    for (employee, kind, base, employer, employee_share) in lines {
        params.extend(args![employee.as_str(), *kind, *base, *employer, *employee_share]);
    }
    params.extend(args![run.id.as_str(), run.generation, run.id.as_str(), token]);
    stmt(
        &app.db,
        &format!(
            "WITH v(employee_id, insurance_type, base_fen, employer_fen, employee_fen) AS (VALUES {rows}) \
             INSERT INTO run_lines (run_id, employee_id, insurance_type, base_fen, employer_fen, employee_fen, generation) \
             SELECT ?, v.employee_id, v.insurance_type, v.base_fen, v.employer_fen, v.employee_fen, ? FROM v WHERE {IF_CHANGED} \
             ON CONFLICT (run_id, employee_id, insurance_type) DO UPDATE SET base_fen = excluded.base_fen, \
             employer_fen = excluded.employer_fen, employee_fen = excluded.employee_fen, generation = excluded.generation"
        ),
        params,
    )
}

/// After the last chunk: lines of earlier generations (leavers since) go, the run's totals
/// are summed from its lines, and what changed is written for this run (against
/// `previous`) and for the month after it (`next`, against this run), whose comparison this
/// generation moved.
pub fn finish_statements(app: &App, run: &RunRow, previous: &str, next: &str, token: &str) -> AppResult<Vec<D1PreparedStatement>> {
    let mut statements = vec![
        stmt(
            &app.db,
            &format!("DELETE FROM run_lines WHERE run_id = ? AND generation < ? AND {IF_CHANGED}"),
            args![run.id.as_str(), run.generation, run.id.as_str(), token],
        )?,
        stmt(
            &app.db,
            "UPDATE runs SET employees = (SELECT COUNT(DISTINCT employee_id) FROM run_lines WHERE run_id = runs.id), \
             employer_fen = (SELECT COALESCE(SUM(employer_fen), 0) FROM run_lines WHERE run_id = runs.id), \
             employee_fen = (SELECT COALESCE(SUM(employee_fen), 0) FROM run_lines WHERE run_id = runs.id) \
             WHERE id = ? AND change_token = ?",
            args![run.id.as_str(), token],
        )?,
    ];
    statements.extend(write_changes(app, &run.id, previous, (&run.id, token))?);
    statements.extend(write_changes(app, next, &run.id, (&run.id, token))?);
    Ok(statements)
}

/// Replaces run `id`'s changes with those from run `previous`: employees whose pension base
/// (their lines' highest) differs, or who are in one run only. Only if the `guard` run still
/// carries its change token.
fn write_changes(app: &App, id: &str, previous: &str, guard: (&str, &str)) -> AppResult<Vec<D1PreparedStatement>> {
    Ok(vec![
        stmt(
            &app.db,
            &format!("DELETE FROM run_changes WHERE run_id = ? AND {IF_CHANGED}"),
            args![id, guard.0, guard.1],
        )?,
        stmt(
            &app.db,
            "WITH cur AS (SELECT employee_id, MAX(base_fen) AS base FROM run_lines WHERE run_id = ?1 GROUP BY employee_id), \
             prev AS (SELECT employee_id, MAX(base_fen) AS base FROM run_lines WHERE run_id = ?2 GROUP BY employee_id) \
             INSERT INTO run_changes (run_id, employee_id, before_fen, after_fen) \
             SELECT ?1, employee_id, before_fen, after_fen FROM ( \
               SELECT cur.employee_id, prev.base AS before_fen, cur.base AS after_fen FROM cur LEFT JOIN prev USING (employee_id) \
               WHERE prev.base IS NULL OR prev.base <> cur.base \
               UNION ALL \
               SELECT prev.employee_id, prev.base, NULL FROM prev LEFT JOIN cur USING (employee_id) WHERE cur.base IS NULL) \
             WHERE EXISTS (SELECT 1 FROM runs WHERE id = ?3 AND change_token = ?4) \
               AND EXISTS (SELECT 1 FROM runs WHERE id = ?1)",
            args![id, previous, guard.0, guard.1],
        )?,
    ])
}

// ---- reads of lines ----

/// One employee's lines, as `lines` reads them: `[type, base_fen, employer_fen, employee_fen]`
/// per line in a JSON array, so a page of employees is a row each.
#[derive(Debug, Deserialize)]
pub struct EmployeeLinesRow {
    pub employee_id: String,
    pub employee_name: String,
    pub lines: String,
}

/// Up to `limit` employees' lines in employee order, after the employee `after` ("" from
/// the start).
pub fn lines(app: &App, run_id: &str, after: &str, limit: i64) -> AppResult<Query<EmployeeLinesRow>> {
    Query::new(
        &app.db,
        "SELECT l.employee_id, e.name AS employee_name, \
             json_group_array(json_array(l.insurance_type, l.base_fen, l.employer_fen, l.employee_fen)) AS lines \
         FROM run_lines l JOIN employees e ON e.id = l.employee_id \
         WHERE l.run_id = ? AND l.employee_id > ? GROUP BY l.employee_id ORDER BY l.employee_id LIMIT ?",
        args![run_id, after, limit],
    )
}

/// The insurance types in their usual order (养老 first, 公积金 last), as an ORDER BY term
/// over `l.insurance_type` with its parameters.
fn args_type_order() -> (String, Vec<Arg>) {
    let params: Vec<Arg> = InsuranceType::ALL.into_iter().map(|t| Arg::from(t.code())).collect();
    let whens: String = (0..params.len()).map(|i| format!(" WHEN ? THEN {i}")).collect();
    (format!("CASE l.insurance_type{whens} END"), params)
}

#[derive(Debug, Deserialize)]
pub struct ChangeRow {
    pub employee_id: String,
    pub employee_name: String,
    pub before_fen: Option<i64>,
    pub after_fen: Option<i64>,
}

/// What changed in the run since the month before (`write_changes`), in employee order:
/// up to `limit` after the employee `after` ("" from the start).
pub fn changes(app: &App, run_id: &str, after: &str, limit: i64) -> AppResult<Query<ChangeRow>> {
    Query::new(
        &app.db,
        "SELECT c.employee_id, e.name AS employee_name, c.before_fen, c.after_fen FROM run_changes c \
         JOIN employees e ON e.id = c.employee_id WHERE c.run_id = ? AND c.employee_id > ? \
         ORDER BY c.employee_id LIMIT ?",
        args![run_id, after, limit],
    )
}

#[derive(Debug, Deserialize)]
pub struct ContributionRow {
    pub run_id: String,
    pub period: String,
    pub due_date: String,
    pub paid_on: Option<String>,
    pub receipt_no: Option<String>,
    pub insurance_type: String,
    pub base_fen: i64,
    pub employer_fen: i64,
    pub employee_fen: i64,
}

/// The employee's lines of their last `months` runs, newest first.
pub fn contributions(app: &App, employee_id: &str, months: i64) -> AppResult<Query<ContributionRow>> {
    let (order, order_params) = args_type_order();
    let mut params = args![employee_id, employee_id, months];
    params.extend(order_params);
    Query::new(
        &app.db,
        &format!(
            "SELECT r.id AS run_id, r.period, r.due_date, r.paid_on, r.receipt_no, l.insurance_type, l.base_fen, \
             l.employer_fen, l.employee_fen FROM run_lines l JOIN runs r ON r.id = l.run_id \
             WHERE l.employee_id = ? AND r.state <> 'generating' AND r.id IN \
               (SELECT run_id FROM run_lines WHERE employee_id = ? GROUP BY run_id ORDER BY run_id DESC LIMIT ?) \
             ORDER BY r.period DESC, {order}"
        ),
        params,
    )
}

// ---- archiving ----

/// Tells each employee of the run (with a sign-in) that the month is paid, once.
pub fn notify_employees(app: &App, run: &RunRow, message: &str, token: &str) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        &format!(
            "INSERT OR IGNORE INTO notifications (user_id, message, link, source, created_at) \
             SELECT u.id, ?, '/me', ?, ? FROM users u \
             WHERE u.employee_id IN (SELECT DISTINCT employee_id FROM run_lines WHERE run_id = ?) AND {IF_CHANGED}"
        ),
        args![message, format!("run:{}:paid", run.id), app.now_iso.as_str(), run.id.as_str(), run.id.as_str(), token],
    )
}

/// An SMS to each employee of the run with a phone number, through the outbox, once.
pub fn text_employees(app: &App, run: &RunRow, message: &str, token: &str) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        &format!(
            "INSERT OR IGNORE INTO message_outbox (id, channel, recipient, body, status, not_before, created_at) \
             SELECT 'run:' || ? || ':paid:' || e.id, 'sms', e.phone, ?, 'pending', ?, ? FROM employees e \
             WHERE e.id IN (SELECT DISTINCT employee_id FROM run_lines WHERE run_id = ?) AND e.phone IS NOT NULL \
             AND {IF_CHANGED}"
        ),
        args![run.id.as_str(), message, app.now_ms, app.now_iso.as_str(), run.id.as_str(), run.id.as_str(), token],
    )
}

/// The run's social insurance in fen (every type but the housing fund): what a late fee is
/// charged on.
pub async fn social_insurance_fen(app: &App, run_id: &str) -> AppResult<i64> {
    #[derive(Deserialize)]
    struct Sum {
        n: i64,
    }
    let social: Vec<Arg> = InsuranceType::ALL
        .into_iter()
        .filter(|t| t.is_social_insurance())
        .map(|t| Arg::from(t.code()))
        .collect();
    let marks = vec!["?"; social.len()].join(", ");
    let mut params = args![run_id];
    params.extend(social);
    let sum: Option<Sum> = first(
        &app.db,
        &format!(
            "SELECT COALESCE(SUM(employer_fen + employee_fen), 0) AS n FROM run_lines \
             WHERE run_id = ? AND insurance_type IN ({marks})"
        ),
        params,
    )
    .await?;
    Ok(sum.map_or(0, |s| s.n))
}
