use super::service::{self, SESSION_TTL_MS};
use crate::error::AppResult;
use crate::http::{body, client_address, json, session_cookie, session_token};
use crate::App;
use serde::Deserialize;
use shebao_domain::api::LoginRequest;
use worker::{Env, Request, Response};

/// `POST /api/session`: sign in, set the session cookie, answer with the user.
pub async fn login(mut req: Request, app: &App) -> AppResult<Response> {
    let creds: LoginRequest = body(&mut req).await?;
    let (user, token) = service::login(app, &creds, &client_address(&req)).await?;
    let mut resp = json(&user, 200)?;
    resp.headers_mut()
        .set("Set-Cookie", &session_cookie(&req, &token, SESSION_TTL_MS / 1000))?;
    Ok(resp)
}

/// `DELETE /api/session`: sign out (idempotent) and clear the cookie.
pub async fn logout(req: Request, app: &App) -> AppResult<Response> {
    if let Some(token) = session_token(&req) {
        service::logout(app, &token).await?;
    }
    let mut resp = Response::empty()?.with_status(204);
    resp.headers_mut().set("Set-Cookie", &session_cookie(&req, "", 0))?;
    Ok(resp)
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct Setup {
    login: String,
    display_name: String,
    password: String,
}

/// Where `POST /api/setup` carries the deployment's setup secret.
const SETUP_SECRET_HEADER: &str = "X-Setup-Secret";

/// `POST /api/setup`: the first administrator of a fresh deployment (no demo data), for
/// whoever holds the setup secret (`wrangler secret put SETUP_SECRET`).
pub async fn setup(mut req: Request, app: &App, env: &Env) -> AppResult<Response> {
    let configured = env.secret("SETUP_SECRET").ok().map(|s| s.to_string());
    service::check_setup_secret(configured.as_deref(), req.headers().get(SETUP_SECRET_HEADER)?.as_deref()).await?;
    let s: Setup = body(&mut req).await?;
    let admin = service::setup_first_admin(app, &s.login, &s.display_name, &s.password).await?;
    json(&admin, 201)
}
