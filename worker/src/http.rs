//! Small request/response helpers shared by the routes, and the checks every request
//! passes before a route sees it.

use crate::error::{AppError, AppResult};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde::Serialize;
use shebao_domain::claim::DocumentError;
use shebao_domain::cursor::PageFrom;
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
    cookie_value(&req.headers().get("Cookie").ok().flatten()?, session_cookie_name(req))
}

/// The non-empty value of cookie `name` in a `Cookie` header.
fn cookie_value(header: &str, name: &str) -> Option<String> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name && !v.is_empty()).then(|| v.to_string())
    })
}

/// The session cookie: HttpOnly, SameSite=Strict, Path=/, and over https Secure.
pub fn session_cookie(req: &Request, token: &str, max_age_secs: i64) -> String {
    set_cookie(session_cookie_name(req), token, max_age_secs, is_https(req))
}

fn set_cookie(name: &str, token: &str, max_age_secs: i64, secure: bool) -> String {
    format!(
        "{name}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age_secs}{}",
        if secure { "; Secure" } else { "" }
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
/// (403). A request with a body sends JSON (415): every route reads JSON but the upload of
/// a claim's document, which recognises the file by its content instead (`is_upload`).
pub fn check_state_change(req: &Request, is_upload: bool) -> AppResult<()> {
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
    if method != Method::Delete && !is_upload && !essence.eq_ignore_ascii_case("application/json") {
        return Err(AppError::NotJson);
    }
    Ok(())
}

/// The body, at most `MAX_BODY_BYTES` (413): a larger declared length is refused before
/// reading, and reading stops as soon as more has arrived.
pub async fn read(req: &mut Request) -> AppResult<Vec<u8>> {
    read_at_most(req, MAX_BODY_BYTES).await
}

/// `read` with another limit (an upload's); over it, 413.
pub async fn read_at_most(req: &mut Request, max: usize) -> AppResult<Vec<u8>> {
    let too_large = || if max == MAX_BODY_BYTES { AppError::TooLarge } else { AppError::Document(DocumentError::TooLarge) };
    let declared = req.headers().get("Content-Length")?.and_then(|n| n.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return Err(too_large());
    }
    if req.inner().body().is_none() {
        return Ok(Vec::new());
    }
    let mut stream = req.stream()?;
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        bytes.extend(chunk?);
        if bytes.len() > max {
            return Err(too_large());
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

#[derive(serde::Deserialize)]
struct StateQuery {
    state: Option<String>,
    format: Option<String>,
}

/// A list's `?state=` filter: none when absent or empty, 400 (`unknown`) when it names no
/// state; `code` reads a state's code back to its canonical form.
pub fn state_filter(req: &Request, code: impl Fn(&str) -> Option<&'static str>, unknown: &'static str) -> AppResult<Option<&'static str>> {
    let q: StateQuery = req.query().map_err(|_| AppError::BadRequest("查询参数无效"))?;
    match q.state.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => code(s).map(Some).ok_or(AppError::BadRequest(unknown)),
        None => Ok(None),
    }
}

/// Rows on one page of a keyset-paged list: 20 unless `?per_page=` asks for up to 100.
const PER_PAGE: u32 = 20;
const MAX_PER_PAGE: u32 = 100;
/// At most this many rows in one export of a list: a whole group's.
pub const MAX_EXPORT_ROWS: u32 = 100_000;

#[derive(serde::Deserialize)]
struct PageQuery {
    after: Option<String>,
    before: Option<String>,
    per_page: Option<u32>,
}

/// Where a keyset-paged list's page starts (`?after=` / `?before=`; 400 for a token no page
/// gave out) and how many rows it has.
pub fn page_query(req: &Request) -> AppResult<(PageFrom, u32)> {
    let q: PageQuery = req.query().map_err(|_| AppError::BadRequest("查询参数无效"))?;
    let from = PageFrom::parse(q.after.as_deref(), q.before.as_deref()).map_err(|e| AppError::BadRequest(e.message_zh()))?;
    Ok((from, q.per_page.unwrap_or(PER_PAGE).clamp(1, MAX_PER_PAGE)))
}

/// Whether the request's `?format=` asks for the .xlsx file (a list read with `state_filter`).
pub fn wants_file(req: &Request) -> AppResult<bool> {
    let q: StateQuery = req.query().map_err(|_| AppError::BadRequest("查询参数无效"))?;
    wants_xlsx(q.format.as_deref())
}

/// Whether `?format=` asks for the .xlsx file rather than JSON (absent: JSON).
pub fn wants_xlsx(format: Option<&str>) -> AppResult<bool> {
    match format {
        None | Some("" | "json") => Ok(false),
        Some("xlsx") => Ok(true),
        Some(_) => Err(AppError::BadRequest("未知的导出格式（可选 xlsx）")),
    }
}

pub fn json<T: Serialize>(value: &T, status: u16) -> AppResult<Response> {
    Ok(Response::from_json(value)?.with_status(status))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_found_by_its_exact_name() {
        let header = "theme=dark; __Host-shebao_session=abc; shebao_session=def";
        assert_eq!(cookie_value(header, SESSION_COOKIE_HTTPS).as_deref(), Some("abc"));
        assert_eq!(cookie_value(header, SESSION_COOKIE).as_deref(), Some("def"));
        // A prefix of another name, an empty value or no cookie at all is no session.
        assert_eq!(cookie_value("xshebao_session=1; shebao_session=", SESSION_COOKIE), None);
        assert_eq!(cookie_value("", SESSION_COOKIE), None);
    }

    #[test]
    fn the_cookie_is_secure_over_https_only() {
        assert_eq!(
            set_cookie(SESSION_COOKIE_HTTPS, "t", 60, true),
            "__Host-shebao_session=t; HttpOnly; SameSite=Strict; Path=/; Max-Age=60; Secure"
        );
        assert_eq!(
            set_cookie(SESSION_COOKIE, "t", 0, false),
            "shebao_session=t; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"
        );
    }

    #[test]
    fn bodies_are_decoded_with_field_errors() {
        #[derive(serde::Deserialize, Debug)]
        struct Body {
            version: i64,
        }
        assert!(matches!(decode::<Body>(b"not json"), Err(AppError::BadRequest(_))));
        match decode::<Body>(b"{}") {
            Err(AppError::Validation(errors)) => assert_eq!(errors[0].code, "field.required"),
            other => panic!("{other:?}"),
        }
        assert_eq!(decode::<Body>(br#"{"version": 3}"#).map(|b| b.version).ok(), Some(3));
    }
}
