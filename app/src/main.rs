//! Mounts the app; everything else lives in the modules.

mod api;
mod app;
mod components;
mod i18n;
mod pages;
mod session;
mod wire;

use wasm_bindgen::JsCast;

fn main() {
    console_error_panic_hook::set_once();
    let root = leptos::prelude::document().get_element_by_id("app").expect("#app in index.html");
    // The "loading" placeholder shown while the wasm downloads.
    while let Some(child) = root.first_child() {
        let _ = root.remove_child(&child);
    }
    leptos::mount::mount_to(root.unchecked_into(), app::App).forget();
}
