//! What a login name may be, at sign-in and for a new account.

use crate::api::LoginRequest;
use crate::validation::FieldError;

/// Longer logins are refused before any password is hashed or any attempt is counted.
pub const MAX_LOGIN_CHARS: usize = 64;

/// Logins are compared trimmed and in lower case.
pub fn normalize(login: &str) -> String {
    login.trim().to_lowercase()
}

fn too_long(login: &str) -> Option<FieldError> {
    (login.chars().count() > MAX_LOGIN_CHARS)
        .then(|| FieldError::new(
            "login",
            "login.too_long",
            format!("用户名不能超过{MAX_LOGIN_CHARS}个字符"),
            format!("A login has at most {MAX_LOGIN_CHARS} characters"),
        ))
}

impl LoginRequest {
    /// The normalized login to sign in with, or every field error at once.
    pub fn checked_login(&self) -> Result<String, Vec<FieldError>> {
        let login = normalize(&self.login);
        let errors: Vec<FieldError> = [
            login.is_empty().then(|| FieldError::new("login", "login.required", "请输入用户名", "Enter your login")),
            too_long(&login),
            self.password.is_empty().then(|| FieldError::new("password", "password.required", "请输入密码", "Enter your password")),
        ]
        .into_iter()
        .flatten()
        .collect();
        if errors.is_empty() { Ok(login) } else { Err(errors) }
    }
}

/// The login of a new account: 3 to 64 letters, digits, dots or underscores.
pub fn check_new_login(login: &str) -> Result<String, FieldError> {
    let login = normalize(login);
    if let Some(e) = too_long(&login) {
        return Err(e);
    }
    if login.len() < 3 || !login.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_') {
        return Err(FieldError::new(
            "login",
            "login.invalid",
            "用户名须为至少3位字母、数字、点或下划线",
            "A login has at least 3 letters, digits, dots or underscores",
        ));
    }
    Ok(login)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(login: &str, password: &str) -> LoginRequest {
        LoginRequest { login: login.into(), password: password.into() }
    }

    fn codes(r: Result<String, Vec<FieldError>>) -> Vec<String> {
        r.unwrap_err().into_iter().map(|e| e.code).collect()
    }

    #[test]
    fn sign_in_logins_are_trimmed_and_lower_cased() {
        assert_eq!(req("  Li.HR ", "x").checked_login().unwrap(), "li.hr");
    }

    #[test]
    fn every_missing_field_is_reported() {
        assert_eq!(codes(req(" ", "").checked_login()), ["login.required", "password.required"]);
    }

    #[test]
    fn logins_over_64_characters_are_refused() {
        assert!(req(&"a".repeat(64), "x").checked_login().is_ok());
        let long = "李".repeat(65);
        assert_eq!(codes(req(&long, "x").checked_login()), ["login.too_long"]);
        assert_eq!(check_new_login(&"a".repeat(65)).unwrap_err().code, "login.too_long");
    }

    #[test]
    fn new_logins_are_plain_ascii() {
        assert_eq!(check_new_login(" Admin_2 ").unwrap(), "admin_2");
        for bad in ["ab", "张三丰", "a b c", "root;--"] {
            assert_eq!(check_new_login(bad).unwrap_err().code, "login.invalid", "{bad}");
        }
    }
}
