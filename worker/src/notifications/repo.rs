//! The notifications' SQL: each user's own, read or not.

use crate::args;
use crate::db::{run, Query};
use crate::error::AppResult;
use crate::App;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Row {
    pub id: i64,
    pub message: String,
    pub link: Option<String>,
    pub created_at: String,
    pub read_at: Option<String>,
}

#[derive(Deserialize)]
pub struct Count {
    pub n: i64,
}

/// The user's newest 50.
pub fn newest(app: &App, user_id: &str) -> AppResult<Query<Row>> {
    Query::new(
        &app.db,
        "SELECT id, message, link, created_at, read_at FROM notifications WHERE user_id = ? ORDER BY id DESC LIMIT 50",
        args![user_id],
    )
}

pub fn unread(app: &App, user_id: &str) -> AppResult<Query<Count>> {
    Query::new(&app.db, "SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL", args![user_id])
}

pub fn notification(app: &App, id: i64, user_id: &str) -> AppResult<Query<Row>> {
    Query::new(
        &app.db,
        "SELECT id, message, link, created_at, read_at FROM notifications WHERE id = ? AND user_id = ?",
        args![id, user_id],
    )
}

/// Marks one of the user's own read (reading twice changes nothing).
pub async fn mark_read(app: &App, id: i64, user_id: &str) -> AppResult<()> {
    run(
        &app.db,
        "UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND user_id = ?",
        args![app.now_iso.as_str(), id, user_id],
    )
    .await
}

pub async fn mark_all_read(app: &App, user_id: &str) -> AppResult<()> {
    run(
        &app.db,
        "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
        args![app.now_iso.as_str(), user_id],
    )
    .await
}
