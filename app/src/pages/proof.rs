//! 缴费证明. The employee issues one on the phone and passes its link on: copied, or through
//! the system's share sheet where the webview has one (no download, no pop-up: both fail in
//! embedded webviews). Whoever opens the link reads the proof as issued, without signing in,
//! until it expires: the link is the check.

use crate::api::{self, ApiFailure};
use crate::components::{china_time, Loaded};
use crate::i18n::{current_lang, ts};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use shebao_domain::api::{ContributionProof, ProofMonth};
use shebao_domain::money::format_yuan;
use shebao_domain::self_service::PROOF_VALID_DAYS;
use wasm_bindgen::JsCast;

/// The proof's public address on this site.
fn proof_link(code: &str) -> String {
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    format!("{origin}/proof/{code}")
}

fn month_row(m: ProofMonth) -> impl IntoView {
    let code = m.status.code();
    view! {
        <tr data-testid=format!("proof-month-{}", m.period)>
            <td>{m.period.clone()}</td>
            <td class="num">{m.base.map(format_yuan)}</td>
            <td class="num">{format_yuan(m.employer_total)}</td>
            <td class="num">{format_yuan(m.employee_total)}</td>
            <td><span class=format!("badge cs-{code}")>{move || m.status.label(current_lang())}</span></td>
        </tr>
    }
}

/// The proof as issued: who, which employer, the summary line and every month.
fn proof_view(p: ContributionProof) -> impl IntoView {
    let rows = [
        ("proof.name", p.employee_name),
        ("proof.resident_id", p.resident_id_masked),
        ("proof.employer", p.employer_name),
        ("proof.credit_code", p.credit_code),
        ("proof.issued_at", china_time(&p.issued_at)),
        ("proof.expires_on", p.expires_on),
        ("proof.code", p.code),
    ]
    .map(|(key, value)| view! { <div><dt>{move || ts(key)}</dt><dd data-testid=key.replace('.', "-")>{value}</dd></div> });
    view! {
        <article class="card proof" data-testid="proof">
            <h2>{move || ts("proof.heading")}</h2>
            <dl class="profile">{rows}</dl>
            <p class="proof-summary" data-testid="proof-summary">{p.summary}</p>
            <div class="table-scroll">
                <table class="table compact">
                    <thead>
                        <tr>
                            <th>{move || ts("proof.period")}</th>
                            <th class="num">{move || ts("proof.base")}</th>
                            <th class="num">{move || ts("price.employer")}</th>
                            <th class="num">{move || ts("price.employee")}</th>
                            <th>{move || ts("emp.status")}</th>
                        </tr>
                    </thead>
                    <tbody>{p.months.into_iter().map(month_row).collect_view()}</tbody>
                </table>
            </div>
            <p class="sub">{move || ts("proof.check_note")}</p>
        </article>
    }
}

/// The system's share sheet, where the browser has one.
fn share_sheet() -> Option<web_sys::Navigator> {
    let navigator = web_sys::window()?.navigator();
    js_sys::Reflect::has(&navigator, &"share".into()).ok()?.then_some(navigator)
}

/// Copies the link shown in the input `#proof-link`: selected first, so that where copying is
/// not allowed the employee can long-press it instead.
fn copy_link() -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return false };
    let Some(input) = document.get_element_by_id("proof-link").and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
        return false;
    };
    input.select();
    document.dyn_into::<web_sys::HtmlDocument>().is_ok_and(|d| d.exec_command("copy").unwrap_or(false))
}

/// Where the link goes: copied, shared, or opened here.
fn share_box(code: String) -> impl IntoView {
    let link = proof_link(&code);
    let copied = RwSignal::new(None::<bool>);
    let share = share_sheet().map(|navigator| {
        let link = link.clone();
        view! {
            <button type="button" data-testid="proof-share" on:click=move |_| {
                let data = web_sys::ShareData::new();
                data.set_title(ts("proof.heading"));
                data.set_url(&link);
                // Cancelling the sheet rejects the promise: nothing to tell.
                let _ = navigator.share_with_data(&data);
            }>{move || ts("proof.share")}</button>
        }
    });
    view! {
        <section class="card proof-share" data-testid="proof-share-box">
            <label class="field">
                <span>{move || ts("proof.link")}</span>
                <input id="proof-link" type="text" readonly data-testid="proof-link" prop:value=link.clone()
                    on:focus=move |ev| { let _ = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).map(|i| i.select()); } />
            </label>
            <div class="action-bar">
                <button type="button" class="primary" data-testid="proof-copy" on:click=move |_| copied.set(Some(copy_link()))>
                    {move || ts("proof.copy")}
                </button>
                {share}
                <a href=format!("/proof/{code}") class="button" data-testid="proof-open">{move || ts("proof.open")}</a>
            </div>
            {move || copied.get().map(|ok| view! {
                <p class="notice" class:ok=ok role="status" data-testid="proof-copied">
                    {if ok { ts("proof.copied") } else { ts("proof.copy_by_hand") }}
                </p>
            })}
        </section>
    }
}

/// 缴费证明 on the phone: what a proof holds, the button that issues one, then its link.
#[component]
pub fn MyProof() -> impl IntoView {
    let session = use_session();
    let issued = RwSignal::new(None::<ContributionProof>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let key = StoredValue::new(api::idempotency_key());
    let issue = move |_| {
        busy.set(true);
        error.set(None);
        let k = key.get_value();
        spawn_local(async move {
            let result = session.check(api::issue_proof(k).await);
            if busy.try_set(false).is_some() {
                return;
            }
            if !matches!(result, Err(ApiFailure::Network)) {
                key.set_value(api::idempotency_key());
            }
            match result {
                Ok(p) => issued.set(Some(p)),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let days = PROOF_VALID_DAYS.to_string();
    view! {
        <div class="form-page self-page proof-page">
            <a href="/me" class="back">{move || format!("← {}", ts("nav.me"))}</a>
            <h1>{move || ts("proof.title")}</h1>
            <p class="hint">{move || ts("proof.intro").replace("{}", &days)}</p>
            <button type="button" class="primary big" data-testid="proof-issue" disabled=move || busy.get() on:click=issue>
                {move || if busy.get() { ts("proof.issuing") } else if issued.read().is_some() { ts("proof.reissue") } else { ts("proof.issue") }}
            </button>
            {move || error.get().map(|e| view! { <div class="form-error" role="alert" data-testid="proof-error">{e}</div> })}
            {move || issued.get().map(|p| view! { {share_box(p.code.clone())}{proof_view(p)} })}
        </div>
    }
}

/// `/proof/:code`, for anyone with the link: the proof, or that it is no longer valid.
#[component]
pub fn PublicProof() -> impl IntoView {
    let params = use_params_map();
    let proof = LocalResource::new(move || {
        let code = params.read().get("code").unwrap_or_default();
        async move {
            match api::proof(&code).await {
                Ok(p) => Ok(Some(p)),
                Err(ApiFailure::Message { status: 404, .. }) => Ok(None),
                Err(e) => Err(e),
            }
        }
    });
    view! {
        <div class="proof-public">
            <header class="proof-brand">
                <strong>{move || ts("app.name")}</strong>
                <span>{move || ts("proof.verify")}</span>
            </header>
            <Loaded resource=proof let:found>
                {match found {
                    Some(p) => view! {
                        <p class="notice ok" data-testid="proof-valid">{ts("proof.valid")}</p>
                        {proof_view(p)}
                        <button type="button" class="print" data-testid="proof-print"
                            on:click=move |_| { let _ = web_sys::window().map(|w| w.print()); }>{ts("proof.print")}</button>
                    }
                    .into_any(),
                    None => view! { <p class="empty card" data-testid="proof-invalid">{ts("proof.invalid")}</p> }.into_any(),
                }}
            </Loaded>
        </div>
    }
}
