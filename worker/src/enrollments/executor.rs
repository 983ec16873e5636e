//! Carries the outbox to the bureau: approved items whose hold has passed are filed,
//! approved revocation requests are asked. Runs on the cron trigger, and at once after a
//! checker's "send now" or approval of a revocation.
//!
//! Exactly once, never lost: a run claims a row with a token on a fresh clock, and in the
//! same batch moves the request to 报送中, where nobody can take the approval back. The
//! bureau dedupes on the request and its approved version, so a run that died after the
//! bureau accepted is repeated by the next run after the claim goes stale, and gets the
//! same receipt. Each row is handled on its own; a row that keeps failing stops after
//! `MAX_ATTEMPTS` with an alert instead of retrying forever.

use super::repo::{self, OutboxRow, RequestRow, TransitionValues};
use super::service::{city_of, iso, repriced, state_change, state_of};
use crate::audit;
use crate::auth::User;
use crate::bureau::{bureau, Bureau, BureauError, Filing, Receipt, RevocationAnswer};
use crate::crypto::new_id;
use crate::db::{commit, Change};
use crate::error::{AppError, AppResult};
use crate::{clock_ms, App};
use shebao_domain::api::{field_label_zh, FieldChange};
use shebao_domain::calendar::china_date;
use shebao_domain::enrollment::{transition, Actor, RequestAction, RequestState};
use shebao_domain::role::Role;

/// Attempts at one outbox row before it is handed to a person.
pub const MAX_ATTEMPTS: i64 = 6;

/// The actor of what the system does by itself, as the audit log names it.
pub fn system() -> User {
    User {
        id: "system".into(),
        login: "system".into(),
        display_name: "系统（自动执行）".into(),
        role: Role::Admin,
        branch_id: None,
        branch_name: None,
        employee_id: None,
    }
}

/// 5 s, 10 s, 20 s … up to 30 minutes between attempts.
fn backoff_ms(attempts: i64) -> i64 {
    (5_000_i64 << attempts.clamp(1, 20).saturating_sub(1)).min(30 * 60 * 1000)
}

/// Processes what is due (only this request's work when `request_id` is given). Returns
/// how many outbox rows it handled. A row that fails is logged and left to its retry; it
/// never stops the rows after it.
pub async fn run_due(app: &App, request_id: Option<&str>) -> AppResult<usize> {
    let mut handled = 0;
    for row in repo::due(app, clock_ms(), request_id).await? {
        match handle(app, &row).await {
            Ok(true) => handled += 1,
            Ok(false) => {}
            Err(e) => worker::console_error!("outbox row {} ({}): {e}", row.id, row.topic),
        }
    }
    Ok(handled)
}

/// Claims the row and, for a filing, moves its request from 已批准 to 报送中 in the same
/// batch (a revoke either came first, and the row was cancelled, or finds 报送中).
/// Returns the claim's token, or None when another run has the row.
async fn claim(app: &App, row: &OutboxRow) -> AppResult<Option<String>> {
    let claim = new_id("clm")?;
    let mut statements = vec![repo::claim(app, row, &claim, clock_ms())?];
    if row.topic == repo::TOPIC_FILE {
        if let Some(request) = repo::request(app, &row.request_id).await? {
            if request.state == RequestState::Approved.code() {
                let (from, to) = (RequestState::Approved, RequestState::Filing);
                transition(from, RequestAction::StartFiling, Actor::system()).map_err(|e| AppError::Internal(e.message_zh()))?;
                let values = TransitionValues::default();
                let (states, claimed) = ((from.code(), to.code()), (row.id.as_str(), claim.as_str()));
                statements.push(repo::transition(app, &request.id, request.version, states, &claim, &values, Some(claimed))?);
                statements.push(audit::entry(
                    app,
                    &system(),
                    audit::Entry {
                        action: &RequestAction::StartFiling.audit_code(),
                        entity: "enrollment",
                        entity_id: &request.id,
                        changes: &[state_change(from, to)],
                    },
                    true,
                )?);
            }
        }
    }
    let results = app.db.batch(statements).await.map_err(crate::db::classify)?;
    let claimed = results.first().map_or(0, crate::db::Answer::changes) == 1;
    Ok(claimed.then_some(claim))
}

async fn handle(app: &App, row: &OutboxRow) -> AppResult<bool> {
    let Some(claim) = claim(app, row).await? else {
        return Ok(false);
    };
    let attempts = row.attempts + 1;
    let outcome = match repo::request(app, &row.request_id).await? {
        None => end(app, row, &claim, "cancelled", "申请不存在").await,
        Some(request) => match row.topic.as_str() {
            repo::TOPIC_FILE => file(app, row, &claim, attempts, &request).await,
            repo::TOPIC_REVOKE => revoke(app, row, &claim, attempts, &request).await,
            other => Err(AppError::Internal(format!("outbox topic {other}"))),
        },
    };
    if let Err(e) = outcome {
        // Counted like any failed attempt, so that it too ends after `MAX_ATTEMPTS`.
        worker::console_error!("outbox row {} ({}), attempt {attempts}: {e}", row.id, row.topic);
        let why = "系统内部错误";
        let last = if attempts < MAX_ATTEMPTS {
            repo::retry_later(app, &row.id, &claim, clock_ms() + backoff_ms(attempts), why)?
        } else {
            repo::finish(app, &row.id, &claim, "failed", Some(why))?
        };
        commit(&app.db, Change { statements: vec![last], guarded: None }).await?;
    }
    Ok(true)
}

async fn end(app: &App, row: &OutboxRow, claim: &str, status: &str, why: &str) -> AppResult<()> {
    commit(&app.db, Change { statements: vec![repo::finish(app, &row.id, claim, status, Some(why))?], guarded: None }).await
}

/// Records the bureau's answer (or the executor giving up): the system's transition, its
/// audit entry, the alert and the row's end, in one batch. If another run recorded the
/// same answer first, the transition changes nothing and neither do its audit entry and
/// alert.
async fn conclude(
    app: &App,
    row: &OutboxRow,
    request: &RequestRow,
    action: RequestAction,
    values: TransitionValues,
    noted: Vec<FieldChange>,
    alert: Option<&str>,
    claim: Option<&str>,
) -> AppResult<()> {
    // A refusal or giving up leaves the row marked failed, for whoever looks at the queue.
    let status = match action {
        RequestAction::BureauRejects | RequestAction::FilingFails => "failed",
        _ => "done",
    };
    let token = new_id("chg")?;
    let from = state_of(request)?;
    let to = transition(from, action, Actor::system()).map_err(|e| AppError::Internal(e.message_zh()))?;
    let mut changes = vec![state_change(from, to)];
    changes.extend(noted);
    let states = (from.code(), to.code());
    let claimed = claim.map(|claim| (row.id.as_str(), claim));
    let transition = repo::transition(app, &request.id, request.version, states, &token, &values, claimed)?;
    let mut statements = vec![
        transition,
        audit::entry(
            app,
            &system(),
            audit::Entry { action: &action.audit_code(), entity: "enrollment", entity_id: &request.id, changes: &changes },
            true,
        )?,
    ];
    if let Some(message) = alert {
        statements.push(repo::alert(app, &request.id, &token, message)?);
    }
    statements.push(match claim {
        Some(claim) => repo::finish(app, &row.id, claim, status, None)?,
        None => repo::close(app, &row.id, status)?,
    });
    commit(&app.db, Change { statements, guarded: None }).await
}

/// Whether the table lets the system take `action` on the request as it is.
fn gives(request: &RequestRow, action: RequestAction) -> bool {
    RequestState::from_code(&request.state).is_some_and(|s| transition(s, action, Actor::system()).is_ok())
}

fn noted(field: &str, value: &str) -> FieldChange {
    FieldChange { field: field.into(), label: field_label_zh(field).into(), before: None, after: Some(value.into()) }
}

/// Leaves the row for a later attempt, or hands it to a person after the last one.
async fn retry_or_give_up(app: &App, row: &OutboxRow, claim: &str, attempts: i64, request: &RequestRow, error: &str) -> AppResult<()> {
    if attempts < MAX_ATTEMPTS {
        let retry = repo::retry_later(app, &row.id, claim, clock_ms() + backoff_ms(attempts), error)?;
        return commit(&app.db, Change { statements: vec![retry], guarded: None }).await;
    }
    let why = format!("{}（已尝试 {attempts} 次：{error}）", RequestState::FilingFailed.label_zh());
    if gives(request, RequestAction::FilingFails) {
        let values = TransitionValues { bureau_answer: Some(why.clone()), ..TransitionValues::default() };
        let answer = vec![noted("bureau_answer", &why)];
        return conclude(app, row, request, RequestAction::FilingFails, values, answer, Some(&why), Some(claim)).await;
    }
    end(app, row, claim, "failed", &why).await
}

/// `request` as it was read after the claim (which may just have moved it to 报送中).
async fn file(app: &App, row: &OutboxRow, claim: &str, attempts: i64, request: &RequestRow) -> AppResult<()> {
    if request.state != RequestState::Filing.code() {
        // Revoked (or already answered) before the claim: nothing to send.
        return end(app, row, claim, "cancelled", "申请已不在报送中").await;
    }
    let filing = Filing {
        request_id: &request.id,
        version: request.approved_version.unwrap_or(request.version),
        resident_id: &request.resident_id,
        name: &request.employee_name,
        kind: &request.kind,
        base_fen: request.base_fen,
        from_month: &request.from_month,
        to_month: &request.to_month,
    };
    match bureau().file(app, &filing).await? {
        Ok(Receipt { receipt_no, filed_at }) => {
            let mut values = TransitionValues {
                executed_at: Some(filed_at),
                receipt_no: Some(receipt_no.clone()),
                ..TransitionValues::default()
            };
            let mut changes = vec![noted("receipt_no", &receipt_no), noted("executed_at", &iso(filed_at))];
            // The answer may have taken long: conclude on what the request is now, even if
            // a run that took the row over gave up meanwhile.
            let now = repo::request(app, &request.id).await?.ok_or(AppError::NotFound)?;
            if !gives(&now, RequestAction::BureauFiles) {
                return commit(&app.db, Change { statements: vec![repo::close(app, &row.id, "done")?], guarded: None }).await;
            }
            // Paid as filed: the late fee counts to the bureau's filing day (in China).
            let filed_on = china_date(filed_at).ok_or_else(|| AppError::Internal(format!("filing time {filed_at}")))?;
            if let Some((price, changed)) = repriced(app, &now, filed_on).await? {
                values.price = Some(price);
                changes.extend(changed);
            }
            conclude(app, row, &now, RequestAction::BureauFiles, values, changes, None, None).await
        }
        Err(BureauError::Unavailable(e)) => retry_or_give_up(app, row, claim, attempts, request, &e).await,
        Err(BureauError::Refused(reason)) => {
            let values = TransitionValues { bureau_answer: Some(reason.clone()), ..TransitionValues::default() };
            let answer = vec![noted("bureau_answer", &reason)];
            let alert = format!("社保局退回了申请：{reason}");
            conclude(app, row, request, RequestAction::BureauRejects, values, answer, Some(&alert), Some(claim)).await
        }
    }
}

async fn revoke(app: &App, row: &OutboxRow, claim: &str, attempts: i64, request: &RequestRow) -> AppResult<()> {
    if request.state != RequestState::RevocationSent.code() {
        return end(app, row, claim, "cancelled", "申请已不在撤销报送中").await;
    }
    let city = city_of(&request.city)?;
    let asked_at = request.revocation_requested_at.unwrap_or(app.now_ms);
    let version = request.approved_version.unwrap_or(request.version);
    let (action, answer) = match bureau().revoke(app, &request.id, version, asked_at, city).await? {
        Ok(RevocationAnswer::Accepted) => (RequestAction::BureauAccepts, "模拟社保局：同意撤销".to_string()),
        Ok(RevocationAnswer::Refused(reason)) => (RequestAction::BureauRefuses, reason),
        Err(BureauError::Unavailable(e)) => return retry_or_give_up(app, row, claim, attempts, request, &e).await,
        Err(BureauError::Refused(reason)) => (RequestAction::BureauRefuses, reason),
    };
    let values = TransitionValues { bureau_answer: Some(answer.clone()), ..TransitionValues::default() };
    let answer_noted = vec![noted("bureau_answer", &answer)];
    conclude(app, row, request, action, values, answer_noted, None, Some(claim)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_half_an_hour() {
        let waits: Vec<i64> = (1..=5).map(backoff_ms).collect();
        assert_eq!(waits, [5_000, 10_000, 20_000, 40_000, 80_000]);
        assert_eq!(backoff_ms(0), 5_000);
        assert_eq!(backoff_ms(MAX_ATTEMPTS), 160_000);
        assert_eq!(backoff_ms(30), 30 * 60 * 1000);
        assert_eq!(backoff_ms(i64::MAX), 30 * 60 * 1000);
    }
}
