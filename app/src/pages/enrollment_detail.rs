//! One enrollment request: what it is and costs, what changed since the last review, the
//! actions the server allows the signed-in user now, the countdown to execution, and its
//! history. Read-only parts are built as markup; the actions are live views.

use crate::api::{self, ApiFailure, ApiResult};
use crate::components::{
    badge_html, changes_html, china_time, clock, esc, kind_label, loaded, may_prepare, months_text, price_html,
    route_request, ticker, types_text, Loading, Timeline,
};
use crate::i18n::{t, use_lang, Lang};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shebao_domain::api::{ActionBody, EmployeeDetail, PricePreview, RequestDetail};
use shebao_domain::enrollment::{editable, RequestAction, RequestForm, RequestKind, RequestState};
use shebao_domain::pricing::explain_back_payment_zh;
use shebao_domain::money::format_yuan;
use std::fmt::Write;

/// Title, state, and the links to edit and to the revocation form.
fn head_html(d: &RequestDetail, can_edit: bool) -> String {
    let s = &d.summary;
    let mut h = format!(
        r#"<div class="page-head"><h1 data-testid="request-title">{} · {} {}</h1><div class="head-actions">"#,
        kind_label(s.kind),
        esc(&s.employee_name),
        badge_html(s.state)
    );
    if d.executed_at.is_some() {
        let _ = write!(
            h,
            r#"<a class="button" href="/enrollments/{}/revocation-form" data-testid="revocation-form-link">{}</a>"#,
            esc(&s.id),
            t("req.print_link")
        );
    }
    if can_edit {
        let _ = write!(h, r#"<a class="button" href="/enrollments/{}/edit" data-testid="edit-request">{}</a>"#, esc(&s.id), t("common.edit"));
    }
    h.push_str("</div></div>");
    h
}

fn summary_html(d: &RequestDetail, e: &EmployeeDetail) -> String {
    let s = &d.summary;
    let opt = |v: &Option<String>| v.as_deref().map(esc);
    let time = |v: &Option<String>| v.as_deref().map(|v| esc(&china_time(v)));
    let rows: [(&str, &str, Option<String>); 17] = [
        ("req.kind", "request-kind", Some(kind_label(s.kind).to_string())),
        (
            "req.employee",
            "request-employee",
            Some(format!(
                r#"<a href="/employees/{}">{}</a> <span class="mono">{}</span>"#,
                esc(&s.employee_id),
                esc(&s.employee_name),
                esc(&e.resident_id_masked)
            )),
        ),
        ("emp.branch", "request-branch", Some(esc(&s.branch_name))),
        ("req.months", "request-months", Some(months_text(s.from_month, s.to_month))),
        ("req.base", "request-base", Some(format_yuan(s.base))),
        ("req.types", "request-types", Some(types_text(&s.insurance_types))),
        ("req.total_amount", "request-total", Some(format_yuan(s.total))),
        ("req.created_by", "request-created-by", Some(esc(&s.created_by_name))),
        ("req.submitted_by", "request-submitted-by", opt(&d.submitted_by_name)),
        ("req.reason", "request-reason", opt(&d.reason)),
        ("req.reject_reason", "reject-reason", opt(&d.reject_reason)),
        ("req.receipt_no", "receipt-no", opt(&d.receipt_no)),
        ("req.executed_at", "executed-at", time(&d.executed_at)),
        ("req.revocation_deadline", "revocation-deadline", time(&d.revocation_deadline)),
        ("req.revocation_reason", "revocation-reason", opt(&d.revocation_reason)),
        ("req.bureau_answer", "bureau-answer", opt(&d.bureau_answer)),
        ("req.updated_at", "request-updated-at", Some(esc(&china_time(&s.updated_at)))),
    ];
    let mut h = String::from(r#"<dl class="profile" data-testid="request-summary">"#);
    for (key, testid, value) in rows {
        if let Some(v) = value {
            let _ = write!(h, r#"<div><dt>{}</dt><dd data-testid="{testid}">{v}</dd></div>"#, t(key));
        }
    }
    h.push_str("</dl>");
    h
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
    t(&format!("action.{}", a.code()))
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
            .then(|| if use_lang().get() == Lang::Zh { explain_back_payment_zh() } else { t("req.bp_explain") });
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
                                Some(Ok(p)) => view! { <p class="confirm-text" data-testid="confirm-text">{p.confirmation}</p> }.into_any(),
                                Some(Err(e)) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                            }}
                            {explanation.map(|x| view! { <p class="explain" data-testid="confirm-explanation">{x}</p> })}
                            <div class="actions">
                                <button type="button" data-testid="confirm-cancel" on:click=move |_| asking.set(None)>
                                    {t("common.cancel")}
                                </button>
                                <button
                                    type="button"
                                    class="primary"
                                    data-testid="confirm-submit"
                                    disabled=move || busy.get() || !matches!(fresh.get(), Some(Ok(_)))
                                    on:click=move |_| act(id.clone(), version, a, None)
                                >
                                    {t("req.confirm_submit")}
                                </button>
                            </div>
                        </div>
                    }
                    .into_any();
                }
                view! {
                    <div class="reason-form" data-testid="reason-form">
                        <label class="field">
                            <span>{t("req.reason_prompt")}</span>
                            <textarea rows="2" maxlength=shebao_domain::enrollment::MAX_REASON_CHARS data-testid="action-reason" bind:value=reason></textarea>
                        </label>
                        <div class="actions">
                            <button type="button" data-testid="action-cancel" on:click=move |_| asking.set(None)>
                                {t("common.cancel")}
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
                                    {t("common.reload")}
                                </button>
                            })}
                        </div>
                    }
                })}
            </section>
        }
    };

    let page = move |(d, e): (RequestDetail, EmployeeDetail)| {
        let s = &d.summary;
        let head = head_html(&d, can_prepare && editable(s.state));
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
                        <span>{t("req.countdown")}</span>
                        <strong class="clock" data-testid="countdown">{move || clock(at - now.get())}</strong>
                    </div>
                    <p class="hint">{t("req.countdown_note")}</p>
                </section>
            }
        });
        let changes = (!d.changes_since_review.is_empty()).then(|| {
            format!(
                r#"<section class="card changes-card" data-testid="changes-since-review"><h2>{}</h2><ul class="changes">{}</ul></section>"#,
                t("req.changes"),
                changes_html(&d.changes_since_review)
            )
        });
        let actions = (!d.actions.is_empty()).then(|| actions_view(&d));
        view! {
            <div inner_html=head></div>
            <div class="stack">
                {countdown}
                {changes.map(|html| view! { <div inner_html=html></div> })}
                {actions}
                <div class="two-col">
                    <section class="card" inner_html=summary_html(&d, &e)></section>
                    <section class="card" inner_html=format!("<h2>{}</h2>{}", t("req.price_detail"), price_html(&d.price))></section>
                </div>
                <Timeline entity="enrollment" id=s.id.clone() />
            </div>
        }
        .into_any()
    };

    view! {
        <div class="detail-page">
            <a href="/enrollments" class="back">{move || format!("← {}", t("common.back"))}</a>
            {loaded(request, page)}
        </div>
    }
}
