//! 上一页 / 下一页 under a list paged by keyset: links to the pages beside this one, kept in
//! the URL so the back button and shared links show the same page.

use crate::i18n::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// The pager of a page whose neighbours are at `prev` and `next` (none at either end).
#[component]
pub fn Pager(prev: Option<String>, next: Option<String>) -> impl IntoView {
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
