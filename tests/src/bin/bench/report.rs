//! The budgets (bench/budgets.toml) and what was measured against them: a table on the
//! terminal (markdown, for the README) and target/bench/stack.json.

use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
pub struct Budgets {
    pub data: Data,
    pub api: Api,
    pub scale: Scale,
    pub run: Run,
}

#[derive(Deserialize)]
pub struct Data {
    pub employees: usize,
}

#[derive(Deserialize)]
pub struct Api {
    pub connections: Vec<u32>,
    pub seconds: u32,
    pub health_seconds: u32,
    pub rounds: usize,
    pub min_ratio_to_health: f64,
    pub max_p99_ms: f64,
    pub max_errors: u64,
}

#[derive(Deserialize)]
pub struct Scale {
    pub employees: Vec<usize>,
    pub max_p50_growth: f64,
    pub max_round_trips: u32,
}

#[derive(Deserialize)]
pub struct Run {
    pub branch_employees: usize,
    pub branch_seconds: f64,
    pub group_seconds: f64,
    pub export_seconds: f64,
}

pub fn budgets() -> Budgets {
    let path = shebao_tests::root().join("bench/budgets.toml");
    let text = std::fs::read_to_string(&path).expect("bench/budgets.toml");
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One line of the report: what, the figure, its budget, and whether it was kept.
#[derive(Serialize)]
pub struct Row {
    pub bench: String,
    pub result: String,
    pub budget: String,
    pub ok: bool,
    pub raw: serde_json::Value,
}

#[derive(Default)]
pub struct Report {
    pub rows: Vec<Row>,
}

impl Report {
    pub fn add(&mut self, bench: impl Into<String>, result: impl Into<String>, budget: impl Into<String>, ok: bool, raw: serde_json::Value) {
        let row = Row { bench: bench.into(), result: result.into(), budget: budget.into(), ok, raw };
        println!("{} {:<58} {:<64} {}", if row.ok { "ok  " } else { "MISS" }, row.bench, row.result, row.budget);
        self.rows.push(row);
    }

    pub fn missed(&self) -> Vec<&Row> {
        self.rows.iter().filter(|r| !r.ok).collect()
    }

    /// Prints the table and writes target/bench/stack.json.
    pub fn finish(&self) {
        println!("\n| bench | result | budget |\n|---|---|---|");
        for r in &self.rows {
            println!("| {} | {} | {}{} |", r.bench, r.result, r.budget, if r.ok { "" } else { " **missed**" });
        }
        let dir = shebao_tests::root().join("target/bench");
        std::fs::create_dir_all(&dir).expect("target/bench");
        std::fs::write(dir.join("stack.json"), serde_json::to_string_pretty(&self.rows).expect("json")).expect("stack.json");
    }
}
