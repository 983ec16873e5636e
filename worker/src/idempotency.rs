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

#[derive(Deserialize)]
struct Stored {
    status: i64,
    body: String,
}

/// The stored answer for this user's key, if the request was already carried out.
pub async fn replay(app: &App, user: &User, key: Option<&str>) -> AppResult<Option<Response>> {
    let Some(key) = key else { return Ok(None) };
    let stored: Option<Stored> = first(
        &app.db,
        "SELECT status, body FROM idempotency WHERE user_id = ? AND key = ?",
        args![&user.id, key],
    )
    .await?;
    stored
        .map(|s| {
            let mut resp = Response::ok(s.body)?.with_status(s.status as u16);
            resp.headers_mut().set("Content-Type", "application/json")?;
            resp.headers_mut().set("Idempotent-Replayed", "true")?;
            Ok(resp)
        })
        .transpose()
}

/// Commits `change` together with the record of its answer, and answers.
pub async fn commit_with_key<T: Serialize>(
    app: &App,
    user: &User,
    key: Option<&str>,
    mut change: Change,
    status: u16,
    body: &T,
) -> AppResult<Response> {
    let text = serde_json::to_string(body)?;
    if let Some(key) = key {
        // After the audit entry: written only when the change itself was.
        change.statements.push(stmt(
            &app.db,
            "INSERT INTO idempotency (user_id, key, status, body, created_at) \
             SELECT ?, ?, ?, ?, ? WHERE changes() = 1",
            args![&user.id, key, i64::from(status), text.as_str(), app.now_ms],
        )?);
    }
    match commit(&app.db, change).await {
        Ok(()) => {}
        // A concurrent request with the same key won the race: answer as it did.
        Err(AppError::Conflict(m)) => {
            return replay(app, user, key).await?.ok_or(AppError::Conflict(m));
        }
        Err(e) => return Err(e),
    }
    let mut resp = Response::ok(text)?.with_status(status);
    resp.headers_mut().set("Content-Type", "application/json")?;
    Ok(resp)
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
