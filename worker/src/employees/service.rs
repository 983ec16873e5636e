//! Employee rules on the server: every field validated by the domain crate, permissions
//! checked against the role matrix, each change written with its audit entry.

use super::repo::{self, EmployeeRow, EmployeeValues};
use crate::audit::{self, changes};
use crate::auth::User;
use crate::crypto::new_id;
use crate::db::Change;
use crate::enrollments;
use crate::error::{AppError, AppResult};
use crate::App;
use shebao_domain::audit as audit_action;
use shebao_domain::api::{field_label_zh, EmployeeDetail, EmployeePatch, FieldChange};
use shebao_domain::employee::{EmployeeForm, ValidEmployee};
use shebao_domain::enrollment::{editable, RequestState};
use shebao_domain::money::{fen, format_yuan, from_fen};
use shebao_domain::ids::{masked_id, today_in_china};
use shebao_domain::policy::Hukou;
use shebao_domain::role::{may_edit_employee, may_reveal_id, may_see_birth_date};
use shebao_domain::{FieldError, ResidentId};

/// The record as `user` may read it: the ID masked, the birth date only for those who may
/// see it.
pub fn detail(row: &EmployeeRow, user: &User) -> AppResult<EmployeeDetail> {
    let id = ResidentId::parse(&row.resident_id)
        .map_err(|e| AppError::Internal(format!("stored resident id of {}: {e}", row.id)))?;
    let birth_visible = may_see_birth_date(
        user.role,
        user.branch_id.as_deref(),
        user.employee_id.as_deref(),
        &row.branch_id,
        &row.id,
    );
    Ok(EmployeeDetail {
        id: row.id.clone(),
        name: row.name.clone(),
        resident_id_masked: id.masked(),
        id_kind: id.kind(),
        birth_date: birth_visible.then(|| id.birth_date().to_string()),
        age: id.age_on(today_in_china()),
        gender: id.gender(),
        branch_id: row.branch_id.clone(),
        branch_name: row.branch_name.clone(),
        city: row.city.clone(),
        department: row.department.clone(),
        phone: row.phone.clone(),
        email: row.email.clone(),
        bank_card: row.bank_card.as_deref().map(shebao_domain::self_service::mask_card),
        hire_date: row.hire_date.clone(),
        salary: from_fen(row.salary_fen),
        hukou: stored_hukou(row)?,
        status: row.status.clone(),
        version: row.version,
        created_at: row.created_at.clone(),
        updated_at: row.updated_at.clone(),
    })
}

fn stored_hukou(row: &EmployeeRow) -> AppResult<Hukou> {
    Hukou::from_code(&row.hukou)
        .ok_or_else(|| AppError::Internal(format!("stored hukou of {}: {:?}", row.id, row.hukou)))
}

fn require_editor(user: &User) -> AppResult<()> {
    if user.role.can_edit_employees() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The branch must exist (422) and be one the user may edit (403).
async fn editable_branch(app: &App, user: &User, branch_id: &str) -> AppResult<repo::BranchRow> {
    let branch = repo::branch(app, branch_id)
        .await?
        .ok_or_else(|| AppError::field("branch_id", "branch.unknown", "分公司不存在", "No such branch"))?;
    if may_edit_employee(user.role, user.branch_id.as_deref(), &branch.id) {
        Ok(branch)
    } else {
        Err(AppError::Forbidden)
    }
}

async fn ensure_unique(app: &App, resident_id: &ResidentId, except: &str) -> AppResult<()> {
    if repo::resident_id_taken(app, resident_id.as_str(), except).await? {
        Err(AppError::Validation(vec![FieldError::new(
            "resident_id",
            "id.duplicate",
            "该身份证号已有员工档案",
            "An employee with this resident ID number exists already",
        )]))
    } else {
        Ok(())
    }
}

fn values(v: &ValidEmployee) -> EmployeeValues {
    EmployeeValues {
        name: v.name.clone(),
        resident_id: v.resident_id.as_str().to_string(),
        branch_id: v.branch_id.clone(),
        department: v.department.clone(),
        phone: v.phone.clone(),
        email: v.email.clone(),
        hire_date: v.hire_date.to_string(),
        salary_fen: fen(v.salary),
        hukou: v.hukou.code().to_string(),
    }
}

/// Field by field, what the audit log shows of a record (ID numbers masked).
fn audit_view(v: &EmployeeValues, branch_name: &str) -> Vec<(&'static str, Option<String>)> {
    let masked = masked_id(&v.resident_id);
    vec![
        ("name", Some(v.name.clone())),
        ("resident_id", masked),
        ("branch_id", Some(branch_name.to_string())),
        ("department", v.department.clone()),
        ("phone", v.phone.clone()),
        ("email", v.email.clone()),
        ("hire_date", Some(v.hire_date.clone())),
        ("salary", Some(format_yuan(from_fen(v.salary_fen)))),
        ("hukou", Hukou::from_code(&v.hukou).map(|h| h.label_zh().to_string())),
    ]
}

pub async fn create(app: &App, user: &User, form: &EmployeeForm) -> AppResult<(Change, EmployeeDetail)> {
    require_editor(user)?;
    let valid = form.validate().map_err(AppError::Validation)?;
    let branch = editable_branch(app, user, &valid.branch_id).await?;
    ensure_unique(app, &valid.resident_id, "").await?;
    let id = new_id("emp")?;
    let v = values(&valid);
    let created = changes(None, &audit_view(&v, &branch.name));
    let change = Change {
        statements: vec![
            repo::insert(app, &id, &v)?,
            audit::entry(
                app,
                user,
                audit::Entry { action: audit_action::EMPLOYEE_CREATE, entity: "employee", entity_id: &id, changes: &created },
                false,
            )?,
        ],
        guarded: None,
    };
    let row = EmployeeRow {
        id: id.clone(),
        branch_id: branch.id,
        branch_name: branch.name,
        city: branch.city,
        name: v.name,
        resident_id: v.resident_id,
        department: v.department,
        phone: v.phone,
        email: v.email,
        hire_date: v.hire_date,
        salary_fen: v.salary_fen,
        hukou: v.hukou,
        status: "active".into(),
        bank_card: None,
        version: 1,
        created_at: app.now_iso.clone(),
        updated_at: app.now_iso.clone(),
    };
    Ok((change, detail(&row, user)?))
}

fn form_of(row: &EmployeeRow, patch: &EmployeePatch) -> EmployeeForm {
    let pick = |new: &Option<String>, old: Option<&String>| {
        new.clone().unwrap_or_else(|| old.cloned().unwrap_or_default())
    };
    EmployeeForm {
        name: pick(&patch.name, Some(&row.name)),
        resident_id: pick(&patch.resident_id, Some(&row.resident_id)),
        branch_id: pick(&patch.branch_id, Some(&row.branch_id)),
        department: pick(&patch.department, row.department.as_ref()),
        phone: pick(&patch.phone, row.phone.as_ref()),
        email: pick(&patch.email, row.email.as_ref()),
        hire_date: pick(&patch.hire_date, Some(&row.hire_date)),
        salary: pick(&patch.salary, Some(&from_fen(row.salary_fen).to_string())),
        hukou: pick(&patch.hukou, Some(&row.hukou)),
    }
}

/// Applies a patch. `None` for the change when nothing differs (nothing is written).
pub async fn update(
    app: &App,
    user: &User,
    id: &str,
    patch: &EmployeePatch,
) -> AppResult<(Option<Change>, EmployeeDetail)> {
    require_editor(user)?;
    let row = repo::visible_employee(app, user, id).await?;
    editable_branch(app, user, &row.branch_id).await?;
    if patch.version != row.version {
        return Err(AppError::stale());
    }
    let valid = form_of(&row, patch).validate().map_err(AppError::Validation)?;
    let branch = editable_branch(app, user, &valid.branch_id).await?;
    ensure_unique(app, &valid.resident_id, id).await?;
    let old = EmployeeValues {
        name: row.name.clone(),
        resident_id: row.resident_id.clone(),
        branch_id: row.branch_id.clone(),
        department: row.department.clone(),
        phone: row.phone.clone(),
        email: row.email.clone(),
        hire_date: row.hire_date.clone(),
        salary_fen: row.salary_fen,
        hukou: row.hukou.clone(),
    };
    let new = values(&valid);
    let mut changed = changes(Some(&audit_view(&old, &row.branch_name)), &audit_view(&new, &branch.name));
    // Two numbers can share a mask; the entry must still show that the number changed.
    if new.resident_id != old.resident_id && !changed.iter().any(|c| c.field == "resident_id") {
        let masked = valid.resident_id.masked();
        changed.push(FieldChange {
            field: "resident_id".into(),
            label: field_label_zh("resident_id").into(),
            before: Some(masked.clone()),
            after: Some(format!("{masked}（号码已更换）")),
        });
    }
    let updated = EmployeeRow {
        branch_id: branch.id,
        branch_name: branch.name,
        city: branch.city,
        name: new.name.clone(),
        resident_id: new.resident_id.clone(),
        department: new.department.clone(),
        phone: new.phone.clone(),
        email: new.email.clone(),
        hire_date: new.hire_date.clone(),
        salary_fen: new.salary_fen,
        hukou: new.hukou.clone(),
        version: row.version + 1,
        updated_at: app.now_iso.clone(),
        ..row.clone()
    };
    if changed.is_empty() {
        return Ok((None, detail(&row, user)?));
    }
    let identity_changed = new.name != old.name || new.resident_id != old.resident_id;
    let guard = if identity_changed {
        ensure_identity_free(app, id).await?;
        Some(enrollments::repo::no_identity_locked_request(id))
    } else {
        None
    };
    let mut statements = vec![
        repo::update(app, id, patch.version, &new, guard)?,
        audit::entry(
            app,
            user,
            audit::Entry { action: audit_action::EMPLOYEE_UPDATE, entity: "employee", entity_id: id, changes: &changed },
            true,
        )?,
    ];
    if identity_changed {
        statements.extend(follow_on_requests(app, user, id, row.version + 1, &new, &changed).await?);
    }
    Ok((Some(Change { statements, guarded: Some(0) }), detail(&updated, user)?))
}

/// What was approved is what is filed: a name or ID number cannot change under a request
/// that is approved or at the bureau. The UPDATE is guarded by the same rule, for a race.
async fn ensure_identity_free(app: &App, employee_id: &str) -> AppResult<()> {
    let locked = enrollments::repo::requests_of_employee(app, employee_id, RequestState::identity_locked).await?;
    if locked.is_empty() {
        return Ok(());
    }
    let ids: Vec<&str> = locked.iter().map(|r| r.id.as_str()).collect();
    Err(AppError::Conflict(format!(
        "该员工的申请 {} 已批准或正在报送社保局，不能修改姓名或身份证号；已批准的请先由主管撤回批准，正在报送的请待报送完成后再办理变更",
        ids.join("、")
    )))
}

/// Requests that can still be corrected take the new name or ID number, each with an entry
/// on its own timeline, so that the reviewer sees the change before approving; the editor
/// becomes one of their makers.
async fn follow_on_requests(
    app: &App,
    user: &User,
    employee_id: &str,
    employee_version: i64,
    new: &EmployeeValues,
    changed: &[FieldChange],
) -> AppResult<Vec<worker::D1PreparedStatement>> {
    let identity: Vec<FieldChange> =
        changed.iter().filter(|c| c.field == "name" || c.field == "resident_id").cloned().collect();
    let mut statements = Vec::new();
    for request in enrollments::repo::requests_of_employee(app, employee_id, editable).await? {
        let token = new_id("chg")?;
        statements.push(enrollments::repo::follow_employee(
            app,
            &request.id,
            &token,
            employee_id,
            employee_version,
            &new.name,
            &new.resident_id,
        )?);
        statements.push(audit::entry(
            app,
            user,
            audit::Entry {
                action: audit_action::ENROLLMENT_EMPLOYEE_CHANGED,
                entity: "enrollment",
                entity_id: &request.id,
                changes: &identity,
            },
            true,
        )?);
        // Whoever changed what the request files is one of its makers.
        statements.push(enrollments::repo::add_maker(app, &request.id, &user.id, Some(&token))?);
    }
    Ok(statements)
}

/// The full ID number, for a user who may reveal it; the reveal itself is audited.
pub async fn reveal_id(app: &App, user: &User, id: &str) -> AppResult<(Change, String)> {
    let row = repo::visible_employee(app, user, id).await?;
    if !may_reveal_id(user.role, user.branch_id.as_deref(), &row.branch_id) {
        return Err(AppError::Forbidden);
    }
    let change = Change {
        statements: vec![audit::entry(
            app,
            user,
            audit::Entry { action: audit_action::EMPLOYEE_REVEAL_ID, entity: "employee", entity_id: id, changes: &[] },
            false,
        )?],
        guarded: None,
    };
    Ok((change, row.resident_id))
}
