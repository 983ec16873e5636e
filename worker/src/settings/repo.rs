//! The settings table's SQL: one text value per key.

use crate::args;
use crate::db::{first, stmt};
use crate::error::AppResult;
use crate::App;
use serde::Deserialize;
use worker::D1PreparedStatement;

pub async fn value(app: &App, key: &str) -> AppResult<Option<String>> {
    #[derive(Deserialize)]
    struct Value {
        value: String,
    }
    let row: Option<Value> = first(&app.db, "SELECT value FROM settings WHERE key = ?", args![key]).await?;
    Ok(row.map(|r| r.value))
}

/// Sets a value, for the caller's batch (with its audit entry).
pub fn set(app: &App, key: &str, value: String) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        args![key, value],
    )
}
