//! The append-only audit log: who, when, what, from which value to which.

pub mod repo;
pub mod routes;

use crate::auth::User;
use crate::error::AppResult;
use shebao_domain::api::{field_label_zh, FieldChange};
use crate::App;
use worker::D1PreparedStatement;

/// What an audit entry records about a change.
pub struct Entry<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub changes: &'a [FieldChange],
}

/// Who is shown for what was done without signing in (a failed login attempt).
const NOT_SIGNED_IN: &str = "未登录";

/// The audit insert for a change, stamped with the request's time. `after_guard`: insert
/// only when the statement before it changed a row (see `db::commit`).
pub fn entry(app: &App, actor: &User, e: Entry<'_>, after_guard: bool) -> AppResult<D1PreparedStatement> {
    repo::insert(app, Some(&actor.id), &actor.display_name, e, after_guard)
}

/// The audit insert for what someone not signed in did: no actor id.
pub fn anonymous_entry(app: &App, e: Entry<'_>) -> AppResult<D1PreparedStatement> {
    repo::insert(app, None, NOT_SIGNED_IN, e, false)
}

/// A field's change, labelled for the timeline; None when the value did not change.
pub fn diff(field: &str, before: Option<String>, after: Option<String>) -> Option<FieldChange> {
    (before != after).then(|| FieldChange {
        field: field.to_string(),
        label: field_label_zh(field).to_string(),
        before,
        after,
    })
}

/// A record's field-by-field view before and after a change (same fields, same order) as
/// the changed fields; with no `before`, every field with a value (a creation).
pub fn changes(
    before: Option<&[(&'static str, Option<String>)]>,
    after: &[(&'static str, Option<String>)],
) -> Vec<FieldChange> {
    after
        .iter()
        .enumerate()
        .filter_map(|(i, (field, value))| {
            let old = before.and_then(|b| b.get(i)).and_then(|(_, v)| v.clone());
            diff(field, old, value.clone())
        })
        .collect()
}
