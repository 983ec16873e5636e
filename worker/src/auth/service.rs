//! Password checks with throttling, sessions, and the first administrator.

use super::{repo, User};
use crate::audit;
use crate::crypto::{hash_password, hex, new_id, random_bytes, sha256_hex, verify_password};
use crate::db::{commit, Change};
use crate::error::{AppError, AppResult};
use crate::App;
use shebao_domain::api::FieldChange;
use shebao_domain::role::Role;
use std::time::Duration;

pub const SESSION_TTL_MS: i64 = 12 * 60 * 60 * 1000;
/// After this many failures in a row, each further attempt is answered more slowly …
const SLOW_AFTER: i64 = 3;
/// … and after this many the login is locked for `LOCK_MS`.
const LOCK_AFTER: i64 = 5;
const LOCK_MS: i64 = 15 * 60 * 1000;
/// Failures older than this are forgotten.
pub const FAILURE_WINDOW_MS: i64 = 15 * 60 * 1000;
/// Verified when the login is unknown, so both cases take the same time.
const DUMMY_HASH: &str = "pbkdf2-sha256$100000$00000000000000000000000000000000$\
     0000000000000000000000000000000000000000000000000000000000000000";

pub fn normalize_login(login: &str) -> String {
    login.trim().to_lowercase()
}

/// Checks the password and opens a session; returns the user and the session token.
pub async fn login(app: &App, login: &str, password: &str) -> AppResult<(User, String)> {
    let login = normalize_login(login);
    if login.is_empty() || password.is_empty() {
        return Err(AppError::Validation(vec![shebao_domain::FieldError::new(
            if login.is_empty() { "login" } else { "password" },
            "login.required",
            "请输入用户名和密码",
        )]));
    }
    let throttle = repo::throttle(app, &login)
        .await?
        .filter(|t| t.locked_until > app.now_ms || app.now_ms - t.last_failure < FAILURE_WINDOW_MS);
    if let Some(t) = &throttle {
        if t.locked_until > app.now_ms {
            return Err(AppError::Locked((t.locked_until - app.now_ms) / 1000));
        }
        if t.failures >= SLOW_AFTER {
            let secs = (t.failures - SLOW_AFTER + 1).min(3) as u64;
            worker::Delay::from(Duration::from_secs(secs)).await;
        }
    }
    let credentials = repo::credentials(app, &login).await?;
    let stored = credentials.as_ref().map_or(DUMMY_HASH, |c| c.password_hash.as_str());
    let ok = verify_password(password, stored).await? && credentials.is_some();
    let Some(credentials) = credentials.filter(|_| ok) else {
        let failures = throttle.map_or(0, |t| t.failures) + 1;
        let locked_until = if failures >= LOCK_AFTER { app.now_ms + LOCK_MS } else { 0 };
        repo::save_throttle(
            app,
            &login,
            &repo::Throttle { failures, last_failure: app.now_ms, locked_until },
        )
        .await?;
        return Err(if locked_until > 0 {
            AppError::Locked(LOCK_MS / 1000)
        } else {
            AppError::BadCredentials
        });
    };
    repo::clear_throttle(app, &login).await?;
    let user = repo::user_by_id(app, &credentials.id).await?.ok_or(AppError::BadCredentials)?;
    let token = hex(&random_bytes(32)?);
    repo::insert_session(app, &sha256_hex(token.as_bytes()).await?, &user.id, app.now_ms + SESSION_TTL_MS)
        .await?;
    Ok((user, token))
}

pub async fn logout(app: &App, token: &str) -> AppResult<()> {
    repo::delete_session(app, &sha256_hex(token.as_bytes()).await?).await
}

pub async fn user_for_token(app: &App, token: Option<String>) -> AppResult<User> {
    let token = token.ok_or(AppError::Unauthorized)?;
    repo::user_by_session(app, &sha256_hex(token.as_bytes()).await?)
        .await?
        .ok_or(AppError::Unauthorized)
}

/// Creates the first administrator of a fresh deployment; refused once any user exists.
pub async fn setup_first_admin(app: &App, login: &str, display_name: &str, password: &str) -> AppResult<User> {
    let login = normalize_login(login);
    let mut errors = Vec::new();
    if login.len() < 3 || !login.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_') {
        errors.push(shebao_domain::FieldError::new("login", "login.invalid", "用户名须为至少3位字母、数字、点或下划线"));
    }
    if password.chars().count() < 12 {
        errors.push(shebao_domain::FieldError::new("password", "password.weak", "密码至少12位"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let admin = User {
        id: new_id("usr")?,
        login: login.clone(),
        display_name: if display_name.trim().is_empty() { "系统管理员".into() } else { display_name.trim().into() },
        role: Role::Admin,
        branch_id: None,
        branch_name: None,
        employee_id: None,
    };
    let hash = hash_password(password).await?;
    let created = [FieldChange {
        field: "login".into(),
        label: "用户名".into(),
        before: None,
        after: Some(login),
    }];
    let change = Change {
        statements: vec![
            repo::insert_first_admin(app, &admin, &hash)?,
            audit::entry(
                app,
                &admin,
                audit::Entry { action: "user.setup_admin", entity: "user", entity_id: &admin.id, changes: &created },
                true,
            )?,
        ],
        guarded: Some(0),
    };
    commit(&app.db, change)
        .await
        .map_err(|e| match e {
            AppError::Conflict(_) => AppError::Conflict("系统已初始化，不能再次创建首个管理员".into()),
            other => other,
        })?;
    Ok(admin)
}
