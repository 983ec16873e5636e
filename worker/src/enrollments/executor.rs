//! Carries the outbox to the bureau: approved items whose hold has passed are filed,
//! revocation requests are asked. Runs on the cron trigger, and at once after a
//! supervisor's "execute now" or a revocation request. A failed call is retried with
//! backoff; a filing is never made twice (the claim is guarded and the bureau dedupes on
//! the request id).

use super::repo::{self, OutboxRow, RequestRow, TransitionValues};
use super::service::{iso, state_change};
use crate::audit;
use crate::auth::User;
use crate::bureau::{bureau, Bureau, BureauError, Filing, RevocationAnswer};
use crate::db::{commit, Change};
use crate::error::{AppError, AppResult};
use crate::App;
use shebao_domain::api::FieldChange;
use shebao_domain::enrollment::{transition, Actor, RequestAction, RequestState};
use shebao_domain::policy::City;
use shebao_domain::role::Role;

/// The actor of what the system does by itself, as the audit log names it.
fn system() -> User {
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

/// Processes what is due (only this request's work when `request_id` is given).
/// Returns how many outbox rows it handled.
pub async fn run_due(app: &App, request_id: Option<&str>) -> AppResult<usize> {
    let mut handled = 0;
    for row in repo::due(app, request_id).await? {
        if repo::claim(app, &row).await? {
            process(app, &row).await?;
            handled += 1;
        }
    }
    Ok(handled)
}

async fn process(app: &App, row: &OutboxRow) -> AppResult<()> {
    let Some(request) = repo::request(app, &row.request_id).await? else {
        return commit_one(app, repo::finish(app, &row.id, "cancelled", Some("申请不存在"))?).await;
    };
    match row.topic.as_str() {
        "bureau.file" => file(app, row, &request).await,
        "bureau.revoke" => revoke(app, row, &request).await,
        other => Err(AppError::Internal(format!("outbox topic {other}"))),
    }
}

async fn commit_one(app: &App, statement: worker::D1PreparedStatement) -> AppResult<()> {
    commit(&app.db, Change { statements: vec![statement], guarded: None }).await
}

async fn retry(app: &App, row: &OutboxRow, error: &str) -> AppResult<()> {
    let attempts = row.attempts + 1;
    commit_one(app, repo::retry_later(app, &row.id, app.now_ms + backoff_ms(attempts), error)?).await
}

/// The system's transition of a request, its audit entry and the outbox row's end, in one batch.
async fn conclude(
    app: &App,
    row: &OutboxRow,
    request: &RequestRow,
    action: RequestAction,
    values: TransitionValues,
    changes: Vec<FieldChange>,
) -> AppResult<()> {
    let from = RequestState::from_code(&request.state).ok_or_else(|| AppError::Internal("state".into()))?;
    let to = transition(from, action, Actor::system()).map_err(|e| AppError::Internal(e.message_zh()))?;
    let mut changes = changes;
    changes.insert(0, state_change(from, to));
    let action_code = format!("enrollment.{}", action.code().replace('-', "_"));
    let change = Change {
        statements: vec![
            repo::transition(app, &request.id, request.version, from.code(), to.code(), &values)?,
            audit::entry(
                app,
                &system(),
                audit::Entry { action: &action_code, entity: "enrollment", entity_id: &request.id, changes: &changes },
                true,
            )?,
            repo::finish(app, &row.id, "done", None)?,
        ],
        guarded: Some(0),
    };
    commit(&app.db, change).await
}

fn noted(field: &str, label: &str, value: &str) -> FieldChange {
    FieldChange { field: field.into(), label: label.into(), before: None, after: Some(value.into()) }
}

async fn file(app: &App, row: &OutboxRow, request: &RequestRow) -> AppResult<()> {
    if request.state != RequestState::Approved.code() {
        // Revoked (or already executed) since it was queued: nothing to send.
        return commit_one(app, repo::finish(app, &row.id, "cancelled", Some("申请已不在已批准状态"))?).await;
    }
    let filing = Filing { request_id: &request.id, resident_id: &request.resident_id, kind: &request.kind };
    match bureau().file(app, &filing).await? {
        Ok(receipt) => {
            let values = TransitionValues {
                executed_at: Some(app.now_ms),
                receipt_no: Some(receipt.clone()),
                ..TransitionValues::default()
            };
            let changes = vec![noted("receipt_no", "社保局回执号", &receipt), noted("executed_at", "执行时间", &iso(app.now_ms))];
            conclude(app, row, request, RequestAction::Execute, values, changes).await
        }
        Err(BureauError::Unavailable(e)) => retry(app, row, &e).await,
        Err(BureauError::Refused(reason)) => {
            let entry = [noted("bureau_answer", "社保局答复", &reason)];
            let change = Change {
                statements: vec![
                    repo::finish(app, &row.id, "failed", Some(&reason))?,
                    crate::db::stmt(
                        &app.db,
                        "UPDATE enrollment_requests SET bureau_answer = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                        crate::args![reason.as_str(), app.now_iso.as_str(), request.id.as_str()],
                    )?,
                    audit::entry(
                        app,
                        &system(),
                        audit::Entry { action: "enrollment.bureau_rejected", entity: "enrollment", entity_id: &request.id, changes: &entry },
                        false,
                    )?,
                ],
                guarded: None,
            };
            commit(&app.db, change).await
        }
    }
}

async fn revoke(app: &App, row: &OutboxRow, request: &RequestRow) -> AppResult<()> {
    if request.state != RequestState::RevocationRequested.code() {
        return commit_one(app, repo::finish(app, &row.id, "cancelled", Some("申请已不在撤销申请中"))?).await;
    }
    let window = City::from_code(&request.city).map_or(3, City::revocation_window_days);
    let executed_at = request.executed_at.unwrap_or(app.now_ms);
    let (action, answer) = match bureau().revoke(app, &request.id, executed_at, window).await? {
        Ok(RevocationAnswer::Accepted) => (RequestAction::BureauAccepts, "模拟社保局：同意撤销".to_string()),
        Ok(RevocationAnswer::Refused(reason)) => (RequestAction::BureauRefuses, reason),
        Err(BureauError::Unavailable(e)) => return retry(app, row, &e).await,
        Err(BureauError::Refused(reason)) => (RequestAction::BureauRefuses, reason),
    };
    let values = TransitionValues { bureau_answer: Some(answer.clone()), ..TransitionValues::default() };
    conclude(app, row, request, action, values, vec![noted("bureau_answer", "社保局答复", &answer)]).await
}
