use super::{repo, service};
use crate::auth::service::{Asker, Session};
use crate::auth::User;
use crate::db::{commit, Reads};
use crate::error::{AppError, AppResult};
use crate::http::{body, json, page_query, wants_xlsx, MAX_EXPORT_ROWS};
use crate::runs::service::today;
use crate::xlsx::{self, Cell, Column};
use crate::idempotency::{self, Begin};
use crate::App;
use serde::Deserialize;
use shebao_domain::api::{Branch, EmployeePatch, EmployeeSummary, RevealedId};
use shebao_domain::cursor::{ListCursor, PageFrom};
use shebao_domain::employee::{status_label, EmployeeForm};
use shebao_domain::Lang;
use shebao_domain::policy::City;
use shebao_domain::role::{EmployeeSearch, Scope};
use shebao_domain::ids::masked_id;
use worker::{Request, Response};

/// The list's filters (its page: `http::page_query`).
#[derive(Deserialize)]
struct ListQuery {
    q: Option<String>,
    branch: Option<String>,
    format: Option<String>,
}

const EXPORT_COLUMNS: [Column; 6] = [
    Column { header: "姓名", width: 10.0 },
    Column { header: "身份证号", width: 22.0 },
    Column { header: "分公司", width: 14.0 },
    Column { header: "部门", width: 12.0 },
    Column { header: "入职日期", width: 12.0 },
    Column { header: "状态", width: 8.0 },
];

/// The selection as an .xlsx, every row of it rather than a page; IDs masked as on screen.
fn employee_file(app: &App, rows: Vec<repo::ListRow>) -> AppResult<Response> {
    let rows = rows
        .into_iter()
        .map(|r| {
            let id = masked_id(&r.resident_id).unwrap_or_default();
            vec![
                Cell::Text(r.name),
                Cell::Text(id),
                Cell::Text(r.branch_name),
                r.department.map_or(Cell::Blank, Cell::Text),
                Cell::date(&r.hire_date),
                Cell::Text(status_label(&r.status, Lang::Zh).into()),
            ]
        })
        .collect();
    xlsx::list_file("员工名单", &EXPORT_COLUMNS, rows, today(app)?)
}

/// What `user` may list of what the query asks for: their branch's employees, or the
/// group's (one branch of it on request); employees list no one.
fn list_filter(user: &User, q: &ListQuery) -> AppResult<repo::ListFilter> {
    let branch_id = match user.role.employee_scope() {
        Scope::Own => return Err(AppError::Forbidden),
        Scope::Branch => {
            let own = user.branch_id.clone().ok_or(AppError::Forbidden)?;
            if q.branch.as_deref().is_some_and(|b| !b.is_empty() && b != own) {
                return Err(AppError::Forbidden);
            }
            Some(own)
        }
        Scope::Group => q.branch.clone().filter(|b| !b.is_empty()),
    };
    Ok(repo::ListFilter { search: q.q.as_deref().and_then(|q| EmployeeSearch::of(q, user.role)), branch_id })
}

/// `GET /api/employees?q=&branch=&after=|before=&per_page=`: HR and group roles only, scoped
/// to what the role may see; a page by keyset from the cursor of `next` or `prev`, in one
/// statement. Employees get 403: they see only themselves, through their id.
pub async fn list(req: &Request, app: &App, session: Session) -> AppResult<Response> {
    let q: ListQuery = req.query().map_err(|_| AppError::BadRequest("查询参数无效"))?;
    if wants_xlsx(q.format.as_deref())? {
        let filter = list_filter(&session.user(app).await?, &q)?;
        return employee_file(app, repo::list(app, &filter, &PageFrom::First, MAX_EXPORT_ROWS)?.all(&app.db).await?);
    }
    let (from, per_page) = page_query(req)?;
    let (_, read, rows) = Asker::Session(session)
        .send_for(app, |user| {
            let mut reads = Reads::default();
            let rows = reads.add(repo::list(app, &list_filter(user, &q)?, &from, per_page + 1)?);
            Ok((reads, rows))
        })
        .await?;
    let rows = read.rows(rows)?;
    let page = from.page(rows, per_page as usize, |r| ListCursor::at(&r.name, &r.id));
    let list = page.try_into_list(|r| {
        Ok::<_, AppError>(EmployeeSummary {
            resident_id_masked: masked_id(&r.resident_id).unwrap_or_default(),
            id: r.id,
            name: r.name,
            branch_id: r.branch_id,
            branch_name: r.branch_name,
            department: r.department,
            hire_date: r.hire_date,
            status: r.status,
        })
    })?;
    json(&list, 200)
}

pub async fn get(app: &App, user: &User, id: &str) -> AppResult<Response> {
    let row = repo::visible_employee(app, user, id).await?;
    json(&service::detail(&row, user)?, 200)
}

pub async fn create(mut req: Request, app: &App, user: &User) -> AppResult<Response> {
    let (form, key) = match idempotency::begin::<EmployeeForm>(&mut req, app, user).await? {
        Begin::Replay(first_answer) => return first_answer.into_response(),
        Begin::New(form, key) => (form, key),
    };
    let (change, detail) = service::create(app, user, &form).await?;
    idempotency::commit_with_key(app, user, key.as_ref(), change, 201, &detail).await
}

pub async fn update(mut req: Request, app: &App, user: &User, id: &str) -> AppResult<Response> {
    let patch: EmployeePatch = body(&mut req).await?;
    let (change, detail) = service::update(app, user, id, &patch).await?;
    if let Some(change) = change {
        commit(&app.db, change).await?;
    }
    json(&detail, 200)
}

/// `POST /api/employees/{id}/reveal-id`: never answered from the idempotency store, so
/// that every reveal, a retry too, is checked and audited afresh and no full ID number is
/// kept in a stored answer.
pub async fn reveal_id(app: &App, user: &User, id: &str) -> AppResult<Response> {
    let (change, resident_id) = service::reveal_id(app, user, id).await?;
    commit(&app.db, change).await?;
    json(&RevealedId { resident_id }, 200)
}

/// `GET /api/branches`: the branches the user works with (all of them at group level).
pub async fn branches(app: &App, user: &User) -> AppResult<Response> {
    let rows = repo::branches(app).await?;
    let visible = rows
        .into_iter()
        .filter(|b| user.role.employee_scope() == Scope::Group || user.branch_id.as_deref() == Some(&b.id))
        .map(|b| Branch {
            city_name: City::from_code(&b.city).map_or_else(|| b.city.clone(), |c| c.name_zh().to_string()),
            id: b.id,
            name: b.name,
            city: b.city,
        })
        .collect::<Vec<_>>();
    json(&visible, 200)
}
