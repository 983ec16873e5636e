//! The reports' figures (DESIGN.md §6) that are not sums: how long claims take (median and
//! 90th percentile) and how a cost grew from one month to the next. Pure functions over
//! what the worker reads, so the figures on screen and in the exported file are the same.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A set of durations in days: how many, the median and the 90th percentile, both by the
/// nearest-rank rule (a value that occurred, never an interpolation between two).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spread {
    pub count: usize,
    pub median: Option<i64>,
    pub p90: Option<i64>,
}

/// The nearest-rank percentile `p` (1–100) of `sorted` (ascending): the smallest value with
/// at least p % of the values at or below it. None for no values.
pub fn nearest_rank(sorted: &[i64], p: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let p = p.clamp(1, 100) as usize;
    // ceil(p/100 × n), at least the first value.
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

impl Spread {
    pub fn of(days: &[i64]) -> Spread {
        let mut sorted = days.to_vec();
        sorted.sort_unstable();
        Spread { count: sorted.len(), median: nearest_rank(&sorted, 50), p90: nearest_rank(&sorted, 90) }
    }
}

/// The growth from `before` to `now` in percent, rounded half away from zero to one
/// decimal ("+12.5 %" on the reports). None when there was nothing before to grow from.
pub fn growth_percent(before: Decimal, now: Decimal) -> Option<Decimal> {
    if before.is_zero() {
        return None;
    }
    Some(((now - before) * Decimal::ONE_HUNDRED / before).round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn the_median_and_p90_are_values_that_occurred() {
        assert_eq!(Spread::of(&[]), Spread { count: 0, median: None, p90: None });
        assert_eq!(Spread::of(&[7]), Spread { count: 1, median: Some(7), p90: Some(7) });
        // 1..=10 days: the 5th and the 9th values.
        let ten: Vec<i64> = (1..=10).rev().collect();
        assert_eq!(Spread::of(&ten), Spread { count: 10, median: Some(5), p90: Some(9) });
        // One slow claim of four is past the 90th percentile's rank (ceil(3.6) = 4).
        assert_eq!(Spread::of(&[3, 2, 30, 4]), Spread { count: 4, median: Some(3), p90: Some(30) });
    }

    #[test]
    fn growth_is_in_percent_to_one_decimal() {
        assert_eq!(growth_percent(d("8000"), d("9000")), Some(d("12.5")));
        assert_eq!(growth_percent(d("9000"), d("8000")), Some(d("-11.1")));
        assert_eq!(growth_percent(d("3"), d("4")), Some(d("33.3")));
        assert_eq!(growth_percent(d("0"), d("4")), None, "no cost before: no growth to show");
    }

    proptest! {
        #[test]
        fn percentiles_lie_within_the_values_and_in_order(days in proptest::collection::vec(0i64..400, 1..60)) {
            let s = Spread::of(&days);
            let (min, max) = (*days.iter().min().unwrap(), *days.iter().max().unwrap());
            let (median, p90) = (s.median.unwrap(), s.p90.unwrap());
            prop_assert!(days.contains(&median) && days.contains(&p90));
            prop_assert!(min <= median && median <= p90 && p90 <= max);
            // At least half the values are at or below the median.
            prop_assert!(days.iter().filter(|&&d| d <= median).count() * 2 >= days.len());
            prop_assert!(days.iter().filter(|&&d| d <= p90).count() * 10 >= days.len() * 9);
        }
    }
}
