//! A list's state tabs, kept in the URL (`?state=`) so the back button and shared links show
//! the same list.

use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The list's `?state=`, `default` when there is none.
pub fn state_query(default: &'static str) -> Memo<String> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get("state").filter(|s| !s.is_empty()).unwrap_or_else(|| default.into()))
}

/// The tabs of `path`'s list, one per code ("all" reads 全部); `label` names the others.
pub fn state_tabs(
    path: &'static str,
    codes: &'static [&'static str],
    label: fn(&str) -> &'static str,
    state: Memo<String>,
) -> impl IntoView {
    let tabs = codes
        .iter()
        .map(|&code| {
            let on = move || state.get() == code;
            // Plain links, which the router follows as well: `A` ignores the query when it
            // marks the current page, so it would mark every tab.
            view! {
                <a
                    href=format!("{path}?state={code}")
                    class="tab"
                    class:on=on
                    aria-current=move || on().then_some("page")
                    data-testid=format!("state-tab-{code}")
                >
                    {move || if code == "all" { t("state.all") } else { label(code) }}
                </a>
            }
        })
        .collect_view();
    view! { <nav class="tabs" data-testid="state-tabs">{tabs}</nav> }
}
