//! Employee self-service requests (`shebao_domain::self_service`): the employee asks to
//! change their contact details or bank card, or for a review of their base; HR of their
//! branch approves or rejects with a reason; an approved change takes effect on the record
//! in the same batch as the decision and its audit entries.

pub mod repo;

use crate::audit;
use crate::auth::User;
use crate::crypto::new_id;
use crate::db::Change;
use crate::employees::repo::employee;
use crate::error::{AppError, AppResult};
use crate::http::json;
use crate::idempotency::{self, Begin};
use crate::App;
use serde::{Deserialize, Serialize};
use shebao_domain::api::{ChangeDecision, ChangeView, FieldChange, NewChange};
use shebao_domain::role::Scope;
use shebao_domain::self_service::{may_review_changes, mask_card, ChangeKind, ChangeState, Decision, ValidChange};
use shebao_domain::Lang;
use worker::{Request, Response};

/// What takes effect on approval (a new card in full: never shown, never answered).
#[derive(Serialize, Deserialize, Default)]
struct Payload {
    phone: Option<String>,
    email: Option<String>,
    bank_card: Option<String>,
}

fn view(r: repo::ChangeRow) -> AppResult<ChangeView> {
    let kind = ChangeKind::from_code(&r.kind).ok_or_else(|| AppError::Internal(format!("change kind {}", r.kind)))?;
    let state = ChangeState::from_code(&r.state).ok_or_else(|| AppError::Internal(format!("change state {}", r.state)))?;
    Ok(ChangeView {
        id: r.id,
        employee_id: r.employee_id,
        employee_name: r.employee_name,
        branch_id: r.branch_id,
        kind,
        kind_label: kind.label(Lang::Zh).into(),
        summary: r.summary,
        state,
        state_label: state.label(Lang::Zh).into(),
        decided_by: r.decided_by_name,
        decided_at: r.decided_at,
        decision_reason: r.decision_reason,
        created_at: r.created_at,
        version: r.version,
    })
}

fn own_employee(user: &User) -> AppResult<&str> {
    user.employee_id.as_deref().ok_or_else(|| AppError::ForbiddenBecause("只有员工本人可以提交变更申请".into()))
}

/// `POST /api/me/changes` (the employee, about themselves only): a pending request, 201.
pub async fn create(mut req: Request, app: &App, user: &User) -> AppResult<Response> {
    let (form, key) = match idempotency::begin::<NewChange>(&mut req, app, user).await? {
        Begin::Replay(stored) => return stored.into_response(),
        Begin::New(form, key) => (form, key),
    };
    let employee_id = own_employee(user)?;
    let change = form.parse().map_err(AppError::Validation)?;
    let payload = match &change {
        ValidChange::Contact { phone, email } => Payload { phone: phone.clone(), email: email.clone(), bank_card: None },
        ValidChange::BankCard(card) => Payload { bank_card: Some(card.number().into()), ..Payload::default() },
        ValidChange::BaseReview { .. } => Payload::default(),
    };
    let summary = change.summary(Lang::Zh);
    let id = new_id("chq")?;
    let token = new_id("chg")?;
    let kind = change.kind();
    let changes = [FieldChange { field: "kind".into(), label: kind.label(Lang::Zh).into(), before: None, after: Some(summary.clone()) }];
    let statements = vec![
        repo::insert(
            app,
            &repo::NewChangeRow { id: &id, employee_id, kind: kind.code(), payload: serde_json::to_string(&payload)?, summary: &summary, created_by: &user.id, token: &token },
        )?,
        audit::entry(
            app,
            user,
            audit::Entry { action: shebao_domain::audit::EMPLOYEE_CHANGE_CREATE, entity: "employee_change", entity_id: &id, changes: &changes },
            true,
        )?,
    ];
    let record = employee(app, employee_id).await?.ok_or(AppError::NotFound)?;
    let created = ChangeView {
        id: id.clone(),
        employee_id: employee_id.into(),
        employee_name: record.name,
        branch_id: record.branch_id,
        kind,
        kind_label: kind.label(Lang::Zh).into(),
        summary,
        state: ChangeState::Pending,
        state_label: ChangeState::Pending.label(Lang::Zh).into(),
        decided_by: None,
        decided_at: None,
        decision_reason: None,
        created_at: app.now_iso.clone(),
        version: 1,
    };
    idempotency::commit_with_key(app, user, key.as_ref(), Change { statements, guarded: Some(0) }, 201, &created).await
}

/// `GET /api/me/changes`: the employee's own requests and their state.
pub async fn mine(app: &App, user: &User) -> AppResult<Response> {
    let rows = repo::list(app, Some(own_employee(user)?), None, None).await?;
    json(&rows.into_iter().map(view).collect::<AppResult<Vec<_>>>()?, 200)
}

/// `GET /api/changes?state=`: the requests HR decides (its branch's; the HR manager's all).
pub async fn list(req: &Request, app: &App, user: &User) -> AppResult<Response> {
    let state = crate::http::state_filter(req, |s| ChangeState::from_code(s).map(ChangeState::code), "未知的申请状态")?;
    let branch = match user.role.employee_scope() {
        Scope::Branch => Some(user.branch_id.as_deref().ok_or(AppError::Forbidden)?),
        _ => None,
    };
    if !may_review_changes(user.role, user.branch_id.as_deref(), branch.unwrap_or_default()) {
        return Err(AppError::Forbidden);
    }
    let rows = repo::list(app, None, branch, state).await?;
    json(&rows.into_iter().map(view).collect::<AppResult<Vec<_>>>()?, 200)
}

/// `POST /api/changes/{id}/{approve|reject}` {version, reason}: HR's decision; an approved
/// contact or card change is on the record from this batch on.
pub async fn decide(mut req: Request, app: &App, user: &User, id: &str, route: &str) -> AppResult<Response> {
    let decision = Decision::from_route(route).ok_or(AppError::NotFound)?;
    let (body, key) = match idempotency::begin::<ChangeDecision>(&mut req, app, user).await? {
        Begin::Replay(stored) => return stored.into_response(),
        Begin::New(body, key) => (body, key),
    };
    let row = repo::change(app, id).await?.ok_or(AppError::NotFound)?;
    if !may_review_changes(user.role, user.branch_id.as_deref(), &row.branch_id) {
        return Err(AppError::Forbidden);
    }
    if body.version != row.version {
        return Err(AppError::stale());
    }
    let from = ChangeState::from_code(&row.state).ok_or_else(|| AppError::Internal(format!("change state {}", row.state)))?;
    let to = decision.apply(from).ok_or_else(|| AppError::Conflict("该申请已经审核过了".into()))?;
    let reason = match decision {
        Decision::Reject => Some(shebao_domain::enrollment::action_reason(body.reason.as_deref()).map_err(|e| AppError::Validation(vec![e]))?),
        Decision::Approve => body.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_string),
    };
    let token = new_id("chg")?;
    let mut changes = vec![FieldChange {
        field: "state".into(),
        label: shebao_domain::api::field_label_zh("state").into(),
        before: Some(from.label(Lang::Zh).into()),
        after: Some(to.label(Lang::Zh).into()),
    }];
    changes.extend(reason.clone().map(|r| audit::diff("decision_reason", None, Some(r))).into_iter().flatten());
    let mut statements = vec![
        repo::decide(app, &row, to.code(), &user.id, reason.as_deref(), &token)?,
        audit::entry(app, user, audit::Entry { action: decision.audit_code(), entity: "employee_change", entity_id: id, changes: &changes }, true)?,
    ];
    let kind = ChangeKind::from_code(&row.kind).ok_or_else(|| AppError::Internal(format!("change kind {}", row.kind)))?;
    if to == ChangeState::Approved && kind != ChangeKind::BaseReview {
        let payload: Payload = serde_json::from_str(&row.payload)?;
        let before = employee(app, &row.employee_id).await?.ok_or(AppError::NotFound)?;
        let record_changes: Vec<FieldChange> = [
            payload.phone.as_ref().and_then(|p| audit::diff("phone", before.phone.clone(), Some(p.clone()))),
            payload.email.as_ref().and_then(|e| audit::diff("email", before.email.clone(), Some(e.clone()))),
            payload.bank_card.as_deref().and_then(|c| audit::diff("bank_card", before.bank_card.as_deref().map(mask_card), Some(mask_card(c)))),
        ]
        .into_iter()
        .flatten()
        .collect();
        statements.push(repo::apply(app, &row, payload.phone.as_deref(), payload.email.as_deref(), payload.bank_card.as_deref(), &token)?);
        statements.push(audit::entry(
            app,
            user,
            audit::Entry { action: shebao_domain::audit::EMPLOYEE_UPDATE, entity: "employee", entity_id: &row.employee_id, changes: &record_changes },
            true,
        )?);
    }
    let told = match (to, &reason) {
        (ChangeState::Approved, _) => format!("您的「{}」申请已通过：{}", kind.label(Lang::Zh), row.summary),
        (_, Some(r)) => format!("您的「{}」申请未通过：{r}", kind.label(Lang::Zh)),
        (_, None) => format!("您的「{}」申请未通过", kind.label(Lang::Zh)),
    };
    statements.push(repo::tell_employee(app, &row, &told, &token)?);
    let mut decided = view(row)?;
    decided.state = to;
    decided.state_label = to.label(Lang::Zh).into();
    decided.decided_by = Some(user.display_name.clone());
    decided.decided_at = Some(app.now_iso.clone());
    decided.decision_reason = reason;
    decided.version += 1;
    idempotency::commit_with_key(app, user, key.as_ref(), Change { statements, guarded: Some(0) }, 200, &decided).await
}
