//! What kinds, states and insurance types are called, in the current language.

use crate::i18n::{current_lang, t};
use leptos::prelude::*;
use shebao_domain::enrollment::{RequestKind, RequestState};
use shebao_domain::policy::InsuranceType;
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
    if from == to { from.to_string() } else { format!("{from} – {to}") }
}

/// A request's state as a coloured badge.
pub fn badge(s: RequestState) -> impl IntoView {
    view! { <span class=format!("badge st-{}", s.code()) data-testid="state-badge">{move || state_label(s)}</span> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_month_is_shown_once_and_a_range_with_a_dash() {
        let (sep, nov) = (Period::parse("2026-09").unwrap(), Period::parse("2026-11").unwrap());
        assert_eq!(months_text(nov, nov), "2026-11");
        assert_eq!(months_text(sep, nov), "2026-09 – 2026-11");
    }
}
