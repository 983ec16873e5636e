//! `cargo xtask dev|test|bench|build`: everything a machine needs, from a clean clone.

mod bench;
mod build;
mod domain_bench;
mod seed;
mod stack;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <dev|test|bench|build>
  dev    install what is missing, build, migrate and seed local D1, serve http://127.0.0.1:8787
  test   every test: domain, worker and app unit tests, API integration tests, browser tests
  bench  every budget of bench/budgets.toml, measured (not part of test); --setup: also a fresh set-up's times
  build  build the app (dist/) and the worker (worker/build/) only";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("dev") => dev(),
        Some("test") => test(&args[1..]),
        Some("bench") => bench(args.iter().any(|a| a == "--setup")),
        Some("build") => tools::ensure_build_tools().and_then(|()| build::all()),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}

pub type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace")
        .to_path_buf()
}

/// Prints a step header, so a long set-up shows where it is.
pub fn step(what: &str) {
    println!("\x1b[1;34m==>\x1b[0m {what}");
}

fn dev() -> Result {
    tools::ensure_build_tools()?;
    build::all()?;
    let state = root().join(".state/dev");
    stack::prepare_state(&state, stack::OnChange::Keep)?;
    step("serving http://127.0.0.1:8787 (Ctrl-C stops everything)");
    seed::print_logins();
    stack::serve_foreground(&state, 8787)
}

fn test(filter: &[String]) -> Result {
    tools::ensure_build_tools()?;
    tools::ensure_browser()?;
    build::all()?;
    let template = root().join("target/test-state");
    stack::prepare_state(&template, stack::OnChange::Rebuild)?;

    step("domain unit and property tests");
    tools::run(tools::cargo().args(["test", "-p", "shebao-domain"]).args(filter))?;

    step("worker unit tests (its pure functions, natively)");
    tools::run(tools::cargo().args(["test", "-p", "shebao-worker"]).args(filter))?;

    step("app unit tests (its pure functions, natively)");
    tools::run(tools::cargo().args(["test", "-p", "shebao-app"]).args(filter))?;

    step("API integration tests (each test starts its own wrangler dev with a fresh D1)");
    tools::run(
        tools::cargo()
            .args(["test", "-p", "shebao-tests"])
            .args(filter)
            .env("SHEBAO_TEST_STATE", &template),
    )?;

    step("browser tests (headless Chromium)");
    std::fs::create_dir_all(root().join("target/screenshots")).map_err(|e| e.to_string())?;
    let mut node = std::process::Command::new("node");
    node.current_dir(root())
        .args(["--test", "--test-concurrency=1"])
        .env("SHEBAO_TEST_STATE", &template);
    if let Some(f) = filter.first() {
        node.args(["--test-name-pattern", f]);
    }
    node.arg("tests/e2e/");
    tools::run(&mut node)
}

fn bench(setup: bool) -> Result {
    tools::ensure_build_tools()?;
    build::all()?;
    let template = root().join("target/test-state");
    stack::prepare_state(&template, stack::OnChange::Rebuild)?;
    bench::bench(&template, setup)
}
