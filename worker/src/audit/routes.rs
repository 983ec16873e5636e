use super::repo;
use crate::auth::User;
use crate::employees::repo::visible_employee;
use crate::enrollments::service::visible_request;
use crate::error::{AppError, AppResult};
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

/// `GET /api/audit?entity=employee&id=…`: a record's timeline, oldest first, for whoever
/// may see the record.
pub async fn timeline(req: &Request, app: &App, user: &User) -> AppResult<Response> {
    let q: Query = req.query().map_err(|_| AppError::BadRequest("需要 entity 和 id 参数"))?;
    match q.entity.as_str() {
        "employee" => {
            visible_employee(app, user, &q.id).await?;
        }
        "enrollment" => {
            visible_request(app, user, &q.id).await?;
        }
        "run" => {
            crate::runs::service::visible_run(app, user, &q.id).await?;
        }
        // The company settings' history, for those who change them.
        "settings" if user.role != Role::Admin => return Err(AppError::Forbidden),
        "settings" => {}
        _ => return Err(AppError::BadRequest("未知的记录类型")),
    }
    let rows = repo::entries(app, &q.entity, &q.id).await?;
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
