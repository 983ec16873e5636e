//! One branch's monthly contribution run: its state and figures against the budget and the
//! deadline, the generation's progress while it is worked out, what changed since last
//! month, its lines page by page, and the steps the server allows the signed-in user now.

use crate::api::{self, ApiFailure, ApiResult};
use crate::components::{alert_badge, route_run, run_badge, urgency_class, Loaded};
use crate::i18n::{current_lang, tr};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use rust_decimal::Decimal;
use shebao_domain::api::{ChangeKind, NextPage, RunActionBody, RunChange, RunDetail, RunEmployeeLines, TypeLine};
use shebao_domain::enrollment::MAX_REASON_CHARS;
use shebao_domain::money::format_yuan;
use shebao_domain::policy::InsuranceType;
use shebao_domain::run::{RunAction, RunState};
use std::future::Future;
use std::time::Duration;

/// A step on the run: the action and what is sent with it.
type Step = Action<(RunAction, RunActionBody), ApiResult<RunDetail>>;

/// "¥10,000.00 → ¥12,000.00"; "—" on the side a new hire or a leaver has no base.
fn change_amounts(before: Option<Decimal>, after: Option<Decimal>) -> String {
    let side = |v: Option<Decimal>| v.map_or_else(|| "—".to_string(), format_yuan);
    format!("{} → {}", side(before), side(after))
}

fn change_key(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "run.change.added",
        ChangeKind::Stopped => "run.change.stopped",
        ChangeKind::BaseChanged => "run.change.base_changed",
    }
}

fn change_class(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "badge ch-added",
        ChangeKind::Stopped => "badge ch-stopped",
        ChangeKind::BaseChanged => "badge ch-base",
    }
}

/// A list read onwards page by page (加载更多): what is shown, where the next page starts,
/// and the load of it. A fresh run starts it again from its first page.
struct Onwards<T: Send + Sync + 'static> {
    items: RwSignal<Vec<T>>,
    next: RwSignal<Option<String>>,
    failure: RwSignal<Option<ApiFailure>>,
    load: Action<String, ApiResult<NextPage<T>>>,
}

impl<T: Send + Sync + 'static> Clone for Onwards<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Onwards<T> {}

impl<T: Clone + PartialEq + Send + Sync + 'static> Onwards<T> {
    fn new<F, Fu>(first: &NextPage<T>, fetch: F) -> Self
    where
        F: Fn(&String) -> Fu + 'static,
        Fu: Future<Output = ApiResult<NextPage<T>>> + 'static,
    {
        let list = Onwards {
            items: RwSignal::new(first.items.clone()),
            next: RwSignal::new(first.next.clone()),
            failure: RwSignal::new(None),
            load: Action::new_local(fetch),
        };
        Effect::new(move |_| match list.load.value().get() {
            Some(Ok(page)) => {
                list.failure.set(None);
                list.items.update(|l| l.extend(page.items));
                list.next.set(page.next);
            }
            Some(Err(e)) => list.failure.set(Some(e)),
            None => {}
        });
        list
    }

    fn reset(self, first: &NextPage<T>) {
        if self.items.with_untracked(|l| *l != first.items) {
            self.items.set(first.items.clone());
        }
        if self.next.with_untracked(|n| *n != first.next) {
            self.next.set(first.next.clone());
        }
    }

    /// Why the last page did not come, and the button for the next one while there is one.
    fn more(self, what: &'static str) -> impl IntoView {
        view! {
            {move || self.failure.get().map(|e| view! {
                <p class="form-error" role="alert" data-testid=format!("{what}-error")>{e.to_string()}</p>
            })}
            {move || self.next.get().map(|cursor| view! {
                <button
                    type="button"
                    data-testid=format!("more-{what}")
                    disabled=move || self.load.pending().get()
                    on:click=move |_| { self.load.dispatch(cursor.clone()); }
                >
                    {move || if self.load.pending().get() { tr("common.loading") } else { tr("run.more") }}
                </button>
            })}
        }
    }
}

/// The insurance types any employee on the page pays, in their usual order: the columns.
fn types_shown(rows: &[RunEmployeeLines]) -> Vec<InsuranceType> {
    InsuranceType::ALL
        .into_iter()
        .filter(|t| rows.iter().any(|r| r.lines.iter().any(|l| l.insurance_type == *t)))
        .collect()
}

/// Rows that differ in anything shown are different rows (a regenerated line is drawn anew).
fn line_key(e: &RunEmployeeLines) -> (String, Vec<(InsuranceType, Decimal, Decimal, Decimal)>) {
    let figures = e.lines.iter().map(|l| (l.insurance_type, l.base, l.employer_amount, l.employee_amount)).collect();
    (e.employee_id.clone(), figures)
}

fn change_row_key(c: &RunChange) -> (String, &'static str, Option<Decimal>, Option<Decimal>) {
    (c.employee_id.clone(), change_key(c.kind), c.before, c.after)
}

/// One type's employer and employee amounts; its base too where it is not the employee's
/// usual (pension) base, and "—" for a type the employee does not pay.
fn type_cell(line: Option<&TypeLine>, base: Option<Decimal>) -> impl IntoView {
    match line {
        None => view! { <td class="num absent">"—"</td> }.into_any(),
        Some(l) => {
            let own_base = (Some(l.base) != base).then(|| {
                view! { <small class="own-base">{tr("run.lines.own_base")}" "{format_yuan(l.base)}</small> }
            });
            view! {
                <td class="num type-cell">
                    <span>{format_yuan(l.employer_amount)}</span>
                    <span class="sub">{format_yuan(l.employee_amount)}</span>
                    {own_base}
                </td>
            }
            .into_any()
        }
    }
}

/// One employee's month: the base, each type's amounts and what the month costs in all.
fn line_row(e: RunEmployeeLines, types: Memo<Vec<InsuranceType>>) -> impl IntoView {
    let base = e.lines.first().map(|l| l.base);
    let total: Decimal = e.lines.iter().map(|l| l.employer_amount + l.employee_amount).sum();
    let lines = e.lines;
    let cells = move || {
        types
            .get()
            .into_iter()
            .map(|t| type_cell(lines.iter().find(|l| l.insurance_type == t), base))
            .collect_view()
    };
    view! {
        <tr data-testid="run-line">
            <td><A href=format!("/employees/{}", e.employee_id)>{e.employee_name}</A></td>
            <td class="num">{base.map_or_else(|| "—".to_string(), format_yuan)}</td>
            {cells}
            <td class="num total" data-testid="line-total">{format_yuan(total)}</td>
        </tr>
    }
}

fn head(d: &RunDetail) -> impl IntoView {
    let r = &d.run;
    view! {
        <div class="page-head">
            <h1 data-testid="run-title">{r.branch_name.clone()}" · "{r.period.clone()}" "<small>{tr("run.title")}</small></h1>
            <div class="head-actions">
                {run_badge(r.state)}
                {d.alert_level.map(alert_badge)}
            </div>
        </div>
    }
}

/// While the lines are being worked out: how many employees are done.
fn generating(d: &RunDetail) -> impl IntoView {
    let r = &d.run;
    (r.state == RunState::Generating).then(|| {
        let text = tr("run.progress")
            .replace("{done}", &r.employees_done.to_string())
            .replace("{total}", &r.employees_total.to_string());
        view! {
            <section class="card generating">
                <progress
                    data-testid="generation-progress"
                    value=r.employees_done.to_string()
                    max=r.employees_total.max(1).to_string()
                ></progress>
                <p data-testid="generation-text" role="status">{text}</p>
            </section>
        }
    })
}

/// The totals, the deadline and the budget.
fn figures(d: &RunDetail) -> impl IntoView {
    let r = &d.run;
    let over = r.budget.over_by;
    let budget = r.budget.budget.map_or_else(|| tr("run.no_budget").to_string(), format_yuan);
    view! {
        <section class="card run-figures" class:over=over.is_some()>
            <div class="figures">
                <div><span>{tr("price.employer")}</span><strong data-testid="run-employer-total">{format_yuan(r.employer_total)}</strong></div>
                <div><span>{tr("price.employee")}</span><strong data-testid="run-employee-total">{format_yuan(r.employee_total)}</strong></div>
                <div class="sum"><span>{tr("price.total")}</span><strong data-testid="run-total">{format_yuan(r.total)}</strong></div>
                <div><span>{tr("dash.employees")}</span><strong data-testid="run-employees">{r.employees}</strong></div>
            </div>
            <p class="deadline">
                {tr("run.due")}" "<strong data-testid="due-date">{r.due_date.clone()}</strong>
                <span class=format!("countdown-text {}", urgency_class(r.standing.urgency)) data-testid="countdown">{r.countdown.clone()}</span>
            </p>
            <p class="budget">{tr("run.budget")}" "<span data-testid="budget">{budget}</span></p>
            {over.map(|o| view! {
                <p class="over-budget" role="alert" data-testid="over-budget">{tr("run.over_budget").replace("{}", &format_yuan(o))}</p>
            })}
        </section>
    }
}

/// Who confirmed and approved it, why it was sent back, the bureau's receipt; a value it
/// does not have is left out (and the card with it, when there is none).
fn records(d: &RunDetail) -> impl IntoView {
    let r = &d.run;
    let rows: [(&str, &'static str, Option<String>); 7] = [
        ("req.receipt_no", "receipt-no", r.receipt_no.clone()),
        ("run.paid_on", "paid-on", r.paid_on.clone()),
        ("price.late_fee", "late-fee", r.late_fee.map(format_yuan)),
        ("run.confirmed_by", "confirmed-by", d.confirmed_by.clone()),
        ("run.approved_by", "approved-by", d.approved_by.clone()),
        ("run.approval_reason", "approval-reason", d.approval_reason.clone()),
        ("run.reject_reason", "reject-reason", d.reject_reason.clone()),
    ];
    let rows: Vec<_> = rows.into_iter().filter_map(|(key, testid, value)| Some((key, testid, value?))).collect();
    (!rows.is_empty()).then(|| {
        let rows = rows
            .into_iter()
            .map(|(key, testid, v)| view! { <div><dt>{tr(key)}</dt><dd data-testid=testid>{v}</dd></div> })
            .collect_view();
        view! { <section class="card"><dl class="profile" data-testid="run-records">{rows}</dl></section> }
    })
}

/// New hires, leavers and new bases since the branch's previous month.
fn changes(list: Onwards<RunChange>) -> impl IntoView {
    view! {
        <section class="card changes-card" data-testid="run-changes">
            <div class="section-head">
                <h2>{move || tr("run.changes")}</h2>
                <span class="hint">{move || tr("run.changes_note")}</span>
            </div>
            <Show
                when=move || list.items.with(|l| !l.is_empty())
                fallback=|| view! { <p class="empty">{tr("run.changes.none")}</p> }
            >
                <div class="table-scroll changes-scroll">
                    <table class="table compact">
                        <tbody>
                            <For each=move || list.items.get() key=change_row_key let:c>
                                <tr data-testid="run-change">
                                    <td><A href=format!("/employees/{}", c.employee_id)>{c.employee_name}</A></td>
                                    <td><span class=change_class(c.kind)>{move || tr(change_key(c.kind))}</span></td>
                                    <td class="num">{change_amounts(c.before, c.after)}</td>
                                </tr>
                            </For>
                        </tbody>
                    </table>
                </div>
            </Show>
            <div class="pager">{list.more("changes")}</div>
        </section>
    }
}

/// The buttons of the steps the user may take, and the reason where one is needed.
fn actions<E, V>(d: &RunDetail, step: Step, reason: RwSignal<String>, missing: RwSignal<bool>, errors: E) -> impl IntoView
where
    E: Fn() -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let budget = d.run.budget;
    let over = budget.over_by.is_some();
    let version = d.run.version;
    let list: Vec<RunAction> = d.actions.iter().copied().filter(|a| a.by_person()).collect();
    if list.is_empty() {
        return ().into_any();
    }
    let asks = list.iter().any(|a| a.needs_reason(&budget));
    let hint = if over && list.contains(&RunAction::Approve) { "run.reason_over" } else { "run.reason_reject" };
    let buttons = list
        .into_iter()
        .map(|a| {
            let class = match a {
                RunAction::Reject => "danger",
                RunAction::Regenerate => "",
                _ => "primary",
            };
            view! {
                <button
                    type="button"
                    class=class
                    data-testid=format!("run-action-{}", a.code())
                    disabled=move || step.pending().get()
                    on:click=move |_| {
                        let text = reason.get_untracked().trim().to_string();
                        if a.needs_reason(&budget) && text.is_empty() {
                            missing.set(true);
                            return;
                        }
                        missing.set(false);
                        let reason = (a.takes_reason() && !text.is_empty()).then_some(text);
                        step.dispatch((a, RunActionBody { version, reason }));
                    }
                >
                    {a.label(current_lang())}
                </button>
            }
        })
        .collect_view();
    view! {
        <section class="card" data-testid="run-actions">
            {asks.then(|| view! {
                <label class="field reason-field" class:invalid=move || missing.get()>
                    <span>{tr(hint)}</span>
                    <textarea
                        rows="2"
                        maxlength=MAX_REASON_CHARS
                        data-testid="run-reason"
                        bind:value=reason
                        on:input=move |_| missing.set(false)
                    ></textarea>
                    {move || missing.get().then(|| view! {
                        <p class="field-error" role="alert" data-testid="reason-missing">{tr("run.reason_missing")}</p>
                    })}
                </label>
            })}
            <div class="action-bar">{buttons}</div>
            {errors}
        </section>
    }
    .into_any()
}

#[component]
fn RunView(initial: RunDetail, resource: LocalResource<ApiResult<RunDetail>>) -> impl IntoView {
    let session = use_session();
    let id = StoredValue::new(initial.run.id.clone());
    let lines = Onwards::new(&initial.lines, move |cursor: &String| {
        let (id, cursor) = (id.get_value(), cursor.clone());
        async move { session.check(api::run_lines(&id, &cursor).await) }
    });
    let changed = Onwards::new(&initial.changes, move |cursor: &String| {
        let (id, cursor) = (id.get_value(), cursor.clone());
        async move { session.check(api::run_changes(&id, &cursor).await) }
    });
    let types = Memo::new(move |_| lines.items.with(|l| types_shown(l)));
    let detail = RwSignal::new(initial);
    // A fresh answer replaces the run and starts its lists again from their first pages.
    let show = move |d: RunDetail| {
        lines.reset(&d.lines);
        changed.reset(&d.changes);
        if detail.with_untracked(|old| *old != d) {
            detail.set(d);
        }
    };

    // While the lines are being worked out, look again every second.
    let polling = StoredValue::new(false);
    let poll = move || {
        if polling.get_value() || detail.with_untracked(|d| d.run.state != RunState::Generating) {
            return;
        }
        polling.set_value(true);
        let id = id.get_value();
        spawn_local(async move {
            let result = session.check(api::run(&id).await);
            if polling.try_update_value(|p| *p = false).is_none() {
                return; // the page is gone
            }
            if let Ok(d) = result {
                show(d);
            }
        });
    };
    if let Ok(handle) = set_interval_with_handle(poll, Duration::from_secs(1)) {
        on_cleanup(move || handle.clear());
    }

    // One key per intention: a retry after a lost answer acts only once.
    let key = StoredValue::new(api::idempotency_key());
    let reason = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiFailure>);
    let step: Step = Action::new_local(move |(action, body): &(RunAction, RunActionBody)| {
        let (action, body, id) = (*action, body.clone(), id.get_value());
        let k = key.get_value();
        async move {
            let result = session.check(api::run_action(id, action, body, k).await);
            // Answered (done or refused): the next attempt is a new intention.
            if !matches!(result, Err(ApiFailure::Network)) {
                key.try_set_value(api::idempotency_key());
            }
            result
        }
    });
    Effect::new(move |_| match step.value().get() {
        Some(Ok(d)) => {
            failure.set(None);
            missing.set(false);
            reason.set(String::new());
            show(d);
        }
        Some(Err(e)) => failure.set(Some(e)),
        None => {}
    });

    let failure_view = move || {
        failure.get().map(|e| {
            let stale = matches!(e, ApiFailure::Message { status: 409, .. });
            view! {
                <div class="form-error" role="alert" data-testid="run-error">
                    {e.to_string()}
                    {stale.then(|| view! {
                        " "
                        <button type="button" class="link" data-testid="reload" on:click=move |_| resource.refetch()>
                            {tr("common.reload")}
                        </button>
                    })}
                </div>
            }
        })
    };

    view! {
        {move || detail.with(head)}
        <div class="stack">
            {move || detail.with(generating)}
            {move || detail.with(figures)}
            {move || detail.with(|d| actions(d, step, reason, missing, failure_view))}
            {move || detail.with(records)}
            {changes(changed)}
            <section class="card table-card run-lines-card">
                <div class="section-head">
                    <h2>{move || tr("run.lines")}</h2>
                    <a class="button" download data-testid="export-lines" href=move || format!("/api/runs/{}?format=xlsx", id.get_value())>
                        {move || tr("common.export")}
                    </a>
                </div>
                <div class="table-scroll">
                    <table class="table run-lines" data-testid="run-lines">
                        <thead>
                            <tr>
                                <th>{move || tr("emp.name")}</th>
                                <th class="num">{move || tr("price.base")}</th>
                                <For each=move || types.get() key=|t| *t let:t>
                                    <th class="num">{move || t.short_name(current_lang())}<small>{move || tr("run.lines.split")}</small></th>
                                </For>
                                <th class="num">{move || tr("price.subtotal")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For each=move || lines.items.get() key=line_key let:e>
                                {line_row(e, types)}
                            </For>
                        </tbody>
                    </table>
                </div>
                {move || lines.items.with(Vec::is_empty).then(|| view! { <p class="empty" data-testid="lines-empty">{tr("run.lines.empty")}</p> })}
                <div class="pager">
                    <span data-testid="lines-shown">{move || tr("run.lines.shown").replace("{}", &lines.items.with(Vec::len).to_string())}</span>
                    {lines.more("lines")}
                </div>
            </section>
        </div>
    }
}

#[component]
pub fn RunDetailPage() -> impl IntoView {
    let run = route_run();
    view! {
        <div class="detail-page run-page" data-testid="run-page">
            <A href="/dashboard" attr:class="back">{move || format!("← {}", tr("common.back"))}</A>
            <Loaded resource=run let:d>
                <RunView initial=d resource=run />
            </Loaded>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_reads_from_the_old_base_to_the_new_one() {
        let (a, b) = (Decimal::from(10_000), Decimal::from(12_000));
        assert_eq!(change_amounts(Some(a), Some(b)), "¥10,000.00 → ¥12,000.00");
        assert_eq!(change_amounts(None, Some(b)), "— → ¥12,000.00");
        assert_eq!(change_amounts(Some(a), None), "¥10,000.00 → —");
    }
}
