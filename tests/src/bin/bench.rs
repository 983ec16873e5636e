//! `cargo xtask bench`: timings of a fresh local stack, printed as a table. Request
//! timings are for people to compare; the monthly run has a budget: a 10,000-employee
//! branch generated in ≤ 30 s, reported beside plain SQLite inserting the same rows, and a
//! worker killed mid-way resuming without duplicates or gaps. A missed budget exits 1.

use serde_json::{json, Value};
use shebao_tests::{spawn_app, TestApp};
use std::time::{Duration, Instant};

/// A run's lines as .xlsx in one request, well inside a Worker request's time.
const EXPORT_BUDGET: Duration = Duration::from_secs(20);
/// Employees of the bench's branch.
const EMPLOYEES: usize = 10_000;
/// The whole branch's generation, on the local stack.
const GENERATION_BUDGET: Duration = Duration::from_secs(30);

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

/// A Beijing branch `id` with `EMPLOYEES` employees, written straight into the test's D1.
fn big_branch(app: &TestApp, id: &str, credit: &str) {
    let mut sql = format!(
        "INSERT INTO branches (id, name, city, credit_code, created_at) VALUES ('{id}', '压测分公司 {id}', 'beijing', '{credit}', '2026-01-01T00:00:00Z');\n"
    );
    for i in 0..EMPLOYEES {
        sql += &format!(
            "INSERT INTO employees (id, branch_id, name, resident_id, hire_date, salary_fen, created_at, updated_at) \
             VALUES ('{id}-{i:05}', '{id}', '压测{i}', '{id}-{i:05}', '2020-01-01', {}, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');\n",
            (8_000 + i % 20_000) * 100
        );
    }
    let file = app.state.join(format!("{id}.sql"));
    std::fs::write(&file, sql).expect("bench sql");
    let out = shebao_tests::wrangler()
        .args(["d1", "execute", "DB", "--local", "--persist-to"])
        .arg(&app.state)
        .arg("--file")
        .arg(&file)
        .output()
        .expect("wrangler d1 execute");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn count(app: &TestApp, sql: &str) -> i64 {
    app.d1_rows(sql)[0]["n"].as_i64().unwrap_or(0)
}

async fn run_state(client: &reqwest::Client, app: &TestApp, id: &str) -> Value {
    client.get(app.url(&format!("/api/runs/{id}"))).send().await.unwrap().json::<Value>().await.unwrap()["run"].clone()
}

/// Starts the branch's run of next month and returns its id.
async fn start_run(client: &reqwest::Client, app: &TestApp, branch: &str) -> String {
    let next = shebao_tests::requests::current().next();
    let resp = client.post(app.url("/api/runs")).json(&json!({"branch_id": branch, "period": next.to_string()})).send().await.unwrap();
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap_or_default());
    format!("run-{branch}-{next}")
}

async fn until_generated(client: &reqwest::Client, app: &TestApp, id: &str, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if run_state(client, app, id).await["state"] != "generating" {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    false
}

/// Plain SQLite (in a file, one transaction, a prepared statement) inserting `rows` lines
/// shaped like `run_lines`: rows per second.
fn plain_sqlite_rows_per_second(rows: usize) -> f64 {
    let dir = std::env::temp_dir().join(format!("shebao-bench-{}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&dir);
    let mut db = rusqlite::Connection::open(&dir).expect("sqlite");
    db.execute_batch(
        "CREATE TABLE run_lines (run_id TEXT NOT NULL, employee_id TEXT NOT NULL, insurance_type TEXT NOT NULL, \
         base_fen INTEGER NOT NULL, employer_fen INTEGER NOT NULL, employee_fen INTEGER NOT NULL, generation INTEGER NOT NULL, \
         PRIMARY KEY (run_id, employee_id, insurance_type)) WITHOUT ROWID;",
    )
    .expect("schema");
    let start = Instant::now();
    let tx = db.transaction().expect("tx");
    {
        let mut insert = tx.prepare("INSERT INTO run_lines VALUES (?, ?, ?, ?, ?, ?, 1)").expect("insert");
        for i in 0..rows {
            insert
                .execute(rusqlite::params!["run-x", format!("e-{:06}", i / 6), format!("t{}", i % 6), 1_000_000, 160_000, 80_000])
                .expect("row");
        }
    }
    tx.commit().expect("commit");
    let rate = rows as f64 / start.elapsed().as_secs_f64();
    let _ = std::fs::remove_file(&dir);
    rate
}

#[tokio::main]
async fn main() {
    let mut app = spawn_app().await;
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
    measure("GET /api/dashboard (group)", 100, async || director.get(app.url("/api/dashboard")).send().await.unwrap().status()).await;
    measure("POST /api/session (PBKDF2 100k)", 20, async || {
        anon.post(app.url("/api/session"))
            .json(&serde_json::json!({"login": "admin", "password": shebao_tests::DEMO_PASSWORD}))
            .send()
            .await
            .unwrap()
            .status()
    })
    .await;

    // The monthly run of a 10,000-employee branch, through the queue.
    let mut missed = Vec::new();
    big_branch(&app, "br-bench-a", "91110105MA01BENCHA");
    big_branch(&app, "br-bench-b", "91110105MA01BENCHB");
    let manager = app.client_as("chen.mgr").await;
    let start = Instant::now();
    let id = start_run(&manager, &app, "br-bench-a").await;
    let done = until_generated(&manager, &app, &id, Duration::from_secs(300)).await;
    let took = start.elapsed();
    let lines = count(&app, &format!("SELECT COUNT(*) AS n FROM run_lines WHERE run_id = '{id}'"));
    let rate = lines as f64 / took.as_secs_f64();
    let plain = plain_sqlite_rows_per_second(lines.max(1) as usize);
    println!(
        "{:<40} {EMPLOYEES} employees, {lines} lines in {:.1} s: {rate:.0} rows/s; plain SQLite {plain:.0} rows/s (ratio {:.3})  budget ≤ {} s",
        "monthly run generation",
        took.as_secs_f64(),
        rate / plain,
        GENERATION_BUDGET.as_secs()
    );
    if !done || took > GENERATION_BUDGET {
        missed.push(format!("generation took {:.1} s", took.as_secs_f64()));
    }

    // Its lines as one .xlsx: a run of this size exports within a request's limits.
    let start = Instant::now();
    let resp = manager.get(app.url(&format!("/api/runs/{id}?format=xlsx"))).send().await.unwrap();
    let exported = resp.status().is_success();
    let size = resp.bytes().await.map_or(0, |b| b.len());
    let took = start.elapsed();
    println!(
        "{:<40} {lines} lines, {} KB in {:.1} s  budget ≤ {} s",
        "run lines export (.xlsx)",
        size / 1024,
        took.as_secs_f64(),
        EXPORT_BUDGET.as_secs()
    );
    if !exported || took > EXPORT_BUDGET {
        missed.push(format!("the export of {lines} lines took {:.1} s (ok: {exported})", took.as_secs_f64()));
    }
    measure("GET /api/reports/costs (group, 12 months)", 20, async || {
        director.get(app.url("/api/reports/costs")).send().await.unwrap().status()
    })
    .await;

    // Killed mid-way: the cron resumes it where the last committed chunk ended.
    let id = start_run(&manager, &app, "br-bench-b").await;
    while run_state(&manager, &app, &id).await["employees_done"].as_i64().unwrap_or(0) == 0 {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    app.kill_and_restart().await;
    let done_at_kill = run_state(&manager, &app, &id).await["employees_done"].as_i64().unwrap_or(0);
    let resumed = Instant::now();
    let mut finished = false;
    while resumed.elapsed() < Duration::from_secs(240) {
        app.run_cron_15().await;
        if until_generated(&manager, &app, &id, Duration::from_secs(10)).await {
            finished = true;
            break;
        }
    }
    let types = lines / EMPLOYEES as i64;
    let got = count(&app, &format!("SELECT COUNT(*) AS n FROM run_lines WHERE run_id = '{id}'"));
    let people = count(&app, &format!("SELECT COUNT(DISTINCT employee_id) AS n FROM run_lines WHERE run_id = '{id}'"));
    println!(
        "{:<40} killed after {done_at_kill} employees; resumed by the cron: {got} lines for {people} employees (expected {})",
        "monthly run, killed mid-way",
        types * EMPLOYEES as i64
    );
    if !finished || got != types * EMPLOYEES as i64 || people != EMPLOYEES as i64 {
        missed.push("a killed generation did not resume to exactly one line per employee and type".into());
    }
    if !missed.is_empty() {
        eprintln!("budgets missed: {}", missed.join("; "));
        std::process::exit(1);
    }
}
