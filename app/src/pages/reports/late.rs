//! 逾期缴费: the months paid after their deadline or unpaid past it, by branch, by month
//! and by cause (where the run stood when the deadline passed), and the list of them.

use super::{block, empty, head, labels, table_block};
use crate::components::{bar_chart, stacked_bar, Point, Series, Stack};
use crate::i18n::tr;
use leptos::prelude::*;
use shebao_domain::money::format_yuan;
use shebao_domain::report::{LatePayments, LateRow, LateRun};

/// A branch's or a month's counts; `total` is the 合计 row.
fn row(r: &LateRow, total: bool) -> impl IntoView {
    let causes = r
        .by_cause
        .iter()
        .map(|&c| view! { <td class="num">{c}</td> })
        .collect_view();
    let cells = view! {
        <td class="num" data-testid="runs">{r.runs}</td>
        <td class="num" data-testid="late">{r.late}</td>
        {causes}
        <td class="num" data-testid="late-fees">{format_yuan(r.late_fees)}</td>
    };
    if total {
        view! { <tr class="total" data-testid="late-total"><th scope="row">{tr("report.total")}</th>{cells}</tr> }.into_any()
    } else {
        view! { <tr data-testid="late-row" data-key=r.key.clone()><td>{r.label.clone()}</td>{cells}</tr> }.into_any()
    }
}

/// A table of rows by branch or by month, with the causes' columns and the total.
fn counts_table(
    testid: &'static str,
    first: &'static str,
    rows: &[LateRow],
    causes: &[String],
    total: Option<&LateRow>,
) -> AnyView {
    let mut cols = labels(&[first, "report.runs", "report.late"]);
    cols.extend(causes.iter().cloned());
    cols.push(tr("price.late_fee").into());
    let body = rows.iter().map(|r| row(r, false)).collect_view();
    view! {
        <table class="table compact" data-testid=testid>
            {head(cols, &[0])}
            <tbody>{body}</tbody>
            {total.map(|t| view! { <tfoot>{row(t, true)}</tfoot> })}
        </table>
    }
    .into_any()
}

fn run_row(r: LateRun) -> impl IntoView {
    view! {
        <tr data-testid="late-run">
            <td>{r.period.to_string()}</td>
            <td>{r.branch_name}</td>
            <td>{r.due_date.to_string()}</td>
            <td>{r.paid_on.map_or_else(|| tr("report.unpaid").to_string(), |d| d.to_string())}</td>
            <td class="num" data-testid="days-late">{r.days_late}</td>
            <td>{r.cause_label}</td>
            <td class="num">{format_yuan(r.late_fee)}</td>
        </tr>
    }
}

pub(super) fn figures(d: LatePayments) -> AnyView {
    if d.total.late == 0 {
        return empty("report.late.empty");
    }
    let causes: Vec<String> = d.causes.iter().map(|c| c.label.clone()).collect();
    let late_series = Series {
        name: tr("report.late").into(),
        points: d.by_branch.iter().map(|b| Point::count(b.late)).collect(),
    };
    let branches = bar_chart(
        "chart-late-branches",
        tr("report.late.branches").into(),
        d.by_branch.iter().map(|b| b.label.clone()).collect(),
        vec![late_series],
    );
    let by_cause = Series::each(&causes, &d.by_month, |m, i| {
        Point::count(m.by_cause.get(i).copied().unwrap_or(0))
    });
    let trend = stacked_bar(
        "chart-late-trend",
        tr("report.late.trend").into(),
        d.by_month.iter().map(|m| m.label.clone()).collect(),
        by_cause,
        Stack::Months,
    );
    let runs = view! {
        <table class="table compact" data-testid="late-runs">
            {head(labels(&["price.month", "emp.branch", "contrib.due", "report.paid_on", "report.days_late", "report.cause", "price.late_fee"]), &[0, 1, 2, 3, 5])}
            <tbody>{d.runs.into_iter().map(run_row).collect_view()}</tbody>
        </table>
    };
    view! {
        {block("report.late.branches", branches, counts_table("late-by-branch", "emp.branch", &d.by_branch, &causes, Some(&d.total)))}
        {block("report.late.trend", trend, counts_table("late-by-month", "price.month", &d.by_month, &causes, None))}
        {table_block("report.late.runs", runs.into_any())}
    }
    .into_any()
}
