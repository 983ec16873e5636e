//! The simulator's own tables: its settings and counters, the filings it holds, and the
//! people it knows to be insured at other employers.

use super::Elsewhere;
use crate::args;
use crate::db::{first, run, stmt, Query};
use crate::error::AppResult;
use crate::App;
use serde::Deserialize;
use worker::D1PreparedStatement;

#[derive(Deserialize)]
pub struct KeyValue {
    pub key: String,
    pub value: i64,
}

pub fn config(app: &App) -> AppResult<Query<KeyValue>> {
    Query::new(&app.db, "SELECT key, value FROM bureau_sim_config", args![])
}

#[derive(Deserialize)]
pub struct Count {
    pub n: i64,
}

pub fn filing_count(app: &App) -> AppResult<Query<Count>> {
    Query::new(&app.db, "SELECT COUNT(*) AS n FROM bureau_sim_filings", args![])
}

/// Sets a setting, for the caller's batch.
pub fn set(app: &App, key: &str, value: i64) -> AppResult<D1PreparedStatement> {
    stmt(&app.db, "UPDATE bureau_sim_config SET value = ? WHERE key = ?", args![value, key])
}

/// Adds `delta` to a counter (calls made, failures or refusals still to come).
pub async fn add(app: &App, key: &str, delta: i64) -> AppResult<()> {
    run(&app.db, "UPDATE bureau_sim_config SET value = value + ? WHERE key = ?", args![delta, key]).await
}

#[derive(Deserialize)]
pub struct FilingRow {
    pub receipt_no: String,
    pub filed_at: i64,
}

pub async fn filed(app: &App, request_id: &str, version: i64) -> AppResult<Option<FilingRow>> {
    first(
        &app.db,
        "SELECT receipt_no, filed_at FROM bureau_sim_filings WHERE request_id = ? AND request_version = ?",
        args![request_id, version],
    )
    .await
}

/// Holds a filing; a second one for the same request and version changes nothing.
pub async fn insert_filing(app: &App, f: &super::Filing<'_>, receipt_no: &str, filed_at: i64) -> AppResult<()> {
    run(
        &app.db,
        "INSERT INTO bureau_sim_filings (request_id, request_version, receipt_no, resident_id, name, kind, \
         base_fen, from_month, to_month, filed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (request_id, request_version) DO NOTHING",
        args![
            f.request_id,
            f.version,
            receipt_no,
            f.resident_id,
            f.name,
            f.kind,
            f.base_fen,
            f.from_month,
            f.to_month,
            filed_at
        ],
    )
    .await
}

pub async fn mark_revoked(app: &App, request_id: &str, version: i64, at: i64) -> AppResult<()> {
    run(
        &app.db,
        "UPDATE bureau_sim_filings SET revoked_at = ? WHERE request_id = ? AND request_version = ?",
        args![at, request_id, version],
    )
    .await
}

/// The employer insuring this person elsewhere, if the simulator knows one.
pub async fn employer_elsewhere(app: &App, resident_id: &str) -> AppResult<Option<String>> {
    let hit: Option<Elsewhere> =
        first(&app.db, "SELECT employer FROM bureau_sim_elsewhere WHERE resident_id = ?", args![resident_id]).await?;
    Ok(hit.map(|h| h.employer))
}

/// The same for an employee, by the ID number on their record.
pub fn employer_elsewhere_of(app: &App, employee_id: &str) -> AppResult<Query<Elsewhere>> {
    Query::new(
        &app.db,
        "SELECT s.employer FROM bureau_sim_elsewhere s JOIN employees e ON e.resident_id = s.resident_id WHERE e.id = ?",
        args![employee_id],
    )
}

/// The payment the simulator holds for a run, if any.
pub async fn payment(app: &App, run_id: &str) -> AppResult<Option<FilingRow>> {
    first(
        &app.db,
        "SELECT receipt_no, paid_at AS filed_at FROM bureau_sim_payments WHERE run_id = ?",
        args![run_id],
    )
    .await
}

/// Holds a payment; a second one for the same run changes nothing.
pub async fn insert_payment(app: &App, run_id: &str, receipt_no: &str, amount_fen: i64, paid_at: i64) -> AppResult<()> {
    run(
        &app.db,
        "INSERT INTO bureau_sim_payments (run_id, receipt_no, amount_fen, paid_at) VALUES (?, ?, ?, ?) \
         ON CONFLICT (run_id) DO NOTHING",
        args![run_id, receipt_no, amount_fen, paid_at],
    )
    .await
}
