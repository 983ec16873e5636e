use super::repo;
use crate::auth::User;
use crate::db::{Reads, Slot};
use crate::employees::{self, repo::EmployeeRow};
use crate::enrollments::{self, repo::RequestRow};
use crate::error::{AppError, AppResult};
use crate::runs::{self, repo::RunRow};
use crate::App;
use serde::Deserialize;
use shebao_domain::api::{action_label_zh, AuditEntry, FieldChange};
use shebao_domain::role::Role;
use worker::{Request, Response};

#[derive(Deserialize)]
struct Query {
    entity: String,
    id: String,
}

/// The record a timeline is of, read with it.
enum Record {
    Employee(Slot<EmployeeRow>),
    Enrollment(Slot<RequestRow>),
    Run(Slot<RunRow>),
    Settings,
}

/// `GET /api/audit?entity=employee&id=…`: a record's timeline, oldest first, for whoever
/// may see the record. The record and its entries are read in one round trip, and the
/// record's own rule is checked before any entry is answered.
pub async fn timeline(req: &Request, app: &App, user: &User) -> AppResult<Response> {
    let q: Query = req.query().map_err(|_| AppError::BadRequest("需要 entity 和 id 参数"))?;
    let mut reads = Reads::default();
    let record = match q.entity.as_str() {
        "employee" => Record::Employee(reads.add(employees::repo::employee_query(app, &q.id)?)),
        "enrollment" => Record::Enrollment(reads.add(enrollments::repo::request_query(app, &q.id)?)),
        "run" => Record::Run(reads.add(runs::repo::run_query(app, &q.id)?)),
        // The company settings' history, for those who change them.
        "settings" if user.role != Role::Admin => return Err(AppError::Forbidden),
        "settings" => Record::Settings,
        _ => return Err(AppError::BadRequest("未知的记录类型")),
    };
    let entries = reads.add(repo::entries(app, &q.entity, &q.id)?);
    let read = reads.send(&app.db).await?;
    match record {
        Record::Employee(row) => {
            employees::repo::seen(user, read.first(row)?)?;
        }
        Record::Enrollment(row) => {
            enrollments::service::seen(user, read.first(row)?)?;
        }
        Record::Run(row) => {
            runs::service::seen(user, read.first(row)?)?;
        }
        Record::Settings => {}
    }
    let rows = read.rows(entries)?;
    let entries = rows
        .into_iter()
        .map(|r| {
            let changes: Vec<FieldChange> = serde_json::from_str(&r.changes)?;
            Ok(AuditEntry {
                id: r.id,
                at: r.at,
                actor_name: r.actor_name,
                action_label: action_label_zh(&r.action).to_string(),
                action: r.action,
                changes,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Response::from_json(&entries)?)
}
