//! The rates a city leaves to the employer: the work-injury rate of its industry class and
//! float (人社部发〔2015〕71号), and its housing-fund rate within the city's range. A company
//! setting per city, checked against the city's policy and used by the calculator.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::money::format_rate;
use crate::policy::{City, CityPolicy, InsuranceType, PolicyLine};
use crate::validation::FieldError;

/// An industry class (1 to 8) and the float the bureau set for the employer, in percent of
/// the class's base rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkInjuryRate {
    pub class: u8,
    pub float_percent: u16,
}

/// 人社部发〔2015〕71号: class 1 has three grades (100%, 120%, 150% of the base rate), classes
/// 2 to 8 five (50%, 80%, 100%, 120%, 150%).
pub fn work_injury_floats(class: u8) -> &'static [u16] {
    match class {
        1 => &[100, 120, 150],
        2..=8 => &[50, 80, 100, 120, 150],
        _ => &[],
    }
}

/// The employer's choices; `None` keeps the city's usual figure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmployerRates {
    pub work_injury: Option<WorkInjuryRate>,
    /// Both shares of the housing fund, as a fraction (0.12 = 12%).
    pub housing_fund_rate: Option<Decimal>,
}

impl EmployerRates {
    /// Every choice must be one the city allows under `policy`.
    pub fn check(&self, policy: &CityPolicy) -> Result<(), Vec<FieldError>> {
        let city = policy.city;
        let mut errors = Vec::new();
        if let Some(w) = self.work_injury {
            if !(1..=8).contains(&w.class) {
                errors.push(FieldError::new(
                    "work_injury_class",
                    "employer.work_injury_class",
                    "工伤保险行业类别应为一类至八类",
                    "The work-injury industry class is 1 to 8",
                ));
            } else if !work_injury_floats(w.class).contains(&w.float_percent) {
                let floats = work_injury_floats(w.class).iter().map(|f| format!("{f}%")).collect::<Vec<_>>().join("、");
                errors.push(FieldError::new(
                    "work_injury_float_percent",
                    "employer.work_injury_float",
                    format!("{}类行业的浮动档次只能是 {floats}", w.class),
                    format!("Industry class {} floats only at {floats}", w.class),
                ));
            }
        }
        if let Some(rate) = self.housing_fund_rate {
            let choices = &policy.employer_choices;
            let (min, max) = (choices.housing_fund_rate_min, choices.housing_fund_rate_max);
            if !choices.housing_fund_rates().contains(&rate) {
                let (lo, hi) = (format_rate(min), format_rate(max));
                errors.push(FieldError::new(
                    "housing_fund_rate",
                    "employer.housing_fund_rate",
                    format!("{}住房公积金缴存比例应为 {lo}–{hi} 之间的整数百分比", city.name_zh()),
                    format!("{}'s housing-fund rate is a whole percentage from {lo} to {hi}", city.name(Lang::En)),
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// For the audit log and the settings page, e.g. "工伤保险 2类 × 150%；住房公积金 5%".
    pub fn describe(&self, lang: Lang) -> String {
        let mut parts = Vec::new();
        if let Some(w) = self.work_injury {
            parts.push(lang.pick(
                format!("工伤保险 {}类 × {}%", w.class, w.float_percent),
                format!("work injury class {} × {}%", w.class, w.float_percent),
            ));
        }
        if let Some(rate) = self.housing_fund_rate {
            parts.push(format!("{} {}", lang.pick("住房公积金", "housing fund"), format_rate(rate)));
        }
        if parts.is_empty() {
            lang.pick("按城市通常费率", "the city's usual rates").to_owned()
        } else {
            parts.join(lang.pick("；", "; "))
        }
    }

    /// `line` with the employer's rates put in where the city leaves the rate to it.
    pub fn apply(&self, policy: &CityPolicy, line: &PolicyLine) -> PolicyLine {
        let mut line = line.clone();
        match line.insurance_type {
            InsuranceType::WorkInjury => {
                if let Some(w) = self.work_injury {
                    if let Some(base) = policy.employer_choices.class_rate(w.class) {
                        line.employer_rate = (base * Decimal::from(w.float_percent) / Decimal::ONE_HUNDRED).normalize();
                        line.employer_rate_non_local = None;
                    }
                }
            }
            InsuranceType::HousingFund => {
                if let Some(rate) = self.housing_fund_rate {
                    line.employer_rate = rate.normalize();
                    line.employer_rate_non_local = None;
                    line.employee_rate = rate.normalize();
                }
            }
            _ => {}
        }
        line
    }
}

/// The company's choices per city.
pub type CompanyRates = std::collections::BTreeMap<City, EmployerRates>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::Period;
    use crate::policy::policy_for;
    use proptest::prelude::*;

    fn beijing() -> &'static CityPolicy {
        policy_for(City::Beijing, Period::parse("2025-03").unwrap()).unwrap()
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn work_injury_is_class_rate_times_float() {
        let policy = beijing();
        let line = policy.line(InsuranceType::WorkInjury).unwrap();
        let rates = EmployerRates { work_injury: Some(WorkInjuryRate { class: 3, float_percent: 120 }), housing_fund_rate: None };
        assert_eq!(rates.check(policy), Ok(()));
        // Class 3 is 0.7%; 120% of it 0.84%.
        assert_eq!(rates.apply(policy, line).employer_rate.to_string(), "0.0084");
        assert_eq!(rates.apply(policy, line).employee_rate, Decimal::ZERO);
        // Nothing chosen: the city's usual figure.
        assert_eq!(EmployerRates::default().apply(policy, line), *line);
    }

    #[test]
    fn refuses_what_the_city_does_not_allow() {
        let policy = beijing();
        let codes = |rates: EmployerRates| -> Vec<String> {
            rates.check(policy).err().unwrap_or_default().into_iter().map(|e| e.code).collect()
        };
        let class_one_down = EmployerRates { work_injury: Some(WorkInjuryRate { class: 1, float_percent: 80 }), ..Default::default() };
        assert_eq!(codes(class_one_down), ["employer.work_injury_float"]);
        let err = class_one_down.check(policy).unwrap_err();
        assert_eq!(err[0].message, "1类行业的浮动档次只能是 100%、120%、150%");
        let class_nine = EmployerRates { work_injury: Some(WorkInjuryRate { class: 9, float_percent: 100 }), ..Default::default() };
        assert_eq!(codes(class_nine), ["employer.work_injury_class"]);
        for bad in ["0.04", "0.13", "0.075"] {
            let rates = EmployerRates { housing_fund_rate: Some(d(bad)), ..Default::default() };
            assert_eq!(codes(rates), ["employer.housing_fund_rate"], "{bad}");
        }
        let shanghai = policy_for(City::Shanghai, Period::parse("2025-03").unwrap()).unwrap();
        let rates: Vec<String> = shanghai.employer_choices.housing_fund_rates().iter().map(|r| r.to_string()).collect();
        assert_eq!(rates, ["0.05", "0.06", "0.07"]);
        assert_eq!(policy.employer_choices.class_rate(0), None);
        assert_eq!(policy.employer_choices.class_rate(9), None);
        let fund = EmployerRates { housing_fund_rate: Some(d("0.05")), ..Default::default() };
        assert_eq!(fund.check(policy), Ok(()));
        let line = fund.apply(policy, policy.line(InsuranceType::HousingFund).unwrap());
        assert_eq!((line.employer_rate.to_string(), line.employee_rate.to_string()), ("0.05".into(), "0.05".into()));
    }

    #[test]
    fn describes_itself() {
        assert_eq!(EmployerRates::default().describe(Lang::Zh), "按城市通常费率");
        let rates = EmployerRates { work_injury: Some(WorkInjuryRate { class: 2, float_percent: 150 }), housing_fund_rate: Some(d("0.05")) };
        assert_eq!(rates.describe(Lang::Zh), "工伤保险 2类 × 150%；住房公积金 5%");
        assert_eq!(rates.describe(Lang::En), "work injury class 2 × 150%; housing fund 5%");
        let json = serde_json::to_string(&rates).unwrap();
        assert_eq!(json, r#"{"work_injury":{"class":2,"float_percent":150},"housing_fund_rate":"0.05"}"#);
        assert_eq!(serde_json::from_str::<EmployerRates>(&json).unwrap(), rates);
    }

    proptest! {
        #[test]
        fn allowed_choices_give_rates_inside_the_national_band(class in 1u8..=8, pick in 0usize..5, fund in 5i64..=12) {
            let floats = work_injury_floats(class);
            let w = WorkInjuryRate { class, float_percent: floats[pick % floats.len()] };
            let rates = EmployerRates { work_injury: Some(w), housing_fund_rate: Some(Decimal::new(fund, 2)) };
            let policy = beijing();
            prop_assert_eq!(rates.check(policy), Ok(()));
            let line = rates.apply(policy, policy.line(InsuranceType::WorkInjury).unwrap());
            // 0.1% (class 1 never floats down) to 2.85% (class 8 at 150%).
            prop_assert!(line.employer_rate >= d("0.001") && line.employer_rate <= d("0.0285"));
        }
    }
}
