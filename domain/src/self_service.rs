//! What an employee may change about themselves, and only through HR: contact details, the
//! bank card claims are paid to, and a request that HR review their base. Each is a request
//! that takes effect only when HR approves it. An employee never sets an enrollment kind,
//! a base or a removal: the form has no such fields, and one sent anyway is refused.

use serde::{Deserialize, Serialize};

use crate::employee::{parse_email, parse_phone};
use crate::lang::Lang;
use crate::period::Period;
use crate::role::{Role, Scope};
use crate::run::ContributionStatus;
use crate::validation::FieldError;

/// A bank card number: 16 to 19 digits with a valid Luhn check digit (ISO/IEC 7812, as
/// China UnionPay cards use). Built only by `parse`; shown only masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankCard(String);

/// The Luhn check digit that completes `body` (digits only), e.g. for a test card number.
pub fn luhn_check_digit(body: &str) -> Option<u8> {
    if !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Doubling starts from the rightmost digit of the body (the check digit goes after it).
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            match (i % 2 == 0, d * 2) {
                (true, twice) if twice > 9 => twice - 9,
                (true, twice) => twice,
                (false, _) => d,
            }
        })
        .sum();
    u8::try_from((10 - sum % 10) % 10).ok()
}

fn luhn_valid(digits: &str) -> bool {
    match digits.as_bytes().split_last() {
        Some((last, body)) => std::str::from_utf8(body).ok().and_then(luhn_check_digit) == Some(last.wrapping_sub(b'0')),
        None => false,
    }
}

impl BankCard {
    /// What people type: digits, with spaces or dashes between groups.
    pub fn parse(raw: &str) -> Result<BankCard, FieldError> {
        let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if digits.is_empty() {
            return Err(FieldError::new("bank_card", "bank_card.required", "请输入银行卡号", "Enter the card number"));
        }
        if !digits.bytes().all(|b| b.is_ascii_digit()) || !(16..=19).contains(&digits.len()) {
            return Err(FieldError::new("bank_card", "bank_card.length", "银行卡号应为16–19位数字", "A card number has 16–19 digits"));
        }
        if !luhn_valid(&digits) {
            return Err(FieldError::new(
                "bank_card",
                "bank_card.check_digit",
                "银行卡号校验不通过，请核对是否输错",
                "The card number does not check out: look for a typo",
            ));
        }
        Ok(BankCard(digits))
    }

    /// The number itself, for the approved record (and the bank) only.
    pub fn number(&self) -> &str {
        &self.0
    }

    /// "6222 **** **** 3446": the first and last four digits.
    pub fn masked(&self) -> String {
        mask_card(&self.0)
    }
}

/// The masked form of a stored card number (first and last four digits).
pub fn mask_card(number: &str) -> String {
    let n = number.len();
    if n < 8 {
        return "*".repeat(n);
    }
    format!("{} **** **** {}", &number[..4], &number[n - 4..])
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Contact,
    BankCard,
    /// Asks HR to review the base, with a reason; HR adjusts it (a 基数调整) if right.
    BaseReview,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 3] = [ChangeKind::Contact, ChangeKind::BankCard, ChangeKind::BaseReview];

    pub fn code(self) -> &'static str {
        match self {
            ChangeKind::Contact => "contact",
            ChangeKind::BankCard => "bank_card",
            ChangeKind::BaseReview => "base_review",
        }
    }

    pub fn from_code(code: &str) -> Option<ChangeKind> {
        ChangeKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ChangeKind::Contact => lang.pick("修改联系方式", "Contact details"),
            ChangeKind::BankCard => lang.pick("更换银行卡", "Bank card"),
            ChangeKind::BaseReview => lang.pick("申请基数复核", "Base review"),
        }
    }
}

/// `POST /api/me/changes`: what the employee asks, as typed. Any other field (a base, an
/// enrollment kind, a removal) makes the whole request invalid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChangeForm {
    pub kind: String,
    pub phone: String,
    pub email: String,
    pub bank_card: String,
    pub reason: String,
}

/// A change once every field is right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValidChange {
    Contact { phone: Option<String>, email: Option<String> },
    BankCard(BankCard),
    BaseReview { reason: String },
}

impl ChangeForm {
    pub fn parse(&self) -> Result<ValidChange, Vec<FieldError>> {
        let kind = ChangeKind::from_code(&self.kind)
            .ok_or_else(|| vec![FieldError::new("kind", "change.kind", "请选择要修改的内容", "Choose what to change")])?;
        match kind {
            ChangeKind::Contact => {
                let phone = parse_phone(&self.phone);
                let email = parse_email(&self.email);
                match (phone, email) {
                    (Ok(None), Ok(None)) => Err(vec![FieldError::new("phone", "change.empty", "请填写新的手机号或邮箱", "Enter a new mobile number or email")]),
                    (Ok(phone), Ok(email)) => Ok(ValidChange::Contact { phone, email }),
                    (phone, email) => Err(phone.err().into_iter().chain(email.err()).collect()),
                }
            }
            ChangeKind::BankCard => BankCard::parse(&self.bank_card).map(ValidChange::BankCard).map_err(|e| vec![e]),
            ChangeKind::BaseReview => {
                let reason = self.reason.trim();
                if (5..=200).contains(&reason.chars().count()) {
                    Ok(ValidChange::BaseReview { reason: reason.to_string() })
                } else {
                    Err(vec![FieldError::new(
                        "reason",
                        "change.reason",
                        "请说明申请复核的原因（5–200 个字），人事会核对",
                        "Give the reason (5–200 characters); HR checks it",
                    )])
                }
            }
        }
    }
}

impl ValidChange {
    pub fn kind(&self) -> ChangeKind {
        match self {
            ValidChange::Contact { .. } => ChangeKind::Contact,
            ValidChange::BankCard(_) => ChangeKind::BankCard,
            ValidChange::BaseReview { .. } => ChangeKind::BaseReview,
        }
    }

    /// What the request asks, as lists and notifications show it (the card masked).
    pub fn summary(&self, lang: Lang) -> String {
        match self {
            ValidChange::Contact { phone, email } => {
                let mut parts = Vec::new();
                if let Some(p) = phone {
                    parts.push(format!("{} {p}", lang.pick("手机号改为", "mobile to")));
                }
                if let Some(e) = email {
                    parts.push(format!("{} {e}", lang.pick("邮箱改为", "email to")));
                }
                parts.join(lang.pick("，", ", "))
            }
            ValidChange::BankCard(card) => format!("{} {}", lang.pick("银行卡改为", "card to"), card.masked()),
            ValidChange::BaseReview { reason } => format!("{}{reason}", lang.pick("原因：", "reason: ")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeState {
    Pending,
    Approved,
    Rejected,
}

impl ChangeState {
    pub fn code(self) -> &'static str {
        match self {
            ChangeState::Pending => "pending",
            ChangeState::Approved => "approved",
            ChangeState::Rejected => "rejected",
        }
    }

    pub fn from_code(code: &str) -> Option<ChangeState> {
        [ChangeState::Pending, ChangeState::Approved, ChangeState::Rejected].into_iter().find(|s| s.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ChangeState::Pending => lang.pick("待人事审核", "Awaiting HR"),
            ChangeState::Approved => lang.pick("已通过，已生效", "Approved, in effect"),
            ChangeState::Rejected => lang.pick("未通过", "Rejected"),
        }
    }
}

/// HR's decision on a pending request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Reject,
}

impl Decision {
    pub fn from_route(name: &str) -> Option<Decision> {
        match name {
            "approve" => Some(Decision::Approve),
            "reject" => Some(Decision::Reject),
            _ => None,
        }
    }

    /// The state a pending request moves to; anything but a pending request is decided.
    pub fn apply(self, from: ChangeState) -> Option<ChangeState> {
        match (from, self) {
            (ChangeState::Pending, Decision::Approve) => Some(ChangeState::Approved),
            (ChangeState::Pending, Decision::Reject) => Some(ChangeState::Rejected),
            _ => None,
        }
    }

    pub fn audit_code(self) -> &'static str {
        match self {
            Decision::Approve => "employee_change.approve",
            Decision::Reject => "employee_change.reject",
        }
    }
}

/// Whether a user of `role` in `user_branch` decides `branch`'s employees' requests: the
/// branch's HR, and the group's HR manager.
pub fn may_review_changes(role: Role, user_branch: Option<&str>, branch: &str) -> bool {
    match role {
        Role::HrSpecialist | Role::HrSupervisor => role.employee_scope() == Scope::Branch && user_branch == Some(branch),
        Role::HrManager => true,
        _ => false,
    }
}

/// How long a proof of contributions can be verified by its link.
pub const PROOF_VALID_DAYS: u64 = 90;

/// A proof's one line: the months covered and how each was paid, oldest to newest.
pub fn proof_summary(months: &[(Period, ContributionStatus)], lang: Lang) -> String {
    let (Some(first), Some(last)) = (months.iter().map(|m| m.0).min(), months.iter().map(|m| m.0).max()) else {
        return lang.pick("暂无缴费记录", "No contributions on record").into();
    };
    let count = |s: ContributionStatus| months.iter().filter(|m| m.1 == s).count();
    let (normal, late, lapsed) = (count(ContributionStatus::Normal), count(ContributionStatus::Late), count(ContributionStatus::Lapsed));
    match lang {
        Lang::Zh => format!("{first} 至 {last} 共 {} 个月：按时缴纳 {normal} 个月，逾期缴纳 {late} 个月，断缴 {lapsed} 个月", months.len()),
        Lang::En => format!("{first} to {last}, {} months: {normal} paid on time, {late} paid late, {lapsed} unpaid", months.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_card_is_checked_by_length_and_luhn_and_shown_masked() {
        let card = BankCard::parse("6222 0202 0011 2233 446").unwrap();
        assert_eq!(card.number(), "6222020200112233446");
        assert_eq!(card.masked(), "6222 **** **** 3446");
        assert_eq!(BankCard::parse("6222020200112233445").unwrap_err().code, "bank_card.check_digit");
        assert_eq!(BankCard::parse("622202020011").unwrap_err().code, "bank_card.length");
        assert_eq!(BankCard::parse("6222x20200112233445").unwrap_err().code, "bank_card.length");
        assert_eq!(BankCard::parse(" ").unwrap_err().code, "bank_card.required");
        assert_eq!(luhn_check_digit("622202020011223344"), Some(6));
        assert_eq!(luhn_check_digit("7992739871"), Some(3), "the textbook example");
    }

    #[test]
    fn the_form_has_no_base_kind_or_removal() {
        let sneaky = serde_json::json!({"kind": "contact", "phone": "13800001111", "base": "50000"});
        assert!(serde_json::from_value::<ChangeForm>(sneaky).is_err());
        let contact = ChangeForm { kind: "contact".into(), phone: "138 0000 1111".into(), ..ChangeForm::default() };
        assert_eq!(contact.parse().unwrap(), ValidChange::Contact { phone: Some("13800001111".into()), email: None });
        let empty = ChangeForm { kind: "contact".into(), ..ChangeForm::default() };
        assert_eq!(empty.parse().unwrap_err()[0].code, "change.empty");
        let both_bad = ChangeForm { kind: "contact".into(), phone: "123".into(), email: "x@".into(), ..ChangeForm::default() };
        assert_eq!(both_bad.parse().unwrap_err().len(), 2);
        let review = ChangeForm { kind: "base_review".into(), reason: "短".into(), ..ChangeForm::default() };
        assert_eq!(review.parse().unwrap_err()[0].field, "reason");
        let card = ChangeForm { kind: "bank_card".into(), bank_card: "6222020200112233446".into(), ..ChangeForm::default() };
        assert_eq!(card.parse().unwrap().summary(Lang::Zh), "银行卡改为 6222 **** **** 3446");
    }

    #[test]
    fn only_a_pending_request_is_decided_and_only_by_hr() {
        assert_eq!(Decision::Approve.apply(ChangeState::Pending), Some(ChangeState::Approved));
        assert_eq!(Decision::Reject.apply(ChangeState::Approved), None);
        assert!(may_review_changes(Role::HrSpecialist, Some("br-a"), "br-a"));
        assert!(!may_review_changes(Role::HrSpecialist, Some("br-b"), "br-a"));
        assert!(!may_review_changes(Role::Finance, None, "br-a"));
        assert!(!may_review_changes(Role::Employee, Some("br-a"), "br-a"));
    }

    #[test]
    fn a_proof_says_how_each_month_was_paid() {
        let p = |m| Period::new(2026, m).unwrap();
        let months = [(p(9), ContributionStatus::Normal), (p(11), ContributionStatus::Lapsed), (p(10), ContributionStatus::Late)];
        assert_eq!(proof_summary(&months, Lang::Zh), "2026-09 至 2026-11 共 3 个月：按时缴纳 1 个月，逾期缴纳 1 个月，断缴 1 个月");
        assert_eq!(proof_summary(&[], Lang::Zh), "暂无缴费记录");
    }

    proptest! {
        /// Changing any one digit of a valid card number breaks its check digit.
        #[test]
        fn one_wrong_digit_is_caught(body in "[0-9]{15,18}", at in 0usize..19, by in 1u8..10) {
            let check = luhn_check_digit(&body).unwrap();
            let valid = format!("{body}{check}");
            prop_assert!(BankCard::parse(&valid).is_ok());
            let at = at % valid.len();
            let mut bytes = valid.into_bytes();
            bytes[at] = b'0' + (bytes[at] - b'0' + by) % 10;
            prop_assert!(BankCard::parse(&String::from_utf8(bytes).unwrap()).is_err());
        }
    }
}
