use crate::api;
use crate::i18n::t;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

#[component]
pub fn Login() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submit = Action::new_local(move |(l, p): &(String, String)| api::login(l.clone(), p.clone()));

    // Signed in: go where the user was headed (only paths inside the app).
    Effect::new(move |_| {
        if let Some(Ok(me)) = submit.value().get() {
            session.user.set(Some(me));
        }
        if session.user.get().is_some() {
            let next = query.get_untracked().get("next").filter(|n| n.starts_with('/') && !n.starts_with("//"));
            navigate(&next.unwrap_or_else(|| "/".into()), Default::default());
        }
    });

    let error = move || match submit.value().get() {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    };
    view! {
        <div class="login-page">
            <form
                class="card login"
                data-testid="login-form"
                on:submit=move |ev| {
                    ev.prevent_default();
                    submit.dispatch((login.get_untracked(), password.get_untracked()));
                }
            >
                <h1>{move || t("login.title")}</h1>
                <label>
                    {move || t("login.login")}
                    <input name="login" data-testid="login" autocomplete="username" required bind:value=login />
                </label>
                <label>
                    {move || t("login.password")}
                    <input name="password" data-testid="password" type="password" autocomplete="current-password" required bind:value=password />
                </label>
                {move || error().map(|e| view! { <p class="form-error" role="alert" data-testid="login-error">{e}</p> })}
                <button class="primary" type="submit" data-testid="login-submit" disabled=move || submit.pending().get()>
                    {move || if submit.pending().get() { t("login.busy") } else { t("login.submit") }}
                </button>
            </form>
        </div>
    }
}
