//! The social-insurance bureau, reached through one narrow interface. It has no public API,
//! so the one implementation is a simulator that behaves like one; everything it shows
//! says "模拟社保局".

pub mod routes;
pub mod simulator;

use crate::error::AppResult;
use crate::App;

/// What is filed with the bureau for an executed request.
pub struct Filing<'a> {
    pub request_id: &'a str,
    pub resident_id: &'a str,
    pub kind: &'a str,
}

#[derive(Debug)]
pub enum BureauError {
    /// Down or timed out: try again later.
    Unavailable(String),
    /// A definite refusal, with the bureau's reason.
    Refused(String),
}

/// The bureau's answer to a revocation request.
pub enum RevocationAnswer {
    Accepted,
    Refused(String),
}

#[allow(async_fn_in_trait)] // one implementation, used in one thread: no Send bound needed
pub trait Bureau {
    /// The employer insuring this person elsewhere, as the bureau reports it.
    async fn insured_elsewhere(&self, app: &App, resident_id: &str) -> AppResult<Option<String>>;
    /// Files an executed request; returns the receipt number. Repeating a filing returns
    /// the first receipt (the bureau dedupes on the request id).
    async fn file(&self, app: &App, filing: &Filing<'_>) -> AppResult<Result<String, BureauError>>;
    /// Asks to revoke a filing; accepted only inside the city's window after `executed_at_ms`.
    async fn revoke(
        &self,
        app: &App,
        request_id: &str,
        executed_at_ms: i64,
        window_days: i64,
    ) -> AppResult<Result<RevocationAnswer, BureauError>>;
}

/// The bureau this deployment talks to.
pub fn bureau() -> simulator::Simulator {
    simulator::Simulator
}
