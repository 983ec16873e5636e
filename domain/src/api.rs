//! The JSON shapes of `/api`, shared by the worker (which writes them) and the app (which
//! reads them), so the two cannot drift apart.

use crate::policy::Hukou;
use crate::role::Role;
use crate::validation::FieldError;
use crate::Gender;
use crate::IdKind;
use crate::Lang;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The body of `POST /api/session`; a field left out is empty (and reported as such).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LoginRequest {
    pub login: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub id: String,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub branch_id: Option<String>,
    pub branch_name: Option<String>,
    pub employee_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Branch {
    pub id: String,
    pub name: String,
    pub city: String,
    pub city_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmployeeSummary {
    pub id: String,
    pub name: String,
    pub resident_id_masked: String,
    pub branch_id: String,
    pub branch_name: String,
    pub department: Option<String>,
    pub hire_date: String,
    pub status: String,
}

/// One page of a long list (`cursor`). No total: counting the group on every page would
/// cost as much as the group is large.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListPage<T> {
    pub items: Vec<T>,
    /// `?after=` this for the page that follows; none on the last page.
    pub next: Option<String>,
    /// `?before=` this for the page that comes before; none on the first page.
    pub prev: Option<String>,
}

/// The employee list, by name.
pub type EmployeePage = ListPage<EmployeeSummary>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmployeeDetail {
    pub id: String,
    pub name: String,
    /// Always masked; the full number comes only from the audited reveal endpoint.
    pub resident_id_masked: String,
    /// Which card the number belongs to (`mainland` when read from an answer stored before
    /// the field existed, such as an idempotent replay).
    #[serde(default)]
    pub id_kind: IdKind,
    /// Only where `role::may_see_birth_date` allows: for anyone else it would unmask most of
    /// the number. They read `age`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    /// Whole years, today in China.
    pub age: u32,
    pub gender: Gender,
    pub branch_id: String,
    pub branch_name: String,
    pub city: String,
    pub department: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The approved bank card, masked ("6222 **** **** 3446").
    #[serde(default)]
    pub bank_card: Option<String>,
    pub hire_date: String,
    pub salary: Decimal,
    #[serde(default)]
    pub hukou: Hukou,
    pub status: String,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// The body of `PATCH /api/employees/{id}`: the fields to change, and the version the
/// editor saw (a stale version gets 409).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EmployeePatch {
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resident_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hire_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hukou: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevealedId {
    pub resident_id: String,
}

/// One field's change in an audit entry: "增员类型 正常 → 补缴".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub label: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor_name: String,
    pub action: String,
    pub action_label: String,
    pub changes: Vec<FieldChange>,
}

/// `GET /api/notifications`: something the system tells a person (a filing the bureau
/// refused, an escalated run, a month paid), read or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    pub message: String,
    /// The app's page about it, e.g. "/enrollments/req-…" or "/runs/run-…".
    pub link: Option<String>,
    pub created_at: String,
    pub read: bool,
}

/// `GET /api/notifications`: the newest 50 and how many are unread in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notifications {
    pub items: Vec<Notification>,
    pub unread: u32,
}

/// Every error answer: `{"error": {...}}`, or for 422 `{"errors": [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// `message` is Chinese; `message_en`, when the worker has one, the same in English.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message_en: String,
}

impl ApiError {
    /// The message in `lang` (Chinese where there is no English).
    pub fn message_in(&self, lang: crate::Lang) -> &str {
        crate::validation::in_lang(lang, &self.message, &self.message_en)
    }
}

/// What an audit action is called on a timeline, in Chinese (what the worker stores).
pub fn action_label_zh(action: &str) -> &'static str {
    action_label(Lang::Zh, action)
}

/// What an audit action is called on a timeline.
pub fn action_label(lang: Lang, action: &str) -> &'static str {
    use crate::audit::*;
    let pick = |zh, en| lang.pick(zh, en);
    match action {
        EMPLOYEE_CREATE => pick("创建员工档案", "Employee record created"),
        EMPLOYEE_UPDATE => pick("修改员工档案", "Employee record changed"),
        EMPLOYEE_REVEAL_ID => pick("查看完整身份证号", "Full ID number viewed"),
        USER_SETUP_ADMIN => pick("创建首个管理员", "First administrator created"),
        SETTINGS_UPDATE => pick("修改公司设置", "Company settings changed"),
        BUREAU_SIMULATOR_UPDATE => pick("修改模拟社保局设置", "Bureau simulator settings changed"),
        LOGIN_SUCCEEDED => pick("登录成功", "Signed in"),
        LOGIN_FAILED => pick("登录失败", "Sign-in failed"),
        LOGIN_LOCKED => pick("登录失败次数过多，暂时锁定", "Too many failed sign-ins: locked for a while"),
        LOGIN_THROTTLED => pick("锁定期间的登录尝试（已拒绝）", "Sign-in attempt while locked (refused)"),
        ENROLLMENT_CREATE => pick("创建申报", "Request created"),
        ENROLLMENT_UPDATE => pick("修改申报", "Request changed"),
        ENROLLMENT_EXECUTE_NOW => pick("要求立即报送", "Sending now asked for"),
        ENROLLMENT_EMPLOYEE_CHANGED => {
            pick("员工档案变更，申请随之更新", "The employee record changed; the request follows it")
        }
        ENROLLMENT_EXECUTE_LEGACY => pick("报送社保局（已执行）", "Filed with the bureau (executed)"),
        ENROLLMENT_BUREAU_REJECTED_LEGACY => pick("社保局退回", "Refused by the bureau"),
        RUN_CREATE => pick("生成缴费清单", "Run created"),
        ALERT_ACKNOWLEDGE => pick("确认预警", "Alert acknowledged"),
        BRANCH_BUDGET => pick("修改月度预算", "Monthly budget changed"),
        CLAIM_CREATE => pick("创建报销申请", "Claim created"),
        EMPLOYEE_PROOF_ISSUED => pick("开具缴费证明", "Proof of contributions issued"),
        EMPLOYEE_CHANGE_CREATE => pick("员工提交变更申请", "Change asked for by the employee"),
        a if a == crate::self_service::Decision::Approve.audit_code() => pick("人事通过变更申请", "Change approved by HR"),
        a if a == crate::self_service::Decision::Reject.audit_code() => pick("人事驳回变更申请", "Change rejected by HR"),
        CLAIM_DOCUMENT => pick("上传材料", "Document uploaded"),
        FAQ_CREATE => pick("新增常见问题", "FAQ entry added"),
        FAQ_UPDATE => pick("修改常见问题", "FAQ entry changed"),
        HELP_TICKET_CREATE => pick("转人工提问", "Question handed over to HR"),
        HELP_TICKET_ANSWER => pick("人事回复提问", "Question answered by HR"),
        _ if action.starts_with("claim.") => crate::claim::ClaimAction::from_audit_code(action)
            .map_or(pick("其他操作", "Other action"), |a| a.label(lang)),
        _ if action.starts_with("run.") => crate::run::RunAction::ALL
            .into_iter()
            .find(|a| a.audit_code() == action)
            .map_or(pick("其他操作", "Other action"), |a| a.label(lang)),
        // Every other transition is named after its action; a submission says what it asks for.
        _ => action
            .strip_prefix("enrollment.")
            .and_then(|a| RequestAction::from_code(&a.replace('_', "-")))
            .map_or(pick("其他操作", "Other action"), |a| match a {
                RequestAction::Submit => pick("提交审核", "Submitted for review"),
                a => a.label(lang),
            }),
    }
}

/// What a field is called in an audit entry and under a form, in Chinese.
pub fn field_label_zh(field: &str) -> &'static str {
    field_label(Lang::Zh, field)
}

/// What a field is called in an audit entry and under a form.
pub fn field_label(lang: Lang, field: &str) -> &'static str {
    known_field_label(lang, field).unwrap_or(lang.pick("其他", "Other"))
}

/// The label of a field the API knows, in Chinese.
pub fn known_field_label_zh(field: &str) -> Option<&'static str> {
    known_field_label(Lang::Zh, field)
}

/// (field, 中文, English) of every field the API knows.
const FIELD_LABELS: &[(&str, &str, &str)] = &[
    ("name", "姓名", "Name"),
    ("resident_id", "身份证号", "ID number"),
    ("branch_id", "分公司", "Branch"),
    ("department", "部门", "Department"),
    ("phone", "手机号", "Mobile"),
    ("email", "邮箱", "Email"),
    ("hire_date", "入职日期", "Hire date"),
    ("salary", "月工资", "Monthly wage"),
    ("hukou", "户籍", "Hukou"),
    ("status", "状态", "Status"),
    ("execution_hold_minutes", "批准后等待报送（分钟）", "Wait after approval (minutes)"),
    ("employer_rates", "单位自定费率", "Employer's own rates"),
    ("work_injury_class", "工伤保险行业类别", "Work-injury industry class"),
    ("work_injury_float_percent", "工伤保险浮动档次", "Work-injury float"),
    ("housing_fund_rate", "住房公积金缴存比例", "Housing-fund rate"),
    ("late_fee", "滞纳金", "Late fee"),
    ("period", "所属月份", "Month"),
    ("approval_reason", "超预算原因", "Reason for going over budget"),
    ("paid_on", "缴费日期", "Paid on"),
    ("budget", "月度预算", "Monthly budget"),
    ("note", "处理说明", "Note"),
    ("kind", "办理类型", "Kind"),
    ("state", "状态", "State"),
    ("employee_id", "员工", "Employee"),
    ("insurance_types", "险种", "Insurance types"),
    ("base", "缴费基数", "Contribution base"),
    ("from_month", "开始月份", "From month"),
    ("to_month", "结束月份", "To month"),
    ("reason", "原因", "Reason"),
    ("total", "费用合计", "Total cost"),
    ("reject_reason", "驳回原因", "Reason for rejection"),
    ("amount", "报销金额", "Amount claimed"),
    ("start_date", "就诊（入院）日期", "Treatment from"),
    ("end_date", "结束（出院）日期", "Treatment to"),
    ("hospital", "医院", "Hospital"),
    ("document", "材料", "Document"),
    ("held_months", "断缴月份", "Unpaid months"),
    ("bank_card", "银行卡号", "Bank card"),
    ("decision_reason", "审核意见", "HR's note"),
    ("receipt_no", "社保局回执号", "Bureau receipt no."),
    ("bureau_answer", "社保局答复", "Bureau's answer"),
    ("executed_at", "执行时间", "Executed at"),
    ("version", "版本号", "Version"),
    ("submit", "是否提交", "Submit"),
    ("login", "用户名", "Login"),
    ("password", "密码", "Password"),
    ("display_name", "显示名称", "Display name"),
    ("address", "客户端地址", "Client address"),
    ("failures", "连续失败次数", "Failures in a row"),
    ("fail_next", "接下来失败的调用次数", "Calls to fail next"),
    ("fail_percent", "失败比例（%）", "Share of calls failing (%)"),
    ("delay_ms", "答复延迟（毫秒）", "Answer delay (ms)"),
    ("refuse_next", "接下来退回的报送次数", "Filings to refuse next"),
    ("calls", "调用次数", "Calls"),
    ("filings", "报送数", "Filings"),
    ("q", "问题", "Question"),
    ("question", "问题", "Question"),
    ("answer", "回答", "Answer"),
    ("keywords", "关键词", "Keywords"),
    ("category", "分类", "Category"),
    ("enabled", "是否启用", "Enabled"),
];

/// The label of a field the API knows.
pub fn known_field_label(lang: Lang, field: &str) -> Option<&'static str> {
    FIELD_LABELS.iter().find(|(f, ..)| *f == field).map(|&(_, zh, en)| lang.pick(zh, en))
}

// ---- Enrollment requests (增员 / 补缴 / 减员 / 基数调整) ----

use crate::enrollment::{RequestAction, RequestForm, RequestKind, RequestState, ValidRequest};
use crate::policy::{City, InsuranceType};
use crate::pricing::Price;
use crate::Period;

/// `POST /api/enrollments/preview` answers with the price the confirmation shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PricePreview {
    pub price: Price,
    /// "您即将为员工…办理…，本次操作将产生 ¥x 费用，是否确认？"
    pub confirmation: String,
    /// The same in English.
    #[serde(default)]
    pub confirmation_en: String,
    /// For a back-payment: what 补缴 is and when it applies.
    pub explanation: Option<String>,
}

impl PricePreview {
    /// The confirmation in `lang` (Chinese where there is no English).
    pub fn confirmation_in(&self, lang: crate::Lang) -> &str {
        crate::validation::in_lang(lang, &self.confirmation, &self.confirmation_en)
    }
}

/// `POST /api/enrollments` body: the form, and whether to submit at once (after the user
/// confirmed the price) or keep a draft.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CreateRequest {
    #[serde(flatten)]
    pub form: RequestForm,
    #[serde(default)]
    pub submit: bool,
}

/// `PATCH /api/enrollments/{id}` body: the corrected form and the version the editor saw.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RequestPatch {
    pub version: i64,
    #[serde(flatten)]
    pub form: RequestForm,
}

/// `POST /api/enrollments/{id}/{action}` body.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ActionBody {
    pub version: i64,
    /// Required to reject and to request a revocation at the bureau.
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestSummary {
    pub id: String,
    pub kind: RequestKind,
    pub state: RequestState,
    pub employee_id: String,
    pub employee_name: String,
    pub branch_id: String,
    pub branch_name: String,
    pub insurance_types: Vec<InsuranceType>,
    pub base: Decimal,
    pub from_month: Period,
    pub to_month: Period,
    pub total: Decimal,
    pub created_by_name: String,
    /// When an approved item will be sent to the bureau (RFC 3339, UTC).
    pub execute_after: Option<String>,
    pub version: i64,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestDetail {
    #[serde(flatten)]
    pub summary: RequestSummary,
    /// The request's copy of the employee's ID number, masked like `EmployeeDetail`'s.
    pub resident_id_masked: String,
    /// The employee's city and hire date now: what a correction is checked against. With
    /// them the request's pages need no second call for the employee.
    pub city: City,
    pub hire_date: String,
    pub reason: Option<String>,
    pub price: Price,
    pub submitted_by_name: Option<String>,
    pub reject_reason: Option<String>,
    pub receipt_no: Option<String>,
    pub executed_at: Option<String>,
    /// Until when the bureau accepts a revocation (RFC 3339, UTC), once executed.
    pub revocation_deadline: Option<String>,
    pub revocation_reason: Option<String>,
    pub bureau_answer: Option<String>,
    /// What the signed-in user may do now (the server decides; the screen only shows it).
    pub actions: Vec<RequestAction>,
    /// Fields changed since the last review (approval, rejection or revoke), for the reviewer.
    pub changes_since_review: Vec<FieldChange>,
}

impl RequestSummary {
    /// The stored request as its form, to correct or re-check it (the one converter, via
    /// `ValidRequest`'s).
    pub fn form(&self, reason: Option<&str>) -> RequestForm {
        RequestForm::from(&ValidRequest {
            kind: self.kind,
            employee_id: self.employee_id.clone(),
            insurance_types: self.insurance_types.clone(),
            base: self.base,
            from: self.from_month,
            to: self.to_month,
            reason: reason.map(str::to_owned),
        })
    }
}

impl From<&RequestDetail> for RequestForm {
    fn from(d: &RequestDetail) -> RequestForm {
        d.summary.form(d.reason.as_deref())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestPage {
    pub items: Vec<RequestSummary>,
    pub total: u32,
}

/// `GET /api/enrollments/counts`: the HR console home's numbers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RequestCounts {
    pub draft: u32,
    pub submitted: u32,
    pub rejected: u32,
    pub approved: u32,
    /// Revocations at the bureau waiting for a checker.
    pub revocation_requested: u32,
    /// Filings that need a person (报送失败，需人工处理).
    pub filing_failed: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::*;

    fn chinese(t: &str) -> bool {
        t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_audit_action_and_field_has_a_label_in_both_languages() {
        let mut actions: Vec<String> = [EMPLOYEE_CREATE, EMPLOYEE_UPDATE, LOGIN_FAILED, ENROLLMENT_EMPLOYEE_CHANGED]
            .iter()
            .map(|a| a.to_string())
            .collect();
        actions.extend(RequestAction::ALL.iter().map(|a| a.audit_code()));
        for a in &actions {
            let (zh, en) = (action_label(Lang::Zh, a), action_label(Lang::En, a));
            assert!(chinese(zh) && zh != "其他操作", "{a}: {zh}");
            assert!(!en.is_empty() && !chinese(en) && en != "Other action", "{a}: {en}");
        }
        for &(field, ..) in FIELD_LABELS {
            assert!(chinese(field_label(Lang::Zh, field)), "{field}");
            assert!(!chinese(field_label(Lang::En, field)), "{field}");
        }
        assert_eq!(action_label(Lang::En, "enrollment.submit"), "Submitted for review");
        assert_eq!(field_label(Lang::En, "base"), "Contribution base");
        assert_eq!((field_label_zh("nonsense"), field_label(Lang::En, "nonsense")), ("其他", "Other"));
        assert_eq!(action_label_zh("nonsense"), "其他操作");
    }

    #[test]
    fn a_page_read_one_row_past_its_size_says_where_the_next_one_starts() {
        let key = |n: &u32| n.to_string();
        let full = NextPage::of(vec![1, 2, 3, 4], 3, key);
        assert_eq!((full.items, full.next), (vec![1, 2, 3], Some("3".to_string())));
        let last = NextPage::of(vec![1, 2, 3], 3, key);
        assert_eq!((last.items, last.next), (vec![1, 2, 3], None));
        let empty = NextPage::of(Vec::<u32>::new(), 3, key);
        assert_eq!((empty.items.len(), empty.next), (0, None));
    }
}

// ---- Company settings ----

use crate::employer::CompanyRates;

/// `GET /api/settings`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Minutes an approved item waits before it is sent to the bureau.
    pub execution_hold_minutes: i64,
    /// Per city, the employer's work-injury class and float and its housing-fund rate.
    #[serde(default)]
    pub employer_rates: CompanyRates,
}

/// `PUT /api/settings` (administrators): the hold, and the employer's rates when given
/// (absent: unchanged).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingsUpdate {
    pub execution_hold_minutes: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employer_rates: Option<CompanyRates>,
}

// ---- Monthly runs, dashboard, alerts ----

use crate::escalation::Level;

use crate::run::{BudgetCheck, ContributionStatus, RunAction, RunState, Standing};

/// `POST /api/runs`: generate (or, while unconfirmed, regenerate) a branch's month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewRun {
    pub branch_id: String,
    pub period: String,
}

/// `POST /api/runs/{id}/{action}`: the version the person saw, and a reason where needed
/// (sending back to HR; approving over budget).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RunActionBody {
    pub version: i64,
    pub reason: Option<String>,
}

/// A run as lists and the dashboard show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    pub id: String,
    pub branch_id: String,
    pub branch_name: String,
    pub period: String,
    pub state: RunState,
    pub state_label: String,
    /// Employees with lines so far, and in all (generation progress).
    pub employees_done: u32,
    pub employees_total: u32,
    pub employees: u32,
    pub employer_total: Decimal,
    pub employee_total: Decimal,
    pub total: Decimal,
    pub due_date: String,
    pub budget: BudgetCheck,
    pub receipt_no: Option<String>,
    pub paid_on: Option<String>,
    pub late_fee: Option<Decimal>,
    pub standing: Standing,
    pub countdown: String,
    pub version: i64,
}

/// `GET /api/runs/{id}`: the run, what the person may do, who did what, its first page of
/// employees' lines, and the first page of what changed since the branch's previous month
/// (`/lines?after=` and `/changes?after=` give the pages that follow).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunDetail {
    pub run: RunSummary,
    pub actions: Vec<RunAction>,
    pub confirmed_by: Option<String>,
    pub approved_by: Option<String>,
    pub approval_reason: Option<String>,
    pub reject_reason: Option<String>,
    pub lines: NextPage<RunEmployeeLines>,
    pub changes: NextPage<RunChange>,
    pub alert_level: Option<u8>,
}

/// One employee's lines of a run, the insurance types in their usual order (养老 first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunEmployeeLines {
    pub employee_id: String,
    pub employee_name: String,
    pub lines: Vec<TypeLine>,
}

/// One insurance type of an employee's month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeLine {
    pub insurance_type: InsuranceType,
    pub base: Decimal,
    pub employer_amount: Decimal,
    pub employee_amount: Decimal,
}

/// A page of a list read onwards only (load more), in the list's order; `next` is the
/// cursor of the page that follows (`?after=`), none on the last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NextPage<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

impl<T> NextPage<T> {
    /// The page of `rows` read with a limit of `size + 1`: a row past `size` means more
    /// follow, after the last one shown (`key`).
    pub fn of(mut rows: Vec<T>, size: usize, key: impl Fn(&T) -> String) -> NextPage<T> {
        let more = rows.len() > size;
        rows.truncate(size);
        let next = if more { rows.last().map(key) } else { None };
        NextPage { items: rows, next }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// In this month, not the one before (a new hire).
    Added,
    /// In the month before, not this one (a leaver).
    Stopped,
    /// In both, on another base.
    BaseChanged,
}

/// What changed for one employee since the previous month's run (pension base shown).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunChange {
    pub employee_id: String,
    pub employee_name: String,
    pub kind: ChangeKind,
    pub before: Option<Decimal>,
    pub after: Option<Decimal>,
}

/// `GET /api/dashboard`: each branch the user sees, this month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub today: String,
    pub period: String,
    /// The local stack runs on a labelled demo clock.
    pub simulated_clock: bool,
    pub branches: Vec<BranchStanding>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BranchStanding {
    pub branch_id: String,
    pub branch_name: String,
    pub city_name: String,
    pub period: String,
    pub due_date: String,
    pub standing: Standing,
    pub progress_label: String,
    pub countdown: String,
    pub run: Option<RunSummary>,
    /// The highest level of the branch's unresolved alerts.
    pub alert_level: Option<u8>,
    /// The branch's monthly budget for contributions, if finance set one.
    pub budget: Option<Decimal>,
}

/// `PUT /api/branches/{id}/budget` (finance): the branch's monthly budget, as typed ("" clears
/// it). Runs not yet approved are checked against the new figure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BudgetUpdate {
    pub budget: String,
}

/// `GET /api/alerts`: an escalation the user is told of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertView {
    pub id: String,
    pub level: Level,
    pub level_label: String,
    pub message: String,
    pub branch_id: String,
    pub run_id: Option<String>,
    /// The page about the item (a run's, a claim's).
    pub link: Option<String>,
    pub raised_at: String,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<String>,
    pub note: Option<String>,
    pub resolved_at: Option<String>,
    pub version: i64,
}

/// `POST /api/alerts/{id}/acknowledge`
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AcknowledgeBody {
    pub version: i64,
    pub note: String,
}

/// One month of an employee's contribution record (`GET /api/employees/{id}/contributions`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContributionMonth {
    pub period: String,
    pub run_id: String,
    pub status: ContributionStatus,
    pub status_label: String,
    pub due_date: String,
    pub paid_on: Option<String>,
    pub receipt_no: Option<String>,
    pub lines: Vec<TypeLine>,
    pub employer_total: Decimal,
    pub employee_total: Decimal,
}

/// A message the outbox sent (or will send) by email or SMS; locally the provider writes
/// them to a table that administrators read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboundMessage {
    pub id: String,
    pub channel: String,
    pub recipient: String,
    pub body: String,
    pub status: String,
    pub attempts: i64,
    pub created_at: String,
    pub sent_at: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Claims
// ---------------------------------------------------------------------------------------

/// `POST /api/claims`: the form as typed (`claim::ClaimForm`), a draft until submitted.
pub type NewClaim = crate::claim::ClaimForm;

/// The claims, newest first.
pub type ClaimPage = ListPage<ClaimSummary>;

/// A claim as lists show it (`GET /api/claims?state=`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimSummary {
    pub id: String,
    pub employee_id: String,
    pub employee_name: String,
    pub branch_id: String,
    pub kind: crate::claim::ClaimKind,
    pub kind_label: String,
    pub amount: Decimal,
    pub start_date: String,
    pub end_date: String,
    pub hospital: String,
    pub state: crate::claim::ClaimState,
    pub state_label: String,
    pub submitted_at: Option<String>,
    pub updated_at: String,
    pub version: i64,
}

/// A document of a claim; its content is at `GET /api/claims/{claim}/documents/{id}`, for
/// the claimant and the claim's reviewers only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimDocument {
    pub id: String,
    pub kind: crate::claim::DocumentKind,
    pub kind_label: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub uploaded_at: String,
}

/// One step on a claim's timeline (from its audit entries), oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimStep {
    pub at: String,
    pub actor_name: String,
    pub label: String,
    /// What the step said: the months that held it, a reason, the bank's receipt.
    pub note: Option<String>,
}

/// What the claim waits for, who holds it, and for how long.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NextStep {
    pub step: String,
    pub holder: String,
    pub since: String,
    /// "已等待 3 小时"
    pub waited: String,
}

/// `GET /api/claims/{id}`: the claim, its documents, its timeline and what comes next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimDetail {
    pub claim: ClaimSummary,
    pub documents: Vec<ClaimDocument>,
    pub missing_documents: Vec<crate::claim::DocumentKind>,
    pub timeline: Vec<ClaimStep>,
    pub next: Option<NextStep>,
    /// What the signed-in person may do now (`ClaimAction::route` names the endpoint).
    pub actions: Vec<crate::claim::ClaimAction>,
    /// The months checked at submission (or at the last re-check), with their status.
    pub months: Vec<crate::claim::MonthOnRecord>,
    /// While held: what it means and what to do, in plain words.
    pub held_message: Option<String>,
    pub reject_reason: Option<String>,
    pub receipt_no: Option<String>,
    pub paid_on: Option<String>,
}

/// `POST /api/claims/{id}/{submit|approve|reject|pay}`
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClaimActionBody {
    pub version: i64,
    pub reason: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Help assistant and FAQ
// ---------------------------------------------------------------------------------------

use crate::help::{FaqCategory, TicketState};

/// One FAQ entry that answers the question (`GET /api/help?q=`), best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HelpMatch {
    pub entry_id: String,
    pub question: String,
    pub answer: String,
    pub category: FaqCategory,
    pub category_label: String,
    /// BM25 relevance (`help::Match::score`), at least `help::MIN_SCORE`.
    pub score: f64,
}

/// The answer to "我的社保交了吗" from the employee's own record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnStatus {
    /// The month the answer is about.
    pub period: String,
    pub status: ContributionStatus,
    /// The answer in a plain sentence (or two: see `help::own_status`).
    pub text: String,
}

/// `GET /api/help?q=`: the employee's own status when they asked about it (then no FAQ
/// answers), else the good FAQ answers (at most 3), and whether to offer 转人工 (neither).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HelpAnswer {
    pub query: String,
    pub answers: Vec<HelpMatch>,
    pub own_status: Option<OwnStatus>,
    pub offer_handover: bool,
}

/// An FAQ entry as HR maintains it (`GET /api/faq`), disabled ones too.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaqView {
    pub id: String,
    pub question: String,
    pub answer: String,
    pub keywords: Vec<String>,
    pub category: FaqCategory,
    pub category_label: String,
    pub enabled: bool,
    pub version: i64,
    pub updated_at: String,
    /// Who last changed it (None: the starter FAQ).
    pub updated_by: Option<String>,
}

/// `POST /api/faq`: the form as typed (`help::FaqInput`).
pub type NewFaq = crate::help::FaqInput;

/// `PATCH /api/faq/{id}`: the whole form again, and the version the editor saw (409 when stale).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FaqPatch {
    pub version: i64,
    #[serde(flatten)]
    pub input: crate::help::FaqInput,
}

/// `POST /api/help/tickets`: a question handed over to the branch's HR (转人工).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewTicket {
    pub question: String,
}

/// `POST /api/help/tickets/{id}/answer`
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TicketAnswer {
    pub version: i64,
    pub answer: String,
}

/// A ticket (`GET /api/help/tickets?state=`), newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HelpTicket {
    pub id: String,
    pub employee_id: String,
    pub employee_name: String,
    pub branch_id: String,
    pub question: String,
    pub state: TicketState,
    pub state_label: String,
    pub answer: Option<String>,
    /// Who answered, by name.
    pub answered_by: Option<String>,
    pub created_at: String,
    pub answered_at: Option<String>,
    pub version: i64,
}

// ---------------------------------------------------------------------------------------
// Self-service requests
// ---------------------------------------------------------------------------------------

/// `POST /api/me/changes`: the form as typed (`self_service::ChangeForm`).
pub type NewChange = crate::self_service::ChangeForm;

/// A self-service request as the employee and HR see it (a card number only masked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeView {
    pub id: String,
    pub employee_id: String,
    pub employee_name: String,
    pub branch_id: String,
    pub kind: crate::self_service::ChangeKind,
    pub kind_label: String,
    pub summary: String,
    pub state: crate::self_service::ChangeState,
    pub state_label: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub decision_reason: Option<String>,
    pub created_at: String,
    pub version: i64,
}

/// `POST /api/changes/{id}/{approve|reject}`: rejecting needs a reason; approving a base
/// review may say what HR will do.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChangeDecision {
    pub version: i64,
    pub reason: Option<String>,
}

/// A proof of contributions (缴费证明): what the record showed when it was issued, verifiable
/// by anyone with its link (`GET /api/proofs/{code}`) until it expires. The ID is masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContributionProof {
    pub code: String,
    pub issued_at: String,
    pub expires_on: String,
    pub employee_name: String,
    pub resident_id_masked: String,
    pub employer_name: String,
    pub credit_code: String,
    pub summary: String,
    pub months: Vec<ProofMonth>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProofMonth {
    pub period: String,
    /// The pension base (the one a proof is usually asked for).
    pub base: Option<Decimal>,
    pub employer_total: Decimal,
    pub employee_total: Decimal,
    pub status: ContributionStatus,
    pub status_label: String,
    pub receipt_no: Option<String>,
}
