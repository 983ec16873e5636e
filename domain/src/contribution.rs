//! The monthly contribution calculator: salary → base per insurance type → employer and
//! employee amounts, each with a Chinese explanation of how it was computed.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::base::{Base, Clamp};
use crate::money::{format_rate, format_yuan, Rounding};
use crate::period::Period;
use crate::policy::{policy_for, City, InsuranceType, PolicyLine};
use crate::lang::Lang;
use crate::validation::FieldError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContributionLine {
    pub insurance_type: InsuranceType,
    pub base: Decimal,
    pub clamp: Option<Clamp>,
    pub employer_rate: Decimal,
    pub employee_rate: Decimal,
    pub employer_amount: Decimal,
    pub employee_amount: Decimal,
    pub rounding: Rounding,
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdown {
    pub city: City,
    pub period: Period,
    /// Carried over from the policy: the figures may still change.
    pub provisional: bool,
    pub lines: Vec<ContributionLine>,
    pub employer_total: Decimal,
    pub employee_total: Decimal,
    pub total: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message_zh())]
pub enum CalcError {
    NoPolicy {
        city: City,
        period: Period,
    },
    /// The policy exists but has no terms for this insurance type.
    MissingLine {
        city: City,
        period: Period,
        insurance_type: InsuranceType,
    },
    NoTypes,
}

impl CalcError {
    pub fn code(&self) -> &'static str {
        match self {
            CalcError::NoPolicy { .. } => "policy.missing",
            CalcError::MissingLine { .. } => "policy.missing_line",
            CalcError::NoTypes => "contribution.no_types",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (CalcError::NoPolicy { city, period }, Lang::Zh) => format!("{} {} 尚无社保政策", city.name_zh(), period),
            (CalcError::NoPolicy { city, period }, Lang::En) => {
                format!("No social insurance policy recorded for {} in {}", city.name(lang), period)
            }
            (CalcError::MissingLine { city, period, insurance_type }, Lang::Zh) => {
                format!("{} {} 尚无{}政策", city.name_zh(), period, insurance_type.name_zh())
            }
            (CalcError::MissingLine { city, period, insurance_type }, Lang::En) => {
                format!("No policy for {} recorded for {} in {}", insurance_type.name(lang), city.name(lang), period)
            }
            (CalcError::NoTypes, _) => lang.pick("请至少选择一个险种", "Choose at least one insurance type").to_owned(),
        }
    }

    pub fn message_zh(&self) -> String {
        self.message(Lang::Zh)
    }

    pub fn to_field_error(&self, field: &str) -> FieldError {
        FieldError::new(field, self.code(), self.message(Lang::Zh), self.message(Lang::En))
    }
}

/// Computes `city`'s contributions for `period` on `salary`, one line per requested type
/// (duplicates ignored, order kept).
pub fn calculate(
    city: City,
    period: Period,
    salary: Decimal,
    types: &[InsuranceType],
) -> Result<Breakdown, CalcError> {
    if types.is_empty() {
        return Err(CalcError::NoTypes);
    }
    let policy = policy_for(city, period).ok_or(CalcError::NoPolicy { city, period })?;
    let mut lines: Vec<ContributionLine> = Vec::with_capacity(types.len());
    for &insurance_type in types {
        if lines.iter().any(|l| l.insurance_type == insurance_type) {
            continue;
        }
        let terms = policy.line(insurance_type).ok_or(CalcError::MissingLine {
            city,
            period,
            insurance_type,
        })?;
        lines.push(contribution_line(terms, salary));
    }
    let employer_total: Decimal = lines.iter().map(|l| l.employer_amount).sum();
    let employee_total: Decimal = lines.iter().map(|l| l.employee_amount).sum();
    Ok(Breakdown {
        city,
        period,
        provisional: policy.provisional,
        lines,
        employer_total,
        employee_total,
        total: employer_total + employee_total,
    })
}

/// One side's share: rate × base + fixed, rounded by the city's rule.
struct Share {
    label: &'static str,
    rate: Decimal,
    fixed: Decimal,
    amount: Decimal,
}

impl Share {
    fn new(
        label: &'static str,
        rate: Decimal,
        fixed: Decimal,
        base: Decimal,
        rounding: Rounding,
    ) -> Share {
        let amount = rounding.apply(base * rate + fixed);
        Share {
            label,
            rate,
            fixed,
            amount,
        }
    }

    fn pays(&self) -> bool {
        !(self.rate.is_zero() && self.fixed.is_zero())
    }

    /// "单位 16% = ¥1,600.00" or "个人 2% + ¥3.00 = ¥203.00".
    fn describe(&self) -> String {
        let fixed = if self.fixed.is_zero() {
            String::new()
        } else {
            format!(" + {}", format_yuan(self.fixed))
        };
        let (label, rate, amount) = (self.label, format_rate(self.rate), format_yuan(self.amount));
        format!("{label} {rate}{fixed} = {amount}")
    }
}

fn contribution_line(terms: &PolicyLine, salary: Decimal) -> ContributionLine {
    let base = Base::derive(salary, terms.base_min, terms.base_max);
    let employer = Share::new(
        "单位",
        terms.employer_rate,
        terms.employer_fixed,
        base.amount(),
        terms.rounding,
    );
    let employee = Share::new(
        "个人",
        terms.employee_rate,
        terms.employee_fixed,
        base.amount(),
        terms.rounding,
    );
    ContributionLine {
        insurance_type: terms.insurance_type,
        base: base.amount(),
        clamp: base.clamp(),
        employer_rate: terms.employer_rate,
        employee_rate: terms.employee_rate,
        employer_amount: employer.amount,
        employee_amount: employee.amount,
        rounding: terms.rounding,
        explanation: explain(&base, &[&employer, &employee], terms.rounding),
    }
}

/// E.g. "工资 ¥3,000.00 低于下限，按下限 ¥6,821.00 计；基数 ¥6,821.00 × 单位 16% = ¥1,091.36；
/// 个人 8% = ¥545.68（四舍五入到分）".
fn explain(base: &Base, shares: &[&Share], rounding: Rounding) -> String {
    let mut text = String::new();
    if base.clamp().is_some() {
        text.push_str(&base.explain_zh());
        text.push('；');
    }
    let base_text = format_yuan(base.amount());
    let (paying, exempt): (Vec<&&Share>, Vec<&&Share>) = shares.iter().partition(|s| s.pays());
    if paying.is_empty() {
        text.push_str(&format!("基数 {base_text}，单位和个人均不缴费"));
        return text;
    }
    let described: Vec<String> = paying.iter().map(|s| s.describe()).collect();
    text.push_str(&format!(
        "基数 {base_text} × {}（{}）",
        described.join("；"),
        rounding.label_zh()
    ));
    for share in exempt {
        text.push_str(&format!("；{}不缴费", share.label));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn p(s: &str) -> Period {
        Period::parse(s).unwrap()
    }

    fn one(city: City, period: &str, salary: &str, t: InsuranceType) -> ContributionLine {
        let b = calculate(city, p(period), d(salary), &[t]).unwrap();
        b.lines.into_iter().next().unwrap()
    }

    #[test]
    fn beijing_2024_pension_on_10000() {
        let line = one(City::Beijing, "2024-10", "10000", InsuranceType::Pension);
        assert_eq!(line.employer_amount.to_string(), "1600.00");
        assert_eq!(line.employee_amount.to_string(), "800.00");
        assert_eq!(line.clamp, None);
        assert_eq!(
            line.explanation,
            "基数 ¥10,000.00 × 单位 16% = ¥1,600.00；个人 8% = ¥800.00（四舍五入到分）"
        );
    }

    #[test]
    fn beijing_medical_adds_fixed_amount() {
        let line = one(City::Beijing, "2024-10", "10000", InsuranceType::Medical);
        assert_eq!(line.employee_amount.to_string(), "203.00");
        assert!(
            line.explanation.contains("个人 2% + ¥3.00 = ¥203.00"),
            "{}",
            line.explanation
        );
    }

    #[test]
    fn clamps_below_min_and_above_max() {
        let low = one(City::Beijing, "2024-07", "3000", InsuranceType::Pension);
        assert_eq!(low.base.to_string(), "6821.00");
        assert_eq!(low.clamp, Some(Clamp::RaisedToMin));
        assert_eq!(low.employer_amount.to_string(), "1091.36");
        assert_eq!(low.employee_amount.to_string(), "545.68");
        assert!(low
            .explanation
            .starts_with("工资 ¥3,000.00 低于下限，按下限 ¥6,821.00 计；"));

        let high = one(City::Beijing, "2025-06", "100000", InsuranceType::Pension);
        assert_eq!(high.base.to_string(), "35283.00");
        assert_eq!(high.clamp, Some(Clamp::LoweredToMax));
        assert_eq!(high.employer_amount.to_string(), "5645.28");
        assert_eq!(high.employee_amount.to_string(), "2822.64");
    }

    #[test]
    fn shanghai_rounds_up_to_the_jiao_and_fund_to_the_yuan() {
        let pension = one(
            City::Shanghai,
            "2024-07",
            "10000.55",
            InsuranceType::Pension,
        );
        assert_eq!(pension.employer_amount.to_string(), "1600.10"); // 1600.088
        assert_eq!(pension.employee_amount.to_string(), "800.10"); // 800.044
        assert!(pension.explanation.ends_with("（进位到角）"));

        let fund = one(
            City::Shanghai,
            "2024-07",
            "10007",
            InsuranceType::HousingFund,
        );
        assert_eq!(fund.employer_amount.to_string(), "700.00"); // 700.49
    }

    #[test]
    fn employer_only_lines_say_so() {
        let line = one(City::Beijing, "2024-07", "10000", InsuranceType::WorkInjury);
        assert_eq!(line.employee_amount, Decimal::ZERO);
        assert!(
            line.explanation.ends_with("；个人不缴费"),
            "{}",
            line.explanation
        );
    }

    #[test]
    fn totals_and_duplicates() {
        let types = [
            InsuranceType::Pension,
            InsuranceType::Medical,
            InsuranceType::Pension,
        ];
        let b = calculate(City::Beijing, p("2024-07"), d("10000"), &types).unwrap();
        assert_eq!(b.lines.len(), 2);
        assert_eq!(b.employer_total.to_string(), "2500.00");
        assert_eq!(b.employee_total.to_string(), "1003.00");
        assert_eq!(b.total.to_string(), "3503.00");
        assert!(b.provisional);
    }

    #[test]
    fn errors() {
        let err =
            calculate(City::Beijing, p("2022-06"), d("10000"), &InsuranceType::ALL).unwrap_err();
        assert_eq!(err.code(), "policy.missing");
        assert_eq!(err.to_string(), "北京 2022-06 尚无社保政策");
        let err = calculate(City::Beijing, p("2024-07"), d("10000"), &[]).unwrap_err();
        assert_eq!(err, CalcError::NoTypes);
        assert_eq!(err.to_field_error("types").message, "请至少选择一个险种");
    }

    fn inputs() -> impl Strategy<Value = (City, Period, Decimal, Vec<InsuranceType>)> {
        (
            proptest::sample::select(City::ALL.to_vec()),
            0i32..120,
            0i64..20_000_000,
            proptest::sample::subsequence(InsuranceType::ALL.to_vec(), 1..=6),
        )
            .prop_map(|(city, offset, fen, types)| {
                (
                    city,
                    p("2022-07").add_months(offset),
                    Decimal::new(fen, 2),
                    types,
                )
            })
    }

    proptest! {
        #[test]
        fn amounts_are_consistent((city, period, salary, types) in inputs()) {
            let b = calculate(city, period, salary, &types).unwrap();
            prop_assert_eq!(b.lines.len(), types.len());
            let policy = policy_for(city, period).unwrap();
            for line in &b.lines {
                let terms = policy.line(line.insurance_type).unwrap();
                prop_assert!(line.base >= terms.base_min && line.base <= terms.base_max);
                prop_assert!(line.employer_amount >= Decimal::ZERO);
                prop_assert!(line.employee_amount >= Decimal::ZERO);
                prop_assert_eq!(line.employer_amount.scale(), 2);
                prop_assert!(!line.explanation.is_empty());
            }
            prop_assert_eq!(b.total, b.employer_total + b.employee_total);
            prop_assert_eq!(b.employer_total, b.lines.iter().map(|l| l.employer_amount).sum::<Decimal>());
        }

        #[test]
        fn breakdown_json_round_trip((city, period, salary, types) in inputs()) {
            let b = calculate(city, period, salary, &types).unwrap();
            let json = serde_json::to_string(&b).unwrap();
            prop_assert_eq!(serde_json::from_str::<Breakdown>(&json).unwrap(), b);
        }
    }
}
