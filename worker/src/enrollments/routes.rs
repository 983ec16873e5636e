use super::{executor, repo, service};
use crate::auth::service::{Asker, Session};
use crate::auth::User;
use crate::db::commit;
use crate::error::{AppError, AppResult};
use crate::http::{body, json, wants_xlsx};
use crate::xlsx::{self, Cell, Column};
use crate::idempotency::{self, Begin, Stored};
use crate::App;
use serde::{Deserialize, Serialize};
use shebao_domain::api::{ActionBody, CreateRequest, RequestCounts, RequestPage, RequestPatch, RequestSummary};
use shebao_domain::enrollment::{RequestAction, RequestForm, RequestState};
use shebao_domain::role::Scope;
use worker::{Request, Response};

/// The branch a list is limited to: the user's own for branch roles, none for the group.
fn branch_scope(user: &User) -> AppResult<Option<String>> {
    match user.role.employee_scope() {
        Scope::Own => Err(AppError::Forbidden),
        Scope::Branch => user.branch_id.clone().map(Some).ok_or(AppError::Forbidden),
        Scope::Group => Ok(None),
    }
}

/// What is recorded for a key: the request it concerns; a replay answers with its
/// current state.
#[derive(Serialize, Deserialize)]
struct Done {
    id: String,
}

async fn answer(app: &App, user: &User, id: &str, status: u16) -> AppResult<Response> {
    json(&service::read_detail(app, user, id).await?, status)
}

async fn replay(app: &App, user: &User, stored: Stored) -> AppResult<Response> {
    let done: Done = serde_json::from_str(&stored.body)?;
    idempotency::replayed(answer(app, user, &done.id, stored.status).await?)
}

#[derive(Deserialize)]
struct PreviewQuery {
    /// The request being corrected, which must not count as its own duplicate.
    request: Option<String>,
}

/// `POST /api/enrollments/preview[?request=id]`: the price the confirmation shows; nothing
/// is written.
pub async fn preview(mut req: Request, app: &App, session: Session) -> AppResult<Response> {
    let q: PreviewQuery = req.query().map_err(|_| AppError::BadRequest("查询参数无效"))?;
    let form: RequestForm = body(&mut req).await?;
    json(&service::preview(app, Asker::Session(session), &form, q.request.as_deref().unwrap_or("")).await?, 200)
}

pub async fn create(mut req: Request, app: &App, user: &User) -> AppResult<Response> {
    let (create, key) = match idempotency::begin::<CreateRequest>(&mut req, app, user).await? {
        Begin::Replay(stored) => return replay(app, user, stored).await,
        Begin::New(create, key) => (create, key),
    };
    let (change, id) = service::create(app, user, &create).await?;
    match idempotency::commit_recorded(app, user, key.as_ref(), change, 201, &Done { id: id.clone() }).await? {
        Some(stored) => replay(app, user, stored).await,
        None => answer(app, user, &id, 201).await,
    }
}

#[derive(Deserialize)]
struct ListQuery {
    state: Option<String>,
    employee: Option<String>,
    format: Option<String>,
}

const EXPORT_COLUMNS: [Column; 11] = [
    Column { header: "申请编号", width: 24.0 },
    Column { header: "类型", width: 10.0 },
    Column { header: "状态", width: 12.0 },
    Column { header: "员工", width: 10.0 },
    Column { header: "分公司", width: 14.0 },
    Column { header: "险种", width: 28.0 },
    Column { header: "缴费基数", width: 12.0 },
    Column { header: "起始月份", width: 10.0 },
    Column { header: "结束月份", width: 10.0 },
    Column { header: "金额", width: 12.0 },
    Column { header: "更新时间", width: 18.0 },
];

/// The requests listed, as an .xlsx.
fn list_file(items: &[RequestSummary], today: chrono::NaiveDate) -> AppResult<Response> {
    let rows = items
        .iter()
        .map(|r| {
            let types: Vec<&str> = r.insurance_types.iter().map(|t| t.name_zh()).collect();
            vec![
                Cell::Text(r.id.clone()),
                Cell::Text(r.kind.label_zh().into()),
                Cell::Text(r.state.label_zh().into()),
                Cell::Text(r.employee_name.clone()),
                Cell::Text(r.branch_name.clone()),
                Cell::Text(types.join("、")),
                Cell::Money(r.base),
                Cell::Text(r.from_month.to_string()),
                Cell::Text(r.to_month.to_string()),
                Cell::Money(r.total),
                Cell::instant(&r.updated_at),
            ]
        })
        .collect();
    xlsx::list_file("社保申请", &EXPORT_COLUMNS, rows, today)
}

pub async fn list(req: &Request, app: &App, user: &User) -> AppResult<Response> {
    let q: ListQuery = req.query().map_err(|_| AppError::BadRequest("查询参数无效"))?;
    let export = wants_xlsx(q.format.as_deref())?;
    let state = q.state.filter(|s| !s.is_empty());
    if state.as_deref().is_some_and(|s| RequestState::from_code(s).is_none()) {
        return Err(AppError::BadRequest("未知的状态"));
    }
    let filter = repo::ListFilter {
        branch_id: branch_scope(user)?,
        state,
        employee_id: q.employee.filter(|e| !e.is_empty()),
    };
    let items = repo::list(app, &filter).await?.iter().map(service::summary).collect::<AppResult<Vec<_>>>()?;
    if export {
        return list_file(&items, crate::runs::service::today(app)?);
    }
    json(&RequestPage { total: items.len() as u32, items }, 200)
}

pub async fn counts(app: &App, user: &User) -> AppResult<Response> {
    let mut c = RequestCounts::default();
    for row in repo::counts(app, branch_scope(user)?).await? {
        let n = row.n as u32;
        match row.state.as_str() {
            "draft" => c.draft = n,
            "submitted" => c.submitted = n,
            "rejected" => c.rejected = n,
            "approved" => c.approved = n,
            "revocation_requested" => c.revocation_requested = n,
            "filing_failed" => c.filing_failed = n,
            _ => {}
        }
    }
    json(&c, 200)
}

pub async fn get(app: &App, user: &User, id: &str) -> AppResult<Response> {
    answer(app, user, id, 200).await
}

pub async fn update(mut req: Request, app: &App, user: &User, id: &str) -> AppResult<Response> {
    let patch: RequestPatch = body(&mut req).await?;
    if let Some(change) = service::update(app, user, id, patch.version, &patch.form).await? {
        commit(&app.db, change).await?;
    }
    answer(app, user, id, 200).await
}

/// `POST /api/enrollments/{id}/{action}`
pub async fn act(mut req: Request, app: &App, user: &User, id: &str, action: &str) -> AppResult<Response> {
    let action = RequestAction::from_code(action).ok_or(AppError::NotFound)?;
    let (b, key) = match idempotency::begin::<ActionBody>(&mut req, app, user).await? {
        Begin::Replay(stored) => return replay(app, user, stored).await,
        Begin::New(b, key) => (b, key),
    };
    let change = service::act(app, user, id, action, b.version, b.reason.as_deref()).await?;
    if let Some(stored) = idempotency::commit_recorded(app, user, key.as_ref(), change, 200, &Done { id: id.to_string() }).await? {
        return replay(app, user, stored).await;
    }
    if matches!(action, RequestAction::Execute | RequestAction::ApproveRevocation) {
        // Carried out now rather than at the next cron run; if the bureau is down the
        // outbox keeps it and the cron retries. The action itself is committed either way,
        // so the answer is the request as it now stands.
        if let Err(e) = executor::run_due(app, Some(id)).await {
            worker::console_error!("sending {id} at once: {e}");
        }
    }
    answer(app, user, id, 200).await
}
