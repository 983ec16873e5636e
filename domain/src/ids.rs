//! Identity numbers: the 18-character ID numbers a person can be enrolled with (the mainland
//! resident ID of GB 11643-1999, the residence permits of Hong Kong, Macao and Taiwan
//! residents, the 2023 foreign permanent resident ID) and the employer's Unified Social
//! Credit Code (GB 32100-2015). Both can only be obtained through `parse`, so holding one
//! proves it passed every check.

use std::borrow::Cow;
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

/// A rejected ID number or credit code. `code()` is stable; `Display` is the Chinese message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{}", self.message_zh())]
pub enum IdError {
    Empty,
    Length,
    Chars,
    Region,
    /// Starts with 81, 82 or 83 but not with 810000, 820000 or 830000.
    PermitRegion,
    /// A foreign permanent resident ID with nationality code 000.
    Nationality,
    BirthDate,
    FutureBirth,
    TooOld,
    Checksum,
    /// A first-generation (15-digit) resident ID, with the 18-digit number it converts to.
    FirstGeneration(EighteenDigits),
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
            IdError::PermitRegion => "id.permit_region",
            IdError::Nationality => "id.nationality",
            IdError::BirthDate => "id.birth_date",
            IdError::FutureBirth => "id.birth_future",
            IdError::TooOld => "id.birth_too_old",
            IdError::Checksum => "id.checksum",
            IdError::FirstGeneration(_) => "id.first_generation",
            IdError::CreditEmpty => "credit_code.empty",
            IdError::CreditLength => "credit_code.length",
            IdError::CreditChars => "credit_code.chars",
            IdError::CreditChecksum => "credit_code.checksum",
        }
    }

    pub fn message(&self, lang: Lang) -> Cow<'static, str> {
        let (zh, en) = match self {
            IdError::Empty => ("请输入身份证号", "Enter the resident ID number"),
            IdError::Length => ("身份证号应为18位", "A resident ID number has 18 characters"),
            IdError::Chars => (
                "前17位须为数字，最后一位为数字或X",
                "The first 17 characters must be digits, the last a digit or X",
            ),
            IdError::Region => ("地区码无效", "The region code is not valid"),
            IdError::PermitRegion => (
                "港澳台居民居住证号码前6位应为810000（香港）、820000（澳门）或830000（台湾）",
                "A residence permit number of Hong Kong, Macao or Taiwan residents starts with 810000 (Hong Kong), 820000 (Macao) or 830000 (Taiwan)",
            ),
            IdError::Nationality => (
                "外国人永久居留身份证的国籍代码无效",
                "The nationality code of the foreign permanent resident ID is not valid",
            ),
            IdError::BirthDate => ("出生日期无效", "The birth date is not valid"),
            IdError::FutureBirth => ("出生日期不能晚于今天", "The birth date cannot be after today"),
            IdError::TooOld => ("出生日期不能早于1900年", "The birth date cannot be before 1900"),
            IdError::Checksum => (
                "校验位不正确，请核对身份证号",
                "The check digit is wrong; please check the number",
            ),
            IdError::FirstGeneration(eighteen) => {
                return Cow::Owned(match lang {
                    Lang::Zh => format!("15位旧身份证号已停用，请改用18位号码：{eighteen}"),
                    Lang::En => format!(
                        "15-digit ID numbers are no longer in use; use the 18-digit number {eighteen}"
                    ),
                })
            }
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
        Cow::Borrowed(lang.pick(zh, en))
    }

    pub fn message_zh(&self) -> Cow<'static, str> {
        self.message(Lang::Zh)
    }

    /// What the field could hold instead: the 18-digit form of a 15-digit ID.
    pub fn suggestion(&self) -> Option<&str> {
        match self {
            IdError::FirstGeneration(eighteen) => Some(eighteen.as_str()),
            _ => None,
        }
    }

    /// The error under `field`, with the suggestion (if any) for the form to offer.
    pub fn to_field_error(&self, field: &str) -> FieldError {
        let error = FieldError::new(field, self.code(), self.message(Lang::Zh), self.message(Lang::En));
        match self.suggestion() {
            Some(s) => error.with_suggestion(s),
            None => error,
        }
    }
}

/// 18 ASCII characters: a valid ID number carried inside an `IdError`, which stays `Copy`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct EighteenDigits([u8; 18]);

impl EighteenDigits {
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("built from an ASCII ID number")
    }
}

impl fmt::Display for EighteenDigits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for EighteenDigits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
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
// ID numbers of people: GB 11643-1999 and the cards built on it
// ---------------------------------------------------------------------------------------

/// Province-level codes of GB/T 2260 (the first two digits of a region code) on the
/// mainland: where a resident ID is registered and where a foreigner's ID is issued.
const MAINLAND_PROVINCES: [u8; 31] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65,
];
/// 台湾省 in GB/T 2260. Accepted on a resident ID as it always was here; a Taiwan
/// resident's residence permit starts with 830000 instead.
const TAIWAN_PROVINCE: u8 = 71;
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS: &[u8; 11] = b"10X98765432";
/// Characters that are dropped wherever they are: whitespace of any width, and the
/// invisible ones that come along when a number is copied from a document or a chat.
const INVISIBLE: [char; 5] = ['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}'];

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

/// Which card an ID number belongs to. All five have 18 characters: 17 digits and a check
/// character by ISO 7064 MOD 11-2, the 8-digit birth date at positions 7–14 and the gender
/// in the parity of the 17th digit. They differ in the first 6 digits.
///
/// What this relies on:
/// - 居民身份证: GB 11643-1999 — a 6-digit GB/T 2260 region code, the birth date, a 3-digit
///   sequence (odd for men, even for women), the check character.
/// - 港澳居民居住证 and 台湾居民居住证 (《港澳台居民居住证申领发放办法》, 国务院办公厅 2018):
///   the permit carries a 公民身份号码 built as GB 11643, whose address code is 810000 for Hong
///   Kong residents, 820000 for Macao residents and 830000 for Taiwan residents.
/// - 外国人永久居留身份证, issued from 2023-12-01 (国家移民管理局,《新版外国人永久居留身份证
///   机读信息规则》): 18 characters built on GB 11643; the first digit is 9 (a citizen's number
///   starts with 1–8), then the 2-digit province code of the issuing place, the 3-digit
///   numeric nationality code (the letters of the 2017 card turned into digits, ISO 3166-1
///   numeric), the birth date, a 2-digit sequence, one digit whose parity gives the gender,
///   and the same MOD 11-2 check character. The 2017 card (3 letters and 12 digits) is not
///   accepted here. A third-party validator (xiahaimoyu/credentialkit) reads the fields at
///   the same positions. The nationality code is only checked not to be 000: the list of
///   codes belongs to the immigration authority.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    /// 居民身份证.
    #[default]
    Mainland,
    /// 港澳居民居住证 of a Hong Kong resident (810000).
    HongKong,
    /// 港澳居民居住证 of a Macao resident (820000).
    Macau,
    /// 台湾居民居住证 (830000).
    Taiwan,
    /// 外国人永久居留身份证, 2023 version (first digit 9).
    ForeignPermanent,
}

impl IdKind {
    pub const ALL: [IdKind; 5] = [
        IdKind::Mainland,
        IdKind::HongKong,
        IdKind::Macau,
        IdKind::Taiwan,
        IdKind::ForeignPermanent,
    ];

    pub fn code(&self) -> &'static str {
        match self {
            IdKind::Mainland => "mainland",
            IdKind::HongKong => "hong_kong",
            IdKind::Macau => "macau",
            IdKind::Taiwan => "taiwan",
            IdKind::ForeignPermanent => "foreign_permanent",
        }
    }

    pub fn label(&self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            IdKind::Mainland => ("居民身份证", "Resident identity card"),
            IdKind::HongKong => (
                "港澳居民居住证（香港）",
                "Residence permit for Hong Kong and Macao residents (Hong Kong)",
            ),
            IdKind::Macau => (
                "港澳居民居住证（澳门）",
                "Residence permit for Hong Kong and Macao residents (Macao)",
            ),
            IdKind::Taiwan => ("台湾居民居住证", "Residence permit for Taiwan residents"),
            IdKind::ForeignPermanent => ("外国人永久居留身份证", "Foreign permanent resident ID card"),
        };
        lang.pick(zh, en)
    }

    pub fn label_zh(&self) -> &'static str {
        self.label(Lang::Zh)
    }

    /// The kind that 17 ASCII digits belong to, or why they belong to none.
    fn of(body: &[u8]) -> Result<IdKind, IdError> {
        let province = digits(body, 0..2) as u8;
        if body[0] == b'9' {
            let issued_in = digits(body, 1..3) as u8;
            if !MAINLAND_PROVINCES.contains(&issued_in) {
                return Err(IdError::Region);
            }
            if digits(body, 3..6) == 0 {
                return Err(IdError::Nationality);
            }
            return Ok(IdKind::ForeignPermanent);
        }
        match (province, digits(body, 2..6)) {
            (81, 0) => Ok(IdKind::HongKong),
            (82, 0) => Ok(IdKind::Macau),
            (83, 0) => Ok(IdKind::Taiwan),
            (81..=83, _) => Err(IdError::PermitRegion),
            (p, _) if MAINLAND_PROVINCES.contains(&p) || p == TAIWAN_PROVINCE => Ok(IdKind::Mainland),
            _ => Err(IdError::Region),
        }
    }
}

/// The digits at `range` of ASCII digits, as a number.
fn digits(body: &[u8], range: std::ops::Range<usize>) -> u32 {
    body[range]
        .iter()
        .fold(0, |acc, b| acc * 10 + u32::from(b - b'0'))
}

/// An ID number as typed, made plain: full-width digits (０–９) become ASCII digits, x, ｘ
/// and Ｘ become X, and whitespace of any kind (ASCII, the full-width 　, no-break spaces,
/// tabs) and zero-width characters are dropped wherever they are. Anything else is kept, for
/// `parse` to refuse.
pub fn normalize_id(raw: &str) -> String {
    raw.chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(u32::from('0') + (u32::from(c) - u32::from('０'))),
            'x' | 'Ｘ' | 'ｘ' => Some('X'),
            c if c.is_whitespace() || INVISIBLE.contains(&c) => None,
            c => Some(c),
        })
        .collect()
}

/// The masked form of a stored ID number (see `ResidentId::masked`), or `None` when the
/// text is not a valid ID. The one place the server turns a stored number into what
/// anyone may see.
pub fn masked_id(stored: &str) -> Option<String> {
    ResidentId::parse(stored).ok().map(|id| id.masked())
}

/// A valid 18-character ID number of one of the kinds of `IdKind`, normalized
/// (see `normalize_id`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResidentId {
    value: String,
    birth: NaiveDate,
    kind: IdKind,
}

impl ResidentId {
    /// Parses against today's date in China.
    pub fn parse(s: &str) -> Result<ResidentId, IdError> {
        Self::parse_as_of(s, today_in_china())
    }

    /// Parses with an explicit "today", so tests and back-dated checks are deterministic.
    /// A 15-digit first-generation number is refused with the 18-digit number it converts
    /// to (`IdError::FirstGeneration`), when that number is itself valid.
    pub fn parse_as_of(s: &str, today: NaiveDate) -> Result<ResidentId, IdError> {
        let value = normalize_id(s);
        if value.is_empty() {
            return Err(IdError::Empty);
        }
        if value.len() == 15 && value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Self::first_generation(&value, today));
        }
        if value.chars().count() != 18 {
            return Err(IdError::Length);
        }
        // 18 chars but more than 18 bytes means a non-ASCII character.
        let bytes = value.as_bytes();
        if bytes.len() != 18 {
            return Err(IdError::Chars);
        }
        let (body, last) = (&bytes[..17], bytes[17]);
        if !body.iter().all(u8::is_ascii_digit) || !(last.is_ascii_digit() || last == b'X') {
            return Err(IdError::Chars);
        }
        let kind = IdKind::of(body)?;
        let birth = NaiveDate::from_ymd_opt(
            digits(body, 6..10) as i32,
            digits(body, 10..12),
            digits(body, 12..14),
        )
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
        Ok(ResidentId { value, birth, kind })
    }

    /// Why 15 digits are refused: with the 18-digit number if that one is a valid resident
    /// ID (first-generation numbers were only ever mainland ones), else what is wrong with it.
    fn first_generation(fifteen: &str, today: NaiveDate) -> IdError {
        let Some(eighteen) = Self::convert_15(fifteen) else {
            return IdError::Length;
        };
        match Self::parse_as_of(&eighteen, today) {
            Ok(id) if id.kind == IdKind::Mainland => {
                let mut bytes = [0; 18];
                bytes.copy_from_slice(id.value.as_bytes());
                IdError::FirstGeneration(EighteenDigits(bytes))
            }
            Ok(_) => IdError::Region,
            Err(e) => e,
        }
    }

    /// The 18-digit form of a 15-digit first-generation ID (GB 11643-1999, appendix: the
    /// year gets its "19", the check character is appended), or `None` if the input is not
    /// 15 ASCII digits. The result is not checked further.
    pub fn convert_15(fifteen: &str) -> Option<String> {
        let b = fifteen.as_bytes();
        if b.len() != 15 || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let first17 = format!("{}19{}", &fifteen[..6], &fifteen[6..]);
        let check = char::from(check_char_of(first17.as_bytes()));
        Some(format!("{first17}{check}"))
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

    /// Which card the number belongs to.
    pub fn kind(&self) -> IdKind {
        self.kind
    }

    pub fn birth_date(&self) -> NaiveDate {
        self.birth
    }

    /// The 17th digit is odd for men, even for women (on every kind).
    pub fn gender(&self) -> Gender {
        if (self.value.as_bytes()[16] - b'0') % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        }
    }

    /// The first 4 characters (province and city; on a permit the region, on a foreigner's
    /// ID the 9, the issuing province and a digit of the nationality) and the last 4
    /// (sequence and check character) stay visible so people can still tell IDs apart. The
    /// district and the birth date stay hidden: with the district shown and an age beside
    /// it, the remaining candidates (two years of birth dates, filtered by the check
    /// character) are few enough to try.
    pub fn masked(&self) -> String {
        format!("{}**********{}", &self.value[..4], &self.value[14..])
    }

    /// The first 6 digits: the GB/T 2260 region code of a resident ID, 810000, 820000 or
    /// 830000 on a permit, and 9, the issuing province and the nationality on a
    /// foreigner's ID.
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
    fn full_width_digits_and_spaces_anywhere_are_normalized() {
        for typed in [
            "１１０１０５１９４９１２３１００２Ｘ",
            "１１０１０５　１９４９１２３１　００２ｘ",
            " 110105 1949 1231 002X ",
            "110105\u{00A0}19491231\u{3000}002\u{200B}X\n",
            "11010519491231００2x",
        ] {
            let id = parse(typed).unwrap_or_else(|e| panic!("{typed:?}: {e}"));
            assert_eq!(id.as_str(), EXAMPLE, "{typed:?}");
            assert_eq!(id, parse(EXAMPLE).unwrap());
        }
        assert_eq!(normalize_id("　８１ｘ Ｘ\t"), "81XX");
        // What is not a digit, an X or a space is kept, for parse to refuse.
        assert_eq!(normalize_id("1-2"), "1-2");
    }

    fn with_check(first17: &str) -> String {
        format!("{first17}{}", ResidentId::check_char(first17).unwrap())
    }

    /// The same number with another check character.
    fn wrong_check(id: &str) -> String {
        let last = id.as_bytes()[17];
        let other = if last == b'1' { '2' } else { '1' };
        format!("{}{other}", &id[..17])
    }

    #[test]
    fn each_kind_is_recognised_and_a_wrong_check_char_refused() {
        let cases = [
            ("11010519491231002", IdKind::Mainland, Gender::Female, (1949, 12, 31)),
            ("81000019900101001", IdKind::HongKong, Gender::Male, (1990, 1, 1)),
            ("82000019851120002", IdKind::Macau, Gender::Female, (1985, 11, 20)),
            ("83000020010228003", IdKind::Taiwan, Gender::Male, (2001, 2, 28)),
            // Issued in Beijing (11) to a US national (840), born 1985-03-15, sequence 00, 1.
            ("91184019850315001", IdKind::ForeignPermanent, Gender::Male, (1985, 3, 15)),
            // Issued in Guangdong (44) to a Japanese national (392).
            ("94439219920704104", IdKind::ForeignPermanent, Gender::Female, (1992, 7, 4)),
        ];
        for (first17, kind, gender, (y, m, d)) in cases {
            let number = with_check(first17);
            let id = parse(&number).unwrap_or_else(|e| panic!("{number}: {e}"));
            assert_eq!(id.kind(), kind, "{number}");
            assert_eq!(id.gender(), gender, "{number}");
            assert_eq!(id.birth_date(), test_date(y, m, d), "{number}");
            assert_eq!(id.as_str(), number);
            assert_eq!(id.masked(), format!("{}**********{}", &number[..4], &number[14..]));
            assert_eq!(parse(&wrong_check(&number)), Err(IdError::Checksum), "{number}");
        }
    }

    #[test]
    fn permits_and_foreign_ids_check_their_own_structure() {
        let cases = [
            // A permit's address code is exactly 810000, 820000 or 830000.
            ("81010019900101001", IdError::PermitRegion),
            ("82000119900101001", IdError::PermitRegion),
            ("83990019900101001", IdError::PermitRegion),
            ("84000019900101001", IdError::Region),
            // A foreigner's ID is issued in a mainland province, to some nationality.
            ("90084019850315001", IdError::Region),
            ("97184019850315001", IdError::Region),
            ("98184019850315001", IdError::Region),
            ("91100019850315001", IdError::Nationality),
            ("91184019850230001", IdError::BirthDate),
            ("91184018991231001", IdError::TooOld),
            ("91184020260101001", IdError::FutureBirth),
            ("81000020250701001", IdError::FutureBirth),
        ];
        for (first17, expected) in cases {
            assert_eq!(parse(&with_check(first17)), Err(expected), "{first17}");
        }
        // 台湾省 (71) stays accepted on a resident ID, as before.
        assert_eq!(parse(&with_check("71000019900101001")).unwrap().kind(), IdKind::Mainland);
    }

    #[test]
    fn a_permit_typed_with_full_width_digits_is_stored_plain() {
        let plain = with_check("81000019900101001");
        let wide: String = plain
            .chars()
            .map(|c| char::from_u32(u32::from(c) - u32::from('0') + u32::from('０')).unwrap())
            .collect();
        let spaced = format!("　{}　{}　{} ", &wide[..18], &wide[18..42], &wide[42..]);
        let id = parse(&spaced).unwrap();
        assert_eq!(id.as_str(), plain);
        assert_eq!(id.kind(), IdKind::HongKong);
    }

    #[test]
    fn kinds_have_labels_and_codes() {
        for kind in IdKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.code()));
            assert_eq!(serde_json::from_str::<IdKind>(&json).unwrap(), kind);
            assert!(!kind.label(Lang::Zh).is_ascii() && kind.label(Lang::En).is_ascii());
        }
        assert_eq!(IdKind::HongKong.label_zh(), "港澳居民居住证（香港）");
        assert_eq!(IdKind::Macau.label_zh(), "港澳居民居住证（澳门）");
        assert_eq!(IdKind::Taiwan.label_zh(), "台湾居民居住证");
        assert_eq!(IdKind::ForeignPermanent.label(Lang::Zh), "外国人永久居留身份证");
        assert_eq!(IdKind::Mainland.label(Lang::En), "Resident identity card");
        assert_eq!(IdKind::default(), IdKind::Mainland);
    }

    #[test]
    fn a_15_digit_id_is_refused_with_its_18_digit_form() {
        assert_eq!(ResidentId::convert_15("110105491231002").as_deref(), Some(EXAMPLE));
        assert_eq!(ResidentId::convert_15("11010549123100"), None);
        assert_eq!(ResidentId::convert_15("11010549123100X"), None);

        let error = parse(" １１０１０５ 491231002 ").unwrap_err();
        assert_eq!(error.code(), "id.first_generation");
        assert_eq!(error.suggestion(), Some(EXAMPLE));
        assert_eq!(error.to_string(), format!("15位旧身份证号已停用，请改用18位号码：{EXAMPLE}"));
        assert_eq!(
            error.message(Lang::En),
            format!("15-digit ID numbers are no longer in use; use the 18-digit number {EXAMPLE}")
        );
        let field = error.to_field_error("resident_id");
        assert_eq!(field.code, "id.first_generation");
        assert_eq!(field.suggestion.as_deref(), Some(EXAMPLE));
        assert_eq!(IdError::Checksum.to_field_error("resident_id").suggestion, None);
        // The suggestion is a valid number.
        assert!(parse(error.suggestion().unwrap()).is_ok());
    }

    #[test]
    fn a_15_digit_id_that_does_not_convert_says_why() {
        let cases = [
            ("110105490230002", IdError::BirthDate),
            ("990105491231002", IdError::Region),
            // Only mainland numbers ever had 15 digits.
            ("810000900101001", IdError::Region),
            ("911840850315001", IdError::Region),
            // 15 characters that are not all digits are just too short.
            ("11010549123100X", IdError::Length),
        ];
        for (input, expected) in cases {
            assert_eq!(parse(input), Err(expected), "{input}");
        }
    }

    #[test]
    fn one_function_masks_a_stored_number() {
        assert_eq!(masked_id(EXAMPLE).as_deref(), Some("1101**********002X"));
        let permit = with_check("81000019900101001");
        assert_eq!(masked_id(&permit), Some(format!("8100**********{}", &permit[14..])));
        assert_eq!(masked_id("not an id"), None);
        assert_eq!(masked_id(""), None);
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
            ("11010519491231002Ａ", IdError::Chars), // a full-width letter is not an X
            ("1101051949123100２-", IdError::Chars),
            ("1101051949１２３１", IdError::Length),
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

    /// The first 6 digits of a valid number of any kind.
    fn valid_prefix() -> impl Strategy<Value = String> {
        let mut resident_provinces = MAINLAND_PROVINCES.to_vec();
        resident_provinces.push(TAIWAN_PROVINCE);
        prop_oneof![
            (proptest::sample::select(resident_provinces), 0u32..10_000)
                .prop_map(|(p, area)| format!("{p:02}{area:04}")),
            proptest::sample::select(vec!["810000", "820000", "830000"]).prop_map(str::to_owned),
            (proptest::sample::select(MAINLAND_PROVINCES.to_vec()), 1u32..1000)
                .prop_map(|(p, nationality)| format!("9{p:02}{nationality:03}")),
        ]
    }

    fn valid_id() -> impl Strategy<Value = String> {
        let days = (today() - earliest_birth()).num_days();
        (valid_prefix(), 0..=days, 0u32..1000).prop_map(|(prefix, day, seq)| {
            let birth = earliest_birth() + chrono::Duration::days(day);
            let first17 = format!(
                "{prefix}{:04}{:02}{:02}{seq:03}",
                birth.year(),
                birth.month(),
                birth.day()
            );
            with_check(&first17)
        })
    }

    /// A 15-digit first-generation number: a mainland region, born 1900–1999.
    fn valid_15() -> impl Strategy<Value = String> {
        let start = earliest_birth();
        let days = (test_date(1999, 12, 31) - start).num_days();
        (proptest::sample::select(MAINLAND_PROVINCES.to_vec()), 0u32..10_000, 0..=days, 0u32..1000).prop_map(
            move |(p, area, day, seq)| {
                let birth = start + chrono::Duration::days(day);
                format!("{p:02}{area:04}{:02}{:02}{:02}{seq:03}", birth.year() % 100, birth.month(), birth.day())
            },
        )
    }

    /// `id` as someone might type it: some characters full width, X in any case, spaces of
    /// several kinds before, between and after.
    fn noisy(id: &str, wide: &[bool], gaps: &[usize]) -> String {
        const SPACES: [&str; 5] = [" ", "\u{3000}", "\t", "\u{00A0}", "\u{200B}"];
        let mut out = String::from(SPACES[gaps[0] % SPACES.len()]);
        for (i, c) in id.chars().enumerate() {
            let c = match (c, wide[i]) {
                ('X', true) => 'ｘ',
                ('X', false) => 'x',
                (d, true) => char::from_u32(u32::from(d) - u32::from('0') + u32::from('０')).unwrap(),
                (d, false) => d,
            };
            out.push(c);
            if gaps[i + 1] % 4 == 0 {
                out.push_str(SPACES[gaps[i + 1] % SPACES.len()]);
            }
        }
        out
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
        fn a_valid_id_survives_full_width_and_space_noise(
            id in valid_id(),
            wide in proptest::collection::vec(any::<bool>(), 18),
            gaps in proptest::collection::vec(0usize..40, 19),
        ) {
            let typed = noisy(&id, &wide, &gaps);
            let parsed = parse(&typed).map_err(|e| TestCaseError::fail(format!("{typed:?}: {e}")))?;
            prop_assert_eq!(parsed.as_str(), id.as_str());
            prop_assert_eq!(parsed.kind(), parse(&id).unwrap().kind());
        }

        #[test]
        fn a_15_digit_id_always_offers_an_18_digit_id_that_parses(fifteen in valid_15()) {
            let error = parse(&fifteen).unwrap_err();
            let eighteen = error.suggestion().expect("a suggestion");
            prop_assert_eq!(eighteen.len(), 18);
            let id = parse(eighteen).unwrap();
            prop_assert_eq!(id.kind(), IdKind::Mainland);
            prop_assert_eq!(&id.as_str()[..6], &fifteen[..6]);
            prop_assert_eq!(&id.as_str()[8..17], &fifteen[6..]);
            let converted = ResidentId::convert_15(&fifteen);
            prop_assert_eq!(converted.as_deref(), Some(eighteen));
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
