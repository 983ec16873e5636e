//! The settings table's SQL: one text value per key.

use crate::args;
use crate::db::{stmt, Query};
use crate::error::AppResult;
use crate::App;
use serde::Deserialize;
use worker::D1PreparedStatement;

#[derive(Deserialize)]
pub struct Setting {
    pub key: String,
    pub value: String,
}

/// The stored values of `keys` (none for a key never set).
pub fn values(app: &App, keys: &[&str]) -> AppResult<Query<Setting>> {
    Query::new(&app.db, "SELECT key, value FROM settings WHERE key IN (SELECT value FROM json_each(?))", args![serde_json::to_string(keys)?])
}

/// Sets a value, for the caller's batch (with its audit entry).
pub fn set(app: &App, key: &str, value: String) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        args![key, value],
    )
}
