//! The Shebao worker: /api on D1, thin over the domain crate. Static files (the SPA) are
//! served by the assets layer before this code runs.

mod alerts;
mod audit;
mod auth;
mod bureau;
mod crypto;
mod db;
mod employees;
mod enrollments;
mod error;
mod http;
mod idempotency;
mod settings;

use error::{AppError, AppResult};
use worker::{event, Context, D1Database, Env, Method, Request, Response, ScheduleContext, ScheduledEvent};

/// What every request path needs: the database and the request's time.
pub struct App {
    pub db: D1Database,
    pub now_ms: i64,
    pub now_iso: String,
}

impl App {
    fn new(env: &Env) -> AppResult<App> {
        let now = chrono::Utc::now();
        Ok(App {
            db: env.d1("DB")?,
            now_ms: now.timestamp_millis(),
            now_iso: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        })
    }
}

/// The time now, for work that outlives a request's start (claims, the bureau's clock).
pub fn clock_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    let https = http::is_https(&req);
    let mut resp = match route(req, &env).await {
        Ok(resp) => resp,
        Err(e) => e.into_response()?,
    };
    // On every answer, errors too: JSON that nothing may render, frame or refer from.
    let headers = resp.headers_mut();
    headers.set("Cache-Control", "no-store")?;
    headers.set("X-Content-Type-Options", "nosniff")?;
    headers.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")?;
    headers.set("Referrer-Policy", "no-referrer")?;
    if https {
        headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")?;
    }
    Ok(resp)
}

async fn route(req: Request, env: &Env) -> AppResult<Response> {
    let app = App::new(env)?;
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let method = req.method();
    http::check_state_change(&req)?;
    // Routes open to anyone.
    match (&method, segments.as_slice()) {
        (Method::Get, ["api", "health"]) => return http::json(&serde_json::json!({"status": "ok"}), 200),
        (Method::Post, ["api", "session"]) => return auth::routes::login(req, &app).await,
        (Method::Delete, ["api", "session"]) => return auth::routes::logout(req, &app).await,
        (Method::Post, ["api", "setup"]) => return auth::routes::setup(req, &app, env).await,
        (_, ["api", ..]) => {}
        _ => return Err(AppError::NotFound),
    }
    let user = auth::service::user_for_token(&app, http::session_token(&req)).await?;
    match (method, segments.as_slice()) {
        (Method::Get, ["api", "me"]) => http::json(&user, 200),
        (Method::Get, ["api", "branches"]) => employees::routes::branches(&app, &user).await,
        (Method::Get, ["api", "employees"]) => employees::routes::list(&req, &app, &user).await,
        (Method::Post, ["api", "employees"]) => employees::routes::create(req, &app, &user).await,
        (Method::Get, ["api", "employees", id]) => employees::routes::get(&app, &user, id).await,
        (Method::Patch, ["api", "employees", id]) => employees::routes::update(req, &app, &user, id).await,
        (Method::Post, ["api", "employees", id, "reveal-id"]) => employees::routes::reveal_id(&app, &user, id).await,
        (Method::Get, ["api", "alerts"]) => alerts::mine(&app, &user).await,
        (Method::Get, ["api", "audit"]) => audit::routes::timeline(&req, &app, &user).await,
        (Method::Post, ["api", "enrollments", "preview"]) => enrollments::routes::preview(req, &app, &user).await,
        (Method::Get, ["api", "enrollments", "counts"]) => enrollments::routes::counts(&app, &user).await,
        (Method::Get, ["api", "enrollments"]) => enrollments::routes::list(&req, &app, &user).await,
        (Method::Post, ["api", "enrollments"]) => enrollments::routes::create(req, &app, &user).await,
        (Method::Get, ["api", "enrollments", id]) => enrollments::routes::get(&app, &user, id).await,
        (Method::Patch, ["api", "enrollments", id]) => enrollments::routes::update(req, &app, &user, id).await,
        (Method::Post, ["api", "enrollments", id, action]) => {
            enrollments::routes::act(req, &app, &user, id, action).await
        }
        (Method::Get, ["api", "settings"]) => settings::get(&app).await,
        (Method::Put, ["api", "settings"]) => settings::put(req, &app, &user).await,
        (Method::Get, ["api", "bureau-simulator"]) => bureau::routes::get(&app, &user).await,
        (Method::Put, ["api", "bureau-simulator"]) => bureau::routes::put(req, &app, &user).await,
        _ => Err(AppError::NotFound),
    }
}

/// The cron trigger: file what is due with the bureau, then housekeeping (expired sessions,
/// stale throttles, old idempotency keys).
#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let result = async {
        let app = App::new(&env)?;
        enrollments::executor::run_due(&app, None).await?;
        auth::repo::purge_expired(&app).await?;
        idempotency::purge_old(&app).await
    }
    .await;
    if let Err(e) = result {
        worker::console_error!("scheduled run failed: {e}");
    }
}
