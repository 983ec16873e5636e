//! What the claim routes do, over the domain's rules (`shebao_domain::claim`): who sees a
//! claim, its detail and timeline, the steps people take, the contribution check that
//! holds a claim and the re-check that resumes it by itself.

use super::repo::{self, ClaimRow, ClaimValues, DocumentRow};
use crate::alerts::{self, Escalated};
use crate::audit::{self, repo::EntryRow};
use crate::auth::User;
use crate::bank::{self, Bank};
use crate::crypto::new_id;
use crate::db::{commit, Change, Reads};
use crate::enrollments::executor::system;
use crate::error::{AppError, AppResult};
use crate::runs::service::{date, today};
use crate::App;
use shebao_domain::api::{action_label_zh, field_label_zh, ClaimDetail, ClaimDocument, ClaimStep, ClaimSummary, FieldChange, NextStep};
use shebao_domain::calendar::china_date;
use shebao_domain::claim::{
    available_actions, held_item, held_message, holding_months, hr_message, may_review_claims, missing_documents,
    months_checked, resumed_message, submission, transition, waited, ClaimAction, ClaimActor, ClaimError, ClaimKind,
    ClaimState, DocumentKind, MonthOnRecord, ValidClaim,
};
use shebao_domain::money::{fen, format_yuan, from_fen};
use shebao_domain::run::{ContributionStatus, RunState};
use shebao_domain::self_service::mask_card;
use shebao_domain::{Lang, Period};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

pub fn state_of(row: &ClaimRow) -> AppResult<ClaimState> {
    ClaimState::from_code(&row.state).ok_or_else(|| AppError::Internal(format!("claim state {}", row.state)))
}

fn is_claimant(user: &User, row: &ClaimRow) -> bool {
    user.employee_id.as_deref() == Some(row.employee_id.as_str())
}

fn actor(user: &User, row: &ClaimRow) -> ClaimActor {
    ClaimActor::user(user.role, is_claimant(user, row))
}

/// The claim, for its claimant and its reviewers (404 if there is none, 403 for anyone else).
pub async fn visible(app: &App, user: &User, id: &str) -> AppResult<ClaimRow> {
    seen(user, repo::claim(app, id).await?)
}

/// The claim read, if there is one (404) and `user` is its claimant or a reviewer (403).
fn seen(user: &User, row: Option<ClaimRow>) -> AppResult<ClaimRow> {
    let row = row.ok_or(AppError::NotFound)?;
    if is_claimant(user, &row) || may_review_claims(user.role, user.branch_id.as_deref(), &row.branch_id) {
        Ok(row)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Document `doc` of claim `id`, for those who see the claim: both read in one round trip.
pub async fn visible_document(app: &App, user: &User, id: &str, doc: &str) -> AppResult<DocumentRow> {
    let mut reads = Reads::default();
    let (claim, document) = (reads.add(repo::claim_query(app, id)?), reads.add(repo::document(app, id, doc)?));
    let read = reads.send(&app.db).await?;
    seen(user, read.first(claim)?)?;
    read.first(document)?.ok_or(AppError::NotFound)
}

fn ms_of(iso: &str) -> AppResult<i64> {
    chrono::DateTime::parse_from_rfc3339(iso)
        .map(|t| t.timestamp_millis())
        .map_err(|_| AppError::Internal(format!("stored time {iso}")))
}

pub fn summary(row: &ClaimRow) -> AppResult<ClaimSummary> {
    let state = state_of(row)?;
    let kind = ClaimKind::from_code(&row.kind).ok_or_else(|| AppError::Internal(format!("claim kind {}", row.kind)))?;
    Ok(ClaimSummary {
        id: row.id.clone(),
        employee_id: row.employee_id.clone(),
        employee_name: row.employee_name.clone(),
        branch_id: row.branch_id.clone(),
        kind,
        kind_label: kind.label(Lang::Zh).into(),
        amount: from_fen(row.amount_fen),
        start_date: row.start_date.clone(),
        end_date: row.end_date.clone(),
        hospital: row.hospital.clone(),
        state,
        state_label: state.label(Lang::Zh).into(),
        submitted_at: row.submitted_at.clone(),
        updated_at: row.updated_at.clone(),
        version: row.version,
    })
}

fn months_of(row: &ClaimRow) -> AppResult<Vec<MonthOnRecord>> {
    row.months.as_deref().map_or(Ok(Vec::new()), |m| Ok(serde_json::from_str(m)?))
}

/// Claim `id` as `GET /api/claims/{id}` shows it to `user`, if they may see it: the claim,
/// its documents and its timeline, read in one round trip.
pub async fn read_detail(app: &App, user: &User, id: &str) -> AppResult<ClaimDetail> {
    let mut reads = Reads::default();
    let claim = reads.add(repo::claim_query(app, id)?);
    let documents = reads.add(repo::documents(app, id)?);
    let entries = reads.add(audit::repo::entries(app, "claim", id)?);
    let read = reads.send(&app.db).await?;
    let row = seen(user, read.first(claim)?)?;
    detail(app, user, &row, read.rows(documents)?, read.rows(entries)?)
}

fn detail(app: &App, user: &User, row: &ClaimRow, documents: Vec<DocumentRow>, entries: Vec<EntryRow>) -> AppResult<ClaimDetail> {
    let state = state_of(row)?;
    let documents = documents
        .into_iter()
        .map(|d| {
            let kind = DocumentKind::from_code(&d.kind).ok_or_else(|| AppError::Internal(format!("document kind {}", d.kind)))?;
            Ok(ClaimDocument {
                id: d.id,
                kind,
                kind_label: kind.label(Lang::Zh).into(),
                file_name: d.file_name,
                content_type: d.content_type,
                size: d.size,
                uploaded_at: d.uploaded_at,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let kinds: Vec<DocumentKind> = documents.iter().map(|d| d.kind).collect();
    let mut since = row.created_at.clone();
    let mut timeline = Vec::with_capacity(entries.len());
    for e in entries {
        let changes: Vec<FieldChange> = serde_json::from_str(&e.changes)?;
        if e.action != shebao_domain::audit::CLAIM_DOCUMENT {
            since = e.at.clone();
        }
        // What the step said: the months that held it, a reason, a receipt, a file.
        let note = changes
            .iter()
            .filter(|c| c.field != "state")
            .filter_map(|c| c.after.as_ref().map(|a| format!("{}：{a}", c.label)))
            .collect::<Vec<_>>();
        timeline.push(ClaimStep {
            at: e.at,
            actor_name: e.actor_name,
            label: action_label_zh(&e.action).into(),
            note: (!note.is_empty()).then(|| note.join("；")),
        });
    }
    let next = state.next_step(Lang::Zh).map(|(step, holder)| -> AppResult<NextStep> {
        Ok(NextStep { step: step.into(), holder: holder.into(), waited: waited(app.now_ms - ms_of(&since)?, Lang::Zh), since: since.clone() })
    });
    let months = months_of(row)?;
    Ok(ClaimDetail {
        claim: summary(row)?,
        missing_documents: missing_documents(&kinds),
        documents,
        timeline,
        next: next.transpose()?,
        actions: available_actions(state, actor(user, row)),
        held_message: (state == ClaimState::Held).then(|| held_message(&holding_months(&months), Lang::Zh)),
        months,
        reject_reason: row.reject_reason.clone(),
        receipt_no: row.receipt_no.clone(),
        paid_on: row.paid_on.clone(),
    })
}

fn noted(field: &str, after: String) -> FieldChange {
    FieldChange { field: field.into(), label: field_label_zh(field).into(), before: None, after: Some(after) }
}

fn state_change(from: ClaimState, to: ClaimState) -> FieldChange {
    FieldChange {
        field: "state".into(),
        label: field_label_zh("state").into(),
        before: Some(from.label(Lang::Zh).into()),
        after: Some(to.label(Lang::Zh).into()),
    }
}

// ---- creating and documenting ----

/// A draft of the signed-in employee's claim, with its audit entry: (id, statements).
pub async fn create(app: &App, user: &User, claim: &ValidClaim) -> AppResult<(String, Change)> {
    let employee_id = user
        .employee_id
        .as_deref()
        .ok_or_else(|| AppError::ForbiddenBecause("只有员工本人可以申请报销".into()))?;
    let branch_id = repo::employee_branch(app, employee_id).await?.ok_or(AppError::Forbidden)?;
    let id = new_id("clm")?;
    let token = new_id("chg")?;
    let changes = [
        noted("kind", claim.kind.label(Lang::Zh).into()),
        noted("amount", format_yuan(claim.amount)),
        noted("start_date", claim.start_date.to_string()),
        noted("end_date", claim.end_date.to_string()),
        noted("hospital", claim.hospital.clone()),
    ];
    let statements = vec![
        repo::insert(
            app,
            &repo::NewClaimRow {
                id: &id,
                employee_id,
                branch_id: &branch_id,
                kind: claim.kind.code(),
                amount_fen: fen(claim.amount),
                start_date: claim.start_date.to_string(),
                end_date: claim.end_date.to_string(),
                hospital: &claim.hospital,
                created_by: &user.id,
                token: &token,
            },
        )?,
        audit::entry(app, user, audit::Entry { action: shebao_domain::audit::CLAIM_CREATE, entity: "claim", entity_id: &id, changes: &changes }, true)?,
    ];
    Ok((id, Change { statements, guarded: Some(0) }))
}

// ---- the contribution check ----

/// The employee's last three months before today's, as the record shows them; months
/// before they were hired are not theirs to check.
pub async fn record(app: &App, row: &ClaimRow) -> AppResult<Vec<MonthOnRecord>> {
    let today = today(app)?;
    let hired = date(&row.hire_date)?;
    let periods: Vec<Period> = months_checked(today).into_iter().filter(|p| p.last_day() >= hired).collect();
    let names: Vec<String> = periods.iter().map(Period::to_string).collect();
    let runs = repo::months(app, &row.employee_id, &serde_json::to_string(&names)?).await?;
    periods
        .into_iter()
        .map(|period| {
            let run = runs.iter().find(|r| r.period == period.to_string());
            let status = run
                .map(|r| -> AppResult<ContributionStatus> {
                    let paid_on = r.paid_on.as_deref().map(date).transpose()?;
                    Ok(ContributionStatus::of(date(&r.due_date)?, paid_on, today))
                })
                .transpose()?;
            Ok(MonthOnRecord { period, status, run_state: run.and_then(|r| RunState::from_code(&r.state)) })
        })
        .collect()
}

/// The escalation of a held claim: HR has 24 hours, then it climbs as a run's does.
fn escalated(row: &ClaimRow) -> AppResult<Option<Escalated>> {
    let Some(held_ms) = row.held_ms else { return Ok(None) };
    let deadline = chrono::DateTime::from_timestamp_millis(held_ms + DAY_MS)
        .ok_or_else(|| AppError::Internal("held time".into()))?
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).ok_or_else(|| AppError::Internal("offset".into()))?)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    Ok(Some(Escalated {
        item: held_item(&row.id, held_ms),
        branch_id: row.branch_id.clone(),
        run_id: None,
        link: format!("/claims/{}", row.id),
        message: hr_message(&row.employee_name, &months_of(row)?, &deadline, Lang::Zh),
    }))
}

/// Every held claim's escalation item (for the cron).
pub async fn held_items(app: &App) -> AppResult<Vec<Escalated>> {
    let mut out = Vec::new();
    for row in repo::held(app, None).await? {
        out.extend(escalated(&row)?);
    }
    Ok(out)
}

/// Checks the held claims (of a branch whose month was just paid, or all) again: each one
/// whose months are all in order resumes by itself, its claimant and HR are told, and its
/// alerts resolve. Returns how many resumed.
pub async fn recheck(app: &App, branch_id: Option<&str>) -> AppResult<usize> {
    let mut resumed = 0;
    for row in repo::held(app, branch_id).await? {
        let months = record(app, &row).await?;
        if !holding_months(&months).is_empty() {
            continue;
        }
        let to = transition(ClaimState::Held, ClaimAction::Resume, ClaimActor::system()).map_err(AppError::Claim)?;
        let token = new_id("chg")?;
        let values = ClaimValues { months: Some(serde_json::to_string(&months)?), ..ClaimValues::default() };
        let message = resumed_message(&row.employee_name, Lang::Zh);
        let item = held_item(&row.id, 0).key;
        let mut statements = vec![
            repo::transition(app, &row, (ClaimState::Held.code(), to.code()), &token, &values)?,
            audit::entry(
                app,
                &system(),
                audit::Entry { action: &ClaimAction::Resume.audit_code(), entity: "claim", entity_id: &row.id, changes: &[state_change(ClaimState::Held, to)] },
                true,
            )?,
        ];
        let source = format!("claim:{}:resumed", row.id);
        statements.extend(repo::tell_claimant(app, &row, &source, &message, &token)?);
        statements.push(repo::tell_hr(app, &row, &source, &message, &token)?);
        statements.push(repo::resolve_alerts(app, &row, &item, &token)?);
        match commit(&app.db, Change { statements, guarded: Some(0) }).await {
            Ok(()) => resumed += 1,
            // Another instance resumed it first.
            Err(AppError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(resumed)
}

// ---- steps people take ----

/// What a step did beyond its transition, to do once it is committed.
pub enum After {
    Nothing,
    /// Held: raise HR's alert now, not at the next cron.
    Escalate(Box<ClaimRow>),
}

/// `user`'s `action` on the claim at `version`: the guarded transition, its audit entry and
/// whom it tells, as one batch. Paying asks the bank first (it pays a claim once).
pub async fn act(app: &App, user: &User, row: &ClaimRow, action: ClaimAction, version: i64, reason: Option<&str>) -> AppResult<(Change, After)> {
    if version != row.version {
        return Err(AppError::stale());
    }
    let from = state_of(row)?;
    let mut action = action;
    let mut values = ClaimValues::default();
    let mut extra = Vec::new();
    let mut tell = None;
    if action == ClaimAction::Submit {
        // The check is the server's: the employee only says "submit".
        transition(from, action, actor(user, row)).map_err(AppError::Claim)?;
        let kinds: Vec<DocumentKind> = repo::documents(app, &row.id)?
            .all(&app.db)
            .await?
            .iter()
            .filter_map(|d| DocumentKind::from_code(&d.kind))
            .collect();
        if !missing_documents(&kinds).is_empty() {
            return Err(AppError::Claim(ClaimError::MissingDocuments));
        }
        let months = record(app, row).await?;
        action = submission(&months);
        values.months = Some(serde_json::to_string(&months)?);
        values.submitted = true;
        if action == ClaimAction::SubmitHeld {
            let holding = holding_months(&months);
            values.held_ms = Some(app.now_ms);
            extra.push(noted("held_months", holding.iter().map(Period::to_string).collect::<Vec<_>>().join("、")));
            tell = Some((format!("claim:{}:held", row.id), held_message(&holding, Lang::Zh)));
        }
    }
    let to = transition(from, action, actor(user, row)).map_err(AppError::Claim)?;
    match action {
        ClaimAction::Reject => {
            let reason = shebao_domain::enrollment::action_reason(reason).map_err(|e| AppError::Validation(vec![e]))?;
            extra.push(noted("reject_reason", reason.clone()));
            tell = Some((format!("claim:{}:rejected", row.id), format!("您的医疗报销（{}）未通过：{reason}", row.hospital)));
            values.reject_reason = Some(reason);
        }
        ClaimAction::Pay => {
            let card = crate::employees::repo::employee(app, &row.employee_id)
                .await?
                .and_then(|e| e.bank_card)
                .ok_or_else(|| AppError::Conflict(format!("{} 尚未登记银行卡：请员工在「我的社保」登记，人事审核通过后再打款", row.employee_name)))?;
            let paid = bank::bank().pay(app, &row.id, &card, row.amount_fen).await?;
            let paid_on = china_date(paid.paid_at_ms).ok_or_else(|| AppError::Internal("bank clock".into()))?;
            extra.push(noted("receipt_no", format!("{}（模拟银行）", paid.receipt_no)));
            tell = Some((
                format!("claim:{}:paid", row.id),
                format!(
                    "您的医疗报销 {} 已打款到您的银行卡 {}（模拟银行回执号 {}）",
                    format_yuan(from_fen(row.amount_fen)),
                    mask_card(&card),
                    paid.receipt_no
                ),
            ));
            values.receipt_no = Some(paid.receipt_no);
            values.paid_on = Some(paid_on.to_string());
        }
        _ => {}
    }
    let token = new_id("chg")?;
    let mut changes = vec![state_change(from, to)];
    changes.extend(extra);
    let mut statements = vec![
        repo::transition(app, row, (from.code(), to.code()), &token, &values)?,
        audit::entry(app, user, audit::Entry { action: &action.audit_code(), entity: "claim", entity_id: &row.id, changes: &changes }, true)?,
    ];
    if let Some((source, message)) = tell {
        statements.extend(repo::tell_claimant(app, row, &source, &message, &token)?);
    }
    let after = if to == ClaimState::Held {
        let mut held = row.clone();
        held.held_ms = values.held_ms;
        held.months = values.months.clone();
        After::Escalate(Box::new(held))
    } else {
        After::Nothing
    };
    Ok((Change { statements, guarded: Some(0) }, after))
}

/// Raises a just-held claim's level-1 alert (HR, 24 hours); if this fails the cron does it.
pub async fn escalate_now(app: &App, row: &ClaimRow) -> AppResult<()> {
    match escalated(row)? {
        Some(item) => alerts::raise(app, &[item]).await,
        None => Ok(()),
    }
}
