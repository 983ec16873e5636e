//! The monthly contribution calculator: salary → base per insurance type → employer and
//! employee amounts, each with a Chinese explanation of how it was computed.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::base::{Base, Clamp};
use crate::employer::EmployerRates;
use crate::lang::Lang;
use crate::money::{format_rate, format_yuan, Rounding};
use crate::period::Period;
use crate::policy::{policy_for, City, CityPolicy, Hukou, InsuranceType, PolicyLine};
use crate::validation::FieldError;

/// What the calculator needs besides the city, the month and the wage: the employer's own
/// rates and the employee's hukou.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Terms {
    pub employer: EmployerRates,
    pub hukou: Hukou,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContributionLine {
    pub insurance_type: InsuranceType,
    /// The wage (or declared base) this line's base was derived from.
    #[serde(default)]
    pub declared: Decimal,
    /// The base used for this type: `declared` clamped into this type's range.
    pub base: Decimal,
    pub clamp: Option<Clamp>,
    pub employer_rate: Decimal,
    pub employee_rate: Decimal,
    pub employer_amount: Decimal,
    pub employee_amount: Decimal,
    pub rounding: Rounding,
    pub explanation: String,
}

impl ContributionLine {
    /// Says when the base was clamped, e.g. "养老按下限 ¥7,162.00 计".
    pub fn clamp_note(&self, lang: Lang) -> Option<String> {
        let (name, base) = (self.insurance_type.short_name(lang), format_yuan(self.base));
        self.clamp.map(|clamp| match (clamp, lang) {
            (Clamp::RaisedToMin, Lang::Zh) => format!("{name}按下限 {base} 计"),
            (Clamp::LoweredToMax, Lang::Zh) => format!("{name}按上限 {base} 计"),
            (Clamp::RaisedToMin, Lang::En) => format!("{name} on the minimum base {base}"),
            (Clamp::LoweredToMax, Lang::En) => format!("{name} on the maximum base {base}"),
        })
    }
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
    /// Maternity is paid within medical in this city.
    MaternityMerged {
        city: City,
    },
    /// A base adjustment of a month and type the employee has no executed enrollment for.
    NoBaseInForce {
        period: Period,
        insurance_type: InsuranceType,
    },
}

impl CalcError {
    pub fn code(&self) -> &'static str {
        match self {
            CalcError::NoPolicy { .. } => "policy.missing",
            CalcError::MissingLine { .. } => "policy.missing_line",
            CalcError::NoTypes => "contribution.no_types",
            CalcError::MaternityMerged { .. } => "insurance_types.maternity_merged",
            CalcError::NoBaseInForce { .. } => "base_adjustment.not_insured",
        }
    }

    /// The form field the error belongs to.
    pub fn field(&self) -> &'static str {
        match self {
            CalcError::NoPolicy { .. } => "from_month",
            _ => "insurance_types",
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
            (CalcError::MaternityMerged { city }, Lang::Zh) => {
                format!("{}的生育保险已并入医疗保险，随医疗保险缴纳，不能单独选择", city.name_zh())
            }
            (CalcError::MaternityMerged { city }, Lang::En) => {
                format!("In {} maternity insurance is part of medical insurance and cannot be chosen on its own", city.name(lang))
            }
            (CalcError::NoBaseInForce { period, insurance_type }, Lang::Zh) => {
                format!("该员工 {period} 没有已办结的{}参保记录，无法调整基数", insurance_type.name_zh())
            }
            (CalcError::NoBaseInForce { period, insurance_type }, Lang::En) => format!(
                "The employee has no filed {} enrollment for {period}: there is no base to adjust",
                insurance_type.name(lang).to_lowercase()
            ),
        }
    }

    pub fn message_zh(&self) -> String {
        self.message(Lang::Zh)
    }

    pub fn to_field_error(&self) -> FieldError {
        FieldError::new(self.field(), self.code(), self.message(Lang::Zh), self.message(Lang::En))
    }
}

/// Computes `city`'s contributions for `period` on `salary`, one line per requested type
/// (duplicates ignored, order kept), each type's base clamped into its own range.
pub fn calculate(
    city: City,
    period: Period,
    salary: Decimal,
    types: &[InsuranceType],
    terms: &Terms,
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
        lines.push(line_for(policy, period, insurance_type, salary, terms)?);
    }
    Ok(Breakdown::of(policy, period, lines))
}

/// One type's line under `policy`.
pub fn line_for(
    policy: &CityPolicy,
    period: Period,
    insurance_type: InsuranceType,
    salary: Decimal,
    terms: &Terms,
) -> Result<ContributionLine, CalcError> {
    let city = policy.city;
    if insurance_type == InsuranceType::Maternity && policy.maternity_merged {
        return Err(CalcError::MaternityMerged { city });
    }
    let line = policy.line(insurance_type).ok_or(CalcError::MissingLine { city, period, insurance_type })?;
    Ok(contribution_line(&terms.employer.apply(policy, line), terms.hukou, salary))
}

impl Breakdown {
    /// The month's lines and their totals.
    pub fn of(policy: &CityPolicy, period: Period, lines: Vec<ContributionLine>) -> Breakdown {
        let employer_total: Decimal = lines.iter().map(|l| l.employer_amount).sum();
        let employee_total: Decimal = lines.iter().map(|l| l.employee_amount).sum();
        Breakdown {
            city: policy.city,
            period,
            provisional: policy.provisional,
            lines,
            employer_total,
            employee_total,
            total: employer_total + employee_total,
        }
    }

    pub fn line(&self, insurance_type: InsuranceType) -> Option<&ContributionLine> {
        self.lines.iter().find(|l| l.insurance_type == insurance_type)
    }
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

fn contribution_line(terms: &PolicyLine, hukou: Hukou, salary: Decimal) -> ContributionLine {
    let base = Base::derive(salary, terms.base_min, terms.base_max);
    let employer = Share::new(
        "单位",
        terms.employer_rate_for(hukou),
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
        declared: base.requested(),
        base: base.amount(),
        clamp: base.clamp(),
        employer_rate: employer.rate,
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
        let b = calculate(city, p(period), d(salary), &[t], &Terms::default()).unwrap();
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
    fn shanghai_rounds_up_to_the_jiao_until_2023_then_to_the_fen_and_the_fund_to_the_yuan() {
        let pension = one(City::Shanghai, "2023-07", "10000.55", InsuranceType::Pension);
        assert_eq!(pension.employer_amount.to_string(), "1600.10"); // 1600.088
        assert_eq!(pension.employee_amount.to_string(), "800.10"); // 800.044
        assert!(pension.explanation.ends_with("（进位到角）"));
        let pension = one(City::Shanghai, "2024-07", "10000.55", InsuranceType::Pension);
        assert_eq!(pension.employer_amount.to_string(), "1600.09");
        assert_eq!(pension.employee_amount.to_string(), "800.04");
        assert!(pension.explanation.ends_with("（四舍五入到分）"));

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
        let b = calculate(City::Beijing, p("2024-07"), d("10000"), &types, &Terms::default()).unwrap();
        assert_eq!(b.lines.len(), 2);
        assert_eq!(b.employer_total.to_string(), "2580.00");
        assert_eq!(b.employee_total.to_string(), "1003.00");
        assert_eq!(b.total.to_string(), "3583.00");
        assert!(b.provisional);
    }

    #[test]
    fn errors() {
        let err =
            calculate(City::Beijing, p("2022-06"), d("10000"), &InsuranceType::ALL, &Terms::default()).unwrap_err();
        assert_eq!(err.code(), "policy.missing");
        assert_eq!(err.to_string(), "北京 2022-06 尚无社保政策");
        let err = calculate(City::Beijing, p("2024-07"), d("10000"), &[], &Terms::default()).unwrap_err();
        assert_eq!(err, CalcError::NoTypes);
        assert_eq!(err.to_field_error().message, "请至少选择一个险种");
    }

    #[test]
    fn each_type_clamps_the_wage_into_its_own_range() {
        // Beijing 2025: pension and medical from ¥7,162, the housing fund from ¥2,540.
        let types = [InsuranceType::Pension, InsuranceType::Medical, InsuranceType::HousingFund];
        let b = calculate(City::Beijing, p("2025-09"), d("3000"), &types, &Terms::default()).unwrap();
        let base = |t| b.line(t).unwrap().base.to_string();
        assert_eq!(base(InsuranceType::Pension), "7162.00");
        assert_eq!(base(InsuranceType::Medical), "7162.00");
        assert_eq!(base(InsuranceType::HousingFund), "3000.00");
        let fund = b.line(InsuranceType::HousingFund).unwrap();
        assert_eq!((fund.clamp, fund.employer_amount.to_string()), (None, "360.00".into()));
        assert_eq!(fund.clamp_note(Lang::Zh), None);
        let pension = b.line(InsuranceType::Pension).unwrap();
        assert_eq!(pension.declared.to_string(), "3000.00");
        assert_eq!(pension.clamp_note(Lang::Zh).as_deref(), Some("养老按下限 ¥7,162.00 计"));
        assert_eq!(pension.clamp_note(Lang::En).as_deref(), Some("Pension on the minimum base ¥7,162.00"));
        // Declared at the pension minimum instead, the fund would cost ¥998 a month more
        // (Beijing's fund rounds each share to the yuan: 859 + 859 against 360 + 360).
        let at_min = calculate(City::Beijing, p("2025-09"), d("7162"), &types, &Terms::default()).unwrap();
        let fund_at_min = at_min.line(InsuranceType::HousingFund).unwrap();
        assert_eq!((fund_at_min.employer_amount + fund_at_min.employee_amount - fund.employer_amount - fund.employee_amount).to_string(), "998.00");
        let high = calculate(City::Beijing, p("2025-09"), d("40000"), &types, &Terms::default()).unwrap();
        assert_eq!(high.line(InsuranceType::HousingFund).unwrap().clamp_note(Lang::Zh).as_deref(), Some("公积金按上限 ¥35,811.00 计"));
    }

    #[test]
    fn maternity_cannot_be_chosen_where_it_is_part_of_medical() {
        for city in [City::Beijing, City::Shanghai, City::Guangzhou, City::Hangzhou] {
            let err = calculate(city, p("2025-09"), d("10000"), &[InsuranceType::Maternity], &Terms::default()).unwrap_err();
            assert_eq!(err, CalcError::MaternityMerged { city });
            assert_eq!(err.field(), "insurance_types");
        }
        assert_eq!(
            CalcError::MaternityMerged { city: City::Beijing }.message(Lang::Zh),
            "北京的生育保险已并入医疗保险，随医疗保险缴纳，不能单独选择"
        );
        let shenzhen = calculate(City::Shenzhen, p("2025-09"), d("10000"), &[InsuranceType::Maternity], &Terms::default()).unwrap();
        assert!(shenzhen.lines[0].employer_amount > Decimal::ZERO);
    }

    #[test]
    fn shenzhen_charges_the_employer_less_pension_for_non_local_hukou() {
        let rate = |hukou| {
            let terms = Terms { hukou, ..Terms::default() };
            calculate(City::Shenzhen, p("2024-09"), d("10000"), &[InsuranceType::Pension], &terms).unwrap().lines[0].clone()
        };
        let (local, non_local) = (rate(Hukou::Local), rate(Hukou::NonLocal));
        assert_eq!((local.employer_rate.to_string(), local.employer_amount.to_string()), ("0.16".into(), "1600.00".into()));
        assert_eq!((non_local.employer_rate.to_string(), non_local.employer_amount.to_string()), ("0.15".into(), "1500.00".into()));
        assert_eq!(local.employee_amount, non_local.employee_amount);
        // Beijing has no such split.
        let terms = Terms { hukou: Hukou::NonLocal, ..Terms::default() };
        let beijing = calculate(City::Beijing, p("2024-09"), d("10000"), &[InsuranceType::Pension], &terms).unwrap();
        assert_eq!(beijing.lines[0].employer_rate.to_string(), "0.16");
    }

    #[test]
    fn the_employers_own_rates_are_used() {
        use crate::employer::WorkInjuryRate;
        let terms = Terms {
            employer: EmployerRates {
                work_injury: Some(WorkInjuryRate { class: 2, float_percent: 150 }),
                housing_fund_rate: Some(d("0.05")),
            },
            ..Terms::default()
        };
        let types = [InsuranceType::WorkInjury, InsuranceType::HousingFund];
        let b = calculate(City::Beijing, p("2025-09"), d("10000"), &types, &terms).unwrap();
        // Class 2 is 0.4%, at 150% 0.6%; the fund at 5% on each side.
        assert_eq!(b.line(InsuranceType::WorkInjury).unwrap().employer_amount.to_string(), "60.00");
        let fund = b.line(InsuranceType::HousingFund).unwrap();
        assert_eq!((fund.employer_amount.to_string(), fund.employee_amount.to_string()), ("500.00".into(), "500.00".into()));
    }

    fn inputs() -> impl Strategy<Value = (City, Period, Decimal, Vec<InsuranceType>)> {
        (
            proptest::sample::select(City::ALL.to_vec()),
            0i32..120,
            0i64..20_000_000,
            proptest::sample::subsequence(InsuranceType::ALL.to_vec(), 1..=6),
        )
            .prop_filter_map("a type the city offers", |(city, offset, fen, mut types)| {
                let period = p("2022-07").add_months(offset);
                if policy_for(city, period).is_some_and(|p| p.maternity_merged) {
                    types.retain(|t| *t != InsuranceType::Maternity);
                }
                (!types.is_empty()).then(|| (city, period, Decimal::new(fen, 2), types))
            })
    }

    proptest! {
        #[test]
        fn amounts_are_consistent((city, period, salary, types) in inputs()) {
            let b = calculate(city, period, salary, &types, &Terms::default()).unwrap();
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
            let b = calculate(city, period, salary, &types, &Terms::default()).unwrap();
            let json = serde_json::to_string(&b).unwrap();
            prop_assert_eq!(serde_json::from_str::<Breakdown>(&json).unwrap(), b);
        }
    }
}
