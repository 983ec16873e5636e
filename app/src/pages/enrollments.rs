//! The list of enrollment requests by state, kept in the URL (?state=, ?employee=), so the
//! back button and shared links show the same list. Supervisors land on the submitted
//! ones: it is their review queue. Approved rows count down to their execution.

use crate::api;
use crate::components::{
    badge_html, esc, kind_label, loaded, may_prepare, Loading, may_review, minutes_left, months_text, ticker, types_text,
};
use crate::i18n::t;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shebao_domain::api::RequestPage;
use shebao_domain::enrollment::RequestState;
use shebao_domain::money::format_yuan;
use std::fmt::Write;

const TABS: [&str; 8] = ["submitted", "approved", "revocation_requested", "filing_failed", "rejected", "draft", "executed", "all"];

/// The page head and the state tabs, as markup (plain links: the router follows them).
fn head_html(current: &str, employee: &str, can_create: bool) -> String {
    let mut h = format!(r#"<div class="page-head"><h1>{}</h1>"#, t("req.list.title"));
    if can_create {
        let _ = write!(h, r#"<a class="button primary" href="/enrollments/new" data-testid="new-request">{}</a>"#, t("req.new"));
    }
    h.push_str(r#"</div><nav class="tabs" data-testid="state-tabs">"#);
    let employee = if employee.is_empty() {
        String::new()
    } else {
        format!("&amp;employee={}", esc(&String::from(js_sys::encode_uri_component(employee))))
    };
    for code in TABS {
        let on = if current == code { r#" on" aria-current="page"# } else { "" };
        let _ = write!(
            h,
            r#"<a class="tab{on}" href="/enrollments?state={code}{employee}" data-testid="tab-{code}">{}</a>"#,
            t(&format!("state.{code}"))
        );
    }
    h.push_str("</nav>");
    h
}

/// The table; each row's name link stretches over the whole row.
fn table_html(page: &RequestPage, now: f64) -> String {
    if page.items.is_empty() {
        return format!(r#"<p class="empty card" data-testid="empty">{}</p>"#, t("req.empty"));
    }
    let mut h = format!(
        r#"<div class="card table-card"><table class="table request-table" data-testid="request-table"><thead><tr><th>{}</th><th>{}</th><th class="opt">{}</th><th class="opt">{}</th><th class="num">{}</th><th>{}</th></tr></thead><tbody>"#,
        t("req.employee"),
        t("req.kind"),
        t("req.months"),
        t("req.types"),
        t("req.total_amount"),
        t("req.state")
    );
    for r in &page.items {
        let countdown = match (&r.execute_after, r.state) {
            (Some(at), RequestState::Approved) => format!(
                r#"<small class="countdown" data-testid="row-countdown">{}</small>"#,
                minutes_left(js_sys::Date::parse(at) - now)
            ),
            _ => String::new(),
        };
        let _ = write!(
            h,
            r#"<tr data-testid="request-row"><td><a class="row-link" href="/enrollments/{}">{}</a><div class="sub">{}</div></td><td>{}</td><td class="opt">{}</td><td class="opt">{}</td><td class="num">{}</td><td>{}{countdown}</td></tr>"#,
            esc(&r.id),
            esc(&r.employee_name),
            esc(&r.branch_name),
            kind_label(r.kind),
            months_text(r.from_month, r.to_month),
            types_text(&r.insurance_types),
            format_yuan(r.total),
            badge_html(r.state),
        );
    }
    let _ = write!(
        h,
        r#"</tbody></table><div class="pager"><span data-testid="total">{}</span></div></div>"#,
        t("req.total").replace("{}", &page.total.to_string())
    );
    h
}

#[component]
pub fn EnrollmentList() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let me = session.user.get_untracked();
    let can_create = me.as_ref().is_some_and(|m| may_prepare(m.role));
    let reviewer = me.as_ref().is_some_and(|m| may_review(m.role) && !may_prepare(m.role));
    let state = move || {
        let default = if reviewer { "submitted" } else { "all" };
        query.read().get("state").filter(|s| !s.is_empty()).unwrap_or_else(|| default.into())
    };
    let employee = move || query.read().get("employee").unwrap_or_default();
    // Each answer carries the tab it was asked for: while another loads, the spinner shows.
    let list = LocalResource::new(move || {
        let (state, employee) = (state(), employee());
        async move {
            let filter = if state == "all" { "" } else { state.as_str() };
            let page = session.check(api::requests(filter, &employee).await)?;
            Ok((state, employee, page))
        }
    });
    let now = ticker(30_000);
    view! {
        <div class="list-page">
            <div inner_html=move || head_html(&state(), &employee(), can_create)></div>
            {loaded(list, move |(for_state, for_employee, page)| {
                if for_state != state() || for_employee != employee() {
                    return view! { <Loading /> }.into_any();
                }
                view! { <div inner_html=move || table_html(&page, now.get())></div> }.into_any()
            })}
        </div>
    }
}
