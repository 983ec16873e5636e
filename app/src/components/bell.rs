//! The bell in the header: how many notifications are unread, linking to them. Asked again
//! on every navigation, and whenever a page marks some read (`BellRefresh::bump`).

use crate::api;
use crate::i18n::t;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_location;

/// Provided by the shell; a page that changes what is unread bumps it.
#[derive(Clone, Copy)]
pub struct BellRefresh(RwSignal<u32>);

impl BellRefresh {
    pub fn provide() {
        provide_context(BellRefresh(RwSignal::new(0)));
    }

    /// Read where a page is created (a context is not found inside a task).
    pub fn use_it() -> Option<BellRefresh> {
        use_context::<BellRefresh>()
    }

    pub fn bump(self) {
        self.0.try_update(|n| *n = n.wrapping_add(1));
    }
}

/// "3", or "99+" for a hundred and more.
fn count_text(unread: u32) -> String {
    if unread > 99 { "99+".to_string() } else { unread.to_string() }
}

/// The bell itself, in the shell: a plain link (the router follows it too) with plain
/// elements, as it is in every page's first download.
pub fn bell() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let refresh = BellRefresh::use_it();
    // A task rather than a resource: nothing waits for the count.
    let unread = RwSignal::new(0u32);
    Effect::new(move |_| {
        location.pathname.track();
        if let Some(BellRefresh(n)) = refresh {
            n.track();
        }
        spawn_local(async move {
            if let Ok(n) = session.check(api::unread_count().await) {
                unread.try_set(n);
            }
        });
    });
    view! {
        <a href="/notifications" class="bell" data-testid="bell" aria-label=move || t("nav.notifications")>
            // The icon is the stylesheet's (a CSS mask): no SVG code in the download.
            <span class="bell-icon" aria-hidden="true"></span>
            {move || {
                let n = unread.get();
                (n > 0).then(|| view! { <span class="bell-count" data-testid="bell-count">{count_text(n)}</span> })
            }}
        </a>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_stops_at_99_plus() {
        assert_eq!(count_text(1), "1");
        assert_eq!(count_text(99), "99");
        assert_eq!(count_text(100), "99+");
    }
}
