//! The idempotency table's SQL: one stored answer per user and key.

use crate::args;
use crate::db::{first, run, stmt};
use crate::error::AppResult;
use crate::App;
use serde::Deserialize;
use worker::D1PreparedStatement;

#[derive(Deserialize)]
pub struct StoredRow {
    pub status: i64,
    pub body: String,
    pub fingerprint: String,
}

pub async fn stored(app: &App, user_id: &str, key: &str) -> AppResult<Option<StoredRow>> {
    first(
        &app.db,
        "SELECT status, body, fingerprint FROM idempotency WHERE user_id = ? AND key = ?",
        args![user_id, key],
    )
    .await
}

/// The record of an answer, for the change's batch: written only when the statement
/// before it changed a row.
pub fn record(
    app: &App,
    user_id: &str,
    key: &str,
    fingerprint: &str,
    status: u16,
    body: String,
) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "INSERT INTO idempotency (user_id, key, fingerprint, status, body, created_at) \
         SELECT ?, ?, ?, ?, ?, ? WHERE changes() = 1",
        args![user_id, key, fingerprint, i64::from(status), body, app.now_ms],
    )
}

/// Drops the answers recorded before `before_ms`.
pub async fn purge_before(app: &App, before_ms: i64) -> AppResult<()> {
    run(&app.db, "DELETE FROM idempotency WHERE created_at < ?", args![before_ms]).await
}
