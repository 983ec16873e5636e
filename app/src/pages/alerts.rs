//! 预警: the escalations the user is told of, newest first as the server sends them. An
//! open one is acknowledged with a note of what is being done; a resolved one stays,
//! greyed, for the record.

use crate::api::{self, ApiFailure};
use crate::components::{alert_badge, china_time, Loaded};
use crate::i18n::tr;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use shebao_domain::api::{AcknowledgeBody, AlertView};

/// The page's own styles, drawn with it: out of the first download's stylesheet.
const STYLE: &str = include_str!("../../../style/alerts.css");

/// One alert; acknowledging it redraws it from the server's answer.
#[component]
fn AlertRow(alert: AlertView) -> impl IntoView {
    let session = use_session();
    let current = RwSignal::new(alert);
    let note = RwSignal::new(String::new());
    // One key per intention: a retry after a lost answer acknowledges once.
    let key = StoredValue::new(api::idempotency_key());
    let ack = Action::new_local(move |body: &AcknowledgeBody| {
        let (body, id, k) = (body.clone(), current.with_untracked(|a| a.id.clone()), key.get_value());
        async move {
            let result = session.check(api::acknowledge_alert(id, body, k).await);
            if !matches!(result, Err(ApiFailure::Network)) {
                key.try_set_value(api::idempotency_key());
            }
            result
        }
    });
    let failure = RwSignal::new(None::<ApiFailure>);
    Effect::new(move |_| match ack.value().get() {
        Some(Ok(a)) => {
            failure.set(None);
            note.set(String::new());
            current.set(a);
        }
        Some(Err(e)) => failure.set(Some(e)),
        None => {}
    });

    move || {
        let a = current.get();
        let resolved = a.resolved_at.is_some();
        let version = a.version;
        let state = match (&a.acknowledged_by, resolved) {
            (Some(by), _) => view! {
                <div class="ack-done" data-testid="acknowledged">
                    <span class="badge ok">{tr("alerts.acknowledged")}</span>" "
                    <span data-testid="acknowledged-by">{by.clone()}</span>" "
                    <time>{a.acknowledged_at.as_deref().map(china_time)}</time>
                    {a.note.clone().map(|n| view! { <p class="ack-note" data-testid="note">{n}</p> })}
                </div>
            }
            .into_any(),
            (None, true) => ().into_any(),
            (None, false) => view! {
                <form
                    class="ack-form"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        let text = note.get_untracked().trim().to_string();
                        if !text.is_empty() {
                            failure.set(None);
                            ack.dispatch(AcknowledgeBody { version, note: text });
                        }
                    }
                >
                    <label class="field">
                        <span>{tr("alerts.note")}</span>
                        <textarea rows="2" maxlength="500" data-testid="ack-note" bind:value=note></textarea>
                    </label>
                    <button
                        type="submit"
                        class="primary"
                        data-testid="ack"
                        disabled=move || note.read().trim().is_empty() || ack.pending().get()
                    >
                        {tr("alerts.ack")}
                    </button>
                </form>
            }
            .into_any(),
        };
        view! {
            <li class="card alert-row" class:resolved=resolved data-testid="alert-row">
                <div class="alert-head">
                    {alert_badge(a.level.number())}
                    <time class="muted">{tr("alerts.raised")}" "{china_time(&a.raised_at)}</time>
                    {a.resolved_at.as_deref().map(|at| view! {
                        <span class="badge resolved-badge" data-testid="resolved">{tr("alerts.resolved")}" "{china_time(at)}</span>
                    })}
                </div>
                <p class="alert-message" data-testid="alert-message">{a.message.clone()}</p>
                // The page the alert is about (a claim's, a run's); else the run it names.
                {a.link.clone().or_else(|| a.run_id.as_ref().map(|id| format!("/runs/{id}"))).map(|href| {
                    let (testid, text) = if href.starts_with("/runs/") { ("alert-run", "dash.open_run") } else { ("alert-link", "common.open") };
                    view! { <A href=href attr:data-testid=testid>{tr(text)}</A> }
                })}
                {state}
                {move || failure.get().map(|e| view! { <p class="form-error" role="alert" data-testid="ack-error">{e.to_string()}</p> })}
            </li>
        }
    }
}

#[component]
pub fn AlertsPage() -> impl IntoView {
    let session = use_session();
    let alerts = LocalResource::new(move || async move { session.check(api::alerts().await) });
    view! {
        <div class="alerts-page" data-testid="alerts-page">
            <style>{STYLE}</style>
            <h1>{move || tr("alerts.title")}</h1>
            <Loaded resource=alerts let:list>
                {if list.is_empty() {
                    view! { <p class="empty card" data-testid="empty">{tr("alerts.empty")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="alert-list">
                            <For each=move || list.clone() key=|a| (a.id.clone(), a.version) let:a>
                                <AlertRow alert=a />
                            </For>
                        </ul>
                    }
                    .into_any()
                }}
            </Loaded>
        </div>
    }
}
