//! Email and SMS to people: written to the outbox in the batch of what causes them, sent
//! by the cron through a provider, retried with backoff, never sent twice (the provider
//! dedupes on our message id). The one provider here is local: a labelled stand-in that
//! writes what would have been sent to a table administrators read.

use crate::args;
use crate::auth::User;
use crate::db::{all, first, run};
use crate::error::{AppError, AppResult};
use crate::http::json;
use crate::App;
use serde::Deserialize;
use shebao_domain::api::OutboundMessage;
use shebao_domain::role::Role;
use worker::Response;

/// Attempts at one message before it is marked failed.
const MAX_ATTEMPTS: i64 = 8;
/// Messages sent per cron run.
const BATCH: i64 = 100;

#[derive(Debug, Clone, Deserialize)]
struct Pending {
    id: String,
    channel: String,
    recipient: String,
    body: String,
    attempts: i64,
}

#[allow(async_fn_in_trait)] // one implementation, used in one thread
pub trait Provider {
    /// Sends one message; sending the same `id` again sends nothing new.
    async fn send(&self, app: &App, id: &str, channel: &str, recipient: &str, body: &str) -> AppResult<Result<(), String>>;
}

/// 本地模拟发送: records each message once; can be told to fail the next sends.
pub struct LocalProvider;

impl Provider for LocalProvider {
    async fn send(&self, app: &App, id: &str, channel: &str, recipient: &str, body: &str) -> AppResult<Result<(), String>> {
        #[derive(Deserialize)]
        struct Value {
            value: i64,
        }
        let fail: Option<Value> = first(&app.db, "SELECT value FROM provider_config WHERE key = 'fail_next'", args![]).await?;
        if fail.is_some_and(|f| f.value > 0) {
            run(&app.db, "UPDATE provider_config SET value = value - 1 WHERE key = 'fail_next'", args![]).await?;
            return Ok(Err("本地模拟发送：服务暂不可用".into()));
        }
        run(
            &app.db,
            "INSERT OR IGNORE INTO provider_sent (message_id, channel, recipient, body, sent_at) VALUES (?, ?, ?, ?, ?)",
            args![id, channel, recipient, body, app.now_iso.as_str()],
        )
        .await?;
        Ok(Ok(()))
    }
}

/// 1 min, 2 min, 4 min … up to 2 hours between attempts.
fn backoff_ms(attempts: i64) -> i64 {
    (60_000_i64 << attempts.clamp(1, 8).saturating_sub(1)).min(2 * 60 * 60 * 1000)
}

/// Sends what is due.
pub async fn send_due(app: &App) -> AppResult<()> {
    let due: Vec<Pending> = all(
        &app.db,
        "SELECT id, channel, recipient, body, attempts FROM message_outbox \
         WHERE status = 'pending' AND not_before <= ? ORDER BY not_before LIMIT ?",
        args![app.now_ms, BATCH],
    )
    .await?;
    for m in due {
        let attempts = m.attempts + 1;
        match LocalProvider.send(app, &m.id, &m.channel, &m.recipient, &m.body).await? {
            Ok(()) => {
                run(
                    &app.db,
                    "UPDATE message_outbox SET status = 'sent', attempts = ?, sent_at = ? WHERE id = ? AND status = 'pending'",
                    args![attempts, app.now_iso.as_str(), m.id.as_str()],
                )
                .await?
            }
            Err(why) => {
                let status = if attempts >= MAX_ATTEMPTS { "failed" } else { "pending" };
                run(
                    &app.db,
                    "UPDATE message_outbox SET status = ?, attempts = ?, not_before = ?, last_error = ? \
                     WHERE id = ? AND status = 'pending'",
                    args![status, attempts, app.now_ms + backoff_ms(attempts), why, m.id.as_str()],
                )
                .await?
            }
        }
    }
    Ok(())
}

#[derive(Deserialize)]
struct Row {
    id: String,
    channel: String,
    recipient: String,
    body: String,
    status: String,
    attempts: i64,
    created_at: String,
    sent_at: Option<String>,
}

/// `GET /api/messages` (administrators): the newest 200 messages and what became of them.
pub async fn list(app: &App, user: &User) -> AppResult<Response> {
    if user.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let rows: Vec<Row> = all(
        &app.db,
        "SELECT id, channel, recipient, body, status, attempts, created_at, sent_at FROM message_outbox \
         ORDER BY created_at DESC, id LIMIT 200",
        args![],
    )
    .await?;
    let out: Vec<OutboundMessage> = rows
        .into_iter()
        .map(|r| OutboundMessage {
            id: r.id,
            channel: r.channel,
            recipient: r.recipient,
            body: r.body,
            status: r.status,
            attempts: r.attempts,
            created_at: r.created_at,
            sent_at: r.sent_at,
        })
        .collect();
    json(&out, 200)
}
