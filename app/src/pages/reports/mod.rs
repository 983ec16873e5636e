//! 统计报表: late payments, claim times and costs, one tab each (`/reports/:report`,
//! `/reports` is the first), over the months and branch in the URL (`?from=&to=&branch=`)
//! so that the back button and shared links show the same figures. Each report draws its
//! charts from the server's figures with the exact figures in a table beside; 导出 Excel
//! downloads the same report as a file. The server keeps each role to its scope.

mod claims;
mod costs;
mod late;

use crate::api::{self, ApiResult};
use crate::components::Loaded;
use crate::i18n::tr;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::{use_location, use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;
use rust_decimal::Decimal;
use shebao_domain::report::{report_scope, ClaimTimes, Costs, LatePayments, ReportHeader};

/// The reports' own styles (the charts' too), drawn with the page: out of the first download.
const STYLE: &str = include_str!("../../../../style/reports.css");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Report {
    Late,
    Claims,
    Costs,
}

impl Report {
    const ALL: [Report; 3] = [Report::Late, Report::Claims, Report::Costs];

    /// The route's and the API's name of the report.
    fn slug(self) -> &'static str {
        match self {
            Report::Late => "late-payments",
            Report::Claims => "claim-times",
            Report::Costs => "costs",
        }
    }

    fn of(slug: &str) -> Option<Report> {
        Report::ALL.into_iter().find(|r| r.slug() == slug)
    }
}

/// The filter as the URL has it; blank parts are the server's defaults (the last twelve
/// months, every branch in the reader's scope). Not parsed here: the server answers a bad
/// month with a field error, which the page shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Filter {
    from: String,
    to: String,
    branch: String,
}

impl Filter {
    /// `from=…&to=…&branch=…` with the blank parts left out.
    fn query(&self) -> String {
        [
            ("from", &self.from),
            ("to", &self.to),
            ("branch", &self.branch),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", js_sys::encode_uri_component(v)))
        .collect::<Vec<_>>()
        .join("&")
    }

    /// The page of `report` over this filter.
    fn href(&self, report: Report) -> String {
        let query = self.query();
        if query.is_empty() {
            format!("/reports/{}", report.slug())
        } else {
            format!("/reports/{}?{query}", report.slug())
        }
    }
}

/// The header of the last report that arrived: the filter as the server applied it and the
/// branches the reader may choose, which the filter bar shows while the next one loads.
type Shown = RwSignal<Option<ReportHeader>>;

/// A report's figures for `filter`, loaded once (a new filter re-creates this view, so the
/// spinner shows until the new figures arrive) and drawn by `figures`; its header goes to
/// `shown`.
fn loaded_report<T, F>(
    call: fn(String) -> F,
    filter: &Filter,
    header: fn(&T) -> &ReportHeader,
    shown: Shown,
    figures: fn(T) -> AnyView,
) -> AnyView
where
    T: Clone + Send + Sync + 'static,
    F: std::future::Future<Output = ApiResult<T>> + 'static,
{
    let session = use_session();
    let query = filter.query();
    let resource = LocalResource::new(move || {
        let query = query.clone();
        async move { session.check(call(query).await) }
    });
    Effect::new(move |_| {
        if let Some(Ok(data)) = &*resource.read() {
            shown.set(Some(header(data).clone()));
        }
    });
    view! { <Loaded resource let:data>{figures(data)}</Loaded> }.into_any()
}

/// "+12.5%", "-3.0%", or "—" when there was nothing to grow from.
fn growth_text(growth: Option<Decimal>) -> String {
    match growth {
        Some(g) if g > Decimal::ZERO => format!("+{g:.1}%"),
        Some(g) => format!("{g:.1}%"),
        None => "—".into(),
    }
}

fn percent_text(share: Decimal) -> String {
    format!("{share:.1}%")
}

/// A report's part: its title, the chart and the table beside it (under it on a phone).
fn block(title: &'static str, chart: AnyView, table: AnyView) -> AnyView {
    view! {
        <section class="card report-block">
            <h2>{tr(title)}</h2>
            <div class="report-pair">
                {chart}
                <div class="table-scroll">{table}</div>
            </div>
        </section>
    }
    .into_any()
}

/// A table part without a chart (the list of late months, the months' figures).
fn table_block(title: &'static str, table: AnyView) -> AnyView {
    view! {
        <section class="card report-block">
            <h2>{tr(title)}</h2>
            <div class="table-scroll">{table}</div>
        </section>
    }
    .into_any()
}

fn empty(key: &'static str) -> AnyView {
    view! { <p class="empty card" data-testid="report-empty">{tr(key)}</p> }.into_any()
}

/// A header row of `labels`: the columns `text` are text, the others figures (aligned right).
fn head(labels: Vec<String>, text: &[usize]) -> impl IntoView {
    let cells = labels
        .into_iter()
        .enumerate()
        .map(|(i, l)| view! { <th class:num={!text.contains(&i)} scope="col">{l}</th> })
        .collect_view();
    view! { <thead><tr>{cells}</tr></thead> }
}

/// The texts of `keys`, for a header row.
fn labels(keys: &[&'static str]) -> Vec<String> {
    keys.iter().map(|&k| tr(k).to_string()).collect()
}

fn tabs(current: Memo<Option<Report>>, filter: Memo<Filter>) -> impl IntoView {
    let links = Report::ALL
        .into_iter()
        .map(|r| {
            let on = move || current.get() == Some(r);
            view! {
                <A
                    href=move || filter.read().href(r)
                    attr:class=move || if on() { "tab on" } else { "tab" }
                    attr:data-testid=format!("report-tab-{}", r.slug())
                >
                    {move || tr(match r {
                        Report::Late => "report.tab.late-payments",
                        Report::Claims => "report.tab.claim-times",
                        Report::Costs => "report.tab.costs",
                    })}
                </A>
            }
        })
        .collect_view();
    view! { <nav class="tabs report-tabs" data-testid="report-tabs">{links}</nav> }
}

/// A month of the filter, `picked` when one is chosen.
fn month_input(
    label: &'static str,
    testid: &'static str,
    value: impl Fn() -> String + Send + Sync + 'static,
    picked: impl Fn(String) + 'static,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{move || tr(label)}</span>
            <input type="month" data-testid=testid prop:value=value on:change=move |ev| picked(event_target_value(&ev)) />
        </label>
    }
}

/// The months and the branch, written into the URL on change (so back goes to the previous
/// filter), and the same report as an .xlsx.
fn filter_bar(report: Report, filter: Memo<Filter>, shown: Shown) -> impl IntoView {
    let navigate = use_navigate();
    // Blank in the URL: the months the server applied.
    let from = move || {
        Some(filter.read().from.clone())
            .filter(|s| !s.is_empty())
            .or_else(|| shown.read().as_ref().map(|h| h.from.to_string()))
            .unwrap_or_default()
    };
    let to = move || {
        Some(filter.read().to.clone())
            .filter(|s| !s.is_empty())
            .or_else(|| shown.read().as_ref().map(|h| h.to.to_string()))
            .unwrap_or_default()
    };
    let go = move |f: Filter| navigate(&f.href(report), Default::default());
    let (go_from, go_to, go_branch) = (go.clone(), go.clone(), go);
    let branches = move || {
        shown
            .read()
            .as_ref()
            .map(|h| h.branches.clone())
            .unwrap_or_default()
    };
    // One branch to choose (an HR specialist's own): shown, not choosable.
    let single = move || branches().len() <= 1;
    let options = move || {
        let list = branches();
        let all = (list.len() > 1).then(|| view! { <option value="" prop:selected=move || filter.read().branch.is_empty()>{tr("emp.all_branches")}</option> });
        let each = list
            .into_iter()
            .map(|b| {
                let id = b.id.clone();
                view! { <option value=b.id prop:selected=move || filter.read().branch == id>{b.name}</option> }
            })
            .collect_view();
        view! { {all}{each} }
    };
    view! {
        <div class="report-filters card">
            {month_input("report.from", "report-from", from, move |from| go_from(Filter { from, to: to(), branch: filter.get_untracked().branch }))}
            {month_input("report.to", "report-to", to, move |to| go_to(Filter { from: from(), to, branch: filter.get_untracked().branch }))}
            <label class="field">
                <span>{move || tr("emp.branch")}</span>
                <select
                    data-testid="report-branch"
                    disabled=single
                    on:change=move |ev| go_branch(Filter { from: from(), to: to(), branch: event_target_value(&ev) })
                >
                    {options}
                </select>
            </label>
            <a class="button" download data-testid="report-export" href=move || api::report_export_url(report.slug(), &filter.read().query())>
                {move || tr("common.export")}
            </a>
        </div>
    }
}

#[component]
pub fn ReportsPage() -> AnyView {
    let session = use_session();
    let allowed = session
        .user
        .get_untracked()
        .is_some_and(|me| report_scope(me.role).is_some());
    let params = use_params_map();
    // `/reports` is the first report, under its own address: every tab is then the same
    // route, and the page stays as the tabs change (the router rebuilds a page it enters
    // from another route, and the tabs' marks were lost on the way).
    if params.read_untracked().get("report").is_none() {
        let search = use_location().search.get_untracked();
        let first = Filter::default().href(Report::Late);
        let to = if search.is_empty() {
            first
        } else {
            format!("{first}?{search}")
        };
        let replace = NavigateOptions {
            replace: true,
            ..Default::default()
        };
        return view! { <Redirect path=to options=replace /> }.into_any();
    }
    let query = use_query_map();
    let report = Memo::new(move |_| params.read().get("report").as_deref().and_then(Report::of));
    let filter = Memo::new(move |_| {
        let q = query.read();
        let part = |k: &str| q.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
        Filter {
            from: part("from"),
            to: part("to"),
            branch: part("branch"),
        }
    });
    let shown: Shown = RwSignal::new(None);
    let bar = move || report.get().map(|r| filter_bar(r, filter, shown));
    let figures = move || match report.get() {
        None => view! { <super::not_found::NotFound /> }.into_any(),
        Some(r) => {
            // A new filter is a new load: re-created, with the spinner until it arrives.
            let f = filter.get();
            untrack(|| match r {
                Report::Late => loaded_report(
                    api::reports_late_payments,
                    &f,
                    |d: &LatePayments| &d.header,
                    shown,
                    late::figures,
                ),
                Report::Claims => loaded_report(
                    api::reports_claim_times,
                    &f,
                    |d: &ClaimTimes| &d.header,
                    shown,
                    claims::figures,
                ),
                Report::Costs => loaded_report(
                    api::reports_costs,
                    &f,
                    |d: &Costs| &d.header,
                    shown,
                    costs::figures,
                ),
            })
        }
    };
    view! {
        <div class="reports-page" data-testid="reports">
            <style>{STYLE}</style>
            <h1>{move || tr("report.title")}</h1>
            {if allowed {
                view! {
                    {tabs(report, filter)}
                    {bar}
                    {figures}
                }
                .into_any()
            } else {
                view! { <p class="error-box" role="alert" data-testid="report-denied">{move || tr("report.denied")}</p> }.into_any()
            }}
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_and_shares_read_as_percentages() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(growth_text(Some(d("12.5"))), "+12.5%");
        assert_eq!(growth_text(Some(d("-3"))), "-3.0%");
        assert_eq!(growth_text(Some(d("0"))), "0.0%");
        assert_eq!(growth_text(None), "—");
        assert_eq!(percent_text(d("75")), "75.0%");
    }

    #[test]
    fn the_reports_are_named_by_the_route() {
        assert_eq!(Report::of("late-payments"), Some(Report::Late));
        assert_eq!(Report::of("costs"), Some(Report::Costs));
        assert_eq!(Report::of("nope"), None);
    }
}
