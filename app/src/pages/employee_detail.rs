//! One employee: the record and its history.

use crate::components::{route_employee, Loaded, Timeline};
use crate::i18n::{current_lang, t};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use shebao_domain::api::EmployeeDetail;
use shebao_domain::money::format_yuan;

/// Labelled values of a `<dl class="profile">`: the label's text key (also the value's
/// test id) and the value. One function for the record and for the months of 我的社保,
/// so that its code is in the phone's download once.
pub fn labelled_rows(rows: Vec<(&'static str, String)>) -> impl IntoView {
    rows.into_iter().map(|(k, v)| view! { <div><dt>{move || t(k)}</dt><dd data-testid=k>{v}</dd></div> }).collect_view()
}

/// The record as a list of labelled values; shared with the employee's own page.
pub fn profile_view(d: &EmployeeDetail) -> impl IntoView {
    let status = if d.status == "active" { "emp.status.active" } else { "emp.status.left" };
    let kind = d.id_kind;
    let rows: Vec<(&'static str, String)> = vec![
        match &d.birth_date {
            Some(birth) => ("emp.birth_gender", format!("{birth} · {}", d.gender.label_zh())),
            None => ("emp.age_gender", format!("{} · {}", d.age, d.gender.label_zh())),
        },
        ("emp.branch", d.branch_name.clone()),
        ("emp.department", d.department.clone().unwrap_or_else(|| "—".into())),
        ("emp.phone", d.phone.clone().unwrap_or_else(|| "—".into())),
        ("emp.email", d.email.clone().unwrap_or_else(|| "—".into())),
        ("emp.bank_card", d.bank_card.clone().unwrap_or_else(|| "—".into())),
        ("emp.hire_date", d.hire_date.clone()),
        ("emp.salary", format_yuan(d.salary)),
        ("emp.hukou", d.hukou.label(current_lang()).to_string()),
    ];
    view! {
        <dl class="profile" data-testid="profile">
            <div><dt>{move || t("emp.name")}</dt><dd data-testid="emp.name">{d.name.clone()}</dd></div>
            <div>
                <dt>{move || t("emp.resident_id")}</dt>
                <dd>
                    <span class="mono" data-testid="emp.resident_id">{d.resident_id_masked.clone()}</span>
                    " "
                    <span class="id-kind" data-testid="id-kind">{move || kind.label(current_lang())}</span>
                </dd>
            </div>
            {labelled_rows(rows)}
            <div><dt>{move || t("emp.status")}</dt><dd>{move || t(status)}</dd></div>
        </dl>
    }
}

#[component]
pub fn EmployeeDetailPage() -> impl IntoView {
    let session = use_session();
    let employee = route_employee();
    let can_edit = session.user.get_untracked().is_some_and(|m| m.role.can_edit_employees());
    view! {
        <div class="detail-page">
            <A href="/employees" attr:class="back">{move || format!("← {}", t("common.back"))}</A>
            <Loaded resource=employee let:d>
                <div class="page-head">
                    <h1 data-testid="employee-name">{d.name.clone()}</h1>
                    {can_edit.then(|| view! {
                        <A href=format!("/employees/{}/edit", d.id) attr:class="button" attr:data-testid="edit-employee">{t("common.edit")}</A>
                    })}
                </div>
                <div class="two-col">
                    <section class="card">{profile_view(&d)}</section>
                    <Timeline entity="employee" id=d.id.clone() />
                </div>
            </Loaded>
        </div>
    }
}
