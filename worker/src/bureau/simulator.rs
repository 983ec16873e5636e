//! 模拟社保局: a bureau simulator kept in D1 tables of its own. It accepts filings with a
//! receipt number (once per request and version), knows people insured at other
//! employers, can be told to fail calls (to test retries) or to hold its answers (to race
//! a revoke against a filing in flight, or to stop the worker before the answer is
//! recorded), and accepts a revocation only inside the window.

use super::{repo, Bureau, BureauError, Elsewhere, Filing, Receipt, RevocationAnswer};
use crate::db::{Query, Reads};
use crate::error::AppResult;
use crate::{clock_ms, App};
use serde::{Deserialize, Serialize};
use shebao_domain::enrollment::RequestKind;
use shebao_domain::policy::City;
use shebao_domain::Lang;
use worker::D1PreparedStatement;

pub struct Simulator;

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct SimulatorConfig {
    /// Fail this many calls, then behave.
    pub fail_next: i64,
    /// Fail this share of calls, in percent.
    pub fail_percent: i64,
    /// Refuse this many filings outright (as a bureau returns an incomplete application).
    #[serde(default)]
    pub refuse_next: i64,
    /// Hold each filing's answer this long after recording it (milliseconds, at most 30 s).
    #[serde(default)]
    pub delay_ms: i64,
    /// Calls made so far (read only).
    #[serde(default)]
    pub calls: i64,
    /// Filings held (read only).
    #[serde(default)]
    pub filings: i64,
}

/// The settings and counters, read in one round trip.
pub async fn config(app: &App) -> AppResult<SimulatorConfig> {
    let mut reads = Reads::default();
    let (rows, filings) = (reads.add(repo::config(app)?), reads.add(repo::filing_count(app)?));
    let read = reads.send(&app.db).await?;
    let rows = read.rows(rows)?;
    let get = |k: &str| rows.iter().find(|r| r.key == k).map_or(0, |r| r.value);
    Ok(SimulatorConfig {
        fail_next: get("fail_next"),
        fail_percent: get("fail_percent"),
        delay_ms: get("delay_ms"),
        refuse_next: get("refuse_next"),
        calls: get("calls"),
        filings: read.first(filings)?.map_or(0, |c| c.n),
    })
}

/// The settings `c` asks for, each brought into its range, by key.
pub fn settings(c: &SimulatorConfig) -> [(&'static str, i64); 4] {
    [
        ("fail_next", c.fail_next.max(0)),
        ("fail_percent", c.fail_percent.clamp(0, 100)),
        ("delay_ms", c.delay_ms.clamp(0, 30_000)),
        ("refuse_next", c.refuse_next.max(0)),
    ]
}

/// The statements that store `c`, for the caller's batch (with its audit entry).
pub fn set_config(app: &App, c: &SimulatorConfig) -> AppResult<Vec<D1PreparedStatement>> {
    settings(c)
        .into_iter()
        .map(|(key, value)| repo::set(app, key, value))
        .collect()
}

/// Counts the call and decides whether this one fails (as a real bureau sometimes does).
async fn outage(app: &App) -> AppResult<Option<BureauError>> {
    let c = config(app).await?;
    repo::add(app, "calls", 1).await?;
    if c.fail_next > 0 {
        repo::add(app, "fail_next", -1).await?;
        return Ok(Some(BureauError::Unavailable("模拟社保局：系统繁忙，请稍后重试".into())));
    }
    // Spread evenly over the calls rather than random: the share is exact and repeatable.
    if (c.calls + 1) * c.fail_percent / 100 != c.calls * c.fail_percent / 100 {
        return Ok(Some(BureauError::Unavailable("模拟社保局：系统繁忙，请稍后重试".into())));
    }
    Ok(None)
}

impl Bureau for Simulator {
    fn insured_elsewhere(&self, app: &App, employee_id: &str) -> AppResult<Query<Elsewhere>> {
        repo::employer_elsewhere_of(app, employee_id)
    }

    async fn file(&self, app: &App, filing: &Filing<'_>) -> AppResult<Result<Receipt, BureauError>> {
        if let Some(e) = outage(app).await? {
            return Ok(Err(e));
        }
        // A filing it already holds is answered with its receipt, whatever changed since.
        if let Some(f) = repo::filed(app, filing.request_id, filing.version).await? {
            return Ok(Ok(Receipt { receipt_no: f.receipt_no, filed_at: f.filed_at }));
        }
        if config(app).await?.refuse_next > 0 {
            repo::add(app, "refuse_next", -1).await?;
            return Ok(Err(BureauError::Refused("模拟社保局：申报材料不完整，已退回".into())));
        }
        if let Some(employer) = repo::employer_elsewhere(app, filing.resident_id).await? {
            if RequestKind::from_code(filing.kind).is_some_and(RequestKind::insures) {
                return Ok(Err(BureauError::Refused(format!(
                    "模拟社保局：该员工仍在「{employer}」参保，请先办理转出"
                ))));
            }
        }
        let now = clock_ms();
        let tail = &filing.request_id[filing.request_id.len().saturating_sub(4)..];
        let receipt = format!("SIM{now}{tail}{}", filing.version);
        repo::insert_filing(app, filing, &receipt, now).await?;
        let delay = config(app).await?.delay_ms;
        if delay > 0 {
            worker::Delay::from(std::time::Duration::from_millis(delay as u64)).await;
        }
        let stored = repo::filed(app, filing.request_id, filing.version).await?;
        Ok(Ok(stored.map_or(Receipt { receipt_no: receipt, filed_at: now }, |f| Receipt {
            receipt_no: f.receipt_no,
            filed_at: f.filed_at,
        })))
    }

    async fn revoke(
        &self,
        app: &App,
        request_id: &str,
        version: i64,
        asked_at_ms: i64,
        city: City,
    ) -> AppResult<Result<RevocationAnswer, BureauError>> {
        if let Some(e) = outage(app).await? {
            return Ok(Err(e));
        }
        let Some(filed) = repo::filed(app, request_id, version).await? else {
            return Ok(Ok(RevocationAnswer::Refused("模拟社保局：未找到该业务的报送记录".into())));
        };
        if let Some(refusal) = late_revocation(city, filed.filed_at, asked_at_ms) {
            return Ok(Ok(RevocationAnswer::Refused(refusal)));
        }
        repo::mark_revoked(app, request_id, version, clock_ms()).await?;
        Ok(Ok(RevocationAnswer::Accepted))
    }

    async fn pay(&self, app: &App, run_id: &str, amount_fen: i64) -> AppResult<Result<Receipt, BureauError>> {
        if let Some(e) = outage(app).await? {
            return Ok(Err(e));
        }
        let now = clock_ms();
        let receipt = format!("SIMPAY{now}");
        repo::insert_payment(app, run_id, &receipt, amount_fen, now).await?;
        let paid = repo::payment(app, run_id).await?;
        Ok(Ok(paid.map_or(Receipt { receipt_no: receipt, filed_at: now }, |f| Receipt {
            receipt_no: f.receipt_no,
            filed_at: f.filed_at,
        })))
    }
}

/// The refusal of a revocation asked for at `asked_at_ms` of a filing recorded at
/// `filed_at_ms`, if it came too late. The bureau judges by when the revocation was asked
/// for: when it gets to process it does not matter, so that time is not an input.
pub fn late_revocation(city: City, filed_at_ms: i64, asked_at_ms: i64) -> Option<String> {
    (asked_at_ms > city.revocation_deadline_ms(filed_at_ms)).then(|| {
        format!(
            "模拟社保局：已超过撤销期限（{}），不能撤销",
            city.revocation_window().window.describe(Lang::Zh)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revocation_is_judged_by_when_it_was_asked_for() {
        // Filed Friday 2024-09-27 10:00 China time; three working days end on 8 October
        // (Sunday 29 September is worked, then National Day).
        let filed = 1_727_402_400_000;
        let end_of_8_october = 1_728_403_199_999;
        assert_eq!(City::Beijing.revocation_deadline_ms(filed), end_of_8_october);
        assert_eq!(late_revocation(City::Beijing, filed, end_of_8_october), None);
        assert_eq!(
            late_revocation(City::Beijing, filed, end_of_8_october + 1).as_deref(),
            Some("模拟社保局：已超过撤销期限（办理后 3 个工作日内），不能撤销")
        );
        // Four calendar days on, in the holiday, a request is still on time.
        assert_eq!(late_revocation(City::Shanghai, filed, filed + 4 * 86_400_000), None);
    }

    #[test]
    fn settings_are_brought_into_their_ranges() {
        let asked = SimulatorConfig { fail_next: -3, fail_percent: 250, refuse_next: 2, delay_ms: 90_000, ..Default::default() };
        assert_eq!(settings(&asked), [("fail_next", 0), ("fail_percent", 100), ("delay_ms", 30_000), ("refuse_next", 2)]);
    }
}
