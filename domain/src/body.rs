//! A request body's JSON read into its shape — or every field that is missing or has the
//! wrong type, each with a message (the English one names the JSON key), where serde alone stops at the first one.
//!
//! Fields are found by their top-level JSON key, so this also works for shapes with
//! `#[serde(flatten)]`, where serde's own error has no path at all.

use crate::api::known_field_label_zh;
use crate::validation::FieldError;
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};

/// More required fields than any body has: a bound on the search for them.
const MAX_REQUIRED_FIELDS: usize = 64;

/// `T` from `value`, or the field errors: `field.required` for each required field that
/// is absent, `field.type` for each field whose value does not fit. A body that is no
/// object, or whose fault no single field explains, gets one error for the whole body.
pub fn decode<T: DeserializeOwned>(value: &Value) -> Result<T, Vec<FieldError>> {
    let whole = || vec![FieldError::new("", "body.shape", "请求内容应为包含所需字段的 JSON 对象", "The body must be a JSON object with the fields needed")];
    // Objects only: serde would also take a struct from an array of its fields in order.
    let Value::Object(body) = value else { return Err(whole()) };
    if let Ok(t) = T::deserialize(value) {
        return Ok(t);
    }
    let Some(stand_ins) = stand_ins::<T>() else { return Err(whole()) };
    let mut errors: Vec<FieldError> = stand_ins
        .keys()
        .filter(|field| !body.contains_key(*field))
        .map(|field| FieldError::new(field, "field.required", format!("缺少{}", label(field)), format!("{field} is missing")))
        .collect();
    // With every required field stood in for, a value that still fails is at fault.
    errors.extend(body.iter().filter(|(field, v)| !fits::<T>(&stand_ins, field, v)).map(|(field, _)| {
        FieldError::new(field, "field.type", format!("{}的类型不正确", label(field)), format!("{field} has the wrong type"))
    }));
    if errors.is_empty() {
        // Not expected of the API's shapes: say so rather than guess a field.
        return Err(whole());
    }
    errors.sort_by(|a, b| a.field.cmp(&b.field));
    Err(errors)
}

fn label(field: &str) -> &str {
    known_field_label_zh(field).unwrap_or(field)
}

fn parses<T: DeserializeOwned>(fields: &Map<String, Value>) -> Result<(), serde_json::Error> {
    T::deserialize(&Value::Object(fields.clone())).map(drop)
}

fn fits<T: DeserializeOwned>(stand_ins: &Map<String, Value>, field: &str, value: &Value) -> bool {
    let mut probe = stand_ins.clone();
    probe.insert(field.to_owned(), value.clone());
    parses::<T>(&probe).is_ok()
}

/// The field serde says is missing ("missing field `name`", serde's wording since 1.0).
fn missing_field(e: &serde_json::Error) -> Option<String> {
    let msg = e.to_string();
    Some(msg.strip_prefix("missing field `")?.split('`').next()?.to_owned())
}

/// An object that `T` accepts, holding a stand-in value for each of `T`'s required fields
/// (serde names them one at a time); `None` if none of the stand-ins fits one of them.
fn stand_ins<T: DeserializeOwned>() -> Option<Map<String, Value>> {
    let candidates = [json!(0), json!(""), json!(false), json!([]), json!({}), Value::Null];
    let mut fields = Map::new();
    for _ in 0..MAX_REQUIRED_FIELDS {
        let missing = match parses::<T>(&fields) {
            Ok(()) => return Some(fields),
            Err(e) => missing_field(&e)?,
        };
        let fitting = candidates.iter().find(|c| {
            let mut probe = fields.clone();
            probe.insert(missing.clone(), (*c).clone());
            match parses::<T>(&probe) {
                Ok(()) => true,
                Err(e) => missing_field(&e).is_some_and(|other| other != missing),
            }
        })?;
        fields.insert(missing, fitting.clone());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{CreateRequest, RequestPatch};
    use crate::employee::EmployeeForm;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Two {
        version: i64,
        execution_hold_minutes: i64,
        #[serde(default)]
        reason: Option<String>,
    }

    fn fields(errors: &[FieldError]) -> Vec<(&str, &str)> {
        errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect()
    }

    #[test]
    fn a_fitting_body_decodes() {
        let t: Two = decode(&json!({"version": 3, "execution_hold_minutes": 5})).unwrap();
        assert_eq!((t.version, t.execution_hold_minutes, t.reason), (3, 5, None));
    }

    #[test]
    fn every_missing_required_field_is_named() {
        let errors = decode::<Two>(&json!({"reason": "x"})).unwrap_err();
        assert_eq!(fields(&errors), [("execution_hold_minutes", "field.required"), ("version", "field.required")]);
        assert_eq!(errors[1].message, "缺少版本号");
    }

    #[test]
    fn missing_and_mistyped_fields_are_listed_together() {
        let errors = decode::<Two>(&json!({"version": "3", "reason": 7})).unwrap_err();
        assert_eq!(
            fields(&errors),
            [("execution_hold_minutes", "field.required"), ("reason", "field.type"), ("version", "field.type")]
        );
        assert_eq!(errors[2].message, "版本号的类型不正确");
    }

    #[test]
    fn optional_form_fields_may_be_left_out() {
        let form: EmployeeForm = decode(&json!({"name": "张三"})).unwrap();
        assert_eq!(form.name, "张三");
        assert_eq!(form.department, "");
    }

    #[test]
    fn each_mistyped_form_field_is_named_in_chinese() {
        let errors = decode::<EmployeeForm>(&json!({"name": 5, "salary": 15000, "phone": "13800138000"})).unwrap_err();
        assert_eq!(fields(&errors), [("name", "field.type"), ("salary", "field.type")]);
        assert_eq!(errors[1].message, "月工资的类型不正确");
    }

    #[test]
    fn fields_of_a_flattened_form_are_found_too() {
        let errors = decode::<RequestPatch>(&json!({"base": 10000, "insurance_types": ["pension", 3]})).unwrap_err();
        assert_eq!(
            fields(&errors),
            [("base", "field.type"), ("insurance_types", "field.type"), ("version", "field.required")]
        );
        let ok: CreateRequest = decode(&json!({"kind": "enrollment", "submit": true})).unwrap();
        assert!(ok.submit);
        assert_eq!(ok.form.kind, "enrollment");
    }

    #[test]
    fn a_body_that_is_no_object_is_one_error() {
        for body in [json!([1, 2]), json!("text"), json!(null)] {
            let errors = decode::<Two>(&body).unwrap_err();
            assert_eq!(fields(&errors), [("", "body.shape")]);
        }
    }

    #[test]
    fn unknown_fields_are_ignored() {
        let t: Two = decode(&json!({"version": 1, "execution_hold_minutes": 2, "extra": [1]})).unwrap();
        assert_eq!(t.version, 1);
    }
}
