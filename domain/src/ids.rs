//! Identity numbers: the 18-digit resident ID (GB 11643-1999) and the employer's Unified
//! Social Credit Code (GB 32100-2015). Both can only be obtained through `parse`, so holding
//! one proves it passed every check.

use std::fmt;
use std::str::FromStr;

use chrono::{FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::lang::Lang;
use crate::validation::FieldError;

/// Today's date in China (UTC+8, no daylight saving). Rules like "birth date not in the
/// future" must agree between a browser in any time zone and a worker running in UTC.
pub fn today_in_china() -> NaiveDate {
    let china = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    Utc::now().with_timezone(&china).date_naive()
}

/// A rejected resident ID or credit code. `code()` is stable; `Display` is the Chinese message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{}", self.message_zh())]
pub enum IdError {
    Empty,
    Length,
    Chars,
    Region,
    BirthDate,
    FutureBirth,
    TooOld,
    Checksum,
    CreditEmpty,
    CreditLength,
    CreditChars,
    CreditChecksum,
}

impl IdError {
    pub fn code(&self) -> &'static str {
        match self {
            IdError::Empty => "id.empty",
            IdError::Length => "id.length",
            IdError::Chars => "id.chars",
            IdError::Region => "id.region",
            IdError::BirthDate => "id.birth_date",
            IdError::FutureBirth => "id.birth_future",
            IdError::TooOld => "id.birth_too_old",
            IdError::Checksum => "id.checksum",
            IdError::CreditEmpty => "credit_code.empty",
            IdError::CreditLength => "credit_code.length",
            IdError::CreditChars => "credit_code.chars",
            IdError::CreditChecksum => "credit_code.checksum",
        }
    }

    pub fn message(&self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            IdError::Empty => ("请输入身份证号", "Enter the resident ID number"),
            IdError::Length => ("身份证号应为18位", "A resident ID number has 18 characters"),
            IdError::Chars => (
                "前17位须为数字，最后一位为数字或X",
                "The first 17 characters must be digits, the last a digit or X",
            ),
            IdError::Region => ("地区码无效", "The region code is not valid"),
            IdError::BirthDate => ("出生日期无效", "The birth date is not valid"),
            IdError::FutureBirth => ("出生日期不能晚于今天", "The birth date cannot be after today"),
            IdError::TooOld => ("出生日期不能早于1900年", "The birth date cannot be before 1900"),
            IdError::Checksum => (
                "校验位不正确，请核对身份证号",
                "The check digit is wrong; please check the number",
            ),
            IdError::CreditEmpty => ("请输入统一社会信用代码", "Enter the unified social credit code"),
            IdError::CreditLength => ("统一社会信用代码应为18位", "A unified social credit code has 18 characters"),
            IdError::CreditChars => (
                "统一社会信用代码只能包含数字和大写字母（不含I、O、S、V、Z）",
                "A unified social credit code has only digits and capital letters (no I, O, S, V, Z)",
            ),
            IdError::CreditChecksum => (
                "统一社会信用代码校验位不正确，请核对",
                "The credit code's check character is wrong; please check it",
            ),
        };
        lang.pick(zh, en)
    }

    pub fn message_zh(&self) -> &'static str {
        self.message(Lang::Zh)
    }

    pub fn to_field_error(&self, field: &str) -> FieldError {
        FieldError::new(field, self.code(), self.message(Lang::Zh), self.message(Lang::En))
    }
}

/// Deserialize through `parse`, so stored or received data gets the same checks as a form.
fn deserialize_parsed<'de, D, T>(
    deserializer: D,
    parse: impl FnOnce(&str) -> Result<T, IdError>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let raw = String::deserialize(deserializer)?;
    parse(&raw).map_err(|e| serde::de::Error::custom(format!("{}: {}", e.code(), e)))
}

// ---------------------------------------------------------------------------------------
// Resident ID (GB 11643-1999)
// ---------------------------------------------------------------------------------------

/// Province-level codes of GB/T 2260 (the first two digits of a region code).
const PROVINCES: [u8; 34] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
];
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS: &[u8; 11] = b"10X98765432";

fn earliest_birth() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).expect("valid date")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn label_zh(&self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }
}

/// A valid 18-character resident ID, normalized (trimmed, check letter upper case).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResidentId {
    value: String,
    birth: NaiveDate,
}

impl ResidentId {
    /// Parses against today's date in China.
    pub fn parse(s: &str) -> Result<ResidentId, IdError> {
        Self::parse_as_of(s, today_in_china())
    }

    /// Parses with an explicit "today", so tests and back-dated checks are deterministic.
    pub fn parse_as_of(s: &str, today: NaiveDate) -> Result<ResidentId, IdError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(IdError::Empty);
        }
        if s.chars().count() != 18 {
            return Err(IdError::Length);
        }
        // 18 chars but more than 18 bytes means a non-ASCII character (e.g. full-width digit).
        let bytes = s.as_bytes();
        if bytes.len() != 18 {
            return Err(IdError::Chars);
        }
        let (body, last) = (&bytes[..17], bytes[17].to_ascii_uppercase());
        if !body.iter().all(u8::is_ascii_digit) || !(last.is_ascii_digit() || last == b'X') {
            return Err(IdError::Chars);
        }
        let digits = |range: std::ops::Range<usize>| -> u32 {
            body[range]
                .iter()
                .fold(0, |acc, b| acc * 10 + u32::from(b - b'0'))
        };
        if !PROVINCES.contains(&(digits(0..2) as u8)) {
            return Err(IdError::Region);
        }
        let birth = NaiveDate::from_ymd_opt(digits(6..10) as i32, digits(10..12), digits(12..14))
            .ok_or(IdError::BirthDate)?;
        if birth < earliest_birth() {
            return Err(IdError::TooOld);
        }
        if birth > today {
            return Err(IdError::FutureBirth);
        }
        if check_char_of(body) != last {
            return Err(IdError::Checksum);
        }
        let mut value = s.to_owned();
        value.make_ascii_uppercase();
        Ok(ResidentId { value, birth })
    }

    /// The check character for 17 leading digits, or `None` if they are not 17 ASCII digits.
    /// Used by seeding tools to generate realistic test IDs.
    pub fn check_char(first17: &str) -> Option<char> {
        let body = first17.as_bytes();
        (body.len() == 17 && body.iter().all(u8::is_ascii_digit))
            .then(|| char::from(check_char_of(body)))
    }

    pub fn as_str(&self) -> &str {
        &self.value
    }

    pub fn birth_date(&self) -> NaiveDate {
        self.birth
    }

    /// The sequence number's last digit (17th character) is odd for men, even for women.
    pub fn gender(&self) -> Gender {
        if (self.value.as_bytes()[16] - b'0') % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        }
    }

    /// The first 4 characters (province and city) and the last 4 (sequence and check
    /// character) stay visible so people can still tell IDs apart. The district and the
    /// birth date stay hidden: with the district shown and an age beside it, the remaining
    /// candidates (two years of birth dates, filtered by the check character) are few enough
    /// to try.
    pub fn masked(&self) -> String {
        format!("{}**********{}", &self.value[..4], &self.value[14..])
    }

    /// The 6-digit GB/T 2260 region code.
    pub fn region_code(&self) -> &str {
        &self.value[..6]
    }

    /// Age in whole years on `date`.
    pub fn age_on(&self, date: NaiveDate) -> u32 {
        date.years_since(self.birth).unwrap_or(0)
    }
}

/// Caller guarantees 17 ASCII digits.
fn check_char_of(body: &[u8]) -> u8 {
    let sum: u32 = body
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    ID_CHECK_CHARS[(sum % 11) as usize]
}

impl fmt::Display for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl FromStr for ResidentId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for ResidentId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.value)
    }
}

impl<'de> Deserialize<'de> for ResidentId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_parsed(deserializer, ResidentId::parse)
    }
}

// ---------------------------------------------------------------------------------------
// Unified Social Credit Code (GB 32100-2015)
// ---------------------------------------------------------------------------------------

/// The 31 symbols in value order; I, O, S, V, Z are left out to avoid look-alikes.
const CREDIT_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

fn credit_value(c: u8) -> Option<u32> {
    CREDIT_ALPHABET
        .iter()
        .position(|&a| a == c)
        .map(|p| p as u32)
}

/// A valid 18-character Unified Social Credit Code, upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CreditCode {
    value: String,
}

impl CreditCode {
    /// Checks length, alphabet and check character. The inner structure (registration
    /// authority, organisation type, region) is not checked: the bureau owns that list.
    pub fn parse(s: &str) -> Result<CreditCode, IdError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(IdError::CreditEmpty);
        }
        if s.chars().count() != 18 {
            return Err(IdError::CreditLength);
        }
        let value = s.to_ascii_uppercase();
        if !value.bytes().all(|b| credit_value(b).is_some()) || value.len() != 18 {
            return Err(IdError::CreditChars);
        }
        let expected = Self::check_char(&value[..17]).ok_or(IdError::CreditChars)?;
        if char::from(value.as_bytes()[17]) != expected {
            return Err(IdError::CreditChecksum);
        }
        Ok(CreditCode { value })
    }

    /// The check character for 17 leading symbols, or `None` if they are not 17 symbols of
    /// the code's alphabet (upper case).
    pub fn check_char(first17: &str) -> Option<char> {
        let body = first17.as_bytes();
        if body.len() != 17 {
            return None;
        }
        let mut sum = 0;
        for (&b, w) in body.iter().zip(CREDIT_WEIGHTS) {
            sum += credit_value(b)? * w;
        }
        let check = (31 - sum % 31) % 31;
        Some(char::from(CREDIT_ALPHABET[check as usize]))
    }

    pub fn as_str(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl FromStr for CreditCode {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for CreditCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.value)
    }
}

impl<'de> Deserialize<'de> for CreditCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_parsed(deserializer, CreditCode::parse)
    }
}

/// Used by tests in other modules too.
#[cfg(test)]
pub(crate) fn test_date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;
    use proptest::prelude::*;

    const EXAMPLE: &str = "11010519491231002X";

    fn today() -> NaiveDate {
        test_date(2025, 6, 30)
    }

    fn parse(s: &str) -> Result<ResidentId, IdError> {
        ResidentId::parse_as_of(s, today())
    }

    #[test]
    fn standard_example_is_valid() {
        let id = parse(EXAMPLE).unwrap();
        assert_eq!(id.as_str(), EXAMPLE);
        assert_eq!(id.to_string(), EXAMPLE);
        assert_eq!(id.birth_date(), test_date(1949, 12, 31));
        assert_eq!(id.gender(), Gender::Female);
        assert_eq!(id.gender().label_zh(), "女");
        assert_eq!(id.region_code(), "110105");
        assert_eq!(id.masked(), "1101**********002X");
        assert_eq!(id.age_on(test_date(2025, 6, 30)), 75);
    }

    #[test]
    fn lowercase_x_and_whitespace_are_normalized() {
        let id = parse("  11010519491231002x\t").unwrap();
        assert_eq!(id.as_str(), EXAMPLE);
    }

    #[test]
    fn rejections_have_the_right_error() {
        let cases = [
            ("", IdError::Empty),
            ("   ", IdError::Empty),
            ("11010519491231002", IdError::Length),
            ("11010519491231002X1", IdError::Length),
            ("11010519491231002Y", IdError::Chars),
            ("1101051949123100X2", IdError::Chars),
            ("１1010519491231002X", IdError::Chars), // full-width digit
            ("110105194912310021", IdError::Checksum),
            ("110105194902300021", IdError::BirthDate),
            ("990105194912310021", IdError::Region),
            ("000105194912310021", IdError::Region),
            ("110105189912310021", IdError::TooOld),
            ("110105203001010021", IdError::FutureBirth),
        ];
        for (input, expected) in cases {
            assert_eq!(parse(input), Err(expected), "{input:?}");
        }
    }

    #[test]
    fn birth_on_today_is_allowed_but_not_tomorrow() {
        let first17 = "11010520250630001";
        let id = format!("{first17}{}", ResidentId::check_char(first17).unwrap());
        assert!(parse(&id).is_ok());
        let yesterday = test_date(2025, 6, 29);
        assert_eq!(
            ResidentId::parse_as_of(&id, yesterday),
            Err(IdError::FutureBirth)
        );
    }

    #[test]
    fn male_gender_from_odd_sequence() {
        let first17 = "44030419900101001";
        let id = format!("{first17}{}", ResidentId::check_char(first17).unwrap());
        assert_eq!(parse(&id).unwrap().gender(), Gender::Male);
    }

    #[test]
    fn check_char_needs_17_digits() {
        assert_eq!(ResidentId::check_char("11010519491231002"), Some('X'));
        assert_eq!(ResidentId::check_char("1101051949123100"), None);
        assert_eq!(ResidentId::check_char("1101051949123100A"), None);
    }

    #[test]
    fn errors_have_codes_and_chinese_messages() {
        let e = IdError::Checksum;
        assert_eq!(e.code(), "id.checksum");
        assert_eq!(e.to_string(), "校验位不正确，请核对身份证号");
        let fe = e.to_field_error("resident_id");
        assert_eq!(fe.field, "resident_id");
        assert_eq!(fe.code, "id.checksum");
    }

    #[test]
    fn resident_id_serde_rejects_invalid() {
        let json = serde_json::to_string(&parse(EXAMPLE).unwrap()).unwrap();
        assert_eq!(json, format!("\"{EXAMPLE}\""));
        let err = serde_json::from_str::<ResidentId>("\"110105194912310021\"").unwrap_err();
        assert!(err.to_string().contains("id.checksum"));
    }

    #[test]
    fn gender_serde_is_lowercase() {
        assert_eq!(serde_json::to_string(&Gender::Male).unwrap(), "\"male\"");
    }

    #[test]
    fn known_credit_code_is_valid() {
        let code = CreditCode::parse("91350100M000100Y43").unwrap();
        assert_eq!(code.as_str(), "91350100M000100Y43");
        assert_eq!(CreditCode::check_char("91350100M000100Y4"), Some('3'));
        // Lower case and surrounding spaces are tolerated.
        assert_eq!(CreditCode::parse(" 91350100m000100y43 ").unwrap(), code);
    }

    #[test]
    fn credit_code_rejections() {
        let cases = [
            ("", IdError::CreditEmpty),
            ("91350100M000100Y4", IdError::CreditLength),
            ("91350100M000100Y43A", IdError::CreditLength),
            ("91350100O000100Y43", IdError::CreditChars),
            ("91350100M000100Y4-", IdError::CreditChars),
            ("91350100M000100Y44", IdError::CreditChecksum),
        ];
        for (input, expected) in cases {
            assert_eq!(CreditCode::parse(input), Err(expected), "{input:?}");
        }
        assert_eq!(IdError::CreditChecksum.code(), "credit_code.checksum");
    }

    #[test]
    fn check_value_31_maps_to_zero() {
        // Find a body whose weighted sum is a multiple of 31 by adjusting the first symbol.
        let rest = "1350100M000100Y4";
        let body = (0..31)
            .map(|v| format!("{}{rest}", char::from(CREDIT_ALPHABET[v])))
            .find(|b| CreditCode::check_char(b) == Some('0'))
            .expect("some first symbol gives check 0");
        assert!(CreditCode::parse(&format!("{body}0")).is_ok());
    }

    // --- properties -----------------------------------------------------------------

    fn valid_id() -> impl Strategy<Value = String> {
        let days = (today() - earliest_birth()).num_days();
        (
            proptest::sample::select(PROVINCES.to_vec()),
            0u32..10_000,
            0..=days,
            0u32..1000,
        )
            .prop_map(|(province, area, day, seq)| {
                let birth = earliest_birth() + chrono::Duration::days(day);
                let first17 = format!(
                    "{province:02}{area:04}{:04}{:02}{:02}{seq:03}",
                    birth.year(),
                    birth.month(),
                    birth.day()
                );
                let check = ResidentId::check_char(&first17).unwrap();
                format!("{first17}{check}")
            })
    }

    fn valid_credit_code() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(CREDIT_ALPHABET.to_vec()), 17).prop_map(
            |body| {
                let body = String::from_utf8(body).unwrap();
                let check = CreditCode::check_char(&body).unwrap();
                format!("{body}{check}")
            },
        )
    }

    /// Replaces the character at `pos` with the `pick`-th *other* symbol of `alphabet`.
    fn substitute(s: &str, pos: usize, alphabet: &[u8], pick: usize) -> String {
        let mut bytes = s.as_bytes().to_vec();
        let others: Vec<u8> = alphabet
            .iter()
            .copied()
            .filter(|&c| c != bytes[pos])
            .collect();
        bytes[pos] = others[pick % others.len()];
        String::from_utf8(bytes).unwrap()
    }

    proptest! {
        #[test]
        fn generated_ids_parse(id in valid_id()) {
            let parsed = parse(&id).unwrap();
            prop_assert_eq!(parsed.as_str(), id.as_str());
        }

        #[test]
        fn the_mask_shows_at_most_4_and_4_and_never_the_birth_date(id in valid_id()) {
            let masked = ResidentId::parse(&id).unwrap().masked();
            prop_assert_eq!(masked.len(), 18);
            let shown: Vec<usize> = masked.bytes().enumerate().filter(|(_, b)| *b != b'*').map(|(i, _)| i).collect();
            prop_assert!(shown.len() <= 8, "{} shows {} characters", masked, shown.len());
            prop_assert!(shown.iter().all(|&i| i < 4 || i >= 14), "{} shows the district or birth date", masked);
            for i in shown {
                prop_assert_eq!(masked.as_bytes()[i], id.as_bytes()[i]);
            }
        }

        #[test]
        fn single_substitution_is_rejected(id in valid_id(), pos in 0usize..18, pick in 0usize..11) {
            let changed = substitute(&id, pos, b"0123456789X", pick);
            prop_assert!(parse(&changed).is_err(), "{} accepted", changed);
        }

        #[test]
        fn resident_id_json_round_trip(id in valid_id()) {
            let parsed = ResidentId::parse(&id).unwrap();
            let json = serde_json::to_string(&parsed).unwrap();
            prop_assert_eq!(serde_json::from_str::<ResidentId>(&json).unwrap(), parsed);
        }

        #[test]
        fn generated_credit_codes_parse(code in valid_credit_code()) {
            let parsed = CreditCode::parse(&code).unwrap();
            prop_assert_eq!(parsed.as_str(), code.as_str());
        }

        #[test]
        fn credit_code_substitution_is_rejected(code in valid_credit_code(), pos in 0usize..18, pick in 0usize..31) {
            let changed = substitute(&code, pos, CREDIT_ALPHABET, pick);
            prop_assert_eq!(CreditCode::parse(&changed), Err(IdError::CreditChecksum));
        }

        #[test]
        fn credit_code_json_round_trip(code in valid_credit_code()) {
            let parsed = CreditCode::parse(&code).unwrap();
            let json = serde_json::to_string(&parsed).unwrap();
            prop_assert_eq!(serde_json::from_str::<CreditCode>(&json).unwrap(), parsed);
        }
    }
}
