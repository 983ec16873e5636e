//! Medical reimbursement claims: the employee's draft and its documents (in R2), the
//! submission that checks the last three months' contributions and holds the claim while
//! one is unpaid, HR review, finance approval, payment through the bank, and the re-check
//! that resumes a held claim by itself once the company has paid.

pub mod repo;
pub mod service;

use crate::auth::service::{Asker, Session};
use crate::auth::User;
use crate::crypto::{hex, random_bytes};
use crate::db::{Change, Reads};
use crate::error::{AppError, AppResult};
use crate::http::{json, page_query, wants_file, MAX_EXPORT_ROWS};
use crate::xlsx::{self, Cell, Column};
use crate::idempotency::{self, Begin, Stored};
use crate::{audit, App};
use serde::{Deserialize, Serialize};
use service::After;
use shebao_domain::api::{field_label_zh, ClaimActionBody, FieldChange, NewClaim};
use shebao_domain::cursor::{ListCursor, PageFrom};
use shebao_domain::claim::{check_document, ClaimAction, ClaimState, DocumentError, DocumentKind, MAX_DOCUMENT_BYTES};
use shebao_domain::role::Scope;
use shebao_domain::Lang;
use worker::{Request, Response};

#[derive(Serialize, Deserialize)]
struct Done {
    id: String,
}

async fn answer(app: &App, user: &User, id: &str, status: u16) -> AppResult<Response> {
    json(&service::read_detail(app, user, id).await?, status)
}

/// The first answer to a key, sent again: the claim as it now stands, with the first status.
async fn replay(app: &App, user: &User, stored: Stored) -> AppResult<Response> {
    let done: Done = serde_json::from_str(&stored.body)?;
    idempotency::replayed(answer(app, user, &done.id, stored.status).await?)
}

/// `POST /api/claims` (the employee): a draft, 201.
pub async fn create(mut req: Request, app: &App, user: &User) -> AppResult<Response> {
    let (body, key) = match idempotency::begin::<NewClaim>(&mut req, app, user).await? {
        Begin::Replay(stored) => return replay(app, user, stored).await,
        Begin::New(body, key) => (body, key),
    };
    if user.employee_id.is_none() {
        return Err(AppError::ForbiddenBecause("只有员工本人可以申请报销".into()));
    }
    let claim = body.parse(crate::runs::service::today(app)?).map_err(AppError::Validation)?;
    let (id, change) = service::create(app, user, &claim).await?;
    if let Some(stored) = idempotency::commit_recorded(app, user, key.as_ref(), change, 201, &Done { id: id.clone() }).await? {
        return replay(app, user, stored).await;
    }
    answer(app, user, &id, 201).await
}

/// `GET /api/claims?state=`: the employee's own claims; HR's branch's; the group's for
/// finance, the HR manager and the director. Newest first.
const EXPORT_COLUMNS: [Column; 9] = [
    Column { header: "报销编号", width: 24.0 },
    Column { header: "员工", width: 10.0 },
    Column { header: "类型", width: 8.0 },
    Column { header: "金额", width: 12.0 },
    Column { header: "就诊开始", width: 12.0 },
    Column { header: "就诊结束", width: 12.0 },
    Column { header: "医院", width: 24.0 },
    Column { header: "状态", width: 14.0 },
    Column { header: "提交时间", width: 18.0 },
];

/// The claims listed, as an .xlsx.
fn list_file(items: &[shebao_domain::api::ClaimSummary], today: chrono::NaiveDate) -> AppResult<Response> {
    let rows = items
        .iter()
        .map(|c| {
            vec![
                Cell::Text(c.id.clone()),
                Cell::Text(c.employee_name.clone()),
                Cell::Text(c.kind_label.clone()),
                Cell::Money(c.amount),
                Cell::date(&c.start_date),
                Cell::date(&c.end_date),
                Cell::Text(c.hospital.clone()),
                Cell::Text(c.state_label.clone()),
                c.submitted_at.as_deref().map_or(Cell::Blank, Cell::instant),
            ]
        })
        .collect();
    xlsx::list_file("医疗报销", &EXPORT_COLUMNS, rows, today)
}

/// `GET /api/claims?state=&after=|before=&per_page=`: the claims the user may see (their own,
/// their branch's or the group's), newest first, a page by keyset; `?format=xlsx`: all of
/// them as a file.
pub async fn list(req: &Request, app: &App, session: Session) -> AppResult<Response> {
    let state = crate::http::state_filter(req, |s| ClaimState::from_code(s).map(ClaimState::code), "未知的报销状态")?;
    if wants_file(req)? {
        let (employee, branch) = list_scope(&session.user(app).await?)?;
        let rows = repo::list(app, employee.as_deref(), branch.as_deref(), state, &PageFrom::First, MAX_EXPORT_ROWS)?.all(&app.db).await?;
        let items = rows.iter().map(service::summary).collect::<AppResult<Vec<_>>>()?;
        return list_file(&items, crate::runs::service::today(app)?);
    }
    let (from, per_page) = page_query(req)?;
    let (_, read, rows) = Asker::Session(session)
        .send_for(app, |user| {
            let (employee, branch) = list_scope(user)?;
            let mut reads = Reads::default();
            let rows = reads.add(repo::list(app, employee.as_deref(), branch.as_deref(), state, &from, per_page + 1)?);
            Ok((reads, rows))
        })
        .await?;
    let page = from.page(read.rows(rows)?, per_page as usize, |c| ListCursor::at(&c.created_at, &c.id));
    json(&page.try_into_list(|c| service::summary(&c))?, 200)
}

/// Whose claims `user` lists: their own (an employee), their branch's or the group's (who
/// reviews them); (employee, branch), none for no filter.
fn list_scope(user: &User) -> AppResult<(Option<String>, Option<String>)> {
    match (user.role.employee_scope(), &user.employee_id, &user.branch_id) {
        (Scope::Own, Some(employee), _) => Ok((Some(employee.clone()), None)),
        (Scope::Branch, _, Some(branch)) if shebao_domain::claim::may_review_claims(user.role, Some(branch), branch) => {
            Ok((None, Some(branch.clone())))
        }
        (Scope::Group, _, _) if shebao_domain::claim::may_review_claims(user.role, None, "") => Ok((None, None)),
        _ => Err(AppError::Forbidden),
    }
}

/// `GET /api/claims/{id}`: the claim, its documents and its timeline.
pub async fn get(app: &App, user: &User, id: &str) -> AppResult<Response> {
    answer(app, user, id, 200).await
}

#[derive(Deserialize)]
struct UploadQuery {
    kind: String,
    name: Option<String>,
}

/// A file name fit to show: no path, no control characters, at most 100 characters.
fn file_name(raw: Option<&str>, kind: DocumentKind, ext: &str) -> String {
    let base = raw.unwrap_or_default().rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base.chars().filter(|c| !c.is_control()).take(100).collect();
    let clean = clean.trim();
    if clean.is_empty() {
        format!("{}.{ext}", kind.label(Lang::Zh))
    } else {
        clean.to_string()
    }
}

/// `POST /api/claims/{id}/documents?kind=&name=` with the file as the body (the claimant,
/// while drafting or held): recognised by its content, at most 10 MB and 10 a claim; the
/// content goes to R2 under a random key, its row and audit entry in one batch.
pub async fn upload(mut req: Request, app: &App, user: &User, id: &str) -> AppResult<Response> {
    let q: UploadQuery = req.query().map_err(|_| AppError::field("kind", "document.kind", "请选择材料类型", "Choose the kind of document"))?;
    let kind = DocumentKind::from_code(&q.kind)
        .ok_or_else(|| AppError::field("kind", "document.kind", "请选择材料类型", "Choose the kind of document"))?;
    let (content, key) = match idempotency::begin_bytes(&mut req, app, user, MAX_DOCUMENT_BYTES).await? {
        Begin::Replay(stored) => return replay(app, user, stored).await,
        Begin::New(content, key) => (content, key),
    };
    let row = service::visible(app, user, id).await?;
    if user.employee_id.as_deref() != Some(row.employee_id.as_str()) {
        return Err(AppError::ForbiddenBecause("只有申请人本人可以上传材料".into()));
    }
    if !service::state_of(&row)?.takes_documents() {
        return Err(AppError::Conflict("报销已进入审核，不能再添加材料".into()));
    }
    let existing = repo::documents(app, id)?.all(&app.db).await?.len();
    let file_type = check_document(&content, existing).map_err(AppError::Document)?;
    let doc_id = format!("doc-{}", hex(&random_bytes(16)?));
    let object_key = format!("claims/{id}/{doc_id}");
    let ext = file_type.mime().rsplit('/').next().unwrap_or("bin");
    let name = file_name(q.name.as_deref(), kind, ext);
    let size = content.len() as i64;
    let bucket = app.files()?;
    bucket
        .put(object_key.as_str(), content)
        .http_metadata(worker::HttpMetadata { content_type: Some(file_type.mime().into()), ..Default::default() })
        .execute()
        .await?;
    let token = crate::crypto::new_id("chg")?;
    let changes = [FieldChange { field: "document".into(), label: field_label_zh("document").into(), before: None, after: Some(format!("{}：{name}", kind.label(Lang::Zh))) }];
    let statements = vec![
        repo::touch_for_document(app, &row, &token, shebao_domain::claim::MAX_DOCUMENTS)?,
        audit::entry(app, user, audit::Entry { action: shebao_domain::audit::CLAIM_DOCUMENT, entity: "claim", entity_id: id, changes: &changes }, true)?,
        repo::insert_document(
            app,
            id,
            &repo::NewDocument { id: &doc_id, kind: kind.code(), file_name: &name, content_type: file_type.mime(), size, object_key: &object_key, uploaded_by: &user.id },
            &token,
        )?,
    ];
    match idempotency::commit_recorded(app, user, key.as_ref(), Change { statements, guarded: Some(0) }, 201, &Done { id: id.into() }).await {
        Ok(Some(stored)) => {
            let _ = bucket.delete(object_key.as_str()).await;
            replay(app, user, stored).await
        }
        Ok(None) => answer(app, user, id, 201).await,
        Err(e) => {
            // Lost a race (another upload took the tenth place, or the claim was submitted
            // meanwhile): the object has no row, so it goes too.
            let _ = bucket.delete(object_key.as_str()).await;
            Err(match e {
                AppError::Conflict(_) => match repo::claim(app, id).await? {
                    Some(now) if !service::state_of(&now)?.takes_documents() => AppError::Conflict("报销已进入审核，不能再添加材料".into()),
                    _ => AppError::Document(DocumentError::TooMany),
                },
                e => e,
            })
        }
    }
}

/// `GET /api/claims/{id}/documents/{doc}`: the file, to the claimant and the reviewers only.
pub async fn document(app: &App, user: &User, id: &str, doc: &str) -> AppResult<Response> {
    let row = service::visible_document(app, user, id, doc).await?;
    let object = app.files()?.get(row.object_key.as_str()).execute().await?.ok_or(AppError::NotFound)?;
    let bytes = object.body().ok_or(AppError::NotFound)?.bytes().await?;
    let mut resp = Response::from_bytes(bytes)?;
    let headers = resp.headers_mut();
    headers.set("Content-Type", &row.content_type)?;
    let encoded: String = js_sys::encode_uri_component(&row.file_name).into();
    headers.set("Content-Disposition", &format!("inline; filename*=UTF-8''{encoded}"))?;
    // Shown by the browser itself (an image, its PDF viewer), and nothing else.
    headers.set("Content-Security-Policy", "default-src 'none'; img-src 'self'; object-src 'self'; frame-ancestors 'self'")?;
    Ok(resp)
}

/// `POST /api/claims/{id}/{submit|approve|reject|pay}` {version, reason}.
pub async fn act(mut req: Request, app: &App, user: &User, id: &str, route: &str) -> AppResult<Response> {
    if !matches!(route, "submit" | "approve" | "reject" | "pay") {
        return Err(AppError::NotFound);
    }
    let (body, key) = match idempotency::begin::<ClaimActionBody>(&mut req, app, user).await? {
        Begin::Replay(stored) => return replay(app, user, stored).await,
        Begin::New(body, key) => (body, key),
    };
    let row = service::visible(app, user, id).await?;
    let action = ClaimAction::from_route(route, service::state_of(&row)?).ok_or(AppError::NotFound)?;
    let (change, after) = service::act(app, user, &row, action, body.version, body.reason.as_deref()).await?;
    if let Some(stored) = idempotency::commit_recorded(app, user, key.as_ref(), change, 200, &Done { id: id.into() }).await? {
        return replay(app, user, stored).await;
    }
    if let After::Escalate(held) = after {
        if let Err(e) = service::escalate_now(app, &held).await {
            worker::console_error!("escalating claim {id}: {e}");
        }
    }
    answer(app, user, id, 200).await
}
