//! What forms share.

use leptos::prelude::*;

/// The message under a form field, when there is one.
pub fn field_error(field: &'static str, message: impl Fn() -> Option<String> + Send + Sync + 'static) -> impl IntoView {
    move || message().map(|m| view! { <p class="field-error" role="alert" data-testid=format!("error-{field}")>{m}</p> })
}
