//! The console's home: the frequent actions first (增员, 减员, 补缴, 待审核), then where
//! the branch's requests stand. Plain links: the router follows them.

use crate::api::{self, ApiResult};
use crate::components::{china_time, esc, fetch_into, may_prepare};
use crate::i18n::t;
use crate::session::use_session;
use leptos::prelude::*;
use shebao_domain::api::{Alert, RequestCounts};
use std::fmt::Write;

/// What the system told this person (a refused or failed filing), newest first.
fn alerts_html(alerts: &[Alert]) -> String {
    if alerts.is_empty() {
        return String::new();
    }
    let mut h = format!(r#"<section class="card alerts" data-testid="alerts"><h2>{}</h2><ul>"#, t("home.alerts"));
    for a in alerts {
        let link = a.request_id.as_deref().map(|id| format!(r#" <a href="/enrollments/{}">{}</a>"#, esc(id), t("common.open")));
        let _ = write!(
            h,
            r#"<li data-testid="alert"><span>{}</span>{}<time>{}</time></li>"#,
            esc(&a.message),
            link.unwrap_or_default(),
            esc(&china_time(&a.created_at))
        );
    }
    h.push_str("</ul></section>");
    h
}

fn home_html(name: &str, maker: bool, counts: Option<&ApiResult<RequestCounts>>) -> String {
    let n = |pick: fn(&RequestCounts) -> u32| match counts {
        Some(Ok(c)) => pick(c).to_string(),
        _ => "…".to_string(),
    };
    let mut h = format!(
        r#"<h1>{}</h1><div class="tiles" data-testid="quick-actions">"#,
        t("home.welcome").replace("{}", &esc(name))
    );
    if maker {
        for (kind, icon, label) in [("enrollment", "+", "home.enroll"), ("removal", "−", "home.remove"), ("back_payment", "↺", "home.back_pay")] {
            let _ = write!(
                h,
                r#"<a class="tile" href="/enrollments/new?kind={kind}" data-testid="quick-{kind}"><span class="tile-icon" aria-hidden="true">{icon}</span><span class="tile-label">{}</span></a>"#,
                t(label)
            );
        }
    }
    let _ = write!(
        h,
        r#"<a class="tile review" href="/enrollments?state=submitted" data-testid="quick-review"><strong class="tile-icon" data-testid="count-submitted">{}</strong><span class="tile-label">{}</span></a></div><section class="card"><h2>{}</h2><div class="counts">"#,
        n(|c| c.submitted),
        t("home.review"),
        t("home.counts")
    );
    for (state, label, pick) in [
        ("draft", "home.drafts", (|c| c.draft) as fn(&RequestCounts) -> u32),
        ("rejected", "home.rejected", |c| c.rejected),
        ("approved", "home.approved", |c| c.approved),
        ("revocation_requested", "home.revocations", |c| c.revocation_requested),
        ("filing_failed", "home.filing_failed", |c| c.filing_failed),
    ] {
        let _ = write!(
            h,
            r#"<a class="count" href="/enrollments?state={state}"><strong data-testid="count-{state}">{}</strong><span>{}</span></a>"#,
            n(pick),
            t(label)
        );
    }
    h.push_str("</div>");
    if let Some(Err(e)) = counts {
        let _ = write!(h, r#"<p class="form-error" role="alert" data-testid="error">{}</p>"#, esc(&e.to_string()));
    }
    h.push_str("</section>");
    h
}

#[component]
pub fn ConsoleHome() -> impl IntoView {
    let session = use_session();
    let me = session.user.get_untracked();
    let name = me.as_ref().map(|m| m.display_name.clone()).unwrap_or_default();
    let maker = me.as_ref().is_some_and(|m| may_prepare(m.role));
    let counts = fetch_into(api::request_counts());
    let alerts = fetch_into(api::alerts());
    let html = move || {
        let mut h = counts.with(|c| home_html(&name, maker, c.as_ref()));
        alerts.with(|a| {
            if let Some(Ok(a)) = a {
                h.push_str(&alerts_html(a));
            }
        });
        h
    };
    view! { <div class="home" data-testid="console-home" inner_html=html></div> }
}
