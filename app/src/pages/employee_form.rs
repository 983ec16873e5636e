//! Create and edit an employee. Every field is checked as the user types with the same
//! domain rules the server applies; the server's own errors appear in the same places.

use crate::api::{self, ApiFailure};
use crate::components::{field_error, route_employee, Loaded};
use crate::i18n::{current_lang, tr};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use shebao_domain::api::{EmployeeDetail, EmployeePatch};
use shebao_domain::employee::{EmployeeForm, FIELDS};
use shebao_domain::policy::Hukou;
use shebao_domain::{FieldError, ResidentId};
use std::collections::HashSet;

/// The form's state, shared by its fields.
#[derive(Clone, Copy)]
struct FormState {
    form: RwSignal<EmployeeForm>,
    touched: RwSignal<HashSet<&'static str>>,
    server_errors: RwSignal<Vec<FieldError>>,
    /// In edit mode the ID number stays masked (and unchanged) until revealed.
    id_locked: RwSignal<bool>,
}

impl FormState {
    fn new(form: EmployeeForm, id_locked: bool) -> Self {
        FormState {
            form: RwSignal::new(form),
            touched: RwSignal::new(HashSet::new()),
            server_errors: RwSignal::new(Vec::new()),
            id_locked: RwSignal::new(id_locked),
        }
    }

    /// The error of a field: the server's, or the domain rule's once the field was touched.
    fn current_error(self, field: &'static str) -> Option<FieldError> {
        if let Some(e) = self.server_errors.read().iter().find(|e| e.field == field) {
            return Some(e.clone());
        }
        if field == "resident_id" && self.id_locked.get() {
            return None;
        }
        self.touched
            .read()
            .contains(field)
            .then(|| self.form.read().validate_field(field))
            .flatten()
    }

    /// The message under a field.
    fn error(self, field: &'static str) -> Option<String> {
        self.current_error(field).map(|e| e.message_in(current_lang()).to_string())
    }

    /// What the error offers to put in the field instead (the 18-digit form of a 15-digit ID).
    fn suggestion(self, field: &'static str) -> Option<String> {
        self.current_error(field).and_then(|e| e.suggestion)
    }

    fn edit(self, field: &'static str, set: impl FnOnce(&mut EmployeeForm)) {
        self.form.update(set);
        self.touched.update(|t| {
            t.insert(field);
        });
        self.server_errors.update(|errs| errs.retain(|e| e.field != field));
    }

    /// Errors that block sending, as the browser sees them.
    fn blocking_errors(self) -> Vec<FieldError> {
        let locked = self.id_locked.get_untracked();
        match self.form.get_untracked().validate() {
            Ok(_) => vec![],
            Err(errors) => errors.into_iter().filter(|e| !(locked && e.field == "resident_id")).collect(),
        }
    }
}

fn get(form: &EmployeeForm, field: &str) -> String {
    match field {
        "name" => form.name.clone(),
        "resident_id" => form.resident_id.clone(),
        "branch_id" => form.branch_id.clone(),
        "department" => form.department.clone(),
        "phone" => form.phone.clone(),
        "email" => form.email.clone(),
        "hire_date" => form.hire_date.clone(),
        "hukou" => form.hukou.clone(),
        _ => form.salary.clone(),
    }
}

fn set(form: &mut EmployeeForm, field: &str, value: String) {
    match field {
        "name" => form.name = value,
        "resident_id" => form.resident_id = value,
        "branch_id" => form.branch_id = value,
        "department" => form.department = value,
        "phone" => form.phone = value,
        "email" => form.email = value,
        "hire_date" => form.hire_date = value,
        "hukou" => form.hukou = value,
        _ => form.salary = value,
    }
}

fn label_key(field: &str) -> &'static str {
    match field {
        "name" => "emp.name",
        "resident_id" => "emp.resident_id",
        "branch_id" => "emp.branch",
        "department" => "emp.department",
        "phone" => "emp.phone",
        "email" => "emp.email",
        "hire_date" => "emp.hire_date",
        "hukou" => "emp.hukou",
        _ => "emp.salary",
    }
}

fn error_line(state: FormState, field: &'static str) -> impl IntoView {
    field_error(field, move || state.error(field))
}

fn text_input(state: FormState, field: &'static str, kind: &'static str, mode: &'static str) -> impl IntoView {
    view! {
        <label class="field" class:invalid=move || state.error(field).is_some()>
            <span>{move || tr(label_key(field))}</span>
            <input
                type=kind
                inputmode=mode
                name=field
                data-testid=format!("field-{field}")
                prop:value=move || get(&state.form.read(), field)
                on:input=move |ev| state.edit(field, |f| set(f, field, event_target_value(&ev)))
                on:blur=move |_| state.touched.update(|t| { t.insert(field); })
            />
            {error_line(state, field)}
        </label>
    }
}

/// The ID field with what the number says: birth date and gender.
fn resident_id_input(state: FormState, masked: Option<String>, employee_id: Option<String>) -> impl IntoView {
    let reveal = Action::new_local(move |id: &String| api::reveal_id(id.clone()));
    Effect::new(move |_| {
        if let Some(Ok(revealed)) = reveal.value().get() {
            state.form.update(|f| f.resident_id = revealed.resident_id);
            state.id_locked.set(false);
        }
    });
    let decoded = move || {
        ResidentId::parse(&state.form.read().resident_id).ok().map(|id| {
            format!("{} · {} · {}", id.kind().label(current_lang()), id.birth_date(), id.gender().label_zh())
        })
    };
    // A valid number is shown as it will be stored: full-width digits and spaces made plain.
    let leave = move || {
        let typed = state.form.read_untracked().resident_id.clone();
        if let Ok(id) = ResidentId::parse(&typed) {
            if id.as_str() != typed {
                state.form.update(|f| f.resident_id = id.to_string());
            }
        }
        state.touched.update(|t| { t.insert("resident_id"); });
    };
    view! {
        <div class="field" class:invalid=move || state.error("resident_id").is_some()>
            <span>{move || tr("emp.resident_id")}</span>
            <Show
                when=move || state.id_locked.get()
                fallback=move || view! {
                    <input
                        name="resident_id"
                        data-testid="field-resident_id"
                        maxlength="40"
                        autocomplete="off"
                        prop:value=move || state.form.read().resident_id.clone()
                        on:input=move |ev| state.edit("resident_id", |f| f.resident_id = event_target_value(&ev))
                        on:blur=move |_| leave()
                    />
                }
            >
                <div class="masked-id">
                    <span class="mono" data-testid="masked-id">{masked.clone()}</span>
                    <button
                        type="button"
                        class="link"
                        data-testid="reveal-id"
                        disabled=move || reveal.pending().get()
                        on:click={
                            let employee_id = employee_id.clone();
                            move |_| { if let Some(id) = employee_id.clone() { reveal.dispatch(id); } }
                        }
                    >
                        {move || tr("emp.reveal")}
                    </button>
                    <small class="hint">{move || tr("emp.reveal_note")}</small>
                </div>
            </Show>
            {move || match reveal.value().get() {
                Some(Err(e)) => Some(view! { <p class="field-error" role="alert">{e.to_string()}</p> }),
                _ => None,
            }}
            {error_line(state, "resident_id")}
            {move || state.suggestion("resident_id").map(|eighteen| view! {
                <button
                    type="button"
                    class="link id-suggestion"
                    data-testid="id-suggestion"
                    on:click=move |_| {
                        let eighteen = eighteen.clone();
                        state.edit("resident_id", |f| f.resident_id = eighteen);
                    }
                >
                    {move || tr("emp.id_use_18")}
                </button>
            })}
            {move || decoded().map(|d| view! {
                <p class="derived" data-testid="id-derived">{move || tr("emp.form.from_id")}": "{d.clone()}</p>
            })}
        </div>
    }
}

fn branch_select(state: FormState) -> impl IntoView {
    let session = use_session();
    let branches = LocalResource::new(move || async move { session.check(api::branches().await) });
    view! {
        <label class="field" class:invalid=move || state.error("branch_id").is_some()>
            <span>{move || tr("emp.branch")}</span>
            <select
                name="branch_id"
                data-testid="field-branch_id"
                prop:value=move || state.form.read().branch_id.clone()
                on:change=move |ev| state.edit("branch_id", |f| f.branch_id = event_target_value(&ev))
            >
                <option value="">{move || tr("emp.form.choose_branch")}</option>
                {move || {
                    let selected = state.form.read().branch_id.clone();
                    branches.get().and_then(Result::ok).unwrap_or_default().into_iter()
                        .map(|b| {
                            let is_selected = b.id == selected;
                            view! { <option value=b.id.clone() selected=is_selected>{format!("{}（{}）", b.name, b.city_name)}</option> }
                        })
                        .collect_view()
                }}
            </select>
            {error_line(state, "branch_id")}
        </label>
    }
}

/// Local or non-local hukou; a blank form value is local.
fn hukou_select(state: FormState) -> impl IntoView {
    const F: &str = "hukou";
    let current = move || Hukou::from_code(get(&state.form.read(), F).trim()).unwrap_or_default();
    view! {
        <label class="field" class:invalid=move || state.error(F).is_some()>
            <span>{move || tr(label_key(F))}</span>
            <select
                name=F
                data-testid="field-hukou"
                prop:value=move || current().code()
                on:change=move |ev| state.edit(F, |f| set(f, F, event_target_value(&ev)))
            >
                {Hukou::ALL.into_iter().map(|h| view! {
                    <option value=h.code() selected=move || current() == h>{move || h.label(current_lang())}</option>
                }).collect_view()}
            </select>
            {error_line(state, F)}
        </label>
    }
}

/// What the form saves through: a create with an idempotency key, or a versioned patch.
#[derive(Clone)]
enum Mode {
    New,
    Edit { id: String, version: i64, masked: String },
}

#[component]
fn EmployeeFormView(initial: EmployeeForm, mode: Mode) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let (masked, employee_id) = match &mode {
        Mode::Edit { id, masked, .. } => (Some(masked.clone()), Some(id.clone())),
        Mode::New => (None, None),
    };
    let state = FormState::new(initial, matches!(mode, Mode::Edit { .. }));
    let general_error = RwSignal::new(None::<String>);
    // One key per intention to create: a retry after a lost answer creates nothing twice.
    let key = StoredValue::new(api::idempotency_key());

    let save = Action::new_local({
        let mode = mode.clone();
        move |form: &EmployeeForm| {
            let (form, mode, locked) = (form.clone(), mode.clone(), state.id_locked.get_untracked());
            async move {
                let result = match mode {
                    Mode::New => api::create_employee(form, key.get_value()).await,
                    Mode::Edit { id, version, .. } => {
                        let patch = EmployeePatch {
                            version,
                            name: Some(form.name),
                            resident_id: (!locked).then_some(form.resident_id),
                            branch_id: Some(form.branch_id),
                            department: Some(form.department),
                            phone: Some(form.phone),
                            email: Some(form.email),
                            hire_date: Some(form.hire_date),
                            salary: Some(form.salary),
                            hukou: Some(form.hukou),
                        };
                        api::update_employee(id, patch).await
                    }
                };
                session.check(result)
            }
        }
    });

    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            key.set_value(api::idempotency_key());
            navigate(&format!("/employees/{}", saved.id), Default::default());
        }
        Some(Err(ApiFailure::Fields(errors))) => {
            state.server_errors.set(errors);
            general_error.set(None);
        }
        Some(Err(e)) => general_error.set(Some(e.to_string())),
        None => {}
    });

    let cancel_href = match &mode {
        Mode::Edit { id, .. } => format!("/employees/{id}"),
        Mode::New => "/employees".into(),
    };
    view! {
        <form
            class="card form"
            data-testid="employee-form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                state.touched.set(FIELDS.into_iter().collect());
                if state.blocking_errors().is_empty() {
                    save.dispatch(state.form.get_untracked());
                }
            }
        >
            <div class="grid">
                {text_input(state, "name", "text", "text")}
                {resident_id_input(state, masked, employee_id)}
                {branch_select(state)}
                {text_input(state, "department", "text", "text")}
                {text_input(state, "phone", "tel", "numeric")}
                {text_input(state, "email", "email", "email")}
                {text_input(state, "hire_date", "date", "text")}
                {text_input(state, "salary", "text", "decimal")}
                {hukou_select(state)}
            </div>
            {move || general_error.get().map(|e| view! { <p class="form-error" role="alert" data-testid="form-error">{e}</p> })}
            <div class="actions">
                <A href=cancel_href attr:class="button">{move || tr("common.cancel")}</A>
                <button class="primary" type="submit" data-testid="save" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { tr("common.saving") } else { tr("common.save") }}
                </button>
            </div>
        </form>
    }
}

#[component]
pub fn EmployeeNew() -> impl IntoView {
    let session = use_session();
    let initial = EmployeeForm {
        branch_id: session.user.get_untracked().and_then(|m| m.branch_id).unwrap_or_default(),
        ..EmployeeForm::default()
    };
    view! {
        <div class="form-page">
            <h1>{move || tr("emp.form.new")}</h1>
            <EmployeeFormView initial=initial mode=Mode::New />
        </div>
    }
}

fn form_from(d: &EmployeeDetail) -> EmployeeForm {
    EmployeeForm {
        name: d.name.clone(),
        resident_id: String::new(),
        branch_id: d.branch_id.clone(),
        department: d.department.clone().unwrap_or_default(),
        phone: d.phone.clone().unwrap_or_default(),
        email: d.email.clone().unwrap_or_default(),
        hire_date: d.hire_date.clone(),
        salary: d.salary.to_string(),
        hukou: d.hukou.code().to_string(),
    }
}

#[component]
pub fn EmployeeEdit() -> impl IntoView {
    let employee = route_employee();
    view! {
        <div class="form-page">
            <h1>{move || tr("emp.form.edit")}</h1>
            <Loaded resource=employee let:d>
                {
                    let mode = Mode::Edit { id: d.id.clone(), version: d.version, masked: d.resident_id_masked.clone() };
                    untrack(move || view! { <EmployeeFormView initial=form_from(&d) mode=mode /> })
                }
            </Loaded>
        </div>
    }
}
