//! 模拟社保局: a bureau simulator kept in D1 tables of its own. It accepts filings with a
//! receipt number, knows people insured at other employers, can be told to fail calls (to
//! test retries), and accepts a revocation only inside the window.

use super::{Bureau, BureauError, Filing, RevocationAnswer};
use crate::args;
use crate::db::{all, first, run};
use crate::error::AppResult;
use crate::App;
use serde::{Deserialize, Serialize};

pub struct Simulator;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct SimulatorConfig {
    /// Fail this many calls, then behave.
    pub fail_next: i64,
    /// Fail this share of calls, in percent.
    pub fail_percent: i64,
    /// Calls made so far (read only).
    #[serde(default)]
    pub calls: i64,
    /// Filings held (read only).
    #[serde(default)]
    pub filings: i64,
}

#[derive(Deserialize)]
struct KeyValue {
    key: String,
    value: i64,
}

pub async fn config(app: &App) -> AppResult<SimulatorConfig> {
    let rows: Vec<KeyValue> = all(&app.db, "SELECT key, value FROM bureau_sim_config", args![]).await?;
    let get = |k: &str| rows.iter().find(|r| r.key == k).map_or(0, |r| r.value);
    #[derive(Deserialize)]
    struct Count {
        n: i64,
    }
    let filings: Option<Count> = first(&app.db, "SELECT COUNT(*) AS n FROM bureau_sim_filings", args![]).await?;
    Ok(SimulatorConfig {
        fail_next: get("fail_next"),
        fail_percent: get("fail_percent"),
        calls: get("calls"),
        filings: filings.map_or(0, |c| c.n),
    })
}

pub async fn set_config(app: &App, c: &SimulatorConfig) -> AppResult<()> {
    for (key, value) in [("fail_next", c.fail_next.max(0)), ("fail_percent", c.fail_percent.clamp(0, 100))] {
        run(&app.db, "UPDATE bureau_sim_config SET value = ? WHERE key = ?", args![value, key]).await?;
    }
    Ok(())
}

/// Counts the call and decides whether this one fails (as a real bureau sometimes does).
async fn outage(app: &App) -> AppResult<Option<BureauError>> {
    let c = config(app).await?;
    run(&app.db, "UPDATE bureau_sim_config SET value = value + 1 WHERE key = 'calls'", args![]).await?;
    if c.fail_next > 0 {
        run(&app.db, "UPDATE bureau_sim_config SET value = value - 1 WHERE key = 'fail_next'", args![]).await?;
        return Ok(Some(BureauError::Unavailable("模拟社保局：系统繁忙，请稍后重试".into())));
    }
    // Spread evenly over the calls rather than random: the share is exact and repeatable.
    if (c.calls + 1) * c.fail_percent / 100 != c.calls * c.fail_percent / 100 {
        return Ok(Some(BureauError::Unavailable("模拟社保局：系统繁忙，请稍后重试".into())));
    }
    Ok(None)
}

#[derive(Deserialize)]
struct Elsewhere {
    employer: String,
}

#[derive(Deserialize)]
struct FilingRow {
    receipt_no: String,
    filed_at: i64,
}

impl Bureau for Simulator {
    async fn insured_elsewhere(&self, app: &App, resident_id: &str) -> AppResult<Option<String>> {
        let hit: Option<Elsewhere> = first(
            &app.db,
            "SELECT employer FROM bureau_sim_elsewhere WHERE resident_id = ?",
            args![resident_id],
        )
        .await?;
        Ok(hit.map(|h| h.employer))
    }

    async fn file(&self, app: &App, filing: &Filing<'_>) -> AppResult<Result<String, BureauError>> {
        if let Some(e) = outage(app).await? {
            return Ok(Err(e));
        }
        if let Some(employer) = self.insured_elsewhere(app, filing.resident_id).await? {
            if filing.kind == "enrollment" || filing.kind == "back_payment" {
                return Ok(Err(BureauError::Refused(format!(
                    "模拟社保局：该员工仍在「{employer}」参保，请先办理转出"
                ))));
            }
        }
        let receipt = format!("SIM{}{}", app.now_ms, &filing.request_id[filing.request_id.len().saturating_sub(4)..]);
        run(
            &app.db,
            "INSERT INTO bureau_sim_filings (request_id, receipt_no, resident_id, kind, filed_at) \
             VALUES (?, ?, ?, ?, ?) ON CONFLICT (request_id) DO NOTHING",
            args![filing.request_id, receipt.as_str(), filing.resident_id, filing.kind, app.now_ms],
        )
        .await?;
        let stored: Option<FilingRow> = first(
            &app.db,
            "SELECT receipt_no, filed_at FROM bureau_sim_filings WHERE request_id = ?",
            args![filing.request_id],
        )
        .await?;
        Ok(Ok(stored.map_or(receipt, |f| f.receipt_no)))
    }

    async fn revoke(
        &self,
        app: &App,
        request_id: &str,
        executed_at_ms: i64,
        window_days: i64,
    ) -> AppResult<Result<RevocationAnswer, BureauError>> {
        if let Some(e) = outage(app).await? {
            return Ok(Err(e));
        }
        let filed: Option<FilingRow> = first(
            &app.db,
            "SELECT receipt_no, filed_at FROM bureau_sim_filings WHERE request_id = ?",
            args![request_id],
        )
        .await?;
        let Some(filed) = filed else {
            return Ok(Ok(RevocationAnswer::Refused("模拟社保局：未找到该业务的报送记录".into())));
        };
        let since = filed.filed_at.min(executed_at_ms);
        if app.now_ms > since + window_days * DAY_MS {
            return Ok(Ok(RevocationAnswer::Refused(format!(
                "模拟社保局：已超过撤销期限（办理后 {window_days} 天内），不能撤销"
            ))));
        }
        run(
            &app.db,
            "UPDATE bureau_sim_filings SET revoked_at = ? WHERE request_id = ?",
            args![app.now_ms, request_id],
        )
        .await?;
        Ok(Ok(RevocationAnswer::Accepted))
    }
}
