//! One enrollment request: what it is and costs, what changed since the last review, the
//! actions the server allows the signed-in user now, the countdown to execution, and its
//! history.

use crate::api::{self, ApiFailure, ApiResult};
use crate::components::{
    badge, changes_list, china_time, clock, kind_label, months_text, price_table, route_request, ticker, types_text,
    Loaded, Loading, Timeline,
};
use crate::i18n::{current_lang, tr};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use shebao_domain::api::{ActionBody, PricePreview, RequestDetail};
use shebao_domain::enrollment::{editable, may_prepare, RequestAction, RequestForm, RequestKind, RequestState};
use shebao_domain::pricing::explain_back_payment;
use shebao_domain::money::format_yuan;

/// Title, state, and the links to edit and to the revocation form.
fn head(d: &RequestDetail, can_edit: bool) -> impl IntoView {
    let s = &d.summary;
    let id = &s.id;
    view! {
        <div class="page-head">
            <h1 data-testid="request-title">{kind_label(s.kind)}" · "{s.employee_name.clone()}" "{badge(s.state)}</h1>
            <div class="head-actions">
                {d.executed_at.is_some().then(|| view! {
                    <A href=format!("/enrollments/{id}/revocation-form") attr:class="button" attr:data-testid="revocation-form-link">
                        {tr("req.print_link")}
                    </A>
                })}
                {can_edit.then(|| view! {
                    <A href=format!("/enrollments/{id}/edit") attr:class="button" attr:data-testid="edit-request">{tr("common.edit")}</A>
                })}
            </div>
        </div>
    }
}

/// The request as labelled values; a value it does not have is left out.
fn summary(d: &RequestDetail) -> impl IntoView {
    let s = &d.summary;
    let time = |v: &Option<String>| v.as_deref().map(china_time);
    let name = s.employee_name.clone();
    let rows: [(&str, &'static str, Option<String>); 15] = [
        ("emp.branch", "request-branch", Some(s.branch_name.clone())),
        ("req.months", "request-months", Some(months_text(s.from_month, s.to_month))),
        ("req.base", "request-base", Some(format_yuan(s.base))),
        ("req.types", "request-types", Some(types_text(&s.insurance_types))),
        ("req.total_amount", "request-total", Some(format_yuan(s.total))),
        ("req.created_by", "request-created-by", Some(s.created_by_name.clone())),
        ("req.submitted_by", "request-submitted-by", d.submitted_by_name.clone()),
        ("req.reason", "request-reason", d.reason.clone()),
        ("req.reject_reason", "reject-reason", d.reject_reason.clone()),
        ("req.receipt_no", "receipt-no", d.receipt_no.clone()),
        ("req.executed_at", "executed-at", time(&d.executed_at)),
        ("req.revocation_deadline", "revocation-deadline", time(&d.revocation_deadline)),
        ("req.revocation_reason", "revocation-reason", d.revocation_reason.clone()),
        ("req.bureau_answer", "bureau-answer", d.bureau_answer.clone()),
        ("req.updated_at", "request-updated-at", Some(china_time(&s.updated_at))),
    ];
    let rows = rows
        .into_iter()
        .filter_map(|(key, testid, value)| {
            value.map(|v| view! { <div><dt>{tr(key)}</dt><dd data-testid=testid>{v}</dd></div> })
        })
        .collect_view();
    view! {
        <dl class="profile" data-testid="request-summary">
            <div><dt>{tr("req.kind")}</dt><dd data-testid="request-kind">{kind_label(s.kind)}</dd></div>
            <div>
                <dt>{tr("req.employee")}</dt>
                <dd data-testid="request-employee">
                    <A href=format!("/employees/{}", s.employee_id)>{name}</A>" "
                    <span class="mono">{d.resident_id_masked.clone()}</span>
                </dd>
            </div>
            {rows}
        </dl>
    }
}

fn button_class(a: RequestAction) -> &'static str {
    match a {
        RequestAction::Reject
        | RequestAction::Revoke
        | RequestAction::RequestRevocation
        | RequestAction::RejectRevocation => "danger",
        _ => "primary",
    }
}

fn action_label(a: RequestAction) -> &'static str {
    a.label(current_lang())
}

#[component]
pub fn EnrollmentDetailPage() -> impl IntoView {
    let session = use_session();
    let request = route_request();
    let can_prepare = session.user.get_untracked().is_some_and(|m| may_prepare(m.role));
    // The action waiting for its reason, and the reason typed so far.
    let asking = RwSignal::new(None::<RequestAction>);
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiFailure>);
    // Today's price of the request, for the confirmation before submitting it.
    let fresh = RwSignal::new(None::<ApiResult<PricePreview>>);
    // One key per intention: a retry after a lost answer acts only once.
    let key = StoredValue::new(api::idempotency_key());
    let now = ticker(1000);

    let act = move |id: String, version: i64, action: RequestAction, reason: Option<String>| {
        busy.set(true);
        failure.set(None);
        let k = key.get_value();
        spawn_local(async move {
            let result = session.check(api::request_action(id, action, ActionBody { version, reason }, k).await);
            if busy.try_set(false).is_some() {
                return; // the page is gone
            }
            match result {
                Ok(_) => {
                    key.set_value(api::idempotency_key());
                    asking.set(None);
                    request.refetch();
                }
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    let reload = move || {
        failure.set(None);
        request.refetch();
    };

    let actions_view = move |d: &RequestDetail| {
        let (id, version) = (d.summary.id.clone(), d.summary.version);
        // Submitting something that costs money asks first, with the price as of today (late
        // fees grow while a draft waits), as the form does.
        let costly = d.summary.kind.has_cost();
        let form = RequestForm::from(d);
        let explanation = (d.summary.kind == RequestKind::BackPayment)
            .then(|| explain_back_payment(current_lang()));
        let buttons = d
            .actions
            .iter()
            .map(|&a| {
                let (id, form) = (id.clone(), form.clone());
                view! {
                    <button
                        type="button"
                        class=button_class(a)
                        data-testid=format!("action-{}", a.code())
                        disabled=move || busy.get()
                        on:click=move |_| {
                            if a.needs_reason() || (a == RequestAction::Submit && costly) {
                                failure.set(None);
                                reason.set(String::new());
                                asking.set(Some(a));
                                if a == RequestAction::Submit {
                                    fresh.set(None);
                                    let (form, id) = (form.clone(), id.clone());
                                    spawn_local(async move {
                                        let price = session.check(api::preview_request(form, Some(id)).await);
                                        fresh.try_set(Some(price));
                                    });
                                }
                            } else {
                                act(id.clone(), version, a, None);
                            }
                        }
                    >
                        {action_label(a)}
                    </button>
                }
            })
            .collect_view();
        let reason_form = move || {
            let id = id.clone();
            asking.get().map(|a| {
                if a == RequestAction::Submit {
                    let id = id.clone();
                    return view! {
                        <div class="reason-form" data-testid="confirm-dialog">
                            {move || match fresh.get() {
                                None => view! { <Loading /> }.into_any(),
                                Some(Ok(p)) => view! { <p class="confirm-text" data-testid="confirm-text">{p.confirmation_in(current_lang()).to_string()}</p> }.into_any(),
                                Some(Err(e)) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                            }}
                            {explanation.map(|x| view! { <p class="explain" data-testid="confirm-explanation">{x}</p> })}
                            <div class="actions">
                                <button type="button" data-testid="confirm-cancel" on:click=move |_| asking.set(None)>
                                    {tr("common.cancel")}
                                </button>
                                <button
                                    type="button"
                                    class="primary"
                                    data-testid="confirm-submit"
                                    disabled=move || busy.get() || !matches!(fresh.get(), Some(Ok(_)))
                                    on:click=move |_| act(id.clone(), version, a, None)
                                >
                                    {tr("req.confirm_submit")}
                                </button>
                            </div>
                        </div>
                    }
                    .into_any();
                }
                view! {
                    <div class="reason-form" data-testid="reason-form">
                        <label class="field">
                            <span>{tr("req.reason_prompt")}</span>
                            <textarea rows="2" maxlength=shebao_domain::enrollment::MAX_REASON_CHARS data-testid="action-reason" bind:value=reason></textarea>
                        </label>
                        <div class="actions">
                            <button type="button" data-testid="action-cancel" on:click=move |_| asking.set(None)>
                                {tr("common.cancel")}
                            </button>
                            <button
                                type="button"
                                class=button_class(a)
                                data-testid="action-confirm"
                                disabled=move || reason.read().trim().is_empty() || busy.get()
                                on:click=move |_| act(id.clone(), version, a, Some(reason.get_untracked().trim().to_string()))
                            >
                                {action_label(a)}
                            </button>
                        </div>
                    </div>
                }
                .into_any()
            })
        };
        view! {
            <section class="card">
                <div class="action-bar" data-testid="actions">{buttons}</div>
                {reason_form}
                {move || failure.get().map(|e| {
                    let stale = matches!(e, ApiFailure::Message { status: 409, .. });
                    view! {
                        <div class="form-error" role="alert" data-testid="action-error">
                            {e.to_string()}
                            {stale.then(|| view! {
                                " "
                                <button type="button" class="link" data-testid="reload" on:click=move |_| reload()>
                                    {tr("common.reload")}
                                </button>
                            })}
                        </div>
                    }
                })}
            </section>
        }
    };

    let page = move |d: RequestDetail| {
        let s = &d.summary;
        // An approved item counts down to its execution; the reviewer can still revoke it.
        let countdown = (s.state == RequestState::Approved).then(|| s.execute_after.as_deref().map(js_sys::Date::parse)).flatten().map(|at| {
            // A few seconds after the moment has passed, look again: it should be executed.
            Effect::new(move |was_due: Option<bool>| {
                let due = at - now.get() < -5000.0;
                if due && was_due == Some(false) {
                    request.refetch();
                }
                due
            });
            view! {
                <section class="card countdown-card">
                    <div>
                        <span>{tr("req.countdown")}</span>
                        <strong class="clock" data-testid="countdown">{move || clock(at - now.get())}</strong>
                    </div>
                    <p class="hint">{tr("req.countdown_note")}</p>
                </section>
            }
        });
        let changes = (!d.changes_since_review.is_empty()).then(|| view! {
            <section class="card changes-card" data-testid="changes-since-review">
                <h2>{tr("req.changes")}</h2>
                {changes_list(&d.changes_since_review)}
            </section>
        });
        view! {
            {head(&d, can_prepare && editable(s.state))}
            <div class="stack">
                {countdown}
                {changes}
                {(!d.actions.is_empty()).then(|| actions_view(&d))}
                <div class="two-col">
                    <section class="card">{summary(&d)}</section>
                    <section class="card"><h2>{tr("req.price_detail")}</h2>{price_table(&d.price)}</section>
                </div>
                <Timeline entity="enrollment" id=s.id.clone() />
            </div>
        }
    };

    view! {
        <div class="detail-page">
            <A href="/enrollments" attr:class="back">{move || format!("← {}", tr("common.back"))}</A>
            <Loaded resource=request children=page />
        </div>
    }
}
