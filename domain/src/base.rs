//! The contribution base: the declared salary, clamped to the city's range for one
//! insurance type, with the clamp kept so it can be shown to the user.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::{format_yuan, to_fen_scale};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Clamp {
    RaisedToMin,
    LoweredToMax,
}

impl Clamp {
    pub fn label_zh(self) -> &'static str {
        match self {
            Clamp::RaisedToMin => "低于下限，按下限计",
            Clamp::LoweredToMax => "高于上限，按上限计",
        }
    }
}

/// Built only by `derive`, so `amount` is always within the range it was derived for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Base {
    amount: Decimal,
    requested: Decimal,
    clamp: Option<Clamp>,
}

impl Base {
    /// Clamps `salary` to `[min, max]`. Amounts are kept exactly (padded to 2 decimal
    /// places, never rounded): the city's rounding applies to contributions, not bases.
    /// Policy data guarantees `min <= max`; if not, the minimum wins.
    pub fn derive(salary: Decimal, min: Decimal, max: Decimal) -> Base {
        let (amount, clamp) = if salary < min {
            (min, Some(Clamp::RaisedToMin))
        } else if salary > max {
            (max, Some(Clamp::LoweredToMax))
        } else {
            (salary, None)
        };
        Base {
            amount: to_fen_scale(amount),
            requested: to_fen_scale(salary),
            clamp,
        }
    }

    /// The base contributions are computed on.
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    /// The salary the base was derived from.
    pub fn requested(&self) -> Decimal {
        self.requested
    }

    pub fn clamp(&self) -> Option<Clamp> {
        self.clamp
    }

    /// E.g. "工资 ¥3,000.00 低于下限，按下限 ¥6,821.00 计"; unclamped: "按工资 ¥10,000.00 计".
    pub fn explain_zh(&self) -> String {
        let (salary, base) = (format_yuan(self.requested), format_yuan(self.amount));
        match self.clamp {
            Some(Clamp::RaisedToMin) => format!("工资 {salary} 低于下限，按下限 {base} 计"),
            Some(Clamp::LoweredToMax) => format!("工资 {salary} 高于上限，按上限 {base} 计"),
            None => format!("按工资 {base} 计"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn clamps_and_explains() {
        let (min, max) = (d("6821"), d("35283"));

        let low = Base::derive(d("3000"), min, max);
        assert_eq!(low.amount().to_string(), "6821.00");
        assert_eq!(low.requested().to_string(), "3000.00");
        assert_eq!(low.clamp(), Some(Clamp::RaisedToMin));
        assert_eq!(
            low.explain_zh(),
            "工资 ¥3,000.00 低于下限，按下限 ¥6,821.00 计"
        );

        let high = Base::derive(d("50000"), min, max);
        assert_eq!(high.amount(), max);
        assert_eq!(high.clamp(), Some(Clamp::LoweredToMax));
        assert_eq!(
            high.explain_zh(),
            "工资 ¥50,000.00 高于上限，按上限 ¥35,283.00 计"
        );

        let inside = Base::derive(d("10000.5"), min, max);
        assert_eq!(inside.amount().to_string(), "10000.50");
        assert_eq!(inside.clamp(), None);
        assert_eq!(inside.explain_zh(), "按工资 ¥10,000.50 计");

        // The limits themselves are inside the range.
        assert_eq!(Base::derive(min, min, max).clamp(), None);
        assert_eq!(Base::derive(max, min, max).clamp(), None);
        assert_eq!(
            serde_json::to_string(&Clamp::RaisedToMin).unwrap(),
            "\"raised_to_min\""
        );
    }

    proptest! {
        #[test]
        fn base_is_within_range(salary in 0i64..10_000_000, lo in 1i64..50_000, width in 0i64..50_000) {
            let (min, max) = (Decimal::new(lo * 100, 2), Decimal::new((lo + width) * 100, 2));
            let base = Base::derive(Decimal::new(salary, 2), min, max);
            prop_assert!(base.amount() >= min && base.amount() <= max);
            prop_assert_eq!(base.clamp().is_none(), base.amount() == base.requested());
        }
    }
}
