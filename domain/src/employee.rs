//! The employee form's rules, run as the user types (browser) and again on submit (worker).

use chrono::{Days, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::ids::{today_in_china, ResidentId};
use crate::lang::Lang;
use crate::money::{parse_amount, AmountError};
use crate::policy::Hukou;
use crate::validation::FieldError;

/// The form as typed: every field is raw text, so half-filled input can be validated; a
/// field left out of a request is blank (and the rules say whether it may be).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct EmployeeForm {
    pub name: String,
    pub resident_id: String,
    pub branch_id: String,
    pub department: String,
    pub phone: String,
    pub email: String,
    pub hire_date: String,
    pub salary: String,
    /// `local` or `non_local`; blank means local.
    pub hukou: String,
}

/// A form that passed every rule, with values trimmed and normalized.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidEmployee {
    pub name: String,
    pub resident_id: ResidentId,
    pub branch_id: String,
    pub department: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub hire_date: NaiveDate,
    pub salary: Decimal,
    pub hukou: Hukou,
}

/// The form's fields in display order (also the order of `validate`'s errors).
pub const FIELDS: [&str; 9] = [
    "name",
    "resident_id",
    "branch_id",
    "department",
    "phone",
    "email",
    "hire_date",
    "salary",
    "hukou",
];

const MAX_DEPARTMENT_CHARS: usize = 50;
/// Hires can be entered ahead of time, but not so far that it is probably a typo.
const MAX_DAYS_AHEAD: u64 = 90;
const MIN_WORKING_AGE_MONTHS: u32 = 16 * 12;

type Checked<T> = Result<T, FieldError>;

fn fail<T>(field: &str, code: &str, zh: impl Into<String>, en: impl Into<String>) -> Checked<T> {
    Err(FieldError::new(field, code, zh, en))
}

/// Trimmed text, or `None` when blank (optional fields).
fn optional(raw: &str) -> Option<&str> {
    Some(raw.trim()).filter(|s| !s.is_empty())
}

impl EmployeeForm {
    pub fn validate(&self) -> Result<ValidEmployee, Vec<FieldError>> {
        self.validate_as_of(today_in_china())
    }

    /// All field errors at once, in field order, so the form can mark every problem.
    pub fn validate_as_of(&self, today: NaiveDate) -> Result<ValidEmployee, Vec<FieldError>> {
        let name = self.check_name();
        let resident_id = self.check_resident_id(today);
        let branch_id = self.check_branch_id();
        let department = self.check_department();
        let phone = self.check_phone();
        let email = self.check_email();
        let hire_date = self.check_hire_date(today);
        let salary = self.check_salary();
        let hukou = self.check_hukou();
        let errors: Vec<FieldError> = [
            name.as_ref().err(),
            resident_id.as_ref().err(),
            branch_id.as_ref().err(),
            department.as_ref().err(),
            phone.as_ref().err(),
            email.as_ref().err(),
            hire_date.as_ref().err(),
            salary.as_ref().err(),
            hukou.as_ref().err(),
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
        match (
            name,
            resident_id,
            branch_id,
            department,
            phone,
            email,
            hire_date,
            salary,
            hukou,
        ) {
            (
                Ok(name),
                Ok(resident_id),
                Ok(branch_id),
                Ok(department),
                Ok(phone),
                Ok(email),
                Ok(hire_date),
                Ok(salary),
                Ok(hukou),
            ) => Ok(ValidEmployee {
                name,
                resident_id,
                branch_id,
                department,
                phone,
                email,
                hire_date,
                salary,
                hukou,
            }),
            _ => Err(errors),
        }
    }

    pub fn validate_field(&self, field: &str) -> Option<FieldError> {
        self.validate_field_as_of(field, today_in_china())
    }

    /// The error for one field (as the user leaves it); `None` if it is fine or unknown.
    pub fn validate_field_as_of(&self, field: &str, today: NaiveDate) -> Option<FieldError> {
        match field {
            "name" => self.check_name().err(),
            "resident_id" => self.check_resident_id(today).err(),
            "branch_id" => self.check_branch_id().err(),
            "department" => self.check_department().err(),
            "phone" => self.check_phone().err(),
            "email" => self.check_email().err(),
            "hire_date" => self.check_hire_date(today).err(),
            "salary" => self.check_salary().err(),
            "hukou" => self.check_hukou().err(),
            _ => None,
        }
    }

    fn check_name(&self) -> Checked<String> {
        const F: &str = "name";
        let name = self.name.trim();
        if name.is_empty() {
            return fail(F, "name.required", "请输入姓名", "Enter the name");
        }
        if !(2..=30).contains(&name.chars().count()) {
            return fail(F, "name.length", "姓名应为2–30个字符", "A name has 2–30 characters");
        }
        // Letters of any script (incl. CJK), spaces, and the dots used in transliterated
        // names (e.g. 阿依古丽·买买提).
        let allowed = |c: char| c.is_alphabetic() || matches!(c, ' ' | '·' | '・' | '.');
        if !name.chars().all(allowed) || !name.chars().any(char::is_alphabetic) {
            return fail(F, "name.chars", "姓名不能包含数字或符号", "A name cannot contain digits or symbols");
        }
        Ok(name.to_owned())
    }

    fn check_resident_id(&self, today: NaiveDate) -> Checked<ResidentId> {
        ResidentId::parse_as_of(&self.resident_id, today)
            .map_err(|e| e.to_field_error("resident_id"))
    }

    fn check_branch_id(&self) -> Checked<String> {
        match optional(&self.branch_id) {
            Some(id) => Ok(id.to_owned()),
            None => fail("branch_id", "branch.required", "请选择分公司", "Choose a branch"),
        }
    }

    fn check_department(&self) -> Checked<Option<String>> {
        match optional(&self.department) {
            Some(d) if d.chars().count() > MAX_DEPARTMENT_CHARS => fail(
                "department",
                "department.length",
                format!("部门名称不能超过{MAX_DEPARTMENT_CHARS}个字符"),
                format!("A department name has at most {MAX_DEPARTMENT_CHARS} characters"),
            ),
            d => Ok(d.map(str::to_owned)),
        }
    }

    fn check_phone(&self) -> Checked<Option<String>> {
        parse_phone(&self.phone)
    }

    fn check_email(&self) -> Checked<Option<String>> {
        parse_email(&self.email)
    }

    fn check_hire_date(&self, today: NaiveDate) -> Checked<NaiveDate> {
        const F: &str = "hire_date";
        let Some(raw) = optional(&self.hire_date) else {
            return fail(F, "hire_date.required", "请输入入职日期", "Enter the hire date");
        };
        let Some(date) = parse_iso_date(raw) else {
            return fail(F, "hire_date.invalid", "入职日期无效，格式应为YYYY-MM-DD", "The hire date is not valid; write YYYY-MM-DD");
        };
        if today
            .checked_add_days(Days::new(MAX_DAYS_AHEAD))
            .is_some_and(|limit| date > limit)
        {
            return fail(
                F,
                "hire_date.future",
                format!("入职日期不能晚于{MAX_DAYS_AHEAD}天后"),
                format!("The hire date can be at most {MAX_DAYS_AHEAD} days ahead"),
            );
        }
        // Only checkable once the ID is valid; otherwise the ID field shows the problem.
        if let Ok(id) = ResidentId::parse_as_of(&self.resident_id, today) {
            let sixteen = id
                .birth_date()
                .checked_add_months(Months::new(MIN_WORKING_AGE_MONTHS));
            if sixteen.is_some_and(|d| date < d) {
                return fail(F, "hire_date.too_young", "入职时未满16周岁", "The employee is under 16 at the hire date");
            }
        }
        Ok(date)
    }

    fn check_salary(&self) -> Checked<Decimal> {
        const F: &str = "salary";
        if self.salary.trim().is_empty() {
            return fail(F, "salary.required", "请输入月工资", "Enter the monthly salary");
        }
        let salary = parse_amount(&self.salary).map_err(|e| match e {
            AmountError::Invalid => FieldError::new(F, "salary.invalid", "工资格式不正确", "The salary is not a number"),
            AmountError::Negative => FieldError::new(F, "salary.not_positive", "工资必须大于0", "The salary must be more than 0"),
            AmountError::Precision => FieldError::new(F, "salary.precision", "工资最多两位小数", "At most two decimal places"),
        })?;
        if salary <= Decimal::ZERO {
            return fail(F, "salary.not_positive", "工资必须大于0", "The salary must be more than 0");
        }
        if salary > Decimal::from(1_000_000) {
            return fail(F, "salary.too_large", "工资不能超过¥1,000,000.00", "The salary cannot exceed ¥1,000,000.00");
        }
        Ok(salary)
    }

    fn check_hukou(&self) -> Checked<Hukou> {
        match optional(&self.hukou) {
            None => Ok(Hukou::default()),
            Some(code) => Hukou::from_code(code).map_or_else(
                || fail("hukou", "hukou.invalid", "请选择本地户籍或非本地户籍", "Choose local or non-local hukou"),
                Ok,
            ),
        }
    }
}

impl Hukou {
    pub const ALL: [Hukou; 2] = [Hukou::Local, Hukou::NonLocal];

    /// Stable identifier, identical to the serde form and the stored value.
    pub fn code(self) -> &'static str {
        match self {
            Hukou::Local => "local",
            Hukou::NonLocal => "non_local",
        }
    }

    pub fn from_code(code: &str) -> Option<Hukou> {
        Hukou::ALL.into_iter().find(|h| h.code() == code)
    }

    /// Where the employee's household is registered, relative to the city of the branch.
    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Hukou::Local => ("本地户籍", "Local hukou"),
            Hukou::NonLocal => ("非本地户籍", "Non-local hukou"),
        };
        lang.pick(zh, en)
    }

    pub fn label_zh(self) -> &'static str {
        self.label(Lang::Zh)
    }
}

/// Strict "YYYY-MM-DD" (chrono alone would also accept "2024-7-1").
fn parse_iso_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shape_ok = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    // By hand rather than chrono's format parser, which would add its whole strftime
    // machinery to the browser's download.
    let number = |range: std::ops::Range<usize>| s[range].parse::<u32>().ok();
    shape_ok
        .then(|| NaiveDate::from_ymd_opt(number(0..4)? as i32, number(5..7)?, number(8..10)?))
        .flatten()
}

/// An employee's status ("active" or "left") as lists and files name it.
pub fn status_label(status: &str, lang: Lang) -> &'static str {
    if status == "active" { lang.pick("在职", "Active") } else { lang.pick("已离职", "Left") }
}

/// A mainland mobile number, or none when left empty; spaces and dashes people type for
/// grouping are dropped.
pub fn parse_phone(raw: &str) -> Checked<Option<String>> {
    let Some(raw) = optional(raw) else {
        return Ok(None);
    };
    let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let b = digits.as_bytes();
    let valid = b.len() == 11 && b.iter().all(u8::is_ascii_digit) && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]);
    if valid {
        Ok(Some(digits))
    } else {
        fail("phone", "phone.invalid", "请输入11位手机号", "Enter an 11-digit mobile number")
    }
}

/// An email address by its shape only (something@domain.tld), or none when left empty;
/// real validity is proven by sending mail.
pub fn parse_email(raw: &str) -> Checked<Option<String>> {
    let Some(email) = optional(raw) else {
        return Ok(None);
    };
    if is_plausible_email(email) {
        Ok(Some(email.to_owned()))
    } else {
        fail("email", "email.invalid", "邮箱格式不正确", "The email address is not valid")
    }
}

fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let bad_char = |c: char| c.is_whitespace() || c.is_control() || c == '@';
    let labels_ok = domain.split('.').count() >= 2 && domain.split('.').all(|l| !l.is_empty());
    email.len() <= 254
        && !local.is_empty()
        && local.len() <= 64
        && !email.chars().filter(|&c| c != '@').any(bad_char)
        && !domain.contains('@')
        && labels_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::test_date;

    fn today() -> NaiveDate {
        test_date(2025, 6, 30)
    }

    fn valid_form() -> EmployeeForm {
        EmployeeForm {
            name: " 张三 ".into(),
            resident_id: "11010519491231002X".into(),
            branch_id: "bj-01".into(),
            department: "".into(),
            phone: "138 0013 8000".into(),
            email: "zhang.san@example.com".into(),
            hire_date: "2025-07-01".into(),
            salary: "¥12,345.60".into(),
            hukou: "".into(),
        }
    }

    fn codes(form: &EmployeeForm) -> Vec<(String, String)> {
        match form.validate_as_of(today()) {
            Ok(_) => vec![],
            Err(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
        }
    }

    fn code_for(form: &EmployeeForm, field: &str) -> Option<String> {
        form.validate_field_as_of(field, today()).map(|e| e.code)
    }

    #[test]
    fn valid_form_is_normalized() {
        let valid = valid_form().validate_as_of(today()).unwrap();
        assert_eq!(valid.name, "张三");
        assert_eq!(valid.resident_id.as_str(), "11010519491231002X");
        assert_eq!(valid.department, None);
        assert_eq!(valid.phone.as_deref(), Some("13800138000"));
        assert_eq!(valid.email.as_deref(), Some("zhang.san@example.com"));
        assert_eq!(valid.hire_date, test_date(2025, 7, 1));
        assert_eq!(valid.salary.to_string(), "12345.60");
        assert_eq!(valid.hukou, Hukou::Local);
        assert!(valid_form().validate().is_ok());
    }

    #[test]
    fn hukou_defaults_to_local_and_takes_codes_only() {
        let with = |h: &str| EmployeeForm {
            hukou: h.into(),
            ..valid_form()
        };
        assert_eq!(with("  ").validate_as_of(today()).unwrap().hukou, Hukou::Local);
        assert_eq!(with("local").validate_as_of(today()).unwrap().hukou, Hukou::Local);
        assert_eq!(with(" non_local ").validate_as_of(today()).unwrap().hukou, Hukou::NonLocal);
        for bad in ["深户", "nonlocal", "Local"] {
            assert_eq!(code_for(&with(bad), "hukou").as_deref(), Some("hukou.invalid"), "{bad}");
        }
        for h in Hukou::ALL {
            assert_eq!(Hukou::from_code(h.code()), Some(h));
            assert_eq!(serde_json::to_string(&h).unwrap(), format!("\"{}\"", h.code()));
        }
        assert_eq!(Hukou::NonLocal.label(Lang::Zh), "非本地户籍");
        assert_eq!(Hukou::Local.label_zh(), "本地户籍");
        assert_eq!(Hukou::NonLocal.label(Lang::En), "Non-local hukou");
        // A form from an older client, without the field, is a local employee.
        let old: EmployeeForm = serde_json::from_str(r#"{"name":"张三"}"#).unwrap();
        assert_eq!(old.hukou, "");
    }

    #[test]
    fn empty_form_reports_required_fields_in_order() {
        let got = codes(&EmployeeForm::default());
        let expected = [
            ("name", "name.required"),
            ("resident_id", "id.empty"),
            ("branch_id", "branch.required"),
            ("hire_date", "hire_date.required"),
            ("salary", "salary.required"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(f, c)| (f.to_string(), c.to_string()))
            .collect();
        assert_eq!(got, expected);
        for (field, _) in &got {
            assert!(FIELDS.contains(&field.as_str()));
        }
    }

    #[test]
    fn name_rules() {
        let with = |name: &str| EmployeeForm {
            name: name.into(),
            ..valid_form()
        };
        assert_eq!(
            code_for(&with("张"), "name").as_deref(),
            Some("name.length")
        );
        assert_eq!(
            code_for(&with(&"王".repeat(31)), "name").as_deref(),
            Some("name.length")
        );
        assert_eq!(
            code_for(&with("张3"), "name").as_deref(),
            Some("name.chars")
        );
        assert_eq!(
            code_for(&with("张@三"), "name").as_deref(),
            Some("name.chars")
        );
        assert_eq!(code_for(&with("··"), "name").as_deref(), Some("name.chars"));
        for ok in ["阿依古丽·买买提", "John D. Smith", "李 四"] {
            assert_eq!(code_for(&with(ok), "name"), None, "{ok}");
        }
    }

    #[test]
    fn id_errors_use_id_codes() {
        let form = EmployeeForm {
            resident_id: "110105194912310021".into(),
            ..valid_form()
        };
        let error = form.validate_field_as_of("resident_id", today()).unwrap();
        assert_eq!(
            (error.field.as_str(), error.code.as_str()),
            ("resident_id", "id.checksum")
        );
        assert_eq!(error.message, "校验位不正确，请核对身份证号");
    }

    #[test]
    fn the_id_is_kept_normalized_and_a_15_digit_one_gets_its_18_digit_form() {
        let form = EmployeeForm {
            resident_id: "１１０１０５　１９４９１２３１　００２ｘ".into(),
            ..valid_form()
        };
        let valid = form.validate_as_of(today()).unwrap();
        assert_eq!(valid.resident_id.as_str(), "11010519491231002X");
        assert_eq!(valid.resident_id.kind(), crate::IdKind::Mainland);

        let form = EmployeeForm {
            resident_id: "110105491231002".into(),
            ..valid_form()
        };
        let error = form.validate_field_as_of("resident_id", today()).unwrap();
        assert_eq!(error.code, "id.first_generation");
        assert_eq!(error.suggestion.as_deref(), Some("11010519491231002X"));
        assert!(error.message.ends_with("11010519491231002X"), "{}", error.message);
        assert!(error.message_en.ends_with("11010519491231002X"), "{}", error.message_en);
        // No second error on the hire date while the ID is wrong.
        assert_eq!(code_for(&form, "hire_date"), None);
    }

    #[test]
    fn optional_fields() {
        let form = EmployeeForm {
            department: "研".repeat(51),
            ..valid_form()
        };
        assert_eq!(
            code_for(&form, "department").as_deref(),
            Some("department.length")
        );
        for bad in ["1380013800", "12800138000", "1380013800a", "+8613800138000"] {
            let form = EmployeeForm {
                phone: bad.into(),
                ..valid_form()
            };
            assert_eq!(
                code_for(&form, "phone").as_deref(),
                Some("phone.invalid"),
                "{bad}"
            );
        }
        for bad in [
            "a@b",
            "@example.com",
            "a b@example.com",
            "a@@example.com",
            "a@example..com",
            "a@.com",
        ] {
            let form = EmployeeForm {
                email: bad.into(),
                ..valid_form()
            };
            assert_eq!(
                code_for(&form, "email").as_deref(),
                Some("email.invalid"),
                "{bad}"
            );
        }
        let blank = EmployeeForm {
            phone: "  ".into(),
            email: "".into(),
            ..valid_form()
        };
        assert!(blank.validate_as_of(today()).is_ok());
    }

    #[test]
    fn hire_date_rules() {
        let with = |d: &str| EmployeeForm {
            hire_date: d.into(),
            ..valid_form()
        };
        assert_eq!(
            code_for(&with("2025-7-1"), "hire_date").as_deref(),
            Some("hire_date.invalid")
        );
        assert_eq!(
            code_for(&with("2025-02-30"), "hire_date").as_deref(),
            Some("hire_date.invalid")
        );
        assert_eq!(code_for(&with("2025-09-28"), "hire_date"), None); // today + 90
        assert_eq!(
            code_for(&with("2025-09-29"), "hire_date").as_deref(),
            Some("hire_date.future")
        );

        // Born 2009-07-01 (female): 16 on 2025-07-01.
        let first17 = "11010520090701002";
        let id = format!("{first17}{}", ResidentId::check_char(first17).unwrap());
        let young = |d: &str| EmployeeForm {
            resident_id: id.clone(),
            hire_date: d.into(),
            ..valid_form()
        };
        assert_eq!(
            code_for(&young("2025-06-30"), "hire_date").as_deref(),
            Some("hire_date.too_young")
        );
        assert_eq!(code_for(&young("2025-07-01"), "hire_date"), None);

        // An invalid ID does not add a second, confusing error on the hire date.
        let form = EmployeeForm {
            resident_id: "bad".into(),
            hire_date: "1990-01-01".into(),
            ..valid_form()
        };
        assert_eq!(code_for(&form, "hire_date"), None);
    }

    #[test]
    fn salary_rules() {
        let with = |s: &str| EmployeeForm {
            salary: s.into(),
            ..valid_form()
        };
        for (input, code) in [
            ("abc", "salary.invalid"),
            ("-100", "salary.not_positive"),
            ("0", "salary.not_positive"),
            ("100.123", "salary.precision"),
            ("1000000.01", "salary.too_large"),
        ] {
            assert_eq!(
                code_for(&with(input), "salary").as_deref(),
                Some(code),
                "{input}"
            );
        }
        assert_eq!(code_for(&with("1,000,000"), "salary"), None);
    }

    #[test]
    fn unknown_field_has_no_error() {
        assert_eq!(
            EmployeeForm::default().validate_field_as_of("nickname", today()),
            None
        );
    }

    #[test]
    fn all_errors_in_field_order() {
        let form = EmployeeForm {
            name: "1".into(),
            resident_id: "123".into(),
            branch_id: "".into(),
            department: "x".repeat(60),
            phone: "123".into(),
            email: "nope".into(),
            hire_date: "tomorrow".into(),
            salary: "lots".into(),
            hukou: "elsewhere".into(),
        };
        let fields: Vec<String> = codes(&form).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, FIELDS);
        // Each in English too, with no Chinese left in it.
        let chinese = |t: &str| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        let mut forms = vec![form, EmployeeForm::default()];
        forms.push(EmployeeForm { name: "王".into(), salary: "1.234".into(), hire_date: "2999-01-01".into(), ..EmployeeForm::default() });
        for f in forms {
            for e in f.validate().unwrap_err() {
                assert!(!e.message_en.is_empty() && !chinese(&e.message_en), "{e:?}");
            }
        }
    }
}
