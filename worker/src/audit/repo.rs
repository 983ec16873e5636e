//! The audit log's SQL: inserts and reads only (the table refuses updates and deletes).

use super::Entry;
use crate::args;
use crate::db::{stmt, Query};
use crate::error::AppResult;
use crate::App;
use serde::Deserialize;
use worker::D1PreparedStatement;

/// The insert of an entry, stamped with the request's time. `after_guard`: only when the
/// statement before it changed a row (see `db::commit`).
pub fn insert(
    app: &App,
    actor_id: Option<&String>,
    actor_name: &str,
    e: Entry<'_>,
    after_guard: bool,
) -> AppResult<D1PreparedStatement> {
    let sql = if after_guard {
        "INSERT INTO audit_log (at, actor_id, actor_name, action, entity, entity_id, changes) \
         SELECT ?, ?, ?, ?, ?, ?, ? WHERE changes() = 1"
    } else {
        "INSERT INTO audit_log (at, actor_id, actor_name, action, entity, entity_id, changes) \
         VALUES (?, ?, ?, ?, ?, ?, ?)"
    };
    stmt(
        &app.db,
        sql,
        args![
            app.now_iso.as_str(),
            actor_id,
            actor_name,
            e.action,
            e.entity,
            e.entity_id,
            serde_json::to_string(e.changes)?
        ],
    )
}

#[derive(Deserialize)]
pub struct EntryRow {
    pub id: i64,
    pub at: String,
    pub actor_name: String,
    pub action: String,
    /// JSON: `Vec<FieldChange>`.
    pub changes: String,
}

/// A record's entries, oldest first.
pub fn entries(app: &App, entity: &str, entity_id: &str) -> AppResult<Query<EntryRow>> {
    Query::new(
        &app.db,
        "SELECT id, at, actor_name, action, changes FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id",
        args![entity, entity_id],
    )
}
