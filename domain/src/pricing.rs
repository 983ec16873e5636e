//! The price of an enrollment change: shown in the confirmation before submit, recomputed
//! and stored by the server, so the user confirms the figure that is then paid.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::contribution::{calculate, Breakdown, CalcError};
use crate::enrollment::{RequestKind, ValidRequest};
use crate::lang::Lang;
use crate::late_fee::{late_fee, LateFee};
use crate::money::{format_yuan, to_fen_scale};
use crate::period::Period;
use crate::policy::{policy_for, City, InsuranceType};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthPrice {
    pub period: Period,
    pub breakdown: Breakdown,
    /// The month's payment deadline under the city's policy.
    pub due_date: NaiveDate,
    /// Present when the month is already overdue on the pricing date.
    pub late_fee: Option<LateFee>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Price {
    pub kind: RequestKind,
    /// What the confirmation names; kept even when there are no months (a removal).
    pub insurance_types: Vec<InsuranceType>,
    pub months: Vec<MonthPrice>,
    pub employer_total: Decimal,
    pub employee_total: Decimal,
    pub late_fee_total: Decimal,
    pub total: Decimal,
    /// Some figure rests on a policy not yet checked against an official notice.
    pub provisional: bool,
}

/// Prices `req` in `city` as if paid on `today`. A removal costs nothing. Every other kind
/// pays each month's contributions, plus a late fee on months whose deadline has passed:
/// in practice back-payments, but also an enrollment entered after this month's deadline.
///
/// A base adjustment is priced at the full contributions on the new base: the request does
/// not carry the old base, so the difference cannot be computed here.
pub fn price(req: &ValidRequest, city: City, today: NaiveDate) -> Result<Price, CalcError> {
    let months = if req.kind.has_cost() {
        req.months()
            .into_iter()
            .map(|period| price_month(req, city, period, today))
            .collect::<Result<Vec<_>, _>>()?
    } else {
        Vec::new()
    };
    let sum = |amount: fn(&MonthPrice) -> Decimal| -> Decimal {
        to_fen_scale(months.iter().map(amount).sum())
    };
    let employer_total = sum(|m| m.breakdown.employer_total);
    let employee_total = sum(|m| m.breakdown.employee_total);
    let late_fee_total = sum(|m| m.late_fee.as_ref().map_or(Decimal::ZERO, |f| f.amount));
    Ok(Price {
        kind: req.kind,
        insurance_types: req.insurance_types.clone(),
        provisional: months.iter().any(|m| m.breakdown.provisional),
        months,
        employer_total,
        employee_total,
        late_fee_total,
        total: employer_total + employee_total + late_fee_total,
    })
}

fn price_month(
    req: &ValidRequest,
    city: City,
    period: Period,
    today: NaiveDate,
) -> Result<MonthPrice, CalcError> {
    let policy = policy_for(city, period).ok_or(CalcError::NoPolicy { city, period })?;
    let breakdown = calculate(city, period, req.base, &req.insurance_types)?;
    let due_date = policy.due_date(period);
    // The arrears are the whole month, both shares: the employer owes the employee's too.
    let late_fee = (today > due_date).then(|| late_fee(breakdown.total, due_date, today));
    Ok(MonthPrice {
        period,
        breakdown,
        due_date,
        late_fee,
    })
}

/// Up to this many types are named in the confirmation; more read as "社保".
const NAMED_TYPES: usize = 2;

impl Price {
    /// The second confirmation, e.g. "您即将为员工王小明办理医疗保险补缴，本次操作将产生
    /// ¥1,234.56 费用（含滞纳金 ¥12.34），是否确认？", or the same in English.
    pub fn confirmation(&self, lang: Lang, employee_name: &str) -> String {
        let named = (1..=NAMED_TYPES).contains(&self.insurance_types.len());
        let names: Vec<&str> = self.insurance_types.iter().map(|t| t.name(lang)).collect();
        // Notes in one parenthesis: the late fee is part of the total, the rest caveats.
        let mut notes = Vec::new();
        if !self.late_fee_total.is_zero() {
            let fee = format_yuan(self.late_fee_total);
            notes.push(lang.pick(format!("含滞纳金 {fee}"), format!("late fee {fee} included")));
        }
        if self.provisional {
            notes.push(
                lang.pick(
                    "按暂行政策数据计算，以社保局核定为准",
                    "computed on provisional policy figures; the bureau's assessment prevails",
                )
                .to_owned(),
            );
        }
        let total = format_yuan(self.total);
        let kind = self.kind.label(lang);
        match lang {
            Lang::Zh => {
                let subject = if named { names.join("、") } else { "社保".to_owned() };
                let notes = if notes.is_empty() { String::new() } else { format!("（{}）", notes.join("；")) };
                let cost = if self.kind.has_cost() {
                    format!("本次操作将产生 {total} 费用")
                } else {
                    "本次操作不产生费用".to_owned()
                };
                format!("您即将为员工{employee_name}办理{subject}{kind}，{cost}{notes}，是否确认？")
            }
            Lang::En => {
                let subject = if named { names.join(" and ").to_lowercase() } else { "social insurance".to_owned() };
                let notes = if notes.is_empty() { String::new() } else { format!(" ({})", notes.join("; ")) };
                let cost = if self.kind.has_cost() { format!("it will cost {total}") } else { "it costs nothing".to_owned() };
                format!("You are about to file a {subject} {} for {employee_name}: {cost}{notes}. Confirm?", kind.to_lowercase())
            }
        }
    }
}

/// Shown next to the kind selector, where 增员 and 补缴 get confused.
pub fn explain_back_payment_zh() -> &'static str {
    explain_back_payment(Lang::Zh)
}

/// The same in `lang`; const, so that the app's text table can hold it.
pub const fn explain_back_payment(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => {
            "补缴是为员工过去已在职、但当时未缴纳社保的月份补交费用，需按逾期天数加收滞纳金（每日0.05%）。\
             新入职员工当月参保请选择“正常增员”。"
        }
        Lang::En => {
            "A back-payment pays past months in which the employee was already employed but not insured; \
             a late fee of 0.05% per day overdue applies. For a new hire insured from this month, choose \u{201c}Enrollment\u{201d}."
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enrollment::RequestForm;
    use crate::ids::test_date;
    use proptest::prelude::*;

    fn p(s: &str) -> Period {
        Period::parse(s).unwrap()
    }

    fn request(kind: RequestKind, from: &str, to: &str, types: &[InsuranceType]) -> ValidRequest {
        ValidRequest {
            kind,
            employee_id: "e1".into(),
            insurance_types: types.to_vec(),
            base: Decimal::from(10000),
            from: p(from),
            to: p(to),
            reason: None,
        }
    }

    #[test]
    fn beijing_back_payment_of_three_months_of_pension() {
        let req = request(
            RequestKind::BackPayment,
            "2024-07",
            "2024-09",
            &[InsuranceType::Pension],
        );
        let price = price(&req, City::Beijing, test_date(2024, 10, 10)).unwrap();
        // Each month: 1,600 + 800 = 2,400, due on the 25th (Sunday 2024-08-25 moves to the
        // 26th); 0.05% of 2,400 is ¥1.20 a day.
        let expected = [
            ("2024-07", test_date(2024, 7, 25), 77, "92.40"),
            ("2024-08", test_date(2024, 8, 26), 45, "54.00"),
            ("2024-09", test_date(2024, 9, 25), 15, "18.00"),
        ];
        assert_eq!(price.months.len(), 3);
        for (month, (period, due, days, fee)) in price.months.iter().zip(expected) {
            assert_eq!(month.period, p(period));
            assert_eq!(month.due_date, due);
            assert_eq!(month.breakdown.total.to_string(), "2400.00");
            let late = month.late_fee.as_ref().unwrap();
            assert_eq!((late.days, late.amount.to_string().as_str()), (days, fee));
            assert_eq!(late.arrears.to_string(), "2400.00");
        }
        assert_eq!(price.employer_total.to_string(), "4800.00");
        assert_eq!(price.employee_total.to_string(), "2400.00");
        assert_eq!(price.late_fee_total.to_string(), "164.40");
        assert_eq!(price.total.to_string(), "7364.40");
        assert!(price.provisional);
        assert_eq!(
            price.confirmation(Lang::Zh, "王小明"),
            "您即将为员工王小明办理养老保险补缴，本次操作将产生 ¥7,364.40 费用\
             （含滞纳金 ¥164.40；按暂行政策数据计算，以社保局核定为准），是否确认？"
        );
        assert_eq!(
            price.confirmation(Lang::En, "王小明"),
            "You are about to file a pension back-payment for 王小明: it will cost ¥7,364.40 \
             (late fee ¥164.40 included; computed on provisional policy figures; the bureau's assessment prevails). Confirm?"
        );
    }

    #[test]
    fn enrollment_of_the_current_month_before_its_deadline_has_no_late_fee() {
        let types = [InsuranceType::Pension, InsuranceType::Medical];
        let req = request(RequestKind::Enrollment, "2024-10", "2024-10", &types);
        let on_time = price(&req, City::Beijing, test_date(2024, 10, 25)).unwrap();
        assert_eq!(on_time.months[0].late_fee, None);
        assert_eq!(on_time.late_fee_total.to_string(), "0.00");
        // 2,400 pension + 900 / 203 medical.
        assert_eq!(on_time.total.to_string(), "3503.00");
        assert!(on_time.confirmation(Lang::Zh, "李雷").starts_with(
            "您即将为员工李雷办理养老保险、医疗保险正常增员，本次操作将产生 ¥3,503.00 费用（"
        ));
        // The same rule, applied generally: a day past the deadline, a day's fee.
        let late = price(&req, City::Beijing, test_date(2024, 10, 26)).unwrap();
        assert_eq!(late.late_fee_total.to_string(), "1.75"); // 3,503 × 0.05% = 1.7515
    }

    #[test]
    fn removal_costs_nothing() {
        let req = request(
            RequestKind::Removal,
            "2024-10",
            "2024-10",
            &InsuranceType::ALL,
        );
        let price = price(&req, City::Beijing, test_date(2024, 12, 31)).unwrap();
        assert!(price.months.is_empty());
        for amount in [
            price.employer_total,
            price.employee_total,
            price.late_fee_total,
            price.total,
        ] {
            assert_eq!(amount.to_string(), "0.00");
        }
        assert!(!price.provisional);
        assert_eq!(
            price.confirmation(Lang::Zh, "韩梅梅"),
            "您即将为员工韩梅梅办理社保减员，本次操作不产生费用，是否确认？"
        );
        assert_eq!(
            price.confirmation(Lang::En, "韩梅梅"),
            "You are about to file a social insurance removal for 韩梅梅: it costs nothing. Confirm?"
        );
    }

    #[test]
    fn months_without_policy_are_errors() {
        let req = request(
            RequestKind::BackPayment,
            "2022-06",
            "2022-07",
            &[InsuranceType::Pension],
        );
        let err = price(&req, City::Beijing, test_date(2024, 10, 1)).unwrap_err();
        assert_eq!(
            err,
            CalcError::NoPolicy {
                city: City::Beijing,
                period: p("2022-06")
            }
        );
    }

    #[test]
    fn explains_back_payment() {
        let text = explain_back_payment_zh();
        assert!(
            text.contains("滞纳金") && text.contains("正常增员"),
            "{text}"
        );
        let en = explain_back_payment(Lang::En);
        assert!(en.contains("0.05% per day") && en.contains(RequestKind::Enrollment.label(Lang::En)), "{en}");
    }

    // ---- properties --------------------------------------------------------------------

    /// A base inside every city's range for every type and year of the policy data.
    fn safe_base() -> impl Strategy<Value = String> {
        (7_460i64..=19_783, 0i64..100).prop_map(|(yuan, fen)| format!("{yuan}.{fen:02}"))
    }

    /// Valid requests of every kind, built as forms and passed through the validator, with
    /// the city and a pricing date in the request's current month.
    fn valid_requests() -> impl Strategy<Value = (ValidRequest, City, NaiveDate)> {
        (
            proptest::sample::select(RequestKind::ALL.to_vec()),
            proptest::sample::select(City::ALL.to_vec()),
            6i32..78,  // current month, from 2023-01
            1i32..=36, // how far back a back-payment or base adjustment starts
            0i32..36,  // how many more months it covers
            proptest::sample::subsequence(InsuranceType::ALL.to_vec(), 1..=6),
            safe_base(),
            0u64..28,
        )
            .prop_map(|(kind, city, current, back, extra, types, base, day)| {
                let current_month = p("2022-07").add_months(current);
                let (from, to) = match kind {
                    RequestKind::Enrollment => (current_month, current_month),
                    RequestKind::Removal => {
                        let month = current_month.add_months(-(back % 2));
                        (month, month)
                    }
                    RequestKind::BackPayment => {
                        let back = back.min(current);
                        let from = current_month.add_months(-back);
                        (from, from.add_months(extra % back))
                    }
                    RequestKind::BaseAdjustment => {
                        let start = current_month.policy_year_start();
                        let from = start.add_months(back % (start.months_until(current_month) + 1));
                        (from, current_month)
                    }
                };
                let form = RequestForm {
                    kind: kind.code().into(),
                    employee_id: "e1".into(),
                    insurance_types: types.iter().map(|t| t.code().into()).collect(),
                    base,
                    from_month: from.to_string(),
                    to_month: to.to_string(),
                    reason: "原因".into(),
                };
                let req = form
                    .validate_as_of(city, current_month, None)
                    .expect("valid form");
                let today = current_month.first_day() + chrono::Days::new(day);
                (req, city, today)
            })
    }

    proptest! {
        #[test]
        fn totals_add_up((req, city, today) in valid_requests()) {
            let price = price(&req, city, today).unwrap();
            prop_assert_eq!(price.total, price.employer_total + price.employee_total + price.late_fee_total);
            let expected_months = if req.kind.has_cost() { req.months().len() } else { 0 };
            prop_assert_eq!(price.months.len(), expected_months);
            for month in &price.months {
                prop_assert_eq!(month.late_fee.is_some(), today > month.due_date);
                prop_assert_eq!(month.breakdown.lines.len(), req.insurance_types.len());
            }
            let monthly: Decimal = price.months.iter().map(|m| m.breakdown.total).sum();
            prop_assert_eq!(price.employer_total + price.employee_total, monthly);
            prop_assert_eq!(price.total.scale(), 2);
            prop_assert!(price.confirmation(Lang::Zh, "张三").contains(&format_yuan(price.total)) || !req.kind.has_cost());
        }

        #[test]
        fn price_json_round_trip((req, city, today) in valid_requests()) {
            let price = price(&req, city, today).unwrap();
            let json = serde_json::to_string(&price).unwrap();
            prop_assert_eq!(serde_json::from_str::<Price>(&json).unwrap(), price);
            let json = serde_json::to_string(&req).unwrap();
            prop_assert_eq!(serde_json::from_str::<ValidRequest>(&json).unwrap(), req.clone());
            // A stored request edits back into a form that validates to the same request.
            let current = Period::of(today);
            prop_assert_eq!(RequestForm::from(&req).validate_as_of(city, current, None), Ok(req));
        }

        #[test]
        fn enums_round_trip(
            kind in proptest::sample::select(RequestKind::ALL.to_vec()),
            state in proptest::sample::select(crate::enrollment::RequestState::ALL.to_vec()),
            action in proptest::sample::select(crate::enrollment::RequestAction::ALL.to_vec()),
        ) {
            let json = serde_json::to_string(&(kind, state, action)).unwrap();
            prop_assert_eq!(serde_json::from_str::<(_, _, _)>(&json).unwrap(), (kind, state, action));
        }
    }
}
