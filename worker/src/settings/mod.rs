//! Company settings kept in D1 (administrators change them).

mod repo;

use crate::auth::User;
use crate::audit;
use crate::db::{commit, Change};
use crate::error::{AppError, AppResult};
use crate::http::{body, json};
use crate::App;
use serde::{Deserialize, Serialize};
use shebao_domain::audit as audit_action;
use shebao_domain::role::Role;
use worker::{Request, Response};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Settings {
    /// Minutes an approved item waits before it is sent to the bureau.
    pub execution_hold_minutes: i64,
}

const DEFAULT_HOLD_MINUTES: i64 = 120;

/// The key of `Settings::execution_hold_minutes`, also the field its audit entry names.
const HOLD: &str = "execution_hold_minutes";

pub async fn load(app: &App) -> AppResult<Settings> {
    let hold = repo::value(app, HOLD).await?;
    Ok(Settings { execution_hold_minutes: hold.and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_HOLD_MINUTES) })
}

/// `GET /api/settings`
pub async fn get(app: &App) -> AppResult<Response> {
    json(&load(app).await?, 200)
}

/// `PUT /api/settings` (administrators): a hold of 0 to 7 days.
pub async fn put(mut req: Request, app: &App, user: &User) -> AppResult<Response> {
    if user.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let s: Settings = body(&mut req).await?;
    if !(0..=7 * 24 * 60).contains(&s.execution_hold_minutes) {
        return Err(AppError::field(
            HOLD,
            "settings.hold_range",
            "等待时间应在0到7天之间",
            "The hold is between 0 and 7 days",
        ));
    }
    let before = load(app).await?;
    let changes: Vec<_> = audit::diff(
        HOLD,
        Some(before.execution_hold_minutes.to_string()),
        Some(s.execution_hold_minutes.to_string()),
    )
    .into_iter()
    .collect();
    let change = Change {
        statements: vec![
            repo::set(app, HOLD, s.execution_hold_minutes.to_string())?,
            audit::entry(
                app,
                user,
                audit::Entry { action: audit_action::SETTINGS_UPDATE, entity: "settings", entity_id: "company", changes: &changes },
                false,
            )?,
        ],
        guarded: None,
    };
    commit(&app.db, change).await?;
    json(&s, 200)
}
