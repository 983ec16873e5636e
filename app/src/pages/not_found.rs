use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <div class="center-card card" data-testid="not-found">
            <h1>"404"</h1>
            <p>{move || t("notfound")}</p>
            <A href="/">{move || t("nav.home")}</A>
        </div>
    }
}
