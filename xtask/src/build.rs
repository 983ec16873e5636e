//! Builds the SPA into dist/ (content-hashed names under /assets) and the worker into
//! worker/build/. No Trunk: cargo, wasm-bindgen and wasm-opt are all it takes.

use crate::tools::{cargo, cargo_bin, node_bin, run};
use crate::{root, step, Result};
use std::fs;
use std::path::Path;
use std::process::Command;

pub fn all() -> Result {
    app()?;
    worker()
}

/// Features rustc enables by default for wasm32 that wasm-opt must accept.
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

fn app() -> Result {
    step("building the app (wasm32, size-optimized)");
    // erase_components: leptos type-erases each component's view, which keeps the wasm
    // small enough for the first-download budget.
    run(cargo().current_dir(root()).env("RUSTFLAGS", "--cfg erase_components").args([
        "build",
        "-p",
        "shebao-app",
        "--profile",
        "app",
        "--target",
        "wasm32-unknown-unknown",
    ]))?;
    let wasm = root().join("target/wasm32-unknown-unknown/app/shebao-app.wasm");
    let bindgen = root().join("target/app-bindgen");
    let dist = root().join("dist");
    let style = fs::read(root().join("style/main.css")).map_err(|e| e.to_string())?;
    let index = fs::read(root().join("app/index.html")).map_err(|e| e.to_string())?;

    // Skip wasm-bindgen and wasm-opt when nothing they read has changed.
    let stamp = format!(
        "{:016x}",
        fnv1a(&[read(&wasm)?, style.clone(), index.clone(), public_files()?].concat())
    );
    let stamp_file = bindgen.join("stamp");
    if fs::read_to_string(&stamp_file).ok().as_deref() == Some(&stamp) && dist.join("index.html").exists() {
        println!("    app unchanged, dist/ is current");
        return Ok(());
    }

    step("wasm-bindgen and wasm-opt -Oz");
    let _ = fs::remove_dir_all(&bindgen);
    run(Command::new(cargo_bin("wasm-bindgen")).args([
        "--target",
        "web",
        "--no-typescript",
        "--out-name",
        "app",
        "--out-dir",
    ])
    .arg(&bindgen)
    .arg(&wasm))?;
    let optimized = bindgen.join("app_bg.opt.wasm");
    run(Command::new(node_bin("wasm-opt"))
        .args(["-Oz", "--strip-debug", "--strip-producers"])
        .args(WASM_FEATURES)
        .arg(bindgen.join("app_bg.wasm"))
        .arg("-o")
        .arg(&optimized))?;

    let _ = fs::remove_dir_all(&dist);
    fs::create_dir_all(dist.join("assets")).map_err(|e| e.to_string())?;
    let wasm_name = hashed("app_bg", "wasm", &read(&optimized)?);
    fs::copy(&optimized, dist.join("assets").join(&wasm_name)).map_err(|e| e.to_string())?;
    // The glue starts the app itself, so index.html needs no inline script (strict CSP).
    let mut glue = fs::read_to_string(bindgen.join("app.js")).map_err(|e| e.to_string())?;
    glue.push_str(&format!("\n__wbg_init({{ module_or_path: '/assets/{wasm_name}' }});\n"));
    let js_name = hashed("app", "js", glue.as_bytes());
    write(&dist.join("assets").join(&js_name), glue.as_bytes())?;
    let css_name = hashed("style", "css", &style);
    write(&dist.join("assets").join(&css_name), &style)?;
    let html = String::from_utf8_lossy(&index)
        .replace("{{JS}}", &format!("/assets/{js_name}"))
        .replace("{{WASM}}", &format!("/assets/{wasm_name}"))
        .replace("{{CSS}}", &format!("/assets/{css_name}"));
    write(&dist.join("index.html"), html.as_bytes())?;
    copy_dir(&root().join("public"), &dist)?;
    write(&stamp_file, stamp.as_bytes())
}

fn worker() -> Result {
    step("building the worker (worker-build --release)");
    run(Command::new(cargo_bin("worker-build"))
        .current_dir(root().join("worker"))
        .arg("--release")
        // Real paths: an empty value makes worker-build download binaries from GitHub.
        .env("WASM_BINDGEN_BIN", cargo_bin("wasm-bindgen"))
        .env("WASM_OPT_BIN", node_bin("wasm-opt"))
        .env("ESBUILD_BIN", node_bin("esbuild")))
}

fn public_files() -> Result<Vec<u8>> {
    let mut all = Vec::new();
    let mut entries: Vec<_> = fs::read_dir(root().join("public"))
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        all.extend(e.file_name().to_string_lossy().as_bytes());
        all.extend(fs::read(e.path()).unwrap_or_default());
    }
    Ok(all)
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    for entry in fs::read_dir(from).map_err(|e| e.to_string())? {
        let entry = entry.map_err(|e| e.to_string())?;
        fs::copy(entry.path(), to.join(entry.file_name())).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn hashed(stem: &str, ext: &str, content: &[u8]) -> String {
    format!("{stem}-{:016x}.{ext}", fnv1a(content))
}

/// FNV-1a: enough to give changed files new names; not a security hash.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result {
    fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}
