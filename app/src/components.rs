//! Pieces several pages share.

use crate::api;
use crate::i18n::t;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use shebao_domain::api::{AuditEntry, EmployeeDetail, FieldChange, RequestDetail};
use shebao_domain::enrollment::{RequestKind, RequestState};
use shebao_domain::money::format_yuan;
use shebao_domain::policy::InsuranceType;
use shebao_domain::pricing::Price;
use shebao_domain::Period;
use std::fmt::Write;
use std::time::Duration;

/// The employee named by the route's `:id`, reloaded when the id changes.
pub fn route_employee() -> LocalResource<api::ApiResult<EmployeeDetail>> {
    let session = use_session();
    let params = use_params_map();
    LocalResource::new(move || {
        let id = params.read().get("id").unwrap_or_default();
        async move { session.check(api::employee(&id).await) }
    })
}

/// The enrollment request named by the route's `:id`, with its employee (city, hire date,
/// masked ID), reloaded when the id changes. One resource for every request page.
pub fn route_request() -> LocalResource<api::ApiResult<(RequestDetail, EmployeeDetail)>> {
    let session = use_session();
    let params = use_params_map();
    LocalResource::new(move || {
        let id = params.read().get("id").unwrap_or_default();
        async move {
            let d = session.check(api::request(&id).await)?;
            let e = session.check(api::employee(&d.summary.employee_id).await)?;
            Ok((d, e))
        }
    })
}

/// A call started now whose answer lands in the returned signal: for loads that need no
/// Suspense (numbers on the home page, search results), lighter than a resource.
pub fn fetch_into<T: Send + Sync + 'static>(
    call: impl std::future::Future<Output = api::ApiResult<T>> + 'static,
) -> RwSignal<Option<api::ApiResult<T>>> {
    let session = use_session();
    let out = RwSignal::new(None);
    spawn_local(async move {
        out.try_set(Some(session.check(call.await)));
    });
    out
}

/// A page's content once its resource has loaded: the spinner before, the error after a
/// failure. It does what `<Suspense>` + `Suspend` + `<ErrorBoundary>` would, for much less
/// download (the app has a 250 KB budget), so every page loads through it.
///
/// The content is built inside a reactive closure: texts read with `t()` follow the
/// language, and any signal it reads directly redraws it (read signals in nested closures,
/// or build components under `untrack`). On a reload the previous content stays until the
/// new value arrives; a list whose query changed compares the key it was loaded for.
pub fn loaded<T: Clone + Send + Sync + 'static>(
    resource: LocalResource<api::ApiResult<T>>,
    content: impl Fn(T) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    move || match resource.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Ok(value)) => content(value),
        Some(Err(e)) => failure_view(&e),
    }
}

/// What went wrong, in words.
pub fn failure_view(e: &api::ApiFailure) -> AnyView {
    let html = format!(
        r#"<div class="error-box" role="alert" data-testid="error"><strong>{}</strong><ul><li>{}</li></ul></div>"#,
        t("common.error"),
        esc(&e.to_string())
    );
    view! { <div inner_html=html></div> }.into_any()
}

/// Text made safe to place inside HTML (element content or a quoted attribute).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Who prepares and who reviews: the domain's rule, which the server checks too.
pub use shebao_domain::enrollment::{may_prepare, may_review};

pub fn kind_label(k: RequestKind) -> &'static str {
    t(&format!("kind.{}", k.code()))
}

pub fn state_label(s: RequestState) -> &'static str {
    t(&format!("state.{}", s.code()))
}

pub fn ins_label(i: InsuranceType) -> &'static str {
    t(&format!("ins.{}", i.code()))
}

pub fn types_text(types: &[InsuranceType]) -> String {
    types.iter().map(|&i| ins_label(i)).collect::<Vec<_>>().join(t("list.sep"))
}

pub fn months_text(from: Period, to: Period) -> String {
    if from == to { from.to_string() } else { format!("{from} – {to}") }
}

pub fn badge_html(s: RequestState) -> String {
    format!(r#"<span class="badge st-{}" data-testid="state-badge">{}</span>"#, s.code(), state_label(s))
}

/// The message under a form field, when there is one.
pub fn field_error(field: &'static str, message: impl Fn() -> Option<String> + Send + Sync + 'static) -> impl IntoView {
    move || message().map(|m| view! { <p class="field-error" role="alert" data-testid=format!("error-{field}")>{m}</p> })
}

/// "YYYY-MM-DD" as a date, without chrono's parser.
pub fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    let mut parts = s.get(..10)?.split('-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    chrono::NaiveDate::from_ymd_opt(y as i32, m, d)
}

/// The current time (ms since the epoch), refreshed every `every_ms` while the caller's view lives.
pub fn ticker(every_ms: u64) -> RwSignal<f64> {
    let now = RwSignal::new(js_sys::Date::now());
    if let Ok(handle) = set_interval_with_handle(move || now.set(js_sys::Date::now()), Duration::from_millis(every_ms)) {
        on_cleanup(move || handle.clear());
    }
    now
}

/// "12 分钟后报送", rounded up to the minute.
pub fn minutes_left(ms: f64) -> String {
    if ms > 0.0 {
        t("req.minutes_left").replace("{}", &((ms / 60_000.0).ceil() as u64).to_string())
    } else {
        t("req.due_now").to_string()
    }
}

/// "1:04:09" or "04:09".
pub fn clock(ms: f64) -> String {
    let s = (ms.max(0.0) / 1000.0).ceil() as u64;
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m:02}:{s:02}") }
}

/// The price per month and insurance type, employer and employee share, the month's late
/// fee, and the totals. Shared by the preview, the confirmation and the request page.
/// Read-only markup is built as text: far less download than a typed view of each cell.
pub fn price_html(price: &Price) -> String {
    let total = format_yuan(price.total);
    if price.months.is_empty() {
        return format!(
            r#"<div class="price" data-testid="price-breakdown"><p class="hint">{}</p><p class="price-sum">{} <strong data-testid="price-total">{total}</strong></p></div>"#,
            t("price.none"),
            t("price.total")
        );
    }
    let mut h = format!(
        r#"<div class="price" data-testid="price-breakdown"><div class="table-scroll"><table class="table price-table"><thead><tr><th>{}</th><th>{}</th><th class="num">{}</th><th class="num">{}</th><th class="num">{}</th></tr></thead><tbody>"#,
        t("price.month"),
        t("price.type"),
        t("price.employer"),
        t("price.employee"),
        t("price.late_fee")
    );
    for m in &price.months {
        let n = m.breakdown.lines.len();
        for (i, line) in m.breakdown.lines.iter().enumerate() {
            if i == 0 {
                let _ = write!(h, r#"<tr class="first"><td rowspan="{n}" class="month">{}</td>"#, m.period);
            } else {
                h.push_str("<tr>");
            }
            let _ = write!(
                h,
                r#"<td>{}</td><td class="num">{}</td><td class="num">{}</td>"#,
                ins_label(line.insurance_type),
                format_yuan(line.employer_amount),
                format_yuan(line.employee_amount)
            );
            if i == 0 {
                let _ = match &m.late_fee {
                    Some(f) => write!(
                        h,
                        r#"<td rowspan="{n}" class="num" title="{}" data-testid="late-fee">{}<small>{}</small></td>"#,
                        esc(&f.explanation),
                        format_yuan(f.amount),
                        t("price.days").replace("{}", &f.days.to_string())
                    ),
                    None => write!(h, r#"<td rowspan="{n}" class="num muted">—</td>"#),
                };
            }
            h.push_str("</tr>");
        }
    }
    let _ = write!(
        h,
        r#"</tbody><tfoot><tr><th colspan="2">{}</th><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr><tr class="grand"><th colspan="2">{}</th><td colspan="3" class="num"><strong data-testid="price-total">{total}</strong></td></tr></tfoot></table></div>"#,
        t("price.subtotal"),
        format_yuan(price.employer_total),
        format_yuan(price.employee_total),
        format_yuan(price.late_fee_total),
        t("price.total")
    );
    if price.provisional {
        let _ = write!(h, r#"<p class="hint">{}</p>"#, t("price.provisional"));
    }
    h.push_str("</div>");
    h
}

/// "手机号 138… → 139…", or just the new value when there was none.
fn change_text(c: &FieldChange) -> String {
    let after = c.after.clone().unwrap_or_else(|| "（空）".into());
    match &c.before {
        Some(before) => format!("{before} → {after}"),
        None => after,
    }
}

pub fn changes_html(changes: &[FieldChange]) -> String {
    changes
        .iter()
        .map(|c| format!(r#"<li><span class="change-label">{}</span>{}</li>"#, esc(&c.label), esc(&change_text(c))))
        .collect()
}

#[component]
pub fn Loading() -> impl IntoView {
    view! { <div class="loading" data-testid="loading" role="status"><span class="spinner"></span>{move || t("common.loading")}</div> }
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
            let change = change_text(&c);
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
            {loaded(entries, |list| {
                if list.is_empty() {
                    view! { <p class="empty">{move || t("emp.timeline.empty")}</p> }.into_any()
                } else {
                    view! { <ol class="timeline">{list.into_iter().map(entry_view).collect_view()}</ol> }.into_any()
                }
            })}
        </section>
    }
}
