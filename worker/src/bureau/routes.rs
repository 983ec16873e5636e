use super::simulator::{config, set_config, settings, SimulatorConfig};
use crate::audit;
use crate::auth::User;
use crate::db::{commit, Change};
use crate::error::{AppError, AppResult};
use crate::http::{body, json};
use crate::App;
use shebao_domain::audit as audit_action;
use shebao_domain::role::Role;
use worker::{Request, Response};

fn require_admin(user: &User) -> AppResult<()> {
    if user.role == Role::Admin { Ok(()) } else { Err(AppError::Forbidden) }
}

/// `GET /api/bureau-simulator`: the simulator's settings and counters (administrators).
pub async fn get(app: &App, user: &User) -> AppResult<Response> {
    require_admin(user)?;
    json(&config(app).await?, 200)
}

/// `PUT /api/bureau-simulator` {fail_next, fail_percent, delay_ms, refuse_next}: make the
/// simulator fail, refuse or hold calls. The settings and their audit entry (from what they
/// were to what they are) are written in one batch.
pub async fn put(mut req: Request, app: &App, user: &User) -> AppResult<Response> {
    require_admin(user)?;
    let c: SimulatorConfig = body(&mut req).await?;
    let before = settings(&config(app).await?);
    let changes: Vec<_> = before
        .into_iter()
        .zip(settings(&c))
        .filter_map(|((field, was), (_, is))| audit::diff(field, Some(was.to_string()), Some(is.to_string())))
        .collect();
    let entry = audit::Entry { action: audit_action::BUREAU_SIMULATOR_UPDATE, entity: "bureau_simulator", entity_id: "simulator", changes: &changes };
    let mut statements = set_config(app, &c)?;
    statements.push(audit::entry(app, user, entry, false)?);
    commit(&app.db, Change { statements, guarded: None }).await?;
    json(&config(app).await?, 200)
}
