//! Routes and the role-aware shell: a phone layout for employees, a console for the rest.

use crate::api;
use crate::components::{bell, BellRefresh};
use crate::i18n::{self, set_lang, t, Lang};
use crate::pages::{
    alerts::AlertsPage,
    dashboard::DashboardPage,
    employee_detail::EmployeeDetailPage,
    employee_form::{EmployeeEdit, EmployeeNew},
    employees::EmployeeList,
    enrollment_detail::EnrollmentDetailPage,
    enrollment_form::{EnrollmentEdit, EnrollmentNew},
    enrollments::EnrollmentList,
    home::Home,
    login::Login,
    me::MyProfile,
    messages::MessagesPage,
    not_found::NotFound,
    notifications::NotificationsPage,
    reports::ReportsPage,
    revocation_form::RevocationFormPage,
    roster_import::RosterImportPage,
    run_detail::RunDetailPage,
    self_pages::ServicePages,
    settings::SettingsPage,
};
use crate::session::{use_session, Session};
use shebao_domain::help::may_read_faq;
use shebao_domain::report::report_scope;
use shebao_domain::role::Role;
use shebao_domain::self_service::may_review_changes;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Outlet, ParentRoute, Redirect, Route, Router, Routes, A};
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::{lazy_route, path, Lazy, LazyRoute};

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(i18n::stored_lang());
    provide_context(lang);
    let session = Session { user: RwSignal::new(None) };
    provide_context(session);
    let checked = RwSignal::new(false);
    spawn_local(async move {
        if let Ok(me) = api::me().await {
            session.user.set(Some(me));
        }
        checked.set(true);
    });

    view! {
        <Router>
            <Show when=move || checked.get() fallback=|| view! { <div class="boot">"正在加载…"</div> }>
                <Routes fallback=NotFound>
                    <Route path=path!("/login") view=Login />
                    // Open to anyone with the link: whoever the employee shows the proof to.
                    <Route path=path!("/proof/:code") view={Lazy::<LazyServicePages>::new()} />
                    <ParentRoute path=path!("") view=Shell>
                        <Route path=path!("") view=Home />
                        <Route path=path!("employees") view={Lazy::<LazyEmployeeList>::new()} />
                        <Route path=path!("employees/new") view={Lazy::<LazyEmployeeNew>::new()} />
                        // Before `employees/:id`: the router takes the first route that matches.
                        <Route path=path!("employees/import") view={Lazy::<LazyRosterImport>::new()} />
                        <Route path=path!("employees/:id") view={Lazy::<LazyEmployeeDetailPage>::new()} />
                        <Route path=path!("employees/:id/edit") view={Lazy::<LazyEmployeeEdit>::new()} />
                        <Route path=path!("enrollments") view={Lazy::<LazyEnrollmentList>::new()} />
                        <Route path=path!("enrollments/new") view={Lazy::<LazyEnrollmentNew>::new()} />
                        <Route path=path!("enrollments/:id") view={Lazy::<LazyEnrollmentDetailPage>::new()} />
                        <Route path=path!("enrollments/:id/edit") view={Lazy::<LazyEnrollmentEdit>::new()} />
                        <Route path=path!("enrollments/:id/revocation-form") view={Lazy::<LazyRevocationFormPage>::new()} />
                        <Route path=path!("settings") view={Lazy::<LazySettingsPage>::new()} />
                        <Route path=path!("dashboard") view={Lazy::<LazyDashboardPage>::new()} />
                        <Route path=path!("runs/:id") view={Lazy::<LazyRunDetailPage>::new()} />
                        <Route path=path!("alerts") view={Lazy::<LazyAlertsPage>::new()} />
                        <Route path=path!("notifications") view={Lazy::<LazyNotificationsPage>::new()} />
                        // `claims/:id` is `claims/new` too (see `ClaimPages`).
                        <Route path=path!("claims") view={Lazy::<LazyServicePages>::new()} />
                        <Route path=path!("claims/:id") view={Lazy::<LazyServicePages>::new()} />
                        <Route path=path!("admin/messages") view={Lazy::<LazyMessagesPage>::new()} />
                        <Route path=path!("me") view=MyProfile />
                        // `me/changes`, `me/proof`, `changes`, `help`, `help/faq` (see `ServicePages`).
                        <Route path=path!("me/:page") view={Lazy::<LazyServicePages>::new()} />
                        <Route path=path!("changes") view={Lazy::<LazyServicePages>::new()} />
                        <Route path=path!("help") view={Lazy::<LazyServicePages>::new()} />
                        <Route path=path!("help/:page") view={Lazy::<LazyServicePages>::new()} />
                        // `/reports` leads to the first report (see `ReportsPage`).
                        <Route path=path!("reports") view={Lazy::<LazyReportsPage>::new()} />
                        <Route path=path!("reports/:report") view={Lazy::<LazyReportsPage>::new()} />
                    </ParentRoute>
                </Routes>
            </Show>
        </Router>
    }
}

#[component]
fn LangSwitch() -> impl IntoView {
    let lang = i18n::use_lang();
    view! {
        <button
            class="link lang"
            data-testid="lang-switch"
            on:click=move |_| set_lang(lang, if lang.get() == Lang::Zh { Lang::En } else { Lang::Zh })
        >
            {move || if lang.get() == Lang::Zh { "English" } else { "中文" }}
        </button>
    }
}

/// Signed-in pages. Without a session it sends the user to the login, remembering where to return.
#[component]
fn Shell() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let navigate = use_navigate();
    BellRefresh::provide();
    let logout = Action::new_local(move |_: &()| {
        let navigate = navigate.clone();
        async move {
            let _ = api::logout().await;
            session.user.set(None);
            navigate("/login", Default::default());
        }
    });

    move || match session.user.get() {
        None => {
            // The router's `search` comes without its "?".
            let search = location.search.get_untracked();
            let here = if search.is_empty() {
                location.pathname.get_untracked()
            } else {
                format!("{}?{search}", location.pathname.get_untracked())
            };
            let next = if here == "/" { String::new() } else { format!("?next={}", js_sys::encode_uri_component(&here)) };
            view! { <Redirect path=format!("/login{next}") /> }.into_any()
        }
        Some(me) if me.role.uses_console() => view! {
            <div class="console">
                <header class="topbar">
                    <A href="/" attr:class="brand">{move || t("app.name")}</A>
                    <nav>
                        <A href="/dashboard" attr:data-testid="nav-dashboard">{move || t("nav.dashboard")}</A>
                        <A href="/employees" attr:data-testid="nav-employees">{move || t("nav.employees")}</A>
                        <A href="/enrollments" attr:data-testid="nav-enrollments">{move || t("nav.requests")}</A>
                        <A href="/alerts" attr:data-testid="nav-alerts">{move || t("nav.alerts")}</A>
                        // Administrators do not review claims.
                        {(me.role != Role::Admin).then(|| view! {
                            <A href="/claims" attr:data-testid="nav-claims">{move || t("nav.claims")}</A>
                        })}
                        {may_review_changes(me.role, me.branch_id.as_deref(), me.branch_id.as_deref().unwrap_or_default()).then(|| view! {
                            <A href="/changes" attr:data-testid="nav-changes">{move || t("nav.changes")}</A>
                        })}
                        {may_read_faq(me.role).then(|| view! {
                            <A href="/help" attr:data-testid="nav-help">{move || t("nav.help")}</A>
                        })}
                        {report_scope(me.role).is_some().then(|| view! {
                            <A href="/reports" attr:data-testid="nav-reports">{move || t("nav.reports")}</A>
                        })}
                        {(me.role == Role::Admin).then(|| view! {
                            <A href="/settings" attr:data-testid="nav-settings">{move || t("nav.settings")}</A>
                            <A href="/admin/messages" attr:data-testid="nav-messages">{move || t("nav.messages")}</A>
                        })}
                    </nav>
                    <div class="who">
                        {bell()}
                        <span data-testid="who">{me.display_name.clone()}</span>
                        <span class="role">
                            {move || if i18n::use_lang().get() == Lang::En { me.role.label_en() } else { me.role.label_zh() }}
                        </span>
                        <LangSwitch />
                        <button class="link" data-testid="logout" on:click=move |_| { logout.dispatch(()); }>
                            {move || t("nav.logout")}
                        </button>
                    </div>
                </header>
                <main class="page">
                    <Outlet />
                </main>
            </div>
        }
        .into_any(),
        Some(me) => view! {
            <div class="phone">
                <header class="phone-bar">
                    <span class="brand">{move || t("app.name")}</span>
                    <span class="who" data-testid="who">{me.display_name.clone()}</span>
                    {bell()}
                    <LangSwitch />
                    <button class="link" data-testid="logout" on:click=move |_| { logout.dispatch(()); }>
                        {move || t("nav.logout")}
                    </button>
                </header>
                <main class="phone-page">
                    <Outlet />
                </main>
            </div>
        }
        .into_any(),
    }
}

/// Each page's view in its own wasm chunk, fetched when the route is first opened (the
/// splitter moves what only that page uses, serde readers included, into the chunk).
/// `data()` is empty: each page starts its own loads once its code is there.
macro_rules! lazy_page {
    ($($route:ident => $page:ident),* $(,)?) => {$(
        pub struct $route;
        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }
            fn view(_this: Self) -> AnyView {
                view! { <$page /> }.into_any()
            }
        }
    )*};
}

lazy_page! {
    LazyEmployeeList => EmployeeList,
    LazyEmployeeNew => EmployeeNew,
    LazyEmployeeDetailPage => EmployeeDetailPage,
    LazyEmployeeEdit => EmployeeEdit,
    LazyEnrollmentList => EnrollmentList,
    LazyEnrollmentNew => EnrollmentNew,
    LazyEnrollmentDetailPage => EnrollmentDetailPage,
    LazyEnrollmentEdit => EnrollmentEdit,
    LazyRevocationFormPage => RevocationFormPage,
    // Its own chunk: the spreadsheet readers (calamine, encoding_rs, csv) are only in it.
    LazyRosterImport => RosterImportPage,
    LazySettingsPage => SettingsPage,
    LazyDashboardPage => DashboardPage,
    LazyRunDetailPage => RunDetailPage,
    LazyAlertsPage => AlertsPage,
    LazyNotificationsPage => NotificationsPage,
    LazyMessagesPage => MessagesPage,
    // One chunk for the employees' services (claims, requests, the proof, help) and their
    // review, on routes of shapes the router has already: each split point adds chunks for
    // the code it shares with the others, a new kind of route adds matching code, and both
    // count in the phone's first download.
    LazyServicePages => ServicePages,
    // The three reports and their charts, one chunk.
    LazyReportsPage => ReportsPage,
}
