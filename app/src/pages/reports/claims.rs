//! 报销时效: the days from a claim's submission to its payment, for claims submitted while
//! contributions were in order and for those held for an unpaid month: the median and the
//! 90th percentile, overall and by the month of submission.

use super::{block, empty, head, labels};
use crate::components::{bar_chart, line_chart, Point, Series};
use crate::i18n::tr;
use leptos::prelude::*;
use shebao_domain::money::format_yuan;
use shebao_domain::report::{ClaimTimeRow, ClaimTimes, Spread};

/// Days as a chart shows them ("5 天"); nothing where no claim was paid.
fn days(value: Option<i64>) -> Point {
    value.map_or_else(Point::none, |d| {
        Point::new(d as f64, tr("report.days").replace("{}", &d.to_string()))
    })
}

/// Days as a table shows them.
fn days_cell(value: Option<i64>) -> String {
    value.map_or_else(|| "—".into(), |d| d.to_string())
}

fn spread_cells(s: &Spread) -> impl IntoView {
    view! {
        <td class="num" data-testid="count">{s.count}</td>
        <td class="num" data-testid="median">{days_cell(s.median)}</td>
        <td class="num" data-testid="p90">{days_cell(s.p90)}</td>
    }
}

fn group_row(g: &ClaimTimeRow) -> impl IntoView {
    view! {
        <tr data-testid="claim-group" data-key=g.key.clone()>
            <td>{g.label.clone()}</td>
            {spread_cells(&g.spread)}
            <td class="num">{format_yuan(g.paid_amount)}</td>
            <td class="num" data-testid="waiting">{g.waiting}</td>
        </tr>
    }
}

pub(super) fn figures(d: ClaimTimes) -> AnyView {
    if d.groups
        .iter()
        .all(|g| g.spread.count == 0 && g.waiting == 0)
    {
        return empty("report.claims.empty");
    }
    let names: Vec<String> = d.groups.iter().map(|g| g.label.clone()).collect();
    let spread_series = |key: &'static str, pick: fn(&Spread) -> Option<i64>| Series {
        name: tr(key).into(),
        points: d.groups.iter().map(|g| days(pick(&g.spread))).collect(),
    };
    let groups = bar_chart(
        "chart-claim-groups",
        tr("report.claims.groups").into(),
        names.clone(),
        vec![
            spread_series("report.median", |s| s.median),
            spread_series("report.p90", |s| s.p90),
        ],
    );
    let months: Vec<String> = d.by_month.iter().map(|m| m.period.to_string()).collect();
    let trend_series = Series::each(&names, &d.by_month, |m, i| {
        days(m.groups.get(i).and_then(|s| s.median))
    });
    let trend = line_chart(
        "chart-claim-trend",
        tr("report.claims.trend").into(),
        months,
        trend_series,
        Vec::new(),
    );
    let groups_table = view! {
        <table class="table compact" data-testid="claim-groups">
            {head(labels(&["emp.status", "report.paid_count", "report.median", "report.p90", "report.paid_amount", "report.waiting"]), &[0])}
            <tbody>{d.groups.iter().map(group_row).collect_view()}</tbody>
        </table>
    };
    // Each group's three figures under its name.
    let group_heads = names
        .iter()
        .map(|n| view! { <th colspan="3" class="group" scope="colgroup">{n.clone()}</th> })
        .collect_view();
    let sub_heads = names
        .iter()
        .flat_map(|_| labels(&["report.count", "report.median", "report.p90"]))
        .map(|l| view! { <th class="num" scope="col">{l}</th> })
        .collect_view();
    let month_rows = d
        .by_month
        .iter()
        .map(|m| {
            let cells = m.groups.iter().map(spread_cells).collect_view();
            view! { <tr data-testid="claim-month" data-key=m.period.to_string()><td>{m.period.to_string()}</td>{cells}</tr> }
        })
        .collect_view();
    let months_table = view! {
        <table class="table compact" data-testid="claim-months">
            <thead>
                <tr><th rowspan="2" scope="col">{tr("price.month")}</th>{group_heads}</tr>
                <tr>{sub_heads}</tr>
            </thead>
            <tbody>{month_rows}</tbody>
        </table>
    };
    view! {
        {block("report.claims.groups", groups, groups_table.into_any())}
        {block("report.claims.trend", trend, months_table.into_any())}
    }
    .into_any()
}
