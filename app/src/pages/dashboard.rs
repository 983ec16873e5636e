//! 缴费看板: each branch the user sees, this month — how far its run has got, the
//! countdown to the city's deadline (red when fewer days are left than steps still
//! needed), its open escalation, and the way into the run, or to generate it.

use crate::api::{self, ApiFailure, ApiResult};
use crate::components::{alert_badge, run_badge, urgency_class, Loaded};
use crate::i18n::tr;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use shebao_domain::api::{BranchStanding, BudgetUpdate, Dashboard, NewRun, RunSummary};
use shebao_domain::money::format_yuan;
use shebao_domain::run::{may_prepare, may_set_budget};

/// The page's own styles, drawn with it: out of the first download's stylesheet.
const STYLE: &str = include_str!("../../../style/dashboard.css");

/// Generating one branch's month: the branch, and the server's answer.
type Generate = Action<NewRun, (String, ApiResult<RunSummary>)>;
/// Setting one branch's budget: the branch and the amount typed, and the server's answer.
type SetBudget = Action<(String, String), (String, ApiResult<Dashboard>)>;

/// The branch's monthly budget; finance may change it here.
fn budget_line(b: &BranchStanding, set: Option<SetBudget>) -> impl IntoView {
    let shown = b.budget.map_or_else(|| tr("dash.no_budget").to_string(), format_yuan);
    let id = b.branch_id.clone();
    let form = set.map(|set| {
        let typed = RwSignal::new(b.budget.map(|v| v.to_string()).unwrap_or_default());
        let (save_id, error_id) = (id.clone(), id.clone());
        let failure = move || set.value().get().and_then(|(branch, result)| (branch == error_id).then_some(result)?.err());
        view! {
            <div class="budget-form">
                <input
                    type="text"
                    inputmode="decimal"
                    aria-label=tr("dash.budget")
                    data-testid=format!("budget-input-{id}")
                    bind:value=typed
                />
                <button
                    type="button"
                    data-testid=format!("budget-save-{id}")
                    disabled=move || set.pending().get()
                    on:click=move |_| { set.dispatch((save_id.clone(), typed.get_untracked())); }
                >
                    {tr("common.save")}
                </button>
                {move || failure().map(|e| view! { <p class="form-error" role="alert" data-testid="budget-error">{e.to_string()}</p> })}
            </div>
        }
    });
    view! {
        <p class="budget">{tr("dash.budget")}" "<span data-testid="budget">{shown}</span></p>
        {form}
    }
}

/// The run's figures: employees, employer, employee and total.
fn run_figures(run: &RunSummary) -> impl IntoView {
    view! {
        <dl class="mini">
            <div><dt>{tr("dash.employees")}</dt><dd data-testid="run-employees">{run.employees}</dd></div>
            <div><dt>{tr("price.employer")}</dt><dd>{format_yuan(run.employer_total)}</dd></div>
            <div><dt>{tr("price.employee")}</dt><dd>{format_yuan(run.employee_total)}</dd></div>
            <div class="sum"><dt>{tr("price.total")}</dt><dd data-testid="run-total">{format_yuan(run.total)}</dd></div>
        </dl>
    }
}

fn branch_card(b: BranchStanding, may_generate: bool, generate: Generate, set_budget: Option<SetBudget>) -> impl IntoView {
    let budget = budget_line(&b, set_budget);
    let id = b.branch_id.clone();
    let body = match &b.run {
        Some(run) => view! {
            <div class="branch-run">
                {run_badge(run.state)}
                {run_figures(run)}
            </div>
            <A href=format!("/runs/{}", run.id) attr:class="button primary" attr:data-testid="open-run">{tr("dash.open_run")}</A>
        }
        .into_any(),
        None if may_generate => {
            let body = NewRun { branch_id: b.branch_id.clone(), period: b.period.clone() };
            let id = b.branch_id.clone();
            let error_id = id.clone();
            let failure = move || {
                generate.value().get().and_then(|(branch, result)| (branch == error_id).then_some(result)?.err())
            };
            view! {
                <p class="hint">{tr("dash.no_run")}</p>
                {move || failure().map(|e| view! { <p class="form-error" role="alert" data-testid="generate-error">{e.to_string()}</p> })}
                <button
                    type="button"
                    class="primary"
                    data-testid=format!("generate-{id}")
                    disabled=move || generate.pending().get()
                    on:click=move |_| { generate.dispatch(body.clone()); }
                >
                    {tr("dash.generate")}
                </button>
            }
            .into_any()
        }
        None => view! { <p class="hint">{tr("dash.no_run")}</p> }.into_any(),
    };
    view! {
        <section class=format!("card branch-card {}", urgency_class(b.standing.urgency)) data-testid=format!("branch-{id}")>
            <div class="branch-head">
                <h2>{b.branch_name.clone()}</h2>
                {b.alert_level.map(alert_badge)}
            </div>
            <div class="sub">{b.city_name.clone()}" · "{b.period.clone()}</div>
            <p class="progress-label" data-testid="progress">{b.progress_label.clone()}</p>
            <p class="countdown-text" data-testid="countdown">{b.countdown.clone()}</p>
            <p class="due">{tr("dash.due")}" "<span data-testid="due-date">{b.due_date.clone()}</span></p>
            {budget}
            {body}
        </section>
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let may_generate = session.user.get_untracked().is_some_and(|m| may_prepare(m.role));
    let may_budget = session.user.get_untracked().is_some_and(|m| may_set_budget(m.role));
    let dashboard = LocalResource::new(move || async move { session.check(api::dashboard().await) });
    // One key per branch and attempt; a retry after a lost answer reuses it.
    let keys = StoredValue::new(Vec::<(String, String)>::new());
    let generate: Generate = Action::new_local(move |body: &NewRun| {
        let body = body.clone();
        let branch = body.branch_id.clone();
        let key = keys
            .with_value(|k| k.iter().find(|(b, _)| *b == branch).map(|(_, key)| key.clone()))
            .unwrap_or_else(|| {
                let key = api::idempotency_key();
                keys.update_value(|k| k.push((branch.clone(), key.clone())));
                key
            });
        async move {
            let result = session.check(api::create_run(body, key).await);
            // Answered: a later attempt is a new intention.
            if !matches!(result, Err(ApiFailure::Network)) {
                keys.try_update_value(|k| k.retain(|(b, _)| *b != branch));
            }
            (branch, result)
        }
    });
    let set_budget: SetBudget = Action::new_local(move |(branch, typed): &(String, String)| {
        let (branch, body) = (branch.clone(), BudgetUpdate { budget: typed.clone() });
        async move { (branch.clone(), session.check(api::set_budget(branch, body).await)) }
    });
    let set_budget = may_budget.then_some(set_budget);
    Effect::new(move |_| {
        if set_budget.is_some_and(|s| matches!(s.value().get(), Some((_, Ok(_))))) {
            dashboard.refetch();
        }
    });
    Effect::new(move |_| {
        if let Some((_, Ok(run))) = generate.value().get() {
            navigate(&format!("/runs/{}", run.id), Default::default());
        }
    });
    view! {
        <div class="dashboard-page" data-testid="dashboard">
            <style>{STYLE}</style>
            <Loaded resource=dashboard let:d>
                <div class="page-head">
                    <h1>{tr("dash.title")}" · "{d.period.clone()}</h1>
                    {d.simulated_clock.then(|| view! {
                        <span class="sim-clock" data-testid="simulated-clock">{tr("dash.clock").replace("{}", &d.today)}</span>
                    })}
                </div>
                {if d.branches.is_empty() {
                    view! { <p class="empty card" data-testid="empty">{tr("dash.empty")}</p> }.into_any()
                } else {
                    view! {
                        <div class="branch-grid">
                            <For
                                each=move || d.branches.clone()
                                key=|b| (b.branch_id.clone(), b.run.as_ref().map(|r| r.version), b.budget)
                                children=move |b| branch_card(b, may_generate, generate, set_budget)
                            />
                        </div>
                    }
                    .into_any()
                }}
            </Loaded>
        </div>
    }
}
