//! Escalation alerts: raised by the cron from the domain's rule (`shebao_domain::escalation`),
//! seen by the branch's roles and the group's, acknowledged with a note, resolved by
//! themselves when their cause is gone.

pub mod repo;

use crate::audit;
use crate::auth::User;
use crate::db::{commit, Change};
use crate::error::{AppError, AppResult};
use crate::http::json;
use crate::idempotency::{self, Begin};
use crate::runs;
use crate::App;
use shebao_domain::api::{field_label_zh, AcknowledgeBody, AlertView, FieldChange};
use shebao_domain::escalation::{run_item, run_message, to_raise, Level, OpenItem};
use shebao_domain::role::Scope;
use shebao_domain::run::RunState;
use shebao_domain::Lang;
use std::collections::{BTreeMap, BTreeSet};
use worker::{Request, Response};

fn view(r: repo::AlertRow) -> AppResult<AlertView> {
    let level = Level::from_number(r.level).ok_or_else(|| AppError::Internal(format!("level {}", r.level)))?;
    Ok(AlertView {
        id: r.id,
        level,
        level_label: level.label(Lang::Zh).into(),
        message: r.message,
        branch_id: r.branch_id,
        run_id: r.run_id,
        raised_at: r.raised_at,
        acknowledged_by: r.acknowledged_by_name,
        acknowledged_at: r.acknowledged_at,
        note: r.note,
        resolved_at: r.resolved_at,
        version: r.version,
    })
}

/// The branch whose alerts the user sees: their own for branch roles, every one for the group.
fn scope(user: &User) -> AppResult<Option<&str>> {
    match user.role.employee_scope() {
        Scope::Own => Err(AppError::Forbidden),
        Scope::Branch => user.branch_id.as_deref().map(Some).ok_or(AppError::Forbidden),
        Scope::Group => Ok(None),
    }
}

/// `GET /api/alerts`
pub async fn list(app: &App, user: &User) -> AppResult<Response> {
    let rows = repo::list(app, scope(user)?).await?;
    json(&rows.into_iter().map(view).collect::<AppResult<Vec<_>>>()?, 200)
}

/// `POST /api/alerts/{id}/acknowledge` {version, note}: who is on it, and what they do.
pub async fn acknowledge(mut req: Request, app: &App, user: &User, id: &str) -> AppResult<Response> {
    let (body, key) = match idempotency::begin::<AcknowledgeBody>(&mut req, app, user).await? {
        Begin::Replay(stored) => return stored.into_response(),
        Begin::New(body, key) => (body, key),
    };
    let row = repo::alert(app, id).await?.ok_or(AppError::NotFound)?;
    if scope(user)?.is_some_and(|b| b != row.branch_id) {
        return Err(AppError::Forbidden);
    }
    let note = shebao_domain::enrollment::action_reason(Some(&body.note)).map_err(|mut e| {
        e.field = "note".into();
        AppError::Validation(vec![e])
    })?;
    if body.version != row.version {
        return Err(AppError::stale());
    }
    let changes = [FieldChange { field: "note".into(), label: field_label_zh("note").into(), before: row.note.clone(), after: Some(note.clone()) }];
    let statements = vec![
        repo::acknowledge(app, id, row.version, &user.id, &note)?,
        audit::entry(app, user, audit::Entry { action: shebao_domain::audit::ALERT_ACKNOWLEDGE, entity: "alert", entity_id: id, changes: &changes }, true)?,
    ];
    let mut acknowledged = view(row)?;
    acknowledged.acknowledged_by = Some(user.display_name.clone());
    acknowledged.acknowledged_at = Some(app.now_iso.clone());
    acknowledged.note = Some(note);
    acknowledged.version += 1;
    idempotency::commit_with_key(app, user, key.as_ref(), Change { statements, guarded: Some(0) }, 200, &acknowledged).await
}

/// The cron's escalation: the open items of every unpaid run, the levels due for them that
/// were not raised before (each raised with its notifications and emails in one batch),
/// and the alerts whose cause is gone resolved.
pub async fn escalate(app: &App) -> AppResult<()> {
    let states = [RunState::Generating, RunState::Generated, RunState::Confirmed, RunState::Approved].map(RunState::code);
    let mut items: Vec<OpenItem> = Vec::new();
    let mut about = BTreeMap::new();
    for row in runs::repo::in_states(app, &states).await? {
        let state = runs::service::state_of(&row)?;
        let due = row.due_date.parse().map_err(|_| AppError::Internal(format!("due {}", row.due_date)))?;
        if let Some((item, cause)) = run_item(&row.id, state, due, app.now_ms) {
            let message = run_message(cause, &row.branch_name, &row.period, state, due, Lang::Zh);
            about.insert(item.key.clone(), (row.branch_id.clone(), row.id.clone(), message));
            items.push(item);
        }
    }
    let keys: Vec<String> = items.iter().map(|i| i.key.clone()).collect();
    let raised: BTreeSet<(String, Level)> = repo::raised(app, &keys)
        .await?
        .into_iter()
        .filter_map(|r| Level::from_number(r.level).map(|l| (r.item, l)))
        .collect();
    for (key, level) in to_raise(&items, &raised, app.now_ms) {
        let Some((branch_id, run_id, message)) = about.get(&key) else { continue };
        let id = format!("{key}:{}", level.number());
        let message = format!("【{}】{message}", level.label(Lang::Zh));
        let statements = vec![
            repo::insert(app, &id, &key, level, branch_id, run_id, &message)?,
            repo::notify(app, &id, level, branch_id, run_id, &message)?,
            repo::email(app, &id, level, branch_id, &message)?,
        ];
        commit(&app.db, Change { statements, guarded: None }).await?;
    }
    commit(&app.db, Change { statements: vec![repo::resolve_gone(app, &keys)?], guarded: None }).await
}
