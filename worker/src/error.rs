//! One error type for every request path. It maps to an HTTP status and a JSON body, and
//! never shows internals to the caller (those go to the log only).

use shebao_domain::api::{ApiError, ErrorBody};
use shebao_domain::enrollment::TransitionError;
use shebao_domain::claim::{ClaimError, DocumentError};
use shebao_domain::run::RunError;
use shebao_domain::{FieldError, Lang};
use worker::Response;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    #[error("not signed in")]
    Unauthorized,
    #[error("wrong login or password")]
    BadCredentials,
    #[error("forbidden")]
    Forbidden,
    #[error("forbidden: {0}")]
    ForbiddenBecause(String),
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("locked for {0} s")]
    Locked(i64),
    #[error("body too large")]
    TooLarge,
    #[error("body is not JSON")]
    NotJson,
    #[error("idempotency key reused for another request")]
    KeyReused,
    /// The transition table refused the action: 409 for the state, 403 for the person.
    #[error("refused: {0}")]
    Transition(TransitionError),
    /// The run's transition table refused: 409 for the state, 403 for the person.
    #[error("refused: {0}")]
    Run(RunError),
    /// The claim's transition table refused: 409 for the state, 403 for the person, 422
    /// for missing documents.
    #[error("refused: {0}")]
    Claim(ClaimError),
    /// An upload refused: 413 too large, 415 not a PDF, JPEG or PNG by content, else 422.
    #[error("document refused: {0}")]
    Document(DocumentError),
    #[error("internal: {0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl From<worker::Error> for AppError {
    fn from(e: worker::Error) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl From<serde_json::Error> for AppError {
    fn from(e: serde_json::Error) -> Self {
        AppError::Internal(format!("json: {e}"))
    }
}

impl AppError {
    /// The version the user saw is no longer the current one.
    pub fn stale() -> Self {
        AppError::Conflict("该记录已被他人修改，请刷新后重试".into())
    }

    pub fn field(field: &str, code: &str, zh: &str, en: &str) -> Self {
        AppError::Validation(vec![FieldError::new(field, code, zh, en)])
    }

    fn status_code_message(&self) -> (u16, &'static str, String) {
        match self {
            AppError::BadRequest(m) => (400, "bad_request", (*m).to_string()),
            AppError::Unauthorized => (401, "unauthorized", "请先登录".into()),
            AppError::BadCredentials => (401, "bad_credentials", "用户名或密码错误".into()),
            AppError::Forbidden => (403, "forbidden", "您没有权限执行此操作".into()),
            AppError::NotFound => (404, "not_found", "记录不存在".into()),
            AppError::ForbiddenBecause(m) => (403, "forbidden", m.clone()),
            AppError::Conflict(m) => (409, "conflict", m.clone()),
            AppError::Validation(_) => (422, "validation", "提交的内容有误".into()),
            AppError::Locked(secs) => (
                429,
                "locked",
                format!("登录失败次数过多，请 {} 分钟后再试", (secs + 59) / 60),
            ),
            AppError::TooLarge => (413, "too_large", "请求内容过大（上限 64 KB）".into()),
            AppError::NotJson => (415, "unsupported_media_type", "请求内容须为 JSON（Content-Type: application/json）".into()),
            AppError::KeyReused => (
                422,
                "idempotency_key_reused",
                "该 Idempotency-Key 已用于另一个请求，新的请求请使用新的 Key".into(),
            ),
            AppError::Transition(e @ TransitionError::NotAllowed { .. }) => (409, "conflict", e.message_zh()),
            AppError::Transition(e) => (403, "forbidden", e.message_zh()),
            AppError::Run(e @ RunError::NotAllowed { .. }) => (409, "conflict", e.message(Lang::Zh)),
            AppError::Run(e) => (403, "forbidden", e.message(Lang::Zh)),
            AppError::Claim(e @ ClaimError::NotAllowed { .. }) => (409, "conflict", e.message(Lang::Zh)),
            AppError::Claim(e @ ClaimError::MissingDocuments) => (422, e.code(), e.message(Lang::Zh)),
            AppError::Claim(e) => (403, "forbidden", e.message(Lang::Zh)),
            AppError::Document(e @ DocumentError::TooLarge) => (413, e.code(), e.message(Lang::Zh).into()),
            AppError::Document(e @ DocumentError::NotAllowedType) => (415, e.code(), e.message(Lang::Zh).into()),
            AppError::Document(e) => (422, e.code(), e.message(Lang::Zh).into()),
            AppError::Internal(_) => (500, "internal", "服务器内部错误，请稍后重试".into()),
        }
    }

    /// The message in English where there is one: the fixed ones and the domain's; a
    /// message made up at the call site exists in Chinese only (the app then shows that).
    fn message_en(&self) -> String {
        match self {
            AppError::Unauthorized => "Please sign in".into(),
            AppError::BadCredentials => "Wrong login or password".into(),
            AppError::Forbidden => "You may not do this".into(),
            AppError::NotFound => "No such record".into(),
            AppError::Validation(_) => "Some of what was sent is not right".into(),
            AppError::Locked(secs) => format!("Too many failed sign-ins: try again in {} min", (secs + 59) / 60),
            AppError::TooLarge => "The request is too large (at most 64 KB)".into(),
            AppError::NotJson => "The request must be JSON (Content-Type: application/json)".into(),
            AppError::KeyReused => "This Idempotency-Key was used for another request: use a new key".into(),
            AppError::Transition(e) => e.message(Lang::En),
            AppError::Run(e) => e.message(Lang::En),
            AppError::Claim(e) => e.message(Lang::En),
            AppError::Document(e) => e.message(Lang::En).into(),
            AppError::Internal(_) => "Server error: please try again later".into(),
            AppError::BadRequest(_) | AppError::ForbiddenBecause(_) | AppError::Conflict(_) => String::new(),
        }
    }

    pub fn into_response(self) -> worker::Result<Response> {
        let (status, code, message) = self.status_code_message();
        if let AppError::Internal(detail) = &self {
            worker::console_error!("internal error: {detail}");
        }
        let retry_after = match &self {
            AppError::Locked(secs) => Some(*secs),
            _ => None,
        };
        let message_en = self.message_en();
        let body = match self {
            AppError::Validation(errors) => ErrorBody { error: None, errors },
            _ => ErrorBody {
                error: Some(ApiError { code: code.into(), message, message_en }),
                errors: vec![],
            },
        };
        let mut resp = Response::from_json(&body)?.with_status(status);
        if let Some(secs) = retry_after {
            resp.headers_mut().set("Retry-After", &secs.to_string())?;
        }
        Ok(resp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shebao_domain::enrollment::{RequestAction, RequestState};

    #[test]
    fn refusals_of_the_transition_table_keep_their_statuses() {
        let state = AppError::Transition(TransitionError::NotAllowed {
            from: RequestState::Executed,
            action: RequestAction::Revoke,
        });
        let (status, code, message) = state.status_code_message();
        assert_eq!((status, code), (409, "conflict"));
        assert!(message.contains("申请社保局撤销"));
        for e in [TransitionError::Forbidden, TransitionError::MakerChecks] {
            let (status, code, message) = AppError::Transition(e).status_code_message();
            assert_eq!((status, code, message), (403, "forbidden", e.message_zh()));
        }
    }

    #[test]
    fn internals_never_reach_the_caller() {
        let (status, code, message) = AppError::Internal("D1_ERROR: no such table".into()).status_code_message();
        assert_eq!((status, code), (500, "internal"));
        assert!(!message.contains("D1"));
        assert_eq!(AppError::Locked(61).status_code_message().2, "登录失败次数过多，请 2 分钟后再试");
        assert!(!AppError::Internal("D1_ERROR".into()).message_en().contains("D1"));
    }

    #[test]
    fn fixed_messages_exist_in_english_too() {
        let chinese = |t: &str| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for e in [AppError::Unauthorized, AppError::BadCredentials, AppError::Forbidden, AppError::NotFound, AppError::Locked(61), AppError::TooLarge, AppError::NotJson, AppError::KeyReused] {
            let en = e.message_en();
            assert!(!en.is_empty() && !chinese(&en), "{e:?}: {en}");
        }
        assert_eq!(AppError::Locked(61).message_en(), "Too many failed sign-ins: try again in 2 min");
    }
}
