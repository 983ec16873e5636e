use super::simulator::{config, set_config, SimulatorConfig};
use crate::auth::User;
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
pub async fn put(mut req: Request, app: &App, user: &User) -> AppResult<Response> {
    require_admin(user)?;
    let c: SimulatorConfig = body(&mut req).await?;
    set_config(app, &c).await?;
    json(&config(app).await?, 200)
}
