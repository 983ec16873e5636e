//! The rules of enrollment requests on the server: the domain crate validates and prices,
//! the transition table decides who may do what, and every change is written with its
//! audit entry in one guarded batch.

use super::repo::{self, RequestRow, RequestValues, TransitionValues};
use crate::audit::{self, changes, diff, repo::EntryRow};
use crate::auth::service::Asker;
use crate::auth::User;
use crate::bureau::{bureau, Bureau, Elsewhere};
use crate::crypto::new_id;
use crate::db::{Change, Read, Reads, Slot};
use crate::employees::repo::{employee_query, seen as seen_employee, EmployeeRow};
use crate::error::{AppError, AppResult};
use crate::settings::{self, Setting};
use crate::App;
use shebao_domain::audit as audit_action;
use shebao_domain::api::{field_label_zh, CreateRequest, FieldChange, PricePreview, RequestDetail, RequestSummary};
use shebao_domain::enrollment::{
    action_reason, available_actions, editable, may_prepare, transition, Actor, RequestAction, RequestForm, RequestKind, RequestState,
    ValidRequest,
};
use shebao_domain::ids::{masked_id as masked, today_in_china};
use shebao_domain::money::{fen, format_yuan, from_fen};
use shebao_domain::policy::{City, Hukou, InsuranceType};
use shebao_domain::contribution::Terms;
use shebao_domain::pricing::{explain_back_payment_zh, price, Filed, Price, PriceInputs};
use shebao_domain::role::{may_edit_employee, may_see_employee};
use shebao_domain::{FieldError, Lang, Period};

pub fn state_of(row: &RequestRow) -> AppResult<RequestState> {
    RequestState::from_code(&row.state).ok_or_else(|| AppError::Internal(format!("state {}", row.state)))
}

fn kind_of(row: &RequestRow) -> AppResult<RequestKind> {
    RequestKind::from_code(&row.kind).ok_or_else(|| AppError::Internal(format!("kind {}", row.kind)))
}

pub fn city_of(code: &str) -> AppResult<City> {
    City::from_code(code).ok_or_else(|| AppError::Internal(format!("city {code}")))
}

/// The user as the transition table sees them: a maker if they ever created, edited,
/// submitted or asked to revoke this request.
async fn actor(app: &App, user: &User, row: &RequestRow) -> AppResult<Actor> {
    Ok(Actor::user(user.role, repo::is_maker(app, &row.id, &user.id).await?))
}

/// The request, if it exists (404) and the user may see its branch (403).
pub async fn visible_request(app: &App, user: &User, id: &str) -> AppResult<RequestRow> {
    seen(user, repo::request(app, id).await?)
}

/// The request read (`repo::request_query`), if there is one (404) and the user may see its
/// branch (403).
pub fn seen(user: &User, row: Option<RequestRow>) -> AppResult<RequestRow> {
    let row = row.ok_or(AppError::NotFound)?;
    if user.role.uses_console()
        && may_see_employee(user.role, user.branch_id.as_deref(), None, &row.branch_id, &row.employee_id)
    {
        Ok(row)
    } else {
        Err(AppError::Forbidden)
    }
}

/// A form checked against everything the server knows: the employee, the city's policy,
/// other enrollments and the bureau, all read in one round trip. Returns the valid request,
/// its employee and price.
async fn checked(app: &App, asker: Asker<'_>, form: &RequestForm, except: &str) -> AppResult<(ValidRequest, EmployeeRow, Price)> {
    let refused = |user: &User| (!may_prepare(user.role)).then_some(AppError::Forbidden);
    let id = form.employee_id.trim();
    if id.is_empty() {
        // Only the form's own rules can be reported without an employee.
        let user = asker.user(app).await?;
        return Err(refused(&user).unwrap_or_else(|| AppError::Validation(form.errors_without_employee())));
    }
    // Only what this kind of request is checked against is read: an unknown kind fails
    // the form's own rules below.
    let kind = RequestKind::from_code(form.kind.trim());
    let mut reads = Reads::default();
    let employee = reads.add(employee_query(app, id)?);
    let active = reads.add_if(kind == Some(RequestKind::Enrollment), || repo::active_enrollments(app, id, except))?;
    let elsewhere = reads.add_if(kind.is_some_and(RequestKind::insures), || bureau().insured_elsewhere(app, id))?;
    let pricing = PriceReads::add(app, &mut reads, id, except, kind)?;
    // One employee's records, whoever asks: they go with the session's read.
    let (user, read) = asker.send(app, reads).await?;
    if let Some(refusal) = refused(&user) {
        return Err(refusal);
    }
    let user = &user;
    let employee = seen_employee(user, read.first(employee)?).map_err(|e| match e {
        AppError::NotFound => AppError::field("employee_id", "employee.unknown", "员工不存在", "No such employee"),
        other => other,
    })?;
    if !may_edit_employee(user.role, user.branch_id.as_deref(), &employee.branch_id) {
        return Err(AppError::Forbidden);
    }
    let city = city_of(&employee.city)?;
    let hire = chrono::NaiveDate::parse_from_str(&employee.hire_date, "%Y-%m-%d").ok();
    let valid = form.validate(city, hire).map_err(AppError::Validation)?;

    let mut errors = Vec::new();
    if valid.kind == RequestKind::Enrollment {
        let taken: Vec<InsuranceType> = read
            .rows(active)?
            .iter()
            .flat_map(|a| serde_json::from_str::<Vec<InsuranceType>>(&a.insurance_types).unwrap_or_default())
            .filter(|t| valid.insurance_types.contains(t))
            .collect();
        if !taken.is_empty() {
            let names = |lang, sep| taken.iter().map(|t| t.name(lang)).collect::<Vec<_>>().join(sep);
            errors.push(FieldError::new(
                "insurance_types",
                "enrollment.duplicate",
                format!("该员工已有{}的有效增员申请，不能重复增员", names(Lang::Zh, "、")),
                format!("The employee already has an enrollment in {}: it cannot be enrolled twice", names(Lang::En, ", ")),
            ));
        }
    }
    if valid.kind.insures() {
        if let Some(Elsewhere { employer }) = read.first(elsewhere)? {
            errors.push(FieldError::new(
                "employee_id",
                "bureau.insured_elsewhere",
                format!("模拟社保局显示该员工仍在「{employer}」参保，请先办理转出"),
                format!("The bureau simulator shows the employee still insured at \u{201c}{employer}\u{201d}: transfer them out first"),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let priced = pricing.price(&read, &valid, city, hukou_of(&employee.hukou), today_in_china())?;
    Ok((valid, employee, priced))
}

/// A stored filed request, as the bases in force are worked out from it.
pub fn filed(r: &repo::FiledRow) -> AppResult<Filed> {
    Ok(Filed {
        kind: RequestKind::from_code(&r.kind).ok_or_else(|| AppError::Internal(format!("kind {}", r.kind)))?,
        from: period(&r.from_month)?,
        to: period(&r.to_month)?,
        insurance_types: serde_json::from_str(&r.insurance_types)?,
        base: from_fen(r.base_fen),
    })
}

/// A stored hukou code (the column's CHECK allows only these two).
pub fn hukou_of(code: &str) -> Hukou {
    Hukou::from_code(code).unwrap_or_default()
}

/// What a price reads, sent with the caller's other reads: the employer's rates, and the
/// employee's other requests the bureau filed (request `except` left out: itself).
struct PriceReads {
    stored: Slot<Setting>,
    filed: Slot<repo::FiledRow>,
}

impl PriceReads {
    fn add(app: &App, reads: &mut Reads, employee_id: &str, except: &str, kind: Option<RequestKind>) -> AppResult<PriceReads> {
        Ok(PriceReads {
            stored: reads.add(settings::query(app)?),
            filed: reads.add_if(kind == Some(RequestKind::BaseAdjustment), || repo::filed_requests(app, employee_id, except))?,
        })
    }

    /// `valid` priced as paid on `today`, with the employer's rates, the employee's hukou
    /// and, for a base adjustment, the filed requests it changes.
    fn price(self, read: &Read, valid: &ValidRequest, city: City, hukou: Hukou, today: chrono::NaiveDate) -> AppResult<Price> {
        let history = read.rows(self.filed)?.iter().map(filed).collect::<AppResult<Vec<_>>>()?;
        let terms = Terms { employer: settings::rates_in(&settings::of(&read.rows(self.stored)?), city), hukou };
        let inputs = PriceInputs { city, today, terms, history: &history };
        price(valid, &inputs).map_err(|e| AppError::Validation(vec![e.to_field_error()]))
    }
}

/// The stored request priced again as paid on `today` (on approval and at filing: the late
/// fee grows by the day). When a figure changed: the new price, stored as (JSON, total in
/// fen), and the audit entry's before → after. A request that no longer prices keeps its
/// figure; the bureau's assessment decides.
pub async fn repriced(app: &App, row: &RequestRow, today: chrono::NaiveDate) -> AppResult<Option<((String, i64), Vec<FieldChange>)>> {
    let s = summary(row)?;
    let valid = ValidRequest {
        kind: s.kind,
        employee_id: s.employee_id,
        insurance_types: s.insurance_types,
        base: s.base,
        from: s.from_month,
        to: s.to_month,
        reason: row.reason.clone(),
    };
    let mut reads = Reads::default();
    let pricing = PriceReads::add(app, &mut reads, &row.employee_id, &row.id, Some(s.kind))?;
    let read = reads.send(&app.db).await?;
    let new = match pricing.price(&read, &valid, city_of(&row.city)?, hukou_of(&row.hukou), today) {
        Ok(new) => new,
        Err(AppError::Validation(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    let old: Price = serde_json::from_str(&row.price)?;
    let changed: Vec<FieldChange> = [
        diff("late_fee", Some(format_yuan(old.late_fee_total)), Some(format_yuan(new.late_fee_total))),
        diff("total", Some(format_yuan(old.total)), Some(format_yuan(new.total))),
    ]
    .into_iter()
    .flatten()
    .collect();
    if changed.is_empty() {
        return Ok(None);
    }
    Ok(Some(((serde_json::to_string(&new)?, fen(new.total)), changed)))
}

pub async fn preview(app: &App, asker: Asker<'_>, form: &RequestForm, except: &str) -> AppResult<PricePreview> {
    let (valid, employee, priced) = checked(app, asker, form, except).await?;
    Ok(PricePreview {
        confirmation: priced.confirmation(Lang::Zh, &employee.name),
        confirmation_en: priced.confirmation(Lang::En, &employee.name),
        explanation: (valid.kind == RequestKind::BackPayment).then(|| explain_back_payment_zh().to_string()),
        price: priced,
    })
}

fn values(valid: &ValidRequest, employee: &EmployeeRow, priced: &Price) -> AppResult<RequestValues> {
    Ok(RequestValues {
        kind: valid.kind.code().to_string(),
        employee_id: employee.id.clone(),
        branch_id: employee.branch_id.clone(),
        employee_name: employee.name.clone(),
        resident_id: employee.resident_id.clone(),
        insurance_types: serde_json::to_string(&valid.insurance_types)?,
        base_fen: fen(valid.base),
        from_month: valid.from.to_string(),
        to_month: valid.to.to_string(),
        reason: valid.reason.clone(),
        price: serde_json::to_string(priced)?,
        total_fen: fen(priced.total),
    })
}

fn type_names(json: &str) -> String {
    let types: Vec<InsuranceType> = serde_json::from_str(json).unwrap_or_default();
    types.iter().map(|t| t.name_zh()).collect::<Vec<_>>().join("、")
}

/// Field by field, what the audit log shows of a request.
fn audit_view(v: &RequestValues, employee_name: &str) -> Vec<(&'static str, Option<String>)> {
    vec![
        ("kind", RequestKind::from_code(&v.kind).map(|k| k.label_zh().to_string())),
        ("employee_id", Some(employee_name.to_string())),
        ("insurance_types", Some(type_names(&v.insurance_types))),
        ("base", Some(format_yuan(from_fen(v.base_fen)))),
        ("from_month", Some(v.from_month.clone())),
        ("to_month", Some(v.to_month.clone())),
        ("reason", v.reason.clone()),
        ("total", Some(format_yuan(from_fen(v.total_fen)))),
    ]
}

pub fn state_change(from: RequestState, to: RequestState) -> FieldChange {
    FieldChange {
        field: "state".into(),
        label: field_label_zh("state").into(),
        before: Some(from.label_zh().into()),
        after: Some(to.label_zh().into()),
    }
}

/// A new request, kept as a draft or submitted at once (after the user saw the price).
pub async fn create(app: &App, user: &User, body: &CreateRequest) -> AppResult<(Change, String)> {
    let (valid, employee, priced) = checked(app, Asker::User(user), &body.form, "").await?;
    let valid_values = values(&valid, &employee, &priced)?;
    let id = new_id("req")?;
    let state = if body.submit { RequestState::Submitted } else { RequestState::Draft };
    let created = changes(None, &audit_view(&valid_values, &employee.name));
    let mut statements = vec![
        repo::insert(app, &id, state.code(), &user.id, body.submit.then_some(user.id.as_str()), &valid_values)?,
        repo::add_maker(app, &id, &user.id, None)?,
        audit::entry(
            app,
            user,
            audit::Entry { action: audit_action::ENROLLMENT_CREATE, entity: "enrollment", entity_id: &id, changes: &created },
            false,
        )?,
    ];
    if body.submit {
        let submitted = [state_change(RequestState::Draft, RequestState::Submitted)];
        statements.push(audit::entry(
            app,
            user,
            audit::Entry { action: &RequestAction::Submit.audit_code(), entity: "enrollment", entity_id: &id, changes: &submitted },
            false,
        )?);
    }
    Ok((Change { statements, guarded: None }, id))
}

/// A correction by a specialist while the request is still theirs to change.
pub async fn update(app: &App, user: &User, id: &str, version: i64, form: &RequestForm) -> AppResult<Option<Change>> {
    let row = visible_request(app, user, id).await?;
    if !editable(state_of(&row)?) || !may_prepare(user.role) {
        return Err(AppError::Conflict(format!(
            "「{}」状态的申请不能修改",
            state_of(&row)?.label_zh()
        )));
    }
    if version != row.version {
        return Err(AppError::stale());
    }
    let (valid, employee, priced) = checked(app, Asker::User(user), form, id).await?;
    let new = values(&valid, &employee, &priced)?;
    let old = RequestValues {
        kind: row.kind.clone(),
        employee_id: row.employee_id.clone(),
        branch_id: row.branch_id.clone(),
        employee_name: row.employee_name.clone(),
        resident_id: row.resident_id.clone(),
        insurance_types: row.insurance_types.clone(),
        base_fen: row.base_fen,
        from_month: row.from_month.clone(),
        to_month: row.to_month.clone(),
        reason: row.reason.clone(),
        price: row.price.clone(),
        total_fen: row.total_fen,
    };
    let changed = changes(Some(&audit_view(&old, &row.employee_name)), &audit_view(&new, &employee.name));
    if changed.is_empty() {
        return Ok(None);
    }
    let token = new_id("chg")?;
    Ok(Some(Change {
        statements: vec![
            repo::update(app, id, version, &token, &new)?,
            audit::entry(
                app,
                user,
                audit::Entry { action: audit_action::ENROLLMENT_UPDATE, entity: "enrollment", entity_id: id, changes: &changed },
                true,
            )?,
            // An editor of the content is one of its makers from now on.
            repo::add_maker(app, id, &user.id, Some(&token))?,
        ],
        guarded: Some(0),
    }))
}

/// A person's action on a request: submit, approve, reject, revoke, send now, ask the
/// bureau to revoke, or decide on such a revocation request. The transition table
/// decides; the version guard lets exactly one of concurrent actions win, and whatever the
/// winner queues or records depends on its change token, so the losers write nothing.
pub async fn act(
    app: &App,
    user: &User,
    id: &str,
    action: RequestAction,
    version: i64,
    reason: Option<&str>,
) -> AppResult<Change> {
    let row = visible_request(app, user, id).await?;
    let from = state_of(&row)?;
    let to = transition(from, action, actor(app, user, &row).await?).map_err(AppError::Transition)?;
    if version != row.version {
        return Err(AppError::stale());
    }
    let token = new_id("chg")?;
    let mut t = TransitionValues::default();
    let mut entry_changes: Vec<FieldChange> = (from != to).then(|| state_change(from, to)).into_iter().collect();
    let mut after: Vec<worker::D1PreparedStatement> = Vec::new();
    let reason = if action.needs_reason() {
        let reason = action_reason(reason).map_err(|e| AppError::Validation(vec![e]))?;
        entry_changes.extend(diff("reason", None, Some(reason.clone())));
        Some(reason)
    } else {
        None
    };
    match action {
        RequestAction::Submit => {
            // Re-checked and re-priced: the policy or the other requests may have changed;
            // the filing's copy of the employee is taken now.
            let form = form_of(&row)?;
            let (_, employee, priced) = checked(app, Asker::User(user), &form, id).await?;
            let total = fen(priced.total);
            if total != row.total_fen {
                entry_changes.extend(diff("total", Some(format_yuan(from_fen(row.total_fen))), Some(format_yuan(priced.total))));
            }
            t.price = Some((serde_json::to_string(&priced)?, total));
            // The reviewer sees it if the copy of the employee changed with this submission.
            entry_changes.extend(diff("name", Some(row.employee_name.clone()), Some(employee.name.clone())));
            if employee.resident_id != row.resident_id {
                entry_changes.extend(diff("resident_id", masked(&row.resident_id), masked(&employee.resident_id)));
            }
            t.identity = Some((employee.name, employee.resident_id));
            t.submitted_by = Some(user.id.clone());
        }
        RequestAction::Approve => {
            // What is approved is the figure as of today.
            if let Some((price, changed)) = repriced(app, &row, today_in_china()).await? {
                t.price = Some(price);
                entry_changes.extend(changed);
            }
            let hold = settings::load(app).await?.execution_hold_minutes;
            let execute_after = app.now_ms + hold * 60_000;
            t.execute_after = Some(execute_after);
            // What is filed is this approved version, whenever it is sent.
            t.approved_version = Some(row.version + 1);
            after.push(repo::enqueue(app, &new_id("obx")?, repo::TOPIC_FILE, id, execute_after, &token)?);
        }
        RequestAction::Reject | RequestAction::RejectRevocation => t.reject_reason = reason,
        RequestAction::Revoke => after.push(repo::cancel_pending(app, id, &token)?),
        RequestAction::Execute => {
            // Due at once: the executor files it right after this commit.
            t.execute_after = (to == RequestState::Approved).then_some(app.now_ms);
            after.push(repo::cancel_pending(app, id, &token)?);
            after.push(repo::enqueue(app, &new_id("obx")?, repo::TOPIC_FILE, id, app.now_ms, &token)?);
        }
        RequestAction::RequestRevocation => {
            if app.now_ms > revocation_deadline_ms(&row)?.unwrap_or(0) {
                return Err(AppError::Conflict(format!(
                    "已超过社保局撤销期限（{}），不能申请撤销",
                    city_of(&row.city)?.revocation_window().window.describe(Lang::Zh)
                )));
            }
            t.revocation_reason = reason;
            // The bureau judges the window by when the revocation was asked for.
            t.revocation_requested_at = Some(app.now_ms);
        }
        RequestAction::ApproveRevocation => {
            after.push(repo::enqueue(app, &new_id("obx")?, repo::TOPIC_REVOKE, id, app.now_ms, &token)?);
        }
        RequestAction::StartFiling
        | RequestAction::BureauFiles
        | RequestAction::BureauRejects
        | RequestAction::FilingFails
        | RequestAction::BureauAccepts
        | RequestAction::BureauRefuses => return Err(AppError::Forbidden),
    }
    if action.makes() {
        after.push(repo::add_maker(app, id, &user.id, Some(&token))?);
    }
    let action_code = action.audit_code();
    let mut statements = vec![
        repo::transition(app, id, version, (from.code(), to.code()), &token, &t, None)?,
        audit::entry(
            app,
            user,
            audit::Entry { action: &action_code, entity: "enrollment", entity_id: id, changes: &entry_changes },
            true,
        )?,
    ];
    statements.extend(after);
    Ok(Change { statements, guarded: Some(0) })
}

/// Until when the bureau accepts a revocation of an executed request.
fn revocation_deadline_ms(row: &RequestRow) -> AppResult<Option<i64>> {
    let city = city_of(&row.city)?;
    Ok(row.executed_at.map(|t| city.revocation_deadline_ms(t)))
}

/// The stored request as a form, to re-check it.
pub fn form_of(row: &RequestRow) -> AppResult<RequestForm> {
    Ok(summary(row)?.form(row.reason.as_deref()))
}

pub fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

pub fn period(s: &str) -> AppResult<Period> {
    Period::parse(s).map_err(|_| AppError::Internal(format!("stored month {s}")))
}

pub fn summary(row: &RequestRow) -> AppResult<RequestSummary> {
    Ok(RequestSummary {
        id: row.id.clone(),
        kind: kind_of(row)?,
        state: state_of(row)?,
        employee_id: row.employee_id.clone(),
        employee_name: row.employee_name.clone(),
        branch_id: row.branch_id.clone(),
        branch_name: row.branch_name.clone(),
        insurance_types: serde_json::from_str(&row.insurance_types)?,
        base: from_fen(row.base_fen),
        from_month: period(&row.from_month)?,
        to_month: period(&row.to_month)?,
        total: from_fen(row.total_fen),
        created_by_name: row.created_by_name.clone(),
        execute_after: row.execute_after.filter(|_| row.state == RequestState::Approved.code()).map(iso),
        version: row.version,
        updated_at: row.updated_at.clone(),
    })
}

/// What changed in the content since the last review (approval, rejection or revoke of
/// an approval), or, before the first review, since it was first submitted: corrections
/// by a maker and corrections of the employee's record that the request followed.
fn changes_since_review(rows: &[EntryRow]) -> AppResult<Vec<FieldChange>> {
    let reviews = [RequestAction::Approve, RequestAction::Reject, RequestAction::Revoke].map(RequestAction::audit_code);
    let submitted = RequestAction::Submit.audit_code();
    let anchor = rows
        .iter()
        .rposition(|r| reviews.contains(&r.action))
        .or_else(|| rows.iter().position(|r| r.action == submitted));
    let Some(anchor) = anchor else {
        return Ok(vec![]);
    };
    let mut out: Vec<FieldChange> = Vec::new();
    let corrections = rows[anchor + 1..]
        .iter()
        .filter(|r| [audit_action::ENROLLMENT_UPDATE, audit_action::ENROLLMENT_EMPLOYEE_CHANGED].contains(&r.action.as_str()));
    for r in corrections {
        for c in serde_json::from_str::<Vec<FieldChange>>(&r.changes)? {
            // Several corrections of one field show as one change, from the first value to the last.
            match out.iter_mut().find(|o| o.field == c.field) {
                Some(o) => o.after = c.after,
                None => out.push(c),
            }
        }
    }
    out.retain(|c| c.before != c.after);
    Ok(out)
}

/// Request `id` as its page shows it to `user`, if they may see it: the request, whether
/// they are one of its makers and its audit entries, read in one round trip.
pub async fn read_detail(app: &App, user: &User, id: &str) -> AppResult<RequestDetail> {
    let mut reads = Reads::default();
    let request = reads.add(repo::request_query(app, id)?);
    let maker = reads.add(repo::maker(app, id, &user.id)?);
    let entries = reads.add(audit::repo::entries(app, "enrollment", id)?);
    let read = reads.send(&app.db).await?;
    let row = seen(user, read.first(request)?)?;
    // `seen` checked the branch; the transition table decides the rest.
    let actions = available_actions(state_of(&row)?, Actor::user(user.role, read.first(maker)?.is_some()));
    detail(&row, actions, &read.rows(entries)?)
}

fn detail(row: &RequestRow, actions: Vec<RequestAction>, entries: &[EntryRow]) -> AppResult<RequestDetail> {
    Ok(RequestDetail {
        summary: summary(row)?,
        resident_id_masked: masked(&row.resident_id).unwrap_or_default(),
        city: city_of(&row.employee_city)?,
        hire_date: row.hire_date.clone(),
        reason: row.reason.clone(),
        price: serde_json::from_str(&row.price)?,
        submitted_by_name: row.submitted_by_name.clone(),
        reject_reason: row.reject_reason.clone(),
        receipt_no: row.receipt_no.clone(),
        executed_at: row.executed_at.map(iso),
        revocation_deadline: revocation_deadline_ms(row)?.map(iso),
        revocation_reason: row.revocation_reason.clone(),
        bureau_answer: row.bureau_answer.clone(),
        actions,
        changes_since_review: changes_since_review(entries)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_rfc3339_utc_to_the_second() {
        assert_eq!(iso(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso(1_733_050_123_999), "2024-12-01T10:48:43Z");
        assert_eq!(iso(i64::MAX), "");
    }

    #[test]
    fn a_state_change_shows_both_labels() {
        let c = state_change(RequestState::Submitted, RequestState::Approved);
        assert_eq!((c.label.as_str(), c.before.as_deref(), c.after.as_deref()), ("状态", Some("待审核"), Some("已批准")));
    }

    #[test]
    fn type_names_in_chinese_and_blank_for_bad_json() {
        assert_eq!(type_names(r#"["pension","housing_fund"]"#), "养老保险、住房公积金");
        assert_eq!(type_names("not json"), "");
    }
}
