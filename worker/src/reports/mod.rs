//! `/api/reports/{late-payments,claim-times,costs}?from=&to=&branch=[&format=xlsx]`: the
//! figures as JSON for the charts, or the same figures as an .xlsx. Each reader sees its
//! scope only (`report::report_scope`): HR its branch, finance and managers the group.

mod repo;

use crate::auth::User;
use crate::db::{Reads, Slot};
use crate::enrollments::service::{iso, period};
use crate::error::{AppError, AppResult};
use crate::http::{json, wants_xlsx};
use crate::runs::repo::BranchBudget;
use crate::runs::service::{date, today};
use crate::xlsx::{self, Cell, Column, Sheet};
use crate::App;
use chrono::NaiveDate;
use repo::Bounds;
use rust_decimal::Decimal;
use serde::Deserialize;
use shebao_domain::calendar::{china_date, china_day_end_ms};
use shebao_domain::money::from_fen;
use shebao_domain::report::{
    claim_times, costs, late_payments, report_scope, BranchRef, ClaimFact, ClaimTimes, Costs, LatePayments, LateRow,
    MonthFacts, ReportFilter, ReportHeader, RunFact, RunStep, Spread,
};
use shebao_domain::role::Scope;
use shebao_domain::run::RunAction;
use shebao_domain::Period;
use std::collections::BTreeMap;
use worker::{Request, Response};

#[derive(Deserialize)]
struct Query {
    from: Option<String>,
    to: Option<String>,
    branch: Option<String>,
    format: Option<String>,
}

/// A report's own reads, as they are sent with the branches'.
enum Slots {
    Late { runs: Slot<repo::RunRow>, steps: Slot<repo::StepRow> },
    Claims(Slot<repo::ClaimRow>),
    Costs {
        by_month: Slot<repo::MonthRow>,
        new_hires: Slot<repo::NewHireRow>,
        back_payments: Slot<repo::BackPaymentRow>,
        by_branch: Slot<repo::SumRow>,
        by_department: Slot<repo::SumRow>,
    },
}

/// `GET /api/reports/{name}`: the branches and the report's figures in one round trip; the
/// branch asked for is checked against them before anything is answered.
pub async fn get(req: &Request, app: &App, user: &User, name: &str) -> AppResult<Response> {
    let q: Query = req.query().map_err(|_| AppError::BadRequest("查询参数无效"))?;
    let file = wants_xlsx(q.format.as_deref())?;
    let scope = report_scope(user.role).ok_or(AppError::Forbidden)?;
    let today = today(app)?;
    let mut filter = ReportFilter::parse(q.from.as_deref(), q.to.as_deref(), q.branch.as_deref(), today).map_err(AppError::Validation)?;
    let asked = filter.branch_id.clone();
    // An HR user's report is their branch's whether or not they name it.
    if asked.is_none() && scope == Scope::Branch {
        filter.branch_id = Some(user.branch_id.clone().ok_or(AppError::Forbidden)?);
    }
    let b = Bounds { from: filter.from, to: filter.to, branch_id: filter.branch_id.as_deref() };
    let (since, until) = instants(&b);
    let mut reads = Reads::default();
    let branches = reads.add(crate::runs::repo::branches(app)?);
    let slots = match name {
        "late-payments" => Slots::Late { runs: reads.add(repo::runs(app, &b)?), steps: reads.add(repo::run_steps(app, &b)?) },
        "claim-times" => Slots::Claims(reads.add(repo::claims(app, &iso(since), &iso(until), b.branch_id)?)),
        "costs" => Slots::Costs {
            by_month: reads.add(repo::cost_by_month(app, &b)?),
            new_hires: reads.add(repo::new_hires(app, &b)?),
            back_payments: reads.add(repo::back_payments(app, since, until - 1, b.branch_id)?),
            by_branch: reads.add(repo::cost_by_branch(app, &b)?),
            by_department: reads.add(repo::cost_by_department(app, &b)?),
        },
        _ => return Err(AppError::NotFound),
    };
    let read = reads.send(&app.db).await?;
    let header = header(user, scope, asked.as_deref(), &filter, read.rows(branches)?)?;
    match slots {
        Slots::Late { runs, steps } => {
            let report = late_payments(header, &run_facts(read.rows(runs)?, read.rows(steps)?)?, today);
            if file { late_file(&report, &filter) } else { json(&report, 200) }
        }
        Slots::Claims(claims) => {
            let report = claim_times(header, &claim_facts(read.rows(claims)?)?);
            if file { claims_file(&report, &filter) } else { json(&report, 200) }
        }
        Slots::Costs { by_month, new_hires, back_payments, by_branch, by_department } => {
            let mut months = month_facts(read.rows(by_month)?, read.rows(new_hires)?)?;
            add_back_payments(&mut months, read.rows(back_payments)?)?;
            let report = costs(header, sums(read.rows(by_branch)?), sums(read.rows(by_department)?), &months);
            if file { costs_file(&report, &filter) } else { json(&report, 200) }
        }
    }
}

/// The header of the reader's report: the branches they may pick, once the branch asked for
/// (`asked`) is known to exist and to be one of them.
fn header(user: &User, scope: Scope, asked: Option<&str>, filter: &ReportFilter, all: Vec<BranchBudget>) -> AppResult<ReportHeader> {
    let known = asked.is_none_or(|id| all.iter().any(|b| b.id == id));
    let branches: Vec<BranchRef> = all
        .into_iter()
        .filter(|b| scope == Scope::Group || user.branch_id.as_deref() == Some(b.id.as_str()))
        .map(|b| BranchRef { id: b.id, name: b.name })
        .collect();
    if !known {
        return Err(AppError::field("branch", "branch.unknown", "分公司不存在", "No such branch"));
    }
    if asked.is_some_and(|id| !branches.iter().any(|x| x.id == id)) {
        return Err(AppError::Forbidden);
    }
    Ok(ReportHeader::new(filter, branches))
}

/// The day in China of a stored instant ("2026-09-02T03:04:05Z").
fn china_day(iso: &str) -> AppResult<NaiveDate> {
    chrono::DateTime::parse_from_rfc3339(iso)
        .ok()
        .and_then(|t| china_date(t.timestamp_millis()))
        .ok_or_else(|| AppError::Internal(format!("stored instant {iso}")))
}

/// The first millisecond of `day` in China.
fn china_day_start_ms(day: NaiveDate) -> i64 {
    china_day_end_ms(day) + 1 - 86_400_000
}

/// From the first instant of the filter's first month to the first of the month after its
/// last, in China.
fn instants(b: &Bounds<'_>) -> (i64, i64) {
    (china_day_start_ms(b.from.first_day()), china_day_start_ms(b.to.next().first_day()))
}

fn run_facts(runs: Vec<repo::RunRow>, run_steps: Vec<repo::StepRow>) -> AppResult<Vec<RunFact>> {
    let mut steps: BTreeMap<String, Vec<RunStep>> = BTreeMap::new();
    for s in run_steps {
        if let Some(action) = s.action.strip_prefix("run.").and_then(RunAction::from_code) {
            steps.entry(s.run_id).or_default().push(RunStep { on: china_day(&s.at)?, action });
        }
    }
    runs.into_iter()
        .map(|r| {
            Ok(RunFact {
                steps: steps.remove(&r.id).unwrap_or_default(),
                period: period(&r.period)?,
                due: date(&r.due_date)?,
                opened_on: china_day(&r.created_at)?,
                paid_on: r.paid_on.as_deref().map(date).transpose()?,
                late_fee: from_fen(r.late_fee_fen.unwrap_or(0)),
                run_id: r.id,
                branch_id: r.branch_id,
                branch_name: r.branch_name,
            })
        })
        .collect()
}

fn claim_facts(claims: Vec<repo::ClaimRow>) -> AppResult<Vec<ClaimFact>> {
    claims
        .into_iter()
        .map(|c| {
            Ok(ClaimFact {
                submitted_on: china_day(&c.submitted_at)?,
                paid_on: c.paid_on.as_deref().map(date).transpose()?,
                held: c.held != 0,
                rejected: c.state == "rejected",
                amount: from_fen(c.amount_fen),
            })
        })
        .collect()
}

fn sums(rows: Vec<repo::SumRow>) -> Vec<(String, String, Decimal, Decimal)> {
    rows.into_iter().map(|r| (r.key, r.label, from_fen(r.employer_fen), from_fen(r.employee_fen))).collect()
}

/// Each month's contributions, late fees and new hires.
fn month_facts(by_month: Vec<repo::MonthRow>, new_hires: Vec<repo::NewHireRow>) -> AppResult<BTreeMap<Period, MonthFacts>> {
    let mut months: BTreeMap<Period, MonthFacts> = BTreeMap::new();
    for m in by_month {
        let f = months.entry(period(&m.period)?).or_default();
        (f.employer, f.employee, f.late_fees) = (from_fen(m.employer_fen), from_fen(m.employee_fen), from_fen(m.late_fee_fen));
    }
    for h in new_hires {
        let f = months.entry(period(&h.period)?).or_default();
        (f.new_hires, f.new_hire_cost) = (h.hires as u32, from_fen(h.employer_fen));
    }
    Ok(months)
}

/// The back-payments and their late fees, in the month (China) the bureau filed them.
fn add_back_payments(months: &mut BTreeMap<Period, MonthFacts>, back_payments: Vec<repo::BackPaymentRow>) -> AppResult<()> {
    for p in back_payments {
        let day = china_date(p.executed_at).ok_or_else(|| AppError::Internal("filing time".into()))?;
        let f = months.entry(Period::of(day)).or_default();
        f.back_payments += from_fen(p.total_fen);
        f.back_payment_fees += p.late_fee_total.as_deref().and_then(|s| s.parse::<Decimal>().ok()).unwrap_or_default();
    }
    Ok(())
}

// ---- the files ----

/// `逾期缴费-2026-01至2026-12[-br-bj].xlsx`
fn file_name(what: &str, filter: &ReportFilter) -> String {
    let branch = filter.branch_id.as_deref().map(|b| format!("-{b}")).unwrap_or_default();
    format!("{what}-{}至{}{branch}.xlsx", filter.from, filter.to)
}

const fn col(header: &'static str, width: f64) -> Column {
    Column { header, width }
}

fn late_rows(rows: &[LateRow]) -> Vec<Vec<Cell>> {
    rows.iter()
        .map(|r| {
            let mut cells = vec![Cell::Text(r.label.clone()), Cell::Count(r.runs.into()), Cell::Count(r.late.into())];
            cells.extend(r.by_cause.iter().map(|&n| Cell::Count(n.into())));
            cells.push(Cell::Money(r.late_fees));
            cells
        })
        .collect()
}

fn late_file(r: &LatePayments, filter: &ReportFilter) -> AppResult<Response> {
    // The cause columns follow the report's causes.
    let mut summary = vec![col("分公司", 16.0), col("应缴月数", 10.0), col("逾期月数", 10.0)];
    let causes: Vec<&'static str> = shebao_domain::report::LateCause::ALL.iter().map(|c| c.label(shebao_domain::Lang::Zh)).collect();
    summary.extend(causes.iter().map(|&c| col(c, 16.0)));
    summary.push(col("滞纳金", 12.0));
    let mut by_month = summary.iter().map(|c| Column { header: c.header, width: c.width }).collect::<Vec<_>>();
    by_month[0] = col("月份", 10.0);
    let mut branch_rows = late_rows(&r.by_branch);
    branch_rows.extend(late_rows(std::slice::from_ref(&r.total)));
    let runs = [col("月份", 10.0), col("分公司", 16.0), col("截止日", 12.0), col("缴费日", 12.0), col("逾期天数", 10.0), col("原因", 20.0), col("滞纳金", 12.0)];
    let run_rows = r
        .runs
        .iter()
        .map(|l| {
            vec![
                Cell::Text(l.period.to_string()),
                Cell::Text(l.branch_name.clone()),
                Cell::Date(l.due_date),
                l.paid_on.map_or_else(|| Cell::Text("未缴".into()), Cell::Date),
                Cell::Count(l.days_late),
                Cell::Text(l.cause_label.clone()),
                Cell::Money(l.late_fee),
            ]
        })
        .collect();
    let bytes = xlsx::workbook(&[
        Sheet { name: "按分公司", columns: &summary, rows: branch_rows },
        Sheet { name: "按月份", columns: &by_month, rows: late_rows(&r.by_month) },
        Sheet { name: "逾期明细", columns: &runs, rows: run_rows },
    ])?;
    xlsx::download(bytes, &file_name("逾期缴费", filter))
}

fn days(v: Option<i64>) -> Cell {
    v.map_or(Cell::Blank, Cell::Count)
}

fn claims_file(r: &ClaimTimes, filter: &ReportFilter) -> AppResult<Response> {
    let groups = [col("缴费状态", 16.0), col("已支付笔数", 12.0), col("中位天数", 10.0), col("90分位天数", 12.0), col("已支付金额", 14.0), col("处理中", 10.0)];
    let group_rows = r
        .groups
        .iter()
        .map(|g| {
            vec![
                Cell::Text(g.label.clone()),
                Cell::Count(g.spread.count as i64),
                days(g.spread.median),
                days(g.spread.p90),
                Cell::Money(g.paid_amount),
                Cell::Count(g.waiting.into()),
            ]
        })
        .collect();
    let months = [
        col("提交月份", 10.0),
        col("正常 笔数", 10.0),
        col("正常 中位天数", 14.0),
        col("正常 90分位", 12.0),
        col("暂缓 笔数", 10.0),
        col("暂缓 中位天数", 14.0),
        col("暂缓 90分位", 12.0),
    ];
    let month_rows = r
        .by_month
        .iter()
        .map(|m| {
            let mut cells = vec![Cell::Text(m.period.to_string())];
            for s in &m.groups {
                let Spread { count, median, p90 } = *s;
                cells.extend([Cell::Count(count as i64), days(median), days(p90)]);
            }
            cells
        })
        .collect();
    let bytes = xlsx::workbook(&[
        Sheet { name: "按缴费状态", columns: &groups, rows: group_rows },
        Sheet { name: "按月份", columns: &months, rows: month_rows },
    ])?;
    xlsx::download(bytes, &file_name("报销时效", filter))
}

fn costs_file(r: &Costs, filter: &ReportFilter) -> AppResult<Response> {
    let shares = |first: &'static str| [col(first, 24.0), col("单位缴纳", 14.0), col("个人缴纳", 14.0), col("单位占比(%)", 12.0)];
    let share_rows = |rows: &[shebao_domain::report::CostRow]| -> Vec<Vec<Cell>> {
        rows.iter()
            .map(|c| vec![Cell::Text(c.label.clone()), Cell::Money(c.employer), Cell::Money(c.employee), Cell::Percent(c.share_percent)])
            .collect()
    };
    let months = [
        col("月份", 10.0),
        col("单位缴纳", 14.0),
        col("个人缴纳", 14.0),
        col("新入职人数", 10.0),
        col("新入职单位成本", 16.0),
        col("环比(%)", 10.0),
        col("补缴金额", 14.0),
        col("补缴滞纳金", 12.0),
        col("滞纳金", 12.0),
    ];
    let month_rows = r
        .by_month
        .iter()
        .map(|m| {
            vec![
                Cell::Text(m.period.to_string()),
                Cell::Money(m.employer),
                Cell::Money(m.employee),
                Cell::Count(m.new_hires.into()),
                Cell::Money(m.new_hire_cost),
                m.new_hire_growth.map_or(Cell::Blank, Cell::Percent),
                Cell::Money(m.back_payments),
                Cell::Money(m.back_payment_fees),
                Cell::Money(m.late_fees),
            ]
        })
        .collect();
    let mistakes = [col("项目", 16.0), col("金额", 14.0)];
    let m = &r.mistakes;
    let mistake_rows = [("补缴金额", m.back_payments), ("补缴滞纳金", m.back_payment_fees), ("缴费滞纳金", m.late_fees), ("罚金合计", m.fees)]
        .into_iter()
        .map(|(label, amount)| vec![Cell::Text(label.into()), Cell::Money(amount)])
        .collect();
    let (branches, departments) = (shares("分公司"), shares("部门"));
    let bytes = xlsx::workbook(&[
        Sheet { name: "按分公司", columns: &branches, rows: share_rows(&r.by_branch) },
        Sheet { name: "按部门", columns: &departments, rows: share_rows(&r.by_department) },
        Sheet { name: "按月份", columns: &months, rows: month_rows },
        Sheet { name: "差错成本", columns: &mistakes, rows: mistake_rows },
    ])?;
    xlsx::download(bytes, &file_name("社保成本", filter))
}
