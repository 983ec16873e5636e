//! The domain rules' part of `cargo xtask bench`: runs the criterion bench
//! (tests/benches/domain.rs) and checks each rule's rate, as a ratio to its reference
//! workload measured in the same run, against the baseline in bench/budgets.toml.

use std::path::Path;

use serde_json::Value;

use crate::{root, tools, Result};

/// One rule: its rate, its reference workload's, and their ratio against the baseline.
pub struct DomainRow {
    /// The criterion group, as the baseline is named in bench/budgets.toml.
    pub name: String,
    pub rate_per_s: f64,
    pub reference_per_s: f64,
    pub ratio: f64,
    pub baseline: f64,
    pub ok: bool,
}

pub struct DomainReport {
    /// How far below its baseline a ratio may fall, as a fraction of the baseline.
    pub tolerance: f64,
    pub rows: Vec<DomainRow>,
}

impl DomainReport {
    /// The lowest ratio a rule with this baseline may show.
    pub fn floor(&self, baseline: f64) -> f64 {
        baseline * (1.0 - self.tolerance)
    }
}

pub fn run() -> Result<DomainReport> {
    let root = root();
    // Named for criterion, so a CARGO_TARGET_DIR elsewhere does not move it, and emptied
    // first, so every figure read is from this run.
    let criterion = root.join("target/criterion");
    if criterion.exists() {
        std::fs::remove_dir_all(&criterion).map_err(|e| format!("cannot empty {}: {e}", criterion.display()))?;
    }
    tools::run(
        tools::cargo()
            .current_dir(&root)
            .args(["bench", "-p", "shebao-tests", "--features", "bench", "--bench", "domain"])
            .env("CRITERION_HOME", &criterion),
    )?;
    let budgets = std::fs::read_to_string(root.join("bench/budgets.toml")).map_err(|e| e.to_string())?;
    let budgets: toml::Table = budgets.parse().map_err(|e| format!("bench/budgets.toml: {e}"))?;
    let domain = budgets.get("domain").and_then(toml::Value::as_table);
    let tolerance = domain.and_then(|d| d.get("tolerance")).and_then(toml::Value::as_float);
    let baselines = domain.and_then(|d| d.get("baselines")).and_then(toml::Value::as_table);
    let (Some(tolerance), Some(baselines)) = (tolerance, baselines) else {
        return Err("bench/budgets.toml: [domain] needs a tolerance and a [domain.baselines] table".into());
    };
    let mut report = DomainReport { tolerance, rows: Vec::new() };
    for (name, baseline) in baselines {
        let baseline = baseline
            .as_float()
            .ok_or_else(|| format!("bench/budgets.toml: domain.baselines.{name} is not a number"))?;
        let rate_per_s = items_per_s(&criterion.join(name).join("rule"))?;
        let reference_per_s = items_per_s(&criterion.join(name).join("reference"))?;
        let ratio = rate_per_s / reference_per_s;
        let ok = ratio >= report.floor(baseline);
        report.rows.push(DomainRow { name: name.clone(), rate_per_s, reference_per_s, ratio, baseline, ok });
    }
    Ok(report)
}

/// Items per second of one benchmark: its throughput (items per iteration) over criterion's
/// mean time per iteration.
fn items_per_s(benchmark: &Path) -> Result<f64> {
    let read = |file: &str| -> Result<Value> {
        let path = benchmark.join("new").join(file);
        let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    };
    let mean_ns = read("estimates.json")?["mean"]["point_estimate"].as_f64();
    let items = read("benchmark.json")?["throughput"]["Elements"].as_f64();
    match (items, mean_ns) {
        (Some(items), Some(ns)) if ns > 0.0 => Ok(items * 1e9 / ns),
        _ => Err(format!("{}: no throughput or mean time", benchmark.display())),
    }
}
