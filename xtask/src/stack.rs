//! The local stack: wrangler (workerd) with D1 and R2 kept in a state directory.

use crate::build::fnv1a;
use crate::tools::{node_bin, run};
use crate::{root, seed, step, Result};
use std::fs;
use std::path::Path;
use std::process::Command;

pub fn wrangler() -> Command {
    let mut cmd = Command::new(node_bin("wrangler"));
    cmd.current_dir(root())
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CLOUDFLARE_ACCOUNT_ID", "00000000000000000000000000000000")
        .env("CI", "true");
    cmd
}

/// How to treat a state directory whose migrations or seed changed.
#[derive(PartialEq)]
pub enum OnChange {
    /// Keep what is there (the dev database holds what the developer entered).
    Keep,
    /// Start over (the tests' template must be exactly migrations + seed).
    Rebuild,
}

/// Applies the migrations and the demo seed to `state`, skipping both when neither
/// changed since the last time (both are idempotent anyway; this only saves time).
pub fn prepare_state(state: &Path, on_change: OnChange) -> Result {
    let seed_sql = seed::sql();
    let mut inputs = seed_sql.clone().into_bytes();
    let mut migrations: Vec<_> = fs::read_dir(root().join("migrations"))
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    migrations.sort();
    for m in &migrations {
        inputs.extend(fs::read(m).map_err(|e| e.to_string())?);
    }
    let stamp = format!("{:016x}", fnv1a(&inputs));
    let stamp_file = state.join("prepared");
    if fs::read_to_string(&stamp_file).ok().as_deref() == Some(&stamp) {
        println!("    {} is migrated and seeded", state.display());
        return Ok(());
    }
    if on_change == OnChange::Rebuild {
        let _ = fs::remove_dir_all(state);
    }
    fs::create_dir_all(state).map_err(|e| e.to_string())?;
    step(&format!("applying D1 migrations to {}", state.display()));
    run(wrangler()
        .args(["d1", "migrations", "apply", "DB", "--local", "--persist-to"])
        .arg(state))?;
    step("seeding the demo data (local only)");
    let file = state.join("seed.sql");
    fs::write(&file, seed_sql).map_err(|e| e.to_string())?;
    run(wrangler()
        .args(["d1", "execute", "DB", "--local", "--persist-to"])
        .arg(state)
        .arg("--file")
        .arg(&file))?;
    fs::write(state.join(seed::DEMO_TODAY_FILE), seed::demo_today(seed::china_today()).to_string()).map_err(|e| e.to_string())?;
    fs::write(stamp_file, stamp).map_err(|e| e.to_string())
}

/// `SETUP_SECRET` of the local dev stack (`POST /api/setup`): a labelled stand-in; a
/// deployment sets its own with `wrangler secret put SETUP_SECRET`.
const DEV_SETUP_SECRET: &str = "local-dev-setup-secret-not-for-production";

/// Runs wrangler dev in the foreground, in this process group, so Ctrl-C stops
/// wrangler and workerd together with xtask. It runs on the demo clock (see
/// `seed::demo_today`), which the app labels as such.
pub fn serve_foreground(state: &Path, port: u16) -> Result {
    println!("    demo clock: {} (the real date is {})", seed::demo_today(seed::china_today()), seed::china_today());
    run(wrangler()
        .args(["dev", "--local", "--ip", "127.0.0.1", "--test-scheduled", "--port"])
        .arg(port.to_string())
        .arg("--persist-to")
        .arg(state)
        .args(["--var", &format!("SETUP_SECRET:{DEV_SETUP_SECRET}")])
        .args(["--var", &format!("CLOCK_OFFSET_MS:{}", seed::demo_clock_offset_ms())]))
}
