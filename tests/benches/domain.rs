//! The domain rules per second, each beside a reference workload of the same shape that does
//! not use the rule, measured right after it. Absolute rates move with the machine and its
//! load; their ratio does not, so `cargo xtask bench` compares the ratio with the baseline in
//! bench/budgets.toml (`[domain]`). Each group is named as its baseline there, with the
//! benchmarks `rule` and `reference`; each iteration handles the whole mix, and the
//! throughput says how many items that is.
//!
//! `cargo bench -p shebao-tests --features bench --bench domain`

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rust_decimal::{Decimal, RoundingStrategy};
use shebao_domain::contribution::{calculate, Terms};
use shebao_domain::policy::{policies, City, Hukou, InsuranceType};
use shebao_domain::{Period, ResidentId};

/// Roughly a roster import's worth of numbers: enough that one iteration is not dominated by
/// the timer, few enough to stay in cache like a real batch.
const ID_COUNT: usize = 1_000;
/// Wages drawn for each city's policy and month.
const SALARIES_PER_MONTH: usize = 8;

/// A fixed-seed generator, so every run measures the same mix.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound
    }
}

/// Region codes the numbers are registered under: mainland districts (Taiwan's 71 included),
/// the Hong Kong, Macao and Taiwan permits, and a foreigner's ID issued in Beijing to a US
/// national (9, province 11, nationality 840).
const MAINLAND_REGIONS: [&str; 8] = ["110105", "310115", "440305", "440106", "330106", "510107", "420111", "710000"];
const PERMIT_REGIONS: [&str; 3] = ["810000", "820000", "830000"];
const FOREIGN_PERMANENT: &str = "911840";

/// One ID number as a roster carries it, and whether it should be accepted.
fn id_number(rng: &mut Lcg, i: usize) -> (String, bool) {
    let region = match i % 50 {
        4..=6 => PERMIT_REGIONS[i % 50 - 4],
        7 => FOREIGN_PERMANENT,
        _ => MAINLAND_REGIONS[rng.below(MAINLAND_REGIONS.len() as u64) as usize],
    };
    // Month 13 on one number in 50: a mistyped birth date.
    let month = if i % 50 == 2 { 13 } else { 1 + rng.below(12) };
    let (year, day, seq) = (1960 + rng.below(46), 1 + rng.below(28), rng.below(1000));
    let first17 = format!("{region}{year}{month:02}{day:02}{seq:03}");
    let check = ResidentId::check_char(&first17).expect("17 digits");
    let valid = format!("{first17}{check}");
    match i % 50 {
        // A typo in the check character.
        0 => (format!("{first17}{}", if check == '0' { '1' } else { '0' }), false),
        // A digit dropped.
        1 => (valid[1..].to_owned(), false),
        2 => (valid, false),
        // Copied from a document: spaced out, lowercase x, still valid.
        3 => (format!("{} {} {}", &valid[..6], &valid[6..14], &valid[14..]).replace('X', "x"), true),
        _ => (valid, true),
    }
}

fn id_numbers() -> Vec<String> {
    let mut rng = Lcg(12);
    (0..ID_COUNT)
        .map(|i| {
            let (number, accepted) = id_number(&mut rng, i);
            assert_eq!(ResidentId::parse(&number).is_ok(), accepted, "{number}");
            number
        })
        .collect()
}

/// Reads the same strings without the rule: the first 17 bytes as decimal digits, and their sum.
fn digits_of(numbers: &[String]) -> u64 {
    numbers
        .iter()
        .map(|n| {
            let (value, sum) = n.bytes().take(17).fold((0u64, 0u64), |(value, sum), b| {
                let digit = u64::from(b.wrapping_sub(b'0'));
                (value.wrapping_mul(10).wrapping_add(digit), sum + digit)
            });
            value ^ sum
        })
        .fold(0, u64::wrapping_add)
}

fn resident_id(c: &mut Criterion) {
    let numbers = id_numbers();
    let mut group = c.benchmark_group("resident_id");
    group.throughput(Throughput::Elements(numbers.len() as u64));
    group.bench_function("rule", |b| {
        b.iter(|| black_box(&numbers).iter().filter(|n| ResidentId::parse(n).is_ok()).count())
    });
    group.bench_function("reference", |b| b.iter(|| digits_of(black_box(&numbers))));
    group.finish();
}

/// One employee's month: every type the city offers, on their wage.
struct Case {
    city: City,
    period: Period,
    salary: Decimal,
    types: Vec<InsuranceType>,
    terms: Terms,
}

/// A wage as a roster has them: a fifth under ¥6,000 (often below the minimum base), most
/// between ¥6,000 and ¥25,000, some up to ¥45,000 and a few far above the maximum.
fn salary(rng: &mut Lcg) -> Decimal {
    let (from, to) = match rng.below(20) {
        0..=3 => (2_500, 6_000),
        4..=15 => (6_000, 25_000),
        16..=18 => (25_000, 45_000),
        _ => (45_000, 100_000),
    };
    let fen = (from + rng.below(to - from)) * 100 + rng.below(100);
    Decimal::new(fen as i64, 2)
}

/// Each policy of the table, in its first month and half a year in, for wages of every kind
/// and a local hukou on two of three employees.
fn cases() -> Vec<Case> {
    let mut rng = Lcg(12);
    let mut cases = Vec::new();
    for city in City::ALL {
        for policy in policies(city) {
            let types: Vec<InsuranceType> = policy.lines.iter().map(|l| l.insurance_type).collect();
            for period in [policy.effective_from, policy.effective_from.add_months(6)] {
                for _ in 0..SALARIES_PER_MONTH {
                    let hukou = if cases.len() % 3 == 2 { Hukou::NonLocal } else { Hukou::Local };
                    let terms = Terms { hukou, ..Terms::default() };
                    cases.push(Case { city, period, salary: salary(&mut rng), types: types.clone(), terms });
                }
            }
        }
    }
    cases
}

/// What one calculation does in decimal arithmetic, without the rule: per line, the
/// employer's and the employee's rate × base + fixed, each rounded, and the totals.
fn arithmetic_of(cases: &[Case]) -> Decimal {
    let (employer, employee, fixed) = (Decimal::new(16, 2), Decimal::new(2, 2), Decimal::new(300, 2));
    let share = |base: Decimal, rate: Decimal| {
        (base * rate + fixed).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    };
    cases
        .iter()
        .map(|case| case.types.iter().map(|_| share(case.salary, employer) + share(case.salary, employee)).sum::<Decimal>())
        .sum()
}

fn contribution(c: &mut Criterion) {
    let cases = cases();
    for case in &cases {
        calculate(case.city, case.period, case.salary, &case.types, &case.terms).expect("every case has a policy");
    }
    let mut group = c.benchmark_group("contribution");
    group.throughput(Throughput::Elements(cases.len() as u64));
    group.bench_function("rule", |b| {
        b.iter(|| {
            black_box(&cases)
                .iter()
                .filter_map(|c| calculate(c.city, c.period, c.salary, &c.types, &c.terms).ok())
                .map(|breakdown| breakdown.total)
                .sum::<Decimal>()
        })
    });
    group.bench_function("reference", |b| b.iter(|| arithmetic_of(black_box(&cases))));
    group.finish();
}

criterion_group! {
    name = benches;
    // Short, so the whole file runs in well under a minute on 2 cores.
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .sample_size(30);
    targets = resident_id, contribution
}
criterion_main!(benches);
