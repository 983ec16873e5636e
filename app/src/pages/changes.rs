//! Self-service requests. 我的申请 on the phone: a new contact, bank card or base review,
//! checked as typed by the domain's `ChangeForm` (the server applies the same), and the
//! requests already made with their state. 员工申请 in the console: HR's queue by state, each
//! pending request approved or rejected with a reason.

use crate::api::{self, ApiFailure};
use crate::components::{china_time, state_query, state_tabs, Loaded};
use crate::i18n::{current_lang, ts, use_lang};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shebao_domain::api::{ChangeDecision, ChangeView, EmployeeDetail, NewChange};
use shebao_domain::self_service::{ChangeKind, ChangeState};
use shebao_domain::FieldError;

/// HR's tabs: what waits for a decision first.
const TABS: [&str; 4] = ["pending", "approved", "rejected", "all"];

/// A request's state as a coloured badge.
fn change_badge(s: ChangeState) -> impl IntoView {
    view! { <span class=format!("badge chg-{}", s.code()) data-testid="change-state">{move || s.label(current_lang())}</span> }
}

/// Who decided and why, once decided.
fn decision_note(c: &ChangeView) -> Option<impl IntoView> {
    let who = c.decided_by.clone()?;
    let when = c.decided_at.as_deref().map(china_time).unwrap_or_default();
    let reason = c.decision_reason.clone().map(|r| format!(" · {r}"));
    Some(view! { <p class="sub" data-testid="change-decision">{who}" · "{when}{reason}</p> })
}

#[derive(Clone, Copy)]
struct FormState {
    form: RwSignal<NewChange>,
    /// Messages show once the employee tried to send (or left a field).
    touched: RwSignal<bool>,
    server_errors: RwSignal<Vec<FieldError>>,
    checked: Memo<Result<(), Vec<FieldError>>>,
    kind: Memo<Option<ChangeKind>>,
}

impl FormState {
    fn new() -> Self {
        let form = RwSignal::new(NewChange { kind: ChangeKind::Contact.code().into(), ..Default::default() });
        FormState {
            form,
            touched: RwSignal::new(false),
            server_errors: RwSignal::new(Vec::new()),
            checked: Memo::new(move |_| form.with(|f| f.parse().map(|_| ()))),
            kind: Memo::new(move |_| form.with(|f| ChangeKind::from_code(&f.kind))),
        }
    }

    /// The server's message for the field, else the rule's once the form was touched.
    fn error(self, field: &'static str) -> Option<String> {
        let lang = current_lang();
        let from = |errors: &[FieldError]| errors.iter().find(|e| e.field == field).map(|e| e.message_in(lang).to_string());
        if let Some(m) = self.server_errors.with(|e| from(e)) {
            return Some(m);
        }
        if !self.touched.get() {
            return None;
        }
        self.checked.with(|c| c.as_ref().err().and_then(|e| from(e)))
    }

    fn edit(self, set: impl FnOnce(&mut NewChange)) {
        self.form.update(set);
        self.server_errors.set(Vec::new());
    }
}

fn kind_picker(state: FormState) -> impl IntoView {
    view! {
        <div class="field">
            <span>{move || ts("change.kind")}</span>
            <div class="segmented big" role="radiogroup">
                {ChangeKind::ALL.map(|k| {
                    let on = move || state.kind.get() == Some(k);
                    view! {
                        <button
                            type="button"
                            role="radio"
                            class:on=on
                            aria-checked=move || on().to_string()
                            data-testid=format!("change-kind-{}", k.code())
                            on:click=move |_| {
                                state.edit(|f| f.kind = k.code().into());
                                state.touched.set(false);
                            }
                        >
                            {move || k.label(current_lang())}
                        </button>
                    }
                })}
            </div>
        </div>
    }
}

/// One field of the form: its label, the value on record, the input and its message.
fn input(
    state: FormState,
    field: &'static str,
    current: Option<String>,
    inputmode: &'static str,
    value: fn(&NewChange) -> &String,
    set: fn(&mut NewChange, String),
) -> impl IntoView {
    let multiline = field == "reason";
    let on_input = move |ev| state.edit(|f| set(f, event_target_value(&ev)));
    let control = if multiline {
        view! {
            <textarea
                name=field
                rows="4"
                data-testid=format!("change-{field}")
                prop:value=move || state.form.with(|f| value(f).clone())
                on:input=on_input
                on:blur=move |_| state.touched.set(true)
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                type="text"
                name=field
                autocomplete="off"
                inputmode=inputmode
                data-testid=format!("change-{field}")
                prop:value=move || state.form.with(|f| value(f).clone())
                on:input=on_input
                on:blur=move |_| state.touched.set(true)
            />
        }
        .into_any()
    };
    view! {
        <label class="field" class:invalid=move || state.error(field).is_some()>
            <span>{move || ts(&format!("change.{field}"))}</span>
            {current.map(|c| view! { <span class="sub" data-testid=format!("current-{field}")>{move || ts("change.current")}{c.clone()}</span> })}
            {control}
            {crate::components::field_message(format!("error-{field}"), move || state.error(field))}
        </label>
    }
}

/// The fields of the chosen kind, with what the record holds now.
fn fields(state: FormState, record: EmployeeDetail) -> impl IntoView {
    move || match state.kind.get() {
        Some(ChangeKind::Contact) => view! {
            {input(state, "phone", record.phone.clone(), "tel", |f| &f.phone, |f, v| f.phone = v)}
            {input(state, "email", record.email.clone(), "email", |f| &f.email, |f, v| f.email = v)}
        }
        .into_any(),
        Some(ChangeKind::BankCard) => view! {
            {input(state, "bank_card", record.bank_card.clone(), "numeric", |f| &f.bank_card, |f, v| f.bank_card = v)}
            <p class="hint">{move || ts("change.bank_card_hint")}</p>
        }
        .into_any(),
        Some(ChangeKind::BaseReview) => view! {
            <p class="hint">{move || ts("change.base_hint")}</p>
            {input(state, "reason", None, "text", |f| &f.reason, |f, v| f.reason = v)}
        }
        .into_any(),
        None => ().into_any(),
    }
}

/// The new request's form; `sent` is told of each request the server accepted.
fn change_form(record: EmployeeDetail, sent: impl Fn(ChangeView) + Copy + 'static) -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let state = FormState::new();
    let busy = RwSignal::new(false);
    let general_error = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    // One key per intention: a retry after a lost answer makes one request.
    let key = StoredValue::new(api::idempotency_key());
    let submit = move || {
        state.touched.set(true);
        done.set(false);
        if state.checked.with_untracked(Result::is_err) {
            return;
        }
        // Only the chosen kind's fields travel: the others may hold what was typed before.
        let form = state.form.with_untracked(|f| match ChangeKind::from_code(&f.kind) {
            Some(ChangeKind::Contact) => NewChange { kind: f.kind.clone(), phone: f.phone.clone(), email: f.email.clone(), ..Default::default() },
            Some(ChangeKind::BankCard) => NewChange { kind: f.kind.clone(), bank_card: f.bank_card.clone(), ..Default::default() },
            _ => NewChange { kind: f.kind.clone(), reason: f.reason.clone(), ..Default::default() },
        });
        let (k, lang) = (key.get_value(), lang.get_untracked());
        busy.set(true);
        general_error.set(None);
        spawn_local(async move {
            let result = session.check(api::create_change(form, k).await);
            if busy.try_set(false).is_some() {
                return; // the page is gone
            }
            if !matches!(result, Err(ApiFailure::Network)) {
                key.set_value(api::idempotency_key());
            }
            match result {
                Ok(change) => {
                    state.form.set(NewChange { kind: change.kind.code().into(), ..Default::default() });
                    state.touched.set(false);
                    done.set(true);
                    sent(change);
                }
                Err(ApiFailure::Fields(errors)) => {
                    let known = ["kind", "phone", "email", "bank_card", "reason"];
                    let other: Vec<&str> = errors.iter().filter(|e| !known.contains(&e.field.as_str())).map(|e| e.message_in(lang)).collect();
                    if !other.is_empty() {
                        general_error.set(Some(other.join(lang.pick("；", "; "))));
                    }
                    state.server_errors.set(errors);
                }
                Err(e) => general_error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <form class="card form change-form" data-testid="change-form" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h2>{move || ts("changes.new")}</h2>
            {kind_picker(state)}
            {fields(state, record)}
            {move || general_error.get().map(|e| view! { <div class="form-error" role="alert" data-testid="change-error">{e}</div> })}
            {move || done.get().then(|| view! { <p class="notice ok" role="status" data-testid="change-sent">{ts("change.sent")}</p> })}
            <button type="submit" class="primary big" data-testid="change-submit" disabled=move || busy.get()>
                {move || if busy.get() { ts("change.sending") } else { ts("change.submit") }}
            </button>
        </form>
    }
}

fn change_card(c: ChangeView) -> impl IntoView {
    let kind = c.kind;
    let note = decision_note(&c);
    view! {
        <li class="card change-card" data-testid=format!("change-{}", c.id)>
            <div class="section-head">
                <strong>{move || kind.label(current_lang())}</strong>
                {change_badge(c.state)}
            </div>
            <p data-testid="change-summary">{c.summary}</p>
            <p class="sub">{china_time(&c.created_at)}</p>
            {note}
        </li>
    }
}

/// 我的申请: the form, then the requests made, newest first.
#[component]
pub fn MyChanges() -> impl IntoView {
    let session = use_session();
    let Some(employee_id) = session.user.get_untracked().and_then(|m| m.employee_id) else {
        return view! { <p class="empty card" data-testid="no-record">{move || ts("me.no_record")}</p> }.into_any();
    };
    let data = LocalResource::new(move || {
        let id = employee_id.clone();
        async move {
            let record = session.check(api::employee(&id).await)?;
            let mine = session.check(api::my_changes().await)?;
            Ok((record, mine))
        }
    });
    // Requests sent on this page, before the next load shows them too.
    let sent = RwSignal::new(Vec::<ChangeView>::new());
    view! {
        <div class="form-page self-page">
            <a href="/me" class="back">{move || format!("← {}", ts("nav.me"))}</a>
            <h1>{move || ts("changes.title")}</h1>
            <p class="hint">{move || ts("changes.intro")}</p>
            <Loaded resource=data let:loaded>
                {let (record, mine) = loaded;
                let add = move |c: ChangeView| sent.update(|s| s.insert(0, c));
                let list = Memo::new(move |_| {
                    let mut all = sent.get();
                    all.extend(mine.iter().filter(|m| all.iter().all(|s| s.id != m.id)).cloned().collect::<Vec<_>>());
                    all
                });
                view! {
                    {change_form(record, add)}
                    <section class="changes-mine">
                        <h2>{move || ts("changes.mine")}</h2>
                        {move || list.read().is_empty().then(|| view! { <p class="empty card" data-testid="changes-empty">{ts("changes.empty")}</p> })}
                        <ul class="change-cards" data-testid="changes-list">
                            <For each=move || list.get() key=|c| (c.id.clone(), c.version) let:c>
                                {change_card(c)}
                            </For>
                        </ul>
                    </section>
                }}
            </Loaded>
        </div>
    }
    .into_any()
}

/// 员工申请: the branch's requests (the group's for the HR manager), by state.
#[component]
pub fn ChangeReview() -> impl IntoView {
    let state = state_query("pending");
    let label = |code: &str| ChangeState::from_code(code).map_or("?", |s| s.label(current_lang()));
    view! {
        <div class="list-page self-page" data-testid="change-review">
            <h1>{move || ts("nav.changes")}</h1>
            {state_tabs("/changes", &TABS, label, state)}
            {move || {
                let state = state.get();
                untrack(|| view! { <ChangeQueue state /> })
            }}
        </div>
    }
}

#[component]
fn ChangeQueue(state: String) -> impl IntoView {
    let session = use_session();
    let list = LocalResource::new(move || {
        let state = state.clone();
        async move { session.check(api::changes(&state).await) }
    });
    view! {
        <Loaded resource=list let:changes>
            {if changes.is_empty() {
                view! { <p class="empty card" data-testid="changes-empty">{ts("review.empty")}</p> }.into_any()
            } else {
                view! {
                    <ul class="change-cards review" data-testid="changes-list">
                        <For each=move || changes.clone() key=|c| c.id.clone() let:c>
                            <ReviewCard change=c />
                        </For>
                    </ul>
                }
                .into_any()
            }}
        </Loaded>
    }
}

/// A request in HR's queue; a pending one with its decision, which replaces it in place.
#[component]
fn ReviewCard(change: ChangeView) -> impl IntoView {
    let session = use_session();
    let shown = RwSignal::new(change);
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let key = StoredValue::new(api::idempotency_key());
    let decide = Action::new_local(move |decision: &&'static str| {
        let decision = *decision;
        let c = shown.get_untracked();
        let body = ChangeDecision { version: c.version, reason: Some(reason.get_untracked()).filter(|r| !r.trim().is_empty()) };
        let k = key.get_value();
        async move { (decision, session.check(api::decide_change(c.id, decision, body, k).await)) }
    });
    Effect::new(move |_| {
        let Some((_, result)) = decide.value().get() else { return };
        if !matches!(result, Err(ApiFailure::Network)) {
            key.set_value(api::idempotency_key());
        }
        match result {
            Ok(c) => {
                error.set(None);
                shown.set(c);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    });
    let busy = decide.pending();
    move || {
        let c = shown.get();
        let kind = c.kind;
        let pending = c.state == ChangeState::Pending;
        let note = decision_note(&c);
        view! {
            <li class="card change-card" data-testid=format!("change-{}", c.id)>
                <div class="section-head">
                    <strong>{c.employee_name.clone()}" · "{move || kind.label(current_lang())}</strong>
                    {change_badge(c.state)}
                </div>
                <p data-testid="change-summary">{c.summary.clone()}</p>
                <p class="sub">{china_time(&c.created_at)}</p>
                {note}
                {pending.then(|| view! {
                    <div class="decision">
                        <input
                            type="text"
                            data-testid="decision-reason"
                            placeholder=move || ts("review.reason")
                            prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))
                        />
                        <div class="action-bar">
                            <button type="button" class="primary" data-testid="change-approve" disabled=move || busy.get()
                                on:click=move |_| { decide.dispatch("approve"); }>{move || ts("review.approve")}</button>
                            <button type="button" class="danger" data-testid="change-reject" disabled=move || busy.get()
                                on:click=move |_| { decide.dispatch("reject"); }>{move || ts("review.reject")}</button>
                        </div>
                    </div>
                })}
                {move || error.get().map(|e| view! { <div class="form-error" role="alert" data-testid="decision-error">{e}</div> })}
            </li>
        }
    }
}
