//! Medical reimbursement claims: what an employee may claim, which files count as its
//! documents, its states and who moves it, and the check of the employee's last three
//! months of contributions that holds a claim until the company has paid.

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::escalation::OpenItem;
use crate::lang::Lang;
use crate::money::{format_yuan, parse_amount};
use crate::period::Period;
use crate::role::{Role, Scope};
use crate::run::{ContributionStatus, RunState};
use crate::validation::FieldError;

// ---------------------------------------------------------------------------------------
// The claim's form
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// 住院: from admission to discharge.
    Inpatient,
    /// 门诊: one visit (start and end the same day, or a course of treatment).
    Outpatient,
}

impl ClaimKind {
    pub const ALL: [ClaimKind; 2] = [ClaimKind::Inpatient, ClaimKind::Outpatient];

    pub fn code(self) -> &'static str {
        match self {
            ClaimKind::Inpatient => "inpatient",
            ClaimKind::Outpatient => "outpatient",
        }
    }

    pub fn from_code(code: &str) -> Option<ClaimKind> {
        ClaimKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ClaimKind::Inpatient => lang.pick("住院报销", "Inpatient"),
            ClaimKind::Outpatient => lang.pick("门诊报销", "Outpatient"),
        }
    }
}

/// The largest claim accepted online; larger ones are handled by HR in person.
pub const MAX_CLAIM_AMOUNT: Decimal = Decimal::from_parts(100_000_000, 0, 0, false, 2);
/// How far back treatment may be claimed (the bureau's usual window is one year).
pub const CLAIM_WINDOW_DAYS: u64 = 365;

/// What the employee types, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimForm {
    pub kind: String,
    pub amount: String,
    pub start_date: String,
    pub end_date: String,
    pub hospital: String,
}

/// A claim's form once every field is right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidClaim {
    pub kind: ClaimKind,
    pub amount: Decimal,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub hospital: String,
}

fn date_field(raw: &str, field: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| FieldError::new(field, "claim.date", "请填写日期（YYYY-MM-DD）", "Enter a date (YYYY-MM-DD)"))
}

impl ClaimForm {
    /// Every field's error at once (the app shows them as the employee types; the server
    /// refuses the same ones).
    pub fn parse(&self, today: NaiveDate) -> Result<ValidClaim, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = ClaimKind::from_code(&self.kind);
        if kind.is_none() {
            errors.push(FieldError::new("kind", "claim.kind", "请选择住院或门诊", "Choose inpatient or outpatient"));
        }
        let amount = match parse_amount(&self.amount) {
            Ok(a) if a.is_zero() => Err(FieldError::new("amount", "claim.amount_zero", "报销金额须大于 0", "The amount must be more than 0")),
            Ok(a) if a > MAX_CLAIM_AMOUNT => Err(FieldError::new(
                "amount",
                "claim.amount_large",
                format!("单笔报销不超过 {}，更大金额请联系人事线下办理", format_yuan(MAX_CLAIM_AMOUNT)),
                format!("At most {} online; contact HR for larger claims", format_yuan(MAX_CLAIM_AMOUNT)),
            )),
            Ok(a) => Ok(a),
            Err(e) => Err(e.to_field_error("amount")),
        };
        let amount = amount.map_err(|e| errors.push(e)).ok();
        let start = date_field(&self.start_date, "start_date").map_err(|e| errors.push(e)).ok();
        let earliest = today.checked_sub_days(Days::new(CLAIM_WINDOW_DAYS)).unwrap_or(today);
        if let Some(s) = start {
            if s > today {
                errors.push(FieldError::new("start_date", "claim.future", "就诊日期不能晚于今天", "Treatment cannot start in the future"));
            } else if s < earliest {
                errors.push(FieldError::new(
                    "start_date",
                    "claim.too_old",
                    format!("只能报销一年内（{earliest} 以后）的就诊"),
                    format!("Only treatment within a year (from {earliest}) can be claimed"),
                ));
            }
        }
        let end = date_field(&self.end_date, "end_date").map_err(|e| errors.push(e)).ok();
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                errors.push(FieldError::new("end_date", "claim.end_before_start", "结束日期不能早于开始日期", "The end cannot be before the start"));
            } else if e > today {
                errors.push(FieldError::new("end_date", "claim.future", "出院或结束日期不能晚于今天", "The end cannot be in the future"));
            }
        }
        let hospital = self.hospital.trim();
        let length = hospital.chars().count();
        if !(2..=60).contains(&length) {
            errors.push(FieldError::new("hospital", "claim.hospital", "请填写医院全称（2–60 个字）", "Enter the hospital's name (2–60 characters)"));
        }
        match (kind, amount, start, end, errors.is_empty()) {
            (Some(kind), Some(amount), Some(start_date), Some(end_date), true) => {
                Ok(ValidClaim { kind, amount, start_date, end_date, hospital: hospital.to_string() })
            }
            _ => Err(errors),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// 诊断证明 or 出院小结.
    Certificate,
    /// 费用清单 / 发票.
    ExpenseList,
    /// 身份证复印件.
    IdCopy,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 3] = [DocumentKind::Certificate, DocumentKind::ExpenseList, DocumentKind::IdCopy];

    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::Certificate => "certificate",
            DocumentKind::ExpenseList => "expense_list",
            DocumentKind::IdCopy => "id_copy",
        }
    }

    pub fn from_code(code: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            DocumentKind::Certificate => lang.pick("诊断证明或出院小结", "Diagnosis or discharge summary"),
            DocumentKind::ExpenseList => lang.pick("费用清单或发票", "Itemised bill or invoice"),
            DocumentKind::IdCopy => lang.pick("身份证复印件", "Copy of the ID card"),
        }
    }
}

/// The kinds a claim still lacks before it can be submitted (every kind is needed).
pub fn missing_documents(have: &[DocumentKind]) -> Vec<DocumentKind> {
    DocumentKind::ALL.into_iter().filter(|k| !have.contains(k)).collect()
}

pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_DOCUMENTS: usize = 10;

/// The file types a document may be, recognised by their first bytes, never the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileType {
    Pdf,
    Jpeg,
    Png,
}

impl FileType {
    /// The type the content is, from its signature: `%PDF-`, JPEG's SOI marker `FF D8 FF`,
    /// PNG's eight-byte signature.
    pub fn sniff(content: &[u8]) -> Option<FileType> {
        if content.starts_with(b"%PDF-") {
            Some(FileType::Pdf)
        } else if content.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileType::Jpeg)
        } else if content.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(FileType::Png)
        } else {
            None
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
        }
    }

    pub fn from_code(code: &str) -> Option<FileType> {
        [FileType::Pdf, FileType::Jpeg, FileType::Png].into_iter().find(|t| t.mime() == code)
    }
}

/// Why an upload was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::Zh))]
pub enum DocumentError {
    Empty,
    TooLarge,
    /// Not a PDF, JPEG or PNG by its content, whatever its name says.
    NotAllowedType,
    TooMany,
}

impl DocumentError {
    pub fn code(self) -> &'static str {
        match self {
            DocumentError::Empty => "document.empty",
            DocumentError::TooLarge => "document.too_large",
            DocumentError::NotAllowedType => "document.type",
            DocumentError::TooMany => "document.too_many",
        }
    }

    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            DocumentError::Empty => lang.pick("文件是空的，请重新选择", "The file is empty"),
            DocumentError::TooLarge => lang.pick("文件超过 10 MB，请压缩或分页拍照后再上传", "The file is over 10 MB"),
            DocumentError::NotAllowedType => lang.pick(
                "只能上传 PDF、JPEG 或 PNG 文件（按文件内容识别，改扩展名无效）",
                "Only PDF, JPEG or PNG files (recognised by content, not by name)",
            ),
            DocumentError::TooMany => lang.pick("每笔报销最多 10 个文件", "At most 10 files a claim"),
        }
    }
}

/// Whether a file may be added to a claim that has `existing` documents: its type by content.
pub fn check_document(content: &[u8], existing: usize) -> Result<FileType, DocumentError> {
    if existing >= MAX_DOCUMENTS {
        return Err(DocumentError::TooMany);
    }
    if content.is_empty() {
        return Err(DocumentError::Empty);
    }
    if content.len() > MAX_DOCUMENT_BYTES {
        return Err(DocumentError::TooLarge);
    }
    FileType::sniff(content).ok_or(DocumentError::NotAllowedType)
}

// ---------------------------------------------------------------------------------------
// States and who moves them
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimState {
    /// Being filled in and documented by the employee.
    Draft,
    /// Submitted, but a month of the last three is unpaid: waits for the company to pay.
    Held,
    HrReview,
    FinanceReview,
    /// Approved by finance, to be paid to the employee's bank card.
    Approved,
    Paid,
    Rejected,
}

impl ClaimState {
    pub const ALL: [ClaimState; 7] = [
        ClaimState::Draft,
        ClaimState::Held,
        ClaimState::HrReview,
        ClaimState::FinanceReview,
        ClaimState::Approved,
        ClaimState::Paid,
        ClaimState::Rejected,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ClaimState::Draft => "draft",
            ClaimState::Held => "held",
            ClaimState::HrReview => "hr_review",
            ClaimState::FinanceReview => "finance_review",
            ClaimState::Approved => "approved",
            ClaimState::Paid => "paid",
            ClaimState::Rejected => "rejected",
        }
    }

    pub fn from_code(code: &str) -> Option<ClaimState> {
        ClaimState::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ClaimState::Draft => lang.pick("草稿", "Draft"),
            ClaimState::Held => lang.pick("暂停：待补缴", "On hold: contributions unpaid"),
            ClaimState::HrReview => lang.pick("人事审核中", "HR review"),
            ClaimState::FinanceReview => lang.pick("财务审批中", "Finance approval"),
            ClaimState::Approved => lang.pick("待打款", "To be paid"),
            ClaimState::Paid => lang.pick("已打款", "Paid"),
            ClaimState::Rejected => lang.pick("已驳回", "Rejected"),
        }
    }

    /// The step expected next and who holds it, for the employee's timeline; `None` when
    /// the claim is finished.
    pub fn next_step(self, lang: Lang) -> Option<(&'static str, &'static str)> {
        match self {
            ClaimState::Draft => Some((lang.pick("上传材料并提交", "Upload the documents and submit"), lang.pick("您本人", "You"))),
            ClaimState::Held => Some((lang.pick("单位补缴断缴月份的社保", "The company pays the unpaid months"), lang.pick("单位人事与财务", "HR and finance"))),
            ClaimState::HrReview => Some((lang.pick("人事审核材料", "HR checks the documents"), lang.pick("人事", "HR"))),
            ClaimState::FinanceReview => Some((lang.pick("财务审批金额", "Finance approves the amount"), lang.pick("财务", "Finance"))),
            ClaimState::Approved => Some((lang.pick("银行打款到您的银行卡", "The bank pays your card"), lang.pick("财务", "Finance"))),
            ClaimState::Paid | ClaimState::Rejected => None,
        }
    }

    /// Documents may still be added (while drafting, and while held, to prepare).
    pub fn takes_documents(self) -> bool {
        matches!(self, ClaimState::Draft | ClaimState::Held)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimAction {
    /// The employee submits; every month of the last three is in order.
    Submit,
    /// The employee submits; a month is unpaid, so the claim waits.
    SubmitHeld,
    /// Every month is in order again: the claim goes on by itself.
    Resume,
    /// HR has checked the documents.
    HrApprove,
    /// Finance approves the amount.
    FinanceApprove,
    Reject,
    /// The bank's receipt arrived.
    Pay,
}

impl ClaimAction {
    pub const ALL: [ClaimAction; 7] = [
        ClaimAction::Submit,
        ClaimAction::SubmitHeld,
        ClaimAction::Resume,
        ClaimAction::HrApprove,
        ClaimAction::FinanceApprove,
        ClaimAction::Reject,
        ClaimAction::Pay,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ClaimAction::Submit => "submit",
            ClaimAction::SubmitHeld => "submit_held",
            ClaimAction::Resume => "resume",
            ClaimAction::HrApprove => "hr_approve",
            ClaimAction::FinanceApprove => "finance_approve",
            ClaimAction::Reject => "reject",
            ClaimAction::Pay => "pay",
        }
    }

    pub fn from_code(code: &str) -> Option<ClaimAction> {
        ClaimAction::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ClaimAction::Submit => lang.pick("提交申请", "Submitted"),
            ClaimAction::SubmitHeld => lang.pick("提交申请（社保断缴，暂停）", "Submitted (held: contributions unpaid)"),
            ClaimAction::Resume => lang.pick("社保已补缴，自动恢复", "Contributions paid: resumed by itself"),
            ClaimAction::HrApprove => lang.pick("人事审核通过", "HR approved"),
            ClaimAction::FinanceApprove => lang.pick("财务审批通过", "Finance approved"),
            ClaimAction::Reject => lang.pick("驳回", "Rejected"),
            ClaimAction::Pay => lang.pick("银行已打款", "Paid by the bank"),
        }
    }

    /// The audit log's (and the timeline's) action code.
    pub fn audit_code(self) -> String {
        format!("claim.{}", self.code())
    }

    /// The action an audit code records, for the timeline.
    pub fn from_audit_code(code: &str) -> Option<ClaimAction> {
        code.strip_prefix("claim.").and_then(ClaimAction::from_code)
    }

    /// The action named by `POST /api/claims/{id}/{name}`: `approve` is HR's or finance's
    /// by the claim's state.
    pub fn from_route(name: &str, state: ClaimState) -> Option<ClaimAction> {
        match (name, state) {
            ("submit", _) => Some(ClaimAction::Submit),
            ("approve", ClaimState::FinanceReview) => Some(ClaimAction::FinanceApprove),
            ("approve", _) => Some(ClaimAction::HrApprove),
            ("reject", _) => Some(ClaimAction::Reject),
            ("pay", _) => Some(ClaimAction::Pay),
            _ => None,
        }
    }

    /// The route name of an action a person takes (what the app's buttons post to).
    pub fn route(self) -> &'static str {
        match self {
            ClaimAction::Submit | ClaimAction::SubmitHeld => "submit",
            ClaimAction::HrApprove | ClaimAction::FinanceApprove => "approve",
            ClaimAction::Reject => "reject",
            ClaimAction::Pay => "pay",
            ClaimAction::Resume => "resume",
        }
    }

    pub fn needs_reason(self) -> bool {
        self == ClaimAction::Reject
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Performer {
    Claimant,
    Hr,
    Finance,
    /// HR at review, finance at approval.
    Reviewer,
    System,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimTransition {
    pub from: ClaimState,
    pub action: ClaimAction,
    pub to: ClaimState,
    performer: Performer,
}

const fn step(from: ClaimState, action: ClaimAction, to: ClaimState, performer: Performer) -> ClaimTransition {
    ClaimTransition { from, action, to, performer }
}

/// Every allowed move and who makes it; anything not listed is refused. Paying is
/// finance's (the bank's receipt lands in the same step).
pub const CLAIM_TRANSITIONS: [ClaimTransition; 9] = {
    use ClaimAction as A;
    use ClaimState as S;
    [
        step(S::Draft, A::Submit, S::HrReview, Performer::Claimant),
        step(S::Draft, A::SubmitHeld, S::Held, Performer::Claimant),
        step(S::Held, A::Resume, S::HrReview, Performer::System),
        step(S::HrReview, A::HrApprove, S::FinanceReview, Performer::Hr),
        step(S::HrReview, A::Reject, S::Rejected, Performer::Reviewer),
        step(S::FinanceReview, A::FinanceApprove, S::Approved, Performer::Finance),
        step(S::FinanceReview, A::Reject, S::Rejected, Performer::Reviewer),
        step(S::Approved, A::Pay, S::Paid, Performer::Finance),
        // A held claim still with HR: a claim for treatment that is not covered is
        // rejected at once instead of waiting for the months to be paid.
        step(S::Held, A::Reject, S::Rejected, Performer::Hr),
    ]
};

const HR: [Role; 3] = [Role::HrSpecialist, Role::HrSupervisor, Role::HrManager];
const FINANCE: [Role; 1] = [Role::Finance];

/// Who is acting on a claim. `claimant` is worked out by the server from the claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimActor {
    pub role: Role,
    pub claimant: bool,
    pub is_system: bool,
}

impl ClaimActor {
    pub fn user(role: Role, claimant: bool) -> ClaimActor {
        ClaimActor { role, claimant, is_system: false }
    }

    pub fn system() -> ClaimActor {
        ClaimActor { role: Role::Admin, claimant: false, is_system: true }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::Zh))]
pub enum ClaimError {
    NotAllowed { from: ClaimState, action: ClaimAction },
    Forbidden,
    /// Submitting without every kind of document.
    MissingDocuments,
}

impl ClaimError {
    pub fn code(&self) -> &'static str {
        match self {
            ClaimError::NotAllowed { .. } => "claim.invalid_transition",
            ClaimError::Forbidden => "claim.forbidden",
            ClaimError::MissingDocuments => "claim.missing_documents",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match *self {
            ClaimError::NotAllowed { from, action } => match lang {
                Lang::Zh => format!("报销当前「{}」，不能「{}」", from.label(lang), action.label(lang)),
                Lang::En => format!("\u{201c}{}\u{201d} is not possible while the claim is \u{201c}{}\u{201d}", action.label(lang), from.label(lang)),
            },
            ClaimError::Forbidden => lang.pick("您的角色不能执行此操作", "Your role cannot do this").to_owned(),
            ClaimError::MissingDocuments => lang
                .pick("材料不全：诊断证明或出院小结、费用清单或发票、身份证复印件各需至少一份", "Every kind of document is needed")
                .to_owned(),
        }
    }
}

/// The state after `action`, if the table allows it from `from` and `actor` may do it.
pub fn transition(from: ClaimState, action: ClaimAction, actor: ClaimActor) -> Result<ClaimState, ClaimError> {
    let t = CLAIM_TRANSITIONS
        .iter()
        .find(|t| t.from == from && t.action == action)
        .ok_or(ClaimError::NotAllowed { from, action })?;
    let allowed = match (t.performer, actor.is_system) {
        (Performer::System, system) => system,
        (_, true) => false,
        (Performer::Claimant, false) => actor.claimant,
        (Performer::Hr, false) => HR.contains(&actor.role),
        (Performer::Finance, false) => FINANCE.contains(&actor.role),
        (Performer::Reviewer, false) => match from {
            ClaimState::FinanceReview => FINANCE.contains(&actor.role),
            _ => HR.contains(&actor.role),
        },
    };
    if allowed {
        Ok(t.to)
    } else {
        Err(ClaimError::Forbidden)
    }
}

/// The actions `actor` may take on a claim in `state` (what the app offers as buttons).
/// Submitting is offered once; the server decides whether it holds.
pub fn available_actions(state: ClaimState, actor: ClaimActor) -> Vec<ClaimAction> {
    ClaimAction::ALL
        .into_iter()
        .filter(|&a| a != ClaimAction::SubmitHeld && transition(state, a, actor).is_ok())
        .collect()
}

/// Whether a user of `role` in `user_branch` sees the claims of `claim_branch` (their own
/// claims are always theirs to see): HR of the branch, and the group's HR manager, finance
/// and director.
pub fn may_review_claims(role: Role, user_branch: Option<&str>, claim_branch: &str) -> bool {
    match (role, role.employee_scope()) {
        (Role::Admin | Role::Employee, _) => false,
        (_, Scope::Branch) => user_branch == Some(claim_branch),
        (_, Scope::Group) => true,
        (_, Scope::Own) => false,
    }
}

// ---------------------------------------------------------------------------------------
// The contribution check
// ---------------------------------------------------------------------------------------

/// The months a claim submitted on `today` checks: the three before this one (this
/// month's contribution may not be due yet).
pub fn months_checked(today: NaiveDate) -> [Period; 3] {
    let this = Period::of(today);
    [this.add_months(-3), this.add_months(-2), this.add_months(-1)]
}

/// A month's contribution as the record shows it: `None` when no run has a line for the
/// employee although they were employed (nothing paid for them). `run_state` is where the
/// month's run stands, which says why an unpaid month is unpaid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthOnRecord {
    pub period: Period,
    pub status: Option<ContributionStatus>,
    #[serde(default)]
    pub run_state: Option<RunState>,
}

/// Why a month is unpaid, from its run's state: what HR is to find and fix.
pub fn lapse_cause(run_state: Option<RunState>, lang: Lang) -> &'static str {
    match run_state {
        None => lang.pick("未生成缴费清单或该员工不在清单中", "no run, or the employee is not in it"),
        Some(RunState::Generating | RunState::Generated) => lang.pick("缴费清单人事未确认", "HR has not confirmed the run"),
        Some(RunState::Confirmed) => lang.pick("财务未审批缴费清单", "finance has not approved the run"),
        Some(RunState::Approved) => lang.pick("已审批但未报送社保局", "approved but not submitted"),
        Some(RunState::Submitted) => lang.pick("社保局尚未扣款", "the bureau has not taken the payment"),
        Some(RunState::Paid | RunState::Archived) => lang.pick("已缴纳", "paid"),
    }
}

/// Whether a month holds a claim: unpaid past its deadline (断缴, or nothing on record).
/// A month paid late, with its late fee, no longer does — paying it is what restores the
/// employee's cover, so a claim resumes once every month is paid; it stays on the record
/// as 逾期缴纳. A month not yet due holds nothing.
pub fn holds(status: Option<ContributionStatus>) -> bool {
    matches!(status, None | Some(ContributionStatus::Lapsed))
}

/// The months that hold the claim, oldest first; empty: the claim may go on.
pub fn holding_months(record: &[MonthOnRecord]) -> Vec<Period> {
    let mut months: Vec<Period> = record.iter().filter(|m| holds(m.status)).map(|m| m.period).collect();
    months.sort_unstable();
    months.dedup();
    months
}

/// The action a submission takes, by the check.
pub fn submission(record: &[MonthOnRecord]) -> ClaimAction {
    if holding_months(record).is_empty() {
        ClaimAction::Submit
    } else {
        ClaimAction::SubmitHeld
    }
}

fn month_list(months: &[Period], lang: Lang) -> String {
    let names: Vec<String> = months
        .iter()
        .map(|p| match lang {
            Lang::Zh => format!("{}年{}月", p.year(), p.month()),
            Lang::En => p.to_string(),
        })
        .collect();
    names.join(lang.pick("、", ", "))
}

/// What the employee is told when the claim is held: which month, what it means, what to do.
pub fn held_message(months: &[Period], lang: Lang) -> String {
    let list = month_list(months, lang);
    match lang {
        Lang::Zh => format!(
            "您的报销已暂停：单位 {list} 的社保尚未缴纳（断缴）。断缴期间医保待遇暂停，所以暂时不能报销。\
             这不需要您缴费，已通知人事在 24 小时内处理；单位补缴后，您的报销会自动继续，无需重新提交。\
             请保留好发票和费用清单原件。"
        ),
        Lang::En => format!(
            "Your claim is on hold: the company has not paid your contributions for {list}. While they are unpaid \
             your medical cover is suspended. You need not pay anything: HR has been told to act within 24 hours, \
             and once the months are paid your claim goes on by itself. Keep the original invoices."
        ),
    }
}

/// What HR is told: whose claim, which months and why each is unpaid, by when.
pub fn hr_message(employee: &str, record: &[MonthOnRecord], deadline: &str, lang: Lang) -> String {
    let causes: Vec<String> = record
        .iter()
        .filter(|m| holds(m.status))
        .map(|m| format!("{}（{}）", month_list(&[m.period], lang), lapse_cause(m.run_state, lang)))
        .collect();
    let list = causes.join(lang.pick("、", ", "));
    match lang {
        Lang::Zh => format!(
            "{employee} 的医疗报销因 {list} 社保断缴被暂停：请查明原因并安排补缴，须在 {deadline} 前处理；补缴后报销自动恢复"
        ),
        Lang::En => format!(
            "{employee}'s medical claim is held: contributions for {list} are unpaid. Find the cause and pay by {deadline}; \
             the claim then resumes by itself"
        ),
    }
}

/// What both are told when the claim resumes.
pub fn resumed_message(employee: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{employee} 的社保已补缴，医疗报销已自动恢复，进入人事审核"),
        Lang::En => format!("{employee}'s contributions are paid: the claim has resumed and is with HR"),
    }
}

/// How long a step has waited, roughly: "已等待 3 小时", "已等待 2 天".
pub fn waited(ms: i64, lang: Lang) -> String {
    let minutes = (ms / 60_000).max(0);
    let (n, zh, en) = match minutes {
        m if m < 60 => (m, "分钟", "min"),
        m if m < 48 * 60 => (m / 60, "小时", "h"),
        m => (m / (24 * 60), "天", "days"),
    };
    match lang {
        Lang::Zh => format!("已等待 {n} {zh}"),
        Lang::En => format!("waiting {n} {en}"),
    }
}

/// The escalation item a held claim opens (HR has 24 hours before it climbs, as a run's).
pub fn held_item(claim_id: &str, held_since_ms: i64) -> OpenItem {
    OpenItem { key: format!("claim:{claim_id}:held"), since_ms: held_since_ms }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn form() -> ClaimForm {
        ClaimForm {
            kind: "inpatient".into(),
            amount: "12,345.60".into(),
            start_date: "2026-10-08".into(),
            end_date: "2026-10-15".into(),
            hospital: "北京协和医院".into(),
        }
    }

    #[test]
    fn a_good_form_parses_and_every_bad_field_is_named() {
        let today = day(2026, 12, 1);
        let ok = form().parse(today).unwrap();
        assert_eq!(ok.amount, Decimal::new(1_234_560, 2));
        assert_eq!(ok.kind, ClaimKind::Inpatient);
        let bad = ClaimForm { kind: "x".into(), amount: "1.234".into(), start_date: "2027-01-01".into(), end_date: "2026-01-01".into(), hospital: "a".into() };
        let fields: Vec<String> = bad.parse(today).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["kind", "amount", "start_date", "end_date", "hospital"]);
        let zero = ClaimForm { amount: "0".into(), ..form() };
        assert_eq!(zero.parse(today).unwrap_err()[0].code, "claim.amount_zero");
        let old = ClaimForm { start_date: "2025-11-01".into(), ..form() };
        assert_eq!(old.parse(today).unwrap_err()[0].code, "claim.too_old");
        let large = ClaimForm { amount: "1000000.01".into(), ..form() };
        assert_eq!(large.parse(today).unwrap_err()[0].code, "claim.amount_large");
    }

    #[test]
    fn documents_are_recognised_by_content_not_name() {
        assert_eq!(check_document(b"%PDF-1.7 ...", 0), Ok(FileType::Pdf));
        assert_eq!(check_document(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0], 0), Ok(FileType::Jpeg));
        assert_eq!(check_document(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0], 9), Ok(FileType::Png));
        // A Windows program renamed .pdf starts with "MZ".
        assert_eq!(check_document(b"MZ\x90\x00\x03", 0), Err(DocumentError::NotAllowedType));
        assert_eq!(check_document(b"", 0), Err(DocumentError::Empty));
        assert_eq!(check_document(b"%PDF-1.7", MAX_DOCUMENTS), Err(DocumentError::TooMany));
        let mut big = b"%PDF-".to_vec();
        big.resize(MAX_DOCUMENT_BYTES + 1, 0);
        assert_eq!(check_document(&big, 0), Err(DocumentError::TooLarge));
        assert_eq!(missing_documents(&[DocumentKind::IdCopy, DocumentKind::IdCopy]), [DocumentKind::Certificate, DocumentKind::ExpenseList]);
    }

    #[test]
    fn the_flow_and_who_moves_it() {
        let me = ClaimActor::user(Role::Employee, true);
        let other = ClaimActor::user(Role::Employee, false);
        let hr = ClaimActor::user(Role::HrSpecialist, false);
        let finance = ClaimActor::user(Role::Finance, false);
        assert_eq!(transition(ClaimState::Draft, ClaimAction::Submit, me), Ok(ClaimState::HrReview));
        assert_eq!(transition(ClaimState::Draft, ClaimAction::SubmitHeld, me), Ok(ClaimState::Held));
        assert_eq!(transition(ClaimState::Draft, ClaimAction::Submit, other), Err(ClaimError::Forbidden));
        assert_eq!(transition(ClaimState::Held, ClaimAction::Resume, hr), Err(ClaimError::Forbidden));
        assert_eq!(transition(ClaimState::Held, ClaimAction::Resume, ClaimActor::system()), Ok(ClaimState::HrReview));
        assert_eq!(transition(ClaimState::HrReview, ClaimAction::HrApprove, finance), Err(ClaimError::Forbidden));
        assert_eq!(transition(ClaimState::HrReview, ClaimAction::HrApprove, hr), Ok(ClaimState::FinanceReview));
        assert_eq!(transition(ClaimState::FinanceReview, ClaimAction::Reject, hr), Err(ClaimError::Forbidden));
        assert_eq!(transition(ClaimState::FinanceReview, ClaimAction::FinanceApprove, finance), Ok(ClaimState::Approved));
        assert_eq!(transition(ClaimState::Approved, ClaimAction::Pay, finance), Ok(ClaimState::Paid));
        assert!(matches!(transition(ClaimState::Paid, ClaimAction::Pay, finance), Err(ClaimError::NotAllowed { .. })));
        // The employee is offered only submitting, and only while drafting.
        assert_eq!(available_actions(ClaimState::Draft, me), [ClaimAction::Submit]);
        assert!(available_actions(ClaimState::Held, me).is_empty());
        assert_eq!(available_actions(ClaimState::HrReview, hr), [ClaimAction::HrApprove, ClaimAction::Reject]);
        assert_eq!(ClaimAction::from_route("approve", ClaimState::FinanceReview), Some(ClaimAction::FinanceApprove));
        assert_eq!(ClaimAction::from_route("approve", ClaimState::HrReview), Some(ClaimAction::HrApprove));
    }

    #[test]
    fn who_sees_a_branchs_claims() {
        assert!(may_review_claims(Role::HrSpecialist, Some("br-a"), "br-a"));
        assert!(!may_review_claims(Role::HrSpecialist, Some("br-b"), "br-a"));
        assert!(may_review_claims(Role::Finance, None, "br-a"));
        assert!(!may_review_claims(Role::Employee, Some("br-a"), "br-a"));
        assert!(!may_review_claims(Role::Admin, None, "br-a"));
    }

    #[test]
    fn an_unpaid_month_holds_and_paying_it_even_late_releases() {
        let p = |m| Period::new(2026, m).unwrap();
        assert_eq!(months_checked(day(2026, 12, 1)), [p(9), p(10), p(11)]);
        let record = |oct| {
            vec![
                MonthOnRecord { period: p(9), status: Some(ContributionStatus::Normal), run_state: Some(RunState::Archived) },
                MonthOnRecord { period: p(10), status: oct, run_state: Some(RunState::Confirmed) },
                MonthOnRecord { period: p(11), status: Some(ContributionStatus::Normal), run_state: Some(RunState::Archived) },
            ]
        };
        assert_eq!(holding_months(&record(Some(ContributionStatus::Lapsed))), [p(10)]);
        assert_eq!(submission(&record(Some(ContributionStatus::Lapsed))), ClaimAction::SubmitHeld);
        assert_eq!(holding_months(&record(None)), [p(10)]);
        assert_eq!(submission(&record(Some(ContributionStatus::Late))), ClaimAction::Submit);
        assert_eq!(submission(&record(Some(ContributionStatus::Open))), ClaimAction::Submit);
        assert_eq!(waited(3 * 3_600_000 + 5, Lang::Zh), "已等待 3 小时");
        assert_eq!(waited(50 * 3_600_000, Lang::Zh), "已等待 2 天");
        let hr = hr_message("张三", &record(Some(ContributionStatus::Lapsed)), "2026-12-02 10:00", Lang::Zh);
        assert!(hr.contains("2026年10月（财务未审批缴费清单）") && hr.contains("2026-12-02 10:00 前"), "{hr}");
        let text = held_message(&[p(8), p(9)], Lang::Zh);
        assert!(text.contains("2026年8月、2026年9月") && text.contains("自动继续"), "{text}");
    }

    proptest! {
        /// Whatever the record, a claim is held exactly when some month is unpaid past its
        /// deadline, and the holding months are among those checked.
        #[test]
        fn held_iff_a_month_is_unpaid(statuses in proptest::collection::vec(0u8..5, 0..6)) {
            let record: Vec<MonthOnRecord> = statuses.iter().enumerate().map(|(i, s)| MonthOnRecord {
                period: Period::new(2026, 1 + i as u32).unwrap(),
                status: match s {
                    0 => Some(ContributionStatus::Normal),
                    1 => Some(ContributionStatus::Late),
                    2 => Some(ContributionStatus::Lapsed),
                    3 => Some(ContributionStatus::Open),
                    _ => None,
                },
                run_state: None,
            }).collect();
            let unpaid = statuses.iter().any(|s| *s == 2 || *s == 4);
            prop_assert_eq!(submission(&record) == ClaimAction::SubmitHeld, unpaid);
            for m in holding_months(&record) {
                prop_assert!(record.iter().any(|r| r.period == m && holds(r.status)));
            }
        }
    }
}
