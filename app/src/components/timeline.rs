//! A record's history, and what changed in it.

use super::load::Loaded;
use super::time::china_time;
use crate::api;
use crate::i18n::{current_lang, t};
use crate::session::use_session;
use leptos::prelude::*;
use shebao_domain::api::{action_label, field_label, FieldChange};

/// "138… → 139…", or just the new value when there was none.
fn change_text(c: &FieldChange) -> String {
    let after = c.after.as_deref().unwrap_or("（空）");
    match &c.before {
        Some(before) => format!("{before} → {after}"),
        None => after.to_string(),
    }
}

/// "手机号 138… → 139…", one line per field.
pub fn changes_list(changes: &[FieldChange]) -> impl IntoView {
    let items = changes
        .iter()
        .map(|c| view! { <li><span class="change-label">{let f = c.field.clone(); move || field_label(current_lang(), &f)}</span>{change_text(c)}</li> })
        .collect_view();
    view! { <ul class="changes">{items}</ul> }
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
            <Loaded resource=entries let:list>
                {if list.is_empty() {
                    view! { <p class="empty">{t("emp.timeline.empty")}</p> }.into_any()
                } else {
                    view! {
                        <ol class="timeline">
                            <For each=move || list.clone() key=|e| e.id let:e>
                                <li class="entry" data-testid="timeline-entry">
                                    <div class="when">{china_time(&e.at)}</div>
                                    <div class="what"><strong>{let a = e.action.clone(); move || action_label(current_lang(), &a)}</strong>" · "{e.actor_name}</div>
                                    {changes_list(&e.changes)}
                                </li>
                            </For>
                        </ol>
                    }
                    .into_any()
                }}
            </Loaded>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(before: Option<&str>, after: Option<&str>) -> FieldChange {
        FieldChange { field: "phone".into(), label: "手机号".into(), before: before.map(Into::into), after: after.map(Into::into) }
    }

    #[test]
    fn a_change_reads_from_the_old_value_to_the_new_one() {
        assert_eq!(change_text(&change(Some("13800138000"), Some("13912345678"))), "13800138000 → 13912345678");
        assert_eq!(change_text(&change(None, Some("13912345678"))), "13912345678");
        assert_eq!(change_text(&change(Some("研发部"), None)), "研发部 → （空）");
    }
}
