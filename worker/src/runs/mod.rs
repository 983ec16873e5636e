//! Monthly contribution runs: `/api/runs`, the dashboard, the generation queue and the
//! cron's sweeps (month-start generation, stuck generations, unpaid submissions).

pub mod repo;
pub mod service;

use crate::alerts;
use crate::auth::service::{Asker, Session};
use crate::auth::User;
use crate::db::{Change, Reads};
use crate::error::{AppError, AppResult};
use crate::http::{json, wants_xlsx};
use crate::xlsx::{self, Cell, Column, Sheet};
use crate::idempotency::{self, Begin, Stored};
use crate::App;
use serde::{Deserialize, Serialize};
use service::{Chunk, Created};
use shebao_domain::api::{BranchStanding, BudgetUpdate, Dashboard, NewRun, RunActionBody};
use shebao_domain::policy::City;
use shebao_domain::run::{may_see_run, RunAction, RunState, Standing};
use shebao_domain::{Lang, Period};
use worker::{Request, Response};

/// A queue message: generate the next chunk of this run's generation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChunkJob {
    pub run_id: String,
    pub generation: i64,
}

/// Queues the run's next chunk. A lost message is not lost work: the cron re-queues runs
/// that stopped generating (`resume_stuck`).
pub async fn queue_chunk(app: &App, run_id: &str) -> AppResult<()> {
    let Some(row) = repo::run(app, run_id).await? else { return Ok(()) };
    if row.state != RunState::Generating.code() {
        return Ok(());
    }
    let job = ChunkJob { run_id: row.id, generation: row.generation };
    match &app.queue {
        Some(queue) => queue.send(&job).await.map_err(AppError::from),
        // Without a queue binding (never in a deployment), generate in line.
        None => generate_all(app, &job).await,
    }
}

async fn generate_all(app: &App, job: &ChunkJob) -> AppResult<()> {
    while service::generate_chunk(app, &job.run_id, job.generation).await? == Chunk::More {}
    Ok(())
}

/// The queue consumer: one chunk, then the next one queued.
pub async fn consume(app: &App, job: &ChunkJob) -> AppResult<()> {
    if service::generate_chunk(app, &job.run_id, job.generation).await? == Chunk::More {
        queue_chunk(app, &job.run_id).await?;
    }
    Ok(())
}

#[derive(Serialize, Deserialize)]
struct Done {
    id: String,
}

async fn answer(app: &App, user: &User, id: &str, status: u16) -> AppResult<Response> {
    json(&service::read_detail(app, Asker::User(user), id).await?, status)
}

/// The first answer to a key, sent again: the run as it now stands, with the first status.
async fn replay(app: &App, user: &User, stored: Stored) -> AppResult<Response> {
    let done: Done = serde_json::from_str(&stored.body)?;
    idempotency::replayed(answer(app, user, &done.id, stored.status).await?)
}

/// `POST /api/runs` {branch_id, period}: 201 with the new run (generating), or 200 with the
/// branch's existing run of that month (regenerated when HR had not confirmed it).
pub async fn create(mut req: Request, app: &App, user: &User) -> AppResult<Response> {
    let (body, key) = match idempotency::begin::<NewRun>(&mut req, app, user).await? {
        Begin::Replay(stored) => return replay(app, user, stored).await,
        Begin::New(body, key) => (body, key),
    };
    let (id, status) = match service::create(app, user, &body.branch_id, &body.period).await? {
        Created::New(id) => (id, 201),
        Created::Existing(id) => (id, 200),
    };
    // Opening a run is idempotent by itself (one per branch and month); the key's record
    // makes a replay answer with the first status.
    let nothing = Change { statements: Vec::new(), guarded: None };
    if let Some(stored) = idempotency::commit_recorded(app, user, key.as_ref(), nothing, status, &Done { id: id.clone() }).await? {
        return replay(app, user, stored).await;
    }
    queue_chunk(app, &id).await?;
    answer(app, user, &id, status).await
}

#[derive(Deserialize)]
struct ListQuery {
    branch: Option<String>,
    period: Option<String>,
}

/// `GET /api/runs?branch=&period=`: the runs the user may see.
pub async fn list(req: &Request, app: &App, user: &User) -> AppResult<Response> {
    let q: ListQuery = req.query().map_err(|_| AppError::BadRequest("查询参数无效"))?;
    let branch = q.branch.filter(|b| !b.is_empty());
    let period = q.period.filter(|p| !p.is_empty());
    if let Some(b) = &branch {
        if !may_see_run(user.role, user.branch_id.as_deref(), b) {
            return Err(AppError::Forbidden);
        }
    }
    let branch = match (branch, user.role.employee_scope()) {
        (None, shebao_domain::role::Scope::Branch) => user.branch_id.clone(),
        (None, shebao_domain::role::Scope::Own) => return Err(AppError::Forbidden),
        (b, _) => b,
    };
    let today = service::today(app)?;
    let rows = repo::list(app, branch.as_deref(), period.as_deref())?.all(&app.db).await?;
    let runs = rows.iter().map(|r| service::summary(r, today)).collect::<AppResult<Vec<_>>>()?;
    json(&runs, 200)
}

#[derive(Deserialize)]
struct DetailQuery {
    format: Option<String>,
}

#[derive(Deserialize)]
struct PageQuery {
    after: Option<String>,
}

const LINE_COLUMNS: [Column; 6] = [
    Column { header: "员工编号", width: 12.0 },
    Column { header: "姓名", width: 10.0 },
    Column { header: "险种", width: 12.0 },
    Column { header: "缴费基数", width: 14.0 },
    Column { header: "单位缴纳", width: 14.0 },
    Column { header: "个人缴纳", width: 14.0 },
];

/// Employees read per query for a file, in employee order.
const EXPORT_PAGE_EMPLOYEES: i64 = 400;

/// Every line of the run as an .xlsx, read page by page in employee order.
async fn lines_file(app: &App, row: &repo::RunRow) -> AppResult<Response> {
    let mut rows = Vec::new();
    let mut after = String::new();
    loop {
        let page = repo::lines(app, &row.id, &after, EXPORT_PAGE_EMPLOYEES)?.all(&app.db).await?;
        let full = page.len() as i64 == EXPORT_PAGE_EMPLOYEES;
        for read in page {
            let e = service::employee_lines(read)?;
            rows.extend(e.lines.iter().map(|l| {
                vec![
                    Cell::Text(e.employee_id.clone()),
                    Cell::Text(e.employee_name.clone()),
                    Cell::Text(l.insurance_type.name_zh().to_string()),
                    Cell::Money(l.base),
                    Cell::Money(l.employer_amount),
                    Cell::Money(l.employee_amount),
                ]
            }));
            after = e.employee_id;
        }
        if !full {
            break;
        }
    }
    let bytes = xlsx::workbook(&[Sheet { name: &row.period, columns: &LINE_COLUMNS, rows }])?;
    xlsx::download(bytes, &format!("缴费明细-{}-{}.xlsx", row.branch_name, row.period))
}

/// `GET /api/runs/{id}`: the run with its first pages of lines and changes (`?format=xlsx`:
/// all its lines as a file).
pub async fn get(req: &Request, app: &App, session: Session, id: &str) -> AppResult<Response> {
    let q: DetailQuery = req.query().map_err(|_| AppError::BadRequest("查询参数无效"))?;
    if wants_xlsx(q.format.as_deref())? {
        let user = session.user(app).await?;
        return lines_file(app, &service::visible_run(app, &user, id).await?).await;
    }
    json(&service::read_detail(app, Asker::Session(session), id).await?, 200)
}

fn after(req: &Request) -> AppResult<String> {
    let q: PageQuery = req.query().map_err(|_| AppError::BadRequest("查询参数无效"))?;
    Ok(q.after.unwrap_or_default())
}

/// `GET /api/runs/{id}/lines?after=`: the page of employees' lines after that employee.
pub async fn lines(req: &Request, app: &App, session: Session, id: &str) -> AppResult<Response> {
    json(&service::read_lines(app, Asker::Session(session), id, &after(req)?).await?, 200)
}

/// `GET /api/runs/{id}/changes?after=`: the page of changes after that employee.
pub async fn changes(req: &Request, app: &App, session: Session, id: &str) -> AppResult<Response> {
    json(&service::read_changes(app, Asker::Session(session), id, &after(req)?).await?, 200)
}

/// `POST /api/runs/{id}/{confirm|approve|reject|submit|regenerate}`.
pub async fn act(mut req: Request, app: &App, user: &User, id: &str, action: &str) -> AppResult<Response> {
    let action = RunAction::from_code(action).filter(|a| a.by_person()).ok_or(AppError::NotFound)?;
    let (body, key) = match idempotency::begin::<RunActionBody>(&mut req, app, user).await? {
        Begin::Replay(stored) => return replay(app, user, stored).await,
        Begin::New(body, key) => (body, key),
    };
    let row = service::visible_run(app, user, id).await?;
    let change = service::act(app, user, &row, action, body.version, body.reason.as_deref())?;
    if let Some(stored) = idempotency::commit_recorded(app, user, key.as_ref(), change, 200, &Done { id: id.into() }).await? {
        return replay(app, user, stored).await;
    }
    match action {
        RunAction::Regenerate => queue_chunk(app, id).await?,
        // Paid at once; if the bureau is down the run stays submitted and the cron retries.
        RunAction::Submit => {
            if let Some(row) = repo::run(app, id).await? {
                service::pay(app, &row).await?;
            }
        }
        _ => {}
    }
    answer(app, user, id, 200).await
}

/// `GET /api/dashboard`: every branch the user sees, this month: progress, countdown,
/// urgency and the highest open alert level.
pub async fn dashboard(app: &App, asker: Asker<'_>) -> AppResult<Response> {
    let today = service::today(app)?;
    let period = Period::of(today);
    let mut reads = Reads::default();
    let (runs, levels, all) = (
        reads.add(repo::list(app, None, Some(&period.to_string()))?),
        reads.add(alerts::repo::branch_levels(app)?),
        reads.add(repo::branches(app)?),
    );
    // The month's runs, alerts and branches of the group: a few rows each, whoever asks.
    let (user, read) = asker.send(app, reads).await?;
    if user.role.employee_scope() == shebao_domain::role::Scope::Own {
        return Err(AppError::Forbidden);
    }
    let (runs, levels) = (read.rows(runs)?, read.rows(levels)?);
    let mut branches = Vec::new();
    for b in read.rows(all)? {
        if !may_see_run(user.role, user.branch_id.as_deref(), &b.id) {
            continue;
        }
        let city = City::from_code(&b.city).ok_or_else(|| AppError::Internal(format!("city {}", b.city)))?;
        let due = service::due_date(city, period)?;
        let run = runs.iter().find(|r| r.branch_id == b.id);
        let state = run.map(service::state_of).transpose()?;
        let standing = Standing::of(state, due, today);
        branches.push(BranchStanding {
            branch_id: b.id.clone(),
            branch_name: b.name.clone(),
            city_name: city.name(Lang::Zh).into(),
            period: period.to_string(),
            due_date: due.to_string(),
            progress_label: standing.progress.label(Lang::Zh).into(),
            countdown: standing.countdown(Lang::Zh),
            standing,
            run: run.map(|r| service::summary(r, today)).transpose()?,
            alert_level: levels.iter().find(|l| l.branch_id == b.id).map(|l| l.level as u8),
            budget: b.monthly_budget_fen.map(shebao_domain::money::from_fen),
        });
    }
    json(
        &Dashboard { today: today.to_string(), period: period.to_string(), simulated_clock: app.simulated_clock, branches },
        200,
    )
}

/// `PUT /api/branches/{id}/budget` {budget}: finance sets the branch's monthly budget; its
/// runs not yet approved are checked against it. Audited.
pub async fn set_budget(mut req: Request, app: &App, user: &User, branch_id: &str) -> AppResult<Response> {
    if !shebao_domain::run::may_set_budget(user.role) {
        return Err(AppError::Forbidden);
    }
    let body: BudgetUpdate = crate::http::body(&mut req).await?;
    let budget = shebao_domain::run::parse_budget(&body.budget).map_err(|e| AppError::Validation(vec![e]))?;
    let branch = repo::branch(app, branch_id).await?.ok_or(AppError::NotFound)?;
    let format = |fen: Option<i64>| fen.map(|f| shebao_domain::money::format_yuan(shebao_domain::money::from_fen(f)));
    let new_fen = budget.map(shebao_domain::money::fen);
    let changes: Vec<_> = crate::audit::diff("budget", format(branch.monthly_budget_fen), format(new_fen)).into_iter().collect();
    let mut statements = repo::set_budget(app, &branch.id, branch.version, new_fen)?;
    statements.insert(
        1,
        crate::audit::entry(
            app,
            user,
            crate::audit::Entry { action: shebao_domain::audit::BRANCH_BUDGET, entity: "branch", entity_id: &branch.id, changes: &changes },
            true,
        )?,
    );
    crate::db::commit(&app.db, Change { statements, guarded: Some(0) }).await?;
    dashboard(app, Asker::User(user)).await
}


/// `GET /api/employees/{id}/contributions`: the last 24 months of the employee's record,
/// read with the employee in one round trip.
pub async fn contributions(app: &App, user: &User, employee_id: &str) -> AppResult<Response> {
    let mut reads = Reads::default();
    let employee = reads.add(crate::employees::repo::employee_query(app, employee_id)?);
    let lines = reads.add(repo::contributions(app, employee_id, 24)?);
    let read = reads.send(&app.db).await?;
    crate::employees::repo::seen(user, read.first(employee)?)?;
    json(&service::contribution_months(app, read.rows(lines)?)?, 200)
}

// ---- the cron's sweeps ----

/// At the start of a month (and whenever one is missing), every branch's run of this month
/// is created and queued.
pub async fn generate_month(app: &App) -> AppResult<()> {
    let period = Period::of(service::today(app)?);
    let system = crate::enrollments::executor::system();
    for b in repo::branches(app)?.all(&app.db).await? {
        if repo::run(app, &service::run_id(&b.id, period)).await?.is_some() {
            continue;
        }
        match service::open(app, &system, &b, period).await {
            Ok(Created::New(id)) => queue_chunk(app, &id).await?,
            Ok(Created::Existing(_)) => {}
            Err(e) => worker::console_error!("generating {} {period}: {e}", b.id),
        }
    }
    Ok(())
}

/// Generations that stopped (a lost message, a killed instance) go on where they stopped;
/// submitted runs the bureau did not answer are paid again; paid runs are archived.
pub async fn resume(app: &App) -> AppResult<()> {
    let stale_before = chrono::DateTime::from_timestamp_millis(app.now_ms - 60_000)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default();
    let states = [RunState::Generating.code(), RunState::Submitted.code(), RunState::Paid.code()];
    for row in repo::in_states(app, &states).await? {
        let result = match service::state_of(&row)? {
            RunState::Generating if row.updated_at < stale_before => queue_chunk(app, &row.id).await,
            RunState::Submitted => service::pay(app, &row).await.map(|_| ()),
            RunState::Paid => service::archive(app, &row).await,
            _ => Ok(()),
        };
        if let Err(e) = result {
            worker::console_error!("resuming run {}: {e}", row.id);
        }
    }
    Ok(())
}
