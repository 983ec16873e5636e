//! Loading data: the resources the pages read, and the one way a page waits for them and
//! shows what went wrong.

use crate::api::{self, ApiResult};
use crate::i18n::t;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shebao_domain::api::{ClaimDetail, EmployeeDetail, RequestDetail, RunDetail};
use std::sync::Arc;

/// The route's `:id`, loaded with `call`; reloaded when the id changes.
fn by_route_id<T: 'static, F>(call: fn(String) -> F) -> LocalResource<ApiResult<T>>
where
    F: std::future::Future<Output = ApiResult<T>> + 'static,
{
    let session = use_session();
    let params = use_params_map();
    LocalResource::new(move || {
        let id = params.read().get("id").unwrap_or_default();
        async move { session.check(call(id).await) }
    })
}

/// The employee named by the route's `:id`.
pub fn route_employee() -> LocalResource<ApiResult<EmployeeDetail>> {
    by_route_id(|id| async move { api::employee(&id).await })
}

/// The enrollment request named by the route's `:id`: one call carries everything its
/// pages show (the employee's masked ID, city and hire date included).
pub fn route_request() -> LocalResource<ApiResult<RequestDetail>> {
    by_route_id(|id| async move { api::request(&id).await })
}

/// The monthly run named by the route's `:id`, with the first page of its lines.
pub fn route_run() -> LocalResource<ApiResult<RunDetail>> {
    by_route_id(|id| async move { api::run(&id).await })
}

/// The reimbursement claim named by the route's `:id`, with its documents and timeline.
pub fn route_claim() -> LocalResource<ApiResult<ClaimDetail>> {
    by_route_id(|id| async move { api::claim(&id).await })
}

#[component]
pub fn Loading() -> impl IntoView {
    view! { <div class="loading" data-testid="loading" role="status"><span class="spinner"></span>{move || t("common.loading")}</div> }
}

/// `children` once `resource` has loaded: the spinner before, the failure in words with a
/// retry after. On a reload the previous content stays until the new value arrives
/// (`Transition`); a view that must show the spinner for a new query is re-created with it.
///
/// The content is built when the value arrives, so texts read there with `t()` follow the
/// language, and so does any signal read directly (read signals in nested closures).
#[component]
pub fn Loaded<T, F, V>(resource: LocalResource<ApiResult<T>>, children: F) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    // Read with `get()` under the Transition, which waits for it.
    boundary(
        Box::new(move || resource.get().map(|result| result.map(|value| children(value).into_any()))),
        Arc::new(move || resource.refetch()),
    )
}

/// The part of `Loaded` that does not depend on the data's type, so it exists once.
fn boundary(
    content: Box<dyn Fn() -> Option<ApiResult<AnyView>> + Send + Sync>,
    retry: Arc<dyn Fn() + Send + Sync>,
) -> AnyView {
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            <ErrorBoundary fallback=move |errors| {
                let retry = retry.clone();
                view! {
                    <div class="error-box" role="alert" data-testid="error">
                        <strong>{move || t("common.error")}</strong>
                        <ul>{move || errors.get().into_iter().map(|(_, e)| view! { <li>{e.to_string()}</li> }).collect_view()}</ul>
                        <button type="button" data-testid="retry" on:click=move |_| retry()>{move || t("common.retry")}</button>
                    </div>
                }
            }>{content}</ErrorBoundary>
        </Transition>
    }
    .into_any()
}

