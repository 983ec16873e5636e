//! The HR employee list: search, branch filter and paging by keyset (`?after=` the last
//! row's cursor, `?before=` the first's), all kept in the URL so the back button and shared
//! links show the same list.

use crate::api;
use crate::components::{pager, Loaded};
use crate::i18n::tr;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use shebao_domain::api::EmployeeSummary;
use shebao_domain::role::{may_search_by_id, Scope};

/// The list's filters as query parameters.
fn filters(q: &str, branch: &str) -> Vec<String> {
    let mut parts = Vec::new();
    if !q.is_empty() {
        parts.push(format!("q={}", js_sys::encode_uri_component(q)));
    }
    if !branch.is_empty() {
        parts.push(format!("branch={}", js_sys::encode_uri_component(branch)));
    }
    parts
}

/// The list from its first page, or from the page beside a cursor: `("after", next)` or
/// `("before", prev)`.
fn list_url(q: &str, branch: &str, from: Option<(&str, &str)>) -> String {
    let mut parts = filters(q, branch);
    if let Some((key, cursor)) = from {
        parts.push(format!("{key}={}", js_sys::encode_uri_component(cursor)));
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
            <td><span class=format!("badge {}", e.status)>{move || tr(status)}</span></td>
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
    let after = move || query.read().get("after").unwrap_or_default();
    let before = move || query.read().get("before").unwrap_or_default();

    let me = session.user.get_untracked();
    let can_create = me.as_ref().is_some_and(|m| m.role.can_edit_employees());
    let group_level = me.as_ref().is_some_and(|m| m.role.employee_scope() == Scope::Group);
    let placeholder = if me.as_ref().is_some_and(|m| may_search_by_id(m.role)) { "emp.search" } else { "emp.search_name" };

    let branches = LocalResource::new(move || async move { session.check(api::branches().await) });

    let search = RwSignal::new(q());
    let go = move |q: String, branch: String| navigate(&list_url(&q, &branch, None), Default::default());
    let go_branch = go.clone();

    view! {
        <div class="list-page">
            <div class="page-head">
                <h1>{move || tr("emp.list.title")}</h1>
                <div class="action-bar">
                    <a class="button" download data-testid="export-employees" href=move || export_url(&q(), &branch())>
                        {move || tr("common.export")}
                    </a>
                    <Show when=move || can_create>
                        <A href="/employees/import" attr:class="button" attr:data-testid="import-roster">{move || tr("imp.link")}</A>
                        <A href="/employees/new" attr:class="button primary" attr:data-testid="new-employee">{move || tr("emp.new")}</A>
                    </Show>
                </div>
            </div>
            <form
                class="filters"
                on:submit=move |ev| {
                    ev.prevent_default();
                    go(search.get_untracked().trim().to_string(), branch());
                }
            >
                <input type="search" data-testid="search" bind:value=search placeholder=move || tr(placeholder) />
                <Show when=move || group_level>
                    <select
                        data-testid="branch-filter"
                        prop:value=branch
                        on:change={
                            let go_branch = go_branch.clone();
                            move |ev| go_branch(q(), event_target_value(&ev))
                        }
                    >
                        <option value="">{move || tr("emp.all_branches")}</option>
                        {move || {
                            branches.get().and_then(Result::ok).unwrap_or_default().into_iter()
                                .map(|b| view! { <option value=b.id.clone()>{b.name}</option> })
                                .collect_view()
                        }}
                    </select>
                </Show>
                <button type="submit">{move || tr("common.search")}</button>
            </form>
            // A new query is a new table: the spinner shows until its rows arrive.
            {move || {
                let (q, branch, after, before) = (q(), branch(), after(), before());
                untrack(|| view! { <EmployeeTable q branch after before /> })
            }}
        </div>
    }
}

/// The same selection as an .xlsx, every page of it.
fn export_url(q: &str, branch: &str) -> String {
    let mut parts = filters(q, branch);
    parts.insert(0, "format=xlsx".into());
    format!("/api/employees?{}", parts.join("&"))
}

/// One page of the employees that match `q` in `branch`: the first, or the one just
/// `after` or `before` a cursor (at most one of them is set).
#[component]
fn EmployeeTable(q: String, branch: String, after: String, before: String) -> impl IntoView {
    let session = use_session();
    let employees = {
        let (q, branch) = (q.clone(), branch.clone());
        LocalResource::new(move || {
            let (q, branch) = (q.clone(), branch.clone());
            let (after, before) = (after.clone(), before.clone());
            async move { session.check(api::employees(&q, &branch, &after, &before).await) }
        })
    };
    view! {
        <Loaded resource=employees let:data>
            {if data.items.is_empty() {
                view! { <p class="empty card" data-testid="empty">{tr("emp.empty")}</p> }.into_any()
            } else {
                let pages = pager(&data, |key, cursor| list_url(&q, &branch, Some((key, cursor))));
                view! {
                    <div class="card table-card">
                        <table class="table emp-table" data-testid="employee-table">
                            <thead><tr>
                                <th>{tr("emp.name")}</th>
                                <th>{tr("emp.resident_id")}</th>
                                <th>{tr("emp.branch")}</th>
                                <th>{tr("emp.department")}</th>
                                <th>{tr("emp.hire_date")}</th>
                                <th>{tr("emp.status")}</th>
                            </tr></thead>
                            <tbody>
                                <For each=move || data.items.clone() key=|e| e.id.clone() children=row />
                            </tbody>
                        </table>
                        {pages}
                    </div>
                }
                .into_any()
            }}
        </Loaded>
    }
}
