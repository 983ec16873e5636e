//! The monthly contribution run of a branch: who is in it and on what base, its states and
//! who may move it, the budget check, and the one function that decides whether an
//! employee's month was paid normally, late, or lapsed (what claims will check).

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::contribution::{line_for, CalcError, ContributionLine, Terms};
use crate::enrollment::RequestKind;
use crate::lang::Lang;
use crate::money::format_yuan;
use crate::period::Period;
use crate::policy::{CityPolicy, InsuranceType};
use crate::pricing::{base_in_force, Filed};
use crate::role::{Role, Scope};
use crate::validation::FieldError;

// ---------------------------------------------------------------------------------------
// Who is in a month's run, on what base
// ---------------------------------------------------------------------------------------

/// What the registry says about an employee, as far as a run is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Registered {
    pub hire_date: NaiveDate,
    pub active: bool,
    /// The recorded monthly wage.
    pub salary: Decimal,
}

/// The declared base of `insurance_type` for `period`: from the employee's filed requests
/// when any of them concerns that type (an enrollment, an adjustment or a back-payment of
/// it, or a removal), otherwise the recorded wage (employees insured before the system).
/// `None`: not insured for that type that month (not enrolled yet, or removed).
pub fn declared_base(history: &[Filed], period: Period, insurance_type: InsuranceType, salary: Decimal) -> Option<Decimal> {
    let concerned = history
        .iter()
        .any(|f| f.kind == RequestKind::Removal || f.insurance_types.contains(&insurance_type));
    if concerned {
        base_in_force(history, period, insurance_type)
    } else {
        Some(salary)
    }
}

/// The employee's lines of `period`'s run, one per insurance type of the city's policy, or
/// none: a leaver is stopped, and someone hired after the month is not in it yet.
pub fn lines_of(
    policy: &CityPolicy,
    period: Period,
    employee: Registered,
    history: &[Filed],
    terms: &Terms,
) -> Result<Vec<ContributionLine>, CalcError> {
    if !employee.active || employee.hire_date > period.last_day() {
        return Ok(Vec::new());
    }
    policy
        .lines
        .iter()
        .filter_map(|line| {
            declared_base(history, period, line.insurance_type, employee.salary)
                .map(|declared| line_for(policy, period, line.insurance_type, declared, terms))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// States and actions
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunState {
    /// Lines are being worked out, chunk by chunk.
    Generating,
    /// Waiting for HR to check and confirm.
    Generated,
    /// Waiting for finance.
    Confirmed,
    /// Approved by finance: to be submitted to the bureau.
    Approved,
    /// With the bureau, waiting for its receipt.
    Submitted,
    /// Paid, the bureau's receipt recorded.
    Paid,
    /// Receipt on every employee's record, employees notified.
    Archived,
}

impl RunState {
    pub const ALL: [RunState; 7] = [
        RunState::Generating,
        RunState::Generated,
        RunState::Confirmed,
        RunState::Approved,
        RunState::Submitted,
        RunState::Paid,
        RunState::Archived,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RunState::Generating => "generating",
            RunState::Generated => "generated",
            RunState::Confirmed => "confirmed",
            RunState::Approved => "approved",
            RunState::Submitted => "submitted",
            RunState::Paid => "paid",
            RunState::Archived => "archived",
        }
    }

    pub fn from_code(code: &str) -> Option<RunState> {
        RunState::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            RunState::Generating => lang.pick("生成中", "Generating"),
            RunState::Generated => lang.pick("待人事确认", "Awaiting HR"),
            RunState::Confirmed => lang.pick("待财务审批", "Awaiting finance"),
            RunState::Approved => lang.pick("待报送", "To submit"),
            RunState::Submitted => lang.pick("已报送社保局", "With the bureau"),
            RunState::Paid => lang.pick("已缴费", "Paid"),
            RunState::Archived => lang.pick("已归档", "Archived"),
        }
    }

    /// The money has reached the bureau.
    pub fn is_paid(self) -> bool {
        matches!(self, RunState::Paid | RunState::Archived)
    }

    /// The people's steps still needed before the bureau is paid (confirm, approve,
    /// submit): what a run's danger is measured in.
    pub fn steps_left(self) -> u32 {
        match self {
            RunState::Generating | RunState::Generated => 3,
            RunState::Confirmed => 2,
            RunState::Approved => 1,
            RunState::Submitted | RunState::Paid | RunState::Archived => 0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunAction {
    /// Work the lines out again from the registry (after a correction).
    Regenerate,
    /// The last chunk is done.
    FinishGeneration,
    Confirm,
    Approve,
    /// Finance sends it back to HR, with a reason.
    Reject,
    Submit,
    /// The bureau's receipt arrived.
    BureauPays,
    /// Receipt written to every employee's record, employees notified.
    Archive,
}

impl RunAction {
    pub const ALL: [RunAction; 8] = [
        RunAction::Regenerate,
        RunAction::FinishGeneration,
        RunAction::Confirm,
        RunAction::Approve,
        RunAction::Reject,
        RunAction::Submit,
        RunAction::BureauPays,
        RunAction::Archive,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RunAction::Regenerate => "regenerate",
            RunAction::FinishGeneration => "finish_generation",
            RunAction::Confirm => "confirm",
            RunAction::Approve => "approve",
            RunAction::Reject => "reject",
            RunAction::Submit => "submit",
            RunAction::BureauPays => "bureau_pays",
            RunAction::Archive => "archive",
        }
    }

    pub fn from_code(code: &str) -> Option<RunAction> {
        RunAction::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            RunAction::Regenerate => lang.pick("重新生成", "Regenerate"),
            RunAction::FinishGeneration => lang.pick("生成完成", "Generation finished"),
            RunAction::Confirm => lang.pick("确认", "Confirm"),
            RunAction::Approve => lang.pick("审批通过", "Approve"),
            RunAction::Reject => lang.pick("退回人事", "Send back to HR"),
            RunAction::Submit => lang.pick("报送社保局", "Submit to the bureau"),
            RunAction::BureauPays => lang.pick("社保局回执", "Bureau receipt"),
            RunAction::Archive => lang.pick("归档", "Archive"),
        }
    }

    /// The audit log's action code.
    pub fn audit_code(self) -> String {
        format!("run.{}", self.code())
    }

    fn performer(self) -> Performer {
        match self {
            RunAction::Regenerate | RunAction::Confirm => Performer::Preparer,
            RunAction::Approve | RunAction::Reject => Performer::Finance,
            RunAction::Submit => Performer::Office,
            RunAction::FinishGeneration | RunAction::BureauPays | RunAction::Archive => Performer::System,
        }
    }

    /// Taken by a person (and so offered as a button).
    pub fn by_person(self) -> bool {
        self.performer() != Performer::System
    }

    /// The person must type a reason: sending back to HR always, approving when the run is
    /// over budget (`BudgetCheck::approval_reason` decides).
    pub fn needs_reason(self, budget: &BudgetCheck) -> bool {
        match self {
            RunAction::Reject => true,
            RunAction::Approve => budget.approval_reason(None).is_err(),
            _ => false,
        }
    }

    /// A reason typed is recorded with the step.
    pub fn takes_reason(self) -> bool {
        matches!(self, RunAction::Reject | RunAction::Approve)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Performer {
    /// Checks and confirms the branch's list: HR, or finance where it keeps the list.
    Preparer,
    /// Approves the payment against the budget (财务), never a run they confirmed.
    Finance,
    /// Either of them.
    Office,
    System,
}

const PREPARERS: [Role; 4] = [Role::HrSpecialist, Role::HrSupervisor, Role::HrManager, Role::Finance];
const FINANCE: [Role; 1] = [Role::Finance];

/// Who is acting on a run. `confirmed_it` is worked out by the server from the run's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunActor {
    pub role: Role,
    pub confirmed_it: bool,
    pub is_system: bool,
}

impl RunActor {
    pub fn user(role: Role, confirmed_it: bool) -> RunActor {
        RunActor { role, confirmed_it, is_system: false }
    }

    pub fn system() -> RunActor {
        RunActor { role: Role::Admin, confirmed_it: false, is_system: true }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunTransition {
    pub from: RunState,
    pub action: RunAction,
    pub to: RunState,
}

const fn step(from: RunState, action: RunAction, to: RunState) -> RunTransition {
    RunTransition { from, action, to }
}

/// Every allowed move; anything not listed is refused.
pub const RUN_TRANSITIONS: [RunTransition; 8] = {
    use RunAction as A;
    use RunState as S;
    [
        step(S::Generating, A::FinishGeneration, S::Generated),
        step(S::Generated, A::Regenerate, S::Generating),
        step(S::Generated, A::Confirm, S::Confirmed),
        step(S::Confirmed, A::Approve, S::Approved),
        step(S::Confirmed, A::Reject, S::Generated),
        step(S::Approved, A::Submit, S::Submitted),
        step(S::Submitted, A::BureauPays, S::Paid),
        step(S::Paid, A::Archive, S::Archived),
    ]
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::Zh))]
pub enum RunError {
    NotAllowed { from: RunState, action: RunAction },
    Forbidden,
    /// Finance tried to approve a run they confirmed themselves.
    ConfirmerApproves,
}

impl RunError {
    pub fn code(&self) -> &'static str {
        match self {
            RunError::NotAllowed { .. } => "run.invalid_transition",
            RunError::Forbidden => "run.forbidden",
            RunError::ConfirmerApproves => "run.self_approval",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match *self {
            RunError::NotAllowed { from: RunState::Generated, action: RunAction::Approve } => lang
                .pick("人事尚未确认本月缴费清单，财务不能审批", "HR has not confirmed this run yet: finance cannot approve it")
                .to_owned(),
            RunError::NotAllowed { from, action } => match lang {
                Lang::Zh => format!("当前状态「{}」不能执行「{}」", from.label(lang), action.label(lang)),
                Lang::En => format!("\u{201c}{}\u{201d} is not possible in the state \u{201c}{}\u{201d}", action.label(lang), from.label(lang)),
            },
            RunError::Forbidden => lang.pick("您的角色不能执行此操作", "Your role cannot do this").to_owned(),
            RunError::ConfirmerApproves => lang
                .pick(
                    "您确认过这份缴费清单，不能再审批它；请由另一位财务审批",
                    "You confirmed this run, so you cannot approve it; another finance officer must",
                )
                .to_owned(),
        }
    }
}

/// The state after `action`, if the table allows it from `from` and `actor` may do it.
pub fn transition(from: RunState, action: RunAction, actor: RunActor) -> Result<RunState, RunError> {
    let to = RUN_TRANSITIONS
        .iter()
        .find(|t| t.from == from && t.action == action)
        .map(|t| t.to)
        .ok_or(RunError::NotAllowed { from, action })?;
    match (action.performer(), actor.is_system) {
        (Performer::System, true) => Ok(to),
        (Performer::System, false) | (_, true) => Err(RunError::Forbidden),
        (Performer::Preparer | Performer::Office, false) if PREPARERS.contains(&actor.role) => Ok(to),
        (Performer::Finance, false) if FINANCE.contains(&actor.role) => {
            if actor.confirmed_it && action == RunAction::Approve {
                Err(RunError::ConfirmerApproves)
            } else {
                Ok(to)
            }
        }
        _ => Err(RunError::Forbidden),
    }
}

/// The actions `actor` may take on a run in `state` (what the app offers).
pub fn available_actions(state: RunState, actor: RunActor) -> Vec<RunAction> {
    RunAction::ALL.into_iter().filter(|&a| transition(state, a, actor).is_ok()).collect()
}

/// Whether the role starts runs and is told of them as the branch's HR.
pub fn may_prepare(role: Role) -> bool {
    PREPARERS.contains(&role)
}

/// Whether a user of `role` in `user_branch` sees `run_branch`'s runs: branch roles their
/// branch, group roles every branch; employees see their own lines only, never a run.
pub fn may_see_run(role: Role, user_branch: Option<&str>, run_branch: &str) -> bool {
    match role.employee_scope() {
        Scope::Own => false,
        Scope::Branch => user_branch == Some(run_branch),
        Scope::Group => true,
    }
}

// ---------------------------------------------------------------------------------------
// Budget
// ---------------------------------------------------------------------------------------

/// What finance sees when approving: how far over the branch's monthly budget the run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetCheck {
    pub budget: Option<Decimal>,
    /// How much the run exceeds the budget; `None` when within it (or there is none).
    pub over_by: Option<Decimal>,
}

impl BudgetCheck {
    pub fn of(total: Decimal, budget: Option<Decimal>) -> BudgetCheck {
        BudgetCheck { budget, over_by: budget.map(|b| total - b).filter(|d| *d > Decimal::ZERO) }
    }

    /// The approval's reason: required (and returned trimmed) when over budget.
    pub fn approval_reason(&self, raw: Option<&str>) -> Result<Option<String>, FieldError> {
        let reason = raw.map(str::trim).filter(|r| !r.is_empty());
        match (self.over_by, reason) {
            (Some(over), None) => Err(FieldError::new(
                "reason",
                "run.over_budget_reason",
                format!("本月缴费超出预算 {}，请填写超预算原因", format_yuan(over)),
                format!("This run is {} over budget: please give the reason", format_yuan(over)),
            )),
            (_, Some(r)) if r.chars().count() > crate::enrollment::MAX_REASON_CHARS => Err(FieldError::new(
                "reason",
                "reason.too_long",
                format!("原因最多 {} 个字", crate::enrollment::MAX_REASON_CHARS),
                format!("The reason takes at most {} characters", crate::enrollment::MAX_REASON_CHARS),
            )),
            (_, reason) => Ok(reason.map(str::to_owned)),
        }
    }
}

/// Whether the role sets branches' monthly budgets (finance, whose approval checks them).
pub fn may_set_budget(role: Role) -> bool {
    FINANCE.contains(&role)
}

/// A budget as typed: empty clears it; otherwise a positive amount in yuan.
pub fn parse_budget(raw: &str) -> Result<Option<Decimal>, FieldError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let amount = crate::money::parse_amount(raw).map_err(|e| e.to_field_error("budget"))?;
    if amount <= Decimal::ZERO {
        return Err(FieldError::new("budget", "budget.not_positive", "预算须大于 0", "The budget must be above 0"));
    }
    Ok(Some(amount))
}

// ---------------------------------------------------------------------------------------
// Contribution status and deadlines
// ---------------------------------------------------------------------------------------

/// An employee's contribution for one month, as claims and the dashboard see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContributionStatus {
    /// Paid on or before the deadline.
    Normal,
    /// Paid after the deadline (with the late fee).
    Late,
    /// Not paid, and the deadline has passed (断缴).
    Lapsed,
    /// Not paid yet, and the deadline has not passed.
    Open,
}

impl ContributionStatus {
    /// The one rule: a month is normal when paid by its deadline (in China), late when paid
    /// after it, lapsed when still unpaid once the deadline has passed.
    pub fn of(due: NaiveDate, paid_on: Option<NaiveDate>, today: NaiveDate) -> ContributionStatus {
        match paid_on {
            Some(paid) if paid <= due => ContributionStatus::Normal,
            Some(_) => ContributionStatus::Late,
            None if today > due => ContributionStatus::Lapsed,
            None => ContributionStatus::Open,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ContributionStatus::Normal => "normal",
            ContributionStatus::Late => "late",
            ContributionStatus::Lapsed => "lapsed",
            ContributionStatus::Open => "open",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ContributionStatus::Normal => lang.pick("正常", "Normal"),
            ContributionStatus::Late => lang.pick("逾期缴纳", "Paid late"),
            ContributionStatus::Lapsed => lang.pick("断缴", "Lapsed"),
            ContributionStatus::Open => lang.pick("待缴", "Not yet due"),
        }
    }
}

/// Where a branch's month stands, for the dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    NotGenerated,
    AwaitingHr,
    AwaitingFinance,
    /// Approved or with the bureau.
    AwaitingBureau,
    Done,
    /// Unpaid past the deadline.
    Late,
}

impl Progress {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Progress::NotGenerated => lang.pick("未生成", "Not generated"),
            Progress::AwaitingHr => lang.pick("待人事确认", "Awaiting HR"),
            Progress::AwaitingFinance => lang.pick("待财务审批", "Awaiting finance"),
            Progress::AwaitingBureau => lang.pick("待社保局缴费", "With the bureau"),
            Progress::Done => lang.pick("已完成", "Done"),
            Progress::Late => lang.pick("已逾期", "Late"),
        }
    }
}

/// How worried to be about a branch's month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Paid, or enough days left for the steps still needed.
    OnTrack,
    /// Waiting on a person, with time for it.
    Waiting,
    /// Fewer days left than steps still needed (one working day a step), or late: red.
    Danger,
}

/// A branch's month at a glance: progress, urgency and the days to the deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    pub progress: Progress,
    pub urgency: Urgency,
    /// Days from today to the deadline in China (negative: overdue).
    pub days_left: i64,
}

impl Standing {
    pub fn of(state: Option<RunState>, due: NaiveDate, today: NaiveDate) -> Standing {
        let days_left = (due - today).num_days();
        let paid = state.is_some_and(RunState::is_paid);
        let progress = match state {
            _ if paid => Progress::Done,
            _ if days_left < 0 => Progress::Late,
            None => Progress::NotGenerated,
            Some(RunState::Generating | RunState::Generated) => Progress::AwaitingHr,
            Some(RunState::Confirmed) => Progress::AwaitingFinance,
            Some(_) => Progress::AwaitingBureau,
        };
        let steps = state.map_or(3, RunState::steps_left);
        let urgency = if paid || (steps == 0 && days_left >= 0) {
            Urgency::OnTrack
        } else if days_left < i64::from(steps) {
            Urgency::Danger
        } else {
            Urgency::Waiting
        };
        Standing { progress, urgency, days_left }
    }

    /// "距离社保缴费截止日还有 3 天", "今天是社保缴费截止日", "已逾期 2 天"; "已缴费" once paid.
    pub fn countdown(&self, lang: Lang) -> String {
        match (self.progress, self.days_left, lang) {
            (Progress::Done, _, lang) => lang.pick("本月已缴费", "Paid this month").to_owned(),
            (_, 0, lang) => lang.pick("今天是社保缴费截止日", "The payment deadline is today").to_owned(),
            (_, d, Lang::Zh) if d > 0 => format!("距离社保缴费截止日还有 {d} 天"),
            (_, d, Lang::En) if d > 0 => format!("{d} days to the payment deadline"),
            (_, d, Lang::Zh) => format!("已逾期 {} 天", -d),
            (_, d, Lang::En) => format!("{} days overdue", -d),
        }
    }

    /// The day from which a run in `state` is in danger: `steps_left` days before the
    /// deadline (so that each step still has a day), or `None` when nothing is left to do.
    pub fn danger_from(state: RunState, due: NaiveDate) -> Option<NaiveDate> {
        match state.steps_left() {
            0 => None,
            steps => due.checked_sub_days(Days::new(u64::from(steps) - 1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::test_date;
    use crate::policy::{policy_for, City};
    use proptest::prelude::*;

    fn p(s: &str) -> Period {
        Period::parse(s).unwrap()
    }

    fn registered(hire: NaiveDate) -> Registered {
        Registered { hire_date: hire, active: true, salary: Decimal::from(10_000) }
    }

    #[test]
    fn a_run_has_a_line_per_type_of_the_city() {
        let policy = policy_for(City::Beijing, p("2025-09")).unwrap();
        let lines = lines_of(policy, p("2025-09"), registered(test_date(2020, 1, 1)), &[], &Terms::default()).unwrap();
        assert_eq!(lines.len(), policy.lines.len());
        assert!(lines.iter().all(|l| l.declared == Decimal::from(10_000)));
    }

    #[test]
    fn leavers_and_later_hires_are_not_in_the_run() {
        let policy = policy_for(City::Beijing, p("2025-09")).unwrap();
        let later = registered(test_date(2025, 10, 1));
        assert!(lines_of(policy, p("2025-09"), later, &[], &Terms::default()).unwrap().is_empty());
        // Hired on the month's last day: in it.
        let last = registered(test_date(2025, 9, 30));
        assert!(!lines_of(policy, p("2025-09"), last, &[], &Terms::default()).unwrap().is_empty());
        let left = Registered { active: false, ..registered(test_date(2020, 1, 1)) };
        assert!(lines_of(policy, p("2025-09"), left, &[], &Terms::default()).unwrap().is_empty());
    }

    #[test]
    fn filed_adjustments_and_removals_apply() {
        let policy = policy_for(City::Beijing, p("2025-09")).unwrap();
        let filed = |kind, from: &str, base: i64| Filed {
            kind,
            from: p(from),
            to: p(from),
            insurance_types: vec![InsuranceType::Pension],
            base: Decimal::from(base),
        };
        let emp = registered(test_date(2020, 1, 1));
        let history = [filed(RequestKind::Enrollment, "2025-01", 9_000), filed(RequestKind::BaseAdjustment, "2025-07", 12_000)];
        let lines = lines_of(policy, p("2025-09"), emp, &history, &Terms::default()).unwrap();
        let pension = lines.iter().find(|l| l.insurance_type == InsuranceType::Pension).unwrap();
        assert_eq!(pension.declared, Decimal::from(12_000));
        // Types the requests never touched keep the recorded wage.
        let medical = lines.iter().find(|l| l.insurance_type == InsuranceType::Medical).unwrap();
        assert_eq!(medical.declared, Decimal::from(10_000));
        let removed = [history[0].clone(), filed(RequestKind::Removal, "2025-08", 0)];
        assert!(lines_of(policy, p("2025-09"), emp, &removed, &Terms::default()).unwrap().is_empty());
    }

    #[test]
    fn finance_approves_only_a_confirmed_run_it_did_not_confirm() {
        let finance = RunActor::user(Role::Finance, false);
        assert_eq!(
            transition(RunState::Generated, RunAction::Approve, finance),
            Err(RunError::NotAllowed { from: RunState::Generated, action: RunAction::Approve })
        );
        assert!(RunError::NotAllowed { from: RunState::Generated, action: RunAction::Approve }
            .message(Lang::Zh)
            .contains("人事尚未确认"));
        assert_eq!(transition(RunState::Confirmed, RunAction::Approve, finance), Ok(RunState::Approved));
        assert_eq!(
            transition(RunState::Confirmed, RunAction::Approve, RunActor::user(Role::Finance, true)),
            Err(RunError::ConfirmerApproves)
        );
        // Finance may keep the list, but then another finance officer approves it.
        assert_eq!(transition(RunState::Generated, RunAction::Confirm, finance), Ok(RunState::Confirmed));
        assert_eq!(
            transition(RunState::Generated, RunAction::Confirm, RunActor::user(Role::Employee, false)),
            Err(RunError::Forbidden)
        );
        assert_eq!(
            transition(RunState::Confirmed, RunAction::Approve, RunActor::user(Role::HrManager, false)),
            Err(RunError::Forbidden)
        );
    }

    #[test]
    fn only_the_system_finishes_and_records_receipts() {
        for role in Role::ALL {
            assert!(transition(RunState::Submitted, RunAction::BureauPays, RunActor::user(role, false)).is_err());
            assert!(transition(RunState::Generating, RunAction::FinishGeneration, RunActor::user(role, false)).is_err());
        }
        assert_eq!(transition(RunState::Paid, RunAction::Archive, RunActor::system()), Ok(RunState::Archived));
        assert_eq!(transition(RunState::Generated, RunAction::Confirm, RunActor::system()), Err(RunError::Forbidden));
    }

    #[test]
    fn runs_are_seen_by_their_branch_and_the_group() {
        assert!(may_see_run(Role::HrSpecialist, Some("br-a"), "br-a"));
        assert!(!may_see_run(Role::HrSpecialist, Some("br-a"), "br-b"));
        assert!(may_see_run(Role::Director, None, "br-b"));
        assert!(!may_see_run(Role::Employee, Some("br-a"), "br-a"));
    }

    #[test]
    fn over_budget_needs_a_reason() {
        let check = BudgetCheck::of(Decimal::from(1_000), Some(Decimal::from(900)));
        assert_eq!(check.over_by, Some(Decimal::from(100)));
        let err = check.approval_reason(Some("  ")).unwrap_err();
        assert_eq!(err.code, "run.over_budget_reason");
        assert!(err.message.contains("¥100.00"));
        assert_eq!(check.approval_reason(Some(" 年终奖 ")).unwrap().as_deref(), Some("年终奖"));
        assert!(RunAction::Approve.needs_reason(&check) && RunAction::Reject.needs_reason(&check));
        assert!(!RunAction::Confirm.needs_reason(&check) && !RunAction::Submit.takes_reason());
        let within = BudgetCheck::of(Decimal::from(900), Some(Decimal::from(900)));
        assert!(!RunAction::Approve.needs_reason(&within) && RunAction::Reject.needs_reason(&within));
        assert_eq!(within.over_by, None);
        assert_eq!(within.approval_reason(None).unwrap(), None);
        assert_eq!(BudgetCheck::of(Decimal::from(900), None).over_by, None);
    }

    #[test]
    fn budgets_as_typed() {
        assert_eq!(parse_budget(" "), Ok(None));
        assert_eq!(parse_budget("300,000"), Ok(Some(Decimal::new(30_000_000, 2))));
        assert_eq!(parse_budget("0").unwrap_err().code, "budget.not_positive");
        assert_eq!(parse_budget("abc").unwrap_err().field, "budget");
        assert!(may_set_budget(Role::Finance) && !may_set_budget(Role::HrManager));
    }

    #[test]
    fn status_of_a_month() {
        let due = test_date(2026, 8, 25);
        assert_eq!(ContributionStatus::of(due, Some(due), test_date(2026, 9, 1)), ContributionStatus::Normal);
        assert_eq!(ContributionStatus::of(due, Some(test_date(2026, 8, 26)), test_date(2026, 9, 1)), ContributionStatus::Late);
        assert_eq!(ContributionStatus::of(due, None, due), ContributionStatus::Open);
        assert_eq!(ContributionStatus::of(due, None, test_date(2026, 8, 26)), ContributionStatus::Lapsed);
    }

    #[test]
    fn standing_and_countdown() {
        let due = test_date(2026, 12, 25);
        let today = test_date(2026, 12, 23);
        let shenzhen = Standing::of(Some(RunState::Generated), due, today);
        assert_eq!((shenzhen.progress, shenzhen.urgency, shenzhen.days_left), (Progress::AwaitingHr, Urgency::Danger, 2));
        assert_eq!(shenzhen.countdown(Lang::Zh), "距离社保缴费截止日还有 2 天");
        let beijing = Standing::of(Some(RunState::Confirmed), due, today);
        assert_eq!((beijing.progress, beijing.urgency), (Progress::AwaitingFinance, Urgency::Waiting));
        let shanghai = Standing::of(Some(RunState::Archived), test_date(2026, 12, 15), today);
        assert_eq!((shanghai.progress, shanghai.urgency), (Progress::Done, Urgency::OnTrack));
        assert_eq!(shanghai.countdown(Lang::Zh), "本月已缴费");
        let late = Standing::of(Some(RunState::Confirmed), test_date(2026, 12, 21), today);
        assert_eq!((late.progress, late.urgency), (Progress::Late, Urgency::Danger));
        assert_eq!(late.countdown(Lang::Zh), "已逾期 2 天");
        assert_eq!(Standing::of(None, today, today).countdown(Lang::Zh), "今天是社保缴费截止日");
        assert_eq!(Standing::danger_from(RunState::Generated, due), Some(test_date(2026, 12, 23)));
        assert_eq!(Standing::danger_from(RunState::Approved, due), Some(due));
        assert_eq!(Standing::danger_from(RunState::Submitted, due), None);
    }

    proptest! {
        /// Danger starts exactly on `danger_from` and never lifts before the deadline
        /// without a step being taken.
        #[test]
        fn danger_begins_on_danger_from(state in prop::sample::select(RunState::ALL.to_vec()), offset in -10i64..40) {
            let due = test_date(2026, 12, 25);
            let today = due.checked_sub_signed(chrono::Duration::days(offset)).unwrap();
            let standing = Standing::of(Some(state), due, today);
            let expected = match Standing::danger_from(state, due) {
                _ if state.is_paid() => false,
                Some(from) => today >= from,
                None => today > due,
            };
            prop_assert_eq!(standing.urgency == Urgency::Danger, expected);
        }

        /// Paid by the deadline is normal whatever day it is read; unpaid turns lapsed the
        /// day after the deadline and never before.
        #[test]
        fn status_follows_the_deadline(paid in proptest::option::of(-5i64..5), read in -5i64..60) {
            let due = test_date(2026, 8, 25);
            let day = |d: i64| due.checked_add_signed(chrono::Duration::days(d)).unwrap();
            let status = ContributionStatus::of(due, paid.map(day), day(read));
            let expected = match paid {
                Some(d) if d <= 0 => ContributionStatus::Normal,
                Some(_) => ContributionStatus::Late,
                None if read > 0 => ContributionStatus::Lapsed,
                None => ContributionStatus::Open,
            };
            prop_assert_eq!(status, expected);
        }
    }
}
