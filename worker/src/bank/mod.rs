//! The bank that pays approved claims to employees, reached through one narrow interface.
//! The one implementation here is a simulator (模拟银行), labelled as such on every receipt.

mod repo;

use crate::error::AppResult;
use crate::{clock_ms, App};

/// The bank's confirmation of a payment.
pub struct Payment {
    pub receipt_no: String,
    /// When the bank paid (ms since the epoch).
    pub paid_at_ms: i64,
}

#[allow(async_fn_in_trait)] // one implementation, used in one thread: no Send bound needed
pub trait Bank {
    /// Pays claim `claim_id`'s `amount_fen` to the employee's card. Paying again returns
    /// the first payment (the bank dedupes on the claim), so a retry never pays twice.
    async fn pay(&self, app: &App, claim_id: &str, card: &str, amount_fen: i64) -> AppResult<Payment>;
}

/// 模拟银行: pays at once, and records each claim's payment once.
pub struct Simulator;

impl Bank for Simulator {
    async fn pay(&self, app: &App, claim_id: &str, card: &str, amount_fen: i64) -> AppResult<Payment> {
        let now = clock_ms();
        let tail = &card[card.len().saturating_sub(4)..];
        let receipt_no = format!("SIMBANK-{now}-{tail}");
        repo::insert_payment(app, claim_id, &receipt_no, amount_fen, now).await?;
        let paid = repo::payment(app, claim_id).await?;
        Ok(paid.map_or(Payment { receipt_no, paid_at_ms: now }, |p| Payment { receipt_no: p.receipt_no, paid_at_ms: p.paid_at_ms }))
    }
}

/// The bank this deployment talks to.
pub fn bank() -> Simulator {
    Simulator
}
