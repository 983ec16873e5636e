//! 社保成本: what contributions cost by branch and by department (the employer's share is
//! the company's cost), new hires' cost month on month, and what mistakes cost: the
//! back-payments and the late fees paid.

use super::{block, empty, growth_text, head, labels, percent_text};
use crate::components::{bar_chart, line_chart, stacked_bar, Point, Series, Stack};
use crate::i18n::tr;
use leptos::prelude::*;
use rust_decimal::Decimal;
use shebao_domain::money::format_yuan;
use shebao_domain::report::{CostRow, Costs, MistakeCost, MonthCost};

/// Departments the share chart names; the rest are 其他 (the table lists every one).
const NAMED_DEPARTMENTS: usize = 8;

fn cost_table(testid: &'static str, first: &'static str, rows: &[CostRow]) -> AnyView {
    let body = rows
        .iter()
        .map(|r| {
            view! {
                <tr data-testid="cost-row" data-key=r.key.clone()>
                    <td>{r.label.clone()}</td>
                    <td class="num" data-testid="employer">{format_yuan(r.employer)}</td>
                    <td class="num">{format_yuan(r.employee)}</td>
                    <td class="num" data-testid="share">{percent_text(r.share_percent)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table compact" data-testid=testid>
            {head(labels(&[first, "price.employer", "price.employee", "report.share"]), &[0])}
            <tbody>{body}</tbody>
        </table>
    }
    .into_any()
}

fn month_row(m: &MonthCost) -> impl IntoView {
    view! {
        <tr data-testid="cost-month" data-key=m.period.to_string()>
            <td>{m.period.to_string()}</td>
            <td class="num">{format_yuan(m.employer)}</td>
            <td class="num">{format_yuan(m.employee)}</td>
            <td class="num" data-testid="new-hires">{m.new_hires}</td>
            <td class="num" data-testid="new-hire-cost">{format_yuan(m.new_hire_cost)}</td>
            <td class="num" data-testid="growth">{growth_text(m.new_hire_growth)}</td>
            <td class="num">{format_yuan(m.back_payments)}</td>
            <td class="num">{format_yuan(m.back_payment_fees)}</td>
            <td class="num">{format_yuan(m.late_fees)}</td>
        </tr>
    }
}

fn mistakes(m: &MistakeCost) -> AnyView {
    let item = |key: &'static str, testid: &'static str, amount: Decimal| {
        view! { <div><span>{tr(key)}</span><strong data-testid=testid>{format_yuan(amount)}</strong></div> }
    };
    view! {
        <section class="card report-block">
            <h2>{tr("report.mistakes")}</h2>
            <div class="figures" data-testid="cost-mistakes">
                {item("report.back_payment_amount", "mistakes-back-payments", m.back_payments)}
                {item("report.back_payment_fees", "mistakes-back-payment-fees", m.back_payment_fees)}
                {item("price.late_fee", "mistakes-late-fees", m.late_fees)}
                <div class="sum">
                    <span>{tr("report.fees")}</span>
                    <strong data-testid="mistakes-fees">{format_yuan(m.fees)}</strong>
                </div>
            </div>
        </section>
    }
    .into_any()
}

/// The departments' shares of the employer's cost: the most costly by name, the rest as
/// `other` (其他).
fn department_shares(rows: &[CostRow], other: &str) -> Vec<Series> {
    let share = |label: String, employer: Decimal, percent: Decimal| Series {
        name: format!("{label} {}", percent_text(percent)),
        points: vec![Point {
            text: percent_text(percent),
            ..Point::yuan(employer)
        }],
    };
    let (named, rest) = rows.split_at(rows.len().min(NAMED_DEPARTMENTS));
    let mut series: Vec<Series> = named
        .iter()
        .map(|r| share(r.label.clone(), r.employer, r.share_percent))
        .collect();
    if !rest.is_empty() {
        let employer = rest.iter().map(|r| r.employer).sum();
        series.push(share(
            other.into(),
            employer,
            rest.iter().map(|r| r.share_percent).sum(),
        ));
    }
    series
}

pub(super) fn figures(d: Costs) -> AnyView {
    let nothing = d
        .by_branch
        .iter()
        .all(|r| r.employer.is_zero() && r.employee.is_zero())
        && d.by_month
            .iter()
            .all(|m| m.employer.is_zero() && m.back_payments.is_zero() && m.late_fees.is_zero());
    if nothing {
        return empty("report.costs.empty");
    }
    let branch_series = |key: &'static str, pick: fn(&CostRow) -> Decimal| Series {
        name: tr(key).into(),
        points: d.by_branch.iter().map(|r| Point::yuan(pick(r))).collect(),
    };
    let branches = bar_chart(
        "chart-cost-branches",
        tr("report.costs.branches").into(),
        d.by_branch.iter().map(|r| r.label.clone()).collect(),
        vec![
            branch_series("price.employer", |r| r.employer),
            branch_series("price.employee", |r| r.employee),
        ],
    );
    let departments = stacked_bar(
        "chart-cost-departments",
        tr("report.costs.departments").into(),
        vec![tr("price.employer").into()],
        department_shares(&d.by_department, tr("report.other")),
        Stack::Shares,
    );
    let new_hire = line_chart(
        "chart-new-hire",
        tr("report.costs.new_hire").into(),
        d.by_month.iter().map(|m| m.period.to_string()).collect(),
        vec![Series {
            name: tr("report.new_hire_cost").into(),
            points: d
                .by_month
                .iter()
                .map(|m| Point::yuan(m.new_hire_cost))
                .collect(),
        }],
        d.by_month
            .iter()
            .map(|m| {
                m.new_hire_growth
                    .map(|g| growth_text(Some(g)))
                    .unwrap_or_default()
            })
            .collect(),
    );
    let months = view! {
        <table class="table compact" data-testid="cost-months">
            {head(
                labels(&[
                    "price.month",
                    "report.employer",
                    "report.employee",
                    "report.new_hires",
                    "report.new_hire_cost",
                    "report.growth",
                    "report.back_payments",
                    "report.back_payment_fees",
                    "price.late_fee",
                ]),
                &[0],
            )}
            <tbody>{d.by_month.iter().map(month_row).collect_view()}</tbody>
        </table>
    };
    view! {
        {block("report.costs.branches", branches, cost_table("cost-branches", "emp.branch", &d.by_branch))}
        {block("report.costs.departments", departments, cost_table("cost-departments", "emp.department", &d.by_department))}
        {block("report.costs.new_hire", new_hire, months.into_any())}
        {mistakes(&d.mistakes)}
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str, employer: i64, share: &str) -> CostRow {
        CostRow {
            key: label.into(),
            label: label.into(),
            employer: employer.into(),
            employee: Decimal::ZERO,
            share_percent: share.parse().unwrap(),
        }
    }

    #[test]
    fn the_share_chart_names_eight_departments_and_sums_the_rest() {
        let rows: Vec<CostRow> = (0..10)
            .map(|i| row(&format!("d{i}"), 100 - i, "10.0"))
            .collect();
        let series = department_shares(&rows, "其他");
        assert_eq!(series.len(), NAMED_DEPARTMENTS + 1);
        let other = series.last().unwrap();
        assert_eq!(other.points[0].value, Some(91.0 + 92.0));
        assert_eq!(
            (other.name.as_str(), other.points[0].text.as_str()),
            ("其他 20.0%", "20.0%")
        );
        assert_eq!(
            department_shares(&rows[..3], "其他").len(),
            3,
            "no 其他 when every department is named"
        );
    }
}
