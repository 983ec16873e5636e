//! The price of a request, as the preview, the confirmation and the request page show it.

use super::labels::ins_label;
use crate::i18n::{current_lang, t};
use leptos::prelude::*;
use shebao_domain::money::format_yuan;
use shebao_domain::pricing::{Cost, MonthPrice, Price, PriceRow};

/// Per month and insurance type, the base used (and why, when clamped), the employer's and
/// the employee's share (for a base adjustment the difference to the base in force) and
/// the month's late fee; then the totals. A read-only table of one price, drawn again
/// when it changes.
pub fn price_table(price: &Price) -> impl IntoView {
    let total = format_yuan(price.total);
    if price.months.is_empty() {
        return view! {
            <div class="price" data-testid="price-breakdown">
                <p class="hint">{t("price.none")}</p>
                <p class="price-sum">{t("price.total")}" "<strong data-testid="price-total">{total}</strong></p>
            </div>
        }
        .into_any();
    }
    let total_label = if price.cost() == Cost::PaidBack { t("price.total_back") } else { t("price.total") };
    view! {
        <div class="price" data-testid="price-breakdown">
            <div class="table-scroll">
                <table class="table price-table">
                    <thead>
                        <tr>
                            <th>{t("price.month")}</th>
                            <th>{t("price.type")}</th>
                            <th class="num">{t("price.base")}</th>
                            <th class="num">{t("price.employer")}</th>
                            <th class="num">{t("price.employee")}</th>
                            <th class="num">{t("price.late_fee")}</th>
                        </tr>
                    </thead>
                    <tbody>{price.months.iter().map(month_rows).collect_view()}</tbody>
                    <tfoot>
                        <tr>
                            <th colspan="3">{t("price.subtotal")}</th>
                            <td class="num">{format_yuan(price.employer_total)}</td>
                            <td class="num">{format_yuan(price.employee_total)}</td>
                            <td class="num">{format_yuan(price.late_fee_total)}</td>
                        </tr>
                        <tr class="grand">
                            <th colspan="3">{total_label}</th>
                            <td colspan="3" class="num"><strong data-testid="price-total">{total.clone()}</strong></td>
                        </tr>
                    </tfoot>
                </table>
            </div>
            <p class="price-sum phone-only">{total_label}" "<strong data-testid="price-total-phone">{total}</strong></p>
            {price.provisional.then(|| view! { <p class="hint">{t("price.provisional")}</p> })}
        </div>
    }
    .into_any()
}

/// The base of one type: "¥7,162.00" with "养老按下限 ¥7,162.00 计" when the wage was
/// clamped, or "¥10,000.00 → ¥12,000.00" for a base adjustment.
fn base_cell(row: &PriceRow) -> impl IntoView {
    let lang = current_lang();
    let base = match row.replaces {
        Some(old) => format!("{} → {}", format_yuan(old.base), format_yuan(row.line.base)),
        None => format_yuan(row.line.base),
    };
    let note = row.line.clamp_note(lang);
    view! {
        <td class="num" data-testid="price-base">
            {base}
            {note.map(|n| view! { <small class="clamp" data-testid="clamp-note">{n}</small> })}
        </td>
    }
}

/// One row per insurance type; the month and its late fee span them all.
fn month_rows(m: &MonthPrice) -> impl IntoView {
    let n = m.breakdown.lines.len();
    let late_fee = move || match &m.late_fee {
        Some(f) => view! {
            <td rowspan=n class="num" title=f.explain(current_lang()) data-testid="late-fee">
                {format_yuan(f.amount)}<small>{t("price.days").replace("{}", &f.days.to_string())}</small>
            </td>
        }
        .into_any(),
        None => view! { <td rowspan=n class="num muted">"—"</td> }.into_any(),
    };
    m.rows()
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let first = i == 0;
            view! {
                <tr class:first=first>
                    {first.then(|| {
                        let moved = m.due().filter(|d| d.moved()).map(|d| d.explain(current_lang()));
                        view! {
                            <td rowspan=n class="month">
                                {m.period.to_string()}
                                {moved.map(|text| view! { <small data-testid="due-moved">{text}</small> })}
                            </td>
                        }
                    })}
                    <td>{ins_label(row.line.insurance_type)}</td>
                    {base_cell(row)}
                    <td class="num">{format_yuan(row.employer_amount)}</td>
                    <td class="num">{format_yuan(row.employee_amount)}</td>
                    {first.then(late_fee)}
                </tr>
            }
        })
        .collect_view()
}
