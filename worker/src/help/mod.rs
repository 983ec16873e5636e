//! The help assistant: answers a question from the maintained FAQ (the domain's matcher,
//! `shebao_domain::help`), or from the employee's own record when they ask about it, and
//! hands it over to the branch's HR (转人工) when it has no answer. HR maintains the FAQ.

pub mod repo;

use crate::audit;
use crate::auth::User;
use crate::crypto::new_id;
use crate::db::{commit, Change, Reads};
use crate::error::{AppError, AppResult};
use crate::http::{self, json};
use crate::idempotency::{self, Begin};
use crate::App;
use serde::Deserialize;
use shebao_domain::api::{FaqPatch, FaqView, HelpAnswer, HelpMatch, HelpTicket, NewFaq, NewTicket, TicketAnswer};
use shebao_domain::audit as action;
use shebao_domain::help::{self, FaqCategory, FaqEntry, Index, TicketState};
use shebao_domain::role::Scope;
use shebao_domain::Lang;
use worker::{Request, Response};

/// The most FAQ answers one question gets.
const MAX_ANSWERS: usize = 3;
/// How much of a question a notification quotes.
const QUOTED_CHARS: usize = 30;

fn entry(r: &repo::FaqRow) -> AppResult<FaqEntry> {
    Ok(FaqEntry {
        id: r.id.clone(),
        question: r.question.clone(),
        answer: r.answer.clone(),
        keywords: serde_json::from_str(&r.keywords)?,
        category: FaqCategory::from_code(&r.category).ok_or_else(|| AppError::Internal(format!("faq category {}", r.category)))?,
        enabled: r.enabled != 0,
    })
}

fn faq_view(e: FaqEntry, version: i64, updated_at: String, updated_by: Option<String>) -> FaqView {
    FaqView {
        category_label: e.category.label(Lang::Zh).into(),
        id: e.id,
        question: e.question,
        answer: e.answer,
        keywords: e.keywords,
        category: e.category,
        enabled: e.enabled,
        version,
        updated_at,
        updated_by,
    }
}

fn faq_row_view(r: repo::FaqRow) -> AppResult<FaqView> {
    Ok(faq_view(entry(&r)?, r.version, r.updated_at, r.updated_by_name))
}

/// An entry field by field, as its audit entries show it.
fn faq_fields(e: &FaqEntry) -> [(&'static str, Option<String>); 5] {
    [
        ("question", Some(e.question.clone())),
        ("answer", Some(e.answer.clone())),
        ("keywords", (!e.keywords.is_empty()).then(|| e.keywords.join("、"))),
        ("category", Some(e.category.label(Lang::Zh).into())),
        ("enabled", Some(if e.enabled { "启用" } else { "停用" }.into())),
    ]
}

#[derive(Deserialize)]
struct AskQuery {
    #[serde(default)]
    q: String,
}

/// `GET /api/help?q=` (anyone signed in): for an employee asking about their own
/// contributions, the answer from their record; otherwise the good FAQ answers, best
/// first; 转人工 offered when there is neither.
pub async fn ask(req: &Request, app: &App, user: &User) -> AppResult<Response> {
    let q: AskQuery = req.query().map_err(|_| AppError::BadRequest("查询参数无效"))?;
    let query = help::query(&q.q).map_err(|e| AppError::Validation(vec![e]))?;
    let own = user.employee_id.as_deref().filter(|_| help::asks_own_status(&query));
    // The record and the FAQ in one round trip. Two months of the record: when the newest
    // is not due yet, the one before it is the answer.
    let mut reads = Reads::default();
    let lines = match own {
        Some(employee_id) => Some(reads.add(crate::runs::repo::contributions(app, employee_id, 2)?)),
        None => None,
    };
    let faq = reads.add(repo::enabled(app)?);
    let read = reads.send(&app.db).await?;
    let own_status = match lines {
        Some(lines) => help::own_status(&crate::runs::service::contribution_months(app, read.rows(lines)?)?, Lang::Zh),
        None => None,
    };
    // The record answers such a question rather than the FAQ, whose entries would only
    // share its words (缴费, 社保).
    let answers = match own_status {
        Some(_) => Vec::new(),
        None => faq_answers(read.rows(faq)?, &query)?,
    };
    let offer_handover = answers.is_empty() && own_status.is_none();
    json(&HelpAnswer { query, answers, own_status, offer_handover }, 200)
}

/// The enabled entries (`repo::enabled`) that answer `query` well, best first.
fn faq_answers(enabled: Vec<repo::FaqRow>, query: &str) -> AppResult<Vec<HelpMatch>> {
    let entries = enabled.iter().map(entry).collect::<AppResult<Vec<_>>>()?;
    Ok(Index::new(&entries)
        .search(query, MAX_ANSWERS)
        .into_iter()
        .filter(help::is_good)
        .filter_map(|m| {
            let e = entries.iter().find(|e| e.id == m.entry_id)?;
            Some(HelpMatch {
                entry_id: m.entry_id,
                question: e.question.clone(),
                answer: e.answer.clone(),
                category: e.category,
                category_label: e.category.label(Lang::Zh).into(),
                score: m.score,
            })
        })
        .collect())
}

/// `GET /api/faq` (HR and the administrators): every entry, disabled ones too.
pub async fn faq(app: &App, user: &User) -> AppResult<Response> {
    if !help::may_read_faq(user.role) {
        return Err(AppError::Forbidden);
    }
    let rows = repo::entries(app).await?;
    json(&rows.into_iter().map(faq_row_view).collect::<AppResult<Vec<_>>>()?, 200)
}

/// `POST /api/faq` (those who maintain it): a new entry, 201.
pub async fn create_faq(mut req: Request, app: &App, user: &User) -> AppResult<Response> {
    if !help::may_edit_faq(user.role) {
        return Err(AppError::Forbidden);
    }
    let (body, key) = match idempotency::begin::<NewFaq>(&mut req, app, user).await? {
        Begin::Replay(stored) => return stored.into_response(),
        Begin::New(body, key) => (body, key),
    };
    let created = body.parse(&new_id("faq")?).map_err(AppError::Validation)?;
    let changes = audit::changes(None, &faq_fields(&created));
    let statements = vec![
        repo::insert(app, &created, &user.id)?,
        audit::entry(app, user, audit::Entry { action: action::FAQ_CREATE, entity: "faq", entity_id: &created.id, changes: &changes }, false)?,
    ];
    let view = faq_view(created, 1, app.now_iso.clone(), Some(user.display_name.clone()));
    idempotency::commit_with_key(app, user, key.as_ref(), Change { statements, guarded: None }, 201, &view).await
}

/// `PATCH /api/faq/{id}` {version, ...the form}: the entry as the form now says, guarded by
/// version (409 when someone changed it meanwhile). Disabling it is `enabled: false`.
pub async fn update_faq(mut req: Request, app: &App, user: &User, id: &str) -> AppResult<Response> {
    if !help::may_edit_faq(user.role) {
        return Err(AppError::Forbidden);
    }
    let patch: FaqPatch = http::body(&mut req).await?;
    let row = repo::entry(app, id).await?.ok_or(AppError::NotFound)?;
    let after = patch.input.parse(id).map_err(AppError::Validation)?;
    if patch.version != row.version {
        return Err(AppError::stale());
    }
    let changes = audit::changes(Some(&faq_fields(&entry(&row)?)), &faq_fields(&after));
    if changes.is_empty() {
        return json(&faq_row_view(row)?, 200);
    }
    let statements = vec![
        repo::update(app, &after, row.version, &user.id)?,
        audit::entry(app, user, audit::Entry { action: action::FAQ_UPDATE, entity: "faq", entity_id: id, changes: &changes }, true)?,
    ];
    commit(&app.db, Change { statements, guarded: Some(0) }).await?;
    json(&faq_view(after, row.version + 1, app.now_iso.clone(), Some(user.display_name.clone())), 200)
}

fn ticket_view(r: repo::TicketRow) -> AppResult<HelpTicket> {
    let state = TicketState::from_code(&r.state).ok_or_else(|| AppError::Internal(format!("ticket state {}", r.state)))?;
    Ok(HelpTicket {
        id: r.id,
        employee_id: r.employee_id,
        employee_name: r.employee_name,
        branch_id: r.branch_id,
        question: r.question,
        state,
        state_label: state.label(Lang::Zh).into(),
        answer: r.answer,
        answered_by: r.answered_by_name,
        created_at: r.created_at,
        answered_at: r.answered_at,
        version: r.version,
    })
}

/// `POST /api/help/tickets` {question} (an employee): the question to the branch's HR, who
/// are told in the same batch; 201.
pub async fn create_ticket(mut req: Request, app: &App, user: &User) -> AppResult<Response> {
    let (body, key) = match idempotency::begin::<NewTicket>(&mut req, app, user).await? {
        Begin::Replay(stored) => return stored.into_response(),
        Begin::New(body, key) => (body, key),
    };
    let employee_id = user.employee_id.as_deref().ok_or_else(|| AppError::ForbiddenBecause("只有员工本人可以转人工提问".into()))?;
    let question = help::ticket_question(&body.question).map_err(|e| AppError::Validation(vec![e]))?;
    let employee = crate::employees::repo::employee(app, employee_id).await?.ok_or(AppError::Forbidden)?;
    let id = new_id("tkt")?;
    let message = format!("{} 转人工提问：{}", employee.name, help::excerpt(&question, QUOTED_CHARS));
    let changes = audit::changes(None, &[("question", Some(question.clone()))]);
    let row = repo::NewTicketRow { id: &id, user_id: &user.id, employee_id, branch_id: &employee.branch_id, question: &question };
    let statements = vec![
        repo::insert_ticket(app, &row)?,
        repo::tell_branch_hr(app, &id, &employee.branch_id, &message)?,
        audit::entry(app, user, audit::Entry { action: action::HELP_TICKET_CREATE, entity: "help_ticket", entity_id: &id, changes: &changes }, false)?,
    ];
    let ticket = HelpTicket {
        id: id.clone(),
        employee_id: employee.id,
        employee_name: employee.name,
        branch_id: employee.branch_id,
        question,
        state: TicketState::Open,
        state_label: TicketState::Open.label(Lang::Zh).into(),
        answer: None,
        answered_by: None,
        created_at: app.now_iso.clone(),
        answered_at: None,
        version: 1,
    };
    idempotency::commit_with_key(app, user, key.as_ref(), Change { statements, guarded: None }, 201, &ticket).await
}

/// `GET /api/help/tickets?state=`: the branch's for its HR, every branch's for group HR, and
/// for everyone else the ones they asked. Newest first.
pub async fn tickets(req: &Request, app: &App, user: &User) -> AppResult<Response> {
    let state = crate::http::state_filter(req, |s| TicketState::from_code(s).map(TicketState::code), "未知的提问状态")?;
    let rows = match help::ticket_scope(user.role) {
        Some(Scope::Branch) => {
            let branch = user.branch_id.as_deref().ok_or(AppError::Forbidden)?;
            repo::tickets(app, None, Some(branch), state).await?
        }
        Some(Scope::Group) => repo::tickets(app, None, None, state).await?,
        Some(Scope::Own) | None => repo::tickets(app, Some(&user.id), None, state).await?,
    };
    json(&rows.into_iter().map(ticket_view).collect::<AppResult<Vec<_>>>()?, 200)
}

/// `POST /api/help/tickets/{id}/answer` {version, answer} (the branch's HR or group HR):
/// answered once, guarded by version; the asker is told with the answer in the same batch.
pub async fn answer_ticket(mut req: Request, app: &App, user: &User, id: &str) -> AppResult<Response> {
    let (body, key) = match idempotency::begin::<TicketAnswer>(&mut req, app, user).await? {
        Begin::Replay(stored) => return stored.into_response(),
        Begin::New(body, key) => (body, key),
    };
    let row = repo::ticket(app, id).await?.ok_or(AppError::NotFound)?;
    if !help::may_answer_ticket(user.role, user.branch_id.as_deref(), &row.branch_id) {
        return Err(AppError::Forbidden);
    }
    let answer = help::ticket_answer(&body.answer).map_err(|e| AppError::Validation(vec![e]))?;
    if row.state != TicketState::Open.code() {
        return Err(AppError::Conflict("该问题已有人回复".into()));
    }
    if body.version != row.version {
        return Err(AppError::stale());
    }
    let message = format!("人事回复了您的问题“{}”：{answer}", help::excerpt(&row.question, QUOTED_CHARS));
    let changes = audit::changes(
        Some(&[("state", Some(TicketState::Open.label(Lang::Zh).into())), ("answer", None)]),
        &[("state", Some(TicketState::Answered.label(Lang::Zh).into())), ("answer", Some(answer.clone()))],
    );
    let statements = vec![
        repo::answer(app, &row, &user.id, &answer)?,
        audit::entry(app, user, audit::Entry { action: action::HELP_TICKET_ANSWER, entity: "help_ticket", entity_id: id, changes: &changes }, true)?,
        repo::tell_asker(app, &row, &user.id, &message)?,
    ];
    let mut answered = ticket_view(row)?;
    answered.state = TicketState::Answered;
    answered.state_label = TicketState::Answered.label(Lang::Zh).into();
    answered.answer = Some(answer);
    answered.answered_by = Some(user.display_name.clone());
    answered.answered_at = Some(app.now_iso.clone());
    answered.version += 1;
    idempotency::commit_with_key(app, user, key.as_ref(), Change { statements, guarded: Some(0) }, 200, &answered).await
}
