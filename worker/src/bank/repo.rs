//! The bank simulator's SQL.

use crate::args;
use crate::db::{first, run};
use crate::error::AppResult;
use crate::App;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct PaymentRow {
    pub receipt_no: String,
    pub paid_at_ms: i64,
}

pub async fn payment(app: &App, claim_id: &str) -> AppResult<Option<PaymentRow>> {
    first(&app.db, "SELECT receipt_no, paid_at_ms FROM bank_sim_payments WHERE claim_id = ?", args![claim_id]).await
}

/// Records a payment; a second one for the same claim changes nothing.
pub async fn insert_payment(app: &App, claim_id: &str, receipt_no: &str, amount_fen: i64, paid_at_ms: i64) -> AppResult<()> {
    run(
        &app.db,
        "INSERT INTO bank_sim_payments (claim_id, amount_fen, receipt_no, paid_at_ms) VALUES (?, ?, ?, ?) \
         ON CONFLICT (claim_id) DO NOTHING",
        args![claim_id, amount_fen, receipt_no, paid_at_ms],
    )
    .await
}
