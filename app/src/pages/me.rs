//! The employee's own page on the phone: their record and their months of contributions,
//! nothing of anyone else.

use super::employee_detail::{labelled_rows, profile_view};
use crate::api::{self, ApiResult};
use crate::components::Loaded;
use crate::i18n::{current_lang, t};
use crate::session::use_session;
use leptos::prelude::*;
use shebao_domain::api::ContributionMonth;
use shebao_domain::run::ContributionStatus;
use shebao_domain::money::format_yuan;

/// One month: period, status, both shares and the receipt; opened, the dates (drawn by
/// the record's own function) and each line's base and shares in a small table. Plain
/// texts in few elements: this is part of the phone's first download.
fn contribution_month(m: ContributionMonth) -> impl IntoView {
    let lang = current_lang();
    let code = m.status.code();
    let parts = format!(
        "{} {} · {} {}",
        t("price.employee"),
        format_yuan(m.employee_total),
        t("price.employer"),
        format_yuan(m.employer_total)
    );
    let receipt = m.receipt_no.map(|no| format!("{} {no}", t("contrib.receipt")));
    let mut dates = vec![("contrib.due", m.due_date)];
    dates.extend(m.paid_on.map(|d| ("contrib.paid_on", d)));
    let lines = m
        .lines
        .iter()
        .map(|l| {
            view! {
                <tr>
                    <td>{l.insurance_type.short_name(lang)}</td>
                    <td class="num">{format_yuan(l.base)}</td>
                    <td class="num">{format_yuan(l.employer_amount)}</td>
                    <td class="num">{format_yuan(l.employee_amount)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <details class=format!("contribution cs-{code}") data-testid=format!("contribution-{}", m.period)>
            <summary>
                <span class="period">{m.period.clone()}</span>
                <span class=format!("badge cs-{code}") data-testid="contribution-status">{m.status.label(lang)}</span>
                <span class="parts">{parts}</span>
                {receipt.map(|r| view! { <span class="sub receipt" data-testid="contribution-receipt">{r}</span> })}
            </summary>
            <dl class="profile">{labelled_rows(dates)}</dl>
            <table class="table compact">
                <thead>
                    <tr>
                        <th>{t("price.type")}</th>
                        <th class="num">{t("price.base")}</th>
                        <th class="num">{t("price.employer")}</th>
                        <th class="num">{t("price.employee")}</th>
                    </tr>
                </thead>
                <tbody>{lines}</tbody>
            </table>
        </details>
    }
}

/// This month at a glance: the newest month on record and its status, and any month
/// still unpaid, so that what matters is read before the list.
fn glance(months: &[ContributionMonth]) -> Option<impl IntoView> {
    let newest = months.first()?;
    let lang = current_lang();
    let code = newest.status.code();
    let unpaid: Vec<&str> = months.iter().filter(|m| m.status == ContributionStatus::Lapsed).map(|m| m.period.as_str()).collect();
    let warning = (!unpaid.is_empty()).then(|| format!("{}{}", t("me.glance.unpaid"), unpaid.join(t("list.sep"))));
    Some(view! {
        <section class=format!("card glance cs-{code}") data-testid="me-glance">
            <span class="sub">{t("me.glance")}" · "{newest.period.clone()}</span>
            <span class=format!("badge cs-{code}") data-testid="glance-status">{newest.status.label(lang)}</span>
            <strong>{t("price.employee")}" "{format_yuan(newest.employee_total)}</strong>
            {warning.map(|w| view! { <p class="field-error" data-testid="glance-unpaid">{w}</p> })}
        </section>
    })
}

/// 缴费记录, newest month first; what went wrong instead, when they could not be read.
fn contributions(months: ApiResult<Vec<ContributionMonth>>) -> impl IntoView {
    let (list, note) = match months {
        Ok(list) if list.is_empty() => (list, Some(("empty", t("me.contributions.empty").to_string()))),
        Ok(list) => (list, None),
        Err(e) => (Vec::new(), Some(("form-error", e.to_string()))),
    };
    view! {
        <section class="card contributions" data-testid="contributions">
            <h2>{t("me.contributions")}</h2>
            {note.map(|(class, text)| view! { <p class=class data-testid="contributions-note">{text}</p> })}
            // Drawn once per load, without `For`: its keyed diffing would be the largest
            // part of this section in the phone's first download.
            {list.into_iter().map(contribution_month).collect_view()}
        </section>
    }
}

#[component]
pub fn MyProfile() -> impl IntoView {
    let session = use_session();
    let employee_id = session.user.get_untracked().and_then(|m| m.employee_id);
    let Some(employee_id) = employee_id else {
        return view! { <p class="empty card" data-testid="no-record">{move || t("me.no_record")}</p> }.into_any();
    };
    // The record and its months in one load (one resource in the phone's first download);
    // months that cannot be read leave the record shown.
    let data = LocalResource::new(move || {
        let id = employee_id.clone();
        async move {
            let employee = session.check(api::employee(&id).await)?;
            let months = session.check(api::contributions(&id).await);
            Ok((employee, months))
        }
    });
    view! {
        <div class="me-page">
            <h1>{move || t("me.title")}</h1>
            // The way to reimbursement, whose pages load when opened. Plain links (the router
            // follows them too), as the bell's: less code in the first download.
            <nav class="action-bar me-claims">
                <a href="/claims/new" class="button primary" data-testid="me-claim-new">{move || t("claim.new")}</a>
                <a href="/claims" class="button" data-testid="me-claims">{move || t("claim.mine")}</a>
                <a href="/me/proof" class="button" data-testid="me-proof">{move || t("me.proof")}</a>
                <a href="/me/changes" class="button" data-testid="me-changes">{move || t("me.changes")}</a>
                <a href="/help" class="button" data-testid="me-help">{move || t("me.help")}</a>
            </nav>
            <Loaded resource=data let:loaded>
                {let (d, months) = loaded; view! {
                    {months.as_deref().ok().and_then(glance)}
                    <section class="card">
                        <h2>{t("me.profile")}</h2>
                        {profile_view(&d)}
                    </section>
                    {contributions(months)}
                }}
            </Loaded>
        </div>
    }
    .into_any()
}
