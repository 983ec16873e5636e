//! 申请报销, on the phone first: the kind, the amount, the dates and the hospital, checked as
//! the employee types with the domain's `ClaimForm` rules (the server applies the same).
//! Creating saves a draft and opens it, where the documents are added and it is submitted.

use crate::api::{self, ApiFailure};
use crate::components::field_message;
use crate::i18n::{current_lang, tc, use_lang};
use crate::session::use_session;
use chrono::Days;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use shebao_domain::claim::{ClaimForm, ClaimKind, CLAIM_WINDOW_DAYS};
use shebao_domain::ids::today_in_china;
use shebao_domain::FieldError;
use std::collections::HashSet;

const FIELDS: [&str; 5] = ["kind", "amount", "start_date", "end_date", "hospital"];

#[derive(Clone, Copy)]
struct FormState {
    form: RwSignal<ClaimForm>,
    touched: RwSignal<HashSet<&'static str>>,
    server_errors: RwSignal<Vec<FieldError>>,
    checked: Memo<Result<(), Vec<FieldError>>>,
    /// The chosen kind: what depends on it is redrawn when it changes, not on every keystroke.
    kind: Memo<Option<ClaimKind>>,
    /// Until the end date is typed, an outpatient visit ends the day it starts.
    end_edited: RwSignal<bool>,
}

impl FormState {
    fn new() -> Self {
        let form = RwSignal::new(ClaimForm::default());
        // China's today, as the server checks it, whatever the phone's time zone.
        let today = today_in_china();
        FormState {
            form,
            touched: RwSignal::new(HashSet::new()),
            server_errors: RwSignal::new(Vec::new()),
            checked: Memo::new(move |_| form.with(|f| f.parse(today).map(|_| ()))),
            kind: Memo::new(move |_| form.with(|f| ClaimKind::from_code(&f.kind))),
            end_edited: RwSignal::new(false),
        }
    }

    /// The server's message for the field, else the rule's once the field was touched.
    fn error(self, field: &'static str) -> Option<String> {
        let lang = current_lang();
        if let Some(e) = self.server_errors.read().iter().find(|e| e.field == field) {
            return Some(e.message_in(lang).to_string());
        }
        if !self.touched.read().contains(field) {
            return None;
        }
        self.checked.with(|c| c.as_ref().err()?.iter().find(|e| e.field == field).map(|e| e.message_in(lang).to_string()))
    }

    fn edit(self, field: &'static str, set: impl FnOnce(&mut ClaimForm)) {
        self.form.update(|f| {
            set(f);
            if !self.end_edited.get_untracked() && f.kind == ClaimKind::Outpatient.code() {
                f.end_date = f.start_date.clone();
            }
        });
        self.touched.update(|t| {
            t.insert(field);
        });
        self.server_errors.update(|errs| errs.retain(|e| e.field != field));
    }

    fn kind(self) -> Option<ClaimKind> {
        self.kind.get()
    }
}

fn kind_picker(state: FormState) -> impl IntoView {
    view! {
        <div class="field">
            <span>{move || tc("claim.kind")}</span>
            <div class="segmented big" role="radiogroup">
                {ClaimKind::ALL.map(|k| {
                    let on = move || state.kind() == Some(k);
                    view! {
                        <button
                            type="button"
                            role="radio"
                            class:on=on
                            aria-checked=move || on().to_string()
                            data-testid=format!("claim-kind-{}", k.code())
                            on:click=move |_| state.edit("kind", |f| f.kind = k.code().into())
                        >
                            {move || k.label(current_lang())}
                        </button>
                    }
                })}
            </div>
            {field_message("field-error-kind".into(), move || state.error("kind"))}
        </div>
    }
}

/// One input, its label and its message; dates are date pickers bounded by the claim
/// window, the amount brings up the phone's number keys.
fn input(
    state: FormState,
    field: &'static str,
    label: impl Fn() -> &'static str + Send + Sync + 'static,
    value: fn(&ClaimForm) -> &String,
    set: fn(&mut ClaimForm, String),
) -> impl IntoView {
    let date = field.ends_with("_date");
    let today = today_in_china();
    let earliest = today.checked_sub_days(Days::new(CLAIM_WINDOW_DAYS)).unwrap_or(today);
    view! {
        <label class="field" class:invalid=move || state.error(field).is_some()>
            <span>{label}</span>
            <input
                type=if date { "date" } else { "text" }
                name=field
                autocomplete="off"
                inputmode=(field == "amount").then_some("decimal")
                min=date.then(|| earliest.to_string())
                max=date.then(|| today.to_string())
                placeholder=move || (field == "hospital").then(|| tc("claim.hospital_hint"))
                data-testid=format!("claim-{}", field.trim_end_matches("_date"))
                prop:value=move || state.form.with(|f| value(f).clone())
                on:input=move |ev| {
                    if field == "end_date" {
                        state.end_edited.set(true);
                    }
                    state.edit(field, |f| set(f, event_target_value(&ev)));
                }
                on:blur=move |_| state.touched.update(|t| { t.insert(field); })
            />
            {field_message(format!("field-error-{field}"), move || state.error(field))}
        </label>
    }
}

/// The date key for the chosen kind ("claim.start.inpatient"), inpatient's before a choice.
fn date_label(state: FormState, which: &'static str) -> &'static str {
    let outpatient = state.kind() == Some(ClaimKind::Outpatient);
    match (which, outpatient) {
        ("start", false) => tc("claim.start.inpatient"),
        ("start", true) => tc("claim.start.outpatient"),
        (_, false) => tc("claim.end.inpatient"),
        (_, true) => tc("claim.end.outpatient"),
    }
}

#[component]
pub fn ClaimNew() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let lang = use_lang();
    let state = FormState::new();
    let general_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // One key per intention: a retry after a lost answer creates one draft.
    let key = StoredValue::new(api::idempotency_key());
    let created = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(id) = created.get() {
            navigate(&format!("/claims/{id}"), Default::default());
        }
    });

    let create = move || {
        state.touched.set(FIELDS.into_iter().collect());
        if state.checked.with_untracked(Result::is_err) {
            return;
        }
        let (form, k, lang) = (state.form.get_untracked(), key.get_value(), lang.get_untracked());
        busy.set(true);
        general_error.set(None);
        spawn_local(async move {
            let result = session.check(api::create_claim(form, k).await);
            if busy.try_set(false).is_some() {
                return; // the page is gone
            }
            if !matches!(result, Err(ApiFailure::Network)) {
                key.set_value(api::idempotency_key());
            }
            match result {
                Ok(d) => created.set(Some(d.claim.id)),
                Err(ApiFailure::Fields(errors)) => {
                    // A message about no field of the form is shown above the button.
                    let other: Vec<&str> =
                        errors.iter().filter(|e| !FIELDS.contains(&e.field.as_str())).map(|e| e.message_in(lang)).collect();
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
        <div class="form-page claim-new-page">
            <A href="/claims" attr:class="back">{move || format!("← {}", tc("common.back"))}</A>
            <h1>{move || tc("claim.new")}</h1>
            <form class="card form claim-form" data-testid="claim-form" novalidate on:submit=move |ev| { ev.prevent_default(); create(); }>
                {kind_picker(state)}
                {input(state, "amount", || tc("claim.amount"), |f| &f.amount, |f, v| f.amount = v)}
                <div class="grid">
                    {input(state, "start_date", move || date_label(state, "start"), |f| &f.start_date, |f, v| f.start_date = v)}
                    {input(state, "end_date", move || date_label(state, "end"), |f| &f.end_date, |f, v| f.end_date = v)}
                </div>
                {input(state, "hospital", || tc("claim.hospital"), |f| &f.hospital, |f, v| f.hospital = v)}
                {move || general_error.get().map(|e| view! { <div class="form-error" role="alert" data-testid="claim-error">{e}</div> })}
                <p class="hint">{move || tc("claim.create_note")}</p>
                <button type="submit" class="primary big" data-testid="claim-create" disabled=move || busy.get()>
                    {move || if busy.get() { tc("common.saving") } else { tc("claim.create") }}
                </button>
            </form>
        </div>
    }
}
