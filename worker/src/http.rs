//! Small request/response helpers shared by the routes, and the checks every request
//! passes before a route sees it.

use crate::error::{AppError, AppResult};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::{Method, Request, Response};

/// The session cookie over http (local development only: browsers refuse `__Host-`
/// cookies there) …
const SESSION_COOKIE: &str = "shebao_session";
/// … and over https: a `__Host-` cookie, which the browser takes only with Secure, Path=/
/// and no Domain, so that neither a subdomain nor plain http can set or overwrite it.
const SESSION_COOKIE_HTTPS: &str = "__Host-shebao_session";

/// Larger bodies are refused before they are parsed.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

pub fn is_https(req: &Request) -> bool {
    req.url().is_ok_and(|u| u.scheme() == "https")
}

fn session_cookie_name(req: &Request) -> &'static str {
    if is_https(req) { SESSION_COOKIE_HTTPS } else { SESSION_COOKIE }
}

/// The session token, from the cookie of the name this scheme uses.
pub fn session_token(req: &Request) -> Option<String> {
    let name = session_cookie_name(req);
    let header = req.headers().get("Cookie").ok().flatten()?;
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name && !v.is_empty()).then(|| v.to_string())
    })
}

/// The session cookie: HttpOnly, SameSite=Strict, Path=/, and over https Secure.
pub fn session_cookie(req: &Request, token: &str, max_age_secs: i64) -> String {
    format!(
        "{}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age_secs}{}",
        session_cookie_name(req),
        if is_https(req) { "; Secure" } else { "" }
    )
}

/// The client's address: `CF-Connecting-IP`, which Cloudflare's edge sets and a client
/// cannot (locally, `wrangler dev` sets it from the connection when the client did not).
pub fn client_address(req: &Request) -> String {
    req.headers()
        .get("CF-Connecting-IP")
        .ok()
        .flatten()
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

/// What a state-changing request (POST, PUT, PATCH, DELETE) must show before any route
/// sees it. It comes from the app's own pages: `Sec-Fetch-Site: same-origin`, or an
/// `Origin` equal to the worker's own, neither of which a page on another site can forge
/// (403). A request with a body sends JSON (415): every route reads JSON. A file-upload
/// route, when there is one, is the exception and belongs here: it checks the file's
/// declared type against the file's content instead.
pub fn check_state_change(req: &Request) -> AppResult<()> {
    let method = req.method();
    if !matches!(method, Method::Post | Method::Put | Method::Patch | Method::Delete) {
        return Ok(());
    }
    let headers = req.headers();
    let same_origin = headers.get("Sec-Fetch-Site")?.as_deref() == Some("same-origin")
        || headers.get("Origin")? == Some(req.url()?.origin().ascii_serialization());
    if !same_origin {
        return Err(AppError::ForbiddenBecause("跨站请求被拒绝：请从本系统的页面操作".into()));
    }
    let content_type = headers.get("Content-Type")?.unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    if method != Method::Delete && !essence.eq_ignore_ascii_case("application/json") {
        return Err(AppError::NotJson);
    }
    Ok(())
}

/// The body, at most `MAX_BODY_BYTES` (413): a larger declared length is refused before
/// reading, and reading stops as soon as more has arrived.
pub async fn read(req: &mut Request) -> AppResult<Vec<u8>> {
    let declared = req.headers().get("Content-Length")?.and_then(|n| n.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(AppError::TooLarge);
    }
    if req.inner().body().is_none() {
        return Ok(Vec::new());
    }
    let mut stream = req.stream()?;
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        bytes.extend(chunk?);
        if bytes.len() > MAX_BODY_BYTES {
            return Err(AppError::TooLarge);
        }
    }
    Ok(bytes)
}

/// JSON into `T`: 400 if it is not JSON at all, 422 naming every field that is missing or
/// has the wrong type.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> AppResult<T> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|_| AppError::BadRequest("请求内容不是有效的 JSON"))?;
    shebao_domain::body::decode(&value).map_err(AppError::Validation)
}

/// A route's JSON body (`read`, then `decode`).
pub async fn body<T: DeserializeOwned>(req: &mut Request) -> AppResult<T> {
    decode(&read(req).await?)
}

pub fn json<T: Serialize>(value: &T, status: u16) -> AppResult<Response> {
    Ok(Response::from_json(value)?.with_status(status))
}
