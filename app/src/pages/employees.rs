//! The HR employee list: search, branch filter and paging, all kept in the URL so the back
//! button and shared links show the same list.

use crate::api;
use crate::components::{loaded, Loading};
use crate::i18n::t;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use shebao_domain::api::EmployeeSummary;
use shebao_domain::role::{may_search_by_id, Scope};

fn list_url(q: &str, branch: &str, page: u32) -> String {
    let mut parts = Vec::new();
    if !q.is_empty() {
        parts.push(format!("q={}", js_sys::encode_uri_component(q)));
    }
    if !branch.is_empty() {
        parts.push(format!("branch={}", js_sys::encode_uri_component(branch)));
    }
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    if parts.is_empty() { "/employees".into() } else { format!("/employees?{}", parts.join("&")) }
}

fn row(e: EmployeeSummary) -> impl IntoView {
    let href = format!("/employees/{}", e.id);
    let status = if e.status == "active" { "emp.status.active" } else { "emp.status.left" };
    view! {
        <tr data-testid="employee-row">
            <td><A href=href>{e.name}</A></td>
            <td class="mono">{e.resident_id_masked}</td>
            <td>{e.branch_name}</td>
            <td>{e.department.unwrap_or_default()}</td>
            <td>{e.hire_date}</td>
            <td><span class=format!("badge {}", e.status)>{move || t(status)}</span></td>
        </tr>
    }
}

#[component]
pub fn EmployeeList() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();
    let q = move || query.read().get("q").unwrap_or_default();
    let branch = move || query.read().get("branch").unwrap_or_default();
    let page = move || query.read().get("page").and_then(|p| p.parse().ok()).unwrap_or(1u32).max(1);

    let me = session.user.get_untracked();
    let can_create = me.as_ref().is_some_and(|m| m.role.can_edit_employees());
    let group_level = me.as_ref().is_some_and(|m| m.role.employee_scope() == Scope::Group);
    let placeholder = if me.as_ref().is_some_and(|m| may_search_by_id(m.role)) { "emp.search" } else { "emp.search_name" };

    // Each answer carries the URL it was asked for: while another is loading, the list
    // shows the spinner rather than the previous rows.
    let employees = LocalResource::new(move || {
        let (q, branch, page) = (q(), branch(), page());
        let key = list_url(&q, &branch, page);
        async move { session.check(api::employees(&q, &branch, page).await).map(|data| (key, data)) }
    });
    let branches = LocalResource::new(move || async move { session.check(api::branches().await) });

    let search = RwSignal::new(q());
    let go = {
        let navigate = navigate.clone();
        move |q: String, branch: String, page: u32| navigate(&list_url(&q, &branch, page), Default::default())
    };
    let go_search = go.clone();
    let go_branch = go.clone();

    view! {
        <div class="list-page">
            <div class="page-head">
                <h1>{move || t("emp.list.title")}</h1>
                <Show when=move || can_create>
                    <A href="/employees/new" attr:class="button primary" attr:data-testid="new-employee">{move || t("emp.new")}</A>
                </Show>
            </div>
            <form
                class="filters"
                on:submit=move |ev| {
                    ev.prevent_default();
                    go_search(search.get_untracked().trim().to_string(), branch(), 1);
                }
            >
                <input type="search" data-testid="search" bind:value=search placeholder=move || t(placeholder) />
                <Show when=move || group_level>
                    <select
                        data-testid="branch-filter"
                        prop:value=branch
                        on:change={
                            let go_branch = go_branch.clone();
                            move |ev| go_branch(q(), event_target_value(&ev), 1)
                        }
                    >
                        <option value="">{move || t("emp.all_branches")}</option>
                        {move || {
                            branches.get().and_then(Result::ok).unwrap_or_default().into_iter()
                                .map(|b| view! { <option value=b.id.clone()>{b.name}</option> })
                                .collect_view()
                        }}
                    </select>
                </Show>
                <button type="submit">{move || t("common.search")}</button>
            </form>
            {loaded(employees, move |(key, data)| {
                if key != list_url(&q(), &branch(), page()) {
                    return view! { <Loading /> }.into_any();
                }
                let go = go.clone();
                let pages = data.total.div_ceil(data.per_page).max(1);
                let current = data.page;
                let total = data.total;
                let (go_prev, go_next) = (go.clone(), go.clone());
                if data.items.is_empty() {
                    return view! { <p class="empty card" data-testid="empty">{move || t("emp.empty")}</p> }.into_any();
                }
                view! {
                    <div class="card table-card">
                        <table class="table emp-table" data-testid="employee-table">
                            <thead><tr>
                                <th>{move || t("emp.name")}</th>
                                <th>{move || t("emp.resident_id")}</th>
                                <th>{move || t("emp.branch")}</th>
                                <th>{move || t("emp.department")}</th>
                                <th>{move || t("emp.hire_date")}</th>
                                <th>{move || t("emp.status")}</th>
                            </tr></thead>
                            <tbody>{data.items.into_iter().map(row).collect_view()}</tbody>
                        </table>
                        <div class="pager">
                            <span data-testid="total">{move || t("emp.total").replace("{}", &total.to_string())}</span>
                            <button disabled={current <= 1} on:click=move |_| go_prev(q(), branch(), current - 1)>
                                {move || t("common.prev")}
                            </button>
                            <span data-testid="page">{format!("{current} / {pages}")}</span>
                            <button data-testid="next-page" disabled={current >= pages} on:click=move |_| go_next(q(), branch(), current + 1)>
                                {move || t("common.next")}
                            </button>
                        </div>
                    </div>
                }.into_any()
            })}
        </div>
    }
}
