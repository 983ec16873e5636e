//! `cargo xtask bench`: request timings against a fresh local stack. Not a test: numbers
//! for people to compare, printed as a table.

use shebao_tests::spawn_app;
use std::time::{Duration, Instant};

async fn measure(name: &str, n: usize, mut call: impl AsyncFnMut() -> reqwest::StatusCode) {
    let mut times: Vec<Duration> = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        let status = call().await;
        times.push(start.elapsed());
        assert!(status.is_success(), "{name}: {status}");
    }
    times.sort();
    let pct = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)].as_secs_f64() * 1000.0;
    println!("{name:<40} n={n:<4} p50={:>7.1} ms  p90={:>7.1} ms  max={:>7.1} ms", pct(50), pct(90), pct(100));
}

#[tokio::main]
async fn main() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let director = app.client_as("director").await;
    let anon = app.client();
    measure("GET /api/health", 200, async || anon.get(app.url("/api/health")).send().await.unwrap().status()).await;
    measure("GET /api/me", 200, async || hr.get(app.url("/api/me")).send().await.unwrap().status()).await;
    measure("GET /api/employees (branch, page 1)", 100, async || {
        hr.get(app.url("/api/employees")).send().await.unwrap().status()
    })
    .await;
    measure("GET /api/employees?q= (group search)", 100, async || {
        director.get(app.url("/api/employees?q=王")).send().await.unwrap().status()
    })
    .await;
    measure("POST /api/session (PBKDF2 100k)", 20, async || {
        anon.post(app.url("/api/session"))
            .json(&serde_json::json!({"login": "admin", "password": shebao_tests::DEMO_PASSWORD}))
            .send()
            .await
            .unwrap()
            .status()
    })
    .await;
}
