//! Pieces several pages share.

use crate::api;
use crate::i18n::t;
use crate::session::use_session;
use leptos::prelude::*;
use shebao_domain::api::AuditEntry;

#[component]
pub fn Loading() -> impl IntoView {
    view! { <div class="loading" data-testid="loading" role="status"><span class="spinner"></span>{move || t("common.loading")}</div> }
}

/// The fallback of an ErrorBoundary: what went wrong, in words.
pub fn error_box(errors: ArcRwSignal<Errors>) -> impl IntoView {
    view! {
        <div class="error-box" role="alert" data-testid="error">
            <strong>{move || t("common.error")}</strong>
            <ul>
                {move || errors.get().into_iter().map(|(_, e)| view! { <li>{e.to_string()}</li> }).collect_view()}
            </ul>
        </div>
    }
}

/// The server's "YYYY-MM-DDTHH:MM:SSZ" shown as China time "YYYY-MM-DD HH:MM". Parsed by
/// hand: chrono's format machinery would cost more download than this page is worth.
pub fn china_time(iso: &str) -> String {
    let part = |r: std::ops::Range<usize>| iso.get(r)?.parse::<u32>().ok();
    let utc = (|| {
        let date = chrono::NaiveDate::from_ymd_opt(part(0..4)? as i32, part(5..7)?, part(8..10)?)?;
        date.and_hms_opt(part(11..13)?, part(14..16)?, 0)
    })();
    match utc {
        Some(t) => {
            let local = t + chrono::Duration::hours(8);
            format!("{} {}", local.date(), &local.time().to_string()[..5])
        }
        None => iso.to_string(),
    }
}

fn entry_view(e: AuditEntry) -> impl IntoView {
    let changes = e
        .changes
        .into_iter()
        .map(|c| {
            let after = c.after.unwrap_or_else(|| "（空）".into());
            // A new value needs no arrow: "姓名 王小明"; a change shows "手机号 138… → 139…".
            let change = match c.before {
                Some(before) => format!("{before} → {after}"),
                None => after,
            };
            view! { <li><span class="change-label">{c.label}</span>{change}</li> }
        })
        .collect_view();
    view! {
        <li class="entry" data-testid="timeline-entry">
            <div class="when">{china_time(&e.at)}</div>
            <div class="what"><strong>{e.action_label}</strong>" · "{e.actor_name}</div>
            <ul class="changes">{changes}</ul>
        </li>
    }
}

/// A record's history from the audit log, oldest first.
#[component]
pub fn Timeline(entity: &'static str, id: String) -> impl IntoView {
    let session = use_session();
    let entries = LocalResource::new(move || {
        let id = id.clone();
        async move { session.check(api::timeline(entity, &id).await) }
    });
    view! {
        <section class="card" data-testid="timeline">
            <h2>{move || t("emp.timeline")}</h2>
            <Suspense fallback=|| view! { <Loading /> }>
                <ErrorBoundary fallback=error_box>
                    {move || Suspend::new(async move {
                        entries.await.map(|list| {
                            if list.is_empty() {
                                view! { <p class="empty">{move || t("emp.timeline.empty")}</p> }.into_any()
                            } else {
                                view! { <ol class="timeline">{list.into_iter().map(entry_view).collect_view()}</ol> }.into_any()
                            }
                        })
                    })}
                </ErrorBoundary>
            </Suspense>
        </section>
    }
}
