//! The employee's own page on the phone: their record, nothing of anyone else.

use super::employee_detail::profile_view;
use crate::api;
use crate::components::Loaded;
use crate::i18n::t;
use crate::session::use_session;
use leptos::prelude::*;

#[component]
pub fn MyProfile() -> impl IntoView {
    let session = use_session();
    let employee_id = session.user.get_untracked().and_then(|m| m.employee_id);
    let Some(employee_id) = employee_id else {
        return view! { <p class="empty card" data-testid="no-record">{move || t("me.no_record")}</p> }.into_any();
    };
    let employee = LocalResource::new(move || {
        let id = employee_id.clone();
        async move { session.check(api::employee(&id).await) }
    });
    view! {
        <div class="me-page">
            <h1>{move || t("me.title")}</h1>
            <Loaded resource=employee let:d>
                <section class="card">
                    <h2>{t("me.profile")}</h2>
                    {profile_view(&d)}
                </section>
            </Loaded>
        </div>
    }
    .into_any()
}
