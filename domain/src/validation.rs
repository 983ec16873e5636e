//! The one error shape every form shows, in the browser and in API responses.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// A user-facing validation error tied to one form field.
///
/// `code` is stable (clients and tests match on it); `message` is the Chinese text to show
/// and `message_en` the English one. A body written before `message_en` existed reads as
/// blank there, and `message_in` falls back to the Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
    #[serde(default)]
    pub message_en: String,
}

impl FieldError {
    pub fn new(field: &str, code: &str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message: zh.into(),
            message_en: en.into(),
        }
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
    }
}
