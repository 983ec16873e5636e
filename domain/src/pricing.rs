//! The price of an enrollment change: shown in the confirmation before submit, recomputed
//! and stored by the server, so the user confirms the figure that is then paid.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::Due;
use crate::contribution::{calculate, line_for, Breakdown, CalcError, ContributionLine, Terms};
use crate::enrollment::{RequestKind, ValidRequest};
use crate::lang::Lang;
use crate::late_fee::{late_fee, LateFee};
use crate::money::{format_yuan, to_fen_scale};
use crate::period::Period;
use crate::policy::{policy_for, City, InsuranceType};

/// A request the bureau has filed, as far as the bases in force are concerned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filed {
    pub kind: RequestKind,
    pub from: Period,
    pub to: Period,
    pub insurance_types: Vec<InsuranceType>,
    /// The declared wage or base.
    pub base: Decimal,
}

impl Filed {
    pub fn of(req: &ValidRequest) -> Filed {
        Filed { kind: req.kind, from: req.from, to: req.to, insurance_types: req.insurance_types.clone(), base: req.base }
    }
}

/// The declared base in force for `period` and `insurance_type`, from the employee's filed
/// requests in the order the bureau filed them: the last one that covers the month wins.
/// An enrollment or a base adjustment holds from its first month on (until the next
/// change), a back-payment for its months only; a removal ends every type from its month.
pub fn base_in_force(history: &[Filed], period: Period, insurance_type: InsuranceType) -> Option<Decimal> {
    history.iter().fold(None, |in_force, filed| {
        let covers = match filed.kind {
            RequestKind::Enrollment | RequestKind::BaseAdjustment => filed.from <= period,
            RequestKind::BackPayment => filed.from <= period && period <= filed.to,
            RequestKind::Removal => return if filed.from <= period { None } else { in_force },
        };
        if covers && filed.insurance_types.contains(&insurance_type) {
            Some(filed.base)
        } else {
            in_force
        }
    })
}

/// Everything a price depends on besides the request.
#[derive(Debug, Clone, Copy)]
pub struct PriceInputs<'a> {
    pub city: City,
    /// The day it is paid on, for late fees.
    pub today: NaiveDate,
    pub terms: Terms,
    /// The employee's filed requests, oldest filing first (for base adjustments).
    pub history: &'a [Filed],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthPrice {
    pub period: Period,
    /// The month's contributions on the request's base.
    pub breakdown: Breakdown,
    /// For a base adjustment: the contributions on the base in force before, already
    /// paid, so only the difference is charged.
    #[serde(default)]
    pub replaces: Option<Breakdown>,
    /// What this request charges for the month (negative: paid back).
    #[serde(default)]
    pub employer_amount: Decimal,
    #[serde(default)]
    pub employee_amount: Decimal,
    /// The month's payment deadline under the city's policy.
    pub due_date: NaiveDate,
    /// Present when social insurance is charged for a month already overdue.
    pub late_fee: Option<LateFee>,
}

/// One insurance type of a month as the price table shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceRow<'a> {
    pub line: &'a ContributionLine,
    /// The line it replaces (base adjustments).
    pub replaces: Option<&'a ContributionLine>,
    pub employer_amount: Decimal,
    pub employee_amount: Decimal,
}

impl MonthPrice {
    /// The month's deadline with the reason it moved, if it did (weekend, holiday).
    pub fn due(&self) -> Option<Due> {
        policy_for(self.breakdown.city, self.period).map(|p| p.due(self.period))
    }

    pub fn rows(&self) -> Vec<PriceRow<'_>> {
        charged_rows(&self.breakdown, self.replaces.as_ref())
    }
}

/// Each line of `breakdown` with what it charges: all of it, or for a base adjustment the
/// difference to the line it `replaces`.
fn charged_rows<'a>(breakdown: &'a Breakdown, replaces: Option<&'a Breakdown>) -> Vec<PriceRow<'a>> {
    breakdown
        .lines
        .iter()
        .map(|line| {
            let replaces = replaces.and_then(|b| b.line(line.insurance_type));
            let (employer_before, employee_before) = replaces.map_or((Decimal::ZERO, Decimal::ZERO), |r| (r.employer_amount, r.employee_amount));
            PriceRow {
                line,
                replaces,
                employer_amount: line.employer_amount - employer_before,
                employee_amount: line.employee_amount - employee_before,
            }
        })
        .collect()
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
    /// Negative when a lower base is paid back.
    pub total: Decimal,
    /// Some figure rests on a policy not yet checked against an official notice.
    pub provisional: bool,
}

/// Prices `req` as if paid on `inputs.today`. A removal costs nothing. Every other kind
/// pays each month's contributions, a base adjustment only the difference to the base in
/// force, plus the late fee of 《社会保险法》第八十六条 on the social insurance of months
/// whose deadline has passed (the housing fund has none).
pub fn price(req: &ValidRequest, inputs: &PriceInputs) -> Result<Price, CalcError> {
    let months = if req.kind.has_cost() {
        req.months()
            .into_iter()
            .map(|period| price_month(req, inputs, period))
            .collect::<Result<Vec<_>, _>>()?
    } else {
        Vec::new()
    };
    let sum = |amount: fn(&MonthPrice) -> Decimal| -> Decimal { to_fen_scale(months.iter().map(amount).sum()) };
    let employer_total = sum(|m| m.employer_amount);
    let employee_total = sum(|m| m.employee_amount);
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

fn price_month(req: &ValidRequest, inputs: &PriceInputs, period: Period) -> Result<MonthPrice, CalcError> {
    let city = inputs.city;
    let policy = policy_for(city, period).ok_or(CalcError::NoPolicy { city, period })?;
    let breakdown = calculate(city, period, req.base, &req.insurance_types, &inputs.terms)?;
    let replaces = if req.kind == RequestKind::BaseAdjustment {
        let lines = breakdown
            .lines
            .iter()
            .map(|l| {
                let t = l.insurance_type;
                let old = base_in_force(inputs.history, period, t).ok_or(CalcError::NoBaseInForce { period, insurance_type: t })?;
                line_for(policy, period, t, old, &inputs.terms)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Some(Breakdown::of(policy, period, lines))
    } else {
        None
    };
    let rows = charged_rows(&breakdown, replaces.as_ref());
    let employer_amount = to_fen_scale(rows.iter().map(|r| r.employer_amount).sum());
    let employee_amount = to_fen_scale(rows.iter().map(|r| r.employee_amount).sum());
    // The arrears are both shares (the employer owes the employee's too), of social
    // insurance only, and only what is owed: a lower base pays nothing late.
    let arrears: Decimal = rows
        .iter()
        .filter(|r| r.line.insurance_type.is_social_insurance())
        .map(|r| r.employer_amount + r.employee_amount)
        .sum();
    let due_date = policy.due_date(period);
    let late_fee = (inputs.today > due_date && arrears > Decimal::ZERO).then(|| late_fee(arrears, due_date, inputs.today));
    Ok(MonthPrice { period, breakdown, replaces, employer_amount, employee_amount, due_date, late_fee })
}

/// Up to this many types are named in the confirmation; more read as "社保".
const NAMED_TYPES: usize = 2;

/// What a price means for the company, as the confirmation says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cost {
    Charged,
    /// A lower base: the excess comes back.
    PaidBack,
    /// A base adjustment that changes no figure (both bases clamp to the same limit).
    Unchanged,
    /// A removal, or nothing to pay.
    Nothing,
}

impl Price {
    pub fn cost(&self) -> Cost {
        match self.total.cmp(&Decimal::ZERO) {
            std::cmp::Ordering::Greater => Cost::Charged,
            std::cmp::Ordering::Less => Cost::PaidBack,
            std::cmp::Ordering::Equal if self.kind == RequestKind::BaseAdjustment => Cost::Unchanged,
            std::cmp::Ordering::Equal => Cost::Nothing,
        }
    }

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
                let cost = match self.cost() {
                    Cost::Charged => format!("本次操作将产生 {total} 费用"),
                    Cost::PaidBack => format!("新基数低于原基数，本次操作将退回多缴的 {}", format_yuan(-self.total)),
                    Cost::Unchanged => "新旧基数计费相同，本次操作不产生费用，也不退费".to_owned(),
                    Cost::Nothing => "本次操作不产生费用".to_owned(),
                };
                format!("您即将为员工{employee_name}办理{subject}{kind}，{cost}{notes}，是否确认？")
            }
            Lang::En => {
                let subject = if named { names.join(" and ").to_lowercase() } else { "social insurance".to_owned() };
                let notes = if notes.is_empty() { String::new() } else { format!(" ({})", notes.join("; ")) };
                let cost = match self.cost() {
                    Cost::Charged => format!("it will cost {total}"),
                    Cost::PaidBack => format!("the new base is lower, so {} paid in excess comes back", format_yuan(-self.total)),
                    Cost::Unchanged => "the old and the new base cost the same: nothing is charged or paid back".to_owned(),
                    Cost::Nothing => "it costs nothing".to_owned(),
                };
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

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
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

    /// Pricing in `city` on `today` for an employee with no filed requests.
    fn at(city: City, today: NaiveDate) -> PriceInputs<'static> {
        PriceInputs { city, today, terms: Terms::default(), history: &[] }
    }

    fn filed(kind: RequestKind, from: &str, to: &str, types: &[InsuranceType], base: &str) -> Filed {
        Filed { kind, from: p(from), to: p(to), insurance_types: types.to_vec(), base: d(base) }
    }

    #[test]
    fn beijing_back_payment_of_three_months_of_pension() {
        let req = request(
            RequestKind::BackPayment,
            "2024-07",
            "2024-09",
            &[InsuranceType::Pension],
        );
        let price = price(&req, &at(City::Beijing, test_date(2024, 10, 10))).unwrap();
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
            assert_eq!(month.due().unwrap().date, due);
            assert_eq!(month.breakdown.total.to_string(), "2400.00");
            assert_eq!((month.employer_amount + month.employee_amount).to_string(), "2400.00");
            let late = month.late_fee.as_ref().unwrap();
            assert_eq!((late.days, late.amount.to_string().as_str()), (days, fee));
            assert_eq!(late.arrears.to_string(), "2400.00");
        }
        assert_eq!(
            price.months[1].due().unwrap().explain(Lang::Zh),
            "截止日 2024-08-25（周日）顺延至 2024-08-26"
        );
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
        let on_time = price(&req, &at(City::Beijing, test_date(2024, 10, 25))).unwrap();
        assert_eq!(on_time.months[0].late_fee, None);
        assert_eq!(on_time.late_fee_total.to_string(), "0.00");
        // 2,400 pension + 980 / 203 medical (employer 9.8% including maternity).
        assert_eq!(on_time.total.to_string(), "3583.00");
        assert!(on_time.confirmation(Lang::Zh, "李雷").starts_with(
            "您即将为员工李雷办理养老保险、医疗保险正常增员，本次操作将产生 ¥3,583.00 费用（"
        ));
        // The same rule, applied generally: a day past the deadline, a day's fee.
        let late = price(&req, &at(City::Beijing, test_date(2024, 10, 26))).unwrap();
        assert_eq!(late.late_fee_total.to_string(), "1.79"); // 3,583 × 0.05% = 1.7915
    }

    #[test]
    fn the_housing_fund_pays_no_late_fee() {
        let fund_only = request(RequestKind::BackPayment, "2024-07", "2024-08", &[InsuranceType::HousingFund]);
        let price_of_fund = price(&fund_only, &at(City::Beijing, test_date(2024, 10, 10))).unwrap();
        assert!(price_of_fund.months.iter().all(|m| m.late_fee.is_none() && m.due_date < test_date(2024, 10, 10)));
        assert_eq!(price_of_fund.late_fee_total.to_string(), "0.00");
        assert_eq!(price_of_fund.total.to_string(), "4800.00"); // 2 × 2 × 12% of 10,000
        assert!(!price_of_fund.confirmation(Lang::Zh, "王小明").contains("滞纳金"));
        // With pension beside it, the fee is on the pension's 2,400 only.
        let both = request(RequestKind::BackPayment, "2024-09", "2024-09", &[InsuranceType::Pension, InsuranceType::HousingFund]);
        let month = &price(&both, &at(City::Beijing, test_date(2024, 10, 10))).unwrap().months[0];
        let fee = month.late_fee.as_ref().unwrap();
        assert_eq!((fee.arrears.to_string(), fee.amount.to_string()), ("2400.00".into(), "18.00".into()));
        assert_eq!((month.employer_amount + month.employee_amount).to_string(), "4800.00");
    }

    #[test]
    fn beijing_base_adjustment_from_10000_to_12000_charges_the_difference() {
        let pension = [InsuranceType::Pension];
        let history = [filed(RequestKind::Enrollment, "2024-03", "2024-03", &pension, "10000")];
        let mut req = request(RequestKind::BaseAdjustment, "2024-07", "2024-10", &pension);
        req.base = d("12000");
        let inputs = PriceInputs { history: &history, ..at(City::Beijing, test_date(2024, 10, 20)) };
        let price = price(&req, &inputs).unwrap();
        // 2,000 more base × (16% + 8%) = 480 a month, for four months: 1,920, not the
        // 11,520 of full contributions on 12,000.
        assert_eq!((price.employer_total + price.employee_total).to_string(), "1920.00");
        assert_eq!((price.employer_total.to_string(), price.employee_total.to_string()), ("1280.00".into(), "640.00".into()));
        for month in &price.months {
            let rows = month.rows();
            assert_eq!(rows.len(), 1);
            assert_eq!(rows[0].line.base.to_string(), "12000.00");
            assert_eq!(rows[0].replaces.unwrap().base.to_string(), "10000.00");
            assert_eq!((rows[0].employer_amount.to_string(), rows[0].employee_amount.to_string()), ("320.00".into(), "160.00".into()));
        }
        // July to September are overdue: the fee is on the 480 owed, not on 2,880.
        let july = price.months[0].late_fee.as_ref().unwrap();
        assert_eq!((july.arrears.to_string(), july.days), ("480.00".into(), 87));
        assert!(price.months[3].late_fee.is_none(), "October is not due yet");
        assert_eq!(price.total, price.employer_total + price.employee_total + price.late_fee_total);
    }

    #[test]
    fn a_lower_base_is_paid_back_or_changes_nothing() {
        let pension = [InsuranceType::Pension];
        let history = [filed(RequestKind::Enrollment, "2024-07", "2024-07", &pension, "10000")];
        let mut req = request(RequestKind::BaseAdjustment, "2024-08", "2024-09", &pension);
        req.base = d("8000");
        let inputs = PriceInputs { history: &history, ..at(City::Beijing, test_date(2024, 10, 10)) };
        let lower = price(&req, &inputs).unwrap();
        assert_eq!(lower.total.to_string(), "-960.00"); // 2,000 × 24% × 2 months back
        assert_eq!(lower.late_fee_total.to_string(), "0.00");
        assert_eq!(lower.cost(), Cost::PaidBack);
        assert_eq!(
            lower.confirmation(Lang::Zh, "王小明"),
            "您即将为员工王小明办理养老保险基数调整，新基数低于原基数，本次操作将退回多缴的 ¥960.00\
             （按暂行政策数据计算，以社保局核定为准），是否确认？"
        );
        assert!(lower.confirmation(Lang::En, "王小明").contains("¥960.00 paid in excess comes back"));
        // Both below the minimum: both bases are 6,821, nothing changes.
        let history = [filed(RequestKind::Enrollment, "2024-07", "2024-07", &pension, "5000")];
        req.base = d("4000");
        let same = price(&req, &PriceInputs { history: &history, ..inputs }).unwrap();
        assert_eq!((same.total.to_string(), same.cost()), ("0.00".into(), Cost::Unchanged));
        assert!(same.confirmation(Lang::Zh, "王小明").contains("新旧基数计费相同，本次操作不产生费用，也不退费"));
    }

    #[test]
    fn a_base_adjustment_needs_a_filed_enrollment_of_the_month_and_type() {
        let history = [filed(RequestKind::Enrollment, "2024-08", "2024-08", &[InsuranceType::Pension], "10000")];
        let req = request(RequestKind::BaseAdjustment, "2024-07", "2024-09", &[InsuranceType::Pension]);
        let inputs = PriceInputs { history: &history, ..at(City::Beijing, test_date(2024, 10, 10)) };
        let err = price(&req, &inputs).unwrap_err();
        assert_eq!(err, CalcError::NoBaseInForce { period: p("2024-07"), insurance_type: InsuranceType::Pension });
        assert_eq!(err.to_field_error().message, "该员工 2024-07 没有已办结的养老保险参保记录，无法调整基数");
        let medical = request(RequestKind::BaseAdjustment, "2024-08", "2024-09", &[InsuranceType::Medical]);
        assert!(matches!(price(&medical, &inputs), Err(CalcError::NoBaseInForce { .. })));
    }

    #[test]
    fn the_base_in_force_follows_the_filings_in_order() {
        use InsuranceType::{HousingFund as F, Pension as P};
        let history = [
            filed(RequestKind::Enrollment, "2024-03", "2024-03", &[P, F], "9000"),
            filed(RequestKind::BackPayment, "2024-01", "2024-02", &[P], "8000"),
            filed(RequestKind::BaseAdjustment, "2024-07", "2024-08", &[P], "12000"),
            filed(RequestKind::Removal, "2025-01", "2025-01", &[P, F], "9000"),
        ];
        let base = |m: &str, t| base_in_force(&history, p(m), t).map(|b| b.to_string());
        assert_eq!(base("2023-12", P), None);
        assert_eq!(base("2024-01", P).as_deref(), Some("8000"));
        assert_eq!(base("2024-01", F), None);
        assert_eq!(base("2024-05", P).as_deref(), Some("9000"));
        assert_eq!(base("2024-12", P).as_deref(), Some("12000"), "an adjustment holds on");
        assert_eq!(base("2024-12", F).as_deref(), Some("9000"));
        assert_eq!(base("2025-01", P), None, "removed");
    }

    #[test]
    fn removal_costs_nothing() {
        let req = request(
            RequestKind::Removal,
            "2024-10",
            "2024-10",
            &InsuranceType::ALL,
        );
        let price = price(&req, &at(City::Beijing, test_date(2024, 12, 31))).unwrap();
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
        let err = price(&req, &at(City::Beijing, test_date(2024, 10, 1))).unwrap_err();
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

    /// Any wage, from far below every minimum to far above every maximum.
    fn wage() -> impl Strategy<Value = String> {
        (1_000i64..=60_000, 0i64..100).prop_map(|(yuan, fen)| format!("{yuan}.{fen:02}"))
    }

    /// Valid requests of every kind, built as forms and passed through the validator, with
    /// the city, a pricing date in the request's current month, and a filed enrollment of
    /// every type from 2022-07 on a wage of its own (what a base adjustment changes).
    fn valid_requests() -> impl Strategy<Value = (ValidRequest, City, NaiveDate, Filed)> {
        (
            proptest::sample::select(RequestKind::ALL.to_vec()),
            proptest::sample::select(City::ALL.to_vec()),
            6i32..78,  // current month, from 2023-01
            1i32..=36, // how far back a back-payment or base adjustment starts
            0i32..36,  // how many more months it covers
            proptest::sample::subsequence(InsuranceType::ALL.to_vec(), 1..=6),
            (wage(), wage()),
            0u64..14,
        )
            .prop_filter_map("a type the city offers", |(kind, city, current, back, extra, mut types, (base, old), day)| {
                let current_month = p("2022-07").add_months(current);
                if policy_for(city, current_month).is_some_and(|p| p.maternity_merged) {
                    types.retain(|t| *t != InsuranceType::Maternity);
                }
                if types.is_empty() {
                    return None;
                }
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
                let today = current_month.first_day() + chrono::Days::new(day);
                let req = form.validate_as_of(city, today, None).expect("valid form");
                let enrolled = Filed {
                    kind: RequestKind::Enrollment,
                    from: p("2022-07"),
                    to: p("2022-07"),
                    insurance_types: types,
                    base: old.parse().unwrap(),
                };
                Some((req, city, today, enrolled))
            })
    }

    proptest! {
        #[test]
        fn totals_add_up((req, city, today, enrolled) in valid_requests()) {
            let history = [enrolled];
            let inputs = PriceInputs { history: &history, ..at(city, today) };
            let price = price(&req, &inputs).unwrap();
            prop_assert_eq!(price.total, price.employer_total + price.employee_total + price.late_fee_total);
            let expected_months = if req.kind.has_cost() { req.months().len() } else { 0 };
            prop_assert_eq!(price.months.len(), expected_months);
            for month in &price.months {
                let social: Decimal = month.rows().iter()
                    .filter(|r| r.line.insurance_type.is_social_insurance())
                    .map(|r| r.employer_amount + r.employee_amount).sum();
                prop_assert_eq!(month.late_fee.is_some(), today > month.due_date && social > Decimal::ZERO);
                if let Some(fee) = &month.late_fee {
                    prop_assert_eq!(fee.arrears, social);
                }
                prop_assert_eq!(month.breakdown.lines.len(), req.insurance_types.len());
                prop_assert_eq!(month.replaces.is_some(), req.kind == RequestKind::BaseAdjustment);
                for line in &month.breakdown.lines {
                    let terms = policy_for(city, month.period).unwrap().line(line.insurance_type).unwrap();
                    prop_assert!(line.base >= terms.base_min && line.base <= terms.base_max);
                    prop_assert_eq!(line.clamp_note(Lang::Zh).is_some(), line.base != line.declared);
                }
            }
            prop_assert_eq!(price.total.scale(), 2);
            if price.cost() == Cost::Charged {
                prop_assert!(price.confirmation(Lang::Zh, "张三").contains(&format_yuan(price.total)));
            }
        }

        #[test]
        fn a_base_adjustment_costs_the_new_base_less_the_old((req, city, today, enrolled) in valid_requests()) {
            prop_assume!(req.kind == RequestKind::BaseAdjustment);
            let history = [enrolled.clone()];
            let adjusted = price(&req, &PriceInputs { history: &history, ..at(city, today) }).unwrap();
            let full = |base: Decimal| {
                let req = ValidRequest { kind: RequestKind::BackPayment, base, ..req.clone() };
                price(&req, &at(city, today)).unwrap()
            };
            let (new, old) = (full(req.base), full(enrolled.base));
            prop_assert_eq!(adjusted.employer_total, new.employer_total - old.employer_total);
            prop_assert_eq!(adjusted.employee_total, new.employee_total - old.employee_total);
            // Raising the base never pays back; lowering it never charges.
            if req.base >= enrolled.base {
                prop_assert!(adjusted.employer_total >= Decimal::ZERO);
            } else {
                prop_assert!(adjusted.employer_total <= Decimal::ZERO && adjusted.late_fee_total.is_zero());
            }
        }

        #[test]
        fn price_json_round_trip((req, city, today, enrolled) in valid_requests()) {
            let history = [enrolled];
            let price = price(&req, &PriceInputs { history: &history, ..at(city, today) }).unwrap();
            let json = serde_json::to_string(&price).unwrap();
            prop_assert_eq!(serde_json::from_str::<Price>(&json).unwrap(), price);
            let json = serde_json::to_string(&req).unwrap();
            prop_assert_eq!(serde_json::from_str::<ValidRequest>(&json).unwrap(), req.clone());
            // A stored request edits back into a form that validates to the same request.
            prop_assert_eq!(RequestForm::from(&req).validate_as_of(city, today, None), Ok(req));
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
