use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// Sends each role to where its work is: employees to their own page, HR to the list.
#[component]
pub fn Home() -> impl IntoView {
    let session = use_session();
    move || match session.user.get() {
        Some(me) if !me.role.uses_console() => view! { <Redirect path="/me" /> }.into_any(),
        _ => view! { <Redirect path="/employees" /> }.into_any(),
    }
}
