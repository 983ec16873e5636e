//! Money: amounts are `Decimal` yuan, shown as "¥1,234.56" and stored as integer fen.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::validation::FieldError;

/// How a city rounds a computed contribution. Results always carry 2 decimal places so
/// they store as whole fen and print the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// To the fen (0.01), half away from zero.
    FenHalfUp,
    /// Up to the next jiao (0.1): the bureau never under-collects (e.g. Shanghai).
    JiaoUp,
    /// To the yuan, half away from zero (e.g. many housing funds).
    YuanHalfUp,
}

impl Rounding {
    pub const ALL: [Rounding; 3] = [Rounding::FenHalfUp, Rounding::JiaoUp, Rounding::YuanHalfUp];

    /// Rounds `amount`. `JiaoUp` rounds away from zero, i.e. a ceiling for the positive
    /// amounts it is used on.
    pub fn apply(self, amount: Decimal) -> Decimal {
        let (dp, strategy) = match self {
            Rounding::FenHalfUp => (2, RoundingStrategy::MidpointAwayFromZero),
            Rounding::JiaoUp => (1, RoundingStrategy::AwayFromZero),
            Rounding::YuanHalfUp => (0, RoundingStrategy::MidpointAwayFromZero),
        };
        to_fen_scale(amount.round_dp_with_strategy(dp, strategy))
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Rounding::FenHalfUp => "四舍五入到分",
            Rounding::JiaoUp => "进位到角",
            Rounding::YuanHalfUp => "四舍五入到元",
        }
    }
}

/// Pads an amount with at most 2 decimal places to exactly 2 (never rounds).
pub(crate) fn to_fen_scale(mut amount: Decimal) -> Decimal {
    if amount.scale() < 2 {
        amount.rescale(2);
    }
    amount
}

/// "¥1,234.56": rounded half-up to the fen, thousands separators, "-¥1,234.56" if negative.
pub fn format_yuan(amount: Decimal) -> String {
    let rounded = Rounding::FenHalfUp.apply(amount);
    let text = rounded.abs().to_string();
    let (int_part, frac_part) = text.split_once('.').unwrap_or((&text, "00"));
    let mut grouped = String::with_capacity(int_part.len() + int_part.len() / 3);
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    // -0.001 rounds to zero and must not print as "-¥0.00".
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}¥{grouped}.{frac_part}")
}

/// A rate as a percentage without trailing zeros: 0.16 → "16%", 0.0005 → "0.05%".
pub fn format_rate(rate: Decimal) -> String {
    format!("{}%", (rate * Decimal::ONE_HUNDRED).normalize())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{}", self.message_zh())]
pub enum AmountError {
    Invalid,
    Negative,
    Precision,
}

impl AmountError {
    pub fn code(&self) -> &'static str {
        match self {
            AmountError::Invalid => "amount.invalid",
            AmountError::Negative => "amount.negative",
            AmountError::Precision => "amount.precision",
        }
    }

    pub fn message(&self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            AmountError::Invalid => ("金额格式不正确", "The amount is not a number"),
            AmountError::Negative => ("金额不能为负数", "The amount cannot be negative"),
            AmountError::Precision => ("金额最多两位小数", "At most two decimal places"),
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

/// Largest integer part accepted: keeps every amount far inside `Decimal` and `i64` fen.
const MAX_INTEGER_DIGITS: usize = 15;

/// Parses what people type: "12345", "12,345.6", "¥12345.60" (also full-width "￥"),
/// surrounding spaces allowed. Commas must be real thousands separators. The result has
/// exactly 2 decimal places.
pub fn parse_amount(s: &str) -> Result<Decimal, AmountError> {
    // The minus sign may come before or after the currency symbol ("-¥5" is what
    // `format_yuan` prints); either way negatives get their own message.
    let mut rest = s.trim();
    let mut negative = false;
    if let Some(r) = rest.strip_prefix('-') {
        negative = true;
        rest = r;
    }
    if let Some(r) = rest.strip_prefix(['¥', '￥']) {
        rest = r.trim_start();
    }
    if let (false, Some(r)) = (negative, rest.strip_prefix('-')) {
        negative = true;
        rest = r;
    }
    let s = rest;
    let (int_part, frac_part) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let digits = ungroup(int_part).ok_or(AmountError::Invalid)?;
    if digits.is_empty() || digits.len() > MAX_INTEGER_DIGITS {
        return Err(AmountError::Invalid);
    }
    let frac = frac_part.unwrap_or("");
    if (frac_part.is_some() && frac.is_empty()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AmountError::Invalid);
    }
    if frac.len() > 2 {
        return Err(AmountError::Precision);
    }
    let value: Decimal = format!("{digits}.{frac:0<2}")
        .parse()
        .map_err(|_| AmountError::Invalid)?;
    if negative && !value.is_zero() {
        return Err(AmountError::Negative);
    }
    Ok(value)
}

/// Removes thousands separators, checking they sit every 3 digits. `None` if malformed.
fn ungroup(int_part: &str) -> Option<String> {
    if !int_part.bytes().all(|b| b.is_ascii_digit() || b == b',') {
        return None;
    }
    let groups: Vec<&str> = int_part.split(',').collect();
    if groups.len() > 1 {
        let first_ok = (1..=3).contains(&groups[0].len());
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return None;
        }
    }
    Some(groups.concat())
}

/// Whole fen for storage. Meant for amounts already at 2 decimal places (every amount this
/// crate produces); anything finer is rounded half-up, and out-of-range values saturate.
pub fn fen(amount: Decimal) -> i64 {
    let fen = (amount * Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    fen.to_i64().unwrap_or(if fen.is_sign_negative() {
        i64::MIN
    } else {
        i64::MAX
    })
}

/// The yuan amount of a stored fen count, with 2 decimal places.
pub fn from_fen(fen: i64) -> Decimal {
    Decimal::new(fen, 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// Money travels as a string both ways (rust_decimal's `serde-str`): a JSON number, which
    /// the browser would read as a float, is refused, and no float code is in the app.
    #[test]
    fn money_in_json_is_a_string_never_a_number() {
        assert_eq!(serde_json::from_str::<Decimal>("\"8650.40\"").unwrap(), d("8650.40"));
        assert_eq!(serde_json::to_string(&d("8650.40")).unwrap(), "\"8650.40\"");
        assert!(serde_json::from_str::<Decimal>("8650.4").is_err());
        assert!(serde_json::from_str::<Decimal>("8650").is_err());
    }

    #[test]
    fn rounding_rules() {
        let cases = [
            (Rounding::FenHalfUp, "1.234", "1.23"),
            (Rounding::FenHalfUp, "1.235", "1.24"),
            (Rounding::FenHalfUp, "-1.235", "-1.24"),
            (Rounding::FenHalfUp, "7", "7.00"),
            (Rounding::JiaoUp, "1.201", "1.30"),
            (Rounding::JiaoUp, "1.20", "1.20"),
            (Rounding::JiaoUp, "1091.36", "1091.40"),
            (Rounding::YuanHalfUp, "818.52", "819.00"),
            (Rounding::YuanHalfUp, "818.49", "818.00"),
            (Rounding::YuanHalfUp, "818.5", "819.00"),
        ];
        for (rounding, input, expected) in cases {
            let out = rounding.apply(d(input));
            assert_eq!(out.to_string(), expected, "{rounding:?} {input}");
        }
        assert_eq!(Rounding::JiaoUp.label_zh(), "进位到角");
        assert_eq!(
            serde_json::to_string(&Rounding::JiaoUp).unwrap(),
            "\"jiao_up\""
        );
    }

    #[test]
    fn formats_yuan() {
        assert_eq!(format_yuan(d("1234.56")), "¥1,234.56");
        assert_eq!(format_yuan(d("-1234.56")), "-¥1,234.56");
        assert_eq!(format_yuan(d("0")), "¥0.00");
        assert_eq!(format_yuan(d("-0.001")), "¥0.00");
        assert_eq!(format_yuan(d("999.999")), "¥1,000.00");
        assert_eq!(format_yuan(d("1234567.8")), "¥1,234,567.80");
        assert_eq!(format_yuan(d("123")), "¥123.00");
        assert_eq!(format_yuan(d("100000")), "¥100,000.00");
    }

    #[test]
    fn formats_rates() {
        assert_eq!(format_rate(d("0.16")), "16%");
        assert_eq!(format_rate(d("0.098")), "9.8%");
        assert_eq!(format_rate(d("0.0005")), "0.05%");
        assert_eq!(format_rate(d("0")), "0%");
    }

    #[test]
    fn parses_amounts() {
        for (input, expected) in [
            ("12345", "12345.00"),
            ("12,345.6", "12345.60"),
            ("¥12345.60", "12345.60"),
            ("￥ 1,234,567.89", "1234567.89"),
            ("  0.5 ", "0.50"),
            ("0", "0.00"),
        ] {
            assert_eq!(
                parse_amount(input).unwrap().to_string(),
                expected,
                "{input:?}"
            );
        }
        for (input, expected) in [
            ("", AmountError::Invalid),
            ("abc", AmountError::Invalid),
            ("12.", AmountError::Invalid),
            (".5", AmountError::Invalid),
            ("1,23", AmountError::Invalid),
            ("1234,567", AmountError::Invalid),
            ("1.2.3", AmountError::Invalid),
            ("12 345", AmountError::Invalid),
            ("1e5", AmountError::Invalid),
            ("+5", AmountError::Invalid),
            ("9999999999999999", AmountError::Invalid),
            ("-5", AmountError::Negative),
            ("¥-1,000.00", AmountError::Negative),
            ("-¥1,000.00", AmountError::Negative),
            ("--5", AmountError::Invalid),
            ("1.234", AmountError::Precision),
        ] {
            assert_eq!(parse_amount(input), Err(expected), "{input:?}");
        }
        assert_eq!(AmountError::Precision.code(), "amount.precision");
        assert_eq!(AmountError::Negative.to_string(), "金额不能为负数");
    }

    #[test]
    fn fen_round_trip() {
        assert_eq!(fen(d("1234.56")), 123456);
        assert_eq!(fen(d("-0.01")), -1);
        assert_eq!(from_fen(123456).to_string(), "1234.56");
        assert_eq!(from_fen(5).to_string(), "0.05");
    }

    fn amount() -> impl Strategy<Value = Decimal> {
        // Up to ¥10,000,000 with 4 decimal places: covers base × rate products.
        (0i64..100_000_000_000).prop_map(|n| Decimal::new(n, 4))
    }

    proptest! {
        #[test]
        fn roundings_stay_close_and_jiao_up_never_undercharges(x in amount()) {
            let fen = Rounding::FenHalfUp.apply(x);
            let jiao = Rounding::JiaoUp.apply(x);
            let yuan = Rounding::YuanHalfUp.apply(x);
            prop_assert!((fen - x).abs() <= d("0.005"));
            prop_assert!(jiao >= x && jiao - x < d("0.1"));
            prop_assert!(jiao >= fen);
            prop_assert!((yuan - x).abs() <= d("0.5"));
            for r in [fen, jiao, yuan] {
                prop_assert_eq!(r.scale(), 2);
            }
        }

        #[test]
        fn format_then_parse_round_trips(n in 0i64..1_000_000_000_000) {
            let x = from_fen(n);
            prop_assert_eq!(parse_amount(&format_yuan(x)), Ok(x));
            prop_assert_eq!(fen(x), n);
        }
    }
}
