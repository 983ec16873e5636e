//! The printable request to the bureau to revoke an executed item. The bureau here is the
//! simulator, and the sheet says so.

use crate::components::{china_time, kind_label, months_text, route_request, types_text, Loaded};
use crate::i18n::tr;
use leptos::prelude::*;
use leptos_router::components::A;
use shebao_domain::api::RequestDetail;
use shebao_domain::ids::today_in_china;
use shebao_domain::money::format_yuan;

fn sheet(d: &RequestDetail) -> impl IntoView {
    let s = &d.summary;
    view! {
        <article class="sheet" data-testid="revocation-form">
            <h1>{tr("rev.title")}<span class="sim" data-testid="simulator-mark">{tr("rev.simulator")}</span></h1>
            <table class="sheet-table"><tbody>
                <tr><th>{tr("rev.unit")}</th><td colspan="3" data-testid="rev-unit">{s.branch_name.clone()}</td></tr>
                <tr>
                    <th>{tr("emp.name")}</th><td data-testid="rev-name">{s.employee_name.clone()}</td>
                    <th>{tr("emp.resident_id")}</th><td class="mono" data-testid="rev-id">{d.resident_id_masked.clone()}</td>
                </tr>
                <tr>
                    <th>{tr("rev.item")}</th>
                    <td colspan="3" data-testid="rev-item">
                        {kind_label(s.kind)}" · "{months_text(s.from_month, s.to_month)}" · "{types_text(&s.insurance_types)}
                    </td>
                </tr>
                <tr>
                    <th>{tr("req.base")}</th><td>{format_yuan(s.base)}</td>
                    <th>{tr("req.total_amount")}</th><td data-testid="rev-total">{format_yuan(s.total)}</td>
                </tr>
                <tr>
                    <th>{tr("req.receipt_no")}</th><td class="mono" data-testid="rev-receipt">{d.receipt_no.clone()}</td>
                    <th>{tr("req.executed_at")}</th><td>{d.executed_at.as_deref().map(china_time)}</td>
                </tr>
                <tr><th>{tr("req.revocation_reason")}</th><td colspan="3" class="tall" data-testid="rev-reason">{d.revocation_reason.clone()}</td></tr>
                <tr><th>{tr("rev.date")}</th><td colspan="3">{today_in_china().to_string()}</td></tr>
            </tbody></table>
            <div class="signs">
                <div><span>{tr("rev.sign_unit")}</span><span class="sign-line"></span></div>
                <div><span>{tr("rev.sign_bureau")}</span><span class="sign-line"></span></div>
            </div>
        </article>
    }
}

#[component]
pub fn RevocationFormPage() -> impl IntoView {
    let request = route_request();
    view! {
        <div class="print-page">
            <Loaded resource=request let:d>
                <div class="page-head no-print">
                    <A href=format!("/enrollments/{}", d.summary.id) attr:class="back">{format!("← {}", tr("common.back"))}</A>
                    <button
                        type="button"
                        class="primary"
                        data-testid="print"
                        disabled=d.executed_at.is_none()
                        on:click=|_| { let _ = window().print(); }
                    >
                        {tr("rev.print")}
                    </button>
                </div>
                {if d.executed_at.is_some() {
                    sheet(&d).into_any()
                } else {
                    view! { <p class="empty card" data-testid="not-executed">{tr("rev.not_executed")}</p> }.into_any()
                }}
            </Loaded>
        </div>
    }
}
