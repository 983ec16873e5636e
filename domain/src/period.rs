//! A contribution month ("2024-07"). Social insurance is paid per calendar month and
//! policies change per month, so this is the unit every calculation is keyed on.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::lang::Lang;
use crate::validation::FieldError;

/// Years outside this range are typing mistakes, and keeping 4 digits keeps "YYYY-MM"
/// round-tripping through `Display` and `parse`.
const MIN_YEAR: i32 = 1900;
const MAX_YEAR: i32 = 9999;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    // Field order matters: the derived `Ord` compares year first, then month.
    year: i32,
    month: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{}", self.message_zh())]
pub enum PeriodError {
    Invalid,
}

impl PeriodError {
    pub fn code(&self) -> &'static str {
        "period.invalid"
    }

    pub fn message(&self, lang: Lang) -> &'static str {
        lang.pick("月份格式应为YYYY-MM", "A month is written YYYY-MM")
    }

    pub fn message_zh(&self) -> &'static str {
        self.message(Lang::Zh)
    }

    pub fn to_field_error(&self, field: &str) -> FieldError {
        FieldError::new(field, self.code(), self.message(Lang::Zh), self.message(Lang::En))
    }
}

impl Period {
    /// `None` unless `month` is 1–12 and `year` is 1900–9999.
    pub fn new(year: i32, month: u32) -> Option<Period> {
        ((MIN_YEAR..=MAX_YEAR).contains(&year) && (1..=12).contains(&month))
            .then_some(Period { year, month })
    }

    /// Strictly "YYYY-MM" (surrounding spaces allowed).
    pub fn parse(s: &str) -> Result<Period, PeriodError> {
        let s = s.trim();
        let b = s.as_bytes();
        let shape_ok = b.len() == 7
            && b[4] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || c.is_ascii_digit());
        if !shape_ok {
            return Err(PeriodError::Invalid);
        }
        let year = s[..4].parse().map_err(|_| PeriodError::Invalid)?;
        let month = s[5..].parse().map_err(|_| PeriodError::Invalid)?;
        Period::new(year, month).ok_or(PeriodError::Invalid)
    }

    /// The month containing `date` (clamped to the supported years).
    pub fn of(date: NaiveDate) -> Period {
        Period {
            year: date.year().clamp(MIN_YEAR, MAX_YEAR),
            month: date.month(),
        }
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    pub fn month(&self) -> u32 {
        self.month
    }

    /// Months since year 0, which makes month arithmetic plain integer arithmetic.
    fn index(self) -> i32 {
        self.year * 12 + self.month as i32 - 1
    }

    /// Inverse of `index`, saturating at the supported range so `next`/`prev` never fail.
    fn from_index(index: i32) -> Period {
        let index = index.clamp(MIN_YEAR * 12, MAX_YEAR * 12 + 11);
        Period {
            year: index.div_euclid(12),
            month: index.rem_euclid(12) as u32 + 1,
        }
    }

    /// The following month (saturates at 9999-12).
    pub fn next(self) -> Period {
        Period::from_index(self.index() + 1)
    }

    /// The previous month (saturates at 1900-01).
    pub fn prev(self) -> Period {
        Period::from_index(self.index() - 1)
    }

    /// `self` shifted by `months` (negative goes back), saturating.
    pub fn add_months(self, months: i32) -> Period {
        Period::from_index(self.index().saturating_add(months))
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("periods are valid months")
    }

    pub fn last_day(self) -> NaiveDate {
        self.first_day() + chrono::Months::new(1) - chrono::Days::new(1)
    }

    /// Signed number of months from `self` to `other` (2024-07 → 2024-09 is 2).
    pub fn months_until(self, other: Period) -> i32 {
        other.index() - self.index()
    }

    /// Every month from `from` to `to`, both included; empty if `from` is after `to`.
    pub fn range_inclusive(from: Period, to: Period) -> Vec<Period> {
        (from.index()..=to.index())
            .map(Period::from_index)
            .collect()
    }

    /// The first month (July) of the policy year containing `self`: bases change every July,
    /// so 2025-03 belongs to the year starting 2024-07.
    pub fn policy_year_start(self) -> Period {
        let year = if self.month >= 7 {
            self.year
        } else {
            self.year - 1
        };
        Period::from_index(year * 12 + 6)
    }

    /// The payment deadline in this month; a day past the month's end means its last day.
    pub fn due_date(self, deadline_day: u32) -> NaiveDate {
        let last = self.last_day().day();
        let day = deadline_day.clamp(1, last);
        NaiveDate::from_ymd_opt(self.year, self.month, day).expect("day clamped to month")
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Period {
    type Err = PeriodError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Period::parse(s)
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Period::parse(&raw).map_err(|e| serde::de::Error::custom(format!("{}: {}", e.code(), e)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::test_date;
    use proptest::prelude::*;

    fn p(s: &str) -> Period {
        Period::parse(s).unwrap()
    }

    #[test]
    fn parses_and_displays() {
        let period = p("2024-07");
        assert_eq!((period.year(), period.month()), (2024, 7));
        assert_eq!(period.to_string(), "2024-07");
        assert_eq!(p(" 2024-12 ").to_string(), "2024-12");
        for bad in [
            "",
            "2024-7",
            "2024-13",
            "2024-00",
            "24-07",
            "2024/07",
            "2024-07-01",
            "１９９９-01",
            "1899-12",
        ] {
            assert_eq!(Period::parse(bad), Err(PeriodError::Invalid), "{bad:?}");
        }
        assert_eq!(PeriodError::Invalid.code(), "period.invalid");
        assert_eq!(PeriodError::Invalid.to_string(), "月份格式应为YYYY-MM");
        assert_eq!(Period::new(2024, 0), None);
    }

    #[test]
    fn month_arithmetic() {
        assert_eq!(p("2024-12").next(), p("2025-01"));
        assert_eq!(p("2025-01").prev(), p("2024-12"));
        assert_eq!(p("9999-12").next(), p("9999-12"));
        assert_eq!(p("2024-07").months_until(p("2025-06")), 11);
        assert_eq!(p("2025-06").months_until(p("2024-07")), -11);
        assert_eq!(
            Period::range_inclusive(p("2024-11"), p("2025-02")),
            vec![p("2024-11"), p("2024-12"), p("2025-01"), p("2025-02")]
        );
        assert!(Period::range_inclusive(p("2025-02"), p("2024-11")).is_empty());
        assert_eq!(p("2025-03").add_months(-9), p("2024-06"));
        assert!(p("2024-12") < p("2025-01"));
    }

    #[test]
    fn dates() {
        assert_eq!(p("2024-02").first_day(), test_date(2024, 2, 1));
        assert_eq!(p("2024-02").last_day(), test_date(2024, 2, 29));
        assert_eq!(p("2024-02").due_date(31), test_date(2024, 2, 29));
        assert_eq!(p("2023-02").due_date(30), test_date(2023, 2, 28));
        assert_eq!(p("2024-07").due_date(15), test_date(2024, 7, 15));
        assert_eq!(Period::of(test_date(2024, 7, 31)), p("2024-07"));
    }

    #[test]
    fn policy_year() {
        assert_eq!(p("2025-03").policy_year_start(), p("2024-07"));
        assert_eq!(p("2025-06").policy_year_start(), p("2024-07"));
        assert_eq!(p("2025-07").policy_year_start(), p("2025-07"));
        assert_eq!(p("2025-12").policy_year_start(), p("2025-07"));
    }

    fn period() -> impl Strategy<Value = Period> {
        (MIN_YEAR + 1..=MAX_YEAR - 1, 1u32..=12).prop_map(|(y, m)| Period::new(y, m).unwrap())
    }

    proptest! {
        #[test]
        fn json_round_trip(period in period()) {
            let json = serde_json::to_string(&period).unwrap();
            prop_assert_eq!(&json, &format!("\"{period}\""));
            prop_assert_eq!(serde_json::from_str::<Period>(&json).unwrap(), period);
        }

        #[test]
        fn next_and_prev_are_inverse(period in period()) {
            prop_assert_eq!(period.next().prev(), period);
            prop_assert!(period.next() > period);
            prop_assert_eq!(period.months_until(period.next()), 1);
            prop_assert!(period.policy_year_start() <= period);
            prop_assert!(period.policy_year_start().months_until(period) < 12);
        }
    }
}
