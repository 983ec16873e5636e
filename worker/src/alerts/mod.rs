//! Alerts in the app: what the system tells a person about their work (a filing the bureau
//! refused, a filing that needs a person).

pub mod repo;

use crate::auth::User;
use crate::error::AppResult;
use crate::http::json;
use crate::App;
use worker::Response;

/// `GET /api/alerts`: the signed-in user's newest 50 alerts.
pub async fn mine(app: &App, user: &User) -> AppResult<Response> {
    json(&repo::newest_of(app, &user.id).await?, 200)
}
