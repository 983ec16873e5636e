use super::User;
use crate::args;
use crate::crypto::{hex, random_bytes};
use crate::db::{first, run, stmt, Answer, Query};
use crate::error::AppResult;
use crate::App;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use worker::D1PreparedStatement;

const USER_COLUMNS: &str = "u.id, u.login, u.display_name, u.role, u.branch_id, \
     b.name AS branch_name, u.employee_id";

#[derive(Deserialize)]
pub struct Credentials {
    pub id: String,
    pub password_hash: String,
}

pub async fn credentials(app: &App, login: &str) -> AppResult<Option<Credentials>> {
    first(&app.db, "SELECT id, password_hash FROM users WHERE login = ?", args![login]).await
}

/// The user of a session that has not expired.
pub fn user_by_session(app: &App, token_hash: &str) -> AppResult<Query<User>> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id \
         LEFT JOIN branches b ON b.id = u.branch_id WHERE s.token_hash = ? AND s.expires_at > ?"
    );
    Query::new(&app.db, &sql, args![token_hash, app.now_ms])
}

pub async fn user_by_id(app: &App, id: &str) -> AppResult<Option<User>> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users u LEFT JOIN branches b ON b.id = u.branch_id WHERE u.id = ?"
    );
    first(&app.db, &sql, args![id]).await
}

pub fn insert_session(app: &App, token_hash: &str, user_id: &str, expires_at: i64) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
        args![token_hash, user_id, app.now_ms, expires_at],
    )
}

pub async fn delete_session(app: &App, token_hash: &str) -> AppResult<()> {
    run(&app.db, "DELETE FROM sessions WHERE token_hash = ?", args![token_hash]).await
}

/// How a sign-in attempt was counted (see `count_attempt`).
pub struct Counted {
    /// The lock in force before the attempt (ms; 0 if none): then it is refused.
    pub locked_before: i64,
    /// The failures of this login from this address, this attempt included.
    pub failures: i64,
    /// Until when later attempts are refused if this one fails (ms; 0 if they are not).
    pub locked_until: i64,
}

#[derive(Deserialize)]
struct Lock {
    locked_until: Option<i64>,
}

#[derive(Deserialize)]
struct Count {
    failures: i64,
    locked_until: i64,
}

/// An attempt's two counters: `?2` from address `?1`, and the address alone (login '',
/// which no attempt gets this far with).
const ROWS: &str = "address = ?1 AND login IN (?2, '')";

fn rows<T: DeserializeOwned>(results: &[Answer], i: usize) -> AppResult<Vec<T>> {
    results.get(i).map_or(Ok(Vec::new()), Answer::rows)
}

/// Counts a sign-in attempt as a failure before its password is checked, in one batch (a
/// transaction), so that concurrent attempts are all counted and see each other's locks.
pub async fn count_attempt(app: &App, login: &str, address: &str) -> AppResult<Counted> {
    use super::service::{ADDRESS_LOCK_AFTER, FAILURE_WINDOW_MS, FIRST_DELAY_MS, LOGIN_LOCK_AFTER, MAX_DELAY_MS};
    // One counter (login `?4`, locking from `?5` failures on; `?5` > 1, so a first failure
    // never locks): +1 unless a lock is in force on either counter — other than one this
    // attempt (`?8`) has just set with its other upsert — and from `?5` failures on a lock
    // of `?6 · 2^(failures − ?5)` ms, at most `?7`.
    let upsert_sql = format!(
        "INSERT INTO login_throttle (login, address, failures, last_failure, locked_until, attempt) \
         SELECT ?4, ?1, 1, ?3, 0, ?8 WHERE NOT EXISTS \
           (SELECT 1 FROM login_throttle WHERE {ROWS} AND locked_until > ?3 AND attempt <> ?8) \
         ON CONFLICT (login, address) DO UPDATE SET failures = failures + 1, last_failure = ?3, attempt = ?8, \
           locked_until = CASE WHEN failures + 1 < ?5 THEN 0 \
             ELSE ?3 + MIN(?7, ?6 << MIN(failures + 1 - ?5, 16)) END \
         RETURNING failures, locked_until"
    );
    let attempt = hex(&random_bytes(16)?);
    let upsert = |row_login: &str, lock_after: i64| {
        let args = args![address, login, app.now_ms, row_login, lock_after, FIRST_DELAY_MS, MAX_DELAY_MS, &attempt];
        stmt(&app.db, &upsert_sql, args)
    };
    let results = app
        .db
        .batch(vec![
            // Failures older than the window are forgotten.
            stmt(
                &app.db,
                &format!("DELETE FROM login_throttle WHERE {ROWS} AND last_failure <= ?3 AND locked_until <= ?4"),
                args![address, login, app.now_ms - FAILURE_WINDOW_MS, app.now_ms],
            )?,
            stmt(
                &app.db,
                &format!("SELECT MAX(locked_until) AS locked_until FROM login_throttle WHERE {ROWS} AND locked_until > ?3"),
                args![address, login, app.now_ms],
            )?,
            upsert(login, LOGIN_LOCK_AFTER)?,
            upsert("", ADDRESS_LOCK_AFTER)?,
        ])
        .await?;
    let (login_row, address_row) = (rows::<Count>(&results, 2)?, rows::<Count>(&results, 3)?);
    Ok(Counted {
        locked_before: rows::<Lock>(&results, 1)?.first().and_then(|l| l.locked_until).unwrap_or(0),
        failures: login_row.first().map_or(0, |c| c.failures),
        locked_until: login_row.iter().chain(&address_row).map(|c| c.locked_until).max().unwrap_or(0),
    })
}

/// After a success: this login's counter from this address is cleared, and the attempt's
/// count on the address is taken back (with its lock, if fewer failures remain than lock one).
pub fn clear_attempt(app: &App, login: &str, address: &str) -> AppResult<Vec<D1PreparedStatement>> {
    Ok(vec![
        stmt(&app.db, "DELETE FROM login_throttle WHERE address = ? AND login = ?", args![address, login])?,
        stmt(
            &app.db,
            "UPDATE login_throttle SET failures = failures - 1, \
             locked_until = CASE WHEN failures - 1 < ?2 THEN 0 ELSE locked_until END \
             WHERE address = ?1 AND login = '' AND failures > 0",
            args![address, super::service::ADDRESS_LOCK_AFTER],
        )?,
    ])
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
