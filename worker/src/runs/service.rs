//! The monthly run: creating it, generating its lines a chunk at a time, moving it through
//! its states, paying it at the bureau and archiving it. The rules are the domain's
//! (`shebao_domain::run`); this module reads and writes.

use super::repo::{self, LineValues, RunRow, RunValues};
use crate::audit;
use crate::auth::service::Asker;
use crate::auth::User;
use crate::bureau::{self, Bureau, BureauError};
use crate::crypto::new_id;
use crate::alerts;
use crate::db::{commit, Change, Reads};
use crate::enrollments::executor::system;
use crate::enrollments::service::{filed, hukou_of, period};
use crate::enrollments::repo::filed_requests_after;
use crate::error::{AppError, AppResult};
use crate::settings;
use crate::App;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use shebao_domain::api::{
    field_label_zh, ChangeKind, FieldChange, NextPage, RunChange, RunDetail, RunEmployeeLines, RunSummary, TypeLine,
};
use shebao_domain::calendar::china_date;
use shebao_domain::contribution::Terms;
use shebao_domain::late_fee::late_fee;
use shebao_domain::money::{fen, from_fen};
use shebao_domain::policy::{policy_for, City, InsuranceType};
use shebao_domain::pricing::Filed;
use shebao_domain::run::{
    available_actions, lines_of, may_see_run, transition, BudgetCheck, Registered, RunAction, RunActor, RunState, Standing,
};
use shebao_domain::{Lang, Period};
use std::collections::BTreeMap;

/// Employees per generation chunk: one D1 batch of about 150 statements.
pub const CHUNK: i64 = 400;
/// Employees (each with their lines on one row) per page of a run's lines, and changes per
/// page of its changes: what a screen shows, and a few dozen rows a read.
const PAGE_EMPLOYEES: i64 = 20;
const PAGE_CHANGES: i64 = 20;

pub fn run_id(branch_id: &str, period: Period) -> String {
    format!("run-{branch_id}-{period}")
}

pub fn state_of(row: &RunRow) -> AppResult<RunState> {
    RunState::from_code(&row.state).ok_or_else(|| AppError::Internal(format!("run state {}", row.state)))
}

fn city_of(row: &RunRow) -> AppResult<City> {
    City::from_code(&row.city).ok_or_else(|| AppError::Internal(format!("city {}", row.city)))
}

pub fn date(s: &str) -> AppResult<NaiveDate> {
    s.parse().map_err(|_| AppError::Internal(format!("stored date {s}")))
}

/// Today in China, by the app's clock.
pub fn today(app: &App) -> AppResult<NaiveDate> {
    china_date(app.now_ms).ok_or_else(|| AppError::Internal("clock out of range".into()))
}

/// The deadline of `city`'s `period`, by its policy (working-day aware).
pub fn due_date(city: City, period: Period) -> AppResult<NaiveDate> {
    policy_for(city, period)
        .map(|p| p.due_date(period))
        .ok_or_else(|| AppError::field("period", "run.no_policy", "该城市此月份没有社保政策数据", "No policy for this city and month"))
}

pub fn summary(row: &RunRow, today: NaiveDate) -> AppResult<RunSummary> {
    let state = state_of(row)?;
    let due = date(&row.due_date)?;
    let standing = Standing::of(Some(state), due, today);
    let (employer, employee) = (from_fen(row.employer_fen), from_fen(row.employee_fen));
    Ok(RunSummary {
        id: row.id.clone(),
        branch_id: row.branch_id.clone(),
        branch_name: row.branch_name.clone(),
        period: row.period.clone(),
        state,
        state_label: state.label(Lang::Zh).into(),
        employees_done: row.employees_done.max(0) as u32,
        employees_total: row.employees_total.max(0) as u32,
        employees: row.employees.max(0) as u32,
        employer_total: employer,
        employee_total: employee,
        total: employer + employee,
        due_date: row.due_date.clone(),
        budget: BudgetCheck::of(employer + employee, row.budget_fen.map(from_fen)),
        receipt_no: row.receipt_no.clone(),
        paid_on: row.paid_on.clone(),
        late_fee: row.late_fee_fen.map(from_fen),
        standing,
        countdown: standing.countdown(Lang::Zh),
        version: row.version,
    })
}

/// The run, if the user may see it (404 when there is none, 403 when it is another branch's).
pub async fn visible_run(app: &App, user: &User, id: &str) -> AppResult<RunRow> {
    seen(user, repo::run(app, id).await?)
}

/// The run read (`repo::run_query`), if there is one (404) and the user may see it (403).
pub fn seen(user: &User, row: Option<RunRow>) -> AppResult<RunRow> {
    let row = row.ok_or(AppError::NotFound)?;
    if !may_see_run(user.role, user.branch_id.as_deref(), &row.branch_id) {
        return Err(AppError::Forbidden);
    }
    Ok(row)
}

fn actor(user: &User, row: &RunRow) -> RunActor {
    RunActor::user(user.role, row.confirmed_by.as_deref() == Some(user.id.as_str()))
}

/// Run `id` as its page shows it, if the asker may see it: the run, its alert level, its
/// first page of employees' lines and of its changes from the month before, in one round
/// trip (the session's read with them).
pub async fn read_detail(app: &App, asker: Asker<'_>, id: &str) -> AppResult<RunDetail> {
    let mut reads = Reads::default();
    let run = reads.add(repo::run_query(app, id)?);
    let level = reads.add(alerts::repo::run_level(app, id)?);
    let lines = reads.add(repo::lines(app, id, "", PAGE_EMPLOYEES + 1)?);
    let changes = reads.add(repo::changes(app, id, "", PAGE_CHANGES + 1)?);
    let (user, read) = asker.send(app, reads).await?;
    let row = seen(&user, read.first(run)?)?;
    let state = state_of(&row)?;
    Ok(RunDetail {
        run: summary(&row, today(app)?)?,
        actions: available_actions(state, actor(&user, &row)).into_iter().filter(|a| a.by_person()).collect(),
        confirmed_by: row.confirmed_by_name.clone(),
        approved_by: row.approved_by_name.clone(),
        approval_reason: row.approval_reason.clone(),
        reject_reason: row.reject_reason.clone(),
        lines: line_page(read.rows(lines)?)?,
        changes: change_page(read.rows(changes)?),
        alert_level: alerts::repo::MaxLevel::of(read.first(level)?),
    })
}

/// The page of employees' lines after employee `after`, if the asker may see the run.
pub async fn read_lines(app: &App, asker: Asker<'_>, id: &str, after: &str) -> AppResult<NextPage<RunEmployeeLines>> {
    let mut reads = Reads::default();
    let run = reads.add(repo::run_query(app, id)?);
    let lines = reads.add(repo::lines(app, id, after, PAGE_EMPLOYEES + 1)?);
    let (user, read) = asker.send(app, reads).await?;
    seen(&user, read.first(run)?)?;
    line_page(read.rows(lines)?)
}

/// The page of the run's changes after employee `after`, if the asker may see the run.
pub async fn read_changes(app: &App, asker: Asker<'_>, id: &str, after: &str) -> AppResult<NextPage<RunChange>> {
    let mut reads = Reads::default();
    let run = reads.add(repo::run_query(app, id)?);
    let changes = reads.add(repo::changes(app, id, after, PAGE_CHANGES + 1)?);
    let (user, read) = asker.send(app, reads).await?;
    seen(&user, read.first(run)?)?;
    Ok(change_page(read.rows(changes)?))
}

fn line_page(rows: Vec<repo::EmployeeLinesRow>) -> AppResult<NextPage<RunEmployeeLines>> {
    let employees = rows.into_iter().map(employee_lines).collect::<AppResult<Vec<_>>>()?;
    Ok(NextPage::of(employees, PAGE_EMPLOYEES as usize, |e| e.employee_id.clone()))
}

fn change_page(rows: Vec<repo::ChangeRow>) -> NextPage<RunChange> {
    let changes = rows
        .into_iter()
        .map(|c| RunChange {
            kind: match (c.before_fen, c.after_fen) {
                (None, _) => ChangeKind::Added,
                (_, None) => ChangeKind::Stopped,
                _ => ChangeKind::BaseChanged,
            },
            employee_id: c.employee_id,
            employee_name: c.employee_name,
            before: c.before_fen.map(from_fen),
            after: c.after_fen.map(from_fen),
        })
        .collect();
    NextPage::of(changes, PAGE_CHANGES as usize, |c| c.employee_id.clone())
}

/// An employee's lines as `repo::lines` reads them, the types in their usual order.
pub fn employee_lines(row: repo::EmployeeLinesRow) -> AppResult<RunEmployeeLines> {
    let read: Vec<(String, i64, i64, i64)> = serde_json::from_str(&row.lines)?;
    let mut lines = read
        .into_iter()
        .map(|(code, base_fen, employer_fen, employee_fen)| type_line(&code, base_fen, employer_fen, employee_fen))
        .collect::<AppResult<Vec<_>>>()?;
    lines.sort_by_key(|l| l.insurance_type);
    Ok(RunEmployeeLines { employee_id: row.employee_id, employee_name: row.employee_name, lines })
}

pub fn type_line(code: &str, base_fen: i64, employer_fen: i64, employee_fen: i64) -> AppResult<TypeLine> {
    Ok(TypeLine {
        insurance_type: InsuranceType::from_code(code).ok_or_else(|| AppError::Internal(format!("insurance type {code}")))?,
        base: from_fen(base_fen),
        employer_amount: from_fen(employer_fen),
        employee_amount: from_fen(employee_fen),
    })
}

fn state_change(from: RunState, to: RunState) -> FieldChange {
    noted("state", Some(from.label(Lang::Zh).into()), to.label(Lang::Zh).into())
}

fn noted(field: &str, before: Option<String>, after: String) -> FieldChange {
    FieldChange { field: field.into(), label: field_label_zh(field).into(), before, after: Some(after) }
}

// ---- creation ----

/// What `POST /api/runs` did.
pub enum Created {
    /// A new run, generating: its first chunk is to be queued.
    New(String),
    /// The branch already has this month's run (regenerated if it was unconfirmed).
    Existing(String),
}

/// Creates the branch's run for `period` (generating), or regenerates an existing one that
/// HR has not confirmed; an existing run in any other state is left as it is.
pub async fn create(app: &App, user: &User, branch_id: &str, raw_period: &str) -> AppResult<Created> {
    let period = Period::parse(raw_period).map_err(|e| AppError::Validation(vec![e.to_field_error("period")]))?;
    if period > Period::of(today(app)?).next() {
        return Err(AppError::field("period", "run.too_early", "最多只能生成下个月的缴费清单", "At most next month's run can be generated"));
    }
    let branch = repo::branch(app, branch_id).await?.ok_or_else(|| {
        AppError::field("branch_id", "run.unknown_branch", "没有这个分公司", "No such branch")
    })?;
    if !shebao_domain::run::may_prepare(user.role) || !may_see_run(user.role, user.branch_id.as_deref(), &branch.id) {
        return Err(AppError::Forbidden);
    }
    if let Some(row) = repo::run(app, &run_id(&branch.id, period)).await? {
        let regenerate = state_of(&row)? == RunState::Generated;
        if regenerate {
            commit(&app.db, act(app, user, &row, RunAction::Regenerate, row.version, None)?).await?;
        }
        return Ok(Created::Existing(row.id));
    }
    open(app, user, &branch, period).await
}

/// Opens the branch's run of `period`, generating, with its audit entry (by `by`: a person,
/// or the system at the start of the month). Two at once open one run.
pub async fn open(app: &App, by: &User, branch: &repo::BranchBudget, period: Period) -> AppResult<Created> {
    let id = run_id(&branch.id, period);
    let city = City::from_code(&branch.city).ok_or_else(|| AppError::Internal(format!("city {}", branch.city)))?;
    let due = due_date(city, period)?;
    let token = new_id("chg")?;
    let changes = [
        noted("period", None, period.to_string()),
        noted("state", None, RunState::Generating.label(Lang::Zh).into()),
    ];
    let statements = vec![
        repo::insert(app, &id, branch, &period.to_string(), &due.to_string(), &token)?,
        audit::entry(app, by, audit::Entry { action: shebao_domain::audit::RUN_CREATE, entity: "run", entity_id: &id, changes: &changes }, true)?,
    ];
    match commit(&app.db, Change { statements, guarded: Some(0) }).await {
        Ok(()) => Ok(Created::New(id)),
        // Another request opened it first.
        Err(AppError::Conflict(_)) => Ok(Created::Existing(id)),
        Err(e) => Err(e),
    }
}

// ---- transitions by people ----

/// A person's `action` on the run at `version`: the guarded transition and its audit entry,
/// to commit as one batch.
pub fn act(app: &App, user: &User, row: &RunRow, action: RunAction, version: i64, reason: Option<&str>) -> AppResult<Change> {
    if !action.by_person() {
        return Err(AppError::NotFound);
    }
    if version != row.version {
        return Err(AppError::stale());
    }
    let from = state_of(row)?;
    let to = transition(from, action, actor(user, row)).map_err(AppError::Run)?;
    let mut values = RunValues::default();
    let mut changes = vec![state_change(from, to)];
    match action {
        RunAction::Confirm => values.confirmed_by = Some(user.id.clone()),
        RunAction::Approve => {
            let summary = summary(row, today(app)?)?;
            let reason = summary.budget.approval_reason(reason).map_err(|e| AppError::Validation(vec![e]))?;
            if let Some(r) = &reason {
                changes.push(noted("approval_reason", None, r.clone()));
            }
            values.approved_by = Some(user.id.clone());
            values.approval_reason = reason;
        }
        RunAction::Reject => {
            let reason = shebao_domain::enrollment::action_reason(reason).map_err(|e| AppError::Validation(vec![e]))?;
            changes.push(noted("reject_reason", None, reason.clone()));
            values.reject_reason = Some(reason);
        }
        RunAction::Regenerate => values.restart = true,
        _ => {}
    }
    let token = new_id("chg")?;
    let statements = vec![
        repo::transition(app, row, (from.code(), to.code()), &token, &values)?,
        audit::entry(app, user, audit::Entry { action: &action.audit_code(), entity: "run", entity_id: &row.id, changes: &changes }, true)?,
    ];
    Ok(Change { statements, guarded: Some(0) })
}

/// A system transition (generation finished, the bureau's receipt, archiving) with the
/// statements that depend on it, in one batch; `Ok(false)` when another instance got there
/// first.
async fn system_step(
    app: &App,
    row: &RunRow,
    action: RunAction,
    values: RunValues,
    mut changes: Vec<FieldChange>,
    then: impl FnOnce(&str) -> AppResult<Vec<worker::D1PreparedStatement>>,
) -> AppResult<bool> {
    let from = state_of(row)?;
    let to = transition(from, action, RunActor::system()).map_err(AppError::Run)?;
    changes.insert(0, state_change(from, to));
    let token = new_id("chg")?;
    let mut statements = vec![
        repo::transition(app, row, (from.code(), to.code()), &token, &values)?,
        audit::entry(app, &system(), audit::Entry { action: &action.audit_code(), entity: "run", entity_id: &row.id, changes: &changes }, true)?,
    ];
    statements.extend(then(&token)?);
    match commit(&app.db, Change { statements, guarded: Some(0) }).await {
        Ok(()) => Ok(true),
        Err(AppError::Conflict(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

// ---- generation ----

/// What a chunk did.
#[derive(Debug, PartialEq, Eq)]
pub enum Chunk {
    /// More employees follow: queue the next chunk.
    More,
    /// The run is generated.
    Done,
    /// Nothing to do: the run is not generating (any more), or this delivery is stale.
    Nothing,
}

/// Generates the next chunk of the run's lines (generation `generation`): the branch's next
/// `CHUNK` employees after the cursor, their lines upserted and the cursor advanced in one
/// batch. A chunk delivered twice finds the cursor moved and writes nothing; a crash before
/// the commit leaves the cursor where it was, so the chunk is done again, never half.
pub async fn generate_chunk(app: &App, run_id: &str, generation: i64) -> AppResult<Chunk> {
    let Some(row) = repo::run(app, run_id).await? else { return Ok(Chunk::Nothing) };
    if row.state != RunState::Generating.code() || row.generation != generation {
        return Ok(Chunk::Nothing);
    }
    let city = city_of(&row)?;
    let month = period(&row.period)?;
    let policy = policy_for(city, month).ok_or_else(|| AppError::Internal(format!("no policy {city:?} {month}")))?;
    let employer = settings::employer_rates(app, city).await?;
    let employees = repo::employees_after(app, &row.branch_id, &row.cursor, CHUNK).await?;
    let mut history: BTreeMap<String, Vec<Filed>> = BTreeMap::new();
    for r in filed_requests_after(app, &row.branch_id, &row.cursor, CHUNK).await? {
        history.entry(r.employee_id.clone()).or_default().push(filed(&r)?);
    }
    let mut lines: Vec<LineValues> = Vec::with_capacity(employees.len() * policy.lines.len());
    for e in &employees {
        let registered = Registered { hire_date: date(&e.hire_date)?, active: e.status == "active", salary: from_fen(e.salary_fen) };
        let terms = Terms { employer, hukou: hukou_of(&e.hukou) };
        let filed = history.get(&e.id).map_or(&[][..], Vec::as_slice);
        let computed = lines_of(policy, month, registered, filed, &terms).map_err(|err| AppError::Internal(err.message_zh()))?;
        lines.extend(computed.into_iter().map(|l| {
            (e.id.clone(), l.insurance_type.code(), fen(l.base), fen(l.employer_amount), fen(l.employee_amount))
        }));
    }
    let last = employees.last().map(|e| e.id.clone());
    let more = employees.len() as i64 == CHUNK;
    if let Some(last) = &last {
        let token = new_id("chg")?;
        let mut statements = vec![repo::advance(app, &row, last, employees.len() as i64, &token)?];
        for part in lines.chunks(repo::LINES_PER_STATEMENT) {
            statements.push(repo::upsert_lines(app, &row, part, &token)?);
        }
        if let Err(e) = commit(&app.db, Change { statements, guarded: Some(0) }).await {
            return match e {
                // Another delivery of this chunk committed first.
                AppError::Conflict(_) => Ok(Chunk::Nothing),
                e => Err(e),
            };
        }
    }
    if more {
        return Ok(Chunk::More);
    }
    let row = repo::run(app, run_id).await?.ok_or(AppError::NotFound)?;
    let finished = system_step(app, &row, RunAction::FinishGeneration, RunValues::default(), Vec::new(), |token| {
        repo::finish_statements(app, &row, &self::run_id(&row.branch_id, month.prev()), &self::run_id(&row.branch_id, month.next()), token)
    })
    .await?;
    Ok(if finished { Chunk::Done } else { Chunk::Nothing })
}

// ---- paying and archiving ----

/// Pays a submitted run at the bureau and archives it: the receipt, the day it was paid
/// (China time) and the late fee on its social insurance if that is after the deadline;
/// then every employee is told. `Ok(false)`: the bureau could not be reached (the cron
/// tries again).
pub async fn pay(app: &App, row: &RunRow) -> AppResult<bool> {
    if state_of(row)? != RunState::Submitted {
        return Ok(true);
    }
    let total = row.employer_fen + row.employee_fen;
    let receipt = match bureau::bureau().pay(app, &row.id, total).await? {
        Ok(receipt) => receipt,
        Err(BureauError::Unavailable(why) | BureauError::Refused(why)) => {
            worker::console_error!("paying run {}: {why}", row.id);
            return Ok(false);
        }
    };
    let paid_on = china_date(receipt.filed_at).ok_or_else(|| AppError::Internal("bureau clock".into()))?;
    let arrears = from_fen(super::repo::social_insurance_fen(app, &row.id).await?);
    let fee = late_fee(arrears, date(&row.due_date)?, paid_on);
    let mut changes = vec![
        noted("receipt_no", None, receipt.receipt_no.clone()),
        noted("paid_on", None, paid_on.to_string()),
    ];
    if fee.amount > Decimal::ZERO {
        changes.push(noted("late_fee", None, fee.explanation.clone()));
    }
    let values = RunValues {
        receipt_no: Some(receipt.receipt_no.clone()),
        paid_on: Some(paid_on.to_string()),
        late_fee_fen: Some(fen(fee.amount)),
        ..RunValues::default()
    };
    system_step(app, row, RunAction::BureauPays, values, changes, |_| Ok(Vec::new())).await?;
    let Some(paid) = repo::run(app, &row.id).await? else { return Ok(true) };
    archive(app, &paid).await?;
    Ok(true)
}

/// Archives a paid run: the receipt is on every employee's record (their lines are read
/// with the run's receipt), each is told in the app and by SMS.
pub async fn archive(app: &App, row: &RunRow) -> AppResult<()> {
    if state_of(row)? != RunState::Paid {
        return Ok(());
    }
    let message = format!(
        "您 {} 的社保已缴纳（{}，回执号 {}）",
        row.period,
        row.branch_name,
        row.receipt_no.as_deref().unwrap_or("—")
    );
    system_step(app, row, RunAction::Archive, RunValues::default(), Vec::new(), |token| {
        Ok(vec![repo::notify_employees(app, row, &message, token)?, repo::text_employees(app, row, &message, token)?])
    })
    .await?;
    // The month is paid: the branch's held claims may go on now (the cron checks again
    // if this fails).
    if let Err(e) = crate::claims::service::recheck(app, Some(&row.branch_id)).await {
        worker::console_error!("re-checking held claims of {}: {e}", row.branch_id);
    }
    Ok(())
}

/// The employee's contribution record: their lines of the last `months` runs by month,
/// each month's status by the one rule (`ContributionStatus::of`).
pub async fn contributions(app: &App, employee_id: &str, months: i64) -> AppResult<Vec<shebao_domain::api::ContributionMonth>> {
    contribution_months(app, repo::contributions(app, employee_id, months)?.all(&app.db).await?)
}

/// The employee's contribution record from their lines as `repo::contributions` reads them.
pub fn contribution_months(app: &App, rows: Vec<repo::ContributionRow>) -> AppResult<Vec<shebao_domain::api::ContributionMonth>> {
    use shebao_domain::run::ContributionStatus;
    let today = today(app)?;
    let mut out: Vec<shebao_domain::api::ContributionMonth> = Vec::new();
    for r in rows {
        if out.last().is_none_or(|m| m.run_id != r.run_id) {
            let paid_on = r.paid_on.as_deref().map(date).transpose()?;
            let status = ContributionStatus::of(date(&r.due_date)?, paid_on, today);
            out.push(shebao_domain::api::ContributionMonth {
                period: r.period.clone(),
                run_id: r.run_id.clone(),
                status,
                status_label: status.label(Lang::Zh).into(),
                due_date: r.due_date.clone(),
                paid_on: r.paid_on.clone(),
                receipt_no: r.receipt_no.clone(),
                lines: Vec::new(),
                employer_total: Decimal::ZERO,
                employee_total: Decimal::ZERO,
            });
        }
        let month = out.last_mut().ok_or_else(|| AppError::Internal("month".into()))?;
        let l = type_line(&r.insurance_type, r.base_fen, r.employer_fen, r.employee_fen)?;
        month.employer_total += l.employer_amount;
        month.employee_total += l.employee_amount;
        month.lines.push(l);
    }
    Ok(out)
}
