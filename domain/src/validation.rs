//! The one error shape every form shows, in the browser and in API responses.

use serde::{Deserialize, Serialize};

/// A user-facing validation error tied to one form field.
///
/// `code` is stable (clients and tests match on it); `message` is the Chinese text to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, code: &str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_with_plain_field_names() {
        let e = FieldError::new("name", "name.required", "请输入姓名");
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(
            json,
            r#"{"field":"name","code":"name.required","message":"请输入姓名"}"#
        );
        assert_eq!(serde_json::from_str::<FieldError>(&json).unwrap(), e);
    }
}
