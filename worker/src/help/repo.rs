//! The help assistant's SQL: the FAQ and the tickets, and the notifications they send.
//! Notifications are keyed by their ticket (`source`), so each is sent once.

use crate::args;
use crate::db::{all, first, stmt, Query};
use crate::error::AppResult;
use crate::App;
use serde::Deserialize;
use shebao_domain::help::{FaqEntry, BRANCH_HR};
use worker::D1PreparedStatement;

// ---- the FAQ ----

#[derive(Debug, Clone, Deserialize)]
pub struct FaqRow {
    pub id: String,
    pub question: String,
    pub answer: String,
    /// JSON: `Vec<String>`.
    pub keywords: String,
    pub category: String,
    pub enabled: i64,
    pub version: i64,
    pub updated_at: String,
    pub updated_by_name: Option<String>,
}

const SELECT_FAQ: &str = "SELECT f.id, f.question, f.answer, f.keywords, f.category, f.enabled, f.version, \
     f.updated_at, u.display_name AS updated_by_name FROM faq f LEFT JOIN users u ON u.id = f.updated_by";

/// The entries answered with: a few dozen, read whole for every question.
pub fn enabled(app: &App) -> AppResult<Query<FaqRow>> {
    Query::new(&app.db, &format!("{SELECT_FAQ} WHERE f.enabled = 1 ORDER BY f.id"), args![])
}

/// Every entry, disabled ones too.
pub async fn entries(app: &App) -> AppResult<Vec<FaqRow>> {
    all(&app.db, &format!("{SELECT_FAQ} ORDER BY f.id"), args![]).await
}

pub async fn entry(app: &App, id: &str) -> AppResult<Option<FaqRow>> {
    first(&app.db, &format!("{SELECT_FAQ} WHERE f.id = ?"), args![id]).await
}

pub fn insert(app: &App, e: &FaqEntry, user_id: &str) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "INSERT INTO faq (id, question, answer, keywords, category, enabled, created_at, updated_at, updated_by) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        args![
            e.id.as_str(),
            e.question.as_str(),
            e.answer.as_str(),
            serde_json::to_string(&e.keywords)?,
            e.category.code(),
            i64::from(e.enabled),
            app.now_iso.as_str(),
            app.now_iso.as_str(),
            user_id
        ],
    )
}

/// The entry as `e` describes it, guarded by version.
pub fn update(app: &App, e: &FaqEntry, version: i64, user_id: &str) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "UPDATE faq SET question = ?, answer = ?, keywords = ?, category = ?, enabled = ?, updated_at = ?, \
         updated_by = ?, version = version + 1 WHERE id = ? AND version = ?",
        args![
            e.question.as_str(),
            e.answer.as_str(),
            serde_json::to_string(&e.keywords)?,
            e.category.code(),
            i64::from(e.enabled),
            app.now_iso.as_str(),
            user_id,
            e.id.as_str(),
            version
        ],
    )
}

// ---- tickets ----

#[derive(Debug, Clone, Deserialize)]
pub struct TicketRow {
    pub id: String,
    pub user_id: String,
    pub employee_id: String,
    pub employee_name: String,
    pub branch_id: String,
    pub question: String,
    pub state: String,
    pub answer: Option<String>,
    pub answered_by_name: Option<String>,
    pub answered_at: Option<String>,
    pub created_at: String,
    pub version: i64,
}

const SELECT_TICKET: &str = "SELECT t.id, t.user_id, t.employee_id, e.name AS employee_name, t.branch_id, t.question, \
     t.state, t.answer, u.display_name AS answered_by_name, t.answered_at, t.created_at, t.version \
     FROM help_tickets t JOIN employees e ON e.id = t.employee_id LEFT JOIN users u ON u.id = t.answered_by";

pub async fn ticket(app: &App, id: &str) -> AppResult<Option<TicketRow>> {
    first(&app.db, &format!("{SELECT_TICKET} WHERE t.id = ?"), args![id]).await
}

/// The newest 100 tickets a user asked, of a branch, or (neither) of the group, in a state if given.
pub async fn tickets(app: &App, user_id: Option<&str>, branch_id: Option<&str>, state: Option<&str>) -> AppResult<Vec<TicketRow>> {
    all(
        &app.db,
        &format!(
            "{SELECT_TICKET} WHERE (?1 IS NULL OR t.user_id = ?1) AND (?2 IS NULL OR t.branch_id = ?2) \
             AND (?3 IS NULL OR t.state = ?3) ORDER BY t.created_at DESC, t.id DESC LIMIT 100"
        ),
        args![user_id, branch_id, state],
    )
    .await
}

pub struct NewTicketRow<'a> {
    pub id: &'a str,
    pub user_id: &'a str,
    pub employee_id: &'a str,
    pub branch_id: &'a str,
    pub question: &'a str,
}

pub fn insert_ticket(app: &App, t: &NewTicketRow<'_>) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "INSERT INTO help_tickets (id, user_id, employee_id, branch_id, question, state, created_at) \
         VALUES (?, ?, ?, ?, ?, 'open', ?)",
        args![t.id, t.user_id, t.employee_id, t.branch_id, t.question, app.now_iso.as_str()],
    )
}

/// The branch's HR (`help::BRANCH_HR`) in their notification centre, once per ticket.
pub fn tell_branch_hr(app: &App, ticket_id: &str, branch_id: &str, message: &str) -> AppResult<D1PreparedStatement> {
    let roles: Vec<&str> = BRANCH_HR.iter().map(|r| r.code()).collect();
    stmt(
        &app.db,
        "INSERT OR IGNORE INTO notifications (user_id, message, link, source, created_at) \
         SELECT u.id, ?, '/help/tickets', ?, ? FROM users u \
         WHERE u.role IN (SELECT value FROM json_each(?)) AND u.branch_id = ?",
        args![message, format!("help_ticket:{ticket_id}:asked"), app.now_iso.as_str(), serde_json::to_string(&roles)?, branch_id],
    )
}

/// The answer, once: guarded by version and by the ticket being open.
pub fn answer(app: &App, t: &TicketRow, user_id: &str, answer: &str) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "UPDATE help_tickets SET state = 'answered', answer = ?, answered_by = ?, answered_at = ?, version = version + 1 \
         WHERE id = ? AND version = ? AND state = 'open'",
        args![answer, user_id, app.now_iso.as_str(), t.id.as_str(), t.version],
    )
}

/// The asker in their notification centre, once, and only if this answer is the one
/// written (the ticket at the version `answer` gave it, answered by this user).
pub fn tell_asker(app: &App, t: &TicketRow, user_id: &str, message: &str) -> AppResult<D1PreparedStatement> {
    stmt(
        &app.db,
        "INSERT OR IGNORE INTO notifications (user_id, message, link, source, created_at) \
         SELECT ?, ?, '/help', ?, ? WHERE EXISTS \
           (SELECT 1 FROM help_tickets WHERE id = ? AND version = ? AND state = 'answered' AND answered_by = ?)",
        args![
            t.user_id.as_str(),
            message,
            format!("help_ticket:{}:answered", t.id),
            app.now_iso.as_str(),
            t.id.as_str(),
            t.version + 1,
            user_id
        ],
    )
}
