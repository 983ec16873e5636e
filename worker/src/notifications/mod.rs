//! The notification centre: what the system told the signed-in user, read or not.

mod repo;

use crate::auth::User;
use crate::db::Reads;
use crate::error::{AppError, AppResult};
use crate::http::json;
use crate::App;
use repo::Row;
use shebao_domain::api::{Notification, Notifications};
use worker::Response;

impl Row {
    fn view(self) -> Notification {
        Notification { id: self.id, message: self.message, link: self.link, created_at: self.created_at, read: self.read_at.is_some() }
    }
}

/// The newest 50 and how many are unread, in one round trip.
async fn newest(app: &App, user: &User) -> AppResult<Notifications> {
    let mut reads = Reads::default();
    let (rows, unread) = (reads.add(repo::newest(app, &user.id)?), reads.add(repo::unread(app, &user.id)?));
    let read = reads.send(&app.db).await?;
    Ok(Notifications {
        items: read.rows(rows)?.into_iter().map(Row::view).collect(),
        unread: read.first(unread)?.map_or(0, |c| c.n.max(0) as u32),
    })
}

/// `GET /api/notifications`: the newest 50, and how many are unread.
pub async fn list(app: &App, user: &User) -> AppResult<Response> {
    json(&newest(app, user).await?, 200)
}

/// `POST /api/notifications/{id}/read`: one of the user's own (reading twice changes nothing).
pub async fn read(app: &App, user: &User, id: &str) -> AppResult<Response> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    repo::mark_read(app, id, &user.id).await?;
    let row = repo::notification(app, id, &user.id)?.first(&app.db).await?;
    json(&row.ok_or(AppError::NotFound)?.view(), 200)
}

/// `POST /api/notifications/read-all`
pub async fn read_all(app: &App, user: &User) -> AppResult<Response> {
    repo::mark_all_read(app, &user.id).await?;
    json(&newest(app, user).await?, 200)
}
