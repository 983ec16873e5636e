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
use shebao_domain::api::{BranchStanding, NewRun, RunSummary};
use shebao_domain::money::format_yuan;
use shebao_domain::run::may_prepare;

/// Generating one branch's month: the branch, and the server's answer.
type Generate = Action<NewRun, (String, ApiResult<RunSummary>)>;

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

fn branch_card(b: BranchStanding, may_generate: bool, generate: Generate) -> impl IntoView {
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
            {body}
        </section>
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let may_generate = session.user.get_untracked().is_some_and(|m| may_prepare(m.role));
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
    Effect::new(move |_| {
        if let Some((_, Ok(run))) = generate.value().get() {
            navigate(&format!("/runs/{}", run.id), Default::default());
        }
    });
    view! {
        <div class="dashboard-page" data-testid="dashboard">
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
                                key=|b| (b.branch_id.clone(), b.run.as_ref().map(|r| r.version))
                                children=move |b| branch_card(b, may_generate, generate)
                            />
                        </div>
                    }
                    .into_any()
                }}
            </Loaded>
        </div>
    }
}
