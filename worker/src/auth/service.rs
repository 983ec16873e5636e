//! Password checks with throttling, sessions, and the first administrator.

use super::{repo, User};
use crate::audit;
use crate::crypto::{hash_password, hex, new_id, random_bytes, same_secret, sha256_hex, verify_password};
use crate::db::{commit, Change, Query, Read, Reads};
use crate::error::{AppError, AppResult};
use crate::App;
use shebao_domain::audit as audit_action;
use shebao_domain::api::{FieldChange, LoginRequest};
use shebao_domain::login::check_new_login;
use shebao_domain::role::Role;
use shebao_domain::FieldError;
use std::cell::RefCell;
use std::collections::HashMap;

pub const SESSION_TTL_MS: i64 = 12 * 60 * 60 * 1000;

// Sign-in throttling. Every attempt counts as a failure before its password is checked (a
// success takes it back), on two counters: its login from its client address, and that
// address alone (password spraying across logins). A counter at its limit refuses further
// attempts from that address, unchecked and uncounted, for a delay that doubles with each
// further failure — 1, 2, 4, 8, then at most 15 minutes — never for good, and never from
// another address: nobody can lock a supervisor out by failing in the supervisor's name.
pub const LOGIN_LOCK_AFTER: i64 = 5;
pub const ADDRESS_LOCK_AFTER: i64 = 30;
pub const FIRST_DELAY_MS: i64 = 60 * 1000;
pub const MAX_DELAY_MS: i64 = 15 * 60 * 1000;
/// Failures older than this (counted from the last one) are forgotten.
pub const FAILURE_WINDOW_MS: i64 = 60 * 60 * 1000;
/// Verified when the login is unknown, so both cases take the same time.
const DUMMY_HASH: &str = "pbkdf2-sha256$100000$00000000000000000000000000000000$\
     0000000000000000000000000000000000000000000000000000000000000000";

fn seconds_until(app: &App, ms: i64) -> i64 {
    (ms - app.now_ms + 999) / 1000
}

/// What an audit entry of a sign-in attempt shows besides the login typed (never the
/// password).
fn attempt_changes(address: &str, failures: Option<i64>) -> Vec<FieldChange> {
    [
        audit::diff("address", None, Some(address.to_string())),
        failures.and_then(|n| audit::diff("failures", None, Some(n.to_string()))),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The audit entry of an attempt that did not sign anyone in, against the login typed.
async fn record_attempt(app: &App, action: &str, login: &str, changes: &[FieldChange]) -> AppResult<()> {
    let entry = audit::anonymous_entry(app, audit::Entry { action, entity: "login", entity_id: login, changes })?;
    commit(&app.db, Change { statements: vec![entry], guarded: None }).await
}

/// Checks the password and opens a session; returns the user and the session token.
pub async fn login(app: &App, creds: &LoginRequest, address: &str) -> AppResult<(User, String)> {
    // Before anything is counted or hashed.
    let login = creds.checked_login().map_err(AppError::Validation)?;
    let counted = repo::count_attempt(app, &login, address).await?;
    if counted.locked_before > app.now_ms {
        record_attempt(app, audit_action::LOGIN_THROTTLED, &login, &attempt_changes(address, None)).await?;
        return Err(AppError::Locked(seconds_until(app, counted.locked_before)));
    }
    let credentials = repo::credentials(app, &login).await?;
    let stored = credentials.as_ref().map_or(DUMMY_HASH, |c| c.password_hash.as_str());
    let ok = verify_password(&creds.password, stored).await? && credentials.is_some();
    let Some(credentials) = credentials.filter(|_| ok) else {
        let locked = counted.locked_until > app.now_ms;
        let action = if locked { audit_action::LOGIN_LOCKED } else { audit_action::LOGIN_FAILED };
        record_attempt(app, action, &login, &attempt_changes(address, Some(counted.failures))).await?;
        return Err(if locked { AppError::Locked(seconds_until(app, counted.locked_until)) } else { AppError::BadCredentials });
    };
    let user = repo::user_by_id(app, &credentials.id).await?.ok_or(AppError::BadCredentials)?;
    let token = hex(&random_bytes(32)?);
    let token_hash = sha256_hex(token.as_bytes()).await?;
    let mut statements = repo::clear_attempt(app, &login, address)?;
    statements.push(repo::insert_session(app, &token_hash, &user.id, app.now_ms + SESSION_TTL_MS)?);
    let changes = attempt_changes(address, None);
    statements.push(audit::entry(
        app,
        &user,
        audit::Entry { action: audit_action::LOGIN_SUCCEEDED, entity: "login", entity_id: &login, changes: &changes },
        false,
    )?);
    commit(&app.db, Change { statements, guarded: None }).await?;
    remember(&token_hash, Some(&user));
    Ok((user, token))
}

pub async fn logout(app: &App, token: &str) -> AppResult<()> {
    let token_hash = sha256_hex(token.as_bytes()).await?;
    remember(&token_hash, None);
    repo::delete_session(app, &token_hash).await
}

thread_local! {
    /// The user each session (by its token's hash) was last read as on this instance: the
    /// guess a read that depends on who asks is built for, so that it can go out with the
    /// session's own read. Only a guess: the answer is used only if that same batch reads
    /// the session as that same user.
    static LAST_SEEN: RefCell<HashMap<String, User>> = RefCell::new(HashMap::new());
}

/// Sessions remembered per instance; past it the guesses start again (a cost, never a risk).
const LAST_SEEN_MAX: usize = 2_000;

fn last_seen(token_hash: &str) -> Option<User> {
    LAST_SEEN.with(|seen| seen.borrow().get(token_hash).cloned())
}

fn remember(token_hash: &str, user: Option<&User>) {
    LAST_SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        match user {
            Some(user) => {
                if seen.len() >= LAST_SEEN_MAX {
                    seen.clear();
                }
                seen.insert(token_hash.to_string(), user.clone());
            }
            None => {
                seen.remove(token_hash);
            }
        }
    });
}

/// The read of the request's session (401 without a token), not yet sent: alone
/// (`user`), or with the route's own reads (`Asker`).
pub struct Session {
    token_hash: String,
    query: Query<User>,
}

pub async fn session(app: &App, token: Option<String>) -> AppResult<Session> {
    let token = token.ok_or(AppError::Unauthorized)?;
    let token_hash = sha256_hex(token.as_bytes()).await?;
    let query = repo::user_by_session(app, &token_hash)?;
    Ok(Session { token_hash, query })
}

impl Session {
    /// The signed-in user (401 if the session is unknown or expired): one round trip.
    pub async fn user(self, app: &App) -> AppResult<User> {
        let user = self.query.first(&app.db).await?;
        remember(&self.token_hash, user.as_ref());
        user.ok_or(AppError::Unauthorized)
    }
}

/// Who a read is for: a user already known, or the session still to be read.
pub enum Asker<'a> {
    User(&'a User),
    Session(Session),
}

impl Asker<'_> {
    pub async fn user(self, app: &App) -> AppResult<User> {
        match self {
            Asker::User(user) => Ok(user.clone()),
            Asker::Session(session) => session.user(app).await,
        }
    }

    /// Sends `reads`, which do not depend on who asks, with the session's read when the
    /// user is not known yet: one round trip; then the user. They go out before the user is
    /// known, so they must be bounded (a page): an unknown session's answer is thrown away.
    pub async fn send(self, app: &App, mut reads: Reads) -> AppResult<(User, Read)> {
        match self {
            Asker::User(user) => Ok((user.clone(), reads.send(&app.db).await?)),
            Asker::Session(Session { token_hash, query }) => {
                let session = reads.add(query);
                let read = reads.send(&app.db).await?;
                let user = read.first(session)?;
                remember(&token_hash, user.as_ref());
                Ok((user.ok_or(AppError::Unauthorized)?, read))
            }
        }
    }

    /// Sends the reads `build` makes for the user who asks, and returns them with the user
    /// and what `build` returned beside them. For a session seen before on this instance
    /// they are built for the user it was seen as and go out with the session's read: one
    /// round trip when it is still that user; when it is not (a new role or branch), they
    /// are built again for the user it now is and sent again. Otherwise, or when `build`
    /// refuses the guess, the session first, then the reads: two.
    pub async fn send_for<H>(self, app: &App, build: impl Fn(&User) -> AppResult<(Reads, H)>) -> AppResult<(User, Read, H)> {
        let session = match self {
            Asker::User(user) => {
                let (reads, handles) = build(user)?;
                return Ok((user.clone(), reads.send(&app.db).await?, handles));
            }
            Asker::Session(session) => session,
        };
        if let Some(guess) = last_seen(&session.token_hash) {
            if let Ok((mut reads, handles)) = build(&guess) {
                let slot = reads.add(session.query);
                let read = reads.send(&app.db).await?;
                let user = read.first(slot)?;
                remember(&session.token_hash, user.as_ref());
                let user = user.ok_or(AppError::Unauthorized)?;
                if user == guess {
                    return Ok((user, read, handles));
                }
                let (reads, handles) = build(&user)?;
                return Ok((user, reads.send(&app.db).await?, handles));
            }
        }
        let user = session.user(app).await?;
        let (reads, handles) = build(&user)?;
        Ok((user, reads.send(&app.db).await?, handles))
    }
}
/// Setup needs the deployment's one-time secret (`SETUP_SECRET`), compared in constant
/// time; nothing else of the request is read before.
pub async fn check_setup_secret(configured: Option<&str>, given: Option<&str>) -> AppResult<()> {
    let Some(secret) = configured.filter(|s| !s.is_empty()) else {
        return Err(AppError::ForbiddenBecause("系统未配置初始化密钥（SETUP_SECRET），不能初始化".into()));
    };
    if !same_secret(given.unwrap_or_default(), secret).await? {
        return Err(AppError::ForbiddenBecause("初始化密钥不正确".into()));
    }
    Ok(())
}

/// Creates the first administrator of a fresh deployment; refused once any user exists.
pub async fn setup_first_admin(app: &App, login: &str, display_name: &str, password: &str) -> AppResult<User> {
    let weak = (password.chars().count() < 12).then(|| FieldError::new("password", "password.weak", "密码至少12位", "A password has at least 12 characters"));
    let login = match (check_new_login(login), weak) {
        (Ok(login), None) => login,
        (login, weak) => return Err(AppError::Validation(login.err().into_iter().chain(weak).collect())),
    };
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
                audit::Entry { action: audit_action::USER_SETUP_ADMIN, entity: "user", entity_id: &admin.id, changes: &created },
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
