use super::console_home::ConsoleHome;
use crate::session::use_session;
use leptos::lazy;
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// Employees go to their own page; everyone else gets the console's home, whose code is in
/// its own chunk so that an employee's phone never downloads it.
#[component]
pub fn Home() -> impl IntoView {
    let session = use_session();
    move || match session.user.get() {
        Some(me) if !me.role.uses_console() => view! { <Redirect path="/me" /> }.into_any(),
        _ => view! { <Suspense>{Suspend::new(console_home())}</Suspense> }.into_any(),
    }
}

#[lazy]
fn console_home() -> AnyView {
    view! { <ConsoleHome /> }.into_any()
}
