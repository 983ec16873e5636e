//! Enrollment changes (增员, 补缴, 减员, 基数调整): what kinds there are, the maker-checker
//! state machine with its permissions, and the request form's rules. The worker enforces
//! `transition`; the app uses `available_actions` only to decide which buttons to show.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::contribution::CalcError;
use crate::ids::today_in_china;
use crate::lang::Lang;
use crate::money::parse_amount;
use crate::period::Period;
use crate::policy::{policy_for, City, InsuranceType};
use crate::role::Role;
use crate::validation::FieldError;

// ---------------------------------------------------------------------------------------
// Kinds, states, actions
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// 增员（正常）: the employee starts contributing this month.
    Enrollment,
    /// 补缴: past months that should have been paid; late fees apply.
    BackPayment,
    /// 减员: contributions stop.
    Removal,
    /// 基数调整: a new base within the current policy year.
    BaseAdjustment,
}

impl RequestKind {
    pub const ALL: [RequestKind; 4] = [
        RequestKind::Enrollment,
        RequestKind::BackPayment,
        RequestKind::Removal,
        RequestKind::BaseAdjustment,
    ];

    /// Stable identifier, identical to the serde form.
    pub fn code(self) -> &'static str {
        match self {
            RequestKind::Enrollment => "enrollment",
            RequestKind::BackPayment => "back_payment",
            RequestKind::Removal => "removal",
            RequestKind::BaseAdjustment => "base_adjustment",
        }
    }

    pub fn from_code(code: &str) -> Option<RequestKind> {
        RequestKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            RequestKind::Enrollment => ("正常增员", "Enrollment"),
            RequestKind::BackPayment => ("补缴", "Back-payment"),
            RequestKind::Removal => ("减员", "Removal"),
            RequestKind::BaseAdjustment => ("基数调整", "Base adjustment"),
        };
        lang.pick(zh, en)
    }

    pub fn label_zh(self) -> &'static str {
        self.label(Lang::Zh)
    }

    /// Whether the request is paid for, and so needs the priced confirmation.
    pub fn has_cost(self) -> bool {
        self != RequestKind::Removal
    }

    /// A back-payment or a base change is exactly what a reviewer needs to understand, so
    /// the form asks why.
    pub fn needs_reason(self) -> bool {
        matches!(self, RequestKind::BackPayment | RequestKind::BaseAdjustment)
    }

    /// Kinds that insure the employee here, which the bureau refuses while another
    /// employer insures them.
    pub fn insures(self) -> bool {
        matches!(self, RequestKind::Enrollment | RequestKind::BackPayment)
    }

    /// Kinds that cover exactly one month (the form's month rules allow no other), so the
    /// form asks for one month instead of a range.
    pub fn single_month(self) -> bool {
        matches!(self, RequestKind::Enrollment | RequestKind::Removal)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    Draft,
    Submitted,
    Approved,
    Rejected,
    /// 报送中: the executor has taken the item to the bureau and waits for its answer.
    /// Nothing can be taken back here: the bureau may already hold the filing.
    Filing,
    /// Filed with the bureau; only the bureau can undo it now.
    Executed,
    /// The bureau refused the filing (its reason is on the request); the maker corrects it.
    FilingRefused,
    /// Every attempt to reach the bureau failed; a checker must look and send it again.
    FilingFailed,
    /// A maker asked for the bureau to revoke the filing; a checker decides.
    RevocationRequested,
    /// The checker approved the revocation; it is with the bureau.
    RevocationSent,
    RevokedAtBureau,
    RevocationRefused,
}

impl RequestState {
    pub const ALL: [RequestState; 12] = [
        RequestState::Draft,
        RequestState::Submitted,
        RequestState::Approved,
        RequestState::Rejected,
        RequestState::Filing,
        RequestState::Executed,
        RequestState::FilingRefused,
        RequestState::FilingFailed,
        RequestState::RevocationRequested,
        RequestState::RevocationSent,
        RequestState::RevokedAtBureau,
        RequestState::RevocationRefused,
    ];

    /// Stable identifier, identical to the serde form.
    pub fn code(self) -> &'static str {
        match self {
            RequestState::Draft => "draft",
            RequestState::Submitted => "submitted",
            RequestState::Approved => "approved",
            RequestState::Rejected => "rejected",
            RequestState::Filing => "filing",
            RequestState::Executed => "executed",
            RequestState::FilingRefused => "filing_refused",
            RequestState::FilingFailed => "filing_failed",
            RequestState::RevocationRequested => "revocation_requested",
            RequestState::RevocationSent => "revocation_sent",
            RequestState::RevokedAtBureau => "revoked_at_bureau",
            RequestState::RevocationRefused => "revocation_refused",
        }
    }

    pub fn from_code(code: &str) -> Option<RequestState> {
        RequestState::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            RequestState::Draft => ("草稿", "Draft"),
            RequestState::Submitted => ("待审核", "Submitted"),
            RequestState::Approved => ("已批准", "Approved"),
            RequestState::Rejected => ("已驳回", "Rejected"),
            RequestState::Filing => ("报送中", "Filing"),
            RequestState::Executed => ("已执行", "Executed"),
            RequestState::FilingRefused => ("社保局退回", "Refused by the bureau"),
            RequestState::FilingFailed => ("报送失败，需人工处理", "Filing failed: needs a person"),
            RequestState::RevocationRequested => ("撤销待审核", "Revocation awaiting review"),
            RequestState::RevocationSent => ("撤销申请已报送", "Revocation sent"),
            RequestState::RevokedAtBureau => ("已在社保局撤销", "Revoked at the bureau"),
            RequestState::RevocationRefused => ("撤销被拒", "Revocation refused"),
        };
        lang.pick(zh, en)
    }

    pub fn label_zh(self) -> &'static str {
        self.label(Lang::Zh)
    }

    /// Whether the item is (or may be) at the bureau, so that the employee's identity on
    /// it must not change under it.
    pub fn identity_locked(self) -> bool {
        matches!(self, RequestState::Approved | RequestState::Filing | RequestState::FilingFailed)
    }
}

/// Serialized in kebab-case because actions appear in URLs (`POST .../request-revocation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RequestAction {
    Submit,
    Approve,
    Reject,
    /// The reviewer takes back an approval before filing; the item returns to Submitted.
    Revoke,
    /// A checker sends an approved item now instead of after the hold, or sends an item
    /// whose filing failed again.
    Execute,
    /// The executor takes an approved item to the bureau.
    StartFiling,
    BureauFiles,
    BureauRejects,
    /// The executor gave up reaching the bureau after its bounded attempts (a filing or a
    /// revocation).
    FilingFails,
    RequestRevocation,
    ApproveRevocation,
    RejectRevocation,
    BureauAccepts,
    BureauRefuses,
}

impl RequestAction {
    pub const ALL: [RequestAction; 14] = [
        RequestAction::Submit,
        RequestAction::Approve,
        RequestAction::Reject,
        RequestAction::Revoke,
        RequestAction::Execute,
        RequestAction::StartFiling,
        RequestAction::BureauFiles,
        RequestAction::BureauRejects,
        RequestAction::FilingFails,
        RequestAction::RequestRevocation,
        RequestAction::ApproveRevocation,
        RequestAction::RejectRevocation,
        RequestAction::BureauAccepts,
        RequestAction::BureauRefuses,
    ];

    /// Stable identifier, identical to the serde form.
    pub fn code(self) -> &'static str {
        match self {
            RequestAction::Submit => "submit",
            RequestAction::Approve => "approve",
            RequestAction::Reject => "reject",
            RequestAction::Revoke => "revoke",
            RequestAction::Execute => "execute",
            RequestAction::StartFiling => "start-filing",
            RequestAction::BureauFiles => "bureau-files",
            RequestAction::BureauRejects => "bureau-rejects",
            RequestAction::FilingFails => "filing-fails",
            RequestAction::RequestRevocation => "request-revocation",
            RequestAction::ApproveRevocation => "approve-revocation",
            RequestAction::RejectRevocation => "reject-revocation",
            RequestAction::BureauAccepts => "bureau-accepts",
            RequestAction::BureauRefuses => "bureau-refuses",
        }
    }

    pub fn from_code(code: &str) -> Option<RequestAction> {
        RequestAction::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            RequestAction::Submit => ("提交", "Submit"),
            RequestAction::Approve => ("批准", "Approve"),
            RequestAction::Reject => ("驳回", "Reject"),
            RequestAction::Revoke => ("撤回批准", "Revoke approval"),
            RequestAction::Execute => ("立即报送", "Send now"),
            RequestAction::StartFiling => ("开始报送", "Start filing"),
            RequestAction::BureauFiles => ("社保局受理", "Filed by the bureau"),
            RequestAction::BureauRejects => ("社保局退回", "Refused by the bureau"),
            RequestAction::FilingFails => ("报送失败", "Filing failed"),
            RequestAction::RequestRevocation => ("申请社保局撤销", "Ask the bureau to revoke"),
            RequestAction::ApproveRevocation => ("批准撤销申请", "Approve the revocation"),
            RequestAction::RejectRevocation => ("驳回撤销申请", "Reject the revocation"),
            RequestAction::BureauAccepts => ("社保局同意撤销", "Bureau accepts"),
            RequestAction::BureauRefuses => ("社保局拒绝撤销", "Bureau refuses"),
        };
        lang.pick(zh, en)
    }

    pub fn label_zh(self) -> &'static str {
        self.label(Lang::Zh)
    }

    /// The audit log's name for this transition. A person's "send now" is recorded as such:
    /// the filing itself is the executor's `start-filing` and the bureau's answer.
    pub fn audit_code(self) -> String {
        match self {
            RequestAction::Execute => crate::audit::ENROLLMENT_EXECUTE_NOW.to_owned(),
            _ => format!("enrollment.{}", self.code().replace('-', "_")),
        }
    }

    /// Whoever takes this action becomes one of the request's makers: they wrote or sent
    /// on its content, so they may never check it.
    pub fn makes(self) -> bool {
        self.performer() == Performer::Maker
    }

    /// The action needs a reason typed by the person taking it.
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            RequestAction::Reject | RequestAction::RequestRevocation | RequestAction::RejectRevocation
        )
    }

    fn performer(self) -> Performer {
        match self {
            RequestAction::Submit | RequestAction::RequestRevocation => Performer::Maker,
            RequestAction::Approve
            | RequestAction::Reject
            | RequestAction::Revoke
            | RequestAction::Execute
            | RequestAction::ApproveRevocation
            | RequestAction::RejectRevocation => Performer::Checker,
            RequestAction::StartFiling
            | RequestAction::BureauFiles
            | RequestAction::BureauRejects
            | RequestAction::FilingFails
            | RequestAction::BureauAccepts
            | RequestAction::BureauRefuses => Performer::System,
        }
    }
}

// ---------------------------------------------------------------------------------------
// State machine
// ---------------------------------------------------------------------------------------

/// Who is acting on a request. `is_maker` is true when this user created, edited,
/// submitted or asked to revoke the request at any time (the server works it out from
/// the request's recorded makers, never from the client).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub role: Role,
    pub is_maker: bool,
    /// The scheduled executor or the bureau's answer. Its `role` is ignored.
    pub is_system: bool,
}

impl Actor {
    pub fn user(role: Role, is_maker: bool) -> Actor {
        Actor {
            role,
            is_maker,
            is_system: false,
        }
    }

    pub fn system() -> Actor {
        Actor {
            role: Role::Admin,
            is_maker: false,
            is_system: true,
        }
    }
}

/// Who may perform an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Performer {
    /// Prepares requests (专员). Managers may stand in.
    Maker,
    /// Reviews requests (主管), never one they made. Managers may stand in.
    Checker,
    /// Only the executor and the bureau's answers move these.
    System,
}

const MAKERS: [Role; 2] = [Role::HrSpecialist, Role::HrManager];
const CHECKERS: [Role; 2] = [Role::HrSupervisor, Role::HrManager];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Transition {
    pub from: RequestState,
    pub action: RequestAction,
    pub to: RequestState,
}

const fn step(from: RequestState, action: RequestAction, to: RequestState) -> Transition {
    Transition { from, action, to }
}

/// Every allowed move; anything not listed is refused.
pub const TRANSITIONS: [Transition; 19] = {
    use RequestAction as A;
    use RequestState as S;
    [
        step(S::Draft, A::Submit, S::Submitted),
        step(S::Rejected, A::Submit, S::Submitted),
        step(S::FilingRefused, A::Submit, S::Submitted),
        step(S::Submitted, A::Approve, S::Approved),
        step(S::Submitted, A::Reject, S::Rejected),
        // Undo before it is too late: back to the specialist, who may correct it.
        step(S::Approved, A::Revoke, S::Submitted),
        // "Execute now" only makes the filing due; the executor takes it from there.
        step(S::Approved, A::Execute, S::Approved),
        step(S::Approved, A::StartFiling, S::Filing),
        step(S::FilingFailed, A::Execute, S::Filing),
        step(S::Filing, A::BureauFiles, S::Executed),
        step(S::Filing, A::BureauRejects, S::FilingRefused),
        step(S::Filing, A::FilingFails, S::FilingFailed),
        // The bureau's acceptance counts whenever it arrives, even after the executor gave up.
        step(S::FilingFailed, A::BureauFiles, S::Executed),
        step(S::Executed, A::RequestRevocation, S::RevocationRequested),
        step(S::RevocationRequested, A::ApproveRevocation, S::RevocationSent),
        step(S::RevocationRequested, A::RejectRevocation, S::Executed),
        step(S::RevocationSent, A::BureauAccepts, S::RevokedAtBureau),
        step(S::RevocationSent, A::BureauRefuses, S::RevocationRefused),
        // The bureau could not be reached: back to the checker, who may send it again.
        step(S::RevocationSent, A::FilingFails, S::RevocationRequested),
    ]
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message_zh())]
pub enum TransitionError {
    NotAllowed {
        from: RequestState,
        action: RequestAction,
    },
    Forbidden,
    /// A maker of the request tried to check it.
    MakerChecks,
}

impl TransitionError {
    pub fn code(&self) -> &'static str {
        match self {
            TransitionError::NotAllowed { .. } => "request.invalid_transition",
            TransitionError::Forbidden => "request.forbidden",
            TransitionError::MakerChecks => "request.self_approval",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let (zh, en) = match *self {
            // The costly mistakes this system exists for: point to the one way left.
            TransitionError::NotAllowed {
                from: RequestState::Executed,
                action: RequestAction::Revoke,
            } => (
                "该申请已执行（已报送社保局），不能撤回批准；请改为申请社保局撤销",
                "This request was executed (sent to the bureau): the approval cannot be revoked; ask the bureau to revoke it instead",
            ),
            TransitionError::NotAllowed {
                from: RequestState::Filing | RequestState::FilingFailed,
                action: RequestAction::Revoke,
            } => (
                "该申请正在报送社保局，不能撤回批准；报送完成后请申请社保局撤销",
                "This request is being sent to the bureau: the approval cannot be revoked; once it is filed, ask the bureau to revoke it",
            ),
            TransitionError::NotAllowed { from, action } => {
                let (from, action) = (from.label(lang), action.label(lang));
                return match lang {
                    Lang::Zh => format!("当前状态「{from}」不能执行「{action}」"),
                    Lang::En => format!("\u{201c}{action}\u{201d} is not possible in the state \u{201c}{from}\u{201d}"),
                };
            }
            TransitionError::Forbidden => ("您的角色不能执行此操作", "Your role cannot do this"),
            TransitionError::MakerChecks => (
                "您创建、修改或提交过此申请，不能审核它；请由另一位主管审核",
                "You created, changed or submitted this request, so you cannot review it; another supervisor must",
            ),
        };
        lang.pick(zh, en).to_owned()
    }

    pub fn message_zh(&self) -> String {
        self.message(Lang::Zh)
    }
}

/// The state after `action`, if the table allows it from `from` and `actor` may do it.
/// State is checked first, so a wrong button reports the state rather than the role.
pub fn transition(
    from: RequestState,
    action: RequestAction,
    actor: Actor,
) -> Result<RequestState, TransitionError> {
    let to = TRANSITIONS
        .iter()
        .find(|t| t.from == from && t.action == action)
        .map(|t| t.to)
        .ok_or(TransitionError::NotAllowed { from, action })?;
    authorize(action.performer(), actor)?;
    Ok(to)
}

fn authorize(performer: Performer, actor: Actor) -> Result<(), TransitionError> {
    if actor.is_system {
        return match performer {
            Performer::System => Ok(()),
            Performer::Maker | Performer::Checker => Err(TransitionError::Forbidden),
        };
    }
    match performer {
        Performer::Maker if MAKERS.contains(&actor.role) => Ok(()),
        Performer::Checker if CHECKERS.contains(&actor.role) => {
            if actor.is_maker {
                Err(TransitionError::MakerChecks)
            } else {
                Ok(())
            }
        }
        _ => Err(TransitionError::Forbidden),
    }
}

/// Whether the role prepares requests: creates, corrects and submits them (专员).
pub fn may_prepare(role: Role) -> bool {
    transition(RequestState::Draft, RequestAction::Submit, Actor::user(role, false)).is_ok()
}

/// Whether the role reviews requests (主管).
pub fn may_review(role: Role) -> bool {
    transition(RequestState::Submitted, RequestAction::Approve, Actor::user(role, false)).is_ok()
}

/// The actions `actor` may take on a request in `state`, in `RequestAction::ALL` order.
pub fn available_actions(state: RequestState, actor: Actor) -> Vec<RequestAction> {
    RequestAction::ALL
        .into_iter()
        .filter(|&a| transition(state, a, actor).is_ok())
        .collect()
}

/// Whether a maker may still change the request's content. Submitted counts: a revoked
/// approval returns the item there precisely so it can be corrected, and there is no
/// separate "revoked" state. Once approved, the content is what was approved.
pub fn editable(state: RequestState) -> bool {
    matches!(
        state,
        RequestState::Draft
            | RequestState::Submitted
            | RequestState::Rejected
            | RequestState::FilingRefused
    )
}

/// The states in which the bureau holds the request as filed: what its bases in force are
/// made of (a revocation still under way has not undone it).
pub fn filed_at_bureau(state: RequestState) -> bool {
    matches!(
        state,
        RequestState::Executed | RequestState::RevocationRequested | RequestState::RevocationSent | RequestState::RevocationRefused
    )
}

/// The states in which a request counts against a new enrollment of the same employee
/// and type: under way, at the bureau, or filed there.
pub fn holds_enrollment(state: RequestState) -> bool {
    !matches!(
        state,
        RequestState::Draft | RequestState::Rejected | RequestState::FilingRefused | RequestState::RevokedAtBureau
    )
}

// ---------------------------------------------------------------------------------------
// The request form
// ---------------------------------------------------------------------------------------

/// Back-payments further back than this are refused (bureaus cap how far back they take).
pub const MAX_BACK_PAYMENT_MONTHS: i32 = 36;
/// The longest reason a form or an action takes.
pub const MAX_REASON_CHARS: usize = 200;

/// The form as typed: raw text, so any JSON object parses and half-filled input can be
/// validated. Months are "YYYY-MM"; `insurance_types` holds `InsuranceType` codes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RequestForm {
    pub kind: String,
    pub employee_id: String,
    pub insurance_types: Vec<String>,
    pub base: String,
    pub from_month: String,
    pub to_month: String,
    pub reason: String,
}

/// A form that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidRequest {
    pub kind: RequestKind,
    pub employee_id: String,
    pub insurance_types: Vec<InsuranceType>,
    pub base: Decimal,
    pub from: Period,
    pub to: Period,
    pub reason: Option<String>,
}

impl ValidRequest {
    /// Every month the request covers, in order.
    pub fn months(&self) -> Vec<Period> {
        Period::range_inclusive(self.from, self.to)
    }
}

/// Back to the form, to edit a stored request.
impl From<&ValidRequest> for RequestForm {
    fn from(req: &ValidRequest) -> RequestForm {
        RequestForm {
            kind: req.kind.code().to_owned(),
            employee_id: req.employee_id.clone(),
            insurance_types: req
                .insurance_types
                .iter()
                .map(|t| t.code().to_owned())
                .collect(),
            base: req.base.to_string(),
            from_month: req.from.to_string(),
            to_month: req.to.to_string(),
            reason: req.reason.clone().unwrap_or_default(),
        }
    }
}

/// The form's fields in display order (also the order of `validate`'s errors).
pub const FIELDS: [&str; 7] = [
    "kind",
    "employee_id",
    "insurance_types",
    "base",
    "from_month",
    "to_month",
    "reason",
];

type Checked<T> = Result<T, FieldError>;

fn fail<T>(field: &str, code: &str, zh: impl Into<String>, en: impl Into<String>) -> Checked<T> {
    Err(FieldError::new(field, code, zh, en))
}

/// Moves an error into `errors`, keeping the value if there is one.
fn keep<T>(errors: &mut Vec<FieldError>, checked: Checked<T>) -> Option<T> {
    checked.map_err(|e| errors.push(e)).ok()
}

impl RequestForm {
    /// Validates against the current month in China.
    pub fn validate(
        &self,
        city: City,
        hire_date: Option<NaiveDate>,
    ) -> Result<ValidRequest, Vec<FieldError>> {
        self.validate_as_of(city, today_in_china(), hire_date)
    }

    /// The form's own errors while its employee, and so the city, is not known yet: every
    /// rule but the city's policy coverage and base range. Never a valid request, since
    /// nothing can be priced without the city.
    pub fn errors_without_employee(&self) -> Vec<FieldError> {
        self.validate_in(None, today_in_china(), None).err().unwrap_or_default()
    }

    /// All field errors at once, in `FIELDS` order, as of `today` in China; `hire_date`,
    /// when known, bounds back-payments.
    pub fn validate_as_of(
        &self,
        city: City,
        today: NaiveDate,
        hire_date: Option<NaiveDate>,
    ) -> Result<ValidRequest, Vec<FieldError>> {
        self.validate_in(Some(city), today, hire_date)
    }

    fn validate_in(
        &self,
        city: Option<City>,
        today: NaiveDate,
        hire_date: Option<NaiveDate>,
    ) -> Result<ValidRequest, Vec<FieldError>> {
        let current = Months::on(city, today);
        let mut errors = Vec::new();
        let kind = keep(&mut errors, self.check_kind());
        let employee_id = keep(&mut errors, self.check_employee_id());
        let types = keep(&mut errors, self.check_insurance_types());
        let months = self.check_months(kind, city, current, hire_date, &mut errors);
        let base = keep(&mut errors, self.check_base());
        if let (Some(city), Some((from, to)), Some(list)) = (city, months, types.as_deref()) {
            if let Err(e) = check_offered(city, from, to, list) {
                errors.push(e);
            }
        }
        let reason = kind.and_then(|k| keep(&mut errors, self.check_reason(k)));
        errors.sort_by_key(|e| FIELDS.iter().position(|f| *f == e.field));
        match (kind, employee_id, types, base, months, reason) {
            _ if city.is_none() => Err(errors),
            (
                Some(kind),
                Some(employee_id),
                Some(insurance_types),
                Some(base),
                Some((from, to)),
                Some(reason),
            ) if errors.is_empty() => Ok(ValidRequest {
                kind,
                employee_id,
                insurance_types,
                base,
                from,
                to,
                reason,
            }),
            _ => Err(errors),
        }
    }

    fn check_kind(&self) -> Checked<RequestKind> {
        RequestKind::from_code(self.kind.trim())
            .ok_or_else(|| FieldError::new("kind", "kind.invalid", "请选择办理类型", "Choose the type of request"))
    }

    fn check_employee_id(&self) -> Checked<String> {
        match self.employee_id.trim() {
            "" => fail("employee_id", "employee_id.required", "请选择员工", "Choose an employee"),
            id => Ok(id.to_owned()),
        }
    }

    fn check_insurance_types(&self) -> Checked<Vec<InsuranceType>> {
        const F: &str = "insurance_types";
        if self.insurance_types.is_empty() {
            return fail(F, "insurance_types.required", "请至少选择一个险种", "Choose at least one insurance type");
        }
        let mut types = Vec::with_capacity(self.insurance_types.len());
        for raw in &self.insurance_types {
            let Some(t) = InsuranceType::from_code(raw.trim()) else {
                return fail(F, "insurance_types.invalid", "险种无效", "Unknown insurance type");
            };
            if types.contains(&t) {
                return fail(F, "insurance_types.duplicate", "险种不能重复", "Each insurance type only once");
            }
            types.push(t);
        }
        Ok(types)
    }

    /// Each month must parse and not lie in the future; then the range must be ordered,
    /// fit the kind, and be covered by the city's policies. Errors go straight to `errors`
    /// because both month fields can be wrong at once.
    fn check_months(
        &self,
        kind: Option<RequestKind>,
        city: Option<City>,
        current: Months,
        hire_date: Option<NaiveDate>,
        errors: &mut Vec<FieldError>,
    ) -> Option<(Period, Period)> {
        // Only an enrollment may be for next month, once this month's has closed.
        let latest = if kind == Some(RequestKind::Enrollment) { current.enrollment } else { current.this };
        let from = keep(errors, check_month("from_month", &self.from_month, latest));
        let to = keep(errors, check_month("to_month", &self.to_month, latest));
        let (from, to) = (from?, to?);
        let range = check_order(from, to)
            .and_then(|()| match kind {
                Some(kind) => check_kind_months(kind, from, to, current, hire_date),
                None => Ok(()),
            })
            .and_then(|()| city.map_or(Ok(()), |city| check_coverage(city, from, to)));
        keep(errors, range).map(|()| (from, to))
    }

    /// The declared wage or base: any positive amount, since each insurance type clamps it
    /// into its own range when priced.
    fn check_base(&self) -> Checked<Decimal> {
        const F: &str = "base";
        if self.base.trim().is_empty() {
            return fail(F, "base.required", "请输入缴费基数", "Enter the contribution base");
        }
        let base = parse_amount(&self.base).map_err(|e| e.to_field_error(F))?;
        if base <= Decimal::ZERO {
            return fail(F, "base.not_positive", "缴费基数必须大于0", "The contribution base must be more than 0");
        }
        Ok(base)
    }

    fn check_reason(&self, kind: RequestKind) -> Checked<Option<String>> {
        match reason_text(&self.reason)? {
            None if kind.needs_reason() => reason_missing(),
            reason => Ok(reason),
        }
    }
}

/// A reason as typed: trimmed, None when blank, refused when too long.
fn reason_text(raw: &str) -> Checked<Option<String>> {
    let reason = raw.trim();
    if reason.chars().count() > MAX_REASON_CHARS {
        return fail(
            "reason",
            "reason.length",
            format!("原因不能超过{MAX_REASON_CHARS}个字符"),
            format!("A reason has at most {MAX_REASON_CHARS} characters"),
        );
    }
    Ok((!reason.is_empty()).then(|| reason.to_owned()))
}

fn reason_missing<T>() -> Checked<T> {
    fail("reason", "reason.required", "请填写原因", "Please give the reason")
}

/// The reason an action needs (`RequestAction::needs_reason`), as the person typed it.
pub fn action_reason(raw: Option<&str>) -> Result<String, FieldError> {
    reason_text(raw.unwrap_or_default())?.map_or_else(reason_missing, Ok)
}

/// This month, and the month a 正常增员 filed today is for: the next one where the city
/// closes this month's enrollments at the payment deadline and it has passed.
#[derive(Debug, Clone, Copy)]
struct Months {
    this: Period,
    enrollment: Period,
    /// The deadline that closed this month's enrollments.
    closed_on: Option<NaiveDate>,
}

impl Months {
    fn on(city: Option<City>, today: NaiveDate) -> Months {
        let this = Period::of(today);
        let closed_on = city
            .and_then(|c| policy_for(c, this))
            .filter(|p| p.enrollment_closes_at_deadline)
            .map(|p| p.due_date(this))
            .filter(|due| today > *due);
        Months { this, enrollment: if closed_on.is_some() { this.next() } else { this }, closed_on }
    }
}

fn check_month(field: &str, raw: &str, latest: Period) -> Checked<Period> {
    let month = Period::parse(raw).map_err(|e| e.to_field_error(field))?;
    if month > latest {
        return fail(field, "months.future", "不能选择未来的月份", "A future month cannot be chosen");
    }
    Ok(month)
}

fn check_order(from: Period, to: Period) -> Checked<()> {
    if from > to {
        return fail("to_month", "months.order", "开始月份不能晚于结束月份", "The first month cannot be after the last");
    }
    Ok(())
}

/// The months each kind may cover. With no future months allowed, an enrollment is
/// exactly the current month: anything earlier is a back-payment, which is the mistake
/// (增员 clicked as 补缴 or the reverse) this form exists to catch.
fn check_kind_months(
    kind: RequestKind,
    from: Period,
    to: Period,
    months: Months,
    hire_date: Option<NaiveDate>,
) -> Checked<()> {
    let current = months.this;
    match kind {
        RequestKind::Enrollment if from < months.enrollment && months.closed_on.is_some() => {
            let (closed, earliest) = (months.closed_on.map(|d| d.to_string()).unwrap_or_default(), months.enrollment);
            fail(
                "from_month",
                "months.enrollment_closed",
                format!("{current} 的增员已于缴费截止日 {closed} 截止，正常增员最早为 {earliest}"),
                format!("Enrollments for {current} closed at the payment deadline, {closed}; the earliest enrollment is for {earliest}"),
            )
        }
        RequestKind::Enrollment if from < current => fail(
            "from_month",
            "months.past_for_enrollment",
            "过去的月份请选择补缴",
            "For past months choose a back-payment",
        ),
        RequestKind::BackPayment if to >= current => {
            fail(
            "to_month",
            "months.not_past",
            "补缴只能选择本月之前的月份",
            "A back-payment covers only months before this one",
        )
        }
        RequestKind::BackPayment if from.months_until(current) > MAX_BACK_PAYMENT_MONTHS => fail(
            "from_month",
            "months.too_old",
            format!("超出可补缴期限（最多{MAX_BACK_PAYMENT_MONTHS}个月）"),
            format!("Beyond the back-payment limit (at most {MAX_BACK_PAYMENT_MONTHS} months)"),
        ),
        RequestKind::BackPayment if hire_date.is_some_and(|d| from < Period::of(d)) => fail(
            "from_month",
            "months.before_hire",
            "补缴月份不能早于入职月份",
            "A back-payment cannot start before the hire month",
        ),
        RequestKind::Removal if from < current.prev() || from != to => {
            let field = if from < current.prev() {
                "from_month"
            } else {
                "to_month"
            };
            fail(field, "months.removal", "减员月份只能是本月或上月", "A removal is for this month or the last")
        }
        RequestKind::BaseAdjustment if from < current.policy_year_start() => fail(
            "from_month",
            "months.before_policy_year",
            format!("基数调整只能从本政策年度开始（{} 起）", current.policy_year_start()),
            format!(
                "A base adjustment starts in this policy year (from {})",
                current.policy_year_start()
            ),
        ),
        _ => Ok(()),
    }
}

/// Policies start at a recorded year; months before it cannot be priced.
fn check_coverage(city: City, from: Period, to: Period) -> Checked<()> {
    match Period::range_inclusive(from, to)
        .into_iter()
        .find(|&period| policy_for(city, period).is_none())
    {
        Some(period) => Err(CalcError::NoPolicy { city, period }.to_field_error()),
        None => Ok(()),
    }
}

/// Maternity cannot be chosen on its own where the city pays it within medical.
fn check_offered(city: City, from: Period, to: Period, types: &[InsuranceType]) -> Checked<()> {
    let merged = types.contains(&InsuranceType::Maternity)
        && Period::range_inclusive(from, to).into_iter().any(|m| policy_for(city, m).is_some_and(|p| p.maternity_merged));
    if merged {
        return Err(CalcError::MaternityMerged { city }.to_field_error());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::test_date;
    use proptest::prelude::*;

    fn p(s: &str) -> Period {
        Period::parse(s).unwrap()
    }

    // ---- state machine -----------------------------------------------------------------

    fn specialist() -> Actor {
        Actor::user(Role::HrSpecialist, true)
    }

    fn supervisor() -> Actor {
        Actor::user(Role::HrSupervisor, false)
    }

    #[test]
    fn the_table() {
        use RequestAction as A;
        use RequestState as S;
        let system = Actor::system();
        let cases = [
            (S::Draft, A::Submit, specialist(), S::Submitted),
            (S::Rejected, A::Submit, specialist(), S::Submitted),
            (S::FilingRefused, A::Submit, specialist(), S::Submitted),
            (S::Submitted, A::Approve, supervisor(), S::Approved),
            (S::Submitted, A::Reject, supervisor(), S::Rejected),
            (S::Approved, A::Revoke, supervisor(), S::Submitted),
            (S::Approved, A::Execute, supervisor(), S::Approved),
            (S::Approved, A::StartFiling, system, S::Filing),
            (S::FilingFailed, A::Execute, supervisor(), S::Filing),
            (S::Filing, A::BureauFiles, system, S::Executed),
            (S::Filing, A::BureauRejects, system, S::FilingRefused),
            (S::Filing, A::FilingFails, system, S::FilingFailed),
            (S::FilingFailed, A::BureauFiles, system, S::Executed),
            (S::Executed, A::RequestRevocation, specialist(), S::RevocationRequested),
            (S::RevocationRequested, A::ApproveRevocation, supervisor(), S::RevocationSent),
            (S::RevocationRequested, A::RejectRevocation, supervisor(), S::Executed),
            (S::RevocationSent, A::BureauAccepts, system, S::RevokedAtBureau),
            (S::RevocationSent, A::BureauRefuses, system, S::RevocationRefused),
            (S::RevocationSent, A::FilingFails, system, S::RevocationRequested),
        ];
        assert_eq!(cases.len(), TRANSITIONS.len());
        for (from, action, actor, to) in cases {
            assert_eq!(transition(from, action, actor), Ok(to), "{from:?} {action:?}");
        }
        // Everything else is refused, whoever asks.
        let manager = Actor::user(Role::HrManager, false);
        for from in S::ALL {
            for action in A::ALL {
                if TRANSITIONS.iter().any(|t| t.from == from && t.action == action) {
                    continue;
                }
                for actor in [manager, system] {
                    assert_eq!(
                        transition(from, action, actor),
                        Err(TransitionError::NotAllowed { from, action })
                    );
                }
            }
        }
    }

    #[test]
    fn no_maker_checks() {
        use RequestAction as A;
        use RequestState as S;
        for role in CHECKERS {
            let maker = Actor::user(role, true);
            for (from, action) in [
                (S::Submitted, A::Approve),
                (S::Submitted, A::Reject),
                (S::Approved, A::Revoke),
                (S::Approved, A::Execute),
                (S::FilingFailed, A::Execute),
                (S::RevocationRequested, A::ApproveRevocation),
                (S::RevocationRequested, A::RejectRevocation),
            ] {
                let err = transition(from, action, maker).unwrap_err();
                assert_eq!(err, TransitionError::MakerChecks, "{role:?} {action:?}");
                assert_eq!(err.code(), "request.self_approval");
                assert_eq!(
                    err.to_string(),
                    "您创建、修改或提交过此申请，不能审核它；请由另一位主管审核"
                );
            }
        }
        // A manager may make and another manager check.
        let maker = Actor::user(Role::HrManager, true);
        assert_eq!(transition(S::Draft, A::Submit, maker), Ok(S::Submitted));
        let other = Actor::user(Role::HrManager, false);
        assert_eq!(transition(S::Submitted, A::Approve, other), Ok(S::Approved));
        // The makers are exactly those who submit or ask for a revocation (plus whoever
        // creates or edits, which the server records outside the table).
        let makes: Vec<_> = A::ALL.into_iter().filter(|a| a.makes()).collect();
        assert_eq!(makes, [A::Submit, A::RequestRevocation]);
    }

    #[test]
    fn roles_are_enforced() {
        let forbidden = Err(TransitionError::Forbidden);
        for role in [Role::Employee, Role::HrSupervisor, Role::Finance, Role::Director, Role::Admin] {
            let actor = Actor::user(role, false);
            assert_eq!(transition(RequestState::Draft, RequestAction::Submit, actor), forbidden, "{role:?}");
            assert_eq!(
                transition(RequestState::Executed, RequestAction::RequestRevocation, actor),
                forbidden
            );
        }
        for role in [Role::Employee, Role::HrSpecialist, Role::Finance, Role::Director, Role::Admin] {
            let actor = Actor::user(role, false);
            assert_eq!(transition(RequestState::Submitted, RequestAction::Approve, actor), forbidden, "{role:?}");
            assert_eq!(
                transition(RequestState::RevocationRequested, RequestAction::ApproveRevocation, actor),
                forbidden
            );
        }
        // People never move what only the executor and the bureau move, and the system
        // never approves anything.
        for action in [
            RequestAction::StartFiling,
            RequestAction::BureauFiles,
            RequestAction::BureauRejects,
            RequestAction::FilingFails,
        ] {
            let from = if action == RequestAction::StartFiling { RequestState::Approved } else { RequestState::Filing };
            assert_eq!(transition(from, action, Actor::user(Role::HrManager, false)), forbidden);
        }
        assert_eq!(
            transition(RequestState::RevocationSent, RequestAction::BureauAccepts, supervisor()),
            forbidden
        );
        assert_eq!(transition(RequestState::Submitted, RequestAction::Approve, Actor::system()), forbidden);
        assert_eq!(transition(RequestState::Approved, RequestAction::Execute, Actor::system()), forbidden);
        let err = transition(RequestState::Submitted, RequestAction::Approve, Actor::user(Role::Finance, false))
            .unwrap_err();
        assert_eq!((err.code(), err.to_string().as_str()), ("request.forbidden", "您的角色不能执行此操作"));
    }

    #[test]
    fn a_filed_or_filing_item_points_to_the_bureau() {
        let err = transition(RequestState::Executed, RequestAction::Revoke, supervisor()).unwrap_err();
        assert_eq!(err.code(), "request.invalid_transition");
        assert_eq!(err.to_string(), "该申请已执行（已报送社保局），不能撤回批准；请改为申请社保局撤销");
        for state in [RequestState::Filing, RequestState::FilingFailed] {
            let err = transition(state, RequestAction::Revoke, supervisor()).unwrap_err();
            assert_eq!(err.to_string(), "该申请正在报送社保局，不能撤回批准；报送完成后请申请社保局撤销");
        }
        let err = transition(RequestState::Draft, RequestAction::Revoke, supervisor()).unwrap_err();
        assert_eq!(err.to_string(), "当前状态「草稿」不能执行「撤回批准」");
        let err = transition(RequestState::Executed, RequestAction::StartFiling, Actor::system()).unwrap_err();
        assert_eq!(err.to_string(), "当前状态「已执行」不能执行「开始报送」");
    }

    #[test]
    fn actions_for_the_ui() {
        use RequestAction as A;
        use RequestState as S;
        assert_eq!(available_actions(S::Submitted, supervisor()), [A::Approve, A::Reject]);
        assert_eq!(available_actions(S::Approved, supervisor()), [A::Revoke, A::Execute]);
        assert!(available_actions(S::Submitted, Actor::user(Role::HrSupervisor, true)).is_empty());
        assert_eq!(available_actions(S::Draft, specialist()), [A::Submit]);
        assert_eq!(available_actions(S::Filing, supervisor()), []);
        assert_eq!(available_actions(S::FilingFailed, supervisor()), [A::Execute]);
        assert_eq!(available_actions(S::Executed, specialist()), [A::RequestRevocation]);
        assert_eq!(
            available_actions(S::RevocationRequested, supervisor()),
            [A::ApproveRevocation, A::RejectRevocation]
        );
        assert_eq!(
            available_actions(S::RevocationSent, Actor::system()),
            [A::FilingFails, A::BureauAccepts, A::BureauRefuses]
        );
        assert!(available_actions(S::RevokedAtBureau, Actor::user(Role::HrManager, false)).is_empty());
    }

    #[test]
    fn editable_until_approved_and_after_a_bureau_refusal() {
        let editable_states: Vec<_> = RequestState::ALL.into_iter().filter(|&s| editable(s)).collect();
        assert_eq!(
            editable_states,
            [RequestState::Draft, RequestState::Submitted, RequestState::Rejected, RequestState::FilingRefused]
        );
        let locked: Vec<_> = RequestState::ALL.into_iter().filter(|s| s.identity_locked()).collect();
        assert_eq!(locked, [RequestState::Approved, RequestState::Filing, RequestState::FilingFailed]);
        // An editable request never has its identity locked: it can always follow a correction.
        assert!(RequestState::ALL.into_iter().all(|s| !(editable(s) && s.identity_locked())));
        let holding: Vec<_> = RequestState::ALL.into_iter().filter(|&s| holds_enrollment(s)).collect();
        assert_eq!(holding.len(), 8);
        assert!(!holding.contains(&RequestState::RevokedAtBureau));
    }

    #[test]
    fn who_prepares_and_who_reviews() {
        let preparers: Vec<_> = Role::ALL.into_iter().filter(|&r| may_prepare(r)).collect();
        assert_eq!(preparers, MAKERS);
        let reviewers: Vec<_> = Role::ALL.into_iter().filter(|&r| may_review(r)).collect();
        assert_eq!(reviewers, CHECKERS);
        // Single-month kinds are exactly those whose month rules allow one month only.
        for kind in RequestKind::ALL {
            let two = form(kind.code(), "2024-07", "2024-08");
            assert_eq!(kind.single_month(), validate(&two).is_err(), "{kind:?}");
        }
    }

    #[test]
    fn codes_labels_and_serde() {
        for k in RequestKind::ALL {
            assert_eq!(RequestKind::from_code(k.code()), Some(k));
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{}\"", k.code()));
        }
        for s in RequestState::ALL {
            assert_eq!(RequestState::from_code(s.code()), Some(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.code()));
        }
        for a in RequestAction::ALL {
            assert_eq!(RequestAction::from_code(a.code()), Some(a));
            let json = serde_json::to_string(&a).unwrap();
            assert_eq!(json, format!("\"{}\"", a.code()));
            assert_eq!(serde_json::from_str::<RequestAction>(&json).unwrap(), a);
        }
        assert_eq!(RequestKind::BackPayment.code(), "back_payment");
        assert_eq!(RequestAction::RequestRevocation.code(), "request-revocation");
        assert_eq!(RequestAction::ApproveRevocation.code(), "approve-revocation");
        assert_eq!(RequestAction::ApproveRevocation.audit_code(), "enrollment.approve_revocation");
        assert_eq!(RequestAction::Execute.audit_code(), "enrollment.execute_now");
        assert_eq!(crate::api::action_label_zh("enrollment.execute_now"), "要求立即报送");
        assert_eq!(crate::api::action_label_zh("enrollment.submit"), "提交审核");
        assert_eq!(crate::api::action_label_zh("enrollment.approve_revocation"), "批准撤销申请");
        // Every transition's audit entry has its own label on the timeline.
        for a in RequestAction::ALL {
            assert_ne!(crate::api::action_label_zh(&a.audit_code()), "其他操作", "{a:?}");
        }
        assert_eq!(RequestState::RevokedAtBureau.label_zh(), "已在社保局撤销");
        assert_eq!(RequestState::Filing.label_zh(), "报送中");
        assert_eq!(RequestState::FilingFailed.label_zh(), "报送失败，需人工处理");
        assert_eq!(RequestKind::Enrollment.label_zh(), "正常增员");
        assert_eq!(RequestAction::Revoke.label_zh(), "撤回批准");
        assert!(!RequestKind::Removal.has_cost());
        let with_reason: Vec<_> = RequestKind::ALL.into_iter().filter(|k| k.needs_reason()).collect();
        assert_eq!(with_reason, [RequestKind::BackPayment, RequestKind::BaseAdjustment]);
        let insuring: Vec<_> = RequestKind::ALL.into_iter().filter(|k| k.insures()).collect();
        assert_eq!(insuring, [RequestKind::Enrollment, RequestKind::BackPayment]);
        assert!(RequestKind::ALL.into_iter().filter(|k| k.has_cost()).count() == 3);
        assert_eq!(RequestKind::from_code("Enrollment"), None);
        let reasons: Vec<_> = RequestAction::ALL.into_iter().filter(|a| a.needs_reason()).collect();
        assert_eq!(
            reasons,
            [RequestAction::Reject, RequestAction::RequestRevocation, RequestAction::RejectRevocation]
        );
    }

    /// English text with no Chinese left in it.
    fn english(text: &str) -> bool {
        !text.is_empty() && !text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn labels_and_refusals_in_both_languages() {
        use std::collections::HashSet;
        let kinds: HashSet<_> = RequestKind::ALL.into_iter().map(|k| k.label(Lang::En)).collect();
        let states: HashSet<_> = RequestState::ALL.into_iter().map(|s| s.label(Lang::En)).collect();
        let actions: HashSet<_> = RequestAction::ALL.into_iter().map(|a| a.label(Lang::En)).collect();
        assert_eq!((kinds.len(), states.len(), actions.len()), (4, 12, 14));
        assert!(kinds.iter().chain(&states).chain(&actions).all(|l| english(l)));
        assert_eq!(RequestKind::BackPayment.label(Lang::Zh), "补缴");
        assert_eq!(RequestState::FilingRefused.label(Lang::En), "Refused by the bureau");
        for from in RequestState::ALL {
            for action in RequestAction::ALL {
                for actor in [specialist(), supervisor(), Actor::user(Role::Finance, false), Actor::system()] {
                    if let Err(e) = transition(from, action, actor) {
                        assert!(english(&e.message(Lang::En)), "{e:?}");
                        assert_eq!(e.message(Lang::Zh), e.to_string());
                    }
                }
            }
        }
        let e = transition(RequestState::Draft, RequestAction::Revoke, supervisor()).unwrap_err();
        assert_eq!(e.message(Lang::En), "\u{201c}Revoke approval\u{201d} is not possible in the state \u{201c}Draft\u{201d}");
    }

    #[test]
    fn every_form_error_has_its_english() {
        let mut bad = vec![RequestForm::default(), form("enrollment", "2024-1", "x")];
        let cases = [
            ("back_payment", "2024-08", "2024-07"),
            ("enrollment", "2024-10", "2024-11"),
            ("enrollment", "2024-09", "2024-10"),
            ("back_payment", "2024-08", "2024-10"),
            ("back_payment", "2021-09", "2021-12"),
            ("back_payment", "2023-02", "2023-04"),
            ("removal", "2024-08", "2024-08"),
            ("base_adjustment", "2024-06", "2024-10"),
        ];
        bad.extend(cases.map(|(k, from, to)| form(k, from, to)));
        for (field, value) in [("base", "abc"), ("base", "0"), ("reason", " ")] {
            let mut f = form("back_payment", "2024-05", "2024-08");
            match field {
                "base" => f.base = value.into(),
                _ => f.reason = value.into(),
            }
            bad.push(f);
        }
        let mut long = form("back_payment", "2024-07", "2024-07");
        long.reason = "调".repeat(MAX_REASON_CHARS + 1);
        bad.push(long);
        let mut types = form("enrollment", "2024-10", "2024-10");
        types.insurance_types = vec!["pension".into(), "pension".into()];
        bad.push(types);
        for f in bad {
            for e in validate(&f).unwrap_err() {
                assert!(english(&e.message_en), "{e:?}");
                assert_eq!(e.message_in(Lang::Zh), e.message);
            }
        }
        assert!(english(&action_reason(None).unwrap_err().message_en));
    }

    // ---- the form ----------------------------------------------------------------------

    /// "Now" for the form tests: 2024-10-10, Beijing.
    fn today() -> NaiveDate {
        test_date(2024, 10, 10)
    }

    fn form(kind: &str, from: &str, to: &str) -> RequestForm {
        RequestForm {
            kind: kind.into(),
            employee_id: "e1".into(),
            insurance_types: vec!["pension".into()],
            base: "10000".into(),
            from_month: from.into(),
            to_month: to.into(),
            reason: "漏缴".into(),
        }
    }

    fn validate(f: &RequestForm) -> Result<ValidRequest, Vec<FieldError>> {
        f.validate_as_of(City::Beijing, today(), Some(test_date(2023, 3, 15)))
    }

    /// The (field, code) pairs of a form's errors.
    fn codes(f: &RequestForm) -> Vec<(String, String)> {
        validate(f)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    fn one(field: &str, code: &str) -> Vec<(String, String)> {
        vec![(field.to_owned(), code.to_owned())]
    }

    #[test]
    fn accepts_each_kind() {
        let ok = validate(&form("back_payment", "2024-07", "2024-09")).unwrap();
        assert_eq!(ok.kind, RequestKind::BackPayment);
        assert_eq!(ok.insurance_types, [InsuranceType::Pension]);
        assert_eq!(ok.base.to_string(), "10000.00");
        assert_eq!(ok.months(), [p("2024-07"), p("2024-08"), p("2024-09")]);
        assert_eq!(ok.reason.as_deref(), Some("漏缴"));
        assert_eq!(
            RequestForm::from(&ok),
            RequestForm {
                base: "10000.00".into(),
                ..form("back_payment", "2024-07", "2024-09")
            }
        );

        let mut enroll = form("enrollment", "2024-10", "2024-10");
        enroll.reason = "  ".into();
        assert_eq!(validate(&enroll).unwrap().reason, None);
        for month in ["2024-09", "2024-10"] {
            validate(&form("removal", month, month)).unwrap();
        }
        validate(&form("base_adjustment", "2024-07", "2024-10")).unwrap();
    }

    #[test]
    fn without_an_employee_only_the_forms_own_rules() {
        // A base far out of any city's range is not an error before the city is known…
        let now = Period::of(today_in_china()).to_string();
        let mut f = form("enrollment", &now, &now);
        f.employee_id = String::new();
        f.base = "1".into();
        let codes: Vec<_> = f.errors_without_employee().into_iter().map(|e| e.code).collect();
        assert_eq!(codes, ["employee_id.required"]);
        // …but the form's own rules are, and a complete form is still not valid.
        f.base = "x".into();
        let codes: Vec<_> = f.errors_without_employee().into_iter().map(|e| e.code).collect();
        assert_eq!(codes, ["employee_id.required", "amount.invalid"]);
        assert!(form("enrollment", &now, &now).errors_without_employee().is_empty());
    }

    #[test]
    fn basic_fields() {
        let empty = RequestForm::default();
        assert_eq!(
            codes(&empty),
            [
                ("kind", "kind.invalid"),
                ("employee_id", "employee_id.required"),
                ("insurance_types", "insurance_types.required"),
                ("base", "base.required"),
                ("from_month", "period.invalid"),
                ("to_month", "period.invalid"),
            ]
            .map(|(f, c)| (f.to_owned(), c.to_owned()))
        );
        let err = validate(&empty).unwrap_err();
        assert_eq!(err[0].message, "请选择办理类型");
        assert_eq!(err[2].message, "请至少选择一个险种");

        let mut f = form("enrollment", "2024-10", "2024-10");
        f.insurance_types = vec!["pension".into(), "dental".into()];
        assert_eq!(codes(&f), one("insurance_types", "insurance_types.invalid"));
        f.insurance_types = vec!["pension".into(), " pension".into()];
        assert_eq!(
            codes(&f),
            one("insurance_types", "insurance_types.duplicate")
        );

        let mut f = form("enrollment", "2024-10", "2024-10");
        for (base, code) in [
            ("abc", "amount.invalid"),
            ("-5", "amount.negative"),
            ("1.234", "amount.precision"),
            ("0", "base.not_positive"),
        ] {
            f.base = base.into();
            assert_eq!(codes(&f), one("base", code), "{base}");
        }

        // Any JSON object parses; missing fields are blank.
        let parsed: RequestForm = serde_json::from_str(r#"{"kind":"removal"}"#).unwrap();
        assert_eq!(parsed.kind, "removal");
        assert!(parsed.insurance_types.is_empty());
    }

    #[test]
    fn any_positive_wage_is_accepted_and_each_type_clamps_it() {
        // Below the 2024 pension minimum (6,821) and above the 2023 maximum (33,891): both
        // are wages, which the price clamps per type and month.
        for base in ["3000", "6500", "35000", "100000"] {
            let mut f = form("back_payment", "2024-05", "2024-08");
            f.insurance_types = vec!["pension".into(), "housing_fund".into()];
            f.base = base.into();
            assert_eq!(validate(&f).unwrap().base, base.parse::<Decimal>().unwrap(), "{base}");
        }
    }

    #[test]
    fn maternity_is_not_chosen_on_its_own_where_merged_into_medical() {
        let mut f = form("enrollment", "2024-10", "2024-10");
        f.insurance_types = vec!["medical".into(), "maternity".into()];
        assert_eq!(codes(&f), one("insurance_types", "insurance_types.maternity_merged"));
        assert!(f.validate_as_of(City::Shenzhen, today(), None).is_ok(), "Shenzhen keeps maternity apart");
    }

    #[test]
    fn an_enrollment_after_the_deadline_is_for_next_month_where_the_city_closes_it() {
        let city = City::ALL
            .into_iter()
            .find(|&c| policy_for(c, p("2024-10")).is_some_and(|p| p.enrollment_closes_at_deadline))
            .expect("a city closes enrollments at the deadline");
        let due = policy_for(city, p("2024-10")).unwrap().due_date(p("2024-10"));
        let this_month = form("enrollment", "2024-10", "2024-10");
        let next_month = form("enrollment", "2024-11", "2024-11");
        // Up to the deadline, this month; the next is still the future.
        assert!(this_month.validate_as_of(city, due, None).is_ok());
        let err = next_month.validate_as_of(city, due, None).unwrap_err();
        assert_eq!(err[0].code, "months.future");
        // A day later this month is closed, with the reason and the month to choose.
        let after = due + chrono::Days::new(1);
        let err = this_month.validate_as_of(city, after, None).unwrap_err();
        assert_eq!((err[0].field.as_str(), err[0].code.as_str()), ("from_month", "months.enrollment_closed"));
        assert_eq!(err[0].message, format!("2024-10 的增员已于缴费截止日 {due} 截止，正常增员最早为 2024-11"));
        assert!(english(&err[0].message_en));
        assert_eq!(next_month.validate_as_of(city, after, None).unwrap().from, p("2024-11"));
        // A back-payment is still only for past months.
        let back = form("back_payment", "2024-11", "2024-11");
        assert_eq!(back.validate_as_of(city, after, None).unwrap_err()[0].code, "months.future");
        // Beijing does not close: after its deadline the month is still open (with a late fee).
        let beijing_due = policy_for(City::Beijing, p("2024-10")).unwrap().due_date(p("2024-10"));
        assert!(this_month.validate_as_of(City::Beijing, beijing_due + chrono::Days::new(1), None).is_ok());
    }

    #[test]
    fn month_rules() {
        let cases = [
            (
                form("enrollment", "2024-1", "2024-10"),
                "from_month",
                "period.invalid",
            ),
            (
                form("back_payment", "2024-08", "2024-07"),
                "to_month",
                "months.order",
            ),
            (
                form("enrollment", "2024-10", "2024-11"),
                "to_month",
                "months.future",
            ),
            (
                form("enrollment", "2024-09", "2024-10"),
                "from_month",
                "months.past_for_enrollment",
            ),
            (
                form("back_payment", "2024-08", "2024-10"),
                "to_month",
                "months.not_past",
            ),
            (
                form("back_payment", "2021-09", "2021-12"),
                "from_month",
                "months.too_old",
            ),
            (
                form("back_payment", "2023-02", "2023-04"),
                "from_month",
                "months.before_hire",
            ),
            (
                form("removal", "2024-08", "2024-08"),
                "from_month",
                "months.removal",
            ),
            (
                form("removal", "2024-09", "2024-10"),
                "to_month",
                "months.removal",
            ),
            (
                form("base_adjustment", "2024-06", "2024-10"),
                "from_month",
                "months.before_policy_year",
            ),
        ];
        for (f, field, code) in cases {
            assert_eq!(codes(&f), one(field, code), "{f:?}");
        }
        // Both month fields can be wrong at once, and the future is checked per field.
        let f = form("back_payment", "2025-01", "x");
        assert_eq!(
            codes(&f),
            [
                ("from_month", "months.future"),
                ("to_month", "period.invalid")
            ]
            .map(|(f, c)| (f.to_owned(), c.to_owned()))
        );
        let messages = [
            (
                form("enrollment", "2024-09", "2024-10"),
                "过去的月份请选择补缴",
            ),
            (
                form("back_payment", "2024-08", "2024-10"),
                "补缴只能选择本月之前的月份",
            ),
            (
                form("back_payment", "2021-09", "2021-12"),
                "超出可补缴期限（最多36个月）",
            ),
            (
                form("back_payment", "2023-02", "2023-04"),
                "补缴月份不能早于入职月份",
            ),
            (
                form("removal", "2024-08", "2024-08"),
                "减员月份只能是本月或上月",
            ),
            (
                form("back_payment", "2024-08", "2024-07"),
                "开始月份不能晚于结束月份",
            ),
            (
                form("enrollment", "2024-11", "2024-11"),
                "不能选择未来的月份",
            ),
            (
                form("base_adjustment", "2024-06", "2024-10"),
                "基数调整只能从本政策年度开始（2024-07 起）",
            ),
        ];
        for (f, message) in messages {
            assert_eq!(validate(&f).unwrap_err()[0].message, message);
        }
        // Exactly 36 months back is still allowed; without a hire date there is no floor.
        let f = form("back_payment", "2021-10", "2021-10");
        let unknown_hire = f.validate_as_of(City::Beijing, today(), None);
        // ...but Beijing's recorded policies start 2022-07.
        assert_eq!(unknown_hire.unwrap_err()[0].code, "policy.missing");
        let f = form("back_payment", "2022-07", "2022-07");
        f.validate_as_of(City::Beijing, test_date(2025, 7, 1), None).unwrap();
    }

    #[test]
    fn an_action_needs_its_reason() {
        assert_eq!(action_reason(Some("  误报 ")).unwrap(), "误报");
        for blank in [None, Some(""), Some("   ")] {
            assert_eq!(action_reason(blank).unwrap_err().code, "reason.required");
        }
        assert_eq!(action_reason(Some(&"调".repeat(201))).unwrap_err().code, "reason.length");
        assert!(action_reason(Some(&"调".repeat(200))).is_ok());
    }

    #[test]
    fn reason_rules() {
        let mut f = form("back_payment", "2024-07", "2024-07");
        f.reason = " ".into();
        assert_eq!(codes(&f), one("reason", "reason.required"));
        assert_eq!(validate(&f).unwrap_err()[0].message, "请填写原因");
        let mut f = form("base_adjustment", "2024-07", "2024-07");
        f.reason = String::new();
        assert_eq!(codes(&f), one("reason", "reason.required"));
        f.reason = "调".repeat(201);
        assert_eq!(codes(&f), one("reason", "reason.length"));
        f.reason = "调".repeat(200);
        validate(&f).unwrap();
    }

    // ---- properties --------------------------------------------------------------------

    fn role() -> impl Strategy<Value = Role> {
        proptest::sample::select(Role::ALL.to_vec())
    }

    proptest! {
        /// Four users with random roles and the system act in random order; an "edit" step
        /// (action index past the table's actions) is a correction while the request is
        /// editable. Nobody who ever created, edited, submitted or asked to revoke the
        /// request gets a checker's action through, and nothing reaches the bureau
        /// without passing through a checker's approval.
        #[test]
        fn makers_never_check(
            roles in proptest::collection::vec(role(), 4),
            steps in proptest::collection::vec((0..=RequestAction::ALL.len(), 0usize..5), 0..60),
        ) {
            let mut state = RequestState::Draft;
            let mut makers = vec![0usize]; // user 0 created it
            let mut approved_by_checker = false;
            for (action, who) in steps {
                let Some(&action) = RequestAction::ALL.get(action) else {
                    if roles.get(who).is_some_and(|r| MAKERS.contains(r)) && editable(state) {
                        makers.push(who);
                    }
                    continue;
                };
                let actor = match roles.get(who) {
                    Some(&role) => Actor::user(role, makers.contains(&who)),
                    None => Actor::system(),
                };
                let Ok(next) = transition(state, action, actor) else { continue };
                let expected = TRANSITIONS.iter().find(|t| t.from == state && t.action == action);
                prop_assert_eq!(expected.map(|t| t.to), Some(next));
                if action.performer() == Performer::Checker {
                    prop_assert!(!actor.is_system && !makers.contains(&who));
                }
                if action == RequestAction::Approve {
                    approved_by_checker = true;
                }
                if action == RequestAction::Revoke {
                    approved_by_checker = false;
                }
                if next == RequestState::Filing {
                    prop_assert!(approved_by_checker);
                }
                if action.makes() {
                    makers.push(who);
                }
                state = next;
            }
        }

        #[test]
        fn available_actions_are_exactly_the_allowed_ones(
            state in proptest::sample::select(RequestState::ALL.to_vec()),
            role in role(),
            is_maker: bool,
            is_system: bool,
        ) {
            let actor = Actor { role, is_maker, is_system };
            for action in RequestAction::ALL {
                prop_assert_eq!(
                    available_actions(state, actor).contains(&action),
                    transition(state, action, actor).is_ok()
                );
            }
        }
    }
}
