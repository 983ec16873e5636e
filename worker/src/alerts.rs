//! Alerts in the app: what the system tells a person about their work (a filing the bureau
//! refused, a filing that needs a person).

use crate::args;
use crate::auth::User;
use crate::db::all;
use crate::error::AppResult;
use crate::http::json;
use crate::App;
use shebao_domain::api::Alert;
use worker::Response;

/// `GET /api/alerts`: the signed-in user's newest 50 alerts.
pub async fn mine(app: &App, user: &User) -> AppResult<Response> {
    let alerts: Vec<Alert> = all(
        &app.db,
        "SELECT id, request_id, message, created_at FROM alerts WHERE user_id = ? ORDER BY id DESC LIMIT 50",
        args![&user.id],
    )
    .await?;
    json(&alerts, 200)
}
