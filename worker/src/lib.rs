//! The Shebao worker: /api on D1, thin over the domain crate. Static files (the SPA) are
//! served by the assets layer before this code runs.

mod alerts;
mod audit;
mod auth;
mod bank;
mod bureau;
mod changes;
mod claims;
mod crypto;
mod db;
mod employees;
mod enrollments;
mod error;
mod help;
mod http;
mod idempotency;
mod imports;
mod messages;
mod notifications;
mod proofs;
mod reports;
mod runs;
mod settings;
mod xlsx;

use error::{AppError, AppResult};
use std::sync::atomic::{AtomicI64, Ordering};
use worker::{event, Bucket, Context, Env, MessageBatch, MessageExt, Method, Queue, Request, Response, ScheduleContext, ScheduledEvent};

/// What every request path needs: the database, the generation queue and the request's time.
pub struct App {
    pub db: db::Db,
    pub queue: Option<Queue>,
    /// R2: claims' documents.
    files: Option<Bucket>,
    pub now_ms: i64,
    pub now_iso: String,
    /// The local stack runs on a labelled demo clock (`CLOCK_OFFSET_MS`).
    pub simulated_clock: bool,
}

/// `CLOCK_OFFSET_MS`, a variable only the local stack sets (`cargo xtask dev` and the tests
/// that need a given day): the demo data's "today". A deployment never sets it.
static CLOCK_OFFSET_MS: AtomicI64 = AtomicI64::new(0);

impl App {
    fn new(env: &Env) -> AppResult<App> {
        App::at(env, chrono::Utc::now().timestamp_millis())
    }

    /// The app at `real_ms` (a request's arrival, or a cron trigger's scheduled time).
    fn at(env: &Env, real_ms: i64) -> AppResult<App> {
        let offset = env.var("CLOCK_OFFSET_MS").ok().and_then(|v| v.to_string().parse::<i64>().ok()).unwrap_or(0);
        CLOCK_OFFSET_MS.store(offset, Ordering::Relaxed);
        let now_ms = real_ms + offset;
        let now = chrono::DateTime::from_timestamp_millis(now_ms).ok_or_else(|| AppError::Internal("clock".into()))?;
        Ok(App {
            db: db::Db::new(env.d1("DB")?),
            queue: env.queue("RUN_QUEUE").ok(),
            files: env.bucket("FILES").ok(),
            now_ms,
            now_iso: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            simulated_clock: offset != 0,
        })
    }
}

impl App {
    /// The bucket of claims' documents.
    pub fn files(&self) -> AppResult<&Bucket> {
        self.files.as_ref().ok_or_else(|| AppError::Internal("no FILES bucket bound".into()))
    }
}

/// The time now, for work that outlives a request's start (claims, the bureau's clock).
pub fn clock_ms() -> i64 {
    chrono::Utc::now().timestamp_millis() + CLOCK_OFFSET_MS.load(Ordering::Relaxed)
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    let https = http::is_https(&req);
    let (answer, round_trips) = match App::new(&env) {
        Ok(app) => (route(req, &env, &app).await, app.db.round_trips()),
        Err(e) => (Err(e), 0),
    };
    let mut resp = match answer {
        Ok(resp) => resp,
        Err(e) => e.into_response()?,
    };
    // On every answer, errors too: JSON that nothing may render, frame or refer from.
    let headers = resp.headers_mut();
    headers.set("Cache-Control", "no-store")?;
    headers.set("X-Content-Type-Options", "nosniff")?;
    // A route that serves a file (a claim's document) sets its own.
    if !headers.has("Content-Security-Policy")? {
        headers.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")?;
    }
    headers.set("Referrer-Policy", "no-referrer")?;
    headers.set("X-D1-Round-Trips", &round_trips.to_string())?;
    if https {
        headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")?;
    }
    Ok(resp)
}

async fn route(req: Request, env: &Env, app: &App) -> AppResult<Response> {
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let method = req.method();
    let is_upload = matches!(segments.as_slice(), ["api", "claims", _, "documents"]);
    http::check_state_change(&req, is_upload)?;
    // Routes open to anyone.
    match (&method, segments.as_slice()) {
        (Method::Get, ["api", "health"]) => return http::json(&serde_json::json!({"status": "ok"}), 200),
        (Method::Post, ["api", "session"]) => return auth::routes::login(req, app).await,
        (Method::Delete, ["api", "session"]) => return auth::routes::logout(req, app).await,
        (Method::Post, ["api", "setup"]) => return auth::routes::setup(req, app, env).await,
        // A proof of contributions is verified by whoever has its link.
        (Method::Get, ["api", "proofs", code]) => return proofs::verify(app, code).await,
        (_, ["api", ..]) => {}
        _ => return Err(AppError::NotFound),
    }
    let session = auth::service::session(app, http::session_token(&req)).await?;
    // Reads that do not depend on who asks go with the session's read: one round trip.
    match (&method, segments.as_slice()) {
        (Method::Get, ["api", "runs", id]) => return runs::get(&req, app, session, id).await,
        (Method::Get, ["api", "runs", id, "lines"]) => return runs::lines(&req, app, session, id).await,
        (Method::Get, ["api", "runs", id, "changes"]) => return runs::changes(&req, app, session, id).await,
        (Method::Get, ["api", "dashboard"]) => return runs::dashboard(app, auth::service::Asker::Session(session)).await,
        (Method::Post, ["api", "enrollments", "preview"]) => return enrollments::routes::preview(req, app, session).await,
        // Reads that depend on who asks go with it when the session was seen before (Asker::send_for).
        (Method::Get, ["api", "employees"]) => return employees::routes::list(&req, app, session).await,
        (Method::Get, ["api", "claims"]) => return claims::list(&req, app, session).await,
        _ => {}
    }
    let user = session.user(app).await?;
    match (method, segments.as_slice()) {
        (Method::Get, ["api", "me"]) => http::json(&user, 200),
        (Method::Get, ["api", "branches"]) => employees::routes::branches(app, &user).await,
        (Method::Post, ["api", "employees"]) => employees::routes::create(req, app, &user).await,
        (Method::Get, ["api", "employees", id]) => employees::routes::get(app, &user, id).await,
        (Method::Patch, ["api", "employees", id]) => employees::routes::update(req, app, &user, id).await,
        (Method::Post, ["api", "employees", id, "reveal-id"]) => employees::routes::reveal_id(app, &user, id).await,
        (Method::Get, ["api", "alerts"]) => alerts::list(app, &user).await,
        (Method::Post, ["api", "alerts", id, "acknowledge"]) => alerts::acknowledge(req, app, &user, id).await,
        (Method::Get, ["api", "notifications"]) => notifications::list(app, &user).await,
        (Method::Post, ["api", "notifications", "read-all"]) => notifications::read_all(app, &user).await,
        (Method::Post, ["api", "notifications", id, "read"]) => notifications::read(app, &user, id).await,
        (Method::Get, ["api", "messages"]) => messages::list(app, &user).await,
        (Method::Put, ["api", "branches", id, "budget"]) => runs::set_budget(req, app, &user, id).await,
        (Method::Get, ["api", "runs"]) => runs::list(&req, app, &user).await,
        (Method::Post, ["api", "runs"]) => runs::create(req, app, &user).await,
        (Method::Post, ["api", "runs", id, action]) => runs::act(req, app, &user, id, action).await,
        (Method::Get, ["api", "employees", id, "contributions"]) => runs::contributions(app, &user, id).await,
        (Method::Post, ["api", "me", "proofs"]) => proofs::issue(req, app, &user).await,
        (Method::Get, ["api", "me", "changes"]) => changes::mine(app, &user).await,
        (Method::Post, ["api", "me", "changes"]) => changes::create(req, app, &user).await,
        (Method::Get, ["api", "changes"]) => changes::list(&req, app, &user).await,
        (Method::Post, ["api", "changes", id, decision]) => changes::decide(req, app, &user, id, decision).await,
        (Method::Post, ["api", "claims"]) => claims::create(req, app, &user).await,
        (Method::Get, ["api", "claims", id]) => claims::get(app, &user, id).await,
        (Method::Post, ["api", "claims", id, "documents"]) => claims::upload(req, app, &user, id).await,
        (Method::Get, ["api", "claims", id, "documents", doc]) => claims::document(app, &user, id, doc).await,
        (Method::Post, ["api", "claims", id, action]) => claims::act(req, app, &user, id, action).await,
        (Method::Get, ["api", "help"]) => help::ask(&req, app, &user).await,
        (Method::Get, ["api", "help", "tickets"]) => help::tickets(&req, app, &user).await,
        (Method::Post, ["api", "help", "tickets"]) => help::create_ticket(req, app, &user).await,
        (Method::Post, ["api", "help", "tickets", id, "answer"]) => help::answer_ticket(req, app, &user, id).await,
        (Method::Get, ["api", "faq"]) => help::faq(app, &user).await,
        (Method::Post, ["api", "faq"]) => help::create_faq(req, app, &user).await,
        (Method::Patch, ["api", "faq", id]) => help::update_faq(req, app, &user, id).await,
        (Method::Get, ["api", "reports", name]) => reports::get(&req, app, &user, name).await,
        (Method::Get, ["api", "imports"]) => imports::list(app, &user).await,
        (Method::Post, ["api", "imports"]) => imports::start(req, app, &user).await,
        (Method::Get, ["api", "imports", id]) => imports::get(app, &user, id).await,
        (Method::Get, ["api", "imports", id, "rejected"]) => imports::rejected(app, &user, id).await,
        (Method::Post, ["api", "imports", id, "rows"]) => imports::rows(req, app, &user, id).await,
        (Method::Post, ["api", "imports", id, "commit"]) => imports::commit(req, app, &user, id).await,
        (Method::Get, ["api", "audit"]) => audit::routes::timeline(&req, app, &user).await,
        (Method::Get, ["api", "enrollments", "counts"]) => enrollments::routes::counts(app, &user).await,
        (Method::Get, ["api", "enrollments"]) => enrollments::routes::list(&req, app, &user).await,
        (Method::Post, ["api", "enrollments"]) => enrollments::routes::create(req, app, &user).await,
        (Method::Get, ["api", "enrollments", id]) => enrollments::routes::get(app, &user, id).await,
        (Method::Patch, ["api", "enrollments", id]) => enrollments::routes::update(req, app, &user, id).await,
        (Method::Post, ["api", "enrollments", id, action]) => {
            enrollments::routes::act(req, app, &user, id, action).await
        }
        (Method::Get, ["api", "settings"]) => settings::get(app).await,
        (Method::Put, ["api", "settings"]) => settings::put(req, app, &user).await,
        (Method::Get, ["api", "bureau-simulator"]) => bureau::routes::get(app, &user).await,
        (Method::Put, ["api", "bureau-simulator"]) => bureau::routes::put(req, app, &user).await,
        _ => Err(AppError::NotFound),
    }
}

/// The cron triggers. Every 10 minutes: file what is due with the bureau, then
/// housekeeping (expired sessions, stale throttles, old idempotency keys). Every 15
/// minutes: this month's runs (generated at the month's start, or when one is missing),
/// generations and payments that stopped resumed, held claims checked again, escalation,
/// and the messages due. Each
/// runs at the trigger's scheduled time (on the local stack's demo clock, if set).
#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let result = async {
        let app = App::at(&env, event.schedule() as i64)?;
        if event.cron() == "*/15 * * * *" {
            runs::generate_month(&app).await?;
            runs::resume(&app).await?;
            claims::service::recheck(&app, None).await?;
            alerts::escalate(&app).await?;
            return messages::send_due(&app).await;
        }
        enrollments::executor::run_due(&app, None).await?;
        auth::repo::purge_expired(&app).await?;
        idempotency::purge_old(&app).await
    }
    .await;
    if let Err(e) = result {
        worker::console_error!("scheduled run failed: {e}");
    }
}

/// The generation queue: each message is one chunk of a run.
#[event(queue)]
async fn queue(batch: MessageBatch<runs::ChunkJob>, env: Env, _ctx: Context) -> worker::Result<()> {
    let app = App::new(&env).map_err(|e| worker::Error::RustError(e.to_string()))?;
    for message in batch.messages()? {
        match runs::consume(&app, message.body()).await {
            Ok(()) => message.ack(),
            // Delivered again later; a chunk done twice writes nothing the second time.
            Err(e) => {
                worker::console_error!("run chunk {:?}: {e}", message.body());
                message.retry();
            }
        }
    }
    Ok(())
}
