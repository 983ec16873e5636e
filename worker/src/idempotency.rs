//! `Idempotency-Key` on POSTs: the first answer is stored in the same batch as the change,
//! and a repeated key gets that answer back instead of a second change.

use crate::args;
use crate::auth::User;
use crate::db::{commit, first, stmt, Change};
use crate::error::{AppError, AppResult};
use crate::App;
use serde::{Deserialize, Serialize};
use worker::{Request, Response};

pub fn key(req: &Request) -> AppResult<Option<String>> {
    match req.headers().get("Idempotency-Key")? {
        Some(k) if k.is_empty() || k.len() > 200 => {
            Err(AppError::BadRequest("Idempotency-Key 长度应为 1–200 个字符"))
        }
        other => Ok(other),
    }
}

/// The first answer to a key: its status and JSON body.
pub struct Stored {
    pub status: u16,
    pub body: String,
}

#[derive(Deserialize)]
struct StoredRow {
    status: i64,
    body: String,
}

/// The stored answer for this user's key, if the request was already carried out.
pub async fn stored(app: &App, user: &User, key: Option<&str>) -> AppResult<Option<Stored>> {
    let Some(key) = key else { return Ok(None) };
    let row: Option<StoredRow> = first(
        &app.db,
        "SELECT status, body FROM idempotency WHERE user_id = ? AND key = ?",
        args![&user.id, key],
    )
    .await?;
    Ok(row.map(|r| Stored { status: r.status as u16, body: r.body }))
}

/// Marks a response as the replay of an earlier one.
pub fn replayed(mut resp: Response) -> AppResult<Response> {
    resp.headers_mut().set("Idempotent-Replayed", "true")?;
    Ok(resp)
}

impl Stored {
    /// The stored answer, sent again as it was.
    fn into_response(self) -> AppResult<Response> {
        let mut resp = Response::ok(self.body)?.with_status(self.status);
        resp.headers_mut().set("Content-Type", "application/json")?;
        replayed(resp)
    }
}

pub async fn replay(app: &App, user: &User, key: Option<&str>) -> AppResult<Option<Response>> {
    stored(app, user, key).await?.map(Stored::into_response).transpose()
}

/// Commits `change` together with the record of its answer (`status`, `body`). Returns
/// the stored answer instead when a concurrent request with the same key won the race.
pub async fn commit_recorded<T: Serialize>(
    app: &App,
    user: &User,
    key: Option<&str>,
    mut change: Change,
    status: u16,
    body: &T,
) -> AppResult<Option<Stored>> {
    if let Some(key) = key {
        // Right after the audit entry, with `changes() = 1`: written only when it was.
        let at = change.guarded.map_or(change.statements.len(), |g| g + 2).min(change.statements.len());
        change.statements.insert(
            at,
            stmt(
                &app.db,
                "INSERT INTO idempotency (user_id, key, status, body, created_at) \
                 SELECT ?, ?, ?, ?, ? WHERE changes() = 1",
                args![&user.id, key, i64::from(status), serde_json::to_string(body)?, app.now_ms],
            )?,
        );
    }
    match commit(&app.db, change).await {
        Ok(()) => Ok(None),
        Err(AppError::Conflict(m)) => stored(app, user, key).await?.map(Some).ok_or(AppError::Conflict(m)),
        Err(e) => Err(e),
    }
}

/// Commits `change` with its answer recorded, and answers with `body` (or the replay).
pub async fn commit_with_key<T: Serialize>(
    app: &App,
    user: &User,
    key: Option<&str>,
    change: Change,
    status: u16,
    body: &T,
) -> AppResult<Response> {
    match commit_recorded(app, user, key, change, status, body).await? {
        Some(first_answer) => first_answer.into_response(),
        None => crate::http::json(body, status),
    }
}

/// Answers older than a day are no longer needed for retries; the cron trigger drops them.
pub async fn purge_old(app: &App) -> AppResult<()> {
    crate::db::run(
        &app.db,
        "DELETE FROM idempotency WHERE created_at < ?",
        args![app.now_ms - 24 * 60 * 60 * 1000],
    )
    .await
}
