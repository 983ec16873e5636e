//! The list of enrollment requests by state, kept in the URL (?state=, ?employee=), so the
//! back button and shared links show the same list. Supervisors land on the submitted
//! ones: it is their review queue. Approved rows count down to their execution.

use crate::api;
use crate::components::{badge, kind_label, minutes_left, months_text, state_label, ticker, types_text, Loaded};
use crate::i18n::tr;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use shebao_domain::enrollment::{may_prepare, may_review, RequestState};
use shebao_domain::money::format_yuan;

const TABS: [&str; 8] = ["submitted", "approved", "revocation_requested", "filing_failed", "rejected", "draft", "executed", "all"];

#[component]
pub fn EnrollmentList() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let me = session.user.get_untracked();
    let can_create = me.as_ref().is_some_and(|m| may_prepare(m.role));
    let reviewer = me.as_ref().is_some_and(|m| may_review(m.role) && !may_prepare(m.role));
    let state = Memo::new(move |_| {
        let default = if reviewer { "submitted" } else { "all" };
        query.read().get("state").filter(|s| !s.is_empty()).unwrap_or_else(|| default.into())
    });
    let employee = Memo::new(move |_| query.read().get("employee").unwrap_or_default());
    let employee_param = move || {
        let e = employee.get();
        if e.is_empty() { e } else { format!("&employee={}", js_sys::encode_uri_component(&e)) }
    };
    view! {
        <div class="list-page">
            <div class="page-head">
                <h1>{move || tr("req.list.title")}</h1>
                <div class="action-bar">
                    <a class="button" download data-testid="export-requests"
                        href=move || format!("{}{}", api::export_url("/api/enrollments", &state.get()), employee_param())>
                        {move || tr("common.export")}
                    </a>
                    {can_create.then(|| view! {
                        <A href="/enrollments/new" attr:class="button primary" attr:data-testid="new-request">{move || tr("req.new")}</A>
                    })}
                </div>
            </div>
            <nav class="tabs" data-testid="state-tabs">
                // Plain links, which the router follows as well: `A` ignores the query when
                // it marks the current page, so it would mark every tab.
                {TABS.map(|code| {
                    let on = move || state.get() == code;
                    view! {
                        <a
                            href=move || format!("/enrollments?state={code}{}", employee_param())
                            class="tab"
                            class:on=on
                            aria-current=move || on().then_some("page")
                            data-testid=format!("tab-{code}")
                        >
                            {move || RequestState::from_code(code).map_or_else(|| tr("state.all"), state_label)}
                        </a>
                    }
                })}
            </nav>
            // A new tab or employee is a new table: the spinner shows until its rows arrive.
            {move || {
                let (state, employee) = (state.get(), employee.get());
                untrack(|| view! { <RequestTable state employee /> })
            }}
        </div>
    }
}

/// The requests in `state` ("all": any) of `employee` (empty: anyone's). Each row's name
/// link stretches over the whole row; only an approved row's countdown text ticks.
#[component]
fn RequestTable(state: String, employee: String) -> impl IntoView {
    let session = use_session();
    let list = LocalResource::new(move || {
        let filter = if state == "all" { String::new() } else { state.clone() };
        let employee = employee.clone();
        async move { session.check(api::requests(&filter, &employee).await) }
    });
    let now = ticker(30_000);
    view! {
        <Loaded resource=list let:page>
            {if page.items.is_empty() {
                view! { <p class="empty card" data-testid="empty">{tr("req.empty")}</p> }.into_any()
            } else {
                let total = tr("req.total").replace("{}", &page.total.to_string());
                view! {
                    <div class="card table-card">
                        <table class="table request-table" data-testid="request-table">
                            <thead>
                                <tr>
                                    <th>{tr("req.employee")}</th>
                                    <th>{tr("req.kind")}</th>
                                    <th class="opt">{tr("req.months")}</th>
                                    <th class="opt">{tr("req.types")}</th>
                                    <th class="num">{tr("req.total_amount")}</th>
                                    <th>{tr("req.state")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                <For each=move || page.items.clone() key=|r| (r.id.clone(), r.version) let:r>
                                    <tr data-testid="request-row">
                                        <td>
                                            <A href=format!("/enrollments/{}", r.id) attr:class="row-link">{r.employee_name}</A>
                                            <div class="sub">{r.branch_name}</div>
                                        </td>
                                        <td>{kind_label(r.kind)}</td>
                                        <td class="opt">{months_text(r.from_month, r.to_month)}</td>
                                        <td class="opt">{types_text(&r.insurance_types)}</td>
                                        <td class="num">{format_yuan(r.total)}</td>
                                        <td>
                                            {badge(r.state)}
                                            {r.execute_after.filter(|_| r.state == RequestState::Approved).map(|at| {
                                                let at = js_sys::Date::parse(&at);
                                                view! { <small class="countdown" data-testid="row-countdown">{move || minutes_left(at - now.get())}</small> }
                                            })}
                                        </td>
                                    </tr>
                                </For>
                            </tbody>
                        </table>
                        <div class="pager"><span data-testid="total">{total}</span></div>
                    </div>
                }
                .into_any()
            }}
        </Loaded>
    }
}
