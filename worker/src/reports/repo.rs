//! The reports' reads: the facts of the runs, claims, lines and back-payments of the
//! filter's months and branch (`None`: every branch). Sums over lines are made here, in
//! SQL; everything else is worked out by the domain.

use crate::args;
use crate::db::{Arg, Query};
use crate::error::AppResult;
use crate::App;
use serde::Deserialize;
use shebao_domain::enrollment::filed_at_bureau;
use shebao_domain::Period;

/// The filter as bound parameters: months, and the branch or NULL for all.
pub struct Bounds<'a> {
    pub from: Period,
    pub to: Period,
    pub branch_id: Option<&'a str>,
}

impl Bounds<'_> {
    fn args(&self) -> Vec<Arg> {
        args![self.from.to_string(), self.to.to_string(), self.branch_id, self.branch_id]
    }
}

/// Runs of the months whose lines are all there (a run still generating has a partial sum).
const RUNS_OF: &str = "r.period BETWEEN ? AND ? AND (? IS NULL OR r.branch_id = ?) AND r.state <> 'generating'";

#[derive(Deserialize)]
pub struct RunRow {
    pub id: String,
    pub branch_id: String,
    pub branch_name: String,
    pub period: String,
    pub due_date: String,
    pub paid_on: Option<String>,
    pub late_fee_fen: Option<i64>,
    pub created_at: String,
}

pub fn runs(app: &App, b: &Bounds<'_>) -> AppResult<Query<RunRow>> {
    Query::new(
        &app.db,
        "SELECT r.id, r.branch_id, b.name AS branch_name, r.period, r.due_date, r.paid_on, r.late_fee_fen, r.created_at \
         FROM runs r JOIN branches b ON b.id = r.branch_id \
         WHERE r.period BETWEEN ? AND ? AND (? IS NULL OR r.branch_id = ?) ORDER BY r.period, b.name",
        b.args(),
    )
}

#[derive(Deserialize)]
pub struct StepRow {
    pub run_id: String,
    pub at: String,
    pub action: String,
}

/// The steps on the audit log of those runs, oldest first.
pub fn run_steps(app: &App, b: &Bounds<'_>) -> AppResult<Query<StepRow>> {
    Query::new(
        &app.db,
        "SELECT a.entity_id AS run_id, a.at, a.action FROM runs r \
         JOIN audit_log a ON a.entity = 'run' AND a.entity_id = r.id \
         WHERE r.period BETWEEN ? AND ? AND (? IS NULL OR r.branch_id = ?) ORDER BY a.id",
        b.args(),
    )
}

#[derive(Deserialize)]
pub struct ClaimRow {
    pub submitted_at: String,
    pub paid_on: Option<String>,
    pub state: String,
    pub amount_fen: i64,
    pub held: i64,
}

/// Claims submitted between the two instants (ISO, UTC), held ones marked: held at
/// submission, as the audit log records (the claim's own hold mark is cleared on resuming).
pub fn claims(app: &App, since: &str, until: &str, branch_id: Option<&str>) -> AppResult<Query<ClaimRow>> {
    Query::new(
        &app.db,
        "SELECT c.submitted_at, c.paid_on, c.state, c.amount_fen, \
         EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'claim' AND a.entity_id = c.id AND a.action = 'claim.submit_held') AS held \
         FROM claims c WHERE c.submitted_at >= ? AND c.submitted_at < ? AND (? IS NULL OR c.branch_id = ?) \
         ORDER BY c.submitted_at",
        args![since, until, branch_id, branch_id],
    )
}

/// A sum of lines: by branch, department or month (`key`, `label`).
#[derive(Deserialize)]
pub struct SumRow {
    pub key: String,
    pub label: String,
    pub employer_fen: i64,
    pub employee_fen: i64,
}

pub fn cost_by_branch(app: &App, b: &Bounds<'_>) -> AppResult<Query<SumRow>> {
    Query::new(
        &app.db,
        &format!(
            "SELECT r.branch_id AS key, b.name AS label, SUM(r.employer_fen) AS employer_fen, SUM(r.employee_fen) AS employee_fen \
             FROM runs r JOIN branches b ON b.id = r.branch_id WHERE {RUNS_OF} GROUP BY r.branch_id ORDER BY b.name"
        ),
        b.args(),
    )
}

pub fn cost_by_department(app: &App, b: &Bounds<'_>) -> AppResult<Query<SumRow>> {
    Query::new(
        &app.db,
        &format!(
            "SELECT r.branch_id || '/' || COALESCE(e.department, '') AS key, \
             b.name || ' · ' || COALESCE(NULLIF(e.department, ''), '未填部门') AS label, \
             SUM(l.employer_fen) AS employer_fen, SUM(l.employee_fen) AS employee_fen \
             FROM runs r JOIN branches b ON b.id = r.branch_id \
             JOIN run_lines l ON l.run_id = r.id AND l.generation = r.generation \
             JOIN employees e ON e.id = l.employee_id \
             WHERE {RUNS_OF} GROUP BY r.branch_id, COALESCE(e.department, '')"
        ),
        b.args(),
    )
}

#[derive(Deserialize)]
pub struct MonthRow {
    pub period: String,
    pub employer_fen: i64,
    pub employee_fen: i64,
    pub late_fee_fen: i64,
}

pub fn cost_by_month(app: &App, b: &Bounds<'_>) -> AppResult<Query<MonthRow>> {
    Query::new(
        &app.db,
        &format!(
            "SELECT r.period, SUM(r.employer_fen) AS employer_fen, SUM(r.employee_fen) AS employee_fen, \
             SUM(COALESCE(r.late_fee_fen, 0)) AS late_fee_fen FROM runs r WHERE {RUNS_OF} GROUP BY r.period"
        ),
        b.args(),
    )
}

#[derive(Deserialize)]
pub struct NewHireRow {
    pub period: String,
    pub hires: i64,
    pub employer_fen: i64,
}

/// Per month, the employees hired in it and the employer's cost of their lines that month.
pub fn new_hires(app: &App, b: &Bounds<'_>) -> AppResult<Query<NewHireRow>> {
    Query::new(
        &app.db,
        &format!(
            "SELECT r.period, COUNT(DISTINCT l.employee_id) AS hires, SUM(l.employer_fen) AS employer_fen \
             FROM runs r JOIN run_lines l ON l.run_id = r.id AND l.generation = r.generation \
             JOIN employees e ON e.id = l.employee_id \
             WHERE {RUNS_OF} AND substr(e.hire_date, 1, 7) = r.period GROUP BY r.period"
        ),
        b.args(),
    )
}

#[derive(Deserialize)]
pub struct BackPaymentRow {
    pub executed_at: i64,
    pub total_fen: i64,
    pub late_fee_total: Option<String>,
}

/// Back-payments (补缴) the bureau holds as filed, filed between the two instants (ms).
pub fn back_payments(app: &App, since_ms: i64, until_ms: i64, branch_id: Option<&str>) -> AppResult<Query<BackPaymentRow>> {
    let (states, state_args) = crate::enrollments::repo::states_where(filed_at_bureau);
    let mut params = args![since_ms, until_ms, branch_id, branch_id];
    params.extend(state_args);
    Query::new(
        &app.db,
        &format!(
            "SELECT executed_at, total_fen, CAST(json_extract(price, '$.late_fee_total') AS TEXT) AS late_fee_total \
             FROM enrollment_requests WHERE kind = 'back_payment' AND executed_at BETWEEN ? AND ? \
             AND (? IS NULL OR branch_id = ?) AND {states}"
        ),
        params,
    )
}
