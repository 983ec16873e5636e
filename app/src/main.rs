//! Mounts the app; everything else lives in the modules.

mod api;
mod app;
mod components;
mod i18n;
mod pages;
mod session;
mod wire;

fn main() {
    console_error_panic_hook::set_once();
    let root = leptos::prelude::document().get_element_by_id("app").expect("#app in index.html");
    // The "loading" placeholder shown while the wasm downloads.
    root.set_inner_html("");
    leptos::mount::mount_to(root.unchecked_into(), app::App).forget();
}

use wasm_bindgen::JsCast;
