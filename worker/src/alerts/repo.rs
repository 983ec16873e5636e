//! The alerts table's reads (alerts are written by the change that causes them, in its
//! batch: see `enrollments::repo::alert`).

use crate::args;
use crate::db::all;
use crate::error::AppResult;
use crate::App;
use shebao_domain::api::Alert;

/// The user's newest 50 alerts, newest first.
pub async fn newest_of(app: &App, user_id: &str) -> AppResult<Vec<Alert>> {
    all(
        &app.db,
        "SELECT id, request_id, message, created_at FROM alerts WHERE user_id = ? ORDER BY id DESC LIMIT 50",
        args![user_id],
    )
    .await
}
