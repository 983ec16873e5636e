//! New and corrected enrollment requests (增员 / 补缴 / 减员 / 基数调整). The flow is: the
//! person, the kind, the price, then submit. Every field is checked as the user types with
//! the domain's `RequestForm` rules, the same the server applies; a submit that costs money
//! first shows the server's price in a confirmation.

use crate::api::{self, ApiFailure, ApiResult};
use crate::components::{field_error, ins_label, kind_label, parse_date, price_table, route_request, Loaded, Loading};
use crate::i18n::{current_lang, tr};
use crate::session::{use_session, Session};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use shebao_domain::api::{
    ActionBody, CreateRequest, EmployeeDetail, EmployeeSummary, PricePreview, RequestDetail, RequestPatch,
};
use shebao_domain::enrollment::{
    editable, RequestAction, RequestForm, RequestKind, RequestState, ValidRequest, FIELDS,
};
use shebao_domain::ids::today_in_china;
use shebao_domain::policy::{offered, City, InsuranceType};
use shebao_domain::pricing::explain_back_payment;
use shebao_domain::{FieldError, Period};
use std::collections::HashSet;
use std::time::Duration;

/// What the form saves through: a create with an idempotency key, or a versioned patch
/// (followed by the submit action when the user submits a draft or a rejected request).
#[derive(Clone)]
enum Mode {
    New,
    Edit { id: String, version: i64, state: RequestState },
}

/// The chosen person, as the form shows them and checks against.
#[derive(Clone)]
struct Person {
    name: String,
    resident_id_masked: String,
    branch_name: String,
    /// The city and the hire date decide what is valid.
    city: Option<City>,
    hire_date: String,
}

impl From<&EmployeeDetail> for Person {
    fn from(e: &EmployeeDetail) -> Self {
        Person {
            name: e.name.clone(),
            resident_id_masked: e.resident_id_masked.clone(),
            branch_name: e.branch_name.clone(),
            city: City::from_code(&e.city),
            hire_date: e.hire_date.clone(),
        }
    }
}

/// A request's detail carries its employee: a correction needs no second call.
impl From<&RequestDetail> for Person {
    fn from(d: &RequestDetail) -> Self {
        Person {
            name: d.summary.employee_name.clone(),
            resident_id_masked: d.resident_id_masked.clone(),
            branch_name: d.summary.branch_name.clone(),
            city: Some(d.city),
            hire_date: d.hire_date.clone(),
        }
    }
}

/// The form's state, shared by its parts.
#[derive(Clone, Copy)]
struct FormState {
    session: Session,
    form: RwSignal<RequestForm>,
    touched: RwSignal<HashSet<&'static str>>,
    /// Whether the user typed a month: until then a new kind brings its own default months.
    months_edited: RwSignal<bool>,
    server_errors: RwSignal<Vec<FieldError>>,
    employee: RwSignal<Option<Person>>,
    /// The base is the wage on record, which each type clamps into its own range.
    base_from_salary: RwSignal<bool>,
    checked: Memo<Result<ValidRequest, Vec<FieldError>>>,
    /// The chosen kind: what depends on it is redrawn when it changes, not on every keystroke.
    kind: Memo<Option<RequestKind>>,
    /// The form as the server will get it, once it passes every rule.
    valid: Memo<Option<RequestForm>>,
    /// The last price and the form it was computed for.
    priced: RwSignal<Option<(RequestForm, ApiResult<PricePreview>)>>,
    pricing: RwSignal<bool>,
    /// The request being corrected, if any.
    editing: StoredValue<Option<String>>,
}

impl FormState {
    fn new(initial: RequestForm, employee: Option<Person>, editing: Option<String>) -> Self {
        let form = RwSignal::new(initial);
        let employee = RwSignal::new(employee);
        let checked = Memo::new(move |_| {
            // Until the employee (and so the city) is known, only the form's own rules.
            let known = employee.with(|e| e.as_ref().and_then(|e| e.city.map(|city| (city, parse_date(&e.hire_date)))));
            form.with(|f| match known {
                Some((city, hired)) => f.validate(city, hired),
                None => Err(f.errors_without_employee()),
            })
        });
        FormState {
            session: use_session(),
            form,
            touched: RwSignal::new(HashSet::new()),
            months_edited: RwSignal::new(false),
            server_errors: RwSignal::new(Vec::new()),
            employee,
            base_from_salary: RwSignal::new(false),
            checked,
            kind: Memo::new(move |_| form.with(|f| RequestKind::from_code(&f.kind))),
            valid: Memo::new(move |_| checked.with(|c| c.as_ref().ok().map(RequestForm::from))),
            priced: RwSignal::new(None),
            pricing: RwSignal::new(false),
            editing: StoredValue::new(editing),
        }
    }

    /// The message under a field: the server's, or the domain rule's once the field was touched.
    fn error(self, field: &'static str) -> Option<String> {
        if let Some(e) = self.server_errors.read().iter().find(|e| e.field == field) {
            return Some(e.message_in(current_lang()).to_string());
        }
        if !self.touched.read().contains(field) {
            return None;
        }
        self.checked.with(|c| c.as_ref().err()?.iter().find(|e| e.field == field).map(|e| e.message_in(current_lang()).to_string()))
    }

    fn edit(self, field: &'static str, set: impl FnOnce(&mut RequestForm)) {
        self.form.update(set);
        self.touched.update(|t| {
            t.insert(field);
        });
        self.server_errors.update(|errs| errs.retain(|e| e.field != field));
    }

    fn kind(self) -> Option<RequestKind> {
        self.kind.get()
    }

    /// Asks the server for the price of `form`; kept only if the form has not changed since.
    fn run_preview(self, form: RequestForm) {
        self.pricing.set(true);
        spawn_local(async move {
            let editing = self.editing.try_get_value().flatten();
            let result = self.session.check(api::preview_request(form.clone(), editing).await);
            if let Err(ApiFailure::Fields(errors)) = &result {
                self.server_errors.try_set(errors.clone());
            }
            if self.valid.try_get_untracked().flatten().as_ref() == Some(&form) {
                self.priced.try_set(Some((form, result)));
            }
            self.pricing.try_set(false);
        });
    }

    /// The price of the form as it is now, if the server has answered for it.
    fn price(self) -> Option<ApiResult<PricePreview>> {
        self.priced.with(|p| match p {
            Some((form, result)) if self.valid.with(|v| v.as_ref() == Some(form)) => Some(result.clone()),
            _ => None,
        })
    }

    /// The chosen person, with the wage prefilled from the registry (each type clamps it
    /// into its own range) and the types their city does not offer on their own left out.
    fn pick(self, e: EmployeeDetail) {
        let now = Period::of(today_in_china());
        let city = City::from_code(&e.city);
        self.form.update(|f| {
            f.employee_id = e.id.clone();
            f.base = e.salary.to_string();
            if let Some(city) = city {
                f.insurance_types.retain(|c| InsuranceType::from_code(c).is_none_or(|t| offered(city, now, t)));
            }
        });
        self.base_from_salary.set(true);
        self.server_errors.update(|errs| errs.retain(|x| x.field != "employee_id" && x.field != "base"));
        self.employee.set(Some(Person::from(&e)));
    }
}

const SOCIAL_LINES: [InsuranceType; 5] = [
    InsuranceType::Pension,
    InsuranceType::Medical,
    InsuranceType::Unemployment,
    InsuranceType::WorkInjury,
    InsuranceType::Maternity,
];

/// This month, or the last one for a back-payment.
fn default_month(kind: Option<RequestKind>) -> String {
    let now = Period::of(today_in_china());
    if kind == Some(RequestKind::BackPayment) { now.prev() } else { now }.to_string()
}

/// Kinds that cover exactly one month: one month field instead of two.
fn single_month(kind: Option<RequestKind>) -> bool {
    kind.is_some_and(RequestKind::single_month)
}

fn choose_kind(state: FormState, kind: RequestKind) {
    let months_edited = state.months_edited.get_untracked();
    state.edit("kind", |f| {
        f.kind = kind.code().into();
        if !months_edited {
            f.from_month = default_month(Some(kind));
            f.to_month = f.from_month.clone();
        } else if single_month(Some(kind)) {
            f.to_month = f.from_month.clone();
        }
    });
}

fn employee_picker(state: FormState, fixed: bool, preselect: Option<String>) -> impl IntoView {
    let session = state.session;
    let typed = StoredValue::new(String::new());
    let results = RwSignal::new(None::<ApiResult<Vec<EmployeeSummary>>>);
    let loading = RwSignal::new(false);
    let load_error = RwSignal::new(None::<String>);
    let choose = move |id: String| {
        loading.set(true);
        load_error.set(None);
        spawn_local(async move {
            let result = session.check(api::employee(&id).await);
            if loading.try_set(false).is_some() {
                return; // the form is gone
            }
            match result {
                Ok(e) => state.pick(e),
                Err(e) => load_error.set(Some(e.to_string())),
            }
        });
    };
    // Searches shortly after the last keystroke; an answer for older text is dropped.
    let search = move |q: String| {
        spawn_local(async move {
            let result = session.check(api::employees(q.trim(), "", "", "").await).map(|page| page.items);
            if typed.try_get_value().as_ref() == Some(&q) {
                results.try_set(Some(result));
            }
        });
    };
    if let Some(id) = preselect {
        choose(id);
    }

    view! {
        <div class="field" class:invalid=move || state.error("employee_id").is_some()>
            <span>{move || tr("req.employee")}</span>
            {move || match state.employee.get() {
                Some(e) => view! {
                    <div class="picked" data-testid="employee-picked">
                        <div>
                            <strong data-testid="picked-name">{e.name}</strong>" "
                            <span class="mono">{e.resident_id_masked}</span>
                            <div class="hint">{e.branch_name}" · "{move || tr("emp.hire_date")}" "{e.hire_date}</div>
                        </div>
                        {(!fixed).then(|| view! {
                            <button type="button" class="link" data-testid="employee-change" on:click=move |_| {
                                state.employee.set(None);
                                state.base_from_salary.set(false);
                                state.edit("employee_id", |f| f.employee_id.clear());
                                typed.set_value(String::new());
                                results.set(None);
                            }>
                                {move || tr("req.change_employee")}
                            </button>
                        })}
                    </div>
                }
                .into_any(),
                None if loading.get() => view! { <Loading /> }.into_any(),
                None => view! {
                    <div class="picker">
                        <input
                            type="search"
                            data-testid="employee-search"
                            autocomplete="off"
                            placeholder=move || tr("req.pick_search")
                            on:input=move |ev| {
                                let q = event_target_value(&ev);
                                typed.set_value(q.clone());
                                if q.trim().is_empty() {
                                    results.set(None);
                                    return;
                                }
                                set_timeout(
                                    move || {
                                        if typed.try_get_value().as_ref() == Some(&q) {
                                            search(q);
                                        }
                                    },
                                    Duration::from_millis(250),
                                );
                            }
                        />
                        <ul class="results" data-testid="employee-results">
                            {move || results.get().map(|found| match found {
                                Ok(found) if found.is_empty() => view! { <li class="hint">{tr("req.pick_none")}</li> }.into_any(),
                                Ok(found) => view! {
                                    <For each=move || found.clone() key=|e| e.id.clone() let:e>
                                        <li>
                                            <button type="button" data-testid="employee-result" on:click=move |_| choose(e.id.clone())>
                                                <strong>{e.name.clone()}</strong>" "
                                                <span class="mono">{e.resident_id_masked.clone()}</span>" "
                                                <span class="hint">{e.branch_name.clone()}</span>
                                            </button>
                                        </li>
                                    </For>
                                }
                                .into_any(),
                                Err(e) => view! { <li class="field-error">{e.to_string()}</li> }.into_any(),
                            })}
                        </ul>
                    </div>
                }
                .into_any(),
            }}
            {field_error("employee_search", move || load_error.get())}
            {field_error("employee_id", move || state.error("employee_id"))}
        </div>
    }
}

fn kind_picker(state: FormState) -> impl IntoView {
    view! {
        <div class="field">
            <span>{move || tr("req.kind")}</span>
            <div class="segmented" role="radiogroup" data-testid="field-kind">
                {RequestKind::ALL.into_iter().map(|k| {
                    let on = move || state.kind() == Some(k);
                    view! {
                        <button
                            type="button"
                            role="radio"
                            class:on=on
                            aria-checked=move || on().to_string()
                            data-testid=format!("kind-{}", k.code())
                            on:click=move |_| choose_kind(state, k)
                        >
                            {move || kind_label(k)}
                        </button>
                    }
                }).collect_view()}
            </div>
            {field_error("kind", move || state.error("kind"))}
            {move || (state.kind() == Some(RequestKind::BackPayment)).then(|| {
                let text = explain_back_payment(current_lang());
                view! { <p class="explain" data-testid="back-payment-explanation">{text}</p> }.into_any()
            })}
        </div>
    }
}

fn type_checks(state: FormState) -> impl IntoView {
    view! {
        <div class="field" class:invalid=move || state.error("insurance_types").is_some()>
            <span>{move || tr("req.types")}</span>
            <div class="checks" data-testid="field-insurance_types">
                {InsuranceType::ALL.into_iter().map(|it| {
                    let code = it.code();
                    // Maternity where it is paid within medical.
                    let merged = move || {
                        let now = Period::of(today_in_china());
                        state.employee.with(|e| e.as_ref().and_then(|e| e.city).is_some_and(|city| !offered(city, now, it)))
                    };
                    view! {
                        <label class="check" class:disabled=merged title=move || merged().then(|| tr("req.type_merged"))>
                            <input
                                type="checkbox"
                                prop:disabled=merged
                                data-testid=format!("type-{code}")
                                prop:checked=move || state.form.read().insurance_types.iter().any(|c| c == code)
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    state.edit("insurance_types", |f| {
                                        let had: Vec<String> = std::mem::take(&mut f.insurance_types);
                                        f.insurance_types = InsuranceType::ALL
                                            .into_iter()
                                            .map(InsuranceType::code)
                                            .filter(|c| if *c == code { on } else { had.iter().any(|h| h == c) })
                                            .map(String::from)
                                            .collect();
                                    });
                                }
                            />
                            {move || ins_label(it)}
                            {move || merged().then(|| view! { <small class="muted" data-testid=format!("type-{code}-merged")>{tr("req.type_merged")}</small> })}
                        </label>
                    }
                }).collect_view()}
            </div>
            {field_error("insurance_types", move || state.error("insurance_types"))}
        </div>
    }
}

fn base_input(state: FormState) -> impl IntoView {
    view! {
        <label class="field" class:invalid=move || state.error("base").is_some()>
            <span>{move || tr("req.base")}</span>
            <input
                name="base"
                inputmode="decimal"
                autocomplete="off"
                data-testid="field-base"
                prop:value=move || state.form.read().base.clone()
                on:input=move |ev| {
                    state.base_from_salary.set(false);
                    state.edit("base", |f| f.base = event_target_value(&ev));
                }
                on:blur=move |_| state.touched.update(|t| { t.insert("base"); })
            />
            {field_error("base", move || state.error("base"))}
            {move || state.base_from_salary.get().then(|| view! { <p class="derived" data-testid="base-derived">{tr("req.base_from_salary")}</p> })}
        </label>
    }
}

fn month_input(state: FormState, field: &'static str) -> impl IntoView {
    let single = move || single_month(state.kind());
    let label = move || match field {
        "to_month" => "req.to_month",
        _ if single() => "req.month",
        _ => "req.from_month",
    };
    // One field for one-month kinds: its messages include the end month's.
    let error = move || {
        state.error(field).or_else(|| (field == "from_month" && single()).then(|| state.error("to_month")).flatten())
    };
    view! {
        <label class="field" class:invalid=move || error().is_some()>
            <span>{move || tr(label())}</span>
            <input
                type="month"
                name=field
                placeholder="YYYY-MM"
                data-testid=format!("field-{field}")
                prop:value=move || {
                    let f = state.form.read();
                    if field == "to_month" { f.to_month.clone() } else { f.from_month.clone() }
                }
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    let one = single();
                    state.months_edited.set(true);
                    state.edit(field, |f| {
                        if field == "to_month" {
                            f.to_month = v;
                        } else {
                            if one {
                                f.to_month = v.clone();
                            }
                            f.from_month = v;
                        }
                    });
                }
            />
            {field_error(field, error)}
        </label>
    }
}

fn reason_input(state: FormState) -> impl IntoView {
    let required = move || state.kind().is_some_and(RequestKind::needs_reason);
    view! {
        <label class="field" class:invalid=move || state.error("reason").is_some()>
            <span>{move || tr(if required() { "req.reason_required" } else { "req.reason" })}</span>
            <textarea
                name="reason"
                rows="2"
                data-testid="field-reason"
                prop:value=move || state.form.read().reason.clone()
                on:input=move |ev| state.edit("reason", |f| f.reason = event_target_value(&ev))
                on:blur=move |_| state.touched.update(|t| { t.insert("reason"); })
            ></textarea>
            {field_error("reason", move || state.error("reason"))}
        </label>
    }
}

/// The price as the user types: asked for shortly after the form becomes valid.
fn price_section(state: FormState) -> impl IntoView {
    view! {
        <section class="price-preview" data-testid="price-preview">
            <div class="section-head">
                <h2>{move || tr("req.price")}</h2>
                <button
                    type="button"
                    class="link"
                    data-testid="preview-price"
                    disabled=move || state.valid.read().is_none() || state.pricing.get()
                    on:click=move |_| {
                        state.touched.set(FIELDS.into_iter().collect());
                        if let Some(f) = state.valid.get_untracked() {
                            state.run_preview(f);
                        }
                    }
                >
                    {move || tr("req.calc")}
                </button>
            </div>
            {move || match state.price() {
                Some(Ok(p)) => price_table(&p.price).into_any(),
                Some(Err(e)) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                None if state.pricing.get() => view! { <Loading /> }.into_any(),
                None => view! { <p class="hint">{tr("req.price_pending")}</p> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn RequestFormView(
    initial: RequestForm,
    employee: Option<Person>,
    preselect: Option<String>,
    mode: Mode,
) -> impl IntoView {
    let navigate = use_navigate();
    let fixed = employee.is_some();
    let editing = match &mode {
        Mode::Edit { id, .. } => Some(id.clone()),
        Mode::New => None,
    };
    let state = FormState::new(initial, employee, editing);
    let (cancel_href, can_draft, is_edit) = match &mode {
        Mode::New => ("/enrollments".to_string(), true, false),
        // A submitted request (an approval was revoked) goes back to review when saved, so
        // only the priced submit is offered.
        Mode::Edit { id, state, .. } => (format!("/enrollments/{id}"), *state != RequestState::Submitted, true),
    };
    let stale_href = cancel_href.clone();
    let mode = StoredValue::new(mode);
    let confirming = RwSignal::new(false);
    let general_error = RwSignal::new(None::<String>);
    // One key per intention: a retry after a lost answer creates or submits nothing twice.
    let key = StoredValue::new(api::idempotency_key());

    let busy = RwSignal::new(false);
    let saved = RwSignal::new(None::<String>);
    let save = move |submit: bool| {
        let form = state.valid.get_untracked().unwrap_or_default();
        let (m, k, session) = (mode.get_value(), key.get_value(), state.session);
        busy.set(true);
        general_error.set(None);
        spawn_local(async move {
            let result = match m {
                Mode::New => api::create_request(CreateRequest { form, submit }, k).await,
                Mode::Edit { id, version, .. } => match api::update_request(id.clone(), RequestPatch { version, form }).await {
                    Ok(d) => {
                        // A retry after a failed submit patches the version saved here.
                        mode.try_update_value(|m| {
                            if let Mode::Edit { version, .. } = m {
                                *version = d.summary.version;
                            }
                        });
                        if submit && d.actions.contains(&RequestAction::Submit) {
                            let body = ActionBody { version: d.summary.version, reason: None };
                            api::request_action(id, RequestAction::Submit, body, k).await
                        } else {
                            Ok(d)
                        }
                    }
                    failed => failed,
                },
            };
            let result = session.check(result);
            if busy.try_set(false).is_some() {
                return; // the form is gone
            }
            match result {
                Ok(d) => {
                    key.set_value(api::idempotency_key());
                    saved.set(Some(d.summary.id));
                }
                Err(ApiFailure::Fields(errors)) => {
                    // Errors about no field of the form are shown above the buttons.
                    let other: Vec<&str> =
                        errors.iter().filter(|e| !FIELDS.contains(&e.field.as_str())).map(|e| e.message_in(current_lang())).collect();
                    if !other.is_empty() {
                        general_error.set(Some(other.join("；")));
                    }
                    state.server_errors.set(errors);
                    confirming.set(false);
                }
                Err(e) => {
                    general_error.set(Some(e.to_string()));
                    confirming.set(false);
                }
            }
        });
    };
    Effect::new(move |_| {
        if let Some(id) = saved.get() {
            navigate(&format!("/enrollments/{id}"), Default::default());
        }
    });

    // Re-price shortly after the last change that leaves the form valid.
    Effect::new(move |_| {
        if let Some(f) = state.valid.get() {
            set_timeout(
                move || {
                    if state.valid.try_get_untracked().flatten().as_ref() == Some(&f) {
                        state.run_preview(f);
                    }
                },
                Duration::from_millis(300),
            );
        }
    });

    let attempt = move |submit: bool| {
        state.touched.set(FIELDS.into_iter().collect());
        let Some(f) = state.valid.get_untracked() else { return };
        general_error.set(None);
        if submit && RequestKind::from_code(&f.kind).is_some_and(RequestKind::has_cost) {
            if !matches!(state.price(), Some(Ok(_))) && !state.pricing.get_untracked() {
                state.run_preview(f);
            }
            confirming.set(true);
        } else {
            save(submit);
        }
    };

    let dialog = move || {
        confirming.get().then(|| {
            view! {
                <div class="modal-backdrop">
                    <div class="modal" role="dialog" aria-modal="true" aria-labelledby="confirm-title" data-testid="confirm-dialog">
                        <h2 id="confirm-title">{move || tr("req.confirm_title")}</h2>
                        {move || match state.price() {
                            Some(Ok(p)) => view! {
                                <p class="confirm-text" data-testid="confirm-text">{p.confirmation_in(current_lang()).to_string()}</p>
                                {p.explanation.map(|x| view! { <p class="explain" data-testid="confirm-explanation">{x}</p> })}
                                {price_table(&p.price)}
                            }
                            .into_any(),
                            Some(Err(e)) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                            None => view! { <Loading /> }.into_any(),
                        }}
                        <div class="actions">
                            <button type="button" data-testid="confirm-cancel" on:click=move |_| confirming.set(false)>
                                {move || tr("common.cancel")}
                            </button>
                            <button
                                type="button"
                                class="primary"
                                data-testid="confirm-submit"
                                disabled=move || busy.get() || !matches!(state.price(), Some(Ok(_)))
                                on:click=move |_| save(true)
                            >
                                {move || if busy.get() { tr("common.saving") } else { tr("req.confirm_submit") }}
                            </button>
                        </div>
                    </div>
                </div>
            }
        })
    };

    // The rest of the form appears once the person is chosen: person first, then the kind.
    let has_employee = Memo::new(move |_| state.employee.read().is_some());
    let rest = move || {
        has_employee.get().then(|| {
            view! {
                {kind_picker(state)}
                {type_checks(state)}
                <div class="grid">
                    {base_input(state)}
                    <div class="month-pair">
                        {month_input(state, "from_month")}
                        {move || (!single_month(state.kind())).then(|| month_input(state, "to_month").into_any())}
                    </div>
                </div>
                {reason_input(state)}
                // The confirmation shows the same table; one on the page at a time.
                {move || (!confirming.get()).then(|| price_section(state).into_any())}
            }
            .into_any()
        })
    };

    view! {
        <form class="card form request-form" data-testid="request-form" novalidate on:submit=|ev| ev.prevent_default()>
            {employee_picker(state, fixed, preselect)}
            {rest}
            {move || general_error.get().map(|e| {
                let stale = is_edit.then(|| view! { " " <A href=stale_href.clone()>{move || tr("req.stale_link")}</A> });
                view! { <div class="form-error" role="alert" data-testid="form-error">{e}{stale}</div> }.into_any()
            })}
            <div class="actions">
                <A href=cancel_href.clone() attr:class="button">{move || tr("common.cancel")}</A>
                {can_draft.then(|| view! {
                    <button type="button" data-testid="save-draft" disabled=move || busy.get() on:click=move |_| attempt(false)>
                        {move || if is_edit { tr("common.save") } else { tr("req.save_draft") }}
                    </button>
                })}
                <button type="button" class="primary" data-testid="submit-request" disabled=move || busy.get() on:click=move |_| attempt(true)>
                    {move || tr("req.submit")}
                </button>
            </div>
            {dialog}
        </form>
    }
}

#[component]
pub fn EnrollmentNew() -> impl IntoView {
    let query = use_query_map();
    view! {
        <div class="form-page">
            <h1>{move || tr("req.new")}</h1>
            // Re-created when the query changes: ?kind= and ?employee= preset the form.
            {move || {
                let (kind, preselect) = query.with(|q| {
                    let kind = q.get("kind").and_then(|k| RequestKind::from_code(&k));
                    (kind, q.get("employee").filter(|e| !e.is_empty()))
                });
                let month = default_month(kind);
                let initial = RequestForm {
                    kind: kind.map(|k| k.code().to_string()).unwrap_or_default(),
                    insurance_types: SOCIAL_LINES.iter().map(|t| t.code().to_string()).collect(),
                    from_month: month.clone(),
                    to_month: month,
                    ..RequestForm::default()
                };
                untrack(move || view! { <RequestFormView initial=initial employee=None preselect=preselect mode=Mode::New /> })
            }}
        </div>
    }
}

#[component]
pub fn EnrollmentEdit() -> impl IntoView {
    let request = route_request();
    view! {
        <div class="form-page">
            <h1>{move || tr("req.edit")}</h1>
            <Loaded resource=request let:d>
                {if !editable(d.summary.state) {
                    view! {
                        <p class="empty card" data-testid="not-editable">
                            {tr("req.not_editable")}" "<A href=format!("/enrollments/{}", d.summary.id)>{tr("common.back")}</A>
                        </p>
                    }
                    .into_any()
                } else {
                    let mode = Mode::Edit { id: d.summary.id.clone(), version: d.summary.version, state: d.summary.state };
                    let (initial, employee) = (RequestForm::from(&d), Person::from(&d));
                    untrack(move || view! { <RequestFormView initial=initial employee=Some(employee) preselect=None mode=mode /> }).into_any()
                }}
            </Loaded>
        </div>
    }
}
