//! Company settings kept in D1 (administrators change them): the hold before filing, and
//! the rates each city leaves to the employer.

mod repo;

pub use repo::Setting;

use crate::auth::User;
use crate::audit;
use crate::db::{commit, Change, Query};
use crate::error::{AppError, AppResult};
use crate::http::{body, json};
use crate::App;
use shebao_domain::api::{Settings, SettingsUpdate};
use shebao_domain::audit as audit_action;
use shebao_domain::employer::{CompanyRates, EmployerRates};
use shebao_domain::ids::today_in_china;
use shebao_domain::policy::{policy_for, City};
use shebao_domain::role::Role;
use shebao_domain::{Lang, Period};
use worker::{Request, Response};

const DEFAULT_HOLD_MINUTES: i64 = 120;

/// The keys of the settings, also the fields their audit entries name.
const HOLD: &str = "execution_hold_minutes";
const RATES: &str = "employer_rates";

/// The settings' stored values, for the caller's reads (`of` makes them the settings).
pub fn query(app: &App) -> AppResult<Query<Setting>> {
    repo::values(app, &[HOLD, RATES])
}

/// The settings from their stored values, the defaults for those never set.
pub fn of(rows: &[Setting]) -> Settings {
    let value = |key: &str| rows.iter().find(|r| r.key == key).map(|r| r.value.as_str());
    Settings {
        execution_hold_minutes: value(HOLD).and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_HOLD_MINUTES),
        employer_rates: value(RATES).and_then(|v| serde_json::from_str(v).ok()).unwrap_or_default(),
    }
}

pub async fn load(app: &App) -> AppResult<Settings> {
    Ok(of(&query(app)?.all(&app.db).await?))
}

/// The employer's rates in `city` (the city's usual ones where none were chosen).
pub fn rates_in(settings: &Settings, city: City) -> EmployerRates {
    settings.employer_rates.get(&city).copied().unwrap_or_default()
}

pub async fn employer_rates(app: &App, city: City) -> AppResult<EmployerRates> {
    Ok(rates_in(&load(app).await?, city))
}

/// `GET /api/settings`
pub async fn get(app: &App) -> AppResult<Response> {
    json(&load(app).await?, 200)
}

/// One line per city for the audit log, e.g. "北京：工伤保险 2类 × 150%；住房公积金 5%".
fn describe(rates: &CompanyRates) -> Option<String> {
    let lines: Vec<String> = rates.iter().map(|(city, r)| format!("{}：{}", city.name_zh(), r.describe(Lang::Zh))).collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// `PUT /api/settings` (administrators): a hold of 0 to 7 days, and rates each city allows
/// under the policy in force this month.
pub async fn put(mut req: Request, app: &App, user: &User) -> AppResult<Response> {
    if user.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let update: SettingsUpdate = body(&mut req).await?;
    if !(0..=7 * 24 * 60).contains(&update.execution_hold_minutes) {
        return Err(AppError::field(
            HOLD,
            "settings.hold_range",
            "等待时间应在0到7天之间",
            "The hold is between 0 and 7 days",
        ));
    }
    let before = load(app).await?;
    let mut errors = Vec::new();
    if let Some(rates) = &update.employer_rates {
        let this_month = Period::of(today_in_china());
        for (city, choice) in rates {
            let policy = policy_for(*city, this_month).ok_or_else(|| AppError::Internal(format!("no policy for {city:?}")))?;
            errors.extend(choice.check(policy).err().unwrap_or_default());
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let after = Settings {
        execution_hold_minutes: update.execution_hold_minutes,
        employer_rates: update.employer_rates.unwrap_or_else(|| before.employer_rates.clone()),
    };
    let hold = after.execution_hold_minutes.to_string();
    let changes: Vec<_> = [
        audit::diff(HOLD, Some(before.execution_hold_minutes.to_string()), Some(hold.clone())),
        audit::diff(RATES, describe(&before.employer_rates), describe(&after.employer_rates)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let change = Change {
        statements: vec![
            repo::set(app, HOLD, hold)?,
            repo::set(app, RATES, serde_json::to_string(&after.employer_rates)?)?,
            audit::entry(
                app,
                user,
                audit::Entry { action: audit_action::SETTINGS_UPDATE, entity: "settings", entity_id: "company", changes: &changes },
                false,
            )?,
        ],
        guarded: None,
    };
    commit(&app.db, change).await?;
    json(&after, 200)
}
