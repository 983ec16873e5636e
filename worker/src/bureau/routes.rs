use super::simulator::{config, set_config, SimulatorConfig};
use crate::audit;
use crate::auth::User;
use crate::db::{commit, Change};
use crate::error::{AppError, AppResult};
use crate::http::{body, json};
use crate::App;
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

/// `PUT /api/bureau-simulator` {fail_next, fail_percent}: make the simulator fail calls.
/// Audited; the simulator writes its settings itself, so the entry follows them (from what
/// they were to what they now are) rather than sharing their batch.
pub async fn put(mut req: Request, app: &App, user: &User) -> AppResult<Response> {
    require_admin(user)?;
    let c: SimulatorConfig = body(&mut req).await?;
    let before = config(app).await?;
    set_config(app, &c).await?;
    let after = config(app).await?;
    let changes: Vec<_> = [
        ("fail_next", before.fail_next, after.fail_next),
        ("fail_percent", before.fail_percent, after.fail_percent),
    ]
    .into_iter()
    .filter_map(|(field, was, is)| audit::diff(field, Some(was.to_string()), Some(is.to_string())))
    .collect();
    let entry = audit::Entry { action: "bureau_simulator.update", entity: "bureau_simulator", entity_id: "simulator", changes: &changes };
    commit(&app.db, Change { statements: vec![audit::entry(app, user, entry, false)?], guarded: None }).await?;
    json(&after, 200)
}
