//! Late fee on unpaid social insurance: 0.05% of the arrears per day overdue
//! (《社会保险法》第八十六条). The housing fund is not social insurance and has no such fee.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::{format_rate, format_yuan, to_fen_scale, Rounding};
use crate::Lang;

/// 0.05% per day.
fn daily_rate() -> Decimal {
    Decimal::new(5, 4)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateFee {
    pub arrears: Decimal,
    pub days: i64,
    pub amount: Decimal,
    /// `explain(Lang::Zh)`, kept in the JSON for readers of the API.
    pub explanation: String,
}

impl LateFee {
    /// How the fee is worked out, with the law it comes from.
    pub fn explain(&self, lang: Lang) -> String {
        let law = lang.pick("（《社会保险法》第八十六条）", " (Social Insurance Law, art. 86)");
        match (self.days, lang) {
            (0, Lang::Zh) => format!("未逾期，无滞纳金{law}"),
            (0, Lang::En) => format!("Not overdue: no late fee{law}"),
            (days, lang) => format!(
                "{} {} × {} × {days} {} = {}{law}",
                lang.pick("欠缴社会保险费", "Social insurance arrears"),
                format_yuan(self.arrears),
                format_rate(daily_rate()),
                lang.pick("天", "days"),
                format_yuan(self.amount)
            ),
        }
    }
}

/// The fee for paying `arrears` on `paid_on` when they were due on `due`. Paying on the due
/// date itself is on time; each later day counts once.
pub fn late_fee(arrears: Decimal, due: NaiveDate, paid_on: NaiveDate) -> LateFee {
    let days = (paid_on - due).num_days().max(0);
    let amount = Rounding::FenHalfUp.apply(arrears * daily_rate() * Decimal::from(days));
    let mut fee = LateFee { arrears: to_fen_scale(arrears), days, amount, explanation: String::new() };
    fee.explanation = fee.explain(Lang::Zh);
    fee
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::test_date;
    use proptest::prelude::*;

    #[test]
    fn ten_days_on_10000() {
        let fee = late_fee(
            Decimal::from(10000),
            test_date(2024, 7, 15),
            test_date(2024, 7, 25),
        );
        assert_eq!(fee.days, 10);
        assert_eq!(fee.amount.to_string(), "50.00");
        assert_eq!(fee.arrears.to_string(), "10000.00");
        assert_eq!(
            fee.explanation,
            "欠缴社会保险费 ¥10,000.00 × 0.05% × 10 天 = ¥50.00（《社会保险法》第八十六条）"
        );
        assert_eq!(fee.explain(Lang::En), "Social insurance arrears ¥10,000.00 × 0.05% × 10 days = ¥50.00 (Social Insurance Law, art. 86)");
    }

    #[test]
    fn on_time_or_early_costs_nothing() {
        let due = test_date(2024, 7, 15);
        for paid in [due, test_date(2024, 7, 1)] {
            let fee = late_fee(Decimal::from(10000), due, paid);
            assert_eq!((fee.days, fee.amount), (0, Decimal::ZERO));
            assert!(fee.explanation.starts_with("未逾期"));
        }
    }

    #[test]
    fn rounds_to_the_fen() {
        // 1234.56 × 0.0005 × 3 = 1.85184
        let fee = late_fee(
            "1234.56".parse().unwrap(),
            test_date(2024, 2, 28),
            test_date(2024, 3, 2),
        );
        assert_eq!(fee.days, 3);
        assert_eq!(fee.amount.to_string(), "1.85");
    }

    #[test]
    fn serde_round_trip() {
        let fee = late_fee(
            Decimal::from(500),
            test_date(2024, 1, 1),
            test_date(2024, 2, 1),
        );
        let json = serde_json::to_string(&fee).unwrap();
        assert_eq!(serde_json::from_str::<LateFee>(&json).unwrap(), fee);
    }

    proptest! {
        #[test]
        fn fee_grows_with_days(fen in 0i64..100_000_000, days in 0i64..3650) {
            let arrears = Decimal::new(fen, 2);
            let due = test_date(2024, 1, 15);
            let fee = late_fee(arrears, due, due + chrono::Duration::days(days));
            let next = late_fee(arrears, due, due + chrono::Duration::days(days + 1));
            prop_assert_eq!(fee.days, days);
            prop_assert!(fee.amount >= Decimal::ZERO && next.amount >= fee.amount);
        }
    }
}
