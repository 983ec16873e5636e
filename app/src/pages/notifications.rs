//! 通知: what the system told this person, newest first; unread ones stand out and can be
//! marked read one by one or all at once (the bell in the header follows).

use crate::api::{self, ApiResult};
use crate::components::{china_time, BellRefresh, Loaded};
use crate::i18n::tr;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use shebao_domain::api::{Notification, Notifications};

/// The page's own styles, drawn with it: out of the first download's stylesheet.
const STYLE: &str = include_str!("../../../style/notifications.css");

#[component]
fn NotificationList(initial: Notifications) -> impl IntoView {
    let session = use_session();
    let bell = BellRefresh::use_it();
    let items = RwSignal::new(initial.items);
    let failure = RwSignal::new(None::<String>);
    let read_one = Action::new_local(move |id: &i64| {
        let id = *id;
        async move { session.check(api::mark_read(id, api::idempotency_key()).await) }
    });
    let read_all = Action::new_local(move |_: &()| async move { session.check(api::mark_all_read(api::idempotency_key()).await) });
    let answered = move |result: ApiResult<()>| {
        match result {
            Ok(()) => failure.set(None),
            Err(e) => failure.set(Some(e.to_string())),
        }
        if let Some(bell) = bell {
            bell.bump();
        }
    };
    Effect::new(move |_| {
        if let Some(result) = read_one.value().get() {
            answered(result.map(|n: Notification| items.update(|list| list.iter_mut().filter(|i| i.id == n.id).for_each(|i| *i = n.clone()))));
        }
    });
    Effect::new(move |_| {
        if let Some(result) = read_all.value().get() {
            answered(result.map(|all| items.set(all.items)));
        }
    });
    let any_unread = move || items.with(|list| list.iter().any(|n| !n.read));
    // Read apart from the items, so that marking one read redraws only its row.
    let empty = Memo::new(move |_| items.with(Vec::is_empty));
    let busy = move || read_one.pending().get() || read_all.pending().get();

    view! {
        <div class="section-head notif-head">
            <span class="muted" data-testid="unread-count">
                {move || tr("notif.unread").replace("{}", &items.with(|l| l.iter().filter(|n| !n.read).count()).to_string())}
            </span>
            {move || any_unread().then(|| view! {
                <button type="button" data-testid="mark-all-read" disabled=busy on:click=move |_| { read_all.dispatch(()); }>
                    {tr("notif.mark_all")}
                </button>
            })}
        </div>
        {move || failure.get().map(|e| view! { <p class="form-error" role="alert" data-testid="notification-error">{e}</p> })}
        {move || if empty.get() {
            view! { <p class="empty card" data-testid="empty">{tr("notif.empty")}</p> }.into_any()
        } else {
            view! {
                <ul class="card notification-list">
                    <For each=move || items.get() key=|n| (n.id, n.read) let:n>
                        <li class="notification" class:unread=!n.read data-testid="notification">
                            <p class="notification-message">{n.message}</p>
                            <div class="notification-meta">
                                <time>{china_time(&n.created_at)}</time>
                                {n.link.map(|link| view! { <A href=link attr:data-testid="notification-link">{tr("common.open")}</A> })}
                                {(!n.read).then(|| {
                                    let id = n.id;
                                    view! {
                                        <button type="button" class="link" data-testid="mark-read" disabled=busy on:click=move |_| { read_one.dispatch(id); }>
                                            {tr("notif.mark_read")}
                                        </button>
                                    }
                                })}
                            </div>
                        </li>
                    </For>
                </ul>
            }
            .into_any()
        }}
    }
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let session = use_session();
    let list = LocalResource::new(move || async move { session.check(api::notifications().await) });
    view! {
        <div class="notifications-page" data-testid="notifications-page">
            <style>{STYLE}</style>
            <h1>{move || tr("notif.title")}</h1>
            <Loaded resource=list let:n>
                <NotificationList initial=n />
            </Loaded>
        </div>
    }
}
