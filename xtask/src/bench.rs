//! `cargo xtask bench [--setup]`: every budget of bench/budgets.toml, measured in one run —
//! the domain rules (criterion), the local stack under load (tests/src/bin/bench), the
//! roster import and the downloads and first render in Chromium — merged into
//! target/bench/report.json and one table. Exits non-zero when a budget is missed.
//! `--setup` also times a clean clone's `cargo xtask dev` and the one-time tool install.

use crate::tools::{cargo, run, WASM_BINDGEN_VERSION, WORKER_BUILD_VERSION};
use crate::{domain_bench, root, step, Result};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// One line of the report, the shape every part writes (target/bench/<part>.json).
fn row(bench: &str, result: String, budget: &str, ok: bool) -> Value {
    json!({"bench": bench, "result": result, "budget": budget, "ok": ok})
}

fn rows_of(part: &str) -> Vec<Value> {
    let path = root().join("target/bench").join(format!("{part}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Array(rows)) => rows,
        Ok(Value::Object(o)) => o.get("rows").and_then(Value::as_array).cloned().unwrap_or_default(),
        _ => vec![row(part, format!("no report at {}", path.display()), "", false)],
    }
}

pub fn bench(template: &Path, setup: bool) -> Result {
    let dir = root().join("target/bench");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut rows = Vec::new();
    let mut failures = Vec::new();

    // First, on a quiet machine: criterion measures the CPU.
    step("bench: the domain rules (criterion)");
    match domain_bench::run() {
        Ok(domain) => {
            for r in &domain.rows {
                rows.push(row(
                    &format!("domain: {} per second", r.name),
                    format!("{:.0}/s; reference {:.0}/s; ratio {:.4}", r.rate_per_s, r.reference_per_s, r.ratio),
                    &format!("ratio ≥ {:.4} (baseline {:.4} − {:.0}%)", domain.floor(r.baseline), r.baseline, domain.tolerance * 100.0),
                    r.ok,
                ));
            }
        }
        Err(e) => failures.push(format!("domain bench: {e}")),
    }

    let env = |cmd: &mut Command| {
        cmd.current_dir(root()).env("SHEBAO_TEST_STATE", template);
    };
    step("bench: the local stack under load, at group scale");
    let mut stack = cargo();
    stack.args(["run", "--release", "-p", "shebao-tests", "--features", "bench", "--bin", "bench"]);
    env(&mut stack);
    let parts: [(&str, &str, Command); 3] = [
        ("stack", "the local stack", stack),
        ("import", "the roster import in Chromium", node("tests/e2e/bench_import.mjs")),
        ("render", "downloads and the slow phone's first render", node("tests/e2e/bench_render.mjs")),
    ];
    crate::tools::ensure_browser()?;
    for (part, what, mut cmd) in parts {
        if part != "stack" {
            step(&format!("bench: {what}"));
        }
        env(&mut cmd);
        // Each part runs even when an earlier one missed, so the report is whole.
        if let Err(e) = run(&mut cmd) {
            failures.push(format!("{what}: {e}"));
        }
        rows.extend(rows_of(part));
    }
    if setup {
        rows.extend(fresh_setup()?);
    }

    println!("\n| bench | result | budget |\n|---|---|---|");
    for r in &rows {
        let ok = r["ok"].as_bool().unwrap_or(false);
        println!("| {} | {} | {}{} |", s(&r["bench"]), s(&r["result"]), s(&r["budget"]), if ok { "" } else { " **missed**" });
        if !ok {
            failures.push(s(&r["bench"]));
        }
    }
    let report = json!({"rows": rows, "missed": failures});
    std::fs::write(dir.join("report.json"), serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    println!("\nwritten: target/bench/report.json");
    if failures.is_empty() {
        Ok(())
    } else {
        failures.dedup();
        Err(format!("budgets missed: {}", failures.join("; ")))
    }
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

fn node(script: &str) -> Command {
    let mut cmd = Command::new("node");
    cmd.arg(script);
    cmd
}

/// A fresh machine's waits, reported (no budget): the one-time install of the cargo tools
/// into a scratch root, and `cargo xtask dev` on a clean clone (tools installed) until the
/// app answers.
fn fresh_setup() -> Result<Vec<Value>> {
    let scratch = std::env::temp_dir().join(format!("shebao-setup-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    let mut rows = Vec::new();

    step("bench: the one-time tool install, into a scratch root");
    let started = Instant::now();
    let tools = scratch.join("tools");
    let install = |args: &[&str]| {
        run(cargo().args(args).arg("--root").arg(&tools).env("CARGO_TARGET_DIR", scratch.join("tools-target")))
    };
    install(&["install", "wasm-bindgen-cli", "--version", WASM_BINDGEN_VERSION])?;
    install(&["install", "--locked", &format!("worker-build@{WORKER_BUILD_VERSION}")])?;
    rows.push(row(
        "one-time tool install (wasm-bindgen-cli, worker-build from crates.io)",
        format!("{:.0} s", started.elapsed().as_secs_f64()),
        "(reported)",
        true,
    ));

    step("bench: `cargo xtask dev` on a clean clone, tools installed");
    if TcpStream::connect("127.0.0.1:8787").is_ok() {
        return Err("port 8787 is taken: stop `cargo xtask dev` before `cargo xtask bench --setup`".into());
    }
    let clone = scratch.join("shebao");
    run(Command::new("git").arg("clone").arg("-q").arg(root()).arg(&clone))?;
    // The clone sits beside ../shared, as the repository does.
    if let Some(shared) = root().parent().map(|p| p.join("shared")) {
        let _ = std::os::unix::fs::symlink(shared, scratch.join("shared"));
    }
    let started = Instant::now();
    use std::os::unix::process::CommandExt;
    let mut dev = cargo()
        .args(["xtask", "dev"])
        .current_dir(&clone)
        .env_remove("CARGO_TARGET_DIR")
        .stdout(std::process::Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut served = None;
    while started.elapsed() < Duration::from_secs(3600) {
        if matches!(dev.try_wait(), Ok(Some(_))) {
            break;
        }
        if health_answers() {
            served = Some(started.elapsed());
            break;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    let _ = Command::new("kill").args(["-TERM", "--", &format!("-{}", dev.id())]).status();
    let _ = dev.wait();
    rows.push(row(
        "`cargo xtask dev` on a clean clone until the app answers",
        served.map_or("did not start".into(), |d| format!("{:.0} s", d.as_secs_f64())),
        "(reported)",
        served.is_some(),
    ));
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(rows)
}

/// Whether http://127.0.0.1:8787/api/health answers 200.
fn health_answers() -> bool {
    let Ok(mut stream) = TcpStream::connect("127.0.0.1:8787") else { return false };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    if stream.write_all(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").is_err() {
        return false;
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.1 200")
}
