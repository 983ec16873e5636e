//! The printable request to the bureau to revoke an executed item. The bureau here is the
//! simulator, and the sheet says so.

use crate::components::{china_time, esc, kind_label, loaded, months_text, route_request, types_text};
use crate::i18n::t;
use leptos::prelude::*;
use shebao_domain::api::{EmployeeDetail, RequestDetail};
use shebao_domain::ids::today_in_china;
use shebao_domain::money::format_yuan;

fn sheet_html(d: &RequestDetail, e: &EmployeeDetail) -> String {
    let s = &d.summary;
    let opt = |v: &Option<String>| v.as_deref().map(esc).unwrap_or_default();
    format!(
        r#"<article class="sheet" data-testid="revocation-form">
<h1>{title}<span class="sim" data-testid="simulator-mark">{sim}</span></h1>
<table class="sheet-table">
<tr><th>{unit_l}</th><td colspan="3" data-testid="rev-unit">{unit}</td></tr>
<tr><th>{name_l}</th><td data-testid="rev-name">{name}</td><th>{id_l}</th><td class="mono" data-testid="rev-id">{id}</td></tr>
<tr><th>{item_l}</th><td colspan="3" data-testid="rev-item">{kind} · {months} · {types}</td></tr>
<tr><th>{base_l}</th><td>{base}</td><th>{total_l}</th><td data-testid="rev-total">{total}</td></tr>
<tr><th>{receipt_l}</th><td class="mono" data-testid="rev-receipt">{receipt}</td><th>{exec_l}</th><td>{exec}</td></tr>
<tr><th>{reason_l}</th><td colspan="3" class="tall" data-testid="rev-reason">{reason}</td></tr>
<tr><th>{date_l}</th><td colspan="3">{date}</td></tr>
</table>
<div class="signs"><div><span>{sign_unit}</span><span class="sign-line"></span></div><div><span>{sign_bureau}</span><span class="sign-line"></span></div></div>
</article>"#,
        title = t("rev.title"),
        sim = t("rev.simulator"),
        unit_l = t("rev.unit"),
        unit = esc(&s.branch_name),
        name_l = t("emp.name"),
        name = esc(&e.name),
        id_l = t("emp.resident_id"),
        id = esc(&e.resident_id_masked),
        item_l = t("rev.item"),
        kind = kind_label(s.kind),
        months = months_text(s.from_month, s.to_month),
        types = types_text(&s.insurance_types),
        base_l = t("req.base"),
        base = format_yuan(s.base),
        total_l = t("req.total_amount"),
        total = format_yuan(s.total),
        receipt_l = t("req.receipt_no"),
        receipt = opt(&d.receipt_no),
        exec_l = t("req.executed_at"),
        exec = d.executed_at.as_deref().map(|t| esc(&china_time(t))).unwrap_or_default(),
        reason_l = t("req.revocation_reason"),
        reason = opt(&d.revocation_reason),
        date_l = t("rev.date"),
        date = today_in_china(),
        sign_unit = t("rev.sign_unit"),
        sign_bureau = t("rev.sign_bureau"),
    )
}

#[component]
pub fn RevocationFormPage() -> impl IntoView {
    let request = route_request();
    let page = move |(d, e): (RequestDetail, EmployeeDetail)| {
        let back = format!("/enrollments/{}", d.summary.id);
        let body = if d.executed_at.is_some() {
            sheet_html(&d, &e)
        } else {
            format!(r#"<p class="empty card" data-testid="not-executed">{}</p>"#, t("rev.not_executed"))
        };
        view! {
            <div class="page-head no-print">
                <a href=back class="back">{format!("← {}", t("common.back"))}</a>
                <button
                    type="button"
                    class="primary"
                    data-testid="print"
                    disabled=d.executed_at.is_none()
                    on:click=|_| { let _ = window().print(); }
                >
                    {t("rev.print")}
                </button>
            </div>
            <div inner_html=body></div>
        }
        .into_any()
    };
    view! { <div class="print-page">{loaded(request, page)}</div> }
}
