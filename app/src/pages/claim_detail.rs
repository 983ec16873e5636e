//! One reimbursement claim, for the employee on the phone and for its reviewers in the
//! console: where it stands and what comes next, why it is held (the months checked), its
//! documents with the upload while it takes them, the submit or the reviewer's steps, the
//! bank's receipt once paid, and every step on a timeline.

use crate::api::{self, ApiFailure, ApiResult};
use crate::components::{china_time, claim_badge, route_claim, span_text, Loaded};
use crate::i18n::{current_lang, tc, use_lang};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use shebao_domain::api::{ClaimActionBody, ClaimDetail, ClaimDocument};
use shebao_domain::claim::{holds, lapse_cause, ClaimAction, ClaimState, DocumentError, DocumentKind, MonthOnRecord, MAX_DOCUMENT_BYTES};
use shebao_domain::enrollment::MAX_REASON_CHARS;
use shebao_domain::money::format_yuan;

/// A step on the claim: the action and what is sent with it; the action and the answer.
type Step = Action<(ClaimAction, ClaimActionBody), (ClaimAction, ApiResult<ClaimDetail>)>;

/// What the file inputs offer; the server checks the content again.
const ACCEPT: &str = "application/pdf,image/jpeg,image/png";

/// Whether `d` is at least as recent as what is shown: the answers to uploads made side by
/// side may arrive out of order.
fn newer(d: &ClaimDetail, shown: &ClaimDetail) -> bool {
    (d.claim.version, d.documents.len()) >= (shown.claim.version, shown.documents.len())
}

/// "230 KB", "1.4 MB".
fn size_text(bytes: i64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", (bytes + 1023) / 1024)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

fn head(d: &ClaimDetail, console: bool) -> impl IntoView {
    let c = &d.claim;
    let kind = c.kind;
    let who = console.then(|| format!(" · {}", c.employee_name));
    view! {
        <div class="page-head">
            <h1 data-testid="claim-title">{move || kind.label(current_lang())}{who}</h1>
            {claim_badge(c.state)}
        </div>
    }
}

/// The months checked, each with its status; a month with nothing on record holds the claim
/// as an unpaid one does, and is coloured so. The console also reads why an unpaid month is
/// unpaid (where its run stands): what HR is to find and fix.
fn months(list: &[MonthOnRecord], console: bool) -> impl IntoView {
    let lang = current_lang();
    let items = list
        .iter()
        .map(|m| {
            let (code, label) = m.status.map_or(("lapsed", tc("claim.no_record")), |s| (s.code(), s.label(lang)));
            let cause = (console && holds(m.status)).then(|| lapse_cause(m.run_state, lang));
            view! {
                <li data-testid=format!("month-{}", m.period)>
                    <span class="period">{m.period.to_string()}</span>
                    <span class=format!("badge cs-{code}") data-testid="month-status">{label}</span>
                    {cause.map(|c| view! { <span class="sub" data-testid="month-cause">{c}</span> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="claim-months" data-testid="claim-months">
            <span class="sub">{tc("claim.months")}</span>
            <ul>{items}</ul>
        </div>
    }
}

/// Held: what it means and what happens now, with the months that were checked.
fn held(d: &ClaimDetail, console: bool) -> impl IntoView {
    d.held_message.clone().map(|text| {
        view! {
            <section class="card claim-held" role="alert" data-testid="claim-held">
                <p>{text}</p>
                {months(&d.months, console)}
            </section>
        }
    })
}

/// The amount, the hospital, the dates and the other facts the claim has.
fn summary(d: &ClaimDetail, console: bool) -> impl IntoView {
    let c = &d.claim;
    let rows: [(&str, &'static str, Option<String>); 5] = [
        ("claim.hospital", "claim-hospital", Some(c.hospital.clone())),
        ("claim.dates", "claim-dates", Some(span_text(&c.start_date, &c.end_date))),
        ("claim.employee", "claim-employee", Some(c.employee_name.clone())),
        ("claim.submitted_at", "claim-submitted-at", c.submitted_at.as_deref().map(china_time)),
        ("req.reject_reason", "claim-reject-reason", d.reject_reason.clone()),
    ];
    let rows = rows
        .into_iter()
        .filter_map(|(key, testid, v)| Some(view! { <div><dt>{tc(key)}</dt><dd data-testid=testid>{v?}</dd></div> }))
        .collect_view();
    // Once it goes on, the months checked are shown quietly; while held, in the banner.
    let checked = (d.held_message.is_none() && !d.months.is_empty()).then(|| months(&d.months, console));
    view! {
        <section class="card claim-summary">
            <div class="claim-amount" data-testid="claim-amount">{format_yuan(c.amount)}</div>
            <dl class="profile">{rows}</dl>
            {checked}
        </section>
    }
}

/// What the claim waits for, who has it, and for how long.
fn next_step(d: &ClaimDetail) -> impl IntoView {
    d.next.clone().map(|n| {
        view! {
            <section class="card claim-next" data-testid="claim-next">
                <span class="sub">{tc("claim.next")}</span>
                <strong data-testid="next-step">{n.step}</strong>
                <span class="muted">
                    {tc("claim.holder")}" "<span data-testid="next-holder">{n.holder}</span>" · "
                    <span data-testid="next-waited" title=china_time(&n.since)>{n.waited}</span>
                </span>
            </section>
        }
    })
}

/// Paid: the amount, the bank's receipt and the day.
fn receipt(d: &ClaimDetail) -> impl IntoView {
    (d.claim.state == ClaimState::Paid).then(|| {
        let rows = [("claim.receipt_no", "receipt-no", d.receipt_no.clone()), ("claim.paid_on", "paid-on", d.paid_on.clone())]
            .into_iter()
            .filter_map(|(key, testid, v)| Some(view! { <div><dt>{tc(key)}</dt><dd data-testid=testid>{v?}</dd></div> }))
            .collect_view();
        view! {
            <section class="card claim-receipt" data-testid="claim-receipt">
                <h2>{tc("claim.receipt")}</h2>
                <div class="claim-amount">{format_yuan(d.claim.amount)}</div>
                <dl class="profile">{rows}</dl>
            </section>
        }
    })
}

/// One uploaded file: a thumbnail of an image, a link to a PDF. `rel="external"` keeps the
/// router away from these addresses; the page itself opens (no new window in a webview).
fn document(claim: &str, doc: ClaimDocument) -> impl IntoView {
    let url = api::document_url(claim, &doc.id);
    let shown = if doc.content_type.starts_with("image/") {
        let (src, alt) = (url.clone(), doc.file_name.clone());
        view! { <a href=url rel="external" class="doc-thumb"><img src=src alt=alt loading="lazy" /></a> }.into_any()
    } else {
        view! { <a href=url rel="external" class="doc-file">"PDF"</a> }.into_any()
    };
    view! {
        <li data-testid=format!("document-{}", doc.id)>
            {shown}
            <span class="sub">{doc.file_name}" · "{size_text(doc.size)}</span>
        </li>
    }
}

/// What a reviewer's button says (`ClaimAction::label` names the step once done).
fn button_key(a: ClaimAction) -> &'static str {
    match a {
        ClaimAction::FinanceApprove => "claim.do.finance_approve",
        ClaimAction::Reject => "claim.do.reject",
        ClaimAction::Pay => "claim.do.pay",
        _ => "claim.do.hr_approve",
    }
}

/// The reviewer's steps, and the reason a rejection needs; `None` when the user has none.
fn review_actions(d: &ClaimDetail, step: Step, reason: RwSignal<String>, missing: RwSignal<bool>) -> Option<AnyView> {
    let version = d.claim.version;
    let list: Vec<ClaimAction> = d.actions.iter().copied().filter(|a| a.route() != "submit" && *a != ClaimAction::Resume).collect();
    if list.is_empty() {
        return None;
    }
    let asks = list.iter().any(|a| a.needs_reason());
    let buttons = list
        .into_iter()
        .map(|a| {
            view! {
                <button
                    type="button"
                    class=if a == ClaimAction::Reject { "danger" } else { "primary" }
                    data-testid=format!("claim-action-{}", a.route())
                    disabled=move || step.pending().get()
                    on:click=move |_| {
                        let text = reason.get_untracked().trim().to_string();
                        if a.needs_reason() && text.is_empty() {
                            missing.set(true);
                            return;
                        }
                        missing.set(false);
                        let reason = (a.needs_reason()).then_some(text);
                        step.dispatch((a, ClaimActionBody { version, reason }));
                    }
                >
                    {tc(button_key(a))}
                </button>
            }
        })
        .collect_view();
    view! {
        {asks.then(|| view! {
            <label class="field reason-field" class:invalid=move || missing.get()>
                <span>{tc("claim.reason")}</span>
                <textarea
                    rows="2"
                    maxlength=MAX_REASON_CHARS
                    data-testid="claim-reason"
                    bind:value=reason
                    on:input=move |_| missing.set(false)
                ></textarea>
                {move || missing.get().then(|| view! {
                    <p class="field-error" role="alert" data-testid="reason-missing">{tc("claim.reason_missing")}</p>
                })}
            </label>
        })}
        <div class="action-bar" data-testid="claim-actions">{buttons}</div>
    }
    .into_any()
    .into()
}

#[component]
fn ClaimView(initial: ClaimDetail, resource: LocalResource<ApiResult<ClaimDetail>>) -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let console = session.user.get_untracked().is_some_and(|m| m.role.uses_console());
    let id = StoredValue::new(initial.claim.id.clone());
    let detail = RwSignal::new(initial);
    let show = move |d: ClaimDetail| {
        if detail.with_untracked(|shown| *shown != d && newer(&d, shown)) {
            detail.set(d);
        }
    };
    let state = Memo::new(move |_| detail.with(|d| d.claim.state));
    // Only the claimant adds documents (the server refuses anyone else); reviewers read them.
    let takes = Memo::new(move |_| !console && state.get().takes_documents());

    // Uploads: the kinds on their way, and each kind's last refusal.
    let uploading = RwSignal::new(Vec::<DocumentKind>::new());
    let upload_errors = RwSignal::new(Vec::<(DocumentKind, String)>::new());
    // Counts the files chosen: each choice draws fresh inputs, so that choosing the same
    // file again is a change too.
    let picked = RwSignal::new(0u32);
    // One key per file chosen; choosing the same file again after a lost answer reuses it.
    let upload_keys = StoredValue::new(Vec::<(String, String)>::new());
    let upload = move |kind: DocumentKind, input: web_sys::HtmlInputElement| {
        let Some(file) = input.files().and_then(|list| list.get(0)) else { return };
        picked.update(|n| *n += 1);
        let lang = lang.get_untracked();
        upload_errors.update(|errs| errs.retain(|(k, _)| *k != kind));
        let refuse = move |message: String| upload_errors.try_update(|errs| errs.push((kind, message)));
        // Only the size is checked here: the server recognises the type by the content
        // (reading it here would add to the phone's first download).
        let size = file.size();
        if size == 0.0 || size > MAX_DOCUMENT_BYTES as f64 {
            let e = if size == 0.0 { DocumentError::Empty } else { DocumentError::TooLarge };
            refuse(e.message(lang).into());
            return;
        }
        let print = format!("{}:{}:{size}", kind.code(), file.name());
        let key = upload_keys.with_value(|keys| keys.iter().find(|(p, _)| *p == print).map(|(_, k)| k.clone())).unwrap_or_else(|| {
            let key = api::idempotency_key();
            upload_keys.update_value(|keys| keys.push((print.clone(), key.clone())));
            key
        });
        uploading.update(|u| u.push(kind));
        spawn_local(async move {
            let result = session.check(api::upload_document(id.get_value(), kind, file, key).await);
            if !matches!(result, Err(ApiFailure::Network)) {
                upload_keys.try_update_value(|keys| keys.retain(|(p, _)| *p != print));
            }
            if uploading.try_update(|u| u.retain(|k| *k != kind)).is_none() {
                return; // the page is gone
            }
            match result {
                Ok(d) => show(d),
                Err(e) => {
                    refuse(e.to_string());
                }
            }
        });
    };

    // One key per intention: a retry after a lost answer acts only once.
    let key = StoredValue::new(api::idempotency_key());
    let reason = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let failure = RwSignal::new(None::<(ClaimAction, ApiFailure)>);
    let step: Step = Action::new_local(move |(action, body): &(ClaimAction, ClaimActionBody)| {
        let (action, body, id, k) = (*action, body.clone(), id.get_value(), key.get_value());
        async move {
            let result = session.check(api::claim_action(id, action, body, k).await);
            // Answered (done or refused): the next attempt is a new intention.
            if !matches!(result, Err(ApiFailure::Network)) {
                key.try_set_value(api::idempotency_key());
            }
            (action, result)
        }
    });
    Effect::new(move |_| match step.value().get() {
        Some((_, Ok(d))) => {
            failure.set(None);
            missing.set(false);
            reason.set(String::new());
            show(d);
        }
        Some((action, Err(e))) => failure.set(Some((action, e))),
        None => {}
    });
    // The refusal of `submit` by the submit button, of the others by theirs.
    let failure_view = move |submitting: bool| {
        move || {
            failure.get().filter(|(a, _)| (*a == ClaimAction::Submit) == submitting).map(|(_, e)| {
                let stale = matches!(e, ApiFailure::Message { status: 409, .. });
                view! {
                    <div class="form-error" role="alert" data-testid="claim-error">
                        {e.to_string()}
                        {stale.then(|| view! {
                            " "
                            <button type="button" class="link" data-testid="reload" on:click=move |_| resource.refetch()>
                                {tc("common.reload")}
                            </button>
                        })}
                    </div>
                }
            })
        }
    };

    let kind_section = move |kind: DocumentKind| {
        let docs = move || detail.with(|d| d.documents.iter().filter(|x| x.kind == kind).cloned().collect::<Vec<_>>());
        let none = Memo::new(move |_| detail.with(|d| d.documents.iter().all(|x| x.kind != kind)));
        let on_pick = move |ev: leptos::ev::Event| upload(kind, event_target(&ev));
        view! {
            <div class="doc-kind" data-testid=format!("documents-{}", kind.code())>
                <h3>{move || kind.label(current_lang())}</h3>
                {move || none.get().then(|| view! { <p class="hint">{tc("claim.no_documents")}</p> })}
                <ul class="doc-list">
                    <For each=docs key=|doc| doc.id.clone() let:doc>
                        {document(&id.get_value(), doc)}
                    </For>
                </ul>
                {move || uploading.read().contains(&kind).then(|| view! {
                    <p class="uploading" role="status" data-testid="uploading"><span class="spinner"></span>{tc("claim.uploading")}</p>
                })}
                {move || upload_errors.read().iter().find(|(k, _)| *k == kind).map(|(_, message)| view! {
                    <p class="form-error" role="alert" data-testid="upload-error">{message.clone()}</p>
                })}
                {move || {
                    picked.track();
                    takes.get().then(|| view! {
                        <div class="upload">
                            // The camera on a phone; the second input picks from the album or files.
                            <label class="button primary">
                                {tc("claim.camera")}
                                <input type="file" accept=ACCEPT capture="environment" data-testid=format!("upload-{}", kind.code()) on:change=on_pick />
                            </label>
                            <label class="button">
                                {tc("claim.choose")}
                                <input type="file" accept=ACCEPT data-testid=format!("upload-{}-file", kind.code()) on:change=on_pick />
                            </label>
                        </div>
                    })
                }}
            </div>
        }
    };

    // Submitting: the employee's, while drafting; it waits for every kind of document (shown
    // on the employee's draft even if the server offers the step only once they are there).
    let submit_view = move || {
        detail.with(|d| {
            let version = d.claim.version;
            let lacking = d.missing_documents.clone();
            let offered = d.actions.contains(&ClaimAction::Submit) || (!console && d.claim.state == ClaimState::Draft);
            offered.then(|| {
                let blocked = !lacking.is_empty();
                let names: Vec<&str> = lacking.iter().map(|k| k.label(current_lang())).collect();
                view! {
                    <div class="claim-submit">
                        {blocked.then(|| view! {
                            <p class="explain" data-testid="missing-documents">{tc("claim.missing").replace("{}", &names.join(tc("list.sep")))}</p>
                            <p class="hint">{tc("claim.submit_blocked")}</p>
                        })}
                        {failure_view(true)}
                        <button
                            type="button"
                            class="primary big"
                            data-testid="claim-submit"
                            disabled=move || blocked || step.pending().get() || !uploading.read().is_empty()
                            on:click=move |_| { step.dispatch((ClaimAction::Submit, ClaimActionBody { version, reason: None })); }
                        >
                            {tc("claim.submit")}
                        </button>
                    </div>
                }
            })
        })
    };

    view! {
        {move || detail.with(|d| head(d, console))}
        <div class="stack">
            {move || detail.with(|d| held(d, console))}
            {move || detail.with(receipt)}
            {move || detail.with(next_step)}
            {move || detail.with(|d| review_actions(d, step, reason, missing)).map(|actions| view! {
                <section class="card claim-review">{actions}{failure_view(false)}</section>
            })}
            <div class="two-col">
                <div class="stack">
                    {move || detail.with(|d| summary(d, console))}
                    <section class="card claim-documents" data-testid="claim-documents">
                        <h2>{move || tc("claim.documents")}</h2>
                        {move || takes.get().then(|| view! { <p class="hint">{tc("claim.file_types")}</p> })}
                        {DocumentKind::ALL.map(kind_section)}
                        {submit_view}
                    </section>
                </div>
                <section class="card" data-testid="claim-timeline">
                    <h2>{move || tc("claim.timeline")}</h2>
                    <ol class="timeline">
                        <For each=move || detail.with(|d| d.timeline.clone()) key=|s| (s.at.clone(), s.label.clone()) let:s>
                            <li class="entry" data-testid="timeline-step">
                                <div class="when">{china_time(&s.at)}</div>
                                <div class="what"><strong>{s.label}</strong>" · "{s.actor_name}</div>
                                {s.note.map(|note| view! { <p class="step-note">{note}</p> })}
                            </li>
                        </For>
                    </ol>
                </section>
            </div>
        </div>
    }
}

#[component]
pub fn ClaimDetailPage() -> impl IntoView {
    let claim = route_claim();
    view! {
        <div class="detail-page claim-page" data-testid="claim-page">
            <A href="/claims" attr:class="back">{move || format!("← {}", tc("common.back"))}</A>
            <Loaded resource=claim let:d>
                <ClaimView initial=d resource=claim />
            </Loaded>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_kilobytes_then_megabytes() {
        assert_eq!(size_text(1), "1 KB");
        assert_eq!(size_text(230 * 1024), "230 KB");
        assert_eq!(size_text(1_468_006), "1.4 MB");
    }
}
