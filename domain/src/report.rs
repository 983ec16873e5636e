//! The reports (DESIGN.md §6): late payments by branch and cause, claim times by
//! contribution status, costs by branch and department. The worker reads the facts (runs
//! with their steps, claims, sums of lines); the figures are worked out here, so what the
//! page shows and what the exported file holds are the same numbers.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::period::Period;
use crate::role::{Role, Scope};
use crate::run::{RunAction, RunState, RUN_TRANSITIONS};
use crate::validation::FieldError;

// ---------------------------------------------------------------------------------------
// Filters and scope
// ---------------------------------------------------------------------------------------

/// A report covers at most three years of months: beyond that the page and the file get
/// too long to read, and a longer look is a different question.
pub const MAX_MONTHS: i32 = 36;
/// Without `from`, a report covers the twelve months up to `to`.
const DEFAULT_MONTHS: i32 = 12;

/// What a report covers: months `from` to `to` (both included) and one branch or all in
/// the reader's scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFilter {
    pub from: Period,
    pub to: Period,
    pub branch_id: Option<String>,
}

impl ReportFilter {
    /// The filter from the query as typed (blank: the default), for `today` (China).
    pub fn parse(from: Option<&str>, to: Option<&str>, branch: Option<&str>, today: NaiveDate) -> Result<ReportFilter, Vec<FieldError>> {
        let month = |field: &str, raw: Option<&str>| -> Result<Option<Period>, FieldError> {
            match raw.map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => Period::parse(s).map(Some).map_err(|e| e.to_field_error(field)),
            }
        };
        let (from, to) = (month("from", from), month("to", to));
        let (from, to) = match (from, to) {
            (Ok(from), Ok(to)) => (from, to),
            (from, to) => return Err([from.err(), to.err()].into_iter().flatten().collect()),
        };
        let to = to.unwrap_or_else(|| Period::of(today));
        let from = from.unwrap_or_else(|| to.add_months(1 - DEFAULT_MONTHS));
        if from > to {
            return Err(vec![FieldError::new("from", "report.range_reversed", "开始月份不能晚于结束月份", "The first month is after the last")]);
        }
        if from.months_until(to) >= MAX_MONTHS {
            return Err(vec![FieldError::new(
                "from",
                "report.range_too_long",
                format!("一次最多查看 {MAX_MONTHS} 个月"),
                format!("At most {MAX_MONTHS} months at a time"),
            )]);
        }
        let branch_id = branch.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        Ok(ReportFilter { from, to, branch_id })
    }

    pub fn periods(&self) -> Vec<Period> {
        Period::range_inclusive(self.from, self.to)
    }

    /// The query string of this filter (`from=…&to=…[&branch=…]`), for links and files.
    pub fn query(&self) -> String {
        let branch = self.branch_id.as_deref().map(|b| format!("&branch={b}")).unwrap_or_default();
        format!("from={}&to={}{branch}", self.from, self.to)
    }
}

/// Whose figures a role may read in the reports: its branch's (HR) or the group's
/// (finance, managers). Employees and administrators read none.
pub fn report_scope(role: Role) -> Option<Scope> {
    match role {
        Role::Employee | Role::Admin => None,
        _ => Some(role.employee_scope()),
    }
}

/// A branch a report names or may be filtered to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchRef {
    pub id: String,
    pub name: String,
}

/// What every report answers with besides its figures: the filter as applied and the
/// branches the reader may choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportHeader {
    pub from: Period,
    pub to: Period,
    pub branch_id: Option<String>,
    pub branches: Vec<BranchRef>,
}

impl ReportHeader {
    pub fn new(filter: &ReportFilter, branches: Vec<BranchRef>) -> ReportHeader {
        ReportHeader { from: filter.from, to: filter.to, branch_id: filter.branch_id.clone(), branches }
    }
}

/// A code with its label (a chart's series).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub code: String,
    pub label: String,
}

// ---------------------------------------------------------------------------------------
// Late payments
// ---------------------------------------------------------------------------------------

/// Why a month was paid after its deadline (or is still unpaid past it): where its run
/// stood when the deadline passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LateCause {
    /// Not generated, or generated and not confirmed by HR.
    AwaitingHr,
    /// With HR, after the list was sent back or regenerated for corrections: employees'
    /// data was missing or wrong.
    MissingData,
    /// Confirmed, waiting for finance's approval.
    AwaitingFinance,
    /// Approved, not yet submitted to the bureau.
    AwaitingSubmission,
    /// Submitted: the bureau refused it or did not answer.
    Bureau,
}

impl LateCause {
    pub const ALL: [LateCause; 5] =
        [LateCause::AwaitingHr, LateCause::MissingData, LateCause::AwaitingFinance, LateCause::AwaitingSubmission, LateCause::Bureau];

    pub fn code(self) -> &'static str {
        match self {
            LateCause::AwaitingHr => "awaiting_hr",
            LateCause::MissingData => "missing_data",
            LateCause::AwaitingFinance => "awaiting_finance",
            LateCause::AwaitingSubmission => "awaiting_submission",
            LateCause::Bureau => "bureau",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            LateCause::AwaitingHr => lang.pick("待人事确认", "Awaiting HR"),
            LateCause::MissingData => lang.pick("员工资料缺失待补正", "Employee data missing"),
            LateCause::AwaitingFinance => lang.pick("待财务审批", "Awaiting finance"),
            LateCause::AwaitingSubmission => lang.pick("待报送社保局", "Not yet submitted"),
            LateCause::Bureau => lang.pick("社保局退回或未回执", "Refused or unanswered by the bureau"),
        }
    }

    /// The cause for a run that was in `state` when its deadline passed (`None`: not yet
    /// opened), `corrected` when its list was ever sent back or regenerated; `None` when
    /// it was paid by then.
    pub fn of(state: Option<RunState>, corrected: bool) -> Option<LateCause> {
        match state {
            None | Some(RunState::Generating | RunState::Generated) if corrected => Some(LateCause::MissingData),
            None | Some(RunState::Generating | RunState::Generated) => Some(LateCause::AwaitingHr),
            Some(RunState::Confirmed) => Some(LateCause::AwaitingFinance),
            Some(RunState::Approved) => Some(LateCause::AwaitingSubmission),
            Some(RunState::Submitted) => Some(LateCause::Bureau),
            Some(RunState::Paid | RunState::Archived) => None,
        }
    }

    pub fn named(lang: Lang) -> Vec<Named> {
        LateCause::ALL.iter().map(|c| Named { code: c.code().into(), label: c.label(lang).into() }).collect()
    }
}

/// One step of a run on its audit log: the action and the day (China) it was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunStep {
    pub on: NaiveDate,
    pub action: RunAction,
}

/// The state a run was in at the end of `day`, replaying its steps (oldest first) through
/// the transition table from its opening (`opened_on`); `None` if it was opened later.
pub fn state_on(opened_on: NaiveDate, steps: &[RunStep], day: NaiveDate) -> Option<RunState> {
    if opened_on > day {
        return None;
    }
    let mut state = RunState::Generating;
    for step in steps.iter().take_while(|s| s.on <= day) {
        if let Some(t) = RUN_TRANSITIONS.iter().find(|t| t.from == state && t.action == step.action) {
            state = t.to;
        }
    }
    Some(state)
}

/// A branch's run of a month, as the late-payment report reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunFact {
    pub run_id: String,
    pub branch_id: String,
    pub branch_name: String,
    pub period: Period,
    pub due: NaiveDate,
    pub opened_on: NaiveDate,
    pub paid_on: Option<NaiveDate>,
    pub steps: Vec<RunStep>,
    pub late_fee: Decimal,
}

/// A run paid late or unpaid past its deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateRun {
    pub run_id: String,
    pub branch_name: String,
    pub period: Period,
    pub due_date: NaiveDate,
    pub paid_on: Option<NaiveDate>,
    /// Days past the deadline when paid, or until today while unpaid.
    pub days_late: i64,
    pub cause: LateCause,
    pub cause_label: String,
    pub late_fee: Decimal,
}

impl RunFact {
    /// The run as a late one, or `None` when it was paid by its deadline (or the deadline
    /// has not passed).
    pub fn late(&self, today: NaiveDate) -> Option<LateRun> {
        let until = self.paid_on.unwrap_or(today);
        if until <= self.due {
            return None;
        }
        let corrected = self.steps.iter().any(|s| matches!(s.action, RunAction::Reject | RunAction::Regenerate));
        let cause = LateCause::of(state_on(self.opened_on, &self.steps, self.due), corrected)?;
        Some(LateRun {
            run_id: self.run_id.clone(),
            branch_name: self.branch_name.clone(),
            period: self.period,
            due_date: self.due,
            paid_on: self.paid_on,
            days_late: (until - self.due).num_days(),
            cause,
            cause_label: cause.label(Lang::Zh).into(),
            late_fee: self.late_fee,
        })
    }
}

/// Late runs counted for a branch or a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateRow {
    /// The branch id or the month.
    pub key: String,
    pub label: String,
    /// Runs in the rows' months whose deadline has passed.
    pub runs: u32,
    pub late: u32,
    /// Late runs per cause, in the order of `LatePayments::causes`.
    pub by_cause: Vec<u32>,
    pub late_fees: Decimal,
}

impl LateRow {
    fn new(key: String, label: String) -> LateRow {
        LateRow { key, label, runs: 0, late: 0, by_cause: vec![0; LateCause::ALL.len()], late_fees: Decimal::ZERO }
    }

    fn count(&mut self, late: Option<&LateRun>) {
        self.runs += 1;
        if let Some(l) = late {
            self.late += 1;
            if let Some(i) = LateCause::ALL.iter().position(|&c| c == l.cause) {
                self.by_cause[i] += 1;
            }
            self.late_fees += l.late_fee;
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LatePayments {
    pub header: ReportHeader,
    pub causes: Vec<Named>,
    pub by_branch: Vec<LateRow>,
    /// Every month of the filter, oldest first (the trend).
    pub by_month: Vec<LateRow>,
    pub total: LateRow,
    /// The late runs, the latest month first.
    pub runs: Vec<LateRun>,
}

/// The late-payment report over `runs` (those of the filter's months and branches). A run
/// whose deadline is still ahead is not counted yet.
pub fn late_payments(header: ReportHeader, runs: &[RunFact], today: NaiveDate) -> LatePayments {
    let mut by_branch: BTreeMap<(String, String), LateRow> = BTreeMap::new();
    let mut by_month: BTreeMap<Period, LateRow> =
        Period::range_inclusive(header.from, header.to).into_iter().map(|p| (p, LateRow::new(p.to_string(), p.to_string()))).collect();
    let mut total = LateRow::new("total".into(), Lang::Zh.pick("合计", "Total").into());
    let mut late_runs = Vec::new();
    for run in runs.iter().filter(|r| r.due < today || r.paid_on.is_some_and(|p| p > r.due)) {
        let late = run.late(today);
        by_branch
            .entry((run.branch_name.clone(), run.branch_id.clone()))
            .or_insert_with(|| LateRow::new(run.branch_id.clone(), run.branch_name.clone()))
            .count(late.as_ref());
        if let Some(row) = by_month.get_mut(&run.period) {
            row.count(late.as_ref());
        }
        total.count(late.as_ref());
        late_runs.extend(late);
    }
    late_runs.sort_by(|a, b| b.period.cmp(&a.period).then_with(|| a.branch_name.cmp(&b.branch_name)));
    LatePayments {
        header,
        causes: LateCause::named(Lang::Zh),
        by_branch: by_branch.into_values().collect(),
        by_month: by_month.into_values().collect(),
        total,
        runs: late_runs,
    }
}

// ---------------------------------------------------------------------------------------
// Claim times
// ---------------------------------------------------------------------------------------

/// A claim's contribution status when it was submitted: normal, or held because a month of
/// the last three was unpaid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimGroup {
    Normal,
    Held,
}

impl ClaimGroup {
    pub const ALL: [ClaimGroup; 2] = [ClaimGroup::Normal, ClaimGroup::Held];

    pub fn code(self) -> &'static str {
        match self {
            ClaimGroup::Normal => "normal",
            ClaimGroup::Held => "held",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ClaimGroup::Normal => lang.pick("缴费正常", "Contributions in order"),
            ClaimGroup::Held => lang.pick("因欠缴暂缓", "Held for unpaid months"),
        }
    }
}

/// A submitted claim, as the claim-time report reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimFact {
    pub submitted_on: NaiveDate,
    pub paid_on: Option<NaiveDate>,
    pub held: bool,
    /// Rejected claims are not waiting and took no time to pay.
    pub rejected: bool,
    pub amount: Decimal,
}

/// One group's time from submission to payment, in days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimTimeRow {
    pub key: String,
    pub label: String,
    /// Of the paid claims.
    pub spread: Spread,
    pub paid_amount: Decimal,
    /// Submitted, neither paid nor rejected yet.
    pub waiting: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimTimeMonth {
    pub period: Period,
    /// In the order of `ClaimGroup::ALL`.
    pub groups: Vec<Spread>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimTimes {
    pub header: ReportHeader,
    /// Normal, then held.
    pub groups: Vec<ClaimTimeRow>,
    /// By the month of submission, oldest first.
    pub by_month: Vec<ClaimTimeMonth>,
}

/// The days from submission to payment (both China dates).
pub fn claim_days(submitted_on: NaiveDate, paid_on: NaiveDate) -> i64 {
    (paid_on - submitted_on).num_days().max(0)
}

/// The claim-time report over `claims` (those submitted in the filter's months).
pub fn claim_times(header: ReportHeader, claims: &[ClaimFact]) -> ClaimTimes {
    let group_of = |c: &ClaimFact| if c.held { ClaimGroup::Held } else { ClaimGroup::Normal };
    let days = |group: ClaimGroup, period: Option<Period>| -> Vec<i64> {
        claims
            .iter()
            .filter(|c| group_of(c) == group && period.is_none_or(|p| Period::of(c.submitted_on) == p))
            .filter_map(|c| c.paid_on.map(|paid| claim_days(c.submitted_on, paid)))
            .collect()
    };
    let groups = ClaimGroup::ALL
        .iter()
        .map(|&g| {
            let of_group = || claims.iter().filter(move |c| group_of(c) == g);
            ClaimTimeRow {
                key: g.code().into(),
                label: g.label(Lang::Zh).into(),
                spread: Spread::of(&days(g, None)),
                paid_amount: of_group().filter(|c| c.paid_on.is_some()).map(|c| c.amount).sum(),
                waiting: of_group().filter(|c| c.paid_on.is_none() && !c.rejected).count() as u32,
            }
        })
        .collect();
    let by_month = Period::range_inclusive(header.from, header.to)
        .into_iter()
        .map(|p| ClaimTimeMonth { period: p, groups: ClaimGroup::ALL.iter().map(|&g| Spread::of(&days(g, Some(p)))).collect() })
        .collect();
    ClaimTimes { header, groups, by_month }
}

// ---------------------------------------------------------------------------------------
// Costs
// ---------------------------------------------------------------------------------------

/// What a group of lines cost: the employer's share (the company's cost) and the
/// employees' (withheld from pay).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostRow {
    /// A branch id, a department ("" for none) or a month.
    pub key: String,
    pub label: String,
    pub employer: Decimal,
    pub employee: Decimal,
    /// The employer's share of this row in percent of all rows' (one decimal).
    pub share_percent: Decimal,
}

/// One month's costs and what mistakes cost in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthCost {
    pub period: Period,
    pub employer: Decimal,
    pub employee: Decimal,
    /// Employees hired in the month, and the employer's cost of their lines that month.
    pub new_hires: u32,
    pub new_hire_cost: Decimal,
    /// Growth of `new_hire_cost` over the month before, in percent (none when the month
    /// before cost nothing, or for the first month shown).
    pub new_hire_growth: Option<Decimal>,
    /// Back-payments (补缴) filed in the month: their total and the late fees in it.
    pub back_payments: Decimal,
    pub back_payment_fees: Decimal,
    /// Late fees paid on the month's runs.
    pub late_fees: Decimal,
}

/// Sums the worker read, per month (runs, new hires, back-payments).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MonthFacts {
    pub employer: Decimal,
    pub employee: Decimal,
    pub new_hires: u32,
    pub new_hire_cost: Decimal,
    pub back_payments: Decimal,
    pub back_payment_fees: Decimal,
    pub late_fees: Decimal,
}

/// What mistakes cost over the whole filter: back-payments and their fees, and late fees on runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MistakeCost {
    pub back_payments: Decimal,
    pub back_payment_fees: Decimal,
    pub late_fees: Decimal,
    /// The fees alone (money that bought nothing).
    pub fees: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Costs {
    pub header: ReportHeader,
    pub by_branch: Vec<CostRow>,
    /// Across the branches in the filter, the most costly first.
    pub by_department: Vec<CostRow>,
    pub by_month: Vec<MonthCost>,
    pub mistakes: MistakeCost,
}

/// `part` in percent of `whole`, one decimal (half away from zero); 0 for nothing.
pub fn share_percent(part: Decimal, whole: Decimal) -> Decimal {
    if whole.is_zero() {
        return Decimal::ZERO;
    }
    (part * Decimal::ONE_HUNDRED / whole).round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// (key, label, employer, employee) rows with their shares of the employer's total.
fn with_shares(rows: Vec<(String, String, Decimal, Decimal)>) -> Vec<CostRow> {
    let whole: Decimal = rows.iter().map(|r| r.2).sum();
    rows.into_iter()
        .map(|(key, label, employer, employee)| CostRow { share_percent: share_percent(employer, whole), key, label, employer, employee })
        .collect()
}

/// The cost report: branches and departments as summed (departments sorted by cost), the
/// months of the filter with the new-hire growth worked out month on month.
pub fn costs(
    header: ReportHeader,
    by_branch: Vec<(String, String, Decimal, Decimal)>,
    mut by_department: Vec<(String, String, Decimal, Decimal)>,
    months: &BTreeMap<Period, MonthFacts>,
) -> Costs {
    by_department.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.1.cmp(&b.1)));
    let empty = MonthFacts::default();
    let mut before: Option<Decimal> = None;
    let by_month: Vec<MonthCost> = Period::range_inclusive(header.from, header.to)
        .into_iter()
        .map(|p| {
            let f = months.get(&p).unwrap_or(&empty);
            let growth = before.and_then(|b| growth_percent(b, f.new_hire_cost));
            before = Some(f.new_hire_cost);
            MonthCost {
                period: p,
                employer: f.employer,
                employee: f.employee,
                new_hires: f.new_hires,
                new_hire_cost: f.new_hire_cost,
                new_hire_growth: growth,
                back_payments: f.back_payments,
                back_payment_fees: f.back_payment_fees,
                late_fees: f.late_fees,
            }
        })
        .collect();
    let sum = |f: fn(&MonthCost) -> Decimal| by_month.iter().map(f).sum::<Decimal>();
    let (back_payment_fees, late_fees) = (sum(|m| m.back_payment_fees), sum(|m| m.late_fees));
    let mistakes = MistakeCost { back_payments: sum(|m| m.back_payments), back_payment_fees, late_fees, fees: back_payment_fees + late_fees };
    Costs { header, by_branch: with_shares(by_branch), by_department: with_shares(by_department), by_month, mistakes }
}

// ---------------------------------------------------------------------------------------
// Spreads and growth
// ---------------------------------------------------------------------------------------

/// A set of durations in days: how many, the median and the 90th percentile, both by the
/// nearest-rank rule (a value that occurred, never an interpolation between two).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spread {
    pub count: usize,
    pub median: Option<i64>,
    pub p90: Option<i64>,
}

/// The nearest-rank percentile `p` (1–100) of `sorted` (ascending): the smallest value with
/// at least p % of the values at or below it. None for no values.
pub fn nearest_rank(sorted: &[i64], p: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let p = p.clamp(1, 100) as usize;
    // ceil(p/100 × n), at least the first value.
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

impl Spread {
    pub fn of(days: &[i64]) -> Spread {
        let mut sorted = days.to_vec();
        sorted.sort_unstable();
        Spread { count: sorted.len(), median: nearest_rank(&sorted, 50), p90: nearest_rank(&sorted, 90) }
    }
}

/// The growth from `before` to `now` in percent, rounded half away from zero to one
/// decimal ("+12.5 %" on the reports). None when there was nothing before to grow from.
pub fn growth_percent(before: Decimal, now: Decimal) -> Option<Decimal> {
    if before.is_zero() {
        return None;
    }
    Some(((now - before) * Decimal::ONE_HUNDRED / before).round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn the_median_and_p90_are_values_that_occurred() {
        assert_eq!(Spread::of(&[]), Spread { count: 0, median: None, p90: None });
        assert_eq!(Spread::of(&[7]), Spread { count: 1, median: Some(7), p90: Some(7) });
        // 1..=10 days: the 5th and the 9th values.
        let ten: Vec<i64> = (1..=10).rev().collect();
        assert_eq!(Spread::of(&ten), Spread { count: 10, median: Some(5), p90: Some(9) });
        // One slow claim of four is past the 90th percentile's rank (ceil(3.6) = 4).
        assert_eq!(Spread::of(&[3, 2, 30, 4]), Spread { count: 4, median: Some(3), p90: Some(30) });
    }

    #[test]
    fn growth_is_in_percent_to_one_decimal() {
        assert_eq!(growth_percent(d("8000"), d("9000")), Some(d("12.5")));
        assert_eq!(growth_percent(d("9000"), d("8000")), Some(d("-11.1")));
        assert_eq!(growth_percent(d("3"), d("4")), Some(d("33.3")));
        assert_eq!(growth_percent(d("0"), d("4")), None, "no cost before: no growth to show");
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn month(s: &str) -> Period {
        Period::parse(s).unwrap()
    }

    fn header(from: &str, to: &str) -> ReportHeader {
        ReportHeader { from: month(from), to: month(to), branch_id: None, branches: Vec::new() }
    }

    fn step(on: NaiveDate, action: RunAction) -> RunStep {
        RunStep { on, action }
    }

    /// A run of 2026-09 due on 2026-09-15, opened on the 1st, with `steps`.
    fn run(branch: &str, steps: Vec<RunStep>, paid_on: Option<NaiveDate>) -> RunFact {
        RunFact {
            run_id: format!("run-{branch}"),
            branch_id: branch.into(),
            branch_name: format!("{branch}分公司"),
            period: month("2026-09"),
            due: day(2026, 9, 15),
            opened_on: day(2026, 9, 1),
            paid_on,
            steps,
            late_fee: Decimal::ZERO,
        }
    }

    #[test]
    fn the_filter_defaults_to_the_last_twelve_months_and_refuses_nonsense() {
        let today = day(2026, 12, 2);
        let f = ReportFilter::parse(None, Some(" "), Some(""), today).unwrap();
        assert_eq!((f.from, f.to, f.branch_id.clone()), (month("2026-01"), month("2026-12"), None));
        assert_eq!(f.periods().len(), 12);
        assert_eq!(f.query(), "from=2026-01&to=2026-12");
        let f = ReportFilter::parse(Some("2026-03"), Some("2026-05"), Some("br-bj"), today).unwrap();
        assert_eq!(f.query(), "from=2026-03&to=2026-05&branch=br-bj");
        let codes = |r: Result<ReportFilter, Vec<FieldError>>| r.unwrap_err().into_iter().map(|e| (e.field, e.code)).collect::<Vec<_>>();
        assert_eq!(codes(ReportFilter::parse(Some("2026-13"), Some("x"), None, today)), [("from".into(), "period.invalid".into()), ("to".into(), "period.invalid".into())]);
        assert_eq!(codes(ReportFilter::parse(Some("2026-06"), Some("2026-05"), None, today)), [("from".into(), "report.range_reversed".into())]);
        assert_eq!(codes(ReportFilter::parse(Some("2023-06"), Some("2026-06"), None, today)), [("from".into(), "report.range_too_long".into())]);
        assert!(ReportFilter::parse(Some("2023-07"), Some("2026-06"), None, today).is_ok(), "36 months is the most");
    }

    #[test]
    fn only_hr_finance_and_managers_read_reports_each_in_its_scope() {
        assert_eq!(report_scope(Role::Employee), None);
        assert_eq!(report_scope(Role::Admin), None);
        assert_eq!(report_scope(Role::HrSpecialist), Some(Scope::Branch));
        assert_eq!(report_scope(Role::Finance), Some(Scope::Group));
        assert_eq!(report_scope(Role::Director), Some(Scope::Group));
    }

    #[test]
    fn the_state_at_the_deadline_is_replayed_through_the_transition_table() {
        let steps = [
            step(day(2026, 9, 2), RunAction::FinishGeneration),
            step(day(2026, 9, 10), RunAction::Confirm),
            step(day(2026, 9, 16), RunAction::Approve),
        ];
        let opened = day(2026, 9, 1);
        assert_eq!(state_on(opened, &steps, day(2026, 8, 31)), None);
        assert_eq!(state_on(opened, &steps, day(2026, 9, 1)), Some(RunState::Generating));
        assert_eq!(state_on(opened, &steps, day(2026, 9, 15)), Some(RunState::Confirmed));
        assert_eq!(state_on(opened, &steps, day(2026, 9, 16)), Some(RunState::Approved));
        // A step the table refuses from the state reached (a stray entry) changes nothing.
        let stray = [step(day(2026, 9, 2), RunAction::Archive)];
        assert_eq!(state_on(opened, &stray, day(2026, 9, 30)), Some(RunState::Generating));
    }

    #[test]
    fn a_late_run_is_blamed_on_where_it_stood_at_the_deadline() {
        use RunAction::*;
        let (gen, confirm, approve, submit) = (step(day(2026, 9, 2), FinishGeneration), step(day(2026, 9, 5), Confirm), step(day(2026, 9, 8), Approve), step(day(2026, 9, 9), Submit));
        let paid = |d| vec![step(d, BureauPays), step(d, Archive)];
        let today = day(2026, 10, 1);
        let cause = |steps: Vec<RunStep>, paid_on| run("bj", steps, paid_on).late(today).map(|l| (l.cause, l.days_late));
        assert_eq!(cause(vec![gen, confirm, approve, submit, step(day(2026, 9, 15), BureauPays)], Some(day(2026, 9, 15))), None, "paid on the deadline");
        assert_eq!(cause(vec![gen], None), Some((LateCause::AwaitingHr, 16)));
        assert_eq!(cause(vec![gen, confirm], None), Some((LateCause::AwaitingFinance, 16)));
        assert_eq!(cause(vec![gen, confirm, approve], None), Some((LateCause::AwaitingSubmission, 16)));
        let mut at_bureau = vec![gen, confirm, approve, submit];
        at_bureau.extend(paid(day(2026, 9, 18)));
        assert_eq!(cause(at_bureau, Some(day(2026, 9, 18))), Some((LateCause::Bureau, 3)));
        // Sent back by finance before the deadline: the list needed corrections.
        assert_eq!(cause(vec![gen, confirm, step(day(2026, 9, 6), Reject)], None), Some((LateCause::MissingData, 16)));
        // Opened after its deadline: nobody had even started it.
        let mut late_open = run("bj", vec![], None);
        late_open.opened_on = day(2026, 9, 20);
        assert_eq!(late_open.late(today).map(|l| l.cause), Some(LateCause::AwaitingHr));
        // The deadline not passed yet: not late.
        assert_eq!(run("bj", vec![gen], None).late(day(2026, 9, 15)), None);
    }

    #[test]
    fn late_payments_count_by_branch_month_and_cause() {
        use RunAction::*;
        let gen = step(day(2026, 9, 2), FinishGeneration);
        let mut on_time = run("sh", vec![gen], Some(day(2026, 9, 14)));
        on_time.steps.push(step(day(2026, 9, 14), BureauPays));
        let mut paid_late = run("bj", vec![gen, step(day(2026, 9, 5), Confirm)], Some(day(2026, 9, 20)));
        paid_late.late_fee = Decimal::new(1234, 2);
        let mut october = run("bj", vec![], None);
        october.period = month("2026-10");
        october.due = day(2026, 10, 15);
        october.run_id = "run-bj-10".into();
        let mut not_due = run("sh", vec![], None);
        not_due.period = month("2026-11");
        not_due.due = day(2026, 11, 15);
        let report = late_payments(header("2026-09", "2026-11"), &[on_time, paid_late, october, not_due], day(2026, 11, 1));
        assert_eq!(report.causes.len(), LateCause::ALL.len());
        assert_eq!((report.total.runs, report.total.late), (3, 2), "the November run is not due yet");
        assert_eq!(report.total.late_fees, Decimal::new(1234, 2));
        let bj = report.by_branch.iter().find(|r| r.key == "bj").unwrap();
        assert_eq!((bj.runs, bj.late, bj.by_cause.clone()), (2, 2, vec![1, 0, 1, 0, 0]));
        let sh = report.by_branch.iter().find(|r| r.key == "sh").unwrap();
        assert_eq!((sh.runs, sh.late), (1, 0));
        let months: Vec<(String, u32)> = report.by_month.iter().map(|m| (m.key.clone(), m.late)).collect();
        assert_eq!(months, [("2026-09".into(), 1), ("2026-10".into(), 1), ("2026-11".into(), 0)]);
        assert_eq!(report.runs.iter().map(|r| r.run_id.as_str()).collect::<Vec<_>>(), ["run-bj-10", "run-bj"], "latest month first");
    }

    #[test]
    fn claim_times_split_normal_from_held_claims() {
        let claim = |submitted: u32, paid: Option<u32>, held: bool| ClaimFact {
            submitted_on: day(2026, 9, submitted),
            paid_on: paid.map(|d| day(2026, 10, d)),
            held,
            rejected: false,
            amount: Decimal::from(100),
        };
        let mut rejected = claim(3, None, false);
        rejected.rejected = true;
        // Normal: 3, 5 and 30 days; held: 40 days, and one still waiting.
        let claims = vec![claim(30, Some(3), false), claim(30, Some(5), false), claim(30, Some(30), false), claim(1, Some(11), true), claim(2, None, true), rejected];
        let report = claim_times(header("2026-09", "2026-10"), &claims);
        let normal = &report.groups[0];
        assert_eq!(normal.key, "normal");
        assert_eq!(normal.spread, Spread { count: 3, median: Some(5), p90: Some(30) });
        assert_eq!((normal.waiting, normal.paid_amount), (0, Decimal::from(300)), "a rejected claim waits for nothing");
        let held = &report.groups[1];
        assert_eq!(held.spread, Spread { count: 1, median: Some(40), p90: Some(40) });
        assert_eq!(held.waiting, 1);
        assert_eq!(report.by_month.len(), 2);
        assert_eq!(report.by_month[0].groups[0].count, 3);
        assert_eq!(report.by_month[1].groups, vec![Spread::of(&[]), Spread::of(&[])]);
    }

    #[test]
    fn costs_share_and_grow_month_on_month() {
        let facts = |cost: i64| MonthFacts { new_hire_cost: Decimal::from(cost), new_hires: 1, ..MonthFacts::default() };
        let months: BTreeMap<Period, MonthFacts> =
            [(month("2026-08"), facts(0)), (month("2026-09"), facts(8000)), (month("2026-10"), MonthFacts { late_fees: d("1.50"), back_payment_fees: d("2.25"), back_payments: d("900"), ..facts(9000) })]
                .into_iter()
                .collect();
        let branches = vec![("bj".into(), "北京".into(), d("300"), d("100")), ("sh".into(), "上海".into(), d("100"), d("50"))];
        let departments = vec![("".into(), "（未填部门）".into(), d("100"), d("50")), ("研发".into(), "研发".into(), d("300"), d("100"))];
        let report = costs(header("2026-08", "2026-11"), branches, departments, &months);
        assert_eq!(report.by_branch.iter().map(|r| r.share_percent).collect::<Vec<_>>(), [d("75.0"), d("25.0")]);
        assert_eq!(report.by_department[0].label, "研发", "the most costly first");
        let growth: Vec<Option<Decimal>> = report.by_month.iter().map(|m| m.new_hire_growth).collect();
        assert_eq!(growth, [None, None, Some(d("12.5")), Some(d("-100.0"))], "none from nothing; November had no new hires");
        assert_eq!(report.mistakes, MistakeCost { back_payments: d("900"), back_payment_fees: d("2.25"), late_fees: d("1.50"), fees: d("3.75") });
        assert_eq!(share_percent(d("1"), d("3")), d("33.3"));
        assert_eq!(share_percent(d("1"), Decimal::ZERO), Decimal::ZERO);
    }

    proptest! {
        #[test]
        fn late_runs_add_up_across_branches_months_and_causes(
            runs in proptest::collection::vec((0usize..3, 0u32..3, 0usize..5, proptest::option::of(0i64..40)), 0..30)
        ) {
            use RunAction::*;
            let ladder = [FinishGeneration, Confirm, Approve, Submit];
            let facts: Vec<RunFact> = runs.iter().enumerate().map(|(i, &(branch, m, steps, paid))| {
                let period = month("2026-07").add_months(m as i32);
                let due = period.due_date(15);
                let opened = period.first_day();
                let mut fact = run(["a", "b", "c"][branch], ladder.iter().take(steps.min(4)).map(|&a| step(opened, a)).collect(), paid.map(|d| due + chrono::Days::new(d as u64)));
                fact.run_id = format!("r{i}");
                (fact.period, fact.due, fact.opened_on) = (period, due, opened);
                fact
            }).collect();
            let report = late_payments(header("2026-07", "2026-09"), &facts, day(2026, 12, 1));
            let late: u32 = report.by_branch.iter().map(|r| r.late).sum();
            prop_assert_eq!(late, report.total.late);
            prop_assert_eq!(report.by_month.iter().map(|r| r.late).sum::<u32>(), report.total.late);
            prop_assert_eq!(report.total.by_cause.iter().sum::<u32>(), report.total.late);
            prop_assert_eq!(report.runs.len() as u32, report.total.late);
            prop_assert!(report.runs.iter().all(|r| r.days_late > 0));
        }

        #[test]
        fn percentiles_lie_within_the_values_and_in_order(days in proptest::collection::vec(0i64..400, 1..60)) {
            let s = Spread::of(&days);
            let (min, max) = (*days.iter().min().unwrap(), *days.iter().max().unwrap());
            let (median, p90) = (s.median.unwrap(), s.p90.unwrap());
            prop_assert!(days.contains(&median) && days.contains(&p90));
            prop_assert!(min <= median && median <= p90 && p90 <= max);
            // At least half the values are at or below the median.
            prop_assert!(days.iter().filter(|&&d| d <= median).count() * 2 >= days.len());
            prop_assert!(days.iter().filter(|&&d| d <= p90).count() * 10 >= days.len() * 9);
        }
    }
}
