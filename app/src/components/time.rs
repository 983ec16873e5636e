//! Dates and times as the pages show them, and a clock for countdowns.

use crate::i18n::t;
use leptos::prelude::*;
use std::time::Duration;

/// "YYYY-MM-DD" (or the start of a longer timestamp) as a date, without chrono's parser.
pub fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    let mut parts = s.get(..10)?.split('-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    chrono::NaiveDate::from_ymd_opt(y as i32, m, d)
}

/// The server's "YYYY-MM-DDTHH:MM:SSZ" shown as China time "YYYY-MM-DD HH:MM". Parsed by
/// hand: chrono's format machinery would cost more download than this is worth.
pub fn china_time(iso: &str) -> String {
    let part = |r: std::ops::Range<usize>| iso.get(r)?.parse::<u32>().ok();
    let utc = (|| parse_date(iso)?.and_hms_opt(part(11..13)?, part(14..16)?, 0))();
    match utc {
        Some(t) => {
            let local = t + chrono::Duration::hours(8);
            format!("{} {}", local.date(), &local.time().to_string()[..5])
        }
        None => iso.to_string(),
    }
}

/// The current time (ms since the epoch), refreshed every `every_ms` while the caller's
/// view lives. Read it only in the text that shows it, so only that text is redrawn.
pub fn ticker(every_ms: u64) -> RwSignal<f64> {
    let now = RwSignal::new(js_sys::Date::now());
    if let Ok(handle) = set_interval_with_handle(move || now.set(js_sys::Date::now()), Duration::from_millis(every_ms)) {
        on_cleanup(move || handle.clear());
    }
    now
}

/// "12 分钟后报送", rounded up to the minute.
pub fn minutes_left(ms: f64) -> String {
    if ms > 0.0 {
        t("req.minutes_left").replace("{}", &((ms / 60_000.0).ceil() as u64).to_string())
    } else {
        t("req.due_now").to_string()
    }
}

/// "1:04:09" or "04:09", rounded up to the second; never negative.
pub fn clock(ms: f64) -> String {
    let s = (ms.max(0.0) / 1000.0).ceil() as u64;
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m:02}:{s:02}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_from_the_first_ten_characters_and_must_exist() {
        assert_eq!(parse_date("2026-11-01"), chrono::NaiveDate::from_ymd_opt(2026, 11, 1));
        assert_eq!(parse_date("2024-02-29T10:00:00Z"), chrono::NaiveDate::from_ymd_opt(2024, 2, 29));
        for bad in ["2026-02-30", "2026-13-01", "2026-1-01", "2026/11/01", "", "20261101"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn server_times_are_shown_in_china_time_across_midnight_and_the_year() {
        assert_eq!(china_time("2026-11-30T08:15:59Z"), "2026-11-30 16:15");
        assert_eq!(china_time("2026-11-30T17:05:09Z"), "2026-12-01 01:05");
        assert_eq!(china_time("2026-12-31T16:00:00Z"), "2027-01-01 00:00");
    }

    #[test]
    fn a_time_that_cannot_be_read_is_shown_as_it_came() {
        for odd in ["", "soon", "2026-11-30", "2026-11-30T25:00:00Z"] {
            assert_eq!(china_time(odd), odd);
        }
    }

    #[test]
    fn the_clock_rounds_up_to_the_second_and_adds_hours_only_when_needed() {
        assert_eq!(clock(0.0), "00:00");
        assert_eq!(clock(1.0), "00:01");
        assert_eq!(clock(61_000.0), "01:01");
        assert_eq!(clock(3_849_000.0), "1:04:09");
        assert_eq!(clock(-5_000.0), "00:00", "an overdue countdown stops at zero");
    }
}
