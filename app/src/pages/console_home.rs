//! The console's home: the frequent actions first (增员, 减员, 补缴, 待审核, and the
//! monthly contributions dashboard), then where the branch's requests stand, then what the
//! system told this person.

use crate::api;
use crate::components::{china_time, Loaded};
use crate::i18n::tr;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use shebao_domain::api::RequestCounts;
use shebao_domain::enrollment::may_prepare;

const QUICK: [(&str, &str, &str); 3] =
    [("enrollment", "+", "home.enroll"), ("removal", "−", "home.remove"), ("back_payment", "↺", "home.back_pay")];

type Pick = fn(&RequestCounts) -> u32;

const COUNTS: [(&str, &str, Pick); 5] = [
    ("draft", "home.drafts", |c| c.draft),
    ("rejected", "home.rejected", |c| c.rejected),
    ("approved", "home.approved", |c| c.approved),
    ("revocation_requested", "home.revocations", |c| c.revocation_requested),
    ("filing_failed", "home.filing_failed", |c| c.filing_failed),
];

#[component]
pub fn ConsoleHome() -> impl IntoView {
    let session = use_session();
    let me = session.user.get_untracked();
    let name = me.as_ref().map(|m| m.display_name.clone()).unwrap_or_default();
    let maker = me.as_ref().is_some_and(|m| may_prepare(m.role));
    let counts = LocalResource::new(move || async move { session.check(api::request_counts().await) });
    let notifications = LocalResource::new(move || async move { session.check(api::notifications().await) });
    // The review tile shows its number as soon as the counts arrive, "…" until then.
    let submitted = move || counts.get().and_then(Result::ok).map_or("…".to_string(), |c| c.submitted.to_string());
    view! {
        <div class="home" data-testid="console-home">
            <h1>{move || tr("home.welcome").replace("{}", &name)}</h1>
            <div class="tiles" data-testid="quick-actions">
                {maker.then(|| QUICK.map(|(kind, icon, label)| view! {
                    <A href=format!("/enrollments/new?kind={kind}") attr:class="tile" attr:data-testid=format!("quick-{kind}")>
                        <span class="tile-icon" aria-hidden="true">{icon}</span>
                        <span class="tile-label">{move || tr(label)}</span>
                    </A>
                }))}
                <A href="/enrollments?state=submitted" attr:class="tile review" attr:data-testid="quick-review">
                    <strong class="tile-icon" data-testid="count-submitted">{submitted}</strong>
                    <span class="tile-label">{move || tr("home.review")}</span>
                </A>
                <A href="/dashboard" attr:class="tile dashboard" attr:data-testid="quick-dashboard">
                    <span class="tile-icon" aria-hidden="true">"¥"</span>
                    <span class="tile-label">{move || tr("home.dashboard")}</span>
                </A>
            </div>
            <section class="card">
                <h2>{move || tr("home.counts")}</h2>
                <Loaded resource=counts let:c>
                    <div class="counts">
                        {COUNTS.map(|(state, label, pick)| {
                            // Read here: the link's content is built later, without `c`.
                            let n = pick(&c);
                            view! {
                                <A href=format!("/enrollments?state={state}") attr:class="count">
                                    <strong data-testid=format!("count-{state}")>{n}</strong>
                                    <span>{tr(label)}</span>
                                </A>
                            }
                        })}
                    </div>
                </Loaded>
            </section>
            <Loaded resource=notifications let:list>
                {(!list.items.is_empty()).then(|| view! {
                    <section class="card alerts" data-testid="alerts">
                        <div class="section-head">
                            <h2>{tr("home.alerts")}</h2>
                            <A href="/notifications" attr:data-testid="all-notifications">{tr("home.all_notifications")}</A>
                        </div>
                        <ul>
                            <For each=move || list.items.clone() key=|a| a.id let:a>
                                <li data-testid="alert">
                                    <span>{a.message}</span>
                                    {a.link.map(|link| view! { " "<A href=link>{tr("common.open")}</A> })}
                                    <time>{china_time(&a.created_at)}</time>
                                </li>
                            </For>
                        </ul>
                    </section>
                })}
            </Loaded>
        </div>
    }
}
