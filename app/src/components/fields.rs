//! What forms share.

use leptos::prelude::*;

/// The message under a form field, when there is one (test id `error-{field}`).
pub fn field_error(field: &'static str, message: impl Fn() -> Option<String> + Send + Sync + 'static) -> impl IntoView {
    field_message(format!("error-{field}"), message)
}

/// `field_error` with the test id given whole.
pub fn field_message(testid: String, message: impl Fn() -> Option<String> + Send + Sync + 'static) -> impl IntoView {
    move || message().map(|m| view! { <p class="field-error" role="alert" data-testid=testid.clone()>{m}</p> })
}
