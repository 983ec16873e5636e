//! The notification centre: what the system told the signed-in user, read or not.

use crate::args;
use crate::auth::User;
use crate::db::{all, first, run};
use crate::error::{AppError, AppResult};
use crate::http::json;
use crate::App;
use serde::Deserialize;
use shebao_domain::api::{Notification, Notifications};
use worker::Response;

#[derive(Deserialize)]
struct Row {
    id: i64,
    message: String,
    link: Option<String>,
    created_at: String,
    read_at: Option<String>,
}

impl Row {
    fn view(self) -> Notification {
        Notification { id: self.id, message: self.message, link: self.link, created_at: self.created_at, read: self.read_at.is_some() }
    }
}

#[derive(Deserialize)]
struct Count {
    n: i64,
}

async fn newest(app: &App, user: &User) -> AppResult<Notifications> {
    let rows: Vec<Row> = all(
        &app.db,
        "SELECT id, message, link, created_at, read_at FROM notifications WHERE user_id = ? ORDER BY id DESC LIMIT 50",
        args![user.id.as_str()],
    )
    .await?;
    let unread: Option<Count> = first(
        &app.db,
        "SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL",
        args![user.id.as_str()],
    )
    .await?;
    Ok(Notifications { items: rows.into_iter().map(Row::view).collect(), unread: unread.map_or(0, |c| c.n.max(0) as u32) })
}

/// `GET /api/notifications`: the newest 50, and how many are unread.
pub async fn list(app: &App, user: &User) -> AppResult<Response> {
    json(&newest(app, user).await?, 200)
}

/// `POST /api/notifications/{id}/read`: one of the user's own (reading twice changes nothing).
pub async fn read(app: &App, user: &User, id: &str) -> AppResult<Response> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    run(
        &app.db,
        "UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND user_id = ?",
        args![app.now_iso.as_str(), id, user.id.as_str()],
    )
    .await?;
    let row: Option<Row> = first(
        &app.db,
        "SELECT id, message, link, created_at, read_at FROM notifications WHERE id = ? AND user_id = ?",
        args![id, user.id.as_str()],
    )
    .await?;
    json(&row.ok_or(AppError::NotFound)?.view(), 200)
}

/// `POST /api/notifications/read-all`
pub async fn read_all(app: &App, user: &User) -> AppResult<Response> {
    run(
        &app.db,
        "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
        args![app.now_iso.as_str(), user.id.as_str()],
    )
    .await?;
    json(&newest(app, user).await?, 200)
}
