//! City policies as data: base ranges, rates, fixed amounts, rounding and payment deadline
//! per city, insurance type and effective period.
//!
//! Every figure below comes from secondary sources (calculator code, the figures reported in
//! issue 8) and is marked provisional until an official notice is recorded for it (a
//! `Source` with `official`); each row lists its sources. Payment deadline days are
//! plausible typical days, also provisional.

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

impl EmployerChoices {
    /// The base rate of industry class `class` (1 to 8).
    pub fn class_rate(&self, class: u8) -> Option<Decimal> {
        usize::from(class).checked_sub(1).and_then(|i| self.work_injury_class_rates.get(i)).copied()
    }

    /// The housing-fund rates an employer may choose: whole percentages inside the range.
    pub fn housing_fund_rates(&self) -> Vec<Decimal> {
        (1..=100)
            .map(|percent| Decimal::new(percent, 2))
            .filter(|rate| (self.housing_fund_rate_min..=self.housing_fund_rate_max).contains(rate))
            .collect()
    }
}

/// Where a policy row's figures come from: a notice or a secondary page, when it was read,
/// and what was taken from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    pub title: &'static str,
    /// The address; empty where none is known (a notice cited by its number only).
    pub url: &'static str,
    /// The day it was read, `YYYY-MM-DD`.
    pub checked: &'static str,
    /// An official notice (bureau or government) whose text was read; `false` for a
    /// secondary source or a notice cited without reading it.
    pub official: bool,
    /// What it says, and which figure was kept where sources disagree.
    pub note: &'static str,
}

/// A city's terms for a run of months. `effective_to` is inclusive; `None` means open-ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CityPolicy {
    pub city: City,
    pub effective_from: Period,
    pub effective_to: Option<Period>,
    /// Day of the month by which that month's contributions must be paid.
    pub deadline_day: u32,
    /// True until the figures are checked against an official notice (no source of the
    /// row is `official`).
    pub provisional: bool,
    /// Where the figures come from: the row's own sources first, then the city's.
    pub sources: Vec<Source>,
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
//
// Checked on 2026-12-01 with the stored copies of public material available to us: no
// official notice could be read (the stored web pages of news and HR sites carry their
// titles only), so every row below rests on secondary sources, public calculator code on
// GitHub and the figures reported in issue 8, and stays provisional. Where sources
// disagree, the row's note says which figure was kept and why. A figure with no source at
// all (carried over from the project's first data) says so in an `UNSOURCED` entry.

/// The day the sources below were read.
const CHECKED: &str = "2026-12-01";

/// A secondary source: `secondary!(title, address, what it says and what we took)`.
macro_rules! secondary {
    ($title:expr, $url:expr, $note:expr $(,)?) => {
        Source { title: $title, url: $url, checked: CHECKED, official: false, note: $note }
    };
}

/// Issue 8 reports figures from secondary sources it does not name; they are recorded as
/// one source so the row says where its figure came from.
const ISSUE_8: &str = "Issue 8「Policy data」所列二手资料（未注明出处）";

/// The figure was in the project's first data, and nothing we found confirms or refutes it.
const UNSOURCED: Source = secondary!(
    "未找到可核对的来源",
    "",
    "本行数字沿用项目初始数据（来源不明），未找到二手或官方资料核对；待官方通知核实",
);

/// What an open-ended row copied from the last recorded year says first.
const CARRIED_FORWARD: Source = secondary!(
    "沿用2025年度标准，待官方公布",
    "",
    "下一年度（2026年7月起）的标准在我们读到的资料中尚未公布，暂按2025年度计算；其余来源为2025年度的",
);

/// Base range in whole yuan.
type Range = (i64, i64);

/// One policy year (July `year` to June `year + 1`). Unemployment and work injury use the
/// pension range and maternity the medical range unless the row says otherwise.
struct YearRow {
    year: i32,
    pension: Range,
    medical: Range,
    unemployment: Range,
    work_injury: Range,
    fund: Range,
    /// What these figures were checked against; the row is provisional unless one of them
    /// is an official notice that was read.
    sources: &'static [Source],
}

const fn policy_year(
    year: i32,
    pension: Range,
    medical: Range,
    fund: Range,
    sources: &'static [Source],
) -> YearRow {
    YearRow {
        year,
        pension,
        medical,
        unemployment: pension,
        work_injury: pension,
        fund,
        sources,
    }
}

impl YearRow {
    /// Unemployment and work injury on their own range (Shenzhen, Guangzhou).
    const fn unemployment_and_work_injury(mut self, range: Range) -> YearRow {
        self.unemployment = range;
        self.work_injury = range;
        self
    }
}

/// Rates in basis points (1 bp = 0.01%), the employee fixed amount in fen.
#[derive(Clone, Copy)]
struct Rates {
    employer_bp: i64,
    /// The employer rate for an employee without local hukou, where the city sets one.
    employer_non_local_bp: Option<i64>,
    employee_bp: i64,
    employee_fixed_fen: i64,
    rounding: Rounding,
}

const fn rates(employer_bp: i64, employee_bp: i64, rounding: Rounding) -> Rates {
    Rates {
        employer_bp,
        employer_non_local_bp: None,
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

const NATIONAL_WORK_INJURY: Source = secondary!(
    "人社部 财政部《关于调整工伤保险费率政策的通知》（人社部发〔2015〕71号）",
    "",
    "八类行业基准费率0.2%、0.4%、0.7%、0.9%、1.1%、1.3%、1.6%、1.9%，各地可阶段性降低；原文未读（地址未核实），数字据通知的通行摘要",
);
const NATIONAL_FUND: Source = secondary!(
    "《住房公积金管理条例》第十八条；建设部等《关于住房公积金管理若干具体问题的指导意见》（建金〔2005〕5号）",
    "",
    "单位和职工缴存比例均不低于5%、原则上不高于12%；原文未读（地址未核实）",
);

struct CitySpec {
    city: City,
    deadline_day: u32,
    maternity_merged: bool,
    enrollment_closes_at_deadline: bool,
    /// Base work-injury rates of industry classes 1–8, in basis points.
    work_injury_class_bp: [i64; 8],
    /// The housing-fund rates an employer may choose, in basis points.
    fund_rate_bp: Range,
    /// Sources for what holds in every year: rates, the maternity merge, employer choices.
    sources: &'static [Source],
    /// Rates can change between policy years (e.g. Guangdong's move to a 16% pension rate).
    rates: fn(i32) -> CityRates,
    years: &'static [YearRow],
}

// --- Beijing -----------------------------------------------------------------------------

const BJ_LINIANHUI_2022: Source = secondary!(
    "linianhui/blog 个税计算器数据 src/tool/tax/insurances.js（“北京2022社保基数”）",
    "https://github.com/linianhui/blog/blob/3ab223fd6fe1554d1f3c8ed817d956c2cbb23a33/src/tool/tax/insurances.js",
    "北京2022：各险种基数5869–31884；单位医疗9%、生育0.8%分列（合计9.8%）；公积金上限31884。与本行一致",
);
const BJ_LINIANHUI_2024: Source = secondary!(
    "linianhui/blog 个税计算器数据 src/tool/tax/insurances.js（“北京2024/2025社保基数”）",
    "https://github.com/linianhui/blog/blob/master/src/tool/tax/insurances.js",
    "北京2024：6821–35283；北京2025：7162–35811；单位医疗9.8%、个人2%，另列生育0.8%。基数与本行一致；生育已并入医疗，9.8%按含生育计（另列的0.8%与2022年的9%+0.8%对照，应是未删的旧行）",
);
const BJ_JIABIN_2024: Source = secondary!(
    "jiabin-xu/salary-calculator src/data/provice.ts（各省社保、公积金基数表）",
    "https://github.com/jiabin-xu/salary-calculator/blob/b68b652a47bc5949f003811e153ec0cc29cd40d0/src/data/provice.ts",
    "北京社保6821–35283、公积金2420–35283（同表上海7384–36921，可知是2024年度）。与本行一致",
);
const BJ_RATES: Source = secondary!(
    "linianhui/blog 个税计算器数据 src/tool/tax/insurances.js",
    "https://github.com/linianhui/blog/blob/master/src/tool/tax/insurances.js",
    "费率：养老16%/8%，医疗9.8%（含生育）/2%+大额互助3元，失业0.5%/0.5%，工伤按行业（常见办公类0.4%），公积金12%/12%（可在5%–12%间选）。未找到北京阶段性降低工伤基准费率的资料，行业基准费率按全国标准。公积金下限为北京最低工资",
);

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

// --- Shanghai ----------------------------------------------------------------------------

const SH_CODE_2023: Source = secondary!(
    "GitHub 代码（索引未给出仓库名）：文件开头“All data based on Shanghai 2023-2024 standards”",
    "",
    "上海2023：社保基数7310–36549，公积金2690–36549、比例5%–7%；单位养老16%、医疗9.5%（注明含生育），个人8%/2%/失业0.5%。基数与本行一致；医疗由10%改为9.5%",
);
const SH_JIABIN_2024: Source = secondary!(
    "jiabin-xu/salary-calculator src/data/provice.ts（各省社保、公积金基数表）",
    "https://github.com/jiabin-xu/salary-calculator/blob/b68b652a47bc5949f003811e153ec0cc29cd40d0/src/data/provice.ts",
    "上海社保7384–36921、公积金2690–36921（2024年度）。与本行一致",
);
const SH_PY_2024: Source = secondary!(
    "GitHub 代码（索引未给出仓库名）：“中国社保计算器 - 2024年度最新参数”（Python）",
    "",
    "上海2024：上限36921、下限7384；“2025年度”：上限37302、下限7460。与本行一致",
);
const SH_ISSUE_2024: Source = secondary!(
    ISSUE_8,
    "",
    "上海2024：单位医疗9%（含生育）；金额四舍五入到分，不是向上取整到角。采用：2024年起医疗9%、社保按分四舍五入",
);
const SH_ZHAIYZ_ROUNDING: Source = secondary!(
    "zhaiyz/salarycalculator README（上海工资计算器，参数2018年4–6月）",
    "https://github.com/zhaiyz/salarycalculator/blob/master/README.md",
    "“养老保险，医疗保险，失业保险精确到角，见分进角；公积金精确到元，四舍五入”，引“上海市社保缴费基数‘四舍五入’‘见分进角’”（rrb365.com，2015）。与Issue 8所引2024年按分四舍五入不一致：较新的说法管2024年起，2023年及以前仍按见分进角；改变的确切时间不详",
);
const SH_RATES: Source = secondary!(
    "上海费率与取整：见各行来源",
    "",
    "单位医疗：2022年10%（无来源，沿用）、2023年9.5%、2024年起9%，均含生育；社保金额2023年及以前见分进角（zhaiyz/salarycalculator，2018年的说法），2024年起按分四舍五入（Issue 8）；公积金按元四舍五入（zhaiyz/salarycalculator）。公积金比例5%–7%（见2023年来源；另一计算器的用例“上海 · 标准（公积金上限 7%）”亦同）。工伤：行业基准费率按全国标准下调20%（0.16%–1.52%），与本项目原有的0.16%一致——这是推定，未找到上海的通知或摘要",
);

/// Shanghai's employer medical rate, maternity included (see `SH_RATES`).
fn shanghai_medical_bp(year: i32) -> i64 {
    match year {
        ..=2022 => 1000,
        2023 => 950,
        _ => 900,
    }
}

/// Shanghai rounds social insurance up to the jiao until 2023 and to the fen from 2024
/// (see `SH_RATES`), the housing fund to the yuan.
fn shanghai_rates(year: i32) -> CityRates {
    let social = if year >= 2024 { FenHalfUp } else { JiaoUp };
    [
        rates(1600, 800, social),
        rates(shanghai_medical_bp(year), 200, social),
        rates(50, 50, social),
        rates(16, 0, social),
        MERGED,
        rates(700, 700, YuanHalfUp),
    ]
}

/// National base rates lowered by 20% (see `SH_RATES`: an inference, not a notice).
const SHANGHAI_WORK_INJURY_CLASSES: [i64; 8] = [16, 32, 56, 72, 88, 104, 128, 152];

// --- Guangdong: Shenzhen and Guangzhou ---------------------------------------------------

const SZ_CODE_2025: Source = secondary!(
    "GitHub 代码（索引未给出仓库名）：深圳员工薪资测算页的 SHENZHEN_POLICY",
    "",
    "深圳2025-07至2026-06：养老4775–27549，单位16%、个人8%，本市户籍另计“地方补充养老”单位1%；失业2520–44265，单位0.8%、个人0.2%；公积金2520–44265，5%–12%；医疗6727–33633，一档单位6%、个人2%，生育单位0.5%（医疗、生育标为“2026年”）；工伤基数不低于2520，行业基准费率0.2%–1.4%（2024-07起）",
);
const SZ_ISSUE_2024: Source = secondary!(
    ISSUE_8,
    "",
    "深圳2024：养老3523–26421，单位深户16%、非深户15%；医疗6475–32376；失业2360–43659。采用：以上全部；工伤基数随失业；公积金范围推定同失业（2025年来源中两者相同），未找到2024年公积金的资料",
);
const SZ_2025_CHOICE: Source = secondary!(
    "深圳2025年度：取舍说明",
    "",
    "采用2025来源的养老、失业、公积金范围；医疗6727–33633与一档单位6%在来源中标为2026年，用于本行（2025-07至2026-06，其中2025年7–12月可能仍是旧标准）。原数据养老4588–28980、医疗7243–36213无来源，已替换",
);
const SZ_RATES: Source = secondary!(
    "深圳费率与户籍：见各行来源",
    "",
    "养老单位费率分户籍：非深户为广东基本养老单位费率，深户另加地方补充养老1%（2025来源），与Issue 8所引2024年深户16%/非深户15%一致。广东基本养老单位费率：2025年16%（2025来源）、2024年15%（Issue 8所引深圳非深户及广州）、2022–2023年14%（无来源，按逐年过渡推定；原数据2023年15%、2024年16%与两来源不符）。医疗一档单位5%（2024年及以前，无来源）、6%（2025年，见2025来源），生育单独0.5%；失业0.8%/0.2%。工伤：2025来源称行业基准费率0.2%–1.4%，但没有逐类数字，行业基准费率仍按全国标准。公积金5%–12%（2025来源）",
);
const GZ_ISSUE_2024: Source = secondary!(
    ISSUE_8,
    "",
    "广州2024：养老5284–26421，单位15%；医疗5996–29979，单位5.35%（含生育）；失业下限2300；公积金上限39579。采用：以上全部；失业、工伤上限未给出，按养老上限26421",
);
const GZ_JIABIN_2024: Source = secondary!(
    "jiabin-xu/salary-calculator src/data/provice.ts（各省社保、公积金基数表，2024年度）",
    "https://github.com/jiabin-xu/salary-calculator/blob/b68b652a47bc5949f003811e153ec0cc29cd40d0/src/data/provice.ts",
    "“广东”公积金1750–39579：上限与Issue 8一致（下限1750是省内较低的地区，广州保留2300）；“广东”社保4492–27501与Issue 8所引养老5284–26421不一致——这是省级口径而非广州，未采用",
);
const GZ_RATES: Source = secondary!(
    "广州费率：见各行来源",
    "",
    "养老单位：2024年15%（Issue 8），2025年16%（广东全省费率，见深圳2025来源），2022–2023年14%（无来源，推定）。医疗含生育单位：2024年起5.35%（Issue 8），2023年及以前6.35%（原数据为医疗与生育之和，无来源）。失业0.8%/0.2%、工伤常见类0.2%、公积金5%（无来源，沿用）。未找到广州阶段性降低工伤基准费率的资料，按全国标准；公积金5%–12%按全国标准",
);

/// Guangdong's employer pension rate (basic pension, without Shenzhen's local supplement),
/// moving up to the national 16% (see `SZ_RATES`).
fn guangdong_pension_bp(year: i32) -> i64 {
    match year {
        ..=2023 => 1400,
        2024 => 1500,
        _ => 1600,
    }
}

/// 深户 pay 地方补充养老保险 on top of the basic rate.
const SHENZHEN_LOCAL_SUPPLEMENT_BP: i64 = 100;

fn shenzhen_rates(year: i32) -> CityRates {
    let basic = guangdong_pension_bp(year);
    let mut pension = rates(basic + SHENZHEN_LOCAL_SUPPLEMENT_BP, 800, FenHalfUp);
    pension.employer_non_local_bp = Some(basic);
    let medical_bp = if year >= 2025 { 600 } else { 500 };
    [
        pension,
        rates(medical_bp, 200, FenHalfUp), // 一档医保
        rates(80, 20, FenHalfUp),
        rates(20, 0, FenHalfUp),
        rates(50, 0, FenHalfUp),
        rates(500, 500, FenHalfUp),
    ]
}

fn guangzhou_rates(year: i32) -> CityRates {
    let medical_bp = if year >= 2024 { 535 } else { 635 };
    [
        rates(guangdong_pension_bp(year), 800, FenHalfUp),
        rates(medical_bp, 200, FenHalfUp), // including maternity
        rates(80, 20, FenHalfUp),
        rates(20, 0, FenHalfUp),
        MERGED,
        rates(500, 500, YuanHalfUp),
    ]
}

// --- Hangzhou ----------------------------------------------------------------------------

const HZ_JIABIN_2024: Source = secondary!(
    "jiabin-xu/salary-calculator src/data/provice.ts（各省社保、公积金基数表，2024年度）",
    "https://github.com/jiabin-xu/salary-calculator/blob/b68b652a47bc5949f003811e153ec0cc29cd40d0/src/data/provice.ts",
    "“浙江”社保2950–24930：上限与本行一致，下限不一致（2950应是省内过渡期或其他地区的下限）；“浙江”公积金2070–31050与本行2280–39530不一致。均为省级口径而非杭州，本行保留原数字",
);
const HZ_RATES: Source = secondary!(
    "杭州费率：未找到来源",
    "",
    "养老16%/8%、医疗含生育9.5%/2%、失业0.5%/0.5%、工伤常见类0.2%、公积金12%/12%：均沿用原数据，未找到资料核对；杭州2021年的一份计算器数据（linianhui/blog）为医疗10.5%另生育1.2%，已过时。行业基准费率和公积金比例按全国标准",
);

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
        sources: &[BJ_RATES, NATIONAL_WORK_INJURY, NATIONAL_FUND],
        rates: beijing_rates,
        years: &[
            policy_year(2022, (5869, 31884), (5869, 31884), (2320, 31884), &[BJ_LINIANHUI_2022]),
            policy_year(2023, (6326, 33891), (6326, 33891), (2420, 33891), &[UNSOURCED]),
            policy_year(2024, (6821, 35283), (6821, 35283), (2420, 35283), &[BJ_LINIANHUI_2024, BJ_JIABIN_2024]),
            policy_year(2025, (7162, 35811), (7162, 35811), (2540, 35811), &[BJ_LINIANHUI_2024]),
        ],
    },
    CitySpec {
        city: City::Shanghai,
        deadline_day: 15,
        maternity_merged: true,
        enrollment_closes_at_deadline: false,
        work_injury_class_bp: SHANGHAI_WORK_INJURY_CLASSES,
        fund_rate_bp: (500, 700),
        sources: &[SH_RATES, SH_ISSUE_2024, SH_ZHAIYZ_ROUNDING, NATIONAL_WORK_INJURY],
        rates: shanghai_rates,
        years: &[
            policy_year(2022, (6520, 34188), (6520, 34188), (2590, 34188), &[UNSOURCED]),
            policy_year(2023, (7310, 36549), (7310, 36549), (2690, 36549), &[SH_CODE_2023]),
            policy_year(2024, (7384, 36921), (7384, 36921), (2690, 36921), &[SH_JIABIN_2024, SH_PY_2024, SH_ISSUE_2024]),
            policy_year(2025, (7460, 37302), (7460, 37302), (2740, 37302), &[SH_PY_2024]),
        ],
    },
    CitySpec {
        city: City::Shenzhen,
        deadline_day: 25,
        maternity_merged: false,
        enrollment_closes_at_deadline: true,
        work_injury_class_bp: NATIONAL_WORK_INJURY_CLASSES,
        fund_rate_bp: NATIONAL_FUND_RATES,
        sources: &[SZ_RATES, SZ_CODE_2025, SZ_ISSUE_2024, NATIONAL_WORK_INJURY],
        rates: shenzhen_rates,
        years: &[
            policy_year(2022, (2360, 25044), (6475, 32376), (2360, 38892), &[UNSOURCED]),
            policy_year(2023, (2360, 26421), (6727, 33636), (2360, 41190), &[UNSOURCED]),
            policy_year(2024, (3523, 26421), (6475, 32376), (2360, 43659), &[SZ_ISSUE_2024])
                .unemployment_and_work_injury((2360, 43659)),
            policy_year(2025, (4775, 27549), (6727, 33633), (2520, 44265), &[SZ_CODE_2025, SZ_2025_CHOICE])
                .unemployment_and_work_injury((2520, 44265)),
        ],
    },
    CitySpec {
        city: City::Guangzhou,
        deadline_day: 20,
        maternity_merged: true,
        enrollment_closes_at_deadline: false,
        work_injury_class_bp: NATIONAL_WORK_INJURY_CLASSES,
        fund_rate_bp: NATIONAL_FUND_RATES,
        sources: &[GZ_RATES, GZ_ISSUE_2024, NATIONAL_WORK_INJURY, NATIONAL_FUND],
        rates: guangzhou_rates,
        years: &[
            policy_year(2022, (3958, 22941), (5284, 26421), (2300, 38082), &[UNSOURCED]),
            policy_year(2023, (4492, 26421), (5563, 27813), (2300, 39432), &[UNSOURCED]),
            policy_year(2024, (5284, 26421), (5996, 29979), (2300, 39579), &[GZ_ISSUE_2024, GZ_JIABIN_2024])
                .unemployment_and_work_injury((2300, 26421)),
            policy_year(2025, (4588, 28980), (6003, 30015), (2500, 41460), &[UNSOURCED]),
        ],
    },
    CitySpec {
        city: City::Hangzhou,
        deadline_day: 20,
        maternity_merged: true,
        enrollment_closes_at_deadline: false,
        work_injury_class_bp: NATIONAL_WORK_INJURY_CLASSES,
        fund_rate_bp: NATIONAL_FUND_RATES,
        sources: &[HZ_RATES, NATIONAL_WORK_INJURY, NATIONAL_FUND],
        rates: hangzhou_rates,
        years: &[
            policy_year(2022, (3957, 19783), (3957, 19783), (2280, 35847), &[UNSOURCED]),
            policy_year(2023, (4462, 22311), (4462, 22311), (2280, 38390), &[UNSOURCED]),
            policy_year(2024, (4462, 24930), (4462, 24930), (2280, 39530), &[HZ_JIABIN_2024]),
            policy_year(2025, (4812, 25602), (4812, 25602), (2490, 41018), &[UNSOURCED]),
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
            let last_year = year_policy(spec, last);
            all.push(CityPolicy {
                effective_from: Period::new(last.year + 1, 7).expect("valid data"),
                effective_to: None,
                provisional: true,
                sources: std::iter::once(CARRIED_FORWARD).chain(last_year.sources.iter().cloned()).collect(),
                ..last_year
            });
        }
    }
    all
}

fn decimal_rate(bp: i64) -> Decimal {
    Decimal::new(bp, 4).normalize()
}

fn year_policy(spec: &CitySpec, row: &YearRow) -> CityPolicy {
    let rates = (spec.rates)(row.year);
    let lines = InsuranceType::ALL
        .into_iter()
        .zip(rates)
        .filter(|(insurance_type, _)| !(spec.maternity_merged && *insurance_type == InsuranceType::Maternity))
        .map(|(insurance_type, r)| {
            let (min, max) = match insurance_type {
                InsuranceType::Pension => row.pension,
                InsuranceType::Unemployment => row.unemployment,
                InsuranceType::WorkInjury => row.work_injury,
                InsuranceType::Medical | InsuranceType::Maternity => row.medical,
                InsuranceType::HousingFund => row.fund,
            };
            PolicyLine {
                insurance_type,
                base_min: Decimal::new(min * 100, 2),
                base_max: Decimal::new(max * 100, 2),
                employer_rate: decimal_rate(r.employer_bp),
                employer_rate_non_local: r.employer_non_local_bp.map(decimal_rate),
                employee_rate: decimal_rate(r.employee_bp),
                employer_fixed: Decimal::new(0, 2),
                employee_fixed: Decimal::new(r.employee_fixed_fen, 2),
                rounding: r.rounding,
            }
        })
        .collect();
    let mut sources: Vec<Source> = Vec::new();
    for source in row.sources.iter().chain(spec.sources) {
        if !sources.contains(source) {
            sources.push(source.clone());
        }
    }
    CityPolicy {
        city: spec.city,
        effective_from: Period::new(row.year, 7).expect("valid data"),
        effective_to: Period::new(row.year + 1, 6),
        deadline_day: spec.deadline_day,
        provisional: !row.sources.iter().any(|s| s.official),
        sources,
        maternity_merged: spec.maternity_merged,
        enrollment_closes_at_deadline: spec.enrollment_closes_at_deadline,
        employer_choices: EmployerChoices {
            work_injury_class_rates: spec.work_injury_class_bp.map(decimal_rate),
            housing_fund_rate_min: decimal_rate(spec.fund_rate_bp.0),
            housing_fund_rate_max: decimal_rate(spec.fund_rate_bp.1),
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
    fn shanghai_rounds_to_the_fen_from_2024_and_merges_maternity() {
        let policy = policy_for(City::Shanghai, p("2024-07")).unwrap();
        let pension = policy.line(InsuranceType::Pension).unwrap();
        assert_eq!(pension.rounding, Rounding::FenHalfUp);
        assert_eq!(pension.base_min.to_string(), "7384.00");
        assert_eq!(pension.base_max.to_string(), "36921.00");
        assert_eq!(
            policy.line(InsuranceType::HousingFund).unwrap().rounding,
            Rounding::YuanHalfUp
        );
        // Employer medical 9% with maternity in it from 2024; 9.5% in 2023.
        assert!(policy.maternity_merged && policy.line(InsuranceType::Maternity).is_none());
        assert_eq!(policy.line(InsuranceType::Medical).unwrap().employer_rate.to_string(), "0.09");
        let y2023 = policy_for(City::Shanghai, p("2023-07")).unwrap();
        assert_eq!(y2023.line(InsuranceType::Medical).unwrap().employer_rate.to_string(), "0.095");
        assert_eq!(y2023.line(InsuranceType::Pension).unwrap().base_min.to_string(), "7310.00");
        for policy in policies(City::Shanghai) {
            let expected = if policy.effective_from >= p("2024-07") { Rounding::FenHalfUp } else { Rounding::JiaoUp };
            for line in policy.lines.iter().filter(|l| l.insurance_type.is_social_insurance()) {
                assert_eq!(line.rounding, expected, "{} {:?}", policy.effective_from, line.insurance_type);
            }
        }
        let choices = &policy.employer_choices;
        assert_eq!(
            (choices.housing_fund_rate_min.to_string(), choices.housing_fund_rate_max.to_string()),
            ("0.05".into(), "0.07".into())
        );
        // The office-class work-injury rate of the lines is the first class's base rate.
        assert_eq!(choices.work_injury_class_rates[0], policy.line(InsuranceType::WorkInjury).unwrap().employer_rate);
    }

    #[test]
    fn shenzhen_2024_figures_and_hukou_split() {
        let policy = policy_for(City::Shenzhen, p("2024-08")).unwrap();
        let range = |t: InsuranceType| {
            let line = policy.line(t).unwrap();
            (line.base_min.to_string(), line.base_max.to_string())
        };
        assert_eq!(range(InsuranceType::Pension), ("3523.00".into(), "26421.00".into()));
        assert_eq!(range(InsuranceType::Medical), ("6475.00".into(), "32376.00".into()));
        assert_eq!(range(InsuranceType::Maternity), ("6475.00".into(), "32376.00".into()));
        assert_eq!(range(InsuranceType::Unemployment), ("2360.00".into(), "43659.00".into()));
        assert_eq!(range(InsuranceType::WorkInjury), ("2360.00".into(), "43659.00".into()));
        let pension = policy.line(InsuranceType::Pension).unwrap();
        assert_eq!(pension.employer_rate_for(Hukou::Local).to_string(), "0.16");
        assert_eq!(pension.employer_rate_for(Hukou::NonLocal).to_string(), "0.15");
        assert_eq!(pension.employee_rate.to_string(), "0.08");
        // 2025: basic 16%, 深户 17% with the local supplement.
        let y2025 = policy_for(City::Shenzhen, p("2025-07")).unwrap().line(InsuranceType::Pension).unwrap();
        assert_eq!((y2025.base_min.to_string(), y2025.base_max.to_string()), ("4775.00".into(), "27549.00".into()));
        assert_eq!(
            (y2025.employer_rate_for(Hukou::Local).to_string(), y2025.employer_rate_for(Hukou::NonLocal).to_string()),
            ("0.17".into(), "0.16".into())
        );
        // Only Shenzhen's pension differs by hukou.
        for policy in POLICIES.iter() {
            for line in &policy.lines {
                let split = policy.city == City::Shenzhen && line.insurance_type == InsuranceType::Pension;
                assert_eq!(line.employer_rate_non_local.is_some(), split, "{:?} {:?}", policy.city, line.insurance_type);
                if let Some(non_local) = line.employer_rate_non_local {
                    assert!(non_local < line.employer_rate);
                }
            }
        }
    }

    #[test]
    fn guangzhou_2024_figures() {
        let policy = policy_for(City::Guangzhou, p("2025-01")).unwrap();
        let line = |t: InsuranceType| policy.line(t).unwrap();
        assert_eq!(line(InsuranceType::Pension).base_min.to_string(), "5284.00");
        assert_eq!(line(InsuranceType::Pension).employer_rate.to_string(), "0.15");
        assert_eq!(line(InsuranceType::Medical).base_max.to_string(), "29979.00");
        assert_eq!(line(InsuranceType::Medical).employer_rate.to_string(), "0.0535");
        assert_eq!(line(InsuranceType::Unemployment).base_min.to_string(), "2300.00");
        assert_eq!(line(InsuranceType::HousingFund).base_max.to_string(), "39579.00");
        assert!(policy.line(InsuranceType::Maternity).is_none());
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
            assert!(last.provisional);
            assert_eq!(last.sources[0], CARRIED_FORWARD);
            assert_eq!(last.sources[1..], list[3].sources[..]);
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
            assert!(!policy.sources.is_empty(), "{:?} {}", policy.city, policy.effective_from);
            for source in &policy.sources {
                assert!(!source.title.is_empty() && !source.note.is_empty(), "{source:?}");
                let d = source.checked.as_bytes();
                assert!(d.len() == 10 && d[4] == b'-' && d[7] == b'-', "{source:?}");
                assert!(source.url.is_empty() || source.url.starts_with("https://"), "{source:?}");
            }
            // Nothing was checked against an official notice yet.
            assert_eq!(policy.provisional, !policy.sources.iter().any(|s| s.official));
            assert!(policy.provisional);
            // Merged cities have no maternity line.
            assert_eq!(policy.line(InsuranceType::Maternity).is_none(), policy.maternity_merged);
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
        assert_eq!(json["lines"][0]["rounding"], "fen_half_up");
        assert_eq!(json["lines"][0]["base_min"], "7460.00");
        assert_eq!(json["provisional"], true);
        assert_eq!(json["sources"][0]["title"], CARRIED_FORWARD.title);
        assert_eq!(json["sources"][0]["checked"], "2026-12-01");
        assert_eq!(json["sources"][0]["official"], false);
        let sz = serde_json::to_value(policy_for(City::Shenzhen, p("2024-07")).unwrap()).unwrap();
        assert_eq!(sz["lines"][0]["employer_rate"], "0.16");
        assert_eq!(sz["lines"][0]["employer_rate_non_local"], "0.15");
        assert_eq!(sz["lines"][1]["employer_rate_non_local"], serde_json::Value::Null);
    }
}
