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
    // small enough for the first-download budget. --emit-relocs: the splitter needs the
    // relocations to cut the module at the `#[lazy]`/`#[lazy_route]` split points.
    run(cargo()
        .current_dir(root())
        .env("RUSTFLAGS", "--cfg erase_components -Clink-args=--emit-relocs")
        .args(["build", "-p", "shebao-app", "--profile", "app", "--target", "wasm32-unknown-unknown"]))?;
    let wasm = root().join("target/wasm32-unknown-unknown/app/shebao-app.wasm");
    let bindgen = root().join("target/app-bindgen");
    let dist = root().join("dist");
    let style = fs::read(root().join("style/main.css")).map_err(|e| e.to_string())?;
    let index = fs::read(root().join("app/index.html")).map_err(|e| e.to_string())?;

    // Skip the split, wasm-bindgen and wasm-opt when nothing they read has changed.
    let stamp = format!(
        "{:016x}",
        fnv1a(&[read(&wasm)?, style.clone(), index.clone(), public_files()?].concat())
    );
    let stamp_file = root().join("target/app-stamp");
    if fs::read_to_string(&stamp_file).ok().as_deref() == Some(&stamp) && dist.join("index.html").exists() {
        println!("    app unchanged, dist/ is current");
        return Ok(());
    }

    // 1. Split: OUT/app.wasm (the main module, still to go through wasm-bindgen), one
    //    OUT/split_*.wasm / chunk_*.wasm per split point or shared part, and
    //    OUT/__wasm_split.js, the loader, which imports `./app.js` (wasm-bindgen's glue)
    //    and fetches the chunks relative to its own URL. Everything stays in one folder.
    step("wasm-split, wasm-bindgen and wasm-opt -Oz on every module");
    let _ = fs::remove_dir_all(&bindgen);
    fs::create_dir_all(&bindgen).map_err(|e| e.to_string())?;
    let input = read(&wasm)?;
    let main_split = bindgen.join("app.wasm");
    let split = wasm_split_cli_support::transform({
        let mut opts = wasm_split_cli_support::Options::new(&input);
        opts.output_dir = &bindgen;
        opts.main_out_path = &main_split;
        opts.main_module = "./app.js";
        opts.link_name = "./__wasm_split.js";
        opts
    })
    .map_err(|e| format!("wasm-split: {e:#}"))?;
    println!("    {} chunks beside the main module", split.split_modules.len());
    // 2. wasm-bindgen on the main module only; --keep-lld-exports keeps the exports the
    //    chunks import from it.
    run(Command::new(cargo_bin("wasm-bindgen"))
        .args(["--target", "web", "--no-typescript", "--keep-lld-exports", "--out-name", "app", "--out-dir"])
        .arg(&bindgen)
        .arg(&main_split))?;
    // 3. wasm-opt on the main module and on every chunk, in place.
    let mut modules = vec![bindgen.join("app_bg.wasm")];
    modules.extend(split.split_modules.iter().cloned());
    for m in &modules {
        run(Command::new(node_bin("wasm-opt"))
            .args(["-Oz", "--strip-debug", "--strip-producers"])
            .args(WASM_FEATURES)
            .arg(m)
            .arg("-o")
            .arg(m))?;
    }

    // 4. dist/assets/<hash of the modules>/: the glue, the loader and the chunks keep their
    //    plain names (they refer to each other by them); the folder name changes with any of them.
    let mut glue = fs::read_to_string(bindgen.join("app.js")).map_err(|e| e.to_string())?;
    glue.push_str("\n__wbg_init({ module_or_path: new URL('./app_bg.wasm', import.meta.url) });\n");
    let mut files: Vec<(String, Vec<u8>)> = vec![("app.js".into(), minify(&glue)?)];
    // Leptos 0.8's lazy routes `expect()` their chunk: one failed fetch panics the whole
    // module (leptos#4785 makes it fallible, not in 0.8.x). Retry each chunk fetch first.
    let loader = fs::read_to_string(bindgen.join("__wasm_split.js")).map_err(|e| e.to_string())?;
    if !loader.contains("fetch(new URL(") {
        return Err("__wasm_split.js no longer fetches with `fetch(new URL(`: update the retry patch".into());
    }
    let loader = loader.replace("fetch(new URL(", "__fetchRetry(new URL(") + RETRY_FETCH;
    files.push(("__wasm_split.js".into(), minify(&loader)?));
    for m in &modules {
        files.push((m.file_name().unwrap().to_string_lossy().into_owned(), read(m)?));
    }
    let build_hash = format!("{:016x}", fnv1a(&files.iter().flat_map(|(n, b)| [n.as_bytes(), b].concat()).collect::<Vec<u8>>()));
    let _ = fs::remove_dir_all(&dist);
    let out = dist.join("assets").join(&build_hash);
    fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    for (name, bytes) in &files {
        write(&out.join(name), bytes)?;
    }
    let css_name = hashed("style", "css", &style);
    write(&dist.join("assets").join(&css_name), &style)?;
    let html = String::from_utf8_lossy(&index)
        .replace("{{JS}}", &format!("/assets/{build_hash}/app.js"))
        .replace("{{WASM}}", &format!("/assets/{build_hash}/app_bg.wasm"))
        .replace("{{SPLIT_JS}}", &format!("/assets/{build_hash}/__wasm_split.js"))
        .replace("{{CSS}}", &format!("/assets/{css_name}"));
    write(&dist.join("index.html"), html.as_bytes())?;
    copy_dir(&root().join("public"), &dist)?;
    write(&stamp_file, stamp.as_bytes())
}

/// The glue and the loader minified (esbuild, as an ES module: imports, exports and
/// `import.meta.url` stay as they are): about 4 KB less of the first download, brotli.
fn minify(js: &str) -> Result<Vec<u8>> {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(node_bin("esbuild"))
        .args(["--minify", "--format=esm", "--loader=js", "--log-level=warning"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("esbuild: {e}"))?;
    child.stdin.take().ok_or("esbuild stdin")?.write_all(js.as_bytes()).map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("esbuild --minify failed: {}", out.status));
    }
    Ok(out.stdout)
}

/// Appended to the split loader: three tries, 0.5 s and 1 s apart, for a chunk fetch.
const RETRY_FETCH: &str = "
async function __fetchRetry(url) {
    for (let i = 0; ; i++) {
        try {
            const r = await fetch(url);
            if (r.ok || i >= 2) return r;
        } catch (e) {
            if (i >= 2) throw e;
        }
        await new Promise((ok) => setTimeout(ok, 500 * 2 ** i));
    }
}
";

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
