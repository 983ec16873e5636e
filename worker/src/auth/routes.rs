use super::service::{self, SESSION_TTL_MS};
use crate::http::{body, cookie, json, session_cookie, SESSION_COOKIE};
use crate::error::AppResult;
use crate::App;
use serde::Deserialize;
use shebao_domain::api::LoginRequest;
use worker::{Request, Response};

/// `POST /api/session`: sign in, set the session cookie, answer with the user.
pub async fn login(mut req: Request, app: &App) -> AppResult<Response> {
    let creds: LoginRequest = body(&mut req).await?;
    let (user, token) = service::login(app, &creds.login, &creds.password).await?;
    let mut resp = json(&user, 200)?;
    resp.headers_mut()
        .set("Set-Cookie", &session_cookie(&req, &token, SESSION_TTL_MS / 1000)?)?;
    Ok(resp)
}

/// `DELETE /api/session`: sign out (idempotent) and clear the cookie.
pub async fn logout(req: Request, app: &App) -> AppResult<Response> {
    if let Some(token) = cookie(&req, SESSION_COOKIE) {
        service::logout(app, &token).await?;
    }
    let mut resp = Response::empty()?.with_status(204);
    resp.headers_mut().set("Set-Cookie", &session_cookie(&req, "", 0)?)?;
    Ok(resp)
}

#[derive(Deserialize)]
struct Setup {
    login: String,
    #[serde(default)]
    display_name: String,
    password: String,
}

/// `POST /api/setup`: the first administrator of a fresh deployment (no demo data).
pub async fn setup(mut req: Request, app: &App) -> AppResult<Response> {
    let s: Setup = body(&mut req).await?;
    let admin = service::setup_first_admin(app, &s.login, &s.display_name, &s.password).await?;
    json(&admin, 201)
}
