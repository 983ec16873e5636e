//! `cargo xtask bench`, the local stack's part: the group's data set (bench/budgets.toml
//! `[data]`) loaded into a fresh stack, every request budget measured under load from a
//! second process beside `/api/health`, the cost of a page at three group sizes, the
//! monthly run of a branch and of the group, a run's export, and a generation killed
//! mid-way. Writes target/bench/stack.json; a missed budget exits 1.

mod data;
mod load;
mod report;

use load::{Load, Target};
use report::{Budgets, Report};
use serde_json::{json, Value};
use shebao_domain::cursor::ListCursor;
use shebao_tests::{spawn_app_with, Options, TestApp};
use std::time::{Duration, Instant};

/// The session cookie of `login` (`shebao_session=…`), for the load generator.
async fn session_cookie(app: &TestApp, login: &str) -> String {
    let resp = app
        .client()
        .post(app.url("/api/session"))
        .json(&json!({"login": login, "password": shebao_tests::DEMO_PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(resp.status(), 200, "login as {login}");
    let cookie = resp.headers().get("set-cookie").and_then(|v| v.to_str().ok()).expect("a session cookie");
    cookie.split(';').next().unwrap_or_default().to_string()
}

/// A route the budgets hold, as whom.
struct Route {
    name: String,
    path: String,
    cookie: String,
    body: Option<Value>,
}

/// D1 round trips of one request (`X-D1-Round-Trips`), and its status.
async fn round_trips(app: &TestApp, route: &Route) -> (u16, u32) {
    let client = reqwest::Client::new();
    let request = match &route.body {
        Some(body) => client.post(app.url(&route.path)).header("origin", &app.base).json(body),
        None => client.get(app.url(&route.path)),
    };
    let resp = request.header("cookie", &route.cookie).send().await.expect("request");
    let trips = resp.headers().get("x-d1-round-trips").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok()).unwrap_or(u32::MAX);
    (resp.status().as_u16(), trips)
}

fn target<'a>(app: &'a TestApp, path: &str, cookie: Option<&'a str>, body: Option<&Value>) -> Target<'a> {
    Target { url: app.url(path), cookie, body: body.map(Value::to_string), origin: &app.base }
}

fn health(app: &TestApp, connections: u32, seconds: u32) -> Load {
    load::run(&target(app, "/api/health", None, None), connections, seconds)
}

/// The middle of `values` (the upper one of an even count).
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

/// Each route at each connection count, in rounds, each beside /api/health measured right
/// before it: the budgets hold the medians of the rounds' ratios and p99s.
async fn api_budgets(app: &TestApp, b: &Budgets, routes: &[Route], report: &mut Report) {
    for route in routes {
        let (status, trips) = round_trips(app, route).await;
        report.add(
            format!("{} — D1 round trips", route.name),
            format!("{trips} (HTTP {status})"),
            format!("≤ {}", b.scale.max_round_trips),
            status < 300 && trips <= b.scale.max_round_trips,
            json!({"round_trips": trips, "status": status}),
        );
        for &connections in &b.api.connections {
            let rounds: Vec<(Load, Load)> = (0..b.api.rounds)
                .map(|_| {
                    let base = health(app, connections, b.api.health_seconds);
                    (base, load::run(&target(app, &route.path, Some(&route.cookie), route.body.as_ref()), connections, b.api.seconds))
                })
                .collect();
            let ratios: Vec<f64> = rounds.iter().map(|(base, got)| got.requests_per_second / base.requests_per_second.max(1.0)).collect();
            let ratio = median(ratios.clone());
            let of = |figure: fn(&Load) -> f64| median(rounds.iter().map(|(_, got)| figure(got)).collect());
            let (rps, p50, p99) = (of(|l| l.requests_per_second), of(|l| l.p50_ms), of(|l| l.p99_ms));
            let health_rps = median(rounds.iter().map(|(base, _)| base.requests_per_second).collect());
            let errors: u64 = rounds.iter().map(|(_, got)| got.errors).sum();
            let p99_ok = connections < 32 || p99 <= b.api.max_p99_ms;
            let each: Vec<String> = ratios.iter().map(|r| format!("{r:.2}")).collect();
            report.add(
                format!("{} @{connections}", route.name),
                format!(
                    "{rps:.0} req/s ({ratio:.2}× health's {health_rps:.0}; rounds {}), p50 {p50:.0} ms, p99 {p99:.0} ms, {errors} errors",
                    each.join(" ")
                ),
                if connections < 32 {
                    format!("≥ {}×, no errors", b.api.min_ratio_to_health)
                } else {
                    format!("≥ {}×, p99 ≤ {} ms, no errors", b.api.min_ratio_to_health, b.api.max_p99_ms)
                },
                ratio >= b.api.min_ratio_to_health && p99_ok && errors <= b.api.max_errors,
                json!({"rounds": rounds.iter().map(|(base, got)| json!({"route": got, "health": base})).collect::<Vec<_>>(), "ratio": ratio, "p99_ms": p99}),
            );
        }
    }
}

/// The p50 of the group's first page and of a page in the middle of it, at this size.
fn page_costs(app: &TestApp, cookie: &str, middle: &str) -> (Load, Load) {
    let first = load::run(&target(app, "/api/employees", Some(cookie), None), 8, 5);
    let deep = load::run(&target(app, &format!("/api/employees?after={middle}"), Some(cookie), None), 8, 5);
    (first, deep)
}

fn middle_cursor(app: &TestApp) -> String {
    let db = data::open(app);
    let (name, id) = data::group_row_at(&db, data::employees(&db) / 2);
    ListCursor::at(&name, &id).to_string()
}

async fn run_state(client: &reqwest::Client, app: &TestApp, id: &str) -> Value {
    let resp = client.get(app.url(&format!("/api/runs/{id}"))).send().await.expect("run");
    resp.json::<Value>().await.unwrap_or_default()["run"].clone()
}

/// Starts `branch`'s run of next month and returns its id.
async fn start_run(client: &reqwest::Client, app: &TestApp, branch: &str) -> String {
    let next = shebao_tests::requests::current().next();
    let resp = client.post(app.url("/api/runs")).json(&json!({"branch_id": branch, "period": next.to_string()})).send().await.expect("run");
    assert!(resp.status().is_success(), "{}", resp.text().await.unwrap_or_default());
    format!("run-{branch}-{next}")
}

/// Waits until none of `ids` is generating; false if `limit` passed first.
async fn until_generated(client: &reqwest::Client, app: &TestApp, ids: &[String], limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        let mut busy = false;
        for id in ids {
            busy |= run_state(client, app, id).await["state"] == "generating";
        }
        if !busy {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    false
}

fn count(app: &TestApp, sql: &str) -> i64 {
    data::open(app).query_row(sql, [], |r| r.get(0)).expect("count")
}

/// Plain SQLite (a file, one transaction, a prepared statement) inserting `rows` lines
/// shaped like `run_lines`: rows per second.
fn plain_sqlite_rows_per_second(rows: usize) -> f64 {
    let path = std::env::temp_dir().join(format!("shebao-bench-{}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let mut db = rusqlite::Connection::open(&path).expect("sqlite");
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
    let _ = std::fs::remove_file(&path);
    rate
}

fn scale_rows(report: &mut Report, b: &Budgets, costs: &[(usize, Load, Load)]) {
    let (Some(small), Some(large)) = (costs.first(), costs.last()) else { return };
    for (what, pick) in [("the group's first page", 0), ("a page in the middle of the group", 1)] {
        let p50 = |c: &(usize, Load, Load)| if pick == 0 { c.1.p50_ms } else { c.2.p50_ms };
        let growth = p50(large) / p50(small).max(1.0);
        let figures: Vec<String> = costs.iter().map(|c| format!("{} at {}", fmt_ms(p50(c)), c.0)).collect();
        report.add(
            format!("GET /api/employees, {what}: p50 by group size"),
            format!("{} ({growth:.2}×)", figures.join(", ")),
            format!("{} p50 ≤ {}× {}'s", large.0, b.scale.max_p50_growth, small.0),
            growth <= b.scale.max_p50_growth,
            json!(costs.iter().map(|c| json!({"employees": c.0, "p50_ms": p50(c)})).collect::<Vec<_>>()),
        );
    }
}

fn fmt_ms(ms: f64) -> String {
    format!("{ms:.0} ms")
}

#[tokio::main]
async fn main() {
    let b = report::budgets();
    let mut report = Report::default();
    let mut app = spawn_app_with(Options { inspector: false, ..Options::default() }).await;
    let today = shebao_domain::ids::today_in_china();

    // Templates made through the API, copied by the data set: a claim and a request.
    let zhangsan = app.client_as("zhangsan").await;
    let claim: Value = zhangsan
        .post(app.url("/api/claims"))
        .json(&json!({"kind": "inpatient", "amount": "8650.40", "start_date": (today - chrono::Days::new(20)).to_string(),
                       "end_date": (today - chrono::Days::new(14)).to_string(), "hospital": "北京协和医院"}))
        .send()
        .await
        .expect("claim")
        .json()
        .await
        .expect("claim json");
    let claim_id = claim["claim"]["id"].as_str().expect("a claim").to_string();
    let hr = app.client_as("li.hr").await;
    let page: Value = hr.get(app.url("/api/employees")).send().await.expect("list").json().await.expect("json");
    let someone = page["items"][0]["id"].as_str().expect("a Beijing employee").to_string();
    let now = shebao_tests::requests::current();
    let back_payment = shebao_tests::requests::form("back_payment", &someone, now.prev().prev(), now.prev());
    let request = shebao_tests::requests::submitted(&hr, &app, back_payment.clone()).await;
    let request_id = request["id"].as_str().expect("a request").to_string();

    // The cost of a page at the smallest size.
    let mut costs = Vec::new();
    let sizes = b.scale.employees.clone();
    let director = session_cookie(&app, "director").await;
    app.restart_after(|app| data::grow(&mut data::open(app), sizes[0])).await;
    let (first, deep) = page_costs(&app, &director, &middle_cursor(&app));
    costs.push((sizes[0], first, deep));

    // The group: its employees, 12 months of runs, claims and requests.
    let started = Instant::now();
    app.restart_after(|app| {
        let mut db = data::open(app);
        data::grow(&mut db, b.data.employees);
        data::history(&mut db);
        data::claims(&mut db, &claim_id, b.data.employees / 4, today);
        data::requests(&mut db, &request_id, b.data.employees / 2, today);
    })
    .await;
    let lines = count(&app, "SELECT COUNT(*) FROM run_lines");
    report.add(
        "data set",
        format!(
            "{} employees in 3 branches, {lines} run lines, {} claims, {} requests (loaded in {:.0} s)",
            count(&app, "SELECT COUNT(*) FROM employees"),
            count(&app, "SELECT COUNT(*) FROM claims"),
            count(&app, "SELECT COUNT(*) FROM enrollment_requests"),
            started.elapsed().as_secs_f64()
        ),
        "",
        true,
        json!({"run_lines": lines}),
    );
    let (first, deep) = page_costs(&app, &director, &middle_cursor(&app));
    costs.push((b.data.employees, first, deep));

    // Every budgeted route, as the people who use it.
    let hr_cookie = session_cookie(&app, "li.hr").await;
    let finance = session_cookie(&app, "zhao.fin").await;
    let branch_deep = {
        let db = data::open(&app);
        let (name, id) = data::branch_row_at(&db, "br-beijing", 6_000);
        ListCursor::at(&name, &id).to_string()
    };
    // The oldest month: every employee is new in it, so its page reads the most changes (200).
    let run = format!("run-br-beijing-{}", now.add_months(-12));
    let routes = vec![
        Route { name: "GET /api/employees (a branch's first page)".into(), path: "/api/employees".into(), cookie: hr_cookie.clone(), body: None },
        Route { name: "GET /api/employees (the group's first page)".into(), path: "/api/employees".into(), cookie: director.clone(), body: None },
        Route { name: "GET /api/employees?q=王 (a name search, group)".into(), path: "/api/employees?q=%E7%8E%8B".into(), cookie: director.clone(), body: None },
        Route { name: "GET /api/employees (a branch's page 300)".into(), path: format!("/api/employees?after={branch_deep}"), cookie: hr_cookie.clone(), body: None },
        Route { name: "GET /api/dashboard (group)".into(), path: "/api/dashboard".into(), cookie: director.clone(), body: None },
        Route {
            name: "POST /api/enrollments/preview".into(),
            path: "/api/enrollments/preview".into(),
            cookie: hr_cookie.clone(),
            body: Some(back_payment),
        },
        Route { name: format!("GET /api/runs/{run} (its first 20 employees' lines and 20 changes)"), path: format!("/api/runs/{run}"), cookie: hr_cookie.clone(), body: None },
        Route { name: "GET /api/claims (finance, the group)".into(), path: "/api/claims".into(), cookie: finance.clone(), body: None },
    ];
    api_budgets(&app, &b, &routes, &mut report).await;

    // The group's monthly run, all branches at once.
    let manager = app.client_as("chen.mgr").await;
    let started = Instant::now();
    let mut ids = Vec::new();
    for branch in ["br-beijing", "br-shanghai", "br-shenzhen"] {
        ids.push(start_run(&manager, &app, branch).await);
    }
    let done = until_generated(&manager, &app, &ids, Duration::from_secs(600)).await;
    let took = started.elapsed().as_secs_f64();
    let group_lines: i64 = ids.iter().map(|id| count(&app, &format!("SELECT COUNT(*) FROM run_lines WHERE run_id = '{id}'"))).sum();
    report.add(
        format!("monthly run of the group ({} employees, 3 branches at once)", b.data.employees),
        format!("{group_lines} lines in {took:.1} s ({:.0} rows/s)", group_lines as f64 / took),
        format!("≤ {} s", b.run.group_seconds),
        done && took <= b.run.group_seconds,
        json!({"seconds": took, "lines": group_lines}),
    );

    // A 10,000-employee branch's run as one .xlsx.
    let shenzhen = ids[2].clone();
    let started = Instant::now();
    let resp = manager.get(app.url(&format!("/api/runs/{shenzhen}?format=xlsx"))).send().await.expect("export");
    let exported = resp.status().is_success();
    let size = resp.bytes().await.map_or(0, |b| b.len());
    let took = started.elapsed().as_secs_f64();
    let lines = count(&app, &format!("SELECT COUNT(*) FROM run_lines WHERE run_id = '{shenzhen}'"));
    report.add(
        "a branch's run as .xlsx (深圳, 10,000 employees)",
        format!("{lines} lines, {:.1} MB in {took:.1} s", size as f64 / 1e6),
        format!("≤ {} s", b.run.export_seconds),
        exported && took <= b.run.export_seconds,
        json!({"seconds": took, "bytes": size, "lines": lines}),
    );
    let started = Instant::now();
    let resp = manager.get(app.url("/api/reports/costs")).send().await.expect("costs");
    report.add(
        "GET /api/reports/costs (the group, 12 months), one request",
        format!("{} in {:.0} ms", resp.status(), started.elapsed().as_secs_f64() * 1000.0),
        "(figure)",
        resp.status().is_success(),
        json!({"ms": started.elapsed().as_secs_f64() * 1000.0}),
    );

    // The largest size.
    let largest = *sizes.last().expect("sizes");
    app.restart_after(|app| data::grow(&mut data::open(app), largest)).await;
    let (first, deep) = page_costs(&app, &director, &middle_cursor(&app));
    costs.push((largest, first, deep));
    scale_rows(&mut report, &b, &costs);

    // One 10,000-employee branch's run through the queue, beside plain SQLite; then another
    // killed mid-way, resumed by the cron where the last committed chunk ended.
    let n = b.run.branch_employees;
    app.restart_after(|app| {
        let mut db = data::open(app);
        data::branch(&mut db, "br-bench-a", "91110105MA01BENCHA", n);
        data::branch(&mut db, "br-bench-b", "91110105MA01BENCHB", n);
    })
    .await;
    let manager = app.client_as("chen.mgr").await;
    let started = Instant::now();
    let id = start_run(&manager, &app, "br-bench-a").await;
    let done = until_generated(&manager, &app, std::slice::from_ref(&id), Duration::from_secs(300)).await;
    let took = started.elapsed().as_secs_f64();
    let lines = count(&app, &format!("SELECT COUNT(*) FROM run_lines WHERE run_id = '{id}'"));
    let rate = lines as f64 / took;
    let plain = plain_sqlite_rows_per_second(lines.max(1) as usize);
    report.add(
        format!("monthly run of a {n}-employee branch"),
        format!("{lines} lines in {took:.1} s: {rate:.0} rows/s; plain SQLite {plain:.0} rows/s (ratio {:.3})", rate / plain),
        format!("≤ {} s", b.run.branch_seconds),
        done && took <= b.run.branch_seconds,
        json!({"seconds": took, "lines": lines, "rows_per_second": rate, "plain_sqlite_rows_per_second": plain}),
    );
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
        if until_generated(&manager, &app, std::slice::from_ref(&id), Duration::from_secs(10)).await {
            finished = true;
            break;
        }
    }
    let types = lines / n as i64;
    let got = count(&app, &format!("SELECT COUNT(*) FROM run_lines WHERE run_id = '{id}'"));
    let people = count(&app, &format!("SELECT COUNT(DISTINCT employee_id) FROM run_lines WHERE run_id = '{id}'"));
    report.add(
        "a generation killed mid-way, resumed by the cron",
        format!("killed after {done_at_kill} employees; {got} lines for {people} employees"),
        format!("{} lines for {n}", types * n as i64),
        finished && got == types * n as i64 && people == n as i64,
        json!({"killed_after": done_at_kill, "lines": got, "employees": people}),
    );

    report.finish();
    let missed = report.missed();
    if !missed.is_empty() {
        eprintln!("budgets missed: {}", missed.iter().map(|r| r.bench.as_str()).collect::<Vec<_>>().join("; "));
        std::process::exit(1);
    }
}
