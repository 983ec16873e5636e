//! 单位设置 (administrators): the hold before filing, and for each city the company has a
//! branch in, the rates the city leaves to the employer: the work-injury industry class and
//! float, and the housing-fund rate within the city's range. The server checks them again.

use crate::api::{self, ApiFailure};
use crate::components::Loaded;
use crate::i18n::{current_lang, tr};
use crate::session::use_session;
use leptos::prelude::*;
use shebao_domain::api::{Settings, SettingsUpdate};
use shebao_domain::employer::{work_injury_floats, EmployerRates, WorkInjuryRate};
use shebao_domain::ids::today_in_china;
use shebao_domain::money::format_rate;
use shebao_domain::policy::{policy_for, City, EmployerChoices};
use shebao_domain::role::Role;
use shebao_domain::Period;
use rust_decimal::Decimal;

/// What `city` leaves to the employer this month.
fn choices(city: City) -> Option<&'static EmployerChoices> {
    policy_for(city, Period::of(today_in_china())).map(|p| &p.employer_choices)
}

/// A rate as the select's value: whole percent ("5" for 5%).
fn percent(rate: Decimal) -> String {
    (rate * Decimal::ONE_HUNDRED).normalize().to_string()
}

/// One city's three choices; an empty choice keeps the city's usual figure.
fn city_rates(city: City, rates: RwSignal<Settings>) -> impl IntoView {
    let current = move || rates.with(|s| s.employer_rates.get(&city).copied().unwrap_or_default());
    let update = move |change: &dyn Fn(&mut EmployerRates)| {
        rates.update(|s| {
            let mut r = s.employer_rates.get(&city).copied().unwrap_or_default();
            change(&mut r);
            if r == EmployerRates::default() {
                s.employer_rates.remove(&city);
            } else {
                s.employer_rates.insert(city, r);
            }
        })
    };
    let code = city.code();
    view! {
        <fieldset class="city-rates" data-testid=format!("rates-{code}")>
            <legend>{city.name(current_lang())}</legend>
            <div class="grid three">
                <label class="field">
                    <span>{tr("settings.work_injury")}</span>
                    <select
                        data-testid=format!("rates-{code}-class")
                        prop:value=move || current().work_injury.map(|w| w.class.to_string()).unwrap_or_default()
                        on:change=move |ev| {
                            let class = event_target_value(&ev).parse::<u8>().ok();
                            update(&|r| r.work_injury = class.map(|class| WorkInjuryRate { class, float_percent: 100 }));
                        }
                    >
                        <option value="">{tr("settings.city_usual")}</option>
                        {(1u8..=8).map(|class| view! {
                            <option value=class.to_string()>{format!(
                                "{}（{}）",
                                tr("settings.class").replace("{}", &class.to_string()),
                                choices(city).and_then(|c| c.class_rate(class)).map(format_rate).unwrap_or_default()
                            )}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{tr("settings.float")}</span>
                    {move || match current().work_injury {
                        Some(w) => view! {
                            <select
                                data-testid=format!("rates-{code}-float")
                                prop:value=w.float_percent.to_string()
                                on:change=move |ev| {
                                    let float_percent = event_target_value(&ev).parse().unwrap_or(100);
                                    update(&|r| r.work_injury = Some(WorkInjuryRate { class: w.class, float_percent }));
                                }
                            >
                                {work_injury_floats(w.class).iter().map(|f| view! { <option value=f.to_string()>{format!("{f}%")}</option> }).collect_view()}
                            </select>
                        }
                        .into_any(),
                        None => view! { <select disabled=true><option>"—"</option></select> }.into_any(),
                    }}
                </label>
                <label class="field">
                    <span>{tr("settings.fund")}</span>
                    <select
                        data-testid=format!("rates-{code}-fund")
                        prop:value=move || current().housing_fund_rate.map(percent).unwrap_or_default()
                        on:change=move |ev| {
                            let rate = event_target_value(&ev).parse::<i64>().ok().map(|n| Decimal::new(n, 2));
                            update(&|r| r.housing_fund_rate = rate);
                        }
                    >
                        <option value="">{tr("settings.city_usual")}</option>
                        {choices(city).map(|c| c.housing_fund_rates()).unwrap_or_default().into_iter().map(|rate| view! {
                            <option value=percent(rate)>{format_rate(rate)}</option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
        </fieldset>
    }
}

#[component]
fn SettingsForm(initial: Settings, cities: Vec<City>) -> impl IntoView {
    let session = use_session();
    let draft = RwSignal::new(initial);
    let save = Action::new_local(move |update: &SettingsUpdate| {
        let update = update.clone();
        async move { session.check(api::save_settings(update).await) }
    });
    let busy = save.pending();
    // Anyone in the console may read the settings; only an administrator changes them.
    let admin = session.user.with_untracked(|u| u.as_ref().is_some_and(|u| u.role == Role::Admin));
    let outcome = move || {
        save.value().get().map(|result| match result {
            Ok(_) => view! { <p class="derived" role="status" data-testid="settings-saved">{tr("settings.saved")}</p> }.into_any(),
            Err(ApiFailure::Fields(errors)) => view! {
                <ul class="field-error" role="alert" data-testid="settings-errors">
                    {errors.into_iter().map(|e| view! { <li>{e.message_in(current_lang()).to_string()}</li> }).collect_view()}
                </ul>
            }
            .into_any(),
            Err(other) => view! { <p class="field-error" role="alert" data-testid="settings-errors">{other.to_string()}</p> }.into_any(),
        })
    };
    view! {
        <form
            class="card form"
            data-testid="settings-form"
            on:submit=move |ev| {
                ev.prevent_default();
                let s = draft.get_untracked();
                save.dispatch(SettingsUpdate { execution_hold_minutes: s.execution_hold_minutes, employer_rates: Some(s.employer_rates) });
            }
        >
            <label class="field">
                <span>{tr("settings.hold")}</span>
                <input
                    type="number"
                    min="0"
                    max="10080"
                    data-testid="settings-hold"
                    prop:value=move || draft.with(|s| s.execution_hold_minutes.to_string())
                    on:input=move |ev| {
                        if let Ok(minutes) = event_target_value(&ev).parse() {
                            draft.update(|s| s.execution_hold_minutes = minutes);
                        }
                    }
                />
            </label>
            <h2>{tr("settings.rates")}</h2>
            <p class="hint">{tr("settings.rates_hint")}</p>
            {cities.into_iter().map(|city| city_rates(city, draft)).collect_view()}
            {outcome}
            {(!admin).then(|| view! { <p class="hint" data-testid="settings-admin-only">{tr("settings.admin_only")}</p> })}
            <div class="actions">
                <button type="submit" class="primary" data-testid="settings-save" disabled=move || !admin || busy.get()>
                    {move || if busy.get() { tr("common.saving") } else { tr("common.save") }}
                </button>
            </div>
        </form>
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let session = use_session();
    let data = LocalResource::new(move || async move {
        let settings = session.check(api::settings().await)?;
        let branches = session.check(api::branches().await)?;
        let mut cities: Vec<City> = branches.iter().filter_map(|b| City::from_code(&b.city)).collect();
        cities.sort();
        cities.dedup();
        Ok((settings, cities))
    });
    view! {
        <div class="narrow" data-testid="settings-page">
            <h1>{move || tr("settings.title")}</h1>
            <Loaded resource=data let:loaded>
                {let (settings, cities) = loaded; view! { <SettingsForm initial=settings cities=cities /> }}
            </Loaded>
            <p class="hint">{move || tr("settings.source")}</p>
        </div>
    }
}
