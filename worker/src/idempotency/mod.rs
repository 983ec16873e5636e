//! `Idempotency-Key` on POSTs: the first answer is stored in the same batch as the change,
//! bound to the request it answered (method, path and query, and a SHA-256 of the body).
//! The same key with the same request gets that answer back instead of a second change;
//! the same key with another request gets 422.

mod repo;

use crate::auth::User;
use crate::crypto::sha256_hex;
use crate::db::{commit, Change};
use crate::error::{AppError, AppResult};
use crate::http;
use crate::App;
use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::{Request, Response};

/// A request's key and the fingerprint of the request it belongs to.
pub struct Key {
    key: String,
    fingerprint: String,
}

/// The first answer to a key: its status and JSON body.
pub struct Stored {
    pub status: u16,
    pub body: String,
}

/// What `begin` found.
pub enum Begin<T> {
    /// This very request was carried out before: its first answer.
    Replay(Stored),
    /// A request to carry out: its body, and the key (if any) to record the answer under.
    New(T, Option<Key>),
}

fn header(req: &Request) -> AppResult<Option<String>> {
    match req.headers().get("Idempotency-Key")? {
        Some(k) if k.is_empty() || k.len() > 200 => {
            Err(AppError::BadRequest("Idempotency-Key 长度应为 1–200 个字符"))
        }
        other => Ok(other),
    }
}

/// Reads the key and the JSON body of a POST. A key already used answers with the first
/// answer when the request is the same, and 422 when it is not; the body is parsed only
/// for a request to carry out.
pub async fn begin<T: DeserializeOwned>(req: &mut Request, app: &App, user: &User) -> AppResult<Begin<T>> {
    match begin_bytes(req, app, user, http::MAX_BODY_BYTES).await? {
        Begin::Replay(stored) => Ok(Begin::Replay(stored)),
        Begin::New(bytes, key) => Ok(Begin::New(http::decode(&bytes)?, key)),
    }
}

/// `begin` for a body that is not JSON (an uploaded file), of at most `max` bytes.
pub async fn begin_bytes(req: &mut Request, app: &App, user: &User, max: usize) -> AppResult<Begin<Vec<u8>>> {
    let key = header(req)?;
    let bytes = http::read_at_most(req, max).await?;
    let key = match key {
        Some(key) => {
            let url = req.url()?;
            let target = format!("{} {}?{}\n", req.method(), url.path(), url.query().unwrap_or(""));
            let fingerprint = sha256_hex(&[target.as_bytes(), &bytes].concat()).await?;
            let key = Key { key, fingerprint };
            if let Some(stored) = stored(app, user, &key).await? {
                return Ok(Begin::Replay(stored));
            }
            Some(key)
        }
        None => None,
    };
    Ok(Begin::New(bytes, key))
}

/// The stored answer for this user's key, if a request was already carried out with it:
/// 422 if that was another request.
async fn stored(app: &App, user: &User, key: &Key) -> AppResult<Option<Stored>> {
    match repo::stored(app, &user.id, &key.key).await? {
        Some(r) if r.fingerprint != key.fingerprint => Err(AppError::KeyReused),
        row => Ok(row.map(|r| Stored { status: r.status as u16, body: r.body })),
    }
}

/// Marks a response as the replay of an earlier one.
pub fn replayed(mut resp: Response) -> AppResult<Response> {
    resp.headers_mut().set("Idempotent-Replayed", "true")?;
    Ok(resp)
}

impl Stored {
    /// The stored answer, sent again as it was.
    pub fn into_response(self) -> AppResult<Response> {
        let mut resp = Response::ok(self.body)?.with_status(self.status);
        resp.headers_mut().set("Content-Type", "application/json")?;
        replayed(resp)
    }
}

/// Commits `change` together with the record of its answer (`status`, `body`). Returns
/// the stored answer instead when a concurrent request with the same key won the race
/// (422 if that was another request).
pub async fn commit_recorded<T: Serialize>(
    app: &App,
    user: &User,
    key: Option<&Key>,
    mut change: Change,
    status: u16,
    body: &T,
) -> AppResult<Option<Stored>> {
    if let Some(key) = key {
        // Right after the audit entry, with `changes() = 1`: written only when it was.
        let at = change.guarded.map_or(change.statements.len(), |g| g + 2).min(change.statements.len());
        change.statements.insert(
            at,
            repo::record(app, &user.id, &key.key, &key.fingerprint, status, serde_json::to_string(body)?)?,
        );
    }
    match (commit(&app.db, change).await, key) {
        (Ok(()), _) => Ok(None),
        (Err(AppError::Conflict(m)), Some(key)) => stored(app, user, key).await?.map(Some).ok_or(AppError::Conflict(m)),
        (Err(e), _) => Err(e),
    }
}

/// Commits `change` with its answer recorded, and answers with `body` (or the replay).
pub async fn commit_with_key<T: Serialize>(
    app: &App,
    user: &User,
    key: Option<&Key>,
    change: Change,
    status: u16,
    body: &T,
) -> AppResult<Response> {
    match commit_recorded(app, user, key, change, status, body).await? {
        Some(first_answer) => first_answer.into_response(),
        None => http::json(body, status),
    }
}

/// Answers older than a day are no longer needed for retries; the cron trigger drops them.
pub async fn purge_old(app: &App) -> AppResult<()> {
    repo::purge_before(app, app.now_ms - 24 * 60 * 60 * 1000).await
}
