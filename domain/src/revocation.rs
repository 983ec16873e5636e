//! How long after a filing the social-insurance bureau accepts its revocation (撤销), per
//! city: a number of hours, or of working days in China's calendar (`crate::calendar`).
//!
//! The bureau judges a revocation by when it was asked for, not when it processed it: the
//! deadline is compared with the time of the request, which the worker records.
//!
//! No city's official rule on the time limit for withdrawing an enrollment (增员) or a
//! removal (减员) filing was found (searched 2026-12-01: the bureaus' guides describe the
//! withdrawal steps, not a time limit). Every city is therefore recorded as 3 working days,
//! provisional, until its bureau's rule is read.

use serde::{Deserialize, Serialize};

use crate::calendar::{add_working_days, china_date, china_day_end_ms};
use crate::lang::Lang;
use crate::policy::City;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevocationWindow {
    /// This many hours after the bureau recorded the filing, to the millisecond.
    Hours(u32),
    /// Until the end (24:00 China time) of the n-th working day after the day the bureau
    /// recorded the filing.
    WorkingDays(u32),
}

impl RevocationWindow {
    /// The last moment (ms since the epoch) a revocation may be asked for, for a filing the
    /// bureau recorded at `filed_at_ms`.
    pub fn deadline_ms(self, filed_at_ms: i64) -> i64 {
        const HOUR_MS: i64 = 60 * 60 * 1000;
        match self {
            RevocationWindow::Hours(h) => filed_at_ms.saturating_add(i64::from(h) * HOUR_MS),
            RevocationWindow::WorkingDays(n) => match china_date(filed_at_ms) {
                Some(day) => china_day_end_ms(add_working_days(day, n)),
                None => filed_at_ms.saturating_add(i64::from(n) * 24 * HOUR_MS),
            },
        }
    }

    /// "办理后 3 个工作日内" / "within 3 working days of filing".
    pub fn describe(self, lang: Lang) -> String {
        match (self, lang) {
            (RevocationWindow::Hours(h), Lang::Zh) => format!("办理后 {h} 小时内"),
            (RevocationWindow::Hours(h), Lang::En) => format!("within {h} hours of filing"),
            (RevocationWindow::WorkingDays(n), Lang::Zh) => format!("办理后 {n} 个工作日内"),
            (RevocationWindow::WorkingDays(n), Lang::En) => format!("within {n} working days of filing"),
        }
    }
}

/// A city's revocation window and where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RevocationRule {
    pub window: RevocationWindow,
    /// True until the window is checked against the bureau's own rule.
    pub provisional: bool,
    pub source: &'static str,
}

const UNVERIFIED: &str =
    "未查到社保经办机构关于增员、减员申报撤销时限的正式规定（2026-12-01检索），暂按办理后3个工作日计，待核实";

const fn unverified(window: RevocationWindow) -> RevocationRule {
    RevocationRule { window, provisional: true, source: UNVERIFIED }
}

static RULES: [(City, RevocationRule); 5] = [
    (City::Beijing, unverified(RevocationWindow::WorkingDays(3))),
    (City::Shanghai, unverified(RevocationWindow::WorkingDays(3))),
    (City::Shenzhen, unverified(RevocationWindow::WorkingDays(3))),
    (City::Guangzhou, unverified(RevocationWindow::WorkingDays(3))),
    (City::Hangzhou, unverified(RevocationWindow::WorkingDays(3))),
];

/// `city`'s revocation rule.
pub fn rule(city: City) -> &'static RevocationRule {
    &RULES
        .iter()
        .find(|(c, _)| *c == city)
        .expect("every city has a revocation rule")
        .1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::is_working_day;
    use chrono::{NaiveDate, TimeZone};
    use proptest::prelude::*;

    /// Milliseconds since the epoch of a China-time moment.
    fn china(y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
        chrono::FixedOffset::east_opt(8 * 3600)
            .unwrap()
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .unwrap()
            .timestamp_millis()
    }

    fn last_ms_of(y: i32, m: u32, d: u32) -> i64 {
        china(y, m, d, 0, 0) + 24 * 60 * 60 * 1000 - 1
    }

    #[test]
    fn every_city_has_a_provisional_rule_with_its_source() {
        for city in City::ALL {
            let rule = city.revocation_window();
            assert_eq!(rule.window, RevocationWindow::WorkingDays(3), "{city:?}");
            assert!(rule.provisional && !rule.source.is_empty());
        }
        assert_eq!(RevocationWindow::WorkingDays(3).describe(Lang::Zh), "办理后 3 个工作日内");
        assert_eq!(RevocationWindow::Hours(72).describe(Lang::En), "within 72 hours of filing");
        assert_eq!(serde_json::to_value(RevocationWindow::WorkingDays(3)).unwrap(), serde_json::json!({"working_days": 3}));
    }

    #[test]
    fn a_working_day_window_across_a_weekend_and_a_holiday() {
        // Filed on Friday 27 September 2024, late in the evening China time: Sunday the
        // 29th is a make-up working day, Monday the 30th the second, then National Day
        // (1–7 October) and the third working day is Tuesday 8 October.
        let filed = china(2024, 9, 27, 22, 30);
        let window = RevocationWindow::WorkingDays(3);
        assert_eq!(window.deadline_ms(filed), last_ms_of(2024, 10, 8));
        assert_eq!(City::Beijing.revocation_deadline_ms(filed), last_ms_of(2024, 10, 8));
        // An ordinary weekend: filed Thursday 14 November 2024, the window ends Tuesday.
        assert_eq!(window.deadline_ms(china(2024, 11, 14, 9, 0)), last_ms_of(2024, 11, 19));
        // The day is China's: 23:30 UTC on Thursday is already Friday in Beijing.
        let utc_thursday_night = chrono::Utc.with_ymd_and_hms(2024, 11, 14, 23, 30, 0).unwrap().timestamp_millis();
        assert_eq!(window.deadline_ms(utc_thursday_night), last_ms_of(2024, 11, 20));
        // The 2025 Spring Festival: filed Monday 27 January, the days are 2/5, 2/6, 2/7.
        assert_eq!(window.deadline_ms(china(2025, 1, 27, 10, 0)), last_ms_of(2025, 2, 7));
    }

    #[test]
    fn an_hours_window_is_exact() {
        let filed = 1_700_000_000_000;
        assert_eq!(RevocationWindow::Hours(72).deadline_ms(filed) - filed, 72 * 60 * 60 * 1000);
        assert_eq!(RevocationWindow::Hours(1).deadline_ms(i64::MAX), i64::MAX);
    }

    proptest! {
        #[test]
        fn a_working_day_window_ends_at_the_end_of_a_working_day(
            filed in 1_640_995_200_000i64..1_830_000_000_000, n in 1u32..6
        ) {
            let deadline = RevocationWindow::WorkingDays(n).deadline_ms(filed);
            let last_day: NaiveDate = china_date(deadline).unwrap();
            prop_assert!(is_working_day(last_day));
            prop_assert_ne!(china_date(deadline + 1), Some(last_day), "the day's last millisecond");
            // At least n whole days, never more than n working days plus the longest break.
            prop_assert!(deadline >= filed + i64::from(n) * 86_400_000);
            prop_assert!(deadline < filed + (i64::from(n) + 11) * 86_400_000);
        }
    }
}
