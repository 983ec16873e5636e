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

#[cfg(test)]
mod tests {
    use super::*;

    fn view(name: &str, phone: Option<&str>) -> Vec<(&'static str, Option<String>)> {
        vec![("name", Some(name.to_string())), ("phone", phone.map(str::to_string))]
    }

    #[test]
    fn a_diff_is_labelled_and_only_of_what_changed() {
        assert_eq!(diff("base", Some("1".into()), Some("1".into())), None);
        let change = diff("base", Some("1".into()), Some("2".into())).unwrap();
        assert_eq!((change.label.as_str(), change.before.as_deref(), change.after.as_deref()), ("缴费基数", Some("1"), Some("2")));
        assert_eq!(diff("unknown", None, Some("x".into())).unwrap().label, "其他");
    }

    #[test]
    fn changes_of_a_creation_and_of_an_edit() {
        let created = changes(None, &view("王芳", None));
        assert_eq!(created.iter().map(|c| c.field.as_str()).collect::<Vec<_>>(), ["name"]);
        let edited = changes(Some(&view("王芳", None)), &view("王芳", Some("13800138000")));
        assert_eq!(edited.len(), 1);
        assert_eq!((edited[0].field.as_str(), edited[0].before.as_deref()), ("phone", None));
        assert!(changes(Some(&view("王芳", None)), &view("王芳", None)).is_empty());
    }
}
