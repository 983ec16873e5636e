//! City policies as data: base ranges, rates, fixed amounts, rounding and payment deadline
//! per city, insurance type and effective period.
//!
//! Every figure below comes from secondary sources (news summaries, HR sites) and is marked
//! provisional until an official notice is recorded for it (`YearRow::official`). Payment
//! deadline days are plausible typical days, also provisional.

use std::sync::LazyLock;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::Due;
use crate::lang::Lang;
use crate::money::Rounding;
use crate::money::Rounding::{FenHalfUp, JiaoUp, YuanHalfUp};
use crate::period::Period;
use crate::revocation::RevocationRule;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum City {
    Beijing,
    Shanghai,
    Shenzhen,
    Guangzhou,
    Hangzhou,
}

impl City {
    pub const ALL: [City; 5] = [
        City::Beijing,
        City::Shanghai,
        City::Shenzhen,
        City::Guangzhou,
        City::Hangzhou,
    ];

    /// Stable identifier, identical to the serde form.
    pub fn code(self) -> &'static str {
        match self {
            City::Beijing => "beijing",
            City::Shanghai => "shanghai",
            City::Shenzhen => "shenzhen",
            City::Guangzhou => "guangzhou",
            City::Hangzhou => "hangzhou",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            City::Beijing => ("北京", "Beijing"),
            City::Shanghai => ("上海", "Shanghai"),
            City::Shenzhen => ("深圳", "Shenzhen"),
            City::Guangzhou => ("广州", "Guangzhou"),
            City::Hangzhou => ("杭州", "Hangzhou"),
        };
        lang.pick(zh, en)
    }

    pub fn name_zh(self) -> &'static str {
        self.name(Lang::Zh)
    }

    pub fn from_code(code: &str) -> Option<City> {
        City::ALL.into_iter().find(|c| c.code() == code)
    }

    /// How long after a filing the bureau accepts its revocation (hours or working days),
    /// with its source; see `crate::revocation`.
    pub fn revocation_window(self) -> &'static RevocationRule {
        crate::revocation::rule(self)
    }

    /// Until when (ms since the epoch) the bureau accepts a revocation of a filing it
    /// recorded at `filed_at_ms`; it judges by when the revocation was asked for.
    pub fn revocation_deadline_ms(self, filed_at_ms: i64) -> i64 {
        self.revocation_window().window.deadline_ms(filed_at_ms)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InsuranceType {
    Pension,
    Medical,
    Unemployment,
    WorkInjury,
    Maternity,
    HousingFund,
}

impl InsuranceType {
    pub const ALL: [InsuranceType; 6] = [
        InsuranceType::Pension,
        InsuranceType::Medical,
        InsuranceType::Unemployment,
        InsuranceType::WorkInjury,
        InsuranceType::Maternity,
        InsuranceType::HousingFund,
    ];

    /// Stable identifier, identical to the serde form.
    pub fn code(self) -> &'static str {
        match self {
            InsuranceType::Pension => "pension",
            InsuranceType::Medical => "medical",
            InsuranceType::Unemployment => "unemployment",
            InsuranceType::WorkInjury => "work_injury",
            InsuranceType::Maternity => "maternity",
            InsuranceType::HousingFund => "housing_fund",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            InsuranceType::Pension => ("养老保险", "Pension"),
            InsuranceType::Medical => ("医疗保险", "Medical insurance"),
            InsuranceType::Unemployment => ("失业保险", "Unemployment insurance"),
            InsuranceType::WorkInjury => ("工伤保险", "Work-injury insurance"),
            InsuranceType::Maternity => ("生育保险", "Maternity insurance"),
            InsuranceType::HousingFund => ("住房公积金", "Housing fund"),
        };
        lang.pick(zh, en)
    }

    pub fn name_zh(self) -> &'static str {
        self.name(Lang::Zh)
    }

    pub fn from_code(code: &str) -> Option<InsuranceType> {
        InsuranceType::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The short name a price note starts with ("养老按下限 ¥7,162.00 计").
    pub fn short_name(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            InsuranceType::Pension => ("养老", "Pension"),
            InsuranceType::Medical => ("医疗", "Medical"),
            InsuranceType::Unemployment => ("失业", "Unemployment"),
            InsuranceType::WorkInjury => ("工伤", "Work injury"),
            InsuranceType::Maternity => ("生育", "Maternity"),
            InsuranceType::HousingFund => ("公积金", "Housing fund"),
        };
        lang.pick(zh, en)
    }

    /// Social insurance proper; the housing fund is a separate scheme (住房公积金管理条例),
    /// and the Social Insurance Law's late fee does not apply to it.
    pub fn is_social_insurance(self) -> bool {
        self != InsuranceType::HousingFund
    }
}

/// Where an employee's household registration (户籍) is, for cities whose employer rate
/// differs by it (Shenzhen's pension).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hukou {
    #[default]
    Local,
    NonLocal,
}

/// One insurance type's terms. Rates are fractions (0.16 = 16%); fixed amounts in yuan are
/// added after the rate (Beijing's ¥3 serious-illness mutual aid on the employee side).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyLine {
    pub insurance_type: InsuranceType,
    pub base_min: Decimal,
    pub base_max: Decimal,
    pub employer_rate: Decimal,
    /// The employer rate for an employee without local hukou, where the city sets one.
    pub employer_rate_non_local: Option<Decimal>,
    pub employee_rate: Decimal,
    pub employer_fixed: Decimal,
    pub employee_fixed: Decimal,
    pub rounding: Rounding,
}

impl PolicyLine {
    pub fn employer_rate_for(&self, hukou: Hukou) -> Decimal {
        match hukou {
            Hukou::NonLocal => self.employer_rate_non_local.unwrap_or(self.employer_rate),
            Hukou::Local => self.employer_rate,
        }
    }
}

/// The rates a city leaves to the employer: the work-injury rate is the base rate of the
/// employer's industry class (一类 to 八类) times its float, the housing-fund rate any
/// rate inside the city's range (both shares alike).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmployerChoices {
    /// Base work-injury rate of industry classes 1 to 8.
    pub work_injury_class_rates: [Decimal; 8],
    pub housing_fund_rate_min: Decimal,
    pub housing_fund_rate_max: Decimal,
}

/// A city's terms for a run of months. `effective_to` is inclusive; `None` means open-ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CityPolicy {
    pub city: City,
    pub effective_from: Period,
    pub effective_to: Option<Period>,
    /// Day of the month by which that month's contributions must be paid.
    pub deadline_day: u32,
    /// True until the figures are checked against an official notice.
    pub provisional: bool,
    pub source: &'static str,
    /// Maternity is paid as part of medical: no line of its own, not chosen on its own.
    pub maternity_merged: bool,
    /// A 正常增员 for this month is taken only until the payment deadline; after it the
    /// bureau accepts the enrollment for the next month only.
    pub enrollment_closes_at_deadline: bool,
    pub employer_choices: EmployerChoices,
    pub lines: Vec<PolicyLine>,
}

impl CityPolicy {
    pub fn covers(&self, period: Period) -> bool {
        self.effective_from <= period && self.effective_to.is_none_or(|to| period <= to)
    }

    pub fn line(&self, insurance_type: InsuranceType) -> Option<&PolicyLine> {
        self.lines
            .iter()
            .find(|l| l.insurance_type == insurance_type)
    }

    /// The payment deadline for `period` under this policy: `due(period).date`.
    pub fn due_date(&self, period: Period) -> chrono::NaiveDate {
        self.due(period).date
    }

    /// The payment deadline for `period`: the policy's day of the month, moved to the next
    /// working day when it falls on a weekend or a public holiday, with the reason.
    pub fn due(&self, period: Period) -> Due {
        Due::on(period.due_date(self.deadline_day))
    }
}

/// The policy in force for `city` in `period`; `None` before the earliest recorded year.
pub fn policy_for(city: City, period: Period) -> Option<&'static CityPolicy> {
    POLICIES.iter().find(|p| p.city == city && p.covers(period))
}

/// Whether `insurance_type` is chosen on its own in `city` in `period` (maternity is not,
/// where it is paid within medical).
pub fn offered(city: City, period: Period, insurance_type: InsuranceType) -> bool {
    policy_for(city, period).is_none_or(|p| p.line(insurance_type).is_some())
}

/// All of `city`'s policies, oldest first.
pub fn policies(city: City) -> Vec<&'static CityPolicy> {
    POLICIES.iter().filter(|p| p.city == city).collect()
}

// ---------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------

/// Source note for figures from secondary sources, with a city-specific remark appended.
macro_rules! secondary {
    ($remark:literal) => {
        concat!("二手资料，待官方通知核实；", $remark)
    };
}
const CARRIED_FORWARD: &str = "沿用2025年度标准，待官方公布";

/// Base range in whole yuan.
type Range = (i64, i64);

/// One policy year (July `year` to June `year + 1`). Unemployment and work injury use the
/// pension range, maternity the medical range: that is how the cities below publish them.
struct YearRow {
    year: i32,
    pension: Range,
    medical: Range,
    fund: Range,
    /// The official notice these figures were checked against, once one is recorded.
    official: Option<&'static str>,
}

const fn policy_year(year: i32, pension: Range, medical: Range, fund: Range) -> YearRow {
    YearRow {
        year,
        pension,
        medical,
        fund,
        official: None,
    }
}

/// Rates in basis points (1 bp = 0.01%), the employee fixed amount in fen.
#[derive(Clone, Copy)]
struct Rates {
    employer_bp: i64,
    employee_bp: i64,
    employee_fixed_fen: i64,
    rounding: Rounding,
}

const fn rates(employer_bp: i64, employee_bp: i64, rounding: Rounding) -> Rates {
    Rates {
        employer_bp,
        employee_bp,
        employee_fixed_fen: 0,
        rounding,
    }
}

/// A city's six lines in `InsuranceType::ALL` order; where maternity is merged into
/// medical, its entry is `MERGED` and the medical rates include it.
type CityRates = [Rates; 6];

const MERGED: Rates = rates(0, 0, FenHalfUp);

/// 人社部发〔2015〕71号《关于调整工伤保险费率政策的通知》: base rates of the eight industry
/// classes; cities may lower them for a period.
const NATIONAL_WORK_INJURY_CLASSES: [i64; 8] = [20, 40, 70, 90, 110, 130, 160, 190];

/// 《住房公积金管理条例》第十八条 and 建金〔2005〕5号: 5% to 12% for both shares.
const NATIONAL_FUND_RATES: Range = (500, 1200);

struct CitySpec {
    city: City,
    deadline_day: u32,
    maternity_merged: bool,
    enrollment_closes_at_deadline: bool,
    /// Base work-injury rates of industry classes 1–8, in basis points.
    work_injury_class_bp: [i64; 8],
    /// The housing-fund rates an employer may choose, in basis points.
    fund_rate_bp: Range,
    note: &'static str,
    /// Rates can change between policy years (e.g. Guangdong's move to a 16% pension rate).
    rates: fn(i32) -> CityRates,
    years: &'static [YearRow],
}

/// Beijing merged maternity into medical in 2020: employer medical 9.8% includes it.
fn beijing_rates(_year: i32) -> CityRates {
    let mut medical = rates(980, 200, FenHalfUp);
    medical.employee_fixed_fen = 300;
    [
        rates(1600, 800, FenHalfUp),
        medical,
        rates(50, 50, FenHalfUp),
        rates(40, 0, FenHalfUp), // 0.2–1.9% by industry; 0.4% is a typical office class
        MERGED,
        rates(1200, 1200, YuanHalfUp),
    ]
}

/// Shanghai rounds social insurance up to the jiao and the housing fund to the yuan.
fn shanghai_rates(_year: i32) -> CityRates {
    [
        rates(1600, 800, JiaoUp),
        rates(1000, 200, JiaoUp), // including maternity
        rates(50, 50, JiaoUp),
        rates(16, 0, JiaoUp),
        MERGED,
        rates(700, 700, YuanHalfUp),
    ]
}

/// Guangdong moved the employer pension rate up to the national 16% step by step.
fn guangdong_pension_bp(year: i32) -> i64 {
    match year {
        ..=2022 => 1400,
        2023 => 1500,
        _ => 1600,
    }
}

fn shenzhen_rates(year: i32) -> CityRates {
    [
        rates(guangdong_pension_bp(year), 800, FenHalfUp),
        rates(500, 200, FenHalfUp), // 一档医保
        rates(80, 20, FenHalfUp),
        rates(20, 0, FenHalfUp),
        rates(50, 0, FenHalfUp),
        rates(500, 500, FenHalfUp),
    ]
}

fn guangzhou_rates(year: i32) -> CityRates {
    [
        rates(guangdong_pension_bp(year), 800, FenHalfUp),
        rates(635, 200, FenHalfUp), // including maternity
        rates(80, 20, FenHalfUp),
        rates(20, 0, FenHalfUp),
        MERGED,
        rates(500, 500, YuanHalfUp),
    ]
}

fn hangzhou_rates(_year: i32) -> CityRates {
    [
        rates(1600, 800, FenHalfUp),
        rates(950, 200, FenHalfUp), // including maternity
        rates(50, 50, FenHalfUp),
        rates(20, 0, FenHalfUp),
        MERGED,
        rates(1200, 1200, YuanHalfUp),
    ]
}

static CITY_SPECS: [CitySpec; 5] = [
    CitySpec {
        city: City::Beijing,
        deadline_day: 25,
        maternity_merged: true,
        enrollment_closes_at_deadline: false,
        work_injury_class_bp: NATIONAL_WORK_INJURY_CLASSES,
        fund_rate_bp: NATIONAL_FUND_RATES,
        note: secondary!(
            "生育保险已并入医疗保险（单位医疗9.8%含生育）；公积金下限为最低工资"
        ),
        rates: beijing_rates,
        years: &[
            policy_year(2022, (5869, 31884), (5869, 31884), (2320, 31884)),
            policy_year(2023, (6326, 33891), (6326, 33891), (2420, 33891)),
            policy_year(2024, (6821, 35283), (6821, 35283), (2420, 35283)),
            policy_year(2025, (7162, 35811), (7162, 35811), (2540, 35811)),
        ],
    },
    CitySpec {
        city: City::Shanghai,
        deadline_day: 15,
        maternity_merged: true,
        enrollment_closes_at_deadline: false,
        work_injury_class_bp: NATIONAL_WORK_INJURY_CLASSES,
        fund_rate_bp: (500, 700),
        note: secondary!("医疗单位10%含生育1%；公积金下限为最低工资"),
        rates: shanghai_rates,
        years: &[
            policy_year(2022, (6520, 34188), (6520, 34188), (2590, 34188)),
            policy_year(2023, (7310, 36549), (7310, 36549), (2690, 36549)),
            policy_year(2024, (7384, 36921), (7384, 36921), (2690, 36921)),
            policy_year(2025, (7460, 37302), (7460, 37302), (2740, 37302)),
        ],
    },
    CitySpec {
        city: City::Shenzhen,
        deadline_day: 25,
        maternity_merged: false,
        enrollment_closes_at_deadline: true,
        work_injury_class_bp: NATIONAL_WORK_INJURY_CLASSES,
        fund_rate_bp: NATIONAL_FUND_RATES,
        note: secondary!("养老基数下限为全省标准，医疗基数为全市平均工资的60%–300%"),
        rates: shenzhen_rates,
        years: &[
            policy_year(2022, (2360, 25044), (6475, 32376), (2360, 38892)),
            policy_year(2023, (2360, 26421), (6727, 33636), (2360, 41190)),
            policy_year(2024, (4492, 27501), (6998, 34992), (2360, 44265)),
            policy_year(2025, (4588, 28980), (7243, 36213), (2520, 44265)),
        ],
    },
    CitySpec {
        city: City::Guangzhou,
        deadline_day: 20,
        maternity_merged: true,
        enrollment_closes_at_deadline: false,
        work_injury_class_bp: NATIONAL_WORK_INJURY_CLASSES,
        fund_rate_bp: NATIONAL_FUND_RATES,
        note: secondary!("养老基数为全省标准，医疗基数为全市平均工资的60%–300%"),
        rates: guangzhou_rates,
        years: &[
            policy_year(2022, (3958, 22941), (5284, 26421), (2300, 38082)),
            policy_year(2023, (4492, 26421), (5563, 27813), (2300, 39432)),
            policy_year(2024, (4492, 27501), (5851, 29256), (2300, 41460)),
            policy_year(2025, (4588, 28980), (6003, 30015), (2500, 41460)),
        ],
    },
    CitySpec {
        city: City::Hangzhou,
        deadline_day: 20,
        maternity_merged: true,
        enrollment_closes_at_deadline: false,
        work_injury_class_bp: NATIONAL_WORK_INJURY_CLASSES,
        fund_rate_bp: NATIONAL_FUND_RATES,
        note: secondary!("养老、医疗基数为全省标准"),
        rates: hangzhou_rates,
        years: &[
            policy_year(2022, (3957, 19783), (3957, 19783), (2280, 35847)),
            policy_year(2023, (4462, 22311), (4462, 22311), (2280, 38390)),
            policy_year(2024, (4462, 24930), (4462, 24930), (2280, 39530)),
            policy_year(2025, (4812, 25602), (4812, 25602), (2490, 41018)),
        ],
    },
];

/// Built once, then every lookup is a short scan over borrowed data.
static POLICIES: LazyLock<Vec<CityPolicy>> = LazyLock::new(build_policies);

fn build_policies() -> Vec<CityPolicy> {
    let mut all = Vec::new();
    for spec in &CITY_SPECS {
        all.extend(spec.years.iter().map(|row| year_policy(spec, row)));
        // Cities publish late: until the next year's figures are recorded, carry the last
        // year forward, open-ended and provisional, so calculations never stop.
        if let Some(last) = spec.years.last() {
            all.push(CityPolicy {
                effective_from: Period::new(last.year + 1, 7).expect("valid data"),
                effective_to: None,
                provisional: true,
                source: CARRIED_FORWARD,
                ..year_policy(spec, last)
            });
        }
    }
    all
}

fn year_policy(spec: &CitySpec, row: &YearRow) -> CityPolicy {
    let rates = (spec.rates)(row.year);
    let lines = InsuranceType::ALL
        .into_iter()
        .zip(rates)
        .filter(|(insurance_type, _)| !(spec.maternity_merged && *insurance_type == InsuranceType::Maternity))
        .map(|(insurance_type, r)| {
            let (min, max) = match insurance_type {
                InsuranceType::Pension
                | InsuranceType::Unemployment
                | InsuranceType::WorkInjury => row.pension,
                InsuranceType::Medical | InsuranceType::Maternity => row.medical,
                InsuranceType::HousingFund => row.fund,
            };
            PolicyLine {
                insurance_type,
                base_min: Decimal::new(min * 100, 2),
                base_max: Decimal::new(max * 100, 2),
                employer_rate: Decimal::new(r.employer_bp, 4).normalize(),
                employer_rate_non_local: None,
                employee_rate: Decimal::new(r.employee_bp, 4).normalize(),
                employer_fixed: Decimal::new(0, 2),
                employee_fixed: Decimal::new(r.employee_fixed_fen, 2),
                rounding: r.rounding,
            }
        })
        .collect();
    CityPolicy {
        city: spec.city,
        effective_from: Period::new(row.year, 7).expect("valid data"),
        effective_to: Period::new(row.year + 1, 6),
        deadline_day: spec.deadline_day,
        provisional: row.official.is_none(),
        source: row.official.unwrap_or(spec.note),
        maternity_merged: spec.maternity_merged,
        enrollment_closes_at_deadline: spec.enrollment_closes_at_deadline,
        employer_choices: EmployerChoices {
            work_injury_class_rates: spec.work_injury_class_bp.map(|bp| Decimal::new(bp, 4).normalize()),
            housing_fund_rate_min: Decimal::new(spec.fund_rate_bp.0, 4).normalize(),
            housing_fund_rate_max: Decimal::new(spec.fund_rate_bp.1, 4).normalize(),
        },
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        Period::parse(s).unwrap()
    }

    #[test]
    fn maternity_is_offered_on_its_own_only_in_shenzhen() {
        for city in City::ALL {
            assert_eq!(offered(city, p("2025-09"), InsuranceType::Maternity), city == City::Shenzhen, "{city:?}");
            assert!(offered(city, p("2025-09"), InsuranceType::Medical));
        }
    }

    #[test]
    fn codes_round_trip() {
        for city in City::ALL {
            assert_eq!(City::from_code(city.code()), Some(city));
            assert_eq!(
                serde_json::to_string(&city).unwrap(),
                format!("\"{}\"", city.code())
            );
        }
        for t in InsuranceType::ALL {
            assert_eq!(InsuranceType::from_code(t.code()), Some(t));
            assert_eq!(
                serde_json::to_string(&t).unwrap(),
                format!("\"{}\"", t.code())
            );
        }
        assert_eq!(City::from_code("wuhan"), None);
        assert_eq!(City::Shanghai.name_zh(), "上海");
        assert_eq!(InsuranceType::HousingFund.name_zh(), "住房公积金");
    }

    #[test]
    fn beijing_2024_figures() {
        let policy = policy_for(City::Beijing, p("2025-03")).unwrap();
        assert_eq!(policy.effective_from, p("2024-07"));
        assert_eq!(policy.effective_to, Some(p("2025-06")));
        assert!(policy.provisional);
        let pension = policy.line(InsuranceType::Pension).unwrap();
        assert_eq!(pension.base_min.to_string(), "6821.00");
        assert_eq!(pension.base_max.to_string(), "35283.00");
        assert_eq!(pension.employer_rate.to_string(), "0.16");
        let medical = policy.line(InsuranceType::Medical).unwrap();
        assert_eq!(medical.employee_fixed.to_string(), "3.00");
        assert_eq!(
            policy.due_date(p("2025-03")),
            crate::ids::test_date(2025, 3, 25)
        );
    }

    #[test]
    fn names_and_revocation_window() {
        assert_eq!((City::Shenzhen.name(Lang::Zh), City::Shenzhen.name(Lang::En)), ("深圳", "Shenzhen"));
        assert_eq!(InsuranceType::HousingFund.name(Lang::En), "Housing fund");
        // Filed Wednesday 2023-11-15 06:13 China time: until the end of the third working
        // day after, Monday 2023-11-20 24:00 China time (16:00 UTC).
        let filed = 1_700_000_000_000;
        assert_eq!(City::Beijing.revocation_deadline_ms(filed), 1_700_495_999_999);
    }

    #[test]
    fn shanghai_rounds_by_line() {
        let policy = policy_for(City::Shanghai, p("2023-07")).unwrap();
        assert_eq!(
            policy.line(InsuranceType::Pension).unwrap().rounding,
            Rounding::JiaoUp
        );
        assert_eq!(
            policy.line(InsuranceType::HousingFund).unwrap().rounding,
            Rounding::YuanHalfUp
        );
        assert_eq!(
            policy
                .line(InsuranceType::Pension)
                .unwrap()
                .base_min
                .to_string(),
            "7310.00"
        );
    }

    #[test]
    fn shenzhen_medical_range_differs_from_pension() {
        let policy = policy_for(City::Shenzhen, p("2024-08")).unwrap();
        let pension = policy.line(InsuranceType::Pension).unwrap();
        let medical = policy.line(InsuranceType::Medical).unwrap();
        assert_ne!(pension.base_min, medical.base_min);
    }

    #[test]
    fn coverage_is_contiguous_and_open_ended() {
        for city in City::ALL {
            let list = policies(city);
            assert_eq!(list.len(), 5, "{city:?}");
            assert_eq!(list[0].effective_from, p("2022-07"));
            for pair in list.windows(2) {
                assert_eq!(
                    pair[0].effective_to.map(Period::next),
                    Some(pair[1].effective_from)
                );
            }
            let last = list.last().unwrap();
            assert_eq!(
                (last.effective_from, last.effective_to),
                (p("2026-07"), None)
            );
            assert_eq!(last.source, CARRIED_FORWARD);
            assert_eq!(last.lines, list[3].lines);
            assert!(policy_for(city, p("2022-06")).is_none());
            for period in Period::range_inclusive(p("2022-07"), p("2030-12")) {
                let found: Vec<_> = list.iter().filter(|pol| pol.covers(period)).collect();
                assert_eq!(found.len(), 1, "{city:?} {period}");
            }
        }
    }

    #[test]
    fn data_is_sane() {
        let one = Decimal::ONE;
        for policy in POLICIES.iter() {
            assert!((1..=28).contains(&policy.deadline_day));
            assert!(!policy.source.is_empty());
            let types: Vec<_> = policy.lines.iter().map(|l| l.insurance_type).collect();
            let expected: Vec<_> = InsuranceType::ALL
                .into_iter()
                .filter(|t| !(policy.maternity_merged && *t == InsuranceType::Maternity))
                .collect();
            assert_eq!(types, expected);
            let choices = &policy.employer_choices;
            assert!(choices.work_injury_class_rates.windows(2).all(|w| w[0] < w[1]));
            assert!(choices.housing_fund_rate_min <= choices.housing_fund_rate_max);
            for line in &policy.lines {
                let what = format!(
                    "{:?} {} {:?}",
                    policy.city, policy.effective_from, line.insurance_type
                );
                assert!(
                    line.base_min > Decimal::ZERO && line.base_min < line.base_max,
                    "{what}"
                );
                for rate in [line.employer_rate, line.employee_rate] {
                    assert!(rate >= Decimal::ZERO && rate < one, "{what}");
                }
                assert!(
                    line.employer_fixed >= Decimal::ZERO && line.employee_fixed >= Decimal::ZERO
                );
            }
        }
    }

    #[test]
    fn policies_serialize() {
        let json = serde_json::to_value(policy_for(City::Shanghai, p("2026-09")).unwrap()).unwrap();
        assert_eq!(json["city"], "shanghai");
        assert_eq!(json["effective_from"], "2026-07");
        assert_eq!(json["effective_to"], serde_json::Value::Null);
        assert_eq!(json["lines"][0]["insurance_type"], "pension");
        assert_eq!(json["lines"][0]["rounding"], "jiao_up");
        assert_eq!(json["lines"][0]["base_min"], "7460.00");
    }
}
