//! China's working-day calendar: weekends, public holidays and the make-up working days
//! (调休上班) the State Council publishes each year, as data with its source.
//!
//! A payment deadline that falls on a day off moves to the next working day, and the
//! bureau's revocation window is counted in working days, so a wrong day here shifts a
//! deadline. Each year below was typed from the State Council General Office's notice
//! (国务院办公厅关于YYYY年部分节假日安排的通知) and checked against copies of it
//! (政府网站, 新华社 and 人民日报 reprints) on 2026-12-01. A year with no notice recorded is
//! *provisional*: only weekends and the fixed-date public holidays of 《全国年节及纪念日放假办法》
//! are counted (1 January; 1 May, and since 2025 also 2 May; 1–3 October). The lunar
//! holidays (Spring Festival, Qingming, Dragon Boat, Mid-Autumn) and the make-up days are
//! unknown until the notice appears, so a provisional date is flagged wherever it is shown.

use chrono::{DateTime, Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// A public holiday as the notices name it. Two notices merged Mid-Autumn with National Day
/// and wrote them in different orders; both are kept as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Holiday {
    NewYear,
    SpringFestival,
    Qingming,
    LabourDay,
    DragonBoat,
    MidAutumn,
    NationalDay,
    /// "中秋节、国庆节" (2023).
    MidAutumnAndNationalDay,
    /// "国庆节、中秋节" (2025).
    NationalDayAndMidAutumn,
}

impl Holiday {
    pub fn name(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Holiday::NewYear => ("元旦", "New Year's Day"),
            Holiday::SpringFestival => ("春节", "Spring Festival"),
            Holiday::Qingming => ("清明节", "Qingming Festival"),
            Holiday::LabourDay => ("劳动节", "Labour Day"),
            Holiday::DragonBoat => ("端午节", "Dragon Boat Festival"),
            Holiday::MidAutumn => ("中秋节", "Mid-Autumn Festival"),
            Holiday::NationalDay => ("国庆节", "National Day"),
            Holiday::MidAutumnAndNationalDay => ("中秋节、国庆节", "Mid-Autumn Festival and National Day"),
            Holiday::NationalDayAndMidAutumn => ("国庆节、中秋节", "National Day and Mid-Autumn Festival"),
        };
        lang.pick(zh, en)
    }
}

/// Where a year's arrangement comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Source {
    pub title: &'static str,
    /// The notice's number (文号), where it was read.
    pub document_no: Option<&'static str>,
    /// The notice in the State Council's policy library on gov.cn.
    pub url: &'static str,
    pub published: NaiveDate,
    /// When these dates were last checked against the notice.
    pub checked: NaiveDate,
}

/// Consecutive days off for one holiday (放假调休), both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DaysOff {
    pub holiday: Holiday,
    pub first: NaiveDate,
    pub last: NaiveDate,
}

/// A Saturday or Sunday that is a working day (调休上班), and the holiday it pays for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MakeUpDay {
    pub date: NaiveDate,
    pub holiday: Holiday,
}

/// One year's arrangement as the State Council published it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Arrangement {
    pub year: i32,
    pub source: Source,
    pub days_off: &'static [DaysOff],
    pub make_up_days: &'static [MakeUpDay],
}

/// Why a day is not a working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "holiday")]
pub enum DayOff {
    Holiday(Holiday),
    Saturday,
    Sunday,
}

impl DayOff {
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            DayOff::Holiday(h) => h.name(lang),
            DayOff::Saturday => lang.pick("周六", "Saturday"),
            DayOff::Sunday => lang.pick("周日", "Sunday"),
        }
    }
}

/// What kind of day a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DayKind {
    /// Monday to Friday, no holiday.
    Working,
    /// A Saturday or Sunday worked in exchange for `Holiday`'s days off.
    MakeUpWorkday(Holiday),
    Off(DayOff),
}

// ---------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------

const fn d(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("invalid date in the holiday calendar"),
    }
}

const fn off(holiday: Holiday, first: NaiveDate, last: NaiveDate) -> DaysOff {
    DaysOff { holiday, first, last }
}

const fn work(holiday: Holiday, date: NaiveDate) -> MakeUpDay {
    MakeUpDay { date, holiday }
}

const CHECKED: NaiveDate = d(2026, 12, 1);

use Holiday::*;

/// The published years, oldest first. A notice can reach into the year before (2023's
/// New Year holiday starts on 2022-12-31).
pub static ARRANGEMENTS: [Arrangement; 5] = [
    Arrangement {
        year: 2022,
        source: Source {
            title: "国务院办公厅关于2022年部分节假日安排的通知",
            document_no: Some("国办发明电〔2021〕11号"),
            url: "https://www.gov.cn/zhengce/zhengceku/2021-10/25/content_5644835.htm",
            published: d(2021, 10, 25),
            checked: CHECKED,
        },
        days_off: &[
            off(NewYear, d(2022, 1, 1), d(2022, 1, 3)),
            off(SpringFestival, d(2022, 1, 31), d(2022, 2, 6)),
            off(Qingming, d(2022, 4, 3), d(2022, 4, 5)),
            off(LabourDay, d(2022, 4, 30), d(2022, 5, 4)),
            off(DragonBoat, d(2022, 6, 3), d(2022, 6, 5)),
            off(MidAutumn, d(2022, 9, 10), d(2022, 9, 12)),
            off(NationalDay, d(2022, 10, 1), d(2022, 10, 7)),
        ],
        make_up_days: &[
            work(SpringFestival, d(2022, 1, 29)),
            work(SpringFestival, d(2022, 1, 30)),
            work(Qingming, d(2022, 4, 2)),
            work(LabourDay, d(2022, 4, 24)),
            work(LabourDay, d(2022, 5, 7)),
            work(NationalDay, d(2022, 10, 8)),
            work(NationalDay, d(2022, 10, 9)),
        ],
    },
    Arrangement {
        year: 2023,
        source: Source {
            title: "国务院办公厅关于2023年部分节假日安排的通知",
            document_no: Some("国办发明电〔2022〕16号"),
            url: "https://www.gov.cn/zhengce/zhengceku/2022-12/08/content_5730844.htm",
            published: d(2022, 12, 8),
            checked: CHECKED,
        },
        days_off: &[
            off(NewYear, d(2022, 12, 31), d(2023, 1, 2)),
            off(SpringFestival, d(2023, 1, 21), d(2023, 1, 27)),
            off(Qingming, d(2023, 4, 5), d(2023, 4, 5)),
            off(LabourDay, d(2023, 4, 29), d(2023, 5, 3)),
            off(DragonBoat, d(2023, 6, 22), d(2023, 6, 24)),
            off(MidAutumnAndNationalDay, d(2023, 9, 29), d(2023, 10, 6)),
        ],
        make_up_days: &[
            work(SpringFestival, d(2023, 1, 28)),
            work(SpringFestival, d(2023, 1, 29)),
            work(LabourDay, d(2023, 4, 23)),
            work(LabourDay, d(2023, 5, 6)),
            work(DragonBoat, d(2023, 6, 25)),
            work(MidAutumnAndNationalDay, d(2023, 10, 7)),
            work(MidAutumnAndNationalDay, d(2023, 10, 8)),
        ],
    },
    Arrangement {
        year: 2024,
        source: Source {
            title: "国务院办公厅关于2024年部分节假日安排的通知",
            document_no: Some("国办发明电〔2023〕7号"),
            url: "https://www.gov.cn/zhengce/zhengceku/202310/content_6911528.htm",
            published: d(2023, 10, 25),
            checked: CHECKED,
        },
        // New Year and Dragon Boat: one day each, "与周末连休". New Year's Eve (9 February) is
        // only recommended as a day off: officially a working day.
        days_off: &[
            off(NewYear, d(2024, 1, 1), d(2024, 1, 1)),
            off(SpringFestival, d(2024, 2, 10), d(2024, 2, 17)),
            off(Qingming, d(2024, 4, 4), d(2024, 4, 6)),
            off(LabourDay, d(2024, 5, 1), d(2024, 5, 5)),
            off(DragonBoat, d(2024, 6, 10), d(2024, 6, 10)),
            off(MidAutumn, d(2024, 9, 15), d(2024, 9, 17)),
            off(NationalDay, d(2024, 10, 1), d(2024, 10, 7)),
        ],
        make_up_days: &[
            work(SpringFestival, d(2024, 2, 4)),
            work(SpringFestival, d(2024, 2, 18)),
            work(Qingming, d(2024, 4, 7)),
            work(LabourDay, d(2024, 4, 28)),
            work(LabourDay, d(2024, 5, 11)),
            work(MidAutumn, d(2024, 9, 14)),
            work(NationalDay, d(2024, 9, 29)),
            work(NationalDay, d(2024, 10, 12)),
        ],
    },
    Arrangement {
        year: 2025,
        // The first year under the November 2024 revision of 《全国年节及纪念日放假办法》:
        // one more day each for Spring Festival (from New Year's Eve) and Labour Day.
        source: Source {
            title: "国务院办公厅关于2025年部分节假日安排的通知",
            document_no: Some("国办发明电〔2024〕12号"),
            url: "https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm",
            published: d(2024, 11, 12),
            checked: CHECKED,
        },
        days_off: &[
            off(NewYear, d(2025, 1, 1), d(2025, 1, 1)),
            off(SpringFestival, d(2025, 1, 28), d(2025, 2, 4)),
            off(Qingming, d(2025, 4, 4), d(2025, 4, 6)),
            off(LabourDay, d(2025, 5, 1), d(2025, 5, 5)),
            off(DragonBoat, d(2025, 5, 31), d(2025, 6, 2)),
            off(NationalDayAndMidAutumn, d(2025, 10, 1), d(2025, 10, 8)),
        ],
        make_up_days: &[
            work(SpringFestival, d(2025, 1, 26)),
            work(SpringFestival, d(2025, 2, 8)),
            work(LabourDay, d(2025, 4, 27)),
            work(NationalDayAndMidAutumn, d(2025, 9, 28)),
            work(NationalDayAndMidAutumn, d(2025, 10, 11)),
        ],
    },
    Arrangement {
        year: 2026,
        source: Source {
            title: "国务院办公厅关于2026年部分节假日安排的通知",
            document_no: None,
            url: "https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm",
            published: d(2025, 11, 4),
            checked: CHECKED,
        },
        days_off: &[
            off(NewYear, d(2026, 1, 1), d(2026, 1, 3)),
            off(SpringFestival, d(2026, 2, 15), d(2026, 2, 23)),
            off(Qingming, d(2026, 4, 4), d(2026, 4, 6)),
            off(LabourDay, d(2026, 5, 1), d(2026, 5, 5)),
            off(DragonBoat, d(2026, 6, 19), d(2026, 6, 21)),
            off(MidAutumn, d(2026, 9, 25), d(2026, 9, 27)),
            off(NationalDay, d(2026, 10, 1), d(2026, 10, 7)),
        ],
        make_up_days: &[
            work(NewYear, d(2026, 1, 4)),
            work(SpringFestival, d(2026, 2, 14)),
            work(SpringFestival, d(2026, 2, 28)),
            work(LabourDay, d(2026, 5, 9)),
            work(NationalDay, d(2026, 9, 20)),
            work(NationalDay, d(2026, 10, 10)),
        ],
    },
];

// ---------------------------------------------------------------------------------------
// Lookups
// ---------------------------------------------------------------------------------------

/// The published arrangement for `year`, if one is recorded.
pub fn arrangement(year: i32) -> Option<&'static Arrangement> {
    ARRANGEMENTS.iter().find(|a| a.year == year)
}

/// Where `year`'s days off come from; `None` for a provisional year.
pub fn source(year: i32) -> Option<&'static Source> {
    arrangement(year).map(|a| &a.source)
}

/// True when no notice is recorded for `year`: its lunar holidays and make-up days are
/// unknown, and only weekends and fixed-date holidays are counted.
pub fn provisional(year: i32) -> bool {
    arrangement(year).is_none()
}

/// The fixed-date public holidays of 《全国年节及纪念日放假办法》, for years with no notice.
fn fixed_date_holiday(date: NaiveDate) -> Option<Holiday> {
    match (date.month(), date.day()) {
        (1, 1) => Some(NewYear),
        (5, 1) => Some(LabourDay),
        (5, 2) if date.year() >= 2025 => Some(LabourDay),
        (10, 1..=3) => Some(NationalDay),
        _ => None,
    }
}

/// The holiday `date` is a day off for (a holiday on a weekend counts as the holiday).
pub fn holiday(date: NaiveDate) -> Option<Holiday> {
    // A notice can cover the last day of the year before, so both are consulted.
    let published = ARRANGEMENTS
        .iter()
        .filter(|a| a.year == date.year() || a.year == date.year() + 1)
        .flat_map(|a| a.days_off)
        .find(|r| r.first <= date && date <= r.last)
        .map(|r| r.holiday);
    if published.is_some() || !provisional(date.year()) {
        return published;
    }
    fixed_date_holiday(date)
}

fn make_up_day(date: NaiveDate) -> Option<Holiday> {
    arrangement(date.year())?
        .make_up_days
        .iter()
        .find(|m| m.date == date)
        .map(|m| m.holiday)
}

/// What kind of day `date` is in China.
pub fn day_kind(date: NaiveDate) -> DayKind {
    if let Some(h) = make_up_day(date) {
        return DayKind::MakeUpWorkday(h);
    }
    if let Some(h) = holiday(date) {
        return DayKind::Off(DayOff::Holiday(h));
    }
    match date.weekday() {
        Weekday::Sat => DayKind::Off(DayOff::Saturday),
        Weekday::Sun => DayKind::Off(DayOff::Sunday),
        _ => DayKind::Working,
    }
}

/// Why `date` is not a working day; `None` on a working day.
pub fn day_off(date: NaiveDate) -> Option<DayOff> {
    match day_kind(date) {
        DayKind::Off(reason) => Some(reason),
        DayKind::Working | DayKind::MakeUpWorkday(_) => None,
    }
}

pub fn is_working_day(date: NaiveDate) -> bool {
    day_off(date).is_none()
}

/// `date` if it is a working day, else the first working day after it. The longest run of
/// days off so far is nine (Spring Festival 2026).
pub fn next_working_day_on_or_after(date: NaiveDate) -> NaiveDate {
    let mut day = date;
    while !is_working_day(day) {
        match day.succ_opt() {
            Some(next) => day = next,
            None => return day,
        }
    }
    day
}

/// The `n`-th working day after `date` (`date` itself is not counted; `n = 0` is `date`).
pub fn add_working_days(date: NaiveDate, n: u32) -> NaiveDate {
    let mut day = date;
    for _ in 0..n {
        match day.succ_opt() {
            Some(next) => day = next_working_day_on_or_after(next),
            None => return day,
        }
    }
    day
}

// ---------------------------------------------------------------------------------------
// China time (UTC+8 all year: China has no daylight saving time)
// ---------------------------------------------------------------------------------------

const CHINA_OFFSET_MS: i64 = 8 * 60 * 60 * 1000;

/// The date in China at `ms` milliseconds since the epoch.
pub fn china_date(ms: i64) -> Option<NaiveDate> {
    DateTime::from_timestamp_millis(ms.checked_add(CHINA_OFFSET_MS)?).map(|t| t.date_naive())
}

/// The last millisecond of `date` in China, since the epoch.
pub fn china_day_end_ms(date: NaiveDate) -> i64 {
    let next = date.checked_add_days(Days::new(1)).unwrap_or(date);
    let midnight = next.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc();
    midnight.timestamp_millis() - CHINA_OFFSET_MS - 1
}

// ---------------------------------------------------------------------------------------
// Due dates
// ---------------------------------------------------------------------------------------

/// A payment deadline: the policy's day of the month, moved to the next working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    /// The day the policy names (clamped to the month's end).
    pub nominal: NaiveDate,
    /// The day it is actually due: `nominal`, or the next working day after it.
    pub date: NaiveDate,
    /// Why it moved; `None` when `nominal` is a working day.
    pub moved_for: Option<DayOff>,
    /// The move rests on a year with no published holiday arrangement.
    pub provisional_calendar: bool,
}

impl Due {
    /// The deadline for a payment the policy says is due on `nominal`.
    pub fn on(nominal: NaiveDate) -> Due {
        let date = next_working_day_on_or_after(nominal);
        Due {
            nominal,
            date,
            moved_for: day_off(nominal),
            provisional_calendar: provisional(nominal.year()) || provisional(date.year()),
        }
    }

    pub fn moved(&self) -> bool {
        self.date != self.nominal
    }

    /// "截止日 2024-10-01（国庆节）顺延至 2024-10-08", or "Due 2024-10-08" when it did not move,
    /// with a note when the year's holidays are not published yet.
    pub fn explain(&self, lang: Lang) -> String {
        let mut text = match (self.moved_for, lang) {
            (Some(why), Lang::Zh) => format!(
                "截止日 {}（{}）顺延至 {}",
                self.nominal,
                why.name(lang),
                self.date
            ),
            (Some(why), Lang::En) => format!(
                "Due {} ({}) moves to {}",
                self.nominal,
                why.name(lang),
                self.date
            ),
            (None, Lang::Zh) => format!("截止日 {}", self.date),
            (None, Lang::En) => format!("Due {}", self.date),
        };
        if self.provisional_calendar {
            text.push_str(lang.pick(
                "（当年节假日安排尚未公布，只按周末和固定日期节日计算）",
                " (that year's holidays are not published yet: only weekends and fixed-date holidays are counted)",
            ));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::test_date;
    use crate::period::Period;
    use crate::policy::{policy_for, City};
    use proptest::prelude::*;

    fn range(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
        from.iter_days().take_while(move |day| *day <= to)
    }

    #[test]
    fn national_day_2024_and_its_make_up_saturday() {
        for day in range(test_date(2024, 10, 1), test_date(2024, 10, 7)) {
            assert_eq!(day_kind(day), DayKind::Off(DayOff::Holiday(NationalDay)), "{day}");
        }
        assert!(is_working_day(test_date(2024, 10, 8)));
        // Saturday 12 October and Sunday 29 September were worked for it.
        assert_eq!(day_kind(test_date(2024, 10, 12)), DayKind::MakeUpWorkday(NationalDay));
        assert!(is_working_day(test_date(2024, 9, 29)));
        assert!(!is_working_day(test_date(2024, 10, 13)), "an ordinary Sunday");
        assert_eq!(next_working_day_on_or_after(test_date(2024, 10, 1)), test_date(2024, 10, 8));
        assert_eq!(holiday(test_date(2024, 10, 5)).map(|h| h.name(Lang::Zh)), Some("国庆节"));
        assert_eq!(holiday(test_date(2024, 10, 5)).map(|h| h.name(Lang::En)), Some("National Day"));
    }

    #[test]
    fn spring_festival_2025_under_the_new_rules() {
        // Eight days from New Year's Eve; Sunday 26 January and Saturday 8 February worked.
        assert!(is_working_day(test_date(2025, 1, 26)));
        assert!(is_working_day(test_date(2025, 1, 27)));
        for day in range(test_date(2025, 1, 28), test_date(2025, 2, 4)) {
            assert_eq!(holiday(day), Some(SpringFestival), "{day}");
            assert!(!is_working_day(day), "{day}");
        }
        assert!(is_working_day(test_date(2025, 2, 5)));
        assert!(is_working_day(test_date(2025, 2, 8)));
        assert!(!is_working_day(test_date(2025, 2, 9)));
        // Labour Day is five days with one make-up Sunday; National Day and Mid-Autumn eight.
        assert!(!is_working_day(test_date(2025, 5, 5)));
        assert!(is_working_day(test_date(2025, 4, 27)));
        assert_eq!(holiday(test_date(2025, 10, 8)), Some(NationalDayAndMidAutumn));
        assert_eq!(day_kind(test_date(2025, 10, 11)), DayKind::MakeUpWorkday(NationalDayAndMidAutumn));
    }

    #[test]
    fn a_notice_reaches_into_the_year_before() {
        assert_eq!(holiday(test_date(2022, 12, 31)), Some(NewYear));
        assert_eq!(holiday(test_date(2023, 1, 2)), Some(NewYear));
        assert!(is_working_day(test_date(2023, 1, 3)));
        // 2024: only New Year's Day itself, next to the weekend; New Year's Eve is worked.
        assert_eq!(holiday(test_date(2023, 12, 31)), None);
        assert_eq!(day_off(test_date(2023, 12, 31)), Some(DayOff::Sunday));
        assert!(is_working_day(test_date(2024, 2, 9)));
    }

    #[test]
    fn the_2026_notice() {
        assert!(is_working_day(test_date(2026, 1, 4)), "Sunday 4 January is worked");
        assert_eq!(next_working_day_on_or_after(test_date(2026, 2, 15)), test_date(2026, 2, 24));
        assert!(is_working_day(test_date(2026, 2, 14)) && is_working_day(test_date(2026, 2, 28)));
        assert!(is_working_day(test_date(2026, 9, 20)) && is_working_day(test_date(2026, 10, 10)));
        assert_eq!(holiday(test_date(2026, 9, 25)), Some(MidAutumn));
        assert!(!provisional(2026));
        assert_eq!(source(2026).unwrap().published, test_date(2025, 11, 4));
    }

    #[test]
    fn unpublished_years_count_weekends_and_fixed_holidays_only() {
        assert!(provisional(2027) && provisional(2030) && provisional(2021));
        assert!(source(2027).is_none());
        assert_eq!(holiday(test_date(2027, 1, 1)), Some(NewYear));
        assert_eq!(holiday(test_date(2027, 5, 2)), Some(LabourDay), "two days since 2025");
        assert_eq!(holiday(test_date(2021, 5, 2)), None, "one day before 2025");
        assert_eq!(holiday(test_date(2027, 10, 3)), Some(NationalDay));
        assert_eq!(holiday(test_date(2027, 10, 4)), None);
        // 2027-02-08 would be in Spring Festival, which nobody has scheduled yet.
        assert!(is_working_day(test_date(2027, 2, 8)));
        let due = Due::on(test_date(2027, 10, 1));
        assert_eq!(due.date, test_date(2027, 10, 4));
        assert!(due.provisional_calendar);
        assert!(due.explain(Lang::Zh).ends_with("（当年节假日安排尚未公布，只按周末和固定日期节日计算）"));
    }

    #[test]
    fn working_days_are_added_over_weekends_and_holidays() {
        let friday = test_date(2024, 9, 27);
        // Sunday 29 September is a make-up day, then the National Day week.
        assert_eq!(add_working_days(friday, 1), test_date(2024, 9, 29));
        assert_eq!(add_working_days(friday, 2), test_date(2024, 9, 30));
        assert_eq!(add_working_days(friday, 3), test_date(2024, 10, 8));
        assert_eq!(add_working_days(friday, 0), friday);
        assert_eq!(add_working_days(test_date(2024, 10, 3), 1), test_date(2024, 10, 8));
    }

    #[test]
    fn due_dates_explain_themselves() {
        let due = Due::on(test_date(2024, 10, 1));
        assert_eq!(due.date, test_date(2024, 10, 8));
        assert_eq!(due.explain(Lang::Zh), "截止日 2024-10-01（国庆节）顺延至 2024-10-08");
        assert_eq!(due.explain(Lang::En), "Due 2024-10-01 (National Day) moves to 2024-10-08");
        let weekend = Due::on(test_date(2024, 8, 25));
        assert_eq!(weekend.moved_for, Some(DayOff::Sunday));
        assert_eq!(weekend.explain(Lang::Zh), "截止日 2024-08-25（周日）顺延至 2024-08-26");
        let on_time = Due::on(test_date(2024, 8, 26));
        assert!(!on_time.moved() && !on_time.provisional_calendar);
        assert_eq!(on_time.explain(Lang::En), "Due 2024-08-26");
        let json = serde_json::to_value(weekend).unwrap();
        assert_eq!(json["moved_for"], serde_json::json!({"kind": "sunday"}));
        assert_eq!(serde_json::from_value::<Due>(json).unwrap(), weekend);
    }

    #[test]
    fn a_due_date_on_a_holiday() {
        let p = |s| Period::parse(s).unwrap();
        // Shanghai's 15th fell in the 2024 Spring Festival; it moves to the make-up Sunday.
        let shanghai = policy_for(City::Shanghai, p("2024-02")).unwrap();
        let due = shanghai.due(p("2024-02"));
        assert_eq!((due.nominal, due.date), (test_date(2024, 2, 15), test_date(2024, 2, 18)));
        assert_eq!(due.moved_for, Some(DayOff::Holiday(SpringFestival)));
        assert_eq!(shanghai.due_date(p("2024-02")), test_date(2024, 2, 18));
        assert_eq!(due.explain(Lang::Zh), "截止日 2024-02-15（春节）顺延至 2024-02-18");
        // Guangzhou's 20th in the 2026 Spring Festival waits until it ends.
        let guangzhou = policy_for(City::Guangzhou, p("2026-02")).unwrap();
        assert_eq!(guangzhou.due_date(p("2026-02")), test_date(2026, 2, 24));
        assert_eq!(
            guangzhou.due(p("2026-02")).explain(Lang::En),
            "Due 2026-02-20 (Spring Festival) moves to 2026-02-24"
        );
        // Beijing's 25th: Saturday 25 January 2025 moves to the make-up Sunday after it.
        let beijing = policy_for(City::Beijing, p("2025-01")).unwrap();
        assert_eq!(beijing.due_date(p("2025-01")), test_date(2025, 1, 26));
    }

    #[test]
    fn china_time() {
        // 2024-09-30T16:00:00Z is midnight starting 1 October in Beijing.
        let ms = 1_727_712_000_000;
        assert_eq!(china_date(ms), Some(test_date(2024, 10, 1)));
        assert_eq!(china_date(ms - 1), Some(test_date(2024, 9, 30)));
        assert_eq!(china_day_end_ms(test_date(2024, 9, 30)), ms - 1);
    }

    #[test]
    fn the_data_is_sane() {
        let mut previous: Option<NaiveDate> = None;
        for a in &ARRANGEMENTS {
            assert_eq!(a.source.title, format!("国务院办公厅关于{}年部分节假日安排的通知", a.year));
            assert!(a.source.url.starts_with("https://www.gov.cn/zhengce/"));
            assert!(a.source.published.year() == a.year - 1 && a.source.published <= a.source.checked);
            for r in a.days_off {
                assert!(r.first <= r.last && (r.last - r.first).num_days() < 9, "{r:?}");
                assert!(r.first.year() >= a.year - 1 && r.last.year() == a.year, "{r:?}");
                // In order and never overlapping.
                assert!(previous.is_none_or(|p| p < r.first), "{r:?}");
                previous = Some(r.last);
            }
            for m in a.make_up_days {
                assert!(matches!(m.date.weekday(), Weekday::Sat | Weekday::Sun), "{m:?}");
                assert_eq!(m.date.year(), a.year);
                assert!(a.days_off.iter().all(|r| !(r.first <= m.date && m.date <= r.last)));
                assert!(a.days_off.iter().any(|r| r.holiday == m.holiday), "{m:?}");
            }
        }
        // Days off per holiday as the notices count them ("共N天").
        let count = |year: i32, holiday: Holiday| -> i64 {
            arrangement(year).unwrap().days_off.iter().filter(|r| r.holiday == holiday).map(|r| (r.last - r.first).num_days() + 1).sum()
        };
        assert_eq!(
            [2022, 2023, 2024, 2025, 2026].map(|y| count(y, SpringFestival)),
            [7, 7, 8, 8, 9]
        );
        assert_eq!([2022, 2023, 2024, 2025, 2026].map(|y| count(y, LabourDay)), [5, 5, 5, 5, 5]);
        assert_eq!(count(2023, MidAutumnAndNationalDay), 8);
        assert_eq!(count(2025, NationalDayAndMidAutumn), 8);
        // Every year's fixed-date statutory holidays are days off in its notice.
        for a in &ARRANGEMENTS {
            for (m, day) in [(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)] {
                assert!(holiday(test_date(a.year, m, day)).is_some(), "{}-{m}-{day}", a.year);
            }
        }
    }

    fn date() -> impl Strategy<Value = NaiveDate> {
        (0u64..(8 * 366)).prop_map(|n| test_date(2021, 1, 1) + Days::new(n))
    }

    proptest! {
        #[test]
        fn the_next_working_day_is_the_first_one(day in date()) {
            let next = next_working_day_on_or_after(day);
            prop_assert!(is_working_day(next));
            prop_assert!(next >= day);
            prop_assert!((next - day).num_days() <= 10);
            for between in range(day, next).filter(|d| *d < next) {
                prop_assert!(!is_working_day(between));
            }
            let due = Due::on(day);
            prop_assert_eq!(due.date, next);
            prop_assert_eq!(due.moved(), due.moved_for.is_some());
        }

        #[test]
        fn adding_working_days_counts_each_once(day in date(), n in 0u32..15) {
            let later = add_working_days(day, n);
            let counted = range(day, later).filter(|d| *d > day && is_working_day(*d)).count();
            prop_assert_eq!(counted, n as usize);
            prop_assert!(n == 0 || is_working_day(later));
            prop_assert!((later - day).num_days() >= i64::from(n));
        }
    }
}
