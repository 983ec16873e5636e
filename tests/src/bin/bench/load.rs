//! Load from a second process on loopback: autocannon (from package-lock.json), bounded in
//! time, its JSON read back.

use serde_json::Value;
use std::process::Command;

/// What one autocannon run saw.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Load {
    pub connections: u32,
    pub seconds: u32,
    pub requests_per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Connection errors, timeouts and answers that were not 2xx.
    pub errors: u64,
}

/// A request to load: its address, the session cookie, and a JSON body for a POST.
pub struct Target<'a> {
    pub url: String,
    pub cookie: Option<&'a str>,
    pub body: Option<String>,
    pub origin: &'a str,
}

pub fn run(target: &Target, connections: u32, seconds: u32) -> Load {
    let mut cmd = Command::new(shebao_tests::root().join("node_modules/.bin/autocannon"));
    cmd.args(["--json", "--connections", &connections.to_string(), "--duration", &seconds.to_string()]);
    if let Some(cookie) = target.cookie {
        cmd.args(["--headers", &format!("cookie={cookie}")]);
    }
    if let Some(body) = &target.body {
        cmd.args(["--method", "POST", "--body", body])
            .args(["--headers", "content-type=application/json", "--headers", &format!("origin={}", target.origin)]);
    }
    let out = cmd.arg(&target.url).output().expect("autocannon (npm ci installs it)");
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("autocannon's JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    let n = |v: &Value| v.as_f64().unwrap_or(0.0);
    Load {
        connections,
        seconds,
        requests_per_second: n(&report["requests"]["average"]),
        p50_ms: n(&report["latency"]["p50"]),
        p99_ms: n(&report["latency"]["p99"]),
        errors: (n(&report["errors"]) + n(&report["timeouts"]) + n(&report["non2xx"])) as u64,
    }
}
