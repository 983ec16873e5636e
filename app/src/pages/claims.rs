//! Reimbursement claims. An employee sees 我的报销, their own claims as cards with the way to
//! apply; the console sees 报销审核, a table by state kept in the URL (?state=), so the back
//! button and shared links show the same list.

use super::claim_detail::ClaimDetailPage;
use super::claim_new::ClaimNew;
use crate::api;
use crate::components::{china_time, claim_badge, span_text, state_query, state_tabs, pager, Loaded};
use crate::i18n::{current_lang, tc};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use shebao_domain::api::{ClaimPage, ClaimSummary};
use shebao_domain::claim::ClaimState;
use shebao_domain::money::format_yuan;

/// The review queue's tabs, in the order a claim moves; "all" first, the default.
const TABS: [&str; 8] = ["all", "held", "hr_review", "finance_review", "approved", "paid", "rejected", "draft"];

/// The pages' own styles, drawn with them: they come in this chunk, not in the stylesheet
/// of the phone's first download.
const STYLE: &str = include_str!("../../../style/claims.css");

/// The page's `?after=` and `?before=` (at most one of them set).
fn page_place() -> impl Fn() -> (String, String) + Copy {
    let query = use_query_map();
    move || {
        let query = query.read();
        (query.get("after").unwrap_or_default(), query.get("before").unwrap_or_default())
    }
}

/// The pager under `page` of the list at `list` (`/claims`, with its state).
fn claims_pager(list: &str, page: &ClaimPage) -> impl IntoView {
    pager(page, |key, cursor| api::with_query(list, &format!("{key}={}", js_sys::encode_uri_component(cursor))))
}

#[derive(Clone, Copy, PartialEq)]
enum Page {
    List,
    New,
    Detail,
}

/// The page of `/claims`, `/claims/new` or `/claims/:id` (claim ids never read "new").
/// Redrawn only when the kind of page changes: another claim's id reloads the claim.
#[component]
pub fn ClaimPages() -> impl IntoView {
    let params = use_params_map();
    let page = Memo::new(move |_| match params.read().get("id").as_deref() {
        None => Page::List,
        Some("new") => Page::New,
        Some(_) => Page::Detail,
    });
    view! {
        <style>{STYLE}</style>
        {move || match page.get() {
            Page::List => view! { <ClaimList /> }.into_any(),
            Page::New => view! { <ClaimNew /> }.into_any(),
            Page::Detail => view! { <ClaimDetailPage /> }.into_any(),
        }}
    }
}

#[component]
fn ClaimList() -> impl IntoView {
    let session = use_session();
    let console = session.user.get_untracked().is_some_and(|m| m.role.uses_console());
    if console { view! { <ReviewList /> }.into_any() } else { view! { <MyClaims /> }.into_any() }
}

/// 我的报销: newest first, each card opening the claim.
#[component]
fn MyClaims() -> impl IntoView {
    let session = use_session();
    let place = page_place();
    let list = LocalResource::new(move || {
        let (after, before) = place();
        async move { session.check(api::claims("", &after, &before).await) }
    });
    view! {
        <div class="claims-page">
            <h1>{move || tc("claim.mine")}</h1>
            <A href="/claims/new" attr:class="button primary big" attr:data-testid="claim-new">{move || tc("claim.new")}</A>
            <Loaded resource=list let:page>
                {if page.items.is_empty() {
                    view! { <p class="empty card" data-testid="claims-empty">{tc("claims.empty")}</p> }.into_any()
                } else {
                    let claims = page.items.clone();
                    view! {
                        <ul class="claim-cards" data-testid="claims-list">
                            <For each=move || claims.clone() key=|c| (c.id.clone(), c.version) let:c>
                                <li>{claim_card(c)}</li>
                            </For>
                        </ul>
                        {claims_pager("/claims", &page)}
                    }
                    .into_any()
                }}
            </Loaded>
        </div>
    }
}

fn claim_card(c: ClaimSummary) -> impl IntoView {
    let kind = c.kind;
    let when = c.submitted_at.as_deref().unwrap_or(&c.updated_at).to_string();
    view! {
        <A href=format!("/claims/{}", c.id) attr:class="card claim-card" attr:data-testid=format!("claim-card-{}", c.id)>
            <div class="section-head">
                <strong>{move || kind.label(current_lang())}</strong>
                {claim_badge(c.state)}
            </div>
            <div class="claim-amount">{format_yuan(c.amount)}</div>
            <div>{c.hospital}</div>
            <div class="sub">{span_text(&c.start_date, &c.end_date)}" · "{china_time(&when)}</div>
        </A>
    }
}

/// 报销审核: the claims the user reviews or oversees, by state.
#[component]
fn ReviewList() -> impl IntoView {
    let state = state_query("all");
    let place = page_place();
    let label = |code: &str| ClaimState::from_code(code).map_or("?", |s| s.label(current_lang()));
    view! {
        <div class="list-page claims-page">
            <div class="page-head">
                <h1>{move || tc("nav.claims")}</h1>
                <a class="button" download data-testid="export-claims" href=move || api::export_url("/api/claims", &state.get())>
                    {move || tc("claims.export")}
                </a>
            </div>
            {state_tabs("/claims", &TABS, label, state)}
            // A new tab is a new table: the spinner shows until its rows arrive.
            {move || {
                let (state, (after, before)) = (state.get(), place());
                untrack(|| view! { <ClaimTable state after before /> })
            }}
        </div>
    }
}

#[component]
fn ClaimTable(state: String, after: String, before: String) -> impl IntoView {
    let session = use_session();
    let list_url = format!("/claims?state={}", js_sys::encode_uri_component(&state));
    let list = LocalResource::new(move || {
        let (state, after, before) = (state.clone(), after.clone(), before.clone());
        async move { session.check(api::claims(&state, &after, &before).await) }
    });
    view! {
        <Loaded resource=list let:page>
            {if page.items.is_empty() {
                view! { <p class="empty card" data-testid="claims-empty">{tc("claims.none")}</p> }.into_any()
            } else {
                let claims = page.items.clone();
                view! {
                    <div class="card table-card">
                        <table class="table claims-table" data-testid="claims-list">
                            <thead>
                                <tr>
                                    <th>{tc("claim.employee")}</th>
                                    <th>{tc("claim.kind")}</th>
                                    <th class="opt">{tc("claim.hospital")}</th>
                                    <th class="opt">{tc("claim.dates")}</th>
                                    <th class="num">{tc("claim.amount")}</th>
                                    <th>{tc("req.state")}</th>
                                    <th class="opt">{tc("claim.submitted_at")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                <For each=move || claims.clone() key=|c| (c.id.clone(), c.version) let:c>
                                    <tr data-testid=format!("claim-row-{}", c.id)>
                                        <td><A href=format!("/claims/{}", c.id) attr:class="row-link">{c.employee_name}</A></td>
                                        <td>{let k = c.kind; move || k.label(current_lang())}</td>
                                        <td class="opt">{c.hospital}</td>
                                        <td class="opt">{span_text(&c.start_date, &c.end_date)}</td>
                                        <td class="num">{format_yuan(c.amount)}</td>
                                        <td>{claim_badge(c.state)}</td>
                                        <td class="opt">{c.submitted_at.as_deref().map(china_time)}</td>
                                    </tr>
                                </For>
                            </tbody>
                        </table>
                        {claims_pager(&list_url, &page)}
                    </div>
                }
                .into_any()
            }}
        </Loaded>
    }
}
