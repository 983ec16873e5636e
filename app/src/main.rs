//! Mounts the app; everything else lives in the modules.

mod api;
mod app;
mod components;
mod i18n;
mod pages;
mod session;

use wasm_bindgen::JsCast;

fn main() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_failure();
    }));
    let root = leptos::prelude::document().get_element_by_id("app").expect("#app in index.html");
    // Away with the "loading" placeholder shown while the wasm downloads.
    root.set_text_content(None);
    leptos::mount::mount_to(root.unchecked_into(), app::App).forget();
}

/// After a panic the module cannot go on (a page's chunk never arrived, even after the
/// loader's retries, or a bug): say so in Chinese over the page and offer a full reload.
/// Plain DOM calls, because the reactive system is gone; `rel="external"` keeps the router
/// from handling the link.
fn show_failure() {
    let document = leptos::prelude::document();
    let (Ok(notice), Ok(text), Ok(reload), Some(body)) = (
        document.create_element("div"),
        document.create_element("p"),
        document.create_element("a"),
        document.body(),
    ) else {
        return;
    };
    let _ = notice.set_attribute("class", "app-failed");
    let _ = notice.set_attribute("role", "alert");
    let _ = notice.set_attribute("data-testid", "app-failed");
    text.set_text_content(Some("页面加载失败：网络可能中断了，或系统刚刚更新。请重新加载。"));
    // An empty href is the page's address when it is clicked, wherever the router has got to.
    let _ = reload.set_attribute("href", "");
    let _ = reload.set_attribute("rel", "external");
    let _ = reload.set_attribute("class", "button primary");
    let _ = reload.set_attribute("data-testid", "app-reload");
    reload.set_text_content(Some("重新加载"));
    let _ = notice.append_child(&text);
    let _ = notice.append_child(&reload);
    let _ = body.append_child(&notice);
}
