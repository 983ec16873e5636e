//! Roster imports (花名册导入): HR's file of new hires, read and checked in the browser,
//! sent here in chunks of at most `CHUNK_ROWS` rows that are checked again, resumable
//! after a reload (`GET /api/imports` lists the unfinished ones, `next_seq` says where to
//! go on), then committed at once; the rejected rows come back as an .xlsx.

mod repo;
mod service;

use crate::auth::User;
use crate::error::{AppError, AppResult};
use crate::http::{self, json};
use crate::idempotency::{self, Begin};
use crate::xlsx::{self, Cell, Column, Sheet};
use crate::App;
use shebao_domain::claim::DocumentError;
use shebao_domain::policy::Hukou;
use shebao_domain::roster::{
    joined_messages, ImportChunk, ImportCommit, ImportList, ImportStart, RosterField,
};
use shebao_domain::Lang;
use worker::{Request, Response};

/// A chunk's body: `CHUNK_ROWS` rows of typical forms take about a fifth of it.
const MAX_CHUNK_BYTES: usize = 1024 * 1024;

/// `POST /api/imports` {file_name, branch_id, rows_total}: 201 with the import's status.
pub async fn start(mut req: Request, app: &App, user: &User) -> AppResult<Response> {
    let (body, key) = match idempotency::begin::<ImportStart>(&mut req, app, user).await? {
        Begin::Replay(stored) => return stored.into_response(),
        Begin::New(body, key) => (body, key),
    };
    let (change, status) = service::start(app, user, &body).await?;
    idempotency::commit_with_key(app, user, key.as_ref(), change, 201, &status).await
}

/// `GET /api/imports`: the user's own imports still being sent (newest first, at most 20).
pub async fn list(app: &App, user: &User) -> AppResult<Response> {
    json(
        &ImportList {
            imports: service::unfinished(app, user).await?,
        },
        200,
    )
}

/// `GET /api/imports/{id}`: the import and the errors found so far.
pub async fn get(app: &App, user: &User, id: &str) -> AppResult<Response> {
    json(&service::read_status(app, user, id).await?, 200)
}

/// `POST /api/imports/{id}/rows` {seq, rows}: 200 with this chunk's errors. A chunk is
/// identified by its `seq`, so a resent one is answered without writing: that is its
/// idempotency (it takes no `Idempotency-Key`).
pub async fn rows(mut req: Request, app: &App, user: &User, id: &str) -> AppResult<Response> {
    let bytes = http::read_at_most(&mut req, MAX_CHUNK_BYTES)
        .await
        .map_err(|e| match e {
            AppError::Document(DocumentError::TooLarge) => {
                AppError::BadRequest("这一批数据过大（上限 1 MB），请减少每批的行数")
            }
            e => e,
        })?;
    let chunk: ImportChunk = http::decode(&bytes)?;
    json(&service::receive(app, user, id, &chunk).await?, 200)
}

/// `POST /api/imports/{id}/commit` {only_valid, version}: 200 with the import imported.
pub async fn commit(mut req: Request, app: &App, user: &User, id: &str) -> AppResult<Response> {
    let (body, key) = match idempotency::begin::<ImportCommit>(&mut req, app, user).await? {
        Begin::Replay(stored) => return stored.into_response(),
        Begin::New(body, key) => (body, key),
    };
    let (change, status) = service::commit(app, user, id, &body).await?;
    match idempotency::commit_with_key(app, user, key.as_ref(), change, 200, &status).await {
        Err(AppError::Conflict(message)) => {
            Err(service::commit_conflict(app, id, &body, message).await)
        }
        answer => answer,
    }
}

/// 行号, the fields' labels, 错误.
fn rejected_columns() -> Vec<Column> {
    let mut columns = vec![Column {
        header: "行号",
        width: 6.0,
    }];
    columns.extend(RosterField::ALL.map(|f| Column {
        header: f.label(Lang::Zh),
        width: match f {
            RosterField::ResidentId => 22.0,
            RosterField::Email => 24.0,
            RosterField::Phone | RosterField::HireDate | RosterField::Salary => 14.0,
            _ => 10.0,
        },
    }));
    columns.push(Column {
        header: "错误",
        width: 48.0,
    });
    columns
}

/// `GET /api/imports/{id}/rejected`: the rejected rows as .xlsx, each with its errors.
pub async fn rejected(app: &App, user: &User, id: &str) -> AppResult<Response> {
    let (row, rejected) = service::read_rejected(app, user, id).await?;
    let file_name = service::status(&row, vec![])?.rejected_file_name();
    let rows = rejected
        .into_iter()
        .map(|(row_no, form, errors)| {
            let hukou = Hukou::from_code(&form.hukou)
                .map_or(form.hukou.clone(), |h| h.label_zh().to_string());
            let mut cells = vec![Cell::Text(row_no.to_string())];
            cells.extend(
                [
                    form.name,
                    form.resident_id,
                    form.hire_date,
                    form.salary,
                    form.department,
                    form.phone,
                    form.email,
                    hukou,
                ]
                .map(Cell::Text),
            );
            cells.push(Cell::Text(joined_messages(&errors)));
            cells
        })
        .collect();
    let columns = rejected_columns();
    let bytes = xlsx::workbook(&[Sheet {
        name: "被拒绝的行",
        columns: &columns,
        rows,
    }])?;
    xlsx::download(bytes, &file_name)
}
