//! 上一页 / 下一页 under a list paged by keyset: links to the pages beside this one, kept in
//! the URL so the back button and shared links show the same page.

use crate::i18n::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shebao_domain::api::ListPage;

/// The pager under `page`: its neighbours start `?before=` its `prev` and `?after=` its
/// `next` cursor, at the URL `link(key, cursor)` makes of the list's own.
pub fn pager<T>(page: &ListPage<T>, link: impl Fn(&str, &str) -> String) -> AnyView {
    let (prev, next) = (page.prev.as_deref().map(|c| link("before", c)), page.next.as_deref().map(|c| link("after", c)));
    view! { <Pager prev next /> }.into_any()
}

/// The pager of a page whose neighbours are at `prev` and `next` (none at either end).
#[component]
fn Pager(prev: Option<String>, next: Option<String>) -> impl IntoView {
    view! {
        <div class="pager">
            <PageButton testid="prev-page" label="common.prev" url=prev />
            <PageButton testid="next-page" label="common.next" url=next />
        </div>
    }
}

/// To the page beside this one, at `url`; disabled at that end of the list.
#[component]
fn PageButton(testid: &'static str, label: &'static str, url: Option<String>) -> impl IntoView {
    let navigate = use_navigate();
    let at_end = url.is_none();
    view! {
        <button data-testid=testid disabled=at_end on:click=move |_| if let Some(url) = &url { navigate(url, Default::default()) }>
            {tr(label)}
        </button>
    }
}
