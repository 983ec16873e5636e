//! Small request/response helpers shared by the routes.

use crate::error::{AppError, AppResult};
use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::{Request, Response};

pub const SESSION_COOKIE: &str = "shebao_session";

pub fn cookie(req: &Request, name: &str) -> Option<String> {
    let header = req.headers().get("Cookie").ok().flatten()?;
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name && !v.is_empty()).then(|| v.to_string())
    })
}

/// The session cookie: HttpOnly, SameSite=Strict, and Secure whenever served over https.
pub fn session_cookie(req: &Request, token: &str, max_age_secs: i64) -> AppResult<String> {
    let secure = req.url()?.scheme() == "https";
    Ok(format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age_secs}{}",
        if secure { "; Secure" } else { "" }
    ))
}

/// Parses a JSON body; a body that is not JSON of the right shape is a 400.
pub async fn body<T: DeserializeOwned>(req: &mut Request) -> AppResult<T> {
    let text = req.text().await.map_err(|_| AppError::BadRequest("无法读取请求内容"))?;
    serde_json::from_str(&text).map_err(|_| AppError::BadRequest("请求内容不是有效的 JSON"))
}

pub fn json<T: Serialize>(value: &T, status: u16) -> AppResult<Response> {
    Ok(Response::from_json(value)?.with_status(status))
}
