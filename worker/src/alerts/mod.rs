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
use crate::{claims, runs};
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
        link: r.link,
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

/// An item that needs a person, with what its alerts say and where they point.
pub struct Escalated {
    pub item: OpenItem,
    pub branch_id: String,
    pub run_id: Option<String>,
    pub link: String,
    pub message: String,
}

/// The open items of every unpaid run.
async fn run_items(app: &App) -> AppResult<Vec<Escalated>> {
    let states = [RunState::Generating, RunState::Generated, RunState::Confirmed, RunState::Approved].map(RunState::code);
    let mut out = Vec::new();
    for row in runs::repo::in_states(app, &states).await? {
        let state = runs::service::state_of(&row)?;
        let due = runs::service::date(&row.due_date)?;
        if let Some((item, cause)) = run_item(&row.id, state, due, app.now_ms) {
            out.push(Escalated {
                item,
                branch_id: row.branch_id.clone(),
                run_id: Some(row.id.clone()),
                link: format!("/runs/{}", row.id),
                message: run_message(cause, &row.branch_name, &row.period, state, due, Lang::Zh),
            });
        }
    }
    Ok(out)
}

/// Raises the levels due for `open` that were not raised before, each with its
/// notifications and emails in one batch.
pub async fn raise(app: &App, open: &[Escalated]) -> AppResult<()> {
    let items: Vec<OpenItem> = open.iter().map(|e| e.item.clone()).collect();
    let keys: Vec<String> = items.iter().map(|i| i.key.clone()).collect();
    let raised: BTreeSet<(String, Level)> = repo::raised(app, &keys)
        .await?
        .into_iter()
        .filter_map(|r| Level::from_number(r.level).map(|l| (r.item, l)))
        .collect();
    let about: BTreeMap<&str, &Escalated> = open.iter().map(|e| (e.item.key.as_str(), e)).collect();
    for (key, level) in to_raise(&items, &raised, app.now_ms) {
        let Some(e) = about.get(key.as_str()) else { continue };
        let id = format!("{key}:{}", level.number());
        let message = format!("【{}】{}", level.label(Lang::Zh), e.message);
        let statements = vec![
            repo::insert(app, &id, &key, level, e, &message)?,
            repo::notify(app, &id, level, &e.branch_id, &e.link, &message)?,
            repo::email(app, &id, level, &e.branch_id, &message)?,
        ];
        commit(&app.db, Change { statements, guarded: None }).await?;
    }
    Ok(())
}

/// The cron's escalation: the open items of every unpaid run and every held claim, the
/// levels due for them raised, and the alerts whose cause is gone resolved.
pub async fn escalate(app: &App) -> AppResult<()> {
    let mut open = run_items(app).await?;
    open.extend(claims::service::held_items(app).await?);
    raise(app, &open).await?;
    let keys: Vec<String> = open.iter().map(|e| e.item.key.clone()).collect();
    commit(&app.db, Change { statements: vec![repo::resolve_gone(app, &keys)?], guarded: None }).await
}
