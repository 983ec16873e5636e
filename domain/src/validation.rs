//! The one error shape every form shows, in the browser and in API responses.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// A user-facing validation error tied to one form field.
///
/// `code` is stable (clients and tests match on it); `message` is the Chinese text to show
/// and `message_en` the English one. A body written before `message_en` existed reads as
/// blank there, and `message_in` falls back to the Chinese. `suggestion`, when there is
/// one, is a value the field could take instead (the 18-digit form of a 15-digit ID
/// number), for the form to offer as a one-click fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
    #[serde(default)]
    pub message_en: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

impl FieldError {
    pub fn new(field: &str, code: &str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message: zh.into(),
            message_en: en.into(),
            suggestion: None,
        }
    }

    /// The same error, offering `value` for the field.
    pub fn with_suggestion(self, value: impl Into<String>) -> Self {
        FieldError { suggestion: Some(value.into()), ..self }
    }

    /// The message in `lang`.
    pub fn message_in(&self, lang: Lang) -> &str {
        in_lang(lang, &self.message, &self.message_en)
    }
}

/// A message in `lang`, from its Chinese and its English (which may be blank: written by
/// an older worker, or a text the worker has only in Chinese).
pub fn in_lang<'a>(lang: Lang, zh: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::En if !en.is_empty() => en,
        _ => zh,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_with_plain_field_names() {
        let e = FieldError::new("name", "name.required", "请输入姓名", "Enter the name");
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(
            json,
            r#"{"field":"name","code":"name.required","message":"请输入姓名","message_en":"Enter the name"}"#
        );
        assert_eq!(serde_json::from_str::<FieldError>(&json).unwrap(), e);
        assert_eq!(e.message_in(Lang::Zh), "请输入姓名");
        assert_eq!(e.message_in(Lang::En), "Enter the name");
    }

    #[test]
    fn an_older_body_without_english_still_reads() {
        let e: FieldError =
            serde_json::from_str(r#"{"field":"name","code":"name.required","message":"请输入姓名"}"#).unwrap();
        assert_eq!(e.message_in(Lang::En), "请输入姓名");
        assert_eq!(e.suggestion, None);
    }

    #[test]
    fn a_suggestion_is_written_only_when_there_is_one() {
        let e = FieldError::new("resident_id", "id.first_generation", "旧", "old").with_suggestion("110105194912310021");
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.ends_with(r#","suggestion":"110105194912310021"}"#), "{json}");
        assert_eq!(serde_json::from_str::<FieldError>(&json).unwrap(), e);
    }
}
