use super::User;
use crate::args;
use crate::db::{first, run, stmt};
use crate::error::AppResult;
use crate::App;
use serde::Deserialize;
use worker::D1PreparedStatement;

const USER_COLUMNS: &str = "u.id, u.login, u.display_name, u.role, u.branch_id, \
     b.name AS branch_name, u.employee_id";

#[derive(Deserialize)]
pub struct Credentials {
    pub id: String,
    pub password_hash: String,
}

#[derive(Deserialize)]
pub struct Throttle {
    pub failures: i64,
    pub last_failure: i64,
    pub locked_until: i64,
}

pub async fn credentials(app: &App, login: &str) -> AppResult<Option<Credentials>> {
    first(&app.db, "SELECT id, password_hash FROM users WHERE login = ?", args![login]).await
}

pub async fn user_by_session(app: &App, token_hash: &str) -> AppResult<Option<User>> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id \
         LEFT JOIN branches b ON b.id = u.branch_id WHERE s.token_hash = ? AND s.expires_at > ?"
    );
    first(&app.db, &sql, args![token_hash, app.now_ms]).await
}

pub async fn user_by_id(app: &App, id: &str) -> AppResult<Option<User>> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users u LEFT JOIN branches b ON b.id = u.branch_id WHERE u.id = ?"
    );
    first(&app.db, &sql, args![id]).await
}

pub async fn insert_session(app: &App, token_hash: &str, user_id: &str, expires_at: i64) -> AppResult<()> {
    run(
        &app.db,
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
        args![token_hash, user_id, app.now_ms, expires_at],
    )
    .await
}

pub async fn delete_session(app: &App, token_hash: &str) -> AppResult<()> {
    run(&app.db, "DELETE FROM sessions WHERE token_hash = ?", args![token_hash]).await
}

pub async fn throttle(app: &App, login: &str) -> AppResult<Option<Throttle>> {
    first(
        &app.db,
        "SELECT failures, last_failure, locked_until FROM login_throttle WHERE login = ?",
        args![login],
    )
    .await
}

pub async fn save_throttle(app: &App, login: &str, t: &Throttle) -> AppResult<()> {
    run(
        &app.db,
        "INSERT INTO login_throttle (login, failures, last_failure, locked_until) VALUES (?, ?, ?, ?) \
         ON CONFLICT (login) DO UPDATE SET failures = excluded.failures, \
         last_failure = excluded.last_failure, locked_until = excluded.locked_until",
        args![login, t.failures, t.last_failure, t.locked_until],
    )
    .await
}

pub async fn clear_throttle(app: &App, login: &str) -> AppResult<()> {
    run(&app.db, "DELETE FROM login_throttle WHERE login = ?", args![login]).await
}

/// The first administrator, only while there is no user at all (guarded: 0 rows otherwise).
pub fn insert_first_admin(app: &App, admin: &User, password_hash: &str) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "INSERT INTO users (id, login, display_name, role, password_hash, created_at) \
         SELECT ?, ?, ?, 'admin', ?, ? WHERE NOT EXISTS (SELECT 1 FROM users)",
        args![&admin.id, &admin.login, &admin.display_name, password_hash, app.now_iso.as_str()],
    )
}

/// Expired sessions and stale throttle rows, removed by the cron trigger.
pub async fn purge_expired(app: &App) -> AppResult<()> {
    run(&app.db, "DELETE FROM sessions WHERE expires_at <= ?", args![app.now_ms]).await?;
    run(
        &app.db,
        "DELETE FROM login_throttle WHERE locked_until <= ? AND last_failure <= ?",
        args![app.now_ms, app.now_ms - super::service::FAILURE_WINDOW_MS],
    )
    .await
}
