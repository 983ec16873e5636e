//! Escalation: which alerts to raise for the items that need a person, from the items and
//! the time alone. Level 1 goes to the responsible HR at once; unresolved after 24 h to the
//! HR manager, after 48 h to the group HR director. The caller keeps what was raised, so
//! the same item and level is never raised twice, however often (or late) this runs.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::china_day_end_ms;
use crate::lang::Lang;
use crate::role::Role;
use crate::run::{RunState, Standing};

const HOUR_MS: i64 = 60 * 60 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The branch's HR (专员 and 主管).
    Hr,
    HrManager,
    Director,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Hr, Level::HrManager, Level::Director];

    pub fn number(self) -> u8 {
        match self {
            Level::Hr => 1,
            Level::HrManager => 2,
            Level::Director => 3,
        }
    }

    pub fn from_number(n: i64) -> Option<Level> {
        Level::ALL.into_iter().find(|l| i64::from(l.number()) == n)
    }

    /// How long after the item opened this level is raised.
    pub fn after_ms(self) -> i64 {
        match self {
            Level::Hr => 0,
            Level::HrManager => 24 * HOUR_MS,
            Level::Director => 48 * HOUR_MS,
        }
    }

    /// Who is told at this level; `branch` says whether the role is the item's branch's.
    pub fn recipients(self) -> (&'static [Role], bool) {
        match self {
            Level::Hr => (&[Role::HrSpecialist, Role::HrSupervisor], true),
            Level::HrManager => (&[Role::HrManager], false),
            Level::Director => (&[Role::Director], false),
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Level::Hr => lang.pick("一级（人事）", "Level 1 (HR)"),
            Level::HrManager => lang.pick("二级（人力经理）", "Level 2 (HR manager)"),
            Level::Director => lang.pick("三级（集团人力总监）", "Level 3 (group HR director)"),
        }
    }
}

/// Something that needs a person: open from `since_ms` until its cause is gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenItem {
    /// Stable over the item's life, e.g. "run:run-br-x-2026-12:late".
    pub key: String,
    pub since_ms: i64,
}

/// The alerts to raise now: every level whose time has come for an open item and that was
/// not raised before, lower levels first. A run missed for days raises all levels due at
/// once; nothing is raised before its time.
pub fn to_raise(items: &[OpenItem], raised: &BTreeSet<(String, Level)>, now_ms: i64) -> Vec<(String, Level)> {
    let mut out = Vec::new();
    for item in items {
        for level in Level::ALL {
            let due = item.since_ms.saturating_add(level.after_ms());
            if now_ms >= due && !raised.contains(&(item.key.clone(), level)) {
                out.push((item.key.clone(), level));
            }
        }
    }
    out
}

/// Of the items with unresolved alerts, those no longer open: their alerts resolve.
pub fn to_resolve<'a>(alerted: impl IntoIterator<Item = &'a str>, items: &[OpenItem]) -> Vec<&'a str> {
    let open: BTreeSet<&str> = items.iter().map(|i| i.key.as_str()).collect();
    let mut gone: Vec<&str> = alerted.into_iter().filter(|k| !open.contains(k)).collect();
    gone.sort_unstable();
    gone.dedup();
    gone
}

/// Why a run needs a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunCause {
    /// Fewer days left than steps still needed.
    DueSoon,
    /// Unpaid past the deadline.
    Late,
}

impl RunCause {
    pub fn code(self) -> &'static str {
        match self {
            RunCause::DueSoon => "due_soon",
            RunCause::Late => "late",
        }
    }

    pub fn from_code(code: &str) -> Option<RunCause> {
        [RunCause::DueSoon, RunCause::Late].into_iter().find(|c| c.code() == code)
    }
}

/// The item a run opens at `now_ms`, if any: late from the end of its deadline day (China
/// time), due soon from the start of the day it entered danger (`Standing::danger_from`).
pub fn run_item(run_id: &str, state: RunState, due: NaiveDate, now_ms: i64) -> Option<(OpenItem, RunCause)> {
    if state.steps_left() == 0 {
        return None;
    }
    let late_from = china_day_end_ms(due) + 1;
    let (cause, since_ms) = if now_ms >= late_from {
        (RunCause::Late, late_from)
    } else {
        let from = Standing::danger_from(state, due)?;
        let day_start = china_day_end_ms(from.pred_opt()?) + 1;
        if now_ms < day_start {
            return None;
        }
        (RunCause::DueSoon, day_start)
    };
    Some((OpenItem { key: format!("run:{run_id}:{}", cause.code()), since_ms }, cause))
}

/// The alert's text for its recipients.
pub fn run_message(cause: RunCause, branch: &str, period: &str, state: RunState, due: NaiveDate, lang: Lang) -> String {
    let state = state.label(lang);
    match (cause, lang) {
        (RunCause::DueSoon, Lang::Zh) => format!("{branch} {period} 社保缴费清单「{state}」，截止日 {due} 将至，请尽快处理"),
        (RunCause::DueSoon, Lang::En) => format!("{branch} {period} contribution run is \u{201c}{state}\u{201d}; the deadline {due} is near"),
        (RunCause::Late, Lang::Zh) => format!("{branch} {period} 社保缴费已逾期（截止日 {due}），清单仍「{state}」；逾期将产生滞纳金并影响员工报销"),
        (RunCause::Late, Lang::En) => format!("{branch} {period} contributions are overdue (due {due}), the run is still \u{201c}{state}\u{201d}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::test_date;
    use proptest::prelude::*;

    fn item(since_ms: i64) -> OpenItem {
        OpenItem { key: "run:x:late".into(), since_ms }
    }

    #[test]
    fn climbs_at_0_24_and_48_hours() {
        let mut raised = BTreeSet::new();
        let start = 1_000_000_000_000;
        let at = |now: i64, raised: &mut BTreeSet<(String, Level)>| {
            let new = to_raise(&[item(start)], raised, now);
            raised.extend(new.iter().cloned());
            new.into_iter().map(|(_, l)| l.number()).collect::<Vec<_>>()
        };
        assert_eq!(at(start - 1, &mut raised), Vec::<u8>::new());
        assert_eq!(at(start, &mut raised), vec![1]);
        assert_eq!(at(start + 23 * HOUR_MS, &mut raised), Vec::<u8>::new());
        assert_eq!(at(start + 24 * HOUR_MS, &mut raised), vec![2]);
        assert_eq!(at(start + 47 * HOUR_MS, &mut raised), Vec::<u8>::new());
        assert_eq!(at(start + 48 * HOUR_MS, &mut raised), vec![3]);
        assert_eq!(at(start + 100 * HOUR_MS, &mut raised), Vec::<u8>::new());
    }

    #[test]
    fn a_restart_after_a_long_outage_raises_every_level_due_once() {
        let start = 1_000_000_000_000;
        let raised = BTreeSet::from([("run:x:late".to_string(), Level::Hr)]);
        let new = to_raise(&[item(start)], &raised, start + 50 * HOUR_MS);
        assert_eq!(new.iter().map(|(_, l)| *l).collect::<Vec<_>>(), vec![Level::HrManager, Level::Director]);
    }

    #[test]
    fn items_gone_resolve() {
        let items = [item(0)];
        assert_eq!(to_resolve(["run:x:late", "run:y:late", "run:y:late"], &items), vec!["run:y:late"]);
    }

    #[test]
    fn run_items() {
        let due = test_date(2026, 12, 25);
        let day = |d: NaiveDate| china_day_end_ms(d.pred_opt().unwrap()) + 1;
        // Awaiting HR: in danger from the 23rd, 00:00 China time.
        assert_eq!(run_item("r", RunState::Generated, due, day(test_date(2026, 12, 23)) - 1), None);
        let (open, cause) = run_item("r", RunState::Generated, due, day(test_date(2026, 12, 23))).unwrap();
        assert_eq!((open.key.as_str(), cause), ("run:r:due_soon", RunCause::DueSoon));
        // Late from the 26th, whatever the state, until it is with the bureau.
        let (late, cause) = run_item("r", RunState::Confirmed, due, day(test_date(2026, 12, 26)) + 5).unwrap();
        assert_eq!((late.since_ms, cause), (day(test_date(2026, 12, 26)), RunCause::Late));
        assert_eq!(run_item("r", RunState::Submitted, due, day(test_date(2026, 12, 30))), None);
        assert_eq!(run_item("r", RunState::Archived, due, day(test_date(2026, 12, 30))), None);
    }

    proptest! {
        /// However the runs are spaced (restarts, missed runs), each level of each item is
        /// raised exactly once, and never before its time.
        #[test]
        fn never_twice_never_early(gaps in prop::collection::vec(0i64..30 * HOUR_MS, 1..20)) {
            let start = 1_000_000_000_000;
            let mut raised = BTreeSet::new();
            let mut now = start - HOUR_MS;
            let mut count = 0;
            for gap in gaps {
                now += gap;
                for (key, level) in to_raise(&[item(start)], &raised, now) {
                    prop_assert!(now >= start + level.after_ms());
                    prop_assert!(raised.insert((key, level)));
                    count += 1;
                }
            }
            let expected = Level::ALL.iter().filter(|l| now >= start + l.after_ms()).count();
            prop_assert_eq!(count, expected);
        }
    }
}
