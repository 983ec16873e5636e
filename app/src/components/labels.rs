//! What kinds, states and insurance types are called, in the current language.

use crate::i18n::{current_lang, t, tr};
use leptos::prelude::*;
use shebao_domain::claim::ClaimState;
use shebao_domain::enrollment::{RequestKind, RequestState};
use shebao_domain::escalation::Level;
use shebao_domain::policy::InsuranceType;
use shebao_domain::run::{RunState, Urgency};
use shebao_domain::Period;

/// The domain names kinds and states, in both languages.
pub fn kind_label(k: RequestKind) -> &'static str {
    k.label(current_lang())
}

pub fn state_label(s: RequestState) -> &'static str {
    s.label(current_lang())
}

pub fn ins_label(i: InsuranceType) -> &'static str {
    t(&format!("ins.{}", i.code()))
}

pub fn types_text(types: &[InsuranceType]) -> String {
    types.iter().map(|&i| ins_label(i)).collect::<Vec<_>>().join(t("list.sep"))
}

/// "2026-11", or "2026-09 – 2026-11" for several months.
pub fn months_text(from: Period, to: Period) -> String {
    span_text(&from.to_string(), &to.to_string())
}

/// One value once, a span with a dash: "2026-10-08", "2026-10-08 – 2026-10-15".
pub fn span_text(from: &str, to: &str) -> String {
    if from == to { from.to_string() } else { format!("{from} – {to}") }
}

/// A request's state as a coloured badge.
pub fn badge(s: RequestState) -> impl IntoView {
    view! { <span class=format!("badge st-{}", s.code()) data-testid="state-badge">{move || state_label(s)}</span> }
}

/// A run's state as a coloured badge.
pub fn run_badge(s: RunState) -> impl IntoView {
    view! { <span class=format!("badge rs-{}", s.code()) data-testid="run-state">{move || s.label(current_lang())}</span> }
}

/// A claim's state as a coloured badge.
pub fn claim_badge(s: ClaimState) -> impl IntoView {
    view! { <span class=format!("badge cl-{}", s.code()) data-testid="claim-state">{move || s.label(current_lang())}</span> }
}

/// A branch's month by urgency: red, orange or green.
pub fn urgency_class(u: Urgency) -> &'static str {
    match u {
        Urgency::Danger => "danger",
        Urgency::Waiting => "waiting",
        Urgency::OnTrack => "ok",
    }
}

/// The text key of an escalation level ("三级预警"); a level out of range reads as the
/// nearest one.
fn level_key(level: u8) -> &'static str {
    match level {
        0 | 1 => "alert.level.1",
        2 => "alert.level.2",
        _ => "alert.level.3",
    }
}

/// An open escalation's level as a badge, with who is told at that level as its title.
pub fn alert_badge(level: u8) -> impl IntoView {
    let n = level.clamp(1, 3);
    let title = move || Level::from_number(i64::from(n)).map(|l| l.label(current_lang()));
    view! {
        <span class=format!("badge alert-level lvl-{n}") data-testid="alert-level" title=title>
            {move || tr(level_key(n))}
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_urgency_has_its_colour() {
        assert_eq!(urgency_class(Urgency::Danger), "danger");
        assert_eq!(urgency_class(Urgency::Waiting), "waiting");
        assert_eq!(urgency_class(Urgency::OnTrack), "ok");
    }

    #[test]
    fn every_level_has_its_text_in_both_languages() {
        assert_eq!([1, 2, 3].map(level_key), ["alert.level.1", "alert.level.2", "alert.level.3"]);
        assert_eq!((level_key(0), level_key(9)), ("alert.level.1", "alert.level.3"));
    }

    #[test]
    fn one_month_is_shown_once_and_a_range_with_a_dash() {
        let (sep, nov) = (Period::parse("2026-09").unwrap(), Period::parse("2026-11").unwrap());
        assert_eq!(months_text(nov, nov), "2026-11");
        assert_eq!(months_text(sep, nov), "2026-09 – 2026-11");
        assert_eq!(span_text("2026-10-08", "2026-10-08"), "2026-10-08");
    }
}
