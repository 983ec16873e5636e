//! Installs what a fresh machine lacks, idempotently, and quickly when it is already there.

use crate::{root, step, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Must equal the `wasm-bindgen` pin in the workspace Cargo.toml.
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
pub const WORKER_BUILD_VERSION: &str = "0.8.7";

pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

pub fn cargo_bin(name: &str) -> PathBuf {
    let home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cargo"));
    home.join("bin").join(name)
}

pub fn node_bin(name: &str) -> PathBuf {
    root().join("node_modules/.bin").join(name)
}

/// Runs a command to completion, failing with its name when it fails.
pub fn run(cmd: &mut Command) -> Result {
    let status = cmd.status().map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed with {status}"))
    }
}

fn output_of(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn ensure_build_tools() -> Result {
    ensure_wasm_target()?;
    ensure_cargo_tool(
        "wasm-bindgen",
        WASM_BINDGEN_VERSION,
        // Without --locked: its lock file wants a webpki-roots the registry lacks.
        &["install", "wasm-bindgen-cli", "--version", WASM_BINDGEN_VERSION],
    )?;
    ensure_cargo_tool(
        "worker-build",
        WORKER_BUILD_VERSION,
        &["install", "--locked", &format!("worker-build@{WORKER_BUILD_VERSION}")],
    )?;
    ensure_node_modules()
}

fn ensure_wasm_target() -> Result {
    let installed = output_of(Command::new("rustup").args(["target", "list", "--installed"]))
        .unwrap_or_default();
    if installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    step("adding the wasm32-unknown-unknown target");
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn ensure_cargo_tool(bin: &str, version: &str, install: &[&str]) -> Result {
    let have = output_of(Command::new(cargo_bin(bin)).arg("--version")).unwrap_or_default();
    if have.split_whitespace().any(|w| w.trim_start_matches('v') == version) {
        return Ok(());
    }
    step(&format!("installing {bin} {version} from crates.io (several minutes, once)"));
    run(cargo().args(install))
}

/// `npm ci` when node_modules does not match the committed package-lock.json.
fn ensure_node_modules() -> Result {
    let lock = std::fs::read(root().join("package-lock.json")).map_err(|e| e.to_string())?;
    let stamp = root().join("node_modules/.shebao-lock");
    if std::fs::read(&stamp).ok().as_deref() == Some(&lock[..]) && node_bin("wrangler").exists() {
        return Ok(());
    }
    step("npm ci (wrangler, binaryen, playwright-core)");
    run(Command::new("npm")
        .current_dir(root())
        .args(["ci", "--no-audit", "--no-fund"]))?;
    std::fs::write(stamp, lock).map_err(|e| e.to_string())
}

/// Debian's Chromium and a CJK font, for the browser tests only.
pub fn ensure_browser() -> Result {
    let has_font = output_of(Command::new("fc-list").arg(":lang=zh"))
        .is_some_and(|fonts| !fonts.trim().is_empty());
    if Path::new("/usr/bin/chromium").exists() && has_font {
        return Ok(());
    }
    step("installing Debian's chromium and fonts-noto-cjk (about a minute, once)");
    let sudo = !output_of(Command::new("id").arg("-u")).is_some_and(|u| u.trim() == "0");
    let apt = |args: &[&str]| {
        let mut cmd = if sudo { Command::new("sudo") } else { Command::new("apt-get") };
        if sudo {
            cmd.arg("apt-get");
        }
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut cmd)
    };
    apt(&["update", "-q"])?;
    apt(&["install", "-y", "-q", "chromium", "fonts-noto-cjk"])
}
