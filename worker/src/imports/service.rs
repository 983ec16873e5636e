//! Roster imports on the server: every row checked again by the domain crate (the same
//! `RosterCheck` the browser ran, seeded with the earlier chunks' IDs and the registry's),
//! each chunk taken whole or not at all, and the commit one batch: the import marked
//! imported, its audit entry and the valid rows as employees.

use super::repo::{self, ImportRow};
use crate::auth::User;
use crate::crypto::new_id;
use crate::db::{commit as commit_batch, Change, Query, Reads};
use crate::employees::repo as employees;
use crate::error::{AppError, AppResult};
use crate::runs::service::today;
use crate::{audit, App};
use serde_json::json;
use shebao_domain::api::FieldChange;
use shebao_domain::employee::EmployeeForm;
use shebao_domain::ids::normalize_id;
use shebao_domain::money::fen;
use shebao_domain::role::may_edit_employee;
use shebao_domain::roster::{
    ColumnNames, CommitRefusal, ImportChunk, ImportCommit, ImportStart, ImportState, ImportStatus,
    RosterCheck, RowError,
};
use shebao_domain::{FieldError, Lang};

/// Most errors a status lists (`rejected` counts every rejected row).
const LISTED_ERRORS: usize = 500;
/// A chunk's rows are inserted a few at a time: D1 caps the size of one bound value.
const ROWS_PER_INSERT: usize = 100;
const MAX_INSERT_JSON_BYTES: usize = 400_000;

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

fn state(row: &ImportRow) -> AppResult<ImportState> {
    ImportState::from_code(&row.state)
        .ok_or_else(|| AppError::Internal(format!("import state {}", row.state)))
}

pub fn status(row: &ImportRow, errors: Vec<RowError>) -> AppResult<ImportStatus> {
    Ok(ImportStatus {
        id: row.id.clone(),
        branch_id: row.branch_id.clone(),
        branch_name: row.branch_name.clone(),
        file_name: row.file_name.clone(),
        rows_total: count(row.rows_total),
        rows_received: count(row.rows_received),
        next_seq: count(row.next_seq),
        rejected: count(row.rejected),
        imported: count(row.imported),
        state: state(row)?,
        version: row.version,
        created_at: row.created_at.clone(),
        errors,
    })
}

fn may_edit(user: &User, branch_id: &str) -> bool {
    may_edit_employee(user.role, user.branch_id.as_deref(), branch_id)
}

/// An import the user started (404 for anyone else's) and may still add employees with (403).
async fn own(app: &App, user: &User, id: &str) -> AppResult<ImportRow> {
    let row = repo::import(app, id)
        .await?
        .filter(|r| r.created_by == user.id)
        .ok_or(AppError::NotFound)?;
    if may_edit(user, &row.branch_id) {
        Ok(row)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The import read, for the user who started it or anyone who may edit its branch's
/// employees (404 for anyone else).
fn seen(user: &User, row: Option<ImportRow>) -> AppResult<ImportRow> {
    row.filter(|r| r.created_by == user.id || may_edit(user, &r.branch_id)).ok_or(AppError::NotFound)
}

/// The rejected rows' errors between two row numbers, in row order (`listed` reads them).
fn errors_between(app: &App, import_id: &str, from_row: i64, to_row: i64) -> AppResult<Query<repo::RowErrors>> {
    repo::errors(app, import_id, from_row, to_row, LISTED_ERRORS as i64)
}

/// The errors of those rows, at most `LISTED_ERRORS`.
fn listed(rows: Vec<repo::RowErrors>) -> AppResult<Vec<RowError>> {
    let mut errors = Vec::new();
    for r in rows {
        errors.extend(serde_json::from_str::<Vec<RowError>>(&r.errors)?);
        if errors.len() >= LISTED_ERRORS {
            errors.truncate(LISTED_ERRORS);
            break;
        }
    }
    Ok(errors)
}

/// The import with the errors found so far.
pub async fn full_status(app: &App, row: &ImportRow) -> AppResult<ImportStatus> {
    status(row, listed(errors_between(app, &row.id, 0, i64::MAX)?.all(&app.db).await?)?)
}

/// Import `id` with the errors found so far, if the user sees it: read in one round trip.
pub async fn read_status(app: &App, user: &User, id: &str) -> AppResult<ImportStatus> {
    let mut reads = Reads::default();
    let (import, errors) = (reads.add(repo::import_query(app, id)?), reads.add(errors_between(app, id, 0, i64::MAX)?));
    let read = reads.send(&app.db).await?;
    status(&seen(user, read.first(import)?)?, listed(read.rows(errors)?)?)
}

/// `POST /api/imports`: an import of `rows_total` rows into a branch the user may edit.
pub async fn start(
    app: &App,
    user: &User,
    body: &ImportStart,
) -> AppResult<(Change, ImportStatus)> {
    if !user.role.can_edit_employees() {
        return Err(AppError::Forbidden);
    }
    body.check().map_err(AppError::Validation)?;
    let branch = employees::branch(app, body.branch_id.trim())
        .await?
        .ok_or_else(|| {
            AppError::field(
                "branch_id",
                "branch.unknown",
                "分公司不存在",
                "No such branch",
            )
        })?;
    if !may_edit(user, &branch.id) {
        return Err(AppError::Forbidden);
    }
    let id = new_id("imp")?;
    let file_name = body.file_name.trim();
    let change = Change {
        statements: vec![repo::insert(
            app,
            &id,
            &branch.id,
            file_name,
            i64::from(body.rows_total),
            &user.id,
        )?],
        guarded: None,
    };
    let row = ImportRow {
        id,
        branch_id: branch.id,
        branch_name: branch.name,
        file_name: file_name.to_string(),
        rows_total: i64::from(body.rows_total),
        rows_received: 0,
        next_seq: 0,
        rejected: 0,
        imported: 0,
        state: ImportState::Uploading.code().into(),
        created_by: user.id.clone(),
        created_at: app.now_iso.clone(),
        version: 1,
    };
    Ok((change, status(&row, vec![])?))
}

/// `GET /api/imports`: the user's imports still being sent, newest first, to resume one.
pub async fn unfinished(app: &App, user: &User) -> AppResult<Vec<ImportStatus>> {
    repo::unfinished(app, &user.id, 20)
        .await?
        .iter()
        .map(|r| status(r, vec![]))
        .collect()
}

/// A chunk already taken, answered again: the import now, with that chunk's errors.
async fn replay(app: &App, row: &ImportRow, chunk: &ImportChunk) -> AppResult<ImportStatus> {
    let rows = || chunk.rows.iter().map(|r| i64::from(r.row));
    let (from, to) = (rows().min().unwrap_or(0), rows().max().unwrap_or(0));
    status(row, listed(errors_between(app, &row.id, from, to)?.all(&app.db).await?)?)
}

/// The JSON list `repo::seen_ids` and `repo::registered_ids` take.
fn id_list(forms: &[EmployeeForm]) -> AppResult<String> {
    let mut ids: Vec<String> = forms
        .iter()
        .map(|f| normalize_id(&f.resident_id))
        .filter(|id| !id.is_empty())
        .collect();
    ids.sort();
    ids.dedup();
    Ok(serde_json::to_string(&ids)?)
}

/// One row as `repo::insert_rows` reads it: the validated values of a valid row.
fn stored_row(
    app_today: chrono::NaiveDate,
    row: u32,
    form: &EmployeeForm,
    errors: &[RowError],
) -> AppResult<serde_json::Value> {
    let valid = if errors.is_empty() {
        form.validate_as_of(app_today).ok()
    } else {
        None
    };
    Ok(json!({
        "row_no": row,
        "resident_id": normalize_id(&form.resident_id),
        "employee_id": new_id("emp")?,
        "name": valid.as_ref().map(|v| v.name.clone()),
        "department": valid.as_ref().and_then(|v| v.department.clone()),
        "phone": valid.as_ref().and_then(|v| v.phone.clone()),
        "email": valid.as_ref().and_then(|v| v.email.clone()),
        "hire_date": valid.as_ref().map(|v| v.hire_date.to_string()),
        "salary_fen": valid.as_ref().map(|v| fen(v.salary)),
        "hukou": valid.as_ref().map(|v| v.hukou.code()),
        "form": serde_json::to_string(form)?,
        "errors": if errors.is_empty() { None } else { Some(serde_json::to_string(errors)?) },
    }))
}

/// JSON lists of at most `ROWS_PER_INSERT` rows and about `MAX_INSERT_JSON_BYTES` each.
fn insert_groups(rows: &[serde_json::Value]) -> AppResult<Vec<String>> {
    let mut groups: Vec<Vec<String>> = vec![Vec::new()];
    let mut bytes = 0;
    for row in rows {
        let text = serde_json::to_string(row)?;
        let current = groups.last().map_or(0, Vec::len);
        if current > 0 && (current == ROWS_PER_INSERT || bytes + text.len() > MAX_INSERT_JSON_BYTES)
        {
            groups.push(Vec::new());
            bytes = 0;
        }
        bytes += text.len();
        if let Some(group) = groups.last_mut() {
            group.push(text);
        }
    }
    Ok(groups
        .into_iter()
        .filter(|g| !g.is_empty())
        .map(|g| format!("[{}]", g.join(",")))
        .collect())
}

/// `POST /api/imports/{id}/rows`: chunk `seq`, checked and written whole, or (already
/// taken) answered again without writing; the answer lists this chunk's errors.
pub async fn receive(
    app: &App,
    user: &User,
    id: &str,
    chunk: &ImportChunk,
) -> AppResult<ImportStatus> {
    let row = own(app, user, id).await?;
    let seq = i64::from(chunk.seq);
    if seq < row.next_seq {
        return replay(app, &row, chunk).await;
    }
    if state(&row)? != ImportState::Uploading {
        return Err(AppError::Conflict(CommitRefusal::Done.message(Lang::Zh)));
    }
    if seq > row.next_seq {
        return Err(AppError::Conflict(format!(
            "上传顺序不对：应先上传第 {} 批（收到的是第 {} 批），请从第 {} 批继续",
            row.next_seq + 1,
            seq + 1,
            row.next_seq + 1
        )));
    }
    let last_row = repo::last_row(app, id).await?;
    chunk
        .check(count(last_row), count(row.rows_total - row.rows_received))
        .map_err(|e| AppError::Validation(vec![e]))?;

    // The branch is the import's, whatever a row says.
    let forms: Vec<EmployeeForm> = chunk
        .rows
        .iter()
        .map(|r| EmployeeForm {
            branch_id: row.branch_id.clone(),
            ..r.form.clone()
        })
        .collect();
    let ids = id_list(&forms)?;
    let today = today(app)?;
    let mut check = RosterCheck::new(today);
    for seen in repo::seen_ids(app, id, &ids).await? {
        check.seen_at(&seen.resident_id, count(seen.row_no));
    }
    for registered in repo::registered_ids(app, &ids).await? {
        check.mark_registered(&registered.resident_id);
    }
    let columns = ColumnNames::of_fields();
    let mut errors = Vec::new();
    let mut stored = Vec::with_capacity(forms.len());
    let mut rejected = 0;
    for (r, form) in chunk.rows.iter().zip(&forms) {
        let row_errors = check.check(r.row, form, &columns);
        stored.push(stored_row(today, r.row, form, &row_errors)?);
        rejected += i64::from(!row_errors.is_empty());
        errors.extend(row_errors);
    }
    let token = new_id("chg")?;
    let received = chunk.rows.len() as i64;
    let mut statements = vec![repo::take_chunk(app, id, seq, received, rejected, &token)?];
    for group in insert_groups(&stored)? {
        statements.push(repo::insert_rows(app, id, &group, &token)?);
    }
    match commit_batch(
        &app.db,
        Change {
            statements,
            guarded: Some(0),
        },
    )
    .await
    {
        Ok(()) => {}
        // The same chunk sent twice at once: the other one was taken.
        Err(AppError::Conflict(message)) => {
            let now = repo::import(app, id).await?.ok_or(AppError::NotFound)?;
            return if seq < now.next_seq {
                replay(app, &now, chunk).await
            } else {
                Err(AppError::Conflict(message))
            };
        }
        Err(e) => return Err(e),
    }
    errors.truncate(LISTED_ERRORS);
    let taken = ImportRow {
        rows_received: row.rows_received + received,
        next_seq: row.next_seq + 1,
        rejected: row.rejected + rejected,
        version: row.version + 1,
        ..row
    };
    status(&taken, errors)
}

fn refused(refusal: CommitRefusal) -> AppError {
    let message = refusal.message(Lang::Zh);
    match refusal {
        CommitRefusal::Done | CommitRefusal::Incomplete { .. } => AppError::Conflict(message),
        CommitRefusal::HasErrors { .. } | CommitRefusal::NothingValid => {
            AppError::Validation(vec![FieldError::new(
                "only_valid",
                refusal.code(),
                message,
                refusal.message(Lang::En),
            )])
        }
    }
}

fn noted(field: &str, label: &str, value: String) -> FieldChange {
    FieldChange {
        field: field.into(),
        label: label.into(),
        before: None,
        after: Some(value),
    }
}

/// `POST /api/imports/{id}/commit`: the received rows (or only the valid ones) as
/// employees, with one audit entry for the import.
pub async fn commit(
    app: &App,
    user: &User,
    id: &str,
    body: &ImportCommit,
) -> AppResult<(Change, ImportStatus)> {
    let row = own(app, user, id).await?;
    let current = status(&row, vec![])?;
    if current.state == ImportState::Uploading && body.version != row.version {
        return Err(AppError::stale());
    }
    if let Some(refusal) = current.commit_refusal(body.only_valid) {
        return Err(refused(refusal));
    }
    let imported = current.valid_rows();
    let token = new_id("chg")?;
    let noted_changes = [
        noted("file_name", "文件", row.file_name.clone()),
        noted("branch_id", "分公司", row.branch_name.clone()),
        noted("imported", "导入行数", imported.to_string()),
        noted("rejected", "拒绝行数", current.rejected.to_string()),
    ];
    let statements = vec![
        repo::mark_imported(app, id, row.version, i64::from(imported), &token)?,
        audit::entry(
            app,
            user,
            audit::Entry {
                action: shebao_domain::audit::IMPORT_COMMIT,
                entity: "import",
                entity_id: id,
                changes: &noted_changes,
            },
            true,
        )?,
        repo::insert_employees(app, id, &token)?,
    ];
    let done = ImportRow {
        state: ImportState::Imported.code().into(),
        imported: i64::from(imported),
        version: row.version + 1,
        ..row
    };
    let answer = full_status(app, &done).await?;
    Ok((
        Change {
            statements,
            guarded: Some(0),
        },
        answer,
    ))
}

/// What a commit's conflict was: a lost race (the import changed), or, with the import as
/// the user saw it, an ID that someone registered after the rows were checked.
pub async fn commit_conflict(
    app: &App,
    id: &str,
    body: &ImportCommit,
    message: String,
) -> AppError {
    match repo::import(app, id).await {
        Ok(Some(now))
            if now.state == ImportState::Uploading.code() && now.version == body.version =>
        {
            AppError::Conflict("有身份证号已被登记，请重新检查".into())
        }
        Ok(_) => AppError::Conflict(message),
        Err(e) => e,
    }
}

/// Import `id` and its rejected rows as they were sent, each with its errors, if the user
/// sees it: read in one round trip.
pub async fn read_rejected(
    app: &App,
    user: &User,
    id: &str,
) -> AppResult<(ImportRow, Vec<(u32, EmployeeForm, Vec<RowError>)>)> {
    let mut reads = Reads::default();
    let (import, rejected) = (reads.add(repo::import_query(app, id)?), reads.add(repo::rejected(app, id)?));
    let read = reads.send(&app.db).await?;
    let row = seen(user, read.first(import)?)?;
    let rows = read
        .rows(rejected)?
        .into_iter()
        .map(|r| {
            Ok((
                count(r.row_no),
                serde_json::from_str(&r.form)?,
                serde_json::from_str(&r.errors)?,
            ))
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok((row, rows))
}
