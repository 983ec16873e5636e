//! The social-insurance bureau, reached through one narrow interface. It has no public API,
//! so the one implementation is a simulator that behaves like one; everything it shows
//! says "模拟社保局".

mod repo;
pub mod routes;
pub mod simulator;

use crate::db::Query;
use crate::error::AppResult;
use crate::App;
use serde::Deserialize;
use shebao_domain::policy::City;

/// What is filed with the bureau: the request's own copy of what was approved.
pub struct Filing<'a> {
    pub request_id: &'a str,
    /// The approved version; with the request id, the key the bureau dedupes on.
    pub version: i64,
    pub resident_id: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub base_fen: i64,
    pub from_month: &'a str,
    pub to_month: &'a str,
}

/// The bureau's acceptance of a filing.
pub struct Receipt {
    pub receipt_no: String,
    /// When the bureau recorded the filing (ms since the epoch): its clock is the one that
    /// counts for revocation windows.
    pub filed_at: i64,
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

/// The employer insuring a person elsewhere, as the bureau reports it.
#[derive(Deserialize)]
pub struct Elsewhere {
    pub employer: String,
}

#[allow(async_fn_in_trait)] // one implementation, used in one thread: no Send bound needed
pub trait Bureau {
    /// The employer insuring employee `employee_id` elsewhere, by the ID number on their
    /// record: a read for the caller to send with its own (the simulator's register is in D1).
    fn insured_elsewhere(&self, app: &App, employee_id: &str) -> AppResult<Query<Elsewhere>>;
    /// Files an approved request. Repeating a filing returns the first receipt (the
    /// bureau dedupes on the request id and version).
    async fn file(&self, app: &App, filing: &Filing<'_>) -> AppResult<Result<Receipt, BureauError>>;
    /// Asks to revoke a filing; accepted only if `asked_at_ms` lies inside the city's window
    /// after the bureau recorded the filing.
    async fn revoke(
        &self,
        app: &App,
        request_id: &str,
        version: i64,
        asked_at_ms: i64,
        city: City,
    ) -> AppResult<Result<RevocationAnswer, BureauError>>;
    /// Pays a month's contributions (`amount_fen`) of run `run_id`. Paying again returns the
    /// first receipt (the bureau dedupes on the run).
    async fn pay(&self, app: &App, run_id: &str, amount_fen: i64) -> AppResult<Result<Receipt, BureauError>>;
}

/// The bureau this deployment talks to.
pub fn bureau() -> simulator::Simulator {
    simulator::Simulator
}
